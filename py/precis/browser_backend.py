"""The "browser" generation backend: the model's GPU step runs in the engine worker's JS WebGPU executor
(extension/engine/webgpu_executor.js), driven from Python in Pyodide. Pure stdlib.

    plan = plan_for_adapter(gguf, adapter_limits, context=2048)  # Plan; its JSON goes to JS once
    backend = BrowserBackend(js_executor, plan.model, rebuild=js_rebuild)
    ids, logits = backend.next_candidates(new_ids)     # like the CPython backends (WgpuModel, numpy)
    ids, logits = backend.step(token_ids, positions)   # precis.session.Session's executor signature
    backend.reset()

Each call makes ONE JS call, `executor.feed(ids, pos)`: JS runs the prefill chunks (plan max_tokens each; one
token uses the decode list) and reads back only the top-k of the last token. feed returns a promise; Python
waits for it with pyodide.ffi.run_sync (JSPI), so callers stay plain synchronous code. The caller must have
entered Python through a promising call (pyProxy.callPromising / runPythonAsync).

A lost GPU device: the step that hits it raises the executor's clear message. The next step asks `rebuild()`
(JS) for a new executor on a new device and first re-feeds the tokens the lost KV cache held (the backend
keeps them), so the caller goes on as if nothing happened.
"""

from __future__ import annotations

import time
from typing import Any, Callable, Optional

from precis.model_plan import DEFAULT_MAX_BINDING, build_plan
from precis.plan import Plan, PlanError

DEFAULT_CHUNK = 32           # prefill tokens per GPU step
DEFAULT_CONTEXT = 4096       # KV-cache positions (capped by the model's own context)


def plan_for_adapter(gguf, limits: Any = None, *, chunk: int = DEFAULT_CHUNK,
                     context: Optional[int] = None, cpu_adapter: bool = False, features: Any = ()) -> Plan:
    """The Plan of `gguf` (a precis.gguf.GGUFFile, header-only is enough) for an adapter whose limits are
    `limits` (dict or JS object: maxStorageBufferBindingSize, maxBufferSize). `cpu_adapter` (SwiftShader,
    lavapipe): matmuls use matmul_rowwise.wgsl (no barriers, no tiles), which CPUs run fastest.
    `features`: the adapter's feature names (list or JS array), which pick kernel variants (build_plan).
    Raises PlanError."""
    limits = _to_py(limits) or {}
    max_binding = DEFAULT_MAX_BINDING
    if limits:
        sizes = [int(limits[k]) for k in ("maxStorageBufferBindingSize", "maxBufferSize") if limits.get(k)]
        if sizes:
            max_binding = min(sizes)
    model_context = int(gguf.arch_value("context_length", DEFAULT_CONTEXT) or DEFAULT_CONTEXT)
    context = min(model_context, DEFAULT_CONTEXT) if context is None else int(context)
    if context < 1:
        raise PlanError(f"context {context} must be positive")
    return build_plan(gguf, chunk=chunk, context=min(context, model_context), max_binding=max_binding,
                      tiled_prefill=not cpu_adapter, rowwise_matmul=cpu_adapter,
                      features=list(_to_py(features) or ()))


def _to_py(value: Any) -> Any:
    """A JS value (JsProxy) as Python; Python values unchanged."""
    return value.to_py() if hasattr(value, "to_py") else value


def _resolve(value: Any) -> Any:
    """A JS promise (or Python awaitable) waited for with JSPI; plain values unchanged."""
    if hasattr(value, "then") or hasattr(value, "__await__"):
        from pyodide.ffi import run_sync  # only reachable inside Pyodide
        return run_sync(value)
    return value


def _to_js(ids: list) -> Any:
    try:
        from pyodide.ffi import to_js
    except ImportError:       # CPython (tests drive a Python executor)
        return ids
    return to_js(ids)


def _candidates(result: Any) -> tuple:
    """The executor's answer ({ids, logits} JS object, dict or pair) as (list[int], list[float])."""
    if isinstance(result, (tuple, list)):
        ids, logits = result
    elif isinstance(result, dict):
        ids, logits = result["ids"], result["logits"]
    else:
        ids, logits = result.ids, result.logits
    return [int(i) for i in _to_py(ids)], [float(x) for x in _to_py(logits)]


