"""Whose officer a person is, as an English page says it. Pure stdlib.

"Tidewell's chief executive, Maria Okafor, said …" makes Maria Okafor Tidewell's chief executive.
A point that writes "Northmoor Bank's chief executive, Maria Okafor" names two bodies the page has,
and every word of it is somewhere in the page; only the tie of the person to the body is wrong.
The grounding check (precis.grounding) asks this after its own role check, which compares what a
name does, not whose it is.
"""

from __future__ import annotations

import re

# A name starts at a word's start (a long run of letters is scanned once, not from each of its letters).
NAME = r"(?<![\w'’&.-])[A-Z][\w'&-]*(?: (?:of |the |& )?[A-Z][\w'&-]*){0,3}"
_ROLE = r"[a-z]+(?: [a-z]+){0,2}"
# "Tidewell's chief executive, Maria Okafor", "Maria Okafor, Tidewell's chief executive", "Okafor is
# Veltra's chief executive", "Tidewell, whose chief executive, Maria Okafor, ...".
_OFFICER = (
    re.compile(rf"(?P<body>{NAME})['’]s (?P<role>{_ROLE}),? (?P<person>{NAME})"),
    re.compile(rf"(?P<person>{NAME})(?:,| (?:is|was|became|remains)) (?P<body>{NAME})['’]s (?P<role>{_ROLE})"),
    # "the Kelbridge Vaccine Institute, whose director, Professor Helen Achebe, led the study"
    re.compile(rf"(?P<body>{NAME}), whose (?P<role>{_ROLE}),? (?P<person>{NAME})"),
)


def officers(text: str) -> list:
    """[(person, body, role, (start, end) of the body)] of every "Body's role, Person" of `text`."""
    out = []
    for pattern in _OFFICER:
        for m in pattern.finditer(text):
            out.append((m.group("person"), m.group("body"), m.group("role"), m.span("body")))
    return out


def officer_conflicts(point: str, page: str, page_officers: list) -> list:
    """[((start, end) in the point, (reason, evidence))] for each person the point makes an officer the page
    does not: of another body ("the page says Maria Okafor is Tidewell's chief executive"), or in another
    person's place ("the page names Sam Hale as Veltra's chief executive"). The page names the point's body."""
    out = []
    for person, body, role, span in officers(point):
        if body not in page:
            continue   # a body the page lacks is the fact check's to flag
        theirs = [b for p, b, r, _ in page_officers if same_person(p, person) and r == role]
        holders = [p for p, b, r, _ in page_officers if _same_body(body, b) and r == role]
        if theirs and not any(_same_body(body, b) for b in theirs):
            said = f"{theirs[0]}'s {role}"
            out.append((span, (f"the page says {person} is {said}", said)))
        elif holders and not any(same_person(person, p) for p in holders):
            out.append((span, (f"the page names {holders[0]} as {body}'s {role}", holders[0])))
    return out


def same_person(a: str, b: str) -> bool:
    """One person named in full or by the surname ("Okafor" for "Maria Okafor")."""
    return a.split()[-1] == b.split()[-1]


def _same_body(a: str, b: str) -> bool:
    """One body named in full or in part ("Tidewell" for "Tidewell Power")."""
    return bool(set(a.split()) & set(b.split()))
