"""The model on the browser's WebGPU: the JS device (extension/engine/webgpu_executor.js) replaying the plan
that Python's engine builds in Pyodide (precis.engine), in real headless Chromium (SwiftShader, a CPU WebGPU:
slow, so prompts are short and generations 2-4 tokens).

Oracles: the numpy reference forward pass (precis_oracles.reference.model) and the wgpu-py executor on lavapipe,
for the same prompt ids."""

import json

import numpy as np
import pytest

from precis.chat_template import ChatTemplate
from precis.gguf import open_gguf
from precis.tokenizer import Tokenizer
from precis_build import browser
from precis_build.paths import SMOLLM2_MODEL
from precis_oracles.reference.model import ReferenceModel

pytestmark = [pytest.mark.browser, pytest.mark.slow]

HOST = "extension/dev/engine_host.html"
NEW_TOKENS = 4
MESSAGES = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Capital of France?"}]
# pages/short.html as the panel's extraction gives it (under 40 words: the visible text, title first).
SHORT_PAGE = {"title": "Esterby bridge reopens", "lang": "en", "kind": "page-text",
              "text": "Esterby bridge reopens\n\nThe stone bridge over the Vell river in Esterby reopened on the first "
                      "of October, eleven months after the spring flood destroyed the old iron bridge. Twenty-two "
                      "masons built its three granite arches by hand."}
# Its greedy headline (short) on the WebGPU path, as the numpy reference engine also gives it (committed).
# With the decoder's headline shape (precis.summary_shape) the headline ends where the model's title ends;
# before it the model went on to ": A New Bridge to Ether!".
GOLDEN_SHORT_HEADLINE = "Esterby Bridge Reopened"
# Logits of the prompt step vs numpy: f32 sums in another order, over 30 layers (logits of size ~20).
LOGIT_ATOL = 0.05


def run(driver, expression: str, timeout: float = 900):
    return browser.await_promise(driver, expression, timeout)


def request(driver, type_: str, payload: str = "{}", timeout: float = 900):
    return run(driver, f"window.precisEngine.request({type_!r}, {payload})", timeout)


def attempt(driver, type_: str, payload: str = "{}", timeout: float = 900) -> dict:
    """{"value": ...} or {"error": {"kind", "message"}}: the engine's structured answer."""
    return run(driver, f"window.precisEngine.request({type_!r}, {payload}).then((value) => ({{value}}),"
                       f" (e) => ({{error: {{kind: e.kind, message: e.message}}}}))", timeout)


@pytest.fixture(scope="module")
def gguf():
    return open_gguf(SMOLLM2_MODEL)


@pytest.fixture(scope="module")
def prompt_ids(gguf):
    ids = ChatTemplate.from_gguf(gguf).encode(Tokenizer.from_gguf(gguf), MESSAGES)
    assert 10 <= len(ids) <= 24, ids
    return ids


@pytest.fixture(scope="module")
def reference(gguf, prompt_ids):
    model = ReferenceModel.from_gguf(gguf)
    logits = model.logits_for(prompt_ids)[-1]
    return {"greedy": model.greedy(prompt_ids, NEW_TOKENS), "logits": logits,
            "bos_greedy": model.greedy([1], 3)}


@pytest.fixture(scope="module")
def wgpu_ids(gguf, prompt_ids):
    from precis_oracles.wgpu_executor import WgpuModel
    model = WgpuModel.from_gguf(gguf, context=64, features=[])   # the f32 plan, as SwiftShader runs
    ids, _ = model.next_candidates(prompt_ids)
    out = [int(ids[0])]
    while len(out) < NEW_TOKENS:
        ids, _ = model.next_candidates([out[-1]])
        out.append(int(ids[0]))
    return out


@pytest.fixture(scope="module")
def engine(driver):
    """The engine host page with the default model loaded on the browser's WebGPU (asked for: "auto" picks the
    CPU device on SwiftShader)."""
    driver.get(browser.extension_url(HOST))
    run(driver, "window.precisBoot")
    return request(driver, "load_model", "{source: 'package', device: 'gpu'}")


@pytest.fixture(scope="module")
def generated(driver, engine, prompt_ids):
    return request(driver, "generate_ids", f"{{prompt_ids: {prompt_ids}, max_tokens: {NEW_TOKENS}}}")


def test_model_loads_on_the_adapter(driver, engine):
    device = engine["device"]
    status = run(driver, "window.precisBoot")
    assert engine["architecture"] == "llama" and device["kind"] == "webgpu"
    assert device["chunk"] == engine["chunk"] == 32 and device["context"] == engine["context"] == 4096
    # Every byte the plan allocated is one of its buffers, as Python estimated before creating the device.
    assert device["gpuBytes"] == engine["gpu_bytes"] == engine["memory"]["total"]
    live = request(driver, "gpu_memory")
    assert live["devices"] == 1 and live["bytes"] == device["gpuBytes"] and live["buffers"] > 100
    adapter = status["adapter"]
    assert adapter["available"] and adapter["name"]
    if "swiftshader" in (adapter["name"] + adapter["architecture"]).lower():
        assert adapter["cpu"]                         # decided in Python (precis.adapter), not in JS
        assert status["device"]["kind"] == "cpu"      # so "auto" runs the CPU device (precis.device_choice)


