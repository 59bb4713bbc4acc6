"""RMSNorm, post-norm residual add, RoPE + KV append, attention and top-k kernels against numpy, on odd shapes."""

import math

import numpy as np
import pytest

from kernel_harness import f32, run_kernel, step_bytes

pytestmark = pytest.mark.gpu
UNUSED = np.zeros(1, np.float32)   # rope_kv bias / frequency-factor bindings when their option is off


def rms(x, w, eps):
    x = x.astype(np.float64)
    return x / np.sqrt((x * x).mean(-1, keepdims=True) + eps) * w


def test_rmsnorm_all_tokens_and_last_only():
    rng = np.random.default_rng(1)
    n, max_tokens, n_tokens, eps = 200, 5, 3, 1e-5
    x = rng.standard_normal((max_tokens, n)).astype(np.float32) * 3
    w = rng.standard_normal(n).astype(np.float32)
    y0 = np.zeros((max_tokens, n), np.float32)
    out = run_kernel(["rmsnorm.wgsl"], {"N": n, "EPS": eps},
                     [("uniform", step_bytes(7, n_tokens)), x, w, y0], (max_tokens,))
    y = f32(out[3], (max_tokens, n))
    np.testing.assert_allclose(y[:n_tokens], rms(x[:n_tokens], w, eps), rtol=1e-5, atol=1e-5)
    assert (y[n_tokens:] == 0).all()
    out = run_kernel(["rmsnorm.wgsl"], {"N": n, "EPS": eps, "LAST_ONLY": 1},
                     [("uniform", step_bytes(0, n_tokens)), x, w, np.zeros(n, np.float32)], (1,))
    np.testing.assert_allclose(f32(out[3]), rms(x[n_tokens - 1], w, eps), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("next_norm,last_only", [(False, False), (True, False), (True, True)])
def test_rmsnorm_add_updates_the_residual_then_normalizes(next_norm, last_only):
    rng = np.random.default_rng(2)
    n, max_tokens, n_tokens, eps = 130, 4, 3, 1e-6
    r = rng.standard_normal((max_tokens, n)).astype(np.float32)
    w = rng.standard_normal(n).astype(np.float32)
    w2 = rng.standard_normal(n).astype(np.float32)
    x = rng.standard_normal((max_tokens, n)).astype(np.float32)
    y0 = np.zeros((max_tokens, n), np.float32)
    out = run_kernel(["rmsnorm_add.wgsl"], {"N": n, "EPS": eps, "NEXT_NORM": next_norm, "LAST_ONLY": last_only},
                     [("uniform", step_bytes(0, n_tokens)), r, w, x, w2, y0], (max_tokens,))
    x_new = x[:n_tokens] + rms(r[:n_tokens], w, eps)
    np.testing.assert_allclose(f32(out[3], x.shape)[:n_tokens], x_new, rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(f32(out[3], x.shape)[n_tokens:], x[n_tokens:])
    y = f32(out[5], y0.shape)
    if not next_norm:
        assert (y == 0).all()
    elif last_only:
        np.testing.assert_allclose(y[0], rms(x_new[-1], w2, eps), rtol=1e-4, atol=1e-5)
        assert (y[1:] == 0).all()
    else:
        np.testing.assert_allclose(y[:n_tokens], rms(x_new, w2, eps), rtol=1e-4, atol=1e-5)
        assert (y[n_tokens:] == 0).all()


def rope_ref(v, positions, theta, neox):
    """v [T, heads, D] rotated; pair i turns by p * theta^(-2i/D)."""
    T, H, D = v.shape
    ang = positions[:, None].astype(np.float64) * theta ** (-np.arange(0, D, 2) / D)   # [T, D/2]
    c, s = np.cos(ang)[:, None, :], np.sin(ang)[:, None, :]
    out = v.astype(np.float64).copy()
    a, b = (v[..., :D // 2], v[..., D // 2:]) if neox else (v[..., 0::2], v[..., 1::2])
    ra, rb = a * c - b * s, a * s + b * c
    if neox:
        out[..., :D // 2], out[..., D // 2:] = ra, rb
    else:
        out[..., 0::2], out[..., 1::2] = ra, rb
    return out


@pytest.mark.parametrize("neox,qk_norm,hd", [(False, False, 64), (True, True, 256), (True, False, 72)])
def test_rope_kv_rotates_and_appends(neox, qk_norm, hd):
    rng = np.random.default_rng(hd)
    nq, nkv, max_tokens, n_tokens, pos, ctx, theta, eps = 6, 2, 4, 3, 37, 48, 10000.0, 1e-6
    q = rng.standard_normal((max_tokens, nq, hd)).astype(np.float32)
    k = rng.standard_normal((max_tokens, nkv, hd)).astype(np.float32)
    v = rng.standard_normal((max_tokens, nkv, hd)).astype(np.float32)
    qn = rng.standard_normal(hd).astype(np.float32)
    kn = rng.standard_normal(hd).astype(np.float32)
    kc = np.full((ctx, nkv, hd), 5.0, np.float32)
    vc = np.full((ctx, nkv, hd), 5.0, np.float32)
    qkv = np.concatenate([q, k, v], axis=1)      # [T, q heads | k heads | v heads, hd]
    out = run_kernel(["kv_f32.wgsl", "rope_kv.wgsl"], {"HD": hd, "NQ": nq, "NKV": nkv, "THETA": theta, "NEOX": neox,
                                        "QK_NORM": qk_norm, "EPS": eps},
                     [("uniform", step_bytes(pos, n_tokens)), qkv, qn, kn, kc, vc, UNUSED, UNUSED], (nq + nkv, max_tokens))
    positions = np.arange(pos, pos + n_tokens)
    qe, ke = q[:n_tokens], k[:n_tokens]
    if qk_norm:
        qe, ke = rms(qe, qn, eps), rms(ke, kn, eps)
    qkv2 = f32(out[1], qkv.shape)
    # Angles up to ~40 rad in f32: allow 1e-4 relative to the head's scale.
    np.testing.assert_allclose(qkv2[:n_tokens, :nq], rope_ref(qe, positions, theta, neox), atol=2e-4)
    np.testing.assert_array_equal(qkv2[n_tokens:], qkv[n_tokens:])
    np.testing.assert_array_equal(qkv2[:, nq:], qkv[:, nq:])       # k and v are only read
    kc2, vc2 = f32(out[4], kc.shape), f32(out[5], vc.shape)
    np.testing.assert_allclose(kc2[pos:pos + n_tokens], rope_ref(ke, positions, theta, neox), atol=2e-4)
    np.testing.assert_array_equal(vc2[pos:pos + n_tokens], v[:n_tokens])
    untouched = np.ones(ctx, bool)
    untouched[pos:pos + n_tokens] = False
    assert (kc2[untouched] == 5.0).all() and (vc2[untouched] == 5.0).all()


@pytest.mark.parametrize("case", ["qwen2-bias", "llama3-factors", "phi3-partial-longrope", "yarn", "linear",
                                  "no-rope"])
def test_rope_kv_family_options(case):
    """Biases, frequency factors, partial rotary, YaRN, linear scaling and no rotary, against the numpy
    reference's RoPE (precis_oracles.reference.model.rope_cos_sin, ggml's rope_yarn)."""
    from precis_oracles.reference.model import apply_rope, rope_cos_sin
    rng = np.random.default_rng(7)
    nq, nkv, hd, max_tokens, n_tokens, pos, ctx, theta, eps = 4, 2, 64, 3, 3, 21, 32, 10000.0, 1e-6
    o = {"neox": True, "rope_dim": hd, "bias": False, "factors": False, "freq_scale": 1.0, "ext": 0.0,
         "corr": (0.0, 0.0), "mscale": 1.0, "qk_norm": False}
    o.update({"qwen2-bias": dict(bias=True), "llama3-factors": dict(neox=False, factors=True),
              "phi3-partial-longrope": dict(rope_dim=48, factors=True, mscale=1.19),
              "yarn": dict(freq_scale=0.25, ext=1.0, corr=(3.0, 20.0), mscale=1.1386, qk_norm=True),
              "linear": dict(freq_scale=0.125), "no-rope": dict(rope_dim=0)}[case])
    width = (nq + 2 * nkv) * hd
    qkv = rng.standard_normal((max_tokens, nq + 2 * nkv, hd)).astype(np.float32)
    qn, kn = rng.standard_normal(hd).astype(np.float32), rng.standard_normal(hd).astype(np.float32)
    bias = rng.standard_normal(width).astype(np.float32) if o["bias"] else UNUSED
    factors = (1.0 + 3 * rng.random(o["rope_dim"] // 2)).astype(np.float32) if o["factors"] else UNUSED
    kc = np.zeros((ctx, nkv, hd), np.float32)
    vc = np.zeros((ctx, nkv, hd), np.float32)
    consts = {"HD": hd, "NQ": nq, "NKV": nkv, "THETA": theta, "NEOX": o["neox"], "QK_NORM": o["qk_norm"],
              "EPS": eps, "ROPE_DIM": o["rope_dim"], "QKV_BIAS": o["bias"], "FREQ_FACTORS": o["factors"],
              "FREQ_SCALE": o["freq_scale"], "EXT_FACTOR": o["ext"], "CORR_LOW": o["corr"][0],
              "CORR_HIGH": o["corr"][1], "MSCALE": o["mscale"]}
    out = run_kernel(["kv_f32.wgsl", "rope_kv.wgsl"], consts,
                     [("uniform", step_bytes(pos, n_tokens)), qkv, qn, kn, kc, vc, bias, factors],
                     (nq + nkv, max_tokens))
    x = qkv.reshape(max_tokens, -1)[:n_tokens] + (bias if o["bias"] else 0)
    x = x.reshape(n_tokens, nq + 2 * nkv, hd)
    q, k, v = x[:, :nq], x[:, nq:nq + nkv], x[:, nq + nkv:]
    if o["qk_norm"]:
        q, k = rms(q, qn, eps), rms(k, kn, eps)
    if o["rope_dim"]:
        cos, sin = rope_cos_sin(np.arange(pos, pos + n_tokens), o["rope_dim"], theta, 1.0 / o["freq_scale"],
                                factors=factors if o["factors"] else None, ext_factor=o["ext"],
                                corr_dims=o["corr"], mscale=o["mscale"])
        q, k = apply_rope(q, cos, sin, o["neox"]), apply_rope(k, cos, sin, o["neox"])
    qkv2 = f32(out[1], qkv.shape)
    np.testing.assert_allclose(qkv2[:n_tokens, :nq], q, atol=2e-4)
    kc2, vc2 = f32(out[4], kc.shape), f32(out[5], vc.shape)
    np.testing.assert_allclose(kc2[pos:pos + n_tokens], k, atol=2e-4)
    np.testing.assert_allclose(vc2[pos:pos + n_tokens], v, atol=1e-6)
    if o["rope_dim"] < hd:   # dims past the rotary part pass through (normalized when QK_NORM)
        np.testing.assert_allclose(kc2[pos:pos + n_tokens, :, o["rope_dim"]:], k[..., o["rope_dim"]:], atol=1e-6)


def attention_ref(q, kc, vc, positions, scale, window):
    """q [T, NQ, D], caches [ctx, NKV, D]: causal (windowed) softmax attention in float64."""
    T, nq, D = q.shape
    nkv = kc.shape[1]
    out = np.zeros((T, nq, D))
    for t, p in enumerate(positions):
        lo = max(0, p - window + 1) if window else 0
        for h in range(nq):
            kh = h // (nq // nkv)
            s = scale * kc[lo:p + 1, kh].astype(np.float64) @ q[t, h]
            e = np.exp(s - s.max())
            out[t, h] = e @ vc[lo:p + 1, kh] / e.sum()
    return out


@pytest.mark.parametrize("hd,nq,nkv,pos,n_tokens,window", [
    (64, 9, 3, 0, 1, 0),        # first token
    (64, 9, 3, 150, 1, 0),      # decode over 151 keys: three tiles, the last partial
    (256, 4, 1, 70, 5, 0),      # prefill chunk, big heads
    (72, 4, 2, 130, 4, 40),     # sliding window, head dim not a multiple of 64
])
def test_attention_matches_softmax_reference(hd, nq, nkv, pos, n_tokens, window):
    rng = np.random.default_rng(pos + hd)
    max_tokens, ctx = 6, 200
    q = rng.standard_normal((max_tokens, nq, hd)).astype(np.float32)
    kc = rng.standard_normal((ctx, nkv, hd)).astype(np.float32)
    vc = rng.standard_normal((ctx, nkv, hd)).astype(np.float32)
    kc[pos + n_tokens:] = np.nan   # positions past kv_len must never be read
    vc[pos + n_tokens:] = np.nan
    scale = 1 / math.sqrt(hd)
    o0 = np.zeros((max_tokens, nq, hd), np.float32)
    out = run_kernel(["kv_f32.wgsl", "attention.wgsl"], {"HD": hd, "NQ": nq, "NKV": nkv, "SCALE": scale, "WINDOW": window},
                     [("uniform", step_bytes(pos, n_tokens)), q, kc, vc, o0], (nq, max_tokens))
    o = f32(out[4], o0.shape)
    expected = attention_ref(q[:n_tokens], kc, vc, np.arange(pos, pos + n_tokens), scale, window)
    np.testing.assert_allclose(o[:n_tokens], expected, rtol=1e-4, atol=2e-5)
    assert (o[n_tokens:] == 0).all()


@pytest.mark.parametrize("hd,nq,nkv,pos,window,splits", [
    (64, 9, 3, 300, 0, 4),      # 301 keys over 4 slices of 128: the last slice partial
    (64, 9, 3, 5, 0, 8),        # 6 keys: slices 1..7 are empty
    (256, 4, 1, 190, 100, 3),   # sliding window, big heads
])
def test_split_k_decode_attention_plus_combine(hd, nq, nkv, pos, window, splits):
    rng = np.random.default_rng(pos + splits)
    ctx = 320
    q = rng.standard_normal((1, nq, hd)).astype(np.float32)
    kc = rng.standard_normal((ctx, nkv, hd)).astype(np.float32)
    vc = rng.standard_normal((ctx, nkv, hd)).astype(np.float32)
    kc[pos + 1:] = np.nan
    vc[pos + 1:] = np.nan
    scale = 1 / math.sqrt(hd)
    partials = np.zeros(nq * splits * (hd + 2), np.float32)
    out = run_kernel(["kv_f32.wgsl", "attention.wgsl"],
                     {"HD": hd, "NQ": nq, "NKV": nkv, "SCALE": scale, "WINDOW": window, "SPLITS": splits},
                     [("uniform", step_bytes(pos, 1)), q, kc, vc, partials], (nq, splits))
    out = run_kernel(["attention_combine.wgsl"], {"HD": hd, "SPLITS": splits},
                     [out[4], np.zeros(nq * hd, np.float32)], (nq,))
    expected = attention_ref(q, kc, vc, np.array([pos]), scale, window)
    np.testing.assert_allclose(f32(out[1], (1, nq, hd)), expected, rtol=1e-4, atol=2e-5)


def gpu_topk(logits: np.ndarray, slice_: int = 4096):
    n = len(logits)
    n_slices = math.ceil(n / slice_)
    cand = np.zeros(n_slices * 64 * 2, np.uint32)
    out = run_kernel(["topk.wgsl"], {"N": n, "SLICE": slice_}, [logits, cand], (n_slices,))
    cand = np.frombuffer(out[1], np.uint32).copy()
    out = run_kernel(["topk_merge.wgsl"], {"N_IN": n_slices * 64}, [cand, np.zeros(128, np.uint32)], (1,))
    raw = np.frombuffer(out[1], np.uint32)
    return raw[0::2].astype(np.int64), raw[1::2].view(np.float32)


@pytest.mark.parametrize("n,slice_", [(10007, 4096), (49152, 4096), (100, 4096), (40, 4096), (3000, 256)])
def test_topk_equals_numpy_with_ties_broken_by_lower_id(n, slice_):
    rng = np.random.default_rng(n)
    logits = np.round(rng.standard_normal(n) * 4, 1).astype(np.float32)  # rounding makes many ties
    ids, vals = gpu_topk(logits, slice_)
    k = min(64, n)
    order = np.argsort(-logits, kind="stable")[:k]
    np.testing.assert_array_equal(ids[:k], order)
    np.testing.assert_array_equal(vals[:k], logits[order])
