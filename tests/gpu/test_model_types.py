"""Every tensor type the GPU plan accepts, end to end: a tiny llama GGUF whose matrices (and tied embedding /
output head) are all of one type, quantized by a real quantizer (precis_oracles.ggml_quantize), run through the
plan on lavapipe and compared with the numpy reference model reading the same file.

Logits agree within 1e-3 of their largest magnitude (f32 GPU sums in another order than numpy's)."""

import numpy as np
import pytest
from gguf import GGMLQuantizationType, GGUFWriter

from precis.gguf import open_gguf
from precis.model_plan import QUANT_KERNELS, build_plan
from precis_oracles.ggml_quantize import quantize_rows
from precis_oracles.reference.model import ReferenceModel
from precis_oracles.wgpu_executor import WgpuModel

HIDDEN, FFN, VOCAB = 256, 512, 96     # row lengths 256 and 512: whole super-blocks for the 256-weight types
ADDED_TYPES = ["BF16", "Q5_1", "Q2_K", "Q3_K", "Q5_K", "IQ4_NL", "IQ4_XS"]
PROMPT = [(7 * i + 3) % VOCAB for i in range(37)]   # 37 tokens: a full prefill chunk of 32, then 5


def tiny_llama(path, type_name: str):
    """1 layer, 4 query heads and 2 kv heads of 64, every matrix of `type_name` (norms F32), output tied."""
    rng = np.random.default_rng(ADDED_TYPES.index(type_name) if type_name in ADDED_TYPES else 99)
    w = GGUFWriter(str(path), "llama")
    w.add_block_count(1)
    w.add_embedding_length(HIDDEN)
    w.add_feed_forward_length(FFN)
    w.add_head_count(4)
    w.add_head_count_kv(2)
    w.add_layer_norm_rms_eps(1e-5)
    w.add_context_length(128)
    qtype = GGMLQuantizationType[type_name]

    def matrix(name, rows, k, scale):
        raw = quantize_rows((rng.standard_normal((rows, k)) * scale).astype(np.float32), type_name)
        w.add_tensor(name, np.frombuffer(raw, np.uint8).reshape(rows, -1), raw_dtype=qtype)

    matrix("token_embd.weight", VOCAB, HIDDEN, 1.0)
    for name in ("output_norm", "blk.0.attn_norm", "blk.0.ffn_norm"):
        w.add_tensor(f"{name}.weight", (1 + 0.1 * rng.standard_normal(HIDDEN)).astype(np.float32))
    for name, rows, k in [("attn_q", 256, HIDDEN), ("attn_k", 128, HIDDEN), ("attn_v", 128, HIDDEN),
                          ("attn_output", HIDDEN, 256), ("ffn_gate", FFN, HIDDEN), ("ffn_up", FFN, HIDDEN),
                          ("ffn_down", HIDDEN, FFN)]:
        matrix(f"blk.0.{name}.weight", rows, k, 0.2)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return open_gguf(path)


@pytest.mark.parametrize("type_name", ADDED_TYPES)
def test_plan_accepts_the_type_and_reads_it_with_its_dequantizer(tmp_path, type_name):
    g = tiny_llama(tmp_path / "m.gguf", type_name)
    plan = build_plan(g, context=64)
    weight_kernels = {p.sources[1] for p in plan.pipelines if p.sources[0] == "bytes.wgsl"}
    assert weight_kernels == {QUANT_KERNELS[type_name]}   # embedding, every matmul and the tied output head


@pytest.mark.gpu
@pytest.mark.parametrize("type_name", ADDED_TYPES)
def test_plan_logits_equal_reference_for_the_type(tmp_path, type_name):
    g = tiny_llama(tmp_path / "m.gguf", type_name)
    ref = ReferenceModel.from_gguf(g).logits_for(PROMPT + [5])
    # the CPU-adapter plan (matmul_rowwise.wgsl) and the GPU plan (matmul.wgsl decode, matmul_tiled.wgsl prefill)
    for kwargs in ({}, {"tiled_prefill": True, "rowwise_matmul": False}):
        model = WgpuModel.from_gguf(g, chunk=32, context=64, features=[], **kwargs)
        model.next_candidates(PROMPT)
        prefill = model.executor.read_buffer("logits").copy()
        model.next_candidates([5])
        decode = model.executor.read_buffer("logits")
        for got, want in ((prefill, ref[len(PROMPT) - 1]), (decode, ref[-1])):
            np.testing.assert_allclose(got, want, rtol=0, atol=1e-3 * np.abs(want).max(), err_msg=str(kwargs))
        assert np.argmax(decode) == np.argmax(ref[-1])
