"""What the panel shows can be trusted, and only our own pages can steer it: grounding flags
name the span that failed, links in model output show where they go and never open the panel
again, a content script cannot ask for a summary, a result for a page the tab has left is not
shown as the new page's, and the panel names the device that runs the model.

Real extension in headless Chromium; only the stale-page test loads the model (it stops the
generation as soon as it starts)."""

import json
import time

import pytest

from precis_build.paths import REPO_ROOT

pytestmark = pytest.mark.browser
ARTIFACTS = REPO_ROOT / "test-artifacts"


def js(value):
    return json.dumps(value)


def present(panel, summary):
    """Show `summary` ({text, style, grounding}) in the panel's summary view."""
    panel.evaluate(f"""(async () => {{
        const tab = await window.precisPanel.activeTab();
        window.precisPanel.presentSummary({js(summary)}, null, tab.id);
        return true; }})()""")


def test_unsupported_points_mark_the_failed_span_beside_the_page_passage(ext, pages_url):
    panel = ext.open_with_panel(f"{pages_url}/article.html")
    # The engine's shape (precis.grounding.ground_as_dict): passages by index, each failed span with its reason.
    not_in_page = lambda span: {"span": span, "reason": "not in the page", "passage": -1}  # noqa: E731
    grounding = {"points": [
        {"point": "The bridge reopened on October 10.", "supported": False, "passage": 1,
         "unsupported_spans": ["October 10"], "reasons": [not_in_page("October 10")]},
        {"point": "Masons built it.", "supported": True, "passage": 0, "unsupported_spans": [], "reasons": []},
        # No passage, and no reasons at all.
        {"point": "Painted by <img src=x onerror=\"window.__xss='point'\"> an artist.", "supported": False,
         "passage": -1},
        {"point": "Two spans fail.", "supported": False, "passage": 0, "unsupported_spans": ["<b>Paris</b>", "1999"],
         "reasons": [not_in_page("<b>Paris</b>"), not_in_page("1999")]},
    ], "passages": {"0": {"start": 0, "end": 27, "text": "Twenty-two masons built it."},
                    "1": {"start": 5, "end": 49, "text": "The bridge reopened on the first of October."}}}
    present(panel, {"text": "- a\n- b\n- c\n- d", "style": "key-points", "grounding": grounding})
    shown = panel.evaluate("""(() => [...document.querySelectorAll('#grounding li')].map(li => ({
        cls: li.className,
        point: li.querySelector('.point').textContent,
        flags: [...li.querySelectorAll('.flag')].map(f => f.textContent),
        passage: li.querySelector('.passage')?.textContent ?? null,
        button: li.querySelector('button.source')?.title ?? null})))()""")
    assert shown == [
        {"cls": "unsupported", "point": "The bridge reopened on October 10.", "flags": ["October 10: not in the page"],
         "passage": "The bridge reopened on the first of October.", "button": None},
        {"cls": "supported", "point": "Masons built it.", "flags": [], "passage": None,
         "button": "Twenty-two masons built it."},
        {"cls": "unsupported", "point": "Painted by <img src=x onerror=\"window.__xss='point'\"> an artist.",
         "flags": ["Not found in the page"], "passage": None, "button": None},
        {"cls": "unsupported", "point": "Two spans fail.", "flags": ["<b>Paris</b>: not in the page", "1999: not in the page"],
         "passage": "Twenty-two masons built it.", "button": None},
    ]
    assert panel.evaluate("document.querySelectorAll('#grounding img, #grounding b').length") == 0
    assert panel.evaluate("window.__xss ?? null") is None
    ARTIFACTS.mkdir(exist_ok=True)
    panel.screenshot(ARTIFACTS / "panel-failed-spans.png")
    # A grounding with fields missing renders what is there.
    present(panel, {"text": "Just text.", "style": "tldr", "grounding": {"points": [{"point": "x"}]}})
    assert panel.evaluate("document.querySelector('#grounding li .flag').textContent") == "Not found in the page"
    present(panel, {"text": "Just text.", "style": "tldr"})
    assert panel.evaluate("document.getElementById('sources').hidden") is True


