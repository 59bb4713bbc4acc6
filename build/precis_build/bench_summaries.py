"""Summary quality per model, on the labeled pages of tests/data/summaries (English and Chinese, news and
explainers, written for this project): key points asked, then per page and in all

    points grounded   points the page supports (precis.grounding, the panel's check) / points written
    count             pages whose list has exactly the points asked
    repeats           points that say again what an earlier one said (precis.key_points.point_key)
    echo              points that play back the title, byline or site name
    language          pages answered in the page's language (Chinese: most letters Han; English: no Han)
    taken back        names the decoder took back while writing (the page uses them nowhere; precis.summary_shape)
    ttft, tok/s, time time to first token, decode speed, whole summary (generation only)

    python -m precis_build.bench_summaries --model PATH|NAME [--device native|browser] [--length short]
                                           [--pages N] [--only a,b] [--unshaped] [--json OUT]
                                           [--grounding-pages]

--device native (default) runs our Python Engine in CPython over native llama.cpp (precis_build.llama_cpp_device:
the CPU device's semantics, 2 threads): the whole set in minutes. The page is read from its HTML here (title,
byline, the site line, the heading and paragraphs: what a reader-mode extraction of these simple pages gives).
--device browser goes through the real extension in headless Chromium (the model added through the panel's
picker, the device the engine chooses: the CPU device on a machine without a GPU; "Runs on" is printed).
--unshaped turns the decoder's shape constraint off (precis.summary_shape), for a before/after.
--grounding-pages summarizes the pages of the labeled grounding set instead (tests/data/grounding, English and
Chinese: longer, with more names, roles and dated events), natively.
Prints figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

from precis.grounding import ground_as_dict
from precis.key_points import BULLET_LINE, ITEM_NUMBER, point_key
from precis.scripts import HAN
from precis.summarize import LENGTHS, shape_counts
from precis_build.errors import UserError
from precis_build.paths import MODELS, REPO_ROOT

SET_DIR = REPO_ROOT / "tests" / "data" / "summaries"
# Names for the models this bench was run on; any other value of --model is a path to a GGUF file.
MODEL_FILES = {"smollm2-135m": MODELS / "SmolLM2-135M-Instruct.Q4_1.gguf",
               "qwen2.5-coder-0.5b": MODELS / "qwen2.5-coder-0.5b-instruct.gguf",
               "qwen2.5-coder-1.5b": MODELS / "qwen2.5-coder-1.5b-instruct.gguf"}
_HAN = re.compile(f"[{HAN}]")
_LETTER = re.compile(r"[^\W\d_]")


class _PageReader(HTMLParser):
    """title, byline (class "byline"), site line (class "site"), h1 and paragraphs, lang of <html>."""

    def __init__(self):
        super().__init__()
        self.lang, self.title, self.byline, self.blocks = "", "", "", []
        self._in, self._class, self._text = None, "", []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang", "")
        if tag in ("title", "h1", "p"):
            self._in, self._class, self._text = tag, attrs.get("class", ""), []

    def handle_endtag(self, tag):
        if tag != self._in:
            return
        text = " ".join("".join(self._text).split())
        if tag == "title":
            self.title = text
        elif self._class == "byline":
            self.byline = text
        elif text:
            self.blocks.append(text)
        self._in = None

    def handle_data(self, data):
        if self._in:
            self._text.append(data)


def read_page(path: Path) -> dict:
    reader = _PageReader()
    reader.feed(path.read_text(encoding="utf-8"))
    return {"title": reader.title, "byline": reader.byline, "lang": reader.lang,
            "text": "\n\n".join(reader.blocks), "url": path.as_uri()}


def judge(text: str, page: dict, language: str, asked: int) -> dict:
    """What the summary's shape and grounding come to."""
    points = [ITEM_NUMBER.sub("", m.group(1), count=1) for m in map(BULLET_LINE.match, text.split("\n")) if m]
    keys = [point_key(p) for p in points]
    avoid = [point_key(s) for s in [page["title"], page["byline"], page["text"].split("\n")[0]] if s.strip()]
    han = len(_HAN.findall(text))
    letters = len(_LETTER.findall(text))
    in_language = (han >= 0.5 * letters) if language == "Chinese" else han == 0
    grounding = ground_as_dict(text, page["text"]) if text.strip() else {"points": []}
    return {"points": len(points), "count_ok": len(points) == asked, "repeats": len(keys) - len(set(keys)),
            "echo": sum(1 for k in keys if k and any(a.startswith(k) or k.startswith(a) for a in avoid)),
            "language_ok": in_language and letters > 0,
            "grounded": sum(1 for p in grounding["points"] if p["supported"])}


def grounding_entries() -> list:
    """The pages of the labeled grounding set (tests/data/grounding, English and Chinese), as entries with
    the page itself: longer pages, with more names and dated events than this set's."""
    from precis_build.bench_grounding import load_set

    entries = []
    for code, language in (("en", "English"), ("zh", "Chinese")):
        for page in load_set(code)["pages"]:
            entries.append({"file": page["id"], "language": language,
                            "page": {"title": page.get("title", ""), "byline": "", "text": page["text"], "lang": code}})
    return entries


def run_native(model: Path, pages: list, style: str, length: str, shaped: bool, on_row) -> None:
    from precis_build.llama_cpp_device import llama_cpp_engine, load_llama

    llm = load_llama(model)
    engine = llama_cpp_engine(llm, model)
    for entry in pages:
        page = entry.get("page") or read_page(SET_DIR / entry["file"])
        started = time.perf_counter()
        result = engine.summarize(page, style, length, shape=shaped)
        on_row(entry, page, result["text"], result["stats"], time.perf_counter() - started)


