"""Who said it, as an English page tells it: "Corvane's UK director, Marcus Lindqvist, said the company had accepted
a lower price". Pure stdlib.

A point that puts another person's name on the words ("Sunita Rao said Greenvault has no plans to sell directly to
shoppers" where the page has Brandt say it) has every word in the page; only the speaker is wrong. The page's
sayings are read once: each named speaker (by name, or by the name in apposition after a post) with the words of
what they said. A point's saying whose words one page speaker said, and its own speaker never did, gives them to
another. The Chinese counterpart is precis.cjk_doers.speaker_conflicts; the grounding check (precis.grounding)
asks both.
"""

from __future__ import annotations

import re

from precis.english_roles import NAME, same_person
from precis.text_units import content_units

_SAYS = r"(?:said|says|told|added|argued|warned|claimed|explained|insisted|admitted|stressed|noted)"
# "<name> said" or "<name>, <who they are>, said"; "<a post>, <name>, said". What they said runs to the sentence's end.
_SAYING = re.compile(
    rf"(?:(?P<speaker>{NAME})(?:, [^,.;]{{2,70}},)?|, (?P<named>{NAME}),) {_SAYS}"
    rf"(?:(?<=told) (?:reporters|journalists|the [a-z]+))?(?: that)? (?P<said>[^.;!?]+(?:\.\d[^.;!?]*)*)")
_TITLES = frozenset({"Dr", "Mr", "Mrs", "Ms", "Prof", "Professor", "Sir", "Dame", "Judge"})
_NOT_NAMES = frozenset({"He", "She", "They", "It", "We", "I", "You", "The", "This", "That", "These", "Those", "Its",
                        "Their", "His", "Her", "Both", "Officials", "Critics", "Residents", "Analysts"})
# How much of what the point has said the page's saying must hold to be the same words, and how little of it the
# speaker's own sayings may hold for the words to be another's.
_SAME_WORDS = 0.6
_OWN_WORDS = 0.4
_MIN_UNITS = 3


def _person(speaker: str):
    """The person a speaker names, past a title ("Dr Helen Achebe": "Helen Achebe"); None for a body or a word
    that opens a sentence ("The", "It")."""
    words = [w for w in speaker.split() if w not in _TITLES]
    if not words or len(words) > 3 or words[0] in _NOT_NAMES or not all(w[:1].isupper() for w in words):
        return None
    return " ".join(words)


def _named_as_a_person(name: str, page_sayings: list) -> bool:
    """Whether a speaker is named as a person is: a first name and a surname, or the surname of a speaker the page
    names in full. A body ("Brightwave said") may speak through a person the page names, so its sayings are not
    read against theirs."""
    return " " in name or any(" " in who and who.split()[-1] == name for who, *_ in page_sayings)


def sayings(page: str) -> list:
    """[(person, content units of what they said, the words)] of each saying in the page with a named speaker."""
    out = []
    for m in _SAYING.finditer(page):
        person = _person(m.group("speaker") or m.group("named"))
        if person:
            out.append((person, set(content_units(m.group("said"))), m.group("said")))
    return out


def speaker_conflicts(point: str, page_sayings: list) -> list:
    """[((start, end) of the speaker in the point, (reason, the words as the page has them said))] for each saying of
    the point whose words a person of the page said and its own speaker never did."""
    out = []
    for m in _SAYING.finditer(point):
        group = "speaker" if m.group("speaker") else "named"
        person = _person(m.group(group))
        said = set(content_units(m.group("said")))
        if not person or len(said) < _MIN_UNITS or not _named_as_a_person(person, page_sayings):
            continue
        own, others = [], []
        for who, words, text in page_sayings:
            share = len(said & words) / len(said)
            if same_person(person, who) or same_person(who, person):
                own.append(share)
            else:
                others.append((share, who, text))
        best, who, text = max(others, default=(0.0, None, None))
        if best >= _SAME_WORDS and not any(share >= _OWN_WORDS for share in own):
            start = m.start(group) + m.group(group).find(person)
            out.append(((start, start + len(person)), (f"the page says {who} said this", text)))
    return out
