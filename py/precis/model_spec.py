"""What a GGUF model is, and the ONE check that it can be run: `check_model(gguf, types)` -> ModelSpec.

Pure stdlib (runs in Pyodide). The numpy reference (precis_oracles.reference.model), the GPU plan
(precis.model_plan.check_model, which passes the kernels' tensor types) and `precis inspect` all call it,
so a file is accepted, or refused with the same one-line ModelSpecError, everywhere.

Every family is a pre-norm decoder (RMSNorm, GQA attention with RoPE, gated FFN). What differs is data here,
read from the GGUF the way llama.cpp reads it (llama.cpp is the outside oracle):

  family    rope pairs   attention extras              FFN        other
  llama     adjacent     -                             SiLU       Llama 3 rope factors as rope_freqs.weight;
            (the converter permutes q/k rows)                     Mistral files are "llama" too
  qwen2     halves       q/k/v biases                  SiLU
  qwen3     halves       per-head RMSNorm on q and k   SiLU
  phi3      halves       fused attn_qkv                gate|up    LongRoPE rope_factors_long/_short (long when
                                                        fused in   the context exceeds the original one) with
                                                        ffn_up     rope.scaling.attn_factor; partial rotary
  gemma3    halves       q/k norms, post-attention     GELU-tanh  embeddings * sqrt(hidden); post-FFN norm;
                         norm, 5 local : 1 global                 local layers: window, base freq_base_swa
  smollm3   adjacent     every 4th layer has no RoPE   SiLU

RoPE of pair i (0 <= i < rope_dim/2) at position p, as ggml's rope_yarn:
  theta_extrap = p * base^(-2i/rope_dim) / factor_i          factor_i from the rope factors tensor, else 1
  theta_interp = freq_scale * theta_extrap                   freq_scale = 1 / linear or YaRN factor
  theta = theta_interp * (1 - mix) + theta_extrap * mix      mix = yarn ramp(i) * ext_factor (0 unless YaRN)
  (cos, sin) = (cos theta, sin theta) * mscale               mscale = attn_factor (* 1 + 0.1 ln(1/freq_scale) for YaRN)
Dims of a head past rope_dim are left as they are (partial rotary).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from precis.plan import PlanError

SUPPORTED_ARCHITECTURES = ("llama", "qwen2", "qwen3", "phi3", "gemma3", "smollm3")
GEMMA3_SWA_PATTERN = 6          # llama.cpp: layers 5, 11, 17, ... attend globally unless the file says otherwise
SMOLLM3_NO_ROPE_EVERY = 4       # llama.cpp (and HF's default no_rope_layer_interval): layers 3, 7, 11, ... skip RoPE
MAX_HEAD_DIM = 256              # rope_kv / attention keep one head in workgroup memory
ROW_MULTIPLE = 8                # the matmul kernels read 8 weights at a time


class ModelSpecError(PlanError):
    """The model cannot be run (unsupported architecture, missing metadata or tensor, wrong shape or type);
    the message says why, in one line. A PlanError, so the engine's existing handling catches it."""


@dataclass
class LayerSpec:
    window: int = 0                 # sliding-window length, 0 = global attention
    rope_base: float = 10000.0
    freq_scale: float = 1.0         # 1 / linear (or YaRN) factor; local gemma3 layers are unscaled
    rope: bool = True               # False: this layer has no rotary embedding (smollm3)


