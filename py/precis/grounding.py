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
7. Relations (a point is a claim, not a bag of facts): a date or number the window holds must
   sit in the sentence that says what the point attaches it to. When another sentence of the
   window matches the point's other words clearly better and carries a different date or
   number, the point conflates two events ("2015年7月 … 创立" where the page dates the founding
   to 2015年12月 and July is a dinner's). A quantity word must not turn around: "more than 300"
   is not "fewer than 300", 超过 is not 不到. A number goes with what the page counts (8000册 is not
   8000页) and with the thing the page pairs it with (七楼's 2.6万元 is not 二楼's); one no sentence
   states may be worked out from one sentence (a difference, a discounted price, a sum the point
   calls a total) or from two dates or times of the window (the days, months or hours between).
   Who did a deed, who placed where and where a deed took place are read against the page's own
   sentences (precis.english_doers, precis.cjk_doers, precis.cjk_placings, precis.cjk_places), which
   side of a relation a party is on (precis.cjk_relations: 是…的全资子公司), and
   the kind, title or role the page gives a name (precis.english_kinds, precis.cjk_names).
A point is supported when 5, 6 and 7 hold; otherwise `unsupported_spans` lists the exact
substrings of the point that failed (a fact, a negation, or the words the page lacks), and
`reasons` says why for each, as the reader sees it ({span, reason, passage}: "the page dates
this to 2015年12月", "the page says the opposite"; passage: the index of the page sentence that
contradicts it, or -1).
"""

from __future__ import annotations

import bisect
import datetime
import functools
import math
import re
from dataclasses import asdict, dataclass, field, replace
from typing import Callable, NamedTuple

from precis import facts as fact_rules
from precis.cjk_names import BODY_REACH, FAMILY_NAMES, abbreviates, body_word_conflicts, holds_name, page_spelling, role_conflicts, \
    role_holders, work_claims, work_conflicts
from precis.english_kinds import kind_conflicts, kinds
from precis.english_posts import post_conflicts, posts
from precis.english_roles import HUMAN_POSTS, called_by_post, officer_conflicts, officers
from precis.cjk_doers import bigrams, clauses as cjk_clauses, doer_conflicts as cjk_doer_conflicts, page_sayings, \
    sentence_openings, speaker_conflicts
from precis.cjk_placings import placing_conflicts
from precis.cjk_places import place_conflicts
from precis.cjk_relations import relation_conflicts
from precis.cjk_sides import side_conflicts
from precis.cjk_swaps import swapped_parties
from precis.cjk_shares import share_conflicts
from precis.cjk_deals import deal_conflicts
from precis.cjk_agents import agent_conflicts
from precis.scripts import HAN
from precis.english_doers import POSSESSIVE, doer_conflicts, page_name_words, verb_index
from precis.english_plans import unsaid_plans
from precis.english_sayings import sayings as english_sayings, speaker_conflicts as english_speaker_conflicts
from precis.english_placings import placing_conflicts as english_placing_conflicts, placings as english_placings
from precis.english_swaps import page_possessives, possessive_swap_conflicts, swap_conflicts
from precis.english_transfers import transfer_conflicts, transfers
from precis.paired_amounts import pairing_conflicts
from precis.english_work import person_claims, person_conflicts, work_claims as english_work_claims, \
    work_conflicts as english_work_conflicts
from precis.key_points import BULLET_LINE, ITEM_NUMBER
from precis.measures import in_unit_of
from precis.opposites import opposite_words
from precis.support_judge import JUDGE_REASON, JUDGE_THRESHOLD
from precis.text_units import CJK_FUNCTION_CHARS, STOP_WORDS, content_units, sentence_spans

# On the tuned half of the labeled set, unsupported claims reach a support of 0.28 and honest
# paraphrases start at 0.54: the threshold sits between them.
SUPPORT_THRESHOLD = 0.4
# A point's clause and the page sentence it is read against for a word said the other way (rose / fell): most
# of the clause's other words must be that sentence's.
OPPOSITE_MIN_SHARE = 0.6
# A word is denied when a cue stands at most this many characters before it with only auxiliaries between
# ("has not been approved"), and a page sentence denying a word the point says plainly must hold this share of
# the point clause's words (its subject) for the point to say the opposite.
DENIAL_REACH = 16
DENIAL_MIN_SHARE = 0.4
BM25_K1 = 1.2
BM25_B = 0.75
RUNNER_UP_RATIO = 0.7  # a second passage scoring this close to the best joins the window
MAX_UNSUPPORTED_SPANS = 3

_MARKDOWN_NOISE = re.compile(r"\*\*|__|[*`#>]+|\[([^\]]*)\]\([^)]*\)")
# A relation is judged only when the point's other words clearly pick one sentence: it matches at
# least ANCHOR_MIN_SHARE of them and RELATION_MARGIN more than the sentence holding the fact.
ANCHOR_MIN_SHARE = 0.5
RELATION_MARGIN = 0.25
# A fact the window lacks is said to be contradicted by a sentence sharing this much of its anchor.
CONTRADICTION_MIN_SHARE = 0.15

# Reasons, as the reader sees them after the failed span ("October 10: not in the page").
NOT_IN_PAGE = "not in the page"
# A name being written is finished once something follows it that no name goes on with ("KT-" may become
# "KT-31", "安娜·" 安娜·伯格; "Esterby's bridge" has finished "Esterby").
_NAME_ENDED = re.compile(r"[^A-Za-z0-9\-'’&·・]")
_HAN_CHAR = re.compile(f"[{HAN}]")
OPPOSITE = "the page says the opposite"
NOT_SAID = "the page does not say this"
SWAPPED = "the page says it the other way round"
# A point in the passive (or a page sentence in it) may put the doer after the verb: no swap is judged.
_PASSIVE = re.compile(r"\b(?:by|was|were|been)\b|被|由", re.IGNORECASE)
# What is on each side of a verb moved to the other side: at least this many units each way.
SWAP_MIN_UNITS = 2

# Quantity words before (or 以上/以下 after) a number: +1 "more", -1 "less". The longer
# phrases come first ("不超过" before "超过").
_MORE = ("more than", "over", "at least", "above", "exceeding", "upwards of", "no less than", "no fewer than",
         "不少于", "超过", "超出", "逾",
         "至少", "多于", "高于", "大于", "不低于", "不小于",
         # a rule's bound (不得少于8人, 不能低于6元): "must not be under" is "at least"
         "不得少于", "不得低于", "不能少于", "不能低于", "不应少于", "不应低于",
         # a floor right before its number (最少3人, 最低500元, 最短两周)
         "最少", "最低", "最短")
_LESS = ("less than", "fewer than", "under", "at most", "below", "up to", "no more than", "as many as", "as much as", "within",
         "不超过", "不到", "不高于", "不多于", "不大于",
         "不得超过", "不得高于", "不得多于", "不能超过", "不能高于", "不应超过", "不应高于",
         "不足", "至多", "最多", "少于", "低于", "小于",
         # a ceiling right before its number (期限最长两年, 最高罚款5万元)
         "最长", "最高")
# 最多, 至多, 至少 reach over a verb and its object to the number (最多可载乘客约1900人), within the clause.
_CJK_BOUND_BEFORE = re.compile(r"(最多|至多|至少)[^\d，,。；;：:、]{0,6}$")
# 限 right before a number is a limit (每天限约2000人参观); not 期限, 时限, 年限 (a term).
_LIMIT_BEFORE = re.compile(r"(?<![期时時年权權界局无無有])限$")
# "over" before a span of time says when, not how many: "3.8 metres over two years".
_OVER_A_SPAN = re.compile(r"\s+(?:years?|months?|weeks?|days?|decades?|hours?|seasons?|centuries)\b", re.IGNORECASE)
# Bounds only right before their number: 最长一条3.2公里 names the longest one, 期限最长两年 bounds the term.
_RIGHT_BEFORE_ONLY = frozenset(("最少", "最低", "最短", "最长", "最高"))
_CUES_LONGEST_FIRST = sorted([(c, -1) for c in _LESS] + [(c, 1) for c in _MORE], key=lambda t: -len(t[0]))
_MORE_AFTER = ("以上", "多", "余", "餘")
_LESS_AFTER = ("以下", "以内")
_COMPARATIVE = re.compile(r"(?<![a-z])([a-z]{2,}er) than\s*$")
_DOWNWARD_COMPARATIVES = frozenset("fewer lower smaller shorter lighter younger cheaper slower narrower thinner "
                                   "weaker earlier closer".split())
# Nearly N is under N: only right before the number (近 alone is also "recent", "near").
_NEARLY = ("nearly", "almost", "just under", "close to", "将近", "將近", "接近", "近")

# Where a role is said: a name's segment of its sentence (split at these), joined by the
# neighbouring segments that name no one ("The lead investigator, Dr. Helen Okafor, said ...").
_SEGMENT_BREAK = re.compile(r"[,;:，；：]|\band\b|但|而")
# A Chinese personal name after its role (厅长周建国表示, 研究员林雪在): two or three characters
# up to a verb of saying, a function character or punctuation.
_CJK_ROLE_NAME = re.compile("(?:长|总经理|总裁|董事长|教授|师|家|人|员|主任|经理)([\u4e00-\u9fff]{2,3}?)"
                            "(?=表示|说|则|认为|在|的|担任|将|设计|起初|离开|教授|接任|对|，|。|、|和)")
# ... or before a title (的陈慧教授说).
_CJK_TITLED_NAME = re.compile("(?<=[的、])([\u4e00-\u9fff]{2,3}?)(?=教授|博士|院士|先生|女士)")

# Where a clause ends inside a sentence (negation is compared clause by clause).
# A point may span two sentences: their ends break clauses too. A thousands comma (14,000) breaks nothing.
_CLAUSE_BREAK = re.compile(r"(?<!\d)[,，](?!\d{3})|(?<=\d)[,，](?!\d{3}(?!\d))|[;:；、：。！？]|[.!?](?=\s)|\b(?:and|but|although|though|while|whereas|however|because)\b"
                           r"|但是|但|然而|可是|けど|けれど|が、", re.IGNORECASE)


# A name check's reason that gives what the point says to another name.
_GIVEN_TO = re.compile(r"the page names (.+) here|the page says (.+) did this")
# The reasons that name the page's own value for a flagged span: a number or date bound elsewhere, a name given the deed.
_PAGE_VALUE = re.compile(rf"the page says (.+) here|the page dates this to (.+)|{_GIVEN_TO.pattern}")


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
    reasons: list = field(default_factory=list)  # [{span, reason, passage}], one per unsupported span


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
    """What the fact check needs to know about one passage, computed once per page. `surnames`: the last words of
    the page's names, which are names where a sentence starts with them alone ("Ekberg will keep the title": the
    page's Tomas Ekberg), as they are not in general (a sentence's first word)."""

    def __init__(self, text: str, surnames: frozenset = frozenset()):
        self.text = text
        self.facts = _with_opening_surname(text, fact_rules.extract_facts(text), surnames)
        self.words = fact_rules._WORD.findall(text)
        self.word_keys = [fact_rules.word_key(w) for w in self.words]
        self.folded = re.sub(r"\s+", " ", text.casefold())
        self.dotted = re.sub("[·・•‧]", "·", text)
        self.directions = {(f.start, f.end): quantity_direction(text, f) for f in self.facts if f.kind == "number"}
        self.names = role_names(text, self.facts)

    @functools.cached_property
    def denial_clauses(self) -> list:
        """The passage's clauses as the denial check reads them (_denial_clauses): read once, not for every point."""
        return _denial_clauses(self.text)


_FIRST_WORD = re.compile(r"([A-Z][a-z]+)(?= [a-z])")


def _with_opening_surname(text: str, facts: list, surnames: frozenset) -> list:
    """`facts` and, first, the name a sentence opens with when it is one of the page's `surnames` alone ("Ekberg
    will keep the title"), which a sentence's first word is not in general."""
    first = _FIRST_WORD.match(text)
    if first and first.group(1) in surnames and not any(f.start == 0 for f in facts):
        return [fact_rules.Fact("name", 0, first.end(1), first.group(1), (fact_rules.word_key(first.group(1)),))] + facts
    return facts


