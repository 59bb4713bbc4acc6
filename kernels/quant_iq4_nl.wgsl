// quant_iq4_nl.wgsl — dequantizer for IQ4_NL (see quant_f32.wgsl for the interface).
// Block of 32 weights, 18 bytes: d (f16) | qs[16]. As Q4_0, but each nibble indexes the non-linear
// codebook (bytes.wgsl iq4_value): weight[j] = d * value(qs[j] & 15), weight[j+16] = d * value(qs[j] >> 4).
const QK: u32 = 32u;
const BLOCK_BYTES: u32 = 18u;

fn dequant8(row_byte: u32, g: u32) -> array<f32, 8> {
    let blk = row_byte + (g / 4u) * BLOCK_BYTES;
    let sub = g % 4u;
    let d = load_f16(blk);
    let q = blk + 2u + (sub % 2u) * 8u;     // groups 0,2 use qs[0..8], groups 1,3 use qs[8..16]
    let shift = (sub / 2u) * 4u;            // groups 2,3 are the high nibbles
    return iq4_group8(q, shift, d);
}
