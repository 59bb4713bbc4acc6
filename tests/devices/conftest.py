"""The browser fixtures (tests/browser/conftest.py: the wheel of this checkout, headless Chromium with the real
extension) for the device conformance suite, which runs the browser's devices beside the CPython ones."""

import importlib.util
from pathlib import Path

_spec = importlib.util.spec_from_file_location("browser_conftest", Path(__file__).parents[1] / "browser" / "conftest.py")
_browser = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_browser)

current_precis_wheel = _browser.current_precis_wheel
driver = _browser.driver
