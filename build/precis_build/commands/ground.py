"""`precis ground PAGE_TEXT_FILE SUMMARY_FILE [--json]`: check a summary against a page.

The page is plain UTF-8 text (what the extension's extraction returns), the summary markdown.
Each point of the summary (its bullets, else its sentences) is tied to the page passage it
rests on, and its facts (numbers, dates, names, quotes, domains, negation) are checked there
(precis.grounding, the code the extension runs). --json prints
{"points": [{"point", "supported", "passage": {"start", "end", "text"} | null, "unsupported_spans",
"reasons": [{"span", "reason", "passage"}]}]} in the order of the summary's points; otherwise one
line per point, a flagged one with each failed fact and why ("2015年7月: the page dates this to
2015年12月"). --model GGUF adds the model judge (precis.support_judge) on the points the lexical
check passes, run by native llama.cpp (llama-cpp-python, 2 threads) under the CPython engine;
without it the lexical check stands alone.
"""

import json
from pathlib import Path

from precis.grounding import failure_text, ground_points
from precis.support_judge import JUDGE_THRESHOLD
from precis_build.errors import UserError


def register(subparsers) -> None:
    p = subparsers.add_parser("ground", help="check a summary's points against a page's text",
                              description=__doc__.splitlines()[0])
    p.add_argument("page", type=Path, help="the page as a UTF-8 text file")
    p.add_argument("summary", type=Path, help="the summary as a markdown file")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument("--model", type=Path, help="a GGUF model to judge the points the lexical check passes (and, where calibrated, to weigh flags against the page's values)")
    p.set_defaults(func=run)


def read_text(path: Path, what: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError(f"{path}: no such {what} file") from None
    except IsADirectoryError:
        raise UserError(f"{path}: is a folder, not a {what} file") from None
    except UnicodeDecodeError as e:
        raise UserError(f"{path}: not UTF-8 text (byte {e.start})") from None
    except OSError as e:
        raise UserError(f"{path}: cannot read the {what} file: {e.strerror}") from None


def describe(point: dict) -> str:
    """One line for a point: its verdict, and for a flagged one what the page does not hold."""
    if point["supported"]:
        return f"supported: {point['point']}"
    return f"FLAGGED: {point['point']}  [{failure_text(point)}]"


def run(args) -> int:
    page = read_text(args.page, "page")
    summary = read_text(args.summary, "summary")
    judge, threshold, clear_margin = None, JUDGE_THRESHOLD, None
    if args.model is not None:
        if not args.model.is_file():
            raise UserError(f"{args.model}: no such model file")
        from precis_build.llama_cpp_device import native_engine
        engine = native_engine(args.model)
        judge, threshold, clear_margin = engine.judge_support, engine.judge_threshold(), engine.judge_clear_margin()
    points = ground_points(summary, page, judge=judge, judge_threshold=threshold, judge_clear_margin=clear_margin)
    if args.json:
        print(json.dumps({"points": points}, ensure_ascii=False))
        return 0
    for point in points:
        print(describe(point))
    flagged = sum(not p["supported"] for p in points)
    print(f"{len(points) - flagged} of {len(points)} points supported by the page")
    return 0
