"""precis.engine with the real SmolLM2 model, its device played by the numpy reference model
(precis_oracles.reference.device.ReferenceDevice, the device contract in CPython).

The oracle for each answer is precis.generation.generate run directly on a fresh reference model with the
prompt built independently: the engine must give the same tokens, including when it reuses the KV cache for
a chat's earlier turns. Loads are transactions: a refused or aborted model leaves the working one."""

import numpy as np
import pytest

from precis.chat_template import ChatTemplate
from precis.engine import Engine
from precis.generation import generate
from precis.sampler import Sampler, SamplerConfig
from precis.summarize import MAX_MAP_CHUNKS, Page, max_new_tokens, summary_messages
from precis.tokenizer import Tokenizer
from precis_oracles.reference.device import ReferenceDevice

PAGE = {
    "title": "Rosetta reaches its comet",
    "text": ("The Rosetta spacecraft reached comet 67P in August 2014 after a ten-year journey.\n\n"
             "Its lander, Philae, bounced twice before settling in a shadowed crevice."),
    "url": "http://127.0.0.1/rosetta.html",
}
TOP_K = 64
CHAT_TOKENS = 40  # answers are cut here to keep the numpy model's time small
# The reference model's greedy headline of PAGE, committed (precis_oracles.reference.device.reference_engine gave it).
GOLDEN_HEADLINE = ("The Rosetta spacecraft reached comet 67P on August 20th, after a decade-long journey to "
                   "explore the solar system's smallest celestial body.")
MiB = 1 << 20
SWIFTSHADER = {"available": True, "info": {"vendor": "google", "architecture": "swiftshader",
                                            "description": "SwiftShader Device (Subzero)"},
               "features": ["subgroups"], "deviceMemoryGiB": 8,
               "limits": {"maxStorageBufferBindingSize": 1 << 30, "maxBufferSize": 1 << 30}}


def value(answer: dict):
    assert "error" not in answer, answer
    return answer["value"]


def load(engine: Engine, path, device, **options) -> dict:
    """What the worker does: the header from growing prefixes, then commit with the device."""
    data = path.read_bytes()
    want = 1 * MiB
    while True:
        prepared = value(engine.handle("prepare", {"prefix": data[:want], "file_size": len(data),
                                                   "name": path.name, "source": "package", "device": "gpu",
                                                   **options}))
        if "need_bytes" not in prepared:
            break
        want = prepared["need_bytes"]
    return {"prepared": prepared, "info": value(engine.handle("commit", {"device": device}))}


@pytest.fixture(scope="module")
def engine(smollm2_path, smollm2_gguf):
    e = Engine()
    value(e.handle("set_adapter", {"raw": SWIFTSHADER}))
    load(e, smollm2_path, ReferenceDevice(smollm2_gguf), context=2048)
    return e


def fresh_device(engine, gguf, **options) -> ReferenceDevice:
    device = ReferenceDevice(gguf, **options)
    engine.device = device   # a new device holds nothing: the engine's record must say so too
    engine.kv = []
    return device


def expected_text(gguf, messages, max_tokens):
    """The answer generate() gives on a fresh reference model, with the engine's sampler settings."""
    from precis_oracles.reference.model import ReferenceModel

    reference = ReferenceModel.from_gguf(gguf)
    tokenizer = Tokenizer.from_gguf(gguf)
    prompt = ChatTemplate.from_gguf(gguf).encode(tokenizer, messages)
    position = [0]

    def next_candidates(new_ids):
        logits = reference.forward(new_ids, position[0])[-1]
        position[0] += len(new_ids)
        ids = np.argsort(-logits, kind="stable")[:TOP_K]
        return [int(i) for i in ids], [float(x) for x in logits[ids]]

    sampler = Sampler(SamplerConfig(temperature=0.0, repetition_penalty=1.1))
    return generate(prompt, next_candidates, tokenizer, sampler, max_tokens, stop_ids=tokenizer.eos_ids,
                    stop_strings=ChatTemplate.from_gguf(gguf).stop_strings).text


