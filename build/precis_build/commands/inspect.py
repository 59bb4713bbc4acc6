"""`precis inspect [MODEL] [--context N]`: what a GGUF model is, as JSON on stdout.

Architecture, hyperparameters, tokenizer kind, whether a chat template is present, tensor counts by
type; whether the GPU plan can run it ("supported", else "reason": the one-line refusal of
precis.model_plan.check_model, the same check every backend runs) and the GPU memory it needs at
--context positions (weights + KV cache + activations, from the plan's own buffers). Reads only the
header (no tensor data), so it is instant. A model whose tokenizer or chat template the engine would refuse
(precis.engine's prepare checks) is refused in one line, exit 2."""

import json
from pathlib import Path
from collections import Counter

from precis.known_models import display_name
from precis.model_plan import build_plan, check_model
from precis.plan import PlanError
from precis_build.commands.tokenize import checked_tokenizer
from precis_build.errors import UserError
from precis_build.model_file import MODEL_HELP, open_model, resolve_model_path

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


def support(gguf, context=None) -> dict:
    """{"supported": True, "memory": {...bytes}} or {"supported": False, "reason": one line}."""
    try:
        check_model(gguf)
        plan = build_plan(gguf, context=context)
    except PlanError as e:
        return {"supported": False, "reason": str(e)}
    by_kind = Counter()
    for b in plan.buffers:
        by_kind[b.kind] += b.size
    memory = {"context": plan.model["context"], "weights": by_kind["weight"], "kv_cache": by_kind["kv"],
              "activations": by_kind["activation"] + by_kind["io"], "total": plan.total_bytes()}
    return {"supported": True, "memory": memory}


def describe(gguf, path, context=None) -> dict:
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
        "display_name": display_name(md, gguf.file_size, gguf.architecture, Path(path).name),
        "architecture": gguf.architecture,
        **support(gguf, context),
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
    if args.context is not None and args.context < 1:
        raise UserError(f"--context must be positive, got {args.context}")
    if args.model and args.model_option:
        raise UserError("give the model once: as MODEL or as --model")
    model = args.model or args.model_option
    gguf = open_model(model, check_architecture=False)
    if "tokenizer.ggml.model" in gguf.metadata:  # a model the engine would refuse to load is refused here too
        checked_tokenizer(gguf, model or "default model")
    print(json.dumps(describe(gguf, resolve_model_path(model), args.context), indent=2, ensure_ascii=False))
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser("inspect", help="print a model's architecture, hyperparameters and tensor types as JSON")
    p.add_argument("model", nargs="?", help=MODEL_HELP)
    p.add_argument("--model", dest="model_option", metavar="MODEL", help="the same as MODEL")
    p.add_argument("--context", type=int, help="KV-cache positions for the memory figure "
                                                "(default: the model's training context, at most 4096)")
    p.set_defaults(func=run)