class _PageWords:
    """What `_name_held` reads of a passage, without its facts: the page-wide name look-up."""

    def __init__(self, text: str):
        self.text = text
        self.words = fact_rules._WORD.findall(text)
        self.word_keys = [fact_rules.word_key(w) for w in self.words]
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
        self._names_known: dict = {}   # a name in a point -> _name_lacked_from()
        self._page_words = None
        self._page_text = None   # the passages joined, and the roles the page gives (precis.cjk_names)
        self._page_holders = None
        self._page_work = None
        self._page_officers = None
        self._folded_text = None      # the whole page, spacing collapsed and case-folded (_said_in_page)
        self._surnames = None         # the last words of the page's names of two words or more (_PassageFacts)
        self._short_names = None      # identity of a body's first word alone -> the whole name's (_short_name_identities)
        self._denied_clauses = None   # (units, words) of each clause of the page that denies (_denied_alike_elsewhere)
        self._predicates = None  # per passage: (English stems, stems it denies, whether it denies anything, stems
        # it supposes, stems said plainly in a clause set against a denial)

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
            if self._surnames is None:
                self._surnames = frozenset(f.text.split()[-1] for f in fact_rules._names(self._whole_text())
                                           if " " in f.text)
            self._facts[i] = _PassageFacts(self.passages[i].text, self._surnames)
        return self._facts[i]

    def check(self, point: str, threshold: float = SUPPORT_THRESHOLD) -> Grounding:
        """The grounding of one point (see the module docstring)."""
        grounding = self._check(point, threshold)
        return self._read_with_officers_named(point, threshold, grounding) if grounding.supported else grounding

    def _read_with_officers_named(self, point: str, threshold: float, grounding: Grounding) -> Grounding:
        """A point that calls a person by the post the page gives them alone ("Ridgeway's chair will leave": the
        page's "Ridgeway's chair, Elaine Foster") is read again with the name in the post's place; what the page
        gives another person instead ("the page names Simon Carter here") is flagged on the post."""
        if "'" not in point and "’" not in point:
            return grounding
        why = []
        for (s, e), person in called_by_post(point, self._officers_of_page()):
            named = point[:s] + person + point[e:]
            reasons = self._check(named, threshold).reasons
            said = next((r for r in reasons if r["span"] == person and self._another_person(r["reason"])), None)
            if said:
                why.append({"span": point[s:e], "reason": said["reason"], "passage": said["passage"]})
        if not why:
            return grounding
        return replace(grounding, supported=False, unsupported_spans=[r["span"] for r in why], reasons=why)

    def _another_person(self, reason: str) -> bool:
        """Whether a name check's reason gives the deed to another person: not to an owner ("Grenholt's") nor to a
        site the page writes something in or at ("in Harlow Fields"), which a point read with a name in a post's place
        may seem to give it to."""
        other = _GIVEN_TO.fullmatch(reason)
        name = other and (other.group(1) or other.group(2))
        page = self._whole_text()
        return bool(name) and not name.endswith(("'s", "’s")) and f" in {name}" not in page and f" at {name}" not in page

    def _officers_of_page(self) -> list:
        """The page's officers (precis.english_roles.officers), read once."""
        if self._page_officers is None:
            self._page_officers = officers(self._whole_text())
        return self._page_officers

    def _check(self, point: str, threshold: float) -> Grounding:
        spans: list = []
        query = content_units(point, spans)
        ranked = self.ranked(query)
        best, score = (ranked[0][1], ranked[0][0]) if ranked else (-1, 0.0)
        window = self.window(ranked)
        # (start, end) in the point of the facts the window lacks / holds (with no window at
        # all, every fact of the point is one the page lacks), each failure with its reason.
        context = [self.passage_facts(j) for j in window]
        point_facts = fact_rules.extract_facts(point)
        self._point_facts = _PassageFacts(point)  # what a rival fact of the page must not be
        failed, held = _check_facts(point, point_facts, context)
        # A name the page uses anywhere is the page's (the museum named once, in the first
        # sentence); whether it is the right one here is the role check's to say. So is an era (宋代).
        for f in point_facts:
            if (f.start, f.end) in failed and (
                    f.kind == "name" and (self._name_in_page(f) or _capitalized_first_word(point, f, context))
                    or f.kind == "era" and _fact_held(f, [self.passage_facts(j) for j in range(len(self.passages))], [])
                    or _label_number(f) and self._label_in_page(point, f)
                    or self._age_in_page(point, f, point_facts) or self._years_lasted_in_page(point, f, point_facts)
                    or _placing_said(point, f, context)):
                failed.remove((f.start, f.end))
                held.append((f.start, f.end))
        reasons: dict = {}  # (start, end) -> (reason, passage index)
        for f in point_facts:
            if (f.start, f.end) in failed:
                reasons[(f.start, f.end)] = self._contradiction(point, query, spans, f, window) or (NOT_IN_PAGE, -1)
        for f in point_facts:
            if (f.start, f.end) in held and (f.start, f.end) not in reasons and \
                    not self._years_lasted_in_page(point, f, point_facts):
                found = self._relation_conflict(point, query, spans, f, window)
                if found:
                    reasons[(f.start, f.end)] = found
        for span, reason in self._place_conflicts(point, point_facts, window):
            if span in held:
                reasons.setdefault(span, reason)
        for (s, e), reason in self._role_conflicts(point, window).items():
            if not any(a < e and s < b for a, b in failed):  # a name the page lacks says so
                reasons.setdefault((s, e), reason)
        # a page's surname opening the point is a party too ("Kral received £12,000")
        opened = _with_opening_surname(point, point_facts, self._surnames or frozenset())
        numbers_said = {f.text for f in point_facts if f.kind == "number" and (f.start, f.end) in reasons}
        for span, (reason, k) in pairing_conflicts(point, opened, [(pf.text, pf.facts) for pf in context],
                                                   _number_matches, numbers_said):
            reasons.setdefault(span, (reason, window[k]))
        for span, reason in _telling_date_conflicts(point, point_facts, context, window) + \
                _rival_counts(point, point_facts, context, window) + _rate_conflicts(point, point_facts, context, window) + \
                _change_conflicts(point, point_facts, context, window) + _part_conflicts(point, point_facts, context, window):
            reasons.setdefault(span, reason)
        for span, reason in self._event_date_conflicts(point, point_facts) + self._told_date_conflicts(point, point_facts) + \
                _until_conflicts(point, point_facts, context, window) + \
                _begun_as_ended_conflicts(point, point_facts, context, window) + _season_conflicts(point, context, window):
            reasons.setdefault(span, reason)
        denied, denied_further_on = _negation_conflicts(point, context, window)
        denied = [(span, passage) for span, passage in denied if not self._denied_alike_elsewhere(point, span)]
        for span, passage in denied:
            reasons.setdefault(span, (OPPOSITE, passage))
        if not any(reason == OPPOSITE for reason, _ in reasons.values()):   # one "opposite" says it
            denials = _cjk_denials(context, window)
            # a point whose numbers or dates a passage holds rests there: a word only denied elsewhere is another's
            rests_on = window if any(f.kind in ("number", "date") for f in point_facts) else None
            denied_predicates = [(span, passage) for span, passage in self._denied_predicates(point, rests_on)
                                 if not self._denied_alike_elsewhere(point, span)]
            for span, passage in denied_predicates + \
                    _denied_cjk_words(point, denials, self._whole_text()) + \
                    _denied_cjk_objects(point, denials, self._whole_text()) + \
                    _contrasted_away(point, context, window, self._whole_text()) + \
                    _contrasted_away_en(point, context, window, self._whole_text()):
                reasons.setdefault(span, (OPPOSITE, passage))
        if not any(reason == OPPOSITE for reason, _ in reasons.values()):   # the whole clause, where nothing finer
            for span, passage in denied_further_on:
                reasons.setdefault(span, (OPPOSITE, passage))
        denial_said = any(reason == OPPOSITE for reason, _ in reasons.values())
        for span, reason, by_denial in _opposite_conflicts(point, context, window):
            # a denied word against the page's ("did not reopen" for "reopened"): the denial is already reported
            if not any(a < span[1] and span[0] < b for a, b in reasons) and not (by_denial and denial_said) and \
                    not (by_denial and self._denied_alike_elsewhere(point, span)):
                reasons[span] = reason
        for span, reason in self._page_wide_conflicts(point, point_facts, held):
            reasons.setdefault(span, reason)
        if not reasons:   # a name in another's frame, where no finer check (a swap, a role) has said more
            for span, reason in self._frame_conflicts(point, point_facts, window):
                if span in held:
                    reasons.setdefault(span, reason)
        window_text = "\n".join(self.passages[j].text for j in window)
        in_window = lambda text: next((j for j in window if text in self.passages[j].text), -1)  # noqa: E731
        for span, reason in _quantity_word_conflicts(point, point_facts, window_text, in_window) + \
                _relative_time_conflicts(point, window_text, in_window):
            reasons.setdefault(span, reason)
        for span in _superlatives_not_in(point, self._whole_text()):
            reasons.setdefault(span, (NOT_SAID, -1))
        for span in _causes_not_in(point, window_text):
            reasons.setdefault(span, (NOT_SAID, -1))
        if not reasons:   # a plan whose date, number or party is already flagged is reported there, more finely
            for span in unsaid_plans(point, self.idf):   # (its keys: every unit the page uses)
                reasons[span] = (NOT_SAID, -1)
        if not reasons:
            swapped = self._argument_swap(point, query, window)
            if swapped:
                reasons[swapped[0]] = (SWAPPED, swapped[1])
        if not reasons and _HAN_CHAR.search(point):   # two parties each given the other's deed, a clause each
            crossed = swapped_parties(point, self._whole_text())
            if crossed:
                for span in crossed[0]:
                    reasons[span] = (SWAPPED, self._passage_with(crossed[1]))
        failed = list(reasons)
        # Units inside a fact the page holds count as found: "十月一日" is the page's "10月1日"; so does the unit of a
        # measure it holds ("120 centimetres" for the page's "1.2 metres").
        nearby = set()
        for j in window:
            nearby.update(self.counts[j])
        # (an era is a word the page writes as the point does: its units are found, or not, as any other word's)
        eras = {(f.start, f.end) for f in point_facts if f.kind == "era"}
        held_spans = [h for h in held if h not in eras] + \
            [_with_unit_word(point, f) for f in point_facts if (f.start, f.end) in held and _measure(f)]
        nearby.update(u for u, (s, e) in zip(query, spans) if any(a < e and s < b for a, b in held_spans))
        support = self._weighted_share(query, nearby) if window else 0.0
        if not failed and support < threshold:
            for span in _missing_runs(point, query, spans, nearby):
                reasons[span] = (NOT_SAID, -1)
                failed.append(span)
        merged = _merge(failed)
        supported = bool(query) and support >= threshold and not merged
        texts, why = [], []
        for s, e in merged:
            text = point[s:e]
            if not text.strip() or text in texts:
                continue
            # The reason of a merged span: the first failure inside it with a contradicting passage.
            inside = sorted((k for k in reasons if s <= k[0] and k[1] <= e), key=lambda k: (reasons[k][1] < 0, k))
            reason, passage = reasons[inside[0]] if inside else (NOT_IN_PAGE, -1)
            texts.append(text)
            why.append({"span": text, "reason": reason, "passage": passage})
        return Grounding(point, best, round(score, 4), round(support, 4), supported, texts, why)

    # ---- relations: the fact in the sentence that says what the point attaches it to ----------

    def _anchor(self, point: str, query: list, spans: list, fact) -> list:
        """The point's units that say what `fact` is about: those of its clause outside any fact,
        or, when the clause holds no two such units ("2015年7月，…"), those of the whole point."""
        # Names stay in the anchor (they say who did it); dates, times and numbers are what is judged.
        facts = [f for f in fact_rules.extract_facts(point)
                 if f.kind in ("date", "number", "time", "weekday") and not _label_number(f)]
        outside = lambda s, e: not any(f.start < e and s < f.end for f in facts)  # noqa: E731
        for cs, ce in _clauses(point):
            if cs <= fact.start < ce:
                units = [u for u, (s, e) in zip(query, spans) if cs <= s and e <= ce and outside(s, e)]
                if len(set(units)) >= 2:
                    return units
        return [u for u, (s, e) in zip(query, spans) if outside(s, e)]

    def _anchor_sentence(self, anchor: list, window: list) -> tuple:
        """(share, passage index) of the window's sentence best matching `anchor`."""
        best = (0.0, -1)
        for j in window:
            share = self._weighted_share(anchor, set(self.counts[j]))
            if share > best[0]:
                best = (share, j)
        return best

    def _rival(self, fact, j: int, span: tuple = None):
        """A fact of passage j (within `span` of it) of the same kind as `fact` (a date for a
        date, a number with the same unit for a number) that is not it, nor another fact of the
        point: what the page says in its place."""
        pf = self.passage_facts(j)
        mine = self._point_facts
        for g in pf.facts:
            if span and not (span[0] <= g.start and g.end <= span[1]):
                continue
            if g.kind != fact.kind or _label_number(g):
                continue
            if fact.kind == "date" and g.key == fact.key:
                continue
            if fact.kind == "number" and (g.key[0] != fact.key[0] or _number_matches(fact.key, g.key)):
                continue
            if fact.kind == "number" and _year(fact) and not _year(g) and not _HAN_CHAR.search(pf.text):
                continue   # a year ("2025 tram contract") is when: "forty years" says no other when
            if _fact_held(g, [mine], _numbers_in([mine])):
                continue
            return g
        return None

    def _clause_conflict(self, fact, anchor: list, j: int):
        """(reason, passage) when, inside sentence j, the clause the anchor picks is not the one
        holding the fact and says another ("最初估算为320亿元，2024年调整为410亿元"). The clause picked must win on
        words other than names: the point's names may sit in another clause of the sentence than its event ("The
        regulator approved the merger of Marlow Valley Water and Kestrel … on November 14" for "Marlow Valley Water
        and Kestrel … will merge … from 1 April 2026, after the regional regulator approved the deal on 14 November
        2025")."""
        pf = self.passage_facts(j)
        named = {u for f in self._point_facts.facts if f.kind == "name" for u in content_units(f.text)}
        unnamed = [u for u in anchor if u not in named]
        scored = []
        for cs, ce in _clauses(pf.text):
            part = _PassageFacts(pf.text[cs:ce])
            units = set(content_units(part.text))
            scored.append((self._weighted_share(anchor, units), (cs, ce), _fact_held(fact, [part], _numbers_in([part])),
                           self._weighted_share(unnamed, units)))
        if len(scored) < 2:
            return None
        share, span, holds, best_unnamed = max(scored, key=lambda t: t[0])
        held_share = max((sh for sh, _, h, _ in scored if h), default=0.0)
        held_unnamed = max((sh for _, _, h, sh in scored if h), default=0.0)
        if holds or share < ANCHOR_MIN_SHARE or share - held_share < RELATION_MARGIN or held_unnamed >= best_unnamed:
            return None
        rival = self._rival(fact, j, span)
        return (self._say_instead(fact, rival), j) if rival else None

    def _say_instead(self, fact, rival) -> str:
        said = rival.text.rstrip(".")  # "the first of October." ends the sentence, not the date
        if fact.kind == "date" or _year(fact) and _year(rival):
            return f"the page dates this to {said}"
        return f"the page says {said} here"

    def _relation_conflict(self, point: str, query: list, spans: list, fact, window: list):
        """(reason, passage) when a held date or number sits in another sentence than the one the
        point's other words pick, and that sentence says another date or number."""
        if fact.kind == "number":
            if fact.text.startswith("第"):
                return None   # 第一个月 says which, not how many: it binds to no amount
            # what the number counts, what it is paired with, whether it is the discounted price
            found = self._counter_conflict(point, fact, window) or self._pairing_conflict(point, fact, window) \
                or self._discount_conflict(point, fact, window) or self._counted_noun_conflict(point, fact, window) \
                or self._each_or_all_conflict(point, fact, window)
            if found:
                return found
            context = [self.passage_facts(j) for j in window]
            if not _fact_held(fact, context, _numbers_in(context)) \
                    or _share_within_bound(point, fact, _numbers_in(context)):
                return None   # worked out from the passage's numbers (_derived_numbers), or a bound: no sentence binds it
            direction = _quantity_conflict(point, fact, context, window)
            if direction:
                return direction
        if fact.kind not in ("date", "number") or _label_number(fact):
            return None
        if fact.kind == "number" and not _year(fact):
            swapped = self._binding_conflict(point, fact, window)
            if swapped:
                return swapped
        if fact.kind == "number":
            unbounded = _unbounded_conflict(point, fact, [self.passage_facts(j) for j in window], window)
            if unbounded:
                return unbounded
        anchor = self._anchor(point, query, spans, fact)
        if len(set(anchor)) < 2:
            return None
        share, j = self._anchor_sentence(anchor, window)
        if j < 0 or share < ANCHOR_MIN_SHARE:
            return None
        pf = self.passage_facts(j)
        if _fact_held(fact, [pf], _numbers_in([pf])):
            return self._clause_conflict(fact, anchor, j)
        holders = [k for k in window if _fact_held(fact, [self.passage_facts(k)], _numbers_in([self.passage_facts(k)]))]
        held_share = max((self._weighted_share(anchor, set(self.counts[k])) for k in holders), default=0.0)
        if share - held_share < RELATION_MARGIN:
            return None
        rival = self._rival(fact, j)
        return (self._say_instead(fact, rival), j) if rival else None

    def _tag_conflict(self, point: str, fact, window: list, tag_of, same, say):
        """(reason, passage) when what `tag_of(text, number)` reads beside the point's number differs (`same`) from
        what it reads beside every number of the window equal to it, each of them read; `say(number, tag)` words
        the page's."""
        mine = tag_of(point, fact)
        if not mine:
            return None
        theirs = [(g, j, tag_of(self.passages[j].text, g)) for j in window for g in self.passage_facts(j).facts
                  if g.kind == "number" and _number_matches(fact.key, g.key)]
        if theirs and all(tag and not same(mine, tag) for _, _, tag in theirs):
            g, j, tag = theirs[0]
            return say(g, tag), j
        return None

    def _counter_conflict(self, point: str, fact, window: list):
        """The point counts its number in other things than the page does wherever the page has that number
        (修复的超过8000页 where the page's 8000 are 册): the counter word is what is counted."""
        return self._tag_conflict(point, fact, window, _counter, _same_counter,
                                  lambda g, counter: f"the page says {g.text}{counter}")

    def _counted_noun_conflict(self, point: str, fact, window: list):
        """The same in English ("1.4 million residents" where the page's 1.4 million are homes): the plural noun after
        the number, unless the two are words for one thing (_SAME_COUNT)."""
        if fact.key[0] or (len(fact.key) > 4 and fact.key[4]) or _year(fact):
            return None
        return self._tag_conflict(point, fact, window, _counted_noun, _same_count,
                                  lambda g, noun: f"the page says {g.text} {noun}")

    def _each_or_all_conflict(self, point: str, fact, window: list):
        """The point gives an amount for each thing that the page gives for all of them ("the two ferries cost £96
        million each" where the page's £96 million is for the pair), or the other way."""
        return self._tag_conflict(point, fact, window, _each_or_all, lambda a, b: a[0] == b[0],
                                  lambda g, said: f"the page says {g.text} {said[1]}")

    def _discount_conflict(self, point: str, fact, window: list):
        """(reason, passage) when the point gives a price as the discounted one (学生半价门票价格为80元) that the page
        gives with no discount in its clause (门票价格为80元，学生半价: 80元 is the full price)."""
        if fact.key[0] in ("", "%"):
            return None
        clause = _clause_at(point, fact.start)
        if not _DISCOUNTED.search(point[clause[0]:clause[1]]):
            return None
        for j in window:
            text = self.passages[j].text
            for g in self.passage_facts(j).facts:
                if g.kind == "number" and _number_matches(fact.key, g.key):
                    theirs = _clause_at(text, g.start)
                    if _DISCOUNTED.search(text[theirs[0]:theirs[1]]):
                        return None
                    return f"the page gives {g.text} with no discount", j
        return None

    def _pairing_conflict(self, point: str, fact, window: list):
        """(reason, passage) when the point pairs an amount with another thing the page pairs it not with: the
        counted thing last before the amount in the point (二楼 in 二楼住户每户约出2.6万元) is not the one
        just before it in the page's sentence (七楼每户约出2.6万元), and the page pairs the point's own thing with
        another amount of the same unit (二楼每户约出5000元). A sentence that says "respectively" pairs by order."""
        if not _amount(fact):
            return None
        mine = [t for t in (_tag(point, a) for a in self._point_facts.facts if a.end <= fact.start) if t]
        if not mine:
            return None
        tag = mine[-1]
        rival = None
        for j in window:
            pf = self.passage_facts(j)
            if _RESPECTIVELY.search(pf.text):
                continue
            tags = [(a, t) for a, t in ((a, _tag(pf.text, a)) for a in pf.facts) if t]
            for g in pf.facts:
                if g.kind != "number" or not _amount(g) or not _number_matches(fact.key, g.key):
                    continue
                before = [(a, t) for a, t in tags if a.end <= g.start and t[1] == tag[1]]
                if not before:
                    continue
                if before[-1][1] == tag:
                    return None          # the page pairs them too
                # the point's own thing, just before another amount of the same unit in this sentence
                own = [a for a, t in tags if t == tag and any(
                    h.kind == "number" and _amount(h) and h.key[0] == fact.key[0] and a.end <= h.start
                    and not any(b.end <= h.start and b.start > a.start and tb[1] == tag[1] for b, tb in tags)
                    for h in pf.facts)]
                if own and rival is None:
                    rival = (*before[-1], j)
        if rival:
            a, (_, kind), j = rival
            return f"the page says this of {a.text}{'' if kind == 'name' else kind}", j
        return None

    def _binding_conflict(self, point: str, fact, window: list):
        """(reason, passage) when the point gives its number to a word the page gives another
        number ("buses carried 52,000 people" where the page's buses carried 18,000 and 52,000
        are its visitors; 营收为18亿元 where 营收为96亿元 and 18亿元 is the deal). Both must hold:
        no sentence of the window binds the point's number to that word, and one binds another
        number of the same unit to it."""
        mine = _number_bindings(point, fact, self._point_facts.facts)
        if not mine:
            return None
        held, rival = 0, None   # the most words the page binds to this very number; the best other number
        for j in window:
            pf = self.passage_facts(j)
            if _RESPECTIVELY.search(pf.text):
                continue   # "A and B invested 3m and 5m respectively": paired by order, not by nearness
            for g in pf.facts:
                # "costs 18 million pounds; the county pays 12 million": an amount's currency said once (not a
                # measure's: 至少7天 is no sum of money)
                elided = not g.key[0] and fact.key[0] not in ("", "%") and not _measure(g)
                if g.kind != "number" or (g.key[0] != fact.key[0] and not elided) or _label_number(g) or _year(g):
                    continue
                if _measure(fact) and _dimension(g) != _dimension(fact):
                    continue   # "won in 19 minutes": a time, not the 61st race won
                # the word before a number (what pays, what fell) says more than the unit after it
                bound = sum(2 if side == "<" else 1 for side, _ in _number_bindings(pf.text, g, pf.facts) & mine)
                if not bound:
                    continue
                if _number_matches(fact.key, g.key):
                    held = max(held, bound)
                elif rival is None or bound > rival[0]:
                    rival = (bound, g, j)
        # "fell to about 890 tonnes" where the page's output fell to 610 tonnes, down from 890 tonnes: 610 is
        # bound to both words, 890 to the unit only.
        if rival is None or rival[0] <= held:
            return None
        _, g, j = rival
        return f"the page says {g.text.rstrip('.')} here", j

    def _argument_swap(self, point: str, query: list, window: list):
        """((start, end) of the point, passage) when the sentence the point rests on has what the
        point puts before a shared verb after it, and what it puts after before it: the buyer and
        the bought swapped (百利超市宣布收购安达食品 where 安达食品…收购…百利超市)."""
        share, j = self._anchor_sentence(query, window)
        if j < 0 or share < ANCHOR_MIN_SHARE:
            return None
        text = self.passages[j].text
        if _PASSIVE.search(point) or _PASSIVE.search(text):
            return None
        mine: list = []
        mine_units = content_units(point, mine)
        theirs: list = []
        their_units = content_units(text, theirs)
        kept = lambda u: len(u) >= 2 and not u.isdigit()  # noqa: E731
        # A Latin unit that names: a capitalized word not opening the point ("opened at Marrow's
        # library" is a reordering, not a swap: one side must name someone, on each side).
        named = {u for u, (a, _) in zip(mine_units, mine) if u.isascii() and a > 0 and point[a].isupper()}
        clauses = _clauses(point)
        for k, verb in enumerate(mine_units):
            if not kept(verb) or mine_units.count(verb) != 1 or their_units.count(verb) != 1:
                continue
            at = their_units.index(verb)
            cs, ce = next(((a, b) for a, b in clauses if a <= mine[k][0] < b), (0, len(point)))
            inside = [(u, a) for u, (a, b) in zip(mine_units, mine) if cs <= a and b <= ce and kept(u)]
            left = {u for u, a in inside if a < mine[k][0]}
            right = {u for u, a in inside if a > mine[k][0]}
            page_left, page_right = set(their_units[:at]), set(their_units[at + 1:])
            moved_left = left & page_right - page_left
            moved_right = right & page_left - page_right
            if verb.isascii() and not (moved_left & named and moved_right & named):
                continue
            if len(moved_left) >= SWAP_MIN_UNITS and len(moved_right) >= SWAP_MIN_UNITS \
                    and len(moved_left) > len(left & page_left) and len(moved_right) > len(right & page_right):
                return (0, len(point.rstrip("。.！!"))), j
        return None

    def names_not_in_page(self, point: str, finished: bool = False) -> list:
        """(start, end) in `point` of each name the page uses nowhere, as check() finds them (a point's
        capitalized first word counts as the page's when the rest of the name is): what the decoder
        takes back while a summary is written (precis.summary_shape). finished: only the names something
        follows (a point still being written may yet lengthen its last one)."""
        out = []
        for f in fact_rules.extract_facts(point):
            if f.kind != "name" or not f.key or (finished and not _NAME_ENDED.search(point, f.end)):
                continue
            # Asked again with each token of the point: each name (and the character before it, which
            # page_spelling reads) is looked up once.
            key = (f.key, f.text, _first_in_point(point, f), point[f.start - 1:f.start] if f.start else "")
            start = self._names_known.get(key)
            if start is None:
                start = self._name_lacked_from(point, f)
                self._names_known[key] = start
            if start is not False:
                out.append((f.start - start, f.end))
        return out

    def _name_lacked_from(self, point: str, f):
        """False when the page uses the name `f` of `point` as written; else how many characters before it its
        wrong spelling starts (0 for a name the page lacks; 2 for 山上 of 山上科技馆, the page's 上海科技馆)."""
        everywhere = [self.passage_facts(j) for j in range(len(self.passages))]
        if not (self._name_in_page(f) or _capitalized_first_word(point, f, everywhere)):
            return 0
        if f.key[0] != "cjk":
            return False
        spelled = page_spelling(point, f.start, f.end, self._whole_text())
        if not spelled:
            return False
        return min(f.start, max(0, len(spelled) - len(f.text))) if f.text in self._whole_text() else 0

    def _denied_alike_elsewhere(self, point: str, cue: tuple) -> bool:
        """Whether a clause anywhere in the page denies, in the same words, what the point's clause holding `cue`
        denies: "The mill will not close all at once" for "Pennard Mill will not close all at once", whose window
        holds only the page's "Pennard Mill … will close on 30 October". A name of the point may stand there as its
        last word ("the mill"); every other word of either clause must be in the other ("will not close" is no match)."""
        s, e = _clause_at(point, cue[0])
        clause = point[s:e]
        names = [content_units(f.text) for f in fact_rules.extract_facts(clause) if f.kind == "name"]
        named = {u for units in names for u in units}
        units, words = set(content_units(clause)), set(_LATIN_RUN.findall(clause.lower()))
        if self._denied_clauses is None:
            self._denied_clauses = [(set(content_units(text[a:b])), set(_LATIN_RUN.findall(text[a:b].lower())) - _ARTICLES)
                                    for text in (p.text for p in self.passages) for a, b in _clauses(text)
                                    if any(root is None for root in _clause_denials(text[a:b]))]
        for page_units, page_words in self._denied_clauses:
            heads = any(units[-1] in page_units for units in names if units)
            if heads and units - page_units <= named and page_words <= words and len(units & page_units) >= 2:
                return True
        return False

    def _whole_text(self) -> str:
        if self._page_text is None:
            self._page_text = "\n".join(p.text for p in self.passages)
        return self._page_text

    def _label_in_page(self, point: str, fact) -> bool:
        """Whether the page writes the label number `fact` with the point's word beside it anywhere (海稻7号,
        "Phase 3"): a label, like a name, is the page's wherever the page uses it."""
        cjk_counter = _cjk_after(point, fact)
        if cjk_counter:
            return fact.text + cjk_counter in self._whole_text()
        word = re.search(r"(\w+)\s+$", point[:fact.start])
        return bool(word) and re.search(rf"\b{re.escape(word.group(1))}\s+{re.escape(fact.text)}\b",
                                        self._whole_text(), re.I) is not None

    def _name_in_page(self, fact) -> bool:
        if _OWNED_NAME.search(fact.text):
            # "Agnes Doyle's Inspector Rowe": two names, the owner's and what it owns, that one sentence of the page
            # writes together ("the crime writer Agnes Doyle … her Inspector Rowe novels")
            # ("Corvane Pharma's Dunmore plant": "Corvane makes the inhaler at its plant in Dunmore"), an owner by the
            # first word of a name the page gives it in full elsewhere ("the drug maker Corvane Pharma")
            parts = [[fact_rules.word_key(w) for w in part.split()] for part in _OWNED_NAME.split(fact.text, 1)]
            owner = parts[0]
            known = len(owner) > 1 and any(_contains_run(words.word_keys, tuple(owner)) for words in self._page_words_once())
            return any(all(_contains_run(words.word_keys, tuple(part)) for part in parts[1:]) and
                       (_contains_run(words.word_keys, tuple(owner)) or known and owner[0] in words.word_keys)
                       for words in self._page_words_once())
        joined = _JOINED_NAMES.fullmatch(fact.text)
        if joined:
            # "Rachel Stone of Fenwick Land", "Belmont Infrastructure for Harwick": two names the page ties together in
            # one sentence ("the broker Fenwick Land, whose partner, Rachel Stone, said")
            parts = [tuple(fact_rules.word_key(w) for w in part.split()) for part in joined.groups()]
            if any(all(_contains_run(words.word_keys, part) for part in parts) for words in self._page_words_once()):
                return True
        return self._name_held_anywhere(fact) or _initials_in(fact.text, self._whole_text())

    def _page_words_once(self) -> list:
        if self._page_words is None:   # once per page: the words of every passage, no fact extraction
            self._page_words = [_PageWords(p.text) for p in self.passages]
            self._page_unspaced = "".join("".join(p.text.split()) for p in self.passages).casefold()
        return self._page_words

    def _name_held_anywhere(self, fact) -> bool:
        # A space the model dropped ("St Aldric'sHospital") leaves the page's name.
        return _name_held(fact.key, self._page_words_once()) or \
            (fact.key[0] != "cjk" and len(fact.text) > 6 and "".join(fact.text.split()).casefold() in self._page_unspaced) \
            or fact.key[0] == "cjk" and abbreviates(fact.text, self._whole_text())

    def _page_wide_conflicts(self, point: str, point_facts: list, held: list) -> list:
        """[(span, (reason, passage))] of what is read against the whole page: Chinese names the page spells
        otherwise (山上科技馆 for 上海科技馆), people given a role or organisation the page gives another, bodies given
        another's work, kinds of body the page never names (precis.cjk_names), and people made officers of
        another body ("Northmoor Bank's chief executive, Maria Okafor": precis.english_roles), and bodies called
        another kind than the page's ("the investment bank Marlow": precis.english_kinds)."""
        if self._page_holders is None:
            self._whole_text()
            self._page_holders = role_holders(self._page_text, BODY_REACH)
            self._page_work = work_claims(self._page_text)
            self._officers_of_page()
            self._page_kinds = kinds(self._page_text)
            self._page_deeds = english_work_claims(self._page_text, by_kind=True)
            self._page_places = person_claims(self._page_text)
            self._page_placings = english_placings(self._page_text)
            self._page_name_words = page_name_words(self._page_text)
            self._page_sentences = [p.text for p in self.passages]
            self._page_posts = posts(self._page_text, self._page_officers)
            self._page_owned = page_possessives(self._page_sentences)
            self._page_verbs = verb_index(self._page_sentences)
            self._page_transfers = [(t, sentence) for sentence in self._page_sentences for t in transfers(sentence)]
            self._page_said = english_sayings(self._page_text)
            # the people the page gives roles, and the bodies it names (华曜能源, 辰光新能源): who may do a deed
            self._page_people = {name for _, name, *_ in self._page_holders} | {
                f.text for f in fact_rules._cjk_names(self._page_text) if f.key[0] == "cjk" and len(f.text) >= 4}
            self._page_clauses = cjk_clauses(self._page_text) if re.search(f"[{HAN}]", self._page_text) else []
            self._page_sayings = page_sayings(self._page_clauses, self._page_people)
            self._page_openings = sentence_openings(self._page_text) if self._page_clauses else []
        out = []
        for f in point_facts:
            if f.kind == "name" and f.key and f.key[0] == "cjk" and (f.start, f.end) in held:
                spelled = page_spelling(point, f.start, f.end, self._page_text)
                if spelled:
                    start = f.start - 1 if f.text in self._page_text else f.start   # 山上科技馆: 山 is the name's
                    out.append(((start, f.end), (f"the page names {spelled}", self._passage_with(spelled))))
        bodies = [(span, (reason or NOT_IN_PAGE, evidence)) for span, (reason, evidence)
                  in body_word_conflicts(point, self._page_text)
                  if not any(f.kind == "name" and f.start <= span[0] and span[1] <= f.end for f in point_facts)]
        for span, (reason, evidence) in role_conflicts(point, self._page_text, self._page_holders) + \
                work_conflicts(point, self._page_text, self._page_work) + \
                officer_conflicts(point, self._page_text, self._page_officers, self._page_kinds) + \
                kind_conflicts(point, self._page_kinds) + english_work_conflicts(point, self._page_deeds) + \
                person_conflicts(point, self._page_places) + english_placing_conflicts(point, self._page_placings) + bodies:
            out.append((span, (reason or NOT_SAID, self._passage_with(evidence) if evidence else -1)))
        out.extend(doer_conflicts(point, self._page_sentences, self._page_name_words, self._page_verbs))
        out.extend((span, (reason, self._passage_with(evidence))) for span, (reason, evidence)
                   in transfer_conflicts(point, self._page_transfers) + swap_conflicts(point, self._page_sentences)
                   + post_conflicts(point, self._page_posts, self._page_sentences)
                   + possessive_swap_conflicts(point, self._page_owned)
                   + english_speaker_conflicts(point, self._page_said))
        out.extend((span, (reason, self._passage_with(evidence) if evidence else -1)) for span, (reason, evidence)
                   in cjk_doer_conflicts(point, self._page_clauses, self._page_people, self._page_openings)
                   + speaker_conflicts(point, self._page_sayings, self._page_people)
                   + placing_conflicts(point, self._page_text) + relation_conflicts(point, self._page_text)
                   + share_conflicts(point, self._page_text) + deal_conflicts(point, self._page_text)
                   + agent_conflicts(point, self._page_text) + side_conflicts(point, self._page_text))
        places = {f.text for f in point_facts if f.kind == "name" and f.key and f.key[0] == "cjk"
                  and f.text in self._page_text}
        if places:
            out.extend((span, (reason, self._passage_with(evidence))) for span, (reason, evidence)
                       in place_conflicts(point, self._page_text, self._page_clauses, places))
        return out

    def _denied_predicates(self, point: str, rests_on=None) -> list:
        """[(span, passage)] of English words the point says plainly that the page says with a denial in a
        sentence sharing the point's subject ("Halmos travelled to Westhaven" where "Halmos did not travel to
        Westhaven"; "the agency guarantees savings" where "the savings are not guaranteed"), unless a sentence
        saying the word plainly shares more of the point's words; and words the point denies that the page says
        in a sentence with no denial at all ("the battery is not cheaper to build" where "sodium makes it cheaper
        to build"). A word the page says only with a denial, in a sentence sharing no other word of the point ("The
        company has not been charged" against "Tannock Timber has been charged"), is flagged too, unless the point's
        numbers or dates rest on other passages (`rests_on`)."""
        out = []
        for s, e in _clauses(point):
            clause = point[s:e]
            set_aside = _set_aside(clause)
            mine = [(stem, span, denied or span[0] in set_aside) for stem, span, denied in _predicates(clause)]
            stems = {stem for stem, _, _ in mine}
            if len(stems) < 2:
                continue
            self._index_predicates()
            own_denial = bool(fact_rules.negation_cues(clause) or _DATED_DENIAL.search(clause))   # "free of charge" too
            supposed_here = _supposed(clause)   # "will decide whether to charge Tannock" says no charge
            for stem, (a, b), denied in mine:
                if len(stem) < 4 or (own_denial and not denied) or stem in supposed_here:
                    continue
                best_denied, best_plain = (0, -1), (0, -1)
                for j, (theirs, denials, any_cue, supposed, free) in enumerate(self._predicates):
                    if stem in theirs:
                        shared = len(stems & theirs)
                        if stem in denials:
                            best_denied = max(best_denied, (shared, j))
                        elif stem not in supposed and (not denied or not any_cue or stem in free):
                            best_plain = max(best_plain, (shared, j))
                said, other = (best_plain, best_denied) if denied else (best_denied, best_plain)
                if said[0] >= 2 and said[0] >= DENIAL_MIN_SHARE * len(stems) and said[0] > other[0]:
                    out.append(((s + a, s + b), said[1]))
                elif not denied and said[0] >= 1 and other[0] == 0 and (rests_on is None or said[1] in rests_on) \
                        and _denied_of_nothing_else(self.passages[said[1]].text, stem, stems):
                    out.append(((s + a, s + b), said[1]))
        return out

    def _index_predicates(self) -> None:
        """Once per page: each passage's English stems, the stems it denies, and whether it denies anything."""
        if self._predicates is not None:
            return
        self._predicates = []
        for p, terms in zip(self.passages, self.terms):
            if not _LATIN_WORD.search(p.text):
                self._predicates.append((set(), set(), False, set(), set()))
                continue
            # a page's thing set aside ("uses sodium instead of lithium") is neither said nor denied: the contrast is
            # with the thing before it, and "cheaper than lithium ones" says lithium otherwise
            set_aside = _set_aside(p.text)
            if not fact_rules.negation_cues(p.text):   # nothing denied: the index's own words
                aside = {stem for stem, (s, _), _ in _predicates(p.text) if s in set_aside} if set_aside else set()
                stems = {_stem(t) for t in terms if t.isascii() and t.isalpha()} - aside
                self._predicates.append((stems, set(), False, _supposed(p.text), stems))
            else:
                found = [(stem, span, denied) for stem, span, denied in _predicates(p.text) if span[0] not in set_aside]
                # the stems of its clauses set against the rest that deny nothing ("…would not close any route,
                # although three routes will be shortened": shortened is said plainly)
                free = {stem for a, b in _clauses(p.text)
                        if _CONCEDING.search(p.text, 0, a) and not fact_rules.negation_cues(p.text[a:b])
                        for stem, (s, _), _ in found if a <= s < b}
                self._predicates.append(({stem for stem, _, _ in found}, {stem for stem, _, d in found if d}, True,
                                         _supposed(p.text), free))

    def _event_date_conflicts(self, point: str, point_facts: list) -> list:
        """[(span, (reason, passage))] for a date the point gives an event ("西江高铁于2023年6月开工", "construction
        started in March 2024") where every page sentence dating that event dates it otherwise (工程于2024年3月开工;
        2023年6月 is the approval's): the date next to the event's word in the page, not any date of its sentence."""
        out = []
        for f in point_facts:
            if f.kind not in ("date", "weekday") and not _year(f):
                continue
            event = _event_word(point, f)
            if not event:
                continue
            dated = []   # (the page's date of the event, passage)
            said, own = _event_pattern(event), _event_pattern(event, alike=False)
            subject = set(content_units(point[_clause_at(point, f.start)[0]:f.start])) if event.isascii() else set()
            for j, p in enumerate(self.passages):
                found = list(said.finditer(p.text))
                if not found:
                    continue   # most passages: no fact extraction
                pf = self.passage_facts(j)
                for m in found:
                    if not own.fullmatch(m.group(0)) and not subject & set(content_units(_words_before(p.text, m.start()))):
                        continue   # "records began in 1891" is no start of the point's hosepipe ban: another word's
                        # event is the point's only when said of what the point speaks of ("the work began")
                    g = _date_next_to(pf.facts, p.text, m.start(), m.end(), cjk=not event.isascii())
                    if g is not None:
                        dated.append((g, j))
            if dated and not any(_same_when(f, g) for g, _ in dated):
                g, j = dated[0]
                out.append(((f.start, f.end), (f"the page dates this to {g.text.rstrip('.')}", j)))
        return out

    def _told_date_conflicts(self, point: str, point_facts: list) -> list:
        """[(span, (reason, passage))] for the date an English point gives an announcement ("The sale was announced on 1
        July 2025") that the page gives only to something else ("due to be completed on 1 July 2025"), where the page
        dates its telling otherwise ("the two companies said on 3 March 2025"): the day of the deal for the day it was
        told. The mirror of _telling_date_conflicts."""
        dated = [f for f in point_facts if f.kind == "date" and f.text.isascii()
                 and _TOLD_ON.search(point, max(0, f.start - 48), f.start)]
        if not dated:
            return []
        told, other = [], []   # the page's dates of telling, with their passages; its other dates
        for j, p in enumerate(self.passages):
            if _HAN_CHAR.search(p.text) or not any(f.text in p.text for f in dated) and not _TELLING.search(p.text):
                continue   # most passages: no fact extraction
            for g in self.passage_facts(j).facts:
                if g.kind == "date":
                    telling = _TELLING_BEFORE_DATE.search(p.text, max(0, g.start - 24), g.start)
                    (told if telling else other).append((g, j))
        out = []
        for f in dated:
            if told and not any(_same_when(f, g) for g, _ in told) and any(_same_when(f, g) for g, _ in other):
                g, j = told[0]
                out.append(((f.start, f.end), (f"the page dates the announcement to {g.text.rstrip('.')}", j)))
        return out

    def _passage_with(self, text: str) -> int:
        return next((j for j, p in enumerate(self.passages) if text in p.text), -1)

    def _role_conflicts(self, point: str, window: list) -> dict:
        """{span of a name in the point: (reason, passage)} when the page gives what the point
        says about that name to another name it mentions ("Nair was the first chief executive"
        where the page says Lind was)."""
        page_names = [(j, n) for j in window for n in self.passage_facts(j).names]
        # A name of the point the page has outside the window (馆长高远说… where 高远 is the
        # mayor, two sentences on) still faces the names the window gives the role to.
        elsewhere = [(identity, (s, e)) for identity, name, _, s, e, _ in role_names(point, self._point_facts.facts)
                     if not any(name in self.passages[j].text for j in window)
                     and any(name in p.text for p in self.passages)]
        if len(page_names) + len(elsewhere) < 2 or not page_names:
            return {}
        folded = point.casefold()
        in_point = dict(elsewhere)
        for _, (identity, name, *_) in page_names:
            for piece in (name, name.split(" ")[-1]):  # the whole name first, then the surname
                # the whole name in any case; a surname only as written, and no kind of place ("pies" is not the
                # page's "Chicken & Leek Pie", nor "Airport" its "Bressford Airport")
                whole = piece == name
                if not whole and (piece.casefold() in fact_rules.TYPE_NOUNS or not piece[:1].isupper()):
                    continue
                at = folded.find(piece.casefold()) if whole else _word_at(point, piece)
                if at >= 0 and len(piece) >= 2:
                    held = in_point.get(identity)
                    if held is None or held[1] - held[0] < len(piece):
                        in_point[identity] = (at, at + len(piece))
                    break
        named_units = set()   # the names' units, places' included ("in Palo Alto"): none says what a name did
        places = [(f.start, f.end) for f in self._point_facts.facts if f.kind == "name" and f.key[0] != "cjk"
                  and _names_a_place(point, f.start, f.end)]
        for s, e in list(in_point.values()) + places:
            named_units |= set(content_units(point[s:e]))
        short = self._short_name_identities()
        page_names = [(j, (short.get(identity, identity), *rest)) for j, (identity, *rest) in page_names]
        in_point = {short.get(identity, identity): span for identity, span in in_point.items()}
        out = {}
        for identity, (s, e) in in_point.items():
            if _QUALIFIES.match(point, e) or point[s:e].endswith(("'s", "’s")):
                continue  # "Arden's chief executive", "Grenholt Recycling owner": the name qualifies the one the point means
            if _ATTRIBUTED.search(point, 0, s) or _PLACE_BEFORE.search(point, max(0, s - 24), s):
                continue  # "according to Jonas Krog", "a plant in Asby": who said it, or where, not who did it
            if self._said_in_page(point, s):
                continue
            anchor = self._name_anchor(point, s, named_units)
            if len(anchor) < 2:
                found = self._subject_conflict(point, identity, (s, e), anchor, window) if anchor else None
                if found:
                    out[(s, e)] = found
                continue
            shares = {}
            clause = _clause_at(point, s)
            passive = bool(PASSIVE_VOICE.search(point, s, clause[1]))   # "Harwick Studios was sold": done to it
            site = _names_a_site(point, s, e)
            for j, (other, name, units, start, end, undergone) in page_names:
                if _names_a_site(self.passages[j].text, start, end) != site:
                    continue   # a site ("the port of Ostley") stands only for another site, and does no one's deed
                if name.endswith(("'s", "’s")) and point[s:e] in self.passages[j].text[end:end + 80]:
                    continue   # "Verhoef's head of international publishing, Els de Wit": the owner of the point's name
                if _OWNER_BEFORE.search(self.passages[j].text[max(0, start - 60):start].replace(point[s:e], "\0")):
                    continue   # "Orrin's chief executive, Wei Ling Tan, said the company owns 64": speaks for Orrin
                share = self._weighted_share(list(anchor), units | undergone if passive else units)
                if share > shares.get(other, (0.0,))[0]:
                    shares[other] = (share, name, j)
            if not shares:
                continue
            best = max(shares.items(), key=lambda t: t[1][0])
            other, (share, name, j) = best
            own = shares.get(identity, (0.0,))[0]
            if other != identity and other not in in_point and share >= ANCHOR_MIN_SHARE \
                    and share - own >= RELATION_MARGIN and not _called_by_head(point[s:e], self.passages[j].text) \
                    and not _joined_doers(self.passages[j].text, [n for k, n in page_names if k == j], identity, other):
                out[(s, e)] = (f"the page names {name} here", j)
            elif identity in in_point:
                found = self._subject_conflict(point, identity, (s, e), anchor, window)
                if found:
                    out[(s, e)] = found
        return out

    def _short_name_identities(self) -> dict:
        """{identity of a lone word: identity of the page's one longer name it opens}: "Ridgeback" is the page's
        "Ridgeback Estate", a body called by its first word (a person is called by the last, one identity already)."""
        if self._short_names is None:
            longer: dict = {}
            alone, whole = set(), set()
            for f in fact_rules._names(self._whole_text()):
                words = fact_rules._WORD.findall(f.text)
                if len(words) == 1:
                    alone.add(_name_identity(f.text))
                elif words[0][:1].isupper():
                    longer.setdefault(_name_identity(words[0]), set()).add(_name_identity(f.text))
                    whole.add(_name_identity(f.text))
            # Only a word the page writes alone, and that ends none of its names ("Kelbridge" of "University of
            # Kelbridge" is not the "Kelbridge Vaccine Institute").
            self._short_names = {w: ids.pop() for w, ids in longer.items()
                                 if len(ids) == 1 and w in alone and w not in whole}
        return self._short_names

    def _age_in_page(self, point: str, fact, point_facts: list) -> bool:
        """Whether an age the point gives a name ("Nineteen-year-old Varga") is the age a sentence of the page gives
        that name ("Lena Varga, a 19-year-old from Szeged"): an age is the person's wherever the page says it."""
        age = fact.kind == "number" and _AGE_AFTER.match(point, fact.end)
        whose = age and re.match(r"\s*([A-Z][\w'’-]+)", point[age.end():])   # the name right after the age
        if not whose:
            return False
        name = fact_rules.word_key(POSSESSIVE.sub("", whose.group(1)))
        for j, passage in enumerate(self.passages):
            for g in self.passage_facts(j).facts:
                if g.kind == "number" and g.key[1] == fact.key[1] and _AGE_AFTER.match(passage.text, g.end):
                    # the page's name just before the age ("Lena Varga, a 19-year-old") or just after it
                    near = passage.text[max(0, g.start - 30):g.start] + " " + passage.text[g.end:g.end + 30]
                    if name in {fact_rules.word_key(w) for w in re.findall(r"[A-Z][\w-]+", near)}:
                        return True
        return False

    def _years_lasted_in_page(self, point: str, fact, point_facts: list) -> bool:
        """Whether an age the point gives a thing ("140-year-old Pennard Mill") is the years a sentence of the page
        naming it, or calling it by its last word ("the mill"), says it has lasted ("has made cloth for 140 years"),
        however the window reads the number ("some of the machines are more than 60 years old")."""
        age = fact.kind == "number" and _AGE_AFTER.match(point, fact.end)
        named = age and next((f for f in point_facts if f.kind == "name" and f.key[0] != "cjk"
                              and re.fullmatch(r"\s*", point[age.end():f.start])), None)
        if not named:
            return False
        words = {fact_rules.word_key(w) for w in named.text.split()}
        head = re.compile(rf"\bthe {re.escape(named.text.split()[-1].lower())}\b", re.IGNORECASE)
        for j, passage in enumerate(self.passages):
            for g in self.passage_facts(j).facts:
                if g.kind == "number" and g.key[1] == fact.key[1] and \
                        _LASTED_BEFORE.search(passage.text, 0, g.start) and _YEARS_AFTER.match(passage.text, g.end):
                    said = {fact_rules.word_key(w) for w in re.findall(r"[A-Z][\w-]+", passage.text)}
                    if words <= said or head.search(passage.text):   # a passage is a sentence
                        return True
        return False

    def _place_conflicts(self, point: str, point_facts: list, window: list) -> list:
        """[(span, (reason, passage))] for a place of the point ("near Leeds") where the window's sentence that says
        the point's other words puts the deed at another place after the same word ("employs about 90 people near
        Harrogate") and never names the point's."""
        out = []
        for f in point_facts:
            if f.kind != "name" or f.key[0] == "cjk" or not _names_a_place(point, f.start, f.end):
                continue
            before = _PLACE_WORD.search(point[:f.start])
            anchor = _words_beside(point, f)
            if not before or len(set(anchor)) < 3:
                continue
            share, j = max((self._weighted_share(anchor, set(self.counts[j])), j) for j in window)
            text = self.passages[j].text
            if share < PLACE_MIN_SHARE or f.text in text or _initials_in(f.text, text):
                continue
            rival = next((g for g in self.passage_facts(j).facts if g.kind == "name" and g.key[0] != "cjk"
                          and _names_a_place(text, g.start, g.end)
                          and (_PLACE_WORD.search(text[:g.start]) or [""])[0].lower() == before.group(0).lower()), None)
            if rival:
                out.append(((f.start, f.end), (f"the page says {rival.text} here", j)))
        return out

    def _frame_conflicts(self, point: str, point_facts: list, window: list) -> list:
        """[(span, (reason, passage))] for an English name of the point ("keep the Kestrel name") where the window's
        sentence that says the point's other words has another name between the same two words ("keep the Marlow
        Valley name") and never the point's: one name put in another's place."""
        out = []
        for f in point_facts:
            if f.kind != "name" or f.key[0] == "cjk":
                continue
            frame = _name_frame(point, f.start, f.end)
            anchor = _words_beside(point, f)
            if not all(frame) or len(set(anchor)) < 3:
                continue
            share, j = max((self._weighted_share(anchor, set(self.counts[j])), j) for j in window)
            if share < PLACE_MIN_SHARE:
                continue
            text = self.passages[j].text
            framed = [g for g in self.passage_facts(j).facts if g.kind == "name" and g.key[0] != "cjk"
                      and _name_frame(text, g.start, g.end) == frame]
            # the point's own name there, or one of its words ("Salgado" of Nuno Salgado), is no other name
            if framed and not any(set(g.key) & set(f.key) for g in framed):
                out.append(((f.start, f.end), (f"the page says {framed[0].text} here", j)))
        return out

    def _said_in_page(self, point: str, at: int) -> bool:
        """Whether the point's clause holding position `at` is written in the page word for word ("180 of them in
        Glasgow"): the page ties that name to those words itself."""
        s, e = _clause_at(point, at)
        clause = " ".join(point[s:e].split()).casefold().strip(" .")
        return len(clause.split()) >= 3 and clause in self._whole_folded()

    def _whole_folded(self) -> str:
        if self._folded_text is None:
            self._folded_text = " ".join(self._whole_text().split()).casefold()
        return self._folded_text

    def _subject_conflict(self, point: str, identity: str, span: tuple, anchor: set, window: list):
        """(reason, passage) when the point's name does what the page's sentence has another name
        do: the first word after the name in the point ("Beltway Grocers announced") follows
        another name in the sentence the point's other words pick ("Arden Foods announced")."""
        # Only the clause's first name can be its doer ("Lena Varga won Westhaven Chess Open after a tiebreak":
        # the open is what was won).
        clause = next(((a, b) for a, b in _clauses(point) if a <= span[0] < b), (0, len(point)))
        if any(f.kind == "name" and clause[0] <= f.start and f.end <= span[0] for f in self._point_facts.facts):
            return None
        if _PARTICIPLE_BY.match(point, span[1]) or _ARTICLE_BEFORE.search(point, max(0, span[0] - 4), span[0]):
            return None   # "The closure of Pennard Mill, announced by Greyholt": done by another, to what it names
        # The word after the name, a word and not a number ("Greyholt bought Pennard in 1998": 1998 is no deed); in CJK
        # text a bigram (one character says too little).
        after = [u for u in content_units(point[span[1]:span[1] + 24])
                 if (u.isascii() and not u[:1].isdigit()) or (len(u) > 1 and not u.isascii())]
        if not after:
            return None
        verb = after[0]
        share, j = self._anchor_sentence(list(anchor), window)
        if j < 0 or share < ANCHOR_MIN_SHARE:
            return None
        pf = self.passage_facts(j)
        spans: list = []
        units = content_units(pf.text, spans)
        places = [s for u, (s, _) in zip(units, spans) if u == verb]
        if not places:
            return None
        if _PASSIVE.search(pf.text):
            return None   # "found in March by Colin Ash": the doer may come after the verb
        doers = []   # the name right before each time the sentence says the verb (吴志刚将担任…，孙丽华担任…)
        short = self._short_name_identities()
        for at in places:
            before = [n for n in pf.names if n[4] <= at]
            if not before or at - before[-1][4] > 12:
                return None
            if short.get(before[-1][0], before[-1][0]) == identity:
                return None
            if any(short.get(n[0], n[0]) == identity and _joined_doers(pf.text, before, n[0], before[-1][0])
                   for n in before[:-1]):
                return None   # "Gethin Pryce and his dog Moss won": the point's Pryce won too
            doers.append(before[-1][1])
        return f"the page says {doers[0]} did this", j

    def _name_anchor(self, point: str, at: int, named_units: set) -> set:
        """The units of the point's clause holding the name at `at` (the whole point when that
        clause has fewer than two), less the names' own."""
        for cs, ce in _clauses(point):
            if cs <= at < ce:
                units = set(content_units(point[cs:ce])) - named_units
                if len(units) >= 2:
                    return units
        return set(content_units(point)) - named_units

    def _contradiction(self, point: str, query: list, spans: list, fact, window: list):
        """(reason, passage) for a date or number the window lacks when the sentence the point's
        other words pick says another one; None when nothing contradicts it (simply absent)."""
        if fact.kind not in ("date", "number"):
            return None
        anchor = self._anchor(point, query, spans, fact)
        if len(set(anchor)) < 2:
            return None
        # The fact fails anyway: name what the closest sentence that has a rival says instead.
        shares = sorted(((self._weighted_share(anchor, set(self.counts[j])), j) for j in window), reverse=True)
        for share, j in shares:
            rival = self._rival(fact, j) if share >= CONTRADICTION_MIN_SHARE else None
            if rival:
                return self._say_instead(fact, rival), j
        return None


