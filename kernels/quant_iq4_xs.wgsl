// quant_iq4_xs.wgsl — dequantizer for IQ4_XS (see quant_f32.wgsl for the interface).
// Super-block of 256 weights, 136 bytes: d (f16) | scales_h (u16) | scales_l[4] | qs[128].
// 8 sub-blocks of 32; sub-block b has a 6-bit scale stored with offset 32:
//   ls = ((scales_l[b / 2] >> 4(b % 2)) & 15) | ((scales_h >> 2b) & 3) << 4
// and 16 bytes qs[16b .. 16b+16], laid out as an IQ4_NL block: weight[j] = d * (ls - 32) * value(qs[16b + j] & 15),
// weight[j+16] = d * (ls - 32) * value(qs[16b + j] >> 4), value = the IQ4 codebook (bytes.wgsl iq4_value).
const QK: u32 = 256u;
const BLOCK_BYTES: u32 = 136u;

fn dequant8(row_byte: u32, g: u32) -> array<f32, 8> {
    let blk = row_byte + (g / 32u) * BLOCK_BYTES;
    let gi = g % 32u;
    let b = gi / 4u;                        // sub-block 0..7
    let sub = gi % 4u;                      // 8-weight group inside the sub-block
    let head = load_u32(blk);               // d | scales_h
    let ls = ((load_u8(blk + 4u + b / 2u) >> (4u * (b % 2u))) & 15u) | (((head >> (16u + 2u * b)) & 3u) << 4u);
    let dl = unpack2x16float(head & 0xffffu).x * (f32(ls) - 32.0);
    let q = blk + 8u + 16u * b + (sub % 2u) * 8u;
    let shift = (sub / 2u) * 4u;
    return iq4_group8(q, shift, dl);
}
