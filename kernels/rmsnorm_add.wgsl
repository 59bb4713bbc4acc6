// rmsnorm_add.wgsl — X[t, :] += R[t, :] / sqrt(mean(R[t, :]^2) + EPS) * w, one workgroup per token,
// then (NEXT_NORM) Y[t, :] = X[t, :] / sqrt(mean(X[t, :]^2) + EPS) * w2 with the updated X.
// Gemma 3's post-attention and post-FFN norms: the sublayer output R is normalized and added to the
// residual stream X in place; fused with the RMSNorm that opens the next sublayer.
// LAST_ONLY (with NEXT_NORM): only the step's last token gets the second norm, into Y row 0 (output head).
//
// Bindings (group 0):
//   0 step  uniform Step {pos, n_tokens, kv_len, _}
//   1 R     storage read  array<f32>: [max_tokens, N] sublayer output
//   2 w     storage read  array<f32>: [N]
//   3 X     storage rw    array<f32>: [max_tokens, N] residual stream
//   4 w2    storage read  array<f32>: [N] next norm's weight (read only when NEXT_NORM)
//   5 Y     storage rw    array<f32>: [max_tokens, N] next sublayer's input (written only when NEXT_NORM)
// Dispatch: (max_tokens, 1, 1); workgroup of 64 threads.

struct Step { pos: u32, n_tokens: u32, kv_len: u32, pad: u32 }

override N: u32;
override EPS: f32;
override NEXT_NORM: bool = false;
override LAST_ONLY: bool = false;

@group(0) @binding(0) var<uniform> step: Step;
@group(0) @binding(1) var<storage, read> R: array<f32>;
@group(0) @binding(2) var<storage, read> w: array<f32>;
@group(0) @binding(3) var<storage, read_write> X: array<f32>;
@group(0) @binding(4) var<storage, read> w2: array<f32>;
@group(0) @binding(5) var<storage, read_write> Y: array<f32>;

var<workgroup> red: array<f32, 64>;

fn workgroup_sum(li: u32, v: f32) -> f32 {
    red[li] = v;
    workgroupBarrier();
    for (var s = 32u; s > 0u; s >>= 1u) {
        if (li < s) {
            red[li] += red[li + s];
        }
        workgroupBarrier();
    }
    let r = red[0];
    workgroupBarrier();   // red[] may be reused at once
    return r;
}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32) {
    let t = wg.x;
    if (t >= step.n_tokens) {
        return;
    }
    var ss = 0.0;
    for (var i = li; i < N; i += 64u) {
        let v = R[t * N + i];
        ss += v * v;
    }
    let inv = inverseSqrt(workgroup_sum(li, ss) / f32(N) + EPS);
    var ss2 = 0.0;
    for (var i = li; i < N; i += 64u) {
        let v = X[t * N + i] + R[t * N + i] * inv * w[i];
        X[t * N + i] = v;
        ss2 += v * v;
    }
    if (NEXT_NORM) {
        // Each thread reads back only the elements it wrote itself: no barrier needed for X.
        let inv2 = inverseSqrt(workgroup_sum(li, ss2) / f32(N) + EPS);
        var out_row = t;
        if (LAST_ONLY) {
            out_row = 0u;
        }
        if (!LAST_ONLY || t == step.n_tokens - 1u) {
            for (var i = li; i < N; i += 64u) {
                Y[out_row * N + i] = X[t * N + i] * inv2 * w2[i];
            }
        }
    }
}
