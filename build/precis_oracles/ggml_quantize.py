"""Real quantizers for kernel tests and benchmarks: float32 rows -> GGUF tensor bytes, as a model file stores them.

    raw = quantize_rows(w, "Q3_K")      # w: float32 [rows, k]; bytes of rows * k / block_size blocks

gguf-py's `gguf.quants.quantize` where it implements the type (F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0);
otherwise llama.cpp's own `ggml_quantize_chunk` (the K-quants, IQ4_NL, IQ4_XS), called through the
libggml that llama-cpp-python builds, so block scales are what llama.cpp's quantizer writes, not random bytes.
"""

from __future__ import annotations

import ctypes
import functools

import numpy as np
from gguf import GGMLQuantizationType, quants

from precis.gguf import GGML_TYPE_BY_NAME


@functools.cache
def _ggml():
    from llama_cpp._ggml import libggml   # the built binding's libggml (ggml-base symbols resolve through it)
    f = libggml.ggml_quantize_chunk
    # size_t ggml_quantize_chunk(type, const float *src, void *dst, int64 start, int64 nrows, int64 n_per_row,
    #                            const float *imatrix)
    f.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64, ctypes.c_int64,
                  ctypes.c_int64, ctypes.c_void_p]
    f.restype = ctypes.c_size_t
    libggml.ggml_quantize_requires_imatrix.argtypes = [ctypes.c_int]
    libggml.ggml_quantize_requires_imatrix.restype = ctypes.c_bool
    return libggml


def quantize_rows(w: np.ndarray, type_name: str) -> bytes:
    """The GGUF bytes of matrix w (float32 [rows, k]) quantized to `type_name`."""
    w = np.ascontiguousarray(w, dtype=np.float32)
    rows, k = w.shape
    t = GGML_TYPE_BY_NAME[type_name]
    if k % t.block_size:
        raise ValueError(f"{type_name}: row length {k} is not a multiple of the block size {t.block_size}")
    try:
        return quants.quantize(w, GGMLQuantizationType[type_name]).tobytes()
    except NotImplementedError:
        pass
    lib = _ggml()
    if lib.ggml_quantize_requires_imatrix(t.id):
        raise ValueError(f"{type_name} needs an importance matrix")
    out = np.zeros(rows * (k // t.block_size) * t.type_size, np.uint8)
    written = lib.ggml_quantize_chunk(t.id, w.ctypes.data, out.ctypes.data, 0, rows, k, None)
    if written != out.size:
        raise RuntimeError(f"ggml_quantize_chunk wrote {written} bytes of {type_name}, expected {out.size}")
    return out.tobytes()
