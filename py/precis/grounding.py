"""Grounding: tie each point of a summary to the passage of the page it rests on, and check
that the page holds the point's facts. Pure stdlib.

1. The page text is split into passages: its sentences (precis.text_units: Latin and CJK
   sentence ends), with their character span in the text (so the page can highlight them).
2. The summary is split into points: its bullet items (key-points) or its sentences.
3. Each point is scored against every passage with BM25 (k1 = 1.2, b = 0.75) over content
   units (words; character bigrams in Chinese and Japanese). The best passage wins.
4. The point's window is the best passage and its neighbours (and the runner-up's, when it
   scores close): the page text the point may rest on.
5. Support: the share of the point's content units, weighted by their IDF, found in the
   window. Under SUPPORT_THRESHOLD the point says something the page does not.
6. Facts (precis.facts): every number, date, time, weekday, name, code, quote and domain of
   the point must be in the window, compared normalized ("October 1" = "the first of
   October" = "10月1日"; "3140亿" = "三千一百四十亿"). A clause of the point must not deny
   what the page's matching clause affirms, nor the reverse (negation).
A point is supported when 5 and 6 hold; otherwise `unsupported_spans` lists the exact
substrings of the point that failed (a fact, a negation, or the words the page lacks).
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field
from typing import Callable

from precis import facts as fact_rules
from precis.key_points import BULLET_LINE, ITEM_NUMBER
from precis.text_units import content_units, sentence_spans

# On the tuned half of the labeled set, unsupported claims reach a support of 0.28 and honest
# paraphrases start at 0.54: the threshold sits between them.
SUPPORT_THRESHOLD = 0.4
BM25_K1 = 1.2
BM25_B = 0.75
RUNNER_UP_RATIO = 0.7  # a second passage scoring this close to the best joins the window
MAX_UNSUPPORTED_SPANS = 3

_MARKDOWN_NOISE = re.compile(r"\*\*|__|[*`#>]+|\[([^\]]*)\]\([^)]*\)")
# Where a clause ends inside a sentence (negation is compared clause by clause).
_CLAUSE_BREAK = re.compile(r"[,;:，；、：]|\b(?:but|although|though|while|whereas|however)\b"
                           r"|但是|但|然而|可是|けど|けれど|が、", re.IGNORECASE)


@dataclass(frozen=True)
class Passage:
    """A sentence of the page: its index, text, and span [start, end) in the page text."""
    index: int
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Grounding:
    """One summary point, the passage it rests on (-1: none shares a unit with it), and what
    of it the page does not hold."""
    point: str
    passage: int
    score: float
    support: float
    supported: bool
    unsupported_spans: list = field(default_factory=list)


def split_passages(text: str) -> list:
    """The sentences of `text`, with spans (linear in the text, see text_units.sentence_spans)."""
    return [Passage(i, text[s:e], s, e) for i, (s, e) in enumerate(sentence_spans(text))]


def content_words(text: str) -> list:
    """The content units of `text`: stemmed words without stop words, CJK bigrams."""
    return content_units(text)


def summary_points(summary: str) -> list:
    """The points of a summary: its bullet items if it has any, else its sentences.
    Markdown emphasis, code marks and links are reduced to their text."""
    lines = summary.splitlines()
    bullets = [m.group(1) for m in (BULLET_LINE.match(line) for line in lines) if m]
    raw = bullets if bullets else [p.text for p in split_passages(summary)]
    points = []
    for item in raw:
        clean = _MARKDOWN_NOISE.sub(lambda m: m.group(1) or "", item).strip()
        clean = ITEM_NUMBER.sub("", clean)  # "- 2. Masons built ...": the 2 is the list's, not a fact
        if clean:
            points.append(clean)
    return points


class _PassageFacts:
    """What the fact check needs to know about one passage, computed once per page."""

    def __init__(self, text: str):
        self.text = text
        self.facts = fact_rules.extract_facts(text)
        self.words = fact_rules._WORD.findall(text)
        self.word_keys = [fact_rules.word_key(w) for w in self.words]
        self.folded = re.sub(r"\s+", " ", text.casefold())
        self.dotted = re.sub("[·・•‧]", "·", text)


class PassageIndex:
    """BM25 over the passages of one page, and the facts of each passage."""

    def __init__(self, passages: list, checkpoint: Callable[[], None] = lambda: None):
        self.passages = passages
        self.terms = []
        for p in passages:
            checkpoint()   # a long page: the engine's stop check between passages
            self.terms.append(content_words(p.text))
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
        # A unit the page never uses still counts in the support ratio, as much as the rarest one.
        self.unseen_idf = math.log(1 + (n + 0.5) / 0.5) if n else 1.0
        self._facts: dict = {}

    def bm25(self, query: list, i: int) -> float:
        counts = self.counts[i]
        length_norm = 1 - BM25_B + BM25_B * len(self.terms[i]) / (self.average_length or 1.0)
        score = 0.0
        for w in set(query):
            tf = counts.get(w, 0)
            if tf:
                score += self.idf[w] * tf * (BM25_K1 + 1) / (tf + BM25_K1 * length_norm)
        return score

    def ranked(self, query: list) -> list:
        """[(score, passage index)] of the passages sharing a unit with `query`, best first."""
        scored = [(self.bm25(query, i), i) for i in range(len(self.passages))]
        return sorted(((s, i) for s, i in scored if s > 0), key=lambda t: (-t[0], t[1]))

    def best(self, query: list) -> tuple:
        """(passage index, BM25 score) of the best passage; (-1, 0.0) when none shares a unit."""
        ranked = self.ranked(query)
        return (ranked[0][1], ranked[0][0]) if ranked else (-1, 0.0)

    def window(self, ranked: list) -> list:
        """Passage indices a point may rest on: the best one, its neighbours, and the same for
        a runner-up that scores close to it."""
        if not ranked:
            return []
        chosen = [ranked[0][1]]
        if len(ranked) > 1 and ranked[1][0] >= RUNNER_UP_RATIO * ranked[0][0]:
            chosen.append(ranked[1][1])
        out = set()
        for i in chosen:
            out.update(j for j in (i - 1, i, i + 1) if 0 <= j < len(self.passages))
        return sorted(out)

    def support(self, query: list, i: int) -> float:
        """IDF-weighted share of the query's distinct units found in passage i or a neighbour."""
        if i < 0:
            return 0.0
        return self._support(query, [j for j in (i - 1, i, i + 1) if 0 <= j < len(self.passages)])

    def _support(self, query: list, window: list) -> float:
        nearby = set()
        for j in window:
            nearby.update(self.counts[j])
        return self._weighted_share(query, nearby) if window else 0.0

    def _weighted_share(self, query: list, nearby: set) -> float:
        words = set(query)
        if not words:
            return 0.0
        weight = lambda w: self.idf.get(w, self.unseen_idf)  # noqa: E731
        total = sum(weight(w) for w in words)
        return sum(weight(w) for w in words if w in nearby) / total

    def passage_facts(self, i: int) -> _PassageFacts:
        if i not in self._facts:
            self._facts[i] = _PassageFacts(self.passages[i].text)
        return self._facts[i]

    def check(self, point: str, threshold: float = SUPPORT_THRESHOLD) -> Grounding:
        """The grounding of one point (see the module docstring)."""
        spans: list = []
        query = content_units(point, spans)
        ranked = self.ranked(query)
        best, score = (ranked[0][1], ranked[0][0]) if ranked else (-1, 0.0)
        window = self.window(ranked)
        # (start, end) in the point of the facts the window lacks / holds (with no window at
        # all, every fact of the point is one the page lacks).
        context = [self.passage_facts(j) for j in window]
        failed, held = _check_facts(point, context)
        failed += _negation_conflicts(point, context)
        # Units inside a fact the page holds count as found: "十月一日" is the page's "10月1日".
        nearby = set()
        for j in window:
            nearby.update(self.counts[j])
        nearby.update(u for u, (s, e) in zip(query, spans) if any(a < e and s < b for a, b in held))
        support = self._weighted_share(query, nearby) if window else 0.0
        if not failed and support < threshold:
            failed += _missing_runs(point, query, spans, nearby)
        failed = _merge(failed)
        supported = bool(query) and support >= threshold and not failed
        texts = list(dict.fromkeys(point[s:e] for s, e in failed if point[s:e].strip()))
        return Grounding(point, best, round(score, 4), round(support, 4), supported, texts)


