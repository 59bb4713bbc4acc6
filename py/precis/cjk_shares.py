"""Who pays a share and who pays the rest, as a Chinese page says it. Pure stdlib.

"总投资中4亿元由县政府承担，其余由省级财政筹集" against the page's "其中省级财政承担4亿元，其余由县政府筹集": both parties,
the amount and every word are in the page; only the two parties have traded places. A point that gives the share to
the party the page gives the rest to, and the rest to the one the page gives the share to, is flagged. The grounding
check (precis.grounding) asks this beside its other Chinese relation checks (precis.cjk_relations).
"""

from __future__ import annotations

import re

from precis.scripts import HAN

_PAYS = "承担|承擔|负担|負擔|出资|出資|支付|提供|筹集|籌集|自筹|自籌|补足|補足|负责|負責|拨付|撥付"
_PARTY = f"[{HAN}]{{2,10}}?"
_AMOUNT = r"[约約]?[0-9０-９.．零〇一二两兩三四五六七八九十百千万萬亿億]+(?:成|%|％|元|万元|萬元|亿元|億元)"
_THE_REST = f"[，,]其余(?:部分|资金|資金|的)?(?:则|則)?(?:由)?(?P<rest>{_PARTY})(?:{_PAYS})"
_SHARES = (
    # 省财政承担六成，其余由市政府支付
    re.compile(f"(?P<share>{_PARTY})(?:{_PAYS})(?P<amount>{_AMOUNT}){_THE_REST}"),
    # 4亿元由县政府承担，其余由省级财政筹集
    re.compile(f"(?P<amount>{_AMOUNT})由(?P<share>{_PARTY})(?:{_PAYS}){_THE_REST}"),
)
# Words that open the run before a party without naming it (其中省级财政承担: 省级财政).
_OPENING = re.compile("^(?:其中|其|中|由|则|則)+")


def shares(text: str) -> list:
    """[(party with the share, the amount, party with the rest, (start, end) of the sharing party)] of `text`."""
    out = []
    for pattern in _SHARES:
        for m in pattern.finditer(text):
            share = _OPENING.sub("", m.group("share"))
            start = m.end("share") - len(share)
            out.append((share, m.group("amount").lstrip("约約"), m.group("rest"), (start, m.end("share"))))
    return out


def same_party(a: str, b: str) -> bool:
    """One party named in full or in part (省级财政 for 省级财政厅; 鲜禾食品 for 调味品企业鲜禾食品)."""
    return a in b or b in a


def share_conflicts(point: str, page: str) -> list:
    """[((start, end) in the point, (reason, evidence))] for a share the point gives to the party the page gives the
    rest to, and the rest to the party the page gives the share to."""
    mine = shares(point)
    if not mine:
        return []
    theirs = shares(page)
    out = []
    for share, amount, rest, span in mine:
        for their_share, their_amount, their_rest, _ in theirs:
            if amount == their_amount and same_party(share, their_rest) and same_party(rest, their_share) \
                    and not same_party(share, their_share):
                out.append((span, (f"the page says {their_share} pays {amount} and {their_rest} the rest", their_share)))
                break
    return out
