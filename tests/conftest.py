"""Fixtures shared by every test folder: the real models `precis setup` installs.

A missing model is a failure with the command that fixes it, never a skip."""

import os
from pathlib import Path

import pytest

from precis.gguf import open_gguf
from precis_build.errors import UserError
from precis_build.models_catalog import CATALOG
from precis_build.paths import GEMMA3_MODEL, SMOLLM2_MODEL

os.environ.setdefault("XDG_RUNTIME_DIR", "/tmp")  # wgpu / Vulkan loaders warn without it


def _require(path: Path, command: str) -> Path:
    if not path.exists():
        pytest.fail(f"{path} is missing: run `{command}`", pytrace=False)
    return path


@pytest.fixture(scope="session")
def smollm2_path() -> Path:
    return _require(SMOLLM2_MODEL, "precis setup --test-models")


@pytest.fixture(scope="session")
def gemma3_path() -> Path:
    return _require(GEMMA3_MODEL, "precis setup --test-models")


@pytest.fixture(scope="session")
def qwen05_path() -> Path:
    return _require(CATALOG["qwen2.5-coder-0.5b"].path, "precis setup --model qwen2.5-coder-0.5b")


@pytest.fixture(scope="session")
def qwen15_path() -> Path:
    return _require(CATALOG["qwen2.5-coder-1.5b"].path, "precis setup --model qwen2.5-coder-1.5b")


QWEN_NEW_TOKENS = 8     # llama.cpp's greedy tokens per prompt (then cut at its first near-tie)


@pytest.fixture(scope="session")
def qwen05_expected(qwen05_path):
    """case -> harness.real_model_oracle.Expected: llama.cpp's greedy ids of the prompts Précis builds, on the real
    Qwen2.5-Coder 0.5B file (computed once per session, shared by the gpu and browser tests)."""
    from harness.real_model_oracle import engine_prompts, llama_cpp_expectations
    return llama_cpp_expectations(qwen05_path, engine_prompts(qwen05_path), QWEN_NEW_TOKENS)


QWEN15_CASES = ("zh-summary", "en-chat")   # the 1.5B: one summary and one chat prompt (its runs are slower)


@pytest.fixture(scope="session")
def qwen15_expected(qwen15_path):
    from harness.real_model_oracle import engine_prompts, llama_cpp_expectations
    prompts = {case: ids for case, ids in engine_prompts(qwen15_path).items() if case in QWEN15_CASES}
    return llama_cpp_expectations(qwen15_path, prompts, QWEN_NEW_TOKENS)


@pytest.fixture(scope="session")
def smollm2_gguf(smollm2_path):
    return open_gguf(smollm2_path)


@pytest.fixture(scope="session")
def gemma3_gguf(gemma3_path):
    return open_gguf(gemma3_path)


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory, smollm2_path):
    """Tiny random-weight models of every family (harness.tiny_models), each built on first use, once
    per session: transformers -> llama.cpp's converter -> llama.cpp's quantizer."""
    from harness.tiny_models import TinyModels, converter_script
    try:
        converter_script()
    except UserError as e:
        pytest.fail(str(e), pytrace=False)
    return TinyModels(tmp_path_factory.mktemp("tiny-models"))
