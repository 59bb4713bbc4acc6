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
    let lo = load_u32(q);
    let hi = load_u32(q + 4u);
    let j0 = sub * 8u;
    var out: array<f32, 8>;
    for (var i = 0u; i < 4u; i++) {
        let h0 = ((qh >> (j0 + i)) & 1u) << 4u;
        let h1 = ((qh >> (j0 + i + 4u)) & 1u) << 4u;
        out[i] = dm.x * f32(((byte_of(lo, i) >> shift) & 15u) | h0) + dm.y;
        out[i + 4u] = dm.x * f32(((byte_of(hi, i) >> shift) & 15u) | h1) + dm.y;
    }
    return out;
}
