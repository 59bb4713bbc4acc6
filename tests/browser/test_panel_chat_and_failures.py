"""The side panel's chat controls and failure paths, with the real model, in headless Chromium.

Clicks the panel's own buttons (Send, Regenerate, Copy, New chat) and asserts what the panel
shows after each; then a GPU device lost between two answers, a summary of a selection, and a
browser that has no WebGPU at all. SwiftShader decodes slowly here, so chat answers are capped
at a few tokens (the panel's chatMaxTokens) and the page is two sentences.
"""

import json
import time

import pytest

from precis_build import browser, extension_driver
from precis_build.paths import REPO_ROOT

pytestmark = pytest.mark.browser

QUESTION = "Who built the bridge?"
ANSWER_TOKENS = 3  # greedy, so a Regenerate must give the same few tokens
ARTIFACTS = REPO_ROOT / "test-artifacts"




def chat_view(panel):
    """What the chat shows: the bubbles, the buttons' state, the notice."""
    return panel.evaluate("""({
        user: [...document.querySelectorAll('#messages .message.user')].map(m => m.textContent),
        assistant: [...document.querySelectorAll('#messages .message.assistant')].map(m => m.textContent.trim()),
        regenerate: document.getElementById('regenerate').disabled,
        copy: document.getElementById('copy').disabled,
        notice: document.getElementById('notice').textContent,
        busy: document.body.dataset.busy})""")


def click_and_wait_idle(panel, button_id, timeout=600):
    """Click a panel button that starts an answer; wait until the panel is idle again."""
    panel.evaluate("window.__lastResult = window.precisPanel.state.lastResult;"
                   f" document.getElementById({json.dumps(button_id)}).click(); true")
    deadline = time.monotonic() + timeout
    time.sleep(0.2)
    while panel.evaluate("document.body.dataset.busy") and time.monotonic() < deadline:
        time.sleep(0.5)
    assert panel.evaluate("document.body.dataset.busy") == "", f"still answering after {timeout} s"
    return panel.evaluate("window.precisPanel.state.lastResult === window.__lastResult"
                          " ? null : window.precisPanel.state.lastResult")


@pytest.fixture(scope="module")
def first_answer(ext, pages_url):
    """A question typed and sent in the panel; the answer as the chat shows it."""
    panel = ext.open_with_panel(f"{pages_url}/short.html")
    ext.use_dev_engine()   # lose_device_for_test, below
    panel.evaluate(f"window.precisPanel.state.chatMaxTokens = {ANSWER_TOKENS}; true")
    panel.evaluate(f"document.getElementById('question').value = {json.dumps(QUESTION)}; true")
    result = click_and_wait_idle(panel, "send")
    assert result is not None, chat_view(panel)["notice"]
    return result


def test_send_shows_the_question_and_the_streamed_answer(ext, first_answer):
    stats = first_answer["stats"]
    assert stats["finish_reason"] in ("max_tokens", "eos", "stop_string")
    assert 1 <= stats["generated_tokens"] <= ANSWER_TOKENS
    assert first_answer["text"].strip()
    view = chat_view(ext.panel)
    assert view["user"] == [QUESTION]
    assert view["assistant"] == [first_answer["text"].strip()]
    assert view["regenerate"] is False and view["copy"] is False
    assert view["notice"] == ""
    assert ext.panel_text("stats").startswith("First token ")


def test_regenerate_replaces_the_answer_with_an_equal_greedy_one(ext, first_answer):
    result = click_and_wait_idle(ext.panel, "regenerate")
    assert result is not None, chat_view(ext.panel)["notice"]
    assert result["text"] == first_answer["text"]
    view = chat_view(ext.panel)
    # Replaced, not appended: still one question and one answer.
    assert view["user"] == [QUESTION]
    assert view["assistant"] == [first_answer["text"].strip()]
    assert view["notice"] == ""


