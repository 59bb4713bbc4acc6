"""Who placed where, as a Chinese page says it: 青川一中代表队…夺得高中组冠军，比亚军南湖外国语学校多出12分. Pure stdlib.

A point that swaps the winner and the runner-up (南湖外国语学校夺得高中组冠军，青川一中获得亚军) has every word in the
page; only the placings are given to the wrong parties. A point's clause that gives a party a placing (冠军, 亚军,
第三名, 金牌…) is read against the page's clauses that give that same party one: where the page places it, and
never where the point does, the point gives it another's place. The grounding check (precis.grounding) asks this
beside its doer checks (precis.cjk_doers).
"""

from __future__ import annotations

import re

from precis.cjk_doers import CLAUSE
from precis.scripts import HAN

# Each placing word and the place it means: 冠军 and 第一名 and 金牌 are one place.
PLACES = {"冠军": 1, "冠軍": 1, "第一名": 1, "金牌": 1, "亚军": 2, "亞軍": 2, "第二名": 2, "银牌": 2, "銀牌": 2,
          "季军": 3, "季軍": 3, "第三名": 3, "铜牌": 3, "銅牌": 3}
_PLACE = "|".join(sorted(PLACES, key=len, reverse=True))
# Verbs that give a party its place (夺得高中组冠军, 获得亚军, 屈居第二名).
_WIN = "夺得|奪得|获得|獲得|摘得|拿下|夺取|奪取|取得|得到|成为|成為|位列|屈居|获|獲"
# A party before its verb and place; between them a team word, a score, a contest (以总分286分, 在挑战赛中).
_PLACED_AFTER = re.compile(f"(?:代表队|代表隊|队|隊)?[^，。；]{{0,16}}?(?:{_WIN})了?[{HAN}]{{0,8}}?(?P<place>{_PLACE})")
# A place before its party (亚军南湖外国语学校, 季军是东道主合肥一中); not a title from before (卫冕冠军, 上届冠军).
_PLACE_BEFORE = re.compile(f"(?<!卫冕)(?<!衛冕)(?<!上届)(?<!上屆)(?<!前)(?P<place>{_PLACE})(?:是|为|為)?(?:东道主|東道主)?\\Z")
# How far before a party its place may start (季军是东道主 and the characters a lookbehind reads).
_BEFORE_REACH = 12
# Where a party's name ends when a clause opens with it (青川一中代表队以…, 东海鲸鲨队连续第二年获得…).
_PARTY_OPENING = re.compile(f"^(?P<party>[{HAN}·]{{2,12}}?)(?=代表队|代表隊|队|隊|的|以|在|于|於|连续|連續|首次|再次|也|"
                            f"去年|今年|本届|本屆|此前|曾|又|还|還|{_WIN})")
# (not a prize: 冠军奖金)
_PARTY_AFTER = re.compile(f"(?:{_PLACE})(?!奖|獎)(?:是|为|為)?(?:东道主|東道主)?(?P<party>[{HAN}·]{{2,12}})")


def _page_places(party: str, page: str) -> dict:
    """{place: placing word} the page gives `party` in any clause: after it (…夺得冠军) or right before it (亚军…)."""
    out: dict = {}
    for m in CLAUSE.finditer(page):
        clause = m.group(0)
        at = clause.find(party)
        while at >= 0:
            after = _PLACED_AFTER.match(clause, at + len(party))
            before = _PLACE_BEFORE.search(clause, max(0, at - _BEFORE_REACH), at)
            for found in (after, before):
                if found:
                    out.setdefault(PLACES[found.group("place")], found.group("place"))
            at = clause.find(party, at + 1)
    return out


def _point_placings(point: str, page: str) -> list:
    """[(party, (start, end) in the point, place)] of each clause of the point that places a party the page
    names: opening the clause before its verb (南湖外国语学校夺得…冠军), or after the place (亚军是青川一中)."""
    out = []
    for m in CLAUSE.finditer(point):
        clause = m.group(0)
        opening = _PARTY_OPENING.match(clause)
        if opening and opening.group("party") in page:
            placed = _PLACED_AFTER.match(clause, opening.end())
            if placed:
                out.append((opening.group("party"), (m.start(), m.start() + opening.end()), PLACES[placed.group("place")]))
        for after in _PARTY_AFTER.finditer(clause):
            run = after.group("party")
            party = next((run[:n] for n in range(len(run), 1, -1) if run[:n] in page), None)
            if party:
                start = m.start() + after.start("party")
                place = PLACES[re.match(_PLACE, clause[after.start():]).group(0)]
                out.append((party, (start, start + len(party)), place))
    return out


def placing_conflicts(point: str, page: str) -> list:
    """[((start, end) of the party in the point, (reason, evidence))] for each party the point gives a place the
    page never gives it, where the page gives it another ("the page names 南湖外国语学校 as 亚军")."""
    out = []
    if not re.search(_PLACE, point):
        return out
    for party, span, place in _point_placings(point, page):
        theirs = _page_places(party, page)
        if theirs and place not in theirs:
            word = theirs[min(theirs)]
            out.append((span, (f"the page names {party} as {word}", word + party if word + party in page else party)))
    return out