def test_the_header_comes_from_a_prefix_and_the_plan_is_checked_before_any_device(smollm2_path):
    e = Engine()
    value(e.handle("set_adapter", {"raw": SWIFTSHADER}))
    data = smollm2_path.read_bytes()
    asked = value(e.handle("prepare", {"prefix": data[:100_000], "file_size": len(data), "name": "m.gguf",
                                    "device": "gpu"}))
    assert asked == {"need_bytes": 4 * MiB}            # the header goes on past 100 kB: read more
    prepared = value(e.handle("prepare", {"prefix": data[:4 * MiB], "file_size": len(data), "name": "m.gguf",
                                    "device": "gpu"}))
    spec, info = prepared["spec"], prepared["info"]
    assert spec["kind"] == "webgpu" and '"format":"precis-plan"' in spec["plan"]
    assert spec["requiredFeatures"] == [] and spec["requiredLimits"]["maxBufferSize"] == 1 << 30
    assert info["architecture"] == "llama" and info["vocab"] == 49152 and info["chunk"] == 32
    assert info["gpu_bytes"] == info["memory"]["total"] > len(data)
    assert e.model is None                              # prepared, not installed
    assert e._prepared.gguf.view.nbytes == 0            # the prefix's bytes were freed once parsed
    assert value(e.handle("model_info")) == {"loaded": False}
    assert e.handle("summarize", {"page": PAGE})["error"]["kind"] == "no_model"


@pytest.mark.parametrize("make,kind,words", [
    (lambda d: b"<html>not a model</html>" + bytes(64), "unsupported_model", "magic"),
    (lambda d: d[:4 * MiB], "unsupported_model", "runs past the end of the file"),   # the tensor data cut
])
def test_refused_files_are_structured_errors_and_the_working_model_stays(engine, smollm2_path, make, kind, words):
    working = engine.model
    data = make(smollm2_path.read_bytes())
    answer = engine.handle("prepare", {"prefix": data, "file_size": len(data), "name": "bad.gguf",
                                    "device": "gpu"})
    assert answer["error"]["kind"] == kind and words in answer["error"]["message"], answer
    assert "Traceback" not in answer["error"]["message"]
    assert engine.model is working and engine.handle("commit", {"device": None})["error"]["kind"] == "internal"


def test_a_model_that_does_not_fit_is_refused_with_its_sizes_and_the_working_model_stays(engine, smollm2_path):
    working, device = engine.model, engine.device
    data = smollm2_path.read_bytes()
    answer = engine.handle("prepare", {"prefix": data[:4 * MiB], "file_size": len(data), "name": "m.gguf",
                                       "device": "gpu", "context": 8192, "memory_budget": 200 * MiB})
    assert answer["error"]["kind"] == "out_of_memory"
    assert "KV cache 360.0 MiB" in answer["error"]["message"] and "200.0 MiB" in answer["error"]["message"]
    # A prepared model that is aborted (its device failed to load) is never installed either.
    value(engine.handle("prepare", {"prefix": data[:4 * MiB], "file_size": len(data), "name": "m.gguf",
                                    "device": "gpu"}))
    value(engine.handle("abort"))
    assert engine.model is working and engine.device is device
    assert engine.handle("commit", {"device": object()})["error"]["kind"] == "internal"


def test_summary_streams_the_reference_answer_on_the_steps(engine, smollm2_gguf):
    device = fresh_device(engine, smollm2_gguf)
    progress = []
    result = value(engine.handle("summarize", {"page": PAGE, "style": "headline", "length": "short",
                                               "on_progress": lambda *a: progress.append(a)}))
    messages = summary_messages(Page.from_dict(PAGE), "headline", "short")
    assert result["text"] == expected_text(smollm2_gguf, messages, max_new_tokens("headline", "short"))
    assert result["text"] == GOLDEN_HEADLINE
    assert device.streamed == result["text"]          # the streamed text rode on the steps (and one flush)
    assert max(device.steps) == 32 and all(n == 1 for n in device.steps[-result["stats"]["generated_tokens"] + 1:])
    assert progress == []                             # a short page needs no map-reduce
    stats = result["stats"]
    assert stats["finish_reason"] in ("eos", "stop_string", "max_tokens")
    assert stats["ttft_s"] > 0 and stats["generated_tokens"] >= 1
    assert result["grounding"]["points"], "every summary is grounded"
    assert len(engine.kv) == stats["prompt_tokens"] + stats["generated_tokens"] - 1


