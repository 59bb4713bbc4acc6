// quant_q4_k.wgsl — dequantizer for Q4_K (see quant_f32.wgsl for the interface).
// Super-block of 256 weights, 144 bytes: d (f16) | dmin (f16) | scales[12] | qs[128].
// 8 sub-blocks of 32 weights; sub-block s has a 6-bit scale sc_s and 6-bit min m_s packed in
// scales[12] (bytes.wgsl k_scale_min).
// Sub-blocks 2c and 2c+1 share qs[32c .. 32c+32]: low nibbles for 2c, high nibbles for 2c+1.
// weight = d * sc * q - dmin * m.
const QK: u32 = 256u;
const BLOCK_BYTES: u32 = 144u;

fn dequant8(row_byte: u32, g: u32) -> array<f32, 8> {
    let blk = row_byte + (g / 32u) * BLOCK_BYTES;
    let gi = g % 32u;                        // 8-weight group inside the super-block
    let s = gi / 4u;                         // sub-block 0..7
    let dd = unpack2x16float(load_u32(blk)); // x = d, y = dmin
    let sm = k_scale_min(blk + 4u, s);
    let scale = dd.x * f32(sm.x);
    let minv = dd.y * f32(sm.y);
    let q = blk + 16u + (s / 2u) * 32u + (gi % 4u) * 8u;
    let shift = (s % 2u) * 4u;
    let lo = load_u32(q);
    let hi = load_u32(q + 4u);
    var out: array<f32, 8>;
    for (var i = 0u; i < 4u; i++) {
        out[i] = scale * f32((byte_of(lo, i) >> shift) & 15u) - minv;
        out[i + 4u] = scale * f32((byte_of(hi, i) >> shift) & 15u) - minv;
    }
    return out;
}
