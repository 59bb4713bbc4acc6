"""Dequantization checked against gguf-py's `gguf.quants.dequantize` (the oracle).

Real tensors from the two models for the types they hold (F32, Q8_0, Q4_1, Q5_0, Q4_K,
Q6_K); the other types quantized by real quantizers (gguf-py's where it has one, else llama.cpp's
ggml_quantize_chunk: precis_oracles.ggml_quantize); random blocks with finite f16 scales for every
type, to cover bit patterns real weights rarely use. Tolerance: exact equality
(both compute the same float32 products; measured max |diff| = 0)."""

import functools

import numpy as np
import pytest

from gguf import GGMLQuantizationType, quants  # gguf-py: the independent oracle

from precis.gguf import GGML_TYPE_BY_NAME, TensorInfo, open_gguf
from precis_oracles.ggml_quantize import quantize_rows  # noqa: E402
from precis_build.paths import SMOLLM2_MODEL, GEMMA3_MODEL  # noqa: E402
from precis_oracles.reference.dequant import (  # noqa: E402
    SUPPORTED_TYPES, DequantError, dequantize, load_tensor)

# Byte offsets of the f16 scale fields inside each block type (everything else is free bits).
F16_FIELDS = {
    "Q8_0": (0,), "Q4_0": (0,), "Q4_1": (0, 2), "Q5_0": (0,), "Q5_1": (0, 2),
    "Q2_K": (80, 82), "Q3_K": (108,), "Q4_K": (0, 2), "Q5_K": (0, 2), "Q6_K": (208,),
    "IQ4_NL": (0,), "IQ4_XS": (0,),
}


def oracle(info: TensorInfo, raw) -> np.ndarray:
    rows = np.frombuffer(raw, dtype=np.uint8).reshape(*info.shape[:-1], -1)
    return quants.dequantize(rows, GGMLQuantizationType[info.type_name])


