// quant_q4_1.wgsl — dequantizer for Q4_1 (see quant_f32.wgsl for the interface).
// Block of 32 weights, 20 bytes: d (f16) | m (f16) | qs[16]. weight[j] = d * (qs[j] & 15) + m and
// weight[j+16] = d * (qs[j] >> 4) + m for j < 16. Blocks are 4-byte aligned when the row is.
const QK: u32 = 32u;
const BLOCK_BYTES: u32 = 20u;

fn dequant8(row_byte: u32, g: u32) -> array<f32, 8> {
    let blk = row_byte + (g / 4u) * BLOCK_BYTES;
    let sub = g % 4u;
    let dm = unpack2x16float(load_u32(blk));   // x = d, y = m
    let q = blk + 4u + (sub % 2u) * 8u;
    let shift = (sub / 2u) * 4u;
    let lo = load_u32(q);
    let hi = load_u32(q + 4u);
    var out: array<f32, 8>;
    for (var i = 0u; i < 4u; i++) {
        out[i] = dm.x * f32((byte_of(lo, i) >> shift) & 15u) + dm.y;
        out[i + 4u] = dm.x * f32((byte_of(hi, i) >> shift) & 15u) + dm.y;
    }
    return out;
}
