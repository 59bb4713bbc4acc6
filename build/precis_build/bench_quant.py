"""Weight-read speed of every tensor type in every matmul kernel, on the wgpu adapter (lavapipe here, a real GPU
where Vulkan finds one): GB/s of GGUF weight bytes consumed per second, and that figure relative to Q4_1's.

    python -m precis_build.bench_quant [--rows 2048] [--k 2048] [--reps 4] [--repeat 3] [--types Q4_1,Q3_K]
                                       [--kernels decode,rowwise,subgroup,tiled] [--json]

Kernels (the plan's constants): decode = matmul.wgsl, 1 token, 4 rows per workgroup (GPU decode);
rowwise = matmul_rowwise.wgsl, 1 token (CPU adapters' decode); subgroup = matmul_subgroup.wgsl, 1 token
(only where the adapter has subgroups); tiled = matmul_tiled.wgsl, 32 tokens (GPU prefill; its GB/s counts
each weight byte once per 32-token dispatch). Weights: random normal rows through the real quantizer
(precis_oracles.ggml_quantize). Each figure is the best of --repeat submits of --reps dispatches in one pass, the submits of all
(type, kernel) pairs taken in rounds.
Prints figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import math
import time

import numpy as np

from precis.model_plan import MATMUL_ROWS, QUANT_KERNELS, ROWWISE_ROWS, TILED_K, matmul_sources
from precis_oracles.ggml_quantize import quantize_rows
from precis_oracles.wgpu_executor import load_kernel_source, open_device

# name -> (kernel file, tokens per dispatch, WebGPU feature it needs or None)
KERNELS = {
    "decode": ("matmul.wgsl", 1, None),
    "rowwise": ("matmul_rowwise.wgsl", 1, None),
    "subgroup": ("matmul_subgroup.wgsl", 1, "subgroups"),
    "tiled": ("matmul_tiled.wgsl", TILED_K, None),
}


def dispatch_grid(kernel: str, rows: int, tokens: int) -> tuple:
    """The plan's workgroup grid for one weight matrix of `rows` output rows (model_plan._ModelPlanner.matmul)."""
    if kernel == "matmul_tiled.wgsl":
        return (math.ceil(rows / TILED_K), math.ceil(tokens / TILED_K), 1)
    per = ROWWISE_ROWS if kernel == "matmul_rowwise.wgsl" else MATMUL_ROWS
    return (math.ceil(rows / per), tokens, 1)


