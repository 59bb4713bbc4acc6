"""matmul.wgsl, matmul_subgroup.wgsl, matmul_rowwise.wgsl, matmul_tiled.wgsl and embed.wgsl with every weight type,
against gguf-py's dequantize (an independent oracle) followed by a float64 numpy product. Odd shapes: rows and tokens
are not multiples of the tiles; rows of 3 super-blocks (256-weight types) or 5 blocks.
Weights: random bytes with small finite f16 scales for the original block types; what a real quantizer writes
(precis_oracles.ggml_quantize: gguf-py, else llama.cpp's ggml_quantize_chunk) for the types added with it, plus
random bytes for those as a hostile-bytes check (their other fields are integers: no NaN/inf can arise)."""

import math
import zlib

import numpy as np
import pytest
from gguf import GGMLQuantizationType as QT
from gguf.quants import dequantize

from kernel_harness import f32, run_kernel, step_bytes
from precis.gguf import GGML_TYPE_BY_NAME
from precis.model_plan import QUANT_KERNELS, matmul_sources
from precis_oracles.ggml_quantize import quantize_rows

pytestmark = pytest.mark.gpu

# type name -> (elements per block, bytes per block, byte offsets of f16 scale fields in a block)
BLOCKS = {
    "Q4_0": (32, 18, [0]), "Q4_1": (32, 20, [0, 2]), "Q5_0": (32, 22, [0]), "Q8_0": (32, 34, [0]),
    "Q4_K": (256, 144, [0, 2]), "Q6_K": (256, 210, [208]),
}
# Added types: weights come from a real quantizer; HOSTILE_BLOCKS gives their f16 fields for random-byte blocks.
QUANTIZED = ["BF16", "Q5_1", "Q2_K", "Q3_K", "Q5_K", "IQ4_NL", "IQ4_XS"]
HOSTILE_BLOCKS = {"Q5_1": [0, 2], "Q2_K": [80, 82], "Q3_K": [108], "Q5_K": [0, 2], "IQ4_NL": [0], "IQ4_XS": [0]}


def seed(*parts) -> int:
    """A fixed seed from test parameters (crc32, not hash(): that changes with PYTHONHASHSEED)."""
    return zlib.crc32(repr(parts).encode())


