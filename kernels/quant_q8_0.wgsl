// quant_q8_0.wgsl — dequantizer for Q8_0 (see quant_f32.wgsl for the interface).
// Block of 32 weights, 34 bytes: d (f16) | qs[32] (int8). weight[j] = d * qs[j].
// Blocks are 34 bytes, so qs words are read unaligned with load_u32.
const QK: u32 = 32u;
const BLOCK_BYTES: u32 = 34u;

fn dequant8(row_byte: u32, g: u32) -> array<f32, 8> {
    let blk = row_byte + (g / 4u) * BLOCK_BYTES;
    let d = load_f16(blk);
    let q = blk + 2u + (g % 4u) * 8u;
    let lo = load_u32(q);
    let hi = load_u32(q + 4u);
    var out: array<f32, 8>;
    for (var i = 0u; i < 4u; i++) {
        out[i] = d * f32(extractBits(bitcast<i32>(lo), i * 8u, 8u));
        out[i + 4u] = d * f32(extractBits(bitcast<i32>(hi), i * 8u, 8u));
    }
    return out;
}
