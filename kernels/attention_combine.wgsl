// attention_combine.wgsl — merges attention.wgsl's split-K partials of one decode token into the output.
// For head h with slices s = 0..SPLITS-1 holding (m_s, l_s, acc_s[HD]):
//   M = max_s m_s,  O[h, :] = sum_s exp(m_s - M) acc_s / sum_s exp(m_s - M) l_s
// Empty slices (l_s = 0, acc_s = 0) contribute nothing.
//
// Bindings (group 0):
//   0 P  storage read  array<f32>: [NQ, SPLITS, HD + 2] partials
//   1 O  storage rw    array<f32>: [NQ * HD] output of token 0
// Dispatch: (NQ, 1, 1); 64 threads, thread i owns dims i, i+64, ...

override HD: u32;
override SPLITS: u32;

@group(0) @binding(0) var<storage, read> P: array<f32>;
@group(0) @binding(1) var<storage, read_write> O: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32) {
    let h = wg.x;
    let stride = HD + 2u;
    var big_m = -3.0e38;
    for (var s = 0u; s < SPLITS; s++) {
        let base = (h * SPLITS + s) * stride;
        if (P[base + 1u] > 0.0) {
            big_m = max(big_m, P[base]);
        }
    }
    var denom = 0.0;
    for (var s = 0u; s < SPLITS; s++) {
        let base = (h * SPLITS + s) * stride;
        if (P[base + 1u] > 0.0) {
            denom += exp(P[base] - big_m) * P[base + 1u];
        }
    }
    for (var dim = li; dim < HD; dim += 64u) {
        var num = 0.0;
        for (var s = 0u; s < SPLITS; s++) {
            let base = (h * SPLITS + s) * stride;
            if (P[base + 1u] > 0.0) {
                num += exp(P[base] - big_m) * P[base + 2u + dim];
            }
        }
        O[h * HD + dim] = num / denom;
    }
}
