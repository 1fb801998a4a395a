"""Dates as the newsletter writes them (2014.05.28, 5.12号, 6月9号, 2014年6月9号, 五月12日),
resolved against the period a post covers.

Pure functions: find_dates(text, period) -> [(start, end, date)].
"""
import re
from dataclasses import dataclass
from datetime import date

from kg.numbers import chinese_to_int

_NUM = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
# (the lookahead first: a date starts with a digit, and a pattern that says so up front is
# scanned for at that class's speed, three times faster than trying the pattern everywhere)
_DATE_RE = re.compile(
    r"(?=[\d一二三四五六七八九十])(?<![\d.])(?:(?P<y>(?:19|20)\d\d)\s*[年.\-/]\s*)?"
    rf"(?P<m>{_NUM})\s*(?:月份?|\.|/|-)\s*"
    rf"(?P<d>{_NUM})(?P<suffix>\s*(?:号|日))?(?![\d.])"
)


@dataclass(frozen=True)
class Period:
    """The days a post covers: 0508-0528 of 2014."""
    start: date | None
    end: date | None

    @property
    def year(self) -> int | None:
        known = self.end or self.start
        return known.year if known else None


def _to_int(text: str) -> int | None:
    return int(text) if text.isdigit() else chinese_to_int(text)


def resolve(year: int | None, month: int, day: int, period: Period | None) -> date | None:
    """A month and day with no year take the year that puts them nearest the post's period."""
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    if year is None:
        if period is None or period.year is None:
            return None
        anchor = period.end or period.start
        assert anchor is not None               # (period.year is not None)
        candidates = []
        for y in (anchor.year - 1, anchor.year, anchor.year + 1):
            try:
                candidates.append(date(y, month, day))
            except ValueError:
                continue
        if not candidates:
            return None
        return min(candidates, key=lambda d: abs((d - anchor).days))
    try:
        return date(year, month, day)
    except ValueError:
        return None


def find_dates(text: str, period: Period | None) -> list[tuple[int, int, date]]:
    """Every date expression in text with its span, resolved against the period.

    A bare 'M.D' (no year, no 号/日) is taken only when it resolves within 60 days of the
    period and does not follow a Latin-script word (Qibbit 2.1, v2.1), so version numbers such
    as 2.3 are not read as dates.
    """
    found = []
    for m in _DATE_RE.finditer(text):
        month, day = _to_int(m["m"]), _to_int(m["d"])
        if month is None or day is None:
            continue
        sep = text[m.start("m"):m.start("d")]
        if m["y"] is None and not m["suffix"] and "月" not in sep:
            if text[m.end():m.end() + 1].isalpha() and text[m.end():m.end() + 1].isascii():
                continue
            before = text[:m.start()].rstrip(" \t")[-1:]
            if "." in sep and before.isascii() and before.isalpha():
                continue                        # 'Qibbit 2.1', 'v2.1': a version after a name
        resolved = resolve(int(m["y"]) if m["y"] else None, month, day, period)
        if resolved is None:
            continue
        if m["y"] is None and not m["suffix"] and "月" not in sep and period and period.end:
            if abs((resolved - period.end).days) > 60:
                continue
        found.append((m.start(), m.end(), resolved))
    return found
