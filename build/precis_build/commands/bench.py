"""`precis bench`: time prefill and decode of a backend on a synthetic prompt and print JSON figures.

    precis bench [--model MODEL] [--backend wgpu] [--prompt-tokens 512] [--new-tokens 128] [--against llama.cpp]

The prompt is a fixed pseudo-random sequence of token ids (the same for every backend), decoding is greedy.
Figures: adapter, time to first token (prefill of the whole prompt + top-k of its last position),
prefill tok/s, decode tok/s (new tokens after the first), GPU memory the plan allocates.
--against llama.cpp times llama-cpp-python on the same token ids, when it is importable, and prints the ratios.
The backend runs the extension's engine (precis.engine.Engine.greedy, its whole generation loop) over a CPython
device (precis_build.device_engines), so the figures include our orchestration, as in the browser."""

import json
import random
import time

from precis_build.device_engines import DEVICES, engine_on
from precis_build.errors import UserError
from precis_build.model_file import MODEL_HELP, open_model, resolve_model_path


def register(subparsers) -> None:
    p = subparsers.add_parser("bench", help="time prefill and decode of a backend, print JSON")
    p.add_argument("--model", help=MODEL_HELP)
    p.add_argument("--backend", default="wgpu", choices=DEVICES)
    p.add_argument("--prompt-tokens", type=int, default=512)
    p.add_argument("--new-tokens", type=int, default=128)
    p.add_argument("--chunk", type=int, default=32, help="prefill chunk of the GPU plan")
    p.add_argument("--against", choices=["llama.cpp"], help="also time llama-cpp-python on the same prompt")
    p.set_defaults(func=run)


def prompt_ids(vocab: int, n: int) -> list:
    rng = random.Random(1234)
    return [rng.randrange(100, min(vocab, 30000)) for _ in range(n)]


def time_engine(engine, prompt, new_tokens):
    """Greedy tokens after `prompt` from an empty cache: the engine's own timings."""
    answer = engine.handle("greedy", {"prompt_ids": prompt, "max_tokens": new_tokens})
    if "error" in answer:
        raise UserError(answer["error"]["message"])
    r = answer["value"]
    return {
        "time_to_first_token_s": r["ttft_s"],
        "prefill_tok_s": round(len(prompt) / r["ttft_s"], 2),
        "decode_tok_s": round(r["decode_tokens_per_s"], 2) if new_tokens > 1 and r["decode_tokens_per_s"] else None,
        "tokens": r["ids"][:16],
    }


def time_llama_cpp(path, prompt, new_tokens):
    try:
        from llama_cpp import Llama
    except ImportError as e:
        return {"error": f"llama-cpp-python is not importable: {e}"}
    llm = Llama(model_path=str(path), n_ctx=len(prompt) + new_tokens + 8, n_gpu_layers=-1, verbose=False,
                logits_all=False)
    t0 = time.perf_counter()
    llm.eval(prompt)
    tok = int(llm.scores[llm.n_tokens - 1].argmax())
    ttft = time.perf_counter() - t0
    out = [tok]
    t1 = time.perf_counter()
    for _ in range(new_tokens - 1):
        llm.eval([out[-1]])
        out.append(int(llm.scores[llm.n_tokens - 1].argmax()))
    decode_s = time.perf_counter() - t1
    return {"time_to_first_token_s": round(ttft, 4), "prefill_tok_s": round(len(prompt) / ttft, 2),
            "decode_tok_s": round((new_tokens - 1) / decode_s, 2) if new_tokens > 1 else None,
            "tokens": out[:16]}


def run(args) -> int:
    if args.prompt_tokens < 1 or args.new_tokens < 1:
        raise UserError("--prompt-tokens and --new-tokens must be at least 1")
    gguf = open_model(args.model)
    context = args.prompt_tokens + args.new_tokens
    t0 = time.perf_counter()
    engine, device = engine_on(args.backend, resolve_model_path(args.model), context,
                               chunk=args.chunk if args.backend == "wgpu" else None)
    load_s = time.perf_counter() - t0
    vocab = gguf.tensors["token_embd.weight"].dims[1]
    prompt = prompt_ids(vocab, args.prompt_tokens)
    report = {"model": gguf.metadata.get("general.name"), "backend": args.backend,
              "prompt_tokens": args.prompt_tokens, "new_tokens": args.new_tokens, "load_s": round(load_s, 2)}
    try:
        if args.backend == "wgpu":
            ex = device.executor
            report["adapter"] = ex.gpu.description
            report["gpu_memory_bytes"] = ex.plan.total_bytes()
            report["gpu_weight_bytes"] = ex.plan.weight_bytes()
            report["dispatches_per_step"] = len(ex.plan.steps["decode"].dispatches)
            time_engine(engine, [prompt[0]], 1)   # warm-up: first use of every pipeline
        report.update(time_engine(engine, prompt, args.new_tokens))
    finally:
        device.close()
    if args.against == "llama.cpp":
        other = time_llama_cpp(resolve_model_path(args.model), prompt, args.new_tokens)
        report["llama.cpp"] = other
        if "error" not in other:
            report["ratio_vs_llama.cpp"] = {
                k: round(report[k] / other[k], 3) for k in ("prefill_tok_s", "decode_tok_s") if other.get(k)}
    print(json.dumps(report, indent=2))
    return 0
