from datetime import date
from decimal import Decimal

import pytest

from kg.dates import Period, find_dates
from kg.numbers import chinese_to_int, scale


@pytest.mark.parametrize("text, value", [
    ("一", 1), ("十", 10), ("十四", 14), ("二十一", 21), ("一百零五", 105), ("两千", 2000),
    ("二〇一四", 2014), ("14", 14), ("一万二千", 12000),
])
def test_numbers_reads_chinese_numerals(text, value):
    assert chinese_to_int(text) == value


def test_numbers_rejects_non_numerals():
    assert chinese_to_int("期") is None
    assert chinese_to_int("") is None


@pytest.mark.parametrize("number, multiplier, value", [
    ("1500", "万", Decimal(15_000_000)), ("10", "亿", Decimal(1_000_000_000)),
    ("1.75", "亿", Decimal(175_000_000)), ("15", "M", Decimal(15_000_000)), ("2,700", None, Decimal(2700)),
])
def test_numbers_scales_amounts_by_the_multipliers_of_the_funding_words(number, multiplier, value):
    from kg.funding import load_funding_words
    factors = load_funding_words().multipliers
    assert scale(number, factors[multiplier.lower()] if multiplier else None) == value


PERIOD = Period(date(2014, 5, 8), date(2014, 5, 28))


@pytest.mark.parametrize("text, when", [
    ("2014.05.28，Mirantis发布了", date(2014, 5, 28)),
    ("5.12号，峰会召开", date(2014, 5, 12)),
    ("6月9号", date(2014, 6, 9)),
    ("2014年6月9号", date(2014, 6, 9)),
    ("五月12日", date(2014, 5, 12)),
    ("2014.6.2，部署成功", date(2014, 6, 2)),
])
def test_dates_resolves_against_period(text, when):
    found = find_dates(text, PERIOD)
    assert found and found[0][2] == when


def test_dates_year_wraps_to_nearest_period():
    period = Period(date(2013, 12, 16), date(2014, 1, 5))
    assert find_dates("12.20号", period)[0][2] == date(2013, 12, 20)
    assert find_dates("1.3号", period)[0][2] == date(2014, 1, 3)


def test_dates_ignores_version_numbers():
    assert find_dates("Docker 1.0发布，Mirantis OpenStack 5.0", PERIOD) == []


def test_dates_a_bare_month_day_after_a_latin_name_is_a_version():
    near = Period(date(2014, 1, 15), date(2014, 1, 21))
    assert find_dates("Zyloft发布了Qibbit 2.1，", near) == []       # 2.1 is near the period, still a version
    assert find_dates("Quasar v1.20上线", near) == []
    assert find_dates("于1.20发布了新版本", near)[0][2] == date(2014, 1, 20)
    assert find_dates("Qibbit在1.20号发布", near)[0][2] == date(2014, 1, 20)
