"""The oracles the WGSL kernels and the whole model are checked against (CPython only, never shipped):
the numpy reference (reference/: dequantization and a readable forward pass), our WGSL replayed in CPython
through wgpu-py (wgpu_executor.py), and real GGUF quantizers for kernel inputs (ggml_quantize.py)."""
