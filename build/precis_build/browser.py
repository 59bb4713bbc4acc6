"""Headless Chromium with the real extension loaded, driven by Selenium.

Used by the tests and by the commands that run the extension (`precis status`,
`precis summarize`). Flags as measured in PLATFORM.md: the real binary (the Debian
wrapper injects its own --load-extension), WebGPU on, every background network
feature off, a fresh profile each time.
"""

import base64
import hashlib
import json
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from precis_build.errors import UserError
from precis_build.paths import REPO_ROOT, VENDOR

CHROMIUM = Path("/usr/lib/chromium/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")

CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--enable-unsafe-webgpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-default-apps",
    "--disable-dev-shm-usage",
    "--window-size=1280,900",
    "--enable-unsafe-extension-debugging",  # DevTools may click our toolbar button (extension_driver)
]


def extension_id(manifest_path: Path = REPO_ROOT / "manifest.json") -> str:
    """Chrome's id for an extension with a fixed key: the first 128 bits of the sha256
    of the public key, written with the letters a-p for the hex digits 0-f."""
    key = json.loads(manifest_path.read_text())["key"]
    digest = hashlib.sha256(base64.b64decode(key)).hexdigest()[:32]
    return "".join(chr(ord("a") + int(c, 16)) for c in digest)


def extension_url(path: str) -> str:
    return f"chrome-extension://{extension_id()}/{path.lstrip('/')}"


def check_ready() -> None:
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if missing:
        raise UserError(f"Chromium is not installed ({', '.join(missing)} missing): "
                        "apt-get install chromium chromium-driver")
    if not (VENDOR / "precis-assets.json").exists():
        raise UserError("the extension's assets are missing: run `precis setup` first")


@contextmanager
def launch(extension_dir: Path = REPO_ROOT, *, log_path: Path | None = None):
    """Yield a Selenium driver for headless Chromium with the extension loaded."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    check_ready()
    profile = Path(tempfile.mkdtemp(prefix="precis-chromium-"))
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument(f"--load-extension={extension_dir}")
    options.add_argument(f"--disable-extensions-except={extension_dir}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(str(CHROMEDRIVER), log_output=str(log_path) if log_path else None)
    driver = webdriver.Chrome(options=options, service=service)
    try:
        driver.set_script_timeout(300)
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def await_promise(driver, expression: str):
    """Evaluate a JS expression yielding a promise in the current page; return its value
    or raise with the page's error message."""
    outcome = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        f"Promise.resolve({expression}).then("
        "  (value) => done({ok: true, value}),"
        "  (error) => done({ok: false, error: String(error && error.message || error)}));")
    if not outcome["ok"]:
        raise RuntimeError(outcome["error"])
    return outcome["value"]
