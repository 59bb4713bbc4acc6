"""Every model family we claim, three ways, on tiny random-weight models made the way users' files are made
(transformers config -> llama.cpp's convert_hf_to_gguf.py -> llama.cpp's quantizer; harness.tiny_models):

1. the F32 file in the numpy reference agrees with transformers' own forward pass of the original model
   (before conversion) within F32_ATOL;
2. for each quantized type, the reference's and the GPU plan's (wgpu on lavapipe) greedy tokens equal
   llama.cpp's up to llama.cpp's first near-tie (top-2 gap < NEAR_TIE), from GREEDY_PROMPTS (at least
   MIN_GREEDY_TOKENS compared in all); their teacher-forced top-1 agrees with llama.cpp's on >= 99% of the
   positions where llama.cpp's top-2 gap exceeds NEAR_TIE; the reference's logits are within QUANT_ATOL of
   llama.cpp's everywhere.
llama.cpp computes quantized dot products with its activations rounded to 8 bits, so its logits differ from
exact arithmetic by 2-4% of their spread (measured up to 0.51 on these models, on every family and type).
NEAR_TIE is therefore 0.25, not the 0.1 of the issue: with 0.1, 2-5% of the counted positions flipped on
phi3 and mistral at Q4_K_M / Q6_K, every flip at a llama.cpp gap of 0.10-0.16 (none above). llama.cpp runs
with f32 KV cache and without flash attention (its f16 paths), so on the F32 files it equals the reference
within 3e-5.

Adding a tensor type is one entry in TYPES (every family) or ONE_FAMILY_TYPES (llama.cpp file types).
"""

import numpy as np
import pytest

from precis.gguf import open_gguf
from precis.tokenizer import Tokenizer
from precis_oracles.reference.model import ReferenceModel
from harness.tiny_models import FAMILIES, GGUF_ARCHITECTURE
from precis_oracles.wgpu_executor import WgpuModel

pytestmark = [pytest.mark.gpu, pytest.mark.slow]

TYPES = ["Q8_0", "Q4_K_M", "Q6_K"]
# The other types the kernels read, as llama.cpp's quantizer writes whole files of them, on one family.
ONE_FAMILY, ONE_FAMILY_TYPES = "llama3", ["Q5_K_M", "Q3_K_M", "Q2_K", "IQ4_NL", "IQ4_XS", "Q5_1", "BF16"]
MATRIX = [(f, t) for f in FAMILIES for t in TYPES] + [(ONE_FAMILY, t) for t in ONE_FAMILY_TYPES]
CONTEXT = 64             # llama.cpp's n_ctx, the reference's and the plan's context (phi3: the short factors)
PROMPT_TOKENS = 12       # teacher forcing on the GPU: a prefill of this many tokens of TEXT, then decode steps
GREEDY_PROMPTS = [(0, 5), (5, 11), (11, 18), (18, 24), (24, 31), (31, 37), (37, 44), (3, 40)]  # TEXT's ids
NEW_TOKENS = 6
MIN_GREEDY_TOKENS = 3    # over all prompts: greedy tokens compared before llama.cpp's near-ties
NEAR_TIE = 0.25
QUANT_ATOL = 0.75
MIN_AGREEMENT = 0.99
F32_ATOL = 2e-3          # |logit| reach ~15 here; measured max |diff| vs transformers below 1e-4
TEXT = ("The bridge over the river opened on the first of October, 1894, after eleven years of work. Its two "
        "towers are 65 metres tall, and the road between them carried horses, trams and, later, cars into "
        "the old town on the northern bank.")


@pytest.fixture(scope="module")
def text_ids(tiny_models):
    g = open_gguf(tiny_models.gguf("llama3"))
    ids = Tokenizer.from_gguf(g).encode(TEXT)
    assert 40 <= len(ids) <= CONTEXT - NEW_TOKENS
    return ids


GGML_TYPE_F32 = 0


class LlamaCpp:
    """llama.cpp's logits of one file: teacher-forced over a sequence, and its own greedy continuation."""

    def __init__(self, path):
        from llama_cpp import Llama
        self.llm = Llama(model_path=str(path), n_ctx=CONTEXT, n_batch=CONTEXT, n_ubatch=CONTEXT,
                         logits_all=True, n_threads=2, verbose=False, flash_attn=False,
                         type_k=GGML_TYPE_F32, type_v=GGML_TYPE_F32)

    def logits(self, ids):
        self.llm.reset()
        self.llm.eval(ids)
        return np.array(self.llm.scores[:len(ids)], np.float32)          # [n, V]

    def greedy(self, prompt, n_new):
        """(tokens, top-2 gap at each step)."""
        self.llm.reset()
        self.llm.eval(prompt)
        out, gaps = [], []
        for _ in range(n_new):
            row = np.array(self.llm.scores[self.llm.n_tokens - 1], np.float32)
            top2 = np.sort(row)[-2:]
            out.append(int(np.argmax(row)))
            gaps.append(float(top2[1] - top2[0]))
            self.llm.eval([out[-1]])
        return out, gaps


