"""What each window's side panel costs in memory: the real extension in headless Chromium, the panel's page opened
in 1, 2, ... tabs (each runs its own engine worker, as each window's side panel does), the built-in model loaded in
each, and the browser's PSS (proportional set size summed over every process under chromedriver, as
bench_browser samples it) after each, settled.

    python -m precis_build.bench_panels_memory [--panels 3] [--settle-s 10] [--json]

Prints, per count of panels, the PSS and what the new engine saw the others hold (info.others_bytes: the Web
Locks engine_worker.js announces its model's bytes with), then the mean cost of one more panel.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time

from precis_build import browser, extension_driver
from precis_build.bench_browser import _descendants, _pss
from precis_build.errors import UserError
from precis_build.extension_driver import ExtensionDriver, Session
from precis_build.paths import REPO_ROOT, VENDOR

MiB = 1 << 20


def browser_pss(root: int, settle_s: float) -> int:
    """The median of three readings of the whole browser's PSS, after `settle_s` of quiet."""
    time.sleep(settle_s)
    readings = []
    for _ in range(3):
        readings.append(sum(_pss(pid) for pid in [root, *_descendants(root)]))
        time.sleep(0.5)
    return int(statistics.median(readings))


def open_panel_with_model(ext: ExtensionDriver) -> dict:
    """The panel's page in a new tab, its engine booted and the built-in model loaded: the load's info."""
    target = ext.cdp.send("Target.createTarget", {"url": browser.extension_url(extension_driver.PANEL_PATH)})["targetId"]
    panel = Session(ext.cdp, target)
    deadline = time.monotonic() + 300
    while not ExtensionDriver._evaluate_when_ready(panel, "Boolean(globalThis.chrome?.runtime?.getURL)", deadline):
        if time.monotonic() > deadline:
            raise UserError("the panel's page did not start")
        time.sleep(0.1)
    return panel.evaluate("(async () => { const { engine } = await import('./engine.js'); await engine.boot();"
                          " return engine.request('load_model', {source: 'package'}); })()")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m precis_build.bench_panels_memory",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--panels", type=int, default=3, help="panels opened one after another (default 3)")
    parser.add_argument("--settle-s", type=float, default=10.0, help="quiet before each reading (default 10)")
    parser.add_argument("--json", action="store_true", help="print one compact JSON object")
    args = parser.parse_args(argv)
    try:
        if args.panels < 1:
            raise UserError("--panels must be at least 1")
        from precis_build.project import version
        from precis_build.wheels import build_precis_wheel

        build_precis_wheel(REPO_ROOT / "py", version(), VENDOR / "wheels")   # the browser runs this checkout
        rows = []
        with extension_driver.launch() as driver:
            root = driver.service.process.pid
            ext = ExtensionDriver(driver)
            try:
                rows.append({"panels": 0, "pss_bytes": browser_pss(root, args.settle_s)})
                for n in range(1, args.panels + 1):
                    info = open_panel_with_model(ext)
                    rows.append({"panels": n, "pss_bytes": browser_pss(root, args.settle_s),
                                 "device": info["device"]["kind"], "model_bytes": info["file_bytes"],
                                 "others_bytes": info["others_bytes"], "memory_budget": info["memory_budget"]})
            finally:
                ext.close()
    except UserError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    steps = [b["pss_bytes"] - a["pss_bytes"] for a, b in zip(rows[1:], rows[2:])]
    result = {"rows": rows, "first_panel_bytes": rows[1]["pss_bytes"] - rows[0]["pss_bytes"],
              "next_panel_mean_bytes": int(statistics.mean(steps)) if steps else None}
    if args.json:
        print(json.dumps(result))
    else:
        for row in rows:
            print(f"{row['panels']} panel(s): {row['pss_bytes'] / MiB:,.0f} MiB"
                  + (f" (device {row['device']}, the others hold {row['others_bytes'] / MiB:,.0f} MiB)" if row["panels"] else ""))
        print(f"first panel: {result['first_panel_bytes'] / MiB:,.0f} MiB"
              + (f"; each further panel: {result['next_panel_mean_bytes'] / MiB:,.0f} MiB" if steps else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
