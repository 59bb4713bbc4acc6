"""Benchmark of the engine inside the browser: the real extension in headless Chromium, Pyodide driving a
device: the JS WebGPU executor (whatever adapter Chromium finds: SwiftShader, a CPU WebGPU, on machines without
a GPU) or the CPU device (llama.cpp in wasm, extension/engine/wllama_device.js).

    python -m precis_build.bench_browser [--device auto|cpu|webgpu] [--threads N] [--against wllama]
                                         [--prompt-tokens 16] [--new-tokens 8] [--check]

--against wllama: in the same run, wllama's own completion API (its tokenizer, sampler and loop; no Python) on
the same prompt and model, with the same threads: the ratio of the two is the cost of our orchestration.

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


# --device -> the engine's device setting
DEVICES = {"auto": "auto", "cpu": "cpu", "webgpu": "gpu"}


def wllama_run(driver, ids: list[int], new_tokens: int, device: dict, executor: dict) -> dict:
    """wllama's own completion API on the prompt our ids spell (special tokens as text, which its tokenizer
    parses back), with our device's threads and context; after our engine's run, never beside it."""
    from precis.gguf import open_gguf
    from precis.tokenizer import Tokenizer

    text = Tokenizer.from_gguf(open_gguf(DEFAULT_MODEL)).decode(ids)
    options = {"promptText": text, "newTokens": new_tokens, "threads": device.get("threads") or 1,
               "context": executor.get("context") or 4096}
    out = run(driver, "import('./bench_wllama.js').then((m) => m.wllamaCompletion("
                      f"{json.dumps(options)}))")
    out["same_prompt_ids"] = out.pop("prompt_ids") == ids
    return {k: round(v, 3) if isinstance(v, float) else v for k, v in out.items()}


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
    parser.add_argument("--device", choices=DEVICES, default="auto",
                        help="the device our engine runs the model on (default: what the engine chooses)")
    parser.add_argument("--threads", type=int, help="CPU device threads (default: what the engine chooses)")
    parser.add_argument("--against", choices=("wllama",), help="also run wllama's own completion API")
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
            load = {"source": "package", "device": DEVICES[args.device]}
            if args.threads:
                load["threads"] = args.threads
            info = run(driver, f"window.precisEngine.request('load_model', {json.dumps(load)})")
            load_s = time.monotonic() - started
            ex = info.get("executor", {})
            if not ex.get("available"):
                raise UserError(f"no device could run the model: {ex.get('reason')}")
            result = run(driver, f"window.precisEngine.request('generate_ids', "
                                 f"{{prompt_ids: {ids}, max_tokens: {args.new_tokens}}})")
            device = info.get("device") or {}
            against = wllama_run(driver, ids, args.new_tokens, device, ex) if args.against else None
        out = {
            "where": f"headless Chromium, extension engine worker (Pyodide + {device.get('kind', '?')} device)",
            "device": device,
            "adapter": ex.get("adapter"),
            "model": DEFAULT_MODEL.name,
            "engine_boot_s": round(boot_s, 2),
            "model_load_s": round(load_s, 2),
            "executor_load_ms": ex["timings"],
            "gpu_buffers_mib": ex.get("gpuMiB"),
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
        if against:
            out["wllama"] = against
            ours, theirs = out["decode_tokens_per_s"], against["decode_tok_s"]
            out["decode_ratio_vs_wllama"] = round(ours / theirs, 3) if ours and theirs else None
            theirs_ids = against.pop("ids")   # wllama stops at an end-of-generation token without returning it
            out["same_greedy_ids_as_wllama"] = theirs_ids == result["ids"][:len(theirs_ids)]
        print(json.dumps(out, indent=1))
        return 0
    except UserError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
