"""The numpy reference forward pass: a decoder-only transformer read from a GGUF file.

Readable top to bottom (in the spirit of llama2.c), float32 throughout, with a KV cache.
It is the oracle for the WGSL kernels, so clarity beats speed here.

    model = ReferenceModel.from_gguf(open_gguf(path))
    logits = model.forward(prompt_ids, start_pos=0)        # [n, vocab], appends n positions
    logits = model.forward([next_id], start_pos=len(prompt_ids))
    model.reset()                                          # empty the KV cache

Families (all pre-norm decoders): what differs is data in precis.model_spec.ModelSpec, which also
checks every tensor's presence, shape and type before anything is loaded (the same check the GPU plan
and `precis inspect` run). Notes on the GGUF side of each:
- llama (SmolLM2, Llama 3, Mistral): llama.cpp's converter permutes the rows of q/k so that its
          "normal" RoPE, which rotates (x[2i], x[2i+1]), reproduces HF's rotate-half RoPE: with GGUF
          weights, adjacent pairs are right. Llama 3's rope scaling is the rope_freqs.weight tensor.
- qwen2 / qwen3 / phi3 / gemma3: q/k rows are not permuted; NEOX RoPE (x[i], x[i + r/2]).
- phi3: q|k|v fused in attn_qkv, gate|up fused in ffn_up (split here after loading).
- gemma3: The GGUF stores Gemma's norm weights already as (1 + w) (llama.cpp's converter adds 1;
          transformers subtracts it again when it loads a GGUF), so every norm is x_normed * weight.

Shapes in comments: n = tokens in this call, T = cached positions after this call,
D = hidden size, H = query heads, Hkv = key/value heads, hd = head dim, F = FFN size, V = vocab.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from precis.model_spec import ModelSpec, ModelSpecError, check_model
from precis_oracles.reference.dequant import SUPPORTED_TYPES, load_tensor

ModelError = ModelSpecError   # one error type for a model we cannot run, here and in the GPU plan
Config = ModelSpec            # the hyperparameters: precis.model_spec (one check for every backend)


# -- the building blocks ----------------------------------------------------------------

def rms_norm(x: np.ndarray, weight: np.ndarray, eps: float) -> np.ndarray:
    """x [..., d] / sqrt(mean(x^2) + eps) * weight [d]."""
    mean_sq = np.mean(x * x, axis=-1, keepdims=True)
    return x / np.sqrt(mean_sq + eps) * weight


def silu(x: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):  # exp(-x) overflows to inf for x << 0: x / inf = -0, as wanted
        return x / (1.0 + np.exp(-x))


def gelu_tanh(x: np.ndarray) -> np.ndarray:
    """GELU, tanh approximation (Gemma's `gelu_pytorch_tanh`)."""
    return 0.5 * x * (1.0 + np.tanh(np.float32(math.sqrt(2.0 / math.pi)) * (x + np.float32(0.044715) * x * x * x)))


def rope_cos_sin(positions: np.ndarray, rope_dims: int, base: float, scale: float = 1.0, *, factors=None,
                 ext_factor: float = 0.0, corr_dims=(0.0, 0.0), mscale: float = 1.0):
    """cos, sin [n, rope_dims/2] for pair i at each position, as ggml's rope_yarn (see precis.model_spec):
    theta_extrap = pos * base^(-2i/rope_dims) / factors[i]; theta = theta_extrap / scale, blended back toward
    theta_extrap by YaRN's ramp when ext_factor != 0; cos and sin are multiplied by mscale."""
    i = np.arange(rope_dims // 2, dtype=np.float64)
    inv_freq = base ** (-2.0 * i / rope_dims)                                          # [rope_dims/2]
    if factors is not None:
        inv_freq = inv_freq / np.asarray(factors, np.float64)
    extrap = positions.astype(np.float64)[:, None] * inv_freq[None, :]                 # [n, rope_dims/2]
    theta = extrap / scale
    if ext_factor != 0.0:
        low, high = corr_dims
        ramp = 1.0 - np.clip((i - low) / max(0.001, high - low), 0.0, 1.0)            # 1: extrapolate
        mix = ramp * ext_factor
        theta = theta * (1.0 - mix) + extrap * mix
    return (np.cos(theta) * mscale).astype(np.float32), (np.sin(theta) * mscale).astype(np.float32)


def apply_rope(x: np.ndarray, cos: np.ndarray, sin: np.ndarray, neox: bool) -> np.ndarray:
    """Rotate each pair of x [n, heads, hd] by the angles of its position (cos/sin [n, r/2]).
    neox: pairs (i, i + r/2); otherwise adjacent pairs (2i, 2i+1). Dims past r are left as is."""
    half = cos.shape[1]
    r = 2 * half
    out = x.copy()
    c, s = cos[:, None, :], sin[:, None, :]                  # [n, 1, r/2] broadcast over heads
    if neox:
        a, b = x[..., :half], x[..., half:r]
        out[..., :half] = a * c - b * s
        out[..., half:r] = a * s + b * c
    else:
        a, b = x[..., 0:r:2], x[..., 1:r:2]
        out[..., 0:r:2] = a * c - b * s
        out[..., 1:r:2] = a * s + b * c
    return out


def softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


# -- weights -------------------------------------------------------------------------------

@dataclass
class LayerWeights:
    attn_norm: np.ndarray                 # [D]
    wq: np.ndarray                        # [H*hd, D]   (numpy order: out, in; y = x @ w.T)
    wk: np.ndarray                        # [Hkv*hd, D]
    wv: np.ndarray                        # [Hkv*hd, D]
    wo: np.ndarray                        # [D, H*hd]
    ffn_norm: np.ndarray                  # [D]
    w_gate: np.ndarray                    # [F, D]
    w_up: np.ndarray                      # [F, D]
    w_down: np.ndarray                    # [D, F]
    bq: np.ndarray | None = None          # [H*hd]   qwen2
    bk: np.ndarray | None = None          # [Hkv*hd] qwen2
    bv: np.ndarray | None = None          # [Hkv*hd] qwen2
    q_norm: np.ndarray | None = None      # [hd]     qwen3, gemma3
    k_norm: np.ndarray | None = None      # [hd]     qwen3, gemma3
    post_attn_norm: np.ndarray | None = None  # [D]  gemma3
    post_ffn_norm: np.ndarray | None = None   # [D]  gemma3


def _load_layer(g, spec: ModelSpec, i: int) -> LayerWeights:
    """Layer i's weights (check_model has already checked every name, shape and type)."""
    p = f"blk.{i}."
    D, NQ, NKV, F = spec.head_dim, spec.n_head, spec.n_kv, spec.ffn

    def get(name):
        return load_tensor(g, p + name) if p + name in g.tensors else None

    if spec.fused_qkv:                    # phi3: rows q | k | v
        qkv = get("attn_qkv.weight")
        wq, wk, wv = np.split(qkv, [NQ * D, (NQ + NKV) * D])
    else:
        wq, wk, wv = get("attn_q.weight"), get("attn_k.weight"), get("attn_v.weight")
    if spec.fused_gate_up:                # phi3: rows gate | up
        w_gate, w_up = np.split(get("ffn_up.weight"), [F])
    else:
        w_gate, w_up = get("ffn_gate.weight"), get("ffn_up.weight")
    biases = [get(n[len(p):]) for n in spec.bias_tensors(i)] or [None, None, None]
    return LayerWeights(
        attn_norm=get("attn_norm.weight"), wq=wq, wk=wk, wv=wv, wo=get("attn_output.weight"),
        ffn_norm=get("ffn_norm.weight"), w_gate=w_gate, w_up=w_up, w_down=get("ffn_down.weight"),
        bq=biases[0], bk=biases[1], bv=biases[2],
        q_norm=get("attn_q_norm.weight") if spec.qk_norm else None,
        k_norm=get("attn_k_norm.weight") if spec.qk_norm else None,
        post_attn_norm=get("post_attention_norm.weight") if spec.post_norms else None,
        post_ffn_norm=get("post_ffw_norm.weight") if spec.post_norms else None,
    )


# -- the model -------------------------------------------------------------------------------

class ReferenceModel:
    def __init__(self, config: ModelSpec, token_embd, output_norm, output, layers, rope_factors=None):
        self.config = config
        self.token_embd = token_embd      # [V, D]
        self.output_norm = output_norm    # [D]
        self.output = output              # [V, D] (the same array as token_embd when tied)
        self.layers = layers              # n_layers x LayerWeights
        self.rope_factors = rope_factors  # [rope_dim/2] frequency factors (Llama 3, LongRoPE) or None
        self.reset()

    @classmethod
    def from_gguf(cls, g, context: int | None = None) -> "ReferenceModel":
        """`context`: the context the model is run at (default: its training context). It only matters for
        LongRoPE files (phi3), whose long factors apply past the original context, as in llama.cpp."""
        spec = check_model(g, SUPPORTED_TYPES)
        context = spec.n_ctx_train if context is None else context
        token_embd = load_tensor(g, "token_embd.weight")
        output = token_embd if spec.output == "token_embd.weight" else load_tensor(g, spec.output)
        layers = [_load_layer(g, spec, i) for i in range(spec.layers)]
        factors_name = spec.rope_factors(context)
        factors = load_tensor(g, factors_name) if factors_name else None
        return cls(spec, token_embd, load_tensor(g, "output_norm.weight"), output, layers, factors)

    def reset(self) -> None:
        """Empty the KV cache."""
        c = self.config
        self.n_cached = 0
        self._capacity = 0
        # Per layer: keys and values of every cached position, [capacity, Hkv, hd].
        self.k_cache = [np.zeros((0, c.n_kv, c.head_dim), np.float32) for _ in range(c.layers)]
        self.v_cache = [np.zeros((0, c.n_kv, c.head_dim), np.float32) for _ in range(c.layers)]

    def _ensure_capacity(self, total: int) -> None:
        if total <= self._capacity:
            return
        new_cap = max(total, 2 * self._capacity, 64)
        for caches in (self.k_cache, self.v_cache):
            for i, old in enumerate(caches):
                grown = np.zeros((new_cap,) + old.shape[1:], np.float32)
                grown[:self.n_cached] = old[:self.n_cached]
                caches[i] = grown
        self._capacity = new_cap

    def _rope(self, i: int, positions):
        """cos, sin [n, rope_dim/2] of layer i (None when the layer has no rotary embedding)."""
        c, L = self.config, self.config.layer[i]
        if not L.rope or c.rope_dim == 0:
            return None
        return rope_cos_sin(positions, c.rope_dim, L.rope_base, 1.0 / L.freq_scale, factors=self.rope_factors,
                            ext_factor=c.ext_factor, corr_dims=c.corr_dims, mscale=c.yarn_mscale(i))

    def forward(self, token_ids, start_pos: int, *, last_only: bool = False) -> np.ndarray:
        """Run token_ids at positions start_pos.. and return their logits [n, V] (float32),
        or only the last position's [1, V] with last_only (prefill for generation).
        Keys/values are written to the cache at those positions; start_pos may rewind
        (positions >= start_pos are then forgotten) but not skip ahead."""
        c = self.config
        ids = np.asarray(list(token_ids), dtype=np.int64)
        n = len(ids)
        if n == 0:
            raise ModelError("forward needs at least one token")
        if not 0 <= start_pos <= self.n_cached:
            raise ModelError(f"start_pos {start_pos} is past the {self.n_cached} cached positions")
        if ids.min() < 0 or ids.max() >= c.vocab:
            raise ModelError(f"token id out of range [0, {c.vocab}): {ids.min()}..{ids.max()}")
        T = start_pos + n
        self._ensure_capacity(T)
        positions = np.arange(start_pos, T)                       # [n]

        x = self.token_embd[ids]                                  # [n, D]
        if c.embed_scale != 1.0:                                  # gemma3
            x = x * np.float32(c.embed_scale)
        act = gelu_tanh if c.activation == "gelu_tanh" else silu

        for i, L in enumerate(self.layers):
            # --- attention block ---
            h = rms_norm(x, L.attn_norm, c.eps)                   # [n, D]
            q = h @ L.wq.T                                        # [n, H*hd]
            k = h @ L.wk.T                                        # [n, Hkv*hd]
            v = h @ L.wv.T                                        # [n, Hkv*hd]
            if L.bq is not None:                                  # qwen2
                q, k, v = q + L.bq, k + L.bk, v + L.bv
            q = q.reshape(n, c.n_head, c.head_dim)                # [n, H, hd]
            k = k.reshape(n, c.n_kv, c.head_dim)                  # [n, Hkv, hd]
            v = v.reshape(n, c.n_kv, c.head_dim)                  # [n, Hkv, hd]
            if L.q_norm is not None:                              # QK-norm, per head
                q = rms_norm(q, L.q_norm, c.eps)
                k = rms_norm(k, L.k_norm, c.eps)
            rope = self._rope(i, positions)
            if rope is not None:
                q = apply_rope(q, *rope, c.rope_neox)
                k = apply_rope(k, *rope, c.rope_neox)

            self.k_cache[i][start_pos:T] = k
            self.v_cache[i][start_pos:T] = v
            att = self._attention(q, self.k_cache[i][:T], self.v_cache[i][:T],
                                  positions, c.layer[i].window)   # [n, H*hd]
            att = att @ L.wo.T                                    # [n, D]
            if L.post_attn_norm is not None:
                att = rms_norm(att, L.post_attn_norm, c.eps)
            x = x + att

            # --- feed-forward block ---
            h = rms_norm(x, L.ffn_norm, c.eps)                    # [n, D]
            gate = h @ L.w_gate.T                                 # [n, F]
            up = h @ L.w_up.T                                     # [n, F]
            ffn = (act(gate) * up) @ L.w_down.T                   # [n, D]
            if L.post_ffn_norm is not None:
                ffn = rms_norm(ffn, L.post_ffn_norm, c.eps)
            x = x + ffn

        self.n_cached = T
        if last_only:
            x = x[-1:]                                            # [1, D]
        x = rms_norm(x, self.output_norm, c.eps)                  # [n, D]
        return (x @ self.output.T).astype(np.float32, copy=False)  # [n, V]

    def _attention(self, q, keys, values, positions, window):
        """Causal (optionally sliding-window) attention of q [n, H, hd] over the cached
        keys/values [T, Hkv, hd]; query at position p sees key j when j <= p and, with a
        window (> 0), p - j < window. Returns [n, H*hd]."""
        c = self.config
        n, T = q.shape[0], keys.shape[0]
        group = c.n_head // c.n_kv
        qg = q.reshape(n, c.n_kv, group, c.head_dim)              # [n, Hkv, g, hd]
        scores = np.einsum("nkgd,tkd->kgnt", qg, keys) * np.float32(c.attention_scale)  # [Hkv, g, n, T]
        key_pos = np.arange(T)
        allowed = key_pos[None, :] <= positions[:, None]          # [n, T]
        if window:
            allowed &= (positions[:, None] - key_pos[None, :]) < window
        scores = np.where(allowed, scores, np.float32(-np.inf))
        probs = softmax(scores, axis=-1)                          # [Hkv, g, n, T]
        out = np.einsum("kgnt,tkd->nkgd", probs, values)          # [n, Hkv, g, hd]
        return out.reshape(n, c.n_head * c.head_dim)

    def logits_for(self, token_ids) -> np.ndarray:
        """Convenience for tests: reset, then logits [n, V] of a whole sequence."""
        self.reset()
        return self.forward(token_ids, 0)

    def greedy(self, prompt_ids, max_new: int, stop_ids=()) -> list[int]:
        """Greedy decoding from a fresh cache: the new token ids (stops after a stop id)."""
        self.reset()
        logits = self.forward(prompt_ids, 0, last_only=True)[-1]
        out = []
        pos = len(prompt_ids)
        for _ in range(max_new):
            tok = int(np.argmax(logits))
            out.append(tok)
            if tok in stop_ids:
                break
            logits = self.forward([tok], pos)[-1]
            pos += 1
        return out
