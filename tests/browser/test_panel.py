"""The side panel as users meet it: real extension, headless Chromium, local test pages.

One browser for the module: the test pages are opened in a tab with Selenium, our toolbar
button is clicked on that tab (DevTools Extensions.triggerAction: Chrome grants activeTab and
our service worker opens the side panel), and the panel is driven through its own DevTools
session. Requests go through the service worker's requestSummary(), as the menu's do.

These tests need no model output; the end-to-end summaries live with the GPU executor's tests.
"""

import json
import time

import pytest

from precis_build import browser, extension_driver
from precis_build.paths import REPO_ROOT

pytestmark = pytest.mark.browser

ARTIFACTS = REPO_ROOT / "test-artifacts"
ARTICLE_TITLE = "The Town That Rebuilt Its Bridge Out of Old Stone"




def request_and_wait(ext, kind="page"):
    ext.reset_request()
    ext.request_summary(kind)
    return ext.wait_for_request(timeout=300)


def panel_tab_id(ext):
    return ext.panel.evaluate("window.precisPanel.activeTab().then((tab) => tab.id)")


def js(value):
    return json.dumps(value)


def test_extraction_of_a_local_article(ext, pages_url):
    panel = ext.open_with_panel(f"{pages_url}/article.html")
    page = panel.evaluate("""(async () => {
        const { extractPage } = await import('./page_access.js');
        const tab = await window.precisPanel.activeTab();
        return extractPage(tab.id, { url: tab.url });
    })()""")
    assert page["title"] == ARTICLE_TITLE
    assert page["byline"] == "Maren Holt"
    assert page["lang"] == "en"
    assert page["url"] == f"{pages_url}/article.html"
    assert page["kind"] == "article"
    paragraphs = page["text"].split("\n\n")
    assert paragraphs[0].startswith("When the spring flood of 2023 swept away the iron bridge over the Vell river")
    assert "a crew of twenty-two masons, nine of them apprentices" in page["text"]
    assert paragraphs[-1].endswith("to repair the town's flood walls next year.")
    # Navigation and footer are not article text.
    assert "Weather" not in page["text"] and "©" not in page["text"]
    assert page["selection"] == ""


def test_selection_is_extracted_when_there_is_one(ext, pages_url):
    panel = ext.open_with_panel(f"{pages_url}/article.html")
    ext.driver.execute_script("""
        const p = document.querySelectorAll('article p')[3];
        const range = document.createRange(); range.selectNodeContents(p);
        const s = getSelection(); s.removeAllRanges(); s.addRange(range);""")
    page = panel.evaluate("""(async () => {
        const { extractPage } = await import('./page_access.js');
        const tab = await window.precisPanel.activeTab();
        return extractPage(tab.id, { url: tab.url, wantSelection: true });
    })()""")
    assert page["kind"] == "selection"
    assert page["text"].startswith("The work was done by a crew of twenty-two masons")
    assert page["text"].endswith("found in the parish archive.")


def test_page_without_article_gets_a_clear_message(ext, pages_url):
    """Through the menu: the service worker's own contextMenus.onClicked listener."""
    ext.open_with_panel(f"{pages_url}/empty.html")
    ext.reset_request()
    ext.click_menu("precis-summarize-page", panel_tab_id(ext))
    assert ext.wait_for_request(timeout=300) is None
    assert ext.panel_text("notice") == "This page has no article text to summarize (1 words found)."
    assert ext.panel.evaluate("document.getElementById('summary').hidden") is True


def test_restricted_page_gets_a_clear_message(ext):
    ext.open_with_panel("chrome://version/")
    assert request_and_wait(ext) is None
    assert ext.panel_text("notice") == ("This is a browser or Web Store page: Chrome does not let extensions "
                                        "read it.")


@pytest.mark.parametrize("url, expected", [
    ("chrome://settings/", "Chrome's own pages"),
    ("https://chromewebstore.google.com/detail/abc", "Chrome Web Store"),
    ("https://chrome.google.com/webstore/detail/abc", "Chrome Web Store"),
    ("view-source:https://example.com/", "view-source"),
    ("chrome-extension://abcdefghijklmnop/page.html", "Pages of extensions"),
    ("about:blank", "Browser pages"),
    ("https://example.com/article", None),
])
def test_restricted_urls_are_named(ext, url, expected):
    panel = ext.panel or ext.open_with_panel("about:blank")
    reason = panel.evaluate(f"import('./page_access.js').then(m => m.restrictedReason({js(url)}))")
    if expected is None:
        assert reason is None
    else:
        assert expected in reason


