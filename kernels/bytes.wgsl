// bytes.wgsl — helpers to read raw GGUF tensor bytes from a storage buffer of u32 words, and the
// decoders that several quant types share (K-quant 6-bit scales, the IQ4 codebook).
// Computes nothing on its own: it is prepended to kernels that read quantized weights.
// Expects the including kernel to declare `W: array<u32>` (the tensor's bytes, little-endian,
// uploaded exactly as stored in the GGUF file, zero-padded to a multiple of 4 bytes).
// Blocks of some types (Q8_0: 34 bytes, Q4_0 / IQ4_NL: 18, Q5_0: 22, Q3_K: 110) are not 4-byte aligned, so a
// field may straddle two words: load_u32 stitches it from both.

// 4 bytes starting at byte offset `b` (any alignment).
fn load_u32(b: u32) -> u32 {
    let w = b >> 2u;
    let s = (b & 3u) * 8u;
    if (s == 0u) {
        return W[w];
    }
    return (W[w] >> s) | (W[w + 1u] << (32u - s));
}

// The f16 stored at byte offset `b`, widened to f32. `b` is even (every block size is even, and f16 fields
// sit at even offsets in their blocks), so the f16 never straddles two words: one load.
fn load_f16(b: u32) -> f32 {
    return unpack2x16float(W[b >> 2u] >> ((b & 2u) * 8u)).x;
}

// Byte `i` (0..3) of word `v`, zero-extended.
fn byte_of(v: u32, i: u32) -> u32 {
    return (v >> (i * 8u)) & 0xffu;
}

// The byte at byte offset `b`, zero-extended.
fn load_u8(b: u32) -> u32 {
    return (W[b >> 2u] >> ((b & 3u) * 8u)) & 0xffu;
}

// Q4_K / Q5_K: the 6-bit scale (x) and min (y) of sub-block s (0..7) from the 12 packed bytes at `b`.
// s < 4: scale = bytes[s] & 63, min = bytes[s+4] & 63; s >= 4: the low 4 bits are the nibbles of
// bytes[s+4] (scale: low, min: high), the top 2 bits the top bits of bytes[s-4] (scale) and bytes[s] (min).
fn k_scale_min(b: u32, s: u32) -> vec2u {
    if (s < 4u) {
        return vec2u(load_u8(b + s) & 63u, load_u8(b + s + 4u) & 63u);
    }
    let c = load_u8(b + s + 4u);
    return vec2u((c & 15u) | ((load_u8(b + s - 4u) >> 6u) << 4u), (c >> 4u) | ((load_u8(b + s) >> 6u) << 4u));
}

// IQ4_NL / IQ4_XS: the non-linear codebook {-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69,
// 89, 113}, value q (0..15) as f32. Stored as int8 bytes in four words and picked with select (no
// runtime-indexed constant array, which the WGSL compilers handle differently).
fn iq4_value(q: u32) -> f32 {
    let word = select(select(0xbfad9881u, 0xf6eaddcfu, q >= 4u), select(0x26190d01u, 0x71594535u, q >= 12u), q >= 8u);
    return f32(extractBits(bitcast<i32>(word), (q & 3u) * 8u, 8u));
}

// IQ4_NL / IQ4_XS: 8 weights of one 32-weight sub-block. `q` is the byte offset of the sub-block's 8 bytes
// of nibbles that hold this group (weights 0..3 in the first word, 4..7 in the second), `shift` 0 for the low
// nibbles, 4 for the high ones; each codebook value is multiplied by `scale`.
fn iq4_group8(q: u32, shift: u32, scale: f32) -> array<f32, 8> {
    let lo = (load_u32(q) >> shift) & 0x0f0f0f0fu;          // four codebook indices, one per byte
    let hi = (load_u32(q + 4u) >> shift) & 0x0f0f0f0fu;
    var out: array<f32, 8>;
    for (var i = 0u; i < 4u; i++) {
        out[i] = scale * iq4_value(byte_of(lo, i));
        out[i + 4u] = scale * iq4_value(byte_of(hi, i));
    }
    return out;
}