def test_copy_puts_the_answer_on_the_clipboard(ext, first_answer):
    panel = ext.panel
    ext.cdp.send("Browser.grantPermissions", {
        "origin": f"chrome-extension://{browser.extension_id()}",
        "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})
    panel.send("Emulation.setFocusEmulationEnabled", {"enabled": True})  # the clipboard wants a focused page
    panel.evaluate("document.getElementById('copy').click(); true")
    deadline = time.monotonic() + 10
    while not chat_view(panel)["notice"] and time.monotonic() < deadline:
        time.sleep(0.1)
    assert chat_view(panel)["notice"] == "Copied."
    assert panel.evaluate("navigator.clipboard.readText()") == first_answer["text"]


def test_after_a_lost_device_the_next_answer_comes_from_a_new_device(ext, first_answer):
    panel = ext.panel
    # Whichever device the engine chose (here, with no real GPU: the CPU device, whose llama.cpp worker dies).
    lost = panel.evaluate("window.precisEngine.request('lose_device_for_test')")
    assert lost["lost"] and lost["kind"] == "device_lost" and (
        "GPU device was lost" in lost["message"] or lost["message"].startswith("The CPU device was lost"))
    # The panel is not told: its next answer rebuilds the device and goes on, greedy as before.
    result = click_and_wait_idle(panel, "regenerate")
    assert result is not None, chat_view(panel)["notice"]
    assert result["text"] == first_answer["text"]
    view = chat_view(panel)
    assert view["assistant"] == [first_answer["text"].strip()]
    assert view["notice"] == "" and view["busy"] == ""
    ARTIFACTS.mkdir(exist_ok=True)
    panel.screenshot(ARTIFACTS / "panel-chat-after-device-loss.png")


def test_new_chat_clears_the_conversation(ext, first_answer):
    panel = ext.panel
    panel.evaluate("document.getElementById('new-chat').click(); true")
    view = chat_view(panel)
    assert view["user"] == [] and view["assistant"] == []
    assert view["regenerate"] is True and view["copy"] is True  # nothing left to regenerate or copy
    assert panel.evaluate("window.precisPanel.state.tabs.get(window.precisPanel.state.tabId).messages") == []
    assert panel.evaluate("document.activeElement.id") == "question"


def test_summarize_selection_with_the_model(ext, first_answer):
    panel = ext.panel
    sentence = "Twenty-two masons built its three granite arches by hand."
    ext.driver.execute_script(f"""
        const p = document.querySelector('article p'); const text = p.firstChild;
        const at = text.data.indexOf({json.dumps(sentence)});
        const range = document.createRange(); range.setStart(text, at); range.setEnd(text, at + {len(sentence)});
        const s = getSelection(); s.removeAllRanges(); s.addRange(range);""")
    panel.evaluate("""(() => { const set = (id, v) => { const el = document.getElementById(id); el.value = v;
        el.dispatchEvent(new Event('change')); }; set('style', 'headline'); set('length', 'short'); return true; })()""")
    ext.reset_request()
    ext.request_summary("selection", source="menu")
    result = ext.wait_for_request(timeout=900)
    panel.evaluate("chrome.storage.local.clear()")
    assert result is not None, ext.panel_text("notice")
    assert result["kind"] == "selection"
    assert result["stats"]["finish_reason"] in ("eos", "stop_string", "max_tokens")
    assert result["text"].strip()
    shown = panel.evaluate("""({body: document.getElementById('summary-body').innerText.trim(),
        hidden: document.getElementById('summary').hidden,
        title: document.getElementById('page-title').textContent})""")
    assert shown["hidden"] is False
    assert shown["body"] == result["text"].strip()
    # The selection alone was summarized: the grounding's passages come from that one sentence.
    passages = [p["text"] for p in result["grounding"]["passages"].values()]
    assert passages and all(p in sentence for p in passages), passages
    panel.screenshot(ARTIFACTS / "panel-selection-summary.png")


def test_without_webgpu_the_panel_offers_the_cpu_and_a_gpu_setting_says_so_at_once(current_precis_wheel, pages_url,
                                                                                   tmp_path):
    """No WebGPU adapter: "auto" runs the CPU device (the boot status says so, the pill reads Ready (CPU));
    with the device set to GPU, a summary request ends at once with the reason instead of loading the model."""
    with extension_driver.launch(log_path=tmp_path / "chromedriver.log",
                                 drop_flags=("--enable-unsafe-webgpu",)) as driver:
        x = extension_driver.ExtensionDriver(driver)
        try:
            panel = x.open_with_panel(f"{pages_url}/short.html")
            status = panel.evaluate("window.precisStatus")
            assert status["adapter"]["available"] is False
            assert status["device"]["kind"] == "cpu" and status["device"]["reason"].startswith("no WebGPU adapter")
            assert panel.evaluate("document.getElementById('engine-state').textContent") == "Ready (CPU)"
            panel.evaluate("""(() => { const el = document.getElementById('device'); el.value = 'gpu';
                el.dispatchEvent(new Event('change')); return true; })()""")
            x.reset_request()
            x.request_summary("page", source="menu")
            started = time.monotonic()
            assert x.wait_for_request(timeout=120) is None
            assert time.monotonic() - started < 60
            notice = x.panel_text("notice")
            assert notice.startswith("WebGPU is not available here: ") and "needs a GPU" in notice
            assert panel.evaluate("document.body.dataset.busy") == ""
            assert panel.evaluate("document.getElementById('summary').hidden") is True
            ARTIFACTS.mkdir(exist_ok=True)
            panel.screenshot(ARTIFACTS / "panel-no-webgpu.png")
        finally:
            x.close()