def random_tensor(type_name: str, shape: tuple[int, int], seed: int):
    """Random bytes for a tensor of `shape` (numpy order), with finite f16/bf16 values."""
    rng = np.random.default_rng(seed)
    t = GGML_TYPE_BY_NAME[type_name]
    n = shape[0] * shape[1]
    if type_name in ("F16", "BF16", "F32"):
        values = rng.standard_normal(n).astype(np.float32) * 3
        if type_name == "F16":
            raw = values.astype(np.float16).tobytes()
        elif type_name == "BF16":
            raw = (values.view(np.uint32) >> 16).astype(np.uint16).tobytes()
        else:
            raw = values.tobytes()
    else:
        blocks = rng.integers(0, 256, size=(n // t.block_size, t.type_size), dtype=np.uint8)
        for off in F16_FIELDS[type_name]:
            scale = (rng.standard_normal(len(blocks)) * 0.05).astype(np.float16)
            blocks[:, off:off + 2] = scale.view(np.uint8).reshape(-1, 2)
        raw = blocks.tobytes()
    info = TensorInfo(f"random_{type_name}", tuple(reversed(shape)), t, 0, len(raw))
    return info, raw


@pytest.mark.parametrize("type_name", SUPPORTED_TYPES)
def test_random_blocks_match_gguf_py(type_name):
    info, raw = random_tensor(type_name, (8, 512), seed=len(type_name) * 7 + ord(type_name[-1]))
    ours = dequantize(info, raw)
    assert ours.dtype == np.float32 and ours.shape == (8, 512)
    assert np.all(np.isfinite(ours))
    np.testing.assert_array_equal(ours, oracle(info, raw))


# Types the two models do not hold: checked on what a real quantizer writes for them.
QUANTIZED_TYPES = ["F16", "BF16", "Q4_0", "Q5_1", "Q2_K", "Q3_K", "Q5_K", "IQ4_NL", "IQ4_XS"]


@pytest.mark.parametrize("type_name", QUANTIZED_TYPES)
def test_quantizer_output_matches_gguf_py(type_name):
    rng = np.random.default_rng(QUANTIZED_TYPES.index(type_name) + 40)
    # 6 rows of 3 super-blocks, each row at its own scale (quantizers pick block scales from the data)
    w = (rng.standard_normal((6, 768)) * rng.uniform(0.01, 4, size=(6, 1))).astype(np.float32)
    raw = quantize_rows(w, type_name)
    t = GGML_TYPE_BY_NAME[type_name]
    info = TensorInfo(f"quantized_{type_name}", (768, 6), t, 0, len(raw))
    ours = dequantize(info, raw)
    np.testing.assert_array_equal(ours, oracle(info, raw))
    # and it is a quantization of w, not garbage the two decoders agree on
    assert np.abs(ours - w).mean() < 0.35 * np.abs(w).mean()


def test_every_supported_type_is_checked_on_quantizer_or_real_data():
    real = {opened(m).tensors[n].type_name for m, n in REAL_TENSORS}
    assert set(SUPPORTED_TYPES) <= real | set(QUANTIZED_TYPES)


# (model, tensor): one small real tensor of each type the two models hold.
REAL_TENSORS = [
    (SMOLLM2_MODEL, "blk.0.attn_norm.weight"),   # F32
    (SMOLLM2_MODEL, "blk.0.attn_q.weight"),      # Q4_1
    (GEMMA3_MODEL, "blk.0.attn_v.weight"),       # Q8_0
    (GEMMA3_MODEL, "blk.0.attn_k.weight"),       # Q5_0
    (GEMMA3_MODEL, "blk.0.attn_output.weight"),  # Q4_K
    (GEMMA3_MODEL, "blk.0.ffn_down.weight"),     # Q6_K
]


@functools.cache
def opened(model):
    if not model.exists():
        pytest.fail(f"{model} missing: run `precis setup`")
    return open_gguf(model)


@pytest.mark.parametrize("model,name", REAL_TENSORS, ids=[n for _, n in REAL_TENSORS])
def test_real_tensors_match_gguf_py(model, name):
    g = opened(model)
    info = g.tensors[name]
    ours = load_tensor(g, name)
    assert ours.shape == info.shape
    np.testing.assert_array_equal(ours, oracle(info, g.tensor_bytes(name)))


def test_each_model_type_is_covered_by_a_real_tensor():
    covered = {opened(m).tensors[n].type_name for m, n in REAL_TENSORS}
    for model in (SMOLLM2_MODEL, GEMMA3_MODEL):
        held = {t.type_name for t in opened(model).tensors.values()}
        assert held <= covered, f"{model.name}: types {held - covered} not checked on real data"


def test_known_values_q4_1():
    # One Q4_1 block by hand: d = 0.5, m = -1, nibbles 0..15 low then 15..0 high.
    d_m = np.array([0.5, -1.0], dtype=np.float16).view(np.uint8)
    qs = (np.arange(16, dtype=np.uint8)) | ((15 - np.arange(16, dtype=np.uint8)) << 4)
    raw = np.concatenate([d_m, qs]).tobytes()
    info = TensorInfo("t", (32,), GGML_TYPE_BY_NAME["Q4_1"], 0, len(raw))
    expected = np.concatenate([np.arange(16), 15 - np.arange(16)]) * 0.5 - 1.0
    np.testing.assert_array_equal(dequantize(info, raw), expected.astype(np.float32))


def test_unsupported_type_is_a_clear_error():
    raw = bytes(292)
    info = TensorInfo("w", (256,), GGML_TYPE_BY_NAME["Q8_K"], 0, len(raw))
    with pytest.raises(DequantError, match=r"'w'.*cannot dequantize type Q8_K"):
        dequantize(info, raw)


def test_wrong_byte_count_is_a_clear_error():
    info = TensorInfo("w", (64,), GGML_TYPE_BY_NAME["Q8_0"], 0, 68)
    with pytest.raises(DequantError, match=r"'w'.*67 bytes for 64 elements \(expected 68\)"):
        dequantize(info, bytes(67))


def test_type_table_matches_gguf_py():
    """precis.gguf's type ids and block sizes (what the plan and the reader trust) are gguf-py's."""
    from gguf.constants import GGML_QUANT_SIZES
    for t in GGML_TYPE_BY_NAME.values():
        assert GGMLQuantizationType[t.name].value == t.id
        assert GGML_QUANT_SIZES[GGMLQuantizationType[t.name]] == (t.block_size, t.type_size), t.name
