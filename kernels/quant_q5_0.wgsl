// quant_q5_0.wgsl — dequantizer for Q5_0 (see quant_f32.wgsl for the interface).
// Block of 32 weights, 22 bytes: d (f16) | qh (u32: bit j = 5th bit of weight j) | qs[16].
// weight[j] = d * (((qs[j] & 15) | bit_j << 4) - 16), weight[j+16] = d * (((qs[j] >> 4) | bit_{j+16} << 4) - 16).
const QK: u32 = 32u;
const BLOCK_BYTES: u32 = 22u;

fn dequant8(row_byte: u32, g: u32) -> array<f32, 8> {
    let blk = row_byte + (g / 4u) * BLOCK_BYTES;
    let sub = g % 4u;
    let d = load_f16(blk);
    let qh = load_u32(blk + 2u);
    let q = blk + 6u + (sub % 2u) * 8u;
    let shift = (sub / 2u) * 4u;
    let lo = load_u32(q);
    let hi = load_u32(q + 4u);
    let j0 = sub * 8u;                      // index of the first weight of this group in the block
    var out: array<f32, 8>;
    for (var i = 0u; i < 4u; i++) {
        let h0 = ((qh >> (j0 + i)) & 1u) << 4u;
        let h1 = ((qh >> (j0 + i + 4u)) & 1u) << 4u;
        out[i] = d * (f32(((byte_of(lo, i) >> shift) & 15u) | h0) - 16.0);
        out[i + 4u] = d * (f32(((byte_of(hi, i) >> shift) & 15u) | h1) - 16.0);
    }
    return out;
}