def prepare(gpu, type_name: str, kernel: str, tokens: int, raw: bytes, rows: int, k: int):
    """A function run(n) that submits n dispatches of `kernel` reading the [rows, k] weights `raw` of
    `type_name` in one compute pass and waits for them."""
    wgpu, dev = gpu.wgpu, gpu.device
    module = dev.create_shader_module(code=load_kernel_source(matmul_sources(type_name, kernel)))
    constants = {"K": k, "N": rows}
    if kernel != "matmul_tiled.wgsl":
        constants.update({"ROWS": MATMUL_ROWS, "TT": 1})
    pipe = dev.create_compute_pipeline(layout="auto", compute={
        "module": module, "entry_point": "main", "constants": {n: float(v) for n, v in constants.items()}})
    storage = wgpu.BufferUsage.STORAGE | wgpu.BufferUsage.COPY_SRC
    step = np.array([0, tokens, tokens, 0], np.uint32).tobytes()
    x = np.random.default_rng(1).standard_normal((tokens, k)).astype(np.float32)
    buffers = [dev.create_buffer_with_data(data=step, usage=wgpu.BufferUsage.UNIFORM),
               dev.create_buffer_with_data(data=raw + bytes(-len(raw) % 4), usage=storage),
               dev.create_buffer_with_data(data=x.tobytes(), usage=storage),
               dev.create_buffer(size=tokens * rows * 4, usage=storage),
               dev.create_buffer(size=16, usage=storage)]
    group = dev.create_bind_group(layout=pipe.get_bind_group_layout(0), entries=[
        {"binding": i, "resource": {"buffer": b, "offset": 0, "size": b.size}} for i, b in enumerate(buffers)])
    grid = dispatch_grid(kernel, rows, tokens)

    def run(n):
        enc = dev.create_command_encoder()
        cp = enc.begin_compute_pass()
        cp.set_pipeline(pipe)
        cp.set_bind_group(0, group)
        for _ in range(n):
            cp.dispatch_workgroups(*grid)
        cp.end()
        dev.queue.submit([enc.finish()])
        dev.queue.read_buffer(buffers[4])   # waits for the submitted work

    run(1)   # warm-up: pipeline creation and first touch of the buffers
    return run


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=2048, help="output rows of the weight matrix")
    ap.add_argument("--k", type=int, default=2048, help="row length (a multiple of 256)")
    ap.add_argument("--reps", type=int, default=4, help="dispatches per timed submit")
    ap.add_argument("--repeat", type=int, default=3, help="timed submits; the best is kept")
    ap.add_argument("--types", default=",".join(QUANT_KERNELS), help="comma-separated ggml type names")
    ap.add_argument("--kernels", default=",".join(KERNELS), help=f"comma-separated, of: {', '.join(KERNELS)}")
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    a = ap.parse_args(argv)
    types = [t.strip() for t in a.types.split(",") if t.strip()]
    kernels = [n.strip() for n in a.kernels.split(",") if n.strip()]
    bad = [t for t in types if t not in QUANT_KERNELS] + [n for n in kernels if n not in KERNELS]
    if bad:
        ap.error(f"unknown type or kernel: {', '.join(bad)} (types: {', '.join(QUANT_KERNELS)}; "
                 f"kernels: {', '.join(KERNELS)})")
    if a.k % 256 or a.rows <= 0 or a.reps <= 0 or a.repeat <= 0:
        ap.error("--k must be a positive multiple of 256; --rows, --reps and --repeat positive")

    gpu = open_device()
    kernels = [n for n in kernels if KERNELS[n][2] is None or KERNELS[n][2] in gpu.plan_features]
    w = np.random.default_rng(0).standard_normal((a.rows, a.k)).astype(np.float32)
    runs, sizes = {}, {}
    for t in types:
        raw = quantize_rows(w, t)
        sizes[t] = len(raw)
        for n in kernels:
            kernel, tokens, _ = KERNELS[n]
            runs[t, n] = prepare(gpu, t, kernel, tokens, raw, a.rows, a.k)
    # Rounds over all (type, kernel) pairs, best time of each kept: a machine whose load changes during the
    # run slows every type alike instead of whichever ran at the wrong moment.
    best = {key: float("inf") for key in runs}
    for _ in range(a.repeat):
        for key, run in runs.items():
            start = time.perf_counter()
            run(a.reps)
            best[key] = min(best[key], (time.perf_counter() - start) / a.reps)
    results = {t: {"bytes_per_weight": sizes[t] / w.size,
                   "gb_s": {n: sizes[t] / best[t, n] / 1e9 for n in kernels}} for t in types}
    base = results.get("Q4_1")
    if a.json:
        print(json.dumps({"adapter": gpu.description, "rows": a.rows, "k": a.k, "results": results}, indent=1))
        return
    print(f"adapter: {gpu.description}; weights [{a.rows}, {a.k}]; GB/s of weight bytes (x Q4_1's)")
    print(f"{'type':8} {'B/weight':>8} " + " ".join(f"{n:>16}" for n in kernels))
    for t, r in results.items():
        cells = []
        for n in kernels:
            v = r["gb_s"][n]
            rel = f" ({v / base['gb_s'][n]:.2f}x)" if base else ""
            cells.append(f"{v:9.3f}{rel:>7}")
        print(f"{t:8} {r['bytes_per_weight']:8.4f} " + " ".join(f"{c:>16}" for c in cells))


if __name__ == "__main__":
    main()
