"""The device contract: what precis.engine.Engine asks of the thing that runs the model's layers.

Python decides everything (the plan, the prompt, what the KV cache holds, the prefill slices, sampling); a
device only computes. Implementations, all checked by tests/devices/test_device_contract.py:

    browser (JS, extension/engine/device_contract.js types them): webgpu_executor.js (our WGSL on WebGPU),
        wllama_device.js (llama.cpp in wasm); the engine worker's DeviceLink hands either to Python.
    CPython: precis_oracles.reference.device.ReferenceDevice (the numpy reference model),
        precis_oracles.wgpu_executor.WgpuDevice (our WGSL through wgpu-py), precis_build.llama_cpp_device.
        LlamaCppDevice (native llama.cpp), and `precis prompt`'s recording device.

What the engine calls (each returns a dict, or in Pyodide a JS promise of one that the engine waits for):

    step(ids, positions, k, text) -> {"ids", "logits", "cancelled"?} | {"cancelled": True, ...}
                                     | {"rebuilt": True} | {"error": {"kind", "message"}}
        Feeds `ids` at `positions` (consecutive, positions[0] <= what the cache holds: a lower first position
        drops the cache from there on), at most the plan's chunk (the CPU spec's batch) at once. Answers the
        `k` best next tokens after the last one, best first (ties: the lower id): their ids and logits (raw
        logits, or log-softmax on llama.cpp devices: the sampler is shift-invariant where it matters).
        `text`: the answer text streamed since the last crossing; it rides on the step (one crossing per
        step). `cancelled`: the current request was cancelled meanwhile; the engine stops at this step.
        `rebuilt`: the device was lost and replaced by one whose cache is empty; nothing was fed.
        A failure is an answer {"error": {kind, message}} (JS) or a raised DeviceError (CPython): the engine
        turns either into EngineError(kind, message); after "device_lost" it forgets what the cache held.
    poll(text) -> {"cancelled"}
        A suspension point (the worker takes its messages there, a cancel among them), carrying the text
        streamed since the last crossing; called at most every precis.engine.POLL_S during long Python.
    close()
        Frees everything the device holds (GPU buffers and the GPU device; llama.cpp's context, wasm memory
        and worker); idempotent; afterwards step raises or answers an error. Called by whoever created the
        device (the worker, a test, a command), never by the engine; a new device can then be loaded.

Cancel is no method of the device: the device's owner records it (the worker, on a "cancel" message) and the
next step or poll answers `cancelled`.

Creating and loading are per implementation (they differ in what they read): JS createDevice(spec, options)
then loadWeights(source, onProgress(fraction, bytesDone)); CPython a constructor or `create(spec, path)`.
"""

from __future__ import annotations

from typing import Any, Protocol, Sequence, TypedDict, runtime_checkable

# What a device's failure may say; a subset of precis.engine.ERROR_KINDS (the panel's kinds).
DEVICE_ERROR_KINDS = ("unsupported_model", "out_of_memory", "device_lost", "bad_input", "internal")


class DeviceError(Exception):
    """A device's failure: `kind` (DEVICE_ERROR_KINDS) and a message for the user. Arguments in this order
    everywhere (JS: device_contract.js DeviceError(kind, message))."""

    def __init__(self, kind: str, message: str):
        if kind not in DEVICE_ERROR_KINDS:
            raise ValueError(f"unknown device error kind {kind!r}")
        super().__init__(message)
        self.kind = kind
        self.message = message

    def as_answer(self) -> dict:
        """The failure as a step's answer: {"error": {"kind", "message"}}."""
        return {"error": {"kind": self.kind, "message": self.message}}


class StepAnswer(TypedDict, total=False):
    ids: Sequence[int]         # the k best next tokens, best first
    logits: Sequence[float]    # their logits, same order
    cancelled: bool            # the current request was cancelled meanwhile
    rebuilt: bool              # the device was lost and replaced; nothing was fed
    error: dict                # {"kind", "message"}: the step failed


class PollAnswer(TypedDict):
    cancelled: bool


@runtime_checkable
class Device(Protocol):
    """See the module docstring for what each method promises."""

    def step(self, ids: Sequence[int], positions: Sequence[int], k: int, text: str = "") -> StepAnswer: ...

    def poll(self, text: str = "") -> PollAnswer: ...

    def close(self) -> Any: ...


def check_step(ids: Sequence[int], positions: Sequence[int], k: int, cached: int, context: int,
               vocab: int, chunk: int | None = None) -> None:
    """The checks every device makes of a step's arguments (`cached`: positions its cache holds; `chunk`: the
    most tokens a step takes), as DeviceError("bad_input", ...): the same refusals in every implementation
    (JS: device_contract.js checkStep, the same messages)."""
    n = len(ids)
    if n == 0 or len(positions) != n:
        raise DeviceError("bad_input", f"a step needs one position per token ({n} tokens, "
                                       f"{len(positions)} positions)")
    start = int(positions[0])
    if [int(p) for p in positions] != list(range(start, start + n)):
        raise DeviceError("bad_input", "a step's positions must be consecutive")
    bad = [int(t) for t in ids if not 0 <= int(t) < vocab]
    if bad:
        raise DeviceError("bad_input", f"token id {bad[0]} outside the vocabulary 0..{vocab - 1}")
    if not 0 <= start <= cached:
        raise DeviceError("bad_input", f"position {start} skips past the {cached} tokens the cache holds")
    if start + n > context:
        raise DeviceError("bad_input", f"positions {start}..{start + n - 1} exceed the context of "
                                       f"{context} tokens")
    if not (isinstance(k, int) and k >= 1):
        raise DeviceError("bad_input", f"top-k must be a positive integer, got {k}")
    if chunk is not None and n > chunk:
        raise DeviceError("bad_input", f"a step takes 1..{chunk} tokens, got {n}")
