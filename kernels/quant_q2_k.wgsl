// quant_q2_k.wgsl — dequantizer for Q2_K (see quant_f32.wgsl for the interface).
// Super-block of 256 weights, 84 bytes: scales[16] | qs[64] | d (f16) | dmin (f16).
// Weight e = 128h + 32j + l (h = half 0..1, j = 0..3, l = 0..31): q = (qs[32h + l] >> 2j) & 3.
// 16 sub-blocks of 16, i = e / 16 = 8h + 2j + l/16: scale = scales[i] & 15, min = scales[i] >> 4.
// weight = d * scale * q - dmin * min.
const QK: u32 = 256u;
const BLOCK_BYTES: u32 = 84u;

fn dequant8(row_byte: u32, g: u32) -> array<f32, 8> {
    let blk = row_byte + (g / 32u) * BLOCK_BYTES;
    let e0 = (g % 32u) * 8u;
    let h = e0 / 128u;
    let j = (e0 % 128u) / 32u;
    let l0 = e0 % 32u;
    let dd = unpack2x16float(load_u32(blk + 80u));   // x = d, y = dmin
    let sc = load_u8(blk + e0 / 16u);
    let scale = dd.x * f32(sc & 15u);
    let minv = dd.y * f32(sc >> 4u);
    let q = blk + 16u + 32u * h + l0;
    let shift = 2u * j;
    let lo = (load_u32(q) >> shift) & 0x03030303u;          // four 2-bit values, one per byte
    let hi = (load_u32(q + 4u) >> shift) & 0x03030303u;
    var out: array<f32, 8>;
    for (var i = 0u; i < 4u; i++) {
        out[i] = scale * f32(byte_of(lo, i)) - minv;
        out[i + 4u] = scale * f32(byte_of(hi, i)) - minv;
    }
    return out;
}
