"""The device contract (precis.device) on the numpy reference model, and a CPython Engine over it: what the
extension's engine does, for tests and `precis generate` that compare against the reference's answers."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from precis.device import DeviceError, check_step


class ReferenceDevice:
    """precis.device.Device on precis_oracles.reference.model.ReferenceModel (raw logits).
    Records what the engine handed over: `fed` (tokens stepped), `steps` (token counts per step),
    `streamed` (text), `polls`. `cancel_after`: report the request cancelled from that many steps on."""

    def __init__(self, gguf, cancel_after: int | None = None, context: int | None = None):
        from precis_oracles.reference.model import ReferenceModel
        self.model = ReferenceModel.from_gguf(gguf)
        self.context = int(context or self.model.config.n_ctx_train)
        self.vocab = int(self.model.token_embd.shape[0])
        self.fed = 0
        self.steps: list = []
        self.streamed = ""
        self.cancel_after = cancel_after
        self.polls = 0
        self.closed = False

    def _cancelled(self) -> bool:
        return self.cancel_after is not None and len(self.steps) >= self.cancel_after

    def step(self, ids, positions, k, text=""):
        if self.closed:
            raise DeviceError("device_lost", "the reference device was closed")
        ids, positions = [int(i) for i in ids], [int(p) for p in positions]
        check_step(ids, positions, k, self.model.n_cached, self.context, self.vocab)
        self.streamed += text
        self.fed += len(ids)
        self.steps.append(len(ids))
        logits = self.model.forward(ids, positions[0])[-1]
        top = np.argsort(-logits, kind="stable")[:k]
        return {"ids": [int(i) for i in top], "logits": [float(x) for x in logits[top]],
                "cancelled": self._cancelled()}

    def poll(self, text=""):
        self.streamed += text
        self.polls += 1
        return {"cancelled": self._cancelled()}

    def close(self) -> None:
        """Drops the weights and the KV cache (numpy arrays, freed once unreferenced)."""
        self.closed = True
        self.model = None


def reference_engine(path, context: int = 2048, adapter: dict | None = None, chunk: int | None = None):
    """A precis.engine.Engine with the model at `path` loaded on a ReferenceDevice (CPython, numpy): what the
    extension's engine does, for tests that compare the browser's answers with the reference's."""
    from precis.engine import Engine
    from precis.gguf import open_gguf

    data = Path(path).read_bytes()
    engine = Engine()
    engine.set_adapter(adapter or {"available": True, "info": {"description": "numpy reference"},
                                   "features": [], "limits": {}})
    options = {"chunk": chunk} if chunk else {}
    engine.prepare(data, len(data), Path(path).name, "package", context=context, **options)   # one call
    engine.commit(ReferenceDevice(open_gguf(data), context=context))
    return engine
