"""Words that say opposite things of the same event, in English and Chinese. Pure stdlib.

"The Commission accepted the argument" against the page's "the Commission rejected that claim", "levels below
the threshold" against "above the threshold", 价格下降 against 价格上涨: no negation word marks the error, and
every other word of the point is the page's. The grounding check (precis.grounding) compares the point's clause
with the page's clause it matches best.

    opposite_words("The Commission accepted it")  -> [(15, 23, "assent", 1)]
"""

from __future__ import annotations

import re

# group -> (words that say it one way, words that say it the other way); English words with their inflections.
_OPPOSITES = {
    # (not "fell ill", "fallen asleep": no amount went down)
    "direction": (r"ris(?:e|es|en|ing)|rose|increas(?:e|es|ed|ing)|gr[eo]w(?:s|n|ing)?|higher|above"
                  r"|上升|上涨|上漲|增加|增长|增長|提高|高于|高於|扩大|擴大|上调|上調",
                  r"(?:fall(?:s|en|ing)?|fell)(?! (?:ill|asleep|apart|silent|victim)\b)|decreas(?:e|es|ed|ing)|declin(?:e|es|ed|ing)|dropp?(?:s|ed|ing)?|lower"
                  r"|below|shr[ai]nk(?:s|ing)?|shrunk|下降|下跌|减少|減少|降低|低于|低於|缩小|縮小|下调|下調"),
    "assent": (r"accept(?:s|ed|ing)?|approv(?:e|es|ed|ing)|agree(?:s|d|ing)?|support(?:s|ed|ing)?|uph[eo]ld(?:s|ing)?"
               r"|同意|支持|批准|接受",
               r"reject(?:s|ed|ing)?|refus(?:e|es|ed|ing)|oppos(?:e|es|ed|ing)|反对|反對|拒绝|拒絕|否决|否決|驳回|駁回"),
    # keeping what one has, against losing it ("will keep their jobs"; not "keep the office open")
    "outcome": (r"w[oi]n(?:s|ning)?|(?:keep(?:s|ing)?|kept)(?= (?:their|his|her|its|the|all) (?:[a-z]+ )?"
                r"(?:jobs?|titles?|seats?|places?|posts?|homes?|licen[cs]es?|majority|lead)\b)", r"los(?:e|es|ing|t)"),
    "timing": (r"on time|on schedule|as planned|如期|按期|按时|按時|准时|準時",
               r"delayed|late|behind schedule|later than (?:planned|expected|scheduled)|推迟|推遲|延期|延迟|延遲|晚了|拖延|逾期"),
    "open": (r"open(?:ing|ed|s)?|reopen(?:ing|ed|s)?|开放|開放|开业|開業|重开|重開|营业|營業",
             r"clos(?:ing|ed|es|e)|shut(?:ting|s)?|关闭|關閉|关门|關門|停业|停業|歇业|歇業"),
    # the two sides of a sale or a loan (买方顾问 against the page's 卖方顾问)
    "sale": (r"buyers?|purchasers?|买方|買方|买家|買家|收购方|收購方", r"sellers?|卖方|賣方|卖家|賣家|出售方"),
    "loan": (r"lenders?|贷款方|貸款方|出借方|债权人|債權人", r"borrowers?|借款方|借款人|债务人|債務人"),
    # paying and not ("将收取门票" against the page's "都不收费")
    "charge": (r"收费|收費|收取|付费|付費|购票|購票|买票|買票|charg(?:e|es|ed|ing)(?= (?:for|visitors|users|admission|entry|a fee))",
               r"免费|免費|free of charge|for free|no charge"),
    # staying where one is, against moving away ("would not move the office out of Leeds": it stays)
    "moving": (r"stay(?:s|ed|ing)?|remain(?:s|ed|ing)?", r"mov(?:e|es|ed|ing)|relocat(?:e|es|ed|ing)|leav(?:e|es|ing)"),
    "permission": (r"allow(?:s|ed|ing)?|permit(?:s|ted|ting)?|welcome|允许|允許|可以|准许|準許",
                   r"ban(?:s|ned|ning)?|forb[ia]d(?:s|den|ding)?|prohibit(?:s|ed|ing)?|禁止"),
    # the sides of a place ("the north stand" against the page's "the south stand"); written in lower case only, as a
    # name's ("North Sea", "West Ham") is no side
    "compass_ns": (r"north(?:ern)?", r"south(?:ern)?"),
    "compass_ew": (r"east(?:ern)?", r"west(?:ern)?"),
}
_LOWER_CASE_ONLY = frozenset(("compass_ns", "compass_ew"))
# Each word whole: the longest inflection is tried where a shorter one would stop inside the word ("refused" is not
# "refuse" and a "d").
_PATTERN = re.compile("|".join(
    f"(?P<{group}_{side}>(?<![a-z])(?:{words})(?![a-z]))" for group, pair in _OPPOSITES.items()
    for side, words in zip("pn", pair)))
_LATIN_EDGE = re.compile(r"[A-Za-z]")


def opposite_words(text: str) -> list:
    """[(start, end, group, +1 or -1)] of every word of `text` that says an event one way or the other. An
    English word counts whole only ("lower" is not "flower")."""
    out = []
    folded = text.lower()
    for m in _PATTERN.finditer(folded):
        a, b = m.span()
        if m.group(0).isascii() and (_LATIN_EDGE.match(folded[a - 1:a] or " ") or _LATIN_EDGE.match(folded[b:b + 1] or " ")):
            continue
        group, side = m.lastgroup.rsplit("_", 1)
        if group in _LOWER_CASE_ONLY and not text[a].islower():
            continue
        out.append((a, b, group, 1 if side == "p" else -1))
    return out
