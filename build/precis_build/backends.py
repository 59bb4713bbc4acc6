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
