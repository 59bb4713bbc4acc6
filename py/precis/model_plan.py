"""Builds the GPU Plan (precis.plan) of a GGUF model of any family precis.model_spec describes (llama incl.
Llama 3 and Mistral, qwen2, qwen3, phi3, gemma3, smollm3). Pure stdlib (runs in Pyodide).

    spec = check_model(gguf)        # THE check: ModelSpec, or ModelSpecError (a PlanError) in one line
    plan = build_plan(gguf, chunk=32, context=2048, max_binding=128 << 20)

Everything is checked before anything is allocated (check_model, then the plan's own limits): an
unsupported architecture, tensor type or shape raises PlanError naming it. A family's differences are
data in the ModelSpec reaching one kernel option each: q/k/v biases, q/k norms, frequency factors,
partial rotary, YaRN / linear scaling and layers without RoPE in rope_kv.wgsl; windows in attention.wgsl;
fused attn_qkv (one matmul) and fused gate|up in ffn_up (the gated matmul) through the existing matmuls. Weights are bound as stored in the file (no repacking); a tensor larger
than `max_binding` (the adapter's maxStorageBufferBindingSize) is split into row shards.

Per layer (T = tokens in the step, H = hidden, D = head dim, NQ / NKV = query / kv heads, F = FFN width):
  xn = rmsnorm(x) * attn_norm                           rmsnorm.wgsl            xn [T, H]
  qkv = (Wq | Wk | Wv) xn                               matmul.wgsl (prefill on GPUs: matmul_tiled.wgsl)
                                                        one dispatch when the 3 tensors share a type, else 3
                                                        qkv [T, NQ*D + 2*NKV*D], row = q | k | v
  q, K[pos..], V[pos..] = rope(qknorm(q, k + bias)), v   rope_kv.wgsl            caches [context, NKV*D]
                                                        (kv_f32.wgsl; f16 caches with kv_f16.wgsl)
  a = attention(q, K, V)                                attention.wgsl          a [T, NQ*D]
                                                        (decode: split-K over 8 slices + attention_combine.wgsl)
  llama:  x += Wo a                                     matmul.wgsl (epilogue 1: residual add)
  gemma3: x += rmsnorm(Wo a) * post_attention_norm      matmul.wgsl + rmsnorm_add.wgsl, which also computes
  xn = rmsnorm(x) * ffn_norm                            the next norm (llama: rmsnorm.wgsl)
  u = act(Wg xn) * (Wu xn)                              matmul.wgsl GATED: gate and up rows in one buffer, one
                                                        dispatch (act: SiLU, gemma3 GELU-tanh); else 2 dispatches
  llama:  x += Wd u;   gemma3: x += rmsnorm(Wd u) * post_ffw_norm (+ next layer's attn_norm / output norm)
Then: last = rmsnorm(x[n_tokens - 1]) * output_norm; logits = W_out last (tied to token_embd when the file
has no output.weight); top-64 on the GPU (topk.wgsl, topk_merge.wgsl).
"""

from __future__ import annotations

import math

from precis import model_spec
from precis.model_spec import ModelSpec, ModelSpecError
from precis.plan import STEP_BYTES, TOPK, Plan, PlanBuilder, PlanError, StepList

# ggml type name -> dequantizer kernel (each defines QK, BLOCK_BYTES, dequant8).
QUANT_KERNELS = {
    "F32": "quant_f32.wgsl", "F16": "quant_f16.wgsl", "BF16": "quant_bf16.wgsl",
    "Q4_0": "quant_q4_0.wgsl", "Q4_1": "quant_q4_1.wgsl", "Q5_0": "quant_q5_0.wgsl", "Q5_1": "quant_q5_1.wgsl",
    "Q8_0": "quant_q8_0.wgsl", "Q2_K": "quant_q2_k.wgsl", "Q3_K": "quant_q3_k.wgsl", "Q4_K": "quant_q4_k.wgsl",
    "Q5_K": "quant_q5_k.wgsl", "Q6_K": "quant_q6_k.wgsl", "IQ4_NL": "quant_iq4_nl.wgsl", "IQ4_XS": "quant_iq4_xs.wgsl",
}
DEFAULT_MAX_BINDING = 128 << 20     # WebGPU's default maxStorageBufferBindingSize
MATMUL_ROWS = 4                     # output rows per matmul workgroup
PREFILL_TT = 8                      # tokens per matmul.wgsl workgroup in prefill (when K % 32 != 0)
ROWWISE_ROWS = 64                   # matmul_rowwise.wgsl: output rows per workgroup (one per invocation)
TILED_K = 32                        # matmul_tiled.wgsl: 32 rows x 32 tokens per workgroup, K in slices of 32
ATTN_SPLITS = 8                     # decode attention: key slices per head (attention.wgsl split-K + combine)
TOPK_SLICE = 4096                   # logits per topk.wgsl workgroup


