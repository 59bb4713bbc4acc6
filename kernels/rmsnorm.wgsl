// rmsnorm.wgsl — Y[t, :] = X[t, :] / sqrt(mean(X[t, :]^2) + EPS) * w, one workgroup per token.
// The weight is used as stored (GGUF converters already fold Gemma's (1 + w) into it).
// LAST_ONLY = true normalizes only the step's last token (row n_tokens - 1) into Y row 0:
// the output head needs logits for that position only.
//
// Bindings (group 0):
//   0 step  uniform Step {pos, n_tokens, kv_len, _}
//   1 X     storage read  array<f32>: [max_tokens, N]
//   2 w     storage read  array<f32>: [N]
//   3 Y     storage rw    array<f32>: [max_tokens, N] (or [1, N] with LAST_ONLY)
// Dispatch: (max_tokens, 1, 1) (or (1, 1, 1) with LAST_ONLY); workgroup of 64 threads.

struct Step { pos: u32, n_tokens: u32, kv_len: u32, pad: u32 }

override N: u32;
override EPS: f32;
override LAST_ONLY: bool = false;

@group(0) @binding(0) var<uniform> step: Step;
@group(0) @binding(1) var<storage, read> X: array<f32>;
@group(0) @binding(2) var<storage, read> w: array<f32>;
@group(0) @binding(3) var<storage, read_write> Y: array<f32>;

var<workgroup> red: array<f32, 64>;

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32) {
    var t = wg.x;
    var out_row = wg.x;
    if (LAST_ONLY) {
        t = step.n_tokens - 1u;
        out_row = 0u;
    }
    if (t >= step.n_tokens) {
        return;
    }
    var ss = 0.0;
    for (var i = li; i < N; i += 64u) {
        let v = X[t * N + i];
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
    let inv = inverseSqrt(red[0] / f32(N) + EPS);
    for (var i = li; i < N; i += 64u) {
        Y[out_row * N + i] = X[t * N + i] * inv * w[i];
    }
}
