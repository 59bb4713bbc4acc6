// quant_q4_k.wgsl — dequantizer for Q4_K (see quant_f32.wgsl for the interface).
// Super-block of 256 weights, 144 bytes: d (f16) | dmin (f16) | scales[12] | qs[128].
// 8 sub-blocks of 32 weights; sub-block s has a 6-bit scale sc_s and 6-bit min m_s packed in
// scales[12]: s < 4: sc = scales[s] & 63, m = scales[s+4] & 63;
//             s >= 4: sc = (scales[s+4] & 15) | (scales[s-4] >> 6) << 4, m = (scales[s+4] >> 4) | (scales[s] >> 6) << 4.
// Sub-blocks 2c and 2c+1 share qs[32c .. 32c+32]: low nibbles for 2c, high nibbles for 2c+1.
// weight = d * sc * q - dmin * m.
const QK: u32 = 256u;
const BLOCK_BYTES: u32 = 144u;

fn q4k_scale_byte(blk: u32, i: u32) -> u32 {
    return byte_of(load_u32(blk + 4u + (i & ~3u)), i & 3u);
}

fn dequant8(row_byte: u32, g: u32) -> array<f32, 8> {
    let blk = row_byte + (g / 32u) * BLOCK_BYTES;
    let gi = g % 32u;                        // 8-weight group inside the super-block
    let s = gi / 4u;                         // sub-block 0..7
    let dd = unpack2x16float(load_u32(blk)); // x = d, y = dmin
    var sc: u32;
    var mn: u32;
    if (s < 4u) {
        sc = q4k_scale_byte(blk, s) & 63u;
        mn = q4k_scale_byte(blk, s + 4u) & 63u;
    } else {
        sc = (q4k_scale_byte(blk, s + 4u) & 15u) | ((q4k_scale_byte(blk, s - 4u) >> 6u) << 4u);
        mn = (q4k_scale_byte(blk, s + 4u) >> 4u) | ((q4k_scale_byte(blk, s) >> 6u) << 4u);
    }
    let scale = dd.x * f32(sc);
    let minv = dd.y * f32(mn);
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