# ---- the fact check ------------------------------------------------------------------------

def _number_matches(p: tuple, q: tuple) -> bool:
    unit_p, value_p, precision_p, scale_p = p
    unit_q, value_q = q[0], q[1]
    if unit_p and unit_q and unit_p != unit_q:
        return False
    if unit_p == "%" and unit_q != "%":
        return False
    if abs(value_p - value_q) <= 1e-9 * max(1.0, abs(value_p)):
        return True
    if precision_p == 0 and scale_p == 1.0 and unit_p != "%":
        return False  # a plain whole number must be exact
    step = scale_p * 10.0 ** -precision_p  # rounded at its own precision: 3.1 billion ~ 3.14e9
    return abs(value_q - value_p) <= step / 2 + 1e-9 * abs(value_p)


def _numbers_in(context: list) -> list:
    keys = []
    for pf in context:
        for f in pf.facts:
            if f.kind == "number":
                keys.append(f.key)
            elif f.kind == "date":
                year, _, day = f.key
                keys += [("", float(v), 0, 1.0) for v in (year, day) if v is not None]
    return keys


def _contains_run(haystack: list, needle: tuple) -> bool:
    n = len(needle)
    return n > 0 and any(tuple(haystack[i:i + n]) == needle for i in range(len(haystack) - n + 1))


