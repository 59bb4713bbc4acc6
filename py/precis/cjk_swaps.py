"""Two parties a Chinese point puts in each other's place, each in a clause of its own. Pure stdlib.

"石湾队夺得500米直道赛冠军，沙头村龙舟队屈居亚军" where the page has 沙头村龙舟队…夺得500米直道赛冠军 and 石湾队…屈居亚军:
both parties and both deeds are the page's, and the support share is whole; only who did which is wrong. The same
swap says who won a tender and who lost it, who ranked first and second, who got the grant. Each of the point's two
clauses is read without its party; what is left must be said more nearly of its own party in the page than of the
other one's. The grounding check (precis.grounding) asks this where no finer check has flagged the point.
"""

from __future__ import annotations

import re

from precis.cjk_doers import bigrams
from precis.facts import CJK_TYPE_SUFFIXES
from precis.scripts import HAN

# The words a body's name ends with (公司, 大学, 龙舟队, 合唱团): a party.
_KINDS = sorted({s for s in CJK_TYPE_SUFFIXES if re.fullmatch(f"[{HAN}]+", s) and (len(s) > 1 or s in "队隊局院厂馆")}
                | {"团", "團"}, key=len, reverse=True)
_KIND_END = re.compile("|".join(_KINDS))
_LONGEST_PARTY = 12
# A clause: between punctuation, a decimal point kept (以93.8分位居第二).
_CLAUSE = re.compile(r"(?:[^，,。；;：:！？!?、\s“”\"'‘’（）()《》.]|(?<=\d)\.(?=\d))+")
# How much of what a clause says besides its party the page's clause of the other party must say, and by how much
# more than any clause of its own party says it.
_MIN_CROSS_SHARE = 0.6
_MARGIN = 0.3


def _party(clause: str, page: str):
    """The longest run of the clause ending with a kind of body that the page writes too (two characters at least
    before the kind), or None; with more than one such party the clause is not read."""
    found = []
    for m in _KIND_END.finditer(clause):
        for start in range(max(0, m.end() - _LONGEST_PARTY), m.end() - len(m.group(0)) - 1):
            if clause[start:m.end()] in page:
                found.append(clause[start:m.end()])
                break
    found = [f for f in found if not any(f != g and f in g for g in found)]
    return found[0] if len(set(found)) == 1 else None


def _besides(clause: str, party: str) -> set:
    """The bigrams of what a page's clause says besides its party."""
    return set().union(*(bigrams(part) for part in clause.split(party)))


def _deed(clause: str, party: str) -> set:
    """The bigrams of what a point's clause says its party did: the words after it (福寿堂养老集团胜出), or where
    none follow, those before it (排名第二的是康颐公司); not the scene set before a party ("这次竞争性谈判中")."""
    before, _, after = clause.partition(party)
    return bigrams(after) or bigrams(before)


def _share(said: set, clauses: list) -> tuple:
    """The largest share of `said` that one of `clauses` (bigram sets) holds, with that clause's index."""
    if not said or not clauses:
        return 0.0, -1
    return max((len(said & words) / len(said), k) for k, words in clauses)


def swapped_parties(point: str, page: str):
    """([(start, end) of each party in the point], the page's clause that gives the first party's deed to the
    second), or None: a point of two clauses, a party each, whose deeds the page gives the other way round."""
    clauses = list(_CLAUSE.finditer(point))
    if len(clauses) != 2:
        return None
    parties = [_party(m.group(0), page) for m in clauses]
    a, b = parties
    if not a or not b or a in b or b in a:
        return None
    page_clauses = _CLAUSE.findall(page)
    of_a = [(k, _besides(c, a)) for k, c in enumerate(page_clauses) if a in c and b not in c]
    of_b = [(k, _besides(c, b)) for k, c in enumerate(page_clauses) if b in c and a not in c]
    said_a, said_b = _deed(clauses[0].group(0), a), _deed(clauses[1].group(0), b)
    own_a, _ = _share(said_a, of_a)
    own_b, _ = _share(said_b, of_b)
    cross_a, k = _share(said_a, of_b)
    cross_b, _ = _share(said_b, of_a)
    if cross_a >= _MIN_CROSS_SHARE and cross_b >= _MIN_CROSS_SHARE and \
            cross_a >= own_a + _MARGIN and cross_b >= own_b + _MARGIN:
        starts = [m.start() + m.group(0).find(party) for m, party in zip(clauses, parties)]
        return [(start, start + len(party)) for start, party in zip(starts, parties)], page_clauses[k]
    return None
