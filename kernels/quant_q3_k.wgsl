// quant_q3_k.wgsl — dequantizer for Q3_K (see quant_f32.wgsl for the interface).
// Super-block of 256 weights, 110 bytes: hmask[32] | qs[64] | scales[12] | d (f16). Blocks are not 4-byte
// aligned (110 bytes): fields are read with load_u32 / load_u8.
// Weight e = 128h + 32j + l (h = half 0..1, j = 0..3, l = 0..31):
//   low 2 bits = qs[32h + l] >> 2j;  high bit = hmask[l] >> (4h + j): q = low - 4 when that bit is 0
//   16 sub-blocks of 16, i = e / 16 = 8h + 2j + l/16, with a 6-bit scale stored with offset 32:
//   low 4 bits = scales[i % 8] >> 4(i / 8), top 2 bits = scales[8 + i % 4] >> 2(i / 4)
//   weight = d * (scale - 32) * q
const QK: u32 = 256u;
const BLOCK_BYTES: u32 = 110u;

fn dequant8(row_byte: u32, g: u32) -> array<f32, 8> {
    let blk = row_byte + (g / 32u) * BLOCK_BYTES;
    let e0 = (g % 32u) * 8u;
    let h = e0 / 128u;
    let j = (e0 % 128u) / 32u;
    let l0 = e0 % 32u;
    let i = e0 / 16u;
    let sc_lo = (load_u8(blk + 96u + i % 8u) >> (4u * (i / 8u))) & 15u;
    let sc_hi = (load_u8(blk + 104u + i % 4u) >> (2u * (i / 4u))) & 3u;
    let scale = load_f16(blk + 108u) * (f32(sc_lo | (sc_hi << 4u)) - 32.0);
    let offset = 4.0 * scale;               // weight = scale * q = scale * (q + 4) - 4 scale
    let qshift = 2u * j;
    let hbit = 4u * h + j;
    var out: array<f32, 8>;
    for (var w = 0u; w < 2u; w++) {
        // q + 4 of four weights, one per byte: the 2 low bits, plus 4 where the hmask bit is set
        let low = (load_u32(blk + 32u + 32u * h + l0 + 4u * w) >> qshift) & 0x03030303u;
        let high = (load_u32(blk + l0 + 4u * w) >> hbit) & 0x01010101u;
        let q4 = low | (high << 2u);
        for (var b = 0u; b < 4u; b++) {
            out[4u * w + b] = scale * f32(byte_of(q4, b)) - offset;
        }
    }
    return out;
}
