"""Replays a precis Plan (py/precis/plan.py) with wgpu-py: the CPython twin of the browser's JS executor.

    gpu = open_device()                       # adapter + device with the limits the plan needs
    ex = PlanExecutor(plan, gguf, gpu)        # uploads weights, compiles pipelines, builds bind groups once
    ids, logits = ex.run(token_ids, pos)      # one step (decode if 1 token, else a prefill chunk)

    model = WgpuModel.from_gguf(gguf)         # the kernel tests' model: a plan built from explicit options
    ids, logits = model.next_candidates(new_ids); model.reset()   # (tiled, rowwise, features), prompts chunked

    device = WgpuDevice.create(spec, path)    # the device contract (precis.device) for the Python engine:
    device.step(ids, positions, k); device.close()   # spec from engine.prepare, weights streamed from `path`

Per step the executor writes the token ids and the 16-byte step uniform, encodes all dispatches into one
compute pass, submits, and reads back only the top-64 (id, logit) pairs of the last token.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

import numpy as np

from precis.device import DeviceError, check_step
from precis.model_plan import build_plan
from precis.plan import Plan

KERNELS = Path(__file__).resolve().parents[2] / "kernels"


# wgpu-py's names of the optional device features the plan's kernel variants use (WebGPU name -> wgpu name).
WGPU_FEATURE = {"subgroups": "subgroup", "shader-f16": "shader-f16"}
# WGSL enable directives Naga implements; it rejects `enable subgroups;` and runs subgroup builtins as soon
# as the device has the "subgroup" feature, so that one is left out of the module.
NAGA_ENABLES = {"f16"}


class GPUUnavailable(RuntimeError):
    """No WebGPU adapter (wgpu-py missing, no Vulkan driver...): the message says what is missing."""


def _wgpu():
    os.environ.setdefault("XDG_RUNTIME_DIR", "/tmp")
    try:
        import wgpu
    except ImportError as e:
        raise GPUUnavailable(f"wgpu-py is not installed ({e}); pip install wgpu") from None
    return wgpu


class Device:
    """An adapter and a device requesting the adapter's largest storage bindings and the optional features
    the kernel variants use (subgroups, shader-f16) when the adapter has them."""

    def __init__(self, power_preference: str = "high-performance"):
        wgpu = self.wgpu = _wgpu()
        try:
            self.adapter = wgpu.gpu.request_adapter_sync(power_preference=power_preference)
        except Exception as e:  # wgpu raises a bare RuntimeError when no driver is found
            raise GPUUnavailable(f"no WebGPU adapter: {e}") from None
        if self.adapter is None:
            raise GPUUnavailable("no WebGPU adapter found")
        lim = self.adapter.limits
        self.max_binding = int(lim["max-storage-buffer-binding-size"])
        adapter_features = set(self.adapter.features)
        # WebGPU names of what this device can run: what build_plan(features=...) picks variants from.
        self.plan_features = sorted(f for f, native in WGPU_FEATURE.items() if native in adapter_features)
        self.device = self.adapter.request_device_sync(required_features=[
            WGPU_FEATURE[f] for f in self.plan_features], required_limits={
            "max-storage-buffer-binding-size": self.max_binding,
            "max-buffer-size": int(lim["max-buffer-size"]),
            "max-storage-buffers-per-shader-stage": min(8, int(lim["max-storage-buffers-per-shader-stage"])),
            "max-compute-workgroup-storage-size": int(lim["max-compute-workgroup-storage-size"]),
        })
        self.features = sorted(self.adapter.features)
        info = self.adapter.info
        self.description = f"{info.get('device', '?')} ({info.get('backend_type', '?')}, {info.get('adapter_type', '?')})"
        self.is_cpu = info.get("adapter_type") == "CPU"   # lavapipe, SwiftShader


_device = None


def open_device() -> Device:
    """One shared Device per process (creating devices is slow on lavapipe)."""
    global _device
    if _device is None:
        _device = Device()
    return _device


def load_kernel_source(sources: list, kernels_dir: Path = KERNELS, enables=()) -> str:
    """The module text of a pipeline: its kernel files joined, after the `enable` directives Naga accepts."""
    directives = "".join(f"enable {e};\n" for e in sorted(enables) if e in NAGA_ENABLES)
    return directives + "\n".join((kernels_dir / s).read_text() for s in sources)


class PlanExecutor:
    """`gguf`: weights uploaded from its (mapped) file at once; None: left zero until load_weights(path)."""

    def __init__(self, plan: Plan, gguf=None, gpu: Device | None = None, kernels_dir: Path = KERNELS):
        self.plan = plan
        self.gpu = gpu or open_device()
        wgpu, dev = self.gpu.wgpu, self.gpu.device
        self.device = dev
        missing = [f for f in plan.required_features() if f not in self.gpu.plan_features]
        if missing:
            raise ValueError(f"the plan needs the device feature(s) {', '.join(missing)}, which this adapter lacks "
                             f"({self.gpu.description}): rebuild the plan with features={self.gpu.plan_features}")
        big = [b for b in plan.buffers if b.kind == "weight" and b.size > self.gpu.max_binding]
        if big:
            raise ValueError(f"plan buffer {big[0].name} ({big[0].size} bytes) exceeds the adapter's binding "
                             f"limit {self.gpu.max_binding}: rebuild the plan with max_binding={self.gpu.max_binding}")
        storage = wgpu.BufferUsage.STORAGE | wgpu.BufferUsage.COPY_DST | wgpu.BufferUsage.COPY_SRC
        uniform = wgpu.BufferUsage.UNIFORM | wgpu.BufferUsage.COPY_DST
        self.buffers = []
        for b in plan.buffers:
            buf = dev.create_buffer(size=b.size, usage=uniform if b.usage == "uniform" else storage, label=b.name)
            if b.kind == "weight" and gguf is not None:
                parts = b.weight_parts()
                if len(parts) == 1 and parts[0][2] % 4 == 0:
                    data = gguf.view[parts[0][1]:parts[0][1] + parts[0][2]]
                else:  # concatenate, and pad: write_buffer wants a multiple of 4 bytes
                    data = b"".join(bytes(gguf.view[off:off + n]) for _, off, n in parts)
                    data += bytes(-len(data) % 4)
                dev.queue.write_buffer(buf, 0, data)
            self.buffers.append(buf)
        modules = {}
        self.pipelines = []
        for p in plan.pipelines:
            key = (tuple(p.sources), tuple(p.enables))
            if key not in modules:
                modules[key] = dev.create_shader_module(code=load_kernel_source(p.sources, kernels_dir, p.enables),
                                                        label="+".join(p.sources))
            self.pipelines.append(dev.create_compute_pipeline(
                layout="auto", label=p.sources[-1],
                compute={"module": modules[key], "entry_point": p.entry,
                         "constants": {k: float(v) for k, v in p.constants.items()}}))
        self.steps = {}
        for name, steplist in plan.steps.items():
            encoded = []
            for d in steplist.dispatches:
                pipe = self.pipelines[d.pipeline]
                group = dev.create_bind_group(layout=pipe.get_bind_group_layout(0), entries=[
                    {"binding": bi, "resource": {"buffer": self.buffers[b], "offset": off, "size": size}}
                    for bi, b, off, size in d.bindings])
                encoded.append((pipe, group, tuple(d.workgroups)))
            self.steps[name] = (steplist.max_tokens, encoded)
        self.readback = dev.create_buffer(size=plan.topk * 8,
                                          usage=wgpu.BufferUsage.MAP_READ | wgpu.BufferUsage.COPY_DST)
        self.vocab = plan.model["vocab"]
        self.context = plan.model["context"]

    def load_weights(self, path, slice_bytes: int = 32 << 20) -> None:
        """Streams each weight's file range from `path` into its buffer, `slice_bytes` at a time (the file is
        never read whole), as the browser's device does."""
        with open(path, "rb") as f:
            for b, buf in zip(self.plan.buffers, self.buffers):
                if b.kind != "weight":
                    continue
                dst = 0
                for _, offset, nbytes in b.weight_parts():
                    if dst % 4:   # a part after one of odd length: write_buffer wants words; pad the part before
                        raise ValueError(f"weight {b.name}: a part starts at byte {dst}, not on a word")
                    f.seek(offset)
                    left = nbytes
                    while left:
                        data = f.read(min(slice_bytes, left))
                        if not data:
                            raise ValueError(f"{path} ends before weight {b.name}")
                        left -= len(data)
                        self.device.queue.write_buffer(buf, dst, data + bytes(-len(data) % 4))
                        dst += len(data)

    def run(self, token_ids, pos: int, step: str | None = None):
        """Runs one step on `token_ids` at positions pos, pos+1, ...: returns (ids, logits), the top-k of
        the last token, best first (numpy int64 / float32 arrays)."""
        n = len(token_ids)
        step = step or ("decode" if n == 1 else "prefill")
        max_tokens, encoded = self.steps[step]
        if not 1 <= n <= max_tokens:
            raise ValueError(f"{step} step takes 1..{max_tokens} tokens, got {n}")
        if pos < 0 or pos + n > self.context:
            raise ValueError(f"positions {pos}..{pos + n - 1} exceed the context of {self.context} tokens")
        ids = np.asarray(token_ids, dtype=np.int64)
        if ids.min() < 0 or ids.max() >= self.vocab:
            raise ValueError(f"token id {int(ids.max() if ids.max() >= self.vocab else ids.min())} outside the "
                             f"vocabulary 0..{self.vocab - 1}")
        q = self.device.queue
        q.write_buffer(self.buffers[self.plan.io["tokens"]], 0, ids.astype(np.uint32).tobytes())
        q.write_buffer(self.buffers[self.plan.io["step"]], 0, struct.pack("<4I", pos, n, pos + n, 0))
        enc = self.device.create_command_encoder()
        cp = enc.begin_compute_pass()
        for pipe, group, (x, y, z) in encoded:
            cp.set_pipeline(pipe)
            cp.set_bind_group(0, group)
            cp.dispatch_workgroups(x, y, z)
        cp.end()
        enc.copy_buffer_to_buffer(self.buffers[self.plan.io["topk"]], 0, self.readback, 0, self.plan.topk * 8)
        q.submit([enc.finish()])
        self.readback.map_sync(self.gpu.wgpu.MapMode.READ)
        raw = np.frombuffer(self.readback.read_mapped(), dtype=np.uint32).copy()
        self.readback.unmap()
        return raw[0::2].astype(np.int64), raw[1::2].view(np.float32)

    def read_buffer(self, name: str) -> np.ndarray:
        """The raw contents of a plan buffer as float32 (tests and debugging)."""
        idx = self.plan.buffers.index(self.plan.buffer(name))
        return np.frombuffer(self.device.queue.read_buffer(self.buffers[idx]), dtype=np.float32).copy()


