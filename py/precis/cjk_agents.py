"""Who a deed was done by, as a Chinese page says it with 由 (清溪河上一次大规模疏浚…由省航道局负责), and whose a thing is
(市场的产权属于区国资公司, 游泳馆的产权仍归文体局所有). Pure stdlib.

A point that gives the deed to another body or person (清溪河上一次大规模疏浚由江海航道工程公司负责) has every word of the
deed in the page, and often the other party too; only the agent is wrong. A point's "thing由agent verb" is read
against the page's sentences that say the same thing (most of its character pairs) with the same verb: where each
names its agent (由X verb, or X opening the clause of the verb: 省文化和旅游厅10月18日公布…名单) and none is the
point's, the point gives the deed to another. The grounding check (precis.grounding) asks this beside its Chinese
doer check (precis.cjk_doers), which reads agents that open a clause.
"""

from __future__ import annotations

import re

from precis.cjk_doers import bigrams
from precis.scripts import HAN

# Deeds a page says with 由 and their agent: who was in charge, who gave, who made, who announced.
_DEEDS = ("负责|負責|主讲|主講|主持|公布|发布|發布|完成|提供|承担|承擔|设计|設計|建造|施工|主办|主辦|承办|承辦|组织|組織|"
          "牵头|牽頭|出资|出資|拨付|撥付|投资|投資|运营|運營|管理|颁发|頒發|批准|审批|審批|举办|舉辦|资助|資助|获得|獲得|摘得|夺得|奪得")
# The verb is no part of the agent's name (由上海锐影建筑设计事务所设计: 设计事务所 names it).
_NAME_GOES_ON = "(?!事务所|事務所|公司|集团|集團|单位|單位|研究|咨询|諮詢|[院所局厅廳部处處室团團方师師])"
_BY = re.compile(f"由(?P<agent>[{HAN}·]{{2,24}}?)(?:负责|負責)?(?P<verb>{_DEEDS}){_NAME_GOES_ON}")
_CLAUSE_PUNCT = re.compile("[，,。；;：:！？!?\n]")
# Whose a thing is (市场的产权属于区国资公司, 游泳馆的产权仍归文体局所有): the owner is its agent, 属于 its deed.
_OWNS = "属于"
_OWNED = (re.compile(f"(?:属于|屬於)(?P<agent>[{HAN}·]{{2,16}}?)(?=[，,。；;：:！？!?\n]|$)"),
          re.compile(f"(?:归|歸)(?P<agent>[{HAN}·]{{2,16}}?)所有(?=[，,。；;：:！？!?\n]|$)"))
_SENTENCE = re.compile(r"[^。！？!?\n]+")
# What opens a clause before its agent or ends the agent before a verb: a date, a time word.
_NOT_AGENT = re.compile(f"[0-9０-９]|(?:今年|去年|明年|目前|已经|已經|随后|隨後|曾|将|將|已|于|於|在)")
_MIN_THING_SHARE = 0.6
# How much of the thing a sentence that gives the point's own agent the verb must say to be about it (冠军由…获得 of
# another race is not).
_MIN_OWN_SHARE = 0.3
# The parties of a joint agent, and the word that says they act together.
_PART = re.compile("[^和与與及、]+")
_TOGETHER = re.compile("(?:共同|联合|聯合|一起|一同)$")


def _same_agent(a: str, b: str) -> bool:
    """One agent written in full or in part (郭远舟, 市天文学会会长郭远舟): a common run of three characters, or the
    shorter whole within the longer."""
    short, long_ = sorted((a, b), key=len)
    return short in long_ or any(short[i:i + 3] in long_ for i in range(len(short) - 2))


def _parts(agent: str, start: int = 0) -> list:
    """[(party, start)] of an agent that names several (青溪市人民政府和省陶瓷行业协会共同): each is given the deed."""
    out = []
    for m in _PART.finditer(agent):
        party = _TOGETHER.sub("", m.group(0))
        if len(party) >= 2:
            out.append((party, start + m.start()))
    return out


def _agents_in(sentence: str, verb: str) -> list:
    """The agents `sentence` gives the deed `verb`, each party of a joint one apart: 由X verb, and a clause opening
    with X before verb (省文化和旅游厅10月18日公布), X cut at a date or a time word."""
    if verb == _OWNS:
        return [party for pattern in _OWNED for m in pattern.finditer(sentence) for party, _ in _parts(m.group("agent"))]
    out = [party for m in _BY.finditer(sentence) if m.group("verb") == verb for party, _ in _parts(m.group("agent"))]
    for clause in _CLAUSE_PUNCT.split(sentence):
        found = re.search(f"{verb}{_NAME_GOES_ON}", clause)
        at = found.start() if found else -1
        if at < 2 or "由" in clause[:at]:   # (商会已向主办方建议: 主办方 is a name, not the deed)
            continue
        opening = clause[:at]
        cut = _NOT_AGENT.search(opening)
        agent = opening[:cut.start()] if cut else opening
        if len(agent) >= 2 and re.fullmatch(f"[{HAN}·]+", agent):
            out.append(agent)
    return out


def agent_conflicts(point: str, page: str) -> list:
    """[((start, end) of the agent in the point, (reason, the page's sentence))] for each "thing由agent verb" of the point
    where the page's sentences that say the same thing with the same verb each name an agent, none of them the
    point's, and the page nowhere gives the point's agent that verb."""
    deeds = [(m, m.group("verb")) for m in _BY.finditer(point)] + \
        [(m, _OWNS) for pattern in _OWNED for m in pattern.finditer(point)]
    if not deeds:
        return []   # most points: the page's sentences need not be read
    out = []
    sentences = [m.group(0) for m in _SENTENCE.finditer(page)]
    for m, verb in deeds:
        clause_start = max((c.end() for c in _CLAUSE_PUNCT.finditer(point, 0, m.start())), default=0)
        thing = bigrams(point[clause_start:m.start()])
        if len(thing) < 2:
            continue
        # each sentence once: its agents of the verb, and how much of the thing it says
        read = [(s, _agents_in(s, verb), len(thing & bigrams(s)) / len(thing)) for s in sentences]
        saying = [(s, agents) for s, agents, share in read
                  if (any(p.search(s) for p in _OWNED) if verb == _OWNS else verb in s) and share >= _MIN_THING_SHARE]
        # one name with 和 in it (省文化和旅游厅) where the page writes it so; else each party of a joint agent
        whole = _TOGETHER.sub("", m.group("agent"))
        parts = [(whole, m.start("agent"))] if whole in page else _parts(m.group("agent"), m.start("agent"))
        for agent, start in parts:
            if any(_same_agent(agent, a) for s, agents, share in read for a in agents
                   if (agent in s or a == agent) and share >= _MIN_OWN_SHARE):
                continue
            if saying and all(agents and not any(_same_agent(agent, a) for a in agents) for _, agents in saying):
                sentence, agents = saying[0]
                said = f"属于{'、'.join(agents)}" if verb == _OWNS else f"由{'、'.join(agents)}{verb}"
                out.append(((start, start + len(agent)), (f"the page says {said}", sentence)))
    return out
