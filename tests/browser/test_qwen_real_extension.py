"""The real Qwen2.5-Coder Instruct files in the extension (headless Chromium): greedy ids equal llama.cpp's up to
its first near-tie (tests/harness/real_model_oracle.py) on the prompts Précis builds, on the CPU device (llama.cpp in
WebAssembly: an English summary and a Chinese chat question, as Précis builds them) and on our WGSL through
Chromium's WebGPU (SwiftShader, a CPU rasterizer: one short Chinese chat prompt, 4 tokens); the 1.5B on the CPU
device (a Chinese summary and an English chat question). Sized for CI: under a load average of ~8 on 2 cores the
0.5B on the CPU device took 208 s with all four long prompts; the numpy reference (tests/gpu/test_qwen_real_kernels.py)
runs all of them. And the picker's names for them."""

import json

import pytest

from precis_build import browser
from precis_build.models_catalog import CATALOG

pytestmark = [pytest.mark.browser, pytest.mark.slow]

HOST = "extension/dev/engine_host.html"
CPU_CASES = ["en-summary", "zh-chat"]
SWIFTSHADER_CASE, SWIFTSHADER_NEW_TOKENS = "zh-short", 4


def request(driver, type_: str, payload: dict, timeout: float = 900):
    return browser.await_promise(driver, f"window.precisEngine.request({type_!r}, {json.dumps(payload)})", timeout)


def source(name: str) -> str:
    """The catalog model's file inside the unpacked extension (models/, placed by `precis setup --model`)."""
    return "package:" + CATALOG[name].path.relative_to(browser.REPO_ROOT).as_posix()


@pytest.fixture(scope="module")
def host(driver):
    driver.get(browser.extension_url(HOST))
    browser.await_promise(driver, "window.precisBoot")
    return driver


def greedy_ids(driver, expected) -> list:
    return request(driver, "generate_ids", {"prompt_ids": expected.prompt, "max_tokens": len(expected.tokens)})["ids"]


def test_0_5b_on_the_cpu_device_equals_llama_cpp(host, qwen05_path, qwen05_expected):
    info = request(host, "load_model", {"source": source("qwen2.5-coder-0.5b"), "device": "cpu"})
    assert info["device"]["kind"] == "cpu" and info["architecture"] == "qwen2"
    assert info["title"] == "Qwen2.5 Coder 0.5B Instruct"       # the catalog's name, not general.name
    assert sum(len(qwen05_expected[c].tokens) for c in CPU_CASES) >= 2 * len(CPU_CASES)
    for case in CPU_CASES:
        assert greedy_ids(host, qwen05_expected[case]) == qwen05_expected[case].tokens, case


def test_0_5b_wgsl_in_chromium_equals_llama_cpp(host, qwen05_path, qwen05_expected):
    info = request(host, "load_model", {"source": source("qwen2.5-coder-0.5b"), "device": "gpu"})
    assert info["device"]["kind"] == "webgpu"
    expected = qwen05_expected[SWIFTSHADER_CASE]
    tokens = expected.tokens[:SWIFTSHADER_NEW_TOKENS]
    assert len(tokens) >= 2
    got = request(host, "generate_ids", {"prompt_ids": expected.prompt, "max_tokens": len(tokens)})["ids"]
    assert got == tokens


def test_1_5b_on_the_cpu_device_equals_llama_cpp(host, qwen15_path, qwen15_expected):
    info = request(host, "load_model", {"source": source("qwen2.5-coder-1.5b"), "device": "cpu"})
    assert info["device"]["kind"] == "cpu" and info["title"] == "Qwen2.5 Coder 1.5B Instruct"
    cases = list(qwen15_expected)           # conftest.QWEN15_CASES
    assert sum(len(qwen15_expected[c].tokens) for c in cases) >= 2 * len(cases)
    for case in cases:
        assert greedy_ids(host, qwen15_expected[case]) == qwen15_expected[case].tokens, case


def test_the_picker_names_the_built_in_and_every_known_model(driver):
    driver.get(browser.extension_url("extension/sidepanel/sidepanel.html"))
    options = browser.await_promise(driver, """new Promise((resolve) => { const poll = setInterval(() => {
        const options = [...document.querySelectorAll('#model-source option')];
        if (options.length > 1) { clearInterval(poll);
            resolve(options.map((o) => ({value: o.value, text: o.textContent, disabled: o.disabled}))); } }, 20); })""",
                                     60)
    assert options == [
        {"value": "package", "text": "SmolLM2 135M Instruct · 98 MB · English (built in)", "disabled": False},
        {"value": "known:qwen2.5-coder-0.5b", "disabled": True,
         "text": "Qwen2.5 Coder 0.5B Instruct · 491 MB · English, Chinese, French and 10 more (not in this build)"},
        {"value": "known:qwen2.5-coder-1.5b", "disabled": True,
         "text": "Qwen2.5 Coder 1.5B Instruct · 1,117 MB · English, Chinese, French and 10 more (not in this build)"},
    ]
