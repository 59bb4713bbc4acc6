"""Which body holds a side of a deal, a loan or a case, as a Chinese page says it. Pure stdlib.

"本次上市的独家保荐人为丰泽资本" where the page has 独家保荐人为华信国际证券 and 丰泽资本 only as the cornerstone investor:
every word and both bodies are the page's, in one clause; only who holds the role is wrong. The same holds for
who lends and who borrows (银行是出借方，青禾菌业是借款方), who is plaintiff (原告清江市人民检察院), who is appointed
administrator (法院指定东衡律师事务所担任管理人), who is parent and who subsidiary. A point's "role为body",
"body是/作为/担任 role" or "role body" is read against the page's clauses with the same role: where they name
its holders and none is the point's body, nor does any of them write that body beside the role, the point gives
the role to another. People's titles (院长, 指挥) are read by precis.cjk_names; this reads the sides bodies take.
The grounding check (precis.grounding) asks this beside its other Chinese relation checks.
"""

from __future__ import annotations

import re

from precis.facts import CJK_TYPE_SUFFIXES
from precis.scripts import HAN

# Sides that a body (a company, a court's party, a bank) takes; longest first, so 被上诉人 is read before 上诉人.
SIDES = tuple(sorted("""
原告 被告 第三人 上诉人 被上诉人 申请人 被申请人 申请执行人 被执行人 公诉机关
保荐人 保荐机构 联席保荐人 承销商 主承销商 联席承销商 基石投资者 战略投资者 领投方 投资方 出资方
管理人 清算人 托管人 受托人 法律顾问 财务顾问 审计机构 评估机构
出借方 借款方 贷款方 出租方 承租方 出让方 受让方 转让方 买方 卖方 甲方 乙方 委托方 受托方
发包方 承包方 总承包方 总承包商 承包商 分包商 供货方 设计方 施工方 监理方 建设方 业主方 运营方 承建方 代建方
母公司 子公司 控股股东 第一大股东 实际控制人 主办方 承办方 协办方 主办单位 承办单位 协办单位 冠名商 赞助商
""".split(), key=len, reverse=True))
_SIDE = f"(?P<side>{'|'.join(SIDES)})"
_CLAUSE = re.compile(r"[^，,。；;：:！？!?\n]+")
_HOLDER = f"(?P<holder>[{HAN}·]{{2,20}}?)"
_ENDS = r"(?=、|$)"   # several holders (A和B) stay one, which holds each
# What names a holder without naming it: the side then stands for whichever body the page meant before.
_STANDS_IN = re.compile("该|該|其|此|这|這|后者|後者|前者|对方|對方|双方|雙方|两家|兩家|它")
# Words between a body and its side: 是, 作为, 担任; a short modifier of the side may follow (是其子公司, 担任本次的).
_TAKES = "(?:也是|是|为|為|作为|作為|担任|擔任|出任)"
_FORMS = (
    # 独家保荐人为华信国际证券, 本案原告为清江市林业局
    re.compile(f"{_SIDE}(?:为|為|是){_HOLDER}{_ENDS}"),
    # 管理人由东衡律师事务所担任
    re.compile(f"{_SIDE}由{_HOLDER}(?:担任|擔任|出任)$"),
    # 银行是出借方, 丰泽资本作为基石投资者认购了…, 法院指定东衡律师事务所担任管理人
    re.compile(f"^(?P<holder>[{HAN}·]{{2,24}}?){_TAKES}(?P<modifier>(?:(?!是|为|為|作)[{HAN}]){{0,8}}?){_SIDE}"),
)
# The words that open a clause before the body it names: who appointed or hired it (法院指定, 则聘请了, 新加坡的).
_OPENING = re.compile(".*(?:[的了则則由]|指定|聘请|聘請|委托|委託|选定|選定|邀请|邀請|认为|認為|表示|称|稱)")
# A holder the clause denies (宏远建筑公司未被列为被告): the side is not its.
_DENIED = re.compile("[未不没沒非无無否]")
# A body named right after its side (原告清江市人民检察院此前请求): the name ends with a kind of body.
_KINDS = sorted({s for s in CJK_TYPE_SUFFIXES if re.fullmatch(f"[{HAN}]+", s) and (len(s) > 1 or s in "局院厂")},
                key=len, reverse=True)
_NAMED_AFTER = re.compile(f"{_SIDE}(?P<holder>[{HAN}]{{2,14}}?(?:{'|'.join(_KINDS)}))")


def sides(clause: str) -> list:
    """[(side, holder, (start, end) of the holder)] that one clause gives, less the words that open the clause
    before the holder (法院指定东衡律师事务所: 东衡律师事务所)."""
    out = []
    for pattern in _FORMS:
        for m in pattern.finditer(clause):
            if _DENIED.search(m.group("holder")):
                continue
            opening = _OPENING.match(m.group("holder"))
            start = m.start("holder") + (opening.end() if opening and opening.end() < len(m.group("holder")) - 1 else 0)
            out.append((m.group("side"), clause[start:m.end("holder")], (start, m.end("holder"))))
    if not out:
        out = [(m.group("side"), m.group("holder"), m.span("holder")) for m in _NAMED_AFTER.finditer(clause)]
    return out


def _same_holder(a: str, b: str) -> bool:
    """One body written in full or in part, or with the words that open its clause (东衡律师事务所 and
    法院指定东衡律师事务所, 浪花体育 and 浪花体育管理有限公司)."""
    return a in b or b in a


def _holds_another(body: str, side: str, clause: str, given: list) -> bool:
    """Whether the clause (`given`: its sides) makes the body the holder of another side only
    (原告江北区人民检察院请求判令被告金穗置业…: 金穗置业 is the defendant there, not the plaintiff)."""
    held = [s for s, h, _ in given if _same_holder(body, h)] + [s for s in SIDES if s + body in clause]
    return bool(held) and side not in held


def side_conflicts(point: str, page: str) -> list:
    """[((start, end) of the body in the point, (reason, the page's clause))] for each side the point gives a
    body the page names, where the page's clauses with that side name other holders, and none writes the body."""
    if not any(side in point for side in SIDES):
        return []   # most points: the page's clauses need not be read
    page_clauses = [m.group(0) for m in _CLAUSE.finditer(page)]
    out = []
    for c in _CLAUSE.finditer(point):
        for side, holder, (start, end) in sides(c.group(0)):
            # the body as the page writes it: the longest end of the holder the page has (临川的青禾菌业)
            body = next((holder[k:] for k in range(len(holder) - 1) if holder[k:] in page), None)
            if body is None or _STANDS_IN.search(body):
                continue
            with_side = [(pc, sides(pc)) for pc in page_clauses if side in pc]   # each clause read once
            if any(body in pc and not _holds_another(body, side, pc, given) for pc, given in with_side):
                continue   # 东衡律师事务所担任管理人, however the clause says it
            holders = [(h, pc) for pc, given in with_side for s, h, _ in given if s == side]
            if holders and not any(_STANDS_IN.search(h) or _same_holder(body, h) for h, _ in holders):
                at = c.start() + end - len(body)
                out.append(((at, at + len(body)), (f"the page names {holders[0][0]} as {side}", holders[0][1])))
    return out
