"""Who did it, as an active English sentence says it: "Corran bought the site in 2016". Pure stdlib.

A point that gives the deed to another party the page names ("Brightwave bought the site in 2016") has every word
in the page; only the doer is wrong. A point's clause that opens with a name and a verb names its doer; the page's
sentences that say the same deed (the same verb, most of what the point says after it) name theirs before the
verb. Where every such sentence names doers, and none of them is the point's, the point gives the deed to another.

A page sentence with no name before its verb ("she offered a scheme", "the site was bought") says nothing of
who: the point is not judged on it. The grounding check (precis.grounding) asks this beside its role and work
checks (precis.english_work: "<work> by <body>").
"""

from __future__ import annotations

import re

from precis.english_kinds import SPECIFIC_HEADS
from precis.facts import TYPE_NOUNS
from precis.english_roles import NAME
from precis.text_units import content_units, stem

# What may stand between the doer and the verb: auxiliaries and a few adverbs ("has now sold", "will also fund").
_BETWEEN = r"(?:(?:has|have|had|will|would|could|can|may|did|does|do|also|now|then|later|first|finally|still|"\
           r"already|recently|just|jointly|not|never|nevertheless|however) ){0,3}"
# A body named by its kind alone: "the municipality", "the port authority" (a kind that says which body it is).
_KIND_WORDS = SPECIFIC_HEADS | {"municipality", "government", "ministry", "police", "port"}
_KINDS = "|".join(sorted(_KIND_WORDS, key=len, reverse=True))
BY_KIND = rf"(?:[Tt]he|[Ii]ts) (?:[a-z-]+ ){{0,2}}(?:{_KINDS})\b"
# A clause that opens with its doer: "Brightwave bought", "The Marine Stock Council offered", "Corran has now sold",
# "The institute will not reopen".
_DOER_CLAUSE = re.compile(rf"^\s*(?:(?P<doer>{BY_KIND})|(?:[Tt]he )?(?P<named>{NAME})) {_BETWEEN}(?P<verb>[a-z]{{3,}})\b")
# The doer right before a verb of the page, maybe with an apposition between ("Corran Holdings, the property
# group that owns it, bought"), or named in apposition to a post ("Its chief executive, Fiona Lambert, apologised").
_DOER_BEFORE = re.compile(rf"(?P<doer>{NAME}|{BY_KIND})(?:, [^,]{{3,60}},)? {_BETWEEN}$")
_POST_THEN_DOER = re.compile(rf"(?:^|[,;:] |\b(?:and|but) )(?:[Tt]he|[Ii]ts|[Tt]heir|[Hh]is|[Hh]er|{NAME}['’]s?) "
                             rf"(?:[a-z-]+ ){{0,3}}[a-z-]+, (?P<doer>{NAME}), {_BETWEEN}$")
# A page's passive verb and its doer after "by" ("was led by the Glenmorrow Mountain Rescue Team").
_PASSIVE_BEFORE = re.compile(r"\b(?:was|were|is|are|been|be|being)\s+$")
_PASSIVE_AGENT = re.compile(rf"\s+by\s+(?:the\s+)?(?P<doer>{NAME}|{BY_KIND})")
# Verbs that say what something is, not what it did (a post or a kind: the role checks' work).
_NOT_DEEDS = frozenset("is are was were be been being has have had said says told according who which that "
                       "and but or with from for".split())
# Capitalized words that name no one: a sentence's or a name's opening article, titles.
_NOT_NAMES = frozenset("The A An In On At After Before By For From With As Under Over Since Until When While If "
                       "Mr Mrs Ms Dr Sir Professor Prof Lord Lady Judge Minister She He They It We I You This That These Those Its "
                       "Their His Her Our".split())
# Where what a verb says ends: the next clause ("bought the site in 2016 and added two stages in 2019").
_CLAUSE_END = re.compile(r"[,;:]| (?:and|but|while|whereas|after|before|when) ")
POSSESSIVE = re.compile(r"['’]s?$")
# A name alone between commas after a post ("The deputy commissioner, Martin Hale, apologised").
_APPOSED = re.compile(rf"\s*({NAME})\s*")
# A verb joined to the sentence's first one, with its subject: "signed a contract ... and ordered".
_AND_THEN = re.compile(r"[a-z0-9] and (?:then |later |also |now |soon )?$")
_OPENS_SENTENCE = re.compile(r"[.!?:\n\"“]\s*$")
# How much of what the point says after its verb the page's sentence must say after its own: the same deed (all of
# it where the point says one word: "recalled the pies").
_MIN_SHARED = 2
_MIN_SHARE = 0.5


