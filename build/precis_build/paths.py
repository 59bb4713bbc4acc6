"""Where things live. The backend runs from a checkout (editable install): the repo root
is the unpacked extension, and fetched assets go to ignored folders inside it."""

import os
from pathlib import Path

REPO_ROOT = Path(os.environ.get("PRECIS_ROOT") or Path(__file__).resolve().parents[2])
VENDOR = REPO_ROOT / "vendor"          # Pyodide, micropip, JS libraries, wheels for Pyodide
MODELS = REPO_ROOT / "models"          # GGUF model files
DIST = REPO_ROOT / "dist"              # `precis pack` output
CACHE = Path(os.environ.get("PRECIS_CACHE") or REPO_ROOT / ".cache")  # verified downloads

# The built-in model (precis_build.models_catalog.DEFAULT_MODEL_NAME): a multilingual instruction model that
# answers Chinese pages in Chinese (README, "Which model").
DEFAULT_MODEL_FILE = "qwen2.5-coder-0.5b-instruct.gguf"
DEFAULT_MODEL = MODELS / DEFAULT_MODEL_FILE
# SmolLM2-135M: 5x smaller, English only; the tests that need a fast real model use it by name.
SMOLLM2_MODEL = MODELS / "SmolLM2-135M-Instruct.Q4_1.gguf"
GEMMA3_MODEL = MODELS / "gemma-3-270m-Q4_K_M.gguf"
# llama.cpp's HF -> GGUF converter (convert_hf_to_gguf.py, conversion/, gguf-py/), unpacked by
# `precis setup --test-models` from the llama-cpp-python sdist; the tiny-model tests run it.
LLAMA_CPP_CONVERTER = VENDOR / "llama.cpp"
