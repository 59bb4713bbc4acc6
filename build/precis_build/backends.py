"""Generation backends for `precis generate` / `precis bench`: make_backend(name, gguf) -> an object with

    .next_candidates(new_ids) -> (ids, logits)   # feeds new_ids after what came before; top-k of the last position
    .reset()                                     # forget the conversation (position back to 0)

ids (int64) and logits (float32) are numpy arrays of the TOP_K best candidates, best first (ties: lower id).
Backends are imported lazily so that a missing optional dependency (wgpu) only matters when chosen.
"""

from __future__ import annotations

import numpy as np

from precis_build.errors import UserError

TOP_K = 64


class NumpyBackend:
    """The numpy reference model (CPU, slow, exact oracle)."""

    def __init__(self, gguf):
        from precis_build.reference.model import ReferenceModel
        self.model = ReferenceModel.from_gguf(gguf)
        self.pos = 0

    def next_candidates(self, new_ids):
        logits = self.model.forward(list(new_ids), self.pos)[-1]
        self.pos += len(new_ids)
        ids = np.argsort(-logits, kind="stable")[:TOP_K]
        return ids.astype(np.int64), logits[ids].astype(np.float32)

    def reset(self):
        self.model.reset()
        self.pos = 0


def _numpy(gguf, **options):
    return NumpyBackend(gguf)


def _wgpu(gguf, **options):
    from precis.plan import PlanError
    from precis_build.wgpu_executor import GPUUnavailable, WgpuModel
    try:
        return WgpuModel.from_gguf(gguf, **options)
    except (PlanError, GPUUnavailable) as e:
        raise UserError(f"wgpu backend: {e}") from None


BACKENDS = {"numpy": _numpy, "wgpu": _wgpu}


def make_backend(name: str, gguf, **options):
    """The backend `name` for the opened GGUF model. options: backend-specific (wgpu: chunk, context)."""
    try:
        factory = BACKENDS[name]
    except KeyError:
        raise UserError(f"unknown backend {name!r} (choose from: {', '.join(BACKENDS)})") from None
    return factory(gguf, **options)


class ReferenceDevice:
    """The device contract (precis.engine's module docstring) on the numpy reference model, for running
    precis.engine.Engine in CPython: step(ids, positions, k, text) -> {"ids", "logits"}, poll(text).
    Records what the engine handed over: `fed` (tokens stepped), `steps` (token counts per step),
    `streamed` (text). `cancel_after`: report the request cancelled from that many steps on."""

    def __init__(self, gguf, cancel_after: int | None = None):
        from precis_build.reference.model import ReferenceModel
        self.model = ReferenceModel.from_gguf(gguf)
        self.fed = 0
        self.steps: list = []
        self.streamed = ""
        self.cancel_after = cancel_after
        self.polls = 0

    def _cancelled(self) -> bool:
        return self.cancel_after is not None and len(self.steps) >= self.cancel_after

    def step(self, ids, positions, k, text=""):
        ids, positions = [int(i) for i in ids], [int(p) for p in positions]
        assert positions == list(range(positions[0], positions[0] + len(ids))), positions
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


def reference_engine(path, context: int = 2048, adapter: dict | None = None):
    """A precis.engine.Engine with the model at `path` loaded on a ReferenceDevice (CPython, numpy): what the
    extension's engine does, for tests that compare the browser's answers with the reference's."""
    from pathlib import Path

    from precis.engine import Engine

    data = Path(path).read_bytes()
    engine = Engine()
    engine.set_adapter(adapter or {"available": True, "info": {"description": "numpy reference"},
                                   "features": [], "limits": {}})
    engine.prepare(data, len(data), Path(path).name, "package", context=context)   # the whole file: one call
    from precis.gguf import open_gguf
    engine.commit(ReferenceDevice(open_gguf(data)))
    return engine
