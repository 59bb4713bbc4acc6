"""Drive the real extension the way a user does: the toolbar button on a tab, the side panel.

Selenium sees pages only; the side panel is a separate target and the toolbar button is
browser UI. Both are reached through Chrome's DevTools protocol at the browser level:
  - Extensions.triggerAction clicks our toolbar button on a tab (Chrome then grants activeTab
    and our service worker opens the side panel), which needs Chromium started with
    --enable-unsafe-extension-debugging;
  - the side panel page is attached as a CDP session: evaluate, screenshot, key presses.
Used by `precis summarize` and the browser tests.
"""

from __future__ import annotations

import base64
import json
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from precis_build import browser
from precis_build.errors import UserError

PANEL_PATH = "extension/sidepanel/sidepanel.html"
# The panel's test/CLI hook (window.precisPanel, precisEngine, precisStatus): injected into the
# panel page by this driver, never shipped (see panel_probe.js).
PROBE_PATH = "build/precis_build/panel_probe.js"
PROBE_IMPORT = f"import(chrome.runtime.getURL({json.dumps(PROBE_PATH)}))"


def install_probe(driver) -> None:
    """For Selenium pages: every extension page loaded from now on gets the panel probe."""
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument",
                           {"source": f"if (location.pathname.endsWith('/sidepanel.html')) {PROBE_IMPORT};"})


@contextmanager
def launch(log_path: Path | None = None, *, drop_flags: tuple = (), add_flags: tuple = ()):
    """browser.launch(); its flags enable the DevTools extension domain (for the toolbar button)."""
    with browser.launch(log_path=log_path, drop_flags=drop_flags, add_flags=add_flags) as driver:
        yield driver


class CDPError(RuntimeError):
    pass


class BrowserCDP:
    """A browser-level DevTools connection (JSON over the websocket chromedriver's Chrome exposes)."""

    def __init__(self, driver):
        import websocket  # a dependency of selenium

        address = driver.capabilities["goog:chromeOptions"]["debuggerAddress"]
        with urllib.request.urlopen(f"http://{address}/json/version", timeout=10) as response:
            url = json.load(response)["webSocketDebuggerUrl"]
        self.ws = websocket.create_connection(url, suppress_origin=True, timeout=600)
        self.next_id = 0
        self.events: list = []  # (session_id, method, params) not yet consumed

    def close(self) -> None:
        self.ws.close()

    def send(self, method: str, params: dict | None = None, session_id: str | None = None,
             timeout: float = 600) -> dict:
        import websocket

        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session_id:
            message["sessionId"] = session_id
        self.ws.send(json.dumps(message))
        deadline = time.monotonic() + timeout
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise CDPError(f"{method}: no answer in {timeout:.0f} s")
                self.ws.settimeout(left)
                reply = json.loads(self.ws.recv())
                if reply.get("id") == self.next_id:
                    if "error" in reply:
                        raise CDPError(f"{method}: {reply['error'].get('message')}")
                    return reply.get("result", {})
                if "method" in reply:
                    self.events.append((reply.get("sessionId"), reply["method"], reply.get("params", {})))
        except websocket.WebSocketTimeoutException:
            raise CDPError(f"{method}: no answer in {timeout:.0f} s") from None
        except (websocket.WebSocketConnectionClosedException, ConnectionError) as e:
            raise CDPError(f"{method}: the browser closed the connection ({e})") from None

    def pump(self, seconds: float = 0.05) -> None:
        """Collect events that arrive within `seconds`."""
        self.ws.settimeout(seconds)
        try:
            while True:
                reply = json.loads(self.ws.recv())
                if "method" in reply:
                    self.events.append((reply.get("sessionId"), reply["method"], reply.get("params", {})))
        except Exception:  # websocket timeout: nothing more for now
            pass
        finally:
            self.ws.settimeout(600)

    def targets(self, kind: str | None = None) -> list:
        params = {"filter": [{"type": kind}]} if kind else {}
        return self.send("Target.getTargets", params)["targetInfos"]

    def attach(self, target_id: str) -> str:
        return self.send("Target.attachToTarget", {"targetId": target_id, "flatten": True})["sessionId"]


