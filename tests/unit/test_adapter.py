"""precis.adapter and precis.memory on CPython: the adapter's description from JS's raw report, planning from a
header-only prefix with the adapter's limits, and the memory check that runs before anything is allocated.
(The device itself runs in tests/browser/test_webgpu_engine.py, in Chromium.)"""

import pytest

from precis.adapter import describe_adapter, plan_for_adapter
from precis.memory import DoesNotFit, check_fits, device_requirements, estimate
from precis.gguf import GGUFError, open_gguf
from precis.plan import PlanError
from precis_build.paths import SMOLLM2_MODEL

MiB = 1 << 20


@pytest.fixture(scope="module")
def header():
    """What the browser has before the weights stream: a prefix of the file and the file's size."""
    data = SMOLLM2_MODEL.read_bytes()
    return data[:4 * MiB], len(data)


def test_plan_from_a_header_prefix_uses_the_adapters_binding_limit(header):
    prefix, size = header
    g = open_gguf(prefix, file_size=size)
    plan = plan_for_adapter(g, {"limits": {"maxStorageBufferBindingSize": 16 * MiB, "maxBufferSize": 1024 * MiB}},
                            context=512)
    assert plan.model["max_binding"] == 16 * MiB and plan.model["context"] == 512
    # token_embd (Q8_0, 49152 x 576: 30 MB) no longer fits one binding: it is split into row shards
    # that cover the tensor exactly, each within the limit.
    emb = g.tensors["token_embd.weight"]
    shards = [b for b in plan.buffers if b.kind == "weight" and b.tensor == "token_embd.weight"]
    assert len(shards) == 2
    assert all(b.size <= 16 * MiB for b in shards)
    assert shards[0].file_offset == emb.offset
    assert sum(b.nbytes for b in shards) == emb.nbytes
    assert all(off + n <= size for b in plan.buffers if b.kind == "weight" for _, off, n in b.weight_parts())


def test_default_context_and_cpu_adapters(header):
    g = open_gguf(header[0], file_size=header[1])
    gpu_plan = plan_for_adapter(g, None)
    cpu_plan = plan_for_adapter(g, {"cpu": True})
    assert gpu_plan.model["context"] == 4096                      # the model's 8192, capped
    assert plan_for_adapter(g, None, context=100_000).model["context"] == 8192
    sources = lambda plan: {s for p in plan.pipelines for s in p.sources}
    assert "matmul_tiled.wgsl" in sources(gpu_plan)
    assert "matmul_tiled.wgsl" not in sources(cpu_plan)           # SwiftShader keeps the per-row kernel
    assert "matmul_rowwise.wgsl" in sources(cpu_plan) and "matmul.wgsl" not in sources(cpu_plan)
    assert "matmul_rowwise.wgsl" not in sources(gpu_plan)


def test_a_prefix_too_short_or_a_truncated_file_is_a_gguf_error(header):
    prefix, size = header
    with pytest.raises(GGUFError, match="truncated file"):
        open_gguf(prefix[:100_000], file_size=size)
    with pytest.raises(GGUFError, match="runs past the end of the file"):
        open_gguf(prefix, file_size=20 * MiB)


def test_an_impossible_context_is_a_plan_error(header):
    g = open_gguf(header[0], file_size=header[1])
    with pytest.raises(PlanError, match="context"):
        plan_for_adapter(g, None, context=0)


# What Chromium's SwiftShader reports here (adapterReport() in webgpu_executor.js), cut to what matters.
SWIFTSHADER = {"available": True, "info": {"vendor": "google", "architecture": "swiftshader", "device": "",
                                            "description": "SwiftShader Device (Subzero)"},
               "isFallbackAdapter": False, "features": ["timestamp-query", "subgroups"],
               "limits": {"maxStorageBufferBindingSize": 1 << 30, "maxBufferSize": 1 << 30,
                          "maxStorageBuffersPerShaderStage": 10}, "deviceMemoryGiB": 8}
NVIDIA = {"available": True, "info": {"vendor": "nvidia", "architecture": "ampere", "device": "",
                                       "description": ""}, "features": ["subgroups", "shader-f16"],
          "limits": {"maxStorageBufferBindingSize": 2 << 30, "maxBufferSize": 2 << 30,
                     "maxStorageBuffersPerShaderStage": 8}}


def test_the_adapter_description_decides_cpu_name_features_and_budget():
    sw = describe_adapter(SWIFTSHADER)
    assert sw["available"] and sw["cpu"] and sw["name"] == "SwiftShader Device (Subzero)"
    assert sw["features"] == ["subgroups", "timestamp-query"]
    assert sw["memory_budget"] == 4 << 30              # half of the machine's 8 GiB
    gpu = describe_adapter(NVIDIA)
    assert not gpu["cpu"] and gpu["name"] == "nvidia ampere" and "memory_budget" not in gpu
    assert describe_adapter({"available": False, "reason": "no adapter"}) == {"available": False,
                                                                              "reason": "no adapter"}
    assert describe_adapter({**NVIDIA, "isFallbackAdapter": True})["cpu"]


def test_memory_estimate_is_the_sum_of_the_plans_buffers(header):
    g = open_gguf(header[0], file_size=header[1])
    plan = plan_for_adapter(g, describe_adapter(SWIFTSHADER), context=1024)
    sizes = estimate(plan)
    assert sizes["total"] == sum(b.size for b in plan.buffers) + plan.topk * 8
    assert sizes["weights"] == plan.weight_bytes()
    # 30 layers x K and V x 1024 positions x 3 kv heads x 64 x 4 bytes (f32 cache: no shader-f16 here)
    assert sizes["kv"] == 30 * 2 * 1024 * 3 * 64 * 4
    needs = device_requirements(plan, describe_adapter(SWIFTSHADER))
    assert needs["requiredLimits"]["maxStorageBufferBindingSize"] == 1 << 30
    assert needs["requiredLimits"]["maxStorageBuffersPerShaderStage"] == 8
    assert needs["requiredFeatures"] == []              # CPU adapters get the f32 rowwise plan


def test_a_model_that_does_not_fit_names_the_sizes(header):
    g = open_gguf(header[0], file_size=header[1])
    adapter = dict(describe_adapter(SWIFTSHADER), memory_budget=150 * MiB)
    small = plan_for_adapter(g, adapter, context=256)
    assert check_fits(small, adapter)["total"] < 150 * MiB
    big = plan_for_adapter(g, adapter, context=8192)    # + 360 MiB of KV cache
    with pytest.raises(DoesNotFit) as failure:
        check_fits(big, adapter)
    message = str(failure.value)
    assert "context of 8192 tokens" in message and "KV cache 360.0 MiB" in message
    assert "over the 150.0 MiB this device can give" in message
    narrow = dict(adapter, limits={"maxBufferSize": 16 * MiB, "maxStorageBufferBindingSize": 16 * MiB})
    with pytest.raises(DoesNotFit, match="buffer"):
        check_fits(plan_for_adapter(g, describe_adapter(SWIFTSHADER), context=256), narrow)
