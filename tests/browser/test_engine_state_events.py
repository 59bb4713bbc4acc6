"""The engine's state has one owner, the worker's state machine (extension/engine/engine_state.js), and the
panel renders what it says: with the real extension, engine and built-in model in headless Chromium, the state
events the panel's store receives follow a load then a summary; a second summary while the first streams ends
the first "cancelled" and the second completes (the worker's newest-wins); and Cancel during a model change
keeps the model in use, as the worker's events say."""

import time

import pytest

pytestmark = pytest.mark.browser

# Every "engine" change of the panel's store (its only source: the worker's state events) from now on, as
# [state, the loaded model's source, the generation's id]; one subscriber per panel, its list emptied each time.
RECORD = """import('./panel_state.js').then(({ state, subscribe }) => {
    window.__engineStates = [];
    if (!window.__recordingStates) subscribe((change) => { if (change === 'engine') window.__engineStates.push(
        [state.engine.state, state.engine.model?.source ?? null, state.engine.requestId]); });
    window.__recordingStates = true;
    return true; })"""

SET = """((settings) => { for (const [id, v] of Object.entries(settings)) { const el = document.getElementById(id);
    el.value = v; el.dispatchEvent(new Event('change')); } return true; })"""


def states(panel):
    return panel.evaluate("window.__engineStates")


def test_a_load_then_a_summary_go_idle_loading_idle_generating_idle(ext, pages_url):
    panel = ext.open_with_panel(f"{pages_url}/short.html")
    panel.evaluate(f"{SET}({{style: 'headline', length: 'short'}})")
    assert panel.evaluate("window.precisPanel.state.engine.state") == "idle"   # booted, no model yet
    assert panel.evaluate("window.precisPanel.state.model") is None
    panel.evaluate(RECORD)
    ext.reset_request()
    ext.request_summary("page")
    result = ext.wait_for_request(timeout=900)
    assert result is not None, ext.panel_text("notice")
    assert result["stats"]["finish_reason"] in ("eos", "stop_string", "max_tokens")
    seen = states(panel)
    assert [s[:2] for s in seen] == [["loading", None], ["idle", "package"], ["generating", "package"],
                                     ["idle", "package"]]
    assert seen[2][2].startswith("r") and seen[0][2] is seen[1][2] is seen[3][2] is None
    # The panel's model is the worker's, and the facts show it.
    assert panel.evaluate("window.precisPanel.state.model.source") == "package"
    assert "Model" in ext.panel_text("engine-facts")


def test_a_second_summary_while_the_first_streams_cancels_it_and_completes(ext, pages_url):
    panel = ext.panel
    panel.evaluate(f"{SET}({{style: 'key-points', length: 'long'}})")   # the first: long enough to be caught
    panel.evaluate(RECORD)
    ext.reset_request()
    ext.request_summary("page")
    deadline = time.monotonic() + 600
    while not panel.evaluate("window.precisPanel.state.lastRequest !== null && window.precisPanel.state.streamed"):
        assert time.monotonic() < deadline, ext.panel_text("notice")
        time.sleep(0.05)
    panel.evaluate("window.__first = window.precisPanel.state.lastRequest;"
                   f" {SET}({{style: 'headline', length: 'short'}})")
    ext.reset_request()
    ext.request_summary("page")
    first = panel.evaluate("window.__first", timeout=120)
    assert first["stats"]["finish_reason"] == "cancelled"
    second = ext.wait_for_request(timeout=900)
    assert second is not None, ext.panel_text("notice")
    assert second["stats"]["finish_reason"] in ("eos", "stop_string", "max_tokens")
    assert second["style"] == "headline"
    seen = states(panel)
    assert [s[:2] for s in seen] == [["generating", "package"], ["idle", "package"], ["generating", "package"],
                                     ["idle", "package"]]
    assert seen[0][2] != seen[2][2]   # two generations, one after the other, never both


def test_cancel_during_a_model_change_keeps_the_model_in_use(ext, smollm2_path, tmp_path):
    panel = ext.panel
    assert panel.evaluate("window.precisPanel.state.model.source") == "package"
    mine = tmp_path / "mine.gguf"
    mine.write_bytes(smollm2_path.read_bytes())   # a real model: it would load
    panel.evaluate(RECORD)
    document = panel.send("DOM.getDocument")["root"]["nodeId"]
    node = panel.send("DOM.querySelector", {"nodeId": document, "selector": "#model-file"})["nodeId"]
    panel.send("DOM.setFileInputFiles", {"nodeId": node, "files": [str(mine)]})
    # Cancel shows while the file is stored and loaded; it is clicked once the worker says it is loading.
    assert panel.evaluate("""new Promise((resolve) => { const poll = setInterval(() => {
        const button = document.getElementById('model-cancel');
        if (!button.hidden && window.precisPanel.state.engine.state === 'loading') {
            clearInterval(poll); button.click(); resolve(true); } }, 5); })""", timeout=120)
    deadline = time.monotonic() + 120
    while panel.evaluate("document.getElementById('model-message').textContent") != \
            "Loading the model was stopped: the model in use is unchanged.":
        assert time.monotonic() < deadline, panel.evaluate("document.getElementById('model-message').textContent")
        time.sleep(0.2)
    assert states(panel) == [["loading", "package", None], ["idle", "package", None]]
    assert panel.evaluate("window.precisPanel.state.model.source") == "package"
    assert panel.evaluate("window.precisPanel.state.settings.model") == "package"
