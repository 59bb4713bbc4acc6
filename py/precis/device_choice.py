"""Which device runs the model's layers: our WGSL on the WebGPU adapter, or llama.cpp's WebAssembly build on the
CPU (extension/engine/wllama_device.js). Pure stdlib; the engine worker asks once per model load:

    choice = choose_device(adapter, setting, hardware_concurrency=navigator.hardwareConcurrency,
                           cross_origin_isolated=self.crossOriginIsolated)
    # {"kind": "webgpu" | "cpu", "reason": "...", "threads": n (cpu only)}

`adapter`: precis.adapter.describe_adapter's dict ({"available", "reason" (when not), "name", "cpu": whether it
is the CPU in disguise, ...}), or None.
`setting`: the request's device setting, "auto" (the default), "gpu" or "cpu".

A real GPU runs our WGSL. An adapter that is the CPU in disguise (the browser's fallback adapter: SwiftShader
in Chrome; or a software rasterizer such as llvmpipe/lavapipe that a driver offers as a normal adapter, Microsoft WARP) runs it
20 to 90 times slower than llama.cpp's wasm on the same cores, so "auto" picks the CPU device there.
"""

from __future__ import annotations

from typing import Any, Optional

from precis.adapter import to_py
from precis.plan import TOPK

DEVICE_SETTINGS = ("auto", "gpu", "cpu")

# Most CPU threads the wasm device uses: past this, llama.cpp's decode is bound by memory bandwidth.
MAX_CPU_THREADS = 8
# Prefill tokens per step on the CPU device: a superseding request waits at most one such step. Bigger steps
# barely pay in llama.cpp's wasm build (measured here, 512-token prompt: 29.1 tok/s at 64 and 29.3 at 512 on one
# thread; 53.6 and 56.9 on two), while a 512-token step would hold the engine for 10 to 18 s.
CPU_BATCH = 64
WASM_MEMORY = 4 << 30   # wllama's wasm64 heap: the model file and its KV cache must fit in it
# The CPU device's KV cache holds llama.cpp's q8_0 (34 bytes a block of 32 values), not f16: measured here, Qwen2.5 1.5B
# at 4,096 positions, the browser's peak PSS over the booted engine was 1,393 and 1,384 MiB against 1,444 and 1,439
# with f16 (issue 18's bound, 1.25x the file + 100 MiB: 1,432), decode 3.08 against 3.11 tok/s, the same greedy ids.
# A quantized V cache needs flash attention, which llama.cpp turns on for the CPU by default.
# A head whose size is no whole number of q8_0 blocks keeps f16 (llama.cpp cannot split a block across heads).
CPU_KV_TYPE = "q8_0"
KV_BYTES_PER_VALUE = {"f32": 4.0, "f16": 2.0, "q8_0": 34 / 32}
Q8_0_BLOCK = 32


def kv_type(gguf) -> str:
    """The KV cache type the CPU device gives `gguf` (header is enough): CPU_KV_TYPE where its heads are whole q8_0
    blocks, else f16."""
    heads = int(gguf.arch_value("attention.head_count", 1) or 1)
    sizes = [int(gguf.arch_value(key, 0) or 0) or int(gguf.arch_value("embedding_length", 0) or 0) // heads
             for key in ("attention.key_length", "attention.value_length")]
    return CPU_KV_TYPE if all(size and size % Q8_0_BLOCK == 0 for size in sizes) else "f16"


def cpu_spec(gguf, choice: dict, context: Optional[int], default_context: int,
             memory_budget: Optional[int] = None) -> dict:
    """The CPU device's spec (extension/engine/wllama_device.js createDevice) for `gguf` (header is enough):
    KV positions and their type, threads, batch; raises DeviceChoiceError (kind "out_of_memory") when the file and
    its KV cache do not fit the wasm heap, or exceed `memory_budget` (the worker's: half the machine's
    memory, less what the other windows' engines announce holding), before anything is loaded or freed."""
    model_context = int(gguf.arch_value("context_length", default_context) or default_context)
    context = min(model_context, int(context or default_context))
    if context < 1:
        raise DeviceChoiceError(f"context {context} must be positive")
    layers = int(gguf.arch_value("block_count", 0) or 0)
    heads = int(gguf.arch_value("attention.head_count", 1) or 1)
    kv_heads = int(gguf.arch_value("attention.head_count_kv", heads) or heads)
    head_dim = int(gguf.arch_value("attention.key_length", 0) or 0) or \
        int(gguf.arch_value("embedding_length", 0) or 0) // heads
    kv = kv_type(gguf)
    kv_bytes = int(2 * layers * kv_heads * head_dim * context * KV_BYTES_PER_VALUE[kv])
    need = int(gguf.file_size) + kv_bytes
    if need > WASM_MEMORY:
        raise DeviceChoiceError(f"the model ({gguf.file_size / 2**20:.0f} MiB) and its KV cache for {context} "
                                f"positions ({kv_bytes / 2**20:.0f} MiB) do not fit the CPU device's 4 GiB of "
                                "WebAssembly memory: choose a smaller model or context", kind="out_of_memory")
    if memory_budget and need > memory_budget:
        raise DeviceChoiceError(f"the model ({gguf.file_size / 2**20:.0f} MiB) and its KV cache for {context} "
                                f"positions ({kv_bytes / 2**20:.0f} MiB) need more than the "
                                f"{memory_budget / 2**20:.0f} MiB of memory this browser can give now (half "
                                "the machine's, less what models in other windows hold): close another "
                                "window's panel, or choose a smaller model or context", kind="out_of_memory")
    return {"kind": "cpu", "context": context, "kv_type": kv, "threads": int(choice["threads"]),
            "batch": CPU_BATCH, "topk": TOPK, "reason": choice["reason"], "fallback": bool(choice.get("fallback"))}


