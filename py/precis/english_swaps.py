"""Two names that trade places, as an English page says them. Pure stdlib.

"Tom Birch coached Hallam for eleven years before moving to Ashbury" against the page's "Birch, who coached Ashbury
for eleven years before moving to Hallam": every word and name of the point is in one sentence of the page; only
the two names stand in each other's place. Each name of the point is read with the word before it ("coached
Hallam", "to Ashbury"); where a sentence of the page that names both puts each after the other's word, and never
after its own, the point has swapped them. The grounding check (precis.grounding) asks this beside its doer and
transfer checks.

The same holds of whose a thing is: "Skyline Regional has hired 23 of Atlantic Air's pilots" against the page's
"Atlantic Air … had hired 23 of Skyline's 160 pilots" (possessive_swap_conflicts).
"""

from __future__ import annotations

import re

from precis.english_doers import same_party
from precis.english_roles import NAME

_NAMED = re.compile(NAME)
_WORD_BEFORE = re.compile(r"([A-Za-z][a-z'’-]*)\W+(?:(?:the|a|an) )?$")
# Words before a name that say nothing of its place in the sentence: a joining word, or one that opens it.
_LOOSE = frozenset("and or but with of by the a an as at in on for".split())
# Capitalized words that name no one: an article or a preposition opening the sentence.
_NOT_NAMES = frozenset("The A An In On At After Before By For From With As Under Over Since Until When While If "
                       "But And Or It Its This That These Those She He They We I".split())


def _names_with_words_before(text: str) -> dict:
    """{name: {the lower-case word right before each time `text` writes it}} (past an article), of names that are
    more than an opening article or pronoun."""
    out: dict = {}
    for m in _NAMED.finditer(text):
        name = m.group(0)
        if name in _NOT_NAMES:
            continue
        before = _WORD_BEFORE.search(text, 0, m.start())
        word = before.group(1) if before else ""
        if word and word[0].islower() and word not in _LOOSE:
            out.setdefault(name, set()).add(word)
        else:
            out.setdefault(name, set())
    return out


def swap_conflicts(point: str, sentences: list) -> list:
    """[((start, end) of a name in the point, (reason, the page's sentence))] for two names of the point that a
    sentence of the page (among `sentences`) writing both puts each after the word the point puts the other after,
    and neither after its own."""
    mine = _names_with_words_before(point)
    words = {name: list(w)[0] for name, w in mine.items() if len(w) == 1}
    names = list(words)
    out = []
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            if words[a] == words[b]:
                continue
            for sentence in sentences:
                if a not in sentence or b not in sentence:
                    continue
                theirs = _names_with_words_before(sentence)
                at_a, at_b = theirs.get(a, set()), theirs.get(b, set())
                if words[a] in at_b and words[b] in at_a and words[a] not in at_a and words[b] not in at_b:
                    start = point.find(a)
                    out.append(((start, start + len(a)), (f"the page says {words[a]} {b}", sentence)))
                    break
    return out


# "Skyline's 160 pilots": a name's possessive and the first word after it that is not a number.
_POSSESSIVE = re.compile(rf"(?P<name>{NAME})['’]s (?:[\d.,]+ )?(?P<noun>[a-z]+)")


def _possessives(text: str) -> list:
    """[(name, noun, (start, end) of the name)] of every "Name's noun" of `text`."""
    return [(m.group("name"), m.group("noun"), m.span("name")) for m in _POSSESSIVE.finditer(text)]


def page_possessives(sentences: list) -> list:
    """[(sentence, _possessives(sentence))] of the page's sentences: read once per page."""
    return [(sentence, _possessives(sentence)) for sentence in sentences]


def possessive_swap_conflicts(point: str, page_owned: list) -> list:
    """[((start, end) of the owner in the point, (reason, the page's sentence))] for "B's noun" in a point that also
    names A, where a sentence of the page naming B writes "A's noun" and no sentence of the page writes "B's noun":
    the two parties trade the thing owned. `page_owned`: page_possessives of the page's sentences."""
    out = []
    for owner, noun, span in _possessives(point):
        others = [m.group(0) for m in _NAMED.finditer(point) if m.group(0) not in _NOT_NAMES
                  and not same_party(m.group(0), owner) and not (span[0] <= m.start() < span[1])]
        if not others or any(same_party(o, owner) and n == noun for _, owned in page_owned for o, n, _ in owned):
            continue
        for sentence, owned in page_owned:
            theirs = [o for o, n, _ in owned if n == noun]
            swapped = next((o for o in theirs for other in others if same_party(o, other)), None)
            if swapped and any(same_party(m.group(0), owner) for m in _NAMED.finditer(sentence)):
                out.append((span, (f"the page says {swapped}'s {noun}", sentence)))
                break
    return out