def test_xss_in_the_page_stays_text(ext, pages_url):
    """Page text reaches the panel as the page title and as grounding passages: both stay text."""
    panel = ext.open_with_panel(f"{pages_url}/xss.html")
    summary = "- Readers sent odd messages, which the article quotes as plain text."
    page = panel.evaluate(f"""(async () => {{
        const tab = await window.precisPanel.activeTab();
        const page = await window.precisPanel.readPage(tab.id, tab.url, 'page');
        const grounding = await window.precisEngine.ground({js(summary)}, page.text);
        window.precisPanel.presentSummary({{ text: {js(summary)}, style: 'key-points', grounding }}, page, tab.id);
        return page;
    }})()""")
    assert page["title"] == """Payload <img src=x onerror="window.parent.__xss='title'"> News"""
    assert "<script>window.__xss = 'escaped-script'</script>" in page["text"]
    time.sleep(0.5)  # an onerror would have fired by now
    seen = panel.evaluate("""({
        xss: window.__xss ?? null,
        loaders: document.querySelectorAll('img, script:not([src]), iframe').length,
        title: document.getElementById('page-title').textContent,
        passage: document.querySelector('#grounding button.source')?.title,
    })""")
    assert seen["xss"] is None and seen["loaders"] == 0
    assert seen["title"] == "Page: " + page["title"]
    assert seen["passage"].startswith("Some readers wrote in with odd messages: <img src=x onerror=")
    assert ext.driver.execute_script("return window.__xss === undefined")


def test_xss_in_model_output_is_rendered_inert(ext, pages_url):
    panel = ext.panel or ext.open_with_panel(f"{pages_url}/xss.html")
    payload = ("**Bold** text <img src=x onerror=\"window.__xss='img'\"> <script>window.__xss='script'</script>\n\n"
               "[a link](javascript:window.__xss='link') and [safe](https://example.com) "
               "<iframe src=\"https://example.com\"></iframe> <a href=\"x\" onclick=\"window.__xss='click'\">x</a>\n\n"
               "![tracker](https://example.com/pixel.png)")
    seen = panel.evaluate(f"""(async () => {{
        const tab = await window.precisPanel.activeTab();
        window.precisPanel.presentSummary({{ text: {js(payload)}, style: 'tldr', grounding: null }}, null, tab.id);
        // Click what could run code (not the web link: that one would open a tab).
        document.querySelectorAll('#summary-body a:not([href^="https:"])').forEach(a => a.click());
        await new Promise(r => setTimeout(r, 300));
        const body = document.getElementById('summary-body');
        return {{
            xss: window.__xss ?? null,
            html: body.innerHTML,
            bold: body.querySelector('strong')?.textContent,
            links: [...body.querySelectorAll('a')].map(a => [a.getAttribute('href'), a.getAttribute('onclick')]),
            loaders: body.querySelectorAll('img, script, iframe, object, embed, style, link').length,
        }};
    }})()""")
    assert seen["xss"] is None
    assert seen["bold"] == "Bold"
    assert seen["loaders"] == 0
    # javascript: and relative (chrome-extension://) targets are dropped; web links are kept.
    assert [href for href, _ in seen["links"]] == [None, "https://example.com", None]
    assert all(onclick is None for _, onclick in seen["links"])
    assert "onerror" not in seen["html"] and "javascript:" not in seen["html"]


