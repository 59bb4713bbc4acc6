"""Which side of a relation a party is on, as a Chinese page says it: 该公司是瑞丰化学的全资子公司. Pure stdlib.

A point that turns a relation around (瑞丰化学是明溪化工的全资子公司, where the page makes 明溪化工 the subsidiary of
瑞丰化学) has every name and word in the page; only the sides are swapped. A point's "A是B的R" is read against the
page's clauses that say "…的R": where the page puts A before 的R (A owns, A leads) and never B, the point has put A
on the wrong side. The grounding check (precis.grounding) asks this beside its placing and doer checks.
"""

from __future__ import annotations

import re

from precis.cjk_doers import CLAUSE
from precis.scripts import HAN

# A is B's R: 瑞丰化学是明溪化工的全资子公司, 孙浩然是陈一鸣的教练.
_IS_OF = re.compile(f"(?P<a>[{HAN}·]{{2,12}}?)(?:是|为|為)(?P<b>[{HAN}·]{{2,12}}?)的(?P<r>[{HAN}]{{2,6}})")


def relation_conflicts(point: str, page: str) -> list:
    """[((start, end) of A in the point, (reason, evidence))] for each "A是B的R" of the point where the page's clauses
    that say "…的R" put A right before it (A's R) and never B."""
    out = []
    for m in CLAUSE.finditer(point):
        found = _IS_OF.match(m.group(0))
        if not found:
            continue
        a, b, relation = found.group("a"), found.group("b"), found.group("r")
        a = next((a[k:] for k in range(len(a) - 1) if a[k:] in page), None)
        if a is None or b not in page:
            continue
        owners = [c.group(0) for c in CLAUSE.finditer(page) if f"{a}的{relation}" in c.group(0)]
        if owners and not any(f"{b}的{relation}" in c.group(0) for c in CLAUSE.finditer(page)):
            start = m.start() + found.start("a") + found.group("a").find(a)
            out.append(((start, start + len(a)), (f"the page says: {owners[0]}", owners[0])))
    return out
