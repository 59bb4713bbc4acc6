"""A big synthetic llama GGUF for memory benchmarks: the default model's tokenizer, chat template and
metadata, with larger shapes and random (valid) Q4_1 / Q8_0 weights. Its text is noise; its bytes, buffers
and steps are those of a real model of that size.

    python tests/harness/synthetic_model.py OUT.gguf [--hidden 2048] [--ffn 5632] [--layers 32] [--seed 1]

The defaults give about 1.0 GB (1,009 MB): hidden 2048, FFN 5632, 32 layers, 32 heads and 8 KV heads of 64;
attention and FFN matrices Q4_1, token_embd Q8_0 (tied output), norms F32. Written with gguf-py's GGUFWriter;
every metadata key of the default model is copied except the shapes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from precis_build.paths import SMOLLM2_MODEL

HEAD_DIM = 64
SHAPE_KEYS = ("block_count", "embedding_length", "feed_forward_length", "attention.head_count",
              "attention.head_count_kv", "rope.dimension_count")


def _q4_1(rng, rows: int, cols: int) -> np.ndarray:
    """rows x cols weights as Q4_1 blocks (f16 scale, f16 min, 16 bytes of nibbles): small finite values."""
    blocks = rows * cols // 32
    out = np.empty((blocks, 20), dtype=np.uint8)
    out[:, 0:2] = np.frombuffer(np.float16(0.004).tobytes(), dtype=np.uint8)
    out[:, 2:4] = np.frombuffer(np.float16(-0.03).tobytes(), dtype=np.uint8)
    out[:, 4:] = rng.integers(0, 256, size=(blocks, 16), dtype=np.uint8)
    return out.reshape(rows, cols // 32 * 20)


def _q8_0(rng, rows: int, cols: int) -> np.ndarray:
    blocks = rows * cols // 32
    out = np.empty((blocks, 34), dtype=np.uint8)
    out[:, 0:2] = np.frombuffer(np.float16(0.002).tobytes(), dtype=np.uint8)
    out[:, 2:] = rng.integers(0, 256, size=(blocks, 32), dtype=np.uint8)
    return out.reshape(rows, cols // 32 * 34)


def write(out: Path, hidden: int = 2048, ffn: int = 5632, layers: int = 32, kv_heads: int = 8,
          seed: int = 1) -> int:
    """Writes the model to `out`; returns its size in bytes."""
    import gguf

    from precis.gguf import open_gguf

    if hidden % HEAD_DIM or hidden % 32 or ffn % 32:
        raise ValueError("hidden must be a multiple of 64 and ffn of 32")
    src = open_gguf(SMOLLM2_MODEL)
    arch = src.architecture
    writer = gguf.GGUFWriter(str(out), arch)
    types = {str: gguf.GGUFValueType.STRING, bool: gguf.GGUFValueType.BOOL, float: gguf.GGUFValueType.FLOAT32}
    shapes = {"block_count": layers, "embedding_length": hidden, "feed_forward_length": ffn,
              "attention.head_count": hidden // HEAD_DIM, "attention.head_count_kv": kv_heads,
              "rope.dimension_count": HEAD_DIM}
    for key, value in src.metadata.items():
        if key in ("general.architecture",) or key.startswith("GGUF."):
            continue
        short = key[len(arch) + 1:] if key.startswith(arch + ".") else None
        if short in SHAPE_KEYS:
            writer.add_uint32(key, shapes[short])
        elif key == "general.name":
            writer.add_string(key, f"synthetic {arch} {hidden}x{layers} (random weights)")
        elif isinstance(value, list):
            sub = gguf.GGUFValueType.STRING if value and isinstance(value[0], str) else gguf.GGUFValueType.INT32
            writer.add_array(key, value) if sub == gguf.GGUFValueType.STRING else writer.add_key_value(
                key, value, gguf.GGUFValueType.ARRAY, sub)
        elif isinstance(value, int) and not isinstance(value, bool):
            writer.add_uint32(key, value)
        else:
            writer.add_key_value(key, value, types[type(value)])
    vocab = len(src.metadata["tokenizer.ggml.tokens"])
    rng = np.random.default_rng(seed)
    q4, q8, f32 = gguf.GGMLQuantizationType.Q4_1, gguf.GGMLQuantizationType.Q8_0, gguf.GGMLQuantizationType.F32
    kv = kv_heads * HEAD_DIM
    writer.add_tensor("token_embd.weight", _q8_0(rng, vocab, hidden), raw_dtype=q8)
    writer.add_tensor("output_norm.weight", np.ones(hidden, dtype=np.float32), raw_dtype=f32)
    for i in range(layers):
        p = f"blk.{i}."
        writer.add_tensor(p + "attn_norm.weight", np.ones(hidden, dtype=np.float32), raw_dtype=f32)
        writer.add_tensor(p + "ffn_norm.weight", np.ones(hidden, dtype=np.float32), raw_dtype=f32)
        for name, rows, cols in (("attn_q", hidden, hidden), ("attn_k", kv, hidden), ("attn_v", kv, hidden),
                                 ("attn_output", hidden, hidden), ("ffn_gate", ffn, hidden),
                                 ("ffn_up", ffn, hidden), ("ffn_down", hidden, ffn)):
            writer.add_tensor(p + name + ".weight", _q4_1(rng, rows, cols), raw_dtype=q4)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return out.stat().st_size


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python tests/harness/synthetic_model.py", description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--hidden", type=int, default=2048)
    parser.add_argument("--ffn", type=int, default=5632)
    parser.add_argument("--layers", type=int, default=32)
    parser.add_argument("--kv-heads", type=int, default=8)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    size = write(args.out, args.hidden, args.ffn, args.layers, args.kv_heads, args.seed)
    print(f"{args.out}: {size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
