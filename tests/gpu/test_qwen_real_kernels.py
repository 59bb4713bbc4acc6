"""The real Qwen2.5-Coder Instruct files (qwen2: q/k/v biases, rope base 1e6, a 151,936-token vocabulary,
Q5_0 / Q8_0 / Q4_K / Q6_K weights) through the numpy reference and our WGSL on lavapipe: greedy ids equal
llama.cpp's up to its first near-tie (tests/harness/real_model_oracle.py), on the prompts Précis builds.

Sizes chosen for CI (2 cores): the reference runs every prompt (summary and chat, English and Chinese, 105-156
tokens); lavapipe runs the two short chat prompts (24-26 tokens) for 4 tokens. The 1.5B runs in the reference
on one summary and one chat prompt (its f32 weights take ~6 GB)."""

import pytest

from precis.gguf import open_gguf
from precis_oracles.reference.model import ReferenceModel
from precis_oracles.wgpu_executor import WgpuModel
from harness.real_model_oracle import CONTEXT

pytestmark = [pytest.mark.gpu, pytest.mark.slow]

LONG_CASES = ["en-summary", "zh-summary", "en-chat", "zh-chat"]
SHORT_CASES = ["en-short", "zh-short"]
LAVAPIPE_NEW_TOKENS = 4


def _compared(expected, cases) -> int:
    n = sum(len(expected[c].tokens) for c in cases)
    assert n >= 2 * len(cases), f"llama.cpp meets near-ties too early to compare: {n} tokens over {cases}"
    return n


def test_reference_greedy_equals_llama_cpp_on_the_0_5b(qwen05_path, qwen05_expected):
    ref = ReferenceModel.from_gguf(open_gguf(qwen05_path), context=CONTEXT)
    _compared(qwen05_expected, LONG_CASES)
    for case in LONG_CASES + SHORT_CASES:
        e = qwen05_expected[case]
        assert ref.greedy(e.prompt, len(e.tokens)) == e.tokens, case


def test_wgsl_on_lavapipe_greedy_equals_llama_cpp_on_the_0_5b(qwen05_path, qwen05_expected):
    """The f32 plan (what every adapter runs): prefill of the prompt in chunks of 32, then decode steps; the
    GPU's top-k over all 151,936 logits."""
    gpu = WgpuModel.from_gguf(open_gguf(qwen05_path), chunk=32, context=64, features=[])
    _compared(qwen05_expected, SHORT_CASES)
    for case in SHORT_CASES:
        e = qwen05_expected[case]
        tokens = e.tokens[:LAVAPIPE_NEW_TOKENS]
        gpu.reset()
        out = [int(gpu.next_candidates(e.prompt)[0][0])]
        while len(out) < len(tokens):
            out.append(int(gpu.next_candidates([out[-1]])[0][0]))
        assert out == tokens, case


def test_reference_greedy_equals_llama_cpp_on_the_1_5b(qwen15_path, qwen15_expected):
    ref = ReferenceModel.from_gguf(open_gguf(qwen15_path), context=CONTEXT)
    cases = list(qwen15_expected)           # conftest.QWEN15_CASES
    _compared(qwen15_expected, cases)
    for case in cases:
        e = qwen15_expected[case]
        assert ref.greedy(e.prompt, len(e.tokens)) == e.tokens, case
