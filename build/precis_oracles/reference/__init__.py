"""The numpy reference: dequantization of GGUF tensors and a readable forward pass.
It is the oracle the WGSL kernels and the whole GPU model are checked against (CPython only)."""