def matmul_sources(type_name: str, kernel: str) -> list:
    """A matmul pipeline's WGSL: byte readers, the weight type's dequantizer, the shared output
    step, then the kernel itself (last, as plans and tests look for it there)."""
    return ["bytes.wgsl", QUANT_KERNELS[type_name], "matmul_epilogue.wgsl", kernel]

def check_model(g, context: int | None = None) -> ModelSpec:
    """THE check that the GPU plan can run GGUF file `g` (header only is enough): architecture, metadata,
    every tensor's presence, shape and type (the kernels' types, QUANT_KERNELS). Returns the ModelSpec, or
    raises ModelSpecError (a PlanError) with a one-line reason. The reference model and `precis inspect` run
    the same precis.model_spec.check_model; the engine and the panel's model picker call this one."""
    spec = model_spec.check_model(g, QUANT_KERNELS)
    if math.ceil(spec.vocab / TOPK_SLICE) * TOPK > 4096:
        raise ModelSpecError(f"vocabulary of {spec.vocab} is too large for the top-k kernels (at most 262144)")
    return spec


def _row_shards(t, max_binding: int):
    """[(first_row, n_rows, file_offset, nbytes)] splitting matrix t into pieces of at most max_binding bytes
    (and at most 65535 matmul workgroups of MATMUL_ROWS rows)."""
    rows = t.dims[1]
    row_bytes = t.nbytes // rows
    per = max(1, min(rows, max_binding // row_bytes, 65535 * MATMUL_ROWS))
    return [(r, min(per, rows - r), t.offset + r * row_bytes, min(per, rows - r) * row_bytes)
            for r in range(0, rows, per)]


class _ModelPlanner:
    def __init__(self, g, chunk: int, context: int, max_binding: int, tiled_prefill: bool,
                 rowwise_matmul: bool = False, features=()):
        self.g = g
        self.tiled_prefill = tiled_prefill
        self.rowwise_matmul = rowwise_matmul
        # Variants picked from the adapter's WebGPU features (none: the f32 plan, portable everywhere).
        self.subgroup_matmul = "subgroups" in features and not rowwise_matmul
        # "shader-f16": the KV cache is stored as f16 (kv_f16.wgsl), halving its memory and bandwidth.
        self.kv_f16 = "shader-f16" in features
        self.kv_sources = ["kv_f16.wgsl"] if self.kv_f16 else ["kv_f32.wgsl"]
        self.kv_enables = ("f16",) if self.kv_f16 else ()
        self.kv_elem_bytes = 2 if self.kv_f16 else 4
        self.c = check_model(g)
        self.chunk = chunk
        self.context = context
        self.max_binding = max_binding
        self.b = PlanBuilder()
        self.out_name = self.c.output
        self.qkv_width = (self.c.n_head + 2 * self.c.n_kv) * self.c.head_dim   # qkv row: q | k | v
        self.rope_factors = self.c.rope_factors(context)    # Llama 3 / LongRoPE factor tensor, or None

    # -- validation: everything before the first buffer -----------------------------------------
    def check(self):
        """What this plan adds to check_model (run in __init__): chunk, context and the KV binding size."""
        c = self.c
        if not 1 <= self.chunk <= 256:
            raise PlanError(f"prefill chunk {self.chunk} outside 1..256")
        if self.context < 1:
            raise PlanError(f"context {self.context} must be positive")
        kv_bytes = self.context * c.n_kv * c.head_dim * self.kv_elem_bytes
        if kv_bytes > self.max_binding:
            raise PlanError(f"context {self.context}: one layer's KV cache ({kv_bytes} bytes) exceeds the "
                            f"binding limit {self.max_binding}")

    # -- buffers ------------------------------------------------------------------------------------
    def weight(self, name: str, shard=None) -> str:
        t = self.g.tensors[name]
        if shard is None:
            if t.nbytes > self.max_binding:
                raise PlanError(f"tensor {name} ({t.nbytes} bytes) exceeds the binding limit {self.max_binding}")
            self.b.buffer(name, t.nbytes, "weight", tensor=name, file_offset=t.offset, nbytes=t.nbytes)
            return name
        first, n_rows, off, nbytes = shard
        bname = name if n_rows == t.dims[1] else f"{name}[{first}:{first + n_rows}]"
        self.b.buffer(bname, nbytes, "weight", tensor=name, file_offset=off, nbytes=nbytes)
        return bname

    def fused_weight(self, bname: str, names: list) -> str | None:
        """One buffer holding tensors `names` back to back (same type and row length), or None when they
        differ or the result would exceed the binding limit."""
        ts = [self.g.tensors[n] for n in names]
        if len({(t.type_name, t.dims[0]) for t in ts}) != 1 or sum(t.nbytes for t in ts) > self.max_binding:
            return None
        self.b.buffer(bname, sum(t.nbytes for t in ts), "weight", tensor="+".join(names),
                      parts=[[t.name, t.offset, t.nbytes] for t in ts])
        return bname

    def make_buffers(self):
        c, T, b = self.c, self.chunk, self.b
        H, D = c.hidden, c.head_dim
        b.buffer("step", STEP_BYTES, "io", usage="uniform")
        b.buffer("tokens", T * 4, "io")
        b.buffer("topk", TOPK * 8, "io")
        b.buffer("logits", c.vocab * 4, "io")
        f32 = 4
        for name, n in [("x", T * H), ("xn", T * H), ("sub", T * H), ("qkv", T * self.qkv_width),
                        ("attn", T * c.n_head * D),
                        ("gate", T * c.ffn), ("up", T * c.ffn), ("last", H),
                        ("attn_partials", c.n_head * ATTN_SPLITS * (D + 2)),
                        ("candidates", math.ceil(c.vocab / TOPK_SLICE) * TOPK * 2), ("unused", 4)]:
            b.buffer(name, n * f32, "activation")
        for i in range(c.layers):
            b.buffer(f"kv.{i}.k", self.context * c.n_kv * D * self.kv_elem_bytes, "kv")
            b.buffer(f"kv.{i}.v", self.context * c.n_kv * D * self.kv_elem_bytes, "kv")

    # -- dispatch helpers ---------------------------------------------------------------------------
    def rope_constants(self, i: int) -> dict:
        """rope_kv.wgsl's constants for layer i: the family's options, each only when it is not the default
        (so plans of families without it stay as they were)."""
        c, L = self.c, self.c.layer[i]
        k = {"HD": c.head_dim, "NQ": c.n_head, "NKV": c.n_kv, "THETA": L.rope_base, "NEOX": c.rope_neox,
             "QK_NORM": c.qk_norm, "EPS": c.eps, "QKV_STRIDE": self.qkv_width}
        rope_dim = c.rope_dim if L.rope else 0
        extra = {"ROPE_DIM": (rope_dim, c.head_dim), "QKV_BIAS": (c.qkv_bias, False),
                 "FREQ_FACTORS": (bool(self.rope_factors), False), "FREQ_SCALE": (L.freq_scale, 1.0),
                 "EXT_FACTOR": (c.ext_factor, 0.0), "MSCALE": (c.yarn_mscale(i), 1.0)}
        if c.ext_factor:
            extra["CORR_LOW"], extra["CORR_HIGH"] = (c.corr_dims[0], 0.0), (c.corr_dims[1], 0.0)
        k.update({name: v for name, (v, default) in extra.items() if v != default})
        return k

    def matmul(self, name, x, y, k, n, tokens_tt, epilogue=0, gate="unused", y_stride=None, y_offset=0,
               fixed_tokens=0, weight_buffer=None, label=None, gated=False, w_row_offset=0):
        """Y (op)= W X for tensor `name` (or the rows of `weight_buffer` from w_row_offset on).
        gated: weight_buffer holds gate rows then up rows; Y = act(gate) * up in one dispatch."""
        t = self.g.tensors[name]
        tt, max_tokens = tokens_tt
        y_stride = n if y_stride is None else y_stride
        wb = weight_buffer or self.weight(name)
        if self.tiled_prefill and max_tokens > 1 and k % TILED_K == 0 and not fixed_tokens and not gated:
            # Prefill: 32x32 tiles dequantized once into workgroup memory.
            pipe = self.b.pipeline(matmul_sources(t.type_name, "matmul_tiled.wgsl"),
                                   {"K": k, "N": n, "EPILOGUE": epilogue, "Y_STRIDE": y_stride,
                                    "Y_OFFSET": y_offset, "W_ROW_OFFSET": w_row_offset})
            self.b.dispatch(pipe, ["step", wb, x, y, gate],
                            (math.ceil(n / TILED_K), math.ceil(max_tokens / TILED_K)), label or name)
            return
        assert w_row_offset == 0, "matmul.wgsl reads W from row 0"
        # CPU adapters: one invocation per output row, no barriers (matmul_rowwise.wgsl, same constants).
        # Adapters with subgroups: the same matmul reduced with subgroupAdd (matmul_subgroup.wgsl).
        kernel, enables = "matmul.wgsl", ()
        if self.rowwise_matmul:
            kernel = "matmul_rowwise.wgsl"
        elif self.subgroup_matmul:
            kernel, enables = "matmul_subgroup.wgsl", ("subgroups",)
        pipe = self.b.pipeline(
            matmul_sources(t.type_name, kernel),
            {"K": k, "N": n, "ROWS": MATMUL_ROWS, "TT": tt, "EPILOGUE": epilogue, "Y_STRIDE": y_stride,
             "Y_OFFSET": y_offset, "FIXED_TOKENS": fixed_tokens, "GATED": gated}, enables=enables)
        rows_per_group = MATMUL_ROWS // 2 if gated else MATMUL_ROWS
        if self.rowwise_matmul:
            rows_per_group = ROWWISE_ROWS
        self.b.dispatch(pipe, ["step", wb, x, y, gate],
                        (math.ceil(n / rows_per_group), math.ceil(max_tokens / tt)), label or name)

    def qkv_projection(self, i: int, tt):
        """qkv [T, q | k | v] = (Wq | Wk | Wv) xn: one dispatch when the file fuses them (attn_qkv) or the
        three share a type, else three."""
        c, H, D = self.c, self.c.hidden, self.c.head_dim
        p = f"blk.{i}."
        names = c.qkv_tensors(i)
        if len(names) == 1:
            self.matmul(names[0], "xn", "qkv", H, self.qkv_width, tt, label=p + "attn_qkv")
            return
        fused = self.fused_weight(p + "attn_qkv", names)
        if fused:
            self.matmul(names[0], "xn", "qkv", H, self.qkv_width, tt, weight_buffer=fused, label=p + "attn_qkv")
            return
        offset = 0
        for name, n in zip(names, (c.n_head * D, c.n_kv * D, c.n_kv * D)):
            self.matmul(name, "xn", "qkv", H, n, tt, y_stride=self.qkv_width, y_offset=offset)
            offset += n

    def qkv_bias(self, i: int) -> str:
        """One buffer of layer i's q | k | v biases (qwen2), read by rope_kv.wgsl; "unused" without biases."""
        names = self.c.bias_tensors(i)
        if not names:
            return "unused"
        ts = [self.g.tensors[n] for n in names]
        bname = f"blk.{i}.attn_qkv_bias"
        self.b.buffer(bname, sum(t.nbytes for t in ts), "weight", tensor="+".join(names),
                      parts=[[t.name, t.offset, t.nbytes] for t in ts])
        return bname

    def gate_up(self, i: int, tt, max_tokens):
        """up [T, F] = act(Wg xn) * (Wu xn): one fused dispatch in decode (and per-row prefill) when the file
        fuses gate|up (phi3's ffn_up) or gate and up share a type; the tiled prefill kernel runs gate then up
        (reading the same fused buffer)."""
        c, H, F = self.c, self.c.hidden, self.c.ffn
        act = 3 if c.activation == "gelu_tanh" else 2
        p = f"blk.{i}."
        names = c.gate_up_tensors(i)
        if len(names) == 1:
            g_name = u_name = names[0]
            fused = self.weight(names[0])
        else:
            g_name, u_name = names
            fused = self.fused_weight(p + "ffn_gate_up", names)
        if fused is None:
            self.matmul(g_name, "xn", "gate", H, F, tt)
            self.matmul(u_name, "xn", "up", H, F, tt, epilogue=act, gate="gate")
        elif self.tiled_prefill and max_tokens > 1 and H % TILED_K == 0:
            self.matmul(g_name, "xn", "gate", H, F, tt, weight_buffer=fused, label=p + "ffn_gate")
            self.matmul(u_name, "xn", "up", H, F, tt, epilogue=act, gate="gate", weight_buffer=fused,
                        w_row_offset=F, label=p + "ffn_up")
        else:
            self.matmul(g_name, "xn", "up", H, F, tt, epilogue=act, weight_buffer=fused, gated=True,
                        label=p + "ffn_gate_up")

    def rmsnorm(self, x, w, y, n_rows, last_only=False, label=""):
        pipe = self.b.pipeline(["rmsnorm.wgsl"], {"N": self.c.hidden, "EPS": self.c.eps, "LAST_ONLY": last_only})
        self.b.dispatch(pipe, ["step", x, self.weight(w), y], (1 if last_only else n_rows,), label or w)

    def rmsnorm_add(self, r, w, x, n_rows, next_w, y, last_only=False):
        """x += rmsnorm(r) * w, then y = rmsnorm(x) * next_w (the next sublayer's norm), in one dispatch."""
        pipe = self.b.pipeline(["rmsnorm_add.wgsl"], {"N": self.c.hidden, "EPS": self.c.eps,
                                                      "NEXT_NORM": True, "LAST_ONLY": last_only})
        self.b.dispatch(pipe, ["step", r, self.weight(w), x, self.weight(next_w), y], (n_rows,), w)

    # -- the forward pass for steps of up to `max_tokens` tokens ------------------------------------
    def emit_step(self, max_tokens: int) -> StepList:
        c, b = self.c, self.b
        H, D, F = c.hidden, c.head_dim, c.ffn
        b.current = StepList(max_tokens)
        tt = (1 if max_tokens == 1 else min(PREFILL_TT, max_tokens), max_tokens)

        emb = self.g.tensors["token_embd.weight"]
        scale = c.embed_scale
        for shard in _row_shards(emb, self.max_binding):
            pipe = b.pipeline(["bytes.wgsl", QUANT_KERNELS[emb.type_name], "embed.wgsl"],
                              {"HIDDEN": H, "ROW_START": shard[0], "ROW_COUNT": shard[1], "SCALE": scale})
            b.dispatch(pipe, ["step", "tokens", self.weight("token_embd.weight", shard), "x"],
                       (math.ceil(H / 8 / 64), max_tokens), "token_embd")

        for i in range(c.layers):
            p = f"blk.{i}."
            last_layer = i == c.layers - 1
            if not c.post_norms or i == 0:   # gemma3: the previous layer's rmsnorm_add produced xn
                self.rmsnorm("x", p + "attn_norm.weight", "xn", max_tokens)
            self.qkv_projection(i, tt)
            rope = b.pipeline(self.kv_sources + ["rope_kv.wgsl"], enables=self.kv_enables,
                              constants=self.rope_constants(i))
            qn = self.weight(p + "attn_q_norm.weight") if c.qk_norm else "unused"
            kn = self.weight(p + "attn_k_norm.weight") if c.qk_norm else "unused"
            factors = self.weight(self.rope_factors) if self.rope_factors else "unused"
            b.dispatch(rope, ["step", "qkv", qn, kn, f"kv.{i}.k", f"kv.{i}.v", self.qkv_bias(i), factors],
                       (c.n_head + c.n_kv, max_tokens), p + "rope_kv")
            attn_consts = {"HD": D, "NQ": c.n_head, "NKV": c.n_kv, "SCALE": c.attention_scale,
                           "WINDOW": c.layer[i].window, "Q_STRIDE": self.qkv_width}
            if max_tokens == 1:
                # Decode: split the keys over ATTN_SPLITS workgroups per head, then merge.
                attn = b.pipeline(self.kv_sources + ["attention.wgsl"], dict(attn_consts, SPLITS=ATTN_SPLITS),
                                  enables=self.kv_enables)
                b.dispatch(attn, ["step", "qkv", f"kv.{i}.k", f"kv.{i}.v", "attn_partials"],
                           (c.n_head, ATTN_SPLITS), p + "attention")
                combine = b.pipeline(["attention_combine.wgsl"], {"HD": D, "SPLITS": ATTN_SPLITS})
                b.dispatch(combine, ["attn_partials", "attn"], (c.n_head,), p + "attention_combine")
            else:
                attn = b.pipeline(self.kv_sources + ["attention.wgsl"], attn_consts, enables=self.kv_enables)
                b.dispatch(attn, ["step", "qkv", f"kv.{i}.k", f"kv.{i}.v", "attn"], (c.n_head, max_tokens),
                           p + "attention")
            if c.post_norms:
                self.matmul(p + "attn_output.weight", "attn", "sub", c.n_head * D, H, tt)
                self.rmsnorm_add("sub", p + "post_attention_norm.weight", "x", max_tokens,
                                 p + "ffn_norm.weight", "xn")
            else:
                self.matmul(p + "attn_output.weight", "attn", "x", c.n_head * D, H, tt, epilogue=1)
                self.rmsnorm("x", p + "ffn_norm.weight", "xn", max_tokens)
            self.gate_up(i, tt, max_tokens)
            if c.post_norms:
                self.matmul(p + "ffn_down.weight", "up", "sub", F, H, tt)
                if last_layer:
                    self.rmsnorm_add("sub", p + "post_ffw_norm.weight", "x", max_tokens,
                                     "output_norm.weight", "last", last_only=True)
                else:
                    self.rmsnorm_add("sub", p + "post_ffw_norm.weight", "x", max_tokens,
                                     f"blk.{i + 1}.attn_norm.weight", "xn")
            else:
                self.matmul(p + "ffn_down.weight", "up", "x", F, H, tt, epilogue=1)

        if not c.post_norms:   # gemma3: fused into the last layer's rmsnorm_add
            self.rmsnorm("x", "output_norm.weight", "last", 1, last_only=True)
        out = self.g.tensors[self.out_name]
        for shard in _row_shards(out, self.max_binding):
            self.matmul(self.out_name, "last", "logits", H, shard[1], (1, 1), y_stride=c.vocab,
                        y_offset=shard[0], fixed_tokens=1, weight_buffer=self.weight(self.out_name, shard),
                        label="output")
        n_slices = math.ceil(c.vocab / TOPK_SLICE)
        part = b.pipeline(["topk.wgsl"], {"N": c.vocab, "SLICE": TOPK_SLICE})
        b.dispatch(part, ["logits", "candidates"], (n_slices,), "topk")
        merge = b.pipeline(["topk_merge.wgsl"], {"N_IN": n_slices * TOPK})
        b.dispatch(merge, ["candidates", "topk"], (1,), "topk_merge")
        return b.current

    def build(self) -> Plan:
        self.check()
        self.make_buffers()
        steps = {"decode": self.emit_step(1), "prefill": self.emit_step(self.chunk)}
        c = self.c
        model = {"architecture": c.arch, "vocab": c.vocab, "hidden": c.hidden, "layers": c.layers,
                 "heads": c.n_head, "kv_heads": c.n_kv, "head_dim": c.head_dim, "ffn": c.ffn,
                 "context": self.context, "chunk": self.chunk, "max_binding": self.max_binding,
                 "tiled_prefill": self.tiled_prefill, "rowwise_matmul": self.rowwise_matmul}
        io = {name: self.b.index(name) for name in ("step", "tokens", "topk", "logits")}
        plan = Plan(model=model, buffers=self.b.buffers, pipelines=self.b.pipelines, io=io, steps=steps)
        if plan.required_features():   # absent from f32 plans, which stay as they were
            model["features"] = plan.required_features()
        return plan


def build_plan(g, *, chunk: int = 32, context: int | None = None, max_binding: int = DEFAULT_MAX_BINDING,
               tiled_prefill: bool = True, rowwise_matmul: bool = False, features=()) -> Plan:
    """The Plan for GGUF file `g` (precis.gguf.GGUFFile). `context`: KV-cache positions (default: the
    model's training context, at most 4096). `max_binding`: the adapter's maxStorageBufferBindingSize.
    `tiled_prefill`: prefill matmuls use matmul_tiled.wgsl (workgroup-memory tiles, for GPUs); False keeps
    matmul.wgsl with 8 tokens per workgroup, which CPU adapters (lavapipe, SwiftShader) run faster.
    `rowwise_matmul`: the non-tiled matmuls use matmul_rowwise.wgsl (one invocation per output row, no
    workgroup barriers), the fast choice on CPU adapters.
    `features`: the adapter's WebGPU feature names (e.g. adapter.features); they pick kernel variants:
    "subgroups" -> the per-row matmuls (decode, and prefill when not tiled) use matmul_subgroup.wgsl
    (unless rowwise_matmul); "shader-f16" -> the KV cache is f16 (kv_f16.wgsl before rope_kv.wgsl and
    attention.wgsl, "enables": ["f16"]). Empty (the default): the f32 plan with no optional feature, unchanged."""
    if context is None:
        context = min(4096, check_model(g).n_ctx_train)
    features = [str(f) for f in (features or ())]
    return _ModelPlanner(g, chunk, context, max_binding, tiled_prefill, rowwise_matmul, features).build()
