"""Tokenizer speed: load time, encode (kB/s, tokens/s) and decode on a ~20 kB page, in CPython,
and with --browser also inside the real extension (Pyodide in the engine worker, headless Chromium).

    python -m precis_build.bench_tokenizer [--text FILE] [--model GGUF ...] [--repeat N] [--browser]

"cold" encodes with an empty word cache (the first page a tokenizer sees), "warm" encodes the
same page again (every word cached: a re-tokenized chat history). Best of N runs.
Prints figures only; nothing is asserted.
"""

import argparse
import time
from pathlib import Path

from precis.gguf import open_gguf
from precis.tokenizer import Tokenizer
from precis_build.paths import DEFAULT_MODEL, GEMMA3_MODEL, REPO_ROOT

PAGE = REPO_ROOT / "tests" / "data" / "page_sample.txt"


def best_of(repeat, fn):
    best = float("inf")
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def bench_model(path: Path, text: str, repeat: int) -> None:
    gguf = open_gguf(path)
    load_s, tok = best_of(1, lambda: Tokenizer.from_gguf(gguf))
    kb = len(text.encode("utf-8")) / 1000

    def cold():
        tok._cache.clear()
        return tok.encode(text)

    cold_s, ids = best_of(repeat, cold)
    warm_s, _ = best_of(repeat, lambda: tok.encode(text))
    decode_s, _ = best_of(repeat, lambda: tok.decode(ids))

    def stream():
        dec = tok.stream_decoder()
        return "".join(dec.push(i) for i in ids) + dec.flush()

    stream_s, _ = best_of(repeat, stream)
    print(f"{path.name}: vocab {tok.vocab_size}, load {load_s * 1000:.0f} ms, "
          f"page {kb:.1f} kB -> {len(ids)} tokens")
    for name, seconds in (("encode cold", cold_s), ("encode warm", warm_s)):
        print(f"  {name:12s} {seconds * 1000:7.1f} ms  {kb / seconds:8.0f} kB/s  {len(ids) / seconds:9.0f} tokens/s")
    for name, seconds in (("decode", decode_s), ("stream", stream_s)):
        print(f"  {name:12s} {seconds * 1000:7.1f} ms  {len(ids) / seconds:9.0f} tokens/s")


def bench_in_extension(text: str, repeat: int) -> None:
    """The same page through the default model's tokenizer in the extension's Pyodide."""
    from precis_build import browser
    from precis_build.bench_browser import HOST, run

    with browser.launch() as driver:
        driver.get(browser.extension_url(HOST))
        run(driver, "window.precisBoot")
        driver.execute_script("window.__benchText = arguments[0]", text)
        r = run(driver, f"window.precisEngine.request('time_encode', {{text: window.__benchText, repeat: {repeat}}})")
    kb = r["bytes"] / 1000
    print(f"in the extension (Pyodide, {DEFAULT_MODEL.name}): page {kb:.1f} kB -> {r['tokens']} tokens")
    for name, ms in (("encode cold", r["cold_ms"]), ("encode warm", r["warm_ms"])):
        print(f"  {name:12s} {ms:7.1f} ms  {kb / (ms / 1000):8.0f} kB/s  {r['tokens'] / (ms / 1000):9.0f} tokens/s")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--text", type=Path, default=PAGE, help="page text to encode (UTF-8)")
    parser.add_argument("--model", type=Path, action="append",
                        help="GGUF model (repeatable; default: SmolLM2 and Gemma 3 where installed)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--browser", action="store_true",
                        help="also time the default model's tokenizer inside the extension (headless Chromium)")
    args = parser.parse_args(argv)
    text = args.text.read_text(encoding="utf-8")
    models = args.model or [p for p in (DEFAULT_MODEL, GEMMA3_MODEL) if p.exists()]
    if not models:
        parser.error("no model found: pass --model or run `precis setup`")
    for path in models:
        bench_model(path, text, args.repeat)
    if args.browser:
        bench_in_extension(text, args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
