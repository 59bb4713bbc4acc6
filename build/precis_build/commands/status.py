"""`precis status`: load the extension in headless Chromium and print the engine's status
(Pyodide, precis, the WebGPU adapter) as JSON."""

import json
import sys
import time

from precis_build import browser, extension_driver


def register(subparsers) -> None:
    p = subparsers.add_parser("status", help="load the extension headless and print the engine status")
    p.set_defaults(func=run)


def run(args) -> int:
    started = time.monotonic()
    with browser.launch() as driver:
        extension_driver.install_probe(driver)  # window.precisStatus: the panel's boot status
        driver.get(browser.extension_url("extension/sidepanel/sidepanel.html"))
        status = browser.await_promise(driver, "window.precisStatus")
    print(json.dumps(status, indent=2))
    print(f"precis status: engine ready in {status['bootMs'] / 1000:.1f} s "
          f"(browser and all: {time.monotonic() - started:.1f} s)", file=sys.stderr)
    return 0
