"""One small fixture per extraction phenomenon: tests/fixtures/extraction/<case>.txt holds one
news entry (our own sentences); <case>.expected.json says what must, and must not, be read."""
import json
from datetime import date
from pathlib import Path

import pytest
from rdflib import Graph

from kg.dates import Period
from kg.extract import extract_post
from kg.graph_turtle import assemble
from kg.rdf import from_rdf
from kg.posts import Entry, Post

CASES = sorted((Path(__file__).parent / "fixtures" / "extraction").glob("*.txt"))


def one_entry_post(text: str) -> Post:
    return Post(path="case.md", name="2014-05-28-case.md", title="case", issue=None, date=date(2014, 5, 28),
                period=Period(date(2014, 5, 8), date(2014, 5, 28)),
                entries=(Entry(position=1, section=("业界动态",), text=text),))


def read(case: Path, lexicon):
    extraction = extract_post(one_entry_post(case.read_text(encoding="utf-8").strip()), lexicon)
    graph = from_rdf(Graph().parse(data=assemble([extraction], lexicon), format="turtle"))
    entities = {d["name"]: d for _, d in graph.nodes(data=True) if d["kind"] == "entity"}
    by_node = {n: d["name"] for n, d in graph.nodes(data=True) if d["kind"] == "entity"}
    relations = {(by_node[s], k, by_node[o]) for s, o, k, d in graph.edges(keys=True, data=True) if "predicate" in d}
    rounds = []
    for node, d in graph.nodes(data=True):
        if d["kind"] == "round":
            recipient = [by_node[o] for _, o, k in graph.out_edges(node, keys=True) if k == "recipient"]
            rounds.append((recipient[0], float(d["amount"]), d["currency"], d["series"]))
    versions = {by_node[o]: st["version"] for s, o, k, d in graph.edges(keys=True, data=True) if "predicate" in d
                for st in d["statements"] if st["version"]}
    return entities, relations, rounds, versions


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_extraction_reads_fixture(case, lexicon):
    want = json.loads(case.with_suffix(".expected.json").read_text(encoding="utf-8"))
    entities, relations, rounds, versions = read(case, lexicon)
    for name, kind in want.get("entities", []):
        assert name in entities, f"{name} not found in {sorted(entities)}"
        assert entities[name]["type"] == kind, name
    for s, p, o in want.get("relations", []):
        symmetric = p in ("partnersWith", "integratesWith")
        assert (s, p, o) in relations or (symmetric and (o, p, s) in relations), f"{s} {p} {o} not in {relations}"
    for s, p, o in want.get("absent_relations", []):
        assert (s, p, o) not in relations
    surfaces = {a for d in entities.values() for a in [d["name"], *d["aliases"]]}
    for word in want.get("not_entities", []):
        assert word not in surfaces, word
    for recipient, amount, currency, series in want.get("funding", []):
        assert (recipient, float(amount), currency, series) in rounds, rounds
    for amount in want.get("absent_amounts", []):
        assert all(r[1] != float(amount) for r in rounds)
    for name, version in want.get("versions", {}).items():
        assert versions.get(name) == version
    for name, day in want.get("event_dates", {}).items():
        assert str(entities[name].get("date")) == day, entities[name]
    if "one_node" in want:
        holders = [n for n, d in entities.items() if set(want["one_node"]) & set([d["name"], *d["aliases"]])]
        assert len(holders) == 1, holders


