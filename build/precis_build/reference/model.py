"""The numpy reference forward pass: a decoder-only transformer read from a GGUF file.

Readable top to bottom (in the spirit of llama2.c), float32 throughout, with a KV cache.
It is the oracle for the WGSL kernels, so clarity beats speed here.

    model = ReferenceModel.from_gguf(open_gguf(path))
    logits = model.forward(prompt_ids, start_pos=0)        # [n, vocab], appends n positions
    logits = model.forward([next_id], start_pos=len(prompt_ids))
    model.reset()                                          # empty the KV cache

Families (all pre-norm decoders; what differs is listed in `Config`):
- llama  (SmolLM2): RMSNorm, RoPE on adjacent pairs, GQA, SwiGLU FFN, output tied to
          token_embd when there is no output.weight. llama.cpp's converter permutes the rows
          of q/k so that its "normal" RoPE, which rotates (x[2i], x[2i+1]), reproduces HF's
          rotate-half RoPE: with GGUF weights, adjacent pairs are right.
- qwen2:  as llama plus biases on q, k, v, and NEOX RoPE (rotates (x[i], x[i + d/2])):
          qwen2 q/k rows are not permuted by the converter.
- gemma3: embeddings scaled by sqrt(hidden); RMSNorm on q and k of each head (QK-norm);
          extra norms after attention and after the FFN (before the residual add); GeGLU
          FFN with tanh-approximated GELU; NEOX RoPE; 5 of every 6 layers use sliding-window
          attention (window from metadata) with RoPE base 10000, every 6th layer is global
          with the metadata base; attention scale 1/sqrt(key_length).
          The GGUF stores Gemma's norm weights already as (1 + w) (llama.cpp's converter
          adds 1; transformers subtracts it again when it loads a GGUF), so every norm here
          is a plain x_normed * weight.

Shapes in comments: n = tokens in this call, T = cached positions after this call,
D = hidden size, H = query heads, Hkv = key/value heads, hd = head dim, F = FFN size, V = vocab.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from precis_build.reference.dequant import load_tensor

SUPPORTED_ARCHITECTURES = ("llama", "qwen2", "gemma3")
GEMMA3_GLOBAL_EVERY = 6            # llama.cpp and HF: layers 5, 11, 17... attend globally
GEMMA3_LOCAL_ROPE_BASE = 10000.0   # sliding-window layers' RoPE base (not in the GGUF)


class ModelError(ValueError):
    """The GGUF lacks something the forward pass needs, or the input is out of range."""


@dataclass
class Config:
    arch: str
    n_layers: int
    hidden: int               # D
    ffn: int                  # F
    n_heads: int              # H
    n_kv_heads: int           # Hkv (GQA: each group of H/Hkv query heads shares one)
    head_dim: int             # hd (key_length; value_length is the same for our families)
    vocab: int                # V
    context: int              # trained context length
    norm_eps: float
    rope_base: float          # RoPE base of global layers (all layers for llama/qwen2)
    rope_dims: int            # leading dims of each head that RoPE rotates (usually hd)
    rope_neox: bool           # True: pairs (i, i+rope_dims/2); False: pairs (2i, 2i+1)
    rope_scale: float = 1.0   # linear RoPE scaling: positions are divided by this
    attention_scale: float = 0.0
    # Per layer: sliding window (None = global) and RoPE base.
    layer_windows: list = field(default_factory=list)
    layer_rope_bases: list = field(default_factory=list)

    @classmethod
    def from_gguf(cls, g) -> "Config":
        arch = g.architecture
        if arch not in SUPPORTED_ARCHITECTURES:
            raise ModelError(f"unsupported architecture {arch!r} "
                             f"(supported: {', '.join(SUPPORTED_ARCHITECTURES)})")

        def need(key):
            value = g.arch_value(key)
            if value is None:
                raise ModelError(f"missing metadata {arch}.{key}")
            return value

        n_layers = int(need("block_count"))
        hidden = int(need("embedding_length"))
        n_heads = int(need("attention.head_count"))
        n_kv_heads = int(g.arch_value("attention.head_count_kv", n_heads))
        head_dim = int(g.arch_value("attention.key_length", hidden // n_heads))
        if int(g.arch_value("attention.value_length", head_dim)) != head_dim:
            raise ModelError("key_length != value_length is not supported")
        vocab = g.arch_value("vocab_size") or len(g.metadata.get("tokenizer.ggml.tokens", ()))
        if not vocab:
            vocab = g.tensors["token_embd.weight"].shape[0]
        if n_heads % n_kv_heads:
            raise ModelError(f"{n_heads} query heads do not split into {n_kv_heads} KV groups")
        rope_base = float(g.arch_value("rope.freq_base", 10000.0))
        scaling = g.arch_value("rope.scaling.type")
        rope_scale = float(g.arch_value("rope.scaling.factor", 1.0)) if scaling == "linear" else 1.0
        if scaling not in (None, "none", "linear"):
            raise ModelError(f"unsupported RoPE scaling {scaling!r}")

        cfg = cls(
            arch=arch, n_layers=n_layers, hidden=hidden, ffn=int(need("feed_forward_length")),
            n_heads=n_heads, n_kv_heads=n_kv_heads, head_dim=head_dim, vocab=int(vocab),
            context=int(g.arch_value("context_length", 2048)),
            norm_eps=float(need("attention.layer_norm_rms_epsilon")),
            rope_base=rope_base, rope_dims=int(g.arch_value("rope.dimension_count", head_dim)),
            rope_neox=arch != "llama", rope_scale=rope_scale,
            attention_scale=1.0 / math.sqrt(head_dim),
        )
        if arch == "gemma3":
            window = int(need("attention.sliding_window"))
            is_global = [(i + 1) % GEMMA3_GLOBAL_EVERY == 0 for i in range(n_layers)]
            cfg.layer_windows = [None if glob else window for glob in is_global]
            cfg.layer_rope_bases = [rope_base if glob else GEMMA3_LOCAL_ROPE_BASE for glob in is_global]
        else:  # llama / qwen2: every layer global (llama.cpp ignores qwen2's unused window too)
            cfg.layer_windows = [None] * n_layers
            cfg.layer_rope_bases = [rope_base] * n_layers
        return cfg


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


def rope_cos_sin(positions: np.ndarray, rope_dims: int, base: float, scale: float):
    """cos, sin [n, rope_dims/2] for pair i at each position: angle = pos / scale * base^(-2i/rope_dims)."""
    inv_freq = base ** (-np.arange(0, rope_dims, 2, dtype=np.float64) / rope_dims)   # [rope_dims/2]
    angles = (positions.astype(np.float64) / scale)[:, None] * inv_freq[None, :]       # [n, rope_dims/2]
    return np.cos(angles).astype(np.float32), np.sin(angles).astype(np.float32)


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
    q_norm: np.ndarray | None = None      # [hd]     gemma3
    k_norm: np.ndarray | None = None      # [hd]     gemma3
    post_attn_norm: np.ndarray | None = None  # [D]  gemma3
    post_ffn_norm: np.ndarray | None = None   # [D]  gemma3


def _load_layer(g, i: int) -> LayerWeights:
    def get(name, required=True):
        full = f"blk.{i}.{name}.weight" if not name.endswith(".bias") else f"blk.{i}.{name}"
        if full not in g.tensors:
            if required:
                raise ModelError(f"missing tensor {full}")
            return None
        return load_tensor(g, full)

    return LayerWeights(
        attn_norm=get("attn_norm"), wq=get("attn_q"), wk=get("attn_k"), wv=get("attn_v"),
        wo=get("attn_output"), ffn_norm=get("ffn_norm"), w_gate=get("ffn_gate"),
        w_up=get("ffn_up"), w_down=get("ffn_down"),
        bq=get("attn_q.bias", False), bk=get("attn_k.bias", False), bv=get("attn_v.bias", False),
        q_norm=get("attn_q_norm", False), k_norm=get("attn_k_norm", False),
        post_attn_norm=get("post_attention_norm", False), post_ffn_norm=get("post_ffw_norm", False),
    )


# -- the model -------------------------------------------------------------------------------

class ReferenceModel:
    def __init__(self, config: Config, token_embd, output_norm, output, layers):
        self.config = config
        self.token_embd = token_embd      # [V, D]
        self.output_norm = output_norm    # [D]
        self.output = output              # [V, D] (the same array as token_embd when tied)
        self.layers = layers              # n_layers x LayerWeights
        self.reset()

    @classmethod
    def from_gguf(cls, g) -> "ReferenceModel":
        cfg = Config.from_gguf(g)
        for name in ("token_embd.weight", "output_norm.weight"):
            if name not in g.tensors:
                raise ModelError(f"missing tensor {name}")
        token_embd = load_tensor(g, "token_embd.weight")
        output = load_tensor(g, "output.weight") if "output.weight" in g.tensors else token_embd
        layers = [_load_layer(g, i) for i in range(cfg.n_layers)]
        expected = (cfg.n_heads * cfg.head_dim, cfg.hidden)
        if layers[0].wq.shape != expected:
            raise ModelError(f"attn_q has shape {layers[0].wq.shape}, metadata implies {expected}")
        cfg.vocab = token_embd.shape[0]
        return cls(cfg, token_embd, load_tensor(g, "output_norm.weight"), output, layers)

    def reset(self) -> None:
        """Empty the KV cache."""
        c = self.config
        self.n_cached = 0
        self._capacity = 0
        # Per layer: keys and values of every cached position, [capacity, Hkv, hd].
        self.k_cache = [np.zeros((0, c.n_kv_heads, c.head_dim), np.float32) for _ in range(c.n_layers)]
        self.v_cache = [np.zeros((0, c.n_kv_heads, c.head_dim), np.float32) for _ in range(c.n_layers)]

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
        if c.arch == "gemma3":
            x = x * np.float32(math.sqrt(c.hidden))

        for i, L in enumerate(self.layers):
            # --- attention block ---
            h = rms_norm(x, L.attn_norm, c.norm_eps)              # [n, D]
            q = h @ L.wq.T                                        # [n, H*hd]
            k = h @ L.wk.T                                        # [n, Hkv*hd]
            v = h @ L.wv.T                                        # [n, Hkv*hd]
            if L.bq is not None:
                q, k, v = q + L.bq, k + L.bk, v + L.bv
            q = q.reshape(n, c.n_heads, c.head_dim)               # [n, H, hd]
            k = k.reshape(n, c.n_kv_heads, c.head_dim)            # [n, Hkv, hd]
            v = v.reshape(n, c.n_kv_heads, c.head_dim)            # [n, Hkv, hd]
            if L.q_norm is not None:                              # gemma3 QK-norm, per head
                q = rms_norm(q, L.q_norm, c.norm_eps)
                k = rms_norm(k, L.k_norm, c.norm_eps)
            cos, sin = rope_cos_sin(positions, c.rope_dims, c.layer_rope_bases[i],
                                    c.rope_scale if c.layer_windows[i] is None else 1.0)
            q = apply_rope(q, cos, sin, c.rope_neox)
            k = apply_rope(k, cos, sin, c.rope_neox)

            self.k_cache[i][start_pos:T] = k
            self.v_cache[i][start_pos:T] = v
            att = self._attention(q, self.k_cache[i][:T], self.v_cache[i][:T],
                                  positions, c.layer_windows[i])  # [n, H*hd]
            att = att @ L.wo.T                                    # [n, D]
            if L.post_attn_norm is not None:
                att = rms_norm(att, L.post_attn_norm, c.norm_eps)
            x = x + att

            # --- feed-forward block ---
            h = rms_norm(x, L.ffn_norm, c.norm_eps)               # [n, D]
            gate = h @ L.w_gate.T                                 # [n, F]
            up = h @ L.w_up.T                                     # [n, F]
            act = gelu_tanh(gate) if c.arch == "gemma3" else silu(gate)
            ffn = (act * up) @ L.w_down.T                         # [n, D]
            if L.post_ffn_norm is not None:
                ffn = rms_norm(ffn, L.post_ffn_norm, c.norm_eps)
            x = x + ffn

        self.n_cached = T
        if last_only:
            x = x[-1:]                                            # [1, D]
        x = rms_norm(x, self.output_norm, c.norm_eps)             # [n, D]
        return (x @ self.output.T).astype(np.float32, copy=False)  # [n, V]

    def _attention(self, q, keys, values, positions, window):
        """Causal (optionally sliding-window) attention of q [n, H, hd] over the cached
        keys/values [T, Hkv, hd]; query at position p sees key j when j <= p and, with a
        window, p - j < window. Returns [n, H*hd]."""
        c = self.config
        n, T = q.shape[0], keys.shape[0]
        group = c.n_heads // c.n_kv_heads
        qg = q.reshape(n, c.n_kv_heads, group, c.head_dim)        # [n, Hkv, g, hd]
        scores = np.einsum("nkgd,tkd->kgnt", qg, keys) * np.float32(c.attention_scale)  # [Hkv, g, n, T]
        key_pos = np.arange(T)
        allowed = key_pos[None, :] <= positions[:, None]          # [n, T]
        if window is not None:
            allowed &= (positions[:, None] - key_pos[None, :]) < window
        scores = np.where(allowed, scores, np.float32(-np.inf))
        probs = softmax(scores, axis=-1)                          # [Hkv, g, n, T]
        out = np.einsum("kgnt,tkd->nkgd", probs, values)          # [n, Hkv, g, hd]
        return out.reshape(n, c.n_heads * c.head_dim)

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