@dataclass
class ModelSpec:
    arch: str
    layers: int
    hidden: int                     # H
    ffn: int                        # F
    n_head: int                     # NQ
    n_kv: int                       # NKV
    head_dim: int                   # D (key and value length)
    vocab: int
    eps: float
    n_ctx_train: int
    rope_dim: int                   # leading dims of each head that RoPE rotates (partial rotary: < D)
    rope_neox: bool                 # True: pairs (i, i + rope_dim/2); False: pairs (2i, 2i + 1)
    attention_scale: float
    layer: list = field(default_factory=list)      # LayerSpec per layer
    # YaRN (ext_factor 0 = off); corr_dims are the ramp's [low, high] pair indices.
    ext_factor: float = 0.0
    corr_dims: tuple = (0.0, 0.0)
    attn_factor: float = 1.0        # cos/sin multiplier before YaRN's own magnitude correction
    n_ctx_orig: int = 0             # rope.scaling.original_context_length (LongRoPE's long/short switch)
    rope_freqs: str | None = None   # F32 tensor of rope_dim/2 frequency factors (Llama 3)
    rope_factors_long: str | None = None    # phi3 LongRoPE
    rope_factors_short: str | None = None
    qkv_bias: bool = False          # qwen2
    qk_norm: bool = False           # qwen3, gemma3
    fused_qkv: bool = False         # attn_qkv.weight = q | k | v rows (phi3)
    fused_gate_up: bool = False     # ffn_up.weight = gate | up rows (phi3)
    post_norms: bool = False        # gemma3: norms after attention and FFN, before the residual add
    embed_scale: float = 1.0        # gemma3: sqrt(hidden)
    activation: str = "silu"        # "silu" | "gelu_tanh"
    output: str = "output.weight"   # or token_embd.weight when tied

    def rope_factors(self, context: int) -> str | None:
        """The frequency-factor tensor used at this context: Llama 3's, or LongRoPE's long factors when the
        context exceeds the original one (llama.cpp's rule), else the short ones; None when the file has none."""
        if self.rope_freqs:
            return self.rope_freqs
        if self.rope_factors_long and context > self.n_ctx_orig:
            return self.rope_factors_long
        return self.rope_factors_short

    def yarn_mscale(self, i: int) -> float:
        """The cos/sin multiplier of layer i (ggml's rope_yarn)."""
        m = self.attn_factor
        if self.ext_factor != 0.0:
            m *= 1.0 + 0.1 * math.log(1.0 / self.layer[i].freq_scale)
        return m

    # tensor names of layer i
    def qkv_tensors(self, i: int) -> list:
        p = f"blk.{i}."
        if self.fused_qkv:
            return [p + "attn_qkv.weight"]
        return [p + "attn_q.weight", p + "attn_k.weight", p + "attn_v.weight"]

    def bias_tensors(self, i: int) -> list:
        p = f"blk.{i}."
        return [p + "attn_q.bias", p + "attn_k.bias", p + "attn_v.bias"] if self.qkv_bias else []

    def gate_up_tensors(self, i: int) -> list:
        p = f"blk.{i}."
        return [p + "ffn_up.weight"] if self.fused_gate_up else [p + "ffn_gate.weight", p + "ffn_up.weight"]


def _yarn_corr_dims(rope_dim: int, n_ctx_orig: int, base: float, beta_fast: float, beta_slow: float):
    """ggml_rope_yarn_corr_dims: the pair-index range over which YaRN blends interpolation into extrapolation."""
    def corr(n_rot):
        return rope_dim * math.log(n_ctx_orig / (n_rot * 2 * math.pi)) / (2 * math.log(base))
    return max(0.0, float(math.floor(corr(beta_fast)))), min(rope_dim - 1.0, float(math.ceil(corr(beta_slow))))


