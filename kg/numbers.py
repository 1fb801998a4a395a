"""Numbers as the newsletter writes them: Chinese numerals (第十四期) and amounts (1500万美元, $15M).

Pure functions of a string; used by posts.py (issue numbers) and funding.py (amounts).
"""
import re
from decimal import Decimal

_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3,
           "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8,
           "九": 9, "玖": 9}
_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG_UNITS = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
CHINESE_NUMERAL_CHARS = "".join([*_DIGITS, *_SMALL_UNITS, *_BIG_UNITS])


def chinese_to_int(text: str) -> int | None:
    """第十四期's 十四 -> 14; 二十一 -> 21; 一百零五 -> 105; 一二 (digit by digit) -> 12; '14' -> 14."""
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if any(ch not in _DIGITS and ch not in _SMALL_UNITS and ch not in _BIG_UNITS and not ch.isdigit()
           for ch in text):
        return None
    if not any(ch in _SMALL_UNITS or ch in _BIG_UNITS for ch in text):
        # digits only, read positionally: 二〇一四 -> 2014
        return int("".join(str(_DIGITS[ch]) if ch in _DIGITS else ch for ch in text))
    total, section, digit = 0, 0, None
    for ch in text:
        if ch.isdigit():
            digit = (digit or 0) * 10 + int(ch)
        elif ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _SMALL_UNITS:
            section += (1 if digit is None else digit) * _SMALL_UNITS[ch]
            digit = None
        else:
            section += digit or 0
            total += (section or 1) * _BIG_UNITS[ch]
            section, digit = 0, None
    return total + section + (digit or 0)


def scale(number: str, factor: Decimal | None) -> Decimal:
    """'1.75' times 100000000 (亿) -> 175000000. Commas in the number are ignored."""
    value = Decimal(number.replace(",", "").replace("，", ""))
    if factor is not None:
        value *= factor
    return value.normalize() if value == value.to_integral() else value


def plain_decimal(value: Decimal) -> str:
    """A decimal without exponent: Decimal('1.5E+7') -> '15000000'."""
    return format(value, "f")


NUMBER_RE = re.compile(r"\d+(?:[,，]\d{3})*(?:\.\d+)?")
