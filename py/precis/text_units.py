"""Text units for every script the product sees: sentences and content units. Pure stdlib.

Sentences: a sentence ends at . ! ? followed by closing quotes/brackets and whitespace (not
after an abbreviation such as "Dr." or an initial), at 。！？ and their full-width / half-width
kin with no whitespace needed (Chinese and Japanese text has none), at a blank line, and
before a bullet line. The splitter is linear in the text: each boundary is examined once, over
a bounded window, and a sentence longer than MAX_SENTENCE_CHARS is cut at a space or comma.

Content units (what BM25 and the support check count):
  - Latin, Cyrillic, ... words: lower-cased, stop words dropped, a light suffix strip so
    "launches" meets "launched";
  - numbers: their digits (so "2014" meets "2014");
  - Chinese and Japanese runs (Han, kana, Hangul): overlapping character bigrams, as
    Lucene's CJK analyzer does, plus each Han character on its own (not kana, not function
    characters such as 的, 了, 是); bigrams of two hiragana (particles, verb endings: "した",
    "ます") and of two CJK function characters are dropped.
"""

from __future__ import annotations

import re

from precis.numbers import ENGLISH_NUMBER, SCALE_FACTORS, english_number
from precis.scripts import CJK_CLASS, HIRAGANA, KANA

