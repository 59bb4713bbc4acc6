"""Which body did which work, as an English page says it ("organised by the Westhaven Chess Club and sponsored
by the insurer Harbourline"). Pure stdlib.

A point that swaps the two ("organised by Harbourline and sponsored by the Westhaven Chess Club") has every
name in the page; only who did what is wrong. The grounding check (precis.grounding) asks this beside its
role, officer and kind checks, as it asks precis.cjk_names of a Chinese page (设计由…负责).
"""

from __future__ import annotations

import re

from precis.english_kinds import HEAD
from precis.english_roles import NAME, same_person
from precis.facts import MONTHS

# The work, as "<work> by <body>" writes it; each with the stem that says it in any tense.
_WORK_VERBS = {
    "organis": "organi[sz](?:e|ed|es|ing)", "sponsor": "sponsor(?:ed|s|ing)?", "design": "design(?:ed|s|ing)?",
    "build": "buil[dt]|building", "run": "run|ran|runs|running", "operat": "operat(?:e|ed|es|ing)",
    "fund": "fund(?:ed|s|ing)?|paid for|financed", "breed": "bred|breed(?:s|ing)?", "develop": "develop(?:ed|s|ing)?",
    "manag": "manag(?:e|ed|es|ing)", "own": "own(?:ed|s)?", "host": "host(?:ed|s|ing)?", "approv": "approv(?:e|ed|es)",
    "represent": "represent(?:ed|s|ing)?", "carri": "carried out|carries out|carry out", "made": "made|produced",
    "publish": "publish(?:ed|es)?", "found": "founded", "award": "awarded", "led": "led|leads",
    "direct": "direct(?:ed|s|ing)?",
}
_WORK = "|".join(f"(?P<{stem}>{words})" for stem, words in _WORK_VERBS.items())
# A body: a name ("the Westhaven Chess Club", "the Danish company Nordbi"), or a few words ending with a kind of
# body ("the national agriculture ministry", "a local firm").
# (past a title: "led by Dr. Priya Natarajan"; past the post of a person named after it: "directed by the theatre's
# artistic director, Nadia Rahman")
_BODY = rf"(?:(?:the|its|their) [\w-]+['’]s (?:[a-z-]+ ){{0,2}}[a-z]+, )?(?:(?:the|a|an) )?" \
        rf"(?:(?:[A-Za-z][\w-]* ){{0,3}}(?:{HEAD}) |[a-z]+s? (?=[A-Z]))?(?:(?:Dr|Mr|Mrs|Ms|Prof)\.? )?" \
        rf"(?P<body>{NAME}|(?:[a-z][\w-]* ){{0,3}}(?:{HEAD}))"   # ("by the architects Farrow Kent")
# "run for the council by", "the design is by"
_CLAIM = re.compile(rf"\b(?:{_WORK})(?: for (?:the )?[a-z]+| is| was| will be)? by {_BODY}")
# The doer named by the word for its part: "the builder is Stanmore Glass".
_AGENTS = {"builder": "build", "designer": "design", "architect": "design", "architects": "design",
           "operator": "operat", "organiser": "organis", "organizer": "organis", "sponsor": "sponsor",
           "publisher": "publish", "developer": "develop", "manager": "manag", "host": "host", "owner": "own"}
_AGENT_CLAIM = re.compile(rf"\b[Tt]he (?P<agent>{'|'.join(_AGENTS)}) (?:is|was|will be) {_BODY}")


# The same work said actively by a named body, with what it works on after: "The Carrick Estate runs the vault".
_ACTIVE_VERBS = {
    "organis": "organi[sz](?:es|ed)", "sponsor": "sponsor(?:s|ed)", "design": "design(?:s|ed)", "build": "builds|built",
    "run": "runs|ran", "operat": "operat(?:es|ed)", "fund": "funds|funded|financed", "develop": "develop(?:s|ed)",
    "manag": "manag(?:es|ed)", "own": "owns|owned", "host": "hosts|hosted", "publish": "publish(?:es|ed)",
    "found": "founded", "led": "leads|led", "direct": "directs|directed",
}
_ACTIVE_WORK = "|".join(f"(?P<{stem}>{words})" for stem, words in _ACTIVE_VERBS.items())
_ACTIVE = rf"(?:(?:also|now|still|jointly) )?(?:{_ACTIVE_WORK}) (?:the|its|their|a|an) (?=[a-z])"
_ACTIVE_CLAIM = re.compile(rf"(?<![\w'’&.-])(?:[Tt]he )?(?P<body>{NAME})(?:, (?:which|who))? {_ACTIVE}")
# The same with a body named by its kind: "The council, which owns the building". Read in a page, where the kind
# names the one body the page means; a point's "the investor hosted a dinner" may mean the page's named host.
_ACTIVE_KIND_CLAIM = re.compile(rf"(?<![\w'’&.-])[Tt]he (?:[a-z-]+ ){{0,2}}(?P<body>{HEAD})(?:, (?:which|who))? {_ACTIVE}")
# The work said actively, as the passive says it: "owns" is "owned by".
_PARTICIPLES = {"organis": "organised", "sponsor": "sponsored", "design": "designed", "build": "built", "run": "run",
                "operat": "operated", "fund": "funded", "develop": "developed", "manag": "managed", "own": "owned",
                "host": "hosted", "publish": "published", "found": "founded", "led": "led", "direct": "directed"}


