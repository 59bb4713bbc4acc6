"""Dequantize GGUF tensors to float32 numpy arrays.

Each ggml quantized type packs `block_size` weights into `type_size` bytes. A tensor row
(dims[0] elements) is a whole number of blocks, so the tensor is just n_blocks blocks in a
row; we view the bytes as a structured [n_blocks, type_size] uint8 array, decode every block
at once (vectorized), and reshape to TensorInfo.shape (numpy order = reversed GGUF dims).

Block layouts (little-endian; "f16" is IEEE half):
  Q8_0  (32 w, 34 B):  f16 d | i8 q[32]                 w = d*q
  Q4_0  (32 w, 18 B):  f16 d | u8 qs[16]                w[j] = d*(lo(qs[j]) - 8), w[j+16] = d*(hi(qs[j]) - 8)
  Q4_1  (32 w, 20 B):  f16 d | f16 m | u8 qs[16]        w[j] = d*lo(qs[j]) + m, w[j+16] = d*hi(qs[j]) + m
  Q5_0  (32 w, 22 B):  f16 d | u32 qh | u8 qs[16]       5th bit of w[i] is bit i of qh; w = d*(q5 - 16)
  Q5_1  (32 w, 24 B):  f16 d | f16 m | u32 qh | u8 qs[16]  w = d*q5 + m
  Q4_K  (256 w, 144 B): f16 d | f16 dmin | u8 scales[12] | u8 qs[128]
        8 sub-blocks of 32, each with a 6-bit scale sc and 6-bit min mn packed in `scales`;
        w = d*sc*q - dmin*mn. qs holds 4 chunks of 32 bytes: chunk c gives sub-block 2c
        (low nibbles) and 2c+1 (high nibbles).
  Q5_K  (256 w, 176 B): f16 d | f16 dmin | u8 scales[12] | u8 qh[32] | u8 qs[128]
        as Q4_K, plus a 5th bit: bit s of qh[l] belongs to element l of sub-block s.
  Q2_K  (256 w, 84 B):  u8 scales[16] | u8 qs[64] | f16 d | f16 dmin
        16 sub-blocks of 16: scale = scales[i] & 15, min = scales[i] >> 4; w = d*scale*q - dmin*min.
        Element 128h + 32j + l (l < 32) is the 2-bit field j of qs[32h + l].
  Q3_K  (256 w, 110 B): u8 hmask[32] | u8 qs[64] | u8 scales[12] | f16 d
        As Q2_K's 2-bit fields, plus a high bit: bit 4h + j of hmask[l]; q = low - 4 where it is 0.
        16 six-bit scales stored with offset 32: low nibbles in scales[0:8] (low nibbles first),
        top 2 bits in scales[8:12] (bit pairs 0-1 for scales 0-3, 2-3 for 4-7, ...); w = d*(sc-32)*q.
  IQ4_NL (32 w, 18 B): f16 d | u8 qs[16]               as Q4_0, with w = d*IQ4_VALUES[nibble]
  IQ4_XS (256 w, 136 B): f16 d | u16 scales_h | u8 scales_l[4] | u8 qs[128]
        8 sub-blocks of 32, each an IQ4_NL block's nibbles with a 6-bit scale stored with offset 32:
        low 4 bits from scales_l (nibble b of the 8), top 2 bits = bits 2b, 2b+1 of scales_h.
  Q6_K  (256 w, 210 B): u8 ql[128] | u8 qh[64] | i8 scales[16] | f16 d
        16 sub-blocks of 16 with an int8 scale; w = d*sc*(q6 - 32). Two halves of 128:
        half h uses ql[64h:64h+64], qh[32h:32h+32]; for l in 0..31 the four elements
        l, l+32, l+64, l+96 take low(ql[l]), low(ql[l+32]), high(ql[l]), high(ql[l+32])
        and the 2-bit pairs 0-1, 2-3, 4-5, 6-7 of qh[l] as their top bits.
"""

from __future__ import annotations

import numpy as np

from precis.gguf import TensorInfo


class DequantError(ValueError):
    """A tensor whose type we cannot dequantize, or whose byte count is wrong."""


def _f16(blocks: np.ndarray, start: int) -> np.ndarray:
    """Column of f16 values at byte `start` of each block -> float32 [n_blocks, 1]."""
    return blocks[:, start:start + 2].copy().view(np.float16).astype(np.float32)


def _nibbles(qs: np.ndarray) -> np.ndarray:
    """[n, k] bytes -> [n, 2k] values: the k low nibbles, then the k high nibbles."""
    return np.concatenate([qs & 0x0F, qs >> 4], axis=1)


def _bits_of_u32(qh4: np.ndarray) -> np.ndarray:
    """[n, 4] bytes of a little-endian u32 -> [n, 32] bits, bit i of the u32 at column i."""
    return np.unpackbits(qh4, axis=1, bitorder="little")


def _q8_0(b: np.ndarray) -> np.ndarray:
    d = _f16(b, 0)
    q = b[:, 2:34].view(np.int8)
    return np.multiply(q, d, dtype=np.float32)  # no float copy of q: embeddings are large


