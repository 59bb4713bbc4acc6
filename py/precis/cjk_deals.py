"""Who buys whom, as a Chinese page says it. Pure stdlib.

"百信以约18亿元收购康宁的全部股份" against the page's "由康宁以约18亿元收购百信的全部股份": both parties, the price and
the verb are in the page; only the buyer and the bought have traded places. The page may name its buyer in any of
the ways a deal is told (康宁收购百信, 百信被康宁收购, 把全部股权出售给鲜禾食品); a point that buys with the party the
page has bought, and never names the page's buyer as buying, is flagged. The grounding check (precis.grounding) asks
this beside its other Chinese relation checks (precis.cjk_relations, precis.cjk_shares).
"""

from __future__ import annotations

import re

from precis.cjk_shares import same_party
from precis.scripts import HAN
from precis.text_units import CJK_FUNCTION_CHARS

_PARTY = f"[{HAN}·]{{2,12}}?"
_OPENS = r"(?:(?<=^)|(?<=[，,。；;：:、\s由]))(?!由)"   # a party opens its clause, or follows 由
_WHEN = "(?:将|將|已|已经|已經|拟|擬|计划|計劃|宣布|同意|决定|決定|正式)"
_PRICE = "(?:以[^，,。；;]{1,14}?)?"
_BUY = "(?:收购|收購|并购|併購|买下|買下|购入|購入)(?!价|價)了?"   # not 收购价, a price; 收购了 as 收购
_BOUGHT_ENDS = "(?=的|全部|全资|全資|股份|股权|股權|[0-9０-９]|[，,。；;]|$)"
_NOT_A_PARTY = re.compile("说|說|曾|表示|称|稱|今年|去年|明年|目前")
_DEALS = (
    # 康宁以约18亿元收购百信的全部股份, 由康宁收购百信
    ("buys", re.compile(f"{_OPENS}(?P<buyer>{_PARTY}){_WHEN}*{_PRICE}{_BUY}(?P<bought>{_PARTY}){_BOUGHT_ENDS}")),
    # 百信被康宁以约18亿元收购
    ("buys", re.compile(f"{_OPENS}(?P<bought>{_PARTY})(?:将|將|已)?被(?P<buyer>{_PARTY}){_PRICE}{_BUY}")),
    # 2015年被华甘糖业收购, the bought named before (该厂): the buyer only
    ("buys", re.compile(f"被(?P<buyer>{_PARTY}){_PRICE}{_BUY}")),
    # 把全部股权出售给调味品企业鲜禾食品: the buyer only
    ("sold to", re.compile(f"(?:出售|卖|賣|转让|轉讓)给(?:[{HAN}]{{2,3}}的)?(?P<buyer>{_PARTY}){_BOUGHT_ENDS}")),
)


def _named(party: str) -> bool:
    """Whether a run of characters can be a party's name: no function character (这次收购并非: no buyer) and no
    word of saying or time (华信的负责人赵磊说, 康宁曾)."""
    return not any(ch in CJK_FUNCTION_CHARS for ch in party) and not _NOT_A_PARTY.search(party)


def deals(text: str) -> list:
    """[(buyer, the party bought or None, (start, end) of the buyer)] of every deal `text` tells."""
    out = []
    for _, pattern in _DEALS:
        for m in pattern.finditer(text):
            buyer, bought = m.group("buyer"), m.groupdict().get("bought")
            if _named(buyer) and (bought is None or _named(bought)) and \
                    not any(span == m.span("buyer") for _, _, span in out):   # 百信被康宁收购: once, with the bought
                out.append((buyer, bought, m.span("buyer")))
    return out


def deal_conflicts(point: str, page: str) -> list:
    """[((start, end) in the point, (reason, evidence))] for a point's buyer that buys the party the page names as the
    buyer, where the page never has the point's buyer buy."""
    mine = [(buyer, bought, span) for buyer, bought, span in deals(point) if bought]
    if not mine:
        return []
    theirs = [buyer for buyer, _, _ in deals(page)]
    out = []
    for buyer, bought, span in mine:
        page_buyer = next((b for b in theirs if same_party(bought, b)), None)
        if page_buyer and buyer in page and not any(same_party(buyer, b) for b in theirs):
            out.append((span, (f"the page says {page_buyer} is the buyer", page_buyer)))
    return out
