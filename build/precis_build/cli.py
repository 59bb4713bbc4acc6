"""Précis: on-device page summaries — packaging, model tools and the extension, from the shell.

Each subcommand lives in precis_build/commands/<name>.py and exposes `register(subparsers)`,
which sets `func` to a callable(args) -> exit status.

Errors the user can act on (missing or corrupt model, bad input) are `UserError`s:
one clear line on stderr and exit status 2, never a traceback."""

import argparse
import importlib
import sys

from precis_build.errors import UserError

COMMANDS = ["setup", "pack", "status", "inspect", "tokenize", "generate", "bench", "summarize", "ground", "prompt"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="precis", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"precis_build.commands.{name}").register(sub)
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args) or 0
    except UserError as e:
        print(f"precis {args.command}: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"precis {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