# ---- the fact check ------------------------------------------------------------------------

def _measure(fact) -> bool:
    """Whether a number fact is a measure with its unit (120 centimetres: a length)."""
    return fact.kind == "number" and len(fact.key) > 4 and fact.key[4] is not None


def _dimension(fact):
    """What a number measures (time, length, …: measures.py), None for a count or an amount."""
    return fact.key[4][0] if _measure(fact) else None


_UNIT_WORD = re.compile(r"\s*[^\W\d_]+")


def _with_unit_word(text: str, fact) -> tuple:
    """(start, end) of a measure and the unit word after it ("120 centimetres")."""
    m = _UNIT_WORD.match(text, fact.end)
    return fact.start, m.end() if m else fact.end


def _number_matches(p: tuple, q: tuple) -> bool:
    """Whether the point's number key `p` (facts: unit, value, precision, scale[, measure]) is the page's `q`."""
    unit_p, value_p, precision_p, scale_p = p[:4]
    unit_q, value_q = q[0], q[1]
    if unit_p and unit_q and unit_p != unit_q:
        return False
    if (unit_p == "%") != (unit_q == "%"):
        return False   # "two of them" is not the page's "2 per cent", nor "30%" its 30
    factor = in_unit_of(p[4] if len(p) > 4 else None, q[4] if len(q) > 4 else None)
    if factor is not None and factor != 1.0:   # 2.98 km against 2,980 metres: compared in the page's unit
        value_p, scale_p = value_p * factor, scale_p * factor
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
                # its year alone (a point's "in 2024"); its day is no count ("three trustees" is not 3 February)
                keys += [("", float(year), 0, 1.0)] if year is not None else []
    return keys


