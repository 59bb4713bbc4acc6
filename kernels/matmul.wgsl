// matmul.wgsl — Y[t, n] (op)= sum_k W[n, k] * X[t, k] for the active tokens t of this step.
// Used for decode (TT = 1, one token) and prefill (TT tokens per workgroup share each dequantized
// weight group, so weights are read once per TT tokens). Prepended with bytes.wgsl and one
// quant_<type>.wgsl, which provide QK, BLOCK_BYTES and dequant8(row_byte, g), and matmul_epilogue.wgsl
// (store_output: the epilogue below; model_plan.matmul_sources lists them).
//
// Bindings (group 0):
//   0 step  uniform Step {pos, n_tokens, kv_len, _}: active tokens = n_tokens (or FIXED_TOKENS if > 0)
//   1 W     storage read  array<u32>: the GGUF tensor [N, K] (row n = K/QK blocks), raw bytes
//   2 X     storage read  array<vec4f>: [tokens, K / 4] row-major (K is a multiple of 8)
//   3 Y     storage rw    array<f32>: [tokens, Y_STRIDE]; this shard writes columns Y_OFFSET + n
//   4 G     storage read  array<f32>: gate input, same layout as Y (read only by EPILOGUE 2 and 3)
// Epilogue: 0 Y = acc | 1 Y += acc (residual add) | 2 Y = silu(G) * acc | 3 Y = gelu_tanh(G) * acc
// GATED (fused gate + up, with EPILOGUE 2 or 3): W holds the gate rows [0, N) then the up rows [N, 2N)
// (one buffer, two tensors back to back); a workgroup computes ROWS/2 gate rows and the same ROWS/2 up
// rows, and writes Y = act(gate) * up. G is then unused.
// Dispatch: (ceil(N / ROWS), ceil(max_tokens / TT), 1), or (ceil(N / (ROWS/2)), ...) when GATED;
// workgroup of 64 threads, 64/ROWS threads per weight row.
// Workgroups whose tokens are all past n_tokens exit at once.

struct Step { pos: u32, n_tokens: u32, kv_len: u32, pad: u32 }

override K: u32;
override N: u32;
override ROWS: u32 = 4u;          // output rows per workgroup (divides 64)
override TT: u32 = 1u;            // tokens per workgroup (<= 8)
override EPILOGUE: u32 = 0u;
override Y_STRIDE: u32 = N;
override Y_OFFSET: u32 = 0u;
override FIXED_TOKENS: u32 = 0u;
override GATED: bool = false;

@group(0) @binding(0) var<uniform> step: Step;
@group(0) @binding(1) var<storage, read> W: array<u32>;
@group(0) @binding(2) var<storage, read> X: array<vec4f>;
@group(0) @binding(3) var<storage, read_write> Y: array<f32>;
@group(0) @binding(4) var<storage, read> G: array<f32>;

var<workgroup> partial: array<f32, 512>;   // [TT <= 8][64 threads]

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32) {
    var n_tok = step.n_tokens;
    if (FIXED_TOKENS > 0u) {
        n_tok = FIXED_TOKENS;
    }
    let t0 = wg.y * TT;
    if (t0 >= n_tok) {
        return;
    }
    let ntt = min(TT, n_tok - t0);
    let tpr = 64u / ROWS;                    // threads per weight row
    let r = li / tpr;
    let lane = li % tpr;
    var row = wg.x * ROWS + r;               // output column
    var wrow = row;                          // weight row
    if (GATED) {
        let half = ROWS / 2u;
        row = wg.x * half + r % half;
        wrow = row + (r / half) * N;         // r < half: gate row, else the matching up row
    }

    var acc: array<f32, 8>;
    if (row < N) {
        let row_byte = wrow * (K / QK) * BLOCK_BYTES;
        for (var g = lane; g < K / 8u; g += tpr) {
            let w = dequant8(row_byte, g);
            let w0 = vec4f(w[0], w[1], w[2], w[3]);
            let w1 = vec4f(w[4], w[5], w[6], w[7]);
            for (var t = 0u; t < ntt; t++) {
                let xb = ((t0 + t) * K) / 4u + g * 2u;
                acc[t] += dot(w0, X[xb]) + dot(w1, X[xb + 1u]);
            }
        }
    }
    for (var t = 0u; t < ntt; t++) {
        partial[t * 64u + li] = acc[t];
    }
    workgroupBarrier();
    // One thread per (output row, token) sums the row's lanes and applies the epilogue.
    var n_out = ROWS;
    if (GATED) {
        n_out = ROWS / 2u;
    }
    if (li < n_out * ntt) {
        let rr = li % n_out;
        let t = li / n_out;
        let out_row = wg.x * n_out + rr;
        if (out_row < N) {
            var s = 0.0;
            var gv = 0.0;
            for (var i = 0u; i < tpr; i++) {
                s += partial[t * 64u + rr * tpr + i];
            }
            if (GATED) {                     // s is the gate row; the up row sits ROWS/2 rows later
                gv = s;
                s = 0.0;
                for (var i = 0u; i < tpr; i++) {
                    s += partial[t * 64u + (rr + n_out) * tpr + i];
                }
            }
            let y = (t0 + t) * Y_STRIDE + Y_OFFSET + out_row;
            if (!GATED && EPILOGUE >= 2u) {
                gv = G[y];
            }
            store_output(y, s, gv);
        }
    }
}
