"""The GPU Plan (precis.plan / precis.model_plan) without a GPU: its JSON format, its self-consistency,
sharding under a binding limit, and clear errors for models it cannot run (raised before any GPU work)."""

import json
import re

import numpy as np
import pytest
from gguf import GGMLQuantizationType, GGUFWriter

from precis.gguf import open_gguf
from precis.model_plan import build_plan
from precis.plan import Plan, PlanError
from precis_oracles.wgpu_executor import KERNELS, WgpuModel


def tiny_llama(path, arch="llama", q_type=None):
    """A 1-layer llama-shaped GGUF with random F32 weights (hidden 64, 2 heads of 32, FFN 96, vocab 100)."""
    rng = np.random.default_rng(0)
    w = GGUFWriter(str(path), arch)
    w.add_block_count(1)
    w.add_embedding_length(64)
    w.add_feed_forward_length(96)
    w.add_head_count(2)
    w.add_head_count_kv(2)
    w.add_layer_norm_rms_eps(1e-5)
    w.add_context_length(128)

    def t(name, *shape):
        w.add_tensor(name, rng.standard_normal(shape).astype(np.float32))

    t("token_embd.weight", 100, 64)
    t("output_norm.weight", 64)
    t("blk.0.attn_norm.weight", 64)
    t("blk.0.ffn_norm.weight", 64)
    if q_type is None:
        t("blk.0.attn_q.weight", 64, 64)
    else:  # 64 rows of two 32-weight blocks, raw bytes of the given type
        block = {GGMLQuantizationType.Q8_1: 40}[q_type]
        w.add_tensor("blk.0.attn_q.weight", np.zeros((64, 2 * block), np.uint8), raw_dtype=q_type)
    for name, shape in [("attn_k", (64, 64)), ("attn_v", (64, 64)), ("attn_output", (64, 64)),
                        ("ffn_gate", (96, 64)), ("ffn_up", (96, 64)), ("ffn_down", (64, 96))]:
        t(f"blk.0.{name}.weight", *shape)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return open_gguf(path)


def test_plan_json_round_trip_and_consistency(smollm2_gguf):
    plan = build_plan(smollm2_gguf, chunk=32, context=512)
    text = plan.to_json()
    again = Plan.from_json(text)
    assert again.to_dict() == json.loads(text)
    assert again.model["vocab"] == 49152 and again.steps["prefill"].max_tokens == 32
    assert again.steps["decode"].max_tokens == 1
    n_buf = len(plan.buffers)
    for name, steps in plan.steps.items():
        for d in steps.dispatches:
            assert 0 <= d.pipeline < len(plan.pipelines)
            for binding, buf, offset, size in d.bindings:
                assert 0 <= buf < n_buf and offset + size <= plan.buffers[buf].size and size % 4 == 0
            assert all(1 <= n <= 65535 for n in d.workgroups)
    # Per layer: 2 norms, fused QKV, rope, attention (+ combine in decode), Wo; decode: fused gate+up,
    # tiled prefill: gate then up; down. Then embed, final norm, output head, 2 top-k passes.
    assert len(plan.steps["decode"].dispatches) == 30 * 9 + 5
    assert len(plan.steps["prefill"].dispatches) == 30 * 9 + 5
    fused = plan.buffer("blk.0.attn_qkv")
    q, v = smollm2_gguf.tensors["blk.0.attn_q.weight"], smollm2_gguf.tensors["blk.0.attn_v.weight"]
    assert fused.parts[0] == ["blk.0.attn_q.weight", q.offset, q.nbytes]
    assert fused.parts[2] == ["blk.0.attn_v.weight", v.offset, v.nbytes]
    assert "blk.0.attn_q.weight" not in [b.name for b in plan.buffers]   # no weight is uploaded twice
    for p in plan.pipelines:
        for src in p.sources:
            first = (KERNELS / src).read_text().splitlines()[0]
            assert first.startswith(f"// {src} ")   # each kernel opens with what it computes
    # Weights map to their tensors' bytes in the file.
    emb = plan.buffer("token_embd.weight")
    info = smollm2_gguf.tensors["token_embd.weight"]
    assert (emb.file_offset, emb.nbytes, emb.size) == (info.offset, info.nbytes, info.nbytes)
    assert plan.weight_bytes() <= sum(t.nbytes for t in smollm2_gguf.tensors.values()) + 4 * len(plan.buffers)
    kv = plan.buffer("kv.0.k")
    assert kv.kind == "kv" and kv.size == 512 * 3 * 64 * 4


