"""Grounding quality and speed: on the labeled set (tests/data/grounding), per language and per
error kind, the share of true points kept and of false points caught; and the milliseconds to
ground a 5-point summary against a 20,000-character page, in CPython and, with --browser, in
the extension's Pyodide (the engine worker's own `ground` request, headless Chromium).

    python -m precis_build.bench_grounding [--browser] [--repeat N] [--verbose]

Prints figures only; nothing is asserted (tests/unit/test_grounding_set.py asserts exact cases).
"""

import argparse
import json
import statistics
import time

from precis.grounding import ground, ground_as_dict
from precis_build.paths import REPO_ROOT

SET_DIR = REPO_ROOT / "tests" / "data" / "grounding"
LANGUAGES = ("en", "zh", "ja")
ERROR_KINDS = ("number", "date", "entity", "invented", "negation", "unsupported")
PAGE_CHARS = 20_000


def load_set(language: str) -> dict:
    return json.loads((SET_DIR / f"{language}.json").read_text(encoding="utf-8"))


def judge(language: str, which: str = "cases") -> list:
    """[(label, point, supported, unsupported_spans)] for every case of the language's set
    (which: "cases", the set the checker was tuned on; "later_cases", written after; or
    "fresh_cases", written last, after every change to the checker)."""
    out = []
    for page in load_set(language)["pages"]:
        for label, point in page.get(which, []):
            _, (g,) = ground(f"- {point}", page["text"])
            out.append((label, point, g.supported, g.unsupported_spans))
    return out


def rates(results: list) -> dict:
    """{"true": (kept, total), kind: (caught, total), ...}"""
    table = {}
    for label, _, supported, _ in results:
        hit = supported if label == "true" else not supported
        done, total = table.get(label, (0, 0))
        table[label] = (done + hit, total + 1)
    return table


def timing_case(language: str) -> tuple:
    """(a page of PAGE_CHARS characters made of the set's pages, a 5-point summary of it)."""
    data = load_set(language)
    texts = [p["text"] for p in data["pages"]]
    page, k = "", 0
    while len(page) < PAGE_CHARS:
        page += ("\n\n" if page else "") + texts[k % len(texts)].replace("2024", str(2024 + k // len(texts)))
        k += 1
    page = page[:PAGE_CHARS]
    cases = [c for p in data["pages"] for c in p["cases"]]
    summary = "\n".join(f"- {point}" for _, point in cases[:: max(1, len(cases) // 5)][:5])
    return page, summary


def time_cpython(page: str, summary: str, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        ground_as_dict(summary, page)
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def time_in_extension(cases: dict, repeat: int) -> dict:
    """Median ms of the engine worker's `ground` request per language (warm: after one call)."""
    from precis_build import browser
    from precis_build.bench_browser import HOST, run

    out = {}
    with browser.launch() as driver:
        driver.get(browser.extension_url(HOST))
        run(driver, "window.precisBoot")
        for language, (page, summary) in cases.items():
            driver.execute_script("window.__benchPage = arguments[0]; window.__benchSummary = arguments[1]",
                                  page, summary)
            samples = run(driver, f"""(async () => {{
                const ask = () => window.precisEngine.request('ground', {{summary: window.__benchSummary,
                                                                          text: window.__benchPage}});
                await ask();
                const ms = [];
                for (let i = 0; i < {repeat}; i++) {{
                    const t = performance.now(); await ask(); ms.push(performance.now() - t);
                }}
                return ms; }})()""")
            out[language] = statistics.median(samples)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--browser", action="store_true", help="also time grounding in the extension's Pyodide")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--verbose", action="store_true", help="list every point the checker gets wrong")
    args = parser.parse_args(argv)

    for which, title in (("cases", "the cases the checker was tuned on"),
                         ("later_cases", "later cases, written after tuning (some misses there led to fixes)"),
                         ("fresh_cases", "fresh cases, written last; measured once, then one fix (一个 is the article \"a\")")):
        print(f"grounding on the labeled set ({SET_DIR.relative_to(REPO_ROOT)}), {title}:")
        print_rates(which, args.verbose)
    cases = {language: timing_case(language) for language in LANGUAGES}
    print(f"time to ground a 5-point summary against a {PAGE_CHARS:,}-character page (median of {args.repeat}):")
    for language, (page, summary) in cases.items():
        print(f"  {language}: CPython {time_cpython(page, summary, args.repeat):7.1f} ms")
    if args.browser:
        for language, ms in time_in_extension(cases, args.repeat).items():
            print(f"  {language}: Pyodide (extension engine worker) {ms:7.1f} ms")
    return 0


def print_rates(which: str, verbose: bool) -> None:
    header = f"  {'':4s} {'true kept':>12s}  " + "  ".join(f"{k:>12s}" for k in ERROR_KINDS) + f"  {'all errors':>12s}"
    print(header)
    for language in LANGUAGES:
        results = judge(language, which)
        table = rates(results)
        cells = []
        for label in ("true",) + ERROR_KINDS:
            done, total = table.get(label, (0, 0))
            cells.append(f"{done:>3d}/{total:<3d}{100 * done / total if total else 0:4.0f}%")
        caught = sum(table[k][0] for k in ERROR_KINDS if k in table)
        errors = sum(table[k][1] for k in ERROR_KINDS if k in table)
        cells.append(f"{caught:>3d}/{errors:<3d}{100 * caught / errors if errors else 0:4.0f}%")
        print(f"  {language:4s} " + "  ".join(f"{c:>12s}" for c in cells))
        if verbose:
            for label, point, supported, spans in results:
                if supported != (label == "true"):
                    print(f"      wrong [{label}] {point}  spans={spans}")


if __name__ == "__main__":
    raise SystemExit(main())
