// quant_q5_k.wgsl — dequantizer for Q5_K (see quant_f32.wgsl for the interface).
// Super-block of 256 weights, 176 bytes: d (f16) | dmin (f16) | scales[12] | qh[32] | qs[128].
// As Q4_K (8 sub-blocks of 32, 6-bit scales and mins: bytes.wgsl k_scale_min; sub-blocks 2c, 2c+1 are the
// low / high nibbles of qs[32c .. 32c+32]) plus a 5th bit: bit s of qh[l] for element l of sub-block s.
// weight = d * sc * q - dmin * m.
const QK: u32 = 256u;
const BLOCK_BYTES: u32 = 176u;

fn dequant8(row_byte: u32, g: u32) -> array<f32, 8> {
    let blk = row_byte + (g / 32u) * BLOCK_BYTES;
    let gi = g % 32u;                        // 8-weight group inside the super-block
    let s = gi / 4u;                         // sub-block 0..7
    let l0 = (gi % 4u) * 8u;                 // first element of the group inside the sub-block
    let dd = unpack2x16float(load_u32(blk)); // x = d, y = dmin
    let sm = k_scale_min(blk + 4u, s);
    let scale = dd.x * f32(sm.x);
    let minv = dd.y * f32(sm.y);
    let q = blk + 48u + (s / 2u) * 32u + l0;
    let shift = (s % 2u) * 4u;
    var out: array<f32, 8>;
    for (var h = 0u; h < 2u; h++) {
        // four 5-bit values, one per byte: the nibble and bit s of the matching qh byte
        let v = ((load_u32(q + 4u * h) >> shift) & 0x0f0f0f0fu)
              | (((load_u32(blk + 16u + l0 + 4u * h) >> s) & 0x01010101u) << 4u);
        for (var i = 0u; i < 4u; i++) {
            out[4u * h + i] = scale * f32(byte_of(v, i)) - minv;
        }
    }
    return out;
}
