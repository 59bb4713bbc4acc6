// matmul_subgroup.wgsl — matmul.wgsl with the per-row reduction done by subgroupAdd instead of a
// 64-slot workgroup array: Y[t, n] (op)= sum_k W[n, k] * X[t, k]. Same bindings, constants, epilogues,
// GATED layout and dispatch grid as matmul.wgsl (read its header); chosen by the plan when the adapter
// has the "subgroups" feature. The plan marks the pipeline with "enables": ["subgroups"]: Chrome's Tint
// needs `enable subgroups;` before this file, wgpu's Naga rejects the directive and needs only the
// device feature, so the executors add it (or not) themselves.
//
// Reduction: every thread holds acc[t] for its weight row r = li / (64 / ROWS). For each weight row r'
// in turn, subgroupAdd sums the accumulators of the threads of r' (the others add 0); the subgroup's
// lane 0 stores that partial sum in partial[t][r'][subgroup], and after one barrier one thread per
// (output row, token) adds the few subgroup partials (64 / subgroup_size of them) and applies the
// epilogue. Subgroups are taken to be consecutive runs of local_invocation_index (how Dawn, wgpu
// and their Vulkan/Metal/D3D backends lay out 1-D workgroups); the kernel tests check the sums.
// Workgroup memory: partial[TT * ROWS * 64 / subgroup_size] <= 512 floats (TT <= 8, ROWS <= 4,
// subgroup size >= 4 in WebGPU). subgroupAdd sits in uniform control flow (loops over ROWS and the
// step's token count only).

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

var<workgroup> partial: array<f32, 512>;   // [TT][ROWS][64 / subgroup_size]

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32,
        @builtin(subgroup_size) sg_size: u32, @builtin(subgroup_invocation_id) sg_lane: u32) {
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
    let n_sg = (64u + sg_size - 1u) / sg_size;   // subgroups in the workgroup
    let sg = li / sg_size;
    for (var t = 0u; t < ntt; t++) {
        for (var rr = 0u; rr < ROWS; rr++) {
            var mine = 0.0;
            if (r == rr) {
                mine = acc[t];
            }
            let s = subgroupAdd(mine);
            if (sg_lane == 0u) {
                partial[(t * ROWS + rr) * n_sg + sg] = s;
            }
        }
    }
    workgroupBarrier();
    // One thread per (output row, token) adds the subgroup partials and applies the epilogue.
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
            for (var i = 0u; i < n_sg; i++) {
                s += partial[(t * ROWS + rr) * n_sg + i];
            }
            if (GATED) {                     // s is the gate row; the up row sits ROWS/2 rows later
                gv = s;
                s = 0.0;
                for (var i = 0u; i < n_sg; i++) {
                    s += partial[(t * ROWS + rr + n_out) * n_sg + i];
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
