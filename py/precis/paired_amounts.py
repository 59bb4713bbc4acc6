"""Which amount goes with which party, as one sentence pairs them: "£1.35 million from the Heritage Lottery Fund and
£200,000 from Northgate Media", "Varga received £12,000 and Kral £8,000", 其中雄性8只、雌性3只, and, outside a list,
公司已派出6名技术人员 (6 with 技术 after it and 公司已派出 before it, each as written). Pure stdlib.

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
from precis.numbers import cjk_number
from precis.scripts import HAN

# Between an amount and the party it comes from or goes to: "£200,000 from the Gazette's owner", "£5 million a year to".
_AMOUNT_THEN_NAME = re.compile(r"\s+(?:(?:a|per|each)\s+[a-z]+\s+)?(?:from|to|for|by)\s+(?:the\s+)?(?:[a-z'’-]+\s+){0,2}")
# An amount that comes from a party with no name: "£12 million came from the council", "$3m from the city".
_FROM_UNNAMED = re.compile(r"\s+(?:(?:came|comes|come|was|were)\s+)?(?:from|by)\s+the\s+[a-z]")
# A Chinese count in a list: the thing and its count (其中雄性8只, 、雌性3只), or the count and the thing (两名兽医和).
_CJK_COUNT = "(?P<count>\\d+|[零〇一二两三四五六七八九十百千]+)"
_MEASURE = "(?P<measure>[名位个個座条條只隻头頭件辆輛艘架张張家所]|万元|元)"
_CJK_THING_THEN_COUNT = re.compile(f"(?<=[、，,；;和与與])(?:其中)?(?!其中)(?P<thing>[{HAN}]{{2,4}}){_CJK_COUNT}{_MEASURE}")
# A thing and the amount it is (冠军奖金为1000万元，亚军奖金为500万元).
_CJK_THING_IS_COUNT = re.compile(f"(?P<thing>[{HAN}]{{2,4}})(?:为|為|是|达到|達到|达|達)(?:约|約)?{_CJK_COUNT}{_MEASURE}")
_CJK_COUNT_THEN_THING = re.compile(f"(?<![\\d零〇一二两三四五六七八九十百千]){_CJK_COUNT}{_MEASURE}"
                                   f"(?P<thing>[{HAN}]{{2,3}}?)(?=[和与與、，,。；;]|$)")
# Any count of a thing, not only in a list: the two characters after the count (6名技术人员: 技术; 九个省市的: 省市), and the
# up to six before it, past a quantity word (氯化锂资源量约80万吨: 氯化锂资源量; 金奖的团队有9支), each as written.
_ANY_MEASURE = ("(?P<measure>[名位个個座条條只隻头頭件辆輛艘架张張家所支处處项項台套间間]|万人次|萬人次|人次|万人|萬人|万吨|萬噸|吨|噸|万元|萬元|亿元|億元|元"
                "|平方公里|公里|公顷|公頃)")
_QUANTITY_WORD = "(?:为|為|是|有|达到|達到|达|達|约|約|超过|超過|不到|近|逾|共)"
# 一 before these is the article "a" (一家企业, 一位专家), not a count.
_ARTICLE_MEASURES = frozenset("个個位项項种種座家条條")
_CJK_COUNT_BEFORE_TWO = re.compile(f"(?<![\\d零〇一二两三四五六七八九十百千]){_CJK_COUNT}{_ANY_MEASURE}的?(?P<thing>[{HAN}]{{2}})")
_CJK_SIX_BEFORE_COUNT = re.compile(f"(?P<thing>(?:(?!{_QUANTITY_WORD})[{HAN}]){{2,6}}?){_QUANTITY_WORD}*"
                                   f"(?<![零〇一二两三四五六七八九十百千]){_CJK_COUNT}{_ANY_MEASURE}")
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


def cjk_count_pairs(text: str) -> list:
    """[(value, the thing counted, (start, end) of it, the count as written)] of every count a Chinese list gives
    a thing: 其中雄性8只、雌性3只 (the thing first), 冠军奖金为1000万元 (the thing and what it is), 两名兽医和一名饲养员
    (the count first)."""
    out = []
    for pattern in (_CJK_THING_THEN_COUNT, _CJK_THING_IS_COUNT, _CJK_COUNT_THEN_THING):
        for m in pattern.finditer(text):
            value = cjk_number(m.group("count"))
            if value is not None and text[max(0, m.start("count") - 1):m.start("count")] != "第":   # 第一家: an ordinal
                out.append((value, m.group("thing"), m.span("thing"), m.group("count") + m.group("measure")))
    return out


def cjk_any_count_pairs(text: str) -> list:
    """cjk_count_pairs, and every other count with the characters next to it (_cjk_counts_outside_lists)."""
    listed = cjk_count_pairs(text)
    return listed + _cjk_counts_outside_lists(text, listed)


def _cjk_counts_outside_lists(text: str, listed: list) -> list:
    """Counts `listed` (cjk_count_pairs of `text`) does not hold, with the characters next to them
    (_CJK_COUNT_BEFORE_TWO, _CJK_SIX_BEFORE_COUNT): 公司已派出6名技术人员 gives 6 to 技术 and to 公司已派出."""
    out = []
    seen = {(value, thing) for value, thing, *_ in listed}
    for pattern in (_CJK_COUNT_BEFORE_TWO, _CJK_SIX_BEFORE_COUNT):
        for m in pattern.finditer(text):
            value = cjk_number(m.group("count"))
            if text[max(0, m.start("count") - 1):m.start("count")] == "第" or \
                    (m.group("count") == "一" and m.group("measure") in _ARTICLE_MEASURES):
                continue   # 第一家: an ordinal; 一家企业: an article
            if pattern is _CJK_SIX_BEFORE_COUNT and len(m.group("thing")) < 6 and m.start() > 0 and \
                    re.match(f"[{HAN}]", text[m.start() - 1]):
                continue   # 两家公司共有约1100家: 公司 is what 两家 counts, not what 1100家 is
            if value is not None and (value, m.group("thing")) not in seen:
                seen.add((value, m.group("thing")))
                out.append((value, m.group("thing"), m.span("thing"), m.group("count") + m.group("measure")))
    return out


def pairing_conflicts(point: str, point_facts: list, sentences: list, same_number: Callable,
                      numbers_said: frozenset = frozenset()) -> list:
    """[((start, end) of the party in the point, (reason, index into `sentences`))] for each amount and party the
    point pairs where a sentence of the page (`sentences`: (text, facts) each) pairs that amount with another party
    and that party with another amount: English amounts and parties (amount_pairs, compared with `same_number` and
    same_party), and Chinese counts of things (cjk_any_count_pairs, compared as written). A pairing some sentence of
    the page makes is no conflict, whatever another sentence pairs; a count is reported once, and a count outside a
    list not at all where its number is among `numbers_said`, already flagged (the characters read with it there
    match well but tell a reader little)."""
    def english(text, facts):
        return [(a.key, n.text) for a, n in amount_pairs(text, facts)]

    def chinese(text, _):
        return [(value, thing) for value, thing, *_ in cjk_any_count_pairs(text)]

    equal = lambda a, b: a == b  # noqa: E731
    # 湖区锂盐储量 is the page's 锂盐储量: one thing, one read further back
    same_thing = lambda a, b: a == b or min(len(a), len(b)) >= 3 and (a.endswith(b) or b.endswith(a))  # noqa: E731
    claims = [(a.key, a.text, n.text, (n.start, n.end), english, same_number, same_party)
              for a, n in amount_pairs(point, point_facts)]
    listed = cjk_count_pairs(point)
    outside = [(value, thing, span, written) for value, thing, span, written in _cjk_counts_outside_lists(point, listed)
               if not any(written in said for said in numbers_said)]
    claims += [(value, written, thing, span, chinese, equal, same_thing)
               for value, thing, span, written in listed + outside]
    read = {}   # (pairs_of, sentence index) -> the sentence's pairs, read once

    def pairs_in(pairs_of, j):
        if (pairs_of, j) not in read:
            read[(pairs_of, j)] = pairs_of(*sentences[j])
        return read[(pairs_of, j)]

    out = []
    reported = set()
    for amount, written, party, span, pairs_of, same_amount, same in claims:
        if (amount, written) in reported or any(same_amount(amount, a) and same(party, n)
                                                for j in range(len(sentences)) for a, n in pairs_in(pairs_of, j)):
            continue
        for j, (text, facts) in enumerate(sentences):
            pairs = pairs_in(pairs_of, j)
            others = [n for a, n in pairs if same_amount(amount, a) and not same(party, n)]
            elsewhere = [a for a, n in pairs if same(party, n) and not same_amount(amount, a)]
            if not elsewhere or any(same_amount(amount, a) and same(party, n) for a, n in pairs):
                continue
            if others:
                out.append((span, (f"the page pairs {written} with {others[0]}", j)))
                reported.add((amount, written))
                break
            # a thing of three characters or more (高级道) is named closely enough that another count of it, and of
            # this count nowhere, is the page contradicted
            if pairs_of is chinese and len(party) >= 3:
                out.append((span, (f"the page gives {party} {elsewhere[0]:g}", j)))
                reported.add((amount, written))
                break
            # the sentence gives the amount to a party it names in no other way ("£12 million came from the council
            # and £6 million from the National Stage Fund"): the point's party has its own amount there
            if pairs_of is english and any(f.kind == "number" and same_amount(amount, f.key)
                                           and _FROM_UNNAMED.match(text, f.end) for f in facts):
                given = next(f.text for f in facts if f.kind == "number" and same_amount(elsewhere[0], f.key))
                out.append((span, (f"the page pairs {party} with {given}", j)))
                reported.add((amount, written))
                break
    return out
