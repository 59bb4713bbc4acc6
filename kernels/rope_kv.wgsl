// rope_kv.wgsl — per head and token: optional QK RMSNorm, rotary position embedding, KV-cache append.
// Fuses what follows the Q/K/V projections: q heads are normalized (QK_NORM) and rotated in place;
// k heads are normalized, rotated and written to the K cache at position pos + t; v heads are copied
// to the V cache. Position of token t = step.pos + t.
// Rotation of pair (a, b) by angle p * THETA^(-2i / HD), i = pair index:
//   NEOX = false (llama GGUF): pairs are adjacent (2i, 2i + 1)
//   NEOX = true  (gemma, qwen2): pairs are halves (i, i + HD/2)
//
// Bindings (group 0):
//   0 step  uniform Step {pos, n_tokens, kv_len, _}
//   1 QKV   storage rw    array<f32>: [max_tokens, QKV_STRIDE], row = q (NQ*HD) | k (NKV*HD) | v (NKV*HD);
//                                     q is rotated in place, k and v are only read
//   2 qn    storage read  array<f32>: [HD] q norm weight (read only when QK_NORM)
//   3 kn    storage read  array<f32>: [HD] k norm weight (read only when QK_NORM)
//   4 Kc    storage rw    array<kv_t>: [context, NKV * HD] this layer's K cache
//   5 Vc    storage rw    array<kv_t>: [context, NKV * HD] this layer's V cache
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

@group(0) @binding(0) var<uniform> step: Step;
@group(0) @binding(1) var<storage, read_write> QKV: array<f32>;
@group(0) @binding(2) var<storage, read> qn: array<f32>;
@group(0) @binding(3) var<storage, read> kn: array<f32>;
@group(0) @binding(4) var<storage, read_write> Kc: array<kv_t>;
@group(0) @binding(5) var<storage, read_write> Vc: array<kv_t>;

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
    // Load the head (and copy V straight to its cache).
    var ss = 0.0;
    for (var i = li; i < HD; i += 64u) {
        var v: f32;
        if (is_q) {
            v = QKV[q_at + i];
        } else {
            v = QKV[k_at + i];
            Vc[kv_row + i] = kv_t(QKV[v_at + i]);
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
    let half = HD / 2u;
    for (var i = li; i < half; i += 64u) {
        var ia = 2u * i;
        var ib = 2u * i + 1u;
        if (NEOX) {
            ia = i;
            ib = i + half;
        }
        var a = hv[ia] * inv;
        var b = hv[ib] * inv;
        if (QK_NORM) {
            if (is_q) {
                a *= qn[ia];
                b *= qn[ib];
            } else {
                a *= kn[ia];
                b *= kn[ib];
            }
        }
        let angle = f32(p) * exp2(-f32(2u * i) / f32(HD) * log2(THETA));
        let c = cos(angle);
        let sn = sin(angle);
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
}
