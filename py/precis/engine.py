"""The engine: one loaded model, its tokenizer and chat template, its Plan, and the device that runs it.
Pure stdlib: runs in Pyodide (the extension's engine worker) and in CPython (tests, the wgpu backend).

Python decides, the device only runs the model's layers (precis.device). The engine worker
(extension/engine/engine_worker.js) drives one Engine through `handle(method, args)`, which never raises:
it returns {"value": ...} or {"error": {"kind", "message"}} (kinds: ERROR_KINDS), so no traceback is ever
parsed. The calls, in order:

    engine.handle("set_adapter", {raw, hardware_concurrency?, cross_origin_isolated?, device_memory_gib?})
        # JS's raw adapter report -> precis.adapter, plus what "auto" runs on (precis.device_choice)
    engine.handle("prepare", {prefix, file_size, name, source, context?, memory_budget?, others_bytes?, device?,
                              threads?})
        # device: "auto" | "gpu" | "cpu" (precis.device_choice). The CPU device (llama.cpp in wasm) gets a
        # spec with no plan (context, threads, batch, topk; precis.device_choice.cpu_spec). A model the GPU
        # plan refuses (an architecture or tensor type our WGSL lacks) goes to the CPU device under "auto"
        # (spec.fallback, spec.reason say why) and is refused under "gpu", the message naming the way out.
        # the model's header from a prefix of the file (never the whole file): {"need_bytes": n} when the
        # header runs past the prefix; else tokenizer, template and Plan are built and the plan's memory
        # is checked against the adapter, BEFORE anything is allocated: {"spec", "info", "memory"}.
        # Nothing is installed yet: the working model stays.
    ... JS creates the device from spec and streams the weights into it ...
    engine.handle("commit", {device})                      # the prepared model becomes the working one
    engine.handle("abort", {})                             # or: forget it (the working model stays)
    engine.handle("summarize", {page, style, length, temperature, on_progress?, judge?})
    engine.handle("chat", {messages, page, temperature, max_tokens?, conversation?})
        # conversation: an id; its first turn carries the page, later turns only the id (the engine keeps
        # the page of the last CHAT_PAGES_KEPT conversations)
    engine.handle("greedy", {prompt_ids, max_tokens, stop_ids?, fresh?, temperature?, seed?, stop_strings?})
        # the device alone, by token ids: benchmarks, tests, `precis generate`
    engine.handle("ground", {summary, text})               # grounding alone (no model needed)

The device (precis.device: the Protocol, its DeviceError, and what step, poll and close promise; JS: the worker's
link around webgpu_executor.js or wllama_device.js; CPython: any conforming object): ONE crossing per step,
device.step(ids, positions, k, text), the text streamed since the last step riding on it and the answer saying
whether the request was cancelled meanwhile; device.poll(text), a suspension point where the worker handles its
messages (cancel), at most every POLL_S during long stretches of Python. Which request runs, and whether it was
cancelled, is the caller's to say (in the browser the worker's state machine, extension/engine/engine_state.js):
the engine only stops at its next step once an answer says so (`_cancelled` holds that answer for the request).

The engine keeps the only record of what the KV cache holds (`kv`: the token at each position); a new
prompt that starts with the same tokens (a chat's earlier turns, the same page) feeds only what follows.
Prompts are fed in slices of the plan's chunk, with a cancel check between slices.
"""

from __future__ import annotations

import inspect
import time
from dataclasses import dataclass
from typing import Any, Callable, Optional

from precis import grounding, support_judge
from precis.adapter import DEFAULT_CHUNK, DEFAULT_CONTEXT, describe_adapter, plan_for_adapter, to_py
from precis.device import DEVICE_ERROR_KINDS, Device, DeviceError
from precis.device_choice import DEVICE_SETTINGS, DeviceChoiceError, choose_device, cpu_spec, gpu_fallback
from precis.plan import TOPK
from precis.known_models import display_name, known_model
from precis.summary_shape import summary_shape
from precis.scripts import CJK_CLASS
from precis.summarize import (DEFAULT_LENGTH, DEFAULT_STYLE, LENGTHS, MAX_PAGE_CHARS, STYLES, Page, SummaryError,
                              check_style, page_system_message, run_summary)

