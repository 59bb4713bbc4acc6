"""Whose officer a person is, as an English page says it. Pure stdlib.

"Tidewell's chief executive, Maria Okafor, said …" makes Maria Okafor Tidewell's chief executive.
A point that writes "Northmoor Bank's chief executive, Maria Okafor" names two bodies the page has,
and every word of it is somewhere in the page; only the tie of the person to the body is wrong.
The grounding check (precis.grounding) asks this after its own role check, which compares what a
name does, not whose it is.

A body may be named ("Tidewell") or generic ("the museum's director, Dr Okafor"): a generic body is the
page's named one with that noun in its name ("the agency": the Environment Agency) where the page has
one, and unknown otherwise ("the company" may be any company).
"""

from __future__ import annotations

import re

# A name starts at a word's start (a long run of letters is scanned once, not from each of its letters).
NAME = r"(?<![\w'’&.-])[A-Z][\w'&-]*(?: (?:of |the |& )?[A-Z][\w'&-]*){0,3}"
_GENERIC = r"(?<![\w'’&.-])[Tt]he [a-z]{3,}"
_BODY = rf"(?:{NAME}|{_GENERIC})"
# A post's words: no verb of being or having, and no preposition but of, for and in ("head of flight operations";
# "the restoration is designed by Ruth Kavanagh", "Pryce's second win at Borderdale" name no post).
_ROLE_WORD = r"(?!(?:is|are|was|were|be|been|by|at|on|to|with|from|as|and|or|has|have|had)\b)[a-z]+"
_ROLE = rf"{_ROLE_WORD}(?: {_ROLE_WORD}){{0,3}}"
# "Tidewell's chief executive, Maria Okafor", "Maria Okafor, Tidewell's chief executive", "Okafor is
# Veltra's chief executive", "Tidewell, whose chief executive, Maria Okafor, ...": a post the body has one of.
_OFFICER = (
    re.compile(rf"(?P<body>{_BODY})['’]s (?P<role>{_ROLE}),? (?P<person>{NAME})"),
    re.compile(rf"(?P<person>{NAME})(?:,| (?:is|was|became|remains)) (?P<body>{_BODY})['’]s (?P<role>{_ROLE})"),
    # "the Kelbridge Vaccine Institute, whose director, Professor Helen Achebe, led the study"
    re.compile(rf"(?P<body>{NAME}), whose (?P<role>{_ROLE}),? (?P<person>{NAME})"),
)
# "Ratu Semi Varo, a historian at Westmoor University", "the historian Professor Alan Dreyer of Westmoor
# University": a post the body may have several of.
_MEMBER = (
    re.compile(rf"(?P<person>{NAME}), (?:an?|the) (?P<role>{_ROLE}) (?:at|of|with|for|from) "
               rf"(?:the )?(?P<body>{_BODY})"),
    re.compile(rf"(?<![\w'’])(?:[Tt]he|an?) (?P<role>{_ROLE}) (?P<person>{NAME}) (?:of|at|from) (?P<body>{_BODY})"),
    # "Harbourline Foods is the biggest buyer of Eastmoor mackerel"
    re.compile(rf"(?P<person>{NAME}) (?:is|was|remains|became) (?:an?|the) (?P<role>{_ROLE}) (?:at|of|with|for|from) "
               rf"(?:the )?(?P<body>{_BODY})"),
)


# "Its chair, Helen Marsh": the body is the last one named before ("the Marine Stock Council, the independent body that
# assesses the stock"), a name ending in a word for a body.
_ITS_OFFICER = re.compile(rf"\b(?:Its|its|Their|their) (?P<role>{_ROLE}),? (?P<person>{NAME})")
_BODY_WORDS = ("Council|Association|Union|Authority|Agency|Institute|Ministry|Department|Company|Group|Holdings|Media|"
               "Foods|Club|Society|Trust|Foundation|University|College|Museum|Bank|Fund|Partners|Ltd|plc|Inc|Committee|"
               "Commission|Board|Service|Office|Centre|Center|Federation|League|Studios|Pictures")
# The last word of a post only a person holds ("managing director", "owner"): a name right before one qualifies it
# ("the Grenholt Recycling owner" is a person, not the firm).
HUMAN_POSTS = frozenset("""
director executive chair chairman chairwoman chairperson manager owner founder head spokesman spokeswoman spokesperson
minister mayor secretary president officer editor curator coach captain principal inspector engineer architect
historian professor scientist researcher lawyer judge leader governor commissioner chancellor dean treasurer
""".split())
_NAMED = re.compile(NAME)
_ENDS_IN_BODY_WORD = re.compile(rf"\b(?:{_BODY_WORDS})$")
BODY_LOOKBACK = 400


def _body_before(text: str, at: int):
    """The last name ending in a word for a body within BODY_LOOKBACK characters before `at`, with its span."""
    last = None
    for m in _NAMED.finditer(text, max(0, at - BODY_LOOKBACK), at):
        if _ENDS_IN_BODY_WORD.search(m.group(0)):
            last = m
    return last