def run_browser(model: Path, pages: list, style: str, length: str, shaped: bool, on_row) -> None:
    from precis_build import browser, extension_driver
    from precis_build.commands.summarize import _choose

    if not shaped:
        raise UserError("--unshaped runs natively only (the extension always shapes its summaries)")
    with browser.serve_folder(SET_DIR) as base, extension_driver.launch() as driver:
        ext = extension_driver.ExtensionDriver(driver)
        try:
            ext.open_with_panel(f"{base}/{pages[0]['file']}")
            verdict = ext.add_model(model)
            if not verdict.startswith("Using "):
                raise UserError(verdict)
            print(f"bench_summaries: {verdict}", file=sys.stderr)
            for entry in pages:
                panel = ext.open_with_panel(f"{base}/{entry['file']}")
                _choose(panel, style, length)
                ext.reset_request()
                started = time.perf_counter()
                ext.request_summary("page", source="cli")
                result = ext.wait_for_request(timeout=1800) or {}
                runs_on = panel.evaluate("""(() => {
                    const term = [...document.querySelectorAll('#engine-facts dt')].find((dt) => dt.textContent === 'Runs on');
                    return term?.nextElementSibling?.textContent ?? ''; })()""")
                stats = dict(result.get("stats", {}), runs_on=runs_on)
                on_row(entry, read_page(SET_DIR / entry["file"]), result.get("text", ""), stats,
                       time.perf_counter() - started)
        finally:
            ext.close()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m precis_build.bench_summaries", description=__doc__.split("\n")[0])
    parser.add_argument("--model", required=True, help=f"{', '.join(MODEL_FILES)} or a GGUF path")
    parser.add_argument("--device", choices=("native", "browser"), default="native")
    parser.add_argument("--length", choices=LENGTHS, default="short")
    parser.add_argument("--pages", type=int, help="only the first N pages of the set (in pages.json order)")
    parser.add_argument("--only", help="only pages whose file name contains one of these (comma-separated)")
    parser.add_argument("--unshaped", action="store_true", help="the decoder's shape constraint off")
    parser.add_argument("--json", type=Path, help="also write the rows to this file (one JSON object a line)")
    parser.add_argument("--grounding-pages", action="store_true",
                        help="the pages of the labeled grounding set (English and Chinese) instead (native only)")
    args = parser.parse_args(argv)
    model = MODEL_FILES.get(args.model, Path(args.model))
    if not model.is_file():
        raise UserError(f"{model} is not a file (names: {', '.join(MODEL_FILES)})")
    if args.grounding_pages and args.device != "native":
        raise UserError("--grounding-pages runs natively only")
    entries = grounding_entries() if args.grounding_pages else \
        json.loads((SET_DIR / "pages.json").read_text(encoding="utf-8"))["pages"]
    if args.only:
        wanted = [w for w in args.only.split(",") if w]
        entries = [e for e in entries if any(w in e["file"] for w in wanted)]
    entries = entries[:args.pages] if args.pages else entries
    asked, _ = shape_counts("key-points", args.length)
    rows = []
    out = args.json.open("a", encoding="utf-8") if args.json else None

    def on_row(entry, page, text, stats, seconds):
        row = {"model": model.name, "device": args.device, "shaped": not args.unshaped, "page": entry["file"],
               **judge(text, page, entry["language"], asked), "ttft_s": stats.get("ttft_s"),
               "tokens_per_s": stats.get("tokens_per_s"), "seconds": round(seconds, 1),
               "finish": stats.get("finish_reason"), "taken_back": stats.get("taken_back", 0), "text": text}
        if stats.get("runs_on"):
            row["runs_on"] = stats["runs_on"]
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
        if out:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            out.flush()

    runner = run_native if args.device == "native" else run_browser
    try:
        runner(model, entries, "key-points", args.length, not args.unshaped, on_row)
    finally:
        if out:
            out.close()
    print(summary_line(rows))
    return 0


def summary_line(rows: list) -> str:
    """The table row: | model | grounded | count | repeats | echo | language | names taken back | ttft | tok/s |
    time |."""
    if not rows:
        return "no pages summarized"
    n = len(rows)
    points = sum(r["points"] for r in rows)
    median = lambda xs: sorted(xs)[len(xs) // 2] if xs else float("nan")  # noqa: E731
    ttft = median([r["ttft_s"] for r in rows if r["ttft_s"] is not None])
    tps = median([r["tokens_per_s"] for r in rows if r["tokens_per_s"]])
    secs = median([r["seconds"] for r in rows])
    return (f"| {rows[0]['model']} ({rows[0]['device']}{'' if rows[0]['shaped'] else ', unshaped'}) "
            f"| {sum(r['grounded'] for r in rows)}/{points} | {sum(r['count_ok'] for r in rows)}/{n} "
            f"| {sum(r['repeats'] for r in rows)} | {sum(r['echo'] for r in rows)} "
            f"| {sum(r['language_ok'] for r in rows)}/{n} | {sum(r.get('taken_back', 0) for r in rows)} "
            f"| {ttft:.1f} s | {tps:.1f} | {secs:.0f} s |")


if __name__ == "__main__":
    try:
        sys.exit(main())
    except UserError as e:
        print(f"bench_summaries: {e}", file=sys.stderr)
        sys.exit(2)
