"""The in-browser orchestrator: one loaded model, its tokenizer and chat template, and the GPU step.

The engine worker (extension/engine/engine_worker.js) owns one Session:
    session = Session()
    info = session.load_model(gguf_bytes, name)         # GGUFError / TokenizerError: a clear message
    session.use_executor(next_candidates, context)      # the GPU step: the one plug-in call
    session.summarize(page, style, length, on_text=..., on_progress=...)   -> result dict
    session.chat(messages, page, on_text=...)                               -> result dict
    session.cancel()  /  should_stop callback             # stops at the next token

next_candidates(token_ids, positions) -> (candidate ids, their logits): the model reads
`token_ids` at `positions` (writing its KV cache there) and returns the top candidates for the
token after the last one. It may return an awaitable (a JS promise, GPU readback is
asynchronous): in Pyodide it is then awaited with pyodide.ffi.run_sync (JSPI), so the
generation loop stays plain synchronous Python.

KV-cache reuse: the session remembers which tokens the cache holds (positions 0..n-1). A new
prompt that starts with the same tokens (a chat's earlier turns, the same page) only feeds
the tokens after the common prefix.

Results are JSON-ready dicts: text, finish_reason, timings (time to first token, tokens/s),
and for summaries the grounding of each point (precis.grounding).
"""

from __future__ import annotations

import inspect
import time
from typing import Any, Callable, Optional

from precis import grounding
from precis.summarize import (DEFAULT_LENGTH, DEFAULT_STYLE, Page, SummaryError, check_style,
                              page_system_message, run_summary)

CHAT_MAX_NEW_TOKENS = 384
# Without a page the chat is plain; with one, it shares the summary's system message (and KV cache).
CHAT_SYSTEM_PROMPT = "You are a helpful assistant. Be concise; markdown is fine."
# Sampling for each temperature: the filters only matter above 0 (0 is greedy).
DEFAULT_TEMPERATURE = 0.0


# A long prompt is fed in slices of this many tokens, so that a cancel (checked between slices)
# does not wait for the whole prefill: on a slow GPU a page's prefill takes minutes.
PREFILL_SLICE = 32


class _Cancelled(Exception):
    """Raised inside a prefill when the request was cancelled; ends that generation."""


class EngineUnavailable(RuntimeError):
    """A generation was asked for before a model and a GPU executor were both in place."""


def _await_if_needed(value: Any) -> Any:
    """A JS promise or Python awaitable becomes its value (Pyodide: JSPI's run_sync)."""
    if inspect.isawaitable(value) or hasattr(value, "then"):
        from pyodide.ffi import run_sync  # only reachable inside Pyodide
        return run_sync(value)
    return value


def _to_list(value: Any) -> list:
    if hasattr(value, "to_py"):  # a JS array or typed array from the executor
        value = value.to_py()
    return list(value)