class BrowserBackend:
    """next_candidates / step / reset over a JS PlanExecutor (see the module docstring)."""

    def __init__(self, executor: Any, model: dict, rebuild: Optional[Callable] = None):
        self.executor = executor            # JS PlanExecutor: feed(ids, pos) -> Promise<{ids, logits}>, lost
        self.rebuild = rebuild              # JS async () -> new PlanExecutor on a new device
        model = _to_py(model)
        self.model = dict(model)
        self.vocab = int(model["vocab"])
        self.context = int(model["context"])
        self.chunk = int(model["chunk"])
        self.history: list = []             # token id at each position the KV cache holds
        self.pos = 0
        self.recoveries = 0

    # -- the one JS call per step --------------------------------------------------------------------
    def _feed(self, token_ids: list, pos: int) -> tuple:
        n = len(token_ids)
        if n == 0:
            raise ValueError("no tokens to feed")
        if pos < 0 or pos > len(self.history):
            raise ValueError(f"position {pos} skips past the {len(self.history)} tokens the cache holds")
        if pos + n > self.context:
            raise ValueError(f"positions {pos}..{pos + n - 1} exceed the context of {self.context} tokens")
        for t in token_ids:
            if not 0 <= t < self.vocab:
                raise ValueError(f"token id {t} outside the vocabulary 0..{self.vocab - 1}")
        if self._executor_lost():
            self._recover()
        result = _resolve(self.executor.feed(_to_js(token_ids), pos))
        del self.history[pos:]
        self.history.extend(token_ids)
        return _candidates(result)

    def _executor_lost(self) -> bool:
        return bool(getattr(self.executor, "lost", None)) and self.rebuild is not None

    def _recover(self) -> None:
        """A new executor on a new device; the tokens the old KV cache held are fed again."""
        self.executor = _resolve(self.rebuild())
        self.recoveries += 1
        if self.history:
            _resolve(self.executor.feed(_to_js(list(self.history)), 0))

    # -- the backend interfaces --------------------------------------------------------------------------
    def next_candidates(self, new_ids) -> tuple:
        """Feeds new_ids after everything fed so far; (ids, logits) of the top-k after the last one."""
        new_ids = [int(t) for t in _to_py(new_ids)]
        out = self._feed(new_ids, self.pos)
        self.pos += len(new_ids)
        return out

    def step(self, token_ids, positions) -> tuple:
        """precis.session's executor: feeds token_ids at `positions` (consecutive; may rewind)."""
        token_ids = [int(t) for t in _to_py(token_ids)]
        positions = [int(p) for p in _to_py(positions)]
        if len(positions) != len(token_ids) or any(b - a != 1 for a, b in zip(positions, positions[1:])):
            raise ValueError("positions must be consecutive, one per token")
        start = positions[0] if positions else self.pos
        out = self._feed(token_ids, start)
        self.pos = start + len(token_ids)
        return out

    def reset(self) -> None:
        self.pos = 0
        del self.history[:]   # later positions are overwritten before they are read

    # -- greedy decoding with timings (tests and benchmarks) ----------------------------------------------
    def greedy(self, prompt_ids, max_new: int, stop_ids=(), fresh: bool = True) -> dict:
        """The prompt in one step (prefill chunks), then greedy tokens up to `max_new` in all: from an empty
        cache, or (fresh=False) after what was fed before.
        Returns {"ids", "first_ids", "first_logits" (the prompt step's top-k), "prompt_tokens", "ttft_s",
        "decode_s", "decode_tokens_per_s"}."""
        prompt_ids = [int(t) for t in _to_py(prompt_ids)]
        stop_ids = set(int(t) for t in _to_py(stop_ids))
        if not prompt_ids:
            raise ValueError("the prompt has no tokens")
        if max_new < 1:
            raise ValueError(f"max_new must be at least 1, got {max_new}")
        if fresh:
            self.reset()
        started = time.perf_counter()
        ids, logits = self.next_candidates(prompt_ids)
        first = time.perf_counter()
        first_ids, first_logits = ids, logits
        out = [ids[0]]
        while len(out) < max_new and out[-1] not in stop_ids:
            ids, _ = self.next_candidates([out[-1]])
            out.append(ids[0])
        done = time.perf_counter()
        steps = len(out) - 1
        return {"ids": out, "first_ids": first_ids, "first_logits": first_logits,
                "prompt_tokens": len(prompt_ids), "ttft_s": round(first - started, 4),
                "decode_s": round(done - first, 4),
                "decode_tokens_per_s": round(steps / (done - first), 3) if steps and done > first else None}