_llama_cpp_results = {}


def llama_cpp_results(tiny_models, family, type_name, ids):
    """llama.cpp's teacher-forced logits over ids, and per greedy prompt its tokens before its first near-tie
    (what any faithful implementation must repeat)."""
    key = (family, type_name)
    if key not in _llama_cpp_results:
        lc = LlamaCpp(tiny_models.gguf(family, type_name))
        logits = lc.logits(ids)
        expected = []
        for a, b in GREEDY_PROMPTS:
            tokens, gaps = lc.greedy(ids[a:b], NEW_TOKENS)
            n = next((i for i, gap in enumerate(gaps) if gap < NEAR_TIE), len(tokens))
            expected.append((ids[a:b], tokens[:n]))
        _llama_cpp_results[key] = (logits, expected)
        del lc
    logits, expected = _llama_cpp_results[key]
    compared = sum(len(t) for _, t in expected)
    assert compared >= MIN_GREEDY_TOKENS, f"llama.cpp's greedy runs meet near-ties after {compared} tokens in all"
    return logits, expected


def top1_agreement(our_top1, lc_logits):
    top2 = np.sort(lc_logits, axis=-1)[:, -2:]
    clear = (top2[:, 1] - top2[:, 0]) > NEAR_TIE
    # With NEAR_TIE 0.25, 30-60% of these models' positions count (measured 17-28 of 58).
    assert clear.sum() >= len(lc_logits) // 4, "the tiny model's predictions are not peaked enough to compare"
    return float(np.mean(np.asarray(our_top1)[clear] == lc_logits.argmax(-1)[clear]))


@pytest.mark.parametrize("family", list(FAMILIES))
def test_f32_reference_matches_transformers(tiny_models, family, text_ids):
    import torch
    import transformers
    torch.set_num_threads(1)
    g = open_gguf(tiny_models.gguf(family))
    assert g.architecture == GGUF_ARCHITECTURE[family]
    hf = transformers.AutoModelForCausalLM.from_pretrained(str(tiny_models.hf_dir(family)), dtype=torch.float32)
    with torch.no_grad():
        theirs = hf.eval()(torch.tensor([text_ids])).logits[0].numpy()
    ours = ReferenceModel.from_gguf(g, context=CONTEXT).logits_for(text_ids)
    print(f"{family}: max |logit| {np.abs(theirs).max():.2f}, max |diff| {np.abs(ours - theirs).max():.2e}")
    np.testing.assert_allclose(ours, theirs, atol=F32_ATOL)


@pytest.mark.parametrize("family, type_name", MATRIX)
def test_reference_agrees_with_llama_cpp(tiny_models, family, type_name, text_ids):
    lc_logits, expected = llama_cpp_results(tiny_models, family, type_name, text_ids)
    ref = ReferenceModel.from_gguf(open_gguf(tiny_models.gguf(family, type_name)), context=CONTEXT)
    for prompt, tokens in expected:
        assert ref.greedy(prompt, len(tokens)) == tokens
    ours = ref.logits_for(text_ids)
    agree = top1_agreement(ours.argmax(-1), lc_logits)
    diff = np.abs(ours - lc_logits)
    print(f"{family} {type_name}: {sum(len(t) for _, t in expected)} greedy tokens equal, "
          f"top-1 agreement {agree:.3f}, |logit diff| max {diff.max():.3f} mean {diff.mean():.4f}")
    assert diff.max() < QUANT_ATOL
    assert agree >= MIN_AGREEMENT


@pytest.mark.parametrize("family, type_name", MATRIX)
def test_gpu_plan_agrees_with_llama_cpp(tiny_models, family, type_name, text_ids):
    lc_logits, expected = llama_cpp_results(tiny_models, family, type_name, text_ids)
    gpu = WgpuModel.from_gguf(open_gguf(tiny_models.gguf(family, type_name)), chunk=16, context=CONTEXT,
                              features=[])
    for prompt, tokens in expected:
        gpu.reset()
        out = []
        if tokens:
            out.append(int(gpu.next_candidates(prompt)[0][0]))         # prefill
        while len(out) < len(tokens):
            out.append(int(gpu.next_candidates([out[-1]])[0][0]))     # decode
        assert out == tokens
    # Teacher-forced: the remaining positions one decode step at a time, after a prefill of the prompt.
    gpu.reset()
    top1 = [int(gpu.next_candidates(text_ids[:PROMPT_TOKENS])[0][0])]
    top1 += [int(gpu.next_candidates([t])[0][0]) for t in text_ids[PROMPT_TOKENS:]]
    agree = top1_agreement(top1, lc_logits[PROMPT_TOKENS - 1:])
    print(f"{family} {type_name}: GPU: {sum(len(t) for _, t in expected)} greedy tokens equal, "
          f"top-1 agreement {agree:.3f}")
    assert agree >= MIN_AGREEMENT


