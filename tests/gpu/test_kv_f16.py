"""The f16 KV-cache variant (kv_f16.wgsl before rope_kv.wgsl / attention.wgsl, `enable f16;`) on lavapipe,
whose wgpu device has "shader-f16": rope_kv stores K and V rounded to f16, attention reads them back and
sums in f32. References: the numpy ones of test_kernels.py."""

import math

import numpy as np
import pytest

from kernel_harness import f32, run_kernel, step_bytes
from precis_oracles.wgpu_executor import open_device
from test_kernels import attention_ref, rms, rope_ref

pytestmark = pytest.mark.gpu
F16 = ["kv_f16.wgsl"]
HALF_ULP = 2.0 ** -10          # relative spacing of f16: a stored value is within one step of the f32 one
UNUSED = np.zeros(1, np.float32)   # rope_kv bias / frequency-factor bindings when their option is off


@pytest.fixture(scope="module", autouse=True)
def needs_shader_f16():
    if "shader-f16" not in open_device().plan_features:
        pytest.fail("lavapipe's adapter is expected to offer shader-f16")


@pytest.mark.parametrize("neox,qk_norm,hd", [(False, False, 64), (True, True, 72)])
def test_rope_kv_stores_f16_keys_and_values(neox, qk_norm, hd):
    rng = np.random.default_rng(hd)
    nq, nkv, max_tokens, n_tokens, pos, ctx, theta, eps = 6, 2, 5, 3, 11, 20, 10000.0, 1e-6
    q = rng.standard_normal((max_tokens, nq, hd)).astype(np.float32)
    k = rng.standard_normal((max_tokens, nkv, hd)).astype(np.float32)
    v = rng.standard_normal((max_tokens, nkv, hd)).astype(np.float32)
    qn = rng.standard_normal(hd).astype(np.float32)
    kn = rng.standard_normal(hd).astype(np.float32)
    kc = np.full((ctx, nkv, hd), 5.0, np.float16)
    vc = np.full((ctx, nkv, hd), 5.0, np.float16)
    qkv = np.concatenate([q, k, v], axis=1)
    out = run_kernel(F16 + ["rope_kv.wgsl"], {"HD": hd, "NQ": nq, "NKV": nkv, "THETA": theta, "NEOX": neox,
                                              "QK_NORM": qk_norm, "EPS": eps},
                     [("uniform", step_bytes(pos, n_tokens)), qkv, qn, kn, kc, vc, UNUSED, UNUSED], (nq + nkv, max_tokens),
                     enables=["f16"])
    positions = np.arange(pos, pos + n_tokens)
    qe, ke = q[:n_tokens], k[:n_tokens]
    if qk_norm:
        qe, ke = rms(qe, qn, eps), rms(ke, kn, eps)
    # q stays f32 (rotated in place), exactly as in the f32 variant.
    np.testing.assert_allclose(f32(out[1], qkv.shape)[:n_tokens, :nq], rope_ref(qe, positions, theta, neox),
                               atol=2e-4)
    kc2 = np.frombuffer(out[4], np.float16)[:kc.size].reshape(kc.shape).astype(np.float64)
    vc2 = np.frombuffer(out[5], np.float16)[:vc.size].reshape(vc.shape).astype(np.float64)
    # f16 storage: within one f16 step of the f32 result (plus the f32 rope error).
    expected_k = rope_ref(ke, positions, theta, neox)
    np.testing.assert_allclose(kc2[pos:pos + n_tokens], expected_k, rtol=HALF_ULP, atol=2e-4)
    np.testing.assert_allclose(vc2[pos:pos + n_tokens], v[:n_tokens], rtol=HALF_ULP, atol=1e-7)
    # Nothing outside positions pos..pos+n_tokens-1 is written.
    assert (kc2[:pos] == 5).all() and (kc2[pos + n_tokens:] == 5).all() and (vc2[pos + n_tokens:] == 5).all()


@pytest.mark.parametrize("hd,nq,nkv,pos,n_tokens,window", [
    (64, 9, 3, 70, 1, 0),      # one decode token, 71 keys: two tiles, the second partial
    (72, 4, 2, 130, 4, 40),    # prefill tokens, sliding window, head dim not a multiple of 64
])
def test_attention_reads_an_f16_cache(hd, nq, nkv, pos, n_tokens, window):
    rng = np.random.default_rng(pos + hd)
    max_tokens, ctx = 6, 200
    q = rng.standard_normal((max_tokens, nq, hd)).astype(np.float32)
    kc = rng.standard_normal((ctx, nkv, hd)).astype(np.float16)
    vc = rng.standard_normal((ctx, nkv, hd)).astype(np.float16)
    kc[pos + n_tokens:] = np.nan   # positions past kv_len must never be read
    vc[pos + n_tokens:] = np.nan
    scale = 1 / math.sqrt(hd)
    o0 = np.zeros((max_tokens, nq, hd), np.float32)
    out = run_kernel(F16 + ["attention.wgsl"], {"HD": hd, "NQ": nq, "NKV": nkv, "SCALE": scale, "WINDOW": window},
                     [("uniform", step_bytes(pos, n_tokens)), q, kc, vc, o0], (nq, max_tokens), enables=["f16"])
    o = f32(out[4], o0.shape)
    # The cache values are exact in f32, so only the f32 sums differ from the float64 reference.
    expected = attention_ref(q[:n_tokens], kc.astype(np.float32), vc.astype(np.float32),
                             np.arange(pos, pos + n_tokens), scale, window)
    np.testing.assert_allclose(o[:n_tokens], expected, rtol=1e-4, atol=2e-5)
    assert (o[n_tokens:] == 0).all()
