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


def test_the_slots_every_match_fills_are_found_through_groups_branches_and_repeats():
    from kg.relations import compile_pattern, load_relation_signatures
    signatures = load_relation_signatures()

    def needs(pattern):
        return compile_pattern("partnersWith", pattern, signatures, "test").needs
    both = frozenset("CG")
    assert needs("{S}~与~{O}~合作") == (both, both)
    assert needs("{S?}~与~{O}~合作") == (both,)
    assert needs("(?:{S}~)?与~{O}~合作") == (both,)            # a slot in an optional group
    assert needs("{S}~与(?:{O}|其他公司)~合作") == (both,)      # a slot in one branch only
    assert needs("{S:Company}~(?:与|和)~{O}~合作") == (frozenset("C"), both)


_TOKENS = [f"\ue000{letter}{index}\ue001" for letter in "CGPJREHM" for index in (0, 1)]


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_a_pattern_matches_no_sentence_lacking_a_type_one_of_its_slots_needs(data):
    """find_facts skips a pattern when the sentence has no mention of a type a slot every
    match fills takes: a pattern must then indeed not match."""
    from kg.relations import OPEN, load_relation_rules
    rules = load_relation_rules()
    pattern = data.draw(st.sampled_from([p for p in rules.patterns if p.needs]))
    words = list(pattern.anchors or ()) + ["的", "了", "，", " ", "和", "、", "公司", "项目"]
    shape = "".join(data.draw(st.lists(st.sampled_from(_TOKENS + words), max_size=12)))
    present = {letter for letter in "CGPJREH" if OPEN + letter in shape}
    if pattern.regex.search(shape):
        assert all(not present.isdisjoint(letters) for letters in pattern.needs), (pattern.source, shape)


def test_a_sentence_a_pattern_matches_stops_matching_without_the_types_a_slot_needs():
    """The skeletons of the example archive's sentences that patterns match: relabelled so that
    no mention has a type one slot needs (as a modifier, M), the pattern finds nothing."""
    import re as regex

    from kg.extract import extract_post
    from kg.lexicon import load_lexicon
    from kg.posts import read_post
    from kg.relations import OPEN, load_relation_rules, sentences, skeleton
    from kg.resources import examples_dir
    rules, lexicon = load_relation_rules(), load_lexicon()
    checked = 0
    for path in sorted(examples_dir().rglob("*.md")):
        post = read_post(path)
        extraction = extract_post(post, lexicon)
        sources = {entry.position: entry for entry in post.readable_entries()}     # the title is entry 0
        for entry in extraction.entries:
            source = sources[entry.position]
            for start, end in sentences(source.text):
                shape, inside = skeleton(source.text, start, end, list(entry.mentions), rules.modifiers)
                for pattern in rules.patterns:
                    if not pattern.needs or not pattern.regex.search(shape):
                        continue
                    for letters in pattern.needs:
                        relabelled = regex.sub(f"{OPEN}([{''.join(sorted(letters))}])", f"{OPEN}M", shape)
                        assert not pattern.regex.search(relabelled), (pattern.source, shape)
                        checked += 1
    assert checked >= 10, checked


_NAMES = st.lists(st.sampled_from(list("Nova v0129.-_ \nAZaz") + ["\u212a", "\u0661", "\u00b2", "version"]),
                  max_size=14).map("".join)


@settings(max_examples=500, deadline=None)
@given(_NAMES)
def test_split_version_gives_what_its_pattern_alone_gives(name):
    """split_version skips its pattern for a name not ending in a digit, or a digit and a letter;
    digits glued to a capital letter (a model's code: AT128) are no version, except after RC, nor
    are digits after one lowercase letter standing alone (a model's name: Marco-o1), except v."""
    from kg.lexicon import _VERSION_TAIL, split_version
    match = _VERSION_TAIL.search(name)
    plain = (name, None)
    at = match.start() if match is not None else 0
    glued = match is not None and at > 0 and match.group(0)[0].isdigit() \
        and (name[at - 1].isupper() and not name[:at].endswith("RC")
             or name[at - 1].islower() and name[at - 1] != "v" and (at < 2 or not name[at - 2].isalpha()))
    if match and match.start() > 0 and not glued:
        base = name[:match.start()].rstrip(" -_")
        if base and any(ch.isalpha() for ch in base):
            plain = (base, match.group(0).strip(" -_"))
    assert split_version(name) == plain