class Session:
    """One attached target (a page or worker): evaluate JS, screenshots, keys."""

    def __init__(self, cdp: BrowserCDP, target_id: str):
        self.cdp = cdp
        self.target_id = target_id
        self.id = cdp.attach(target_id)

    def send(self, method: str, params: dict | None = None, timeout: float = 600) -> dict:
        return self.cdp.send(method, params, self.id, timeout)

    def evaluate(self, expression: str, timeout: float = 600):
        """Value of a JS expression (awaited if it is a promise); JS exceptions raise CDPError."""
        result = self.send("Runtime.evaluate", {"expression": expression, "awaitPromise": True,
                                                 "returnByValue": True, "userGesture": True}, timeout)
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            raise CDPError(f"JS error: {text}")
        return result["result"].get("value")

    def screenshot(self, path: Path) -> Path:
        data = self.send("Page.captureScreenshot", {"format": "png"})["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
        return path

    def key(self, key: str, code: str | None = None, key_code: int = 0, modifiers: int = 0, text: str = "") -> None:
        """Press and release one key (e.g. "Tab", "Enter", "Escape")."""
        base = {"key": key, "code": code or key, "windowsVirtualKeyCode": key_code,
                "nativeVirtualKeyCode": key_code, "modifiers": modifiers}
        self.send("Input.dispatchKeyEvent", {"type": "rawKeyDown", **base})
        if text:
            self.send("Input.dispatchKeyEvent", {"type": "char", "text": text, **base})
        self.send("Input.dispatchKeyEvent", {"type": "keyUp", **base})


KEY_CODES = {"Tab": 9, "Enter": 13, "Escape": 27}


class ExtensionDriver:
    """The extension as a user meets it: tabs opened with Selenium, the toolbar button and the
    side panel through the browser-level DevTools connection."""

    def __init__(self, driver):
        self.driver = driver
        self.cdp = BrowserCDP(driver)
        self.panel: Session | None = None

    def close(self) -> None:
        self.cdp.close()

    def tab_target(self, url_prefix: str | None = None) -> str:
        """Target id of the tab showing Selenium's current page."""
        url = url_prefix or self.driver.current_url
        for target in self.cdp.targets("tab"):
            if target["url"].startswith(url) or target["url"] == url:
                return target["targetId"]
        raise UserError(f"no browser tab shows {url}")

    def open(self, url: str) -> str:
        """Show `url` in Selenium's tab; return that tab's target id."""
        self.driver.get(url)
        return self.tab_target(self.driver.current_url)

    def click_toolbar_button(self, tab_target: str, probe: bool = True) -> Session:
        """Our toolbar button on a tab: grants activeTab and opens the side panel; returns the
        panel, once its engine has booted. probe: inject the tests' panel probe (panel_probe.js)."""
        self.cdp.send("Extensions.triggerAction", {"id": browser.extension_id(), "targetId": tab_target})
        return self.wait_for_panel(probe=probe)

    def open_with_panel(self, url: str, probe: bool = True) -> Session:
        """Show `url` in the tab and click our toolbar button on it, as a user does."""
        return self.click_toolbar_button(self.open(url), probe=probe)

    def wait_for_panel(self, timeout: float = 60, probe: bool = True) -> Session:
        if self.panel is not None:
            return self.panel
        deadline = time.monotonic() + timeout
        panel_url = browser.extension_url(PANEL_PATH)
        while time.monotonic() < deadline:
            for target in self.cdp.targets("page"):
                if target["url"].startswith(panel_url):
                    panel = Session(self.cdp, target["targetId"])
                    # The probe, now and after every reload of the panel; then wait for it and for boot. A page
                    # that is cross-origin isolated (manifest.json's COOP/COEP) may have no execution context yet.
                    panel.send("Page.enable")  # (addScriptToEvaluateOnNewDocument acts only with it)
                    if probe:
                        panel.send("Page.addScriptToEvaluateOnNewDocument", {"source": f"{PROBE_IMPORT};"})
                    # Under load the panel's first context can exist before the extension's APIs are bound
                    # into it: wait for chrome.runtime before importing the probe through it.
                    while not self._evaluate_when_ready(panel, "Boolean(globalThis.chrome?.runtime?.getURL)", deadline):
                        if time.monotonic() > deadline:
                            raise UserError("the side panel opened but has no extension APIs")
                        time.sleep(0.1)
                    if not probe:
                        self._wait_until_booted(panel, deadline)
                        self.panel = panel
                        return panel
                    self._evaluate_when_ready(panel, f"{PROBE_IMPORT}.then(() => true)", deadline)
                    while not self._evaluate_when_ready(panel, "Boolean(window.precisPanel)", deadline):
                        if time.monotonic() > deadline:
                            raise UserError("the side panel opened but its script did not start")
                        time.sleep(0.1)
                    panel.evaluate("window.precisPanel.ready")
                    self.panel = panel
                    return panel
            time.sleep(0.2)
        raise UserError("the side panel did not open")

    @staticmethod
    def _wait_until_booted(panel: Session, deadline: float) -> None:
        """What the panel itself shows: its pill leaves "loading" once it is wired and the engine booted, or
        the failure section says why it could not start."""
        while True:
            shown = ExtensionDriver._evaluate_when_ready(panel, """(() => {
                const failure = document.getElementById('failure'), pill = document.getElementById('engine-state');
                return {failed: Boolean(failure && !failure.hidden), state: pill?.dataset.state ?? 'loading',
                        message: document.getElementById('failure-message')?.textContent ?? ''}; })()""", deadline)
            if shown["failed"]:
                raise UserError(f"the side panel could not start its engine: {shown['message']}")
            if shown["state"] != "loading":
                return
            if time.monotonic() > deadline:
                raise UserError("the side panel's engine did not start")
            time.sleep(0.2)

    @staticmethod
    def _evaluate_when_ready(panel: Session, expression: str, deadline: float):
        """panel.evaluate, retried while the page has no execution context yet (it is still being created)."""
        while True:
            try:
                return panel.evaluate(expression)
            except CDPError as e:
                if "Cannot find default execution context" not in str(e) or time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def use_dev_engine(self) -> None:
        """The panel's engine becomes the dev worker (the product worker plus the tests' requests, such as
        lose_device_for_test): a new worker, booted; call it before a model is loaded."""
        self.panel.evaluate("window.precisPanel.useDevEngine().then(() => true)")

    def request_summary(self, kind: str = "page", source: str = "cli") -> None:
        """Ask the service worker for a summary of the panel's tab: the same requestSummary()
        the context menu and the shortcut call (it stores pendingRequest; the panel takes it).
        click_menu() takes the menu's own path instead."""
        self.panel.evaluate(
            "(async () => { const tab = await window.precisPanel.activeTab();"
            f" const answer = await chrome.runtime.sendMessage({{type: 'precis:request', tabId: tab.id,"
            f" kind: {json.dumps(kind)}, source: {json.dumps(source)}}});"
            " if (answer?.error) throw new Error(answer.error); return true; })()")

    def service_worker(self) -> Session:
        """The extension's service worker as a CDP session (woken by a message if it sleeps)."""
        worker_url = browser.extension_url("extension/background/service_worker.js")
        for _ in range(50):
            for target in self.cdp.targets("service_worker"):
                if target["url"] == worker_url:
                    return Session(self.cdp, target["targetId"])
            # Any message wakes it; none of ours is answered, so the (absent) answer is ignored.
            self.panel.evaluate("chrome.runtime.sendMessage({type: 'precis:wake'}).then(() => true, () => true)")
            time.sleep(0.1)
        raise UserError("the extension's service worker is not running")

    def click_menu(self, item_id: str, tab_id: int) -> None:
        """Our context-menu item clicked on a tab: calls the listener the service worker itself
        registered with chrome.contextMenus.onClicked (found among the worker's functions by name
        and checked with hasListener), with what Chrome passes it: (info, tab)."""
        worker = self.service_worker()
        proto = worker.send("Runtime.evaluate", {"expression": "Function.prototype"})["result"]["objectId"]
        functions = worker.send("Runtime.queryObjects", {"prototypeObjectId": proto})["objects"]["objectId"]
        result = worker.send("Runtime.callFunctionOn", {
            "objectId": functions, "awaitPromise": True, "returnByValue": True, "userGesture": True,
            "arguments": [{"value": item_id}, {"value": tab_id}],
            "functionDeclaration": """async function (menuItemId, tabId) {
                const listener = this.find((f) => f.name === "onMenuClicked"
                                           && chrome.contextMenus.onClicked.hasListener(f));
                if (!listener) throw new Error("no onMenuClicked listener is registered");
                listener({ menuItemId, pageUrl: (await chrome.tabs.get(tabId)).url }, await chrome.tabs.get(tabId));
                return true;
            }"""})
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            raise CDPError(f"JS error: {details.get('exception', {}).get('description') or details.get('text')}")

    def panel_tab_id(self) -> int:
        """The chrome.tabs id of the tab active in the panel's window (the one the panel serves)."""
        return self.panel.evaluate("chrome.tabs.query({active: true, currentWindow: true}).then(([tab]) => tab.id)")

    def listen_for_summaries(self) -> None:
        """Record the panel's own "settled" events for summaries (requests.js requestEvents: {kind, tabId,
        result}, result null when the panel showed a message instead) in window.__precisSummary."""
        requests = json.dumps("extension/sidepanel/requests.js")
        self.panel.evaluate(f"import(chrome.runtime.getURL({requests})).then(({{requestEvents}}) => {{"
                            " window.__precisSummary = null;"
                            " requestEvents.addEventListener('settled', ({detail}) => {"
                            "   if (detail.kind === 'summary') window.__precisSummary = {result: detail.result}; });"
                            " return true; })")

    def wait_for_summary(self, timeout: float = 600, on_progress=None):
        """After listen_for_summaries(): wait for the next summary the panel settles; its result (None when the
        panel showed a message instead). on_progress(snapshot) about once a second with {task, notice,
        streamed} (streamed: the summary as the panel shows it so far)."""
        outcome = self._wait_for_outcome("window.__precisSummary",
                                         "document.getElementById('summary-body').textContent",
                                         time.monotonic() + timeout, timeout, on_progress)
        return outcome["result"]

    def wait_for_request(self, timeout: float = 600, on_progress=None):
        """Wait until the panel has taken the pending request and finished it; its result (or None
        when the panel showed a message instead). on_progress(snapshot) is called about once a
        second with {task, notice, streamed} while it runs."""
        deadline = time.monotonic() + timeout
        while not self.panel.evaluate("window.precisPanel.state.lastRequest !== null"):
            if time.monotonic() > deadline:
                raise UserError("the side panel did not take the request")
            time.sleep(0.1)
        self.panel.evaluate("window.__precisOutcome = null; window.precisPanel.state.lastRequest.then("
                            "(value) => { window.__precisOutcome = {value}; }); true")
        outcome = self._wait_for_outcome("window.__precisOutcome", "window.precisPanel.state.streamed",
                                         deadline, timeout, on_progress)
        return outcome["value"]

    def _wait_for_outcome(self, outcome: str, streamed: str, deadline: float, timeout: float, on_progress):
        """Poll the panel about once a second until the JS expression `outcome` is set; `streamed` is what
        the panel shows of the answer so far (in the snapshots and in the timeout's message)."""
        while True:
            snapshot = self.panel.evaluate(
                f"({{outcome: {outcome},"
                " task: document.getElementById('task').hidden ? '' : document.getElementById('task-message').textContent,"
                " notice: document.getElementById('notice').textContent,"
                f" streamed: {streamed}}})")
            if snapshot["outcome"] is not None:
                return snapshot["outcome"]
            if on_progress is not None:
                on_progress(snapshot)
            if time.monotonic() > deadline:
                shown = snapshot["task"] or snapshot["notice"]
                text = snapshot.get("streamed") or ""
                raise UserError(f"no answer within {timeout:.0f} s"
                                + (f" (the panel shows: {shown})" if shown else "")
                                + (f"; {len(text)} characters had streamed" if text else ""))
            time.sleep(1.0)

    def add_model(self, path: Path, timeout: float = 1800) -> str:
        """Picks the GGUF at `path` in the panel's "Add a model (.gguf)" input, as the file dialog would,
        and waits for the panel's verdict (the model message); returns it. The panel stores the file in
        OPFS, loads it, and makes it the model setting once it loaded."""
        panel = self.panel
        previous = panel.evaluate("document.getElementById('model-message').textContent")
        document = panel.send("DOM.getDocument")["root"]["nodeId"]
        node = panel.send("DOM.querySelector", {"nodeId": document, "selector": "#model-file"})["nodeId"]
        panel.send("DOM.setFileInputFiles", {"nodeId": node, "files": [str(Path(path).resolve())]})
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            message = panel.evaluate("document.getElementById('model-message').textContent")
            if message and message != previous and not message.startswith(("Storing", "Checking")):
                return message
            time.sleep(0.5)
        raise UserError(f"the panel gave no verdict on {path} within {timeout:.0f} s")

    def panel_text(self, element_id: str) -> str:
        return self.panel.evaluate(f"document.getElementById({json.dumps(element_id)}).innerText")

    def reset_request(self) -> None:
        self.panel.evaluate("window.precisPanel.state.lastRequest = null; true")
