"""`precis tokenize`: text -> token ids (a JSON list), or with --decode, ids -> text.

The text (or the JSON list of ids) is TEXT, or stdin when TEXT is left out; stdin is taken
exactly as it comes, a final newline included.
"""

import json
import sys

from precis.chat_template import ChatTemplate, TemplateError
from precis.tokenizer import Tokenizer, TokenizerError
from precis_build.errors import UserError
from precis_build.model_file import open_model


def register(subparsers) -> None:
    p = subparsers.add_parser("tokenize", help="print the token ids of TEXT (or decode ids with --decode)",
                              description=__doc__)
    p.add_argument("text", nargs="?", metavar="TEXT", help="text to tokenize (default: stdin)")
    p.add_argument("--model", help="GGUF model file (default: the installed SmolLM2)")
    p.add_argument("--decode", action="store_true", help="TEXT is a JSON list of ids: print their text")
    p.add_argument("--no-special", action="store_true",
                   help="do not add the BOS/EOS the model asks for (encoding); leave out control tokens (decoding)")
    p.set_defaults(func=run)


def checked_tokenizer(gguf, label: str) -> Tokenizer:
    """The model's tokenizer, after the checks a model gets when the engine loads it (precis.engine's
    prepare): the tokenizer builds, and the chat template renders and encodes a sample conversation.
    A model the panel would refuse is refused here too, in one line."""
    try:
        tokenizer = Tokenizer.from_gguf(gguf)
        ChatTemplate.from_gguf(gguf).check(tokenizer)
    except (TokenizerError, TemplateError) as e:
        raise UserError(f"{label}: {e}") from None
    return tokenizer


def load_tokenizer(model) -> Tokenizer:
    return checked_tokenizer(open_model(model, check_architecture=False), model or "default model")


def parse_ids(text: str, vocab_size: int) -> list[int]:
    try:
        ids = json.loads(text)
    except json.JSONDecodeError as e:
        raise UserError(f"--decode expects a JSON list of token ids: {e}") from None
    if not isinstance(ids, list) or not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
        raise UserError("--decode expects a JSON list of integers, e.g. [19556, 905]")
    bad = [i for i in ids if not 0 <= i < vocab_size]
    if bad:
        raise UserError(f"token id {bad[0]} out of range (vocabulary of {vocab_size})")
    return ids


def run(args) -> int:
    text = args.text if args.text is not None else sys.stdin.read()
    tok = load_tokenizer(args.model)
    if args.decode:
        sys.stdout.write(tok.decode(parse_ids(text, tok.vocab_size), skip_special=args.no_special) + "\n")
    else:
        print(json.dumps(tok.encode(text, add_special=not args.no_special)))
    return 0