class Session:
    """Holds the model state the worker keeps warm between requests (see the module docstring)."""

    def __init__(self):
        self.gguf = None
        self.model_name = ""
        self.tokenizer = None
        self.template = None
        self.context = 0
        self._step: Optional[Callable] = None
        self._cached: list = []  # token ids the KV cache holds, position i at index i
        self._cancelled = False

    # ---- model and executor ------------------------------------------------------------------

    def load_model(self, data: Any, name: str = "model.gguf") -> dict:
        """Open a GGUF (bytes / memoryview / path), build its tokenizer and chat template.

        Raises precis.gguf.GGUFError, precis.tokenizer.TokenizerError or
        precis.chat_template.TemplateError with a message naming the problem.
        """
        from precis.chat_template import ChatTemplate
        from precis.gguf import GGUFError, open_gguf
        from precis.tokenizer import Tokenizer

        if hasattr(data, "to_memoryview"):
            data = data.to_memoryview()  # a JS Uint8Array, copied into Python's memory once
        elif hasattr(data, "to_py"):
            data = data.to_py()
        gguf = open_gguf(data)
        if "tokenizer.ggml.model" not in gguf.metadata:
            raise GGUFError(f"{name} has no tokenizer (tokenizer.ggml.model is missing): not a usable chat model")
        tokenizer = Tokenizer.from_gguf(gguf)
        template = ChatTemplate.from_gguf(gguf)
        self.gguf, self.tokenizer, self.template, self.model_name = gguf, tokenizer, template, name
        self.context = int(gguf.arch_value("context_length", 2048) or 2048)
        self._step = None  # an executor is tied to one model's weights
        self._cached = []
        return self.model_info()

    def model_info(self) -> dict:
        if self.gguf is None:
            return {"loaded": False}
        meta = self.gguf.metadata
        return {
            "loaded": True,
            "name": self.model_name,
            "title": meta.get("general.name") or self.model_name,
            "architecture": self.gguf.architecture,
            "context": self.context,
            "vocab": self.tokenizer.vocab_size,
            "chat_template": "model" if self.template.has_model_template else "fallback",
            "executor": self._step is not None,
        }

    def use_executor(self, next_candidates: Callable, context: Optional[int] = None) -> None:
        """Plug in the GPU step for the loaded model; `context`: the KV cache's capacity in tokens."""
        if self.gguf is None:
            raise EngineUnavailable("load a model before attaching a GPU executor")
        self._step = next_candidates
        if context:
            self.context = min(self.context, int(context))
        self._cached = []

    def _require_ready(self) -> None:
        if self.gguf is None:
            raise EngineUnavailable("no model is loaded")
        if self._step is None:
            raise EngineUnavailable(f"Précis cannot generate text yet: no WebGPU executor is attached to the "
                                    f"model ({self.model_name} is loaded and checked).")

    # ---- cancel ------------------------------------------------------------------------------

    def cancel(self) -> None:
        self._cancelled = True

    # ---- prompts -----------------------------------------------------------------------------

    def encode_messages(self, messages: list) -> list:
        return self.template.encode(self.tokenizer, messages, add_generation_prompt=True)

    def count_prompt(self, messages: list) -> int:
        return len(self.encode_messages(messages))

    def time_encode(self, text: str, repeat: int = 3) -> dict:
        """Encode speed of the loaded tokenizer on `text` (benchmarks): the first run with an
        empty word cache (a page seen for the first time), then the best of `repeat` warm runs."""
        import time

        if self.gguf is None:
            raise EngineUnavailable("no model is loaded")
        self.tokenizer._cache.clear()
        start = time.perf_counter()
        ids = self.tokenizer.encode(text, add_special=False)
        cold = time.perf_counter() - start
        warm = float("inf")
        for _ in range(max(1, repeat)):
            start = time.perf_counter()
            self.tokenizer.encode(text, add_special=False)
            warm = min(warm, time.perf_counter() - start)
        return {"bytes": len(text.encode("utf-8")), "tokens": len(ids),
                "cold_ms": cold * 1000, "warm_ms": warm * 1000}

    # ---- the generation loop around the executor ----------------------------------------------

    def _next_candidates(self, token_ids: list, stop: Optional[Callable] = None) -> tuple:
        """generate()'s step: feed `token_ids` after what the cache holds, return candidates.
        Long inputs go in PREFILL_SLICE slices with a cancel check between them."""
        token_ids = list(token_ids)
        start = len(self._cached)
        if start + len(token_ids) > self.context:
            raise SummaryError(f"the conversation is longer than the model's context ({self.context} tokens)")
        result = None
        for at in range(0, len(token_ids), PREFILL_SLICE):
            if at and stop is not None and stop():
                raise _Cancelled()
            piece = token_ids[at:at + PREFILL_SLICE]
            positions = list(range(start + at, start + at + len(piece)))
            result = _await_if_needed(self._step(piece, positions))
            self._cached.extend(piece)
        ids, logits = result[0], result[1]
        return [int(i) for i in _to_list(ids)], [float(x) for x in _to_list(logits)]

    def _complete(self, messages: list, max_tokens: int, on_text: Optional[Callable], temperature: float,
                  stats: dict, should_stop: Optional[Callable]) -> str:
        """One generation: prompt from `messages`, text streamed to on_text, stats accumulated."""
        from precis.generation import generate
        from precis.sampler import Sampler, SamplerConfig

        prompt = self.encode_messages(messages)
        room = self.context - len(prompt)
        if room < 1:
            raise SummaryError(f"the prompt ({len(prompt)} tokens) does not fit the model's context "
                               f"({self.context} tokens)")
        max_tokens = min(max_tokens, room)
        # Reuse the cache for the common prefix; always feed at least one token to get logits.
        common = 0
        for a, b in zip(self._cached, prompt):
            if a != b:
                break
            common += 1
        common = min(common, len(prompt) - 1)
        del self._cached[common:]
        stats["reused"] = stats.get("reused", 0) + common

        first_token_at = []

        def text_out(chunk: str) -> None:
            if not first_token_at:
                first_token_at.append(time.perf_counter())
            if on_text is not None:
                on_text(chunk)

        def stop() -> bool:
            return self._cancelled or bool(should_stop and should_stop())

        sampler = Sampler(SamplerConfig(temperature=float(temperature), repetition_penalty=1.1))
        # generate() starts by handing over the whole prompt: send the model only what follows
        # the prefix the cache already holds.
        first_call = [True]

        def step(unseen: list) -> tuple:
            if first_call:
                first_call.clear()
                unseen = unseen[common:]
            return self._next_candidates(unseen, stop)

        started = time.perf_counter()
        try:
            result = generate(prompt, step, self.tokenizer, sampler, max_tokens,
                              stop_ids=self.tokenizer.eos_ids, stop_strings=self.template.stop_strings,
                              on_text=text_out, should_stop=stop)
        except _Cancelled:
            # Stopped inside the prefill: nothing generated; the cache holds what was fed.
            stats["finish_reason"] = "cancelled"
            stats["generate_s"] = round(stats.get("generate_s", 0) + time.perf_counter() - started, 4)
            return ""
        finished = time.perf_counter()
        # The last sampled token was never fed to the model: the cache ends one before it.
        self._cached = self._cached[:len(prompt) + max(result.n_generated - 1, 0)]
        stats["prompt_tokens"] = stats.get("prompt_tokens", 0) + result.n_prompt
        stats["generated_tokens"] = stats.get("generated_tokens", 0) + result.n_generated
        stats["finish_reason"] = result.finish_reason
        if on_text is not None:  # the streamed (final) pass gives the user-facing timings
            first = first_token_at[0] if first_token_at else finished
            stats["ttft_s"] = round(first - stats["started"], 4)
            decode_s = finished - first
            stats["tokens_per_s"] = round((result.n_generated - 1) / decode_s, 2) if decode_s > 0 and result.n_generated > 1 else None
            stats["final_tokens"] = result.n_generated
        stats["generate_s"] = round(stats.get("generate_s", 0) + finished - started, 4)
        return result.text

    # ---- requests ----------------------------------------------------------------------------

    def summarize(self, page: dict, style: str = DEFAULT_STYLE, length: str = DEFAULT_LENGTH, *,
                  temperature: float = DEFAULT_TEMPERATURE, on_text: Optional[Callable] = None,
                  on_progress: Optional[Callable] = None, should_stop: Optional[Callable] = None) -> dict:
        """Summarize an extracted page (dict from extract.js); returns text, grounding, timings."""
        page = Page.from_dict(page.to_py() if hasattr(page, "to_py") else page)
        check_style(style, length)
        if not page.text.strip():
            raise SummaryError("the page has no text to summarize")
        self._require_ready()
        self._cancelled = False
        stats = {"started": time.perf_counter()}
        budget = self.context - 64 - max(256, CHAT_MAX_NEW_TOKENS)

        def complete(messages, max_tokens, stream):
            return self._complete(messages, max_tokens, stream, temperature, stats, should_stop)

        def progress(stage, done, total):
            if on_progress is not None:
                on_progress(stage, done, total)

        text = run_summary(page, style, length, complete=complete, count_prompt=self.count_prompt,
                           prompt_budget=budget, on_text=on_text, on_progress=progress,
                           should_stop=lambda: self._cancelled or bool(should_stop and should_stop()))
        if self._cancelled:
            stats["finish_reason"] = "cancelled"
        return self._result(text, stats, grounding=grounding.ground_as_dict(text, page.text) if text else None)

    def chat(self, messages: list, page: Optional[dict] = None, *, temperature: float = DEFAULT_TEMPERATURE,
             on_text: Optional[Callable] = None, should_stop: Optional[Callable] = None,
             max_tokens: int = CHAT_MAX_NEW_TOKENS) -> dict:
        """Answer the last user message of `messages` ([{role, content}], user first), about `page`."""
        if hasattr(messages, "to_py"):
            messages = messages.to_py()
        if hasattr(page, "to_py"):
            page = page.to_py()
        if not isinstance(messages, list) or not messages or messages[-1].get("role") != "user":
            raise SummaryError("a chat request needs messages ending with the user's question")
        self._require_ready()
        self._cancelled = False
        stats = {"started": time.perf_counter()}
        system = self.chat_system_prompt(Page.from_dict(page) if page else None, messages)
        conversation = [{"role": "system", "content": system}] + [
            {"role": m["role"], "content": m["content"]} for m in messages]
        text = self._complete(conversation, int(max_tokens), on_text, temperature, stats, should_stop)
        return self._result(text, stats)

    def chat_system_prompt(self, page: Optional[Page], messages: list) -> str:
        """The system message of a chat: the summaries' page message (so a question after a
        summary reuses the cached page), holding the whole page text or, when it does not fit
        beside the conversation, the passages most related to the last question."""
        if page is None:
            return CHAT_SYSTEM_PROMPT
        overhead = self.count_prompt([page_system_message(page, "")] + list(messages))
        budget = self.context - CHAT_MAX_NEW_TOKENS - overhead - 32
        excerpt = self.fit_page_text(page.text, messages[-1]["content"], budget)
        return page_system_message(page, excerpt)["content"]

    def fit_page_text(self, text: str, question: str, budget: int) -> str:
        """The page text if it fits `budget` tokens, else the passages most related to the
        question (BM25), kept in page order, as many as fit."""
        if budget <= 0:
            return ""
        if len(self.tokenizer.encode(text, add_special=False)) <= budget:
            return text
        passages = grounding.split_passages(text)
        index = grounding.PassageIndex(passages)
        query = grounding.content_words(question)
        ranked = sorted(range(len(passages)), key=lambda i: -index.bm25(query, i))
        chosen, used = [], 0
        for i in ranked:
            cost = len(self.tokenizer.encode(passages[i].text, add_special=False)) + 2
            if used + cost > budget:
                continue
            chosen.append(i)
            used += cost
        return "\n…\n".join(passages[i].text for i in sorted(chosen))

    def _result(self, text: str, stats: dict, grounding: Optional[dict] = None) -> dict:
        stats = dict(stats)
        stats["total_s"] = round(time.perf_counter() - stats.pop("started"), 4)
        out = {"text": text, "model": self.model_info().get("title"), "stats": stats}
        if grounding is not None:
            out["grounding"] = grounding
        return out
