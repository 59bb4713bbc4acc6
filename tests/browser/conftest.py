"""Headless Chromium with the real extension, shared by the browser tests of a module."""

from pathlib import Path

import pytest

from precis_build import browser, extension_driver
from precis_build.paths import REPO_ROOT, VENDOR
from precis_build.project import version
from precis_build.wheels import build_precis_wheel


@pytest.fixture(scope="session", autouse=True)
def current_precis_wheel():
    """The extension installs the wheel in vendor/wheels: rebuild it so the browser runs
    the py/precis of this checkout, not the one of the last `precis setup`."""
    return build_precis_wheel(REPO_ROOT / "py", version(), VENDOR / "wheels")


@pytest.fixture(scope="module")
def driver(current_precis_wheel, tmp_path_factory):
    log = tmp_path_factory.mktemp("chromedriver") / "chromedriver.log"
    with browser.launch(log_path=log) as drv:
        extension_driver.install_probe(drv)  # the panel's test hook (window.precisPanel, precisStatus)
        yield drv


PAGES = Path(__file__).parent / "pages"


@pytest.fixture(scope="module")
def pages_url():
    """Base URL of tests/browser/pages, served on 127.0.0.1."""
    with browser.serve_folder(PAGES) as url:
        yield url


@pytest.fixture(scope="module")
def ext(current_precis_wheel, tmp_path_factory):
    """The extension driven as a user drives it: tabs, the toolbar button, the side panel."""
    log = tmp_path_factory.mktemp("chromedriver") / "chromedriver.log"
    with extension_driver.launch(log_path=log) as driver:
        x = extension_driver.ExtensionDriver(driver)
        try:
            yield x
        finally:
            x.close()
