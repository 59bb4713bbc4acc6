// rmsnorm_add.wgsl — X[t, :] += R[t, :] / sqrt(mean(R[t, :]^2) + EPS) * w, one workgroup per token.
// Gemma 3's post-attention and post-FFN norms: the sublayer output R is normalized, then added
// to the residual stream X in place.
//
// Bindings (group 0):
//   0 step  uniform Step {pos, n_tokens, kv_len, _}
//   1 R     storage read  array<f32>: [max_tokens, N] sublayer output
//   2 w     storage read  array<f32>: [N]
//   3 X     storage rw    array<f32>: [max_tokens, N] residual stream
// Dispatch: (max_tokens, 1, 1); workgroup of 64 threads.

struct Step { pos: u32, n_tokens: u32, kv_len: u32, pad: u32 }

override N: u32;
override EPS: f32;

@group(0) @binding(0) var<uniform> step: Step;
@group(0) @binding(1) var<storage, read> R: array<f32>;
@group(0) @binding(2) var<storage, read> w: array<f32>;
@group(0) @binding(3) var<storage, read_write> X: array<f32>;

var<workgroup> red: array<f32, 64>;

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
        X[t * N + i] += R[t * N + i] * inv * w[i];
    }
}
