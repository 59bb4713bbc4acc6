// quant_f16.wgsl — dequantizer for F16 tensors (see quant_f32.wgsl for the interface).
// Row layout: K little-endian f16; a row may start at a 2-byte (not 4-byte) boundary.
const QK: u32 = 1u;
const BLOCK_BYTES: u32 = 2u;

fn dequant8(row_byte: u32, g: u32) -> array<f32, 8> {
    let b = row_byte + g * 16u;
    var out: array<f32, 8>;
    for (var i = 0u; i < 4u; i++) {
        let h = unpack2x16float(load_u32(b + 4u * i));
        out[2u * i] = h.x;
        out[2u * i + 1u] = h.y;
    }
    return out;
}
