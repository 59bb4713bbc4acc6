// quant_bf16.wgsl — dequantizer for BF16 tensors (see quant_f32.wgsl for the interface).
// Row layout: K little-endian bfloat16, the top 16 bits of an f32 (K % 8 == 0, so rows are 16-byte aligned).
const QK: u32 = 1u;
const BLOCK_BYTES: u32 = 2u;

fn dequant8(row_byte: u32, g: u32) -> array<f32, 8> {
    let w = (row_byte >> 2u) + g * 4u;
    var out: array<f32, 8>;
    for (var i = 0u; i < 4u; i++) {
        let v = W[w + i];
        out[2u * i] = bitcast<f32>(v << 16u);
        out[2u * i + 1u] = bitcast<f32>(v & 0xffff0000u);
    }
    return out;
}
