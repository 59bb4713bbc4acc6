// topk_merge.wgsl — second pass of the top-64: merges the candidates that topk.wgsl's partial
// pass wrote into the overall top 64 (ties: lower id first). Ids NO_ID (slices with < 64 logits) are skipped.
//
// Bindings (group 0):
//   0 C    storage read  array<u32>: [N_IN, 2] candidates (id, bitcast<u32>(logit))
//   1 OUT  storage rw    array<u32>: [64, 2] (id, bitcast<u32>(logit)), best first
// Dispatch: (1, 1, 1), 256 threads, each holding at most 16 candidates (N_IN <= 4096).

override N_IN: u32;

const TOPK: u32 = 64u;
const ITEMS: u32 = 16u;
const TAKEN: f32 = -3.4028234e38;
const NO_ID: u32 = 0xffffffffu;

@group(0) @binding(0) var<storage, read> C: array<u32>;
@group(0) @binding(1) var<storage, read_write> OUT: array<u32>;

var<workgroup> rv: array<f32, 256>;
var<workgroup> ri: array<u32, 256>;

fn better(v: f32, i: u32, bv: f32, bi: u32) -> bool {
    return v > bv || (v == bv && i < bi);
}

@compute @workgroup_size(256)
fn main(@builtin(local_invocation_index) li: u32) {
    var vals: array<f32, 16>;
    var ids: array<u32, 16>;
    for (var k = 0u; k < ITEMS; k++) {
        let i = k * 256u + li;
        if (i < N_IN) {
            ids[k] = C[2u * i];
            vals[k] = bitcast<f32>(C[2u * i + 1u]);
        } else {
            ids[k] = NO_ID;
            vals[k] = TAKEN;
        }
    }
    for (var r = 0u; r < TOPK; r++) {
        var bv = TAKEN;
        var bi = NO_ID;
        for (var k = 0u; k < ITEMS; k++) {
            if (ids[k] != NO_ID && better(vals[k], ids[k], bv, bi)) {
                bv = vals[k];
                bi = ids[k];
            }
        }
        rv[li] = bv;
        ri[li] = bi;
        workgroupBarrier();
        for (var s = 128u; s > 0u; s >>= 1u) {
            if (li < s && better(rv[li + s], ri[li + s], rv[li], ri[li])) {
                rv[li] = rv[li + s];
                ri[li] = ri[li + s];
            }
            workgroupBarrier();
        }
        let wi = ri[0];
        if (li == 0u) {
            OUT[2u * r] = wi;
            OUT[2u * r + 1u] = bitcast<u32>(rv[0]);
        }
        for (var k = 0u; k < ITEMS; k++) {
            if (ids[k] == wi) {
                ids[k] = NO_ID;
            }
        }
        workgroupBarrier();
    }
}
