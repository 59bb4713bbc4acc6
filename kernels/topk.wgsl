// topk.wgsl — first pass of the top-64 over the vocabulary (ties: lower id first): workgroup w takes
// logits [w * SLICE, (w + 1) * SLICE) and writes its 64 best (id, logit) pairs to C[w]; topk_merge.wgsl
// then merges those. Each of the 64 rounds: every thread offers its best untaken item, a tree reduction
// picks the winner, its owner marks it taken. Each thread holds at most 16 items (SLICE <= 4096).
//
// Bindings (group 0):
//   0 L  storage read  array<f32>: [N] logits
//   1 C  storage rw    array<u32>: [ceil(N / SLICE), 64, 2] candidates (id, bitcast<u32>(logit));
//        a slice with fewer than 64 logits pads with id 0xffffffff
// Dispatch: (ceil(N / SLICE), 1, 1), 256 threads.

override N: u32 = 1u;
override SLICE: u32 = 4096u;

const TOPK: u32 = 64u;
const ITEMS: u32 = 16u;                 // items per thread
const TAKEN: f32 = -3.4028234e38;       // below any real logit
const NO_ID: u32 = 0xffffffffu;

@group(0) @binding(0) var<storage, read> L: array<f32>;
@group(0) @binding(1) var<storage, read_write> C: array<u32>;

var<workgroup> rv: array<f32, 256>;
var<workgroup> ri: array<u32, 256>;

fn better(v: f32, i: u32, bv: f32, bi: u32) -> bool {
    return v > bv || (v == bv && i < bi);
}

// The 64 rounds over the items each thread holds; round r's winner is left in win_v[r], win_i[r].
var<workgroup> win_v: array<f32, 64>;
var<workgroup> win_i: array<u32, 64>;

fn select_top(li: u32, vals: ptr<function, array<f32, 16>>, ids: ptr<function, array<u32, 16>>) {
    for (var r = 0u; r < TOPK; r++) {
        var bv = TAKEN;
        var bi = NO_ID;
        for (var k = 0u; k < ITEMS; k++) {
            if ((*ids)[k] != NO_ID && better((*vals)[k], (*ids)[k], bv, bi)) {
                bv = (*vals)[k];
                bi = (*ids)[k];
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
        let wv = rv[0];
        let wi = ri[0];
        if (li == 0u) {
            win_v[r] = wv;
            win_i[r] = wi;
        }
        for (var k = 0u; k < ITEMS; k++) {
            if ((*ids)[k] == wi && wi != NO_ID) {
                (*ids)[k] = NO_ID;
            }
        }
        workgroupBarrier();
    }
}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32) {
    var vals: array<f32, 16>;
    var ids: array<u32, 16>;
    let base = wg.x * SLICE;
    for (var k = 0u; k < ITEMS; k++) {
        let i = base + k * 256u + li;
        if (k * 256u + li < SLICE && i < N) {
            vals[k] = L[i];
            ids[k] = i;
        } else {
            vals[k] = TAKEN;
            ids[k] = NO_ID;
        }
    }
    select_top(li, &vals, &ids);
    if (li < TOPK) {
        let o = (wg.x * TOPK + li) * 2u;
        C[o] = win_i[li];
        C[o + 1u] = bitcast<u32>(win_v[li]);
    }
}