def test_grounded_points_link_to_the_page_and_unsupported_ones_are_flagged(ext, pages_url, ground_and_show):
    panel = ext.open_with_panel(f"{pages_url}/article.html")
    summary = ("- The flood of 2023 destroyed the iron bridge over the Vell.\n"
               "- Twenty-two masons, nine of them apprentices, cut more than four thousand blocks.\n"
               "- The bridge was painted bright red by a famous artist from Paris.")
    before = ext.driver.execute_script("return document.body.innerHTML")
    shown = ground_and_show(panel, summary, go_to=1)
    assert shown["classes"] == ["supported", "supported", "unsupported"]
    # The third point's fact the page does not hold is named (precis.grounding's unsupported_spans).
    assert shown["flags"] == [[], [], ["Paris: not in the page"]], shown["flags"]
    assert shown["passages"][:2] == [None, None]
    assert shown["buttons"][0].startswith("When the spring flood of 2023 swept away the iron bridge")
    assert shown["buttons"][1].startswith("The work was done by a crew of twenty-two masons")
    assert shown["result"]["found"] is True
    assert shown["result"]["text"].startswith("The work was done by a crew of twenty-two masons")
    # The highlight is registered for the page, whose DOM is left exactly as it was.
    assert ext.driver.execute_script("return CSS.highlights.has('precis-passage')")
    assert ext.driver.execute_script("return document.body.innerHTML") == before
    ARTIFACTS.mkdir(exist_ok=True)
    panel.screenshot(ARTIFACTS / "panel-grounded-summary.png")


def test_settings_are_kept_in_storage_and_restored(ext, pages_url):
    panel = ext.panel or ext.open_with_panel(f"{pages_url}/article.html")
    defaults = panel.evaluate("chrome.storage.local.clear().then(() => import('./settings.js'))"
                              ".then(m => m.loadSettings())")
    assert defaults == {"model": "package", "style": "key-points", "length": "medium", "temperature": 0,
                        "device": "auto", "judge": False}
    assert panel.evaluate("document.getElementById('judge').checked") is False   # the model judge: off by default
    panel.evaluate("""(() => {
        const set = (id, value, event) => { const el = document.getElementById(id); el.value = value;
                                            el.dispatchEvent(new Event(event)); };
        set('style', 'headline', 'change'); set('length', 'long', 'change'); set('temperature', '0.7', 'change');
        set('device', 'cpu', 'change');
        const judge = document.getElementById('judge'); judge.checked = true; judge.dispatchEvent(new Event('change'));
        return true; })()""")
    time.sleep(0.3)
    stored = panel.evaluate("chrome.storage.local.get(null)")
    assert stored == {"style": "headline", "length": "long", "temperature": 0.7, "device": "cpu", "judge": True}
    panel.send("Page.reload")
    ext.panel = None
    panel = ext.wait_for_panel()
    shown = panel.evaluate("""({style: document.getElementById('style').value,
        length: document.getElementById('length').value,
        temperature: document.getElementById('temperature').value,
        device: document.getElementById('device').value, judge: document.getElementById('judge').checked})""")
    assert shown == {"style": "headline", "length": "long", "temperature": "0.7", "device": "cpu", "judge": True}
    # A stored value that is not valid falls back to its default.
    panel.evaluate("chrome.storage.local.set({style: 'poem', temperature: -3, device: 'tpu', judge: 'yes'})")
    # (checked against the styles and devices Python publishes in the boot status)
    assert panel.evaluate("window.precisStatus.then((s) => import('./settings.js').then(m => m.loadSettings(s.contract)))") == {
        "model": "package", "style": "key-points", "length": "long", "temperature": 0, "device": "auto", "judge": False}
    panel.evaluate("chrome.storage.local.clear()")


def test_keyboard_focus_order_and_enter_sends(ext, pages_url):
    panel = ext.panel or ext.open_with_panel(f"{pages_url}/article.html")
    panel.evaluate("document.activeElement.blur(); window.scrollTo(0, 0); true")
    order = []
    for _ in range(9):
        panel.key("Tab", key_code=9)
        order.append(panel.evaluate(
            "document.activeElement.id || document.activeElement.tagName.toLowerCase()"))
    # Disabled buttons (Regenerate, Copy with nothing to copy) are skipped.
    assert order[:7] == ["style", "length", "summarize", "question", "send", "new-chat", "summary"]
    panel.evaluate("document.getElementById('question').focus(); true")
    panel.send("Input.insertText", {"text": "Who built the bridge?"})
    panel.key("Enter", key_code=13)
    first = panel.evaluate("""new Promise(r => setTimeout(() => r({
        question: document.getElementById('question').value,
        user: [...document.querySelectorAll('#messages .message.user')].map(m => m.textContent)}), 200))""")
    assert first == {"question": "", "user": ["Who built the bridge?"]}
    # Esc stops an answer in progress; either way the panel comes back to idle.
    panel.key("Escape", key_code=27)
    deadline = time.monotonic() + 120
    while panel.evaluate("document.body.dataset.busy") and time.monotonic() < deadline:
        time.sleep(0.2)
    assert panel.evaluate("document.body.dataset.busy") == ""
    panel.screenshot(ARTIFACTS / "panel-after-question.png")