def _ordered_key_words(name: str) -> list:
    """The capitalized words of a name that say who it is, in order ("Corran" of "Corran's"; not "The", "Dr")."""
    return [w for w in (POSSESSIVE.sub("", w) for w in name.split() if w[:1].isupper() and w not in _NOT_NAMES) if w]


def _key_words(name: str) -> set:
    return set(_ordered_key_words(name))


# Words that end many bodies' names and say only what kind each is ("Hallam Rowing Club", "Ashbury Boat Club").
_COMMON_NAME_WORDS = frozenset("club group holdings company partners capital media foods trust fund association "
                               "society union council board team rowing boat football cricket sports".split())


def _own_words(name: str) -> set:
    """The key words of a name less those many bodies' names share ("Ashbury" of "Ashbury Boat Club")."""
    return {w for w in _key_words(name) if w.lower() not in _COMMON_NAME_WORDS | _KIND_WORDS
            and w.lower() not in TYPE_NOUNS}


def _kind(doer: str):
    """The kind of body a doer named by its kind is ("the municipality": "municipality"); None for a name."""
    return doer.split()[-1].lower() if re.fullmatch(BY_KIND, doer) else None


def same_party(a: str, b: str) -> bool:
    """Whether two doers may be one party: a capitalized word in common ("Corran" for "Corran Holdings"); for one
    named by its kind, the same kind, or a name that does not end in another kind ("the institute" may be the
    Nordic Glacier Institute or Hallberg, not the Fishermen's Association)."""
    kinds = [k for k in (_kind(a), _kind(b)) if k]
    if not kinds:
        # two names of two words or more that open differently are two parties, whatever they end with ("Kinlay
        # Rescue Team", "Glenmorrow Mountain Rescue Team"; "Priya Nair", "Ravi Nair")
        words_a, words_b = _ordered_key_words(a), _ordered_key_words(b)
        if len(words_a) > 1 and len(words_b) > 1 and words_a[0] != words_b[0]:
            return False
        # the words that say which body, where both have them: "Club" makes no two clubs one
        own_a, own_b = _own_words(a), _own_words(b)
        if own_a and own_b:
            return bool(own_a & own_b)
        return bool(_key_words(a) & _key_words(b))
    if len(kinds) == 2:
        return kinds[0] == kinds[1]
    name = b if _kind(a) else a
    last = name.split()[-1].lower()
    return kinds[0] == last or last not in _KIND_WORDS


def page_name_words(text: str) -> set:
    """The key words of every name `text` gives: the parties a point's doer may be. A lone capitalized word that
    opens a sentence ("Fishing crews", "According to") names no one unless the page writes it so elsewhere."""
    out = set()
    for m in re.finditer(NAME, text):
        words = _key_words(m.group(0))
        if len(words) > 1 or not _OPENS_SENTENCE.search(text[max(0, m.start() - 4):m.start()] if m.start() >= 4
                                                        else "\n" + text[:m.start()]):
            out.update(words)
    return out | {w.lower() for w in re.findall(rf"\b(?:{_KINDS})\b", text, re.IGNORECASE)}


def _doer_before(sentence: str, at: int, names: set):
    """The name that does the verb at `at` in `sentence`: right before it ("Corran bought"), before an apposition
    ("Corran Holdings, the property group, bought"), or in apposition to a post ("Its chief executive, Fiona Lambert,
    apologised"); None where no name of the page's is there."""
    before = sentence[:at]
    found = _POST_THEN_DOER.search(before) or _DOER_BEFORE.search(before)
    if not found:
        return None
    return _known_doer(found.group("doer"), names)


def _known_doer(name: str, names: set):
    """`name` where it is a party the page names (its key words among `names`) or a body named by its kind."""
    return name if _kind(name) or _key_words(name) and _key_words(name) <= names else None


