"""Which side of a sale or a loan a party is on, as an English page says it. Pure stdlib.

"Cellcycle sold the site to Rother Valley Land" against the page's "the site was sold to Cellcycle by Rother
Valley Land", "Brightfold has agreed to buy Paysmith" against "Brightfold has agreed to be bought by Paysmith":
every name and word of the point is in the page; only the sides are swapped. Each sale and loan a sentence states
is read as who gave (the seller, the lender, or the company sold) and who took (the buyer, the borrower), whatever
the voice and order; a point's party on the other side of the same kind of deal than the page's, and never on its
own, is flagged. The grounding check (precis.grounding) asks this beside its doer and role checks.

    transfers("Norland Holdings, which bought it from the council in 2019, runs Citybus.")
        -> [Transfer("sale", givers=(("the council", (39, 50)),), takers=(("Norland Holdings", (0, 16)),))]
"""

from __future__ import annotations

import re
from typing import NamedTuple

from precis.english_doers import BY_KIND, same_party
from precis.english_roles import NAME

# The verbs of a deal and the side their subject is on.
_VERBS = {
    ("sale", "taker"): r"bought|buys?|buying|acquired|acquires?|acquiring|purchased|purchases?|purchasing"
                       r"|took over|takes? over|taking over",
    ("sale", "giver"): r"sold|sells?|selling",
    ("loan", "giver"): r"lent|lends?|lending|loaned",
    ("loan", "taker"): r"borrowed|borrows?|borrowing",
    # a lease's side is the preposition's: "leases them to 19 airlines" (the lessor), "lease … from Orrin" (the lessee)
    ("lease", "either"): r"leased|leases?|leasing|rented|rents?|renting|hired|hires?|hiring|chartered|charters?"
                         r"|chartering",
}
_VERB = re.compile("|".join(f"(?P<{kind}_{side}>\\b(?:{words})\\b)" for (kind, side), words in _VERBS.items()))
# A party: a name, or a body named by its kind ("the council"), not by its side of the deal ("the buyer").
_SIDE_WORDS = frozenset("buyer seller lender borrower".split())
_OPENING_WORDS = frozenset("A An The It Its This That These Those They He She We".split())
_PARTY = re.compile(rf"{NAME}|{BY_KIND}")
# What may stand between a subject and its verb: auxiliaries, an intention, the passive ("has agreed to be").
_LEAD = r"(?:(?:has|have|had|will|would|could|can|may|did|does|do|also|now|then|later|first|finally|already|" \
        r"recently|just|jointly|agreed|agrees|agree|plans|planned|plan|wants|wanted|want|is|are|was|were|be|been|" \
        r"being|to|set|expected|due) )*"
_SUBJECT = re.compile(rf"(?P<party>{NAME}|{BY_KIND})(?:, [^,]{{3,80}},)?(?:,? (?:which|who|that))? {_LEAD}$")
# The party right before the verb, read first: "said the buses would go back to Vantor, which leased them" is Vantor's
# deal, not the sayer's.
_SUBJECT_NEXT_TO = re.compile(rf"(?P<party>{NAME}|{BY_KIND})(?:,? (?:which|who|that))? {_LEAD}$")
_PASSIVE = re.compile(r"\b(?:is|are|was|were|be|been|being) $")
# "the Westcombe Flight Academy, which it bought in 2019": the "it" of a relative clause is the sentence's first party,
# and what the clause speaks of is the company bought.
_IT_SUBJECT = re.compile(rf"\bit {_LEAD}$")
_WHICH = re.compile(rf"(?P<party>{NAME}|{BY_KIND}), which $")
# "Northbridge Media announced on 3 February that it had agreed to sell": the "it" of a report is its teller.
_REPORTED = re.compile(rf"(?P<party>{NAME}|{BY_KIND})(?:, [^,]{{3,80}},)? (?:has |had )?"
                       rf"(?:announced|said|says|confirmed|disclosed|revealed|stated)\b[^;,]{{0,40}}? (?:that )?(?:it|they) {_LEAD}$")
