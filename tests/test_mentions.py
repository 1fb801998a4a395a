"""Stage 2, mentions: tests/fixtures/mentions/<case>.txt is one entry's text; <case>.expected.json
lists the mentions (surface, type) found in it, in text order, and surfaces that must not be."""
import json
from pathlib import Path

import pytest

from kg.mentions import find_mentions

CASES = sorted((Path(__file__).parent / "fixtures" / "mentions").glob("*.txt"))


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_mentions_finds_the_names_of_each_fixture_with_their_types(case, lexicon):
    want = json.loads(case.with_suffix(".expected.json").read_text(encoding="utf-8"))
    found = find_mentions(case.read_text(encoding="utf-8").strip(), lexicon)
    assert [[m.surface, m.type] for m in found] == want["mentions"]
    assert not {m.surface for m in found} & set(want.get("not_mentions", []))


def test_mentions_spans_are_where_the_text_says_them(lexicon):
    text = "浪潮与Zorbix Networks合作，Zorbix Networks随后发布了新版本。"
    for mention in find_mentions(text, lexicon):
        assert text[mention.start:mention.end] == mention.surface