def test_conflated_and_contradicted_points_name_the_fact_and_show_what_the_page_says(ext, pages_url, ground_and_show):
    """Issue 16: the engine's `ground` request (no model) on the article; a point joining the
    quarry to the flood's year, and one turning "more than four thousand" around, each name the
    failed fact with the reason precis.grounding gives, quote the passage that contradicts it,
    and Show in page goes there."""
    panel = ext.open_with_panel(f"{pages_url}/article.html")
    summary = ("- The quarry that supplied the granite closed in 2023.\n"
               "- The masons cut fewer than four thousand blocks by hand.\n"
               "- Twenty-two masons rebuilt the bridge from granite.")
    shown = ground_and_show(panel, summary, go_to=1)
    assert shown["classes"] == ["unsupported", "unsupported", "supported"]
    assert shown["flags"] == [["2023: the page dates this to 1958"],
                              ["four thousand: the page says more than four thousand"], []]
    quarry = "Instead of ordering a new steel span, the town council voted to rebuild the bridge from granite"
    blocks = "They cut and set more than four thousand blocks by hand"
    assert shown["passages"][0].startswith(quarry) and shown["passages"][1].startswith(blocks)
    assert shown["buttons"][0] == shown["passages"][0] and shown["buttons"][1] == shown["passages"][1]
    assert shown["result"]["found"] is True and shown["result"]["text"].startswith(blocks)
    ARTIFACTS.mkdir(exist_ok=True)
    panel.screenshot(ARTIFACTS / "panel-contradicted-points.png")


def test_links_in_model_output_show_their_host_and_never_open_the_panel(ext, pages_url):
    panel = ext.panel or ext.open_with_panel(f"{pages_url}/article.html")
    text = ("[your bank](https://evil.example/login) [top](#top) <https://example.com/a> "
            "[write](mailto:someone@mail.example) [next page](other.html) [rel](//evil.example/x)")
    present(panel, {"text": text, "style": "tldr", "grounding": None})
    before = sorted(t["url"] for t in ext.cdp.targets("page"))
    seen = panel.evaluate("""(async () => {
        const body = document.getElementById('summary-body');
        const links = [...body.querySelectorAll('a')].map(a => [a.textContent, a.getAttribute('href'),
            a.nextSibling?.className === 'link-host' ? a.nextSibling.textContent : null,
            a.getAttribute('target'), a.getAttribute('rel')]);
        const attributes = new Set([...body.querySelectorAll('*')].flatMap(el => [...el.attributes].map(a => a.name)));
        // Click the links whose targets were dropped (web and mail links would open a real tab).
        body.querySelectorAll('a:not([href])').forEach(a => a.click());
        await new Promise(r => setTimeout(r, 500));
        return {links, attributes: [...attributes].sort(), url: location.href};
    })()""")
    assert seen["links"] == [
        ["your bank", "https://evil.example/login", " (evil.example)", "_blank", "noopener noreferrer"],
        ["top", None, None, None, None],
        ["https://example.com/a", "https://example.com/a", None, "_blank", "noopener noreferrer"],
        ["write", "mailto:someone@mail.example", " (someone@mail.example)", "_blank", "noopener noreferrer"],
        ["next page", None, None, None, None],
        ["rel", None, None, None, None],
    ]
    assert seen["attributes"] == ["class", "href", "rel", "target"]
    assert seen["url"].endswith("/sidepanel.html")  # the panel did not navigate
    assert sorted(t["url"] for t in ext.cdp.targets("page")) == before  # and no second panel opened in a tab


def test_a_content_script_cannot_ask_for_a_summary(ext, pages_url):
    panel = ext.open_with_panel(f"{pages_url}/article.html")
    answer = panel.evaluate("""(async () => {
        await chrome.storage.session.remove('pendingRequest');
        const tab = await window.precisPanel.activeTab();
        const [injected] = await chrome.scripting.executeScript({target: {tabId: tab.id}, args: [tab.id],
            func: (tabId) => chrome.runtime.sendMessage({type: 'precis:request', tabId, kind: 'page'})});
        const {pendingRequest} = await chrome.storage.session.get('pendingRequest');
        return {answer: injected.result, pending: pendingRequest ?? null};
    })()""")
    assert answer == {"answer": {"error": "precis:request is only accepted from the extension's own pages"},
                      "pending": None}
    # The panel itself (an extension page) still may.
    ext.reset_request()
    ext.request_summary("page")
    assert panel.evaluate("chrome.storage.session.get('pendingRequest').then(s => s.pendingRequest?.source ?? 'taken')") \
        in ("cli", "taken")
    panel.evaluate("document.getElementById('stop').click(); true")
    ext.wait_for_request(timeout=300)


