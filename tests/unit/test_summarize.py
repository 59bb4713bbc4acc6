"""Summary prompts, chunking and the map-reduce flow (model reached through `complete`).

Token counts here come from the real SmolLM2 tokenizer and chat template, so the budgets
are those the extension uses."""

import pytest

from precis.chat_template import ChatTemplate
from precis.summarize import (LENGTHS, MAX_PAGE_CHARS, STYLES, Page, SummaryError, max_new_tokens,
                              notes_messages, page_language, page_system_message, plan_summary, run_summary,
                              split_into_chunks, style_instruction, summary_messages)
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
    assert messages[1]["content"] == style_instruction("tldr", "short") + " Write the answer in English."


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
    system, user, started = notes_messages(Page("t", "x"), "chunk text", 2, 7)
    assert started == {"role": "assistant", "content": "- ", "prefix": True}
    assert 'Part 2 of 7 of the web page:\n"""\nchunk text\n"""' in system["content"]
    assert "bullet points" in user["content"]


def test_key_points_answer_is_started_as_a_list(smollm2_gguf):
    # The prompt ends with the generation prompt and "- ": the model continues the first bullet,
    # and the summary the reader gets (returned and streamed) starts with that "- ".
    page = Page("Bridges", "The stone bridge over the Vell river reopened on the first of October.")
    messages = summary_messages(page, "key-points", "short")
    assert messages[-1] == {"role": "assistant", "content": "- ", "prefix": True}
    assert summary_messages(page, "tldr", "short")[-1]["role"] == "user"  # other styles: no prefix
    text = ChatTemplate.from_gguf(smollm2_gguf).render(messages)
    assert text.endswith("<|im_end|>\n<|im_start|>assistant\n- ")
    streamed = []
    out = run_summary(page, "key-points", "short", complete=lambda m, n, on_text: "Reopened.\n- In October.",
                      count_prompt=lambda m: 10, prompt_budget=1000, on_text=streamed.append)
    assert out == "- Reopened.\n- In October." and streamed == ["- "]


@pytest.mark.parametrize("text, lang, expected", [
    ("维尔河上的石桥于10月1日重新开放，修缮工程历时十一个月。", "en", "Chinese"),  # the script wins over a wrong lang
    ("石橋は10月1日に再開した。工事は十一か月かかった。", "", "Japanese"),
    ("The bridge reopened on the first of October after eleven months of work.", "", "English"),
    ("Le pont a rouvert le premier octobre après onze mois de travaux.", "fr-FR", "French"),
    ("Le pont a rouvert le premier octobre après onze mois de travaux.", "", ""),
    ("Мост снова открыли первого октября.", "", "Russian"),
])
def test_page_language_from_script_then_lang_attribute(text, lang, expected):
    assert page_language(Page("", text, lang=lang)) == expected


def test_prompt_asks_for_the_page_language():
    zh = summary_messages(Page("桥", "维尔河上的石桥于10月1日重新开放。"), "tldr", "short")
    assert zh[1]["content"].endswith("Write the answer in Chinese.")
    unknown = summary_messages(Page("", "Le pont a rouvert."), "tldr", "short")
    assert unknown[1]["content"].endswith("Write the answer in the language of the page.")


def test_page_text_is_capped_and_the_prompt_says_what_was_cut():
    text = ("Sentence number one of a long page. " * 5000)  # 180,000 characters
    page = Page.from_dict({"title": "Long", "text": text})
    assert len(page.text) <= MAX_PAGE_CHARS and page.text.endswith("page.")
    assert page.cut_chars == len(text) - len(page.text) > 0
    system = page_system_message(page)["content"]
    assert f"its last {page.cut_chars:,} characters were cut off" in system


def test_a_page_cut_by_the_extractor_says_so_in_the_prompt():
    """extract.js cuts the text at 100,000 characters and sends {truncated: {text: length before}};
    the prompt says how much was left out, as for a cut made in Python."""
    text = "Sentence number one of a page. " * 3000   # 93,000 characters, under MAX_PAGE_CHARS
    page = Page.from_dict({"title": "Long", "text": text, "truncated": {"text": 250_000, "title": 900}})
    assert page.text == text and page.cut_chars == 250_000 - 93_000
    assert "its last 157,000 characters were cut off" in page_system_message(page)["content"]
    # Only the text's cut counts; no flag, no note.
    assert Page.from_dict({"title": "T", "text": text, "truncated": {"title": 900}}).cut_chars == 0
    assert "cut off" not in page_system_message(Page.from_dict({"title": "T", "text": text}))["content"]
    for bad in ("yes", {"text": -1}, {"text": "250000"}, {"text": True}):
        with pytest.raises(SummaryError, match="truncated"):
            Page.from_dict({"title": "T", "text": text, "truncated": bad})


def test_chinese_page_is_chunked_at_sentence_ends_by_tokens(counter):
    # No spaces anywhere: chunks are cut at 。 and their real token counts fit the budget.
    _, count_text = counter
    sentences = [f"第{i}段讲述了维尔河畔的小镇在{1900 + i}年洪水之后如何重建石桥。" for i in range(40)]
    text = "".join(sentences)
    chunks = split_into_chunks(text, count_text, 150)
    assert len(chunks) > 1
    assert all(count_text(c) <= 150 for c in chunks)
    assert "".join(c.replace("\n\n", "") for c in chunks) == text
    assert all(c.endswith("。") for c in chunks)  # never inside a sentence


def test_chunking_counts_each_piece_once(counter):
    # Linear packing: the tokenizer sees each sentence once, plus one check per chunk, not the
    # growing chunk again for every sentence added.
    _, count_text = counter
    seen = []

    def counting(text):
        seen.append(len(text))
        return count_text(text)
    text = " ".join(f"Sentence {i} is about the bridge." for i in range(400))
    chunks = split_into_chunks(text, counting, 200)
    assert sum(seen) <= 3 * len(text) + 100
    assert len(chunks) > 5
