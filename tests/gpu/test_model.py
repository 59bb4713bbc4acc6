"""Whole models through the Plan and our WGSL kernels on lavapipe, against the numpy reference model.

Greedy tokens must be identical; logits agree within 1e-3 absolute (f32 GPU sums vs numpy, logits ~30)."""

import numpy as np
import pytest

from precis.model_plan import build_plan
from precis_oracles.reference.model import ReferenceModel
from precis_oracles.wgpu_executor import PlanExecutor, WgpuModel, open_device

pytestmark = [pytest.mark.gpu, pytest.mark.slow]

# Prompts as token ids (inputs, not expected results). SmolLM2: ChatML "user: What is the capital of
# France?" plus a 45-token one spanning two prefill chunks (the second one partial).
SMOL_PROMPTS = [
    [1, 4093, 198, 1780, 314, 260, 3575, 282, 4649, 47, 2, 198, 1, 520, 9531, 198],
    [504, 3458, 282, 253, 1345, 314] * 7 + [378, 1978, 30],
]
GEMMA_PROMPTS = [[2, 818, 5279, 529, 7001, 563], [2, 651, 1401, 1106, 236764, 14990, 236761] * 5]
NEW_TOKENS = 8
# The f32 plan (no optional features), what every adapter can run: compared with the reference at 1e-3.
# lavapipe also offers shader-f16 and subgroups; those variants have their own tests at the end.
F32 = []


def greedy(model: WgpuModel, prompt, n_new):
    model.reset()
    ids, _ = model.next_candidates(prompt)
    out = [int(ids[0])]
    for _ in range(n_new - 1):
        ids, _ = model.next_candidates([out[-1]])
        out.append(int(ids[0]))
    return out


@pytest.fixture(scope="module")
def smol(smollm2_gguf):
    return WgpuModel.from_gguf(smollm2_gguf, chunk=32, context=256, features=F32)


@pytest.fixture(scope="module")
def smol_ref(smollm2_gguf):
    return ReferenceModel.from_gguf(smollm2_gguf)


@pytest.mark.parametrize("prompt", SMOL_PROMPTS, ids=["chatml", "two-chunks"])
def test_smollm2_greedy_tokens_equal_reference(smol, smol_ref, prompt):
    assert greedy(smol, prompt, NEW_TOKENS) == smol_ref.greedy(prompt, NEW_TOKENS)


def test_smollm2_logits_and_gpu_topk_match_reference(smol, smol_ref):
    prompt = SMOL_PROMPTS[1]
    smol.reset()
    ids, vals = smol.next_candidates(prompt)
    ref = smol_ref.logits_for(prompt)[-1]
    gpu_logits = smol.executor.read_buffer("logits")
    np.testing.assert_allclose(gpu_logits, ref, atol=1e-3)
    # The GPU top-k is exactly numpy's top-k of the GPU's own logits (ties: lower id first).
    order = np.argsort(-gpu_logits, kind="stable")[:64]
    np.testing.assert_array_equal(ids, order)
    np.testing.assert_array_equal(vals, gpu_logits[order])


def test_smollm2_prefill_then_decode_equals_one_token_at_a_time(smol):
    prompt = SMOL_PROMPTS[0][:12]
    smol.reset()
    chunked = smol.forward_topk(prompt, 0)
    single = smol.forward_topk(prompt, 0, one_at_a_time=True)
    np.testing.assert_array_equal(chunked[0], single[0])
    np.testing.assert_allclose(chunked[1], single[1], atol=1e-4)


def test_smollm2_tiled_prefill_gives_the_same_candidates(smollm2_gguf, smol):
    """The GPU prefill path (matmul_tiled.wgsl) against the per-row path lavapipe runs by default."""
    tiled = WgpuModel.from_gguf(smollm2_gguf, chunk=16, context=64, tiled_prefill=True, features=F32)
    assert any(p.sources[-1] == "matmul_tiled.wgsl" for p in tiled.executor.plan.pipelines)
    prompt = SMOL_PROMPTS[0][:12]
    smol.reset()
    ids, vals = smol.forward_topk(prompt, 0)
    ids2, vals2 = tiled.forward_topk(prompt, 0)
    np.testing.assert_array_equal(ids, ids2)
    np.testing.assert_allclose(vals, vals2, atol=1e-3)