class WgpuModel:
    """Our WGSL model with a plan built from explicit options (the kernel and family tests compare variants):
    next_candidates(new_ids) -> (ids, logits) of the top-k at the last position, prompts split into prefill
    chunks; reset() forgets the conversation. The engine's device is WgpuDevice."""

    def __init__(self, executor: PlanExecutor):
        self.executor = executor
        self.chunk = executor.plan.model["chunk"]
        self.pos = 0

    @classmethod
    def from_gguf(cls, gguf, *, chunk: int = 32, context: int | None = None, gpu: Device | None = None,
                  tiled_prefill: bool | None = None, rowwise_matmul: bool | None = None, features=None):
        """tiled_prefill: None picks from the adapter (tiled on GPUs, per-row on CPU adapters).
        rowwise_matmul: None picks matmul_rowwise.wgsl on CPU adapters (lavapipe), matmul.wgsl on GPUs.
        features: WebGPU feature names the plan may use (None: all a GPU has, none on a CPU adapter;
        [] the f32 plan)."""
        build_plan(gguf, chunk=chunk, context=context)   # validates the model before touching the GPU
        gpu = gpu or open_device()
        if tiled_prefill is None:
            tiled_prefill = not gpu.is_cpu
        if rowwise_matmul is None:
            rowwise_matmul = gpu.is_cpu
        if features is None:
            # On CPU adapters the variants measured no faster (lavapipe: f16 KV cache 2.14 vs 2.23 tok/s,
            # the subgroup matmul equal to matmul.wgsl), and the f32 plan keeps the reference's exact sums.
            features = [] if gpu.is_cpu else gpu.plan_features
        plan = build_plan(gguf, chunk=chunk, context=context, max_binding=gpu.max_binding,
                          tiled_prefill=tiled_prefill, rowwise_matmul=rowwise_matmul, features=features)
        return cls(PlanExecutor(plan, gguf, gpu))

    def forward_topk(self, token_ids, start_pos: int, one_at_a_time: bool = False):
        """Feeds token_ids at start_pos..; returns the top-k (ids, logits) after the last one."""
        if len(token_ids) == 0:
            raise ValueError("no tokens to feed")
        step = 1 if one_at_a_time else self.chunk
        out = None
        for i in range(0, len(token_ids), step):
            piece = list(token_ids[i:i + step])
            out = self.executor.run(piece, start_pos + i, "decode" if len(piece) == 1 else "prefill")
        return out

    def next_candidates(self, new_ids):
        out = self.forward_topk(new_ids, self.pos)
        self.pos += len(new_ids)
        return out

    def reset(self):
        self.pos = 0  # the KV cache is overwritten from position 0; nothing past kv_len is ever read