def test_extraction_event_named_in_an_earlier_entry_is_the_one_at_hand(lexicon):
    """在峰会上 in one news item means the summit an earlier item of the same post opened with."""
    post = Post(path="case.md", name="2015-05-24-case.md", title="case", issue=None, date=date(2015, 5, 24),
                period=Period(date(2015, 5, 11), date(2015, 5, 24)),
                entries=(Entry(position=1, section=("业界动态",), text="OpenStack温哥华峰会于5月18日开幕，参会人数创下新高。"),
                         Entry(position=2, section=("业界动态",),
                               text="在峰会上，沃尔玛（Walmart）介绍了其电商平台的云化进展。")))
    extraction = extract_post(post, lexicon)
    graph = from_rdf(Graph().parse(data=assemble([extraction], lexicon), format="turtle"))
    by_node = {n: d["name"] for n, d in graph.nodes(data=True) if d["kind"] == "entity"}
    relations = {(by_node[s], k, by_node[o]) for s, o, k, d in graph.edges(keys=True, data=True) if "predicate" in d}
    assert ("Walmart", "participatesIn", "OpenStack Summit Vancouver 2015") in relations, relations


def test_extraction_reads_the_title_of_a_post_as_an_entry_of_its_own(lexicon):
    post = Post(path="a.md", name="2019-01-01-a.md", title="Zorbix Networks 收购 Quantiva", issue=None,
                date=date(2019, 1, 1), period=Period(None, date(2019, 1, 1)),
                entries=(Entry(position=1, section=(), text="交易预计在下个季度完成。"),))
    extraction = extract_post(post, lexicon)
    facts = {(f.predicate, f.evidence) for entry in extraction.entries for f in entry.facts}
    assert ("acquires", "Zorbix Networks 收购 Quantiva") in facts
    assert [entry.position for entry in extraction.entries] == [0, 1]
    untitled = Post(path="b.md", name="b.md", title="b", issue=None, date=None, period=Period(None, None),
                    entries=post.entries)
    assert [entry.position for entry in extract_post(untitled, lexicon).entries] == [1]


def employers_read(title: str, items: tuple[str, ...], lexicon) -> set[tuple[str, str]]:
    """(person key, firm key) of every worksFor a titled post of these items reads, one item an entry."""
    post = Post(path="a.md", name="2020-01-01-a.md", title=title, issue=None, date=date(2020, 1, 1),
                period=Period(None, date(2020, 1, 1)),
                entries=tuple(Entry(position=n, section=(), text=t) for n, t in enumerate(items, start=1)))
    return {(f.subject, f.object) for e in extract_post(post, lexicon).entries for f in e.facts
            if f.predicate == "worksFor"}


def test_a_role_no_firm_of_its_item_claims_is_at_the_firm_the_title_names(lexicon):
    """'首席执行官 Jane Doe 说' in an article about Quantiva: its chief executive; an analyst is
    someone else's, and a title naming two firms says of neither that the post is about it."""
    items = ("Quantiva 公司今天发布了 Lumen 网关。", "“这是我们最重要的版本，”首席执行官 Jane Doe 说。",
             "分析师 John Roe 说，这个市场很大。")
    assert employers_read("Quantiva 推出新的支付网关", items, lexicon) == {("janedoe", "quantiva")}
    assert employers_read("Quantiva 与 Zorbix 公司合作推出新的支付网关", items, lexicon) == set()


def test_the_firm_a_title_names_and_the_lead_names_first_is_the_posts_however_often_another_is_named(lexicon):
    """Title '通过新的 Quantiva 服务付费', lead 'API 供应商 Quantiva 希望…': the post is about Quantiva
    though Zorbix is named more often after; not when the lead names another firm first."""
    def employers(first: str) -> set[tuple[str, str]]:
        items = (first, "Zorbix 公司的技术将是其计划的一部分。Zorbix 公司很有名，Zorbix 公司的客户很多。",
                 "首席执行官 Jane Doe 表示，这不是竞争。")
        return employers_read("通过新的 Quantiva 服务为开发人员付费", items, lexicon)
    assert employers("API 管理供应商 Quantiva 公司希望让客户更容易付费。") == {("janedoe", "quantiva")}
    assert employers("Zorbix 公司和 Quantiva 公司希望让客户更容易付费。") == set()


