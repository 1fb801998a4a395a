"""Stage 4, relations: tests/fixtures/relations/<case>.txt is one entry's text; <case>.expected.json
lists the facts (subject, predicate, object, by the surfaces that name them) read from it, and
facts that must not be. The mentions come from stages 2 and 3, the facts from this one only."""
import json
from pathlib import Path

import pytest

from conftest import entries_of_one_post, facts_read
from kg.mentions import find_mentions
from kg.relations import find_facts, makers_in_names
from kg.resolve import resolve_mentions

CASES = sorted((Path(__file__).parent / "fixtures" / "relations").glob("*.txt"))


def facts_of(text: str, lexicon) -> set[tuple[str, str, str]]:
    resolved = resolve_mentions(find_mentions(text, lexicon), lexicon, text)
    makers = makers_in_names(resolved, lexicon)         # (小米 of 小米 SU7, as the pipeline names it)
    surfaces: dict[str, set[str]] = {}
    for r in [*resolved, *makers]:
        surfaces.setdefault(r.key, set()).add(r.mention.surface)
    return {(s, fact.predicate, o) for fact in find_facts(text, resolved, 1, makers=tuple(makers))
            for s in surfaces.get(fact.subject, {fact.subject}) for o in surfaces.get(fact.object, {fact.object})}


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_relations_reads_the_facts_of_each_fixture(case, lexicon):
    want = json.loads(case.with_suffix(".expected.json").read_text(encoding="utf-8"))
    assert set(want) <= {"facts", "absent"}, f"unknown keys in {case.stem}.expected.json"
    facts = facts_of(case.read_text(encoding="utf-8").strip(), lexicon)
    for fact in want.get("facts", []):
        assert tuple(fact) in facts, (fact, facts)
    for fact in want.get("absent", []):
        assert tuple(fact) not in facts


def test_relations_evidence_is_the_sentence_that_states_the_fact(lexicon):
    text = "红帽发布了RDO。Zorbix Networks收购了Quantiva。"
    resolved = resolve_mentions(find_mentions(text, lexicon), lexicon, text)
    evidence = {fact.predicate: fact.evidence for fact in find_facts(text, resolved, 1)}
    assert evidence == {"releases": "红帽发布了RDO", "acquires": "Zorbix Networks收购了Quantiva"}


def test_it_opening_an_item_after_items_about_a_firm_is_that_firm_for_what_only_a_firm_does():
    entries = entries_of_one_post(
        "Zorbix Networks 是一家数据库初创公司，Zorbix Networks 的产品很受欢迎。",
        "它宣布收购 Quantiva Systems。",
        "它还与 Acme Systems 建立了合作伙伴关系。它使用 Kubernetes。")
    facts = facts_read(*entries)
    assert ("zorbixnetworks", "acquires", "quantivasystems") in facts
    assert {("zorbixnetworks", "partnersWith", "acmesystems"), ("acmesystems", "partnersWith", "zorbixnetworks")} & facts
    assert not any(predicate == "uses" for _, predicate, _ in facts), facts     # a firm's things use, not it


def test_a_sentence_that_opens_on_a_person_drops_no_firm_as_its_subject():
    entries = entries_of_one_post(
        "Dropbox 今天发布了新的同步服务 Quiverly。",
        "Jane Doe 是 Dropbox 的解决方案架构师。她是一名数据库专家，拥有十年使用 MySQL、PostgreSQL 和 SQLite 数据库的经验。")
    facts = facts_read(*entries)
    assert ("janedoe", "worksFor", "dropbox") in facts
    assert not any(predicate == "uses" for _, predicate, _ in facts), facts


def test_we_in_a_post_whose_authors_note_names_the_writers_firm_is_that_firm():
    entries = entries_of_one_post(
        "Jane Roe\nJane 在可再生能源供应商 Zorbix Energy 担任架构师。",
        "我们选择使用 Kestrel 来管理基础设施。我们的 Lumen 模块很受欢迎。")
    facts = facts_read(*entries)
    assert ("zorbixenergy", "uses", "kestrel") in facts
    assert ("zorbixenergy", "develops", "lumen") not in facts          # (我们的 X: no firm's own thing)


def test_we_in_a_post_with_no_authors_note_is_no_firm():
    entries = entries_of_one_post("Zorbix Energy 今天发布了新版本。", "我们选择使用 Kestrel 来管理基础设施。")
    assert not any(f.predicate == "uses" for entry in entries for f in entry.facts)


def test_the_company_after_an_entry_naming_a_product_with_its_maker_in_front_is_that_maker():
    entries = entries_of_one_post("Acme Systems 的分析师 Jane Roe 表示赞同。", "Datadog Quiverly 平台的新功能已经上线。",
                                  "该公司上周在 KubeCon 2021 上宣布了这项新技术。")
    facts = facts_read(entries[2])
    assert facts == {("datadog", "participatesIn", "kubecon2021")}


def test_only_a_patterns_object_can_be_a_name_the_lexicon_does_not_know():
    """{O!} reads new names only; a subject so marked is the pattern's error, naming its line."""
    import pytest

    from kg.errors import DataFileError
    from kg.relations import compile_pattern, load_relation_signatures
    signatures = load_relation_signatures()
    assert compile_pattern("develops", "{S:Company} 的 {O1!:Project}", signatures, "relations.tsv:9").new_object
    assert not compile_pattern("develops", "{S:Company} 的 {O1:Project}", signatures, "relations.tsv:9").new_object
    with pytest.raises(DataFileError, match="only the object can be a new name"):
        compile_pattern("develops", "{S!:Company} 开发了 {O}", signatures, "relations.tsv:9")
