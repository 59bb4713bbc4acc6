"""Loads are transactions and requests are serialized, in the real extension's engine worker (headless
Chromium, SwiftShader): a failed, refused or stopped (cancel_load) load leaves the working model and no GPU
memory behind; a file with a stored model's name never overwrites it; of three quick requests only the newest
runs, Stop answers at once, and what runs after gives exactly the reference engine's text (so the KV cache was
never shared)."""

import json

import pytest

from precis_build import browser
from precis_build.paths import SMOLLM2_MODEL

pytestmark = [pytest.mark.browser, pytest.mark.slow]

HOST = "extension/dev/engine_host.html"
MiB = 1 << 20
SAME_FILE = "package:models/" + SMOLLM2_MODEL.name   # the default model under another source name: a real load
QUESTION = [{"role": "user", "content": "Name a colour."}]


def run(driver, expression: str, timeout: float = 900):
    return browser.await_promise(driver, expression, timeout)


def attempt(driver, type_: str, payload: dict, timeout: float = 900) -> dict:
    """{"value": ...} or {"error": {"kind", "message"}}: the engine's structured answer."""
    return run(driver, f"window.precisEngine.request({type_!r}, {json.dumps(payload)}).then((value) => ({{value}}),"
                       f" (e) => ({{error: {{kind: e.kind, message: e.message}}}}))", timeout)


def live(driver) -> dict:
    return run(driver, "window.precisEngine.request('gpu_memory')")


def greedy(driver) -> list:
    return run(driver, "window.precisEngine.request('generate_ids', {prompt_ids: [1, 504], max_tokens: 2})")["ids"]


@pytest.fixture(scope="module")
def engine(driver):
    driver.get(browser.extension_url(HOST))
    run(driver, "window.precisBoot")
    # On the WebGPU device (asked for: "auto" picks the CPU device on SwiftShader); later loads keep it.
    info = run(driver, "window.precisEngine.request('load_model', {source: 'package', device: 'gpu'})")
    return {"info": info, "live": live(driver), "ids": greedy(driver)}


@pytest.mark.parametrize("stage", ["weights", "pipelines"])
def test_repeated_failed_loads_leave_no_gpu_memory_and_the_working_model(driver, engine, stage):
    for _ in range(3):
        run(driver, f"window.precisEngine.request('fail_next_load_for_test', {{stage: {stage!r}}})")
        error = attempt(driver, "load_model", {"source": SAME_FILE})["error"]
        assert error["kind"] in ("internal", "unsupported_model") and "(test)" in error["message"], error
        assert live(driver) == engine["live"]           # every buffer and device of the failed load destroyed
    assert greedy(driver) == engine["ids"]              # the working model still answers the same
    # A failed load is not remembered: the same file then loads, and the old device is closed once it has.
    assert attempt(driver, "load_model", {"source": SAME_FILE})["value"]["source"] == SAME_FILE
    assert attempt(driver, "load_model", {"source": "package"})["value"]["source"] == "package"
    assert live(driver) == engine["live"] and greedy(driver) == engine["ids"]


def test_a_model_that_does_not_fit_is_refused_naming_the_sizes(driver, engine):
    error = attempt(driver, "load_model", {"source": SAME_FILE, "context": 8192,
                                           "memory_budget": 150 * MiB})["error"]
    assert error["kind"] == "out_of_memory"
    assert "context of 8192 tokens" in error["message"] and "KV cache 360.0 MiB" in error["message"]
    assert "150.0 MiB" in error["message"]
    assert live(driver) == engine["live"] and greedy(driver) == engine["ids"]


def _opfs(driver, script: str):
    return run(driver, f"""(async () => {{
        const root = await navigator.storage.getDirectory();
        const models = await root.getDirectoryHandle("models", {{create: true}});
        const incoming = await root.getDirectoryHandle("models-incoming", {{create: true}});
        const names = async (dir) => {{ const out = []; for await (const [n] of dir.entries()) out.push(n);
                                          return out.sort(); }};
        {script}
    }})()""")


def test_an_added_file_never_overwrites_a_stored_model_of_the_same_name(driver, engine):
    _opfs(driver, """const w = await (await models.getFileHandle("mine.gguf", {create: true})).createWritable();
        await w.write(new TextEncoder().encode("the stored model's bytes")); await w.close(); return true;""")
    bad = run(driver, """window.precisEngine.request('add_model',
        {file: new File([new TextEncoder().encode('not a model at all')], 'mine.gguf')})
        .then(() => null, (e) => ({kind: e.kind, message: e.message}))""")
    assert bad["kind"] == "unsupported_model" and "not a GGUF file" in bad["message"]
    after = _opfs(driver, """return {models: await names(models), incoming: await names(incoming),
        stored: await (await (await models.getFileHandle("mine.gguf")).getFile()).text()};""")
    assert after == {"models": ["mine.gguf"], "incoming": [], "stored": "the stored model's bytes"}
    assert live(driver) == engine["live"] and greedy(driver) == engine["ids"]
    # A real model with that name loads, and is kept beside the stored one, not over it.
    info = run(driver, f"""fetch('/models/{SMOLLM2_MODEL.name}').then((r) => r.blob()).then((blob) =>
        window.precisEngine.request('add_model', {{file: new File([blob], 'mine.gguf')}}))""")
    assert info["source"] == "opfs:mine (2).gguf" and info["architecture"] == "llama"
    after = _opfs(driver, """return {models: await names(models), incoming: await names(incoming),
        stored: await (await (await models.getFileHandle("mine.gguf")).getFile()).text()};""")
    assert after == {"models": ["mine (2).gguf", "mine.gguf"], "incoming": [], "stored": "the stored model's bytes"}
    assert live(driver)["devices"] == 1 and greedy(driver) == engine["ids"]


