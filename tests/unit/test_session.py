"""precis.session with the real SmolLM2 model, its GPU step played by the numpy reference model.

The oracle for each answer is precis.generation.generate run directly on a fresh reference
model with the prompt built independently: the session must give the same tokens, including
when it reuses the KV cache for a chat's earlier turns."""

import numpy as np
import pytest

from precis.chat_template import ChatTemplate
from precis.generation import generate
from precis.gguf import GGUFError
from precis.sampler import Sampler, SamplerConfig
from precis.session import EngineUnavailable, Session
from precis.summarize import Page, SummaryError, max_new_tokens, summary_messages
from precis.tokenizer import Tokenizer

PAGE = {
    "title": "Rosetta reaches its comet",
    "text": ("The Rosetta spacecraft reached comet 67P in August 2014 after a ten-year journey.\n\n"
             "Its lander, Philae, bounced twice before settling in a shadowed crevice."),
    "url": "http://127.0.0.1/rosetta.html",
}
TOP_K = 64
CHAT_TOKENS = 40  # answers are cut here to keep the numpy model's time small


class ReferenceStep:
    """The executor contract (token_ids, positions) -> top-k (ids, logits), on the numpy model."""

    def __init__(self, model):
        self.model = model
        self.fed = 0

    def __call__(self, token_ids, positions):
        assert positions == list(range(positions[0], positions[0] + len(token_ids)))
        self.fed += len(token_ids)
        logits = self.model.forward(token_ids, positions[0])[-1]
        ids = np.argsort(-logits, kind="stable")[:TOP_K]
        return [int(i) for i in ids], [float(x) for x in logits[ids]]


@pytest.fixture(scope="module")
def reference(smollm2_gguf):
    from precis_build.reference.model import ReferenceModel
    return ReferenceModel.from_gguf(smollm2_gguf)


@pytest.fixture(scope="module")
def session(smollm2_path, reference):
    s = Session()
    s.load_model(smollm2_path.read_bytes(), smollm2_path.name)
    return s


def expected_text(gguf, reference, messages, max_tokens):
    """The answer generate() gives on a fresh cache, with the session's sampler settings."""
    tokenizer = Tokenizer.from_gguf(gguf)
    template = ChatTemplate.from_gguf(gguf)
    prompt = template.encode(tokenizer, messages)
    reference.reset()
    position = [0]

    def next_candidates(new_ids):
        logits = reference.forward(new_ids, position[0])[-1]
        position[0] += len(new_ids)
        ids = np.argsort(-logits, kind="stable")[:TOP_K]
        return [int(i) for i in ids], [float(x) for x in logits[ids]]

    sampler = Sampler(SamplerConfig(temperature=0.0, repetition_penalty=1.1))
    result = generate(prompt, next_candidates, tokenizer, sampler, max_tokens,
                      stop_ids=tokenizer.eos_ids, stop_strings=template.stop_strings)
    return result.text


def test_model_info_and_no_executor_is_a_clear_error(smollm2_path):
    s = Session()
    with pytest.raises(EngineUnavailable, match="no model is loaded"):
        s.summarize(PAGE, "tldr", "short")
    info = s.load_model(smollm2_path.read_bytes(), smollm2_path.name)
    assert info["architecture"] == "llama" and info["vocab"] == 49152 and info["chat_template"] == "model"
    assert info["executor"] is False
    with pytest.raises(EngineUnavailable, match="no WebGPU executor is attached"):
        s.summarize(PAGE, "tldr", "short")


def test_corrupt_model_file_is_a_clear_error(smollm2_path):
    data = bytearray(smollm2_path.read_bytes()[:4096])
    with pytest.raises(GGUFError):
        Session().load_model(bytes(data), "cut.gguf")
    with pytest.raises(GGUFError, match="magic"):
        Session().load_model(b"<html>not a model</html>" + bytes(64), "page.gguf")


def test_summary_streams_the_reference_models_answer(session, reference, smollm2_gguf):
    step = ReferenceStep(reference)
    reference.reset()
    session.use_executor(step, context=2048)
    chunks, progress = [], []
    result = session.summarize(PAGE, "headline", "short", on_text=chunks.append,
                               on_progress=lambda *a: progress.append(a))
    messages = summary_messages(Page.from_dict(PAGE), "headline", "short")
    assert result["text"] == expected_text(smollm2_gguf, reference, messages, max_new_tokens("headline", "short"))
    assert result["text"].strip()
    assert "".join(chunks) == result["text"]
    assert progress == []  # a short page needs no map-reduce
    stats = result["stats"]
    assert stats["finish_reason"] in ("eos", "stop_string", "max_tokens")
    assert stats["ttft_s"] > 0 and stats["generated_tokens"] >= 1
    assert result["grounding"]["points"], "every summary is grounded"


def test_chat_reuses_the_cache_and_matches_a_fresh_run(session, reference, smollm2_gguf, smollm2_path):
    step = ReferenceStep(reference)
    reference.reset()
    session.use_executor(step, context=2048)
    session.summarize(PAGE, "headline", "short")
    # The question after the summary starts with the same page message: only the turns after it are fed.
    page_tokens = len(Tokenizer.from_gguf(smollm2_gguf).encode(
        session.chat_system_prompt(Page.from_dict(PAGE), [{"role": "user", "content": "x"}]), add_special=False))
    first = [{"role": "user", "content": "Which comet did Rosetta reach?"}]
    result = session.chat(first, PAGE, max_tokens=CHAT_TOKENS)
    assert result["stats"]["reused"] >= page_tokens
    answer = result["text"]
    fed = step.fed
    second = first + [{"role": "assistant", "content": answer},
                      {"role": "user", "content": "What did the lander do?"}]
    result = session.chat(second, PAGE, max_tokens=CHAT_TOKENS)
    # The page was not fed again: at most the turns after it (re-tokenized text may differ a little
    # from the sampled tokens, so the reuse can stop inside the first answer).
    assert step.fed - fed <= result["stats"]["prompt_tokens"] - page_tokens
    system = session.chat_system_prompt(Page.from_dict(PAGE), second)
    expected = expected_text(smollm2_gguf, reference, [{"role": "system", "content": system}] + second, CHAT_TOKENS)
    assert result["text"] == expected


def test_cancel_before_the_first_token(session, reference):
    session.use_executor(ReferenceStep(reference), context=2048)
    reference.reset()
    result = session.summarize(PAGE, "tldr", "short", should_stop=lambda: True)
    assert result["text"] == "" and result["stats"]["finish_reason"] == "cancelled"


def test_cancel_inside_a_long_prefill_stops_between_slices(session, reference):
    step = ReferenceStep(reference)
    session.use_executor(step, context=2048)
    reference.reset()
    checks = []
    result = session.summarize(PAGE, "tldr", "short", should_stop=lambda: checks.append(1) or len(checks) > 1)
    assert result["text"] == "" and result["stats"]["finish_reason"] == "cancelled"
    assert step.fed == 32  # one slice of the prompt, then the cancel was seen


def test_bad_requests_are_clear_errors(session):
    with pytest.raises(SummaryError, match="no text"):
        session.summarize({"title": "x", "text": "  "}, "tldr", "short")
    with pytest.raises(SummaryError, match="unknown summary style"):
        session.summarize(PAGE, "poem", "short")
    with pytest.raises(SummaryError, match="ending with the user's question"):
        session.chat([{"role": "assistant", "content": "hi"}], PAGE)
