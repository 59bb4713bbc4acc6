"""Headless Chromium with the real extension loaded, driven by Selenium.

Used by the tests and by the commands that run the extension (`precis status`,
`precis summarize`). Flags as measured in docs/PLATFORM.md: the real binary (the Debian
wrapper injects its own --load-extension), WebGPU on, every background network
feature off, a fresh profile each time.
"""

import base64
import functools
import hashlib
import http.server
import json
import shutil
import tempfile
import threading
import time
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
def launch(extension_dir: Path = REPO_ROOT, *, log_path: Path | None = None,
           drop_flags: tuple = (), add_flags: tuple = ()):
    """Yield a Selenium driver for headless Chromium with the extension loaded.
    drop_flags / add_flags: this launch's changes to CHROMIUM_FLAGS (e.g. drop
    "--enable-unsafe-webgpu" to get a browser with no WebGPU adapter); the list itself is left alone."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    check_ready()
    profile = Path(tempfile.mkdtemp(prefix="precis-chromium-"))
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    unknown = [flag for flag in drop_flags if flag not in CHROMIUM_FLAGS]
    if unknown:
        raise ValueError(f"cannot drop {unknown}: not among CHROMIUM_FLAGS")
    for flag in [f for f in CHROMIUM_FLAGS if f not in drop_flags] + list(add_flags):
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


def await_promise(driver, expression: str, timeout: float = 900):
    """The value of a JS expression (a promise or a value) in the current page, or a
    RuntimeError with the page's error message. Polled rather than one async script call:
    a slow step on a CPU adapter (SwiftShader) can outlast a single WebDriver call."""
    driver.execute_script(
        "window.__precisOutcome = null;"
        f"Promise.resolve({expression}).then("
        "  (value) => { window.__precisOutcome = {ok: true, value}; },"
        "  (error) => { window.__precisOutcome = {ok: false, error: String(error && error.message || error)}; });")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        outcome = driver.execute_script("return window.__precisOutcome")
        if outcome:
            if not outcome["ok"]:
                raise RuntimeError(outcome["error"])
            return outcome["value"]
        time.sleep(0.2)
    raise TimeoutError(f"{expression} did not finish in {timeout:.0f} s")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextmanager
def serve_folder(folder: Path):
    """Serve `folder` on 127.0.0.1 (an ephemeral port) while the block runs; yields its base URL.
    Pages are opened over http, as users see them: extensions get no access to file:// by default."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
