"""The engine worker's state machine (extension/engine/engine_state.js) under node: its transition table, an
illegal transition refused by name, the events a boot, a load and a generation post, and the newest-wins and
cancel rules (the only place they live). The module is the product's own file, imported as it is: it needs no
browser API."""

import json
import shutil
import subprocess

import pytest

from precis_build.paths import REPO_ROOT

MODULE = (REPO_ROOT / "extension/engine/engine_state.js").as_uri()


def run_node(body: str):
    """Runs `body` (an async function body with `EngineState`, `TRANSITIONS` and `posted` in scope) and returns
    the JSON it returns."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is missing: run `bash build/bootstrap.sh`")
    script = f"""
import {{ EngineState, TRANSITIONS }} from {json.dumps(MODULE)};
const posted = [];
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
const out = await (async () => {{ {body} }})();
process.stdout.write(JSON.stringify(out));
"""
    done = subprocess.run([node, "--input-type=module", "-e", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def test_the_transition_table():
    assert run_node("return TRANSITIONS;") == {
        "off": ["booting"], "booting": ["idle", "failed"], "failed": ["booting"],
        "idle": ["loading", "generating"], "loading": ["idle"], "generating": ["idle"]}


def test_an_illegal_transition_throws_and_posts_nothing():
    out = run_node("""
        const machine = new EngineState((m) => posted.push(m));
        let error = null;
        try { machine.to("generating"); } catch (e) { error = e.message; }
        return {error, state: machine.state, posted};""")
    assert out == {"error": "engine state: no transition from off to generating", "state": "off", "posted": []}


def test_a_boot_a_load_and_a_generation_post_their_transitions():
    out = run_node("""
        const machine = new EngineState((m) => posted.push(m));
        await machine.ensureBooted(async () => ({ready: true}));
        const identity = {source: "package", setting: "auto", name: "m.gguf", title: "M", architecture: "llama",
                          context: 2048, device: {kind: "cpu", threads: 2}};
        await machine.serialized(() => machine.loading(async () => { machine.model = {identity, slot: null, info: {}}; }));
        const answer = await new Promise((reply) => machine.generate("r1", reply, {
            load: async () => {}, run: async () => { machine.stream("Hi"); return {text: "Hi", stats: {finish_reason: "eos"}}; }}));
        await machine.serialized(async () => {});
        return {answer, posted};""")
    model = {"source": "package", "setting": "auto", "name": "m.gguf", "title": "M", "architecture": "llama",
             "context": 2048, "device": {"kind": "cpu", "threads": 2}}
    assert out["answer"] == {"value": {"text": "Hi", "stats": {"finish_reason": "eos"}}}
    assert out["posted"] == [
        {"type": "state", "state": "booting", "model": None, "requestId": None},
        {"type": "state", "state": "idle", "model": None, "requestId": None},
        {"type": "state", "state": "loading", "model": None, "requestId": None},
        {"type": "state", "state": "idle", "model": model, "requestId": None},
        {"type": "state", "state": "generating", "model": model, "requestId": "r1"},
        {"type": "token", "requestId": "r1", "text": "Hi"},
        {"type": "state", "state": "idle", "model": model, "requestId": None},
    ]


def test_a_failed_boot_is_tried_again():
    out = run_node("""
        const machine = new EngineState((m) => posted.push(m.state));
        let tries = 0;
        const boot = async () => { tries += 1; if (tries === 1) throw new Error("no wheel"); return tries; };
        const first = await machine.ensureBooted(boot).catch((e) => e.message);
        const second = await machine.ensureBooted(boot);
        return {first, second, posted};""")
    assert out == {"first": "no wheel", "second": 2, "posted": ["booting", "failed", "booting", "idle"]}


def test_the_newest_generation_wins_and_the_older_ends_cancelled_at_once():
    """r1 runs (it streamed "a"), r2 waits behind it, r3 comes: r1 and r2 are answered "cancelled" at once, r1
    with what it streamed; Python is told through `cancelled`; r3 runs once r1's work returns."""
    out = run_node("""
        const machine = new EngineState((m) => posted.push(m));
        await machine.ensureBooted(async () => null);
        const answers = {};
        let release;
        const held = new Promise((resolve) => { release = resolve; });
        const seen = {};
        const start = (id, run) => machine.generate(id, (outcome) => { answers[id] = outcome; }, {load: async () => {}, run});
        start("r1", async () => { machine.stream("a"); await held; seen.r1 = machine.cancelled;
                                  return {text: "a", stats: {finish_reason: "eos"}}; });
        await tick();
        start("r2", async () => ({text: "never", stats: {}}));
        const afterR2 = {...answers};
        start("r3", async () => { seen.r3 = machine.cancelled; return {text: "b", stats: {finish_reason: "eos"}}; });
        const afterR3 = {...answers};
        release();
        await machine.serialized(async () => {});
        return {afterR2, afterR3, answers, seen,
                states: posted.filter((m) => m.type === "state").map((m) => [m.state, m.requestId])};""")
    cancelled = {"stats": {"finish_reason": "cancelled"}, "cancelled": True}
    assert out["afterR2"] == {"r1": {"value": {"text": "a", **cancelled}}}
    assert out["afterR3"] == {"r1": {"value": {"text": "a", **cancelled}}, "r2": {"value": {"text": "", **cancelled}}}
    assert out["answers"]["r3"] == {"value": {"text": "b", "stats": {"finish_reason": "eos"}}}
    assert out["seen"] == {"r1": True, "r3": False}
    assert out["states"] == [["booting", None], ["idle", None], ["generating", "r1"], ["idle", None],
                             ["generating", "r3"], ["idle", None]]


def test_cancel_answers_now_and_a_cancelled_load_skips_the_generation():
    out = run_node("""
        const machine = new EngineState((m) => posted.push(m));
        await machine.ensureBooted(async () => null);
        const answers = {};
        let ran = false;
        machine.generate("r1", (o) => { answers.r1 = o; }, {
            load: async () => { machine.cancel("r1"); }, run: async () => { ran = true; return {text: "", stats: {}}; }});
        await machine.serialized(async () => {});
        machine.generate("r2", (o) => { answers.r2 = o; }, {load: async () => {}, run: async () => {
            machine.stream("x"); machine.cancel(null); machine.stream("y");
            return {text: "xy", stats: {finish_reason: "eos"}}; }});
        await machine.serialized(async () => {});
        return {answers, ran, tokens: posted.filter((m) => m.type === "token").map((m) => m.text)};""")
    assert out["ran"] is False
    assert out["answers"]["r1"] == {"value": {"text": "", "stats": {"finish_reason": "cancelled"}, "cancelled": True}}
    assert out["answers"]["r2"] == {"value": {"text": "x", "stats": {"finish_reason": "cancelled"}, "cancelled": True}}
    assert out["tokens"] == ["x"]   # nothing is posted for a request already answered


def test_cancel_loads_aborts_the_signal_taken_before_it_only():
    out = run_node("""
        const machine = new EngineState(() => {});
        const before = machine.loadSignal;
        machine.cancelLoads(new Error("stopped"));
        return {before: before.aborted, reason: before.reason.message, after: machine.loadSignal.aborted};""")
    assert out == {"before": True, "reason": "stopped", "after": False}
