// rope_kv.wgsl — per head and token: optional q/k/v bias, optional QK RMSNorm, rotary position embedding,
// KV-cache append. Fuses what follows the Q/K/V projections: q heads get their bias (QKV_BIAS), are
// normalized (QK_NORM) and rotated in place; k heads likewise, then are written to the K cache at position
// pos + t; v heads (plus bias) are copied to the V cache. Position of token t = step.pos + t.
// Rotation of pair i (0 <= i < ROPE_DIM / 2; dims past ROPE_DIM are left as they are: partial rotary,
// ROPE_DIM = 0: no rotary embedding), as ggml's rope_yarn (see py/precis/model_spec.py):
//   theta_extrap = p * THETA^(-2i / ROPE_DIM) / factor[i]    (factor from binding 7 when FREQ_FACTORS, else 1)
//   theta = FREQ_SCALE * theta_extrap, blended toward theta_extrap by YaRN's ramp over pairs
//           [CORR_LOW, CORR_HIGH] times EXT_FACTOR (0: no YaRN); (cos, sin) scaled by MSCALE
//   NEOX = false (llama GGUF): pairs are adjacent (2i, 2i + 1)
//   NEOX = true  (qwen, phi3, gemma): pairs are halves (i, i + ROPE_DIM/2)
//
// Bindings (group 0):
//   0 step  uniform Step {pos, n_tokens, kv_len, _}
//   1 QKV   storage rw    array<f32>: [max_tokens, QKV_STRIDE], row = q (NQ*HD) | k (NKV*HD) | v (NKV*HD);
//                                     q is rotated in place, k and v are only read
//   2 qn    storage read  array<f32>: [HD] q norm weight (read only when QK_NORM)
//   3 kn    storage read  array<f32>: [HD] k norm weight (read only when QK_NORM)
//   4 Kc    storage rw    array<kv_t>: [context, NKV * HD] this layer's K cache
//   5 Vc    storage rw    array<kv_t>: [context, NKV * HD] this layer's V cache
//   6 bias  storage read  array<f32>: [NQ*HD + 2*NKV*HD] q | k | v biases (read only when QKV_BIAS)
//   7 ff    storage read  array<f32>: [ROPE_DIM / 2] frequency factors (read only when FREQ_FACTORS)
//   kv_t is f32 or f16: prepend kv_f32.wgsl or kv_f16.wgsl.
// Dispatch: (NQ + NKV, max_tokens, 1): x < NQ is a q head, x >= NQ is kv head x - NQ. 64 threads; HD <= 256.

struct Step { pos: u32, n_tokens: u32, kv_len: u32, pad: u32 }

override HD: u32;
override NQ: u32;
override NKV: u32;
override THETA: f32;
override NEOX: bool;
override QK_NORM: bool = false;
override EPS: f32 = 1e-6;
override QKV_STRIDE: u32 = (NQ + 2u * NKV) * HD;
override ROPE_DIM: u32 = HD;
override QKV_BIAS: bool = false;
override FREQ_FACTORS: bool = false;
override FREQ_SCALE: f32 = 1.0;
override EXT_FACTOR: f32 = 0.0;
override CORR_LOW: f32 = 0.0;
override CORR_HIGH: f32 = 0.0;
override MSCALE: f32 = 1.0;

@group(0) @binding(0) var<uniform> step: Step;
@group(0) @binding(1) var<storage, read_write> QKV: array<f32>;
@group(0) @binding(2) var<storage, read> qn: array<f32>;
@group(0) @binding(3) var<storage, read> kn: array<f32>;
@group(0) @binding(4) var<storage, read_write> Kc: array<kv_t>;
@group(0) @binding(5) var<storage, read_write> Vc: array<kv_t>;
@group(0) @binding(6) var<storage, read> bias: array<f32>;
@group(0) @binding(7) var<storage, read> ff: array<f32>;

var<workgroup> hv: array<f32, 256>;   // the head vector being rotated [HD]
var<workgroup> red: array<f32, 64>;

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32) {
    let t = wg.y;
    if (t >= step.n_tokens) {
        return;
    }
    let is_q = wg.x < NQ;
    let head = select(wg.x - NQ, wg.x, is_q);
    let p = step.pos + t;
    let kv_row = p * NKV * HD + head * HD;
    let q_at = t * QKV_STRIDE + head * HD;                    // this q head in QKV
    let k_at = t * QKV_STRIDE + (NQ + head) * HD;             // this kv head's k in QKV
    let v_at = t * QKV_STRIDE + (NQ + NKV + head) * HD;       // and its v
    // Load the head (with its bias), and copy V (plus bias) straight to its cache.
    let q_col = head * HD;                                    // columns of this head in a QKV row
    let k_col = (NQ + head) * HD;
    let v_col = (NQ + NKV + head) * HD;
    var ss = 0.0;
    for (var i = li; i < HD; i += 64u) {
        var v: f32;
        if (is_q) {
            v = QKV[q_at + i];
            if (QKV_BIAS) {
                v += bias[q_col + i];
            }
        } else {
            v = QKV[k_at + i];
            var vv = QKV[v_at + i];
            if (QKV_BIAS) {
                v += bias[k_col + i];
                vv += bias[v_col + i];
            }
            Vc[kv_row + i] = kv_t(vv);
        }
        hv[i] = v;
        ss += v * v;
    }
    red[li] = ss;
    workgroupBarrier();
    for (var s = 32u; s > 0u; s >>= 1u) {
        if (li < s) {
            red[li] += red[li + s];
        }
        workgroupBarrier();
    }
    var inv = 1.0;
    if (QK_NORM) {
        inv = inverseSqrt(red[0] / f32(HD) + EPS);
    }
    // Normalize (and weight) every dim in place; each thread touches only its own dims here.
    for (var i = li; i < HD; i += 64u) {
        var w = 1.0;
        if (QK_NORM) {
            w = select(kn[i], qn[i], is_q);
        }
        hv[i] = hv[i] * inv * w;
    }
    workgroupBarrier();
    // Rotate the first ROPE_DIM dims by pairs; the rest pass through.
    let half = ROPE_DIM / 2u;
    for (var i = li; i < half; i += 64u) {
        var ia = 2u * i;
        var ib = 2u * i + 1u;
        if (NEOX) {
            ia = i;
            ib = i + half;
        }
        let a = hv[ia];
        let b = hv[ib];
        var extrap = f32(p) * exp2(-f32(2u * i) / f32(ROPE_DIM) * log2(THETA));
        if (FREQ_FACTORS) {
            extrap /= ff[i];
        }
        var angle = FREQ_SCALE * extrap;
        if (EXT_FACTOR != 0.0) {
            let ramp = 1.0 - clamp((f32(i) - CORR_LOW) / max(0.001, CORR_HIGH - CORR_LOW), 0.0, 1.0);
            let mix = ramp * EXT_FACTOR;
            angle = angle * (1.0 - mix) + extrap * mix;
        }
        let c = cos(angle) * MSCALE;
        let sn = sin(angle) * MSCALE;
        let ra = a * c - b * sn;
        let rb = a * sn + b * c;
        if (is_q) {
            QKV[q_at + ia] = ra;
            QKV[q_at + ib] = rb;
        } else {
            Kc[kv_row + ia] = kv_t(ra);
            Kc[kv_row + ib] = kv_t(rb);
        }
    }
    for (var i = ROPE_DIM + li; i < HD; i += 64u) {
        if (is_q) {
            QKV[q_at + i] = hv[i];
        } else {
            Kc[kv_row + i] = kv_t(hv[i]);
        }
    }
}
