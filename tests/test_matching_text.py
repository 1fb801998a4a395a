"""The text helpers extraction leans on for speed give what their plain versions give."""
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.lexicon import _FOLD_TABLE, fold
from kg.mentions import TypeCue, cue_type, load_name_rules


def test_fold_is_the_character_table_for_every_character_of_the_basic_plane():
    for code in range(0x10000):
        if 0xD800 <= code < 0xE000:
            continue
        ch = chr(code)
        assert fold(ch) == ch.translate(_FOLD_TABLE), hex(code)


# ASCII, ideographs, fullwidth forms, curly quotes, ligatures, a dotted capital I (lowercased in
# two characters), compatibility ideographs: every path fold can take
_MIXED = st.text(alphabet=st.sampled_from(
    list("Aa Zz09.,-_") + list("红帽发布了谷歌") + [chr(c) for c in range(0xFF01, 0xFF5F, 7)] +
    ["\u2019", "\u201c", "\uFB01", "\u0130", "\uF900", "\u00C9", "\u212B", "\u3000", "\u2163"]), max_size=40)


@settings(max_examples=300, deadline=None)
@given(_MIXED)
def test_fold_of_a_mixed_text_keeps_its_length_and_matches_the_table(text):
    assert fold(text) == text.translate(_FOLD_TABLE)
    assert len(fold(text)) == len(text)


def test_the_first_cue_in_file_order_wins_whichever_side_it_is_on():
    rules = load_name_rules()
    text = "项目Zyloft公司"            # a Project cue before, a Company cue after: Company is listed first
    assert cue_type(text, 2, 8, rules.cues) == "Company"
    assert cue_type("他说Zyloft很好", 2, 8, rules.cues) is None


def test_cues_that_cannot_be_joined_in_one_pattern_are_still_read_one_by_one():
    # the same group name twice: the cues cannot be joined, each is tried on its own
    cues = (TypeCue("Event", "after", re.compile(r"^\s*(?:(?P<w>峰会))")),
            TypeCue("Organization", "after", re.compile(r"^\s*(?:(?P<w>基金会))")))
    assert cue_type("Zyloft基金会", 0, 6, cues) == "Organization"
    assert cue_type("Zyloft大楼", 0, 6, cues) is None
