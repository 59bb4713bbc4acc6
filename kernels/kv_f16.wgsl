// kv_f16.wgsl — the KV cache stored as f16 (half the KV memory and attention bandwidth; math stays f32:
// rope_kv.wgsl rounds on store, attention.wgsl widens on load). Needs the "shader-f16" device feature and
// `enable f16;` before the module, which executors add from the pipeline's "enables": ["f16"].
alias kv_t = f16;