class DeviceChoiceError(ValueError):
    """The setting cannot be honoured (unknown value, or "gpu" with no adapter). kind: for the panel."""

    def __init__(self, message: str, kind: str = "bad_input"):
        super().__init__(message)
        self.kind = kind


def cpu_threads(hardware_concurrency: Any, cross_origin_isolated: bool) -> int:
    """Threads for llama.cpp's wasm build: half the logical cores the browser reports, but two wherever there
    are two (capped at MAX_CPU_THREADS); 1 when the page is not cross-origin isolated (no SharedArrayBuffer, so
    only the single-threaded build runs).

    Half, because llama.cpp's threads meet at a spinning barrier after every operation: a second hyperthread of
    a core adds little, and a thread more than the cores that are free stalls every barrier on the scheduler.
    Two on a two-core machine, because there the second core is the one that pays: measured on this 2-core
    machine, quiet, SmolLM2-135M Q4_1, decode 23.8 tok/s on 2 threads against 14.7 on 1, prefill 54 against
    30 tok/s, an 800-word article summarized end to end in 50 s against 80 s. The price: under heavy load from
    other programs (load average 5) two threads fell to 1.1 tok/s where one kept 4.8."""
    if not cross_origin_isolated:
        return 1
    try:
        cores = int(hardware_concurrency or 1)
    except (TypeError, ValueError):
        cores = 1
    return max(1, min(max(cores // 2, 2), cores, MAX_CPU_THREADS))


def gpu_fallback(why: str, **host: Any) -> dict:
    """The CPU device for a model our WGSL cannot run on the GPU (`why`: the plan's one-line refusal), under
    "auto": llama.cpp runs more architectures and tensor types than our kernels. host: choose_device's
    keywords (hardware_concurrency, cross_origin_isolated). The reason says so, for the model picker."""
    return {**choose_device(None, "cpu", **host), "fallback": True,
            "reason": f"our GPU kernels cannot run this model ({why}), so llama.cpp runs it on the CPU"}


def choose_device(adapter: Optional[dict], setting: str = "auto", *, hardware_concurrency: Any = 1,
                  cross_origin_isolated: bool = False) -> dict:
    """The device for a model load (see the module docstring). Raises DeviceChoiceError."""
    adapter = to_py(adapter) or {"available": False, "reason": "no adapter was described"}
    setting = setting or "auto"
    if setting not in DEVICE_SETTINGS:
        raise DeviceChoiceError(f"unknown device setting {setting!r}: use one of {', '.join(DEVICE_SETTINGS)}")
    available = bool(adapter.get("available"))
    name = adapter.get("name") or "the WebGPU adapter"

    def cpu(reason: str) -> dict:
        return {"kind": "cpu", "reason": reason,
                "threads": cpu_threads(hardware_concurrency, bool(cross_origin_isolated))}

    if setting == "cpu":
        return cpu("the CPU device was chosen in the settings")
    if setting == "gpu":
        if not available:
            raise DeviceChoiceError(f"WebGPU is not available here: {adapter.get('reason') or 'no adapter'} "
                                    "(choose Auto or CPU in the settings)", kind="unsupported")
        return {"kind": "webgpu", "reason": "the GPU was chosen in the settings"}
    if not available:
        return cpu(f"no WebGPU adapter ({adapter.get('reason') or 'none found'})")
    if adapter.get("cpu"):
        return cpu(f"{name} is a CPU emulation of a GPU")
    return {"kind": "webgpu", "reason": f"{name} is a GPU"}