def test_tensors_over_the_binding_limit_are_sharded_by_rows(gemma3_gguf):
    limit = 128 << 20
    plan = build_plan(gemma3_gguf, context=64, max_binding=limit)
    shards = [b for b in plan.buffers if b.tensor == "token_embd.weight"]
    rows = limit // (640 // 32 * 34)      # whole Q8_0 rows that fit the limit
    assert [s.name for s in shards] == [f"token_embd.weight[0:{rows}]", f"token_embd.weight[{rows}:262144]"]
    assert all(b.size <= limit for b in plan.buffers)
    info = gemma3_gguf.tensors["token_embd.weight"]
    assert shards[0].file_offset == info.offset and sum(s.nbytes for s in shards) == info.nbytes
    assert shards[1].file_offset == info.offset + shards[0].nbytes
    # Chrome's 1 GiB limit: one binding would fit, but 262144 rows need > 65535 workgroups of 4 rows.
    big = build_plan(gemma3_gguf, context=64, max_binding=1 << 30)
    assert [b.name for b in big.buffers if b.tensor == "token_embd.weight"] == [
        "token_embd.weight[0:262140]", "token_embd.weight[262140:262144]"]
    # gemma3 specifics reach the kernels: scaled embedding, sliding window on 5 of 6 layers, GELU gate.
    consts = [p.constants for p in plan.pipelines]
    assert any(abs(c.get("SCALE", 0) - 640 ** 0.5) < 1e-9 and "ROW_START" in c for c in consts)
    windows = sorted({c["WINDOW"] for p, c in zip(plan.pipelines, consts) if p.sources[-1] == "attention.wgsl"})
    assert windows == [0, 512]
    thetas = sorted({c["THETA"] for p, c in zip(plan.pipelines, consts) if p.sources[-1] == "rope_kv.wgsl"})
    assert thetas == [10000.0, 1000000.0]
    assert any(c.get("EPILOGUE") == 3 for c in consts)


def test_unsupported_architecture_is_a_clear_error(tmp_path):
    g = tiny_llama(tmp_path / "m.gguf", arch="mamba")
    with pytest.raises(PlanError, match=re.escape("unsupported model architecture 'mamba'")):
        build_plan(g)
    with pytest.raises(PlanError, match="mamba"):   # the backend refuses before touching the GPU
        WgpuModel.from_gguf(g)


def test_unsupported_tensor_type_names_the_tensor(tmp_path):
    g = tiny_llama(tmp_path / "m.gguf", q_type=GGMLQuantizationType.Q8_1)
    with pytest.raises(PlanError, match=r"blk\.0\.attn_q\.weight has type Q8_1"):
        build_plan(g)


def test_bad_plan_parameters_are_clear_errors(tmp_path):
    g = tiny_llama(tmp_path / "m.gguf")
    build_plan(g, chunk=4, context=16)      # the tiny model itself plans fine
    with pytest.raises(PlanError, match="chunk 0"):
        build_plan(g, chunk=0)
    with pytest.raises(PlanError, match="exceeds the binding limit"):
        build_plan(g, context=100000, max_binding=1 << 20)
    with pytest.raises(PlanError, match="not a precis-plan"):
        Plan.from_json('{"format": "other"}')
