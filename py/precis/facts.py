"""Checkable facts in a text, normalized so that different wordings of one fact compare equal.
Pure stdlib.

    extract_facts("The bridge reopened on the first of October, 2024.")
        -> [Fact("date", "the first of October, 2024", key=(2024, 10, 1)), Fact("number", ..."2024")...]

Kinds, and what makes two of them the same fact:
    number   value (digits "1,200", words "eleven", ordinals "first"/"1st", "twice", Chinese and
             Japanese numerals with 万/亿: 3140亿 = 三千一百四十亿), with its unit: "%" (percent,
             百分之, パーセント) or a currency ($, €, 美元, 円 ...). A rounded number matches the
             exact one at its own precision (3.1 billion ~ 3,140,000,000; 12% ~ 12.4%); and the unit of
             measure written after it (precis.measures: 2.98 km ~ 2,980 metres, 两天 ~ 48小时).
    date     (year or None, month, day or None): October 1 = the first of October = 1 Oct =
             10月1日 = 2024-10-01; a month alone ("in October", "10月") is a date without a day.
    weekday  0-6: Monday = 星期一 = 周一 = 月曜日.
    era      a Chinese dynasty or era: 宋代 = 宋朝, 北宋, 民国 (the era named, as written but for 朝/代 and
             traditional characters).
    time     minutes after midnight: 9:30 pm = 21:30 = 晚上9点半 = 午後9時30分.
    name     a proper name or multi-word proper phrase ("Matt Taylor", "Bank of England"), and a
             name with the kind of place it names ("Esterby river", "维尔河", "エスタビー川"):
             its words must stand together in the page.
    code     a token mixing letters and digits ("67P", "A320", "COVID-19"), or a katakana word.
    quote    a quoted string: found in the page as written (case and spacing aside).
    domain   a URL, a bare domain or an e-mail address (scheme, "www." and a final "/" aside).

Each fact keeps its exact span in the text, so a fact the page does not hold can be shown
("October 10: not in the page"). Negation cues (not, never, 不, 没有, ない ...) are found by
`negation_cues`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from precis import numbers
from precis.measures import FORTNIGHT_SECONDS, measure_after
from precis.scripts import CJK_CLASS
from precis.text_units import CJK_FUNCTION_CHARS, STOP_WORDS, stem

_CJK = CJK_CLASS
_LATIN_CHAR = f"[^\\W_{_CJK}]"  # a letter or digit that is not CJK


@dataclass(frozen=True)
class Fact:
    kind: str
    start: int
    end: int
    text: str
    key: tuple


MONTHS = {"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
          "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
          "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
          "oct": 10, "nov": 11, "dec": 12}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
CJK_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
JA_WEEKDAYS = {"月": 0, "火": 1, "水": 2, "木": 3, "金": 4, "土": 5, "日": 6}

CURRENCY_SIGNS = {"$": "USD", "us$": "USD", "usd": "USD", "€": "EUR", "eur": "EUR", "£": "GBP", "gbp": "GBP",
                  "¥": "JPY?", "￥": "JPY?", "rmb": "CNY", "cny": "CNY", "jpy": "JPY"}
CURRENCY_WORDS = {"dollar": "USD", "dollars": "USD", "euro": "EUR", "euros": "EUR", "pound": "GBP",
                  "pounds": "GBP", "yen": "JPY", "yuan": "CNY", "renminbi": "CNY",
                  "美元": "USD", "欧元": "EUR", "歐元": "EUR", "英镑": "GBP", "日元": "JPY", "元": "CNY",
                  "人民币": "CNY", "块": "CNY", "円": "JPY", "ドル": "USD", "ユーロ": "EUR", "ポンド": "GBP"}

# Kinds of place or body a name can name: "the Vell river" is not "the Esterby river".
TYPE_NOUNS = frozenset("""
river lake sea ocean bay gulf island mountain mount hill valley street road avenue square bridge park
station airport university college school hospital museum church cathedral temple company bank city
town village county province state district party council ministry department institute foundation
center centre library stadium hotel tower castle palace harbour harbor port canal forest desert
peninsula coast region festival prize award
""".split())
CJK_TYPE_SUFFIXES = ("河", "江", "湖", "海", "山", "岛", "島", "市", "省", "县", "縣", "県", "镇", "町", "村",
                     "区", "街", "路", "桥", "橋", "站", "駅", "港", "湾", "州", "峰", "川", "大学", "学院",
                     "医院", "病院", "公司", "会社", "集团", "银行", "銀行", "博物馆", "博物館", "机场", "空港",
                     "委员会", "协会", "研究所", "研究院", "设计院", "设计所", "設計院", "設計所", "基金会", "財団", "财团", "出版社", "电视台",
                     "図書館", "图书馆", "通り", "馆", "館", "局", "院", "厂", "中心", "公园", "广场", "俱乐部", "俱樂部",
                     "乐团", "樂團", "小学", "小學", "中学", "中學", "码头", "碼頭", "事务所", "事務所", "合作社", "联合会", "聯合會", "工作室", "科技", "队", "隊", "餐饮", "餐飲",
                     # companies named by their trade (振海重工, 明溪化工, 瑞丰化学, 华曜能源, 海川机械)
                     "重工", "化工", "化学", "能源", "机械", "機械", "制药", "製藥", "药业", "藥業")
NAME_TITLES = frozenset("the dr mr mrs ms prof sir st".split())  # left out when names are compared
NAME_CONNECTORS = frozenset("of the de del della der van von da du la le y and & for".split())

_MONTH = r"(?P<month>" + "|".join(sorted((m.capitalize() for m in MONTHS), key=len, reverse=True)) + r")\.?"
_DAY = rf"(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?!{_LATIN_CHAR})"
_DAY_WORD = rf"(?P<dayword>{numbers.ENGLISH_ORDINAL})"
_YEAR = r"(?:,?\s+(?P<year>\d{4})(?!\d))?"
_CJK_NUM = "[0-9０-９" + "".join(numbers.CJK_DIGITS) + "十]"

_PATTERNS = [
    # Domains in CJK text touch the characters around them ("在esterby.gov查阅"): the edges
    # are looked for among Latin letters and digits only.
    ("domain", re.compile(rf"(?i)(?<![A-Za-z0-9])https?://[^\s<>\"'()（）「」\[\]{{}}{_CJK}。、，！？]+")),
    ("domain", re.compile(r"(?i)(?<![A-Za-z0-9@.+-])[A-Za-z0-9._+-]+@(?:[a-z0-9-]+\.)+[a-z]{2,24}(?![A-Za-z0-9-])")),
    ("domain", re.compile(r"(?i)(?<![A-Za-z0-9@./-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,24})"
                          rf"(?![A-Za-z0-9-])(?:/[^\s<>\"'()（）「」\[\]{{}}{_CJK}。、，！？]*)?")),
    ("date", re.compile(r"(?<!\d)(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})(?!\d)")),
    ("date", re.compile(rf"(?:(?P<year>\d{{2,4}}|[〇零一二三四五六七八九]{{2,4}})\s*年\s*)?"
                        rf"(?P<month>{_CJK_NUM}{{1,3}})\s*月(?:\s*(?P<day>{_CJK_NUM}{{1,3}})\s*[日号號])?")),
    ("date", re.compile(rf"\b{_MONTH}\s+{_DAY}{_YEAR}")),
    ("date", re.compile(rf"\b{_MONTH}\s+{_DAY_WORD}\b{_YEAR}")),
    ("date", re.compile(rf"(?i:\bthe\s+)?\b{_DAY}\s+(?:of\s+)?{_MONTH}{_YEAR}")),
    ("date", re.compile(rf"(?i:\bthe\s+)?\b{_DAY_WORD}\s+(?i:of\s+){_MONTH}{_YEAR}")),
    # (not the "Jun" of "Jun-ho Baek", a name)
    ("date", re.compile(rf"\b{_MONTH}(?![-‐])(?:\s+(?:of\s+)?(?P<year>\d{{4}})(?!\d))?\b")),
    ("weekday", re.compile(r"(?i)\b(?P<en>monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\b"
                           r"|(?:星期|礼拜|禮拜|周|週)(?P<zh>[一二三四五六日天])(?![班次趟架个個场場])"  # 每周四班: four a week
                           r"|(?P<ja>[月火水木金土日])曜日?")),
    # 2:19:40 (a time with its seconds, or a race's time: grounding reads a clock form as a duration too)
    ("time", re.compile(r"(?i)(?<![\d:])(?P<h>\d{1,2}):(?P<m>\d{2})(?::\d{2})?(?![\d:])(?:\s*(?P<ampm>[ap])\.?m\.?(?!\w))?"
                        r"|(?<![\d:])(?P<h2>\d{1,2})\s*(?P<ampm2>[ap])\.?m\.?(?!\w)|\b(?P<noon>noon|midnight)\b"
                        # 2.30 am (a dot only with am or pm: else a decimal); half past two in the morning
                        r"|(?<![\d.])(?P<h3>\d{1,2})\.(?P<m3>\d{2})\s*(?P<ampm3>[ap])\.?m\.?(?!\w)"
                        r"|\b(?P<past>half|quarter)\s+past\s+(?P<h4>\d{1,2}|one|two|three|four|five|six|seven|eight|nine"
                        r"|ten|eleven|twelve)\b(?:\s+(?P<ampm4>in\s+the\s+morning|at\s+night|in\s+the\s+(?:afternoon|evening)"
                        r"|[ap]\.?m\.?(?!\w)))?")),
    ("time", re.compile(rf"(?P<part>上午|下午|晚上|凌晨|早上|中午|午前|午後|夜)?(?P<h>{_CJK_NUM}{{1,3}})\s*"
                        rf"(?:[点點](?!{numbers.CJK_DECIMALS})|[时時])"
                        rf"(?:\s*(?P<m>{_CJK_NUM}{{1,3}})\s*分|(?P<half>半))?")),
]

# Numbers: digits (with scale words and units), English number words, CJK numerals.
_DIGITS = r"\d+(?:[,，]\d{3})*(?:[.．]\d+)?"
_SCALE = r"(?:\s*(?P<scale>hundred|thousand|million|billion|trillion|bn)\b)?"
_CURRENCY_PREFIX = r"(?P<cur>US\$|\$|€|£|¥|￥|(?:USD|EUR|GBP|RMB|CNY|JPY)\s?)?"
_PERCENT = r"(?P<pct>\s?(?:%|％|percent\b|per\s+cent\b|パーセント))?"
_CURRENCY_SUFFIX = ("(?P<curw>" + "|".join(sorted(CURRENCY_WORDS, key=len, reverse=True)) + ")?")
# 千 before 克, 米, 瓦 ... is the unit's "kilo" (80千克 is 80 kilograms), not a thousand.
_NUMERAL_CHAR = f"(?:[0-9０-９{numbers.CJK_NUMERAL_CHARS.replace('千', '')}]|千(?![克米瓦卡帕伏焦]))"
_CJK_NUMERAL_RUN = (f"(?=[0-9０-９.．,，]*[{numbers.CJK_NUMERAL_CHARS}]){_NUMERAL_CHAR}"
                    f"(?:{_NUMERAL_CHAR}|[.．,，](?={_NUMERAL_CHAR})|[点點](?={numbers.CJK_DECIMALS}))*")
# Fractions, as the per cent they are: "two thirds of", "a quarter of", "four-fifths full", "more than half",
# "cut by a third.", "a third less than", "one in four"; 四分之一, 三分之二, 一半. Not "a third offer" (an ordinal), "half a point" nor "a quarter of
# an hour".
_FRACTION_WORDS = "|".join(sorted((w for w in numbers.FRACTIONS if not w.startswith("hal")), key=len, reverse=True))
_FRACTION_NEXT = (r"(?=\s+of\b|[\s-]+(?:full|empty)\b|\s*[.,;:)]|\s*$|\s+or\s+(?:more|less|fewer|over|under)\b"
                  r"|\s+(?:less|more|lower|higher|fewer|cheaper|below|above|smaller|larger|bigger)\b)")
_FRACTION_PATTERNS = [
    re.compile(rf"(?i)\b(?P<fnum>an?|one|two|three|four|five|six|seven|eight|nine)[\s-]+(?P<fden>{_FRACTION_WORDS})"
               rf"{_FRACTION_NEXT}"),
    # "half of the staff", "half received a dose", "more than half": not "half a point", "the second half", "half-time"
    re.compile(r"(?i)(?<!\bfirst )(?<!\bsecond )(?<!\bthe )(?<!\ba )(?<![\w-])(?P<fhalf>half)(?![\w-])"
               r"(?!\s+(?:an?|time|term|price|way|hour|day|year|dozen|century|season|mile|marathon|brother|sister)\b)"),
    # "one in four people", "1 in 10"
    re.compile(r"(?i)\b(?P<inum>one|two|three|four|five|six|seven|eight|nine|\d{1,2}) in "
               r"(?P<iden>two|three|four|five|six|seven|eight|nine|ten|twenty|hundred|\d{1,3})\b(?![.,]\d)"),
    re.compile(r"(?P<cden>[一二三四五六七八九十]|\d{1,3})分之(?P<cnum>[一二三四五六七八九十]{1,3}|\d{1,3})"),
    re.compile(r"(?P<chalf>一半|半数|半數)"),
]
# What a fraction of time or distance is ("a quarter of an hour", "three quarters of a mile"): not a share.
_FRACTION_OF_MEASURE = re.compile(r"\s+of\s+(?:an?\s+|the\s+)?(?:hour|day|week|month|year|century|decade|mile|"
                                  r"kilometre|kilometer|metre|meter|second|minute|point|litre|liter|pound|inch|foot|"
                                  r"lap|game|match|season)s?\b", re.IGNORECASE)
# A fraction said in words is a round figure: "a third" is 33 per cent give or take a point or two.
FRACTION_SCALE = 5.0
_NUMBER_PATTERNS = [
    re.compile(rf"(?P<pctpre>百分之)(?P<cjk>[0-9０-９.．{numbers.CJK_NUMERAL_CHARS}]+)"),
    *_FRACTION_PATTERNS,
    re.compile(rf"{_CURRENCY_PREFIX}(?<!{_LATIN_CHAR})(?P<di>第|头(?=[一两二三]))?(?P<cjkrun>{_CJK_NUMERAL_RUN}){_PERCENT}{_CURRENCY_SUFFIX}"),
    # "£48m", "$2.3bn": an amount with its scale shortened (before the plain digits, which would stop at "m").
    re.compile(rf"(?P<cur>US\$|\$|€|£|¥|￥)(?P<num>{_DIGITS})(?P<scale>m|bn|k)(?![A-Za-z0-9])"),
    # "3.1m passengers", "2bn": without a currency only a decimal before "m" (a whole "5m" may be metres).
    re.compile(r"(?<![\w.,$€£¥￥])(?P<num>\d+\.\d+(?=m)|\d+(?:\.\d+)?(?=bn))(?P<scale>m|bn)(?![A-Za-z0-9])"),
    re.compile(rf"{_CURRENCY_PREFIX}(?<!{_LATIN_CHAR})(?<![.,])(?P<num>{_DIGITS})(?P<ord>st|nd|rd|th)?"
               rf"(?!{_LATIN_CHAR}){_SCALE}{_PERCENT}(?:\s*{_CURRENCY_SUFFIX})"),
    re.compile(rf"(?i)\b(?P<words>{numbers.ENGLISH_NUMBER}|an?\s+(?:hundred|thousand|million|billion|dozen))\b"
               rf"{_PERCENT}(?:\s+{_CURRENCY_SUFFIX})?"),
    re.compile(rf"(?i)\b(?P<ordw>{numbers.ENGLISH_ORDINAL}|twice|thrice|dozen)\b"),
    # "every fortnight", "a fortnight later": two weeks with no number written
    re.compile(r"(?i)\b(?:an?|every|each|per|one)\s+(?P<fortnight>fortnight)\b"),
]
# A single CJK numeral is a number only before a measure word or a unit (一座桥, 三名, 五年).
_MEASURE = tuple("个個座名位人年月日号號时時点點分秒次回项項家条條种種本元円米吨噸岁歳倍件台张張枚只匹头頭辆輛层層楼樓階周週天届期场場篇架艘棵所间間章国國万萬亿億千百成%％")
# 一 before these is the article "a" ("一个", "一位", "一项"), not a count to check.
_ARTICLE_MEASURES = tuple("个個位项項种種座家条條")
# Numeral runs that are words: 千万 "be sure to", 万一 "in case", 十分 "very", 一一 "one by one".
_NUMERAL_WORDS = ("千万", "万一", "十分", "一一", "一些", "一样", "一般", "一直", "一定", "一起", "之一", "统一",
                  "唯一", "一切", "一度", "一旦", "一致", "一方", "一部", "一緒", "一番", "一応", "一層", "万全")


# 成 after a numeral is tenths (三成 = 30%) unless it starts a word: 一成不变, 两成员, 三成立 ...
_TENTHS = re.compile(r"成(半)?(?!不变|员|立|为|功|绩|果|交|熟|年|本|就|长|都|品|型|分|份|千|百|万)")


def _cjk_value(text: str) -> float | None:
    return numbers.cjk_number(text.replace("０", "0"))


def _to_float(digits: str) -> float:
    return float(digits.replace(",", "").replace("，", "").replace("．", "."))


def _precision(digits: str) -> int:
    """Decimals written: "3.14" -> 2, "12" -> 0."""
    digits = digits.replace("．", ".")
    return len(digits.split(".", 1)[1]) if "." in digits else 0


def _currency(prefix: str | None, word: str | None) -> str:
    code = ""
    if prefix:
        code = CURRENCY_SIGNS.get(prefix.strip().lower(), "")
    if word:
        w = CURRENCY_WORDS.get(word.lower(), CURRENCY_WORDS.get(word, ""))
        code = w if not code or code == "JPY?" else code
    return code.replace("?", "")


def _fraction_fact(m: re.Match) -> Fact | None:
    """A fraction (see _FRACTION_PATTERNS) as a per cent rounded at FRACTION_SCALE, None where it is not one."""
    g = m.groupdict()
    if g.get("chalf"):
        value = 50.0
    elif g.get("cden"):
        top, bottom = _cjk_value(g["cnum"]), _cjk_value(g["cden"])
        value = 100.0 * top / bottom if top and bottom and top < bottom else None
    elif g.get("iden"):
        top, bottom = (numbers.english_number(w) if w.isalpha() else int(w) for w in (g["inum"], g["iden"]))
        value = 100.0 * top / bottom if top and bottom and top < bottom else None
    else:
        if _FRACTION_OF_MEASURE.match(m.string, m.end()):
            return None
        value = numbers.english_fraction(g.get("fnum") or "", g.get("fden") or g.get("fhalf"))
    if value is None:
        return None
    return Fact("number", m.start(), m.end(), m.group(0), ("%", value, 0, FRACTION_SCALE, None))


def _number_fact(m: re.Match) -> Fact | None:
    g = m.groupdict()
    if g.get("fden") or g.get("fhalf") or g.get("cden") or g.get("iden") or g.get("chalf"):
        return _fraction_fact(m)
    unit = "%" if (g.get("pct") or g.get("pctpre")) else _currency(g.get("cur"), g.get("curw"))
    scale_factor, precision = 1.0, 0
    if g.get("num") is not None:
        value = _to_float(g["num"])
        precision = _precision(g["num"])
        if g.get("scale"):
            scale_factor = float(numbers.SCALE_FACTORS[g["scale"].lower()])
    elif g.get("cjk") is not None:
        value = _cjk_value(g["cjk"])
        if value is None:
            return None
        head = re.match(r"[0-9０-９.．]+", g["cjk"])
        precision = _precision(head.group(0)) if head else 0
        tail = g["cjk"][head.end():] if head else ""
        if tail and all(ch in numbers.CJK_BIG_UNITS for ch in tail):  # 3.1亿: rounded at 亿
            scale_factor = float(numbers.CJK_BIG_UNITS[tail[-1]]) ** len(tail) if len(tail) == 1 else 1.0
            if scale_factor != 1.0:
                value /= scale_factor
    elif g.get("words") is not None:
        words = g["words"].lower()
        if words == "one":
            return None  # "one of", "no one": a pronoun more often than a number
        if words.startswith(("a ", "an ")):
            last = words.split()[-1]
            value = 12.0 if last == "dozen" else float(numbers.SCALES[last])
        else:
            parsed = numbers.english_number(words)
            if parsed is None:
                return None
            value = float(parsed)
    elif g.get("fortnight") is not None:
        return Fact("number", m.start("fortnight"), m.end(), m.group("fortnight"),
                    ("", 1.0, 0, 1.0, ("time", FORTNIGHT_SECONDS)))
    elif g.get("ordw") is not None:
        word = g["ordw"].lower()
        value = float(numbers.MULTIPLES.get(word) or numbers.english_ordinal(word) or 0)
        if not value:
            return None
    elif g.get("cjkrun") is not None:
        run = g["cjkrun"]
        after = m.string[m.end("cjkrun"):m.end("cjkrun") + 1]
        if any(w in run for w in _NUMERAL_WORDS) and not re.search(r"\d", run):
            return None
        if len(run) == 1 and not g.get("di") and not after.startswith(_MEASURE) and not unit:
            return None
        if run == "一" and not g.get("di") and not unit and after.startswith(_ARTICLE_MEASURES):
            return None  # "一个星期二", "一项调查": the article "a", as "one" is in English
        value = _cjk_value(run.strip(".．,，"))
        if value is None:
            return None
        head = re.match(r"[0-9０-９.．,，]+", run)
        precision = _precision(head.group(0)) if head else numbers.cjk_decimals(run)
        tail = run[head.end():] if head else run
        if head and tail and len(tail) == 1 and tail in numbers.CJK_BIG_UNITS:
            scale_factor = float(numbers.CJK_BIG_UNITS[tail])
            value /= scale_factor
        tenths = _TENTHS.match(m.string, m.end("cjkrun"))
        if tenths and not unit and not g.get("di") and value <= 10 and scale_factor == 1.0:
            # 三成 is 30%, 七成半 75%: rounded to a tenth (half a tenth), as "about 30%" is
            half = bool(tenths.group(1))
            value, scale_factor = value + 0.5 * half, 5.0 if half else 10.0
            return Fact("number", m.start(), tenths.end(), m.string[m.start():tenths.end()],
                        ("%", value * 10, 0, scale_factor, None))
    else:
        return None
    text = m.group(0).rstrip()
    measure = None if unit else measure_after(m.string, m.start() + len(text))
    return Fact("number", m.start(), m.start() + len(text), text,
                (unit, value * scale_factor, precision, scale_factor, measure))


def _date_fact(m: re.Match, text: str) -> Fact | None:
    g = m.groupdict()
    month_text = g.get("month")
    if month_text is None:
        return None
    if month_text.isalpha() and month_text.lower() in MONTHS:
        if month_text == "May" and g.get("day") is None and g.get("dayword") is None and g.get("year") is None:
            # "May" alone is a month only mid-sentence (not the modal verb starting a sentence)
            before = text[max(0, m.start() - 2):m.start()]
            if m.start() == 0 or before.strip() in (".", "!", "?"):
                return None
        month = MONTHS[month_text.lower()]
    else:
        value = _cjk_value(month_text)
        if value is None or not 1 <= value <= 12:
            return None
        month = int(value)
    day = None
    if g.get("day") is not None:
        value = _cjk_value(g["day"])
        if value is None or not 1 <= value <= 31:
            return None
        day = int(value)
    elif g.get("dayword") is not None:
        day = numbers.english_ordinal(g["dayword"])
        if day is None or not 1 <= day <= 31:
            return None
    year = None
    if g.get("year"):
        value = _cjk_value(g["year"])
        year = int(value) if value is not None else None
    return Fact("date", m.start(), m.end(), m.group(0), (year, month, day))


# 宋代, 清朝, 北宋, 民国; not 元 after a number (300万元代价) nor a week (一周, 每周).
_ERA = re.compile("(?<![0-9０-９零〇一二两兩三四五六七八九十百千万萬亿億每上下本这這该該])"
                  "(?P<era>(?:东|東|西|南|北)?(?:夏|商|周|秦|汉|漢|晋|晉|隋|唐|宋|元|明|清)(?:代|朝)(?![表替价價])"
                  "|(?:东|東|西|南|北)(?:汉|漢|晋|晉|宋|魏|周|齐|齊)(?![代朝])|民国|民國)")
_ERA_SPELLING = str.maketrans({"東": "东", "漢": "汉", "晉": "晋", "國": "国", "齊": "齐", "朝": "代"})


def _era_fact(m: re.Match) -> Fact:
    return Fact("era", m.start(), m.end(), m.group(0), (m.group("era").translate(_ERA_SPELLING),))


def _weekday_fact(m: re.Match) -> Fact:
    if m.group("en"):
        day = WEEKDAYS[m.group("en").lower()]
    elif m.group("zh"):
        day = CJK_WEEKDAYS[m.group("zh")]
    else:
        day = JA_WEEKDAYS[m.group("ja")]
    return Fact("weekday", m.start(), m.end(), m.group(0), (day,))


def _time_fact(m: re.Match) -> Fact | None:
    g = m.groupdict()
    if g.get("noon"):
        minutes = 12 * 60 if g["noon"].lower() == "noon" else 0
        return Fact("time", m.start(), m.end(), m.group(0), (minutes,))
    hour_text = g.get("h") or g.get("h2") or g.get("h3") or g.get("h4")
    hour = (numbers.english_number(hour_text) if hour_text.isascii() and hour_text.isalpha() else _cjk_value(hour_text)) \
        if hour_text else None
    if hour is None or not 0 <= hour <= 24:
        return None
    minute = 0.0
    if g.get("m") or g.get("m3"):
        minute = _cjk_value(g.get("m") or g["m3"]) or 0.0
    elif g.get("half"):
        minute = 30.0
    elif g.get("past"):
        minute = 30.0 if g["past"].lower() == "half" else 15.0
    said = (g.get("ampm4") or "").lower()   # "in the morning", "at night", "pm"...
    if said:
        said = "a" if "morning" in said else "p" if " " in said else said[:1]
    ampm = (g.get("ampm") or g.get("ampm2") or g.get("ampm3") or said).lower()
    part = g.get("part") or ""
    if (ampm == "p" or part in ("下午", "晚上", "午後", "夜")) and hour < 12:
        hour += 12
    if (ampm == "a" or part in ("凌晨", "午前")) and hour == 12:
        hour = 0
    return Fact("time", m.start(), m.end(), m.group(0), (int(hour) * 60 + int(minute),))


def normalize_domain(text: str) -> str:
    t = text.lower().rstrip(".,;:!?)）」】>'\"")
    t = re.sub(r"^[a-z][a-z0-9+.-]*://", "", t)
    if t.startswith("www."):
        t = t[4:]
    return t.rstrip("/")


def normalize_phrase(text: str) -> str:
    """Case-folded, spacing collapsed, outer punctuation dropped: how quotes are compared."""
    return re.sub(r"\s+", " ", text.casefold()).strip(" .,;:!?…'\"“”‘’「」『』《》")


def _overlaps(taken: list, start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in taken)


def extract_facts(text: str) -> list:
    """The facts of `text` (see the module docstring), in order of position."""
    facts: list = []
    taken: list = []  # spans already explained by a fact

    def add(fact):
        if fact is not None and fact.end > fact.start and not _overlaps(taken, fact.start, fact.end):
            facts.append(fact)
            taken.append((fact.start, fact.end))

    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if kind == "domain":
                if re.fullmatch(r"(?i)[a-z]\.[a-z]\.?", m.group(0)) or "." not in m.group(0):
                    continue  # "e.g", "i.e"
                key = normalize_domain(m.group(0))
                if re.fullmatch(r"[\d.]+", key):
                    continue  # a version number, not a domain
                span_text = m.group(0).rstrip(".,;:!?)")
                add(Fact("domain", m.start(), m.start() + len(span_text), span_text, (key,)))
            elif kind == "date":
                add(_date_fact(m, text))
            elif kind == "weekday":
                add(_weekday_fact(m))
            elif kind == "time":
                add(_time_fact(m))
    for pattern in _NUMBER_PATTERNS:
        for m in pattern.finditer(text):
            if m.end() > m.start():
                add(_number_fact(m))
    for m in _ERA.finditer(text):
        add(_era_fact(m))
    for fact in _quotes(text):
        facts.append(fact)  # quotes may hold other facts: they overlap on purpose
    for fact in _cjk_names(text) + _codes(text) + _names(text):
        add(fact)
    facts.sort(key=lambda f: (f.start, f.end))
    return facts


_QUOTE = re.compile(r"\"([^\"\n]{2,200})\"|“([^”\n]{2,200})”|「([^」\n]{1,200})」|『([^』\n]{1,200})』|《([^》\n]{1,200})》")


def _quotes(text: str) -> list:
    out = []
    for m in _QUOTE.finditer(text):
        inner = next(g for g in m.groups() if g is not None)
        key = normalize_phrase(inner)
        if key:
            out.append(Fact("quote", m.start(), m.end(), m.group(0), (key,)))
    return out


# A code is at most MAX_CODE_CHARS long (a SHA-256 in hex fits): its lookaheads then scan a bounded
# window from each start, where unbounded ones rescanned a whole run from each of its characters
# (100,000 CJK characters, every one a possible start: quadratic, minutes).
MAX_CODE_CHARS = 64
_CODE = re.compile(rf"(?<!{_LATIN_CHAR})(?=[\w-]{{0,{MAX_CODE_CHARS - 1}}}\d)(?=[\w-]{{0,{MAX_CODE_CHARS - 1}}}[^\W\d_])"
                   rf"[^\W_{_CJK}][\w-]{{0,{MAX_CODE_CHARS - 2}}}[^\W_{_CJK}](?!{_LATIN_CHAR})")
# A katakana word is a loanword more often than a name (オープン, エネルギー): it is checked as a
# name only where the text marks it as one: before a title (ボルトラ氏, パイク博士) or after a
# role ("メーカーのボルトラ", "建築家のリンド").
_KATAKANA_WORD = re.compile(r"(?:(?<=者の)|(?<=家の)|(?<=長の)|(?<=社の)|(?<=メーカーの)|(?<=企業の)|(?<=会社の))"
                            r"[\u30a1-\u30fa\u30fc]{2,}"
                            r"|[\u30a1-\u30fa\u30fc]{2,}(?=氏|さん|博士|教授|社長|町長|市長|館長|監督|選手)")


def _codes(text: str) -> list:
    out = []
    for m in _CODE.finditer(text):
        token = m.group(0)
        if re.fullmatch(r"\d+(?:st|nd|rd|th|s)", token, re.I) or not re.search(r"[^\W\d_]", token):
            continue
        if re.search(f"[{_CJK}]", token):
            continue
        if re.search(r"\d\s?$", text[max(0, m.start() - 2):m.start()]) and measure_after(text, m.start()):
            continue   # "600 m2": the unit of the number before it, read with the number
        out.append(Fact("code", m.start(), m.end(), token, (token.lower(),)))
    for m in _KATAKANA_WORD.finditer(text):
        out.append(Fact("code", m.start(), m.end(), m.group(0), (m.group(0),)))
    return out


_WORD = re.compile(rf"{_LATIN_CHAR}+(?:['’.-]{_LATIN_CHAR}+)*\.?")


def word_key(word: str) -> str:
    w = word.lower().replace("’", "'").rstrip(".")
    if w.endswith("'s"):
        w = w[:-2]
    return stem(w)


TYPE_NOUN_KEYS = frozenset(word_key(t) for t in TYPE_NOUNS)  # as names are compared: "bridg", "river"


def _names(text: str) -> list:
    """Capitalized runs ("Matt Taylor", "Bank of England"), and a name followed by the kind of
    place it names ("Esterby river")."""
    out = []
    words = list(_WORD.finditer(text))
    i = 0
    while i < len(words):
        w = words[i].group(0)
        if not (w[0].isupper() and w[0].isalpha()):
            i += 1
            continue
        sentence_start = _starts_sentence(text, words[i].start())
        j = i + 1
        while j < len(words):
            gap = text[words[j - 1].end():words[j].start()]
            nxt = words[j].group(0)
            if gap not in (" ", "\u00a0"):
                break
            if nxt[0].isupper() and nxt[0].isalpha():
                j += 1
                continue
            if nxt.lower() in NAME_CONNECTORS and j + 1 < len(words) and words[j + 1].group(0)[0].isupper() \
                    and text[words[j].end():words[j + 1].start()] == " ":
                j += 2
                continue
            break
        run = words[i:j]
        if len(run) > 1 and sentence_start and _COMMON_COMPOUND.fullmatch(run[0].group(0)):
            run = run[1:]   # "Runner-up Fiona McAllister": a common word opening the sentence, capitalized for it
        # A sentence's first word, and function words before the name, are not part of it.
        while run and (run[0].group(0).lower() in STOP_WORDS or run[0].group(0).lower() in NAME_CONNECTORS):
            sentence_start = False
            run = run[1:]
        if run and sentence_start and len(run) == 1 and not run[0].group(0).isupper():
            run = []
        if run and run[0].group(0).rstrip(".").lower() in MONTHS and len(run) == 1:
            run = []
        if run and len(run) == 1 and len(run[0].group(0)) == 1 and re.search(r"\d\s?°?\s?$", text[:run[0].start()]):
            run = []   # "480 L of milk", "-20°C": a unit after its number, not a name
        if run:
            end_word = run[-1]
            after = words[j] if j < len(words) else None
            possessive = end_word.group(0).lower().endswith(("'s", "’s"))  # "Marrow's city library"
            if after is not None and not possessive and after.group(0).lower() in TYPE_NOUNS and \
                    text[end_word.end():after.start()] == " ":
                end_word = after  # "Esterby river": the name and what it names
            start, end = run[0].start(), end_word.end()
            span = _LED_BY.sub("", text[start:end].rstrip("."))   # "a Brennick-led consortium" names Brennick
            keys = tuple(word_key(x) for x in _WORD.findall(span) if word_key(x) not in NAME_TITLES)
            out.append(Fact("name", start, start + len(span), span, keys))
        i = max(j, i + 1)
    return out


# A common compound ("Runner-up", "Co-founder", "Vice-chair", "Ex-minister"): its first part is a common word, not a
# name's ("Jean-Paul", "Jun-ho").
_COMMON_COMPOUND = re.compile(r"(?:Runner|Co|Vice|Ex|Non|Anti|Pre|Post|Self|Well|Long|Short|Semi|Mid|Part|Full|Joint|"
                              r"Deputy|Former|First|Second|Third|Record|Title)-[a-z]+")


# A name's compound with what it does to the noun after it: "Brennick-led", "Leeds-based", "state-owned".
_LED_BY = re.compile(r"-(?:led|based|owned|run|backed|funded|born|made)$", re.IGNORECASE)


def _starts_sentence(text: str, at: int) -> bool:
    before = text[:at].rstrip(" \"'“‘(")
    return not before or before[-1] in ".!?:\n。！？-•*"


_SCHOOLS = frozenset(("小学", "小學", "中学", "中學"))


# The name is the run of content characters (not 的, 这, 在, 由, 经, 没, 到 ..., no numerals) before the suffix:
# 从湖滨转到江州银河 names 江州银河; nor a word of going or of time (将前往救助中心 names 救助中心, 不必新增林地 林地).
_CJK_NAME_CHAR = "[\u4e00-\u9fff\u30a0-\u30ff]"
_CJK_NAME = re.compile(f"(?:(?![{''.join(CJK_FUNCTION_CHARS)}{numbers.CJK_NUMERAL_CHARS}上下座条條这那该該此本每说說称稱由经經没沒到将將去往已不]){_CJK_NAME_CHAR}){{2,8}}"
                       f"(?:{'|'.join(sorted(CJK_TYPE_SUFFIXES, key=len, reverse=True))})(?!长|長)")  # 院长 is a role


# What opens a run of characters before a kind of place or body but no name: a counter after a number (12台自动化岸桥,
# 两家奶牛合作社; not a date's 年, 月 or 日 nor a sum's 元, whose run is read as part of the date or the number), and a verb, a conjunction or a word
# for new or former before the name (担任新大学, 但东湖校区, 保留原师范学院).
_COUNTERS = frozenset("台家名个個座所艘辆輛位只条條项項次层層间間栋棟套张張批期届屆号號支种種类類份")
_NAME_LEAD = re.compile("(?:担任|擔任|出任|包括|保留|兴建|興建|新建|扩建|擴建|拟建|擬建|更换|更換|拿出|入选|入選|"
                        "加入|进入|進入|前往|离开|離開|收购|收購|出售|订购|訂購|购买|購買|设立|設立|创办|創辦|来自|來自|"
                        "位于|位於|属于|屬於|但|新|原|全|各)+")


def _name_start(text: str, start: int, end: int) -> int:
    """Where a name the run text[start:end] ends with begins: past a counter after a number and past _NAME_LEAD."""
    if start > 0 and text[start] in _COUNTERS and (text[start - 1].isdigit() or text[start - 1] in numbers.CJK_NUMERAL_CHARS + "两兩"):
        start += 1
    lead = _NAME_LEAD.match(text, start, end)
    return lead.end() if lead else start


# A foreign name written in Chinese or Japanese: its parts joined by a middle dot (安娜·伯格,
# アンナ・ベルグ).
_DOTTED_NAME = re.compile("[\u4e00-\u9fff\u30a1-\u30fa\u30fc]{1,4}(?:[·・•‧][\u4e00-\u9fff\u30a1-\u30fa\u30fc]{1,4})+")
# A role before a dotted name (工程师, 镇长, 合著者) ends with one of these; words after it begin
# with a function character or a verb of saying.
_ROLE_ENDS = "师长者家员人"
_NAME_STOPS = "".join(CJK_FUNCTION_CHARS) + "表说称负于"


# Provinces, regions and the largest cities, which a page names without their kind (安徽, 南京): a summary that
# moves a thing to another of them has made up a place.
_CJK_PLACES = re.compile("|".join(sorted("""
北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 海南 四川 贵州 云南 陕西
甘肃 青海 台湾 内蒙古 广西 西藏 宁夏 新疆 香港 澳门 南京 杭州 广州 深圳 成都 武汉 西安 苏州 郑州 长沙 沈阳 青岛 济南
哈尔滨 长春 大连 厦门 福州 昆明 贵阳 南宁 合肥 南昌 石家庄 太原 兰州 西宁 银川 乌鲁木齐 拉萨 呼和浩特 宁波 无锡 东莞 佛山
""".split(), key=len, reverse=True)))


# The characters before 队 in words for a team or a squad, not a team's name (球队, 团队, 军队, 车队, 主队, 国家队 ...), or
# for joining or leaving one (建队, 入队, 归队, 带队 ...).
_TEAM_WORD_HEADS = frozenset("球团團军軍部车車梯排领領主客家表年少小分全本该該两兩各建组組成带帶入归歸离離退收列")


def _cjk_names(text: str) -> list:
    """CJK names: one with the kind of place it names (维尔河, 埃斯特比市: the content characters
    before the suffix, and the suffix), dotted foreign names (安娜·伯格), and the provinces and great cities
    (_CJK_PLACES)."""
    out = []
    for m in _DOTTED_NAME.finditer(text):
        # Where the name starts and ends is not marked: what must match is two characters on
        # each side of every dot ("尔斯·奎斯" of "拉尔斯·奎斯特"), any middle dot alike.
        start, end = m.start(), m.end()
        head = max(m.group(0).rfind(ch, 0, re.search("[·・•‧]", m.group(0)).start()) for ch in _ROLE_ENDS)
        if head >= 0:
            start += head + 1  # "工程师拉尔斯" -> "拉尔斯"
        tail = re.search(f"[·・•‧][^·・•‧]*?([{_NAME_STOPS}])[^·・•‧]*$", text[start:end])
        if tail:
            end = start + tail.start(1)  # "奎斯特负责" -> "奎斯特"
        name = text[start:end]
        parts = re.split("[·・•‧]", name)
        if len(parts) < 2 or not all(parts):
            continue
        joints = tuple(a[-2:] + "·" + b[:2] for a, b in zip(parts, parts[1:]))
        out.append(Fact("name", start, end, name, ("dotted",) + joints))
    for m in _CJK_NAME.finditer(text):
        start = _name_start(text, m.start(), m.end())
        span = text[start:m.end()]
        if not _CJK_NAME.fullmatch(span):
            continue   # 担任新大学: "the new university", no name
        if span[-1] in "队隊" and span[-2] in _TEAM_WORD_HEADS:
            continue   # 这支球队, 主队, 国家队: a word for a team, not a team's name
        if span[-2:] in _SCHOOLS and (span[-3:-2] in "中初高" or text[m.end():m.end() + 1] == "生"):
            continue   # 中小学生, 初中学校: pupils and schools in general, not a school's name
        out.append(Fact("name", start, m.end(), span, ("cjk", span)))
    for m in _CJK_PLACES.finditer(text):
        if not any(f.start <= m.start() and m.end() <= f.end for f in out):   # 安徽省 is read above
            out.append(Fact("name", m.start(), m.end(), m.group(0), ("cjk", m.group(0))))
    return out


# ---- negation ------------------------------------------------------------------------------

_NEGATION_EN = re.compile(r"(?i)\b(?:not|no|never|none|nobody|nothing|neither|nor|without|free\s+of|cannot|"
                          r"no\s+longer)\b|n['’]t\b|\bfail(?:s|ed)?\s+to\b|\bnon-?(?=[a-z])"
                          r"|\b(?:stop(?:s|ped)?|cease[sd]?)(?=\s+[a-z]+ing\b)"   # "stop working": no longer work
                          # "declined to comment", "refused to pay": would not (not "declined to 5%", "to a low")
                          r"|\b(?:declin(?:e|es|ed|ing)|refus(?:e|es|ed|ing))\s+to(?=\s+(?!(?:a|an|the|its|their|about|around|roughly)\b)[a-z]+\b)"
                          r"|\bunless\b"   # "unless an agreement is reached": if there is no agreement
                          # "advises against eating them": should not eat them
                          r"|\b(?:advis|warn|recommend|decid|vot|argu|caution)[a-z]*\s+against(?=\s+[a-z]+ing\b)"
                          # "remain unchanged": will not change (a closed list: "unprecedented" denies nothing)
                          r"|\bun(?=(?:changed|altered|affected|harmed|hurt|paid|sold|used|opened|finished|answered"
                          r"|resolved|signed|touched|forecast|predicted|expected|announced)\b)")
_NEGATION_ZH = re.compile(r"(?<![除是而])(?:没有|沒有|未|没|沒|无法|無法|不|非|毫无|毫無|并非|並非"
                          # 无补贴, 无人受伤; not 无数, 无线, 无人机 (a drone)
                          r"|(?<![虚虛毫从從])[无無](?![论論锡錫数數线線限比疑非机機意]|人[机機驾駕]))"
                          r"(?!过|過|仅|僅|止|但|断|斷|少|久|论|論|常|来|來|洲|得不|同|如|管|到|足|遗|遺"
                          r"|(?:得|能|可|应|應)?(?:少于|少於|低于|低於|超过|超過|高于|高於|多于|多於))")
# (不到, 不足: "less than"; 不超过, 不得高于: "at most", 不低于, 不得少于: "at least", bounds as 最多 and 至少 are, not
# denials; 不止: "more than"; 非遗: intangible heritage)
_NEGATION_JA = re.compile(r"(?<![少危幼汚])(?:ない|なかった|ません|ず(?=[、。にとも]|$)|ぬ(?=[、。]|$))|"
                          r"(?<![\u4e00-\u9fff])無(?!料|事)")


# "no more than six months", "not later than 30 June": a bound on a number or a date (not "no higher than that of
# the two vaccines on sale", which denies it is higher).
_BOUND_AFTER = re.compile(r"\s+(?:more|less|fewer|later|earlier|higher|lower|greater)\s+than\s+(?:(?:about|around|some|"
                          r"the|a|an)\s+)?(?:[£$€]?\d|(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                          r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|"
                          r"sixty|seventy|eighty|ninety|hundred|a hundred|a thousand|a dozen|half|a third|a quarter)\b|(?:january|february"
                          r"|march|april|may|june|july|august|september|october|november|december)\b)", re.IGNORECASE)
# "not until", "did not open until 2027", "wasn't found until after the storm", "will not be finished before 20
# December": a denial that dates the event.
NOT_UNTIL = re.compile(r"(?:\s+(?!until\b|before\b)[a-z]+){0,3}\s+(?:until|before)\b", re.IGNORECASE)


def negation_cues(text: str) -> list:
    """(start, end) of each negation word in `text`: not, never, n't, 不, 没有, 未, ない, ません ..."""
    cues = []
    for pattern in (_NEGATION_EN, _NEGATION_ZH, _NEGATION_JA):
        for m in pattern.finditer(text):
            if m.group(0).lower() == "no" and text[m.end():m.end() + 1] in (".", "-"):
                continue  # "No. 5"; "a no-redundancy guarantee" is a kind of guarantee, and denies nothing
            if m.group(0).lower() in ("no", "not") and _BOUND_AFTER.match(text, m.end()):
                continue  # "no more than six months": a bound, as "at most" is, not a denial
            if m.group(0).lower() in ("not", "no", "n't", "n’t") and NOT_UNTIL.match(text, m.end()):
                continue  # "were not reached until 2.30 am": reached at 2.30 am, late, but reached
            cues.append((m.start(), m.end()))
    return sorted(cues)
