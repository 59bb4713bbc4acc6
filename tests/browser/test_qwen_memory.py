"""The real Qwen2.5-Coder 1.5B file in the extension (headless Chromium) on the CPU device (llama.cpp in WebAssembly),
at the engine's default context: it loads and generates 3 greedy tokens, and the browser holds one copy of its weights
(PSS summed over every process, sampled by bench_browser.PssSampler through the load and the generation, less the
booted engine's PSS with no model, stays under 1.5x the file's bytes: a second copy anywhere would make it 2x).

Issue 18's own bound (1.25x + 100 MiB, bench_browser.memory_bound) is printed by bench_browser beside this figure, not
asserted: measured here the peak is 1,379 to 1,427 MiB against 1,432 with the CPU device's q8_0 KV cache (1,398 to
1,461 with f16), of which a spike of about 100 MiB in the first decode is V8's optimizing compiler at work on
llama.cpp's two largest wasm functions; a machine under load may see more. Before model_source.js read packaged files by Range requests, the file was
read whole into a Blob first and the browser crashed at 1 GiB. WebGPU (SwiftShader) is covered by `python -m precis_build.bench_browser --model
qwen2.5-coder-1.5b --device webgpu`, which prints the same figures: too slow for CI here."""

import pytest

from precis_build import browser
from precis_build.bench_browser import PssSampler, memory_pass, package_source, prompt_ids

pytestmark = [pytest.mark.browser, pytest.mark.slow]

MiB = 1 << 20


def test_1_5b_on_the_cpu_device_holds_one_copy_of_its_weights(current_precis_wheel, qwen15_path):
    ids = prompt_ids(qwen15_path, 16)
    load = {"source": package_source(qwen15_path), "device": "cpu"}
    with browser.launch() as driver, PssSampler(driver.service.process.pid) as pss:
        measured = memory_pass(driver, pss, load, ids, 3)
    info, memory = measured["info"], measured["memory"]
    assert info["device"]["kind"] == "cpu" and info["title"] == "Qwen2.5 Coder 1.5B Instruct"
    assert info["context"] == 4096                      # the engine's default context
    assert info["file_bytes"] == qwen15_path.stat().st_size == memory["model_memory_bytes"] == 1_117_320_768
    assert len(measured["result"]["ids"]) == 3
    assert pss.samples >= 100                           # the sampler ran through the load and the generation
    over = memory["peak_pss_over_boot_bytes"]
    assert over > info["file_bytes"]                    # the model is in there: the sampler saw it
    assert over <= 1.5 * info["file_bytes"], (
        f"peak PSS {over / MiB:,.0f} MiB over the booted engine > 1.5x the file ({1.5 * info['file_bytes'] / MiB:,.0f} MiB; "
        f"issue 18's bound {memory['pss_bound_bytes'] / MiB:,.0f} MiB) "
        f"(load peak {memory['peak_pss_load_bytes'] / MiB:,.0f}, generate peak "
        f"{memory['peak_pss_generate_bytes'] / MiB:,.0f}, after boot {memory['pss_after_boot_bytes'] / MiB:,.0f})")
