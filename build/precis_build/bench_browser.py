"""Benchmark of the engine inside the browser: the real extension in headless Chromium, Pyodide driving the
JS WebGPU executor (whatever adapter Chromium finds: SwiftShader, a CPU WebGPU, on machines without a GPU).

    python -m precis_build.bench_browser [--prompt-tokens 16] [--new-tokens 8] [--check]

Prints one JSON object: adapter, engine boot time, model load time (file read + Python check, then plan,
pipelines and weight upload), time to first token (the prompt's prefill steps), prefill and decode tokens/s.
--check also runs the numpy reference on the same ids and reports whether the greedy tokens agree and the
largest difference between the prompt step's top-k logits and the reference's.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from precis_build import browser
from precis_build.errors import UserError
from precis_build.paths import DEFAULT_MODEL, REPO_ROOT, VENDOR

HOST = "extension/engine/engine_host.html"
TEXT = ("The quick brown fox jumps over the lazy dog. Précis summarizes the page you are on with a small "
        "language model that runs on your own GPU, and nothing leaves the machine. ")


def prompt_ids(n: int) -> list[int]:
    """n token ids: a chat turn asking about a repeated English paragraph, cut to n tokens."""
    from precis.chat_template import ChatTemplate
    from precis.gguf import open_gguf
    from precis.tokenizer import Tokenizer

    g = open_gguf(DEFAULT_MODEL)
    tok = Tokenizer.from_gguf(g)
    ids = ChatTemplate.from_gguf(g).encode(tok, [{"role": "user", "content": TEXT * (1 + n // 20)}])
    return ids[:n]


def run(driver, expression: str, timeout: float = 1800):
    """A JS promise's value in the engine host page; failures become one-line UserErrors."""
    try:
        return browser.await_promise(driver, expression, timeout)
    except RuntimeError as e:
        raise UserError(f"the engine failed: {e}") from None
    except TimeoutError:
        raise UserError(f"the engine did not answer within {timeout:.0f} s") from None


def reference_check(ids: list[int], result: dict) -> dict:
    import numpy as np

    from precis.gguf import open_gguf
    from precis_build.reference.model import ReferenceModel

    model = ReferenceModel.from_gguf(open_gguf(DEFAULT_MODEL))
    logits = model.logits_for(ids)[-1]
    greedy = model.greedy(ids, len(result["ids"]))
    top = np.array(result["first_ids"])
    diff = np.abs(np.array(result["first_logits"], dtype=np.float64) - logits[top])
    return {"greedy_matches_reference": greedy == result["ids"], "reference_ids": greedy,
            "max_abs_logit_diff": float(diff.max())}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m precis_build.bench_browser", description=__doc__.split("\n")[0])
    parser.add_argument("--prompt-tokens", type=int, default=16)
    parser.add_argument("--new-tokens", type=int, default=8)
    parser.add_argument("--check", action="store_true", help="compare with the numpy reference")
    args = parser.parse_args(argv)
    try:
        if args.prompt_tokens < 1 or args.new_tokens < 1:
            raise UserError("--prompt-tokens and --new-tokens must be at least 1")
        from precis_build.project import version
        from precis_build.wheels import build_precis_wheel

        build_precis_wheel(REPO_ROOT / "py", version(), VENDOR / "wheels")   # the browser runs this checkout
        ids = prompt_ids(args.prompt_tokens)
        with browser.launch() as driver:
            driver.get(browser.extension_url(HOST))
            started = time.monotonic()
            status = run(driver, "window.precisBoot")
            boot_s = time.monotonic() - started
            started = time.monotonic()
            info = run(driver, "window.precisEngine.request('load_model', {source: 'package'})")
            load_s = time.monotonic() - started
            ex = info.get("executor", {})
            if not ex.get("available"):
                raise UserError(f"no WebGPU executor: {ex.get('reason')}")
            result = run(driver, f"window.precisEngine.request('generate_ids', "
                                 f"{{prompt_ids: {ids}, max_tokens: {args.new_tokens}}})")
        out = {
            "where": "headless Chromium, extension engine worker (Pyodide + JS WebGPU executor)",
            "adapter": ex["adapter"],
            "model": DEFAULT_MODEL.name,
            "engine_boot_s": round(boot_s, 2),
            "model_load_s": round(load_s, 2),
            "executor_load_ms": ex["timings"],
            "gpu_buffers_mib": ex["gpuMiB"],
            "prompt_tokens": result["prompt_tokens"],
            "new_tokens": len(result["ids"]),
            "ttft_s": result["ttft_s"],
            "prefill_tokens_per_s": round(result["prompt_tokens"] / result["ttft_s"], 3),
            "decode_tokens_per_s": result["decode_tokens_per_s"],
            "ids": result["ids"],
            "precis": status.get("precisVersion"),
        }
        if args.check:
            out.update(reference_check(ids, result))
        print(json.dumps(out, indent=1))
        return 0
    except UserError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