def _read_spec(g) -> ModelSpec:
    """The hyperparameters, from metadata (no tensor checks)."""
    try:
        arch = g.architecture
    except ValueError as e:
        raise ModelSpecError(str(e)) from None
    if arch not in SUPPORTED_ARCHITECTURES:
        raise ModelSpecError(f"unsupported model architecture {arch!r} "
                             f"(supported: {', '.join(SUPPORTED_ARCHITECTURES)})")
    if not g.tensors:
        raise ModelSpecError("the model file has no tensors")

    def need(key):
        v = g.arch_value(key)
        if v is None:
            raise ModelSpecError(f"GGUF metadata lacks {arch}.{key}")
        return v

    def integer(key, default=None):
        v = need(key) if default is None else g.arch_value(key, default)
        if isinstance(v, list):      # per-layer arrays (head counts): we need them uniform
            if len(set(v)) != 1:
                raise ModelSpecError(f"{arch}.{key} varies across layers ({v[:4]}...), which is not supported")
            v = v[0]
        if not isinstance(v, int) or isinstance(v, bool) or v < 0:
            raise ModelSpecError(f"{arch}.{key} must be a non-negative integer, got {v!r}")
        return v

    layers, hidden, ffn = integer("block_count"), integer("embedding_length"), integer("feed_forward_length")
    n_head = integer("attention.head_count")
    n_kv = integer("attention.head_count_kv", n_head)
    if not (layers and hidden and ffn and n_head and n_kv):
        raise ModelSpecError("block count, embedding length, FFN length and head counts must be positive")
    head_dim = integer("attention.key_length", hidden // n_head)
    if integer("attention.value_length", head_dim) != head_dim:
        raise ModelSpecError("value_length != key_length is not supported")
    if head_dim > MAX_HEAD_DIM or head_dim % 2 or head_dim == 0:
        raise ModelSpecError(f"head dim {head_dim} is not supported (even, at most {MAX_HEAD_DIM})")
    if n_head % n_kv:
        raise ModelSpecError(f"{n_head} query heads are not a multiple of {n_kv} kv heads")
    rope_dim = integer("rope.dimension_count", head_dim)
    if rope_dim % 2 or rope_dim > head_dim:
        raise ModelSpecError(f"rope dimension {rope_dim} must be even and at most the head dim {head_dim}")
    emb = g.tensors.get("token_embd.weight")
    if emb is None:
        raise ModelSpecError("the model has no tensor token_embd.weight")
    if len(emb.dims) != 2:
        raise ModelSpecError(f"tensor token_embd.weight has shape {tuple(emb.dims)}, expected ({hidden}, vocab)")

    softcap = g.arch_value("final_logit_softcapping")
    if softcap:
        raise ModelSpecError(f"final logit soft-capping ({softcap}) is not supported")

    n_ctx_train = integer("context_length", 2048)
    base = float(g.arch_value("rope.freq_base", 10000.0))
    scaling = g.arch_value("rope.scaling.type") or "linear"   # llama.cpp's default when absent
    factor = float(g.arch_value("rope.scaling.factor", 0.0) or 0.0)
    freq_scale = 1.0 / factor if factor and scaling != "none" else 1.0
    if scaling not in ("none", "linear", "yarn", "longrope"):
        raise ModelSpecError(f"rope scaling {scaling!r} is not supported (none, linear, yarn, longrope)")
    n_ctx_orig = integer("rope.scaling.original_context_length", n_ctx_train) or n_ctx_train

    spec = ModelSpec(
        arch=arch, layers=layers, hidden=hidden, ffn=ffn, n_head=n_head, n_kv=n_kv, head_dim=head_dim,
        vocab=int(emb.dims[1]), eps=float(need("attention.layer_norm_rms_epsilon")), n_ctx_train=n_ctx_train,
        rope_dim=rope_dim, rope_neox=arch in ("qwen2", "qwen3", "phi3", "gemma3"),
        attention_scale=1.0 / math.sqrt(head_dim), n_ctx_orig=n_ctx_orig,
        attn_factor=float(g.arch_value("rope.scaling.attn_factor", 1.0)),
    )
    if scaling == "yarn":
        spec.ext_factor = float(g.arch_value("rope.scaling.yarn_ext_factor", 1.0))
        spec.corr_dims = _yarn_corr_dims(rope_dim, n_ctx_orig, base,
                                         float(g.arch_value("rope.scaling.yarn_beta_fast", 32.0)),
                                         float(g.arch_value("rope.scaling.yarn_beta_slow", 1.0)))

    window = integer("attention.sliding_window", 0)
    spec.layer = [LayerSpec(rope_base=base, freq_scale=freq_scale) for _ in range(layers)]
    if arch == "gemma3":
        spec.qk_norm = spec.post_norms = True
        spec.embed_scale = math.sqrt(hidden)
        spec.activation = "gelu_tanh"
        if window:
            pattern = g.arch_value("attention.sliding_window_pattern", GEMMA3_SWA_PATTERN)
            if isinstance(pattern, list):
                local = [bool(x) for x in pattern][:layers]
            else:
                local = [pattern == 0 or i % pattern < pattern - 1 for i in range(layers)]
            base_swa = float(g.arch_value("rope.freq_base_swa", 10000.0))
            for L, is_local in zip(spec.layer, local):
                if is_local:
                    L.window, L.rope_base, L.freq_scale = window, base_swa, 1.0
        if layers == 62:   # llama.cpp: Gemma 3 27B scales by hidden / heads instead of the head dim
            spec.attention_scale = 1.0 / math.sqrt(hidden / n_head)
    elif arch == "llama" and window:
        # Mistral v0.1-style: every layer windowed (llama.cpp's converter does not write this key today).
        for L in spec.layer:
            L.window = window
    elif arch == "qwen3":
        spec.qk_norm = True
    elif arch == "qwen2":
        spec.qkv_bias = "blk.0.attn_q.bias" in g.tensors
    elif arch == "phi3":
        spec.fused_qkv = "blk.0.attn_qkv.weight" in g.tensors
        spec.fused_gate_up = "blk.0.ffn_gate.weight" not in g.tensors
        # llama.cpp disables Phi-3's sliding window (its attention.sliding_window is ignored): so do we.
    elif arch == "smollm3":
        for i, L in enumerate(spec.layer):
            L.rope = (i + 1) % SMOLLM3_NO_ROPE_EVERY != 0
    if "rope_freqs.weight" in g.tensors:
        spec.rope_freqs = "rope_freqs.weight"
    if "rope_factors_long.weight" in g.tensors or "rope_factors_short.weight" in g.tensors:
        spec.rope_factors_long = "rope_factors_long.weight"
        spec.rope_factors_short = "rope_factors_short.weight"
    if arch != "phi3" and "blk.0.attn_qkv.weight" in g.tensors:
        spec.fused_qkv = True
    spec.output = "output.weight" if "output.weight" in g.tensors else "token_embd.weight"
    return spec


def _matrix(g, name: str, k: int, n: int, types) -> None:
    """Tensor `name` must be an [n, k] matrix (GGUF dims (k, n)) of a type in `types`."""
    t = g.tensors.get(name)
    if t is None:
        raise ModelSpecError(f"the model has no tensor {name}")
    if t.type_name not in types:
        raise ModelSpecError(f"tensor {name} has type {t.type_name}, which is not supported "
                             f"(supported: {', '.join(types)})")
    if tuple(t.dims[:2]) != (k, n) or any(d != 1 for d in t.dims[2:]):
        raise ModelSpecError(f"tensor {name} has shape {tuple(t.dims)}, expected ({k}, {n})")
    if k % ROW_MULTIPLE:
        raise ModelSpecError(f"tensor {name}: row length {k} is not a multiple of {ROW_MULTIPLE}")


def _vector(g, name: str, n: int) -> None:
    t = g.tensors.get(name)
    if t is None:
        raise ModelSpecError(f"the model has no tensor {name}")
    if t.type_name != "F32" or t.n_elements != n or t.dims[0] != n:
        raise ModelSpecError(f"tensor {name}: expected {n} F32 values, got {t.type_name} {tuple(t.dims)}")


def check_model(g, types) -> ModelSpec:
    """The ModelSpec of GGUF file `g` (precis.gguf.GGUFFile, header only is enough), after checking every
    tensor the forward pass reads: present, of its exact shape, matrices of a type in `types`, norms and
    rope factors F32. Raises ModelSpecError with a one-line reason."""
    s = _read_spec(g)
    H, D, F, NQ, NKV = s.hidden, s.head_dim, s.ffn, s.n_head, s.n_kv
    _matrix(g, "token_embd.weight", H, s.vocab, types)
    _matrix(g, s.output, H, s.vocab, types)
    _vector(g, "output_norm.weight", H)
    for name in (s.rope_freqs, s.rope_factors_long, s.rope_factors_short):
        if name:
            _vector(g, name, s.rope_dim // 2)
    for i in range(s.layers):
        p = f"blk.{i}."
        _vector(g, p + "attn_norm.weight", H)
        _vector(g, p + "ffn_norm.weight", H)
        if s.fused_qkv:
            _matrix(g, p + "attn_qkv.weight", H, (NQ + 2 * NKV) * D, types)
        else:
            _matrix(g, p + "attn_q.weight", H, NQ * D, types)
            _matrix(g, p + "attn_k.weight", H, NKV * D, types)
            _matrix(g, p + "attn_v.weight", H, NKV * D, types)
        for name, n in zip(s.bias_tensors(i), (NQ * D, NKV * D, NKV * D)):
            _vector(g, name, n)
        if not s.qkv_bias and any(p + b in g.tensors for b in ("attn_q.bias", "attn_k.bias", "attn_v.bias",
                                                                "attn_qkv.bias", "attn_output.bias")):
            raise ModelSpecError(f"layer {i}: attention biases are not supported for {s.arch}")
        _matrix(g, p + "attn_output.weight", NQ * D, H, types)
        if s.fused_gate_up:
            _matrix(g, p + "ffn_up.weight", H, 2 * F, types)
        else:
            _matrix(g, p + "ffn_gate.weight", H, F, types)
            _matrix(g, p + "ffn_up.weight", H, F, types)
        _matrix(g, p + "ffn_down.weight", F, H, types)
        if s.qk_norm:
            _vector(g, p + "attn_q_norm.weight", D)
            _vector(g, p + "attn_k_norm.weight", D)
        if s.post_norms:
            _vector(g, p + "post_attention_norm.weight", H)
            _vector(g, p + "post_ffw_norm.weight", H)
    return s