# 打八折, 八五折, 7折, 半价: a price times eight tenths, 0.85, 0.7, a half
_DISCOUNT = re.compile(r"([一二三四五六七八九]{1,2}|[1-9]{1,2})折|半价|半價")
_CJK_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")}


# A point that says its number is a total: only then may it be the sum of two of the page's
_TOTAL_WORDS = re.compile(r"合计|一共|总共|共计|加起来|\b(?:in all|in total|combined|together|altogether|total)\b", re.I)


def _derived_numbers(context: list, sums: bool) -> list:
    """Number keys a summary may work out from one sentence of its passage, where no sentence states them: the
    difference of two amounts of one unit (项目经费86万元，其中60万元由中心出资: 26万元 from the library; 298元
    and 120元: 178元 more), the share one is of the other (240 staff, 180 of them in Glasgow: three quarters), their
    sum where the point calls it a total (`sums`: else a part given the whole's amount would pass), a price after the
    discount the sentence gives (15元, 打八折: 12元)."""
    keys = []
    for pf in context:
        amounts = [f for f in pf.facts if f.kind == "number" and not _year(f)]
        for i, a in enumerate(amounts):
            for b in amounts[i + 1:]:
                # a small bare number counts only beside another of the same counter (32对, 其中8对)
                labels = _label_number(a) or _label_number(b)
                same_counter = _cjk_after(pf.text, a) and _cjk_after(pf.text, a) == _cjk_after(pf.text, b)
                if a.key[0] == b.key[0] and a.key[4:] == b.key[4:] and (not labels or same_counter):
                    keys.append((a.key[0], abs(a.key[1] - b.key[1]), 0, 1.0, *a.key[4:]))
                    if sums:
                        keys.append((a.key[0], a.key[1] + b.key[1], 0, 1.0, *a.key[4:]))
                    if a.key[0] != "%" and min(a.key[1], b.key[1]) > 0:   # 1,600 of 2,400 bikes: two thirds
                        keys.append(("%", 100.0 * min(a.key[1], b.key[1]) / max(a.key[1], b.key[1]), 0, 1.0, None))
        keys += _totals_of_rates(pf.text, amounts)
        for m in _DISCOUNT.finditer(pf.text):
            tenths = "".join(str(_CJK_DIGITS.get(c, c)) for c in m.group(1) or "5")   # 半价: half
            factor = int(tenths) / 10 ** len(tenths)
            keys += [(a.key[0], a.key[1] * factor, 0, 1.0, *a.key[4:]) for a in amounts if a.key[0] not in ("", "%")]
    return keys + _spans_between(context)


_PER_THING = re.compile(r"\s+per\s+([a-z]{3,})\b")


def _totals_of_rates(text: str, amounts: list) -> list:
    """Number keys of a rate times the periods a sentence runs it for, or the things it is paid per: "three more years
    at £250,000 a year" holds £750,000; "at most £90 per hive and for no more than 20 hives" £1,800."""
    keys = []
    for rate in amounts:
        if _HAN_CHAR.search(rate.text):
            continue
        per = _PER_THING.match(text, rate.end)   # "£90 per hive and for no more than 20 hives": £1,800
        period = _rate_period(text, rate.end) or (per and per.group(1))
        if not period:
            continue
        for count in amounts:
            if count is not rate and not count.key[0] and re.match(rf"\s+(?:[a-z]+\s+)?{period}s?\b", text[count.end:]):
                keys.append((rate.key[0], rate.key[1] * count.key[1], 0, 1.0, *rate.key[4:]))
    return keys


def _spans_between(context: list) -> list:
    """Number keys of the time between two dates or two times of the passage: days between two days (announced on
    22 July, from 1 August: ten days), months between two months (September 2024 to April 2025: seven months), hours
    between two times of day (from 10am to 2pm: four hours). A date with no year has the other's."""
    dates = [f.key for pf in context for f in pf.facts if f.kind == "date" and len(f.key) == 3 and f.key[1]]
    times = [f.key[0] for pf in context for f in pf.facts if f.kind == "time" and len(f.key) == 1]
    keys = []
    for i, a in enumerate(dates):
        for b in dates[i + 1:]:
            year_a, year_b = a[0] or b[0], b[0] or a[0]
            if year_a is None:
                continue
            months = abs((year_a * 12 + a[1]) - (year_b * 12 + b[1]))
            if months:
                keys.append(("", float(months), 0, 1.0, ("calendar", 1.0)))
            if a[2] and b[2]:
                try:
                    days = abs((datetime.date(year_a, a[1], a[2]) - datetime.date(year_b, b[1], b[2])).days)
                except ValueError:
                    continue
                if days:
                    keys.append(("", float(days), 0, 1.0, ("time", 86400.0)))
                # whole months gone by: 22 May to 1 August is "a little over two months", not three
                early, late = sorted([(year_a, a[1], a[2]), (year_b, b[1], b[2])])
                whole = months - (1 if late[2] < early[2] else 0)
                if 0 < whole != months:
                    keys.append(("", float(whole), 0, 1.0, ("calendar", 1.0)))
    for i, a in enumerate(times):
        for b in times[i + 1:]:
            if abs(a - b) % 60 == 0 and a != b:
                keys.append(("", abs(a - b) / 60.0, 0, 1.0, ("time", 3600.0)))
    return keys


# CJK counters, by what they count; 个 counts anything. A number's counter is what it is a number of.
_COUNTER_KINDS = {"people": "人名位口", "volumes": "册冊本部卷", "pages": "页頁篇", "times": "次回趟遍场場",
                  "vehicles": "辆輛台部架艘", "animals": "只头頭匹条條", "places": "家所座间間处處栋棟",
                  "sheets": "张張份枚片", "households": "户戶家", "items": "件项項份套种種类類",
                  "wins": "胜勝", "losses": "负負"}   # 8胜12负: 8 wins, 12 losses
_COUNTERS = {ch: {kind for kind, chars in _COUNTER_KINDS.items() if ch in chars}
             for ch in "".join(_COUNTER_KINDS.values())}


def _cjk_after(text: str, fact) -> str:
    """The CJK character right after a fact (楼 of 二楼, 册 of 8000册), else ""."""
    ch = text[fact.end:fact.end + 1]
    return ch if "\u4e00" <= ch <= "\u9fff" else ""


def _counter(text: str, fact) -> str:
    """The CJK counter right after a number with no unit of its own (8000册, 600张), else ""."""
    if fact.kind != "number" or fact.key[0] or (len(fact.key) > 4 and fact.key[4]):
        return ""
    ch = _cjk_after(text, fact)
    return ch if ch in _COUNTERS else ""


# Plural nouns that count one thing: "1.4 million homes" are households, "240 staff" employees.
_SAME_COUNT = [frozenset(g.split()) for g in (
    "people persons residents inhabitants citizens individuals locals adults voters patients volunteers participants",
    "staff employees workers jobs roles posts positions people members dockers miners drivers nurses",
    "payments instalments installments tranches", "bidders buyers suitors",
    "firms companies businesses utilities operators", "spaces places spots bays", "ships vessels boats",
    "homes households houses properties dwellings flats families",
    "customers clients users subscribers buyers shoppers", "pupils students children schoolchildren kids",
    "visitors guests tourists spectators fans attendees", "cars vehicles",
    "runners starters finishers entrants competitors athletes", "containers boxes crates")]
# Counts of anything: "by nine votes to two" counts the page's nine trustees.
_ANY_COUNT = frozenset("votes times others ones units items pieces parts".split())
# The plural noun a number counts: right after it, after one word that qualifies it ("four independent companies"), or
# after "of the" ("three of the stages").
_COUNTED_NOUN = re.compile(r"\s+(?:of\s+(?:the|its|their)\s+)?(?:([a-z-]+)\s+(?=[a-z]{3,}s\b))?([a-z]{3,}s)\b")


def _counted_noun(text: str, fact) -> str:
    """The plural noun right after a number of `text` ("1.4 million homes": "homes"), with the word qualifying a noun
    of kind ("4,000 orchid plants"), else ""."""
    m = _COUNTED_NOUN.match(text, fact.end)
    word = m.group(2) if m else ""
    if not word or word in STOP_WORDS or word in _ANY_COUNT or word.endswith("ss"):
        return ""
    return f"{m.group(1)} {word}" if m.group(1) and word in _KIND_NOUNS else word


# Nouns that say only what kind of thing a count is, so that the word qualifying them names it: "4,000 orchid
# plants" are 4,000 orchids ("1,200 passenger cars" are not 1,200 passengers).
_KIND_NOUNS = frozenset("plants trees shrubs bushes flowers seedlings specimens species varieties animals birds "
                        "copies".split())


def _same_count(a: str, b: str) -> bool:
    """Whether two counted nouns (_counted_noun) count one thing: the same noun, words for one thing (_SAME_COUNT),
    or one's noun the other's qualifier before a noun of kind ("4,000 orchids" are the page's "4,000 orchid plants")."""
    a_noun, b_noun = a.split()[-1], b.split()[-1]
    if _stem(a_noun) == _stem(b_noun) or any(a_noun in group and b_noun in group for group in _SAME_COUNT):
        return True
    return _names_kind_of(a, b_noun) or _names_kind_of(b, a_noun)


def _names_kind_of(phrase: str, noun: str) -> bool:
    """Whether `phrase` is a noun of kind qualified by `noun` ("orchid plants" for "orchids")."""
    words = phrase.split()
    return len(words) == 2 and content_units(words[0]) == content_units(noun)


# An amount for each thing, or for all of them together, said right after it ("£96 million each", "£96 million for
# the pair", 每艘, 共计).
_FOR_EACH = re.compile(r"\s*(?:each|apiece|a piece|per (?:ship|ferry|unit|person|head|bike|vehicle|item))\b|\s*每", re.I)
_FOR_ALL = re.compile(r"\s*(?:for (?:the|both) (?:pair|two|three|four|lot)|for both|for all \w+|in total|in all|altogether|"
                      r"combined|between them|together)\b|\s*(?:总计|合计|共计|一共)", re.I)


def _each_or_all(text: str, fact):
    """("each", cue) or ("all", cue) where the amount `fact` of `text` is said to be for each thing or for all of them
    together; None where it is said for neither."""
    if not _amount(fact):
        return None
    for kind, pattern in (("each", _FOR_EACH), ("all", _FOR_ALL)):
        m = pattern.match(text, fact.end)
        if m:
            return kind, m.group(0).strip()
    return None


_DISCOUNTED = re.compile(r"半价|半價|[一二三四五六七八九\d]折|优惠价|優惠價|\bhalf[- ]price\b|\bdiscount", re.I)
_RESPECTIVELY = re.compile(r"分别|分別|各自|\brespectively\b", re.I)


def _amount(fact) -> bool:
    """A number of money, per cent or a unit of measure: what a thing is paired with (2.6万元, 95公斤)."""
    return fact.kind == "number" and bool(fact.key[0] or (len(fact.key) > 4 and fact.key[4]))


def _tag(text: str, fact):
    """(what, kind) of a thing an amount may be paired with: a bare number that names a thing ((2.0, "楼") for
    二楼, 3号线), or a Chinese name or short quoted name (“岚岚”: kind "name"); else None. (Latin names are left
    out: "A lends £5m to B" and "B borrows £5m from A" order them both ways.)"""
    if fact.kind in ("name", "quote"):
        cjk = fact.key[0] == "cjk" if fact.kind == "name" else bool(re.fullmatch("[“「『\"]?[\u4e00-\u9fff]{2,6}[”」』\"]?", fact.text))
        return (fact.key, "name") if cjk else None
    if fact.kind != "number" or _amount(fact) or fact.text.startswith("第"):
        return None
    ch = _cjk_after(text, fact)
    return (fact.key[1], ch) if ch else None


def _same_counter(a: str, b: str) -> bool:
    return a == b or bool(_COUNTERS[a] & _COUNTERS[b])


def _called_by_head(name: str, sentence: str) -> bool:
    """Whether the sentence opens a clause with the point's name called by its last word ("The trust, which has owned
    the tower since the General Lighthouse Authority handed it over" for the Northern Coast Heritage Trust; "…, and
    the agency has not yet decided"): the deed may be the name's, said of "the trust"."""
    words = name.split()
    if len(words) < 2 or not words[-1][:1].isupper():
        return False
    head = re.compile(rf"(?:^|[,;:]\s+(?:and\s+|but\s+)?)[Tt]he {re.escape(words[-1].lower())}\b")
    return bool(head.search(sentence))


def _initials_in(name: str, text: str) -> bool:
    """Whether `name` is the initials of a name `text` writes out ("US" for the United States, "EU" for the European
    Union): capitalized words, "of", "and" or "the" between them."""
    m = _INITIALS.fullmatch(name)
    if not m:
        return False
    spelled = r"(?:\s+(?:of|and|for|the|&)\s+|\s+)".join(rf"{letter}[a-z]+" for letter in m.group(1).replace(".", ""))
    return bool(re.search(rf"\b{spelled}\b", text))


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
        return any(holds_name(key[1], pf.text) for pf in context)   # precis.cjk_names: a long name by its end
    if key and key[0] == "dotted":
        return any(all(j in pf.dotted for j in key[1:]) for pf in context)
    if "and" in key[1:-1]:  # "Lind and Priya Nair": two names, each the page's
        at = key.index("and")
        return _name_held(key[:at], context) and _name_held(key[at + 1:], context)
    variants = [key]
    typed = len(key) > 1 and key[-1] in fact_rules.TYPE_NOUN_KEYS
    if typed:  # "Esterby river" ~ "river Esterby", "river of Esterby"
        variants += [(key[-1],) + key[:-1], (key[-1], "of") + key[:-1]]
    if any(_contains_run(pf.word_keys, v) for pf in context for v in variants):
        return True
    return typed and any(_located_unnamed(key, pf) for pf in context)


def _first_in_point(point: str, fact) -> bool:
    """Nothing but a bullet or an opening quote comes before `fact` in `point`."""
    return not point[:fact.start].strip(" -*•\"'“‘(")


def _capitalized_first_word(point: str, fact, context: list) -> bool:
    """A point's first word is capitalized whatever it is: "Circles Earth 14 times a day" names
    Earth, which the page holds, when the page uses "circles" as a plain word."""
    if fact.key[0] in ("cjk", "dotted") or len(fact.key) < 2 or not _first_in_point(point, fact):
        return False
    first = fact.text.split(" ", 1)[0].casefold()
    if not _name_held(fact.key[1:], context):
        return False
    # A two-word name after it is the page's whatever the first word is ("Pianoist Ravi Menon": a misspelt noun).
    return len(fact.key) > 2 or any(re.search(rf"(?<![\w]){re.escape(first)}(?![\w])", pf.text) for pf in context)


def _date_matches(key: tuple, page_key: tuple, page_numbers: list = ()) -> bool:
    """Whether the point's date (year, month, day) is the page's: the same month, the same day where the point
    gives one, the same year where both give one; a page date without a year holds the point's year when
    `page_numbers` (the numbers around it) have that year."""
    year, month, day = key
    y2, m2, d2 = page_key
    if m2 != month or (day is not None and d2 != day):
        return False
    if year is None or y2 == year:
        return True
    return y2 is None and any(_number_matches(("", float(year), 0, 1.0), q) for q in page_numbers)


def _fact_held(fact, context: list, page_numbers: list) -> bool:
    kind, key = fact.kind, fact.key
    if kind == "number":
        return any(_number_matches(key, q) for q in page_numbers)
    if kind == "date":
        return any(f.kind == "date" and _date_matches(key, f.key, page_numbers) for pf in context for f in pf.facts)
    if kind == "era":   # 宋代 is said by the page's 北宋; 北宋 is not said by 宋代
        return any(f.kind == kind and (f.key == key or key[0] == key[0][0] + "代" and key[0][0] in f.key[0])
                   for pf in context for f in pf.facts)
    if kind in ("weekday", "time"):
        return any(f.kind == kind and f.key == key for pf in context for f in pf.facts) or \
            (kind == "time" and _clock_duration_held(fact.text, page_numbers))
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


# A placing said with an ordinal ("came second") and the word a page gives it instead ("the runner-up").
_PLACED = re.compile(r"\b(?:came|finished|placed|ended|was|were|is|are)\s+(?:in\s+)?$", re.IGNORECASE)
_PLACE_WORDS = {1.0: re.compile(r"\b(?:winners?|won|first place)\b", re.IGNORECASE),
                2.0: re.compile(r"\b(?:runners?-up|second place)\b", re.IGNORECASE),
                3.0: re.compile(r"\b(?:third place)\b", re.IGNORECASE)}


def _placing_said(point: str, fact, context: list) -> bool:
    """Whether an English ordinal of the point is a placing ("Costrava, which came second") that the context gives
    in a word of its own ("The runner-up, the Italian firm Costrava"): who placed where is the name checks' to say."""
    said = fact.kind == "number" and _PLACED.search(point, 0, fact.start) and _PLACE_WORDS.get(fact.key[1])
    return bool(said) and fact.text.isalpha() and any(said.search(pf.text) for pf in context)


# A possessive inside a name, before another name: "Agnes Doyle's Inspector Rowe".
_OWNED_NAME = re.compile(r"['’]s\s+(?=[A-Z])")
# Initials ("US", "U.S.", "EU", "NGOs").
_INITIALS = re.compile(r"((?:[A-Z]\.?){2,5})s?")
# A name of two words and more "of" or "for" another: "Rachel Stone of Fenwick Land", "Belmont Infrastructure for
# Harwick".
_JOINED_NAMES = re.compile(r"([A-Z][a-z]+(?: [A-Z][a-z'’-]+)+) (?:of|for) ((?:the )?[A-Z][\w&'’-]*(?: [A-Z&][\w'’-]*)*)")


# A clock form with no am or pm ("finished in 2:19:40", "a time of 19:42") may be a duration: hours, minutes and
# seconds, or minutes and seconds.
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")


def _clock_duration_held(text: str, page_numbers: list) -> bool:
    """Whether the page gives the clock form `text` as a duration in words ("2 hours 19 minutes 40 seconds")."""
    m = _CLOCK.fullmatch(text.strip())
    if not m:
        return False
    parts = [float(g) for g in m.groups() if g is not None]
    readings = [(3600.0, 60.0, 1.0)] if len(parts) == 3 else [(3600.0, 60.0), (60.0, 1.0)]
    return any(all(value == 0 or any(_number_matches(("", value, 0, 1.0, ("time", unit)), q) for q in page_numbers)
                   for value, unit in zip(parts, units))
               for units in readings)


def _check_facts(point: str, point_facts: list, context: list) -> tuple:
    """([spans of the point's facts the context lacks], [spans of those it holds])."""
    page_numbers = _numbers_in(context)
    derived = None
    failed, held = [], []
    for f in point_facts:
        found = _fact_held(f, context, page_numbers) and not _other_ordinal(point, f, context)
        if not found and f.kind == "number" and not _year(f):
            derived = _derived_numbers(context, bool(_TOTAL_WORDS.search(point))) if derived is None else derived
            found = any(_number_matches(f.key, q) for q in derived) or _share_within_bound(point, f, page_numbers)
        (held if found else failed).append((f.start, f.end))
    return failed, held


def _other_ordinal(point: str, fact, context: list) -> bool:
    """Whether a Chinese ordinal of the point (第五年) is another one than the context's of the same thing (第三年),
    which the context never gives as the point does: a count of years it also holds (至少五年) is not that place in
    order."""
    thing = point[fact.end:fact.end + 1]
    if fact.kind != "number" or not fact.text.startswith("第") or not thing or thing in "名位次":
        return False   # a placing (第一名) the page may give as 冠军, and 第一次 as 首次
    theirs = [f.key[1] for pf in context for f in pf.facts if f.kind == "number" and f.text.startswith("第")
              and pf.text[f.end:f.end + 1] == thing]
    return bool(theirs) and fact.key[1] not in theirs


# How far below (above) a bounded share the page's may be and still be what the point rounds: "well under half"
# for 41 per cent, not for 5.
BOUND_REACH = 0.6


def _share_within_bound(point: str, fact, page_numbers: list) -> bool:
    """Whether a share the point bounds ("under half", "more than a third") is a per cent of the page's on the
    bound's side of it and near it ("well under half": the page's 41 per cent)."""
    if fact.key[0] != "%" or fact.key[3] != fact_rules.FRACTION_SCALE:
        return False   # a figure ("超过五成", "over 60%") is the page's own or not
    sign = quantity_direction(point, fact)[0]
    bound = fact.key[1]
    if sign < 0:
        return any(q[0] == "%" and BOUND_REACH * bound <= q[1] < bound for q in page_numbers)
    if sign > 0:
        return any(q[0] == "%" and bound < q[1] <= min(100.0, bound / BOUND_REACH) for q in page_numbers)
    return False


_CJK_LINKS = "为是达约了至到有"


# Words that say how exact a number is, not what it counts ("roughly 40 kg", "roughly 480 litres"), as units.
_HEDGES = frozenset(content_units("about roughly around approximately nearly almost circa"))


_OF_AFTER = re.compile(r"\s+of\s+(?!the\b|its\b|their\b|his\b|her\b)[a-z]")