def _settled(promise_js: str) -> str:
    return (f"{promise_js}.then((v) => ({{value: v.source}}),"
            f" (e) => ({{error: {{kind: e.kind, message: e.message}}}}))")


def test_cancel_load_stops_loads_and_an_added_file_and_keeps_the_working_model(driver, engine):
    stopped = "Loading the model was stopped: the model in use is unchanged."
    # Asked, then stopped at once: a load and an added file, both before their first step.
    outcome = run(driver, f"""(async () => {{
        const e = window.precisEngine;
        const blob = await (await fetch('/models/{SMOLLM2_MODEL.name}')).blob();
        const load = {_settled(f"e.request('load_model', {{source: {SAME_FILE!r}}})")};
        const add = {_settled("e.request('add_model', {file: new File([blob], 'stopped.gguf')})")};
        await e.cancelLoad();
        return {{load: await load, add: await add}};
    }})()""")
    assert outcome == {"load": {"error": {"kind": "cancelled", "message": stopped}},
                       "add": {"error": {"kind": "cancelled", "message": stopped}}}
    after = _opfs(driver, "return {models: await names(models), incoming: await names(incoming)};")
    assert after["incoming"] == [] and "stopped.gguf" not in after["models"]   # nothing of the file kept
    # Stopped while its weights stream into the GPU: the new device and its buffers go, the old model stays.
    outcome = run(driver, f"""(async () => {{
        const e = window.precisEngine, seen = window.precisProgress.length;
        const load = {_settled(f"e.request('load_model', {{source: {SAME_FILE!r}}})")};
        await new Promise((resolve) => {{ const poll = setInterval(() => {{
            if (window.precisProgress.slice(seen).some((m) => /weights to the GPU: [1-9]/.test(m.message || ''))) {{
                clearInterval(poll); resolve(); }} }}, 2); }});
        await e.cancelLoad();
        return await load;
    }})()""")
    assert outcome == {"error": {"kind": "cancelled", "message": stopped}}
    assert live(driver) == engine["live"] and greedy(driver) == engine["ids"]
    # A load asked after the cancel is not stopped by it.
    assert attempt(driver, "load_model", {"source": SAME_FILE})["value"]["source"] == SAME_FILE
    assert attempt(driver, "load_model", {"source": "package"})["value"]["source"] == "package"
    assert live(driver) == engine["live"] and greedy(driver) == engine["ids"]


def test_the_newest_request_wins_and_stop_answers_at_once(driver, engine):
    from precis_oracles.reference.device import reference_engine

    expected = reference_engine(SMOLLM2_MODEL, context=4096).chat(QUESTION, max_tokens=3)["text"]
    outcome = run(driver, f"""(async () => {{
        const e = window.precisEngine, order = [];
        const ask = (name) => {{ const g = e.generate('chat', {{messages: {json.dumps(QUESTION)}, max_tokens: 3}});
            return g.done.then((r) => {{ order.push(name); return r; }}); }};
        const a = ask('a'), b = ask('b'), c = ask('c');       // three quick requests: c wins
        const results = {{a: await a, b: await b, c: await c}};
        // A fourth, stopped as soon as it streams: its answer comes at once; a fifth then runs alone.
        const d = e.generate('chat', {{messages: {json.dumps(QUESTION)}, max_tokens: 64}}, {{onToken: () => e.cancel(d.requestId)}});
        results.d = await d.done.then((r) => {{ order.push('d'); return r; }});
        results.e = await ask('e');
        return {{order, results}};
    }})()""", timeout=1500)
    results = outcome["results"]
    assert outcome["order"] == ["a", "b", "c", "d", "e"]
    assert results["a"]["stats"]["finish_reason"] == "cancelled"
    assert results["b"]["stats"]["finish_reason"] == "cancelled" and results["b"]["text"] == ""
    assert results["c"]["stats"]["finish_reason"] != "cancelled" and results["c"]["text"] == expected
    assert results["d"]["stats"]["finish_reason"] == "cancelled" and results["d"]["text"]
    assert results["e"]["text"] == expected              # the cache holds only what the engine recorded
