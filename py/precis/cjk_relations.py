"""Which side of a relation a party is on, as a Chinese page says it: 该公司是瑞丰化学的全资子公司. Pure stdlib.

A point that turns a relation around (瑞丰化学是明溪化工的全资子公司, where the page makes 明溪化工 the subsidiary of
瑞丰化学) has every name and word in the page; only the sides are swapped. A point's "A是B的R" is read against the
page's clauses that say "…的R": where the page puts A before 的R (A owns, A leads) and never B, the point has put A
on the wrong side. A relation's other side, or a trade's (向先正达供应), that the page never names at all is a party the
summary made up: no kind of body (公司, 集团) marks it as a name, only the relation does. The grounding check
(precis.grounding) asks this beside its placing and doer checks.
"""

from __future__ import annotations

import re

from precis.cjk_doers import CLAUSE
from precis.text_units import CJK_FUNCTION_CHARS
from precis.scripts import HAN

# Relations that only a named party can be the other side of (not 的原因, 的一部分).
_PARTY_RELATIONS = frozenset("子公司 全资子公司 控股子公司 母公司 控股股东 大股东 股东 供应商 客户 合作伙伴 前身".split())
# A is B's R: 瑞丰化学是明溪化工的全资子公司, 孙浩然是陈一鸣的教练.
_IS_OF = re.compile(f"(?P<a>[{HAN}·]{{2,12}}?)(?:是|为|為)(?P<b>[{HAN}·]{{2,12}}?)的(?P<r>[{HAN}]{{2,6}})")
# The other side of a trade: 向先正达供应, 向海昌银行借款.
_TRADES_WITH = re.compile(f"向(?P<b>[{HAN}·]{{2,10}}?)(?:供应|供應|供货|供貨|出售|销售|銷售|出口|采购|採購|订购|訂購|购买|購買|"
                          f"借款|贷款|貸款|转让|轉讓)")


def relation_conflicts(point: str, page: str) -> list:
    """[((start, end) in the point, (reason, evidence))] for each "A是B的R" of the point where the page's clauses
    that say "…的R" put A right before it (A's R) and never B (the span is A's), and for each party of a relation
    or trade that the page never names (the span is that party's; evidence "")."""
    out = []
    for m in _TRADES_WITH.finditer(point):
        b = m.group("b")
        if b not in page and not any(ch in CJK_FUNCTION_CHARS for ch in b):
            out.append((m.span("b"), (f"the page never names {b}", "")))
    for m in CLAUSE.finditer(point):
        found = _IS_OF.match(m.group(0))
        if not found:
            continue
        a, b, relation = found.group("a"), found.group("b"), found.group("r")
        a = next((a[k:] for k in range(len(a) - 1) if a[k:] in page), None)
        if a is None:
            continue
        if b not in page:
            # 华曜能源是国家电投的子公司 where the page names no 国家电投: a party the summary made up
            if relation in _PARTY_RELATIONS and not any(ch in CJK_FUNCTION_CHARS for ch in b):
                start = m.start() + found.start("b")
                out.append(((start, start + len(b)), (f"the page never names {b}", "")))
            continue
        owners = [c.group(0) for c in CLAUSE.finditer(page) if f"{a}的{relation}" in c.group(0)]
        if owners and not any(f"{b}的{relation}" in c.group(0) for c in CLAUSE.finditer(page)):
            start = m.start() + found.start("a") + found.group("a").find(a)
            out.append(((start, start + len(a)), (f"the page says: {owners[0]}", owners[0])))
    return out