def test_greedy_tokens_equal_the_reference_and_the_wgpu_executor(generated, reference, wgpu_ids):
    # The prompt goes in as one prefill step, then NEW_TOKENS - 1 decode steps.
    assert generated["prompt_tokens"] > 1
    assert generated["ids"] == reference["greedy"]
    assert generated["ids"] == wgpu_ids


def test_prefill_top_k_matches_the_reference_logits(generated, reference):
    logits = reference["logits"]
    ids = np.array(generated["first_ids"])
    got = np.array(generated["first_logits"], dtype=np.float64)
    assert len(ids) == 64 and len(set(ids.tolist())) == 64
    # The GPU's candidates are the reference's top 64 (ties aside) with the reference's values, best first.
    np.testing.assert_allclose(got, logits[ids], atol=LOGIT_ATOL)
    assert (np.diff(got) <= 0).all()
    expected_top = np.argsort(-logits, kind="stable")[:8]
    assert ids[:8].tolist() == expected_top.tolist()


def test_a_lost_device_is_rebuilt_and_the_cache_fed_again(driver, generated, reference):
    # Two tokens after BOS: the cache then holds [BOS, first] (the second was never fed).
    before = request(driver, "generate_ids", "{prompt_ids: [1], max_tokens: 2}")
    assert before["ids"] == reference["bos_greedy"][:2]
    lost = request(driver, "lose_device_for_test")
    assert lost["lost"] and lost["kind"] == "device_lost" and "GPU device was lost" in lost["message"]
    # The next step builds a new device, streams the weights again, feeds again the two tokens the lost KV
    # cache held (Python's record), then goes on from position 2 as if nothing had happened.
    after = request(driver, "generate_ids", f"{{prompt_ids: [{before['ids'][1]}], max_tokens: 1, continue: true}}")
    assert after["recoveries"] == 1
    assert after["ids"] == reference["bos_greedy"][2:3]
    assert request(driver, "gpu_memory")["devices"] == 1      # the lost one was closed


def test_a_summary_on_the_webgpu_device_is_the_committed_greedy_headline(driver, engine):
    """The whole request (prompt, prefill in the plan's chunks, sampler, stop, detokenization) on the WebGPU
    device: exact greedy text, pinned as a string and checked against precis.engine on the numpy reference."""
    from precis_oracles.reference.device import reference_engine

    payload = json.dumps({"page": SHORT_PAGE, "style": "headline", "length": "short"})
    result = run(driver, f"window.precisEngine.generate('summarize', {payload}).done", 1500)
    expected = reference_engine(SMOLLM2_MODEL).summarize(SHORT_PAGE, "headline", "short")
    assert result["text"] == expected["text"] == GOLDEN_SHORT_HEADLINE


def _store_in_opfs(driver, name: str, make_bytes_js: str):
    run(driver, f"""(async () => {{
        const bytes = await ({make_bytes_js});
        const root = await navigator.storage.getDirectory();
        const dir = await root.getDirectoryHandle("models", {{create: true}});
        const w = await (await dir.getFileHandle({name!r}, {{create: true}})).createWritable();
        await w.write(bytes);
        await w.close();
        return bytes.byteLength;
    }})()""")


def test_a_truncated_model_file_gives_the_gguf_error(driver, generated):
    # The first 20 MB of the real model: the header is intact, the tensor data is cut.
    _store_in_opfs(driver, "truncated.gguf", """fetch("/models/SmolLM2-135M-Instruct.Q4_1.gguf")
        .then((r) => r.arrayBuffer()).then((b) => new Uint8Array(b.slice(0, 20 * 1024 * 1024)))""")
    error = attempt(driver, "load_model", "{source: 'opfs:truncated.gguf'}")["error"]
    assert error["kind"] == "unsupported_model"
    assert "runs past the end of the file" in error["message"] and "Traceback" not in error["message"]


def test_a_file_that_is_not_gguf_gives_a_clear_error(driver, generated):
    _store_in_opfs(driver, "notes.gguf", "Promise.resolve(new TextEncoder().encode('just some text, not a model'))")
    error = attempt(driver, "load_model", "{source: 'opfs:notes.gguf'}")["error"]
    assert error["kind"] == "unsupported_model" and "not a GGUF file" in error["message"]


