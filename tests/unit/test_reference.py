"""The numpy reference model against outside implementations, plus its own invariants.

Outside checks (slow, still run in CI):
- SmolLM2 (llama): greedy tokens equal transformers' greedy tokens (transformers loads the
  same GGUF and dequantizes it to float32) for 3 chat prompts, 24 new tokens each; the prompt
  logits agree within 1e-3 absolute (measured: ~8e-5, logits up to ~38).
- Gemma 3 (gemma3): the same on 2 plain prompts, 16 new tokens (measured logit diff ~5e-5).
- llama.cpp (llama-cpp-python): teacher forcing over ~550 tokens of text, the argmax of every
  position agrees at >= 95% of positions, for both models. The Gemma text is longer than its
  512-token sliding window, so the window mask is exercised.
- qwen2 (no real model here): a tiny random-weight qwen2 GGUF written with gguf-py; the
  logits equal those of transformers loading the same GGUF, within 1e-5 (measured 4e-7).
Prompt ids come from precis' own tokenizer and chat template (the point here is the model).
"""

import numpy as np
import pytest

from precis.chat_template import ChatTemplate
from precis.tokenizer import Tokenizer
from precis_build.paths import MODELS
from precis.model_spec import LayerSpec, ModelSpec
from precis_oracles.reference.model import LayerWeights, ModelError, ReferenceModel, apply_rope, rope_cos_sin
from reference_text import TEXT

LOGIT_ATOL = 1e-3
LLAMA_CPP_MIN_AGREEMENT = 0.95

CHAT_PROMPTS = [
    "What is the capital of France?",
    "Write a haiku about the sea.",
    "Explain in two sentences why the sky is blue.",
]
PLAIN_PROMPTS = ["The capital of France is", "def fibonacci(n):"]


@pytest.fixture(scope="module")
def smol_ref(smollm2_gguf):
    return ReferenceModel.from_gguf(smollm2_gguf)


@pytest.fixture(scope="module")
def gemma_ref(gemma3_gguf):
    return ReferenceModel.from_gguf(gemma3_gguf)


# -- invariants (fast) --------------------------------------------------------------------

def test_rope_rotates_pairs_and_depends_only_on_relative_position():
    rng = np.random.default_rng(0)
    q = rng.standard_normal((1, 1, 64)).astype(np.float32)
    k = rng.standard_normal((1, 1, 64)).astype(np.float32)
    for neox in (False, True):
        def rot(x, pos):
            cos, sin = rope_cos_sin(np.array([pos]), 64, 10000.0, 1.0)
            return apply_rope(x, cos, sin, neox)
        np.testing.assert_allclose(rot(q, 0), q, atol=0)  # position 0: identity
        np.testing.assert_allclose(np.linalg.norm(rot(q, 37)), np.linalg.norm(q), rtol=1e-5)
        # <R(m) q, R(n) k> depends on m - n only.
        a = float(np.sum(rot(q, 50) * rot(k, 45)))
        b = float(np.sum(rot(q, 105) * rot(k, 100)))
        assert abs(a - b) < 1e-4 * max(1.0, abs(a))
    # Adjacent pairs: rotating position 1 moves x[0] into x[1] (pair 0 has frequency 1).
    x = np.zeros((1, 1, 4), np.float32)
    x[0, 0, 0] = 1.0
    cos, sin = rope_cos_sin(np.array([1]), 4, 10000.0, 1.0)
    np.testing.assert_allclose(apply_rope(x, cos, sin, False)[0, 0], [np.cos(1), np.sin(1), 0, 0], atol=1e-6)
    np.testing.assert_allclose(apply_rope(x, cos, sin, True)[0, 0], [np.cos(1), 0, np.sin(1), 0], atol=1e-6)


