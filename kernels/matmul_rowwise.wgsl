// matmul_rowwise.wgsl — Y[t, n] (op)= sum_k W[n, k] * X[t, k], for CPU WebGPU adapters (SwiftShader, lavapipe).
// One invocation computes a whole output row for TT tokens: a sequential dot product over K that
// dequantizes each 8-weight group in registers once and uses it for all TT tokens. No workgroup memory,
// no barriers: CPU adapters run a workgroup's invocations as SIMD lanes of one thread and implement
// barriers as coroutine switches, so matmul.wgsl's shared-memory reduction dominates there.
// Same bindings, constants and epilogues as matmul.wgsl (the plan swaps one for the other); prepended
// with bytes.wgsl, one quant_<type>.wgsl (QK, BLOCK_BYTES, dequant8) and matmul_epilogue.wgsl.
//
// Bindings (group 0):
//   0 step  uniform Step {pos, n_tokens, kv_len, _}: active tokens = n_tokens (or FIXED_TOKENS if > 0)
//   1 W     storage read  array<u32>: the GGUF tensor [N, K] (row n = K/QK blocks), raw bytes
//   2 X     storage read  array<vec4f>: [tokens, K / 4] row-major (K is a multiple of 8)
//   3 Y     storage rw    array<f32>: [tokens, Y_STRIDE]; this shard writes columns Y_OFFSET + n
//   4 G     storage read  array<f32>: gate input, same layout as Y (read only by EPILOGUE 2 and 3)
// Epilogue: 0 Y = acc | 1 Y += acc (residual add) | 2 Y = silu(G) * acc | 3 Y = gelu_tanh(G) * acc
// GATED (with EPILOGUE 2 or 3): W holds the gate rows [0, N) then the up rows [N, 2N); the invocation of
// row n computes both and writes Y = act(gate) * up. G is then unused.
// Dispatch: (ceil(N / 64), ceil(max_tokens / TT), 1); workgroup of 64 invocations, one output row each.
// ROWS is accepted (and ignored) so the plan can pass matmul.wgsl's constants unchanged.

struct Step { pos: u32, n_tokens: u32, kv_len: u32, pad: u32 }

override K: u32;
override N: u32;
override ROWS: u32 = 4u;          // unused here (matmul.wgsl's rows per workgroup)
override TT: u32 = 1u;            // tokens per invocation (<= 8)
override EPILOGUE: u32 = 0u;
override Y_STRIDE: u32 = N;
override Y_OFFSET: u32 = 0u;
override FIXED_TOKENS: u32 = 0u;
override GATED: bool = false;

const WG: u32 = 64u;              // output rows per workgroup

@group(0) @binding(0) var<uniform> step: Step;
@group(0) @binding(1) var<storage, read> W: array<u32>;
@group(0) @binding(2) var<storage, read> X: array<vec4f>;
@group(0) @binding(3) var<storage, read_write> Y: array<f32>;
@group(0) @binding(4) var<storage, read> G: array<f32>;

// acc[t] = sum_k W[wrow, k] * X[t0 + t, k] for t < ntt (acc: [8], entries past ntt stay 0).
fn row_dot(wrow: u32, t0: u32, ntt: u32) -> array<f32, 8> {
    let row_byte = wrow * (K / QK) * BLOCK_BYTES;
    var acc: array<f32, 8>;
    for (var g = 0u; g < K / 8u; g++) {
        let w = dequant8(row_byte, g);
        let w0 = vec4f(w[0], w[1], w[2], w[3]);
        let w1 = vec4f(w[4], w[5], w[6], w[7]);
        var xb = (t0 * K) / 4u + g * 2u;     // X[t0 + t] group g, as vec4 index
        for (var t = 0u; t < ntt; t++) {
            acc[t] += dot(w0, X[xb]) + dot(w1, X[xb + 1u]);
            xb += K / 4u;
        }
    }
    return acc;
}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32) {
    var n_tok = step.n_tokens;
    if (FIXED_TOKENS > 0u) {
        n_tok = FIXED_TOKENS;
    }
    let t0 = wg.y * TT;
    let row = wg.x * WG + li;                // output column of this invocation
    if (t0 >= n_tok || row >= N) {
        return;
    }
    let ntt = min(TT, n_tok - t0);
    let acc = row_dot(row, t0, ntt);
    var up: array<f32, 8>;
    if (GATED) {
        up = row_dot(row + N, t0, ntt);      // the matching up row; acc holds the gate row
    }
    for (var t = 0u; t < ntt; t++) {
        let y = (t0 + t) * Y_STRIDE + Y_OFFSET + row;
        var s = acc[t];
        var gv = 0.0;
        if (GATED) {
            gv = s;
            s = up[t];
        } else if (EPILOGUE >= 2u) {
            gv = G[y];
        }
        store_output(y, s, gv);
    }
}