def random_tensor(type_name: str, n: int, k: int, rng, hostile: bool = False) -> tuple[bytes, np.ndarray]:
    """Raw bytes of an [n, k] tensor of `type_name` and its dequantized float64 values according to gguf-py.
    Original block types: random bytes, f16 scales kept small and finite. Added types: random weights (each row at
    its own scale) through the real quantizer, or with `hostile`, random bytes with finite f16 fields."""
    if type_name == "F32":
        w = rng.standard_normal((n, k)).astype(np.float32)
        return w.tobytes(), w.astype(np.float64)
    if type_name == "F16":
        w = rng.standard_normal((n, k)).astype(np.float16)
        return w.tobytes(), w.astype(np.float64)
    if type_name in QUANTIZED and not hostile:
        w = (rng.standard_normal((n, k)) * rng.uniform(0.05, 2.0, size=(n, 1))).astype(np.float32)
        raw = quantize_rows(w, type_name)
        rows = np.frombuffer(raw, np.uint8).reshape(n, -1)
        return raw, dequantize(rows, QT[type_name]).astype(np.float64)
    if type_name in HOSTILE_BLOCKS:
        t = GGML_TYPE_BY_NAME[type_name]
        qk, nbytes, scale_offsets = t.block_size, t.type_size, HOSTILE_BLOCKS[type_name]
    else:
        qk, nbytes, scale_offsets = BLOCKS[type_name]
    raw = rng.integers(0, 256, size=(n, k // qk, nbytes), dtype=np.uint8)
    for off in scale_offsets:
        scales = (rng.uniform(0.001, 0.02, size=(n, k // qk)) * rng.choice([-1, 1], size=(n, k // qk)))
        raw[:, :, off:off + 2] = scales.astype(np.float16).view(np.uint8).reshape(n, k // qk, 2)
    raw = raw.reshape(n, -1)
    return raw.tobytes(), dequantize(raw, QT[type_name]).astype(np.float64)


# The per-row matmul kernels (same bindings and constants): matmul.wgsl (workgroup reduction, GPUs),
# matmul_subgroup.wgsl (subgroupAdd reduction; lavapipe's device has the "subgroup" feature, subgroups of 8,
# and Naga needs no `enable` directive) and matmul_rowwise.wgsl (one invocation per output row, CPU adapters).
MATMUL_KERNELS = ["matmul.wgsl", "matmul_subgroup.wgsl", "matmul_rowwise.wgsl"]


def matmul_groups(kernel: str, n: int, tokens: int, tt: int, gated: bool = False) -> tuple:
    """The plan's dispatch grid for `kernel` with n output rows (see model_plan._ModelPlanner.matmul)."""
    rows = 64 if kernel == "matmul_rowwise.wgsl" else (2 if gated else 4)
    return (math.ceil(n / rows), math.ceil(tokens / tt))


def k_for(type_name: str) -> int:
    """Row length: 3 super-blocks for the 256-weight types (K-quants, IQ4_XS), 5 blocks of 32 for the others."""
    return 3 * 256 if GGML_TYPE_BY_NAME[type_name].block_size == 256 else 5 * 32


@pytest.mark.parametrize("kernel", MATMUL_KERNELS)
@pytest.mark.parametrize("type_name", sorted(QUANT_KERNELS))
@pytest.mark.parametrize("tt,n_tokens,epilogue", [(1, 1, 0), (4, 7, 0), (4, 5, 1), (8, 3, 2), (2, 3, 3)])
def test_matmul_matches_dequantized_product(kernel, type_name, tt, n_tokens, epilogue):
    rng = np.random.default_rng(seed(type_name, tt, epilogue))
    # 37 rows: not a multiple of the 4-row tile; 70 for the row-wise kernel: two workgroups, the second partial
    n, k = (70 if kernel == "matmul_rowwise.wgsl" else 37), k_for(type_name)
    raw, w = random_tensor(type_name, n, k, rng)
    max_tokens = 8
    x = rng.standard_normal((max_tokens, k)).astype(np.float32)
    y0 = rng.standard_normal((max_tokens, n)).astype(np.float32)
    gate = rng.standard_normal((max_tokens, n)).astype(np.float32)
    out = run_kernel(matmul_sources(type_name, kernel),
                     {"K": k, "N": n, "ROWS": 4, "TT": tt, "EPILOGUE": epilogue},
                     [("uniform", step_bytes(0, n_tokens)), raw, x, y0, gate],
                     matmul_groups(kernel, n, max_tokens, tt))
    y = f32(out[3], (max_tokens, n))
    acc = x[:n_tokens].astype(np.float64) @ w.T
    g = gate[:n_tokens].astype(np.float64)
    expected = {0: acc, 1: y0[:n_tokens] + acc, 2: acc * g / (1 + np.exp(-g)),
                3: acc * 0.5 * g * (1 + np.tanh(math.sqrt(2 / math.pi) * (g + 0.044715 * g ** 3)))}[epilogue]
    # f32 accumulation over k <= 768 terms of magnitude ~|w||x|: relative 1e-5 of the row's L1 norm.
    tol = 1e-5 * (np.abs(x[:n_tokens]) @ np.abs(w).T).max() + 1e-6
    np.testing.assert_allclose(y[:n_tokens], expected, rtol=1e-4, atol=tol)
    np.testing.assert_array_equal(y[n_tokens:], y0[n_tokens:])   # rows past n_tokens untouched


@pytest.mark.parametrize("kernel", MATMUL_KERNELS)
@pytest.mark.parametrize("type_name,tt,n_tokens,epilogue", [("Q4_1", 1, 1, 2), ("Q5_0", 4, 6, 3), ("Q6_K", 1, 1, 3),
                                                            ("Q8_0", 8, 7, 2), ("Q4_K", 2, 3, 3),
                                                            ("Q3_K", 1, 1, 2), ("IQ4_NL", 4, 6, 3)])
def test_gated_matmul_fuses_gate_and_up(kernel, type_name, tt, n_tokens, epilogue):
    """GATED: one buffer holds the gate rows then the up rows; Y = act(gate x) * (up x)."""
    rng = np.random.default_rng(7)
    n, k, max_tokens = (70 if kernel == "matmul_rowwise.wgsl" else 37), k_for(type_name), 8
    raw_g, wg = random_tensor(type_name, n, k, rng)
    raw_u, wu = random_tensor(type_name, n, k, rng)
    x = rng.standard_normal((max_tokens, k)).astype(np.float32)
    out = run_kernel(matmul_sources(type_name, kernel),
                     {"K": k, "N": n, "ROWS": 4, "TT": tt, "EPILOGUE": epilogue, "GATED": 1},
                     [("uniform", step_bytes(0, n_tokens)), raw_g + raw_u, x,
                      np.zeros((max_tokens, n), np.float32), np.zeros(1, np.float32)],
                     matmul_groups(kernel, n, max_tokens, tt, gated=True))
    y = f32(out[3], (max_tokens, n))
    g = x[:n_tokens].astype(np.float64) @ wg.T
    u = x[:n_tokens].astype(np.float64) @ wu.T
    act = g / (1 + np.exp(-g)) if epilogue == 2 else 0.5 * g * (1 + np.tanh(math.sqrt(2 / math.pi) * (g + 0.044715 * g ** 3)))
    tol = 1e-5 * (np.abs(x[:n_tokens]) @ np.abs(wu).T).max() * (np.abs(g).max() + 1)
    np.testing.assert_allclose(y[:n_tokens], act * u, rtol=1e-4, atol=tol)
    assert (y[n_tokens:] == 0).all()


@pytest.mark.parametrize("type_name,n_tokens,max_tokens,epilogue",
                         [(t, 37, 64, 0) for t in sorted(QUANT_KERNELS)]
                         + [("Q4_K", 32, 32, 1), ("Q4_1", 7, 32, 2), ("Q6_K", 3, 32, 3)])
def test_tiled_matmul_matches_dequantized_product(type_name, n_tokens, max_tokens, epilogue):
    """The prefill kernel: 32x32 tiles; 37 rows and 37 tokens leave partial tiles on both axes."""
    rng = np.random.default_rng(seed(type_name, n_tokens, epilogue))
    n, k = 37, k_for(type_name)
    raw, w = random_tensor(type_name, n, k, rng)
    x = rng.standard_normal((max_tokens, k)).astype(np.float32)
    y0 = rng.standard_normal((max_tokens, n)).astype(np.float32)
    gate = rng.standard_normal((max_tokens, n)).astype(np.float32)
    out = run_kernel(matmul_sources(type_name, "matmul_tiled.wgsl"),
                     {"K": k, "N": n, "EPILOGUE": epilogue},
                     [("uniform", step_bytes(3, n_tokens)), raw, x, y0, gate],
                     (math.ceil(n / 32), math.ceil(max_tokens / 32)))
    y = f32(out[3], (max_tokens, n))
    acc = x[:n_tokens].astype(np.float64) @ w.T
    g = gate[:n_tokens].astype(np.float64)
    expected = {0: acc, 1: y0[:n_tokens] + acc, 2: acc * g / (1 + np.exp(-g)),
                3: acc * 0.5 * g * (1 + np.tanh(math.sqrt(2 / math.pi) * (g + 0.044715 * g ** 3)))}[epilogue]
    tol = 1e-5 * (np.abs(x[:n_tokens]) @ np.abs(w).T).max() + 1e-6
    np.testing.assert_allclose(y[:n_tokens], expected, rtol=1e-4, atol=tol)
    np.testing.assert_array_equal(y[n_tokens:], y0[n_tokens:])


@pytest.mark.parametrize("kernel", MATMUL_KERNELS)
def test_matmul_shard_writes_its_columns_only(kernel):
    """A row shard of the output head writes columns [Y_OFFSET, Y_OFFSET + N) of the logits."""
    rng = np.random.default_rng(5)
    n, k, total = 21, 64, 50
    raw, w = random_tensor("Q8_0", n, k, rng)
    x = rng.standard_normal((1, k)).astype(np.float32)
    y0 = np.full((1, total), 7.0, np.float32)
    out = run_kernel(matmul_sources("Q8_0", kernel),
                     {"K": k, "N": n, "Y_STRIDE": total, "Y_OFFSET": 13, "FIXED_TOKENS": 1},
                     [("uniform", step_bytes(4, 9)), raw, x, y0, np.zeros(1, np.float32)],
                     matmul_groups(kernel, n, 1, 1))
    y = f32(out[3], (1, total))
    np.testing.assert_allclose(y[0, 13:13 + n], (x.astype(np.float64) @ w.T)[0], rtol=1e-4, atol=1e-4)
    assert (y[0, :13] == 7.0).all() and (y[0, 13 + n:] == 7.0).all()


@pytest.mark.parametrize("kernel", MATMUL_KERNELS + ["matmul_tiled.wgsl"])
@pytest.mark.parametrize("type_name", sorted(HOSTILE_BLOCKS))
def test_matmul_reads_random_blocks_of_added_types(kernel, type_name):
    """Bit patterns a quantizer rarely writes (every scale and min code, every high bit): random bytes, finite f16s."""
    rng = np.random.default_rng(seed("hostile", type_name, kernel))
    n, k, n_tokens = (70 if kernel == "matmul_rowwise.wgsl" else 37), k_for(type_name), 5
    raw, w = random_tensor(type_name, n, k, rng, hostile=True)
    max_tokens = 32 if kernel == "matmul_tiled.wgsl" else 8
    x = rng.standard_normal((max_tokens, k)).astype(np.float32)
    constants = {"K": k, "N": n} if kernel == "matmul_tiled.wgsl" else {"K": k, "N": n, "ROWS": 4, "TT": 4}
    groups = (math.ceil(n / 32), 1) if kernel == "matmul_tiled.wgsl" else matmul_groups(kernel, n, max_tokens, 4)
    out = run_kernel(matmul_sources(type_name, kernel), constants,
                     [("uniform", step_bytes(0, n_tokens)), raw, x, np.zeros((max_tokens, n), np.float32),
                      np.zeros(1, np.float32)], groups)
    y = f32(out[3], (max_tokens, n))
    tol = 1e-5 * (np.abs(x[:n_tokens]) @ np.abs(w).T).max() + 1e-6
    np.testing.assert_allclose(y[:n_tokens], x[:n_tokens].astype(np.float64) @ w.T, rtol=1e-4, atol=tol)


@pytest.mark.parametrize("type_name", ["Q8_0", "Q4_K", "F16", "Q5_0"] + QUANTIZED)
def test_embed_gathers_rows_of_its_shard(type_name):
    rng = np.random.default_rng(11)
    rows, hidden = 19, 512 if GGML_TYPE_BY_NAME[type_name].block_size == 256 else 96
    raw, w = random_tensor(type_name, rows, hidden, rng)
    row_start, max_tokens = 100, 6          # this shard holds rows 100..118 of the table
    tokens = np.array([105, 3, 118, 100, 119, 110], np.uint32)
    x0 = np.full((max_tokens, hidden), -1.0, np.float32)
    out = run_kernel(["bytes.wgsl", QUANT_KERNELS[type_name], "embed.wgsl"],
                     {"HIDDEN": hidden, "ROW_START": row_start, "ROW_COUNT": rows, "SCALE": 1.5},
                     [("uniform", step_bytes(0, 5)), tokens, raw, x0], (math.ceil(hidden / 8 / 64), max_tokens))
    x = f32(out[3], (max_tokens, hidden))
    for t, tok in enumerate(tokens):
        if t < 5 and row_start <= tok < row_start + rows:
            np.testing.assert_allclose(x[t], 1.5 * w[tok - row_start], rtol=1e-6, atol=1e-6)
        else:  # another shard's token, or past n_tokens
            assert (x[t] == -1.0).all()


def test_tiled_matmul_reads_from_a_weight_row_offset_into_output_columns():
    """Prefill on GPUs: the up half of a fused gate|up buffer (W_ROW_OFFSET), and q/k/v tensors of different
    types written into their columns of the qkv rows (Y_STRIDE, Y_OFFSET)."""
    rng = np.random.default_rng(9)
    n, k, skip, n_tokens, stride, offset = 37, 160, 40, 5, 50, 9
    raw_skip, _ = random_tensor("Q5_0", skip, k, rng)
    raw, w = random_tensor("Q5_0", n, k, rng)
    x = rng.standard_normal((32, k)).astype(np.float32)
    y0 = np.full((32, stride), 3.0, np.float32)
    out = run_kernel(matmul_sources("Q5_0", "matmul_tiled.wgsl"),
                     {"K": k, "N": n, "Y_STRIDE": stride, "Y_OFFSET": offset, "W_ROW_OFFSET": skip},
                     [("uniform", step_bytes(0, n_tokens)), raw_skip + raw, x, y0, np.zeros(1, np.float32)],
                     (math.ceil(n / 32), 1))
    y = f32(out[3], y0.shape)
    np.testing.assert_allclose(y[:n_tokens, offset:offset + n], x[:n_tokens].astype(np.float64) @ w.T,
                               rtol=1e-4, atol=1e-4)
    untouched = np.ones_like(y, bool)
    untouched[:n_tokens, offset:offset + n] = False
    assert (y[untouched] == 3.0).all()