def tiny_model(window):
    """A one-layer random model (gemma3 shape rules) to test the attention mask by itself."""
    rng = np.random.default_rng(1)
    D, H, Hkv, hd, F, V = 16, 2, 1, 8, 32, 50

    def w(*shape):
        return rng.standard_normal(shape).astype(np.float32) * 0.5

    cfg = ModelSpec(arch="gemma3", layers=1, hidden=D, ffn=F, n_head=H, n_kv=Hkv, head_dim=hd, vocab=V,
                    eps=1e-6, n_ctx_train=64, rope_dim=hd, rope_neox=True, attention_scale=hd ** -0.5,
                    layer=[LayerSpec(window=window or 0, rope_base=10000.0)], qk_norm=True, post_norms=True,
                    embed_scale=D ** 0.5, activation="gelu_tanh")
    layer = LayerWeights(attn_norm=w(D), wq=w(H * hd, D), wk=w(Hkv * hd, D), wv=w(Hkv * hd, D), wo=w(D, H * hd),
                         ffn_norm=w(D), w_gate=w(F, D), w_up=w(F, D), w_down=w(D, F),
                         q_norm=w(hd), k_norm=w(hd), post_attn_norm=w(D), post_ffn_norm=w(D))
    embd = w(V, D)
    return ReferenceModel(cfg, embd, w(D), embd, [layer])


def test_sliding_window_sees_exactly_the_last_window_positions():
    # With one layer, position p depends only on tokens p-window+1 .. p.
    window, p = 4, 10
    model = tiny_model(window)
    ids = list(range(3, 3 + p + 1))
    base = model.logits_for(ids)[p]
    outside, inside = list(ids), list(ids)
    outside[p - window] = 40     # just out of the window: no effect
    inside[p - window + 1] = 40  # oldest position inside: changes the output
    np.testing.assert_array_equal(model.logits_for(outside)[p], base)
    assert np.abs(model.logits_for(inside)[p] - base).max() > 1e-3
    # Without a window, every earlier token matters.
    glob = tiny_model(None)
    assert np.abs(glob.logits_for(outside)[p] - glob.logits_for(ids)[p]).max() > 1e-3


def test_kv_cache_chunks_and_rewind_match_one_pass(smol_ref):
    ids = [1, 4093, 198, 1780, 314, 260, 3575, 282, 4649, 47, 2, 198]
    whole = smol_ref.logits_for(ids)                                      # [12, V]
    smol_ref.reset()
    parts = [smol_ref.forward(ids[:5], 0)] + [smol_ref.forward([t], 5 + i) for i, t in enumerate(ids[5:])]
    np.testing.assert_allclose(np.concatenate(parts), whole, atol=1e-4)
    # Rewind to position 8 and feed the rest again: same logits as before.
    np.testing.assert_allclose(smol_ref.forward(ids[8:], 8), whole[8:], atol=1e-4)
    last = smol_ref.forward(ids[8:], 8, last_only=True)
    assert last.shape == (1, smol_ref.config.vocab)
    np.testing.assert_allclose(last[0], whole[-1], atol=1e-4)


def test_bad_input_is_a_clear_error(smol_ref):
    smol_ref.reset()
    with pytest.raises(ModelError, match="out of range"):
        smol_ref.forward([49152], 0)
    with pytest.raises(ModelError, match="past the 0 cached positions"):
        smol_ref.forward([1], 3)
    with pytest.raises(ModelError, match="at least one token"):
        smol_ref.forward([], 0)


def test_gemma3_layer_pattern(gemma_ref):
    c = gemma_ref.config
    globals_ = [i for i, L in enumerate(c.layer) if L.window == 0]
    assert globals_ == [5, 11, 17]
    assert {L.window for L in c.layer} - {0} == {512}
    assert [c.layer[i].rope_base for i in (0, 5)] == [10000.0, 1e6]
    assert c.attention_scale == 1 / 16 and c.rope_neox


# -- transformers ----------------------------------------------------------------------------

def load_transformers(gguf_name):
    try:
        import torch
        import transformers
    except ImportError as e:
        pytest.fail(f"this check needs torch, transformers and accelerate ({e})", pytrace=False)
    # One thread: on a busy 2-core machine torch's spinning worker threads made generation 8x slower.
    torch.set_num_threads(1)
    model = transformers.AutoModelForCausalLM.from_pretrained(str(MODELS), gguf_file=gguf_name, dtype=torch.float32)
    model.eval()
    return torch, model