@pytest.mark.parametrize("family", list(FAMILIES))
def test_gpu_plan_matches_reference_on_f32(tiny_models, family, text_ids):
    """The family's options in our kernels (rope factors, YaRN, partial rotary, biases, fused qkv and gate|up,
    q/k norms, windows, layers without RoPE): the F32 file's logits after a 2-chunk prefill and after a decode
    step equal the reference's within 1e-3 (f32 sums in a different order)."""
    g = open_gguf(tiny_models.gguf(family))
    ref = ReferenceModel.from_gguf(g, context=CONTEXT)
    gpu = WgpuModel.from_gguf(g, chunk=16, context=CONTEXT, features=[])
    ids = text_ids[:30]
    gpu.next_candidates(ids[:-1])
    np.testing.assert_allclose(gpu.executor.read_buffer("logits"), ref.logits_for(ids[:-1])[-1], atol=1e-3)
    gpu.next_candidates(ids[-1:])
    np.testing.assert_allclose(gpu.executor.read_buffer("logits"), ref.logits_for(ids)[-1], atol=1e-3)


def test_llama3_is_not_run_without_its_rope_factors(tiny_models, text_ids):
    """Llama 3's rope scaling lives in the rope_freqs.weight tensor: the reference and the plan use it; the same
    model without it is far from transformers."""
    import torch
    import transformers
    from precis.model_plan import build_plan
    g = open_gguf(tiny_models.gguf("llama3"))
    assert g.tensors["rope_freqs.weight"].dims == (32,)
    ref = ReferenceModel.from_gguf(g, context=CONTEXT)
    hf = transformers.AutoModelForCausalLM.from_pretrained(str(tiny_models.hf_dir("llama3")), dtype=torch.float32)
    with torch.no_grad():
        theirs = hf.eval()(torch.tensor([text_ids])).logits[0].numpy()
    np.testing.assert_allclose(ref.logits_for(text_ids), theirs, atol=F32_ATOL)
    ref.rope_factors = None
    assert np.abs(ref.logits_for(text_ids) - theirs).max() > 50 * F32_ATOL
    plan = build_plan(g, context=CONTEXT)
    rope = [d for d in plan.steps["decode"].dispatches if d.label.endswith("rope_kv")]
    factors = plan.buffers.index(plan.buffer("rope_freqs.weight"))
    assert len(rope) == 2 and all(d.bindings[7][1] == factors for d in rope)
    assert all(plan.pipelines[d.pipeline].constants["FREQ_FACTORS"] == 1 for d in rope)


def test_phi3_long_rope_factors_past_the_original_context(tiny_models, text_ids):
    """LongRoPE: at a context past the original 256 (llama.cpp: its context rounded up to 256) the long
    factors apply; the reference and the GPU plan then agree with llama.cpp at that context."""
    g = open_gguf(tiny_models.gguf("phi3"))
    long_ref = ReferenceModel.from_gguf(g, context=512)
    ours = long_ref.logits_for(text_ids)
    from llama_cpp import Llama
    llm = Llama(model_path=str(tiny_models.gguf("phi3")), n_ctx=512, n_batch=64, n_ubatch=64, logits_all=True,
                n_threads=2, verbose=False, flash_attn=False, type_k=GGML_TYPE_F32, type_v=GGML_TYPE_F32)
    llm.eval(text_ids)
    theirs = np.array(llm.scores[:len(text_ids)], np.float32)
    short = ReferenceModel.from_gguf(g, context=CONTEXT).logits_for(text_ids)
    print(f"phi3 long factors: max |diff| vs llama.cpp {np.abs(ours - theirs).max():.3f}, "
          f"short vs long {np.abs(short - ours).max():.3f}")
    assert np.abs(ours - theirs).max() < 1e-3           # F32 file: llama.cpp's own f32 sums
    assert np.abs(short - ours).max() > 1.0             # the factors matter at these positions
    gpu = WgpuModel.from_gguf(g, chunk=16, context=512, features=[])
    gpu.next_candidates(text_ids)
    np.testing.assert_allclose(gpu.executor.read_buffer("logits"), ours[-1], atol=1e-3)
