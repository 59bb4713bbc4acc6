// matmul_tiled.wgsl — prefill matrix-matrix product Y[t, n] (op)= sum_k W[n, k] * X[t, k], tiled.
// A workgroup computes a tile of 32 output rows x 32 tokens. For each 32-wide slice of K it dequantizes
// the 32x32 weight tile and loads the 32x32 activation tile into workgroup memory once, then each of its
// 64 threads accumulates a 4-row x 4-token register tile: every weight is dequantized once per 32 tokens
// and every loaded value is reused 4 times. Prepended with bytes.wgsl and one quant_<type>.wgsl
// (QK, BLOCK_BYTES, dequant8) and matmul_epilogue.wgsl. Requires K % 32 == 0.
//
// Bindings (group 0), as matmul.wgsl:
//   0 step  uniform Step {pos, n_tokens, kv_len, _}: active tokens = n_tokens
//   1 W     storage read  array<u32>: the GGUF tensor [N, K], raw bytes, from row W_ROW_OFFSET on
//   2 X     storage read  array<vec4f>: [tokens, K / 4]
//   3 Y     storage rw    array<f32>: [tokens, Y_STRIDE]; writes columns Y_OFFSET + n
//   4 G     storage read  array<f32>: gate input, same layout as Y (EPILOGUE 2 and 3 only)
// Epilogue: 0 Y = acc | 1 Y += acc | 2 Y = silu(G) * acc | 3 Y = gelu_tanh(G) * acc
// Dispatch: (ceil(N / 32), ceil(max_tokens / 32), 1); workgroup of 64 threads (8 x 8 grid of 4x4 tiles).

struct Step { pos: u32, n_tokens: u32, kv_len: u32, pad: u32 }

override K: u32;
override N: u32;
override EPILOGUE: u32 = 0u;
override Y_STRIDE: u32 = N;
override Y_OFFSET: u32 = 0u;
override W_ROW_OFFSET: u32 = 0u;   // first weight row (e.g. the up half of a fused gate|up buffer)

const TILE: u32 = 32u;
const PITCH: u32 = 33u;   // padded row pitch of the workgroup tiles

@group(0) @binding(0) var<uniform> step: Step;
@group(0) @binding(1) var<storage, read> W: array<u32>;
@group(0) @binding(2) var<storage, read> X: array<vec4f>;
@group(0) @binding(3) var<storage, read_write> Y: array<f32>;
@group(0) @binding(4) var<storage, read> G: array<f32>;

var<workgroup> ws: array<f32, 1056>;   // [32 rows][PITCH] dequantized weights of this K slice
var<workgroup> xs: array<f32, 1056>;   // [32 tokens][PITCH] activations of this K slice

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32) {
    let n_tok = step.n_tokens;
    let n0 = wg.x * TILE;
    let t0 = wg.y * TILE;
    if (t0 >= n_tok) {
        return;
    }
    let tr = li / 8u;          // this thread's rows: n0 + 4 tr + i
    let tc = li % 8u;          // this thread's tokens: t0 + 4 tc + j
    let row_bytes = (K / QK) * BLOCK_BYTES;
    var acc: array<f32, 16>;   // [i * 4 + j]

    for (var k0 = 0u; k0 < K; k0 += TILE) {
        // Weight tile: 32 rows x 4 groups of 8 = 128 dequant8 calls, two per thread.
        for (var h = 0u; h < 2u; h++) {
            let q = li + 64u * h;
            let r = q / 4u;
            let kg = q % 4u;
            var w: array<f32, 8>;
            if (n0 + r < N) {
                w = dequant8((W_ROW_OFFSET + n0 + r) * row_bytes, k0 / 8u + kg);
            }
            for (var e = 0u; e < 8u; e++) {
                ws[r * PITCH + kg * 8u + e] = w[e];
            }
        }
        // Activation tile: 32 tokens x 8 vec4, four per thread; tokens past n_tokens read as 0.
        for (var h = 0u; h < 4u; h++) {
            let q = li + 64u * h;
            let t = q / 8u;
            let k4 = q % 8u;
            var v = vec4f(0.0);
            if (t0 + t < n_tok) {
                v = X[((t0 + t) * K + k0) / 4u + k4];
            }
            xs[t * PITCH + k4 * 4u] = v.x;
            xs[t * PITCH + k4 * 4u + 1u] = v.y;
            xs[t * PITCH + k4 * 4u + 2u] = v.z;
            xs[t * PITCH + k4 * 4u + 3u] = v.w;
        }
        workgroupBarrier();
        for (var kk = 0u; kk < TILE; kk++) {
            var a: array<f32, 4>;
            var b: array<f32, 4>;
            for (var i = 0u; i < 4u; i++) {
                a[i] = ws[(tr * 4u + i) * PITCH + kk];
                b[i] = xs[(tc * 4u + i) * PITCH + kk];
            }
            for (var i = 0u; i < 4u; i++) {
                for (var j = 0u; j < 4u; j++) {
                    acc[i * 4u + j] += a[i] * b[j];
                }
            }
        }
        workgroupBarrier();
    }
    for (var i = 0u; i < 4u; i++) {
        let n = n0 + tr * 4u + i;
        for (var j = 0u; j < 4u; j++) {
            let t = t0 + tc * 4u + j;
            if (n < N && t < n_tok) {
                let y = t * Y_STRIDE + Y_OFFSET + n;
                var gv = 0.0;
                if (EPILOGUE >= 2u) {
                    gv = G[y];
                }
                store_output(y, acc[i * 4u + j], gv);
            }
        }
    }
}