def _number_bindings(text: str, fact, facts: list) -> set:
    """The words a number is said of in `text`, with their side ("<" before, ">" after): the
    content word next to it on each side within
    its clause (a Latin word up to a few stop words away, "paid the $150 million"; the CJK
    bigrams just before it, 营收为96亿元 -> 营收, 收为), not the units of any number itself."""
    clause = _clause_at(text, fact.start)
    numbers = [(f.start, f.end) for f in facts if f.kind == "number"]
    spans: list = []
    units = content_units(text[clause[0]:clause[1]], spans)
    out, before, after = set(), None, None
    for u, (s, e) in zip(units, spans):
        s, e = s + clause[0], e + clause[0]
        if len(u) < 2 or any(a < e and s < b for a, b in numbers) or u in _HEDGES:
            continue
        cjk = not u.isascii()
        if cjk and e <= fact.start:
            # right before it, or across one linking character (营收为96亿元); 的 makes a phrase
            # of another thing (1200块石头中的340块), not a binding
            if "的" not in u and (e == fact.start or fact.start - e == 1 and text[e] in _CJK_LINKS):
                out.add(("<", u))
        elif e <= fact.start and fact.start - e <= 14:   # "fell to about 610"
            # not across another number: "costs $50 to $100" binds "costs" to $50
            if not cjk and not any(e <= a and b <= fact.start for a, b in numbers):
                before = u
        elif s >= fact.end and after is None and s - fact.end <= 8 and not cjk:
            after = u
    # a side each: "18 stops over 11 kilometres" binds 18 to stops, and 11 to kilometres, not to stops
    out = (out | {("<", before)} if before else out) | ({(">", after)} if after else set())
    if after and _OF_AFTER.match(text, fact.end):
        out.add(("<", after))   # "£21 million of sales" is the page's "sales of 21 million pounds"
    # a part of a whole is said of what the whole counts: "more than 40 of the bridge's 180 steel hangers" binds 40 to
    # steel too
    whole = next((f for f in facts if f.kind == "number" and f.start > fact.end), None)   # the next number only
    if whole is not None and whole.start - fact.end <= 40 and _PART_OF.match(text, fact.end, whole.start):
        out |= {(side, u) for side, u in _number_bindings(text, whole, facts) if side == ">"}
    return out


def _year(fact) -> bool:
    """A bare whole number that reads as a year (1958, 2023; not 1,240, which a year is never written as, nor 1400吨,
    a measure)."""
    return fact.kind == "number" and not fact.key[0] and fact.key[1] == int(fact.key[1]) and \
        1000 <= fact.key[1] <= 2100 and not re.search(r"[,，]", fact.text) and not (len(fact.key) > 4 and fact.key[4])


def _label_number(fact) -> bool:
    """A small bare number ("phase 3", "三期") names a thing more often than it measures one: its
    relation is not judged. One with a unit of measure measures (效力了3年, 7岁, 2 km)."""
    return fact.kind == "number" and not fact.key[0] and fact.key[1] < 10 and not (len(fact.key) > 4 and fact.key[4])


def _name_identity(name: str) -> str:
    """Who a name is: the last word of a Latin name ("Priya Nair" and "Nair" are one person), a
    CJK name as written."""
    words = fact_rules._WORD.findall(name)
    return fact_rules.word_key(words[-1]) if words else name


# A name after these is what something is called, not who did it ("the mask, known on the island as Na Vatu, was taken").
_LABEL_BEFORE = re.compile(r"(?:\bknown\b[^.,;]{0,30}\bas|\b(?:called|named|nicknamed|dubbed))\s+(?:the\s+)?$")
# An age after its number ("19-year-old", "nineteen years old").
_AGE_AFTER = re.compile(r"[\s-]years?[\s-]old\b", re.IGNORECASE)
# Years something has lasted: "has made cloth for 140 years", "closes after 140 years".
_LASTED_BEFORE = re.compile(r"\b(?:for|after)\s+$", re.IGNORECASE)
_YEARS_AFTER = re.compile(r"\s+years\b", re.IGNORECASE)
# The word that puts a deed at a place, as written right before it ("near Leeds", "in Whitby"): those of
# _PLACE_BEFORE that one place can be swapped for another after.
_PLACE_WORD = re.compile(r"\b(?:in|near|off|outside)\s+(?:the\s+)?$", re.IGNORECASE)
# A point's place is read against the window's sentence that holds this much of its other words: the same statement.
PLACE_MIN_SHARE = 0.6
# A name after these is where something is, not who did it ("off the coast of Cornwall", "in Whitby").
_PLACE_BEFORE = re.compile(r"\b(?:in|near|off|outside|across|over|under|along|beside|through|(?:coast|north|south|east"
                           r"|west|outskirts|centre|center) of)\s+(?:the\s+)?(?:(?:northern|southern|eastern|western"
                           r"|central)\s+)?$", re.IGNORECASE)


# "a Forestland contractor": a name after "a" qualifies the noun after it, and does nothing itself.
_ARTICLE_BEFORE = re.compile(r"\b[Aa]n?\s+$")
# A passive participle after a name: ", announced by Greyholt" says who did it.
_PARTICIPLE_BY = re.compile(r",\s+[a-z]+(?:ed|en|wn|ld|de)\s+by\b")
# A site named by its place: "from the Brennock works", "the port of Ostley", "the village of Sandvik".
_SITE_BEFORE = re.compile(r"\b(?:(?:port|city|town|village|county|province|island) of(?:\s+the)?|(?:from|to|at|into|via)"
                          r"\s+the)\s+$", re.IGNORECASE)
_SITE_AFTER = re.compile(r"\s+(?:works|plant|factory|mine|yard|depot|site|terminal|refinery|quarry|smelter)\b")


def _names_a_site(text: str, start: int, end: int) -> bool:
    """Whether the name text[start:end] names a site: after "the port of", "the village of", between "from the"
    and "works" ("from the Brennock works"), or where someone comes from ("a pianist from Lagos who studies")."""
    if _ORIGIN_BEFORE.search(text, max(0, start - 6), start) and _ORIGIN_CLOSES.match(text, end):
        return True
    m = _SITE_BEFORE.search(text, max(0, start - 24), start)
    return bool(m) and (m.group(0).lower().split()[0] not in ("from", "to", "at", "into", "via")
                        or bool(_SITE_AFTER.match(text, end)))


# "a 19-year-old from Szeged, won": where someone comes from, when the name closes the phrase.
_ORIGIN_BEFORE = re.compile(r"\bfrom\s+$", re.IGNORECASE)
_ORIGIN_CLOSES = re.compile(r"\s+(?:who|which|where)\b")   # "a pianist from Lagos who studies in Vienna"


# After a name, what makes it qualify another noun: a possessive, or a post only a person holds ("Grenholt Recycling
# owner").
_QUALIFIES = re.compile(rf"(?:(?: (?:&|and) [A-Z][\w'’-]*)*(?:'s|’s)|的| (?:{'|'.join(sorted(HUMAN_POSTS))})\b)")
# Before a name, what makes it the source of a claim, not its doer.
_ATTRIBUTED = re.compile(r"\b(?:[Aa]ccording to|[Ss]aid|[Ss]ays)\s+$")


def _words_beside(point: str, name) -> list:
    """The content units of the point around the name fact `name`, none of the name's own: what the point says of it."""
    own = set(content_units(name.text))
    return [u for u in content_units(point[:name.start] + " " + point[name.end:]) if u not in own]


_WORD_BEFORE_NAME = re.compile(r"([A-Za-z]+)\s+(?:the\s+)?$")
_WORD_AFTER_NAME = re.compile(r"\s+([a-z]+)\b")


def _name_frame(text: str, start: int, end: int) -> tuple:
    """(the lower-case word before a name, past "the"; the lower-case word right after it): "keep the Kestrel name"
    frames Kestrel with ("keep", "name"); either is "" where there is none."""
    before = _WORD_BEFORE_NAME.search(text, max(0, start - 30), start)
    after = _WORD_AFTER_NAME.match(text, end)
    word = before.group(1) if before and before.group(1)[:1].islower() else ""
    return word, after.group(1) if after else ""


def _names_a_place(text: str, start: int, end: int) -> bool:
    """Whether the name text[start:end] says where, not who: after in/near/off/... ("in Whitby"), or after
    "from" at the end of its phrase ("a 19-year-old from Szeged,"; "came from Tessaro in Turin" names a maker)."""
    before = text[max(0, start - 24):start]
    if _PLACE_BEFORE.search(before):
        return True
    return bool(_ORIGIN_BEFORE.search(before)) and (end == len(text) or text[end] in ",;.)")


def role_names(text: str, facts: list) -> list:
    """[(identity, name text, context units, start, end, undergone units)] of the names of a sentence: its Latin
    names and named places (precis.facts), and Chinese personal names after their role, each with the
    content units of the segment that says what the name did or is, and, for the name that opens the sentence,
    those of a passive verb's segment after its apposition (what was done to it)."""
    mentions = [(f.start, f.end, f.text) for f in facts if f.kind == "name" and f.key and f.key[0] != "cjk"
                and not _names_a_place(text, f.start, f.end)
                and not _LABEL_BEFORE.search(text, max(0, f.start - 48), f.start)]
    mentions += [(m.start(1), m.end(1), m.group(1)) for pattern in (_CJK_ROLE_NAME, _CJK_TITLED_NAME)
                 for m in pattern.finditer(text)]
    if not mentions:
        return []
    bounds, start = [], 0
    for m in _SEGMENT_BREAK.finditer(text):
        bounds.append((start, m.start()))
        start = m.end()
    bounds.append((start, len(text)))
    named = [any(s <= a < e for a, _, _ in mentions) for s, e in bounds]
    named_units = {u for _, _, name in mentions for u in content_units(name)}
    out = []
    for a, b, name in sorted(mentions):
        k = next(i for i, (s, e) in enumerate(bounds) if s <= a <= e)
        lo, hi = k, k
        while lo > 0 and not named[lo - 1]:
            lo -= 1
        while hi + 1 < len(bounds) and not named[hi + 1]:
            hi += 1
        context = text[bounds[lo][0]:bounds[hi][1]]
        units = set(content_units(context)) - named_units
        undergone = set()
        if k == 0 and not text[:a].strip(" \"“'‘").removeprefix("The").strip():
            undergone = set(content_units(_passive_after_apposition(text, bounds[hi + 1:]))) - named_units
        out.append((_name_identity(name), name, units, a, b, undergone))
    return out


# A passive verb: what was done to its subject ("was sold", "has been bought", "were made").
_PASSIVE_VERB = r"(?:(?:has|have|had) been|(?:was|were|is|are|will be|be|being))\s+(?:\w+ly\s+)?[a-z]+(?:ed|en|n|t|d|de)\b"
PASSIVE_VOICE = re.compile(rf"\b{_PASSIVE_VERB}", re.IGNORECASE)
_RESUMED_PASSIVE = re.compile(rf"\s*{_PASSIVE_VERB}")


def _passive_after_apposition(text: str, later: list) -> str:
    """The segment among `later` (bounds after the subject's own) that resumes the sentence with a passive verb
    for the name that opens it: "Harwick Studios, the film lot…, has been sold to Brightwave Media for 86 million
    pounds" says what was done to Harwick Studios, though Brightwave Media stands nearer; "" where none does."""
    for s, e in later:
        if _RESUMED_PASSIVE.match(text, s):
            return text[s:e]
    return ""


# A verb that crosses a threshold before "above", "over", "below", "under": the number is the threshold.
_CROSSES = re.compile(r"\b(?:go|goes|went|gone|going|rise|rises|rose|risen|fall|falls|fell|fallen|climb|climbs|climbed"
                      r"|drop|drops|dropped|dip|dips|dipped)\s+(?:above|over|below|under)\s*$")


def quantity_direction(text: str, fact) -> tuple:
    """(+1, cue) when the number `fact` of `text` is qualified upwards ("more than 300", "超过300",
    "300人以上"), (-1, cue) downwards ("fewer than", "不到", "以下"), (0, "") otherwise."""
    before = text[max(0, fact.start - 14):fact.start].casefold().rstrip(" 约約")
    after = text[fact.end:fact.end + 2]
    if _OVER_A_SPAN.match(text, fact.end) and _ends_with_cue(before, "over"):
        return 0, ""   # "over two years": a span of time, not more than two
    if _CROSSES.search(before):
        return 0, ""   # "if spending goes above £26 million": a threshold crossed, the amount itself
    # The longest cue wins: 不少于 ("at least") ends as 少于 ("less than") does.
    for cue, sign in _CUES_LONGEST_FIRST:
        if _ends_with_cue(before, cue):
            return sign, cue
    for cue, sign in _CUES_LONGEST_FIRST:
        if not cue.isascii() and cue not in _RIGHT_BEFORE_ONLY and cue in before[-len(cue) - 2:]:
            return sign, cue  # 至少可达50亿: a verb may stand between
    bound = _CJK_BOUND_BEFORE.search(before)
    if bound:
        return (1 if bound.group(1) == "至少" else -1), bound.group(1)   # 最多可载乘客约1900人: the verb's object too
    if _LIMIT_BEFORE.search(before):
        return -1, "限"   # 每天限约2000人: a limit
    for cues, sign in ((_MORE_AFTER, 1), (_LESS_AFTER, -1)):
        for cue in cues:
            if after.startswith(cue):
                return sign, cue
    comparative = _COMPARATIVE.search(before)
    if comparative:  # "heavier than 7.5 tonnes" bounds it upwards, "lighter than" downwards
        word = comparative.group(1)
        return (-1 if word in _DOWNWARD_COMPARATIVES else 1), comparative.group(0).strip()
    for cue in _NEARLY:
        if _ends_with_cue(before, cue):
            return -1, cue
    return 0, ""


def _ends_with_cue(before: str, cue: str) -> bool:
    """Whether `before` ends with the quantity word `cue`, a whole word when it is Latin ("under", not "thunder")."""
    return before.endswith(cue) and (not cue.isascii() or len(before) == len(cue) or not before[-len(cue) - 1].isalpha())


def _quantity_conflict(point: str, fact, context: list, window: list):
    """(reason, passage) when every number of the window equal to `fact` is qualified the other
    way ("fewer than 300" against the page's "more than 300")."""
    mine = quantity_direction(point, fact)[0]
    matches = [(pf, g, j) for pf, j in zip(context, window) for g in pf.facts
               if g.kind == "number" and _number_matches(fact.key, g.key)]
    if not matches:
        return None
    theirs = [(pf.directions.get((g.start, g.end), (0, ""))[0], pf, g, j) for pf, g, j in matches]
    if any(d == mine or (d == 0 and mine == 0) for d, *_ in theirs):
        return None
    if mine == 0:
        return None  # "300 staff" against "more than 300 staff": less precise, not wrong
    opposite = next((t for t in theirs if t[0] == -mine), None)
    if opposite is None:
        return None
    d, pf, g, j = opposite
    sign, cue = pf.directions[(g.start, g.end)]
    said = f"{g.text}{cue}" if pf.text.startswith(cue, g.end) else f"{cue} {g.text}" if cue.isascii() else cue + g.text
    return f"the page says {said}", j


def _unbounded_conflict(point: str, fact, context: list, window: list):
    """(reason, passage) when the point bounds a number ("fewer than 60") that the window says with no
    bound ("about 60", "60"): the page's very number is not under (or over) itself. A rounder number of
    the point ("more than 14,000" for the page's 14,237) is left alone: it may bound the page's."""
    mine = quantity_direction(point, fact)[0]
    if mine == 0:
        return None
    plain = None
    for pf, j in zip(context, window):
        for g in pf.facts:
            if g.kind == "number" and _number_matches(fact.key, g.key):
                if pf.directions.get((g.start, g.end), (0, ""))[0] != 0 or g.key[1] != fact.key[1]:
                    return None
                plain = plain or (pf, g, j)
    if plain is None:
        return None
    pf, g, j = plain
    before = pf.text[max(0, g.start - 8):g.start].casefold().rstrip()
    about = next((w for w in ("about", "around", "roughly", "some", "大约", "大約", "约", "約") if before.endswith(w)), "")
    said = (f"{about} {g.text}" if about.isascii() else about + g.text) if about else g.text
    return f"the page says {said}", j


_QUANTITY_CUE = re.compile("|".join(re.escape(c) for c in sorted(_MORE + _LESS, key=len, reverse=True)), re.IGNORECASE)
_CUE_SIGN = {c.casefold(): (1 if c in _MORE else -1) for c in _MORE + _LESS}


def _quantity_word_conflicts(point: str, point_facts: list, window_text: str, passage_of) -> list:
    """[(span, (reason, passage))] for a quantity word with no number that the page turns around:
    "不到去年同期" where the page says "超过去年同期", "fewer than last year" against "more than"."""
    out = []
    number_starts = {f.start for f in point_facts if f.kind == "number"}
    for m in _QUANTITY_CUE.finditer(point):
        rest = point[m.end():]
        if m.end() + len(rest) - len(rest.lstrip()) in number_starts:
            continue   # "fewer than four thousand": a number's own quantity word is _quantity_conflict's
        sign = _CUE_SIGN[m.group(0).casefold()]
        words = re.match(r"\s*((?:[A-Za-z]+\s+){0,1}[A-Za-z]+)", rest) if m.group(0).isascii() else None
        said = words.group(1) if words else re.match(f"[{fact_rules._CJK}]{{0,4}}", rest).group(0)
        if len(said) < 2:
            continue
        theirs = [c for c in _QUANTITY_CUE.finditer(window_text)
                  if window_text[c.end():].lstrip().casefold().startswith(said.casefold())]
        if theirs and all(_CUE_SIGN[c.group(0).casefold()] == -sign for c in theirs):
            cue = theirs[0].group(0)
            out.append(((m.start(), m.end()), (f"the page says {cue}{' ' if cue.isascii() else ''}{said}",
                                               passage_of(cue))))
    return out


# Dates said relative to the page's own time: a point must keep the page's (去年 is not 历年).
_RELATIVE_TIMES = {"去年": "year", "今年": "year", "明年": "year", "前年": "year", "后年": "year", "历年": "year",
                   "往年": "year", "上个月": "month", "下个月": "month", "本月": "month", "上月": "month",
                   "last year": "year", "this year": "year", "next year": "year", "last month": "month",
                   "next month": "month", "this month": "month"}
_RELATIVE_TIME = re.compile("|".join(sorted(_RELATIVE_TIMES, key=len, reverse=True)), re.IGNORECASE)
# 去年8月, 明年春天, 今年年底: a part of the year that the word before it dates
_PART_OF_YEAR_AFTER = re.compile(r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})月|(?:[春夏秋冬](?:天|季)|年底|年初|年中|上半年|下半年)")


def _relative_time_conflicts(point: str, window_text: str, passage_of) -> list:
    """[(span, (reason, passage))] for "去年"-like words of the point the window lacks where it says
    another of the same scale ("历年营收为96亿元" where the page says 去年)."""
    out = []
    theirs = [m.group(0) for m in _RELATIVE_TIME.finditer(window_text)]
    for m in _RELATIVE_TIME.finditer(point):
        word = m.group(0).casefold()
        dated = _PART_OF_YEAR_AFTER.match(point, m.end())
        if dated:
            # 今年8月 where the page's 8月 is 去年's: the word that dates this month, not any in the window
            said = [t.group(0) for t in _RELATIVE_TIME.finditer(window_text)
                    if window_text.startswith(dated.group(0), t.end())]
            if said and all(t.casefold() != word for t in said):
                out.append(((m.start(), m.end()), (f"the page says {said[0]}{dated.group(0)}", passage_of(said[0]))))
            if said or dated.group(0)[-1] == "月":
                continue   # a part of the year the window never dates is read as the word alone
        if any(t.casefold() == word for t in theirs):
            continue
        rival = next((t for t in theirs if _RELATIVE_TIMES[t.casefold()] == _RELATIVE_TIMES[word]), None)
        if rival:
            out.append(((m.start(), m.end()), (f"the page says {rival}", passage_of(rival))))
    return out


# Verbs of telling: a date the page gives to one of them is when something was told, not when it happened.
_TELLING = re.compile(r"宣布|公布|发布|發布|宣告|披露|透露|表示|\b(?:announc|report|reveal|confirm|disclos|unveil)\w*"
                      r"|\bsaid\b|\bsays\b", re.IGNORECASE)
