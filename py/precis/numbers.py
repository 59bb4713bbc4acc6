"""Numbers written as words, Chinese/Japanese numerals and ordinals, as values. Pure stdlib.

    english_number("two hundred and fifty thousand") -> 250000
    english_ordinal("thirty-first") -> 31
    cjk_number("三千一百四十亿") -> 314000000000 ;  cjk_number("3140亿") -> same ;  cjk_number("二〇二四") -> 2024
"""

from __future__ import annotations

import re

ONES = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
        "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
        "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
        "ninety": 90}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
          "trillion": 1_000_000_000_000}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
            "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
            "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
            "nineteenth": 19, "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50,
            "sixtieth": 60, "seventieth": 70, "eightieth": 80, "ninetieth": 90, "hundredth": 100,
            "thousandth": 1000}
# A scale after figures, in words or abbreviated ("1.2 million", "£86m", "3bn", "5k").
SCALE_FACTORS = {**SCALES, "m": 1_000_000, "bn": 1_000_000_000, "k": 1_000}
MULTIPLES = {"twice": 2, "thrice": 3, "dozen": 12}
# The denominators of fractions said in words ("two thirds", "a quarter", "four-fifths"); "half" is 2.
FRACTIONS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fifth": 5, "fifths": 5,
             "sixth": 6, "sixths": 6, "eighth": 8, "eighths": 8, "tenth": 10, "tenths": 10}

_NUMBER_WORD = "|".join(sorted(list(ONES) + list(TENS) + list(SCALES), key=len, reverse=True))
_ORDINAL_WORD = "|".join(sorted(ORDINALS, key=len, reverse=True))
# "two hundred and fifty", "twenty-five"; an ordinal may end it: "twenty-first".
ENGLISH_NUMBER = (rf"(?:{_NUMBER_WORD})(?:(?:[\s-]+|\s+and\s+)(?:{_NUMBER_WORD}))*"
                  rf"(?:-(?:{_ORDINAL_WORD}))?")
ENGLISH_ORDINAL = rf"(?:(?:{'|'.join(TENS)})-)?(?:{_ORDINAL_WORD})"

CJK_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}
CJK_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
CJK_BIG_UNITS = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000, "兆": 1_000_000_000_000}
CJK_NUMERAL_CHARS = "".join(CJK_DIGITS) + "".join(CJK_SMALL_UNITS) + "".join(CJK_BIG_UNITS)

_ARABIC = re.compile(r"\d+(?:[.．]\d+)?")
# A decimal point said in words, 点 before digit characters (三点六, 二十四点六): not a time (三点二十分, 三点十分).
_CJK_DECIMAL_DIGITS = "[零〇一二三四五六七八九]"
CJK_DECIMALS = f"(?:{_CJK_DECIMAL_DIGITS}+(?![十百千零〇一二三四五六七八九]|\\s*分))"
_CJK_POINT = re.compile(f"[点點](?={CJK_DECIMALS})")


def cjk_decimals(text: str) -> int:
    """How many decimals a numeral says after 点 (三点六: 1), 0 where it has none."""
    m = _CJK_POINT.search(text)
    if not m:
        return 0
    k = m.end()
    while k < len(text) and text[k] in CJK_DIGITS:
        k += 1
    return k - m.end()


def english_number(text: str) -> int | None:
    """Value of a run of English number words ("three hundred and five"), None if not one."""
    parts = [p for p in re.split(r"[\s-]+", text.lower()) if p and p != "and"]
    total, current, seen = 0, 0, False
    for part in parts:
        if part in ONES:
            current += ONES[part]
        elif part in TENS:
            current += TENS[part]
        elif part in ORDINALS:  # "twenty-first": the last part of an ordinal
            current += ORDINALS[part]
        elif part == "hundred":
            current = (current or 1) * 100
        elif part in SCALES:
            total += (current or 1) * SCALES[part]
            current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


def english_fraction(numerator: str, denominator: str) -> float | None:
    """Per cent of a fraction said in words: ("two", "thirds") -> 66.67, ("a", "quarter") -> 25.0."""
    top = 1 if numerator.lower() in ("a", "an", "one", "") else ONES.get(numerator.lower())
    bottom = FRACTIONS.get(denominator.lower())
    if not top or not bottom or top >= bottom:
        return None
    return 100.0 * top / bottom


def english_ordinal(text: str) -> int | None:
    """Value of an ordinal word ("third", "twenty-first"), None if not one."""
    parts = text.lower().split("-")
    if len(parts) == 1:
        return ORDINALS.get(parts[0])
    if len(parts) == 2 and parts[0] in TENS and parts[1] in ORDINALS and ORDINALS[parts[1]] < 10:
        return TENS[parts[0]] + ORDINALS[parts[1]]
    return None


def cjk_number(text: str) -> float | None:
    """Value of a Chinese/Japanese numeral, possibly mixed with Arabic digits ("3140亿",
    "三千一百四十亿", "1.5万", "二〇二四"), None if `text` is not one."""
    text = text.replace(",", "").replace("，", "")
    if not text:
        return None
    point = _CJK_POINT.search(text)
    if point:   # 二十四点六 is 24.6; 一点五万 is 15,000
        whole = cjk_number(text[:point.start()]) if point.start() else 0.0
        places = cjk_decimals(text)
        rest = text[point.end() + places:]
        if whole is None or any(ch not in CJK_BIG_UNITS for ch in rest):
            return None
        fraction = float("0." + "".join(str(CJK_DIGITS[ch]) for ch in text[point.end():point.end() + places]))
        scale = 1
        for ch in rest:
            scale *= CJK_BIG_UNITS[ch]
        return (whole + fraction) * scale
    # A run of bare digit characters is read digit by digit: 二〇二四 -> 2024.
    if all(ch in CJK_DIGITS for ch in text) and len(text) > 1:
        return float(int("".join(str(CJK_DIGITS[ch]) for ch in text)))
    total = 0.0    # whole 亿 (and 兆) groups
    wan = 0.0      # whole 万 groups below the last 亿
    section = 0.0  # below 万
    digit = None   # the last digit(s) not yet multiplied by a unit
    i = 0
    while i < len(text):
        m = _ARABIC.match(text, i)
        if m:
            digit = float(m.group(0).replace("．", "."))
            i = m.end()
            continue
        ch = text[i]
        if ch in CJK_DIGITS:
            digit = float(CJK_DIGITS[ch])
        elif ch in CJK_SMALL_UNITS:
            section += (1.0 if digit is None else digit) * CJK_SMALL_UNITS[ch]
            digit = None
        elif ch in ("万", "萬"):
            wan = (wan + section + (digit or 0.0)) * 10_000
            section, digit = 0.0, None
        elif ch in ("亿", "億", "兆"):
            total = (total + wan + section + (digit or 0.0)) * CJK_BIG_UNITS[ch]
            wan, section, digit = 0.0, 0.0, None
        else:
            return None
        i += 1
    return total + wan + section + (digit or 0.0)
