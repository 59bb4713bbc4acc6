// quant_q6_k.wgsl — dequantizer for Q6_K (see quant_f32.wgsl for the interface).
// Super-block of 256 weights, 210 bytes: ql[128] | qh[64] | scales[16] (int8) | d (f16).
// Weight e = 128n + 32k + l (n = half 0..1, k = quarter 0..3, l = 0..31):
//   low 4 bits  = ql[64n + 32(k%2) + l] >> 4(k/2)
//   high 2 bits = qh[32n + l] >> 2k
//   weight = d * scales[8n + l/16 + 2k] * (q - 32)
const QK: u32 = 256u;
const BLOCK_BYTES: u32 = 210u;

fn dequant8(row_byte: u32, g: u32) -> array<f32, 8> {
    let blk = row_byte + (g / 32u) * BLOCK_BYTES;
    let e0 = (g % 32u) * 8u;                 // first weight of the group in the super-block
    let n = e0 / 128u;
    let k = (e0 % 128u) / 32u;
    let l0 = e0 % 32u;
    let d = load_f16(blk + 208u);
    let sc = f32(extractBits(bitcast<i32>(load_u32(blk + 192u + 8u * n + l0 / 16u + 2u * k)), 0u, 8u));
    let qlb = blk + 64u * n + 32u * (k % 2u) + l0;
    let qhb = blk + 128u + 32u * n + l0;
    let lshift = 4u * (k / 2u);
    let hshift = 2u * k;
    var out: array<f32, 8>;
    for (var h = 0u; h < 2u; h++) {
        let ql = load_u32(qlb + 4u * h);
        let qh = load_u32(qhb + 4u * h);
        for (var i = 0u; i < 4u; i++) {
            let q = ((byte_of(ql, i) >> lshift) & 15u) | (((byte_of(qh, i) >> hshift) & 3u) << 4u);
            out[4u * h + i] = d * sc * (f32(q) - 32.0);
        }
    }
    return out;
}
