"""The CPU device (extension/engine/wllama_device.js: llama.cpp compiled to WebAssembly) driven by our Python
engine in the extension's engine worker, in real headless Chromium, with the real default model.

Oracle for the model's numbers: native llama.cpp (llama-cpp-python, built here) on the same prompt ids. Native
and wasm llama.cpp quantize activations in different kernels, and so does native llama.cpp between a batched
prefill and one token at a time (measured: top-64 log-probabilities up to 0.28 apart, greedy paths that part
after 30-40 tokens), so whole requests are checked against the device's own run from an empty cache (the KV
truncation) and against CPython's plan of the request (map-reduce), not against native text."""

import json
import os
import re

import numpy as np
import pytest

from precis.chat_template import ChatTemplate
from precis.device_choice import cpu_threads
from precis.gguf import open_gguf
from precis.tokenizer import Tokenizer
from precis_build import browser
from precis_build.paths import SMOLLM2_MODEL
from harness.real_model_oracle import NEAR_TIE

pytestmark = [pytest.mark.browser, pytest.mark.slow]

HOST = "extension/dev/engine_host.html"
NEW_TOKENS = 24
MESSAGES = [{"role": "system", "content": "You are a helpful assistant."},
            {"role": "user", "content": "Name three uses of a tide mill, in one sentence each."}]
# The prompt step's top-k log-probabilities against native llama.cpp: the same weights, but both quantize the
# activations to 8 bits for their matmuls, in different kernels (x86's repacked Q4 kernels, wasm SIMD's), so
# values drift apart over 30 layers (measured here: 0.28 at most over the top 64, most under 0.1).
LOGIT_ATOL = 0.4
# Short enough that a page of ~1,100 tokens does not fit a summary's prompt: map-reduce.
MAP_REDUCE_CONTEXT = 1024
PAGES = "tests/browser/pages"


def request(driver, type_: str, payload: dict, timeout: float = 900):
    return browser.await_promise(driver, f"window.precisEngine.request({type_!r}, {json.dumps(payload)})", timeout)


@pytest.fixture(scope="module")
def prompt_ids():
    gguf = open_gguf(SMOLLM2_MODEL)
    return ChatTemplate.from_gguf(gguf).encode(Tokenizer.from_gguf(gguf), MESSAGES)


@pytest.fixture(scope="module")
def engine(driver):
    """The engine host page with the default model on the CPU device."""
    driver.get(browser.extension_url(HOST))
    browser.await_promise(driver, "window.precisBoot")
    info = request(driver, "load_model", {"source": "package", "device": "cpu"})
    assert info["executor"]["available"], info["executor"].get("reason")
    return info


def _default_threads(driver, engine):
    """The engine back on the CPU device with the thread count Python chose (the module's fixture)."""
    request(driver, "load_model", {"source": "package", "device": "cpu", "threads": engine["device"]["threads"]})


def llama_cpp_greedy(llm, ids, n):
    """n greedy ids after `ids` from native llama.cpp, the gap between the top two logits at each, and the prompt
    step's logits as log-softmax."""
    llm.reset()
    llm.eval(list(ids))
    out, gaps, first = [], [], None
    for _ in range(n):
        logits = np.ctypeslib.as_array(llm._ctx.get_logits(), shape=(llm.n_vocab(),)).astype(np.float64)
        if first is None:
            shifted = logits - logits.max()
            first = shifted - np.log(np.exp(shifted).sum())
        top2 = np.sort(logits)[-2:]
        gaps.append(float(top2[1] - top2[0]))
        out.append(int(np.argmax(logits)))
        if len(out) < n:
            llm.eval([out[-1]])
    return out, gaps, first


def test_the_load_names_the_cpu_device_and_its_threads(engine):
    device = engine["device"]
    assert device["kind"] == "cpu"
    # Python's choice (precis.device_choice.cpu_threads): two threads on this 2-core machine.
    threads = cpu_threads(os.cpu_count(), True)
    assert device["threads"] == threads
    assert device["name"] == f"CPU (llama.cpp WebAssembly, {threads} thread{'' if threads == 1 else 's'})"
    assert device["crossOriginIsolated"] is True       # manifest.json: COOP/COEP, so threads could run
    assert device["logits"] == "log_softmax"
    assert engine["executor"]["context"] == 4096


def test_greedy_ids_equal_native_llama_cpp_on_two_wasm_threads(driver, engine, prompt_ids, llama_cpp):
    info = request(driver, "load_model", {"source": "package", "device": "cpu", "threads": 2})
    assert info["device"]["threads"] == 2 and info["device"]["multithread"] is True   # SharedArrayBuffer works
    try:
        result = request(driver, "generate_ids", {"prompt_ids": prompt_ids, "max_tokens": NEW_TOKENS})
    finally:
        _default_threads(driver, engine)
    expected, gaps, log_softmax = llama_cpp_greedy(llama_cpp, prompt_ids, NEW_TOKENS)
    # The same ids until the two part, and they part only where llama.cpp's own top two are a near-tie (a gap under
    # NEAR_TIE: the wasm build's other SIMD sums may pick the other there), after at least 8 tokens.
    parted = next((i for i, (a, b) in enumerate(zip(result["ids"], expected)) if a != b), len(expected))
    assert parted >= 8, (parted, result["ids"], expected)
    assert parted == len(expected) or gaps[parted] < NEAR_TIE, (parted, gaps[parted])
    top = np.array(result["first_ids"])
    assert len(top) == 64
    diff = np.abs(np.array(result["first_logits"]) - log_softmax[top])
    assert diff.max() < LOGIT_ATOL, diff.max()