def hf_greedy(torch, model, ids, n_new, eos):
    with torch.no_grad():
        out = model.generate(torch.tensor([ids]), max_new_tokens=n_new, do_sample=False,
                             eos_token_id=eos, pad_token_id=eos, attention_mask=torch.ones(1, len(ids), dtype=torch.long))
        logits = model(torch.tensor([ids])).logits[0].numpy()
    return out[0, len(ids):].tolist(), logits


@pytest.mark.slow
def test_smollm2_greedy_equals_transformers(smollm2_gguf, smollm2_path, smol_ref):
    torch, hf = load_transformers(smollm2_path.name)
    tok = Tokenizer.from_gguf(smollm2_gguf)
    template = ChatTemplate.from_gguf(smollm2_gguf)
    eos = tok.eos_id
    for prompt in CHAT_PROMPTS:
        ids = template.encode(tok, [{"role": "user", "content": prompt}])
        theirs, hf_logits = hf_greedy(torch, hf, ids, 24, eos)
        ours = smol_ref.greedy(ids, 24, stop_ids={eos})
        print(f"{prompt!r}: {tok.decode(ours)!r}")
        assert ours == theirs, prompt
        diff = np.abs(smol_ref.logits_for(ids) - hf_logits).max()
        print(f"  max |logit diff| over the prompt: {diff:.2e}")
        assert diff < LOGIT_ATOL


@pytest.mark.slow
def test_gemma3_greedy_equals_transformers(gemma3_gguf, gemma3_path, gemma_ref):
    torch, hf = load_transformers(gemma3_path.name)
    tok = Tokenizer.from_gguf(gemma3_gguf)
    for prompt in PLAIN_PROMPTS:
        ids = tok.encode(prompt)
        assert ids[0] == tok.bos_id
        theirs, hf_logits = hf_greedy(torch, hf, ids, 16, tok.eos_id)
        ours = gemma_ref.greedy(ids, 16, stop_ids={tok.eos_id})
        print(f"{prompt!r}: {tok.decode(ours)!r}")
        assert ours == theirs, prompt
        diff = np.abs(gemma_ref.logits_for(ids) - hf_logits).max()
        print(f"  max |logit diff| over the prompt: {diff:.2e}")
        assert diff < LOGIT_ATOL


# -- llama.cpp -------------------------------------------------------------------------------

def llama_cpp_logits(path, ids):
    try:
        from llama_cpp import Llama
    except ImportError as e:
        pytest.fail(f"llama-cpp-python is needed for this check ({e}); see the reference helper's "
                    f"install command (CMAKE_ARGS with AMX off)", pytrace=False)
    llm = Llama(model_path=str(path), n_ctx=len(ids) + 16, n_batch=len(ids), n_ubatch=len(ids),
                logits_all=True, n_threads=2, verbose=False)
    llm.eval(ids)
    return np.array(llm.scores[:len(ids)], dtype=np.float32)   # [n, V]


def teacher_forced(ref, gguf, path):
    """Both models' logits [n, V] over TEXT, and the fraction of positions whose argmax agrees."""
    ids = Tokenizer.from_gguf(gguf).encode(TEXT)
    ours = ref.logits_for(ids)                                 # [n, V]
    theirs = llama_cpp_logits(path, ids)
    agree = float(np.mean(ours.argmax(-1) == theirs.argmax(-1)))
    print(f"{path.name}: {len(ids)} positions, top-1 agreement with llama.cpp {agree:.4f}, "
          f"mean |logit diff| {np.mean(np.abs(ours - theirs)):.3f}")
    return ours, theirs, agree


@pytest.mark.slow
def test_smollm2_top1_agrees_with_llama_cpp(smol_ref, smollm2_gguf, smollm2_path):
    _, _, agree = teacher_forced(smol_ref, smollm2_gguf, smollm2_path)
    assert agree >= LLAMA_CPP_MIN_AGREEMENT


