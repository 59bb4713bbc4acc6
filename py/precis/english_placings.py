"""Who won and who came second, as an English page says it. Pure stdlib.

"Costrava won the contract, with Brennick finishing as runner-up" against the page's "The runner-up, the Italian
firm Costrava, had offered a lower price": both names and both words are in the page; only who placed where is
turned round. A point that gives a party a placing the page gives it another of ("Costrava won" where the page
makes Costrava the runner-up), or a place the page gives only to another party the point names too, is flagged. The grounding check (precis.grounding) asks this beside its role and work checks, as precis.cjk_placings
reads a Chinese page (冠军, 亚军).
"""

from __future__ import annotations

import re

from precis.english_roles import NAME
from precis.english_work import same_body

WON, RUNNER_UP = "won", "runner-up"

# An apposition between the word for a place and the name: "the runner-up, the Italian firm Costrava".
_APPOSED = r"(?:(?:the|a|an) (?:[A-Za-z][\w-]* ){0,3})?"
_PLACINGS = (
    (WON, re.compile(rf"(?P<name>{NAME}) (?:(?:has|had|have) )?(?:won|wins)\b(?! by\b)")),   # not "the Cup won by"
    (WON, re.compile(rf"\b[Tt]he winner(?:,| was| is) {_APPOSED}(?P<name>{NAME})")),
    (RUNNER_UP, re.compile(rf"\b[Tt]he runner-up(?:,| was| is) {_APPOSED}(?P<name>{NAME})")),
    (RUNNER_UP, re.compile(rf"(?P<name>{NAME}),? (?:was|were|is|finished|finishing|came|coming|ended|ending)"
                           rf"(?: as| up as| up)? (?:the )?runner-up\b")),
    (RUNNER_UP, re.compile(rf"\bwith (?P<name>{NAME}) (?:as )?(?:the )?runner-up\b")),
)
# Capitalized words that name no one.
_NOT_NAMES = frozenset("The A An It Its This That They He She".split())


# The words every placing is said with: the patterns are read only around them (a long page names many things).
_PLACING_WORD = re.compile(r"\b(?:won|wins|winner|runner-up)\b")
_AROUND = 160


def placings(text: str) -> list:
    """[(placing, name, (start, end) of the name)] of every "X won", "the winner, X", "the runner-up, X", "X finished
    as runner-up" of `text`."""
    out = set()
    for word in _PLACING_WORD.finditer(text):
        lo, hi = max(0, word.start() - _AROUND), min(len(text), word.end() + _AROUND)
        for placing, pattern in _PLACINGS:
            for m in pattern.finditer(text, lo, hi):
                name = m.group("name")
                if name.split()[0] not in _NOT_NAMES:
                    out.add((placing, name, m.span("name")))
    return sorted(out, key=lambda t: t[2])


def placing_conflicts(point: str, page_placings: list) -> list:
    """[((start, end) in the point, (reason, evidence))] for each party the point places where the page places it
    otherwise ("the page says Costrava was the runner-up"), or in a place the page gives only to other parties, one of
    which the point names too ("Grenholt won the tender, ending Clearcycle's contract": "the page says Clearcycle
    won")."""
    out = []
    for placing, name, span in placings(point):
        own = [p for p, n, _ in page_placings if same_body(n, name)]
        if own and placing not in own:
            out.append((span, (f"the page says {name} {'won' if own[0] == WON else 'was the runner-up'}", name)))
            continue
        if not own:
            others = [n for p, n, _ in page_placings if p == placing and n.split()[-1] in point]
            if others:
                said = "won" if placing == WON else "was the runner-up"
                out.append((span, (f"the page says {others[0]} {said}", others[0])))
    return out