def test_a_role_whose_firm_is_set_off_right_after_the_person_is_not_at_the_firm_the_title_names(lexicon):
    """A podcast post about Quantiva: '工程副总裁 Gareth Holm ，Zorbix 公司' is Zorbix's, not Quantiva's."""
    items = ("Quantiva 公司今天发布了 Lumen 网关。", "嘉宾：工程副总裁 Gareth Holm ，Zorbix 公司。")
    assert employers_read("Quantiva 推出新的支付网关", items, lexicon) == {("garethholm", "zorbix")}


def test_of_two_firms_a_title_names_the_post_is_about_the_one_a_kind_of_firm_names(lexicon):
    """'Twitter、Yahoo 老将在初创企业 Quantiva 中…': the startup, not the firms its founders come from."""
    items = ("这家初创企业只有 14 名工程师。", "“我们想做实时处理，”联合创始人兼首席执行官 Jane Doe 说。")
    title = "Twitter、Yahoo 老将在初创企业 Quantiva 中汇集实时处理知识"
    assert employers_read(title, items, lexicon) == {("janedoe", "quantiva")}


def test_a_firm_phrase_that_opens_an_item_is_the_firm_the_item_before_names_most(lexicon):
    from kg.extract import extract_post
    from kg.posts import parse_post
    text = ("# 新闻\n\nQuantiva 公司收购了 Zorbix Networks。Quantiva 公司是一家云安全公司。\n\n"
            "今天，该公司推出了 Blinkr Pro 平台。\n")
    extraction = extract_post(parse_post(text.encode(), "firm.md"), lexicon)
    names = {r.key: r.name for e in extraction.entries for r in e.mentions}
    facts = {(names.get(f.subject), f.predicate, names.get(f.object)) for e in extraction.entries for f in e.facts}
    assert ("Quantiva", "releases", "Blinkr Pro") in facts, facts


def test_a_round_whose_recipient_is_a_firm_phrase_goes_to_that_firm(lexicon):
    from kg.extract import extract_post
    from kg.posts import parse_post
    text = "# 新闻\n\nQuantiva 公司发布了 Blinkr 平台。该公司表示，其最近一轮融资是 4000 万美元的 B 轮融资。\n"
    extraction = extract_post(parse_post(text.encode(), "round.md"), lexicon)
    names = {r.key: r.name for e in extraction.entries for r in e.mentions}
    rounds = [(names.get(r.recipient), int(r.amount), r.series) for e in extraction.entries for r in e.rounds]
    assert rounds == [("Quantiva", 40000000, "B")], rounds


def _rounds_by_name(text: str, lexicon) -> list[tuple[str, set[str]]]:
    """Each round one text states: (its recipient's name, its investors' names)."""
    from kg.funding import find_rounds
    from kg.mentions import find_mentions
    from kg.resolve import resolve_mentions
    resolved = resolve_mentions(find_mentions(text, lexicon), lexicon, text)
    names = {r.key: r.name for r in resolved}
    return [(names[r.recipient], {names[i] for i in r.investors}) for r in find_rounds(text, resolved, 1)]


def test_the_investors_the_sentence_after_a_round_names_are_its_investors(lexicon):
    text = ("Zorbix Networks 今天宣布获得 8000 万美元的 F 轮融资。Quantiva Capital 领投，现有投资者 Greylock Partners、"
            "Sequoia Capital 和 Accel Partners 参与。")
    assert _rounds_by_name(text, lexicon) == [
        ("Zorbix Networks", {"Quantiva Capital", "Greylock Partners", "Sequoia Capital", "Accel Partners"})]


def test_a_firm_that_describes_an_investor_is_no_recipient_nor_investor(lexicon):
    text = ("5 月，Zorbix Networks 宣布获得由 Quantiva Capital、Greylock Partners 和前红帽董事长兼首席执行官 Jane Roe "
            "领投的 1500 万美元 A 轮投资。")
    assert _rounds_by_name(text, lexicon) == [("Zorbix Networks", {"Quantiva Capital", "Greylock Partners", "Jane Roe"})]