def _pick_file(panel, path):
    """Choose `path` in the panel's model file input, as the file dialog would."""
    document = panel.send("DOM.getDocument")["root"]["nodeId"]
    node = panel.send("DOM.querySelector", {"nodeId": document, "selector": "#model-file"})["nodeId"]
    panel.send("DOM.setFileInputFiles", {"nodeId": node, "files": [str(path)]})


def _wait_for_model_message(panel, previous=""):
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        message = panel.evaluate("document.getElementById('model-message').textContent")
        if message and message != previous and not message.startswith(("Storing", "Checking")):
            return message
        time.sleep(0.2)
    raise AssertionError("the model picker gave no verdict")


def test_a_bad_model_file_is_refused_with_a_clear_message(ext, pages_url, smollm2_path, tmp_path):
    panel = ext.panel or ext.open_with_panel(f"{pages_url}/article.html")
    cut = tmp_path / "cut-short.gguf"
    cut.write_bytes(smollm2_path.read_bytes()[:3 * 1024 * 1024])  # a real header, then nothing
    _pick_file(panel, cut)
    message = _wait_for_model_message(panel)
    assert message.startswith("This model file cannot be used: ")
    assert "tensor" in message or "end of" in message or "truncated" in message, message
    text = tmp_path / "notes.gguf"
    text.write_text("<html>this is not a model</html>" * 4)
    _pick_file(panel, text)
    message = _wait_for_model_message(panel, message)
    assert message.startswith("This model file cannot be used: ") and "magic" in message.lower(), message
    wrong = tmp_path / "model.bin"
    wrong.write_bytes(b"GGUF")
    _pick_file(panel, wrong)
    assert _wait_for_model_message(panel, message) == '"model.bin" is not a .gguf file'
    # Nothing was kept: the setting, the model list and the browser's storage are as before.
    kept = panel.evaluate("""(async () => {
        const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('models', {create: true});
        const names = []; for await (const [name] of dir.entries()) names.push(name);
        return { setting: window.precisPanel.state.settings.model, stored: names,
                 saved: (await chrome.storage.local.get('model')).model ?? null,
                 selected: document.getElementById('model-source').value,
                 choices: [...document.querySelectorAll('#model-source option:not([disabled])')].map(o => o.value) };
    })()""")
    assert kept == {"setting": "package", "stored": [], "saved": None, "selected": "package", "choices": ["package"]}


def test_adding_a_model_can_be_cancelled_and_nothing_is_kept(ext, pages_url, smollm2_path, tmp_path):
    panel = ext.panel or ext.open_with_panel(f"{pages_url}/article.html")
    mine = tmp_path / "mine.gguf"
    mine.write_bytes(smollm2_path.read_bytes())   # a real model: it would load
    before = panel.evaluate("document.getElementById('model-message').textContent")
    _pick_file(panel, mine)
    # Cancel shows while the file is stored and checked; a click stops it.
    clicked = panel.evaluate("""new Promise((resolve) => { const poll = setInterval(() => {
        const button = document.getElementById('model-cancel');
        if (!button.hidden) { clearInterval(poll); button.click(); resolve(true); } }, 5); })""")
    assert clicked
    message = _wait_for_model_message(panel, before)
    assert message == "Loading the model was stopped: the model in use is unchanged."
    kept = panel.evaluate("""(async () => {
        const root = await navigator.storage.getDirectory(), names = [];
        for (const folder of ['models', 'models-incoming']) {
            const dir = await root.getDirectoryHandle(folder, {create: true});
            for await (const [name] of dir.entries()) names.push(`${folder}/${name}`); }
        return { setting: window.precisPanel.state.settings.model, stored: names,
                 selected: document.getElementById('model-source').value,
                 cancelShown: !document.getElementById('model-cancel').hidden,
                 kind: document.getElementById('model-message').dataset.kind,
                 notice: document.getElementById('notice').hidden ? '' : document.getElementById('notice').textContent };
    })()""")
    assert "stopped" not in kept.pop("notice")   # a cancel is no error: the settings line says it, no notice
    assert kept == {"setting": "package", "stored": [], "selected": "package", "cancelShown": False, "kind": "info"}