@pytest.mark.slow
def test_gemma3_top1_agrees_with_llama_cpp(gemma_ref, gemma3_gguf, gemma3_path):
    ours, theirs, agree = teacher_forced(gemma_ref, gemma3_gguf, gemma3_path)
    assert agree >= LLAMA_CPP_MIN_AGREEMENT
    # Past the 512-token sliding window the local layers must forget the start, as llama.cpp's do.
    # Measured mean |logit diff|: 0.178 before position 512, 0.171 after; with the window turned
    # off in the reference it doubles after (0.349), which this bound catches.
    window = 512
    assert len(ours) > window + 20
    before = np.abs(ours[:window] - theirs[:window]).mean()
    after = np.abs(ours[window:] - theirs[window:]).mean()
    print(f"mean |logit diff| before the window edge {before:.3f}, after {after:.3f}")
    assert after < 1.3 * before


# -- qwen2 (no real model in the repo): a tiny random GGUF, loaded by transformers too -------

def write_tiny_qwen2(path, rng, D=64, F=128, H=4, Hkv=2, L=2, V=300):
    """A random-weight qwen2 GGUF written with gguf-py, tensors named and laid out as llama.cpp's
    converter writes them (q/k rows not permuted for qwen2; biases on q, k, v; untied output)."""
    import gguf
    hd = D // H
    w = gguf.GGUFWriter(str(path), "qwen2")
    w.add_block_count(L)
    w.add_context_length(128)
    w.add_embedding_length(D)
    w.add_feed_forward_length(F)
    w.add_head_count(H)
    w.add_head_count_kv(Hkv)
    w.add_rope_freq_base(1e6)
    w.add_layer_norm_rms_eps(1e-6)
    w.add_tokenizer_model("gpt2")
    w.add_tokenizer_pre("qwen2")
    w.add_token_list([f"t{i}" for i in range(V)])
    w.add_token_types([1] * V)
    w.add_token_merges([])
    w.add_bos_token_id(0)
    w.add_eos_token_id(1)

    def tensor(name, *shape, scale=0.2):  # shape in numpy order [out, in]
        w.add_tensor(name, (rng.standard_normal(shape) * scale).astype(np.float32))

    tensor("token_embd.weight", V, D, scale=1.0)
    tensor("output_norm.weight", D)
    tensor("output.weight", V, D)
    for i in range(L):
        for norm in ("attn_norm", "ffn_norm"):
            tensor(f"blk.{i}.{norm}.weight", D)
        for name, rows in (("attn_q", H * hd), ("attn_k", Hkv * hd), ("attn_v", Hkv * hd)):
            tensor(f"blk.{i}.{name}.weight", rows, D)
            tensor(f"blk.{i}.{name}.bias", rows)
        tensor(f"blk.{i}.attn_output.weight", D, H * hd)
        tensor(f"blk.{i}.ffn_gate.weight", F, D)
        tensor(f"blk.{i}.ffn_up.weight", F, D)
        tensor(f"blk.{i}.ffn_down.weight", D, F)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


@pytest.mark.slow
def test_qwen2_tiny_random_gguf_matches_transformers(tmp_path):
    from precis.gguf import open_gguf
    rng = np.random.default_rng(0)
    path = tmp_path / "tiny-qwen2.gguf"
    write_tiny_qwen2(path, rng)
    try:
        import torch
        import transformers
    except ImportError as e:
        pytest.fail(f"this check needs torch and transformers ({e})", pytrace=False)
    hf = transformers.AutoModelForCausalLM.from_pretrained(str(tmp_path), gguf_file=path.name, dtype=torch.float32)
    ids = [int(i) for i in rng.integers(0, 300, 20)]
    ours = ReferenceModel.from_gguf(open_gguf(path)).logits_for(ids)     # [20, 300]
    with torch.no_grad():
        theirs = hf(torch.tensor([ids])).logits[0].numpy()
    # Measured max |diff| 4e-7 on logits up to ~1.6.
    np.testing.assert_allclose(ours, theirs, atol=1e-5)
