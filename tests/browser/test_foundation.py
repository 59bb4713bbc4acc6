"""The walking skeleton, in a real headless Chromium with the real extension loaded."""

import pytest

from precis_build import browser
from precis_build.project import version

pytestmark = pytest.mark.browser

PANEL = "extension/sidepanel/sidepanel.html"


@pytest.fixture(scope="module")
def engine_status(driver):
    driver.get(browser.extension_url(PANEL))
    return browser.await_promise(driver, "window.precisStatus")


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
    described = browser.await_promise(driver, "chrome.runtime.sendMessage({type: 'precis:describe'})")
    assert described["menus"] == ["precis-summarize-page", "precis-summarize-selection"]
    commands = {c["name"]: c for c in described["commands"]}
    assert commands["summarize-page"]["description"] == "Summarize the current page"
    assert commands["summarize-page"]["shortcut"].replace(" ", "") in ("Alt+Shift+S", "⌥⇧S")