def officers(text: str) -> list:
    """[(person, body, role, (start, end) of the body, sole)] of every "Body's role, Person" (sole: a post the body
    has one of) and "Person, a role at Body" of `text`; a generic body in lower case ("the museum")."""
    out = []
    for m in _ITS_OFFICER.finditer(text):
        body = _body_before(text, m.start())
        if body:
            out.append((m.group("person"), body.group(0), m.group("role"), body.span(), True))
    for patterns, sole in ((_OFFICER, True), (_MEMBER, False)):
        for pattern in patterns:
            for m in pattern.finditer(text):
                body = m.group("body")
                if body[:4] in ("The ", "the "):
                    body = "the " + body[4:]
                out.append((m.group("person"), body, m.group("role"), m.span("body"), sole))
    return out


def officer_conflicts(point: str, page: str, page_officers: list, page_kinds: list = ()) -> list:
    """[((start, end) in the point, (reason, evidence))] for each person the point makes an officer the page
    does not: of another body ("the page says Maria Okafor is Tidewell's chief executive"), or in another
    person's place ("the page names Sam Hale as Veltra's chief executive": a sole post, or one the page gives this
    person no part in while it gives them another). The page names the point's body."""
    out = []
    mine = officers(point)
    if not mine:
        return out
    folded = page.casefold()
    page_names = {m.group(0) for m in _NAMED.finditer(page)}   # read once, for generic bodies (_same_body)
    named_by_kind: dict = {}   # a kind of body -> the page's names of that kind (precis.english_kinds: page_kinds)
    for name, _, head, _ in page_kinds:
        named_by_kind.setdefault(head, set()).add(name)
    same_body = lambda a, b: _same_body(a, b, page_names, named_by_kind)  # noqa: E731
    for person, body, role, span, _ in mine:
        if body.casefold() not in folded:
            continue   # a body the page lacks is the fact check's to flag
        theirs = [b for p, b, r, *_ in page_officers if same_person(p, person) and r == role]
        holders = [(p, b, sole) for p, b, r, _, sole in page_officers if same_body(body, b) and r == role]
        other_posts = [r for p, _, r, *_ in page_officers if same_person(p, person) and r != role]
        # the same person and body in a post one word apart (the biggest seller of Eastmoor mackerel, where the page
        # says buyer): a part turned round
        turned = [r for p, b, r, *_ in page_officers if same_person(p, person) and same_body(body, b)
                  and r != role and len(r.split()) == len(role.split()) == len(set(r.split()) | set(role.split())) - 1]
        if turned:
            out.append((span, (f"the page says {person} is the {turned[0]} of {body}", turned[0])))
        elif theirs and all(same_body(body, b) is False for b in theirs):
            said = f"{theirs[0]}'s {role}"
            out.append((span, (f"the page says {person} is {said}", said)))
        elif holders and not any(same_person(person, p) for p, *_ in holders) and \
                (any(sole for *_, sole in holders) or other_posts) and not theirs:
            out.append((span, (f"the page names {holders[0][0]} as {body}'s {role}", holders[0][0])))
    return out


_OWNER = re.compile(rf"(?P<body>{NAME})['’]s ")


def called_by_post(point: str, page_officers: list) -> list:
    """[((start, end) in the point, person)] of each "Body's post" the point writes for a person it does not name,
    where the page gives that post of that body to one person alone ("Ridgeway's chair" for the page's "Ridgeway's
    chair, Elaine Foster"): the longest post the page has that the point's words go on with."""
    out = []
    for m in _OWNER.finditer(point):
        rest = point[m.end():]
        posts = {(person, role) for person, body, role, _, sole in page_officers
                 if sole and body.casefold() == m.group("body").casefold()
                 and re.match(rf"{re.escape(role)}\b(?!,? {NAME})", rest)}
        if not posts:
            continue
        longest = max(len(role) for _, role in posts)
        people = {person for person, role in posts if len(role) == longest}
        if len(people) == 1:
            out.append(((m.start(), m.end() + longest), people.pop()))
    return out


def same_person(a: str, b: str) -> bool:
    """One person named in full or by the surname ("Okafor" for "Maria Okafor"), or cut short where a summary
    stopped at its token limit ("Dr Miriam O" for "Dr Miriam Okafor")."""
    a_words, b_words = a.split(), b.split()
    if a_words[-1] == b_words[-1]:
        return True
    cut = len(a_words) > 1 and a_words[:-1] == b_words[:-1]
    return cut and (a_words[-1].startswith(b_words[-1]) or b_words[-1].startswith(a_words[-1]))


def _same_body(a: str, b: str, page_names: set, named_by_kind: dict):
    """True when a and b are one body named in full or in part ("Tidewell" for "Tidewell Power"; "the museum" both
    times; "the agency" for the Environment Agency, or for Forestland where the page calls it "the state forestry
    agency, Forestland" and no other body an agency: `named_by_kind`), False when they are two, None when the page
    cannot tell (a generic body no name of the page, `page_names`, has the noun of)."""
    generic_a, generic_b = a.startswith("the "), b.startswith("the ")
    if generic_a and generic_b:
        return a == b
    if not generic_a and not generic_b:
        return bool(set(a.split()) & set(b.split()))
    noun, name = (a[4:], b) if generic_a else (b[4:], a)
    if noun.capitalize() in name.split():
        return True
    called = named_by_kind.get(noun, set())
    if len(called) == 1:
        return _same_body(name, next(iter(called)), page_names, {})
    return False if any(noun.capitalize() in n.split()[1:] for n in page_names) else None
