"""`precis prompt PAGE_TEXT_FILE [--model M] [--style S] [--length L] [--question Q] --json`:
the exact prompt the engine feeds the model for a summary of the page (or a chat question).

The engine itself builds it: a precis.engine.Engine loads the model's tokenizer and chat
template, and runs the request against a recording device that answers end-of-text at once,
so the ids are those the GPU would get (for a page that needs map-reduce: the first part's
notes prompt). Prints {"text": ..., "ids": [...]}; text is the ids decoded.
"""

import json
from pathlib import Path

from precis.engine import Engine, EngineError
from precis.summarize import LENGTHS, STYLES, SummaryError
from precis_build.commands.ground import read_text
from precis_build.errors import UserError
from precis_build.model_file import resolve_model_path


class _RecordingDevice:
    """The device contract (precis.engine) answering end-of-text at once: records the first prompt fed;
    a second prompt (map-reduce) is answered as cancelled, so the request ends there."""

    def __init__(self):
        self.eos = 0
        self.fed: list = []
        self.done = False

    def step(self, ids, positions, k, text=""):
        if self.fed and positions[0] != len(self.fed):
            self.done = True
        if not self.done:
            self.fed.extend(int(i) for i in ids)
        return {"ids": [self.eos], "logits": [0.0], "cancelled": self.done}

    def poll(self, text=""):
        return {"cancelled": self.done}


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


def engine_prompt(engine: Engine, page: dict, style: str, length: str, question: str | None) -> list:
    """The ids of the first prompt the request feeds the device (`engine`: prepared, not committed)."""
    device = _RecordingDevice()
    engine.commit(device)
    tokenizer = engine.model.tokenizer
    device.eos = min(tokenizer.eos_ids) if tokenizer.eos_ids else 0
    if question:
        answer = engine.handle("chat", {"messages": [{"role": "user", "content": question}], "page": page})
    else:
        # shape off: the recording device answers end-of-text at once, which the shape would turn into bullets
        answer = engine.handle("summarize", {"page": page, "style": style, "length": length,
                                             "shape": False})
    if "error" in answer:
        raise UserError(answer["error"]["message"])
    return device.fed


def run(args) -> int:
    text = read_text(args.page, "page")
    path = resolve_model_path(args.model)
    data = path.read_bytes()
    engine = Engine()
    engine.set_adapter({"available": True, "info": {"description": "none (prompt only)"}})
    try:
        engine.prepare(data, len(data), path.name, str(path))
    except (EngineError, SummaryError, ValueError) as e:
        raise UserError(str(e)) from None
    ids = engine_prompt(engine, {"title": args.title, "text": text}, args.style, args.length, args.question)
    print(json.dumps({"text": engine.model.tokenizer.decode(ids), "ids": ids}, ensure_ascii=False))
    return 0
