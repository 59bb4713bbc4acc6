"""Opening a model for the CLI: every problem becomes one UserError line."""

from pathlib import Path

from precis.gguf import GGUFError, GGUFFile, open_gguf
from precis_build.errors import UserError
from precis_build.paths import DEFAULT_MODEL

SUPPORTED_ARCHITECTURES = ("llama", "qwen2", "gemma3")


def resolve_model_path(model) -> Path:
    path = Path(model) if model else DEFAULT_MODEL
    if not path.exists():
        hint = " (run `precis setup` to install the default model)" if not model else ""
        raise UserError(f"model not found: {path}{hint}")
    return path


def open_model(model=None, *, check_architecture: bool = True) -> GGUFFile:
    """Open MODEL (default: the model `precis setup` installed) and check we can run it."""
    path = resolve_model_path(model)
    try:
        gguf = open_gguf(path)
        arch = gguf.architecture
    except GGUFError as e:
        raise UserError(f"{path}: corrupt or unreadable GGUF: {e}") from None
    if check_architecture and arch not in SUPPORTED_ARCHITECTURES:
        raise UserError(f"{path}: unsupported model architecture {arch!r} "
                        f"(supported: {', '.join(SUPPORTED_ARCHITECTURES)})")
    return gguf
