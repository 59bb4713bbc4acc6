"""Which amount goes with which party, as one English sentence pairs them: "£1.35 million from the Heritage Lottery
Fund and £200,000 from Northgate Media", "Varga received £12,000 and Kral £8,000". Pure stdlib.

A point that swaps the pairs has every amount and every name of the sentence; only the pairing is wrong. An amount
is paired with a name right after it and a preposition ("£200,000 from Northgate Media"), or a name with an amount a
few plain words after it ("Kral £8,000", "Varga received £12,000"). Where the page's sentence pairs the point's amount
with another party, and the point's party with another amount, the point has swapped them. The grounding check
(precis.grounding) asks this of the sentences a point rests on.
"""

from __future__ import annotations

import re
from typing import Callable

from precis.english_doers import same_party

# Between an amount and the party it comes from or goes to: "£200,000 from the Gazette's owner", "£5 million a year to".
_AMOUNT_THEN_NAME = re.compile(r"\s+(?:(?:a|per|each)\s+[a-z]+\s+)?(?:from|to|for|by)\s+(?:the\s+)?(?:[a-z'’-]+\s+){0,2}")
# Between a party and its amount: nothing ("and Kral £8,000") or a few plain words ("received", "will be paid").
_NAME_THEN_AMOUNT = re.compile(r"(?:,?\s+(?!(?:and|or|but|than|while|whereas|against)\b)[a-z]+){0,3}\s+")


def _amount(fact) -> bool:
    """A sum of money or a number in figures ("£200,000", "412"), not an ordinal ("first")."""
    return fact.kind == "number" and bool(fact.key[0] or any(ch.isdigit() for ch in fact.text))


def amount_pairs(text: str, facts: list) -> list:
    """[(amount fact, name fact)] of every amount `text` pairs with an English name."""
    out = []
    for a, b in zip(facts, facts[1:]):
        between = text[a.end:b.start]
        if _amount(a) and b.kind == "name" and b.text.isascii() and _AMOUNT_THEN_NAME.fullmatch(between):
            out.append((a, b))
        elif a.kind == "name" and _amount(b) and a.text.isascii() and _NAME_THEN_AMOUNT.fullmatch(between):
            out.append((b, a))
    return out


def pairing_conflicts(point: str, point_facts: list, sentences: list, same_number: Callable) -> list:
    """[((start, end) of the party in the point, (reason, index into `sentences`))] for each amount and party the
    point pairs where a sentence of the page (`sentences`: (text, facts) each) pairs that amount with another party
    and that party with another amount."""
    out = []
    for amount, party in amount_pairs(point, point_facts):
        for j, (text, facts) in enumerate(sentences):
            pairs = amount_pairs(text, facts)
            others = [n for a, n in pairs if same_number(amount.key, a.key) and not same_party(party.text, n.text)]
            elsewhere = [a for a, n in pairs if same_party(party.text, n.text) and not same_number(amount.key, a.key)]
            if others and elsewhere and not any(same_number(amount.key, a.key) and same_party(party.text, n.text)
                                                for a, n in pairs):
                out.append(((party.start, party.end), (f"the page pairs {amount.text} with {others[0].text}", j)))
                break
    return out