CHAT_MAX_NEW_TOKENS = 384
CHAT_PAGES_KEPT = 8   # pages of conversations kept for their next turns (each at most MAX_PAGE_CHARS)
# Without a page the chat is plain; with one, it shares the summary's system message (and KV cache).
CHAT_SYSTEM_PROMPT = "You are a helpful assistant. Be concise; markdown is fine."
DEFAULT_TEMPERATURE = 0.0
# Summaries and answers end when the model writes again, word for word, this many bytes of text it wrote
# before (precis.generation's "repetition"): ~15 English words or ~27 Chinese characters said twice is a
# loop, not a point (SmolLM2-135M copies one sentence as every point), while points that only start alike
# ("The stone bridge over the Vell river in Esterby ...", 47 bytes) stay under it.
REPEAT_STOP_BYTES = 80
FIRST_PREFIX = 4 << 20        # bytes of the file read first for its header
MAX_HEADER = 64 << 20         # a header larger than this is refused (metadata is small; tensors follow it)
POLL_S = 0.05                 # longest stretch of Python between two suspension points (cancel checks)
# The panel's kinds: a device's own (precis.device) and the two only the engine gives.
ERROR_KINDS = DEVICE_ERROR_KINDS + ("cancelled", "no_model")


class EngineError(Exception):
    """An error the panel shows as is: `kind` (ERROR_KINDS) picks where and how."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind
        self.message = message


class Cancelled(Exception):
    """The request was cancelled; raised out of prefill and planning, caught by the request."""


def error_info(exc: BaseException) -> dict:
    """{kind, message} for any exception: the engine's own, the model checks', the request checks'."""
    from precis.chat_template import TemplateError
    from precis.gguf import GGUFError
    from precis.memory import DoesNotFit
    from precis.plan import PlanError
    from precis.tokenizer import TokenizerError

    if isinstance(exc, (EngineError, DeviceError)):
        return {"kind": exc.kind, "message": exc.message}
    if isinstance(exc, DoesNotFit):
        return {"kind": "out_of_memory", "message": str(exc)}
    if isinstance(exc, (GGUFError, TokenizerError, TemplateError, PlanError)):
        return {"kind": "unsupported_model", "message": f"This model file cannot be used: {exc}"}
    if isinstance(exc, SummaryError):
        return {"kind": "bad_input", "message": str(exc)}
    if isinstance(exc, Cancelled):
        return {"kind": "cancelled", "message": "Stopped."}
    return {"kind": "internal", "message": f"{type(exc).__name__}: {exc}"}


def _resolve(value: Any) -> Any:
    """A JS promise (or Python awaitable) waited for with JSPI (Pyodide); plain values unchanged."""
    if inspect.isawaitable(value) or hasattr(value, "then"):
        from pyodide.ffi import run_sync  # only reachable inside Pyodide
        value = run_sync(value)
    return to_py(value)


def _js_ints(values: list) -> Any:
    """A list of ints as what the device takes: an Int32Array in Pyodide, the list in CPython."""
    try:
        from js import Int32Array
        from pyodide.ffi import to_js
    except ImportError:
        return values
    return Int32Array.new(to_js(values))


def _bytes(data: Any) -> bytes:
    if hasattr(data, "to_bytes"):      # a JS Uint8Array
        return data.to_bytes()
    return bytes(data)


@dataclass
class Model:
    """A model that passed every check: what the engine needs to run it (the weights are on the device)."""
    name: str
    source: str
    gguf: Any               # precis.gguf.GGUFFile over the header prefix
    tokenizer: Any
    template: Any
    plan: Any               # precis.plan.Plan (None on the CPU device)
    memory: dict            # precis.memory.estimate ({"total": 0} on the CPU device)
    cpu: Optional[dict] = None   # the CPU device's spec (precis.device_choice.cpu_spec), or None: WebGPU

    @property
    def context(self) -> int:
        return int(self.cpu["context"] if self.cpu else self.plan.model["context"])

    @property
    def chunk(self) -> int:
        return int(self.cpu["batch"] if self.cpu else self.plan.steps["prefill"].max_tokens)

    @property
    def topk(self) -> int:
        return int(self.cpu["topk"] if self.cpu else self.plan.topk)

    def info(self) -> dict:
        meta = self.gguf.metadata
        return {
            # title: the name a reader sees (precis.known_models.display_name: the catalog's for a known model).
            "name": self.name, "source": self.source,
            "title": display_name(meta, self.gguf.file_size, self.gguf.architecture, self.name),
            "architecture": self.gguf.architecture, "context": self.context, "chunk": self.chunk,
            "vocab": self.tokenizer.vocab_size,
            "chat_template": "model" if self.template.has_model_template else "fallback",
            "file_bytes": self.gguf.file_size, "gpu_bytes": self.memory["total"], "memory": self.memory,
            "device_kind": "cpu" if self.cpu else "webgpu",
        }


