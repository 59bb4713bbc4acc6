"""matmul_subgroup.wgsl executed in Chromium's WebGPU (Tint + Dawn, SwiftShader adapter, which has the
"subgroups" feature) on random Q4_1 / Q8_0 weights, against gguf-py's dequantize and a float64 numpy
product; the module gets `enable subgroups;` the way the extension's executor prepends it."""

import base64
import math

import numpy as np
import pytest

from precis.model_plan import matmul_sources
from precis_build import browser
from precis_oracles.wgpu_executor import load_kernel_source

from kernel_harness import step_bytes
from test_quant_kernels import random_tensor

pytestmark = [pytest.mark.gpu, pytest.mark.browser]

# One dispatch: arguments[0] = {code, constants, uniform (base64), storage: [base64...], workgroups, out};
# returns the base64 contents of storage binding `out` (binding index), or {error}.
RUN_ONE = """
const job = arguments[0];
const done = arguments[arguments.length - 1];
const bytes = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
(async () => {
  const adapter = await navigator.gpu.requestAdapter();
  if (!adapter.features.has('subgroups')) return {error: 'adapter lacks subgroups'};
  const device = await adapter.requestDevice({requiredFeatures: ['subgroups']});
  device.pushErrorScope('validation');
  const module = device.createShaderModule({code: job.code});
  const info = await module.getCompilationInfo();
  const errors = info.messages.filter((m) => m.type === 'error').map((m) => `${m.lineNum}: ${m.message}`);
  if (errors.length) return {error: errors.join('; ')};
  const pipe = await device.createComputePipelineAsync({layout: 'auto',
    compute: {module, entryPoint: 'main', constants: job.constants}});
  const make = (data, usage) => {
    const buf = device.createBuffer({size: Math.max(4, data.length), usage: usage | GPUBufferUsage.COPY_DST});
    device.queue.writeBuffer(buf, 0, data);
    return buf;
  };
  const S = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC;
  const buffers = [make(bytes(job.uniform), GPUBufferUsage.UNIFORM), ...job.storage.map((b) => make(bytes(b), S))];
  const group = device.createBindGroup({layout: pipe.getBindGroupLayout(0),
    entries: buffers.map((buffer, binding) => ({binding, resource: {buffer}}))});
  const out = buffers[job.out];
  const read = device.createBuffer({size: out.size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST});
  const enc = device.createCommandEncoder();
  const pass = enc.beginComputePass();
  pass.setPipeline(pipe);
  pass.setBindGroup(0, group);
  pass.dispatchWorkgroups(...job.workgroups);
  pass.end();
  enc.copyBufferToBuffer(out, 0, read, 0, out.size);
  device.queue.submit([enc.finish()]);
  await read.mapAsync(GPUMapMode.READ);
  const result = new Uint8Array(read.getMappedRange().slice(0));
  const err = await device.popErrorScope();
  if (err) return {error: err.message};
  let s = '';
  for (let i = 0; i < result.length; i += 8192) s += String.fromCharCode(...result.subarray(i, i + 8192));
  return {out: btoa(s), subgroupMin: adapter.info.subgroupMinSize, subgroupMax: adapter.info.subgroupMaxSize};
})().then(done, (e) => done({error: String(e)}));
"""

# (type, tokens per workgroup, active tokens, epilogue, gated): decode shapes and one prefill-like shape.
CASES = [("Q4_1", 1, 1, 0, False), ("Q8_0", 1, 1, 1, False), ("Q4_1", 4, 7, 2, False),
         ("Q8_0", 1, 1, 2, True), ("Q4_1", 1, 1, 3, True)]


def b64(a) -> str:
    raw = a.tobytes() if isinstance(a, np.ndarray) else bytes(a)
    return base64.b64encode(raw + bytes(-len(raw) % 4)).decode()


def test_subgroup_matmul_matches_numpy_in_chromium():
    rng = np.random.default_rng(4)
    jobs, expected = [], []
    n, k, max_tokens = 37, 5 * 32, 8          # 37 output rows: odd, not a multiple of the 4-row tile
    for type_name, tt, n_tokens, epilogue, gated in CASES:
        raw, w = random_tensor(type_name, 2 * n if gated else n, k, rng)
        x = rng.standard_normal((max_tokens, k)).astype(np.float32)
        y0 = rng.standard_normal((max_tokens, n)).astype(np.float32)
        gate = rng.standard_normal((max_tokens, n)).astype(np.float32)
        code = "enable subgroups;\n" + load_kernel_source(matmul_sources(type_name, "matmul_subgroup.wgsl"))
        rows = 2 if gated else 4
        jobs.append({"code": code, "constants": {"K": k, "N": n, "ROWS": 4, "TT": tt, "EPILOGUE": epilogue,
                                                 "GATED": int(gated)},
                     "uniform": b64(step_bytes(0, n_tokens)), "storage": [b64(raw), b64(x), b64(y0), b64(gate)],
                     "workgroups": [math.ceil(n / rows), math.ceil(max_tokens / tt), 1], "out": 3})
        xs = x[:n_tokens].astype(np.float64)
        acc = xs @ w.T
        g = gate[:n_tokens].astype(np.float64)
        if gated:                               # W = gate rows then up rows: Y = act(gate) * up
            g, acc = acc[:, :n], acc[:, n:]
        act = {0: 1.0, 1: 1.0, 2: g / (1 + np.exp(-g)),
               3: 0.5 * g * (1 + np.tanh(math.sqrt(2 / math.pi) * (g + 0.044715 * g ** 3)))}[epilogue]
        exp = y0[:n_tokens] + acc if epilogue == 1 else acc * act
        # f32 sums over k = 160 terms: relative 1e-5 of the largest row L1 norm (as the lavapipe tests).
        tol = 1e-5 * (np.abs(xs) @ np.abs(w).T).max() + 1e-6
        expected.append((n_tokens, exp, tol))
    with browser.launch() as driver:
        driver.get(browser.extension_url("manifest.json"))   # any extension page: a secure context
        results = [driver.execute_async_script(RUN_ONE, job) for job in jobs]
    for (type_name, *_), result, (n_tokens, exp, tol) in zip(CASES, results, expected):
        assert "error" not in result, f"{type_name}: {result.get('error')}"
        y = np.frombuffer(base64.b64decode(result["out"]), dtype=np.float32)[:max_tokens * n].reshape(max_tokens, n)
        np.testing.assert_allclose(y[:n_tokens], exp, rtol=1e-4, atol=tol, err_msg=type_name)
