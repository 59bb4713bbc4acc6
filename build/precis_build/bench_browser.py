"""Benchmark of the engine inside the browser: the real extension in headless Chromium, Python's engine in
Pyodide driving a device: the JS WebGPU device (whatever adapter Chromium finds: SwiftShader, a CPU WebGPU, on
machines without a GPU) or the CPU device (llama.cpp in wasm, extension/engine/wllama_device.js), and the
browser's whole memory while it loads and generates.

    python -m precis_build.bench_browser [--device auto|cpu|webgpu] [--threads N] [--against wllama]
                                         [--rounds 3] [--model NAME|PATH] [--prompt-tokens 16] [--new-tokens 8]
                                         [--context N] [--check] [--json]

Two passes in one browser. The memory pass loads the model and generates once while the browser's memory is
sampled: peak_pss_bytes is the peak of the proportional set size summed over every process of the browser
(/proc/PID/smaps_rollup, sampled every SAMPLE_S), with the peak during the load and the value after boot beside
it. The sampler then stops (reading smaps_rollup 25 times a second costs the kernel most of a core, which the
model's threads would otherwise share), and --rounds timed rounds follow, each generating from an empty cache.
The figures are their medians.

Our side is Python's engine running the loop every summary runs (precis.generation: sampler, stream decoder,
stop checks, text crossing the seam on each step) with greedy sampling. --against wllama: in each round, wllama's
own completion API too (its tokenizer, sampler and loop; no Python) on the same prompt and the default model,
with the same threads and context; the two alternate which goes first. decode_ratio_vs_wllama, the median of the
rounds' ratios, is the cost of our orchestration.

Prints one JSON object: model_bytes (the file), gpu_bytes (the sum of the GPU buffers the plan allocated),
load_s (header, plan, device, pipelines, weights streamed: timed in a fresh engine after the memory pass, as
wllama's loads are, not during that pass, whose sampler takes a core), ttft_s (the prompt's prefill steps),
prefill_tok_s, decode_tok_s (medians over the rounds), the memory figures above with the bound they are held to (memory_bound), and rounds
(each round's figures). --model takes a catalog
name (precis_build.models_catalog: `precis setup --model NAME` places it in models/) or any GGUF: a file outside
the extension folder is linked into models/linked/; either way it is loaded as a packaged file. --against wllama
loads the same file into wllama. --check also runs the numpy reference on the same ids
and reports whether the greedy tokens agree.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path

from precis_build import browser
from precis_build.errors import UserError
from precis_build.model_file import MODEL_HELP, resolve_model_path
from precis_build.paths import DEFAULT_MODEL, REPO_ROOT, VENDOR

HOST = "extension/dev/engine_host.html"
SAMPLE_S = 0.04          # 25 samples a second asked (at least 10 wanted on a busy machine)
TEXT = ("The quick brown fox jumps over the lazy dog. Précis summarizes the page you are on with a small "
        "language model that runs on your own GPU, and nothing leaves the machine. ")


def prompt_ids(model: Path, n: int) -> list[int]:
    """n token ids: a chat turn asking about a repeated English paragraph, cut to n tokens."""
    from precis.chat_template import ChatTemplate
    from precis.gguf import open_gguf
    from precis.tokenizer import Tokenizer

    g = open_gguf(model)
    tok = Tokenizer.from_gguf(g)
    ids = ChatTemplate.from_gguf(g).encode(tok, [{"role": "user", "content": TEXT * (1 + n // 20)}])
    return ids[:n]


def package_source(model: Path) -> str:
    """The engine's source for a GGUF file: "package" for the default model, else "package:<path>" of a
    link to it inside the extension folder (models/linked/), which the engine streams like the packaged one."""
    model = model.resolve()
    if model == DEFAULT_MODEL.resolve():
        return "package"
    try:
        relative = model.relative_to(REPO_ROOT.resolve())
    except ValueError:
        linked = REPO_ROOT / "models" / "linked" / model.name
        linked.parent.mkdir(parents=True, exist_ok=True)
        if linked.exists() or linked.is_symlink():
            linked.unlink()
        try:
            os.link(model, linked)
        except OSError:          # another file system: a symlink still serves through the extension's URL
            linked.symlink_to(model)
        relative = linked.relative_to(REPO_ROOT)
    return f"package:{relative.as_posix()}"


def _descendants(root: int) -> list[int]:
    children: dict = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        for child in children.get(pid, []):
            out.append(child)
            todo.append(child)
    return out


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class PssSampler:
    """PSS summed over every process under chromedriver (the browser and all its children) every SAMPLE_S.
    Each process is read by its own thread (a big process's smaps_rollup takes a while to walk), the sum
    of the latest values is taken every SAMPLE_S; `mark(name)` starts a named phase, whose peak is kept too.
    `min_reads_per_s`: the sampling rate of the slowest process."""

    def __init__(self, root_pid: int):
        self.root = root_pid
        self.peak = 0
        self.samples = 0
        self.phases: dict = {}
        self.phase = "boot"
        self.last = 0
        self.latest: dict = {}          # pid -> its latest PSS
        self.reads: dict = {}           # pid -> [reads, first read time]
        self._stop = threading.Event()
        self._threads: dict = {}
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _watch(self, pid: int):
        started = time.monotonic()
        while not self._stop.is_set():
            value = _pss(pid)
            if not value and not os.path.exists(f"/proc/{pid}"):
                self.latest.pop(pid, None)
                self.reads.pop(pid, None)
                return
            self.latest[pid] = value
            n = self.reads.setdefault(pid, [0, started])
            n[0] += 1
            self._stop.wait(SAMPLE_S)

    def _run(self):
        pids_at = 0.0
        next_at = time.monotonic()
        while not self._stop.is_set():
            now = time.monotonic()
            if now - pids_at > 0.25:        # processes come and go (the GPU process, renderers)
                pids_at = now
                for pid in [self.root] + _descendants(self.root):
                    if pid not in self._threads:
                        self._threads[pid] = threading.Thread(target=self._watch, args=(pid,), daemon=True)
                        self._threads[pid].start()
            total = sum(self.latest.values())
            self.last = total
            self.samples += 1
            self.peak = max(self.peak, total)
            self.phases[self.phase] = max(self.phases.get(self.phase, 0), total)
            next_at = max(next_at + SAMPLE_S, time.monotonic())   # a fixed schedule, not SAMPLE_S after the work
            self._stop.wait(next_at - time.monotonic())

    @property
    def min_reads_per_s(self) -> float:
        now = time.monotonic()
        rates = [n / (now - t0) for n, t0 in self.reads.values() if now - t0 > 1]
        return round(min(rates), 1) if rates else 0.0

    def mark(self, phase: str) -> int:
        self.phase = phase
        return self.last

    def __enter__(self):
        self.thread.start()
        return self

    def stop(self):
        """Stops sampling (idempotent); the figures so far stay."""
        self._stop.set()
        if self.thread.is_alive():
            self.thread.join()
        for t in self._threads.values():
            t.join()

    def __exit__(self, *exc):
        self.stop()


def run(driver, expression: str, timeout: float = 3600):
    """A JS promise's value in the engine host page; failures become one-line UserErrors."""
    try:
        return browser.await_promise(driver, expression, timeout)
    except RuntimeError as e:
        raise UserError(f"the engine failed: {e}") from None
    except TimeoutError:
        raise UserError(f"the engine did not answer within {timeout:.0f} s") from None


MiB = 1 << 20


def memory_bound(model_memory: int) -> int:
    """Issue 18's bound on what loading a model and generating adds to the browser's PSS: 1.25x the memory that
    holds the model (the file's bytes on the CPU device, the GPU buffers the plan allocates on WebGPU) + 100 MiB.
    It is compared with the peak over the load and the generation less the PSS of the booted engine with no model
    (Chromium and Pyodide, 320-540 MiB here, which no model changes)."""
    return int(1.25 * model_memory) + 100 * MiB


def memory_pass(driver, pss: PssSampler, load: dict, ids: list[int], new_tokens: int) -> dict:
    """The engine host page opened, the engine booted, the model loaded and `new_tokens` generated while `pss`
    samples: the boot status, the load's info, the generation's result and the memory figures."""
    driver.get(browser.extension_url(HOST))
    started = time.monotonic()
    status = run(driver, "window.precisBoot")
    boot_s = time.monotonic() - started
    after_boot = pss.mark("load")
    started = time.monotonic()
    info = run(driver, f"window.precisEngine.request('load_model', {json.dumps(load)})")
    load_s = time.monotonic() - started
    pss.mark("generate")
    result = ours_run(driver, ids, new_tokens)
    peak = max(pss.phases.get("load", 0), pss.phases.get("generate", 0))
    model_memory = info["gpu_bytes"] if info["device"]["kind"] == "webgpu" else info["file_bytes"]
    memory = {"pss_after_boot_bytes": after_boot, "peak_pss_load_bytes": pss.phases.get("load", 0),
              "peak_pss_generate_bytes": pss.phases.get("generate", 0), "model_memory_bytes": model_memory,
              "peak_pss_over_boot_bytes": peak - after_boot, "pss_bound_bytes": memory_bound(model_memory)}
    memory["within_pss_bound"] = memory["peak_pss_over_boot_bytes"] <= memory["pss_bound_bytes"]
    return {"status": status, "info": info, "result": result, "boot_s": boot_s, "load_s": load_s,
            "memory": memory}


# --device -> the engine's device setting
DEVICES = {"auto": "auto", "cpu": "cpu", "webgpu": "gpu"}


def wllama_options(model: Path, source: str, ids: list[int], new_tokens: int, device: dict) -> dict:
    """What wllama's completion gets: the same file (`source`, the engine's), the prompt our ids spell (special
    tokens as text, which its tokenizer parses back), with our device's threads and context."""
    from precis.gguf import open_gguf
    from precis.tokenizer import Tokenizer

    options = {"promptText": Tokenizer.from_gguf(open_gguf(model)).decode(ids), "newTokens": new_tokens,
               "threads": device.get("threads") or 1, "context": device.get("context") or 4096}
    if source != "package":
        options["model"] = source.removeprefix("package:")
    return options


def wllama_run(driver, ids: list[int], options: dict, timeout: float = 3600) -> dict:
    """wllama's own completion API (wllama_options); before or after our engine's run, never beside it."""
    out = run(driver, "import('./bench_wllama.js').then((m) => m.wllamaCompletion("
                      f"{json.dumps(options)}))", timeout)
    out["same_prompt_ids"] = out.pop("prompt_ids") == ids
    return {k: round(v, 3) if isinstance(v, float) else v for k, v in out.items()}


def ours_run(driver, ids: list[int], new_tokens: int) -> dict:
    """Our engine from an empty cache: the prompt, then greedy tokens through the generation loop."""
    result = run(driver, f"window.precisEngine.request('generate_ids', "
                         f"{{prompt_ids: {ids}, max_tokens: {new_tokens}}})")
    result["prefill_tok_s"] = round(result["prompt_tokens"] / result["ttft_s"], 3)
    return result


def median(values: list):
    """The median of the figures a run has (None where a round had none), rounded; None if none."""
    values = [v for v in values if v is not None]
    return round(statistics.median(values), 3) if values else None


def timed_rounds(driver, ids: list[int], new_tokens: int, device: dict, rounds: int, against: bool,
                 model: Path, source: str) -> list:
    """`rounds` rounds of ours (and wllama's, alternating which goes first); each round's figures."""
    options = wllama_options(model, source, ids, new_tokens, device) if against else None
    out = []
    for r in range(rounds):
        entry = {}
        order = ("ours", "wllama") if r % 2 == 0 else ("wllama", "ours")
        for side in order:
            if side == "ours":
                result = ours_run(driver, ids, new_tokens)
                entry["ours"] = {"ttft_s": result["ttft_s"], "prefill_tok_s": result["prefill_tok_s"],
                                 "decode_tok_s": result["decode_tokens_per_s"], "ids": result["ids"]}
            elif against:
                entry["wllama"] = wllama_run(driver, ids, options)
        if against:
            ours, theirs = entry["ours"]["decode_tok_s"], entry["wllama"]["decode_tok_s"]
            entry["decode_ratio"] = round(ours / theirs, 3) if ours and theirs else None
        out.append(entry)
    return out


def reference_check(model_path: Path, ids: list[int], result: dict) -> dict:
    import numpy as np

    from precis.gguf import open_gguf
    from precis_oracles.reference.model import ReferenceModel

    model = ReferenceModel.from_gguf(open_gguf(model_path))
    logits = model.logits_for(ids)[-1]
    greedy = model.greedy(ids, len(result["ids"]))
    top = np.array(result["first_ids"])
    diff = np.abs(np.array(result["first_logits"], dtype=np.float64) - logits[top])
    return {"greedy_matches_reference": greedy == result["ids"], "reference_ids": greedy,
            "max_abs_logit_diff": float(diff.max())}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m precis_build.bench_browser", description=__doc__.split("\n")[0])
    parser.add_argument("--model", help=MODEL_HELP)
    parser.add_argument("--prompt-tokens", type=int, default=16)
    parser.add_argument("--new-tokens", type=int, default=8)
    parser.add_argument("--context", type=int, default=None, help="KV-cache positions (default: the engine's)")
    parser.add_argument("--check", action="store_true", help="compare with the numpy reference on the same file")
    parser.add_argument("--json", action="store_true", help="print one compact JSON object")
    parser.add_argument("--device", choices=DEVICES, default="auto",
                        help="the device our engine runs the model on (default: what the engine chooses)")
    parser.add_argument("--threads", type=int, help="CPU device threads (default: what the engine chooses)")
    parser.add_argument("--against", choices=("wllama",), help="also run wllama's own completion API on the same file")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds after the memory pass (default 3)")
    args = parser.parse_args(argv)
    try:
        if args.prompt_tokens < 1 or args.new_tokens < 1 or args.rounds < 1:
            raise UserError("--prompt-tokens, --new-tokens and --rounds must be at least 1")
        args.model = resolve_model_path(args.model)
        from precis_build.project import version
        from precis_build.wheels import build_precis_wheel

        build_precis_wheel(REPO_ROOT / "py", version(), VENDOR / "wheels")   # the browser runs this checkout
        ids = prompt_ids(args.model, args.prompt_tokens)
        source = package_source(args.model)
        load = {"source": source, "device": DEVICES[args.device], **({"context": args.context} if args.context else {}),
                **({"threads": args.threads} if args.threads else {})}
        with browser.launch() as driver, PssSampler(driver.service.process.pid) as pss:
            pss_started = time.monotonic()
            measured = memory_pass(driver, pss, load, ids, args.new_tokens)
            status, info, result = measured["status"], measured["info"], measured["result"]
            boot_s, load_s = measured["boot_s"], measured["load_s"]
            live = run(driver, "window.precisEngine.request('gpu_memory')")
            reads_per_s = pss.min_reads_per_s
            samples_per_s = round(pss.samples / (time.monotonic() - pss_started), 1)
            pss.stop()
            device = info["device"]
            # The load timed again in a fresh engine with the sampler stopped, as wllama's loads are timed.
            driver.get(browser.extension_url(HOST))
            run(driver, "window.precisBoot")
            started = time.monotonic()
            run(driver, f"window.precisEngine.request('load_model', {json.dumps(load)})")
            quiet_load_s = time.monotonic() - started
            rounds = timed_rounds(driver, ids, args.new_tokens, device, args.rounds, bool(args.against),
                                  args.model, source)
        ours = [r["ours"] for r in rounds]
        out = {
            "where": f"headless Chromium, extension engine worker (Pyodide engine + JS {device['kind']} device)",
            "device": {k: v for k, v in device.items() if k != "timings"},
            "adapter": status["adapter"].get("name"),
            "model": args.model.name,
            "model_name": info.get("title"),
            "model_bytes": args.model.stat().st_size,
            "gpu_bytes": info["gpu_bytes"],
            "gpu_bytes_live": live["bytes"],
            "context": info["context"],
            "engine_boot_s": round(boot_s, 2),
            "load_s": round(quiet_load_s, 2),
            "device_ms": device.get("timings"),
            "prompt_tokens": result["prompt_tokens"],
            "new_tokens": len(result["ids"]),
            "ttft_s": median([r["ttft_s"] for r in ours]),
            "prefill_tok_s": median([r["prefill_tok_s"] for r in ours]),
            "decode_tok_s": median([r["decode_tok_s"] for r in ours]),
            "memory_pass": {"load_s": round(load_s, 2), "ttft_s": result["ttft_s"], "prefill_tok_s": result["prefill_tok_s"],
                            "decode_tok_s": result["decode_tokens_per_s"]},
            "peak_pss_bytes": pss.peak,
            **measured["memory"],
            "pss_samples": pss.samples,
            "pss_samples_per_s": samples_per_s,
            "pss_min_reads_per_s": reads_per_s,
            "ids": result["ids"],
            "precis": status.get("precisVersion"),
        }
        out["same_ids_every_round"] = all(r["ids"] == result["ids"] for r in ours)
        if args.check:
            out.update(reference_check(args.model, ids, result))
        if args.against:
            theirs = [r["wllama"] for r in rounds]
            out["wllama"] = {key: median([t[key] for t in theirs])
                             for key in ("load_s", "ttft_s", "prefill_tok_s", "decode_tok_s")}
            out["wllama"].update(threads=theirs[0]["threads"], multithread=theirs[0]["multithread"],
                                 same_prompt_ids=all(t["same_prompt_ids"] for t in theirs))
            out["decode_ratio_vs_wllama"] = median([r["decode_ratio"] for r in rounds])
            # wllama stops at an end-of-generation token without returning it
            out["same_greedy_ids_as_wllama"] = all(t["ids"] == result["ids"][:len(t["ids"])] for t in theirs)
        for r in rounds:
            r["ours"].pop("ids")
            r.get("wllama", {}).pop("ids", None)
        out["rounds"] = rounds
        print(json.dumps(out) if args.json else json.dumps(out, indent=1))
        return 0
    except UserError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
