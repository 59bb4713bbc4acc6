"""Fixtures shared by every test folder: the real models `precis setup` installs.

A missing model is a failure with the command that fixes it, never a skip."""

import os
from pathlib import Path

import pytest

from precis.gguf import open_gguf
from precis_build.errors import UserError
from precis_build.paths import DEFAULT_MODEL, GEMMA3_MODEL

os.environ.setdefault("XDG_RUNTIME_DIR", "/tmp")  # wgpu / Vulkan loaders warn without it


def _require(path: Path, command: str) -> Path:
    if not path.exists():
        pytest.fail(f"{path} is missing: run `{command}`", pytrace=False)
    return path


@pytest.fixture(scope="session")
def smollm2_path() -> Path:
    return _require(DEFAULT_MODEL, "precis setup")


@pytest.fixture(scope="session")
def gemma3_path() -> Path:
    return _require(GEMMA3_MODEL, "precis setup --test-models")


@pytest.fixture(scope="session")
def smollm2_gguf(smollm2_path):
    return open_gguf(smollm2_path)


@pytest.fixture(scope="session")
def gemma3_gguf(gemma3_path):
    return open_gguf(gemma3_path)


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory, smollm2_path):
    """Tiny random-weight models of every family (precis_build.tiny_models), each built on first use, once
    per session: transformers -> llama.cpp's converter -> llama.cpp's quantizer."""
    from precis_build.tiny_models import TinyModels, converter_script
    try:
        converter_script()
    except UserError as e:
        pytest.fail(str(e), pytrace=False)
    return TinyModels(tmp_path_factory.mktemp("tiny-models"))
