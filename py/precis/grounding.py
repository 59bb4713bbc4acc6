"""Grounding: tie each point of a summary to the passage of the page it rests on. Pure stdlib.

1. The page text is split into passages: its sentences, with their character span in the text
   (so the page can find and highlight them).
2. The summary is split into points: its bullet items (key-points) or its sentences (other styles).
3. Each point is scored against every passage with BM25 (k1 = 1.2, b = 0.75) over content words
   (lower-cased, stop words dropped, a light suffix strip so "launches" meets "launched").
   The best passage wins.
4. Support: the share of the point's content words, weighted by their IDF, that appear in the
   best passage or its two neighbours. A point under SUPPORT_THRESHOLD is flagged unsupported:
   the page does not say it (or says it in words too different to tell).
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass

SUPPORT_THRESHOLD = 0.5
BM25_K1 = 1.2
BM25_B = 0.75

# Function words carry no evidence (English; other languages keep all their words).
STOP_WORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being below
between both but by can could did do does doing down during each few for from further had has have having
he her here hers herself him himself his how i if in into is it its itself just me more most my myself no
nor not now of off on once only or other our ours ourselves out over own same she should so some such than
that the their theirs them themselves then there these they this those through to too under until up very
was we were what when where which while who whom why will with would you your yours yourself yourselves
said says say new one two page article text
""".split())

_WORD = re.compile(r"\w+", re.UNICODE)
# A sentence ends at . ! ? (or CJK ones), possibly followed by closing quotes/brackets, then space.
_SENTENCE_BOUNDARY = re.compile(r"""(?<=[.!?。！？])["'”’)\]]*\s+|\n\s*\n|\n(?=\s*[-*•]\s)""")
# Words after which a period does not end a sentence.
_ABBREVIATIONS = frozenset("mr mrs ms dr prof st jr sr vs etc e.g i.e u.s u.k inc ltd co no fig".split())
_BULLET = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+(.*\S)\s*$")
_MARKDOWN_NOISE = re.compile(r"[*_`#>]+|\[([^\]]*)\]\([^)]*\)")
MIN_PASSAGE_CHARS = 12


@dataclass(frozen=True)
class Passage:
    """A sentence of the page: its index, text, and span [start, end) in the page text."""
    index: int
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Grounding:
    """One summary point and the passage it rests on (passage -1: none scored above zero)."""
    point: str
    passage: int
    score: float
    support: float
    supported: bool


def split_passages(text: str) -> list:
    """The sentences of `text`, with spans; fragments shorter than MIN_PASSAGE_CHARS join the next."""
    passages = []
    start = 0
    pending_start = None
    for match in list(_SENTENCE_BOUNDARY.finditer(text)) + [None]:
        end = match.start() if match else len(text)
        if match and _ends_with_abbreviation(text[start:end]):
            continue  # "Dr. Smith": keep reading the same sentence
        s, e = _strip_span(text, start if pending_start is None else pending_start, end)
        if e - s >= MIN_PASSAGE_CHARS or (match is None and e > s):
            passages.append(Passage(len(passages), text[s:e], s, e))
            pending_start = None
        elif e > s and pending_start is None:
            pending_start = s
        if match:
            start = match.end()
    return passages


def _ends_with_abbreviation(segment: str) -> bool:
    words = segment.rstrip().split()
    if not words:
        return False
    last = words[-1].lower().rstrip(".")
    return last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha())


def _strip_span(text: str, start: int, end: int) -> tuple:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _stem(word: str) -> str:
    # Just enough to match inflections: plural -s/-es, -ed, -ing, -ly.
    for suffix in ("ingly", "edly", "ing", "ies", "ied", "es", "ed", "ly", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + ("y" if suffix in ("ies", "ied") else "")
    return word


def content_words(text: str) -> list:
    """Lower-cased, stemmed words of `text` without stop words."""
    return [_stem(w) for w in (m.group(0).lower() for m in _WORD.finditer(text))
            if w not in STOP_WORDS and not (w.isascii() and len(w) < 2)]


def summary_points(summary: str) -> list:
    """The points of a summary: its bullet items if it has any, else its sentences.
    Markdown emphasis, code marks and links are reduced to their text."""
    lines = summary.splitlines()
    bullets = [m.group(1) for m in (_BULLET.match(line) for line in lines) if m]
    raw = bullets if bullets else [p.text for p in split_passages(summary)]
    points = []
    for item in raw:
        clean = _MARKDOWN_NOISE.sub(lambda m: m.group(1) or "", item).strip()
        if clean:
            points.append(clean)
    return points


class PassageIndex:
    """BM25 over the passages of one page."""

    def __init__(self, passages: list):
        self.passages = passages
        self.terms = [content_words(p.text) for p in passages]
        self.counts = []
        document_frequency: dict = {}
        for words in self.terms:
            counts: dict = {}
            for w in words:
                counts[w] = counts.get(w, 0) + 1
            self.counts.append(counts)
            for w in counts:
                document_frequency[w] = document_frequency.get(w, 0) + 1
        n = len(passages)
        self.idf = {w: math.log(1 + (n - df + 0.5) / (df + 0.5)) for w, df in document_frequency.items()}
        self.average_length = (sum(len(t) for t in self.terms) / n) if n else 0.0
        # A word the page never uses still counts in the support ratio, as much as the rarest word.
        self.unseen_idf = math.log(1 + (n + 0.5) / 0.5) if n else 1.0

    def bm25(self, query: list, i: int) -> float:
        counts = self.counts[i]
        length_norm = 1 - BM25_B + BM25_B * len(self.terms[i]) / (self.average_length or 1.0)
        score = 0.0
        for w in set(query):
            tf = counts.get(w, 0)
            if tf:
                score += self.idf[w] * tf * (BM25_K1 + 1) / (tf + BM25_K1 * length_norm)
        return score

    def best(self, query: list) -> tuple:
        """(passage index, BM25 score) of the best passage; (-1, 0.0) when none shares a word."""
        best_i, best_score = -1, 0.0
        for i in range(len(self.passages)):
            score = self.bm25(query, i)
            if score > best_score:
                best_i, best_score = i, score
        return best_i, best_score

    def support(self, query: list, i: int) -> float:
        """IDF-weighted share of the query's distinct words found in passage i or a neighbour."""
        words = set(query)
        if not words or i < 0:
            return 0.0
        nearby = set()
        for j in (i - 1, i, i + 1):
            if 0 <= j < len(self.passages):
                nearby.update(self.counts[j])
        weight = lambda w: self.idf.get(w, self.unseen_idf)  # noqa: E731
        total = sum(weight(w) for w in words)
        return sum(weight(w) for w in words if w in nearby) / total


def ground(summary: str, page_text: str, threshold: float = SUPPORT_THRESHOLD) -> tuple:
    """(passages, groundings) for `summary` against `page_text`."""
    passages = split_passages(page_text)
    index = PassageIndex(passages)
    groundings = []
    for point in summary_points(summary):
        query = content_words(point)
        i, score = index.best(query)
        support = index.support(query, i)
        groundings.append(Grounding(point, i, round(score, 4), round(support, 4), bool(query) and support >= threshold))
    return passages, groundings


def ground_as_dict(summary: str, page_text: str, threshold: float = SUPPORT_THRESHOLD) -> dict:
    """JSON-ready grounding for the panel: only the passages some point uses are included."""
    passages, groundings = ground(summary, page_text, threshold)
    used = sorted({g.passage for g in groundings if g.passage >= 0})
    return {
        "threshold": threshold,
        "points": [asdict(g) for g in groundings],
        "passages": {str(i): asdict(passages[i]) for i in used},
    }
