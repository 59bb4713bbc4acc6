// attention.wgsl — causal softmax attention of one query head of one token over the KV cache.
// O[t, h, :] = sum_j softmax_j(SCALE * q . K[j]) * V[j] over cache positions j of kv head
// h / (NQ / NKV) (grouped-query attention), j in [lo, p] with p = step.pos + t the token's position and
// lo = 0, or p - WINDOW + 1 for sliding-window layers (WINDOW > 0). Serves decode (one token) and
// prefill (tokens of the chunk attend to the cache, which rope_kv has already filled up to pos + n_tokens).
// Keys are visited in tiles of 64 with an online softmax (running max and sum), so any context fits.
// Split-K (SPLITS > 1, decode only: token 0): workgroup (h, s) takes the s-th of SPLITS equal slices of
// [lo, p] (rounded to tiles of 64) and writes its unnormalized partial result for attention_combine.wgsl,
// so long contexts spread over NQ * SPLITS workgroups instead of NQ.
//
// Bindings (group 0):
//   0 step  uniform Step {pos, n_tokens, kv_len, _}
//   1 Q     storage read  array<f32>: [max_tokens, Q_STRIDE], head h at columns [h * HD, (h + 1) * HD)
//   2 Kc    storage read  array<kv_t>: [context, NKV * HD]
//   3 Vc    storage read  array<kv_t>: [context, NKV * HD]
//   kv_t is f32 or f16 (prepend kv_f32.wgsl or kv_f16.wgsl); sums are f32 either way.
//   4 O     storage rw    array<f32>: SPLITS == 1: [max_tokens, NQ * HD] output
//                                     SPLITS > 1:  [NQ, SPLITS, HD + 2] partials (m, l, acc[HD]):
//                                     m the slice's max score, l = sum exp(score - m), acc = sum exp(score - m) V
// Dispatch: SPLITS == 1: (NQ, max_tokens, 1); SPLITS > 1: (NQ, SPLITS, 1). 64 threads: thread i scores
// key (tile + i), then owns output dims i, i+64, ... HD <= 256.

struct Step { pos: u32, n_tokens: u32, kv_len: u32, pad: u32 }

override HD: u32;
override NQ: u32;
override NKV: u32;
override SCALE: f32;
override WINDOW: u32 = 0u;
override SPLITS: u32 = 1u;
override Q_STRIDE: u32 = NQ * HD;

@group(0) @binding(0) var<uniform> step: Step;
@group(0) @binding(1) var<storage, read> Q: array<f32>;
@group(0) @binding(2) var<storage, read> Kc: array<kv_t>;
@group(0) @binding(3) var<storage, read> Vc: array<kv_t>;
@group(0) @binding(4) var<storage, read_write> O: array<f32>;

const NEG_BIG: f32 = -3.0e38;

var<workgroup> qs: array<f32, 256>;   // SCALE * q  [HD]
var<workgroup> pr: array<f32, 64>;    // this tile's probabilities (unnormalized)
var<workgroup> red: array<f32, 64>;

fn reduce_max(li: u32, v: f32) -> f32 {
    red[li] = v;
    workgroupBarrier();
    for (var s = 32u; s > 0u; s >>= 1u) {
        if (li < s) {
            red[li] = max(red[li], red[li + s]);
        }
        workgroupBarrier();
    }
    let r = red[0];
    workgroupBarrier();
    return r;
}

fn reduce_sum(li: u32, v: f32) -> f32 {
    red[li] = v;
    workgroupBarrier();
    for (var s = 32u; s > 0u; s >>= 1u) {
        if (li < s) {
            red[li] += red[li + s];
        }
        workgroupBarrier();
    }
    let r = red[0];
    workgroupBarrier();
    return r;
}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32) {
    var t = wg.y;
    if (SPLITS > 1u) {
        t = 0u;
    }
    if (t >= step.n_tokens) {
        return;
    }
    let h = wg.x;
    let kvh = h / (NQ / NKV);
    let p = step.pos + t;
    var lo = 0u;
    if (WINDOW > 0u && p + 1u > WINDOW) {
        lo = p + 1u - WINDOW;
    }
    var end = p + 1u;                       // keys [lo, end) of this workgroup
    if (SPLITS > 1u) {
        let span = (((p + 1u - lo) + SPLITS - 1u) / SPLITS + 63u) / 64u * 64u;
        lo = min(lo + wg.y * span, p + 1u);
        end = min(lo + span, p + 1u);
    }
    let q_row = t * NQ * HD + h * HD;        // this head's output in O
    for (var i = li; i < HD; i += 64u) {
        qs[i] = SCALE * Q[t * Q_STRIDE + h * HD + i];
    }
    workgroupBarrier();

    let stride = NKV * HD;
    var m = NEG_BIG;                 // running max of scores
    var l = 0.0;                     // running sum of exp(score - m)
    var acc: array<f32, 4>;          // output dims li + 64 d
    for (var tile = lo; tile < end; tile += 64u) {
        let j = tile + li;
        var s = NEG_BIG;
        if (j < end) {
            let kb = j * stride + kvh * HD;
            var d = 0.0;
            for (var i = 0u; i < HD; i++) {
                d += qs[i] * f32(Kc[kb + i]);
            }
            s = d;
        }
        let new_m = max(m, reduce_max(li, s));
        let e = select(0.0, exp(s - new_m), j < end);
        pr[li] = e;
        let tile_sum = reduce_sum(li, e);   // its barriers also publish pr[]
        let rescale = exp(m - new_m);
        l = l * rescale + tile_sum;
        let n_keys = min(64u, end - tile);
        for (var d = 0u; d < 4u; d++) {
            let dim = li + 64u * d;
            if (dim < HD) {
                var a = acc[d] * rescale;
                for (var jj = 0u; jj < n_keys; jj++) {
                    a += pr[jj] * f32(Vc[(tile + jj) * stride + kvh * HD + dim]);
                }
                acc[d] = a;
            }
        }
        m = new_m;
        workgroupBarrier();              // pr[] is rewritten by the next tile
    }
    if (SPLITS > 1u) {
        let base = (h * SPLITS + wg.y) * (HD + 2u);
        if (li == 0u) {
            O[base] = m;
            O[base + 1u] = l;
        }
        for (var d = 0u; d < 4u; d++) {
            let dim = li + 64u * d;
            if (dim < HD) {
                O[base + 2u + dim] = acc[d];
            }
        }
        return;
    }
    for (var d = 0u; d < 4u; d++) {
        let dim = li + 64u * d;
        if (dim < HD) {
            O[q_row + dim] = acc[d] / l;
        }
    }
}