def test_streamed_weights_land_byte_exact_in_their_buffers(driver, engine):
    """model_source.js alone (no model run): the packaged file streamed once, after a header prefix was read,
    into buffers for ranges that start and end off 4-byte boundaries, overlap, end at the file's end, or are
    parts of one fused buffer."""
    result = run(driver, """(async () => {
        const ms = await import("/extension/engine/model_source.js");
        const src = await ms.openModelSource("package", new URL("/", location.href));
        const full = new Uint8Array(await (await fetch("/models/SmolLM2-135M-Instruct.Q4_1.gguf")).arrayBuffer());
        const head = await src.readPrefix(1000003);
        const device = await (await navigator.gpu.requestAdapter()).requestDevice();
        const n = full.length;
        const spans = [[0, 7], [5, 3 * 4096 + 1], [1000001, 1000001 + 5 * 65537 + 3], [999999, 1000002],
                       [n - 4 * 1048576 - 2, n - 1048576], [n - 10, n]];
        const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
        const ranges = spans.map(([start, end]) => ({start, end, dst: 0, name: `${start}`,
            buffer: device.createBuffer({size: Math.ceil((end - start) / 4) * 4, usage})}));
        // A fused weight: two parts of the file, later one first, back to back in one buffer.
        const fused = device.createBuffer({size: 4096 + 1004, usage});
        ranges.push({start: 50000000, end: 50001001, dst: 4096, name: "fused", buffer: fused},
                    {start: 100, end: 4196, dst: 0, name: "fused", buffer: fused});
        ranges.sort((a, b) => a.start - b.start);
        let reports = 0;
        await ms.streamWeights(src, ranges, device, () => { reports += 1; });
        const bad = [];
        const wanted = new Map();   // buffer -> its expected bytes (zero padded)
        for (const r of ranges) {
            if (!wanted.has(r.buffer)) wanted.set(r.buffer, {name: r.name, bytes: new Uint8Array(r.buffer.size)});
            wanted.get(r.buffer).bytes.set(full.subarray(r.start, r.end), r.dst);
        }
        for (const [buffer, w] of wanted) {
            const r = {buffer, name: w.name};
            const read = device.createBuffer({size: r.buffer.size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST});
            const enc = device.createCommandEncoder();
            enc.copyBufferToBuffer(r.buffer, 0, read, 0, r.buffer.size);
            device.queue.submit([enc.finish()]);
            await read.mapAsync(GPUMapMode.READ);
            const got = new Uint8Array(read.getMappedRange());
            const same = w.bytes.every((b, i) => got[i] === b);
            if (!same) bad.push(r.name);
            read.unmap();
        }
        const headOk = head.length === 1000003 && head.every((b, i) => b === full[i]);
        device.destroy();
        return {bad, headOk, reports};
    })()""")
    assert result["headOk"]
    assert result["bad"] == []
    assert result["reports"] >= 10   # progress while streaming


def _pipelines(path, tiled: bool) -> list:
    from precis.model_plan import build_plan
    plan = build_plan(open_gguf(path), context=256, tiled_prefill=tiled).to_dict()
    return plan["pipelines"]


def test_every_pipeline_of_both_models_compiles_in_chrome(driver, engine):
    """Chrome's WGSL compiler (Tint) is stricter than wgpu's (Naga) in places: every pipeline either plan
    variant (tiled prefill for GPUs, per-row for CPU adapters) uses, for SmolLM2 and Gemma 3, must compile."""
    from precis_build.paths import GEMMA3_MODEL

    unique = {}
    for path in (SMOLLM2_MODEL, GEMMA3_MODEL):
        for tiled in (True, False):
            for p in _pipelines(path, tiled):
                unique[json.dumps(p, sort_keys=True)] = p
    pipelines = list(unique.values())
    failures = run(driver, f"""(async () => {{
        const device = await (await navigator.gpu.requestAdapter()).requestDevice();
        const failures = [];
        for (const p of {json.dumps(pipelines)}) {{
            const code = (await Promise.all(p.sources.map((s) => fetch("/kernels/" + s).then((r) => r.text())))).join("\\n");
            const module = device.createShaderModule({{code}});
            const errors = (await module.getCompilationInfo()).messages.filter((m) => m.type === "error");
            if (errors.length) {{ failures.push(p.sources.join("+") + ": " + errors[0].message); continue; }}
            device.pushErrorScope("validation");
            try {{
                await device.createComputePipelineAsync({{layout: "auto", compute: {{module, entryPoint: p.entry, constants: p.constants}}}});
            }} catch (e) {{ failures.push(p.sources.join("+") + " " + JSON.stringify(p.constants) + ": " + e.message); }}
            const error = await device.popErrorScope();
            if (error) failures.push(p.sources.join("+") + ": " + error.message);
        }}
        device.destroy();
        return failures;
    }})()""")
    assert len(pipelines) > 20
    assert failures == []


def test_the_cpu_device_gives_the_same_greedy_ids_on_the_same_prompt(driver, generated, prompt_ids):
    """The other device behind the same engine (llama.cpp's wasm build): our ids in, the same greedy tokens out
    as our WGSL gave (last in this module: it swaps the engine's device, then puts the WebGPU one back)."""
    info = request(driver, "load_model", "{source: 'package', device: 'cpu'}")
    try:
        assert info["device"]["kind"] == "cpu"
        on_cpu = request(driver, "generate_ids", f"{{prompt_ids: {prompt_ids}, max_tokens: {NEW_TOKENS}}}")
    finally:
        request(driver, "load_model", "{source: 'package', device: 'gpu'}")
    assert on_cpu["ids"] == generated["ids"]
    assert on_cpu["prompt_tokens"] == generated["prompt_tokens"]
