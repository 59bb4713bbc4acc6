"""precis.device_choice: which device runs the model, from the adapter's plain description and the setting."""

import pytest

from precis.device_choice import DeviceChoiceError, adapter_is_cpu, choose_device, cpu_threads

# GPUAdapterInfo as Chromium reports it here (headless, --enable-unsafe-webgpu): SwiftShader, flagged as the
# fallback adapter; and as a real GPU reports it.
SWIFTSHADER = {"available": True, "name": "google swiftshader", "vendor": "google", "architecture": "swiftshader",
               "device": "", "description": "", "isFallbackAdapter": True}
NVIDIA = {"available": True, "name": "NVIDIA H200", "vendor": "nvidia", "architecture": "hopper",
          "device": "", "description": "NVIDIA H200", "isFallbackAdapter": False}
NO_ADAPTER = {"available": False, "reason": "WebGPU is present but no GPU adapter was found."}


def test_the_browsers_fallback_flag_marks_a_cpu_adapter_whatever_its_name():
    assert adapter_is_cpu({**NVIDIA, "isFallbackAdapter": True})
    assert adapter_is_cpu(SWIFTSHADER)
    assert not adapter_is_cpu(NVIDIA)


@pytest.mark.parametrize("info", [
    {"vendor": "google", "architecture": "swiftshader"},                        # SwiftShader, not flagged
    {"vendor": "mesa", "description": "llvmpipe (LLVM 15.0.6, 256 bits)"},       # a GL/Vulkan software driver
    {"vendor": "mesa", "device": "lavapipe"},
    {"vendor": "microsoft", "description": "Microsoft Basic Render Driver"},     # WARP on Windows
])
def test_software_renderers_that_the_browser_does_not_flag_are_still_cpu(info):
    assert adapter_is_cpu({"available": True, "isFallbackAdapter": False, **info})


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


def test_threads_are_half_the_cores_and_need_cross_origin_isolation():
    assert cpu_threads(2, True) == 1
    assert cpu_threads(8, True) == 4
    assert cpu_threads(64, True) == 8
    assert cpu_threads(16, False) == 1       # no SharedArrayBuffer: the single-threaded build
    assert cpu_threads(None, True) == 1
    assert cpu_threads("x", True) == 1
