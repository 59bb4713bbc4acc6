"""What kind of body a name is, as an English page says it. Pure stdlib.

"the investment fund Marlow Infrastructure Partners", "Certa Controls, an independent certification body",
"a local firm, Dray & Sons", "the Calder Mutual building society": each ties a name to a kind. A point that
calls Marlow "the investment bank Marlow Infrastructure Partners", or gives "the acoustic consultancy" to the
builder, has every name in the page; only the kind is wrong. The grounding check (precis.grounding) asks this
beside its role and officer checks.
"""

from __future__ import annotations

import re

from precis.english_roles import NAME

# Head nouns of a kind of body. Two different ones of these say two different things ("bank" is not "fund").
_SPECIFIC = """
bank fund society cooperative co-operative chain consultancy contractor builder council authority association
charity trust university institute centre center agency ministry commission club union federation foundation
orchestra hospital school college museum newspaper broadcaster airline dairy brewery manufacturer maker
producer supplier retailer supermarket insurer lender borrower regulator seller buyer breeder publisher developer
studio laboratory lab startup partnership investor
architect engineer manager director coach grandmaster curator conductor founder captain goalkeeper striker
""".split()
# Heads that say only "an organisation": never in conflict with another kind.
_GENERIC = "company firm business group body organisation organization operator provider outfit enterprise corporation".split()
# Heads that may name one body in two ways ("the largest seller, the supermarket chain Holmgard").
_ALIKE = [{"centre", "center"}, {"cooperative", "co-operative"}, {"laboratory", "lab"},
          {"maker", "manufacturer", "producer"}, {"seller", "retailer", "chain", "supermarket"},
          {"fund", "investor"}, {"bank", "lender"}, {"coach", "trainer"}, {"founder", "director"}]
HEAD = "|".join(sorted(_SPECIFIC + _GENERIC, key=len, reverse=True))
SPECIFIC_HEADS = frozenset(_SPECIFIC)
# A kind: up to two words before its head, and what it is "of" ("the largest seller of Varden-style cheese").
_WORD = r"(?!(?:and|or|which|that|who|in|with)\b)[\w-]+"
# A nationality before the head ("the Dutch maker", "a Danish breeder") says which body as much as "local" does.
_NATION = r"(?:[A-Z][a-z]+(?:ish|ch|ian|an|ese|ic))"
_KIND = rf"(?P<kind>(?:(?:[a-z][\w-]*|{_NATION}) ){{0,2}}(?:{HEAD})(?: of {_WORD}(?: {_WORD}){{0,2}})?)(?![\w-])"
_ARTICLE = r"\b(?:[Tt]he|[Aa]n?|[Ii]ts|[Hh]is|[Hh]er|[Tt]heir)"
_KINDS = (
    re.compile(rf"{_ARTICLE} {_KIND} (?P<name>{NAME})"),               # the investment fund Marlow ...
    re.compile(rf"^{_KIND} (?P<name>{NAME})"),                         # Danish builder Brennick (a headline's)
    re.compile(rf"(?P<name>{NAME}), (?:the|a|an) {_KIND}"),            # Certa Controls, an independent ... body
    # a local firm, Dray & Sons; the largest seller of cheese, the supermarket chain Holmgard
    re.compile(rf"{_ARTICLE} {_KIND}, (?:(?:the|a|an) (?:[a-z][\w-]* ){{0,2}}(?:{HEAD}) )?(?P<name>{NAME})"),
    re.compile(rf"\bthe (?P<name>{NAME}) (?P<kind>(?:[a-z][\w-]* )?(?:{HEAD}))(?![\w-])"),  # the Calder Mutual bank
    re.compile(rf"\b[Tt]he {_KIND} (?:is|was|will be) (?P<name>{NAME})"),        # the seller is Corran Holdings
    re.compile(rf"(?P<name>{NAME}) (?:is|was|will be) the {_KIND}(?!['’])"),   # Corran Holdings was the seller
)
# The parties of a deal: one word that says which of the two a body is ("the seller" is not "the buyer").
_DEAL_PARTIES = frozenset("seller buyer lender borrower".split())
_OF = re.compile(r" of .*$")


def kinds(text: str) -> list:
    """[(name, kind, head, (start, end) of the kind)] of every kind of body `text` gives a name."""
    out = []
    for pattern in _KINDS:
        for m in pattern.finditer(text):
            kind = m.group("kind")
            head = _OF.sub("", kind).split()[-1]
            out.append((m.group("name"), kind, head, m.span("kind")))
    return out


def kind_conflicts(point: str, page_kinds: list) -> list:
    """[((start, end) in the point, (reason, evidence))] for each name the point gives a kind the page does not:
    another kind where the page says what it is ("the page calls Marlow Infrastructure Partners an investment
    fund"), or a kind the page gives another name ("the page names Ardent Sound as the acoustic consultancy")."""
    out = []
    for name, kind, head, span in kinds(point):
        theirs = [(k, h) for n, k, h, _ in page_kinds if _same_name(name, n)]
        specific = [(k, h) for k, h in theirs if h in _SPECIFIC]
        nation = _nation(kind)
        rival = next((k for k, h in specific if h == head and nation and _nation(k) and _nation(k) != nation), None)
        if rival:   # "the Czech grandmaster Halmos" where the page has "the Hungarian grandmaster"
            out.append((span, (f"the page calls {name} {_article(rival)} {rival}", rival)))
            continue
        if any(k == kind for k, _ in theirs) or any(_alike(h, head) for _, h in specific):
            continue
        # a party of a deal is a role in one deal, not a kind: only another body named so contradicts it (the
        # seller of this deal may be the buyer of the last)
        if head in _DEAL_PARTIES:
            specific = []
        if head in _SPECIFIC and specific:
            said = specific[0][0]
            out.append((span, (f"the page calls {name} {_article(said)} {said}", said)))
            continue
        others = [n for n, k, _, _ in page_kinds if k == kind and not _same_name(name, n)]
        # "the acoustic consultancy", "the seller": one body's, not a mere "company"
        if others and (len(kind.split()) > 1 or kind in _DEAL_PARTIES):
            out.append((span, (f"the page names {others[0]} as the {kind}", others[0])))
    return out


def _nation(kind: str):
    """The nationality a kind opens with ("Czech" of "Czech grandmaster"), else None."""
    m = re.match(rf"{_NATION}\b", kind)
    return m.group(0) if m else None


def _alike(a: str, b: str) -> bool:
    return a == b or a in _GENERIC or b in _GENERIC or any(a in group and b in group for group in _ALIKE)


def _same_name(a: str, b: str) -> bool:
    """One name in full or by its first or last words ("Marlow" for "Marlow Infrastructure Partners")."""
    x, y = a.split(), b.split()
    if len(x) > len(y):
        x, y = y, x
    return y[:len(x)] == x or y[-len(x):] == x


def _article(kind: str) -> str:
    return "an" if kind[:1] in "aeiou" else "a"
