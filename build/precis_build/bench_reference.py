"""Speed of the numpy reference forward pass: `python -m precis_build.bench_reference [MODEL]`.

Prints prefill tokens/s (one forward over the whole prompt, last position's logits only, as
generation does) and decode tokens/s (one token per forward, KV cache growing), plus load time.
The prompt is a fixed pseudo-random id sequence, so runs are comparable. Nothing is asserted:
this is a figure for the report, not a test. BLAS threads follow OPENBLAS_NUM_THREADS."""

import argparse
import json
import random
import sys
import time

import numpy as np

from precis.gguf import GGUFError, open_gguf
from precis_build.paths import DEFAULT_MODEL
from precis_oracles.reference.model import ModelError, ReferenceModel


def bench(path, prompt_tokens: int, new_tokens: int) -> dict:
    t0 = time.perf_counter()
    model = ReferenceModel.from_gguf(open_gguf(path))
    load_s = time.perf_counter() - t0
    rng = random.Random(1234)
    prompt = [rng.randrange(100, min(model.config.vocab, 30000)) for _ in range(prompt_tokens)]

    t0 = time.perf_counter()
    logits = model.forward(prompt, 0, last_only=True)[-1]
    prefill_s = time.perf_counter() - t0

    token, pos = int(np.argmax(logits)), prompt_tokens
    t0 = time.perf_counter()
    for _ in range(new_tokens):
        token = int(np.argmax(model.forward([token], pos)[-1]))
        pos += 1
    decode_s = time.perf_counter() - t0
    return {
        "model": str(path), "architecture": model.config.arch,
        "prompt_tokens": prompt_tokens, "new_tokens": new_tokens,
        "load_s": round(load_s, 2),
        "prefill_tok_s": round(prompt_tokens / prefill_s, 2),
        "decode_tok_s": round(new_tokens / decode_s, 2),
    }


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m precis_build.bench_reference", description=__doc__.splitlines()[0])
    p.add_argument("model", nargs="?", default=str(DEFAULT_MODEL))
    p.add_argument("--prompt-tokens", type=int, default=128)
    p.add_argument("--new-tokens", type=int, default=32)
    args = p.parse_args(argv)
    if args.prompt_tokens < 1 or args.new_tokens < 1:
        print("bench: --prompt-tokens and --new-tokens must be at least 1", file=sys.stderr)
        return 2
    try:
        print(json.dumps(bench(args.model, args.prompt_tokens, args.new_tokens), indent=2))
    except (GGUFError, ModelError) as e:
        print(f"bench: {args.model}: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