def test_smollm2_sharded_weights_give_the_same_candidates(smollm2_gguf, smol):
    """A 16 MiB binding limit splits the 30 MB Q8_0 embedding / output head into row shards."""
    plan = build_plan(smollm2_gguf, chunk=8, context=64, max_binding=16 << 20)
    assert sum(b.tensor == "token_embd.weight" for b in plan.buffers) == 2
    sharded = PlanExecutor(plan, smollm2_gguf, open_device())
    prompt = SMOL_PROMPTS[0][:8]
    smol.reset()
    ids, vals = smol.forward_topk(prompt, 0)
    ids2, vals2 = sharded.run(prompt, 0)
    np.testing.assert_array_equal(ids, ids2)
    np.testing.assert_allclose(vals, vals2, atol=1e-4)


def test_bad_token_and_context_overflow_are_clear_errors(smol):
    with pytest.raises(ValueError, match="outside the vocabulary"):
        smol.executor.run([49152], 0)
    with pytest.raises(ValueError, match="exceed the context of 256"):
        smol.executor.run([1, 2], 255)


def test_gemma3_greedy_tokens_equal_reference(gemma3_gguf):
    model = WgpuModel.from_gguf(gemma3_gguf, chunk=32, context=64, features=F32)
    ref = ReferenceModel.from_gguf(gemma3_gguf)
    for prompt, n_new in zip(GEMMA_PROMPTS, (4, 2)):   # the second prompt spans two prefill chunks
        assert greedy(model, prompt, n_new) == ref.greedy(prompt, n_new)
    # Logits of the last prompt's final token, within the same tolerance as SmolLM2.
    model.reset()
    model.next_candidates(GEMMA_PROMPTS[0])
    np.testing.assert_allclose(model.executor.read_buffer("logits"),
                               ref.logits_for(GEMMA_PROMPTS[0])[-1], atol=1e-3)


def test_gemma3_tiled_prefill_matches_reference(gemma3_gguf):
    """Gemma's q/k/v have different types (three matmul_tiled dispatches into the qkv columns)."""
    model = WgpuModel.from_gguf(gemma3_gguf, chunk=32, context=64, tiled_prefill=True, features=F32)
    ref = ReferenceModel.from_gguf(gemma3_gguf)
    ids, _ = model.next_candidates(GEMMA_PROMPTS[0])   # one chunk: tiled prefill is slow on lavapipe
    logits = ref.logits_for(GEMMA_PROMPTS[0])[-1]
    np.testing.assert_allclose(model.executor.read_buffer("logits"), logits, atol=1e-3)
    assert int(ids[0]) == int(np.argmax(logits))


def test_smollm2_subgroup_matmul_plan_greedy_equals_reference(smollm2_gguf, smol_ref):
    """The "subgroups" variant (matmul_subgroup.wgsl for decode and the per-row prefill) on lavapipe, whose
    device wgpu opens with the "subgroup" feature."""
    if "subgroups" not in open_device().plan_features:
        pytest.fail("lavapipe's adapter is expected to offer subgroups (wgpu's 'subgroup' feature)")
    model = WgpuModel.from_gguf(smollm2_gguf, chunk=32, context=64, tiled_prefill=False, rowwise_matmul=False,
                                features=["subgroups"])
    assert model.executor.plan.required_features() == ["subgroups"]
    prompt = SMOL_PROMPTS[0]
    assert greedy(model, prompt, NEW_TOKENS) == smol_ref.greedy(prompt, NEW_TOKENS)


def test_smollm2_f16_kv_cache_greedy_equals_reference(smollm2_gguf, smol_ref):
    """The "shader-f16" variant: K and V caches stored as f16 (kv_f16.wgsl), half the bytes."""
    if "shader-f16" not in open_device().plan_features:
        pytest.fail("lavapipe's adapter is expected to offer shader-f16")
    model = WgpuModel.from_gguf(smollm2_gguf, chunk=32, context=64, features=["shader-f16"])
    plan = model.executor.plan
    assert plan.required_features() == ["shader-f16"]
    assert plan.buffer("kv.0.k").size == 64 * 3 * 64 * 2          # context x kv heads x head dim x 2 bytes
    prompt = SMOL_PROMPTS[0]
    assert greedy(model, prompt, NEW_TOKENS) == smol_ref.greedy(prompt, NEW_TOKENS)