def test_the_firm_between_a_receiving_verb_and_the_amount_gives_the_money(lexicon):
    from tests.test_relations import facts_of
    text = "人工智能初创公司 Zorbix Networks 近日获得了投资巨头红杉资本 2 亿美元的新投资。"
    assert _rounds_by_name(text, lexicon) == [("Zorbix Networks", {"Sequoia Capital"})]
    facts = facts_of(text, lexicon)
    assert ("红杉资本", "funds", "Zorbix Networks") in facts and ("Zorbix Networks", "funds", "红杉资本") not in facts


def test_money_raised_over_the_years_is_a_total_not_a_round(lexicon):
    from kg.funding import find_rounds
    from kg.mentions import find_mentions
    from kg.resolve import resolve_mentions
    text = ("Skylark 先后从松柏汽车、北辰等投资者获得总额超过 90 亿美元的融资。"
            "Zorbix Networks 今天宣布获得 3000 万美元的 B 轮融资。"
            "Quantiva 成立于 2012 年，已融资 790 万美元。")
    resolved = resolve_mentions(find_mentions(text, lexicon), lexicon, text)
    names = {r.key: r.name for r in resolved}
    assert [(names[r.recipient], int(r.amount)) for r in find_rounds(text, resolved, 1)] == \
        [("Zorbix Networks", 30000000)]


def test_names_before_the_word_that_opens_an_investor_list_are_no_investors(lexicon):
    from kg.funding import find_rounds
    from kg.mentions import find_mentions
    from kg.resolve import resolve_mentions
    text = "本周 Jane Doe 宣布了新公司 Quiverly 和由 Zendesk 牵头的 400 万美元的种子基金。"
    resolved = resolve_mentions(find_mentions(text, lexicon), lexicon, text)
    names = {r.key: r.name for r in resolved}
    assert [(names[r.recipient], [names[i] for i in r.investors]) for r in find_rounds(text, resolved, 1)] == \
        [("Quiverly", ["Zendesk"])]


def test_investors_named_in_the_paragraph_after_a_round_fund_it_and_the_firm_phrase_is_the_topic(lexicon):
    from kg.extract import extract_post
    from kg.posts import parse_post
    text = ("---\ntitle: \"Zorbix Networks 的新一轮\"\n---\n\n"
            "云安全服务 Zorbix Networks 已经筹集了 6000 万美元，到目前为止达到 1.2 亿美元。\n\n"
            "Quantiva Capital 领投，现有投资者 Greylock Partners 和 Accel Partners 参与。\n\n"
            "“这是重要的一步，”该公司首席执行官简·多伊说。\n")
    extraction = extract_post(parse_post(text.encode(), "round.md"), lexicon)
    names = {r.key: r.name for e in extraction.entries for r in e.mentions}
    rounds = [(names.get(r.recipient), int(r.amount), sorted(names[i] for i in r.investors))
              for e in extraction.entries for r in e.rounds]
    assert rounds == [("Zorbix Networks", 60000000, ["Accel Partners", "Greylock Partners", "Quantiva Capital"])]
    facts = {(names.get(f.subject), f.predicate, names.get(f.object)) for e in extraction.entries for f in e.facts}
    assert ("Greylock Partners", "funds", "Zorbix Networks") in facts, facts
    assert ("简·多伊", "worksFor", "Zorbix Networks") in facts, facts
    assert not any(p == "worksFor" and o == "Accel Partners" for _, p, o in facts), facts


def test_a_chinese_firm_read_in_one_sentence_is_read_wherever_the_post_writes_it(lexicon):
    from kg.extract import extract_post
    from kg.posts import parse_post
    text = ("# 快讯\n\n1. 在今年的大会上，岚擎创始人王立发表了演讲。始于杭州的岚擎公司，已经把技术带到海外。\n")
    extraction = extract_post(parse_post(text.encode(), "flash.md"), lexicon)
    names = {r.key: r.name for e in extraction.entries for r in e.mentions}
    facts = {(names.get(f.subject), f.predicate, names.get(f.object)) for e in extraction.entries for f in e.facts}
    assert ("王立", "worksFor", "岚擎") in facts, facts