def test_chat_reuses_the_cache_and_matches_a_fresh_run(engine, smollm2_gguf):
    device = fresh_device(engine, smollm2_gguf)
    value(engine.handle("summarize", {"page": PAGE, "style": "headline", "length": "short"}))
    page_tokens = len(Tokenizer.from_gguf(smollm2_gguf).encode(
        engine.chat_system_prompt(Page.from_dict(PAGE), [{"role": "user", "content": "x"}]), add_special=False))
    first = [{"role": "user", "content": "Which comet did Rosetta reach?"}]
    # The panel's way: the conversation's first turn carries the page, the next one only its id.
    result = value(engine.handle("chat", {"messages": first, "page": PAGE, "conversation": "c1",
                                          "max_tokens": CHAT_TOKENS}))
    assert result["stats"]["reused"] >= page_tokens
    fed = device.fed
    second = first + [{"role": "assistant", "content": result["text"]},
                      {"role": "user", "content": "What did the lander do?"}]
    result = value(engine.handle("chat", {"messages": second, "conversation": "c1", "max_tokens": CHAT_TOKENS}))
    # The page was not fed again: at most the turns after it.
    assert device.fed - fed <= result["stats"]["prompt_tokens"] - page_tokens
    system = engine.chat_system_prompt(Page.from_dict(PAGE), second)
    assert result["text"] == expected_text(smollm2_gguf, [{"role": "system", "content": system}] + second,
                                           CHAT_TOKENS)


def test_a_conversation_keeps_its_page_for_the_last_eight_conversations():
    engine = Engine()
    other = dict(PAGE, title="Another page", text="Another page's text.")
    assert engine.conversation_page("c1", PAGE) == Page.from_dict(PAGE)
    assert engine.conversation_page("c1", None) == Page.from_dict(PAGE)       # a later turn: only the id
    assert engine.conversation_page("c2", other) == Page.from_dict(other)
    assert engine.conversation_page("c1", None) == Page.from_dict(PAGE)
    assert engine.conversation_page(None, other) == Page.from_dict(other)    # no conversation: nothing kept
    for n in range(3, 10):
        engine.conversation_page(f"c{n}", other)
    assert list(engine._chat_pages) == [f"c{n}" for n in range(2, 10)]       # c1, the oldest, was let go
    answer = engine.handle("chat", {"messages": [{"role": "user", "content": "Who?"}], "conversation": "c1"})
    assert answer == {"error": {"kind": "bad_input",
                                "message": "The engine no longer holds this conversation's page: ask again."}}


def test_a_cancel_seen_on_a_step_stops_the_prefill_between_slices(engine, smollm2_gguf):
    device = fresh_device(engine, smollm2_gguf, cancel_after=1)
    result = value(engine.handle("summarize", {"page": PAGE, "style": "tldr", "length": "short"}))
    assert result["text"] == "" and result["stats"]["finish_reason"] == "cancelled"
    assert device.steps == [32]                       # one slice of the prompt, then the cancel was seen
    assert len(engine.kv) == 32                       # the record says what the cache holds


def test_a_cancel_during_long_planning_is_seen_at_a_poll(engine, smollm2_gguf):
    """A page longer than the context: its planning is pure Python, with polls (suspension points where the
    worker takes a cancel) at least every POLL_S; a cancel there ends the request before any step."""
    device = fresh_device(engine, smollm2_gguf, cancel_after=0)
    page = dict(PAGE, text="\n\n".join(f"Paragraph {i} tells of comet 67P and the lander Philae, part {i}."
                                       for i in range(3000)))
    result = value(engine.handle("summarize", {"page": page, "style": "tldr", "length": "short"}))
    assert result["stats"]["finish_reason"] == "cancelled" and result["text"] == ""
    assert device.steps == [] and device.polls >= 1


def test_planning_a_long_page_tokenizes_it_a_bounded_number_of_times(engine, smollm2_gguf, monkeypatch):
    """Planning a long page (fitting check, chunking, the first part's prompt) tokenizes text in proportion
    to the page, not to the page x the chunk size (each piece counted once by summarize.split_into_chunks)."""
    fresh_device(engine, smollm2_gguf, cancel_after=0)   # planning only: cancelled at the first step
    tokenizer = engine.model.tokenizer
    encoded = [0]
    original = tokenizer.encode

    def counting(text, *args, **kwargs):
        encoded[0] += len(text)
        return original(text, *args, **kwargs)

    monkeypatch.setattr(tokenizer, "encode", counting)
    monkeypatch.setattr("precis.engine.POLL_S", 1e9)    # no poll: the whole page is planned
    text = "\n\n".join(f"Paragraph {i} tells of comet 67P and the lander Philae, part {i}." for i in range(3000))
    progress = []
    result = value(engine.handle("summarize", {"page": dict(PAGE, text=text), "style": "tldr", "length": "short",
                                               "on_progress": lambda *a: progress.append(a)}))
    assert result["stats"]["finish_reason"] == "cancelled"
    # Planned into many parts, the map step capped at MAX_MAP_CHUNKS (and said so), then cancelled.
    assert progress[0] == ("map", 0, MAX_MAP_CHUNKS) and result["stats"]["parts"]["total"] > 20
    assert encoded[0] < 3 * len(text), (encoded[0], len(text))


