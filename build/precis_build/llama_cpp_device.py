"""The device contract (DEVICE_CONTRACT.md) in CPython, computed by native llama.cpp (llama-cpp-python, built
here): the CPU device's oracle in the browser tests, and the fast way to run a precis Engine over many pages
(precis_build.bench_summaries)."""

from __future__ import annotations

from pathlib import Path


class LlamaCppDevice:
    """The device contract computed by llama.cpp on the CPU, with the CPU device's semantics
    (extension/engine/wllama_device.js): the KV cache truncated at positions[0], and logits as log-softmax
    (wllama returns probabilities, not raw logits). `fed`: the token at each position fed."""

    def __init__(self, llm):
        self.llm = llm
        self.fed: dict = {}
        llm.n_tokens = 0

    def step(self, token_ids, positions, k, text=""):
        import numpy as np

        llm = self.llm
        if positions[0] > llm.n_tokens:
            raise ValueError(f"position {positions[0]} skips past the {llm.n_tokens} tokens llama.cpp holds")
        self.fed.update(zip(positions, token_ids))
        llm.n_tokens = positions[0]          # eval() drops the cache from n_tokens on
        llm.eval(list(token_ids))
        logits = np.ctypeslib.as_array(llm._ctx.get_logits(), shape=(llm.n_vocab(),)).astype(np.float64)
        shifted = logits - logits.max()
        log_softmax = shifted - np.log(np.exp(shifted).sum())
        ids = np.argsort(-logits, kind="stable")[:k]
        return {"ids": [int(i) for i in ids], "logits": [float(x) for x in log_softmax[ids]]}

    def poll(self, text=""):
        return {"cancelled": False}


def load_llama(path, context: int = 4096, threads: int = 2):
    """The model at `path` in native llama.cpp (quiet)."""
    from llama_cpp import Llama
    return Llama(model_path=str(path), n_ctx=context, n_threads=threads, n_batch=512, verbose=False)


def llama_cpp_engine(llm, path, context: int = 4096):
    """A fresh CPython precis Engine on the CPU device's spec whose device is `llm` (LlamaCppDevice)."""
    from precis.engine import Engine

    data = Path(path).read_bytes()
    engine = Engine()
    engine.set_adapter({"available": False, "reason": "native llama.cpp"})
    engine.prepare(data, len(data), Path(path).name, "package", context=context, device="cpu")
    engine.commit(LlamaCppDevice(llm))
    return engine
