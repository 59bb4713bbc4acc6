// quant_f32.wgsl — dequantizer for F32 tensors (prepended to matmul/embed kernels with bytes.wgsl).
// Row layout: K little-endian f32. dequant8(row_byte, g) returns elements [8g, 8g+8) of the row
// that starts at byte `row_byte`. QK = elements per block, BLOCK_BYTES = bytes per block.
const QK: u32 = 1u;
const BLOCK_BYTES: u32 = 4u;

fn dequant8(row_byte: u32, g: u32) -> array<f32, 8> {
    let w = (row_byte >> 2u) + g * 8u;
    var out: array<f32, 8>;
    for (var i = 0u; i < 8u; i++) {
        out[i] = bitcast<f32>(W[w + i]);
    }
    return out;
}
