"""precis.device_choice: which device runs the model, from precis.adapter's description of the adapter and the
request's setting; the CPU device's spec."""

import pytest

from precis.adapter import describe_adapter
from precis.device_choice import DeviceChoiceError, choose_device, cpu_spec, cpu_threads, kv_type
from precis.gguf import open_gguf

# GPUAdapterInfo as Chromium reports it here (headless, --enable-unsafe-webgpu): SwiftShader, flagged as the
# fallback adapter; and as a real GPU reports it.
SWIFTSHADER = describe_adapter({"available": True, "isFallbackAdapter": True,
                                "info": {"vendor": "google", "architecture": "swiftshader"}})
NVIDIA = describe_adapter({"available": True, "isFallbackAdapter": False,
                           "info": {"vendor": "nvidia", "architecture": "hopper", "description": "NVIDIA H200"}})
NO_ADAPTER = describe_adapter({"available": False, "reason": "WebGPU is present but no GPU adapter was found."})


@pytest.mark.parametrize("info", [
    {"vendor": "google", "architecture": "swiftshader"},                        # SwiftShader, not flagged
    {"vendor": "mesa", "description": "llvmpipe (LLVM 15.0.6, 256 bits)"},       # a GL/Vulkan software driver
    {"vendor": "mesa", "device": "lavapipe"},
    {"vendor": "microsoft", "description": "Microsoft Basic Render Driver"},     # WARP on Windows
])
def test_software_renderers_that_the_browser_does_not_flag_are_still_cpu(info):
    adapter = describe_adapter({"available": True, "isFallbackAdapter": False, "info": info})
    assert adapter["cpu"] and choose_device(adapter)["kind"] == "cpu"


def test_auto_runs_our_wgsl_on_a_real_gpu_and_the_cpu_device_otherwise():
    assert choose_device(NVIDIA, "auto")["kind"] == "webgpu"
    on_swiftshader = choose_device(SWIFTSHADER, "auto", hardware_concurrency=4, cross_origin_isolated=True)
    assert on_swiftshader == {"kind": "cpu", "reason": "google swiftshader is a CPU emulation of a GPU", "threads": 2}
    without = choose_device(NO_ADAPTER, "auto", hardware_concurrency=4, cross_origin_isolated=True)
    assert without["kind"] == "cpu" and "no GPU adapter was found" in without["reason"]
    assert choose_device(None)["kind"] == "cpu"


def test_the_setting_forces_a_device():
    assert choose_device(NVIDIA, "cpu", hardware_concurrency=8, cross_origin_isolated=True)["kind"] == "cpu"
    assert choose_device(SWIFTSHADER, "gpu")["kind"] == "webgpu"   # asked for: our WGSL on SwiftShader
    with pytest.raises(DeviceChoiceError, match="WebGPU is not available here: WebGPU is present but no GPU") as e:
        choose_device(NO_ADAPTER, "gpu")
    assert e.value.kind == "unsupported"
    with pytest.raises(DeviceChoiceError, match="unknown device setting 'tpu'"):
        choose_device(NVIDIA, "tpu")
    assert choose_device(NVIDIA, "")["kind"] == "webgpu"            # empty: auto


def test_threads_are_half_the_cores_but_two_of_two_and_need_cross_origin_isolation():
    assert cpu_threads(1, True) == 1
    assert cpu_threads(2, True) == 2
    assert cpu_threads(3, True) == 2
    assert cpu_threads(4, True) == 2
    assert cpu_threads(8, True) == 4
    assert cpu_threads(64, True) == 8
    assert cpu_threads(16, False) == 1       # no SharedArrayBuffer: the single-threaded build
    assert cpu_threads(None, True) == 1
    assert cpu_threads("x", True) == 1


class _Header:
    """What cpu_spec reads of a GGUF header: the architecture's values and the file's size."""

    def __init__(self, file_size, **values):
        self.file_size = file_size
        self.values = values

    def arch_value(self, key, default=None):
        return self.values.get(key, default)


