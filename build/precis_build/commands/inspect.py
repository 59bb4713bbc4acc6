"""`precis inspect [MODEL]`: what a GGUF model is, as JSON on stdout.

Architecture, hyperparameters, tokenizer kind, whether a chat template is present, and
tensor counts by type. Reads only the header (no tensor data), so it is instant."""

import json
from collections import Counter

from precis_build.model_file import SUPPORTED_ARCHITECTURES, open_model, resolve_model_path

# (JSON name, metadata key under the architecture prefix)
HYPERPARAMETERS = [
    ("layers", "block_count"),
    ("hidden", "embedding_length"),
    ("ffn", "feed_forward_length"),
    ("heads", "attention.head_count"),
    ("kv_heads", "attention.head_count_kv"),
    ("head_dim", "attention.key_length"),
    ("value_dim", "attention.value_length"),
    ("context", "context_length"),
    ("vocab", "vocab_size"),
    ("rope_base", "rope.freq_base"),
    ("rope_dims", "rope.dimension_count"),
    ("rope_scaling", "rope.scaling.type"),
    ("rope_scaling_factor", "rope.scaling.factor"),
    ("norm_eps", "attention.layer_norm_rms_epsilon"),
    ("sliding_window", "attention.sliding_window"),
]


def describe(gguf, path) -> dict:
    md = gguf.metadata
    hp = {name: gguf.arch_value(key) for name, key in HYPERPARAMETERS}
    # Fill what the GGUF leaves implicit, the way the loaders do.
    if hp["kv_heads"] is None:
        hp["kv_heads"] = hp["heads"]
    if hp["head_dim"] is None and hp["hidden"] and hp["heads"]:
        hp["head_dim"] = hp["hidden"] // hp["heads"]
    if hp["vocab"] is None:
        hp["vocab"] = len(md.get("tokenizer.ggml.tokens", ())) or None
    hp = {k: v for k, v in hp.items() if v is not None}
    tensors = gguf.tensors.values()
    return {
        "path": str(path),
        "name": md.get("general.name"),
        "architecture": gguf.architecture,
        "supported": gguf.architecture in SUPPORTED_ARCHITECTURES,
        "gguf_version": gguf.version,
        "hyperparameters": hp,
        "tokenizer": {
            "model": md.get("tokenizer.ggml.model"),
            "pre": md.get("tokenizer.ggml.pre"),
            "tokens": len(md.get("tokenizer.ggml.tokens", ())),
            "merges": len(md.get("tokenizer.ggml.merges", ())),
            "bos_id": md.get("tokenizer.ggml.bos_token_id"),
            "eos_id": md.get("tokenizer.ggml.eos_token_id"),
            "add_bos": md.get("tokenizer.ggml.add_bos_token"),
        },
        "chat_template": isinstance(md.get("tokenizer.chat_template"), str),
        "tied_output": "output.weight" not in gguf.tensors,
        "tensors": {
            "count": len(gguf.tensors),
            "by_type": dict(sorted(Counter(t.type_name for t in tensors).items())),
            "parameters": sum(t.n_elements for t in tensors),
            "bytes": sum(t.nbytes for t in tensors),
        },
    }


def run(args) -> int:
    gguf = open_model(args.model, check_architecture=False)
    print(json.dumps(describe(gguf, resolve_model_path(args.model)), indent=2))
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser("inspect", help="print a model's architecture, hyperparameters and tensor types as JSON")
    p.add_argument("model", nargs="?", help="GGUF file (default: the installed default model)")
    p.set_defaults(func=run)
