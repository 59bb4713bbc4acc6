"""Which device runs the model's layers: our WGSL on the WebGPU adapter, or llama.cpp's WebAssembly build on the
CPU (extension/engine/wllama_device.js). Pure stdlib; the engine worker asks once per model load:

    choice = choose_device(adapter, setting, hardware_concurrency=navigator.hardwareConcurrency,
                           cross_origin_isolated=self.crossOriginIsolated)
    # {"kind": "webgpu" | "cpu", "reason": "...", "threads": n (cpu only)}

`adapter`: a plain description of the WebGPU adapter, {"available": bool, "reason" (when not), "name",
"vendor", "architecture", "device", "description", "isFallbackAdapter"} (GPUAdapter.info), or None.
`setting`: the request's device setting, "auto" (the default), "gpu" or "cpu".

A real GPU runs our WGSL. An adapter that is the CPU in disguise (the browser's fallback adapter: SwiftShader
in Chrome; or a software rasterizer such as llvmpipe/lavapipe that a driver offers as a normal adapter, Microsoft WARP) runs it
20 to 90 times slower than llama.cpp's wasm on the same cores, so "auto" picks the CPU device there.
"""

from __future__ import annotations

from typing import Any, Optional

DEVICE_SETTINGS = ("auto", "gpu", "cpu")

# Software implementations of a GPU, as they name themselves in GPUAdapterInfo (architecture, description or
# vendor). Only consulted when the browser does not flag the adapter as its fallback itself.
SOFTWARE_RENDERERS = ("swiftshader", "llvmpipe", "lavapipe", "softpipe", "basic render driver")

# Most CPU threads the wasm device uses: past this, llama.cpp's decode is bound by memory bandwidth.
MAX_CPU_THREADS = 8


class DeviceChoiceError(ValueError):
    """The setting cannot be honoured (unknown value, or "gpu" with no adapter). kind: for the panel."""

    def __init__(self, message: str, kind: str = "bad_input"):
        super().__init__(message)
        self.kind = kind


def _plain(value: Any) -> Any:
    return value.to_py() if hasattr(value, "to_py") else value


def adapter_is_cpu(adapter: Optional[dict]) -> bool:
    """True when the WebGPU adapter runs on the CPU: the browser says so (isFallbackAdapter), or its info names
    a software renderer (SwiftShader, llvmpipe, lavapipe, WARP: "Basic Render Driver")."""
    adapter = _plain(adapter) or {}
    if adapter.get("isFallbackAdapter"):
        return True
    info = " ".join(str(adapter.get(key) or "") for key in ("architecture", "description", "device", "vendor", "name"))
    info = info.lower()
    return any(name in info for name in SOFTWARE_RENDERERS)


def cpu_threads(hardware_concurrency: Any, cross_origin_isolated: bool) -> int:
    """Threads for llama.cpp's wasm build: half the logical cores the browser reports (capped), and 1 when the
    page is not cross-origin isolated (no SharedArrayBuffer, so only the single-threaded build runs).

    Half, because llama.cpp's threads meet at a spinning barrier after every operation: a second hyperthread
    of a core adds little, and one thread more than the cores that are free stalls every barrier on the
    scheduler. Measured here (2 cores shared with other work, load 5): decode 4.8 tok/s on 1 thread, 1.1 on 2."""
    if not cross_origin_isolated:
        return 1
    try:
        cores = int(hardware_concurrency or 1)
    except (TypeError, ValueError):
        cores = 1
    return max(1, min(cores // 2, MAX_CPU_THREADS))


def choose_device(adapter: Optional[dict], setting: str = "auto", *, hardware_concurrency: Any = 1,
                  cross_origin_isolated: bool = False) -> dict:
    """The device for a model load (see the module docstring). Raises DeviceChoiceError."""
    adapter = _plain(adapter) or {"available": False, "reason": "no adapter was described"}
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
    if adapter_is_cpu(adapter):
        return cpu(f"{name} is a CPU emulation of a GPU")
    return {"kind": "webgpu", "reason": f"{name} is a GPU"}