_LOCATIVES = ("in", "at", "of", "near", "on")


def _located_unnamed(key: tuple, pf) -> bool:
    """Whether the sentence has the kind of place key[-1] without a name of its own (no
    capitalized word before it) and says it is in/at/of/near the name: "the stone bridge
    over the Vell river in Esterby" makes "Esterby bridge", not "Esterby river" (the river is
    the Vell)."""
    name, kind = key[:-1], key[-1]
    if not any(_contains_run(pf.word_keys, (prep,) + name) for prep in _LOCATIVES):
        return False
    for i, k in enumerate(pf.word_keys):
        if k == kind and not (i > 0 and pf.words[i - 1][:1].isupper()):
            return True
    return False


def _name_held(key: tuple, context: list) -> bool:
    if key and key[0] == "cjk":
        return any(key[1] in pf.text for pf in context)
    if key and key[0] == "dotted":
        return any(all(j in pf.dotted for j in key[1:]) for pf in context)
    variants = [key]
    typed = len(key) > 1 and key[-1] in fact_rules.TYPE_NOUN_KEYS
    if typed:  # "Esterby river" ~ "river Esterby", "river of Esterby"
        variants += [(key[-1],) + key[:-1], (key[-1], "of") + key[:-1]]
    if any(_contains_run(pf.word_keys, v) for pf in context for v in variants):
        return True
    return typed and any(_located_unnamed(key, pf) for pf in context)


def _fact_held(fact, context: list, page_numbers: list) -> bool:
    kind, key = fact.kind, fact.key
    if kind == "number":
        return any(_number_matches(key, q) for q in page_numbers)
    if kind == "date":
        year, month, day = key
        for pf in context:
            for f in pf.facts:
                if f.kind != "date":
                    continue
                y2, m2, d2 = f.key
                if m2 != month or (day is not None and d2 != day):
                    continue
                if year is None or y2 == year:
                    return True
                if y2 is None and any(_number_matches(("", float(year), 0, 1.0), q) for q in page_numbers):
                    return True
        return False
    if kind in ("weekday", "time"):
        return any(f.kind == kind and f.key == key for pf in context for f in pf.facts)
    if kind == "name":
        return _name_held(key, context)
    if kind == "code":
        return any(key[0] in pf.folded for pf in context)
    if kind == "quote":
        return any(key[0] in pf.folded for pf in context)
    if kind == "domain":
        target = key[0]
        for pf in context:
            for f in pf.facts:
                if f.kind == "domain" and (f.key[0] == target or f.key[0].startswith(target + "/")):
                    return True
        return False
    return True


def _check_facts(point: str, context: list) -> tuple:
    """([spans of the point's facts the context lacks], [spans of those it holds])."""
    page_numbers = _numbers_in(context)
    failed, held = [], []
    for f in fact_rules.extract_facts(point):
        (held if _fact_held(f, context, page_numbers) else failed).append((f.start, f.end))
    return failed, held