def test_no_request_leaves_the_extension_during_a_run(ext, pages_url):
    """Reload the panel with network recording on (panel and its engine worker), boot, read
    the article and ask for a summary: every request stays inside chrome-extension://."""
    panel = ext.open_with_panel(f"{pages_url}/article.html")
    cdp = ext.cdp
    panel.send("Network.enable")
    panel.send("Target.setAutoAttach", {"autoAttach": True, "waitForDebuggerOnStart": True, "flatten": True})
    cdp.events.clear()
    panel.send("Page.reload")
    sessions = {panel.id}
    deadline = time.monotonic() + 120
    ready = False
    while time.monotonic() < deadline and not ready:
        cdp.pump(0.1)
        for session_id, method, params in list(cdp.events):
            if method == "Target.attachedToTarget" and params["sessionId"] not in sessions:
                child = params["sessionId"]
                sessions.add(child)
                cdp.send("Network.enable", {}, child)
                cdp.send("Runtime.runIfWaitingForDebugger", {}, child)
        try:
            ready = panel.evaluate("Boolean(window.precisPanel) && window.precisPanel.ready.then(() => true)")
        except extension_driver.CDPError:
            ready = False  # the page is between documents
    assert ready
    ext.reset_request()
    ext.request_summary("page")
    # Once the model is read and generation has begun, Stop: the run ends without finishing.
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        state = panel.evaluate("({task: document.getElementById('task-message').textContent,"
                               " notice: document.getElementById('notice').textContent,"
                               " busy: document.body.dataset.busy})")
        if state["task"] == "Reading the page into the model…" or not state["busy"] and state["notice"]:
            break
        time.sleep(0.2)
    panel.evaluate("document.getElementById('stop').click(); true")
    result = ext.wait_for_request(timeout=300)
    if result is not None:
        assert result["stats"]["finish_reason"] == "cancelled"
        assert ext.panel_text("notice") == "Stopped."
    else:  # a build without the GPU executor: generation could not start, and the panel says so
        assert "executor" in ext.panel_text("notice")
    cdp.pump(0.5)
    urls = [params["request"]["url"] for session_id, method, params in cdp.events
            if method == "Network.requestWillBeSent" and session_id in sessions]
    assert len(sessions) >= 2, "the engine worker was not recorded"
    inside = f"chrome-extension://{browser.extension_id()}/"
    assert any(u.endswith("pyodide.asm.wasm") for u in urls)
    assert any(u.endswith(".gguf") for u in urls), "the model was not read during the run"
    leaving = [u for u in urls if not (u.startswith(inside) or u.startswith(("data:", "blob:")))]
    assert leaving == []


def test_a_second_request_stops_the_first(ext, pages_url):
    """Two summary requests at once: the newer one wins and the panel says so."""
    panel = ext.open_with_panel(f"{pages_url}/article.html")
    panel.evaluate("""(() => {
        window.__notices = [];
        new MutationObserver(() => window.__notices.push(document.getElementById('notice').textContent))
            .observe(document.getElementById('notice'), {childList: true, characterData: true, subtree: true});
        return true; })()""")
    ext.reset_request()
    ext.request_summary("page")
    first = None
    deadline = time.monotonic() + 30
    while first is None and time.monotonic() < deadline:
        if panel.evaluate("window.precisPanel.state.lastRequest !== null"):
            panel.evaluate("window.__first = window.precisPanel.state.lastRequest; true")
            first = True
        time.sleep(0.05)
    assert first
    ext.reset_request()
    ext.request_summary("page")
    # The first request ends unfinished: stopped while loading (None), or mid-generation (cancelled).
    first_outcome = panel.evaluate("window.__first")
    assert first_outcome is None or first_outcome["stats"]["finish_reason"] == "cancelled"
    panel.evaluate("""new Promise(r => { const wait = () => window.precisPanel.state.lastRequest
        ? r(true) : setTimeout(wait, 50); wait(); })""")
    panel.evaluate("document.getElementById('stop').click(); true")
    ext.wait_for_request(timeout=300)
    notices = panel.evaluate("window.__notices")
    assert "The previous request was stopped: a newer one came in." in notices