def _q4_0(b: np.ndarray) -> np.ndarray:
    d = _f16(b, 0)
    q = _nibbles(b[:, 2:18]).astype(np.int8) - 8
    return d * q.astype(np.float32)


def _q4_1(b: np.ndarray) -> np.ndarray:
    d, m = _f16(b, 0), _f16(b, 2)
    q = _nibbles(b[:, 4:20]).astype(np.float32)
    return d * q + m


def _q5_0(b: np.ndarray) -> np.ndarray:
    d = _f16(b, 0)
    high = _bits_of_u32(b[:, 2:6]) << 4
    q = (_nibbles(b[:, 6:22]) | high).astype(np.int8) - 16
    return d * q.astype(np.float32)


def _q5_1(b: np.ndarray) -> np.ndarray:
    d, m = _f16(b, 0), _f16(b, 2)
    high = _bits_of_u32(b[:, 4:8]) << 4
    q = (_nibbles(b[:, 8:24]) | high).astype(np.float32)
    return d * q + m


def _k_scales_mins(sc12: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The 12 packed bytes of Q4_K / Q5_K -> 8 six-bit scales and 8 six-bit mins, [n, 8] each.

    Sub-blocks 0-3: scale = bytes[j] & 63, min = bytes[j+4] & 63.
    Sub-blocks 4-7: low 4 bits in bytes[j+4] (scale: low nibble, min: high nibble),
                    top 2 bits are the top bits of bytes[j-4] (scale) and bytes[j] (min)."""
    a, b, c = sc12[:, 0:4], sc12[:, 4:8], sc12[:, 8:12]
    scales = np.concatenate([a & 63, (c & 0x0F) | ((a >> 6) << 4)], axis=1)
    mins = np.concatenate([b & 63, (c >> 4) | ((b >> 6) << 4)], axis=1)
    return scales.astype(np.float32), mins.astype(np.float32)


def _q4_k(b: np.ndarray) -> np.ndarray:
    n = b.shape[0]
    d, dmin = _f16(b, 0), _f16(b, 2)
    scales, mins = _k_scales_mins(b[:, 4:16])
    qs = b[:, 16:144].reshape(n, 4, 32)                      # [n, chunk, 32]
    q = np.stack([qs & 0x0F, qs >> 4], axis=2)               # [n, chunk, lo/hi, 32]
    q = q.reshape(n, 8, 32).astype(np.float32)               # [n, sub-block, 32]
    w = (d * scales)[:, :, None] * q - (dmin * mins)[:, :, None]
    return w.reshape(n, 256)


def _q5_k(b: np.ndarray) -> np.ndarray:
    n = b.shape[0]
    d, dmin = _f16(b, 0), _f16(b, 2)
    scales, mins = _k_scales_mins(b[:, 4:16])
    qh = b[:, 16:48]                                         # [n, 32]: bit s of qh[l] -> sub-block s
    qs = b[:, 48:176].reshape(n, 4, 32)
    low = np.stack([qs & 0x0F, qs >> 4], axis=2).reshape(n, 8, 32)
    bits = (qh[:, None, :] >> np.arange(8, dtype=np.uint8)[None, :, None]) & 1  # [n, 8, 32]
    q = (low | (bits << 4)).astype(np.float32)
    w = (d * scales)[:, :, None] * q - (dmin * mins)[:, :, None]
    return w.reshape(n, 256)


def _two_bit_fields(qs64: np.ndarray) -> np.ndarray:
    """Q2_K / Q3_K: [n, 64] bytes -> [n, 256] 2-bit values; element 128h + 32j + l is (qs[32h + l] >> 2j) & 3."""
    shifts = np.array([0, 2, 4, 6], dtype=np.uint8)[None, None, :, None]
    return ((qs64.reshape(-1, 2, 1, 32) >> shifts) & 3).reshape(-1, 256)


def _q2_k(b: np.ndarray) -> np.ndarray:
    n = b.shape[0]
    scales = b[:, 0:16]
    d, dmin = _f16(b, 80), _f16(b, 82)
    dl = (d * (scales & 0x0F).astype(np.float32))[:, :, None]      # [n, 16 sub-blocks, 1]
    ml = (dmin * (scales >> 4).astype(np.float32))[:, :, None]
    q = _two_bit_fields(b[:, 16:80]).reshape(n, 16, 16).astype(np.float32)
    return (dl * q - ml).reshape(n, 256)


def _q3_k(b: np.ndarray) -> np.ndarray:
    n = b.shape[0]
    hmask, sc12 = b[:, 0:32], b[:, 96:108]
    d = _f16(b, 108)
    low4 = np.concatenate([sc12[:, 0:8] & 0x0F, sc12[:, 0:8] >> 4], axis=1)             # scales 0-7, 8-15
    top2 = (sc12[:, None, 8:12] >> np.array([0, 2, 4, 6], dtype=np.uint8)[None, :, None]) & 3  # [n, 4, 4]
    scales = (low4 | (top2.reshape(n, 16) << 4)).astype(np.int8) - np.int8(32)
    dl = (d * scales.astype(np.float32))[:, :, None]
    # High bit b of hmask[l] belongs to element 32b + l; where it is clear, the value is offset by -4.
    high = (hmask[:, None, :] >> np.arange(8, dtype=np.uint8)[None, :, None]) & 1         # [n, 8, 32]
    q = _two_bit_fields(b[:, 32:96]).astype(np.int8) - ((1 - high.reshape(n, 256)) << 2).astype(np.int8)
    return (dl * q.reshape(n, 16, 16).astype(np.float32)).reshape(n, 256)


# IQ4_NL / IQ4_XS: the fixed non-linear codebook a 4-bit index selects (ggml's kvalues_iq4nl).
IQ4_VALUES = np.array([-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113], dtype=np.float32)


def _iq4_nl(b: np.ndarray) -> np.ndarray:
    return _f16(b, 0) * IQ4_VALUES[_nibbles(b[:, 2:18])]


def _iq4_xs(b: np.ndarray) -> np.ndarray:
    n = b.shape[0]
    d = _f16(b, 0)
    scales_h = b[:, 2:4].copy().view(np.uint16)                                            # [n, 1]
    low4 = _nibbles(b[:, 4:8]).reshape(n, 2, 4).transpose(0, 2, 1).reshape(n, 8)         # nibble b of scales_l
    top2 = (scales_h >> (2 * np.arange(8, dtype=np.uint16))[None, :]) & 3                   # [n, 8]
    scales = (low4 | (top2.astype(np.uint8) << 4)).astype(np.int8) - np.int8(32)
    dl = (d * scales.astype(np.float32))[:, :, None]                                        # [n, 8, 1]
    q = IQ4_VALUES[_nibbles(b[:, 8:136].reshape(n * 8, 16))].reshape(n, 8, 32)
    return (dl * q).reshape(n, 256)


def _q6_k(b: np.ndarray) -> np.ndarray:
    n = b.shape[0]
    ql = b[:, 0:128].reshape(n, 2, 2, 32)                    # [n, half, first/second 32 bytes, l]
    qh = b[:, 128:192].reshape(n, 2, 1, 32)                  # [n, half, 1, l]
    scales = b[:, 192:208].view(np.int8).astype(np.float32)  # [n, 16]
    d = _f16(b, 208)
    low = np.concatenate([ql & 0x0F, ql >> 4], axis=2)       # [n, half, 4 quarters, l]
    shifts = np.array([0, 2, 4, 6], dtype=np.uint8)[None, None, :, None]
    high = (qh >> shifts) & 3                                # [n, half, 4 quarters, l]
    q = (low | (high << 4)).astype(np.int8) - 32
    q = q.reshape(n, 16, 16).astype(np.float32)              # 16 sub-blocks of 16, in element order
    return ((d * scales)[:, :, None] * q).reshape(n, 256)


_BLOCK_DECODERS = {
    "Q8_0": _q8_0, "Q4_0": _q4_0, "Q4_1": _q4_1, "Q5_0": _q5_0, "Q5_1": _q5_1,
    "Q2_K": _q2_k, "Q3_K": _q3_k, "Q4_K": _q4_k, "Q5_K": _q5_k, "Q6_K": _q6_k, "IQ4_NL": _iq4_nl, "IQ4_XS": _iq4_xs,
}
SUPPORTED_TYPES = ("F32", "F16", "BF16", *_BLOCK_DECODERS)


def dequantize_bytes(raw, type_name: str, block_size: int, type_size: int, n_elements: int) -> np.ndarray:
    """Raw tensor bytes -> flat float32 array of n_elements."""
    data = np.frombuffer(raw, dtype=np.uint8)
    expected = n_elements // block_size * type_size
    if n_elements % block_size or data.size != expected:
        raise DequantError(f"{type_name}: {data.size} bytes for {n_elements} elements "
                           f"(expected {expected})")
    if type_name == "F32":
        return data.view(np.float32).copy()
    if type_name == "F16":
        return data.view(np.float16).astype(np.float32)
    if type_name == "BF16":
        # bf16 is the top half of an f32: shift it up into a u32 and reinterpret.
        return (data.view(np.uint16).astype(np.uint32) << 16).view(np.float32)
    decode = _BLOCK_DECODERS.get(type_name)
    if decode is None:
        raise DequantError(f"cannot dequantize type {type_name} "
                           f"(supported: {', '.join(SUPPORTED_TYPES)})")
    blocks = data.reshape(-1, type_size)
    return decode(blocks).astype(np.float32, copy=False).reshape(-1)


def dequantize(info: TensorInfo, raw) -> np.ndarray:
    """A GGUF tensor's raw bytes -> float32 array of shape info.shape."""
    t = info.ggml_type
    try:
        flat = dequantize_bytes(raw, t.name, t.block_size, t.type_size, info.n_elements)
    except DequantError as e:
        raise DequantError(f"tensor {info.name!r}: {e}") from None
    return flat.reshape(info.shape)


def load_tensor(gguf, name: str) -> np.ndarray:
    """Dequantize the named tensor of an open GGUF file."""
    return dequantize(gguf.tensors[name], gguf.tensor_bytes(name))