def test_the_cpu_spec_caps_the_context_and_refuses_what_the_wasm_heap_cannot_hold(smollm2_path):
    choice = {"kind": "cpu", "reason": "r", "threads": 2}
    gguf = open_gguf(smollm2_path)
    assert cpu_spec(gguf, choice, None, 4096) == {"kind": "cpu", "context": 4096, "kv_type": "q8_0", "threads": 2,
                                                   "batch": 64, "topk": 64, "reason": "r", "fallback": False}
    assert cpu_spec(gguf, choice, 100000, 4096)["context"] == 8192     # the model's own context
    # A 3.5 GiB file with 32 layers of 8 KV heads of 128: 68 KiB of q8_0 KV a position; 4,096 fit, 8,192 not.
    big = _Header(3584 << 20, context_length=32768, block_count=32, embedding_length=4096, **{
        "attention.head_count": 32, "attention.head_count_kv": 8, "attention.key_length": 128})
    assert cpu_spec(big, choice, 4096, 4096)["context"] == 4096
    with pytest.raises(DeviceChoiceError, match="do not fit the CPU device's 4 GiB") as e:
        cpu_spec(big, choice, 8192, 4096)
    assert e.value.kind == "out_of_memory"


def test_the_cpu_spec_refuses_a_model_over_the_memory_budget_before_anything_loads(smollm2_path):
    """The budget the worker sends (half the machine's memory, less what other windows' engines hold)
    binds the CPU device too: file + q8_0 KV cache over it is refused with the sizes and the way out."""
    choice = {"kind": "cpu", "reason": "r", "threads": 2}
    gguf = open_gguf(smollm2_path)
    # SmolLM2-135M: 30 layers of 3 KV heads of 64: 11.95 KiB of q8_0 KV a position (34 bytes per 32), 48 MiB for 4,096.
    need = gguf.file_size + 2 * 30 * 3 * 64 * 4096 * 34 // 32
    assert cpu_spec(gguf, choice, 4096, 4096, memory_budget=need)["context"] == 4096
    with pytest.raises(DeviceChoiceError, match=r"KV cache for 4096 positions \(48 MiB\) need more than the "
                                                r"\d+ MiB of memory this browser can give now") as e:
        cpu_spec(gguf, choice, 4096, 4096, memory_budget=need - 1)
    assert e.value.kind == "out_of_memory"
    assert cpu_spec(gguf, choice, 1024, 4096, memory_budget=need - 1)["context"] == 1024   # a smaller context fits


def test_the_kv_cache_is_q8_0_where_the_heads_are_whole_blocks():
    whole = _Header(1 << 20, block_count=2, embedding_length=256, **{"attention.head_count": 4})   # heads of 64
    odd = _Header(1 << 20, block_count=2, embedding_length=80, **{"attention.head_count": 4})     # heads of 20
    assert kv_type(whole) == "q8_0" and kv_type(odd) == "f16"
    choice = {"kind": "cpu", "reason": "r", "threads": 2}
    assert cpu_spec(odd, choice, 16, 16)["kv_type"] == "f16"


def test_the_engine_applies_the_budget_to_the_cpu_device(smollm2_path):
    """Engine.prepare with the CPU device: the budget the worker asks, else half the machine's memory
    (navigator.deviceMemory) less what other windows' engines hold, refuses the model with out_of_memory
    before anything is prepared."""
    from precis.engine import Engine, EngineError
    from precis.memory import cpu_memory_budget

    assert cpu_memory_budget(8, 0) == 4 << 30 and cpu_memory_budget(8, 3 << 30) == 1 << 30
    assert cpu_memory_budget(1, 4 << 30) == 1                 # others hold it all: nothing fits
    assert cpu_memory_budget(None, 5) is None and cpu_memory_budget("x") is None

    data = smollm2_path.read_bytes()
    engine = Engine()
    engine.set_adapter({"available": False}, device_memory_gib=0.25)          # 128 MiB for this engine
    assert engine.prepare(data, len(data), "m.gguf", device="cpu", context=1024)["spec"]["kind"] == "cpu"
    with pytest.raises(EngineError, match="need more than the 100 MiB") as e:   # the worker's budget
        engine.prepare(data, len(data), "m.gguf", device="cpu", context=1024, memory_budget=100 << 20)
    assert e.value.kind == "out_of_memory"
    # Another window's engine holds 64 MiB: 64 MiB are left, too few for this model.
    with pytest.raises(EngineError, match="need more than the 64 MiB"):
        engine.prepare(data, len(data), "m.gguf", device="cpu", context=1024, others_bytes=64 << 20)
    engine.set_adapter({"available": False})                                   # memory unknown: no budget
    assert engine.prepare(data, len(data), "m.gguf", device="cpu", context=1024,
                          others_bytes=64 << 20)["spec"]["kind"] == "cpu"