def test_menu_path_streams_the_models_summary(ext, pages_url, llama_cpp_would_write):
    """End to end with the real default model on the device the engine chooses here (no real GPU: the CPU
    device, llama.cpp in wasm): the menu's request, extraction, streaming, grounding, timings; every token of
    the text is native llama.cpp's greedy choice for the same prompt, or within a near-tie of it
    (conftest.llama_cpp_would_write: wasm and x86 kernels round differently). The WebGPU path's exact greedy
    text of the same page is pinned in test_webgpu_engine.py."""
    panel = ext.open_with_panel(f"{pages_url}/short.html")
    panel.evaluate("""(() => { const set = (id, v) => { const el = document.getElementById(id); el.value = v;
        el.dispatchEvent(new Event('change')); }; set('style', 'headline'); set('length', 'short'); return true; })()""")
    ext.reset_request()
    ext.click_menu("precis-summarize-page", panel_tab_id(ext))  # the service worker's own menu listener
    result = ext.wait_for_request(timeout=1500)
    assert result is not None, ext.panel_text("notice")
    stats = result["stats"]
    assert stats["finish_reason"] in ("eos", "stop_string", "max_tokens")
    assert stats["ttft_s"] > 0 and stats["generated_tokens"] >= 1
    assert result["text"].strip()
    assert panel.evaluate("window.precisPanel.state.streamed") == result["text"]
    assert result["grounding"]["points"][0]["point"] == result["text"].strip()
    assert ext.panel_text("stats").startswith("First token ")

    # The same request on CPython, teacher-forced through native llama.cpp.
    page = panel.evaluate("window.precisPanel.state.tabs.get(window.precisPanel.state.tabId).page")
    llama_cpp_would_write(page, "headline", "short", result["text"], stats["finish_reason"])
    panel.screenshot(ARTIFACTS / "panel-model-summary.png")
    panel.evaluate("chrome.storage.local.clear()")


def test_follow_up_question_streams_and_stop_ends_it(ext, pages_url):
    """A question about the page, answered by the real model: text streams into the chat, and
    Stop (Esc) ends the answer mid-generation, keeping what came."""
    panel = ext.panel or ext.open_with_panel(f"{pages_url}/short.html")
    if "short.html" not in ext.driver.current_url:
        panel = ext.open_with_panel(f"{pages_url}/short.html")
    panel.evaluate("window.__answer = window.precisPanel.ask('When did the bridge reopen?'); true")
    deadline = time.monotonic() + 1200
    while not panel.evaluate("window.precisPanel.state.streamed") and time.monotonic() < deadline:
        time.sleep(0.5)
    assert panel.evaluate("window.precisPanel.state.streamed"), ext.panel_text("notice")
    panel.evaluate("document.getElementById('question').focus(); true")
    panel.key("Escape", key_code=27)
    result = panel.evaluate("window.__answer", timeout=600)
    assert result["stats"]["finish_reason"] == "cancelled"
    assert result["text"].strip()
    shown = panel.evaluate("""({
        user: [...document.querySelectorAll('#messages .message.user')].map(m => m.textContent),
        assistant: [...document.querySelectorAll('#messages .message.assistant')].map(m => m.textContent.trim()),
        regenerate: document.getElementById('regenerate').disabled,
        notice: document.getElementById('notice').textContent})""")
    assert shown["user"][-1] == "When did the bridge reopen?"
    assert shown["assistant"][-1] and result["text"].strip().startswith(shown["assistant"][-1][:10])
    assert shown["regenerate"] is False
    assert shown["notice"] == "Stopped."
