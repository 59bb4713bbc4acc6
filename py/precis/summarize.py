"""Summary prompts and the long-page strategy (map-reduce). Pure stdlib: runs in Pyodide.

Styles and lengths follow Chrome's Summarizer API:
    key-points  a markdown bullet list: 3 / 5 / 7 points (short / medium / long)
    tldr        a plain paragraph: 1 / 3 / 5 sentences
    teaser      a paragraph that draws the reader in: 1 / 3 / 5 sentences
    headline    one line: about 12 / 17 / 22 words

A page whose text does not fit the model's context is summarized in two steps:
    map:    each chunk of the page (packed from whole paragraphs / sentences, each under the
            token budget) -> short bullet notes about that part
    reduce: the notes of all parts (joined; split again and re-noted while they are still too
            long) -> the summary in the requested style
Progress is reported as on_progress(stage, done, total) with stage "map" or "reduce".

The model itself is reached through one callable, complete(messages, max_tokens, on_text) -> text,
so this file knows nothing about the GPU, the tokenizer or the sampler.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Optional

STYLES = ("key-points", "tldr", "teaser", "headline")
LENGTHS = ("short", "medium", "long")
DEFAULT_STYLE = "key-points"
DEFAULT_LENGTH = "medium"

# How much each style/length asks for, in the unit its instruction uses.
_POINTS = {"short": 3, "medium": 5, "long": 7}          # key-points: bullets
_SENTENCES = {"short": 1, "medium": 3, "long": 5}       # tldr, teaser: sentences
_HEADLINE_WORDS = {"short": 12, "medium": 17, "long": 22}

# Token allowance for the answer: generous for the count asked (a bullet is ~25 tokens,
# a sentence ~30), so the model ends its turn by itself rather than being cut off.
_MAX_NEW_TOKENS = {
    "key-points": {"short": 128, "medium": 224, "long": 320},
    "tldr": {"short": 64, "medium": 160, "long": 256},
    "teaser": {"short": 64, "medium": 160, "long": 256},
    "headline": {"short": 40, "medium": 48, "long": 64},
}
NOTES_MAX_NEW_TOKENS = 192  # the notes about one chunk in the map step

# One system message for summaries and chat alike: the page text sits in it, so a follow-up
# question after a summary starts with the same tokens and reuses the model's KV cache.
SYSTEM_PROMPT = ("You are a careful assistant that summarizes web pages and answers questions about them. "
                 "Use only facts stated in the page; if the page does not say, say so. "
                 "Write in the language of the page.")


class SummaryError(ValueError):
    """A summary request that cannot be served (unknown style, empty page, no room in the context)."""


@dataclass(frozen=True)
class Page:
    """What the extraction script returns about a page (text is the article or the selection)."""
    title: str
    text: str
    url: str = ""
    byline: str = ""
    lang: str = ""

    @classmethod
    def from_dict(cls, d: dict) -> "Page":
        if not isinstance(d, dict):
            raise SummaryError(f"a page must be a dict with title and text, got {type(d).__name__}")
        fields = {}
        for name in ("title", "text", "url", "byline", "lang"):
            value = d.get(name) or ""
            if not isinstance(value, str):
                raise SummaryError(f"page {name} must be a string, got {type(value).__name__}")
            fields[name] = value
        return cls(**fields)


def check_style(style: str, length: str) -> None:
    if style not in STYLES:
        raise SummaryError(f"unknown summary style {style!r}: choose one of {', '.join(STYLES)}")
    if length not in LENGTHS:
        raise SummaryError(f"unknown summary length {length!r}: choose one of {', '.join(LENGTHS)}")


def max_new_tokens(style: str, length: str) -> int:
    check_style(style, length)
    return _MAX_NEW_TOKENS[style][length]


def style_instruction(style: str, length: str) -> str:
    """The sentence that tells the model what shape of summary to write."""
    check_style(style, length)
    if style == "key-points":
        n = _POINTS[length]
        return (f"Summarize the text above as a markdown bullet list of exactly {n} key points. "
                f"Each point is one short sentence starting with \"- \". Write nothing before or after the list.")
    if style == "tldr":
        n = _SENTENCES[length]
        unit = "sentence" if n == 1 else f"{n} sentences"
        return f"Write a TL;DR of the text above in {unit}: a short, plain paragraph, no list, no heading."
    if style == "teaser":
        n = _SENTENCES[length]
        unit = "sentence" if n == 1 else f"{n} sentences"
        return (f"Write a teaser for the text above in {unit}: make the reader want to read it, "
                f"focus on its most intriguing part, do not give the ending away. No list, no heading.")
    n = _HEADLINE_WORDS[length]
    return f"Write one headline of at most {n} words for the text above. Write only the headline, no quotes."


def _page_header(page: Page) -> str:
    lines = []
    if page.title:
        lines.append(f"Title: {page.title}")
    if page.byline:
        lines.append(f"By: {page.byline}")
    return "\n".join(lines)


def page_system_message(page: Page, text: Optional[str] = None, what: str = "Text of the web page") -> dict:
    """The system message holding the page: instructions, title, byline, then `text` (default:
    the page's text) between triple quotes."""
    body = page.text if text is None else text
    parts = [SYSTEM_PROMPT, ""]
    header = _page_header(page)
    if header:
        parts += [header, ""]
    parts += [f"{what}:", '"""', body.strip(), '"""']
    return {"role": "system", "content": "\n".join(parts)}


def summary_messages(page: Page, style: str, length: str, text: Optional[str] = None,
                     from_notes: bool = False) -> list:
    """The conversation asking for a summary of `text` (default: the page's text).

    from_notes: the text is the notes of the map step, not the page itself.
    """
    what = "Notes taken on the parts of the web page" if from_notes else "Text of the web page"
    return [page_system_message(page, text, what),
            {"role": "user", "content": style_instruction(style, length)}]


def notes_messages(page: Page, chunk: str, part: int, parts: int) -> list:
    """The map step: bullet notes about one part (1-based `part` of `parts`) of a long page."""
    return [page_system_message(page, chunk, f"Part {part} of {parts} of the web page"),
            {"role": "user", "content": "List the main facts of this part as short markdown bullet points "
                                        "starting with \"- \". Write nothing else."}]


# ---- splitting long text -------------------------------------------------------------------

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s+")


def _pieces(text: str) -> list:
    """Paragraphs, each split further into sentences; empty ones dropped."""
    out = []
    for paragraph in _PARAGRAPH_BREAK.split(text):
        paragraph = paragraph.strip()
        if paragraph:
            out.append(paragraph)
    return out


def split_into_chunks(text: str, count_tokens: Callable[[str], int], max_tokens: int) -> list:
    """Pack `text` into chunks of at most `max_tokens` tokens, cutting between paragraphs,
    else between sentences, else between words (a single word longer than the budget is cut
    by characters). Chunks keep the text's order; joined, they hold all its words.
    """
    if max_tokens < 1:
        raise SummaryError(f"chunk budget must be at least one token, got {max_tokens}")
    chunks: list = []
    current: list = []

    def flush():
        if current:
            chunks.append("\n\n".join(current))
            current.clear()

    def fits(candidate: list) -> bool:
        return count_tokens("\n\n".join(candidate)) <= max_tokens

    def add(piece: str, finer: list) -> None:
        if fits(current + [piece]):
            current.append(piece)
            return
        flush()
        if fits([piece]):
            current.append(piece)
            return
        if not finer:  # one word over the budget: cut it by characters
            for part in _cut_characters(piece, count_tokens, max_tokens):
                chunks.append(part)
            return
        splitter, rest = finer[0], finer[1:]
        pieces = [p for p in splitter(piece) if p.strip()]
        for sub in pieces:
            add(sub.strip(), rest)
        flush()  # a split piece never shares a chunk with the next paragraph's start

    sentence_split = lambda s: _SENTENCE_END.split(s)  # noqa: E731
    word_split = lambda s: s.split()  # noqa: E731
    for paragraph in _pieces(text):
        add(paragraph, [sentence_split, word_split])
    flush()
    return chunks


def _cut_characters(word: str, count_tokens: Callable[[str], int], max_tokens: int) -> list:
    parts = []
    while word:
        n = len(word)
        while n > 1 and count_tokens(word[:n]) > max_tokens:
            n = n // 2 if count_tokens(word[:n // 2]) > max_tokens else n - max(1, n // 8)
        parts.append(word[:n])
        word = word[n:]
    return parts


# ---- the map-reduce run --------------------------------------------------------------------

# complete(messages, max_tokens, on_text) -> generated text
Complete = Callable[[list, int, Optional[Callable[[str], None]]], str]
Progress = Callable[[str, int, int], None]


@dataclass
class SummaryPlan:
    """How a summary will be produced: directly, or through notes on `chunks` first."""
    chunks: list  # [] when the page fits in one prompt

    @property
    def map_reduce(self) -> bool:
        return bool(self.chunks)


def plan_summary(page: Page, style: str, length: str, count_prompt: Callable[[list], int],
                 prompt_budget: int) -> SummaryPlan:
    """Decide whether the page fits one prompt of at most `prompt_budget` tokens.

    count_prompt(messages) -> tokens of the rendered prompt. If the page does not fit, it is cut
    into chunks sized so that each notes prompt fits.
    """
    check_style(style, length)
    if not page.text.strip():
        raise SummaryError("the page has no text to summarize")
    if count_prompt(summary_messages(page, style, length)) <= prompt_budget:
        return SummaryPlan(chunks=[])
    # Tokens the notes prompt costs around the chunk itself (instructions, title, template).
    overhead = count_prompt(notes_messages(page, "", 99, 99)) + 8
    budget = prompt_budget - overhead
    if budget < 64:
        raise SummaryError(f"the model's context is too small to summarize this page "
                           f"(only {max(budget, 0)} tokens left for text per part)")
    # A chunk's own tokens: its prompt with nothing else in it, less that empty prompt's cost.
    empty_cost = count_prompt([{"role": "user", "content": ""}])

    def count_text(text: str) -> int:
        return count_prompt([{"role": "user", "content": text}]) - empty_cost

    return SummaryPlan(chunks=split_into_chunks(page.text, count_text, budget))


def run_summary(page: Page, style: str, length: str, *, complete: Complete,
                count_prompt: Callable[[list], int], prompt_budget: int,
                on_text: Optional[Callable[[str], None]] = None,
                on_progress: Optional[Progress] = None,
                should_stop: Optional[Callable[[], bool]] = None) -> str:
    """Summarize `page`; only the final pass streams to on_text. Returns the summary text.

    Long pages: one notes pass per chunk (progress "map" i/n), then the notes are reduced,
    re-noted in chunks while still too long (progress "reduce"), and summarized in `style`.
    """
    progress = on_progress or (lambda stage, done, total: None)
    stopped = should_stop or (lambda: False)
    plan = plan_summary(page, style, length, count_prompt, prompt_budget)
    final_tokens = max_new_tokens(style, length)
    if not plan.map_reduce:
        return complete(summary_messages(page, style, length), final_tokens, on_text)

    notes = []
    total = len(plan.chunks)
    progress("map", 0, total)
    for i, chunk in enumerate(plan.chunks, 1):
        if stopped():
            return ""
        notes.append(complete(notes_messages(page, chunk, i, total), NOTES_MAX_NEW_TOKENS, None).strip())
        progress("map", i, total)

    combined = "\n".join(n for n in notes if n)
    rounds = 0
    while count_prompt(summary_messages(page, style, length, combined, from_notes=True)) > prompt_budget:
        rounds += 1
        if rounds > 4:
            raise SummaryError("the notes on this page stay longer than the model's context")
        sub_plan = plan_summary(Page(page.title, combined, page.url, page.byline, page.lang),
                                style, length, count_prompt, prompt_budget)
        chunks = sub_plan.chunks or [combined]
        progress("reduce", 0, len(chunks))
        reduced = []
        for i, chunk in enumerate(chunks, 1):
            if stopped():
                return ""
            reduced.append(complete(notes_messages(page, chunk, i, len(chunks)), NOTES_MAX_NEW_TOKENS,
                                    None).strip())
            progress("reduce", i, len(chunks))
        combined = "\n".join(r for r in reduced if r)
    progress("reduce", 1, 1)
    if stopped():
        return ""
    return complete(summary_messages(page, style, length, combined, from_notes=True), final_tokens, on_text)
