"""Where a deed took place, as a Chinese page says it: 明年的比赛将在成都举行. Pure stdlib.

A point that moves a deed to another place the page names (明年的比赛将在合肥举行, where 合肥 hosts this year's) has
every word in the page; only the place is wrong. A point's place after 在, 从, 于… and the two characters after it
(the deed: 在…举行, 从…一家) are looked for in the page: where the page's clauses of that deed put it somewhere
else, never at the point's place, and one of them says most of what the point's clause says, the point moved it.
The grounding check (precis.grounding) asks this beside its placing and doer checks.
"""

from __future__ import annotations

import re

from precis.cjk_doers import CLAUSE, bigrams
from precis.scripts import HAN

# Words that put a deed somewhere (在合肥举行, 从浙江一家纸坊, 位于北京的企业).
_PREPOSITIONS = "位于|位於|来自|來自|在|从|從|于|於|到|赴"
_AT = re.compile(f"(?:{_PREPOSITIONS})")
_DEED = 2          # characters after the place that say the deed (举行, 一家)
_MIN_SHARE = 0.5   # how much of the point's clause the page's clause of the deed must say: the same statement


def _page_places(preposition: str, deed: str, page_clauses: list) -> list:
    """[(place, clause)] of each page clause that puts the deed (`deed`, the two characters after the place) after
    the same preposition."""
    slot = re.compile(f"{preposition}([{HAN}]{{2,6}}?){re.escape(deed)}")
    return [(m.group(1), clause) for clause in page_clauses for m in slot.finditer(clause)]


def place_conflicts(point: str, page: str, page_clauses: list, places: set) -> list:
    """[((start, end) of the place in the point, (reason, evidence))] for each place of the point (`places`: the
    names the fact check reads in it, each one the page has) whose deed the page's clauses put at another place and
    never at it, one of those clauses saying most of the point's clause ("the page says 成都 here")."""
    out = []
    for m in CLAUSE.finditer(point):
        clause = m.group(0)
        for at in _AT.finditer(clause):
            place = next((p for p in places if clause.startswith(p, at.end())), None)
            deed = clause[at.end() + len(place):at.end() + len(place) + _DEED] if place else ""
            if len(deed) < _DEED or not re.fullmatch(f"[{HAN}]+", deed):
                continue
            theirs = _page_places(at.group(0), deed, page_clauses)
            if not theirs or any(place in q or q in place for q, _ in theirs):
                continue
            mine = bigrams(clause[:at.start()] + clause[at.end() + len(place):])
            share, other, evidence = max(((len(mine & bigrams(c.replace(q, ""))) / max(1, len(mine)), q, c)
                                          for q, c in theirs))
            if share >= _MIN_SHARE:
                start = m.start() + at.end()
                out.append(((start, start + len(place)), (f"the page says {other} here", evidence)))
    return out
