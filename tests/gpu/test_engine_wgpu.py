"""precis.engine driving the wgpu-py device (precis_oracles.wgpu_executor.WgpuDevice) on lavapipe: the same
planning path as the browser (the adapter's raw report -> precis.adapter -> the plan, memory check, spec),
weights streamed from the file in slices; the greedy tokens equal the numpy reference's."""

import pytest

from precis.engine import Engine
from precis_build.paths import SMOLLM2_MODEL

pytestmark = pytest.mark.gpu

PROMPT = [1, 504, 3458, 314, 3575, 30, 2]   # fixed ids: a short chat-like prompt


def test_the_engine_runs_on_the_wgpu_device(smollm2_gguf):
    from precis_oracles.reference.model import ReferenceModel
    from precis_oracles.wgpu_executor import WgpuDevice, adapter_report, open_device

    gpu = open_device()
    engine = Engine()
    adapter = engine.set_adapter(adapter_report(gpu))
    assert adapter["available"] and adapter["cpu"] == gpu.is_cpu
    data = SMOLLM2_MODEL.read_bytes()
    prepared = engine.prepare(data[:4 << 20], len(data), SMOLLM2_MODEL.name, "package", context=64, chunk=4,
                              device="gpu")   # "auto" gives lavapipe to the CPU device
    device = WgpuDevice.create(prepared["spec"], SMOLLM2_MODEL, gpu)
    try:
        engine.commit(device)
        result = engine.greedy(PROMPT, 3)
    finally:
        device.close()
    assert result["ids"] == ReferenceModel.from_gguf(smollm2_gguf).greedy(PROMPT, 3)
    assert result["prompt_tokens"] == len(PROMPT)
