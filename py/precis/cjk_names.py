"""Chinese names as the page spells them and the roles it gives them. Pure stdlib.

Two errors small models make in Chinese that a check of "is this fact in the page" misses,
because every character of the point is somewhere in the page:

- a name one character off: 山上科技馆 for the page's 上海科技馆 (the point's "科技馆" is the
  page's, the character before it is not);
- a person given another's role or organisation: 策展人赵明 where the page's curator is 李婉清
  and 赵明 its director; 迅达总裁刘国华 where 刘国华 is 顺航's president.

The grounding check (precis.grounding) asks these after its own fact and relation checks.
"""

from __future__ import annotations

import re
from typing import Optional

from precis.numbers import CJK_NUMERAL_CHARS
from precis.scripts import HAN
from precis.text_units import CJK_FUNCTION_CHARS

# A character before a name that qualifies it rather than spells it: "该科技馆", "新馆", "原局长".
_QUALIFIERS = frozenset("该該此本每各全新老旧舊原前后後首大小其这這那另座家所条條位名")
_IDEOGRAPH = re.compile(f"[{HAN}]")


def _spelling_char(ch: str) -> bool:
    """A character that can be part of a name's spelling: an ideograph that is no function word,
    numeral or qualifier."""
    return bool(_IDEOGRAPH.fullmatch(ch)) and ch not in CJK_FUNCTION_CHARS and ch not in CJK_NUMERAL_CHARS \
        and ch not in _QUALIFIERS


def page_spelling(point: str, start: int, end: int, page: str) -> Optional[str]:
    """The page's spelling of the name point[start:end] when the point writes it with another
    character in front ("山上科技馆": "上海科技馆"); None when the point's spelling is the page's, when
    a qualifier stands in front (该科技馆), or when the page never writes the name with anything in front."""
    name = point[start:end]
    if start == 0 or not _spelling_char(point[start - 1]):
        return None
    if point[start - 1] + name in page:
        return None
    at, longer = page.find(name), None
    while at >= 0:
        head = at
        while head > 0 and at - head < 2 and _spelling_char(page[head - 1]):
            head -= 1
        if head < at:   # a bare mention later (科技馆馆长) is the same place, named in full before
            longer = longer or page[head:at + len(name)]
        at = page.find(name, at + 1)
    return longer


# ---- who holds which role ------------------------------------------------------------------

# Longest first, so 项目经理 is read before 经理.
ROLE_WORDS = tuple(sorted("""
项目经理 总经理 经理 总裁 副总裁 董事长 首席执行官 创始人 联合创始人 策展人 发言人 负责人 主持人
局长 副局长 会长 馆长 镇长 市长 县长 省长 校长 院长 厂长 所长 部长 处长 村长 队长 主任 主席 总监
总工程师 工程师 教授 研究员 律师 导演 设计师 建筑师 顾问 主编 教练 船长 机长
""".split(), key=len, reverse=True))
_NAME_FIRST_STOPS = CJK_FUNCTION_CHARS | frozenset("此曾也表说將将已今去还還均亦称稱认認指透介对對")
# After the name: a verb of saying, a function word, punctuation or the end.
_AFTER_NAME = "(?=表示|说|說|称|稱|则|認為|认为|在|的|担任|將|将|指出|透露|介绍|此前|曾|也|对|對|和|与|與|[，,。、；;！？!?\\s]|$)"
_HOLDER = re.compile(f"(?P<role>{'|'.join(ROLE_WORDS)})(?:是|为|為)?(?P<name>[{HAN}]{{2,3}}?){_AFTER_NAME}")
# Words too general to name the organisation a role belongs to.
_GENERIC_BODIES = frozenset("公司 集团 企业 机构 部门 协会 学校 医院 政府 项目 工程 团队 方面 官方".split())


def role_holders(text: str) -> list:
    """[(role, name, start, end, body)] of every "role name" of `text` (镇长安娜, 项目经理是王海涛): the
    span is the name's, body the up to four name characters just before the role (顺航 in
    顺航总裁刘国华, 华建集团 in 华建集团的项目经理), "" when there are none."""
    out = []
    for m in _HOLDER.finditer(text):
        name = m.group("name")
        if name[0] in _NAME_FIRST_STOPS:
            continue
        tail = m.start() - 1 if text[max(0, m.start() - 1):m.start()] == "的" else m.start()  # 华建集团的项目经理
        head = tail
        while head > 0 and tail - head < 4 and _spelling_char(text[head - 1]):
            head -= 1
        out.append((m.group("role"), name, m.start("name"), m.end("name"), text[head:tail]))
    return out


def role_conflicts(point: str, page: str, page_holders: list) -> list:
    """[((start, end) in the point, (reason, evidence))] for each person the point gives a role the page gives
    to someone else ("the page names 李婉清 as 策展人"), or places under another organisation the
    page also names ("the page says 刘国华 is 顺航总裁"); evidence: what the page writes there."""
    out = []
    for role, name, start, end, body in role_holders(point):
        if name not in page:
            continue   # a name the page lacks is the fact check's to flag
        same_role = [h for h in page_holders if h[0] == role]
        mine = [h for h in same_role if h[1] == name]
        if same_role and not mine:
            out.append(((start, end), (f"the page names {same_role[0][1]} as {role}", same_role[0][1])))
            continue
        page_bodies = [h[4] for h in mine if h[4]]
        # The point's organisation: the longest end of its body the page also names (收购后迅达: 迅达).
        body = next((body[-k:] for k in range(len(body), 1, -1) if body[-k:] in page), "")
        if body and page_bodies and body not in _GENERIC_BODIES \
                and not any(_share_bigram(body, b) for b in page_bodies):
            at = point.rfind(body, 0, start)
            out.append(((at, at + len(body)), (f"the page says {name} is {page_bodies[0]}{role}",
                                               page_bodies[0] + role)))
    return out


def _share_bigram(a: str, b: str) -> bool:
    return any(a[i:i + 2] in b for i in range(len(a) - 1)) or (len(a) == 1 and a in b)