# A party's apposition after the verb's object ("sell Coastline FM, the station that has broadcast since 1987, to
# Meridian"): the deal's clause goes on past it.
_OBJECT_APPOSITION = re.compile(r", [^,;]{3,80}, (?=(?:to|from|by) )")
# Where the words after a preposition stop naming its party.
_PARTY_END = re.compile(r"\b(?:for|in|on|at|with|and|but|after|before|when|which|who|under|over|since|until|"
                        r"while|as|from|to|by|last|this|next)\b|[,;:.!?(]|$")
# Where the verb's clause ends.
_CLAUSE_END = re.compile(r"[;:]|, (?!\d)| (?:and|but|while|whereas|after|before|when) |\.(?!\d)|$")
_PREPOSITION = re.compile(r"\b(?P<prep>from|to|by)\b ")
# A loan from a party, taken by the subject ("Cellcycle secured a £65 million loan from the fund", "agreed a £65 million
# loan with the National Wealth Fund": the party a borrower agrees a loan with is its lender).
_LOAN_FROM = re.compile(r"\bloans? (?:of [^,;]{1,30} )?(?:from|with) ")
_TAKES_LOAN = re.compile(rf"(?P<party>{NAME}|{BY_KIND}) {_LEAD}(?:agreed|secured|took out|signed|obtained|got|received|"
                         rf"arranged|raised|won)(?: an?)?(?: [^,;]{{1,30}})? $")


class Transfer(NamedTuple):
    kind: str        # "sale", "loan" or "lease" (hire, rent, charter)
    givers: tuple    # ((party, (start, end)), ...): the seller or lender, and the company sold
    takers: tuple    # the buyer or borrower
    things: tuple = ()   # of the givers, the company bought ("buy Paysmith", "the academy, which Skyline bought")


def _party_after(text: str, at: int):
    """(party, span) named right after `at` ("the American payroll group Paysmith": Paysmith, the last name before
    the words stop naming it), or None."""
    end = _PARTY_END.search(text, at + 1)
    window = text[at:end.start()] if end else text[at:]
    found = [m for m in _PARTY.finditer(window) if _is_party(m.group(0))]
    if not found:
        return None
    m = found[-1]
    return m.group(0), (at + m.start(), at + m.end())


def _is_party(text: str) -> bool:
    """A name or a body named by its kind; not a side of the deal ("the buyer") nor a word opening a sentence ("A")."""
    return text.split()[-1].lower() not in _SIDE_WORDS and text not in _OPENING_WORDS


def transfers(text: str) -> list:
    """[Transfer] of every sale and loan `text` states with at least one party on each side."""
    out = []
    for verb in _VERB.finditer(text):
        kind, side = verb.lastgroup.split("_")
        before = text[:verb.start()]
        passive = bool(_PASSIVE.search(before)) and not verb.group(0).endswith("ing")   # "is leasing" is active
        subject = _SUBJECT_NEXT_TO.search(before) or _SUBJECT.search(before)
        subject = subject or _REPORTED.search(before)
        subject = (subject.group("party"), subject.span("party")) if subject and _is_party(subject.group("party")) \
            else None
        subject_at = subject[1][0] if subject else None
        it_subject = _IT_SUBJECT.search(before) if subject is None and not passive else None
        if it_subject:
            subject_at = it_subject.start()
            subject = next(((m.group(0), m.span()) for m in _PARTY.finditer(text, 0, subject_at)
                            if _is_party(m.group(0))), None)
        thing = _WHICH.search(before, 0, subject_at) if subject_at is not None and (side, kind) == ("taker", "sale") \
            and not passive else None
        thing = (thing.group("party"), thing.span("party")) if thing and _is_party(thing.group("party")) else None
        clause_end = _CLAUSE_END.search(text, verb.end()).start()
        apposition = _OBJECT_APPOSITION.match(text, clause_end)
        if apposition:   # its own words name no side ("broadcast to the Wexmouth area")
            clause_end = _CLAUSE_END.search(text, apposition.end()).start()
        after = text[verb.end():clause_end]
        if apposition:
            after = after[:apposition.start() - verb.end()] + " " * (apposition.end() - apposition.start()) + \
                after[apposition.end() - verb.end():]
        first_prep = _PREPOSITION.search(after)
        if side == "either":
            if passive or not first_prep or first_prep.group("prep") == "by":
                continue
            side = "taker" if first_prep.group("prep") == "from" else "giver"
        sides = {"giver": [], "taker": []}
        other = "giver" if side == "taker" else "taker"
        # the subject's side; a passive verb's subject is the other one ("was bought by Paysmith")
        if subject:
            sides[other if passive else side].append(subject)
        if thing:
            sides["giver"].append(thing)
        if not passive and (side, kind) == ("taker", "sale"):
            # the company bought, where the object is a party ("agreed to buy Paysmith")
            obj = _party_after(text, verb.end()) if not first_prep or first_prep.start() > 1 else None
            if obj and (not first_prep or obj[1][1] <= verb.end() + first_prep.start()):
                sides["giver"].append(obj)
                thing = thing or obj
        for prep in _PREPOSITION.finditer(after):
            party = _party_after(text, verb.end() + prep.end())
            if not party:
                continue
            word = prep.group("prep")
            if word == "by" and passive:
                sides[side].append(party)           # "sold to Cellcycle by Rother Valley Land": the seller
            elif word == "from":
                sides["giver"].append(party)        # bought from, borrowed from
            elif word == "to":
                sides["taker"].append(party)        # sold to, lent to
        if sides["giver"] and sides["taker"]:
            out.append(Transfer(kind, tuple(sides["giver"]), tuple(sides["taker"]), (thing,) if thing else ()))
    for loan in _LOAN_FROM.finditer(text):
        lender = _party_after(text, loan.end())
        clause_start = max(text.rfind(c, 0, loan.start()) for c in ";:")
        # the subject of the verb that takes the loan, else the clause's first party
        taking = _TAKES_LOAN.search(text, clause_start + 1, loan.start())
        borrower = (taking.group("party"), taking.span("party")) if taking and _is_party(taking.group("party")) else \
            next(((m.group(0), m.span()) for m in _PARTY.finditer(text, clause_start + 1, loan.start())
                  if _is_party(m.group(0))), None)
        if lender and borrower and not any(t.kind == "loan" and lender in t.givers for t in out):
            out.append(Transfer("loan", (lender,), (borrower,)))
    return out


