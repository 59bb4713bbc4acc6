"""`precis summarize PAGE`: summarize a page with the real extension in headless Chromium.

PAGE is a local .html file (served by this command on 127.0.0.1) or an http(s) URL. The run
takes the path a user's right-click "Summarize page" takes: the page is opened in a tab, our
toolbar button is clicked on it (Chrome grants the extension access to that tab and the side
panel opens), then the service worker's own context-menu listener gets the click, stores the
request that the panel picks up, extracts the page, and streams the model's summary. Only the
product's public paths are used: the panel's controls, the menu's listener and the panel's own
"settled" event (no test hook). The summary goes to stdout; time to first token, tokens/s and
the grounding verdicts go to stderr.
"""

from __future__ import annotations

import json
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from precis.grounding import failure_text
from precis.summarize import LENGTHS, STYLES
from precis_build import browser, extension_driver
from precis_build.errors import UserError
from precis_build.model_file import resolve_model_path


def register(subparsers) -> None:
    p = subparsers.add_parser("summarize", help="summarize a page with the extension, headless",
                              description=__doc__.splitlines()[0])
    p.add_argument("page", help="a local .html file, or an http(s) URL")
    p.add_argument("--style", choices=STYLES, default="key-points")
    p.add_argument("--length", choices=LENGTHS, default="medium")
    p.add_argument("--timeout", type=float, default=900, help="seconds to wait for the summary (default 900)")
    p.add_argument("--screenshot", type=Path, help="save a PNG of the side panel when done")
    p.add_argument("--model", help="a model name (precis_build.models_catalog, e.g. qwen2.5-coder-0.5b) or any GGUF "
                                   "file: added through the panel's model picker, then used")
    p.set_defaults(func=run)


@contextmanager
def served(page: str):
    """The URL Chromium should open for PAGE; local files are served from their folder."""
    if page.startswith(("http://", "https://")):
        yield page
        return
    path = Path(page).expanduser()
    if not path.is_file():
        raise UserError(f"{page} is not a file (give a local .html file or an http(s) URL)")
    if path.suffix.lower() not in (".html", ".htm", ".xhtml"):
        raise UserError(f"{page} is not an HTML file (.html, .htm)")
    with browser.serve_folder(path.resolve().parent) as base:
        yield f"{base}/{quote(path.name)}"


def _choose(panel, style: str, length: str) -> None:
    # Through the panel's own controls, as a user would (kept in this run's fresh profile only).
    panel.evaluate(f"""(() => {{
        for (const [id, value] of [['style', {json.dumps(style)}], ['length', {json.dumps(length)}]]) {{
            const el = document.getElementById(id); el.value = value; el.dispatchEvent(new Event('change'));
        }}
        return true; }})()""")
    # The change handlers store the setting asynchronously: wait until it is stored.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        current = panel.evaluate("chrome.storage.local.get(['style', 'length']).then((s) => ({s: s.style, l: s.length}))")
        if current == {"s": style, "l": length}:
            return
        time.sleep(0.05)
    raise UserError("the side panel did not take the chosen style and length")


def _progress_printer(since: float):
    """Report on stderr what the panel is doing, when it changes (a slow GPU takes minutes)."""
    last = {"task": None, "tokens": 0, "first": None}

    def report(snapshot: dict) -> None:
        elapsed = time.monotonic() - since
        if snapshot["task"] and snapshot["task"] != last["task"]:
            print(f"[{elapsed:6.1f} s] {snapshot['task']}", file=sys.stderr)
        last["task"] = snapshot["task"]
        streamed = snapshot.get("streamed") or ""
        if streamed and last["first"] is None:
            last["first"] = elapsed
            print(f"[{elapsed:6.1f} s] first text arrived", file=sys.stderr)
        if len(streamed) >= last["tokens"] + 80:
            last["tokens"] = len(streamed)
            print(f"[{elapsed:6.1f} s] {len(streamed)} characters so far", file=sys.stderr)

    return report


def run(args) -> int:
    started = time.monotonic()
    with served(args.page) as url, extension_driver.launch() as driver:
        ext = extension_driver.ExtensionDriver(driver)
        try:
            panel = ext.open_with_panel(url, probe=False)
            if args.model:
                verdict = ext.add_model(resolve_model_path(args.model))
                if not verdict.startswith("Using "):
                    raise UserError(verdict)
                print(f"precis summarize: {verdict}", file=sys.stderr)
            ready = time.monotonic()
            _choose(panel, args.style, args.length)
            ext.listen_for_summaries()
            ext.click_menu("precis-summarize-page", ext.panel_tab_id())
            result = ext.wait_for_summary(timeout=args.timeout, on_progress=_progress_printer(ready))
            if args.screenshot:
                panel.screenshot(args.screenshot)
            if not result:
                raise UserError(ext.panel_text("notice") or "the panel produced no summary")
            # What runs the model, as the panel's engine facts say it ("CPU, 1 thread" or the GPU's name).
            runs_on = panel.evaluate("""(() => {
                const term = [...document.querySelectorAll('#engine-facts dt')].find((dt) => dt.textContent === 'Runs on');
                return term?.nextElementSibling?.textContent ?? ''; })()""")
        finally:
            ext.close()
    text = result["text"].strip()
    print(text)
    stats = result.get("stats", {})
    points = (result.get("grounding") or {}).get("points", [])
    flagged = [p for p in points if not p["supported"]]
    tps = stats.get("tokens_per_s")
    lines = [
        f"precis summarize: {result.get('model')} on {runs_on or 'an unnamed device'}",
        f"  time to first token {stats.get('ttft_s', float('nan')):.2f} s, "
        f"{tps:.2f} tokens/s" if tps else f"  time to first token {stats.get('ttft_s', float('nan')):.2f} s",
        f"  prompt {stats.get('prompt_tokens')} tokens, generated {stats.get('generated_tokens')} tokens "
        f"({stats.get('finish_reason')}), generation {stats.get('total_s', 0):.1f} s; "
        f"browser start and engine boot {ready - started:.1f} s",
        f"  grounding: {len(points) - len(flagged)} of {len(points)} points supported by the page",
    ]
    if stats.get("taken_back"):
        lines.append(f"  names taken back while writing (the page does not use them): {stats['taken_back']}")
    if stats.get("parts"):
        lines.append(f"  Summarized the first {stats['parts']['summarized']} of {stats['parts']['total']} "
                     f"parts of this page")
    lines += flagged_lines(points)
    print("\n".join(lines), file=sys.stderr)
    return 0


def flagged_lines(points: list) -> list:
    """One stderr line per flagged point, with what of it the page does not hold:
    "  flagged: <point>  [October 10: not in the page]" (precis.grounding.failure_text)."""
    lines = []
    for point in points:
        if point["supported"]:
            continue
        lines.append(f"  flagged: {point['point']}  [{failure_text(point)}]")
    return lines
