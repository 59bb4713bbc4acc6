// quant_q5_1.wgsl — dequantizer for Q5_1 (see quant_f32.wgsl for the interface).
// Block of 32 weights, 24 bytes: d (f16) | m (f16) | qh (u32: bit j = 5th bit of weight j) | qs[16].
// weight[j] = d * ((qs[j] & 15) | bit_j << 4) + m, weight[j+16] = d * ((qs[j] >> 4) | bit_{j+16} << 4) + m.
// Blocks are 4-byte aligned when the row is.
const QK: u32 = 32u;
const BLOCK_BYTES: u32 = 24u;

fn dequant8(row_byte: u32, g: u32) -> array<f32, 8> {
    let blk = row_byte + (g / 4u) * BLOCK_BYTES;
    let sub = g % 4u;
    let dm = unpack2x16float(load_u32(blk));   // x = d, y = m
    let qh = load_u32(blk + 4u);
    let q = blk + 8u + (sub % 2u) * 8u;
    let shift = (sub / 2u) * 4u;
    let bits = qh >> (sub * 8u);            // the 5th bits of this group's 8 weights
    // four 5-bit values per word, one per byte; (b * 0x00204081) & 0x01010101 moves bit i of a nibble to byte i
    let lo = ((load_u32(q) >> shift) & 0x0f0f0f0fu) | ((((bits & 15u) * 0x00204081u) & 0x01010101u) << 4u);
    let hi = ((load_u32(q + 4u) >> shift) & 0x0f0f0f0fu) | (((((bits >> 4u) & 15u) * 0x00204081u) & 0x01010101u) << 4u);
    var out: array<f32, 8>;
    for (var i = 0u; i < 4u; i++) {
        out[i] = dm.x * f32(byte_of(lo, i)) + dm.y;
        out[i + 4u] = dm.x * f32(byte_of(hi, i)) + dm.y;
    }
    return out;
}
