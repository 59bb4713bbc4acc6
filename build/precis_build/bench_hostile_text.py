"""Time and peak memory of the text passes on hostile page text (issue 15: nothing a page can do
freezes the engine). Prints one table row per (input, pass): seconds and peak RSS, each case run in
its own subprocess under a time limit, so a quadratic pass shows as "> LIMIT" instead of hanging.

    python -m precis_build.bench_hostile_text [--chars 100000] [--limit 60] [--only dots,cjk]

The passes are the real ones: text_units.sentence_spans, grounding a three-point summary against the
page, summarize.split_into_chunks counted in SmolLM2's tokens, SmolLM2's tokenizer, and `precis
prompt` on the page as a file (the CLI as a subprocess). Run it with PYTHONPATH pointing at another
tree's py/ to measure that tree (before/after figures).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SEED = 15  # fixed: the random inputs (base64) are the same on every run


def hostile_inputs(chars: int) -> dict:
    """name -> text of about `chars` characters that once made a pass slow (or could)."""
    rng = random.Random(SEED)
    blob = base64.b64encode(rng.randbytes(chars)).decode("ascii")[:chars]
    path = "/".join("seg%d" % i for i in range(chars // 5))
    return {
        "dots": "A page of one sentence. " + "." * chars,
        "!?. repeated": "A page of one sentence. " + "!?." * (chars // 3),
        "...!!!??? mix": "A page of one sentence. " + "...!!!???" * (chars // 9),
        "one word": "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(chars)),
        "cjk run": "".join(chr(0x4E00 + rng.randrange(0x5000)) for _ in range(chars)),
        "base64": blob,
        "digits": "".join(rng.choice("0123456789") for _ in range(chars)),
        "url": ("https://example.com/" + path)[:chars],
    }


SUMMARY = ("- The page has one sentence.\n- It reports 3 figures from 2014.\n"
           "- Dr. Smith said \"nothing\" at example.com.")


def run_case(name: str, step: str, chars: int) -> None:
    """In the child: run one pass on one input, print {"s": seconds}."""
    text = hostile_inputs(chars)[name]
    if step == "sentences":
        from precis.text_units import sentence_spans
        start = time.perf_counter()
        sentence_spans(text)
    elif step == "grounding":
        from precis.grounding import ground_as_dict
        start = time.perf_counter()
        ground_as_dict(SUMMARY, text)
        ground_as_dict(text[:2000], text)   # the page's own text as a summary: regexes on summaries
    elif step in ("tokenize", "chunks"):
        from precis.gguf import open_gguf
        from precis.summarize import split_into_chunks
        from precis.tokenizer import Tokenizer
        from precis_build.paths import DEFAULT_MODEL
        tokenizer = Tokenizer.from_gguf(open_gguf(DEFAULT_MODEL))
        start = time.perf_counter()
        if step == "tokenize":
            tokenizer.encode(text, add_special=False)
        else:
            split_into_chunks(text, lambda t: len(tokenizer.encode(t, add_special=False)), 1500)
    else:
        raise SystemExit(f"unknown step {step}")
    print(json.dumps({"s": time.perf_counter() - start}))


def measure(name: str, step: str, chars: int, limit: float) -> str:
    """'seconds / peak MiB' of one case in a fresh interpreter, or '> limit s'."""
    with tempfile.TemporaryDirectory() as tmp:
        if step == "prompt":
            page = Path(tmp) / "page.txt"
            page.write_text(hostile_inputs(chars)[name], encoding="utf-8")
            command = [sys.executable, "-m", "precis_build.cli", "prompt", str(page), "--json"]
        else:
            command = [sys.executable, "-m", "precis_build.bench_hostile_text", "--case", name, step,
                       "--chars", str(chars)]
        # The child's peak RSS: run it under a tiny wrapper that reports ru_maxrss of its children.
        wrapper = ("import resource, subprocess, sys, time\n"
                   "t = time.perf_counter()\n"
                   "r = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, text=True)\n"
                   "dt = time.perf_counter() - t\n"
                   "last = (r.stdout.strip().splitlines() or ['-'])[-1][:200]\n"
                   "print(r.returncode, dt, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
                   "print(last)\n")
        try:
            out = subprocess.run([sys.executable, "-c", wrapper, *command], capture_output=True, text=True,
                                 timeout=limit, env=os.environ)
        except subprocess.TimeoutExpired:
            return f"> {limit:.0f} s"
        status, child_line = out.stdout.splitlines()[:2]
        code, seconds, rss_kib = status.split()
        if code != "0":
            return f"exit {code}"
        if step != "prompt":
            seconds = json.loads(child_line)["s"]   # the pass alone, not the interpreter's start
        return f"{float(seconds):.2f} s / {int(rss_kib) / 1024:.0f} MiB"


STEPS = ("sentences", "grounding", "tokenize", "chunks", "prompt")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=100_000)
    parser.add_argument("--limit", type=float, default=60.0, help="seconds allowed per case")
    parser.add_argument("--only", default="", help="comma-separated input names (default: all)")
    parser.add_argument("--steps", default=",".join(STEPS), help="comma-separated passes")
    parser.add_argument("--case", nargs=2, metavar=("INPUT", "STEP"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.case:
        run_case(args.case[0], args.case[1], args.chars)
        return 0
    names = [n for n in hostile_inputs(10) if not args.only or n in args.only.split(",")]
    steps = args.steps.split(",")
    print(f"{'input (' + format(args.chars, ',') + ' chars)':<22}" + "".join(f"{s:>20}" for s in steps))
    for name in names:
        row = [measure(name, step, args.chars, args.limit) for step in steps]
        print(f"{name:<22}" + "".join(f"{cell:>20}" for cell in row), flush=True)
    print("(wall seconds including the interpreter's start for prompt, the pass alone otherwise / "
          "peak RSS of the process)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
