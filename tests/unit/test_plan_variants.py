"""Kernel variants picked from the adapter's features (precis.model_plan.build_plan(features=...)), without
a GPU: the default plan is the f32 one, unchanged; "subgroups" swaps the per-row matmul for
matmul_subgroup.wgsl and marks its pipelines with "enables"; plans without the field still load."""

import json

import pytest

from precis.adapter import plan_for_adapter
from precis.model_plan import build_plan
from precis.plan import Plan, PlanBuilder, PlanError

SWIFTSHADER_FEATURES = ["subgroups", "subgroup-size-control", "timestamp-query"]


def kernels(plan, step):
    return [plan.pipelines[d.pipeline].sources[-1] for d in plan.steps[step].dispatches]


def test_no_features_is_the_f32_plan_with_no_enables(smollm2_gguf):
    plan = build_plan(smollm2_gguf, context=64)
    text = plan.to_json()
    assert '"enables"' not in text and "features" not in plan.model
    assert plan.required_features() == []
    # Features that pick nothing leave the plan byte for byte as it was.
    assert build_plan(smollm2_gguf, context=64, features=["timestamp-query"]).to_json() == text


def test_subgroups_pick_the_subgroup_matmul_for_decode(smollm2_gguf):
    f32 = build_plan(smollm2_gguf, context=64)
    sg = build_plan(smollm2_gguf, context=64, features=SWIFTSHADER_FEATURES)
    decode = kernels(sg, "decode")
    # Every decode matmul (7 per layer, fused QKV and gate|up: 4 dispatches, + the output head) is swapped.
    assert decode.count("matmul_subgroup.wgsl") == kernels(f32, "decode").count("matmul.wgsl") == 30 * 4 + 1
    assert "matmul.wgsl" not in decode
    assert all(p.enables == ["subgroups"] for p in sg.pipelines if p.sources[-1] == "matmul_subgroup.wgsl")
    assert all(p.enables == [] for p in sg.pipelines if p.sources[-1] != "matmul_subgroup.wgsl")
    assert sg.required_features() == ["subgroups"] == sg.model["features"]
    # Same dispatch grid and bindings: only the kernel file changed.
    for a, b in zip(f32.steps["decode"].dispatches, sg.steps["decode"].dispatches):
        assert (a.bindings, a.workgroups) == (b.bindings, b.workgroups)


def test_rowwise_cpu_plans_ignore_subgroups(smollm2_gguf):
    plan = build_plan(smollm2_gguf, context=64, tiled_prefill=False, rowwise_matmul=True,
                      features=SWIFTSHADER_FEATURES)
    assert plan.required_features() == []
    assert "matmul_subgroup.wgsl" not in kernels(plan, "decode") + kernels(plan, "prefill")


def test_enables_survive_json_and_older_plans_still_load(smollm2_gguf):
    sg = build_plan(smollm2_gguf, context=64, features=["subgroups"])
    again = Plan.from_json(sg.to_json())
    assert [p.enables for p in again.pipelines] == [p.enables for p in sg.pipelines]
    old = json.loads(build_plan(smollm2_gguf, context=64).to_json())
    assert all("enables" not in p for p in old["pipelines"])     # the format before the field existed
    assert Plan.from_dict(old).required_features() == []


def test_browser_planner_passes_the_adapter_features(smollm2_gguf):
    limits = {"maxStorageBufferBindingSize": 1 << 30, "maxBufferSize": 1 << 30}
    gpu = plan_for_adapter(smollm2_gguf, {"limits": limits, "features": SWIFTSHADER_FEATURES}, context=64)
    assert gpu.required_features() == ["subgroups"]
    cpu = plan_for_adapter(smollm2_gguf, {"limits": limits, "features": SWIFTSHADER_FEATURES, "cpu": True},
                           context=64)
    assert cpu.required_features() == []


def test_unknown_enable_is_a_plan_error():
    b = PlanBuilder()
    with pytest.raises(PlanError, match="unknown WGSL enable 'chromium_experimental_x'"):
        b.pipeline(["matmul.wgsl"], {}, enables=("chromium_experimental_x",))


def test_shader_f16_stores_the_kv_cache_as_f16(smollm2_gguf):
    f32 = build_plan(smollm2_gguf, context=64)
    f16 = build_plan(smollm2_gguf, context=64, features=["shader-f16"])
    # SmolLM2: 3 kv heads x 64 dims, 64 positions: 4 bytes per value in f32, 2 in f16.
    assert f32.buffer("kv.0.k").size == 64 * 3 * 64 * 4
    assert f16.buffer("kv.0.k").size == f16.buffer("kv.29.v").size == 64 * 3 * 64 * 2
    assert f16.total_bytes() == f32.total_bytes() - 30 * 2 * 64 * 3 * 64 * 2
    kv_pipes = [p for p in f16.pipelines if p.sources[-1] in ("rope_kv.wgsl", "attention.wgsl")]
    assert kv_pipes and all(p.sources[0] == "kv_f16.wgsl" and p.enables == ["f16"] for p in kv_pipes)
    assert all(p.sources[0] == "kv_f32.wgsl" and p.enables == [] for p in f32.pipelines
               if p.sources[-1] in ("rope_kv.wgsl", "attention.wgsl"))
    assert f16.required_features() == ["shader-f16"]
    both = build_plan(smollm2_gguf, context=64, features=["shader-f16", "subgroups"])
    assert both.required_features() == ["shader-f16", "subgroups"] == both.model["features"]


def test_f16_kv_cache_fits_twice_the_context_under_a_binding_limit(smollm2_gguf):
    limit = 3 * 64 * 4 * 1000                       # one layer's f32 cache of 1000 positions
    with pytest.raises(PlanError, match="KV cache"):
        build_plan(smollm2_gguf, context=2000, max_binding=limit)
    assert build_plan(smollm2_gguf, context=2000, max_binding=limit, features=["shader-f16"]).model["context"] == 2000
