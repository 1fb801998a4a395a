"""Stage 3, resolve: tests/fixtures/resolve/<case>.txt is one entry's text; <case>.expected.json
lists groups of surfaces that name one entity ("same") and pairs that name two ("different")."""
import json
from pathlib import Path

import pytest

from kg.mentions import find_mentions
from kg.resolve import resolve_mentions

CASES = sorted((Path(__file__).parent / "fixtures" / "resolve").glob("*.txt"))


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_resolve_gives_one_entity_to_the_spellings_of_one_thing(case, lexicon):
    want = json.loads(case.with_suffix(".expected.json").read_text(encoding="utf-8"))
    text = case.read_text(encoding="utf-8").strip()
    key_of = {r.mention.surface: r.key for r in resolve_mentions(find_mentions(text, lexicon), lexicon, text)}
    for group in want.get("same", []):
        assert len({key_of[surface] for surface in group}) == 1, group
    for first, second in want.get("different", []):
        assert key_of[first] != key_of[second]


def test_resolve_merges_case_variants_of_a_new_name(lexicon):
    text = "Zorbix Networks与ZORBIX NETWORKS的团队合作。"
    keys = {r.key for r in resolve_mentions(find_mentions(text, lexicon), lexicon, text) if "orbix" in r.mention.surface.lower()}
    assert len(keys) == 1


def test_resolve_a_default_typed_name_takes_the_type_its_context_gave_it_elsewhere(lexicon):
    text = "Quantiva 的首席执行官 Mark Abbott 说，Quantiva 与红帽合作。"
    types = {r.mention.start: r.type for r in resolve_mentions(find_mentions(text, lexicon), lexicon, text)
             if r.mention.surface == "Quantiva"}
    assert len(types) == 2 and set(types.values()) == {"Company"}


def test_resolve_a_family_name_alone_is_the_person_met_in_the_post():
    from datetime import date

    from kg.dates import Period
    from kg.extract import extract_post
    from kg.lexicon import load_lexicon
    from kg.posts import Entry, Post
    lexicon = load_lexicon()
    post = Post(path="p.md", name="p.md", title="t", issue=None, date=date(2020, 1, 2), period=Period(None, None),
                entries=(Entry(1, (), "Zorbix Networks 的首席执行官 Mark Abbott 表示，新版本下月发布。"),
                         Entry(2, (), "Abbott 说，客户已经在测试。")))
    keys = {r.mention.surface: r.key for entry in extract_post(post, lexicon).entries for r in entry.mentions}
    assert keys["Abbott"] == keys["Mark Abbott"]


def test_resolve_a_product_named_with_and_without_its_owner_is_one_thing():
    from datetime import date

    from kg.dates import Period
    from kg.extract import extract_post
    from kg.lexicon import load_lexicon
    from kg.posts import Entry, Post
    lexicon = load_lexicon()
    post = Post(path="p.md", name="p.md", title="t", issue=None, date=date(2020, 1, 2), period=Period(None, None),
                entries=(Entry(1, (), "VMware 发布了 VMware Zorblet 平台。"), Entry(2, (), "Zorblet 平台已经上线。")))
    keys = {r.mention.surface: r.key for entry in extract_post(post, lexicon).entries for r in entry.mentions}
    assert keys.get("Zorblet") == keys["VMware Zorblet"]
