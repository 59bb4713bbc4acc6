"""Plans, hopes and expectations a point gives a party in words the page never uses. Pure stdlib.

A small model asked for key points adds a party's next step of its own: "Maison Vérel plans to open a tasting room
at the estate", "Skyline plans to sue Atlantic Air", "The merger is expected to lower water bills". Every name in
such a point is the page's and most of its words are too, so the point clears the support share; what the page never
says is the step itself. The grounding check (precis.grounding) asks this beside its causes and records: the words
of what is planned, hoped or expected, read up to the end of their clause, must each be in the page in some form.
A point with a figure is left to the number checks: its figure ties it to the passage that holds it, and a faithful
one often words the step anew around it ("About 60,000 passengers a day are expected to ride the trams").
"""

from __future__ import annotations

import re

from precis.numbers import ENGLISH_NUMBER
from precis.text_units import content_units

# What looks forward, with the step it names after it: "plans to", "is expected to", "hopes (that)", "will also".
_FORWARD = re.compile(
    r"\b(?:plans?|planning|intends?|intending|hopes?|hoping|wants?|promised|pledged|(?:is|are|was|were) expected"
    r"|expects?)\s+to\s+"
    r"|\bplans\s+(?=an?\s)"
    r"|\bhopes?\s+(?:that\s+)?(?=(?:the|its|their|a|an)\s)"
    r"|\bwill\s+also\s+", re.IGNORECASE)
# Where the step's clause ends: punctuation, or a word that starts another clause.
_STEP_ENDS = re.compile(r"[,;:()]|[.!?](?!\d)|\s(?:and|but|after|before|because|while|although|if|so|which|who|when|once)\s")
_FIGURE = re.compile(rf"\d|\b(?:{ENGLISH_NUMBER})\b", re.IGNORECASE)
# Words that say how much more of a step, not what it is ("for at least another three years").
_NOT_THE_STEP = frozenset({"another", "other", "others", "further", "more", "again", "also", "well"})


def unsaid_plans(point: str, page_units) -> list:
    """(start, end) of each planned, hoped or expected step in `point` with a word the page never uses in any form
    (`page_units`: the content units of the page, precis.text_units.content_units, as a set or a mapping)."""
    if _FIGURE.search(point):
        return []
    out = []
    for cue in _FORWARD.finditer(point):
        rest = point[cue.end():]
        end = _STEP_ENDS.search(rest)
        step_end = cue.end() + (end.start() if end else len(rest))
        step = point[cue.end():step_end]
        spans: list = []
        units = content_units(step, spans)
        unsaid = [u for u, (s, e) in zip(units, spans)
                  if u not in page_units and step[s:e].casefold() not in _NOT_THE_STEP]
        if unsaid:
            out.append((cue.start(), step_end))
    return out

