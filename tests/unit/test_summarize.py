"""Summary prompts, chunking and the map-reduce flow (model reached through `complete`).

Token counts here come from the real SmolLM2 tokenizer and chat template, so the budgets
are those the extension uses."""

import pytest

from precis.chat_template import ChatTemplate
from precis.summarize import (LENGTHS, STYLES, Page, SummaryError, max_new_tokens, notes_messages,
                              page_system_message, plan_summary, run_summary, split_into_chunks,
                              style_instruction, summary_messages)
from precis.tokenizer import Tokenizer


@pytest.fixture(scope="module")
def counter(smollm2_gguf):
    tokenizer = Tokenizer.from_gguf(smollm2_gguf)
    template = ChatTemplate.from_gguf(smollm2_gguf)

    def count_prompt(messages):
        return len(template.encode(tokenizer, messages))

    def count_text(text):
        return len(tokenizer.encode(text, add_special=False))
    return count_prompt, count_text


def _paragraphs(n):
    return "\n\n".join(f"Paragraph {i} tells how the river town of Vell{i} rebuilt its bridge after "
                       f"the flood of year {1900 + i}. Engineers used stone from the old quarry." for i in range(n))


def test_every_style_and_length_has_an_instruction_and_budget():
    seen = set()
    for style in STYLES:
        for length in LENGTHS:
            text = style_instruction(style, length)
            seen.add(text)
            assert max_new_tokens(style, length) >= 32
    assert len(seen) == len(STYLES) * len(LENGTHS)
    assert "exactly 5 key points" in style_instruction("key-points", "medium")
    assert "3 sentences" in style_instruction("tldr", "medium")
    assert "12 words" in style_instruction("headline", "short")


def test_unknown_style_or_length_is_a_clear_error():
    with pytest.raises(SummaryError, match="unknown summary style 'bullets'"):
        style_instruction("bullets", "short")
    with pytest.raises(SummaryError, match="unknown summary length 'huge'"):
        max_new_tokens("tldr", "huge")


def test_summary_messages_hold_title_and_text():
    page = Page(title="Bridges", text="  The bridge reopened.  ", byline="A. Writer")
    messages = summary_messages(page, "tldr", "short")
    assert [m["role"] for m in messages] == ["system", "user"]
    system = messages[0]["content"]
    assert "Title: Bridges" in system and "By: A. Writer" in system
    assert system.endswith('Text of the web page:\n"""\nThe bridge reopened.\n"""')
    assert messages[1]["content"] == style_instruction("tldr", "short")


def test_summary_and_chat_share_the_page_message():
    # The same system message starts both, so a question after a summary reuses the KV cache.
    page = Page(title="Bridges", text="The bridge reopened.")
    assert summary_messages(page, "tldr", "short")[0] == page_system_message(page)
    assert summary_messages(page, "headline", "long")[0] == page_system_message(page)


def test_page_from_dict_rejects_wrong_types():
    with pytest.raises(SummaryError, match="page text must be a string"):
        Page.from_dict({"title": "x", "text": 5})


def test_chunks_respect_the_budget_and_keep_every_word(counter):
    _, count_text = counter
    text = _paragraphs(40)
    chunks = split_into_chunks(text, count_text, 120)
    assert len(chunks) > 1
    assert all(count_text(c) <= 120 for c in chunks)
    assert " ".join(" ".join(chunks).split()) == " ".join(text.split())


def test_one_huge_sentence_is_cut_between_words(counter):
    _, count_text = counter
    text = " ".join(f"word{i}" for i in range(600))
    chunks = split_into_chunks(text, count_text, 50)
    assert all(count_text(c) <= 50 for c in chunks)
    assert " ".join(chunks).split() == text.split()


def test_short_page_fits_one_prompt(counter):
    count_prompt, _ = counter
    assert not plan_summary(Page("t", _paragraphs(3)), "key-points", "short", count_prompt, 1500).map_reduce


def test_long_page_goes_through_notes_with_progress(counter):
    count_prompt, _ = counter
    page = Page("Rivers", _paragraphs(60))
    budget = 700
    calls, progress, streamed = [], [], []

    def complete(messages, max_tokens, on_text):
        assert count_prompt(messages) <= budget  # every prompt we send fits
        calls.append(("\n".join(m["content"] for m in messages), max_tokens, on_text is not None))
        reply = f"- note {len(calls)}"
        if on_text:
            on_text(reply)
        return reply

    result = run_summary(page, "tldr", "short", complete=complete, count_prompt=count_prompt,
                         prompt_budget=budget, on_text=streamed.append,
                         on_progress=lambda *a: progress.append(a))
    n_map = len(plan_summary(page, "tldr", "short", count_prompt, budget).chunks)
    assert n_map > 1
    assert len(calls) == n_map + 1
    assert all(f"Part {i} of {n_map} of the web page" in calls[i - 1][0] for i in range(1, n_map + 1))
    assert [c[2] for c in calls] == [False] * n_map + [True]   # only the final pass streams
    final_prompt = calls[-1][0]
    assert "Notes taken on the parts" in final_prompt
    assert all(f"- note {i}" in final_prompt for i in range(1, n_map + 1))
    assert progress[0] == ("map", 0, n_map) and ("map", n_map, n_map) in progress
    assert result == streamed[0] == f"- note {n_map + 1}"


def test_stop_between_chunks_ends_early(counter):
    count_prompt, _ = counter
    calls = []

    def complete(messages, max_tokens, on_text):
        calls.append(1)
        return "- note"

    out = run_summary(Page("Rivers", _paragraphs(60)), "tldr", "short", complete=complete,
                      count_prompt=count_prompt, prompt_budget=700, should_stop=lambda: len(calls) >= 2)
    assert out == "" and len(calls) == 2


def test_empty_page_and_tiny_context_are_clear_errors(counter):
    count_prompt, _ = counter
    with pytest.raises(SummaryError, match="no text"):
        plan_summary(Page("t", "   "), "tldr", "short", count_prompt, 1000)
    with pytest.raises(SummaryError, match="context is too small"):
        plan_summary(Page("t", _paragraphs(20)), "tldr", "short", count_prompt, 150)


def test_notes_messages_name_the_part():
    system, user = notes_messages(Page("t", "x"), "chunk text", 2, 7)
    assert 'Part 2 of 7 of the web page:\n"""\nchunk text\n"""' in system["content"]
    assert "bullet points" in user["content"]
