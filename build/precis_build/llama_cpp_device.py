"""The device contract (DEVICE_CONTRACT.md) in CPython, computed by native llama.cpp on the CPU
(llama-cpp-python), with the CPU device's semantics (extension/engine/wllama_device.js): the KV
cache truncated at positions[0], and logits as log-softmax (wllama returns probabilities, not raw
logits). The browser tests use it as the outside oracle of the CPU device; `precis ground --model`
uses it to run the grounding judge in CPython."""

from pathlib import Path


class LlamaCppDevice:
    """`fed`: the token at each position fed."""

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


def native_llama(model_path: Path, context: int = 4096, threads: int = 2):
    """The GGUF model in native llama.cpp (n_batch 512, quiet)."""
    from llama_cpp import Llama

    return Llama(model_path=str(model_path), n_ctx=context, n_threads=threads, n_batch=512, verbose=False)


def native_engine(model_path: Path, llm=None, context: int = 4096):
    """A CPython precis Engine on the CPU device's spec whose device is native llama.cpp."""
    from precis.engine import Engine

    model_path = Path(model_path)
    engine = Engine()
    engine.set_adapter({"available": False, "reason": "native llama.cpp"})
    data = model_path.read_bytes()
    engine.prepare(data, len(data), model_path.name, "package", context=context, device="cpu")
    engine.commit(LlamaCppDevice(llm if llm is not None else native_llama(model_path, context)))
    return engine


# The names precis_build.bench_summaries and the shape tests use: the same two functions.
load_llama = native_llama


def llama_cpp_engine(llm, path, context: int = 4096):
    return native_engine(path, llm, context)