class Engine:
    """The engine (see the module docstring)."""

    def __init__(self):
        self.adapter: dict = {"available": False, "reason": "the adapter was not reported yet"}
        # What the CPU device can use (precis.device_choice): the browser's cores, cross-origin isolation.
        self.host: dict = {"hardware_concurrency": 1, "cross_origin_isolated": False}
        self.device_memory_gib: Optional[float] = None
        self.model: Optional[Model] = None
        self.device: Optional[Device] = None
        self.kv: list = []                  # token id at each position the device's KV cache holds
        self.recoveries = 0                 # devices rebuilt after a loss
        self._prepared: Optional[Model] = None
        self._cancelled = False             # the device's last answer for the running request: cancelled
        self._text: list = []               # streamed text not yet handed to the device link
        self._last_crossing = time.perf_counter()
        self._chat_pages: dict = {}         # conversation id -> its Page (or None), oldest first

    # ---- the one entry point from JS ---------------------------------------------------------------

    def handle(self, method: str, args: Any = None) -> dict:
        """Runs engine.<method>(**args); {"value": result} or {"error": {kind, message}}, never raises."""
        try:
            if method not in self.METHODS:
                raise EngineError("internal", f"unknown engine method {method!r}")
            args = to_py(args) or {}
            if not isinstance(args, dict):
                raise EngineError("internal", f"{method}: arguments must be an object")
            return {"value": getattr(self, method)(**args)}
        except Exception as e:  # noqa: BLE001 - every failure becomes {kind, message}
            return {"error": error_info(e)}

    METHODS = ("set_adapter", "prepare", "commit", "abort", "summarize", "chat", "greedy", "time_encode",
               "model_info", "ground", "contract")

    def contract(self) -> dict:
        """The constants JS shares with Python, defined here only: the worker puts them in its boot status
        (status.contract) and reads them from there."""
        return {"styles": list(STYLES), "lengths": list(LENGTHS), "device_settings": list(DEVICE_SETTINGS),
                "error_kinds": list(ERROR_KINDS), "top_k": TOPK, "first_prefix": FIRST_PREFIX,
                "cjk_class": CJK_CLASS, "max_page_chars": MAX_PAGE_CHARS}

    # ---- adapter and model loading (a transaction: prepare, then commit or abort) ------------------

    def set_adapter(self, raw: Any, hardware_concurrency: int = 1, cross_origin_isolated: bool = False,
                    device_memory_gib: Optional[float] = None) -> dict:
        """The adapter (JS's raw report) and what the CPU device can use: the cores the browser reports, and
        whether the worker is cross-origin isolated (wasm threads need SharedArrayBuffer)."""
        self.adapter = describe_adapter(raw)
        self.host = {"hardware_concurrency": hardware_concurrency, "cross_origin_isolated": cross_origin_isolated}
        self.device_memory_gib = device_memory_gib   # the CPU device's budget comes from it (with no CPU adapter)
        return {**self.adapter, "device": choose_device(self.adapter, "auto", **self.host)}

    def prepare(self, prefix: Any, file_size: int, name: str, source: str = "", context: Optional[int] = None,
                memory_budget: Optional[int] = None, chunk: int = DEFAULT_CHUNK, device: str = "auto",
                threads: Optional[int] = None, others_bytes: int = 0) -> dict:
        """Checks a model from a prefix of its file (see the module docstring); installs nothing."""
        from precis.chat_template import ChatTemplate
        from precis.gguf import GGUFError, GGUFTruncated, open_gguf
        from precis.memory import check_fits, cpu_memory_budget, device_requirements
        from precis.plan import PlanError
        from precis.tokenizer import Tokenizer

        self._prepared = None
        try:
            choice = choose_device(self.adapter, device, **self.host)
        except DeviceChoiceError as e:
            raise EngineError("device_lost" if e.kind == "unsupported" else e.kind, str(e)) from None
        data = _bytes(prefix)
        file_size = int(file_size)
        if file_size <= 0:
            raise EngineError("unsupported_model", f"This model file cannot be used: {name} is empty (0 bytes)")
        try:
            gguf = open_gguf(data, file_size=file_size)
        except GGUFTruncated:
            if len(data) < min(file_size, MAX_HEADER):   # the header goes on past the prefix
                return {"need_bytes": min(file_size, MAX_HEADER, max(2 * len(data), FIRST_PREFIX))}
            raise
        # Parsed: nothing reads the prefix again (the weights stream past it), so its bytes (8 MiB for Qwen's
        # header) go back to the heap for the tokenizer's objects to reuse rather than raise its peak.
        gguf.close()
        del data
        if "tokenizer.ggml.model" not in gguf.metadata:
            raise GGUFError(f"{name} has no tokenizer (tokenizer.ggml.model is missing): not a usable chat model")
        tokenizer = Tokenizer.from_gguf(gguf)
        template = ChatTemplate.from_gguf(gguf)
        # A template (or tokenizer) that fails or runs away on an ordinary conversation is refused here, before
        # anything is loaded or committed: TemplateError / TokenizerError, an unsupported_model notice.
        template.check(tokenizer)
        plan = None
        if choice["kind"] == "webgpu":
            adapter = dict(self.adapter)
            if memory_budget:
                adapter["memory_budget"] = int(memory_budget)
            try:
                plan = plan_for_adapter(gguf, adapter, context=context, chunk=chunk)
            except PlanError as e:
                # Our WGSL lacks what this model needs; llama.cpp runs many more families and types. "auto"
                # runs it there and says why; a forced GPU is refused with the way out.
                why = str(e).rstrip(".")
                if device != "gpu":
                    choice = gpu_fallback(why, **self.host)
                else:
                    raise PlanError(f"{why}. On the CPU, llama.cpp may run it: choose Device: CPU in the "
                                    "settings") from None
        if choice["kind"] == "cpu":
            # llama.cpp runs the layers: no plan (so no refusal for what only our WGSL lacks), its own check of
            # the tensors when it loads them.
            if threads:
                choice = {**choice, "threads": int(threads)}
            try:
                # The worker's budget (a CPU adapter's, net of the other windows), else the machine's.
                budget = memory_budget or cpu_memory_budget(self.device_memory_gib, others_bytes)
                spec = cpu_spec(gguf, choice, context, DEFAULT_CONTEXT, memory_budget=budget)
            except DeviceChoiceError as e:
                raise EngineError(e.kind, str(e)) from None
            self._prepared = Model(name, source, gguf, tokenizer, template, None, {"total": 0}, cpu=spec)
            return {"spec": spec, "info": self._prepared.info()}
        memory = check_fits(plan, adapter)
        self._prepared = Model(name, source, gguf, tokenizer, template, plan, memory)
        spec = {"kind": "webgpu", "plan": plan.to_json(), **device_requirements(plan, adapter)}
        return {"spec": spec, "info": self._prepared.info()}

    def commit(self, device: Any) -> dict:
        """The prepared model (its weights now on `device`) becomes the working model."""
        if self._prepared is None:
            raise EngineError("internal", "no prepared model to commit")
        self.model, self.device, self._prepared = self._prepared, device, None
        self.kv = []
        self.recoveries = 0
        return self.model_info()

    def abort(self) -> bool:
        self._prepared = None
        return True

    def model_info(self) -> dict:
        if self.model is None:
            return {"loaded": False}
        return {"loaded": True, **self.model.info()}

    def _require_model(self) -> Model:
        if self.model is None or self.device is None:
            raise EngineError("no_model", "No model is loaded.")
        return self.model

    # ---- cancel and the device seam ------------------------------------------------------------------

    def cancel(self) -> None:
        """Stops the running request at its next step (CPython callers; JS cancels through the link)."""
        self._cancelled = True

    def _begin_request(self) -> None:
        self._cancelled = False
        self._text.clear()
        self._last_crossing = time.perf_counter()

    def _take_text(self) -> str:
        text = "".join(self._text)
        self._text.clear()
        return text

    def _checkpoint(self) -> None:
        """A suspension point at most every POLL_S (the worker handles a cancel there); raises Cancelled."""
        if self.device is not None and time.perf_counter() - self._last_crossing >= POLL_S:
            self._flush()
        if self._cancelled:
            raise Cancelled()

    def _flush(self) -> None:
        answer = _resolve(self.device.poll(self._take_text())) or {}
        self._last_crossing = time.perf_counter()
        if answer.get("cancelled"):
            self._cancelled = True

    def _step(self, ids: list, start: int) -> tuple:
        """One device step: ids at positions start.. (at most the plan's chunk); the top-k after the last."""
        model = self.model
        try:
            answer = _resolve(self.device.step(_js_ints(ids), _js_ints(list(range(start, start + len(ids)))),
                                               model.topk, self._take_text())) or {}
        except DeviceError as e:   # a CPython device raises; a JS one answers {error}
            answer = e.as_answer()
        self._last_crossing = time.perf_counter()
        if answer.get("cancelled"):
            self._cancelled = True
        if answer.get("error"):
            error = answer["error"]
            if error.get("kind") == "device_lost":
                self.kv = []   # whatever the lost cache held is gone
            raise EngineError(error.get("kind") or "internal", error.get("message") or "the device failed")
        if answer.get("rebuilt"):
            # A new device with an empty cache: feed again what the lost one held, then this step.
            self.recoveries += 1
            held = self.kv[:start]
            self.kv = []
            if held:
                self._feed(held, check_cancel=False)
            return self._step(ids, start)
        if "ids" not in answer:
            raise EngineError("internal", "the device's step returned no candidates")
        return [int(i) for i in answer["ids"]], [float(x) for x in answer["logits"]]

    def _feed(self, ids: list, check_cancel: bool = True) -> tuple:
        """Feeds ids after what the cache holds, in slices of the plan's chunk; the top-k after the last.
        A cancel seen between slices raises Cancelled (the cache then holds what was fed)."""
        model = self.model
        start = len(self.kv)
        if not ids:
            raise EngineError("internal", "no tokens to feed")
        if start + len(ids) > model.context:
            raise EngineError("bad_input", f"The conversation is longer than the model's context "
                                           f"({model.context} tokens).")
        vocab = model.tokenizer.vocab_size
        bad = [t for t in ids if not 0 <= t < vocab]
        if bad:
            raise EngineError("bad_input", f"token id {bad[0]} outside the vocabulary 0..{vocab - 1}")
        result = None
        chunk = model.chunk
        for at in range(0, len(ids), chunk):
            if at and check_cancel and self._cancelled:
                raise Cancelled()
            piece = ids[at:at + chunk]
            result = self._step(piece, start + at)
            self.kv.extend(piece)
        return result

    # ---- prompts -----------------------------------------------------------------------------------

    def encode_messages(self, messages: list) -> list:
        # A long page takes seconds to tokenize: the tokenizer reaches the stop check meanwhile.
        tokenizer = self.model.tokenizer
        tokenizer.checkpoint = self._checkpoint
        try:
            return self.model.template.encode(tokenizer, messages, add_generation_prompt=True)
        finally:
            tokenizer.checkpoint = None

    def count_prompt(self, messages: list) -> int:
        """Tokens of the prompt for `messages`; also a stop check (the long-page planner calls it often)."""
        self._checkpoint()
        return len(self.encode_messages(messages))

    def time_encode(self, text: str, repeat: int = 3) -> dict:
        """Encode speed of the loaded tokenizer on `text` (benchmarks): the first run with an empty word
        cache (a page seen for the first time), then the best of `repeat` warm runs."""
        tokenizer = self._require_model().tokenizer
        tokenizer._cache.clear()
        start = time.perf_counter()
        ids = tokenizer.encode(text, add_special=False)
        cold = time.perf_counter() - start
        warm = float("inf")
        for _ in range(max(1, int(repeat))):
            start = time.perf_counter()
            tokenizer.encode(text, add_special=False)
            warm = min(warm, time.perf_counter() - start)
        return {"bytes": len(text.encode("utf-8")), "tokens": len(ids), "cold_ms": cold * 1000,
                "warm_ms": warm * 1000}

    # ---- one generation ------------------------------------------------------------------------------

    def _complete(self, messages: list, max_tokens: int, stream: bool, temperature: float, stats: dict,
                  shape: Any = None) -> str:
        """One generation: prompt from `messages`, text streamed (when `stream`), stats accumulated; `shape`
        (precis.summary_shape) narrows each step's candidates."""
        from precis.generation import generate
        from precis.sampler import Sampler, SamplerConfig

        model = self.model
        prompt = self.encode_messages(messages)
        self._checkpoint()
        room = model.context - len(prompt)
        if room < 1:
            raise SummaryError(f"the prompt ({len(prompt)} tokens) does not fit the model's context "
                               f"({model.context} tokens)")
        max_tokens = min(max_tokens, room)
        # Reuse the cache for the common prefix; always feed at least one token to get logits.
        common = 0
        for a, b in zip(self.kv, prompt):
            if a != b:
                break
            common += 1
        common = min(common, len(prompt) - 1)
        del self.kv[common:]
        stats["reused"] = stats.get("reused", 0) + common
        first_token_at = []

        def text_out(chunk: str) -> None:
            if not first_token_at:
                first_token_at.append(time.perf_counter())
            if stream:
                self._text.append(chunk)   # rides on the next step (or the final flush)

        first_call = [True]

        def next_candidates(unseen: list) -> tuple:
            # generate() hands over the whole prompt first: the cache already holds its first `common`.
            if first_call:
                first_call.clear()
                unseen = unseen[common:]
            return self._feed(list(unseen))

        def forget(keep: int) -> None:
            del self.kv[keep:]           # the next step's positions start there: the device drops the rest

        sampler = Sampler(SamplerConfig(temperature=float(temperature), repetition_penalty=1.1))
        started = time.perf_counter()
        try:
            result = generate(prompt, next_candidates, model.tokenizer, sampler, max_tokens,
                              stop_ids=model.tokenizer.eos_ids, stop_strings=model.template.stop_strings,
                              on_text=text_out, should_stop=lambda: self._cancelled,
                              repeat_stop=REPEAT_STOP_BYTES, shape=shape, forget=forget)
        except Cancelled:
            # Stopped inside the prefill: nothing generated; the cache holds what was fed.
            stats["finish_reason"] = "cancelled"
            stats["generate_s"] = round(stats.get("generate_s", 0) + time.perf_counter() - started, 4)
            return ""
        finished = time.perf_counter()
        # The last sampled token was never fed to the model: the cache ends one before it.
        del self.kv[len(prompt) + max(result.n_generated - 1, 0):]
        stats["prompt_tokens"] = stats.get("prompt_tokens", 0) + result.n_prompt
        stats["generated_tokens"] = stats.get("generated_tokens", 0) + result.n_generated
        stats["finish_reason"] = result.finish_reason
        if result.taken_back:
            stats["taken_back"] = stats.get("taken_back", 0) + result.taken_back
        if stream:   # the streamed (final) pass gives the user-facing timings
            first = first_token_at[0] if first_token_at else finished
            stats["ttft_s"] = round(first - stats["started"], 4)
            decode_s = finished - first
            stats["tokens_per_s"] = (round((result.n_generated - 1) / decode_s, 2)
                                     if decode_s > 0 and result.n_generated > 1 else None)
            stats["final_tokens"] = result.n_generated
        stats["generate_s"] = round(stats.get("generate_s", 0) + finished - started, 4)
        return result.text

    # ---- requests ------------------------------------------------------------------------------------

    def summarize(self, page: Any, style: str = DEFAULT_STYLE, length: str = DEFAULT_LENGTH, *,
                  temperature: float = DEFAULT_TEMPERATURE, on_progress: Optional[Callable] = None,
                  judge: bool = False, shape: bool = True) -> dict:
        """Summarize an extracted page (dict from extract.js); returns text, grounding, timings; stats["parts"]
        = {summarized, total} when the page had more parts than the map step notes (MAX_MAP_CHUNKS).
        judge: the loaded model also judges the points the lexical check passes (precis.support_judge;
        one prompt per point, and the cache no longer holds the page for a following chat).
        shape: the decoder keeps the summary to its shape (precis.summary_shape); off only for benchmarks."""
        page = Page.from_dict(to_py(page))
        check_style(style, length)
        if not page.text.strip():
            raise SummaryError("the page has no text to summarize")
        model = self._require_model()
        self._begin_request()
        stats = {"started": time.perf_counter()}
        budget = model.context - 64 - max(256, CHAT_MAX_NEW_TOKENS)
        # The final (streamed) pass keeps to the summary's shape; the notes of a long page's parts do not.
        constraint = summary_shape(model.tokenizer, model.tokenizer.eos_ids, page, style, length) if shape else None

        def complete(messages, max_tokens, on_text):
            return self._complete(messages, max_tokens, on_text is not None, temperature, stats,
                                  shape=constraint if on_text is not None else None)

        def progress(stage, done, total):
            if on_progress is not None:
                on_progress(stage, done, total)

        def parts_cut(summarized, total):
            stats["parts"] = {"summarized": summarized, "total": total}   # the panel says what was left out

        try:
            # on_text: what run_summary itself streams (the answer's prefix, "- "), like the model's text,
            # rides on the next step.
            text = run_summary(page, style, length, complete=complete, count_prompt=self.count_prompt,
                               prompt_budget=budget, on_text=self._text.append, on_progress=progress,
                               should_stop=lambda: self._cancelled, on_parts_cut=parts_cut)
            self._checkpoint()
            found = (self._ground_judged(text, page.text, stats) if judge
                     else grounding.ground_as_dict(text, page.text, checkpoint=self._checkpoint)) if text else None
        except Cancelled:
            text, found = "", None
        if self._cancelled:
            stats["finish_reason"] = "cancelled"
        return self._result(text, stats, grounding=found)

    def chat(self, messages: Any, page: Any = None, *, temperature: float = DEFAULT_TEMPERATURE,
             max_tokens: int = CHAT_MAX_NEW_TOKENS, conversation: Optional[str] = None) -> dict:
        """Answer the last user message of `messages` ([{role, content}], user first), about `page`, or
        about the page `conversation`'s first turn carried."""
        messages = to_py(messages)
        if not isinstance(messages, list) or not messages or not isinstance(messages[-1], dict) \
                or messages[-1].get("role") != "user":
            raise SummaryError("a chat request needs messages ending with the user's question")
        page = self.conversation_page(conversation, to_py(page))
        self._require_model()
        self._begin_request()
        stats = {"started": time.perf_counter()}
        try:
            system = self.chat_system_prompt(page, messages)
            conversation = [{"role": "system", "content": system}] + [
                {"role": m["role"], "content": m["content"]} for m in messages]
            text = self._complete(conversation, int(max_tokens), True, temperature, stats)
        except Cancelled:
            text = ""
            stats["finish_reason"] = "cancelled"
        return self._result(text, stats)

    def conversation_page(self, conversation: Optional[str], page: Any) -> Optional[Page]:
        """The page a chat turn is about: `page` when given (kept for `conversation`'s next turns), else the
        one `conversation` started with."""
        if page is not None or conversation is None:
            kept = Page.from_dict(page) if page else None
            if conversation is not None:
                self._chat_pages.pop(conversation, None)
                self._chat_pages[conversation] = kept
                while len(self._chat_pages) > CHAT_PAGES_KEPT:
                    del self._chat_pages[next(iter(self._chat_pages))]
            return kept
        if conversation not in self._chat_pages:
            raise EngineError("bad_input", "The engine no longer holds this conversation's page: ask again.")
        return self._chat_pages[conversation]

    def chat_system_prompt(self, page: Optional[Page], messages: list) -> str:
        """The system message of a chat: the summaries' page message (so a question after a summary reuses
        the cached page), holding the whole page text or, when it does not fit beside the conversation,
        the passages most related to the last question."""
        if page is None:
            return CHAT_SYSTEM_PROMPT
        overhead = self.count_prompt([page_system_message(page, "")] + list(messages))
        budget = self.model.context - CHAT_MAX_NEW_TOKENS - overhead - 32
        excerpt = self.fit_page_text(page.text, messages[-1]["content"], budget)
        return page_system_message(page, excerpt)["content"]

    def fit_page_text(self, text: str, question: str, budget: int) -> str:
        """The page text if it fits `budget` tokens, else the passages most related to the question
        (BM25), kept in page order, as many as fit."""
        if budget <= 0:
            return ""
        tokenizer = self.model.tokenizer
        if len(tokenizer.encode(text, add_special=False)) <= budget:
            return text
        self._checkpoint()
        passages = grounding.split_passages(text)
        index = grounding.PassageIndex(passages)
        query = grounding.content_words(question)
        ranked = sorted(range(len(passages)), key=lambda i: -index.bm25(query, i))
        chosen, used = [], 0
        for i in ranked:
            self._checkpoint()
            cost = len(tokenizer.encode(passages[i].text, add_special=False)) + 2
            if used + cost > budget:
                continue
            chosen.append(i)
            used += cost
        return "\n…\n".join(passages[i].text for i in sorted(chosen))

    def judge_support(self, passage: str, point: str) -> float:
        """The loaded model's support score for `point` given `passage` (precis.support_judge): one
        prompt, its top-k read for yes/no; the cache keeps the common prefix (the same passage)."""
        model = self._require_model()
        prompt = self.encode_messages(support_judge.judge_messages(passage, point))
        common = 0
        for a, b in zip(self.kv, prompt):
            if a != b:
                break
            common += 1
        del self.kv[min(common, len(prompt) - 1):]
        ids, logits = self._feed(prompt[len(self.kv):])
        return support_judge.support_score(ids, logits, *support_judge.answer_ids(model.tokenizer))

    def _known_model_name(self) -> str | None:
        gguf = self._require_model().gguf
        known = known_model(gguf.file_size, gguf.architecture)
        return known.name if known else None

    def judge_threshold(self) -> float:
        """The support score under which the loaded model, as judge, flags a point: its own calibration where it is a
        known model that has one (precis.support_judge.CALIBRATED_THRESHOLDS)."""
        return support_judge.judge_threshold(self._known_model_name())

    def judge_clear_margin(self) -> float | None:
        """How much surer of a flagged point than of its page-bound twin the loaded model must be to clear the flag
        (precis.support_judge.CLEAR_MARGINS); None where it has no calibrated margin."""
        return support_judge.clear_margin(self._known_model_name())

    def _ground_judged(self, summary: str, text: str, stats: dict) -> dict:
        """Grounding with the loaded model as judge; a stop during the judge keeps the lexical result.
        stats["judged"]: how many prompts the model answered (one per point the lexical check passes, two per
        flagged point it may clear); stats["judge_s"]: the seconds that grounding
        took with the judge (the judge's cost: lexical grounding alone takes milliseconds)."""
        judged = []
        started = time.perf_counter()

        def judge(passage, point):
            judged.append(point)
            return self.judge_support(passage, point)

        try:
            return grounding.ground_as_dict(summary, text, judge=judge, judge_threshold=self.judge_threshold(),
                                            judge_clear_margin=self.judge_clear_margin())
        except Cancelled:
            return grounding.ground_as_dict(summary, text)
        finally:
            stats["judged"] = len(judged)
            stats["judge_s"] = round(time.perf_counter() - started, 3)

    def ground(self, summary: str, text: str) -> dict:
        """The grounding of a summary's points in a page's text (no model needed)."""
        return grounding.ground_as_dict(str(summary), str(text))

    def _result(self, text: str, stats: dict, grounding: Optional[dict] = None) -> dict:
        if self.device is not None and self._text:
            self._flush()                      # the last streamed text
        stats = dict(stats)
        stats["total_s"] = round(time.perf_counter() - stats.pop("started"), 4)
        out = {"text": text, "model": self.model.info()["title"], "stats": stats}
        if grounding is not None:
            out["grounding"] = grounding
        return out

    # ---- greedy ids (benchmarks and tests of the device) ---------------------------------------------

    def greedy(self, prompt_ids: Any, max_tokens: int, stop_ids: Any = (), fresh: bool = True,
               temperature: float = 0.0, seed: Optional[int] = None, stop_strings: Any = ()) -> dict:
        """The prompt (in chunk slices), then greedy tokens up to `max_tokens` in all: from an empty cache,
        or (fresh=False) after what the cache holds. It runs the loop every summary runs (precis.generation:
        the sampler, the stream decoder, the text riding on each step), so a benchmark of it measures our
        whole orchestration. temperature > 0 samples instead (seed: its random seed; `precis generate`).
        Returns {"ids", "text", "finish_reason", "first_ids", "first_logits" (the prompt step's top-k),
        "prompt_tokens", "ttft_s", "decode_s", "decode_tokens_per_s", "recoveries"}."""
        from precis.generation import generate
        from precis.sampler import Sampler, SamplerConfig

        model = self._require_model()
        prompt_ids = [int(t) for t in to_py(prompt_ids)]
        stop_ids = {int(t) for t in to_py(stop_ids) or ()}
        if not prompt_ids:
            raise EngineError("bad_input", "the prompt has no tokens")
        if int(max_tokens) < 1:
            raise EngineError("bad_input", f"max_tokens must be at least 1, got {max_tokens}")
        self._begin_request()
        if fresh:
            self.kv = []
        first_step: dict = {}        # the prompt step's top-k, and when it came
        started = time.perf_counter()

        def next_candidates(unseen: list) -> tuple:
            candidates = self._feed(list(unseen))
            if not first_step:
                first_step.update(ids=candidates[0], logits=candidates[1], at=time.perf_counter())
            return candidates

        sampler = Sampler(SamplerConfig(temperature=float(temperature), seed=seed))
        result = generate(prompt_ids, next_candidates, model.tokenizer, sampler, int(max_tokens),
                          stop_ids=stop_ids, stop_strings=list(to_py(stop_strings) or ()),
                          on_text=self._text.append, should_stop=lambda: self._cancelled)
        self._flush()          # the last text crosses now, not with the next request's first step
        done = time.perf_counter()
        first = first_step["at"]
        steps = len(result.ids) - 1
        return {"ids": result.ids, "text": result.text, "finish_reason": result.finish_reason,
                "first_ids": first_step["ids"], "first_logits": first_step["logits"],
                "prompt_tokens": len(prompt_ids), "ttft_s": round(first - started, 4),
                "decode_s": round(done - first, 4),
                "decode_tokens_per_s": round(steps / (done - first), 3) if steps and done > first else None,
                "recoveries": self.recoveries}
