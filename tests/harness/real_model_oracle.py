"""llama.cpp's greedy continuations of the prompts Précis builds, on a real model file: the oracle the four
executors (numpy reference, WGSL on wgpu/lavapipe, WGSL in Chromium, the CPU device) are held to.

The prompts are the engine's own (precis_build.commands.prompt.engine_prompt: the model's chat template, our
tokenizer, precis.summarize's messages), English and Chinese, a summary and a chat question about a page; and,
for the slow executors (SwiftShader, lavapipe), two short chat questions without a page through the same
chat template and tokenizer (16-40 tokens).

A greedy token is compared only up to llama.cpp's first near-tie: a step where its own top-2 logits are closer
than NEAR_TIE. llama.cpp rounds activations to 8 bits in its quantized matmuls, which moves logits by a few
hundredths to a few tenths (measured on the tiny models of tests/gpu/test_families.py, the same threshold);
past a near-tie any faithful implementation may choose the other token and the paths part."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from precis.chat_template import ChatTemplate
from precis.engine import Engine
from precis.gguf import open_gguf
from precis.tokenizer import Tokenizer

NEAR_TIE = 0.25
GGML_TYPE_F32 = 0
CONTEXT = 512

EN_PAGE = {"title": "Wuhan Yangtze River Bridge",
           "text": "The Wuhan Yangtze River Bridge opened in 1957. It was the first bridge across the Yangtze. "
                   "Its upper deck carries a road and its lower deck a railway."}
ZH_PAGE = {"title": "武汉长江大桥",
           "text": "武汉长江大桥于1957年建成通车，是长江上的第一座大桥。大桥上层是公路，下层是铁路。"}
# Short chat prompts (no page) for the slow executors.
EN_SHORT = [{"role": "system", "content": "You are a helpful assistant."},
            {"role": "user", "content": "What is the capital of France?"}]
ZH_SHORT = [{"role": "system", "content": "You are a helpful assistant."},
            {"role": "user", "content": "中国的首都是哪里？"}]


def engine_prompts(path) -> dict:
    """case -> prompt ids, as the engine feeds them for a summary and a chat question about each page."""
    from precis_build.commands.prompt import engine_prompt
    data = open(path, "rb").read()

    def prompt(page, question=None):
        engine = Engine()
        engine.set_adapter({"available": True, "info": {"description": "none (prompt only)"}})
        engine.prepare(data, len(data), str(path), str(path))
        return engine_prompt(engine, page, "key-points", "short", question)

    prompts = {
        "en-summary": prompt(EN_PAGE),
        "zh-summary": prompt(ZH_PAGE),
        "en-chat": prompt(EN_PAGE, "When did the bridge open?"),
        "zh-chat": prompt(ZH_PAGE, "大桥哪一年通车？"),
    }
    gguf = open_gguf(path)
    template, tokenizer = ChatTemplate.from_gguf(gguf), Tokenizer.from_gguf(gguf)
    prompts["en-short"] = template.encode(tokenizer, EN_SHORT)
    prompts["zh-short"] = template.encode(tokenizer, ZH_SHORT)
    return prompts


@dataclass
class Expected:
    prompt: list          # the prompt's ids
    tokens: list          # llama.cpp's greedy ids before its first near-tie (at most new_tokens)
    gaps: list            # llama.cpp's top-2 logit gap at each of its greedy steps


def llama_cpp_expectations(path, prompts: dict, new_tokens: int) -> dict:
    """case -> Expected, from llama.cpp (llama-cpp-python, built by the bootstrap) on the file, with an f32
    KV cache and without flash attention (as tests/gpu/test_families.py runs it)."""
    from llama_cpp import Llama
    llm = Llama(model_path=str(path), n_ctx=CONTEXT, n_batch=CONTEXT, n_ubatch=CONTEXT,
                n_threads=2, verbose=False, flash_attn=False, type_k=GGML_TYPE_F32, type_v=GGML_TYPE_F32)
    out = {}
    try:
        for case, ids in prompts.items():
            llm.reset()
            llm.eval(ids)
            tokens, gaps = [], []
            for _ in range(new_tokens):
                row = np.ctypeslib.as_array(llm._ctx.get_logits(), shape=(llm.n_vocab(),)).astype(np.float32)
                top2 = np.sort(row)[-2:]
                tokens.append(int(np.argmax(row)))
                gaps.append(float(top2[1] - top2[0]))
                llm.eval([tokens[-1]])
            n = next((i for i, gap in enumerate(gaps) if gap < NEAR_TIE), len(tokens))
            out[case] = Expected(list(ids), tokens[:n], gaps)
    finally:
        llm.close()
    return out
