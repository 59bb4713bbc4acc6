"""Per-kernel time of one plan step on the wgpu adapter (lavapipe here): where a decode or prefill step goes.

    python -m precis_build.profile_plan [--step decode|prefill] [--tokens 16] [--reps 3] [--matmul auto|rowwise|workgroup]

Runs every dispatch of the step in its own submission and waits for it (so the figures add up to more than a
normal step, which is one submission): prints one JSON object with the total ms per kernel file and per
dispatch label group (attn_qkv, ffn_gate_up, output, ...), the smallest of --reps runs of each dispatch.
"""

from __future__ import annotations

import argparse
import json
import re
import struct
import time
from collections import defaultdict

from precis.gguf import open_gguf
from precis_build.paths import DEFAULT_MODEL
from precis_oracles.wgpu_executor import WgpuModel, open_device


def profile(model: WgpuModel, step: str, n_tokens: int, reps: int) -> dict:
    ex = model.executor
    max_tokens, encoded = ex.steps[step]
    n = 1 if step == "decode" else min(n_tokens, max_tokens)
    q = ex.device.queue
    ex.run([1] * n, 0, step)   # warm: fills the KV cache and compiles everything
    q.write_buffer(ex.buffers[ex.plan.io["step"]], 0, struct.pack("<4I", 0, n, n, 0))
    dispatches = ex.plan.steps[step].dispatches
    by_kernel, by_label = defaultdict(float), defaultdict(float)
    for (pipe, group, wg), d in zip(encoded, dispatches):
        best = float("inf")
        for _ in range(reps):
            enc = ex.device.create_command_encoder()
            cp = enc.begin_compute_pass()
            cp.set_pipeline(pipe)
            cp.set_bind_group(0, group)
            cp.dispatch_workgroups(*wg)
            cp.end()
            t = time.perf_counter()
            q.submit([enc.finish()])
            q.read_buffer(ex.buffers[ex.plan.io["topk"]])   # waits for the dispatch
            best = min(best, time.perf_counter() - t)
        by_kernel[ex.plan.pipelines[d.pipeline].sources[-1]] += best * 1e3
        by_label[re.sub(r"^blk\.\d+\.", "", d.label)] += best * 1e3
    rnd = lambda m: {k: round(v, 1) for k, v in sorted(m.items(), key=lambda kv: -kv[1])}
    return {"adapter": ex.gpu.description, "step": step, "tokens": n, "total_ms": round(sum(by_kernel.values()), 1),
            "by_kernel_ms": rnd(by_kernel), "by_label_ms": rnd(by_label)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default=str(DEFAULT_MODEL))
    ap.add_argument("--step", choices=["decode", "prefill"], default="decode")
    ap.add_argument("--tokens", type=int, default=16, help="prefill tokens (at most the chunk, 32)")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--matmul", choices=["auto", "rowwise", "workgroup"], default="auto",
                    help="per-row matmul kernel: auto (rowwise on CPU adapters), matmul_rowwise or matmul.wgsl")
    a = ap.parse_args(argv)
    rowwise = {"auto": None, "rowwise": True, "workgroup": False}[a.matmul]
    model = WgpuModel.from_gguf(open_gguf(a.model), chunk=32, context=256, gpu=open_device(), rowwise_matmul=rowwise)
    print(json.dumps(profile(model, a.step, a.tokens, a.reps), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
