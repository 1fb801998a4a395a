"""kg/regex_shape.py: what every match of a pattern holds, read from its text."""
import re

from hypothesis import given
from hypothesis import strategies as st

import pytest

from kg.regex_shape import literals_of, may_match, parse_pattern, required_groups, required_literals


def test_regex_shape_finds_the_most_selective_required_literals():
    assert required_literals(parse_pattern("a(?:宣布|公布)b")) == {"宣布", "公布"}
    assert required_literals(parse_pattern("x?(?:发布|推出)了?")) == {"发布", "推出"}
    assert required_literals(parse_pattern("[abc]+\\s*with\\s+")) == {"with"}
    assert required_literals(parse_pattern("(?:正式)?(?!版)")) is None
    assert required_literals(parse_pattern("ab\ue010c"), "\ue010") == {"ab"}


def test_regex_shape_reads_escapes_as_the_characters_they_match():
    assert required_literals(parse_pattern(r"说\n道")) == {"说\n道"}          # a newline, not the letter n
    assert required_literals(parse_pattern(r"\u516c\x41司")) == {"公A司"}
    assert required_literals(parse_pattern(r"(.)\1ab")) == {"ab"}               # a back-reference is no '1'
    assert required_literals(parse_pattern(r"a\.b")) == {"a.b"}


def test_regex_shape_counts_what_a_positive_lookaround_looks_at_and_refuses_what_it_does_not_read():
    assert required_literals(parse_pattern("[A-Z]+(?=会议|大会)")) == {"会议", "大会"}
    assert required_literals(parse_pattern("(?<=发布)[A-Z]+")) == {"发布"}
    assert required_literals(parse_pattern("[A-Z]+(?!会议)")) is None
    for unread in ("(?i)abc", "(?>abc)", "(?P<a>x)(?P=a)", "(?#note)abc"):
        with pytest.raises(ValueError):
            parse_pattern(unread)


def test_may_match_says_no_only_where_no_match_can_be():
    pattern = re.compile("[A-Za-z]+ ?(?:峰会|大会|Summit|Meetup|Forum|论坛|沙龙|开放日)")
    for text in ("Zorbix 峰会在京举行", "KubeCon Summit", "没有会议的一句话", "the Forum", "Zorbix 大"):
        assert may_match(pattern, text) or pattern.search(text) is None
    assert not may_match(pattern, "没有会议的一句话") and may_match(pattern, "the Forum")
    assert may_match(re.compile("(?i)summit"), "no literal is known")


def test_regex_shape_finds_the_groups_every_match_enters():
    assert required_groups(parse_pattern("(?P<S>a)b(?P<O>c)")) == {"S", "O"}
    assert required_groups(parse_pattern("(?:(?P<S>a)\\s*)?b(?P<O>c)")) == {"O"}
    assert required_groups(parse_pattern("(?P<S>a)(?:(?P<O>c)|d)")) == {"S"}
    assert required_groups(parse_pattern("(?:(?P<S>a)|(?P<S2>b)(?P<O>c)|(?P<O2>c))+")) == set()


words = st.sampled_from(["发布", "推出", "合作", "with", "上线", "开源"])


@st.composite
def patterns(draw):
    pieces = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["word", "optional", "alternation", "class"]))
        if kind == "word":
            pieces.append(draw(words))
        elif kind == "optional":
            pieces.append(f"(?:{draw(words)})?")
        elif kind == "alternation":
            pieces.append("(?:" + "|".join(draw(st.lists(words, min_size=1, max_size=3))) + ")")
        else:
            pieces.append("[ab]+")
    return "".join(pieces)


@given(patterns(), st.randoms(use_true_random=False))
def test_regex_shape_every_match_holds_one_required_literal(pattern, chooser):
    regex = re.compile(pattern)
    found = required_literals(parse_pattern(pattern))
    # build a matching string by choosing a branch of each alternation and dropping optionals
    text = re.sub(r"\(\?:([^()]*)\)\?", lambda m: chooser.choice(["", m.group(1).split("|")[0]]), pattern)
    text = re.sub(r"\(\?:([^()]*)\)", lambda m: chooser.choice(m.group(1).split("|")), text)
    text = text.replace("[ab]+", "ab")
    assert regex.fullmatch(text)
    if found is not None:
        assert any(literal in text for literal in found)


def test_literals_of_a_compiled_pattern_are_none_where_case_or_syntax_hides_them():
    assert literals_of(re.compile("(?:发布|推出)了")) == {"发布", "推出"}
    assert literals_of(re.compile("summit", re.I)) is None and literals_of(re.compile("(?>ab)c")) is None
