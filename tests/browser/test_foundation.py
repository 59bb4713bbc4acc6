"""The walking skeleton, in a real headless Chromium with the real extension loaded."""

import json
import time

import pytest

from precis_build import browser
from precis_build.paths import REPO_ROOT
from precis_build.project import version

pytestmark = pytest.mark.browser

PANEL = "extension/sidepanel/sidepanel.html"


@pytest.fixture(scope="module")
def engine_status(driver):
    driver.get(browser.extension_url(PANEL))
    # The probe (conftest's driver) exposes the panel's boot status; ready: the panel has shown it.
    return browser.await_promise(driver, "window.precisPanel.ready.then(() => window.precisStatus)")


def test_extension_loads_with_its_stable_id(driver):
    driver.get(browser.extension_url(PANEL))
    # The page only loads if Chromium gave the extension the id derived from the manifest key.
    assert driver.execute_script("return chrome.runtime.id") == browser.extension_id()
    assert driver.title == "Précis"


def test_engine_boots_pyodide_and_imports_precis_at_pyprojects_version(engine_status):
    assert engine_status["precisVersion"] == version()
    assert engine_status["packageVersion"] == version()
    assert engine_status["pyodideVersion"] == "314.0.7"
    assert engine_status["pythonVersion"].startswith("3.14")


def test_engine_finds_a_webgpu_adapter(engine_status):
    adapter = engine_status["adapter"]
    assert adapter["available"], adapter.get("reason")
    assert adapter["name"]
    assert adapter["limits"]["maxStorageBufferBindingSize"] >= 128 * 1024 * 1024
    assert adapter["limits"]["maxComputeInvocationsPerWorkgroup"] >= 256


def test_panel_shows_the_status_after_loading(driver, engine_status):
    assert driver.find_element("id", "engine-state").text == "Ready"
    assert driver.find_element("id", "loading").get_attribute("hidden") is not None
    facts = driver.find_element("id", "engine-facts").text
    assert version() in facts and engine_status["adapter"]["name"] in facts


def test_service_worker_registered_menus_and_shortcut(driver):
    driver.get(browser.extension_url(PANEL))
    # Through the extension's own APIs (the service worker has no request for tests): updating a menu item
    # succeeds only for one that exists. Polled: the worker creates them when the extension is installed.
    exists = ("Promise.all(['precis-summarize-page', 'precis-summarize-selection', 'precis-no-such-item'].map("
              "(id) => chrome.contextMenus.update(id, {}).then(() => true, () => false)))")
    deadline = time.monotonic() + 30
    while (menus := browser.await_promise(driver, exists)) != [True, True, False] and time.monotonic() < deadline:
        time.sleep(0.2)
    assert menus == [True, True, False]
    commands = {c["name"]: c for c in browser.await_promise(driver, "chrome.commands.getAll()")}
    assert commands["summarize-page"]["description"] == "Summarize the current page"
    assert commands["summarize-page"]["shortcut"].replace(" ", "") in ("Alt+Shift+S", "⌥⇧S")


def test_manifest_asks_for_the_chrome_the_engine_needs_and_a_strict_csp():
    manifest = json.loads((REPO_ROOT / "manifest.json").read_text())
    assert manifest["minimum_chrome_version"] == "137"  # JSPI on by default (docs/PLATFORM.md)
    csp = dict(part.strip().split(" ", 1) for part in manifest["content_security_policy"]["extension_pages"].split(";"))
    assert csp["default-src"] == "'self'"
    assert csp["script-src"] == "'self' 'wasm-unsafe-eval'"  # Pyodide compiles its wasm
    assert csp["object-src"] == "'none'"


def test_csp_blocks_every_load_from_outside_while_pyodide_runs(driver, engine_status):
    """The engine booted under this CSP (engine_status); a fetch or image from the web is refused
    by the policy itself, before any network."""
    seen = browser.await_promise(driver, """new Promise((resolve) => {
        const violations = [];
        document.addEventListener('securitypolicyviolation',
            (e) => violations.push([e.effectiveDirective, e.blockedURI]));
        fetch('https://example.com/data.json').catch(() => {});
        const img = new Image(); img.src = 'https://example.com/pixel.png';
        setTimeout(() => resolve(violations), 500);
    })""")
    assert sorted(seen) == [["connect-src", "https://example.com/data.json"],
                            ["img-src", "https://example.com/pixel.png"]]
