"""A CPython precis Engine over a CPython device chosen by name, for `precis generate` and `precis bench`:
the engine the extension runs (its planning, its prefill slices, its generation loop), on

    numpy   precis_oracles.reference.device.ReferenceDevice (the numpy reference model; exact oracle)
    wgpu    precis_oracles.wgpu_executor.WgpuDevice (our WGSL kernels through wgpu-py)

Every problem (a model the engine refuses, no GPU) is one UserError line."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from precis_build.errors import UserError

DEVICES = ("numpy", "wgpu")


def engine_on(name: str, path: Path, context: int, chunk: int | None = None,
              on_text: Callable[[str], Any] | None = None):
    """(engine, device): the model at `path` prepared for `context` positions and committed on device `name`.
    on_text: gets the answer's text as it streams (it rides on the device's steps). The caller closes the
    device."""
    from precis.engine import Engine

    if name not in DEVICES:
        raise UserError(f"unknown backend {name!r} (choose from: {', '.join(DEVICES)})")
    engine = Engine()
    gpu = None
    if name == "wgpu":
        from precis_oracles.wgpu_executor import GPUUnavailable, adapter_report, open_device
        try:
            gpu = open_device()
        except GPUUnavailable as e:
            raise UserError(f"wgpu backend: {e}") from None
        engine.set_adapter(adapter_report(gpu))
    else:
        engine.set_adapter({"available": True, "info": {"description": "numpy reference"}, "features": [],
                            "limits": {}})
    data = Path(path).read_bytes()
    args = {"prefix": data, "file_size": len(data), "name": Path(path).name, "source": str(path),
            "context": context, "device": "gpu" if name == "wgpu" else "auto"}
    if chunk:
        args["chunk"] = chunk
    prepared = engine.handle("prepare", args)
    if "error" in prepared:
        raise UserError(f"{name} backend: {prepared['error']['message']}")
    device = _make_device(name, prepared["value"]["spec"], path, data, context, gpu)
    engine.commit(StreamedDevice(device, on_text) if on_text else device)
    return engine, device


def _make_device(name, spec, path, data, context, gpu):
    if name == "wgpu":
        from precis_oracles.wgpu_executor import WgpuDevice
        return WgpuDevice.create(spec, path, gpu)
    from precis.gguf import open_gguf
    from precis_oracles.reference.dequant import DequantError
    from precis_oracles.reference.device import ReferenceDevice
    from precis_oracles.reference.model import ModelError
    try:
        return ReferenceDevice(open_gguf(data), context=context)
    except (ModelError, DequantError) as e:   # the GGUF lacks a tensor or uses a type we cannot read
        raise UserError(f"{name} backend: {e}") from None


class StreamedDevice:
    """precis.device.Device around another one: the text riding on each step and poll goes to `on_text`."""

    def __init__(self, device, on_text: Callable[[str], Any]):
        self.device, self.on_text = device, on_text

    def step(self, ids, positions, k, text=""):
        if text:
            self.on_text(text)
        return self.device.step(ids, positions, k)

    def poll(self, text=""):
        if text:
            self.on_text(text)
        return self.device.poll()

    def close(self):
        self.device.close()