def _clauses(text: str) -> list:
    """(start, end) of the clauses of `text`."""
    out, start = [], 0
    for m in _CLAUSE_BREAK.finditer(text):
        if m.start() > start:
            out.append((start, m.start()))
        start = m.end()
    if start < len(text):
        out.append((start, len(text)))
    return out


def _negation_conflicts(point: str, context: list) -> list:
    """Spans of point clauses whose polarity differs from the page clause they match best,
    unless another clause of the point matches that page clause with its polarity ("According
    to Mei Olsen, no books were removed" against "Mei Olsen said the library did not remove any
    books": the second clause carries the denial)."""
    page_clauses = []
    for pf in context:
        for s, e in _clauses(pf.text):
            units = set(content_units(pf.text[s:e]))
            if units:
                page_clauses.append((units, bool(fact_rules.negation_cues(pf.text[s:e]))))
    if not page_clauses:
        return []
    matched = []  # (point clause span, its cues, page clause index, page clause negated)
    for s, e in _clauses(point):
        clause = point[s:e]
        units = set(content_units(clause))
        if len(units) < 2:
            continue
        overlap, k = max((len(units & u) / len(units), k) for k, (u, _) in enumerate(page_clauses))
        if overlap >= 0.5:
            matched.append(((s, e), fact_rules.negation_cues(clause), k, page_clauses[k][1]))
    explained = {k for _, cues, k, negated in matched if bool(cues) == negated}
    conflicts = []
    for (s, e), cues, k, negated in matched:
        if bool(cues) == negated or k in explained:
            continue
        if cues:
            conflicts += [(s + a, s + b) for a, b in cues]
        else:
            clause = point[s:e]
            lead = len(clause) - len(clause.lstrip())
            conflicts.append((s + lead, s + len(clause.rstrip(" .。!！?？"))))
    return conflicts


def _missing_runs(point: str, query: list, spans: list, nearby: set) -> list:
    """The runs of the point's units the window lacks (consecutive missing units join)."""
    runs: list = []
    current = None
    for unit, (s, e) in zip(query, spans):
        if unit in nearby:
            if current:
                runs.append(current)
            current = None
        elif current is None:
            current = [s, e]
        else:
            current[1] = max(current[1], e)
    if current:
        runs.append(current)
    runs.sort(key=lambda r: -(r[1] - r[0]))
    return sorted(tuple(r) for r in runs[:MAX_UNSUPPORTED_SPANS])


def _merge(spans: list) -> list:
    out: list = []
    for s, e in sorted(set(spans)):
        if out and s < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


# ---- the whole summary ---------------------------------------------------------------------

def ground(summary: str, page_text: str, threshold: float = SUPPORT_THRESHOLD,
           checkpoint: Callable[[], None] = lambda: None) -> tuple:
    """(passages, groundings) for `summary` against `page_text`. checkpoint() is called between
    passages and between points (the engine's stop check: it may raise to end the work)."""
    passages = split_passages(page_text)
    index = PassageIndex(passages, checkpoint)
    groundings = []
    for point in summary_points(summary):
        checkpoint()
        groundings.append(index.check(point, threshold))
    return passages, groundings


def ground_as_dict(summary: str, page_text: str, threshold: float = SUPPORT_THRESHOLD,
                   checkpoint: Callable[[], None] = lambda: None) -> dict:
    """JSON-ready grounding for the panel: each point with its passage index and the exact
    substrings of it the page does not hold (`unsupported_spans`); only the passages some point
    uses are included."""
    passages, groundings = ground(summary, page_text, threshold, checkpoint)
    used = sorted({g.passage for g in groundings if g.passage >= 0})
    return {
        "threshold": threshold,
        "points": [asdict(g) for g in groundings],
        "passages": {str(i): asdict(passages[i]) for i in used},
    }


def ground_points(summary: str, page_text: str) -> list:
    """The `precis ground --json` form: [{point, supported, passage: {start, end, text} | None,
    unsupported_spans}] in the order of the summary's points."""
    passages, groundings = ground(summary, page_text)
    out = []
    for g in groundings:
        p = passages[g.passage] if g.passage >= 0 else None
        out.append({"point": g.point, "supported": g.supported,
                    "passage": {"start": p.start, "end": p.end, "text": p.text} if p else None,
                    "unsupported_spans": list(g.unsupported_spans)})
    return out
