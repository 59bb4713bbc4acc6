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
Chunk budgets are counted in the model's tokens (each piece counted once, so packing is
linear), and pieces are cut at sentence ends of every script (precis.text_units), so a
Chinese page without spaces is chunked like an English one.

The prompt asks for the answer in the page's language (from the script of its text, else its
lang attribute). The key-points answer is started for the model: the conversation ends with
an assistant message {"content": "- ", "prefix": True} that the chat template writes after
the generation prompt, and the returned (and streamed) summary starts with that "- ".
The returned list (and each part's notes) is tidied (precis.key_points): a point the model
repeats is kept once, and its own "1.", "2."... after the bullets go.
Page text over MAX_PAGE_CHARS is cut there, and the prompt says how much was left out.

The model itself is reached through one callable, complete(messages, max_tokens, on_text) -> text,
so this file knows nothing about the GPU, the tokenizer or the sampler.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Callable, Optional

from precis.key_points import tidy_bullets
from precis.scripts import HAN, HANGUL, KANA
from precis.text_units import sentence_spans

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
# The map step notes at most this many parts; the rest of the page is left out, and said so
# (on_parts_cut). Why 8: on the CPU device (wllama, 30 tokens/s prefill, 14 tokens/s decode) a
# part of ~1,500 tokens costs ~50 s to read plus ~14 s of notes, so 8 parts are ~9 minutes; an
# unbounded page (100,000 Chinese characters: 167 parts) took hours.
MAX_MAP_CHUNKS = 8
# Page text beyond this is cut before anything else (a page can be megabytes of text).
MAX_PAGE_CHARS = 100_000
# The answer's first characters, written for the model: a list starts with its first bullet.
BULLET_PREFIX = "- "

# One system message for summaries and chat alike: the page text sits in it, so a follow-up
# question after a summary starts with the same tokens and reuses the model's KV cache.
SYSTEM_PROMPT = ("You are a careful assistant that summarizes web pages and answers questions about them. "
                 "Use only facts stated in the page; if the page does not say, say so. "
                 "Write in the language of the page.")


class SummaryError(ValueError):
    """A summary request that cannot be served (unknown style, empty page, no room in the context)."""


@dataclass(frozen=True)
class Page:
    """What the extraction script returns about a page (text is the article or the selection).
    cut_chars: how many characters of the page's text were cut off (MAX_PAGE_CHARS)."""
    title: str
    text: str
    url: str = ""
    byline: str = ""
    lang: str = ""
    cut_chars: int = 0

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
        return cls(**fields, cut_chars=_cut_by_extractor(d, fields["text"])).capped()

    def capped(self, limit: int = MAX_PAGE_CHARS) -> "Page":
        """This page with its text cut to at most `limit` characters (at a paragraph, sentence or
        word end when one is near), the cut recorded in cut_chars."""
        if len(self.text) <= limit:
            return self
        cut = limit
        for mark in ("\n\n", "。", ". ", "\n", " "):
            at = self.text.rfind(mark, limit - limit // 10, limit)
            if at > 0:
                cut = at + len(mark.rstrip(" "))
                break
        return replace(self, text=self.text[:cut], cut_chars=self.cut_chars + len(self.text) - cut)


def _cut_by_extractor(d: dict, text: str) -> int:
    """Characters extract.js cut off the text before sending it: its `truncated` is
    {field: length before the cut}, present only when a field was cut. The length is in UTF-16
    units, so a page of emoji reads as a little longer than it was; the note only needs the size."""
    truncated = d.get("truncated")
    if truncated is None:
        return 0
    if not isinstance(truncated, dict):
        raise SummaryError(f"page truncated must be a dict, got {type(truncated).__name__}")
    before = truncated.get("text", 0)
    if not isinstance(before, int) or isinstance(before, bool) or before < 0:
        raise SummaryError(f"page truncated.text must be a length (int >= 0), got {before!r}")
    return max(0, before - len(text))


# ---- the page's language -------------------------------------------------------------------

LANGUAGE_NAMES = {"en": "English", "zh": "Chinese", "ja": "Japanese", "ko": "Korean", "fr": "French",
                  "de": "German", "es": "Spanish", "it": "Italian", "pt": "Portuguese", "ru": "Russian",
                  "nl": "Dutch", "pl": "Polish", "sv": "Swedish", "da": "Danish", "no": "Norwegian",
                  "nb": "Norwegian", "fi": "Finnish", "tr": "Turkish", "cs": "Czech", "uk": "Ukrainian",
                  "el": "Greek", "ar": "Arabic", "he": "Hebrew", "fa": "Persian", "hi": "Hindi",
                  "th": "Thai", "vi": "Vietnamese", "id": "Indonesian", "ms": "Malay"}
_SCRIPTS = [("Japanese", re.compile(f"[{KANA}]")), ("Chinese", re.compile(f"[{HAN}]")),
            ("Korean", re.compile(f"[{HANGUL}]")), ("Russian", re.compile("[\u0400-\u04ff]")),
            ("Greek", re.compile("[\u0370-\u03ff]")), ("Arabic", re.compile("[\u0600-\u06ff]")),
            ("Hebrew", re.compile("[\u0590-\u05ff]")), ("Thai", re.compile("[\u0e00-\u0e7f]")),
            ("Hindi", re.compile("[\u0900-\u097f]")), ("Latin", re.compile("[A-Za-z\u00c0-\u024f]"))]
LANGUAGE_SAMPLE_CHARS = 4000
_ENGLISH_MARKERS = frozenset("the of and to in is was for that with on as by it are be this from at an has have "
                             "which were its their after".split())


def page_language(page: Page) -> str:
    """The page's language as an English name ("Chinese"), or "" when it cannot be told.

    The script of the text decides when it names one language (kana: Japanese; Han without
    kana: Chinese; Hangul, Cyrillic ...); Latin-script text takes the page's lang attribute."""
    sample = page.text[:LANGUAGE_SAMPLE_CHARS]
    counts = {name: len(pattern.findall(sample)) for name, pattern in _SCRIPTS}
    letters = sum(counts.values())
    attribute = LANGUAGE_NAMES.get(page.lang.split("-")[0].strip().lower(), "")
    if not letters:
        return attribute
    if counts["Japanese"] >= 0.1 * (counts["Japanese"] + counts["Chinese"]) and counts["Japanese"] > 0 \
            and counts["Japanese"] + counts["Chinese"] >= 0.3 * letters:
        return "Japanese"
    script = max(counts, key=counts.get)
    if script == "Latin" or counts[script] < 0.3 * letters:
        if attribute and attribute not in ("Chinese", "Japanese", "Korean"):
            return attribute
        words = re.findall(r"[A-Za-z]+", sample.lower())
        # English text is about half function words; other Latin-script languages share few.
        if words and sum(w in _ENGLISH_MARKERS for w in words) >= 0.15 * len(words):
            return "English"
        return ""
    return script


def language_instruction(page: Page) -> str:
    language = page_language(page)
    return f"Write the answer in {language}." if language else "Write the answer in the language of the page."


def check_style(style: str, length: str) -> None:
    if style not in STYLES:
        raise SummaryError(f"unknown summary style {style!r}: choose one of {', '.join(STYLES)}")
    if length not in LENGTHS:
        raise SummaryError(f"unknown summary length {length!r}: choose one of {', '.join(LENGTHS)}")


def max_new_tokens(style: str, length: str) -> int:
    check_style(style, length)
    return _MAX_NEW_TOKENS[style][length]


def shape_counts(style: str, length: str) -> tuple:
    """(count, words) the summary keeps to: points (key-points) or sentences (tldr, teaser), and a
    headline's word limit (precis.summary_shape enforces them)."""
    check_style(style, length)
    if style == "key-points":
        return _POINTS[length], 0
    if style == "headline":
        return 1, _HEADLINE_WORDS[length]
    return _SENTENCES[length], 0


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
    if page.cut_chars and text is None:
        parts.append(f"(The page is longer: its last {page.cut_chars:,} characters were cut off "
                     f"and are not shown.)")
    return {"role": "system", "content": "\n".join(parts)}


def answer_prefix(style: str) -> str:
    """What the answer in `style` starts with, written for the model ("- " for key-points)."""
    return BULLET_PREFIX if style == "key-points" else ""


def _prefilled(messages: list, prefix: str) -> list:
    if prefix:
        messages.append({"role": "assistant", "content": prefix, "prefix": True})
    return messages


def summary_messages(page: Page, style: str, length: str, text: Optional[str] = None,
                     from_notes: bool = False) -> list:
    """The conversation asking for a summary of `text` (default: the page's text).

    from_notes: the text is the notes of the map step, not the page itself.
    """
    what = "Notes taken on the parts of the web page" if from_notes else "Text of the web page"
    instruction = f"{style_instruction(style, length)} {language_instruction(page)}"
    return _prefilled([page_system_message(page, text, what), {"role": "user", "content": instruction}],
                      answer_prefix(style))


def notes_messages(page: Page, chunk: str, part: int, parts: int) -> list:
    """The map step: bullet notes about one part (1-based `part` of `parts`) of a long page."""
    instruction = ("List the main facts of this part as short markdown bullet points starting with \"- \". "
                   f"Write nothing else. {language_instruction(page)}")
    return _prefilled([page_system_message(page, chunk, f"Part {part} of {parts} of the web page"),
                       {"role": "user", "content": instruction}], BULLET_PREFIX)


# ---- splitting long text -------------------------------------------------------------------

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
SEPARATOR = "\n\n"  # between the pieces of a chunk


def _pieces(text: str) -> list:
    """Paragraphs; empty ones dropped."""
    return [p.strip() for p in _PARAGRAPH_BREAK.split(text) if p.strip()]


def _sentences(text: str) -> list:
    return [text[s:e] for s, e in sentence_spans(text)]


def split_into_chunks(text: str, count_tokens: Callable[[str], int], max_tokens: int) -> list:
    """Pack `text` into chunks of at most `max_tokens` tokens, cutting between paragraphs,
    else between sentences (of any script), else between words (a single word longer than the
    budget is cut by characters). Chunks keep the text's order; joined, they hold all its words.

    Each piece is counted once and a chunk's count is the sum of its pieces' and separators'
    (linear in the text); a chunk the sum underestimated is split again.
    """
    if max_tokens < 1:
        raise SummaryError(f"chunk budget must be at least one token, got {max_tokens}")
    separator_cost = max(count_tokens("a" + SEPARATOR + "a") - 2 * count_tokens("a"), 0)
    chunks: list = []
    current: list = []
    used = [0]

    def flush():
        if current:
            chunks.append(SEPARATOR.join(current))
            current.clear()
            used[0] = 0

    def add(piece: str, cost: int, finer: list) -> None:
        extra = cost + (separator_cost if current else 0)
        if used[0] + extra <= max_tokens:
            current.append(piece)
            used[0] += extra
            return
        flush()
        if cost <= max_tokens:
            current.append(piece)
            used[0] = cost
            return
        if not finer:  # one word over the budget: cut it by characters
            chunks.extend(_cut_characters(piece, count_tokens, max_tokens))
            return
        splitter, rest = finer[0], finer[1:]
        for sub in splitter(piece):
            sub = sub.strip()
            if sub:
                add(sub, count_tokens(sub), rest)
        flush()  # a split piece never shares a chunk with the next paragraph's start

    word_split = lambda s: s.split()  # noqa: E731
    for paragraph in _pieces(text):
        add(paragraph, count_tokens(paragraph), [_sentences, word_split])
    flush()
    out = []
    for chunk in chunks:  # the sum is exact in practice; a chunk it got wrong is cut again
        if count_tokens(chunk) <= max_tokens or max_tokens < 4:
            out.append(chunk)
        else:
            out.extend(split_into_chunks(chunk.replace(SEPARATOR, " "), count_tokens, max_tokens - 2)
                       if len(chunk) > 1 else [chunk])
    return out


def _cut_characters(word: str, count_tokens: Callable[[str], int], max_tokens: int) -> list:
    """`word` in pieces of at most max_tokens tokens. Each piece is searched from at most twice
    the previous piece's length (first: 4 characters a token), not from the whole rest of the
    word: a 100,000-character word is then counted in proportion to its length, not to its
    length times its number of pieces."""
    parts = []
    guess = 4 * max_tokens
    while word:
        n = min(len(word), guess)
        while n > 1 and count_tokens(word[:n]) > max_tokens:
            n = n // 2 if count_tokens(word[:n // 2]) > max_tokens else n - max(1, n // 8)
        parts.append(word[:n])
        word = word[n:]
        guess = 2 * n
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
                should_stop: Optional[Callable[[], bool]] = None,
                on_parts_cut: Optional[Callable[[int, int], None]] = None) -> str:
    """Summarize `page`; only the final pass streams to on_text. Returns the summary text.

    Long pages: one notes pass per chunk (progress "map" i/n), then the notes are reduced,
    re-noted in chunks while still too long (progress "reduce"), and summarized in `style`.
    A page of more than MAX_MAP_CHUNKS chunks is noted on its first MAX_MAP_CHUNKS only:
    on_parts_cut(summarized, total) says so before the map step.
    """
    progress = on_progress or (lambda stage, done, total: None)
    stopped = should_stop or (lambda: False)
    page = page.capped()
    plan = plan_summary(page, style, length, count_prompt, prompt_budget)
    final_tokens = max_new_tokens(style, length)
    prefix = answer_prefix(style)

    def final(messages: list) -> str:
        # The prefix was written for the model: it is part of the answer the reader gets.
        if prefix and on_text is not None:
            on_text(prefix)
        answer = prefix + complete(messages, final_tokens, on_text)
        # The returned text replaces the streamed one: a list's repeats and own numbering go.
        return tidy_bullets(answer) if style == "key-points" else answer

    if not plan.map_reduce:
        return final(summary_messages(page, style, length))

    notes = []
    chunks = plan.chunks[:MAX_MAP_CHUNKS]
    if len(chunks) < len(plan.chunks) and on_parts_cut is not None:
        on_parts_cut(len(chunks), len(plan.chunks))
    total = len(chunks)
    progress("map", 0, total)
    for i, chunk in enumerate(chunks, 1):
        if stopped():
            return ""
        notes.append(tidy_bullets(BULLET_PREFIX + complete(notes_messages(page, chunk, i, total),
                                                           NOTES_MAX_NEW_TOKENS, None)).strip())
        progress("map", i, total)

    combined = "\n".join(n for n in notes if n)
    rounds = 0
    while count_prompt(summary_messages(page, style, length, combined, from_notes=True)) > prompt_budget:
        rounds += 1
        if rounds > 4:
            raise SummaryError("the notes on this page stay longer than the model's context")
        sub_plan = plan_summary(replace(page, text=combined, cut_chars=0),
                                style, length, count_prompt, prompt_budget)
        chunks = sub_plan.chunks or [combined]
        progress("reduce", 0, len(chunks))
        reduced = []
        for i, chunk in enumerate(chunks, 1):
            if stopped():
                return ""
            reduced.append(tidy_bullets(BULLET_PREFIX + complete(notes_messages(page, chunk, i, len(chunks)),
                                                                 NOTES_MAX_NEW_TOKENS, None)).strip())
            progress("reduce", i, len(chunks))
        combined = "\n".join(r for r in reduced if r)
    progress("reduce", 1, 1)
    if stopped():
        return ""
    return final(summary_messages(page, style, length, combined, from_notes=True))