def verb_index(sentences: list) -> dict:
    """{stem: [(sentence index, start, end)]} of every lower-case word of the page's sentences, in page order: where
    each verb is ("sold", "sells": the same stem in any regular tense). Read once per page."""
    index: dict = {}
    for j, sentence in enumerate(sentences):
        for m in re.finditer(r"\b[a-z]{3,}\b", sentence):
            index.setdefault(stem(m.group(0)), []).append((j, m.start(), m.end()))
    return index


def doer_conflicts(point: str, sentences: list, page_names: set, verbs: dict) -> list:
    """[((start, end) of the doer in the point, (reason, index of the sentence))] for each clause of the point
    whose doer, a party the page names (`page_names`: their key words), the page's sentences of the same deed
    (`verbs`: verb_index of them) never name before its verb, where each of them names someone else there."""
    out = []
    clauses = list(re.finditer(r"[^,;]+", point))
    for k, m in enumerate(clauses):
        start, clause = m.start(), m.group(0)
        found = _DOER_CLAUSE.match(clause)
        named = _APPOSED.fullmatch(clauses[k - 1].group(0)) if k >= 2 and not found else None
        if named:   # "The deputy commissioner, Martin Hale, apologised": the name between the commas does it
            start, clause = clauses[k - 1].start() + named.start(1), named.group(1) + " " + clause.lstrip()
            found = _DOER_CLAUSE.match(clause)
        if not found:
            continue
        doer, verb = found.group("doer") or found.group("named"), found.group("verb")
        if verb in _NOT_DEEDS or doer.endswith(("'s", "’s")):
            continue
        if _kind(doer):
            if _kind(doer) not in page_names:
                continue   # a kind the page never uses may be its own word for the doer ("the council")
        elif not _key_words(doer) or not _key_words(doer) <= page_names:
            continue   # a name the page lacks is the name check's to say
        deed = set(content_units(_CLAUSE_END.split(clause[found.end():], 1)[0]))
        if not deed:
            continue
        other = _other_doer(doer, deed, sentences, page_names, verbs.get(stem(verb), ()))
        if other:
            name, j = other
            which = "doer" if found.group("doer") else "named"
            span = (start + found.start(which), start + found.end(which))
            out.append((span, (f"the page gives this to {name[0].lower() + name[1:] if _kind(name) else name}", j)))
    return out


def _other_doer(doer: str, deed: set, sentences: list, names: set, verb_places: list):
    """(the page's doer, sentence index) where every sentence saying the deed (at `verb_places`, the verb's
    (sentence, start, end)) names doers before its verb and none is `doer`; None where one names `doer`, or names no
    one there, or none says the deed."""
    other = None
    for j, start, end in verb_places:
        sentence = sentences[j]
        # "The rescue was led by the Glenmorrow team": the deed is the subject, the doer comes after "by"
        agent = _PASSIVE_AGENT.match(sentence, end) if _PASSIVE_BEFORE.search(sentence[:start]) else None
        said = _CLAUSE_END.split(sentence[:start])[-1] if agent else _CLAUSE_END.split(sentence[end:], 1)[0]
        shared = deed & set(content_units(said))
        if len(shared) < min(_MIN_SHARED, len(deed)) or len(shared) < _MIN_SHARE * len(deed):
            continue
        theirs = _known_doer(agent.group("doer"), names) if agent else _doer_before(sentence, start, names)
        subject_end = start   # where the words that may name the doer end
        if not theirs and not agent and _AND_THEN.search(sentence[:start]):
            # "Eastport signed a contract with Zhenhai on 8 April and ordered 12 cranes": the sentence's subject,
            # named before its first verb (Zhenhai, after it, is only the other party)
            opening = _DOER_CLAUSE.match(sentence)
            if opening and opening.group("verb") not in _NOT_DEEDS:   # not "Eastport and Calder Port …"
                theirs = _known_doer(opening.group("doer") or opening.group("named"), names)
                subject_end = opening.start("verb")
        if not theirs or same_party(doer, theirs) or not agent and not _kind(doer) and \
                (_own_words(doer) or _key_words(doer)) & _key_words(sentence[:subject_end]):
            return None
        other = other or (theirs, j)
    return other