def test_bad_requests_are_structured_errors(engine):
    for method, args, words in [
        ("summarize", {"page": {"title": "x", "text": "  "}, "style": "tldr", "length": "short"}, "no text"),
        ("summarize", {"page": PAGE, "style": "poem", "length": "short"}, "unknown summary style"),
        ("chat", {"messages": [{"role": "assistant", "content": "hi"}], "page": PAGE}, "ending with the user's"),
        ("greedy", {"prompt_ids": [5, 49152], "max_tokens": 2}, "outside the vocabulary"),
        ("greedy", {"prompt_ids": list(range(2049)), "max_tokens": 2}, "longer than the model's context"),
    ]:
        error = engine.handle(method, args)["error"]
        assert error["kind"] == "bad_input" and words in error["message"], (method, error)


def test_a_rebuilt_device_gets_the_cache_fed_again(engine, smollm2_gguf):
    """A device lost and rebuilt (JS answers {rebuilt: true}) has an empty KV cache: the engine feeds again
    what its record says the lost cache held, then the step; the greedy tokens go on as if nothing happened."""
    device = fresh_device(engine, smollm2_gguf)
    reference = value(engine.handle("greedy", {"prompt_ids": [1, 504, 3458], "max_tokens": 4}))["ids"]
    fresh_device(engine, smollm2_gguf)
    value(engine.handle("greedy", {"prompt_ids": [1, 504, 3458], "max_tokens": 2}))
    held = list(engine.kv)
    lost = {"once": True}
    original = engine.device.step

    def step(ids, positions, k, text=""):
        if lost.pop("once", False):
            engine.device.model.reset()
            return {"rebuilt": True}
        return original(ids, positions, k, text)

    engine.device.step = step
    after = value(engine.handle("greedy", {"prompt_ids": [reference[1]], "max_tokens": 2, "fresh": False}))
    assert after["recoveries"] == 1 and held == [1, 504, 3458, reference[0]]
    assert after["ids"] == reference[2:4]
    del device


NVIDIA = {"available": True, "info": {"vendor": "nvidia", "architecture": "hopper", "description": "NVIDIA H200"},
          "features": ["subgroups", "shader-f16"], "deviceMemoryGiB": 80,
          "limits": {"maxStorageBufferBindingSize": 1 << 31, "maxBufferSize": 1 << 31}}


def _renamed_architecture(data: bytes, old: bytes, new: bytes) -> bytes:
    """The file with its architecture renamed (same length: every offset stays): the general.architecture
    value and every `<arch>.` metadata key. A family llama.cpp knows but our WGSL plan does not."""
    assert len(old) == len(new)
    value = len(old).to_bytes(8, "little") + old
    header = data[:4 * MiB].replace(value, len(new).to_bytes(8, "little") + new, 1)
    return header.replace(old + b".", new + b".") + data[4 * MiB:]


def test_a_model_our_gpu_kernels_cannot_run_goes_to_the_cpu_device_under_auto_and_is_refused_on_gpu(smollm2_path):
    e = Engine()
    value(e.handle("set_adapter", {"raw": NVIDIA, "hardware_concurrency": 8, "cross_origin_isolated": True}))
    data = _renamed_architecture(smollm2_path.read_bytes(), b"llama", b"olmo2")
    args = {"prefix": data[:4 * MiB], "file_size": len(data), "name": "olmo.gguf"}
    # The real file runs on the GPU under auto; the renamed one is one our plan refuses.
    assert value(e.handle("prepare", {**args, "prefix": smollm2_path.read_bytes()[:4 * MiB]}))["spec"]["kind"] == "webgpu"
    spec = value(e.handle("prepare", {**args, "device": "auto"}))["spec"]
    assert spec["kind"] == "cpu" and spec["fallback"] is True and spec["threads"] == 4
    assert spec["reason"].startswith("our GPU kernels cannot run this model (") and "olmo2" in spec["reason"]
    assert spec["reason"].endswith("), so llama.cpp runs it on the CPU")
    value(e.handle("abort"))
    refused = e.handle("prepare", {**args, "device": "gpu"})["error"]
    assert refused["kind"] == "unsupported_model" and "olmo2" in refused["message"]
    assert refused["message"].endswith("On the CPU, llama.cpp may run it: choose Device: CPU in the settings")
    assert e._prepared is None and e.model is None
