"""Opening a model for the CLI: every problem becomes one UserError line."""

from pathlib import Path

from precis.gguf import GGUFError, GGUFFile, open_gguf
from precis.model_spec import ModelSpecError, check_model
from precis_build.errors import UserError
from precis_build.models_catalog import READER_MODEL_NAMES, resolve_model, setup_hint

MODEL_HELP = (f"a model name ({', '.join(READER_MODEL_NAMES)}: `precis setup --model NAME` fetches it) or a GGUF "
              "file's path (default: the model `precis setup` installed)")


def resolve_model_path(model) -> Path:
    """--model as a file: a catalog name (precis_build.models_catalog), a path, or None for the default."""
    path = resolve_model(model)
    if not path.exists():
        raise UserError(f"model not found: {path}{setup_hint(model)}")
    return path


def open_model(model=None, *, check_architecture: bool = True) -> GGUFFile:
    """Open MODEL (a catalog name or a path; default: the model `precis setup` installed) and check we can run it: precis.model_spec's
    check (architecture, metadata, every tensor's shape and type the numpy reference reads), the one check
    every backend runs, so a malformed file is refused here in one line, before any backend starts."""
    path = resolve_model_path(model)
    try:
        gguf = open_gguf(path)
        gguf.architecture  # a missing architecture key is a GGUFError too: refused in the same line
    except GGUFError as e:
        raise UserError(f"{path}: corrupt or unreadable GGUF: {e}") from None
    if check_architecture:
        from precis_oracles.reference.dequant import SUPPORTED_TYPES
        try:
            check_model(gguf, SUPPORTED_TYPES)
        except ModelSpecError as e:
            raise UserError(f"{path}: {e}") from None
    return gguf