def test_a_request_left_for_a_page_the_tab_has_left_is_dropped(ext, pages_url):
    panel = ext.open_with_panel(f"{pages_url}/article.html")
    ext.reset_request()
    panel.evaluate(f"""(async () => {{
        const tab = await window.precisPanel.activeTab();
        await chrome.storage.session.set({{pendingRequest: {{id: 'old', kind: 'page', source: 'menu', tabId: tab.id,
            url: {js(pages_url + '/short.html')}, at: Date.now()}}}});
        return true; }})()""")
    deadline = time.monotonic() + 10
    while not ext.panel_text("notice") and time.monotonic() < deadline:
        time.sleep(0.1)
    assert ext.panel_text("notice") == "The page changed before its summary could start: ask again on this page."
    assert panel.evaluate("window.precisPanel.state.lastRequest") is None
    assert panel.evaluate("chrome.storage.session.get('pendingRequest').then(s => s.pendingRequest ?? null)") is None


def test_a_result_for_a_page_the_tab_has_left_is_not_shown(ext, pages_url):
    """A summary runs for the article; the tab goes to another page: the request stops, and
    nothing of it is shown or kept as the new page's. The engine was asked with the device setting."""
    panel = ext.open_with_panel(f"{pages_url}/article.html")
    panel.evaluate("""(() => { window.__sent = []; const request = window.precisEngine.request.bind(window.precisEngine);
        window.precisEngine.request = (type, payload = {}) => { window.__sent.push([type, payload.device ?? null]);
            return request(type, payload); }; return true; })()""")
    ext.reset_request()
    ext.request_summary("page")
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        task = panel.evaluate("document.getElementById('task-message').textContent")
        if task == "Reading the page into the model…" or panel.evaluate("window.precisPanel.state.streamed"):
            break
        time.sleep(0.2)
    ext.driver.get(f"{pages_url}/short.html")
    assert ext.wait_for_request(timeout=600) is None
    shown = panel.evaluate("""({notice: document.getElementById('notice').textContent,
        summary: document.getElementById('summary').hidden,
        title: document.getElementById('page-title').textContent,
        kept: window.precisPanel.state.tabs.get(window.precisPanel.state.tabId)?.summary ?? null,
        busy: document.body.dataset.busy})""")
    assert shown == {"notice": "The page changed: the request for the previous page was stopped.", "summary": True,
                     "title": "Summarize the page in this tab, or ask about it.", "kept": None, "busy": ""}
    sent = panel.evaluate("window.__sent")
    assert ["load_model", "auto"] in sent and ["summarize", "auto"] in sent, sent
    # The model loaded: the engine facts say what runs it, from the engine's model info (its device when
    # it names one: "CPU, N threads" or the GPU's name; else the WebGPU adapter).
    facts = panel.evaluate("document.getElementById('engine-facts').innerText")
    device = panel.evaluate("window.precisPanel.state.model.device ?? null")
    if device and device.get("kind") == "cpu":
        threads = device["threads"]
        expected = f"CPU, {threads} thread" if threads == 1 else f"CPU, {threads} threads"
    else:
        expected = (device or {}).get("name") or panel.evaluate("window.precisPanel.state.status.adapter.name")
    assert f"Runs on\t{expected}" in facts or f"Runs on\n{expected}" in facts, facts


def test_the_panel_names_the_device_that_runs_the_model(ext, pages_url):
    panel = ext.panel or ext.open_with_panel(f"{pages_url}/article.html")
    labels = panel.evaluate("""(async () => {
        const { deviceLabel } = await import('./engine_status.js');
        const { state } = await import('./panel_state.js');
        const kept = {model: state.model, device: state.status.device};
        const labels = [];
        state.status.device = undefined;   // a boot status that names no device: the adapter, before a load
        for (const model of [{device: {kind: 'cpu', name: 'wasm', threads: 4}}, {device: {kind: 'cpu', name: 'wasm', threads: 1}},
                             {device: {kind: 'webgpu', name: 'Some GPU'}},
                             {}, null]) {
            state.model = model; labels.push(deviceLabel());
        }
        // Before a load: what the engine said "auto" runs on, when it says so.
        state.status.device = {kind: 'cpu', threads: 2};
        labels.push(deviceLabel());
        state.model = kept.model;
        state.status.device = kept.device;
        return {labels, adapter: state.status.adapter.name};
    })()""")
    assert labels["labels"] == ["CPU, 4 threads", "CPU, 1 thread", "Some GPU", labels["adapter"], labels["adapter"], "CPU, 2 threads"]


