// bytes.wgsl — helpers to read raw GGUF tensor bytes from a storage buffer of u32 words.
// Computes nothing on its own: it is prepended to kernels that read quantized weights.
// Expects the including kernel to declare `W: array<u32>` (the tensor's bytes, little-endian,
// uploaded exactly as stored in the GGUF file, zero-padded to a multiple of 4 bytes).
// Blocks of some types (Q8_0: 34 bytes, Q4_0: 18, Q5_0: 22) are not 4-byte aligned, so a
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

// The f16 stored at byte offset `b`, widened to f32.
fn load_f16(b: u32) -> f32 {
    return unpack2x16float(load_u32(b) & 0xffffu).x;
}

// Byte `i` (0..3) of word `v`, zero-extended.
fn byte_of(v: u32, i: u32) -> u32 {
    return (v >> (i * 8u)) & 0xffu;
}