# Function words carry no evidence (English; other Latin-script languages keep all their words).
STOP_WORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being below
between both but by can could no not did do does doing down during each few for from further had has have having
he her here hers herself him himself his how i if in into is it its itself just me more most my myself
nor now of off on once only or other our ours ourselves out over own same she should so some such than
that the their theirs them themselves then there these they this those through to too under until up very
was we were what when where which while who whom why will with would you your yours yourself yourselves
said says say page article text
""".split())

# CJK characters that are grammar rather than content (a bigram of two of them is dropped).
CJK_FUNCTION_CHARS = frozenset("的了是在和与及也都而并其之于以为这那个些着过把被从向对就还又或")

# One "word" of the text: a run of CJK characters, or a run of other letters/digits.
_CJK_CLASS = CJK_CLASS
_CJK_RUN = re.compile(f"[{_CJK_CLASS}]+")
_TOKEN = re.compile(f"([{_CJK_CLASS}]+)|([^\\W_{_CJK_CLASS}]+(?:['’][^\\W_{_CJK_CLASS}]+)?)", re.UNICODE)
_HIRAGANA = re.compile(f"[{HIRAGANA}]")
_KANA = re.compile(f"[{KANA}]")

# Sentence boundaries: Latin enders need whitespace after them; CJK enders do not. A Latin ender
# run is only tried from its first character (the lookbehind): without it, a run of n dots not
# followed by whitespace is retried from each of its n positions, each scanning to the run's end
# (quadratic: 100,000 dots took minutes). A later start in a run can never match where the first
# failed (it reaches the same end), so the boundaries found are the same.
_LATIN_END = r"(?<![.!?])[.!?]+[\"'”’»)\]]*\s+"
_CJK_END = r"[。！？｡‼⁇⁈⁉︒﹒﹖﹗．][」』”’）)\]】〕》〉\"']*\s*"
_SENTENCE_BOUNDARY = re.compile(f"(?:{_LATIN_END})|(?:{_CJK_END})|\\n\\s*\\n|\\n(?=[ \\t]*[-*•][ \\t])")
_ABBREVIATIONS = frozenset("mr mrs ms dr prof st jr sr vs etc e.g i.e u.s u.k inc ltd co no fig mt gen sen rep".split())
ABBREVIATION_WINDOW = 12  # characters looked at before a period: "e.g." "Prof." fit
MIN_SENTENCE_CHARS = 12
MAX_SENTENCE_CHARS = 600


def _ends_with_abbreviation(text: str, end: int) -> bool:
    """Whether the period at text[end - 1] closes an abbreviation or an initial ("Dr.", "J.")."""
    window = text[max(0, end - ABBREVIATION_WINDOW):end]
    if not window.endswith("."):
        return False
    cut = max(window.rfind(" "), window.rfind("\n"), window.rfind("\t"), window.rfind("("))
    last = window[cut + 1:].rstrip(".").lower()
    if cut < 0 and end > ABBREVIATION_WINDOW:
        return False  # a long run without space: a URL or a number, not an abbreviation
    return last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha())


def _strip_span(text: str, start: int, end: int) -> tuple:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _cut_long(text: str, start: int, end: int) -> list:
    """[start, end) in pieces of at most MAX_SENTENCE_CHARS, cut after a space, comma or 、."""
    spans = []
    while end - start > MAX_SENTENCE_CHARS:
        limit = start + MAX_SENTENCE_CHARS
        cut = max(text.rfind(ch, start + MAX_SENTENCE_CHARS // 2, limit) for ch in " ,、，;；")
        cut = limit if cut < 0 else cut + 1
        s, e = _strip_span(text, start, cut)
        if e > s:
            spans.append((s, e))
        start = cut
    s, e = _strip_span(text, start, end)
    if e > s:
        spans.append((s, e))
    return spans


def sentence_spans(text: str) -> list:
    """[(start, end)] of the sentences of `text`, in order, whitespace trimmed. Fragments
    shorter than MIN_SENTENCE_CHARS join the next sentence unless a line break ends them.
    Linear in len(text)."""
    spans = []
    start = 0            # where the current sentence began
    for match in _SENTENCE_BOUNDARY.finditer(text):
        end = match.start()
        ender_end = end
        while ender_end < match.end() and not text[ender_end].isspace():
            ender_end += 1   # the sentence keeps its own punctuation and closing quotes
        if text[end:end + 1] == "." and _ends_with_abbreviation(text, end + 1):
            continue  # "Dr. Smith": the same sentence goes on
        s, e = _strip_span(text, start, ender_end)
        if e - s < MIN_SENTENCE_CHARS and "\n" not in text[match.start():match.end()]:
            continue  # too short to stand alone ("Ok."): it joins the next one, but a heading
            # or a short paragraph before a line break stands alone
        spans.extend(_cut_long(text, s, e))
        start = match.end()
    s, e = _strip_span(text, start, len(text))
    if e > s:
        spans.extend(_cut_long(text, s, e))
    return spans


def stem(word: str) -> str:
    """Just enough to match inflections: plural -s/-es, -ed, -ing, -ly, and a final -e
    ("remove" meets "removed", "make" meets "making"), and British spellings their American ones."""
    for suffix in ("ingly", "edly", "ing", "ies", "ied", "es", "ed", "ly", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + ("y" if suffix in ("ies", "ied") else "")
            break
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    # British and American spellings meet: metre/meter, colour/color, organise/organize.
    if len(word) >= 4 and word.endswith("tr"):
        word = word[:-2] + "ter"
    elif len(word) > 4:
        if word.endswith("our") and len(word) > 5:
            word = word[:-3] + "or"
        elif word.endswith("is") and len(word) > 5:
            word = word[:-2] + "iz"
    return word


def is_cjk(ch: str) -> bool:
    return bool(_CJK_RUN.match(ch))


def _cjk_units(run: str, out: list, spans: list | None, at: int) -> None:
    # Bigrams carry the words; the characters themselves (not function characters or kana)
    # let an honest paraphrase keep its content ("用钠代替锂" still has 钠 and 锂).
    for i, ch in enumerate(run):
        if ch not in CJK_FUNCTION_CHARS and not _KANA.match(ch):
            out.append(ch)
            if spans is not None:
                spans.append((at + i, at + i + 1))
    for i in range(len(run) - 1):
        pair = run[i:i + 2]
        if (_HIRAGANA.match(pair[0]) and _HIRAGANA.match(pair[1])) or \
                (pair[0] in CJK_FUNCTION_CHARS and pair[1] in CJK_FUNCTION_CHARS):
            continue
        out.append(pair)
        if spans is not None:
            spans.append((at + i, at + i + 2))


# A number written in Latin text, in figures or words, with its scale: one unit, its value ("62", "sixty-two";
# "1.2 million", "1,200,000" and "£1.2m" are all "1200000"), so a paraphrase meets the page's number.
_LATIN_NUMBER = re.compile(
    rf"(?<![\w.,])(?:(?P<figures>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)|(?P<words>{ENGLISH_NUMBER}))"
    rf"(?:[\s-]?(?P<scale>{'|'.join(sorted(SCALE_FACTORS, key=len, reverse=True))}))?(?![\w])", re.IGNORECASE)


def _number_unit(m) -> str | None:
    """The value of a _LATIN_NUMBER match as a unit, None where it is not one ("one" alone stays a word)."""
    if m.group("figures"):
        value = float(m.group("figures").replace(",", ""))
    else:
        words = m.group("words")
        if " " not in words and "-" not in words and not m.group("scale") and words.lower() in ("one", "a"):
            return None
        value = english_number(words)
        if value is None:
            return None
    value *= SCALE_FACTORS.get((m.group("scale") or "").lower(), 1)
    return str(int(value)) if value == int(value) else f"{value:g}"


def content_units(text: str, spans: list | None = None) -> list:
    """The content units of `text` (see the module docstring). With `spans` (a list), the
    [start, end) of each unit in `text` is appended to it."""
    out: list = []
    numbers = {m.start(): m for m in _LATIN_NUMBER.finditer(text)}
    skip_to = 0
    for m in _TOKEN.finditer(text):
        if m.start() < skip_to:
            continue
        number = numbers.get(m.start())
        unit = _number_unit(number) if number is not None and not m.group(1) else None
        if unit is not None:
            out.append(unit)
            if spans is not None:
                spans.append(number.span())
            # Its words and its scale stay units too ("twenty-two": "22", "twenty", "two"; "1.2 million": "1200000",
            # "million"): they weigh in the support share as before. Only its figures are read no further.
            if number.group("figures"):
                skip_to = number.end("figures")
                continue
        if m.group(1):
            _cjk_units(m.group(1), out, spans, m.start())
            continue
        word = m.group(2).lower().replace("’", "'")
        if word in STOP_WORDS or (word.isascii() and word.isalpha() and len(word) < 2):
            continue
        out.append(stem(word))
        if spans is not None:
            spans.append((m.start(), m.end()))
    return out


def words(text: str) -> list:
    """(start, end, lower-cased stem) of every word of `text`, stop words included; a CJK run
    is one word per character."""
    out = []
    for m in _TOKEN.finditer(text):
        if m.group(1):
            out.extend((m.start() + i, m.start() + i + 1, ch) for i, ch in enumerate(m.group(1)))
        else:
            out.append((m.start(), m.end(), stem(m.group(2).lower().replace("’", "'"))))
    return out
