"""Per-kernel time of one plan step in headless Chromium's WebGPU (SwiftShader here): where a step goes there.

    python -m precis_build.profile_browser_plan [--step decode|prefill] [--tokens 16] [--pos 100]
                                                [--matmul rowwise|workgroup]

Builds the SmolLM2 plan as the extension does on a CPU adapter (per-row prefill; --matmul picks
matmul_rowwise.wgsl or matmul.wgsl), allocates its buffers zero-filled (timing does not depend on the weights'
values), sets the step uniform to `--tokens` tokens at position `--pos`, and runs each dispatch in its own
submission, twice, keeping the faster. Prints one JSON object: total ms, ms per kernel file and per dispatch
label (layer prefix removed). The per-submission wait adds a little to each of the ~275 dispatches.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict

from precis.gguf import open_gguf
from precis.model_plan import build_plan
from precis_build import browser
from precis_build.paths import DEFAULT_MODEL
from precis_oracles.wgpu_executor import load_kernel_source

JS = r"""
// arguments: pipelines {code, entry, constants}, buffers {size, uniform}, dispatches {p, b, wg}, step buffer index,
// step uniform values; resolves to each dispatch's ms.
const [pipes, bufs, disp, stepIdx, stepVals, done] = arguments;
(async () => {
  const adapter = await navigator.gpu.requestAdapter();
  const device = await adapter.requestDevice({requiredLimits: {
    maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize, maxBufferSize: adapter.limits.maxBufferSize}});
  const B = bufs.map((b) => device.createBuffer({size: Math.max(16, Math.ceil(b.size / 4) * 4), usage: b.uniform ? GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST : GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST}));
  device.queue.writeBuffer(B[stepIdx], 0, new Uint32Array(stepVals));
  const mods = new Map();
  const P = pipes.map((p) => { if (!mods.has(p.code)) mods.set(p.code, device.createShaderModule({code: p.code}));
    return device.createComputePipeline({layout: "auto", compute: {module: mods.get(p.code), entryPoint: p.entry, constants: p.constants}}); });
  const out = [];
  for (const d of disp) {
    const pipe = P[d.p];
    const bg = device.createBindGroup({layout: pipe.getBindGroupLayout(0), entries: d.b.map(([bi, b, off, size]) => ({binding: bi, resource: {buffer: B[b], offset: off, size}}))});
    let best = 1e9;
    for (let r = 0; r < 2; r++) {
      const enc = device.createCommandEncoder(); const cp = enc.beginComputePass();
      cp.setPipeline(pipe); cp.setBindGroup(0, bg); cp.dispatchWorkgroups(...d.wg); cp.end();
      const t = performance.now(); device.queue.submit([enc.finish()]); await device.queue.onSubmittedWorkDone();
      best = Math.min(best, performance.now() - t);
    }
    out.push(best);
  }
  return out;
})().then(done, (e) => done(String(e)));
"""


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default=str(DEFAULT_MODEL))
    ap.add_argument("--step", choices=["decode", "prefill"], default="decode")
    ap.add_argument("--tokens", type=int, default=16, help="prefill tokens (at most the chunk, 32)")
    ap.add_argument("--pos", type=int, default=100, help="position of the step's first token (keys attended)")
    ap.add_argument("--matmul", choices=["rowwise", "workgroup"], default="rowwise")
    a = ap.parse_args(argv)
    n_tok = 1 if a.step == "decode" else max(1, min(a.tokens, 32))
    plan = build_plan(open_gguf(a.model), chunk=32, context=max(512, a.pos + n_tok), tiled_prefill=False,
                      rowwise_matmul=a.matmul == "rowwise")
    pipes = [{"code": load_kernel_source(p.sources), "entry": p.entry, "constants": p.constants}
             for p in plan.pipelines]
    bufs = [{"size": b.size, "uniform": b.usage == "uniform"} for b in plan.buffers]
    dispatches = plan.steps[a.step].dispatches
    disp = [{"p": d.pipeline, "b": d.bindings, "wg": list(d.workgroups) + [1] * (3 - len(d.workgroups))}
            for d in dispatches]
    with browser.launch() as driver:
        driver.set_script_timeout(1800)
        driver.get(browser.extension_url("manifest.json"))   # any extension page: a secure context
        ms = driver.execute_async_script(JS, pipes, bufs, disp, plan.io["step"], [a.pos, n_tok, a.pos + n_tok, 0])
    if isinstance(ms, str):
        print(f"error: the browser failed: {ms}", file=sys.stderr)
        return 2
    by_kernel, by_label = defaultdict(float), defaultdict(float)
    for d, t in zip(dispatches, ms):
        by_kernel[plan.pipelines[d.pipeline].sources[-1]] += t
        by_label[re.sub(r"^blk\.\d+\.", "", d.label)] += t
    rnd = lambda m: {k: round(v, 1) for k, v in sorted(m.items(), key=lambda kv: -kv[1])}
    print(json.dumps({"where": "headless Chromium WebGPU", "step": a.step, "tokens": n_tok, "pos": a.pos,
                      "matmul": a.matmul, "total_ms": round(sum(ms), 1), "by_kernel_ms": rnd(by_kernel),
                      "by_label_ms": rnd(by_label)}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
