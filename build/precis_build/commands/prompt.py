"""`precis prompt PAGE_TEXT_FILE [--model M] [--style S] [--length L] [--question Q] --json`:
the exact prompt the engine feeds the model for a summary of the page (or a chat question).

The engine itself builds it: a precis.session.Session loads the model's tokenizer and chat
template, and runs the request against a recording executor that answers end-of-text at once,
so the ids are those the GPU would get (for a page that needs map-reduce: the first part's
notes prompt). Prints {"text": ..., "ids": [...]}; text is the ids decoded.
"""

import json
from pathlib import Path

from precis.session import Session
from precis.summarize import LENGTHS, STYLES, SummaryError
from precis_build.commands.ground import read_text
from precis_build.errors import UserError
from precis_build.model_file import resolve_model_path


class _Recorded(Exception):
    """Raised by the recording executor once the first prompt has been fed."""


def register(subparsers) -> None:
    p = subparsers.add_parser("prompt", help="print the exact prompt the engine would feed the model",
                              description=__doc__.splitlines()[0])
    p.add_argument("page", type=Path, help="the page as a UTF-8 text file")
    p.add_argument("--model", help="GGUF model (default: the one `precis setup` installed)")
    p.add_argument("--style", choices=STYLES, default="key-points")
    p.add_argument("--length", choices=LENGTHS, default="medium")
    p.add_argument("--question", help="a chat question about the page instead of a summary")
    p.add_argument("--title", default="", help="the page's title")
    p.add_argument("--json", action="store_true", required=True, help="print {\"text\", \"ids\"} (required)")
    p.set_defaults(func=run)


def engine_prompt(session: Session, page: dict, style: str, length: str, question: str | None) -> list:
    """The ids of the first prompt the session's request feeds its executor."""
    fed: list = []
    eos = min(session.tokenizer.eos_ids) if session.tokenizer.eos_ids else 0

    def next_candidates(ids, positions):
        if fed and positions and positions[0] == 0:
            raise _Recorded()  # a second prompt (map-reduce): the first is the one asked for
        if fed and positions and positions[0] != len(fed):
            raise _Recorded()
        fed.extend(int(i) for i in ids)
        return [eos], [0.0]  # end of text at once: nothing is generated after the prompt

    session.use_executor(next_candidates)
    try:
        if question:
            session.chat([{"role": "user", "content": question}], page)
        else:
            session.summarize(page, style, length)
    except _Recorded:
        pass
    return fed


def run(args) -> int:
    text = read_text(args.page, "page")
    session = Session()
    path = resolve_model_path(args.model)
    try:
        session.load_model(str(path), path.name)
        ids = engine_prompt(session, {"title": args.title, "text": text}, args.style, args.length, args.question)
    except (SummaryError, ValueError) as e:
        raise UserError(str(e)) from None
    print(json.dumps({"text": session.tokenizer.decode(ids), "ids": ids}, ensure_ascii=False))
    return 0
