"""`precis inspect` through a real subprocess: JSON facts of both models, clear errors."""

import json
import subprocess
import sys

import pytest

from precis.gguf import open_gguf


def precis(*args):
    return subprocess.run([sys.executable, "-m", "precis_build.cli", *map(str, args)],
                          capture_output=True, text=True, timeout=120)


def test_inspect_smollm2(smollm2_path):
    r = precis("inspect", smollm2_path)
    assert r.returncode == 0, r.stderr
    info = json.loads(r.stdout)
    assert info["architecture"] == "llama" and info["supported"] is True
    assert info["hyperparameters"] == {
        "layers": 30, "hidden": 576, "ffn": 1536, "heads": 9, "kv_heads": 3, "head_dim": 64,
        "context": 8192, "vocab": 49152, "rope_base": 100000.0, "rope_dims": 64,
        "norm_eps": pytest.approx(1e-5)}
    assert info["tokenizer"]["model"] == "gpt2" and info["tokenizer"]["pre"] == "smollm"
    assert info["tokenizer"]["merges"] == 48900 and info["tokenizer"]["eos_id"] == 2
    assert info["chat_template"] is True and info["tied_output"] is True
    assert info["tensors"]["by_type"] == {"F32": 61, "Q4_1": 210, "Q8_0": 1}
    assert info["tensors"]["count"] == 272


def test_inspect_gemma3(gemma3_path):
    r = precis("inspect", gemma3_path)
    assert r.returncode == 0, r.stderr
    info = json.loads(r.stdout)
    hp = info["hyperparameters"]
    assert info["architecture"] == "gemma3"
    assert (hp["layers"], hp["hidden"], hp["heads"], hp["kv_heads"], hp["head_dim"]) == (18, 640, 4, 1, 256)
    assert hp["vocab"] == 262144 and hp["sliding_window"] == 512 and hp["rope_base"] == 1e6
    assert info["tokenizer"]["model"] == "llama" and info["tokenizer"]["add_bos"] is True
    assert info["chat_template"] is False
    assert info["tensors"]["by_type"] == {"F32": 109, "Q4_K": 27, "Q5_0": 81, "Q6_K": 9, "Q8_0": 10}


def test_inspect_default_model_is_qwen2_5_coder_0_5b(qwen05_path):
    """The built-in default (intended change: it was SmolLM2-135M, which writes no Chinese)."""
    r = precis("inspect")
    assert r.returncode == 0, r.stderr
    info = json.loads(r.stdout)
    assert info["name"] == open_gguf(qwen05_path).metadata["general.name"] and info["architecture"] == "qwen2"


def test_inspect_missing_and_corrupt_files(tmp_path):
    r = precis("inspect", tmp_path / "nope.gguf")
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.strip() == f"precis inspect: model not found: {tmp_path / 'nope.gguf'}"
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(b"GGUF" + bytes([3, 0, 0, 0]) + b"\xff" * 40)
    r = precis("inspect", bad)
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1
    assert "corrupt or unreadable GGUF" in r.stderr and "Traceback" not in r.stderr