def _same(a: str, b: str) -> bool:
    """same_party, where a body named by its kind is a name only of that kind ("the council" is no Norland
    Holdings: a deal names both sides, so a kind there stands for no name it could be elsewhere)."""
    kinded = [x for x in (a, b) if re.fullmatch(BY_KIND, x)]
    if len(kinded) == 1:
        name = b if kinded[0] is a else a
        return kinded[0].split()[-1].lower() == name.split()[-1].lower()
    return same_party(a, b)


def _on_side(party: str, parties: tuple) -> bool:
    return any(_same(party, theirs) for theirs, _ in parties)


_ROLES = {("sale", "takers"): "buyer", ("sale", "givers"): "seller",
          ("loan", "takers"): "borrower", ("loan", "givers"): "lender",
          ("lease", "takers"): "lessee", ("lease", "givers"): "lessor"}


def transfer_conflicts(point: str, page_transfers: list) -> list:
    """[((start, end) of the party in the point, (reason, evidence))] for each sale or loan of the point that puts a
    party on the side the page's deals of that kind never put it, where one of them puts it on the other
    (`page_transfers`: [(Transfer, its sentence)] of the page's sentences); one party per deal."""
    out = []
    for deal in transfers(point):
        theirs = [(t, sentence) for t, sentence in page_transfers if t.kind == deal.kind]
        swapped = next(((span, (f"the page has {getattr(t, mine)[0][0]} as the {_ROLES[(deal.kind, mine)]}", sentence))
                        for mine, other in (("takers", "givers"), ("givers", "takers"))
                        for party, span in getattr(deal, mine)
                        if not any(_on_side(party, getattr(t, mine)) for t, _ in theirs)
                        for t, sentence in theirs if _on_side(party, getattr(t, other))), None)
        if swapped:
            out.append(swapped)
            continue
        # the thing bought, where every deal of the page for it has another buyer
        for thing, _ in deal.things:
            buyers = [(t, sentence) for t, sentence in theirs if any(_same(thing, x) for x, _ in t.things)]
            if buyers and not any(_on_side(party, t.takers) for t, _ in buyers for party, _ in deal.takers):
                (party, span), (t, sentence) = deal.takers[0], buyers[0]
                out.append((span, (f"the page has {t.takers[0][0]} as the {_ROLES[(deal.kind, 'takers')]}", sentence)))
    return out