class WgpuDevice:
    """precis.device.Device on wgpu-py: created from the spec the engine prepared (the plan JSON), weights
    streamed from the model file. The wgpu device itself is the process's shared one (open_device): close()
    frees this device's buffers."""

    def __init__(self, executor: PlanExecutor):
        self.executor = executor
        self.streamed = ""
        self.cached = 0          # positions the KV cache holds
        self.closed = False

    @classmethod
    def create(cls, spec: dict, path, gpu: Device | None = None) -> "WgpuDevice":
        plan = Plan.from_json(spec["plan"]) if isinstance(spec["plan"], str) else Plan.from_dict(spec["plan"])
        executor = PlanExecutor(plan, None, gpu)
        executor.load_weights(path)
        return cls(executor)

    def step(self, ids, positions, k, text=""):
        if self.closed:
            raise DeviceError("device_lost", "the wgpu device was closed")
        ids, positions = [int(i) for i in ids], [int(p) for p in positions]
        ex = self.executor
        check_step(ids, positions, k, self.cached, ex.context, ex.vocab, ex.plan.steps["prefill"].max_tokens)
        self.streamed += text
        top, logits = ex.run(ids, positions[0])
        self.cached = positions[0] + len(ids)
        return {"ids": top[:k].tolist(), "logits": logits[:k].tolist()}

    def poll(self, text=""):
        self.streamed += text
        return {"cancelled": False}

    def describe(self) -> dict:
        return {"kind": "webgpu", "name": self.executor.gpu.description,
                "gpuBytes": sum(b.size for b in self.executor.plan.buffers)}

    def close(self) -> None:
        """Destroys every buffer of the plan (weights, KV cache, activations); idempotent."""
        self.closed = True
        for buf in self.executor.buffers:
            buf.destroy()
        self.executor.buffers = []


def adapter_report(gpu: Device) -> dict:
    """The raw adapter report JS gives (webgpu_executor.js adapterReport), from wgpu-py's adapter."""
    info = gpu.adapter.info
    lim = gpu.adapter.limits
    return {"available": True, "info": {"vendor": str(info.get("vendor", "")), "architecture": "",
                                        "device": str(info.get("device", "")), "description": gpu.description},
            "isFallbackAdapter": gpu.is_cpu, "features": gpu.plan_features,
            "limits": {"maxStorageBufferBindingSize": gpu.max_binding, "maxBufferSize": int(lim["max-buffer-size"]),
                       "maxStorageBuffersPerShaderStage": min(8, int(lim["max-storage-buffers-per-shader-stage"]))}}