def test_the_model_picker_says_when_a_model_runs_on_the_cpu_because_our_gpu_kernels_cannot(ext, pages_url):
    """precis.engine's "auto" fallback (a real GPU, a model our WGSL lacks) reaches the picker as the device's
    reason; on this machine "auto" is the CPU anyway, so the message is checked from the module itself."""
    panel = ext.panel or ext.open_with_panel(f"{pages_url}/article.html")
    messages = panel.evaluate("""(async () => {
        const { usingMessage } = await import('./model_picker.js');
        const reason = "our GPU kernels cannot run this model (unsupported model architecture 'olmo2'), " +
                       "so llama.cpp runs it on the CPU";
        return [usingMessage({title: 'Olmo', architecture: 'olmo2', device: {kind: 'cpu', fallback: true, reason}}, 'o.gguf'),
                usingMessage({architecture: 'llama', device: {kind: 'cpu', reason: 'no WebGPU adapter'}}, 'm.gguf')];
    })()""")
    assert messages == ["Using Olmo (olmo2). It runs on the CPU: our GPU kernels cannot run this model (unsupported "
                        "model architecture 'olmo2'), so llama.cpp runs it on the CPU.",
                        "Using m.gguf (llama)."]


def _opfs_write(panel, name, text):
    panel.evaluate(f"""(async () => {{
        const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('models', {{create: true}});
        const writable = await (await dir.getFileHandle({js(name)}, {{create: true}})).createWritable();
        await writable.write({js(text)}); await writable.close();
        await (await import('./model_picker.js')).fillModelChoices();
        return true; }})()""")


def _model_picker(panel):
    return panel.evaluate("""(async () => {
        const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('models', {create: true});
        const files = {};
        for await (const [name, handle] of dir.entries()) files[name] = await (await handle.getFile()).text();
        return {message: document.getElementById('model-message').textContent,
                selected: document.getElementById('model-source').value,
                saved: (await chrome.storage.local.get('model')).model ?? null, files};
    })()""")


def _wait_for_verdict(panel, starts=("Loading", "Storing", "Checking")):
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        message = panel.evaluate("document.getElementById('model-message').textContent")
        if message and not message.startswith(starts):
            return message
        time.sleep(0.2)
    raise AssertionError("the model picker gave no verdict")


def test_choosing_a_stored_model_the_engine_refuses_keeps_the_previous_one(ext, pages_url, tmp_path):
    panel = ext.panel or ext.open_with_panel(f"{pages_url}/article.html")
    panel.evaluate("chrome.storage.local.clear().then(() => true)")
    _opfs_write(panel, "broken.gguf", "not a model at all, just text" * 8)
    panel.evaluate("""(() => { const el = document.getElementById('model-source'); el.value = 'opfs:broken.gguf';
        el.dispatchEvent(new Event('change')); return true; })()""")
    message = _wait_for_verdict(panel)
    assert message.startswith("This model file cannot be used: ") and "magic" in message.lower(), message
    shown = _model_picker(panel)
    # Not saved, the previous model selected again; the user's stored file is left alone.
    assert (shown["selected"], shown["saved"]) == ("package", None)
    assert list(shown["files"]) == ["broken.gguf"]
    assert panel.evaluate("window.precisPanel.state.settings.model") == "package"

    # A new file named like a stored one is refused before anything is written over it.
    clash = tmp_path / "broken.gguf"
    clash.write_bytes(b"GGUF" + bytes(60))
    document = panel.send("DOM.getDocument")["root"]["nodeId"]
    node = panel.send("DOM.querySelector", {"nodeId": document, "selector": "#model-file"})["nodeId"]
    panel.send("DOM.setFileInputFiles", {"nodeId": node, "files": [str(clash)]})
    message = _wait_for_verdict(panel)
    # Refused (this tree's engine) or checked aside and refused (an engine with add_model): an error either way.
    assert panel.evaluate("document.getElementById('model-message').dataset.kind") == "error", message
    shown = _model_picker(panel)
    assert shown["files"] == {"broken.gguf": "not a model at all, just text" * 8}
    assert (shown["selected"], shown["saved"]) == ("package", None)
    panel.evaluate("""(async () => { const root = await navigator.storage.getDirectory();
        await root.removeEntry('models', {recursive: true});
        await (await import('./model_picker.js')).fillModelChoices(); return true; })()""")