def work_claims(text: str, by_kind: bool = False) -> list:
    """[(work stem, the verb as "<work> by" writes it, body, (start, end) of the body)] of every "<work> by <body>" of
    `text`, and of every "<body> <works> the <thing>" (with `by_kind`, of a body named by its kind too: a page's)."""
    out = []
    for m in _CLAIM.finditer(text):
        work = next(stem for stem in _WORK_VERBS if m.group(stem))
        out.append((work, m.group(work), m.group("body"), m.span("body")))
    for m in _AGENT_CLAIM.finditer(text):
        work = _AGENTS[m.group("agent")]
        out.append((work, _PARTICIPLES[work], m.group("body"), m.span("body")))
    for pattern in (_ACTIVE_CLAIM, _ACTIVE_KIND_CLAIM) if by_kind else (_ACTIVE_CLAIM,):
        for m in pattern.finditer(text):
            work = next(stem for stem in _ACTIVE_VERBS if m.group(stem))
            out.append((work, _PARTICIPLES[work], m.group("body"), m.span("body")))
    return sorted(out, key=lambda t: t[3])


def work_conflicts(point: str, page_claims: list) -> list:
    """[((start, end) in the point, (reason, evidence))] for each body the point gives a work that the page gives
    only to other bodies ("the page says organised by Westhaven Chess Club")."""
    out = []
    for work, _, body, span in work_claims(point):
        doers = [(verb, b) for w, verb, b, _ in page_claims if w == work]
        if doers and not any(same_body(body, b) for _, b in doers):
            verb, doer = doers[0]
            out.append((span, (f"the page says {verb} by {doer}", doer)))
    return out


def same_body(a: str, b: str) -> bool:
    """One body named in full or in part: a capitalized word in common ("Harbourline" for "the insurer
    Harbourline"), or, for bodies named by their kind only, the same last word ("ministry")."""
    caps_a = {w for w in a.split() if w[:1].isupper()}
    caps_b = {w for w in b.split() if w[:1].isupper()}
    if caps_a and caps_b:
        return bool(caps_a & caps_b)
    return a.split()[-1].lower() == b.split()[-1].lower()


# Where a person works or went, as "<person>, who studies electrodes at <body>" or "<person> moved to <body>" says
# it: "at" for where one is, "to" for where one went.
_PLACE_VERBS = {"at": r"works?|worked|working|studies|studied|study|teach(?:es)?|taught|researche?s?|is based|was based",
                "to": r"moved|moves|went|goes|transferred|joined|joins"}
_PERSON_CLAIMS = tuple(
    (where, re.compile(rf"(?P<person>{NAME}),? (?:who |which )?(?:[a-z]+ ){{0,3}}?(?:{verbs}) (?:[a-z]+ ){{0,2}}?"
                       rf"{'at' if where == 'at' else '(?:to )?'}\s?(?:the )?(?P<body>{NAME})"))
    for where, verbs in _PLACE_VERBS.items())


# Where a person came from: "signed Tiago Moura from Sporting Vila", "Callum Price on a season-long loan from
# Wexmoor" (a few plain words between; not a month: "from June" is when).
_CAME_FROM = re.compile(rf"(?P<person>{NAME})(?:, \d+,)?(?: [a-z][\w-]*){{0,6}}? from (?:the )?(?!(?:{'|'.join(m.capitalize() for m in MONTHS)})\b)(?P<body>{NAME})")


# Where a body (or a person) is based: "Brantley Optics, a company based in Leeds", "Clearcycle, based in the port town
# of Asby", "Clearcycle is based in Denholm".
_BASED_IN = re.compile(rf"(?P<person>{NAME}),? (?:(?:a|an|the) (?:[\w-]+ ){{0,3}})?(?:which |that |who )?"
                       rf"(?:is |was |are |were )?(?:based|headquartered) in (?:the (?:[a-z-]+ ){{0,3}}of )?(?P<body>{NAME})")


# The same with the place first: "Corrin Coatings, the Sheffield-based paint maker".
_PLACE_BASED = re.compile(rf"(?P<person>{NAME}), (?:a|an|the) (?P<body>{NAME})-based\b")


def person_claims(text: str) -> list:
    """[("at", "to", "from" or "in", person, body, (start, end) of the body)]: where `text` says a person works, went
    or came from, or where a body or person is based."""
    based = (("in", _BASED_IN),) if "based in" in text or "headquartered in" in text else ()   # seldom said: read if so
    based += (("in", _PLACE_BASED),) if "-based" in text else ()
    return [(where, m.group("person"), m.group("body"), m.span("body"))
            for where, pattern in _PERSON_CLAIMS + (("from", _CAME_FROM),) + based
            for m in pattern.finditer(text)]


def person_conflicts(point: str, page_claims: list) -> list:
    """[((start, end) in the point, (reason, evidence))] for a person the point places at a body the page places
    them nowhere near ("the page says Akira Mori is at Kestrel University"), or sends where the page sends
    someone else ("the page says Helen Strand moved to Ridgeway Institute of Astronomy")."""
    out = []
    for where, person, body, span in person_claims(point):
        theirs = [b for w, p, b, _ in page_claims if w == where and same_person(p, person)]
        others = [p for w, p, b, _ in page_claims if w == where and same_body(b, body) and not same_person(p, person)]
        if theirs and not any(same_body(body, b) for b in theirs):
            said = {"at": f"{person} is at", "to": f"{person} went to", "from": f"{person} came from",
                    "in": f"{person} is based in"}[where]
            out.append((span, (f"the page says {said} {theirs[0]}", theirs[0])))
        elif others and not theirs and where in ("at", "to"):   # many may come from one place, or be based there
            said = f"{others[0]} is at {body}" if where == "at" else f"{others[0]} moved to {body}"
            out.append((span, (f"the page says {said}", others[0])))
    return out
