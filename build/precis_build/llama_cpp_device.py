"""The device contract (precis.device) in CPython, computed by native llama.cpp on the CPU
(llama-cpp-python), with the CPU device's semantics (extension/engine/wllama_device.js): the KV
cache truncated at positions[0], and logits as log-softmax (wllama returns probabilities, not raw
logits). The browser tests use it as the outside oracle of the CPU device; `precis ground --model`
uses it to run the grounding judge in CPython."""

from pathlib import Path

from precis.device import DeviceError, check_step


class LlamaCppDevice:
    """precis.device.Device on a llama_cpp.Llama. `fed`: the token at each position fed. `owns`: close() also
    frees the Llama (its model and context); a Llama the caller shares (a test session's) is left open."""

    def __init__(self, llm, owns: bool = False):
        self.llm = llm
        self.owns = owns
        self.fed: dict = {}
        llm.n_tokens = 0

    def step(self, token_ids, positions, k, text=""):
        import numpy as np

        llm = self.llm
        if llm is None:
            raise DeviceError("device_lost", "the llama.cpp device was closed")
        token_ids, positions = [int(t) for t in token_ids], [int(p) for p in positions]
        # the binding's own record of the ids (input_ids) is as long as the context asked; llama.cpp pads its own
        context = min(llm.n_ctx(), len(llm.input_ids))
        check_step(token_ids, positions, k, llm.n_tokens, context, llm.n_vocab())
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

    def close(self) -> None:
        """Forgets the Llama; frees its model and context when this device owns it. Idempotent."""
        llm, self.llm = self.llm, None
        if llm is not None and self.owns:
            llm.close()


# llama.cpp's ggml types of the KV cache types the CPU device uses (precis.device_choice.kv_type).
GGML_KV_TYPES = {"f32": 0, "f16": 1, "q8_0": 8}


def native_llama(model_path: Path, context: int = 4096, threads: int = 2):
    """The GGUF model in native llama.cpp as the CPU device runs it (the KV cache type it gives the model, flash
    attention on; n_batch 512, quiet)."""
    from llama_cpp import Llama

    from precis.device_choice import kv_type
    from precis.gguf import open_gguf

    header = open_gguf(model_path)
    try:
        kv = GGML_KV_TYPES[kv_type(header)]
    finally:
        header.close()
    return Llama(model_path=str(model_path), n_ctx=context, n_threads=threads, n_batch=512, verbose=False,
                 flash_attn=True, type_k=kv, type_v=kv)


def native_engine(model_path: Path, llm=None, context: int = 4096):
    """A CPython precis Engine on the CPU device's spec whose device is native llama.cpp."""
    from precis.engine import Engine

    model_path = Path(model_path)
    engine = Engine()
    engine.set_adapter({"available": False, "reason": "native llama.cpp"})
    data = model_path.read_bytes()
    engine.prepare(data, len(data), model_path.name, "package", context=context, device="cpu")
    owns = llm is None
    engine.commit(LlamaCppDevice(native_llama(model_path, context) if owns else llm, owns=owns))
    return engine


# The names precis_build.bench_summaries and the shape tests use: the same two functions.
load_llama = native_llama


def llama_cpp_engine(llm, path, context: int = 4096):
    return native_engine(path, llm, context)
