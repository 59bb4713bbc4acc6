// kv_f32.wgsl — the KV cache's element type for rope_kv.wgsl (writes) and attention.wgsl (reads): f32,
// portable to every adapter. Prepended to those kernels; kv_f16.wgsl is the half-size variant.
alias kv_t = f32;
