"""Units of measure written after a number, so that one quantity in two units compares equal: 2.98 km is
2,980 metres, 80千克 is 80公斤, 两天 is 48小时, four weeks is 28 days. Pure stdlib.

    measure_after("2.98 km long", 4)  -> ("length", 1000.0)
    measure_after("80千克", 2)          -> ("mass", 1.0)
    in_unit_of(("length", 1000.0), ("length", 1.0))  -> 1000.0

Only units whose factor is exact are here (no miles to kilometres, no 亩): a converted number must match
the page's at the precision either was written with.
"""

from __future__ import annotations

import re
from typing import Optional

FORTNIGHT_SECONDS = 1209600.0   # two weeks: "every fortnight" is a number with no numeral

# unit as written -> (dimension, factor to the dimension's base unit)
_LATIN_UNITS = {
    "length": {1.0: "m metre metres meter meters", 1000.0: "km kilometre kilometres kilometer kilometers",
               0.01: "cm centimetre centimetres centimeter centimeters",
               0.001: "mm millimetre millimetres millimeter millimeters"},
    "mass": {1.0: "kg kilogram kilograms kilogramme kilogrammes kilo kilos", 0.001: "g gram grams gramme grammes",
             1000.0: "tonne tonnes t"},
    "volume": {1.0: "l litre litres liter liters", 0.001: "ml millilitre millilitres milliliter milliliters"},
    "time": {1.0: "second seconds sec secs", 60.0: "minute minutes min mins", 3600.0: "hour hours hr hrs h",
             86400.0: "day days", 604800.0: "week weeks", FORTNIGHT_SECONDS: "fortnight fortnights"},
    "area": {1.0: "m2 m² sqm", 1e6: "km2 km²", 1e4: "hectare hectares ha"},
    "calendar": {1.0: "month months", 12.0: "year years", 120.0: "decade decades"},
}
_CJK_UNITS = {
    "length": {1.0: "米 公尺", 1000.0: "千米 公里", 0.01: "厘米 公分", 0.001: "毫米"},
    "mass": {1.0: "千克 公斤", 0.001: "克", 1000.0: "吨 噸", 0.5: "斤"},
    "volume": {1.0: "升 公升", 0.001: "毫升"},
    "time": {1.0: "秒 秒钟 秒鐘", 60.0: "分钟 分鐘", 3600.0: "小时 小時 个小时 個小時 个钟头", 86400.0: "天 日",
             604800.0: "周 週 星期 个星期 個星期"},
    "area": {1.0: "平方米 平米", 1e6: "平方公里 平方千米", 1e4: "公顷 公頃"},
    "calendar": {1.0: "个月 個月", 12.0: "年"},
    "age": {1.0: "岁 歲 歳 周岁 週歲"},
}
# "square metres" and "square kilometres" are area, read before the length they start with.
_SQUARE = {"square metre": 1.0, "square metres": 1.0, "square meter": 1.0, "square meters": 1.0,
           "square kilometre": 1e6, "square kilometres": 1e6, "square kilometer": 1e6, "square kilometers": 1e6}


def _table(units: dict) -> dict:
    return {word: (dimension, factor) for dimension, by_factor in units.items()
            for factor, words in by_factor.items() for word in words.split()}


_LATIN = _table(_LATIN_UNITS)
_CJK = _table(_CJK_UNITS)
_LATIN_UNIT = re.compile(r"\s?(square\s+(?:kilo)?met(?:re|er)s?|[A-Za-z]+[²2]?)(?![A-Za-z0-9])")
_CJK_LONGEST = tuple(sorted(_CJK, key=len, reverse=True))


def measure_after(text: str, end: int) -> Optional[tuple]:
    """(dimension, factor) of the unit written right after a number ending at `end`, or None."""
    rest = text[end:end + 24]
    for word in _CJK_LONGEST:
        if rest.startswith(word):
            if word == "日" or (word in ("周", "週") and rest[1:2] in "一二三四五六日天末"):
                return None   # 3日 is a date's day; 周一 a weekday
            return _CJK[word]
    m = _LATIN_UNIT.match(rest)
    if not m:
        return None
    word = " ".join(m.group(1).lower().split())
    if word in _SQUARE:
        return "area", _SQUARE[word]
    if len(word) == 1 and not rest[:1].isspace():
        return None   # "3.1m passengers" is millions; "2,980 m" is metres
    return _LATIN.get(word)


def in_unit_of(measure: Optional[tuple], other: Optional[tuple]) -> Optional[float]:
    """The factor that turns a number in unit `measure` into one in unit `other` (1000.0 from km to metres);
    None when either has no unit or their dimensions differ (the numbers then compare as written)."""
    if not measure or not other or measure[0] != other[0]:
        return None
    return measure[1] / other[1]
