"""Every pipeline of the SmolLM2 and Gemma 3 plans compiles in Chromium's WebGPU (Tint + Dawn, SwiftShader
adapter) with the plan's constants: the kernels are portable to the browser, not only to wgpu's Naga.
Plans built with the adapter feature "subgroups" (matmul_subgroup.wgsl) compile with the `enable`
directives the extension's executor prepends from the pipelines' "enables"."""

import json

import pytest

from precis.model_plan import QUANT_KERNELS, build_plan, matmul_sources
from precis_build import browser
from precis_oracles.wgpu_executor import load_kernel_source

pytestmark = [pytest.mark.gpu, pytest.mark.browser]

COMPILE_ALL = """
const pipelines = arguments[0];
const done = arguments[arguments.length - 1];
(async () => {
  const adapter = await navigator.gpu.requestAdapter();
  const device = await adapter.requestDevice({requiredFeatures: ['subgroups'], requiredLimits: {
    maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize}});
  const errors = [];
  for (const p of pipelines) {
    device.pushErrorScope('validation');
    const module = device.createShaderModule({code: p.code});
    const info = await module.getCompilationInfo();
    for (const m of info.messages) if (m.type === 'error') errors.push(`${p.name}: ${m.lineNum}: ${m.message}`);
    try {
      await device.createComputePipelineAsync({layout: 'auto',
        compute: {module, entryPoint: p.entry, constants: p.constants}});
    } catch (e) { errors.push(`${p.name}: pipeline: ${e.message}`); }
    const err = await device.popErrorScope();
    if (err) errors.push(`${p.name}: ${err.message}`);
  }
  return {errors, count: pipelines.length};
})().then(done, (e) => done({errors: [String(e)], count: 0}));
"""


def test_all_plan_pipelines_compile_in_chromium(smollm2_gguf, gemma3_gguf):
    pipelines, seen = [], set()
    for g in (smollm2_gguf, gemma3_gguf):
        # Tiled plans use both matmul kernels: matmul.wgsl in decode, matmul_tiled.wgsl in prefill;
        # CPU-adapter plans (SwiftShader) use matmul_rowwise.wgsl for both.
        plans = [build_plan(g, context=64, tiled_prefill=True),
                 build_plan(g, context=64, tiled_prefill=False, rowwise_matmul=True),
                 build_plan(g, context=64, tiled_prefill=True, features=["subgroups"])]
        for p in (p for plan in plans for p in plan.pipelines):
            key = json.dumps([p.sources, p.entry, sorted(p.constants.items()), p.enables])
            if key not in seen:
                seen.add(key)
                directives = "".join(f"enable {e};\n" for e in p.enables)   # as webgpu_executor.js does
                pipelines.append({"name": "+".join(p.sources), "code": directives + load_kernel_source(p.sources),
                                  "entry": p.entry, "constants": p.constants})
    with browser.launch() as driver:
        driver.get(browser.extension_url("manifest.json"))   # any page of the extension: a secure context
        result = driver.execute_async_script(COMPILE_ALL, pipelines)
    assert result["errors"] == []
    assert result["count"] == len(pipelines) > 30
    assert sum(p["code"].startswith("enable subgroups;") for p in pipelines) >= 8   # both models' variants


def test_every_weight_type_compiles_in_chromium():
    """Every dequantizer in every kernel that reads weights (decode / per-row / subgroup / tiled matmul, gated
    and not, and embed) compiles in Tint, for the types the two models do not exercise as well."""
    pipelines = []
    for type_name, quant in sorted(QUANT_KERNELS.items()):
        k = 512
        variants = [("matmul.wgsl", {"K": k, "N": 37, "ROWS": 4, "TT": 8}, ()),
                    ("matmul.wgsl", {"K": k, "N": 37, "ROWS": 4, "TT": 1, "EPILOGUE": 2, "GATED": 1}, ()),
                    ("matmul_rowwise.wgsl", {"K": k, "N": 37, "TT": 8}, ()),
                    ("matmul_subgroup.wgsl", {"K": k, "N": 37, "ROWS": 4, "TT": 1}, ("subgroups",)),
                    ("matmul_tiled.wgsl", {"K": k, "N": 37, "EPILOGUE": 1}, ())]
        for kernel, constants, enables in variants:
            pipelines.append({"name": f"{type_name} {kernel} {constants}",
                              "code": "".join(f"enable {e};\n" for e in enables)
                              + load_kernel_source(matmul_sources(type_name, kernel)),
                              "entry": "main", "constants": constants})
        pipelines.append({"name": f"{type_name} embed.wgsl", "entry": "main",
                          "code": load_kernel_source(["bytes.wgsl", quant, "embed.wgsl"]),
                          "constants": {"HIDDEN": k, "ROW_COUNT": 19, "SCALE": 1.5}})
    with browser.launch() as driver:
        driver.get(browser.extension_url("manifest.json"))
        result = driver.execute_async_script(COMPILE_ALL, pipelines)
    assert result["errors"] == []
    assert result["count"] == len(pipelines) == 6 * len(QUANT_KERNELS)
