"""`precis generate` (numpy and wgpu backends) through a real subprocess.

The generated ids must be exactly the reference model's greedy ids for the same prompt ids
(computed here in-process with precis' tokenizer and chat template), and the text their
decoding; bad model files give exit status 2 and one clear line."""

import json
import subprocess
import sys

import pytest

from precis.chat_template import ChatTemplate
from precis.tokenizer import Tokenizer
from precis_oracles.reference.model import ReferenceModel

MAX_TOKENS = 8


def precis(*args):
    return subprocess.run([sys.executable, "-m", "precis_build.cli", *map(str, args)],
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def smol_expected(smollm2_gguf):
    """The reference model's greedy answer to a chat prompt: (ids, text)."""
    tok = Tokenizer.from_gguf(smollm2_gguf)
    ids = ChatTemplate.from_gguf(smollm2_gguf).encode(tok, [{"role": "user", "content": "What is 2 + 2?"}])
    out = ReferenceModel.from_gguf(smollm2_gguf).greedy(ids, MAX_TOKENS, stop_ids=tok.eos_ids)
    text = tok.decode([t for t in out if t not in tok.eos_ids])
    return out, text


def test_generate_json_equals_reference_greedy(smollm2_path, smol_expected):
    r = precis("generate", "--model", smollm2_path, "--backend", "numpy", "--prompt", "What is 2 + 2?",
               "--chat", "--max-tokens", MAX_TOKENS, "--json")
    assert r.returncode == 0, r.stderr
    result = json.loads(r.stdout)
    assert result == {"ids": smol_expected[0], "text": smol_expected[1]}


@pytest.mark.gpu
def test_generate_wgpu_backend_equals_reference_greedy(smollm2_path, smol_expected):
    """Our WGSL kernels (wgpu-py on lavapipe here) through the same command: the reference's greedy text."""
    r = precis("generate", "--model", smollm2_path, "--backend", "wgpu", "--prompt", "What is 2 + 2?",
               "--chat", "--max-tokens", MAX_TOKENS, "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == {"ids": smol_expected[0], "text": smol_expected[1]}


def test_generate_streams_the_same_text(smollm2_path, smol_expected):
    r = precis("generate", "--model", smollm2_path, "--prompt", "What is 2 + 2?", "--chat",
               "--max-tokens", MAX_TOKENS)
    assert r.returncode == 0, r.stderr
    assert r.stdout == smol_expected[1] + "\n"


def test_generate_plain_prompt_gemma3(gemma3_gguf, gemma3_path):
    tok = Tokenizer.from_gguf(gemma3_gguf)
    ids = tok.encode("The capital of France is")
    expected = ReferenceModel.from_gguf(gemma3_gguf).greedy(ids, 4, stop_ids=tok.eos_ids)
    r = precis("generate", "--model", gemma3_path, "--prompt", "The capital of France is",
               "--max-tokens", 4, "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["ids"] == expected


def test_generate_missing_model(tmp_path):
    missing = tmp_path / "missing.gguf"
    r = precis("generate", "--model", missing, "--prompt", "hi")
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.strip() == f"precis generate: model not found: {missing}"


def test_generate_corrupt_model(tmp_path, smollm2_path):
    # A real header cut short: truncated in the middle of the metadata.
    bad = tmp_path / "truncated.gguf"
    bad.write_bytes(smollm2_path.read_bytes()[:5000])
    r = precis("generate", "--model", bad, "--prompt", "hi")
    assert r.returncode == 2 and r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "corrupt or unreadable GGUF" in lines[0] and "truncated" in lines[0]


def test_generate_unsupported_architecture(tmp_path):
    from gguf import GGUFWriter as gguf_writer
    path = tmp_path / "bert.gguf"
    w = gguf_writer(str(path), "bert")
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    r = precis("generate", "--model", path, "--prompt", "hi")
    assert r.returncode == 2
    assert "unsupported model architecture 'bert'" in r.stderr and "Traceback" not in r.stderr


def test_generate_bad_max_tokens(smollm2_path):
    r = precis("generate", "--model", smollm2_path, "--prompt", "hi", "--max-tokens", -1)
    assert r.returncode == 2 and "--max-tokens must be >= 0" in r.stderr