def test_a_second_request_sharing_a_prefix_truncates_the_cache_and_equals_a_fresh_run(driver, engine):
    """Two questions about one page: the second reuses the cached system message and page (the device's KV
    cache is cut where the prompts part, then fed the new question) and must answer token for token as the
    same device does from an empty cache."""
    page = {"title": "Tide mills", "url": "https://example.com/mills", "lang": "en", "kind": "article",
            "text": "A tide mill stores sea water in a pond at high tide and lets it out through a wheel when "
                    "the tide falls. The mill at Korsholm was restored in 2024 by sixty-four volunteers."}
    first = [{"role": "user", "content": "Who restored the mill?"}]
    second = [{"role": "user", "content": "How does a tide mill work?"}]
    request(driver, "chat", {"requestId": "q1", "messages": first, "page": page, "max_tokens": 16})
    reused = request(driver, "chat", {"requestId": "q2", "messages": second, "page": page, "max_tokens": 24})
    assert reused["stats"]["reused"] > 40          # the system message and page came from the cache
    # A new device (another thread count): its cache starts empty.
    other = 1 if engine["device"]["threads"] != 1 else 2
    request(driver, "load_model", {"source": "package", "device": "cpu", "threads": other})
    try:
        fresh = request(driver, "chat", {"requestId": "q3", "messages": second, "page": page, "max_tokens": 24})
    finally:
        _default_threads(driver, engine)
    assert fresh["stats"]["reused"] == 0
    assert fresh["stats"]["generated_tokens"] == reused["stats"]["generated_tokens"] >= 8
    assert reused["text"] == fresh["text"]


def test_a_page_longer_than_the_context_goes_through_map_reduce(driver, engine, pages_url):
    """The ~1,100-token article with a 1,024-position cache: summarized in pieces (as many as CPython's
    planner makes of it), then the pieces' notes combined; every step on the CPU device."""
    from precis.summarize import Page, plan_summary

    html = (browser.REPO_ROOT / PAGES / "long_article.html").read_text()
    article = re.search(r"<article>(.*)</article>", html, re.S).group(1)
    paragraphs = [" ".join(re.sub(r"<[^>]+>", " ", p).split()) for p in re.findall(r"<p>(.*?)</p>", article, re.S)]
    page = {"title": "How a Coastal Village Brought Its Tide Mill Back to Work", "byline": "Ilse Varga",
            "url": f"{pages_url}/long_article.html", "lang": "en", "kind": "article",
            "text": "\n\n".join(paragraphs)}
    gguf = open_gguf(SMOLLM2_MODEL)
    tokenizer, template = Tokenizer.from_gguf(gguf), ChatTemplate.from_gguf(gguf)
    budget = MAP_REDUCE_CONTEXT - 64 - 384          # precis.engine's prompt budget for summaries
    plan = plan_summary(Page.from_dict(page), "tldr", "short",
                        lambda messages: len(template.encode(tokenizer, messages, add_generation_prompt=True)), budget)
    assert plan.map_reduce and len(plan.chunks) >= 2

    info = request(driver, "load_model", {"source": "package", "device": "cpu", "context": MAP_REDUCE_CONTEXT})
    assert info["executor"]["context"] == MAP_REDUCE_CONTEXT
    payload = json.dumps({"page": page, "style": "tldr", "length": "short"})
    try:
        result = browser.await_promise(driver, "(() => { window.__stages = []; return window.precisEngine.generate("
                                       f"'summarize', {payload}, {{onProgress: (m) => window.__stages.push("
                                       "[m.stage, m.done, m.total])}).done; })()", 1800)
    finally:
        request(driver, "load_model", {"source": "package", "device": "cpu", "context": 4096})
    stages = browser.await_promise(driver, "window.__stages")
    n = len(plan.chunks)
    assert stages[:n + 1] == [["map", i, n] for i in range(n + 1)]
    assert result["stats"]["finish_reason"] in ("eos", "stop_string", "max_tokens")
    assert result["stats"]["prompt_tokens"] > MAP_REDUCE_CONTEXT    # the pieces' prompts, then the reduce's
    assert result["text"].strip() and result["grounding"]["points"]


def test_wllamas_own_completion_gives_our_greedy_ids(driver, engine, prompt_ids):
    """bench_browser --against wllama: wllama's own loop (its tokenizer, sampler and completion API) on the same file
    and prompt, loaded through the CPU device's handover (the shared chunk buffer), agrees with our engine."""
    from precis_build.bench_browser import ours_run, wllama_options, wllama_run

    ours = ours_run(driver, prompt_ids, 8)
    theirs = wllama_run(driver, prompt_ids, wllama_options(SMOLLM2_MODEL, "package", prompt_ids, 8, engine["device"]),
                        timeout=120)
    assert theirs["same_prompt_ids"] is True
    assert theirs["ids"] == ours["ids"] and len(ours["ids"]) == 8
    assert theirs["threads"] == engine["device"]["threads"]