_TELLING_AFTER_DATE = re.compile(r"\s*(?:正式|再次|对外|對外)?(?:宣布|公布|发布|發布|宣告|披露|透露|表示)")
_TELLING_BEFORE_DATE = re.compile(r"\b(?:announced|reported|revealed|confirmed|disclosed|unveiled|said)\s+(?:on|in)\s+"
                                  r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?$", re.IGNORECASE)


# A point's date of telling, maybe past what was told, a determiner and a word ("announced the cancellations on 1
# April"; not "announced the ban starts on").
_TOLD_ON = re.compile(r"\b(?:announced|reported|revealed|confirmed|disclosed|unveiled|said)\s+"
                      r"(?:(?:the|its|their|his|her|a|an)\s+[\w-]+\s+)?(?:on|in)\s+$", re.IGNORECASE)


_STARTS = re.compile(r"\b(?:start|starts|started|begin|begins|began|takes? effect|comes? into force)\b|开始|起实施|生效",
                     re.IGNORECASE)
_STARTS_FROM = re.compile(r"\b(?:from|starting|beginning)\s+(?:on\s+)?$|自$|从$|從$", re.IGNORECASE)


# The noun a count counts: the word right after it ("three walkers"), past an adjective or two.
_COUNTED = re.compile(r"\s+(?:[a-z-]+\s+){0,2}?([a-z]{3,})\b")
# A part of a whole: "two of the port's four container terminals", "8 of the company's 31 routes": what joins the
# part's number to the whole's, and the plural noun after the whole's.
_PART_OF = re.compile(r"\s+of\s+(?:(?:the|its|their|his|her|our)\s+|[\w-]+['’]s\s+)+$")
_WHOLE_OF = re.compile(r"\s+(?:[a-z-]+\s+){0,2}?([a-z]{3,}s)\b")
# How much of the point's clause, its count aside, a page sentence must say for its own count of the thing to stand
# against the point's: the same statement.
RIVAL_MIN_SHARE = 0.75
# A count said as a difference ("drops by 9,000 tonnes", "21 cents more than"), which the page may not write.
_A_CHANGE = re.compile(r"\b(?:by|than|more|less|fewer)\b")


def _rival_counts(point: str, point_facts: list, context: list, window: list) -> list:
    """[(span, (reason, passage))] for an English count of the point ("Four walkers were treated for mild
    hypothermia") that the window's sentence saying the same thing gives as another count of the same noun ("three
    walkers were treated for mild hypothermia"), never as the point's: the count is the page's elsewhere (four
    walkers from Manchester), not here."""
    out = []
    for f in point_facts:
        if f.kind != "number" or not f.text.isascii() or f.key[0] or _year(f):
            continue
        counted = _COUNTED.match(point, f.end)
        if not counted:
            continue
        noun = counted.group(1)
        clause = _clause_at(point, f.start)
        if _A_CHANGE.search(point[clause[0]:clause[1]]):
            continue
        mine = _words_of(point[clause[0]:f.start] + " " + point[counted.end():clause[1]]) | {noun}
        # each passage is one sentence of the page (split_passages)
        rival = next(((g, j) for pf, j in zip(context, window)
                      if len(mine & _words_of(pf.text)) >= RIVAL_MIN_SHARE * len(mine)
                      and not any(h.kind == "number" and _number_matches(f.key, h.key)
                                  and not _counts_another(pf.text, h, noun) for h in pf.facts)
                      for g in pf.facts if _counts_other(f, g, noun, pf.text)), None)
        if rival:
            g, j = rival
            out.append(((f.start, f.end), (f"the page says {g.text} here", j)))
    return out



# The period a rate is counted in, after its number ("£15,000 for each week of delay", "12 extra vessels a week",
# "£45 a year", "2,000 litres daily"): a few words between, none that ends the clause.
_RATE_PERIOD = re.compile(r"(?:[^\W\d][\w-]*\s+){0,4}?(?:(?:for\s+)?(?:per|a|an|each|every)\s+(?P<period>hour|day|night|week"
                          r"|fortnight|month|quarter|year|season)\b|(?P<adverb>hourly|daily|nightly|weekly|monthly|quarterly"
                          r"|annually|yearly)\b)", re.IGNORECASE)
_ADVERB_PERIODS = {"hourly": "hour", "daily": "day", "nightly": "night", "weekly": "week", "monthly": "month",
                   "quarterly": "quarter", "annually": "year", "yearly": "year"}


def _rate_period(text: str, end: int):
    """The period of the rate whose number ends at `end` in `text` ("week" of "£15,000 for each week"), or None."""
    m = _RATE_PERIOD.match(text, end + (1 if text[end:end + 1] == " " else 0))
    if not m:
        return None
    return (m.group("period") or _ADVERB_PERIODS[m.group("adverb").lower()]).lower()


def _numbers_read_otherwise(point: str, point_facts: list, context: list, window: list, read) -> list:
    """[(the point's number, (the page's reading, the page's number, its passage's text, its passage index))] for each
    English number of the point that `read(text, number)` reads one way ("day", "by") where every window sentence
    holding that number reads it another ("week", "to")."""
    out = []
    for f in point_facts:
        if f.kind != "number" or _HAN_CHAR.search(f.text) or _year(f):
            continue
        mine = read(point, f)
        if not mine:
            continue
        theirs = [(read(pf.text, g), g, pf.text, j) for pf, j in zip(context, window)
                  for g in pf.facts if g.kind == "number" and _number_matches(f.key, g.key)]
        if theirs and all(reading and reading != mine for reading, *_ in theirs):
            out.append((f, theirs[0]))
    return out


def _rate_conflicts(point: str, point_facts: list, context: list, window: list) -> list:
    """[(span, (reason, passage))] for an English amount the point counts per one period ("£15,000 for each day of
    delay") that every window sentence holding it counts per another ("£15,000 for each week of delay")."""
    return [((f.start, f.end), (f"the page says {g.text} a {period}", j)) for f, (period, g, _, j)
            in _numbers_read_otherwise(point, point_facts, context, window, lambda text, g: _rate_period(text, g.end))]


# A change and the word that says whether its number is the change or where it ended ("shrank by 11.2 square
# kilometres" against "shrank to 11.2"), past a few words and a hedge ("fell sharply to about 610").
_CHANGE_PREPOSITION = re.compile(
    r"\b(?:r[io]se[ns]?|rising|grew|grow[ns]?|growing|f[ae]ll(?:s|en|ing)?|shr[au]nk|shrinks?|shrinking|dropped|drops?"
    r"|dropping|increas(?:e|es|ed|ing)|decreas(?:e|es|ed|ing)|climb(?:s|ed|ing)?|declin(?:e|es|ed|ing)|cut|cuts|reduc(?:e|es"
    r"|ed|ing)|rais(?:e|es|ed|ing)|jump(?:s|ed)?|slipp?(?:s|ed)?|soar(?:s|ed)?|went (?:up|down)|gone (?:up|down)"
    r"|retreat(?:s|ed)?|pulled back)\s+(?:[a-z]+\s+){0,2}?(?P<preposition>by|to)\s+(?:(?:about|around|roughly|nearly"
    r"|almost|just|some|more than|less than|over|under)\s+)?$", re.IGNORECASE)


def _change_said(text: str, number):
    """The match of the change that `number` of `text` is the amount ("by") or the end ("to") of, or None."""
    return _CHANGE_PREPOSITION.search(text, max(0, number.start - 60), number.start)


def _change_conflicts(point: str, point_facts: list, context: list, window: list) -> list:
    """[(span, (reason, passage))] for an English number the point gives as a change's amount ("shrank by 11.2 square
    kilometres") that every window sentence holding it gives as where the change ended ("shrank to 11.2"), or the
    other way round."""
    def preposition(text, number):
        said = _change_said(text, number)
        return said.group("preposition").lower() if said else None
    # the reason quotes the page's change up to its number: "shrank to 11.2"
    return [((f.start, f.end), (f"the page says {text[_change_said(text, g).start():g.end].rstrip('.')}", j))
            for f, (_, g, text, j) in _numbers_read_otherwise(point, point_facts, context, window, preposition)]


def _parts_of_wholes(text: str, facts: list) -> list:
    """[(part, whole, noun)] of the number facts of `text` that say a part of a whole ("two of the port's four container
    terminals": two, four, terminals)."""
    numbers = [g for g in facts if g.kind == "number" and not _year(g)]
    out = []
    for part, whole in zip(numbers, numbers[1:]):
        noun = _WHOLE_OF.match(text, whole.end)
        if noun and _PART_OF.match(text, part.end, whole.start):
            out.append((part, whole, noun.group(1)))
    return out


def _part_conflicts(point: str, point_facts: list, context: list, window: list) -> list:
    """[(span, (reason, passage))] for an English part of a whole ("three of the port's four container terminals")
    where the window gives another part of that whole ("two of the port's four container terminals") and never the
    point's."""
    out = []
    for part, whole, noun in _parts_of_wholes(point, point_facts):
        theirs = [(p, j) for pf, j in zip(context, window) for p, w, n in _parts_of_wholes(pf.text, pf.facts)
                  if n == noun and _number_matches(whole.key, w.key)]
        if theirs and not any(_number_matches(part.key, p.key) for p, _ in theirs):
            p, j = theirs[0]
            out.append(((part.start, part.end), (f"the page says {p.text} of them", j)))
    return out


def _counts_another(text: str, h, noun: str) -> bool:
    """Whether the number `h` of `text` plainly counts a thing other than `noun` ("about 3 kilometres in" is no count
    of lengths)."""
    counted = _COUNTED.match(text, h.end)
    return bool(counted) and counted.group(1) != noun and counted.group(1).endswith("s") and noun.endswith("s")


def _counts_other(f, g, noun: str, text: str) -> bool:
    """Whether the page's fact `g` is a plain count of `noun` other than the point's count `f`."""
    theirs = g.kind == "number" and not g.key[0] and _COUNTED.match(text, g.end)
    return bool(theirs) and theirs.group(1) == noun and not _number_matches(f.key, g.key)


def _telling_date_conflicts(point: str, point_facts: list, context: list, window: list) -> list:
    """[(span, (reason, passage))] for a date of the point that the window gives only to telling (省文物考古研究院
    于2025年3月宣布…发现遗址: March is when the find was announced) while the point tells nothing: it dates the
    event itself ("2025年3月…发现遗址"). Only where the window also has an earlier date (遗址是2024年8月…被发现的):
    what was told had happened before; "announced on 9 September that it will buy" dates an agreement."""
    if _TELLING.search(point):
        return []
    # a start the point dates by the day it was announced: "the ban starts on 22 July" where it runs "from 1 August"
    starts = _STARTS.search(point) and any(g.kind == "date" and _STARTS_FROM.search(pf.text, max(0, g.start - 12), g.start)
                                           for pf in context for g in pf.facts)
    out = []
    for f in point_facts:
        if f.kind != "date":
            continue
        told, year = [], f.key[0]
        for pf, j in zip(context, window):
            for g in pf.facts:
                # 22 July 2026 is the page's 22 July, and 6 November the page's 6 November 2026
                if g.kind == "date" and g.key[1:] == f.key[1:] and (f.key[0] is None or g.key[0] in (None, f.key[0])):
                    told.append((bool(_TELLING_AFTER_DATE.match(pf.text, g.end)
                                      or _TELLING_BEFORE_DATE.search(pf.text, max(0, g.start - 24), g.start)), j))
                    year = year or g.key[0]
        # a date without its year is in the year of the told one ("on 4 November" before "6 November 2026")
        when = lambda key: (key[0] or year, *key[1:])  # noqa: E731
        earlier = any(g.kind == "date" and _before(when(g.key), when(f.key)) for pf in context for g in pf.facts)
        if told and all(t for t, _ in told) and (earlier or starts):
            out.append(((f.start, f.end), (f"the page says {f.text.rstrip('.')} is when this was announced", told[0][1])))
    return out


# Words between a date and the event it dates that say nothing of the event (于2023年6月正式开工, "started in").
# A date the page gives as an end ("展期至3月31日", "runs until 31 March"), which a point may not give as the day
# something happens ("3月31日免费向公众开放") unless it says it ends then. (Not a move: 推迟到, 提前至, "moved to".)
_UNTIL_BEFORE = re.compile(r"(?:(?<![迟遲前改延整移])至|(?<![迟遲前改延整移])到|截至|截止|直到|直至|(?i:\buntil|\btill|\bthrough))\s*$")
_ENDS = re.compile(r"结束|閉幕|闭幕|截止|到期|为止|為止|止|落幕|(?i:\b(?:end|ends|ended|ending|close|closes|closed|closing|"
                   r"finish\w*|run|runs|running|last|lasts|lasting|expire\w*|until|till|through|deadline)\b)")


def _window_dates_like(fact, context: list, window: list) -> list:
    """[(passage facts, date, passage index)] of the window's dates that are the point's date `fact`."""
    return [(pf, g, j) for pf, j in zip(context, window) for g in pf.facts
            if g.kind == "date" and _date_matches(fact.key, g.key)]


def _until_conflicts(point: str, point_facts: list, context: list, window: list) -> list:
    """[(span, (reason, passage))] for a date the point gives an event where the window gives it only as the end
    of a span (the point's 3月31日免费向公众开放 where the page's exhibition runs 至3月31日)."""
    out = []
    for f in point_facts:
        if f.kind != "date" or _UNTIL_BEFORE.search(point[:f.start]):
            continue
        if _ENDS.search(point[max(0, f.start - 24):f.start]) or _ENDS.search(point[f.end:f.end + 24]):
            continue
        same = _window_dates_like(f, context, window)
        if same and all(_UNTIL_BEFORE.search(pf.text[:g.start]) for pf, g, _ in same):
            pf, g, j = same[0]
            out.append(((f.start, f.end), (f"the page gives {g.text.rstrip('.')} as when it ends", j)))
    return out


def _begun_as_ended_conflicts(point: str, point_facts: list, context: list, window: list) -> list:
    """[(span, (reason, passage))] for a date the point gives as an end ("the review ended in March 2023") where the
    window gives it only as a start (the page's "a review that began in March 2023"): _until_conflicts turned round."""
    out = []
    for f in point_facts:
        before = point[max(0, f.start - 24):f.start]
        if f.kind != "date" or not _ENDS.search(before) or _STARTS.search(before) or _UNTIL_BEFORE.search(before):
            continue   # "ran until March", "from its start in March" say no end of their own the page could lack
        same = _window_dates_like(f, context, window)
        if same and all(_STARTS.search(lead) and not _ENDS.search(lead)
                        for lead in (pf.text[max(0, g.start - 24):g.start] for pf, g, _ in same)):
            pf, g, j = same[0]
            out.append(((f.start, f.end), (f"the page gives {g.text.rstrip('.')} as when it began", j)))
    return out


_DATE_EVENT_FILLER = re.compile(r"[的了就已将將正式底初中旬]*")
_EN_EVENT = re.compile(r"\b([a-z]{4,}?)(?:ed|d|s)?\s+(?:in|on)\s*$")   # a verb: lower case, "in" or "on" a date
# From a page's event word to its date past where or by whom ("launched at the Brennan Marine shipyard in Ardmore on").
_EN_WHERE_TO_DATE = re.compile(r"(?:ed|d)?\s+(?:at|in|by|from)\s+(?:[\w'’-]+\s+){1,6}?(?:in|on)\s+")
# The same past, with where or by whom between it and its date ("was launched at Ardmore on", "signed by both on").
_EN_EVENT_WHERE = re.compile(r"\b([a-z]{4,}?)(?:ed|d)\s+(?:at|in|by|from)\s+(?:[\w'’-]+\s+){1,4}?(?:in|on)\s*$")


# English verbs whose past is not "-ed": each form, to its plain one (an event "took" in 1931 is the page's "taken").
_IRREGULAR_FORMS = {plain: forms.split() for plain, forms in (
    ("take", "take takes took taken taking"), ("withdraw", "withdraw withdraws withdrew withdrawn"),
    ("sell", "sell sells sold selling"), ("buy", "buy buys bought buying"), ("build", "build builds built building"),
    ("begin", "begin begins began begun"), ("win", "win wins won winning"), ("make", "make makes made making"),
    ("hold", "hold holds held holding"), ("leave", "leave leaves left leaving"), ("give", "give gives gave given"),
    ("write", "write writes wrote written"), ("find", "find finds found finding"), ("meet", "meet meets met meeting"),
    ("pay", "pay pays paid paying"), ("lose", "lose loses lost losing"), ("bring", "bring brings brought"),
    ("choose", "choose chooses chose chosen"), ("fall", "fall falls fell fallen"), ("break", "break breaks broke broken"),
    ("spend", "spend spends spent"), ("send", "send sends sent"), ("tell", "tell tells told"),
    ("become", "become becomes became"), ("strike", "strike strikes struck"), ("lead", "lead leads led leading"),
    ("steal", "steal steals stole stolen"), ("sink", "sink sinks sank sunk"), ("fly", "fly flies flew flown"),
    ("rise", "rise rises rose risen"), ("drive", "drive drives drove driven"), ("run", "run runs ran running"))}
_IRREGULAR = {form: plain for plain, forms in _IRREGULAR_FORMS.items() for form in forms}
# What may stand between an event's verb and its date: a few words ("withdrew its offer in June", "took the mask in
# 1931"), none of them a conjunction or a bound.
_EN_VERB_TO_DATE = re.compile(r"(?:\s+(?!(?:and|but|or|by|before|after|until|since)\b)[\w'’-]+){0,3}\s+(?:in|on)\s*")


# Before an "-ing" form that is a noun ("the building", "a meeting", "Victorian building"): a determiner or a
# capitalized word, maybe with a word between.
_ING_AS_NOUN = re.compile(r"(?:\b(?:[Tt]he|[Aa]n?|[Ii]ts|[Tt]heir|[Hh]is|[Hh]er|[Oo]ur|[Tt]his|[Tt]hat)\s+(?:[A-Za-z-]+\s+)?"
                          r"|\b[A-Z][a-z]+\s+)$")


def _event_word(point: str, date) -> str:
    """The word of the event a date of the point dates: the two CJK characters after it (开工 of 2023年6月开工), or
    the English verb before it with its preposition ("started in": "start"; "took the mask in": "take"); "" when
    there is none."""
    after = point[date.end:]
    filler = _DATE_EVENT_FILLER.match(after).end()
    head = after[filler:filler + 2]
    if len(head) == 2 and all("\u4e00" <= ch <= "\u9fff" for ch in head):
        return head
    before = point[max(0, date.start - 40):date.start]
    before = before[_clause_at(before, len(before) - 1)[0]:] if before else before
    for m in reversed(list(re.finditer(r"\b[a-z]+\b", before))):
        if m.group(0).endswith("ing") and _ING_AS_NOUN.search(before, 0, m.start()):
            continue   # "The Victorian building was shut in November 2019": a building, not building it
        if m.group(0) in _IRREGULAR and _EN_VERB_TO_DATE.fullmatch(before, m.end()):
            return _IRREGULAR[m.group(0)]
    m = _EN_EVENT.search(before[-30:]) or _EN_EVENT_WHERE.search(before)
    return m.group(1).lower() if m and m.group(1).lower() not in _NOT_EVENTS else ""


def _event_pattern(event: str, alike: bool = True):
    """Where a page says the event, or (`alike`) a word for the same event (began for "started"): any form of an
    irregular verb as a word; else the word's start ("start" of "started", "starts")."""
    words = next((group for group in _SAME_EVENT if event in group), (event,)) if alike else (event,)
    return re.compile("|".join(r"\b(?:%s)\b" % "|".join(_IRREGULAR_FORMS[w]) if w in _IRREGULAR_FORMS else re.escape(w)
                               for w in words), re.IGNORECASE)


def _words_before(text: str, at: int) -> str:
    """The words of `text` before position `at` in their clause, from its last break or subordinating word ("since
    records" of "…, after the driest spring since records began")."""
    start = max((m.end() for m in _EVENT_CLAUSE_BREAK.finditer(text, 0, at)), default=0)
    return text[start:at]


_EVENT_CLAUSE_BREAK = re.compile(r"[,;:]|\b(?:since|after|before|when|as|while|because|and)\b")
# Words for one event: "work started on 3 June" is the page's "the work began on 3 June".
_SAME_EVENT = (("start", "begin", "commence"),)


_NOT_EVENTS = frozenset("this that year years month months week weeks last next each every same early late".split())


# "delivered by May 2023", "not before June": a deadline or a bound, not when the event happened.
_NOT_WHEN = re.compile(r"(?i)\b(?:by|before|until|after|from|since)\b")


# How far before a CJK event word its date may be, within the clause.
_CJK_DATE_REACH = 16
_CJK_CLAUSE_PUNCT = re.compile("[，,。；;：:！？!?、]")


def _date_next_to(facts: list, text: str, start: int, end: int, cjk: bool):
    """The date right before a CJK event word (within a few characters), or right after an English one (within
    a preposition or two): the page's date of that event, or None."""
    if cjk:
        # within its clause: 11月6日与海昌银行牵头的银团签署 dates the signing
        before = [g for g in facts if g.kind == "date" and 0 <= start - g.end <= _CJK_DATE_REACH
                  and not _CJK_CLAUSE_PUNCT.search(text, g.end, start)]
        return before[-1] if before else None
    # a year alone only right after the word and its preposition ("taken in 1887"; not "room, opened in 1962"); a
    # weekday after its object too ("signed a five-year contract on Monday")
    after = [g for g in facts if 0 <= g.start - end <= 12 and (
        g.kind == "date" or _year(g) and re.fullmatch(r"\s+(?:in|on)\s+", text[end:g.start]))
        or g.kind == "weekday" and 0 <= g.start - end and _EN_VERB_TO_DATE.fullmatch(text, end, g.start)
        or g.kind == "date" and 0 <= g.start - end and _EN_WHERE_TO_DATE.fullmatch(text, end, g.start)]
    return after[0] if after and not _NOT_WHEN.search(text[end:after[0].start]) else None


def _same_when(point_fact, page_fact) -> bool:
    """Whether a date or year of the point is the page's: a year alone against a date's year, either way."""
    if point_fact.kind == "date" and page_fact.kind == "date":
        return _date_matches(point_fact.key, page_fact.key)
    if "weekday" in (point_fact.kind, page_fact.kind):
        return point_fact.kind != page_fact.kind or point_fact.key == page_fact.key   # a weekday is no year
    mine = point_fact.key[0] if point_fact.kind == "date" else int(point_fact.key[1])
    theirs = page_fact.key[0] if page_fact.kind == "date" else int(page_fact.key[1])
    return mine is None or theirs is None or mine == theirs


def _before(a: tuple, b: tuple) -> bool:
    """Whether date key a (year, month, day) is earlier than b, both with a year."""
    if a[0] is None or b[0] is None:
        return False
    return (a[0], a[1] or 0, a[2] or 0) < (b[0], b[1] or 0, b[2] or 0)


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


def _clause_at(text: str, at: int) -> tuple:
    """(start, end) of the clause of `text` holding position `at` (the whole text if none does)."""
    return next(((cs, ce) for cs, ce in _clauses(text) if cs <= at < ce), (0, len(text)))


@functools.lru_cache(maxsize=4)
def _page_clauses(page: str) -> tuple:
    """(starts, clauses) of a whole page's clauses, found once per page: a word's clause is then a bisection away,
    not a scan of the page per occurrence (a hostile page repeats a word thousands of times)."""
    clauses = _clauses(page)
    return [cs for cs, _ in clauses], clauses


def _page_clause_at(page: str, at: int) -> tuple:
    """_clause_at for a whole page, by bisection."""
    starts, clauses = _page_clauses(page)
    k = bisect.bisect_right(starts, at) - 1
    return clauses[k] if k >= 0 and clauses[k][0] <= at < clauses[k][1] else (0, len(page))


def _clause_denials(text: str) -> list:
    """One entry per negation cue of `text`: None for a word of denial (not, 不), the unit of
    the root for a "non-" prefix ("nonprofit" -> "profit") and of the object of "without" or "unless" ("fly without a
    training captain" denies the captain, not the flying; "blockade the harbour unless the ministry agrees", the
    ministry's agreeing, not the blockade)."""
    out = []
    for a, b in fact_rules.negation_cues(text):
        cue = text[a:b].lower()
        root_after = _PREFIX_ROOT if cue.startswith("non") else _OBJECT_ROOT if cue in ("without", "unless") else None
        rest = root_after.match(text, b) if root_after else None
        root = content_units(rest.group(1)) if rest else []
        out.append(root[0] if root else None)
    return out


_PREFIX_ROOT = re.compile(r"-?([A-Za-z]+)")
_OBJECT_ROOT = re.compile(r"\s+(?:(?:a|an|the|any)\s+)?([A-Za-z]+)")


# What may stand between a Chinese denial and the word it denies: 不会增加, 没有再开, 并未曾出席.
_CJK_DENIED_WORD = re.compile(r"(?:会|會|能|再|曾|用|需)?([\u4e00-\u9fff]{2})")


def _cjk_denials(context: list, window: list) -> list:
    """[(passage text, passage index, where the cue starts, the match of the two characters it denies)] of every
    Chinese denial of the passages a point rests on (没有盈利, 未发现青铜器), read once for both checks below."""
    out = []
    for pf, j in zip(context, window):
        for a, b in fact_rules.negation_cues(pf.text):
            m = _CJK_DENIED_WORD.match(pf.text, b)
            if m:
                out.append((pf.text, j, a, m))
    return out


def _denied_cjk_words(point: str, denials: list, page: str) -> list:
    """[(span, passage)] of two-character words the point says plainly (书店开业头一个月已经盈利, 主办方表示参赛名额将增加)
    that the passage it rests on says only with a denial (仍然没有盈利, 参赛名额不会增加), and the page says plainly
    nowhere, or only in clauses sharing fewer of the point's words than the denial's."""
    out = []
    for text, j, a, m in denials:
        word = m.group(1)
        if word[0] in CJK_FUNCTION_CHARS:
            # 不对外零售, 不对游客开放: past a preposition and its object, a short clause's last word is the verb denied
            end = _clause_at(text, m.start(1))[1]
            word = text[end - 2:end]
            if end - m.start(1) > 7 or not re.fullmatch(f"[{HAN}]{{2}}", word) or set(word) & set(CJK_FUNCTION_CHARS):
                continue
        at = point.find(word)
        if at < 0 or fact_rules.negation_cues(point[max(0, at - 4):at]) or any(span[0] == at for span, _ in out):
            continue
        clause, own = _clause_at(text, a), _clause_at(point, at)
        if _someone_else(point[own[0]:own[1]], text, clause):
            continue   # 县长刘卫东并未出席，到场的是副县长王静: the point's 王静出席 is said of another person
        # said plainly elsewhere in a clause as close to the point's as the denial's (棋院明年将把招生名额从30人增加到
        # 40人 does not answer 主办方表示明年参赛名额将增加 where 参赛名额不会增加)
        mine = _words_of(point[own[0]:own[1]])
        denied = len(mine & _words_of(text[clause[0]:clause[1]]))
        plain = [len(mine & _words_of(page[slice(*_page_clause_at(page, k))]))
                 for k in (x.start() for x in re.finditer(re.escape(word), page))
                 if not fact_rules.negation_cues(page[max(0, k - 4):k])]
        if not plain or max(plain) < denied:
            out.append(((at, at + 2), j))
    return out


def _denied_cjk_objects(point: str, denials: list, page: str) -> list:
    """[(span, passage)] of what a point's plain clause says was done (考古队已出土了青铜器) to a thing the passage it
    rests on names only after a denial (至今未发现青铜器), where the page never names that thing outside a denial: at
    least two of the thing's characters pairs, and the point's clause without a denial of its own."""
    out = []
    for text, j, a, verb in denials:
        thing = text[verb.end():_clause_at(text, a)[1]]
        found = [(point.find(w), w) for w in (thing[i:i + 2] for i in range(len(thing) - 1))
                 if re.fullmatch(f"[{HAN}]{{2}}", w) and not set(w) & set(CJK_FUNCTION_CHARS) and w in point]
        found = [(at, w) for at, w in found
                 if not fact_rules.negation_cues(point[slice(*_clause_at(point, at))])
                 and all(_denied_at(page, k) for k in (x.start() for x in re.finditer(re.escape(w), page)))]
        if len({w for _, w in found}) >= 2:
            at = min(at for at, _ in found)
            if not any(span[0] == at for span, _ in out):
                out.append(((at, at + 2), j))
    return out


# What a Chinese page sets aside for what it says (从美国借来，而不是从加拿大): the thing after 而不是 or 而非, past a
# preposition, to the clause's end.
_ASIDE = "(?:而不是|而非)(?:从|從|在|由|向|与|與|和|用|靠|为|為)?"
_CONTRAST = re.compile(f"{_ASIDE}(?P<thing>[{HAN}]{{2,8}}?)(?=[，,。；;、]|$)")
_SET_ASIDE = re.compile(f"(?:{_ASIDE}|不是|并非|並非)$")


def _contrasted_away(point: str, context: list, window: list, page: str) -> list:
    """[(span, passage)] of a thing the point says plainly (霸王龙骨架从加拿大借来) that the passage it rests on sets
    aside (而不是从加拿大) and the page names nowhere else."""
    out = []
    for pf, j in zip(context, window):
        for m in _CONTRAST.finditer(pf.text):
            thing = m.group("thing")
            at = point.find(thing)
            if at < 0 or fact_rules.negation_cues(point[slice(*_clause_at(point, at))]) or page.count(thing) > 1 \
                    or _SET_ASIDE.search(point, 0, at):
                continue   # denied, named elsewhere, or set aside by the point too
            if not any(span[0] == at for span, _ in out):
                out.append(((at, at + len(thing)), j))
    return out


# English: what a page's clause sets aside after a comma ("reflected the cost of electricity, not its own margin", "the
# council, rather than the club, will pay"): the words up to the clause's end.
_CONTRAST_EN = re.compile(r"(?:,\s*not|\brather than|\binstead of)\s+(?!(?:only|just|least|yet|even|because|until|since|"
                          r"when|if|all|every|always|necessarily|so|as|to|that|in|on|at|for|by|from|with)\b)"
                          r"(?P<thing>[a-z][a-z' -]{2,40}?)(?=\s*(?:[,.;:]|\band\b|$))")


def _contrasted_away_en(point: str, context: list, window: list, page: str) -> list:
    """[(span, passage)] of words the point says plainly ("the price rise reflected its own margin") that the passage
    it rests on sets aside ("…, not its own margin") and the page says nowhere else: _contrasted_away in English."""
    out = []
    folded_point, folded_page = point.casefold(), page.casefold()
    for pf, j in zip(context, window):
        for m in _CONTRAST_EN.finditer(pf.text):
            thing = m.group("thing").strip().casefold()
            at = folded_point.find(thing)
            if len(thing.split()) < 2 or at < 0 or folded_page.count(thing) > 1 \
                    or fact_rules.negation_cues(point[slice(*_clause_at(point, at))]) \
                    or _SET_ASIDE_EN.search(point[max(0, at - 40):at] + " ") or ", not" in point[max(0, at - 8):at]:
                continue   # denied, named elsewhere, or set aside by the point too
            if not any(span[0] == at for span, _ in out):
                out.append(((at, at + len(thing)), j))
    return out


def _denied_at(text: str, at: int) -> bool:
    """Whether position `at` of `text` follows a denial in its clause (至今未发现青铜器: 青铜器 is denied)."""
    start, end = _page_clause_at(text, at)
    return _first_denial(text, start, end) <= at


@functools.lru_cache(maxsize=4096)
def _first_denial(page: str, start: int, end: int) -> int:
    """Where the first denial of the page's clause page[start:end] ends (past `end` when it has none): read once
    per clause."""
    cues = fact_rules.negation_cues(page[start:end])
    return start + cues[0][1] if cues else end + 1


# A clause that supposes rather than says ("sales of $1.5 billion if the drug is approved").
_SUPPOSING = re.compile(r"\b(?:if|unless|whether)\b", re.IGNORECASE)


def _supposed(text: str) -> set:
    """The English stems of `text` said only as a supposition: after "if", "unless" or "whether" in its clause."""
    out = set()
    for m in _SUPPOSING.finditer(text):
        end = _CLAUSE_END.search(text, m.end())
        clause = text[m.end():end.start() if end else len(text)]
        out |= {_stem(u) for u in content_units(clause) if u.isascii() and u.isalpha()}
    return out


def _words_of(text: str) -> set:
    """The content units of `text` that say something alone: CJK bigrams and whole Latin words, not single
    characters."""
    return {u for u in content_units(text) if len(u) > 1}


def _someone_else(point: str, sentence: str, clause: tuple) -> bool:
    """Whether the point's clause names a person (a family name and one or two characters) whom the page's sentence
    names outside `clause`, the clause of its denial, and not inside it."""
    inside = sentence[clause[0]:clause[1]]
    for i, ch in enumerate(point):
        if ch in FAMILY_NAMES:
            for name in (point[i:i + 3], point[i:i + 2]):
                if point[i + len(name):i + len(name) + 1] in _PLACE_ENDS or name[-1] in _PLACE_ENDS:
                    continue   # 龙窑村 is a village, no person 龙窑
                if "的" in point[i + len(name):i + len(name) + 3]:
                    continue   # 孙浩创作的这首作品: the person says whose the subject is, and is not it
                if len(name) >= 2 and name in sentence and name not in inside:
                    return True
    return False


# The last character of a place or a body's name, which a person's name does not go on with.
_PLACE_ENDS = frozenset("村镇鎮乡鄉县縣市省区區路街巷山河江湖港站馆館院厂廠园園寺桥橋岛島湾灣")


# A Chinese clause that only says who says or promises what the next one says: 雪峰体育承诺，…
_FRAME = re.compile(f"^[{HAN}·]{{2,14}}?(?:承诺|承諾|表示|说|說|称|稱|认为|認為|介绍|介紹|指出|透露|宣布|强调|強調)$")


# A clause that is a name alone: the subject before its apposition ("Tamsin Logistics, which lost the bid, keeps").
_NAME_ALONE = re.compile(r"\s*(?:The\s+)?[A-Z][\w'’&.-]*(?:\s+(?:of\s+|&\s+)?[A-Z][\w'’&.-]*)*\s*")


def _negation_conflicts(point: str, context: list, window: list) -> tuple:
    """([(span, page passage)] of point clauses whose polarity differs from the page clause they match best,
    unless another clause of the point matches that page clause with its polarity ("According
    to Mei Olsen, no books were removed" against "Mei Olsen said the library did not remove any
    books": the second clause carries the denial), [those of plain point clauses that the page clause after their
    best match denies (_denied_in_next_clause)])."""
    page_clauses = [(units, denials, j, text) for pf, j in zip(context, window)
                    for units, denials, text, _ in pf.denial_clauses]
    subjects = [subject for pf in context for *_, subject in pf.denial_clauses]
    if not page_clauses:
        return [], []
    matched = []  # (point clause span, its cues, page clause index, page clause negated, matched with its subject)
    for s, e in _clauses(point):
        clause = point[s:e]
        units = set(content_units(clause))
        if len(units) < 2 or _FRAME.match(clause.strip()) or _NAME_ALONE.fullmatch(clause) or _SET_AGAINST.match(clause):
            continue   # a frame (镇长吴晓峰表示，), a name before its apposition ("Tamsin Logistics, which …") or a contrast
            # ("…, not the 20 it promised") says nothing itself
        overlap, k = max((len(units & u) / len(units), k) for k, (u, *_) in enumerate(page_clauses))
        by_subject = overlap < 0.5
        if by_subject:
            # no clause matches alone: one with two of its words whose subject, named in the clauses before it, is the
            # point's may ("Dr Achebe said the inhaler was a cure" against "Dr Helen Achebe, MedBuy's chief pharmacist,
            # said the inhaler was not a cure")
            overlap, k = max(((len(units & (u | subjects[k])) / len(units), k) for k, (u, *_) in enumerate(page_clauses)
                              if len(_words_not_times(units & u)) >= 2 and units & subjects[k]), default=(overlap, k))
        # half the clause's words (more where the subject before is counted), and two at least: one word shared
        # ("first served", "the first round") is no match
        if overlap >= (_MIN_SUBJECT_OVERLAP if by_subject else 0.5) and len(units & page_clauses[k][0]) >= 2 \
                and _matches_past_frame(units, page_clauses[k]):
            cues = [(a, b) for (a, b), root in zip(fact_rules.negation_cues(clause), _clause_denials(clause))
                    if root is None or root in set(content_units(point))]
            if _cancelled(cues, clause):
                cues = []   # "would not stop selling it": it goes on selling
            # A "non-" word denies only its root: "a nonprofit laboratory" denies nothing of
            # "Priya Nair" (the point must say the root, "profit", for it to count).
            denies = lambda i: any(root is None or root in units for root in page_clauses[i][1]) and \
                not _cancelled(page_clauses[i][1], page_clauses[i][3])  # noqa: E731
            # of clauses that match as well, one denying it answers a point's denial ("Not mainly pesticides":
            # "Not mainly, say the researchers", not "found pesticide levels above the threshold")
            alike = [i for i, (u, *_) in enumerate(page_clauses)
                     if cues and len(units & u) / len(units) == overlap and denies(i)]
            k = alike[-1] if alike else k
            matched.append(((s, e), cues, k, denies(k), by_subject))
    explained = {k for _, cues, k, negated, _ in matched if bool(cues) == negated}
    conflicts, further_on = [], []
    for (s, e), cues, k, negated, by_subject in matched:
        turned = _turned_before(point[s:e], page_clauses[k][3])
        if turned:
            conflicts.append(((s + turned[0], s + turned[1]), page_clauses[k][2]))
            continue
        if not cues and not negated and _denied_in_next_clause(point[s:e], page_clauses, k):
            # "The authority said it would take action": the page's "said the airline had given notice and that it
            # would not be taking any action", whose first clause the point's matches best
            further_on.append((_clause_words(point, s, e), page_clauses[k][2]))
            continue
        if cues and negated and _denies_another_word(point[s:e], page_clauses[k][3]):
            # "has decided not to appeal" against "has not decided whether to appeal"
            conflicts += [((s + a, s + b), page_clauses[k][2]) for a, b in cues]
            continue
        if bool(cues) == negated or k in explained:
            continue
        if not cues and _NOT_ONLY.search(point[s:e]) and _ONLY_DENIED.search(page_clauses[k][3]):
            continue   # "不仅展销，还安排了…" is the page's "并非只有展销"
        if _DATED_DENIAL.search(point[s:e]) and _DATED_DENIAL.search(page_clauses[k][3]):
            continue   # "will not call until the dispute ends" both ways: the page's words between read as a denial
        if cues and _denied_alike(point[s:e], cues, page_clauses, page_clauses[k][2]):
            continue   # "did not answer the forum's criticism": the page's "did not respond to that criticism"
        if cues and _denied_in_the_same_words(point[s:e], cues, page_clauses):
            continue   # 丰源食品公司不会提高收购价: the page's "但不会提高收购价格", its subject named in the clause before
        if cues and _denied_opposite(point[s:e], page_clauses[k][3]):
            continue   # "flights will not be allowed at night": the page's "a ban on night flights"
        if not cues and _denied_opposite(page_clauses[k][3], point[s:e]):
            continue   # "the office would stay in Leeds": the page's "would not move the office out of Leeds"
        plain, denying = (page_clauses[k][3], point[s:e]) if cues else (point[s:e], page_clauses[k][3])
        if _held_steady(plain, denying):
            continue   # "bills are frozen for two years": the page's "bills will not rise in the first two years"
        passage = page_clauses[k][2]
        if by_subject:   # a looser match: the whole clause, where no finer check finds the denied word
            further_on.append((_clause_words(point, s, e), passage))
        elif cues:
            conflicts += [((s + a, s + b), passage) for a, b in cues]
        else:
            conflicts.append((_clause_words(point, s, e), passage))
    return conflicts, further_on


# Two denials that cancel: "would not stop selling", "did not fail to pay", "never refused to meet".
_DOUBLE_DENIAL = re.compile(r"\b(?:not|never|n['’]t)\s+(?:[a-z]+\s+)?(?:stop(?:s|ped)?|cease[sd]?|fail(?:s|ed)?\s+to|"
                            r"refus(?:e|es|ed)\s+to|declin(?:e|es|ed)\s+to)\b", re.IGNORECASE)


# "would not sail to Antarctica before the summer": facts reads it as no denial but a time (it sails then, or later),
# so a point's "would sail … before the summer" is its opposite, as is a point's "not … before" for the page's "before".
_NOT_BEFORE = re.compile(r"(?:\b(?:not|never|no|none|nothing|nobody|without)\b|n['’]t\b)(?:\s+[a-z]+){0,3}?\s+before\b",
                         re.IGNORECASE)
_BEFORE = re.compile(r"\bbefore\b", re.IGNORECASE)


def _turned_before(clause: str, page_clause: str):
    """(start, end) in the point's clause of its "before" or "not … before" where the page's clause says the other one
    of the same time (the words after "before" shared), or None."""
    mine, theirs = _BEFORE.search(clause), _BEFORE.search(page_clause)
    if not mine or not theirs:
        return None
    if not set(content_units(clause[mine.end():])) & set(content_units(page_clause[theirs.end():])):
        return None   # "before" of another time
    denied = _NOT_BEFORE.search(clause)
    if bool(denied) == bool(_NOT_BEFORE.search(page_clause)):
        return None
    return denied.span() if denied else mine.span()


# "Not only" said two ways: 不仅 (not a denial) in a point and the page's denied "only", 并非只有.
_NOT_ONLY = re.compile(r"不仅|不僅|不只|不光|不单|不單")
_ONLY_DENIED = re.compile(r"(?:并非|並非|不是|不)(?:只|仅|僅|单单|單單)")


# A clause that opens on "not the …" sets one thing against another ("had 12 welders on site, not the 20 it
# promised"): it denies nothing the page says.
_SET_AGAINST = re.compile(r"\s*not\s+(?:by\s+)?(?:the|a|an|its|their)\s", re.IGNORECASE)


# Where an English denial's reach begins and ends: a relative or a subordinate clause ("a family firm from Portnessan
# that had never restored a listed building"; "had no plans to meet them before the new quota takes effect"). After
# the denial "that" goes on with it ("did not find evidence that the lake is at risk").
_SCOPE_START = re.compile(r"\b(?:that|which|who|whose|before|after|once|while|because|when)\b")
_SCOPE_END = re.compile(r"\b(?:which|who|whose|before|after|once|while|because|when)\b")


# A denial that dates its event ("will not call at Kessling at all until the dispute ends"): facts reads "not …
# until" as a time only across a few words, so the point and the page may say one thing on either side of that line.
_DATED_DENIAL = re.compile(r"\b(?:not|n['’]t)\b[^,;.]*\b(?:until|before)\b", re.IGNORECASE)


def _denial_clauses(text: str) -> list:
    """[(its content units with its frame's, its denials, its text, the units of the subject the clauses before it name
    where it opens on its verb)] of each piece of a page sentence a denial's reach divides its clauses into
    (_denial_scopes); none for a question ("Is it pesticides?" affirms and denies nothing)."""
    if text.rstrip().endswith(("?", "？")):
        return []
    out, frame, before = [], set(), set()
    for s, e in _clauses(text):
        units = set(content_units(text[s:e]))
        subject = before if _OPENS_ON_VERB.match(text, s) else set()
        for a, b, denials in _denial_scopes(text, s, e):
            piece = set(content_units(text[a:b]))
            if piece:
                # what "雪峰体育承诺，" frames is said of 雪峰体育: the clause after it is read with the frame's words
                out.append((piece | frame, denials, text[a:b], subject))
        frame = units if _FRAME.match(text[s:e].strip()) else set()
        before = set() if text[e:e + 1] in ".!?;" else before | units
    return out


# A clause set against the one before, with a subject and a verb of its own ("although three routes will be shortened").
_CONCEDING = re.compile(r"\b(?:although|though|while|whereas|but|yet)\s*$", re.IGNORECASE)
_MIN_SUBJECT_OVERLAP = 0.6
_MONTH_UNITS = frozenset(month[:3] for month in fact_rules.MONTHS)   # the stems content_units leaves of month names


def _words_not_times(units: set) -> set:
    """The units that are words, not a number nor a month ("will start on 30 June" shares only a time with a point)."""
    return {u for u in units if not any(ch.isdigit() for ch in u) and u[:3] not in _MONTH_UNITS}


# A clause that opens on its verb, its subject in the clauses before ("Kellerby, which is based in Leeds, is no longer
# its supplier"; "Dr Helen Achebe, MedBuy's chief pharmacist, said the inhaler was not a cure").
_OPENS_ON_VERB = re.compile(r"\s*(?:said|says|told|added|is|was|are|were|has|have|had|will|would|could|can|did|does|"
                            r"remains?|remained)\b")


def _denial_scopes(text: str, start: int, end: int) -> list:
    """[(start, end, _clause_denials of the piece)] of the pieces of the clause text[start:end] a denial's reach splits
    it into: before the subordinate clause holding the denial, that clause, and after it; the whole clause where it
    denies nothing or is not English. The clause's cues are read once where it has none, as most have."""
    cues = fact_rules.negation_cues(text[start:end])
    if not cues:
        return [(start, end, [])]
    if re.search(f"[{HAN}]", text[start:end]):
        return [(start, end, _clause_denials(text[start:end]))]
    first, last = cues[0][0] + start, cues[-1][1] + start
    scope_start = max((m.start() for m in _SCOPE_START.finditer(text, start, first)), default=start)
    scope_end = next((m.start() for m in _SCOPE_END.finditer(text, last, end)), end)
    return [(a, b, _clause_denials(text[a:b]))
            for a, b in ((start, scope_start), (scope_start, scope_end), (scope_end, end)) if b > a]


def _matches_past_frame(units: set, page_clause: tuple) -> bool:
    """Whether a point clause's `units` share three words, not characters, with a page clause read with its frame
    (_FRAME) outside the frame's own: 南京大学学生合唱团的指挥是郑凯 is no match for 南京大学学生合唱团的指挥郑凯表示，团队没有
    拿到第一, which shares nothing past its frame."""
    own = set(content_units(page_clause[3]))
    return own == page_clause[0] or sum(len(u) > 1 for u in units & own) >= 3


def _clause_words(point: str, s: int, e: int) -> tuple:
    """(start, end) of the clause point[s:e] without its outer spaces and closing punctuation: the span flagged."""
    clause = point[s:e]
    return s + len(clause) - len(clause.lstrip()), s + len(clause.rstrip(" .。!！?？"))


def _denied_in_next_clause(clause: str, page_clauses: list, k: int) -> bool:
    """Whether the page clause right after the one an English point clause matches best, in the same passage,
    denies what the point's clause says beyond that best match: two words of it, one of them denied there."""
    if not clause.isascii() or k + 1 >= len(page_clauses) or page_clauses[k + 1][2] != page_clauses[k][2] or \
            not any(root is None for root in page_clauses[k + 1][1]):
        return False
    beyond = _denied_roots(clause).keys() - _denied_roots(page_clauses[k][3]).keys()
    theirs = _denied_roots(page_clauses[k + 1][3])
    return len(beyond & theirs.keys()) >= 2 and any(theirs[w] for w in beyond & theirs.keys())


def _denied_roots(text: str) -> dict:
    """{root: whether it is denied} of the English content words of `text` (_predicates), each root without its
    inflection, so that "removed" and "remove" are one word."""
    return {re.sub(r"(?:ing|ed|es|e|s|d)$", "", stem) if len(stem) > 4 else stem: denied
            for stem, _, denied in _predicates(text.strip())}


def _denies_another_word(clause: str, page_clause: str) -> bool:
    """Whether an English point clause and the page clause, both with a denial, deny different words of the ones
    they share: a word the point says plainly is the one the page denies, and none the point denies is denied there."""
    if not clause.isascii():
        return False
    mine, theirs = _denied_roots(clause), _denied_roots(page_clause)
    shared = mine.keys() & theirs.keys()
    return any(theirs[w] and not mine[w] for w in shared) and not any(mine[w] and theirs[w] for w in shared) and \
        any(mine[w] and not theirs[w] for w in shared)


def _denied_alike(clause: str, cues: list, page_clauses: list, passage: int) -> bool:
    """Whether a page clause with a denial shares two of the point clause's words, one of them after the point's own
    denial, or, in `passage` (where the clause the point matches best is), one word after it ("The association
    declined to comment" for "The association, an industry group, said it ... would not comment"): the point
    denies what the page denies, in other words than the clause it matches best."""
    if re.search(f"[{HAN}]", clause):
        return False   # two character pairs say too little
    mine = set(content_units(clause))
    denied = set(content_units(clause[cues[0][1]:]))
    return any(any(root is None or root in denied for root in roots) and denied & units
               and (len(mine & units) >= 2 or j == passage) and not _cancelled(roots, text)
               for units, roots, j, text in page_clauses)


def _cancelled(denials: list, text: str) -> bool:
    """Whether a clause's two denials cancel ("would not stop selling": it goes on selling)."""
    return len(denials) == 2 and bool(_DOUBLE_DENIAL.search(text))


def _denied_in_the_same_words(clause: str, cues: list, page_clauses: list) -> bool:
    """Whether a Chinese page clause that denies holds nearly all of what the point's clause says from its first
    denial on (不会提高收购价 in 不会提高收购价格): the point denies what the page denies, though the page clause the point
    matches best is the one naming its subject."""
    if not re.search(f"[{HAN}]", clause):
        return False
    denied = {clause[i:i + 2] for i in range(cues[0][0], len(clause) - 1) if _HAN_CHAR.match(clause, i + 1)}
    if len(denied) < _MIN_DENIED_PAIRS:
        return False
    return any(roots and len(denied & bigrams(text)) >= _SAME_DENIAL_SHARE * len(denied) for _, roots, _, text in page_clauses)


_MIN_DENIED_PAIRS = 3
_SAME_DENIAL_SHARE = 0.8


class _SaidWord(NamedTuple):
    """A word of precis.opposites as a text says it: `side` is the word's own, turned where the word is denied."""
    start: int
    end: int
    group: str
    side: int
    denied: bool


def _said_sides(text: str) -> list:
    """[_SaidWord] of the opposite_words of `text`, each said the other way where it is denied (_denied_words):
    "will not be allowed" says a ban; "did not rise", a fall or no change."""
    is_denied = _denied_words(text)
    out = []
    for a, b, group, side in opposite_words(text):
        if _NOT_JUST_BEFORE.search(text, max(0, a - 24), a) and fact_rules.NOT_UNTIL.match(text, b):
            # "would not leave the company before the programme is finished": staying until then, leaving after
            out += [_SaidWord(a, b, group, side, False), _SaidWord(a, b, group, -side, True)]
            continue
        denied = is_denied(a)
        out.append(_SaidWord(a, b, group, -side if denied else side, denied))
    return out


# A word denied until a time: said one way before it, the other way after it.
_NOT_JUST_BEFORE = re.compile(r"(?:\b(?:not|never)|n['’]t)\s+(?:(?:be|been|yet|ever)\s+)?$", re.IGNORECASE)


def _denied_opposite(clause: str, page_clause: str) -> bool:
    """Whether a word the point's clause denies is the page clause's opposite word, so both say one thing."""
    denied = {(w.group, w.side) for w in _said_sides(clause) if w.denied}
    return bool(denied & {(w.group, w.side) for w in _said_sides(page_clause)})


# Between two names that do one deed together: "Gethin Pryce and his dog Moss", "Lind, with her partner Carr".
_JOINED_DOERS = re.compile(r"(?:,? and|,? with|,? together with)(?: (?:his|her|its|their|the) [a-z]+(?: [a-z]+)?)?,? ")


# The point's name (marked \0) owning the post of the page's name that follows: "\0's chief executive, ".
_OWNER_BEFORE = re.compile(r"\0['’]s (?:[a-z-]+ ){0,5}[a-z-]+,? $")


def _joined_doers(text: str, names: list, a: str, b: str) -> bool:
    """Whether `text` joins the names of identities `a` and `b` (of `names`, a passage's names as
    (identity, name, units, start, end, …)) as doers of one deed: "Gethin Pryce and his dog Moss won"."""
    spans = {identity: [] for identity in (a, b)}
    for identity, _, _, start, end, *_ in names:
        if identity in spans:
            spans[identity].append((start, end))
    return any(_JOINED_DOERS.fullmatch(text, e1, s2) for x, y in ((a, b), (b, a))
               for _, e1 in spans[x] for s2, _ in spans[y] if e1 <= s2)


# Words for an amount kept where it is: what a denied rise or fall says ("will not rise": frozen).
_STEADY = re.compile(r"\b(?:frozen|freez(?:e|es|ing)|froze|flat|steady|stable)\b", re.IGNORECASE)


def _held_steady(plain: str, denying: str) -> bool:
    """Whether `plain` says an amount stays where it is (frozen, flat) and `denying` denies it a rise or a fall."""
    return bool(_STEADY.search(plain)) and any(w.denied and w.group == "direction" for w in _said_sides(denying))


# Words that make a claim a record or a first ("the first woman to lead", "a record fee", 史上最大, 最年轻: 最 and
# the character it makes a superlative of): a summary adds
# them where the page has none, and every other word of the point may be the page's. Not "most" ("most of the
# bill" says a share) nor "best" or "history" ("the best time in its history" for a course record).
_SUPERLATIVE = re.compile(
    r"(?i)\b(?:first|largest|biggest|highest|lowest|longest|oldest|youngest|newest|fastest|tallest|smallest|worst|"
    r"record|ever(?! since)|historic|unprecedented)\b"
    r"|首次|第一次|首个|首個|首家|首位|最[\u4e00-\u9fff]|历史上|歷史上|史上|纪录|紀錄|唯一")


# Records said in one another's words: the biggest gift is the page's largest.
_SAME_RECORD = {w: group for group in (("largest", "biggest", "greatest"), ("highest", "tallest"), ("smallest", "tiniest"),
                                       ("lowest", "cheapest"), ("首次", "第一次", "头一次", "頭一次", "首度"))
                for w in group}
# A record said in a phrase: "answered 74 calls in 2024, more than in any previous year" is "a record 74 calls".
_RECORD_PHRASE = re.compile(r"\b(?:more|higher|larger|bigger|greater|fewer|lower) than (?:in )?any (?:previous|earlier|other) "
                            r"(?:year|season|month|week|day|time)|\b(?:most|highest) (?:ever|on record)\b"
                            r"|\bnever (?:before|been so)\b", re.IGNORECASE)


# A cause the point gives ("the deficit was caused mainly by the rent", 因为…): the passage it rests on must give
# one too, in any words (so, after, led to, 导致 ...); every other word of the point may be the page's.
_CAUSE_CLAIM = re.compile(r"(?i)\b(?:caused|because|due to|owing to|as a result of|led to|leads to|blamed on)\b"
                          r"|因为|因為|由于|由於|导致|導致|造成")
_CAUSE_SAID = re.compile(r"(?i)\b(?:caus\w*|because|due to|owing to|thanks to|result\w*|led to|leading to|"
                         r"therefore|thus|why|reason\w*|blam\w*|driven by|fuell?ed by|trigger\w*)\b|, so\b"
                         r"|因为|因為|由于|由於|所以|因此|导致|導致|造成|使得|原因")


# "is due to open", "was due to shine": a date set, not a cause ("was due to the storm", "due to heavy rain" are).
_DUE_ON_A_DATE = re.compile(r"(?i)\b(?:is|are|was|were|be|been)(?: now| also| still)? due to (?!(?:the|an?|its|their|his|"
                            r"her|this|that|these|those|heavy|poor|bad|high|low|lack)\b)[a-z]+")


def _causes_not_in(point: str, passages: str) -> list:
    """(start, end) of a cause the point claims where the passages it rests on say of no cause at all."""
    if _CAUSE_SAID.search(passages):
        return []
    dated = [m.span() for m in _DUE_ON_A_DATE.finditer(point)]
    return [m.span() for m in _CAUSE_CLAIM.finditer(point) if not any(a <= m.start() < b for a, b in dated)]


def _superlatives_not_in(point: str, page: str) -> list:
    """(start, end) of each record or first the point claims in a word the page never uses; a Chinese 最 with what
    it is said of (全省最大的湿地公园: 最大 and 湿地 within a few characters), since 最大 alone is in many pages."""
    claims = list(_SUPERLATIVE.finditer(point))
    folded = page.casefold() if claims else ""   # most points claim none: the page is not folded for them
    out = []
    for m in claims:
        word = m.group(0).casefold()
        if _BOUND.match(point, m.start()):
            continue   # 最多能载约1900人, 最高售价24.8万元: a bound on a number, not a record
        measured = word.startswith("最") and _MEASURED_RECORD.match(point, m.end())
        if measured and measured.group(1) in page:
            continue   # 最深的钻孔达到210米, 最忙的时候…一百二十名工人: the page's number says the record; the number check reads it
        if word.startswith("最") and _PEAK_TIME.match(point, m.end() - 1):
            continue   # 施工最忙的时候，工地上有一千一百多名工人: when the work peaked, not a record; its number is checked
        if word == "record" and _RECORD_PHRASE.search(page):
            continue   # the page says the record in a phrase ("more than in any previous year")
        if not any(re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", folded) for w in _SAME_RECORD.get(word, (word,))):
            out.append(m.span())
        elif word.startswith("最"):
            of = _SAID_OF.match(point, m.end())
            if of and not re.search(rf"{re.escape(word)}.{{0,3}}{re.escape(of.group(1))}", page):
                out.append(m.span())
    return out


# 最多, 最高 … with a number a few characters on: an upper or lower bound, as "at most" is.
_BOUND = re.compile(r"最[多少高低长短][^\d一二三四五六七八九十两，。；]{0,5}[约近]?[\d一二三四五六七八九十两]")
# A number a few characters after a Chinese superlative, in its clause: the record measured (最快进尺410米).
_MEASURED_RECORD = re.compile(r"[^，,。；;\d]{0,10}?(\d[\d.]*)")
# 最忙的时候, 最繁忙的时期: the time something peaked (the character after 最 on).
_PEAK_TIME = re.compile("[\u4e00-\u9fff]{1,2}的?(?:时候|時候|时期|時期|时段|時段|阶段|階段)")
# What a Chinese superlative is said of: the two characters after it, past 的 (最大的湿地公园: 湿地).
_SAID_OF = re.compile("的?([\u4e00-\u9fff]{2})")


_LATIN_WORD = re.compile("[A-Za-z]{4}")


def _predicates(text: str) -> list:
    """[(stem, (start, end), denied)] of the English content words of `text` ("travel" of "travelled": a doubled
    last consonant made single), denied as _denied_words reads them."""
    is_denied = _denied_words(text)
    spans: list = []
    out = []
    for unit, (s, e) in zip(content_units(text, spans), spans):
        if unit.isascii() and unit.isalpha():
            out.append((_stem(unit), (s, e), is_denied(s)))
    return out


def _denied_words(text: str):
    """A test of whether the word of `text` starting at a position is denied: an English word when a negation cue
    stands a few characters before with only auxiliaries between ("did not travel", "has not been approved"; not
    "not in the town hall") or a denied subject's clause holds it ("No regulator has approved"); a Chinese word
    right after its cue, or one character on (不同意, 没有批准, 未再批准)."""
    cancelled = [m.span() for m in _DOUBLE_DENIAL.finditer(text)]   # "would not stop selling" denies nothing
    cues = [b for a, b in fact_rules.negation_cues(text)
            if not text[a:b].lower().startswith("non") and not any(x <= a < y for x, y in cancelled)]
    regions = _denied_by_subject(text)

    def is_denied(s: int) -> bool:
        if not text[s:s + 1].isascii():
            return any(0 <= s - b <= 1 for b in cues)
        return any(0 <= s - b <= DENIAL_REACH and _only_auxiliaries(text[b:s]) for b in cues) or \
            any(a <= s < b for a, b in regions)
    return is_denied


# A thing set aside by a contrast: a point's "the government rather than Calder will pay" denies Calder as the
# page's "the government, not Calder, would pay" does.
_SET_ASIDE_EN = re.compile(r"\b(?:rather than|instead of)\s+(?:the\s+|a\s+|an\s+)?", re.IGNORECASE)


def _set_aside(text: str) -> set:
    """Where each English word that a contrast sets aside starts (Calder of "rather than Calder")."""
    return {m.end() for m in _SET_ASIDE_EN.finditer(text)}


# A subject denied as a whole ("none of them has ever been published", "Neither the volunteers nor the doctors
# knew", "no other copies are known to survive", "the agency said no one was known to have fallen ill") denies what is
# said of it: its verb and what follows.
_DENIED_SUBJECT = re.compile(r"(?:^|(?<=[,;:]\s)|(?<=\band\s)|(?<=\bbut\s)|(?<=\bsaid\s)|(?<=\bsays\s)|(?<=\bthat\s))"
                             r"(?:[Nn]one of|[Nn]either|[Nn]obody|[Nn]o one|[Nn]o)\b"
                             r"(?! (?:more|less|fewer|later|earlier|sooner|longer|further)\b)")   # "no more than 30%"
# Where that subject ends: an auxiliary, or a verb in the past ("died", "knew").
_VERB_START = re.compile(r"\b(?:is|are|was|were|has|have|had|will|would|can|could|did|does|do|may|might|must|should|"
                         r"[a-z]+ed|knew|went|came|got|took|saw|made|said|told|found|left|kept|held|won|lost|paid)\b")
_CLAUSE_END = re.compile(r"[,;:.!?]")
_LATIN_RUN = re.compile(r"[A-Za-z]+")
_ARTICLES = frozenset(("a", "an", "the"))
_AUXILIARY_VERBS = frozenset("is are was were has have had will would can could did does do may might must should".split())


def _denied_by_subject(text: str) -> list:
    """(start, end) of what a denied subject's clause says of it (see _DENIED_SUBJECT)."""
    out = []
    for m in _DENIED_SUBJECT.finditer(text):
        end = _CLAUSE_END.search(text, m.end())
        end = end.start() if end else len(text)
        verb = _VERB_START.search(text, m.end(), end)
        if verb:
            # the verb, through its auxiliaries ("has ever been published"), not its object ("approved the drug")
            words = _LATIN_RUN.finditer(text, verb.start(), end)
            last = next((w for w in words if w.group(0).lower() not in _AUXILIARIES | _AUXILIARY_VERBS), None)
            out.append((verb.start(), last.end() if last else end))
    return out


def _denied_of_nothing_else(text: str, stem: str, stems: set) -> bool:
    """Whether what `text` denies with `stem` ("has not been charged", "did not need the light") is said of nothing
    the point does not name: no word after it in its clause, or a pronoun, or only words among the point's `stems`."""
    for m in re.finditer(rf"(?i)\b{re.escape(stem)}\w*", text):
        if not fact_rules.negation_cues(text[max(0, m.start() - 24):m.start()]):
            continue
        rest = re.split(r"[,;:.!?]", text[m.end():], maxsplit=1)[0]
        after = {_stem(u) for u in content_units(rest) if u.isalpha()} - _PRONOUNS
        return after <= stems
    return False


_PRONOUNS = frozenset("that this it them these those".split())


def _stem(unit: str) -> str:
    """A content unit with a doubled last consonant made single: "travell" (travelled) is "travel"."""
    return unit[:-1] if len(unit) > 4 and unit[-1] == unit[-2] and unit[-1] not in "aeiouys" else unit


# What may stand between a denial and the word it denies ("has not been approved", "not yet approved", "did not
# even travel"); a preposition or article there ("not in the town hall") makes it a contrast of places or things.
_AUXILIARIES = frozenset("be been being yet ever always to have had also even fully".split())


def _only_auxiliaries(between: str) -> bool:
    return all(word in _AUXILIARIES for word in re.findall(r"[a-z]+", between.lower()))


def _opposite_conflicts(point: str, context: list, window: list) -> list:
    """[(span, (reason, passage), by a denial)] of words of the point that say its event the other way from the page sentence
    it matches best among those that speak of it ("accepted" where the page's Commission "rejected" the claim,
    下降 for 上涨; precis.opposites): that sentence says it only the other way, the point's clause only its way.
    A denied word says its event the other way ("not allowed" is the page's "ban"): "by a denial" when the point's
    word or the page's is denied."""
    page_sentences = _window_sentences_with(context, window, _said_sides)
    out = []
    for s, e in _clauses(point):
        clause = point[s:e]
        words = _said_sides(clause)
        units = set(content_units(_without(clause, words)))
        if not words or len(units) < 2:
            continue
        for a, b, group, side, denied in words:
            mine = {w.side for w in words if w.group == group}
            rivals = [(len(units & u) / len(units), k) for k, (u, theirs, *_) in enumerate(page_sentences)
                      if any(w.group == group for w in theirs)]
            if not rivals or mine != {side}:
                continue
            overlap, k = max(rivals)
            _, theirs, sentence, passage = page_sentences[k]
            said = [w for w in theirs if w.group == group]
            if overlap >= OPPOSITE_MIN_SHARE and {w.side for w in said} == {-side}:
                word = sentence[said[0].start:said[0].end]
                by_denial = denied or any(w.denied for w in said)
                out.append(((s + a, s + b), (f"the page says {word}", passage), by_denial))
    return out


# Seasons: one of four, not two sides ("completed in the spring" where the page says "in the autumn").
_SEASON = re.compile(r"(?<![A-Za-z])(spring|summer|autumn|winter)(?![a-z])|(春|夏|秋|冬)(?:季|天)")


def _seasons(text: str) -> list:
    """[(start, end, season)] of `text`'s seasons, each as one word of four (秋季 and autumn alike)."""
    return [(m.start(), m.end(), m.group(1) or "spring summer autumn winter".split()["春夏秋冬".index(m.group(2))])
            for m in _SEASON.finditer(text)]


def _season_conflicts(point: str, context: list, window: list) -> list:
    """[(span, (reason, passage))] of a season the point gives its event where the page sentence it matches best
    among those that give a season gives only another ("expected to be completed in the spring": "in the autumn")."""
    page_sentences = _window_sentences_with(context, window, _seasons)
    out = []
    if not page_sentences:
        return out
    for s, e in _clauses(point):
        clause = point[s:e]
        seasons = _seasons(clause)
        units = set(content_units(_without(clause, seasons)))
        if len(seasons) != 1 or len(units) < 2 or fact_rules.negation_cues(clause):
            continue
        a, b, season = seasons[0]
        overlap, k = max((len(units & u) / len(units), k) for k, (u, *_) in enumerate(page_sentences))
        _, theirs, sentence, passage = page_sentences[k]
        if overlap >= OPPOSITE_MIN_SHARE and season not in {t for *_, t in theirs}:
            word = sentence[theirs[0][0]:theirs[0][1]]
            out.append(((s + a, s + b), (f"the page says {word}", passage)))
    return out


def _window_sentences_with(context: list, window: list, read: Callable[[str], list]) -> list:
    """[(its content units without the words read, the words read, sentence, passage index)] of each window sentence
    in which read(sentence) finds words (opposite words, seasons)."""
    out = []
    for pf, j in zip(context, window):
        for s, e in sentence_spans(pf.text):
            sentence = pf.text[s:e]
            words = read(sentence)
            if words:
                out.append((set(content_units(_without(sentence, words))), words, sentence, j))
    return out


def _without(text: str, spans: list) -> str:
    for a, b, *_ in reversed(spans):
        text = text[:a] + " " + text[b:]
    return text


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


def _word_at(text: str, word: str) -> int:
    """Where `word` starts in `text` as a word, case and all (a surname as written), else -1."""
    m = re.search(rf"(?<![\w'’-]){re.escape(word)}(?![\w'’-])", text)
    return m.start() if m else -1


def _merge(spans: list) -> list:
    out: list = []
    for s, e in sorted(set(spans)):
        if out and s < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


# ---- the whole summary ---------------------------------------------------------------------

def page_bound_twin(point: str, reasons: list) -> str | None:
    """`point` with each flagged span replaced by the value the page binds there ("founded in July 2019" with "the
    page dates this to December 2019": "founded in December 2019"); None where some reason names no such value."""
    twin = point
    for reason in reasons:
        value = _PAGE_VALUE.fullmatch(reason["reason"])
        if value is None or reason["span"] not in twin:
            return None
        twin = twin.replace(reason["span"], next(v for v in value.groups() if v is not None), 1)
    return twin if twin != point else None


def _judged_passage(index: PassageIndex, point: str, also: set = frozenset()) -> str:
    """The text the judge reads `point` against: its window of passages, and the passages in `also` (a flag's)."""
    read = sorted(set(index.window(index.ranked(content_units(point)))) | {j for j in also if j >= 0})
    return " ".join(index.passages[j].text.strip() for j in read)


def ground(summary: str, page_text: str, threshold: float = SUPPORT_THRESHOLD, judge=None,
           judge_threshold: float = JUDGE_THRESHOLD, checkpoint: Callable[[], None] = lambda: None,
           judge_clear_margin: float | None = None) -> tuple:
    """(passages, groundings) for `summary` against `page_text`. judge(passage_text, point) ->
    score (precis.support_judge, the loaded model): asked about the points the lexical check
    passes, with the point's window as the passage; under `judge_threshold` the point is flagged
    as a whole. With a `judge_clear_margin`, a point flagged only because the page binds its facts
    to other values is asked about twice, as written and as the page binds it (with the passages of
    both): the flag is cleared where the point scores that margin above its twin. checkpoint() is
    called between passages and between points (the engine's stop check: it may raise to end the work)."""
    passages = split_passages(page_text)
    index = PassageIndex(passages, checkpoint)
    groundings = []
    for point in summary_points(summary):
        checkpoint()
        g = index.check(point, threshold)
        if judge is not None and g.supported:
            if judge(_judged_passage(index, point), point) < judge_threshold:
                g = replace(g, supported=False, unsupported_spans=[point],
                            reasons=[{"span": point, "reason": JUDGE_REASON, "passage": g.passage}])
        elif judge is not None and judge_clear_margin is not None and (twin := page_bound_twin(point, g.reasons)):
            passage = _judged_passage(index, point, {r["passage"] for r in g.reasons})
            if judge(passage, point) - judge(passage, twin) >= judge_clear_margin:
                g = replace(g, supported=True, unsupported_spans=[], reasons=[])
        groundings.append(g)
    return passages, groundings


def ground_as_dict(summary: str, page_text: str, threshold: float = SUPPORT_THRESHOLD, judge=None,
                   checkpoint: Callable[[], None] = lambda: None, judge_threshold: float = JUDGE_THRESHOLD,
                   judge_clear_margin: float | None = None) -> dict:
    """JSON-ready grounding for the panel: each point with its passage index and the exact
    substrings of it the page does not hold (`unsupported_spans`) with why (`reasons`); only the
    passages some point or reason uses are included."""
    passages, groundings = ground(summary, page_text, threshold, judge, judge_threshold, checkpoint=checkpoint,
                                  judge_clear_margin=judge_clear_margin)
    used = sorted({g.passage for g in groundings if g.passage >= 0}
                  | {r["passage"] for g in groundings for r in g.reasons if r["passage"] >= 0})
    return {
        "threshold": threshold,
        "points": [asdict(g) for g in groundings],
        "passages": {str(i): asdict(passages[i]) for i in used},
    }


def ground_points(summary: str, page_text: str, judge=None, judge_threshold: float = JUDGE_THRESHOLD,
                  judge_clear_margin: float | None = None) -> list:
    """The `precis ground --json` form: [{point, supported, passage: {start, end, text} | None,
    unsupported_spans}] in the order of the summary's points."""
    passages, groundings = ground(summary, page_text, judge=judge, judge_threshold=judge_threshold,
                                  judge_clear_margin=judge_clear_margin)
    out = []
    for g in groundings:
        p = passages[g.passage] if g.passage >= 0 else None
        out.append({"point": g.point, "supported": g.supported,
                    "passage": {"start": p.start, "end": p.end, "text": p.text} if p else None,
                    "unsupported_spans": list(g.unsupported_spans), "reasons": list(g.reasons)})
    return out


def failure_text(point: dict) -> str:
    """What failed in a flagged point and why, as the CLI prints it and the panel shows it:
    "2015年7月: the page dates this to 2015年12月; 不: the page says the opposite". Older results
    without `reasons` say "not in the page" for each unsupported span."""
    reasons = point.get("reasons") or [{"span": s, "reason": NOT_IN_PAGE} for s in point.get("unsupported_spans") or []]
    return "; ".join(f"{r['span']}: {r['reason']}" for r in reasons) or "not found in the page"
