"""Runs one WGSL kernel from kernels/ on numpy arrays (wgpu-py on lavapipe): the kernel tests' harness."""

import struct

import numpy as np

from precis_oracles.wgpu_executor import load_kernel_source, open_device


def step_bytes(pos: int, n_tokens: int) -> bytes:
    """The 16-byte Step uniform {pos, n_tokens, kv_len, pad}."""
    return struct.pack("<4I", pos, n_tokens, pos + n_tokens, 0)


def run_kernel(sources, constants, bindings, workgroups, entry="main", enables=()):
    """bindings: list, in binding order, of ("uniform", bytes) or (numpy array / bytes) for storage buffers.
    enables: the pipeline's WGSL extensions ("f16", "subgroups"), declared the way the wgpu executor does.
    Returns the contents of every storage binding after the dispatch, as bytes."""
    gpu = open_device()
    wgpu, dev = gpu.wgpu, gpu.device
    module = dev.create_shader_module(code=load_kernel_source(sources, enables=enables))
    pipe = dev.create_compute_pipeline(layout="auto", compute={
        "module": module, "entry_point": entry,
        "constants": {k: float(v) for k, v in constants.items()}})
    buffers = []
    for b in bindings:
        if isinstance(b, tuple) and b[0] == "uniform":
            buf = dev.create_buffer_with_data(data=b[1], usage=wgpu.BufferUsage.UNIFORM)
        else:
            data = b.tobytes() if isinstance(b, np.ndarray) else bytes(b)
            data = data + bytes(-len(data) % 4) if data else bytes(4)
            buf = dev.create_buffer_with_data(
                data=data, usage=wgpu.BufferUsage.STORAGE | wgpu.BufferUsage.COPY_SRC)
        buffers.append(buf)
    group = dev.create_bind_group(layout=pipe.get_bind_group_layout(0), entries=[
        {"binding": i, "resource": {"buffer": buf, "offset": 0, "size": buf.size}} for i, buf in enumerate(buffers)])
    enc = dev.create_command_encoder()
    cp = enc.begin_compute_pass()
    cp.set_pipeline(pipe)
    cp.set_bind_group(0, group)
    cp.dispatch_workgroups(*(list(workgroups) + [1, 1])[:3])
    cp.end()
    dev.queue.submit([enc.finish()])
    return [None if isinstance(b, tuple) else bytes(dev.queue.read_buffer(buf))
            for b, buf in zip(bindings, buffers)]


def f32(raw: bytes, shape=None) -> np.ndarray:
    a = np.frombuffer(raw, dtype=np.float32)
    return a if shape is None else a[:int(np.prod(shape))].reshape(shape)
