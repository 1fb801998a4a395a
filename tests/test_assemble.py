"""The assembly asserts a stated relation only when the archive's votes type both ends as
the relation allows; its statements, page edges and counts follow."""
import json
import re

from kg.pipeline import build

PARTNERS = ("2014-01-07-a.md", "---\ntitle: 周报第一期(0101-0107)\ndate: 2014-01-07\n---\n\n## 业界动态\n\n"
            "Zyloft公司与Qibbit公司建立战略合作伙伴关系。\n")
RELEASES = [("2014-01-14-b.md", "---\ntitle: 周报第二期(0108-0114)\ndate: 2014-01-14\n---\n\n## 业界动态\n\n"
             "Zyloft发布了Qibbit 2.0版本。\n"),
            ("2014-01-21-c.md", "---\ntitle: 周报第三期(0115-0121)\ndate: 2014-01-21\n---\n\n## 业界动态\n\n"
             "Zyloft发布了Qibbit 2.1，Qibbit是一个开源的存储产品。\n"),
            ("2014-01-28-d.md", "---\ntitle: 周报第四期(0122-0128)\ndate: 2014-01-28\n---\n\n## 业界动态\n\n"
             "存储产品 Qibbit 的用户越来越多，这款产品 Qibbit 也上线了新功能，Qibbit 产品线还在扩展。\n")]


def _write(folder, posts):
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in posts:
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _page_data(out):
    html = (out / "graph.html").read_text(encoding="utf-8")
    return json.loads(re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.S).group(1))


def test_a_relation_whose_voted_types_do_not_fit_is_not_asserted(tmp_path):
    posts = _write(tmp_path / "posts", [PARTNERS, *RELEASES])
    result = build([posts], tmp_path / "out", use_cache=False)
    turtle = (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")
    voted = {name: folder for folder, name in re.findall(r"resource/(\w+)/(zyloft|qibbit)>\n    a kgo:", turtle)}
    assert not {voted["zyloft"], voted["qibbit"]} <= {"company", "organization"}, "the fixture no longer flips a vote"
    assert "kgo:partnersWith" not in turtle             # not asserted, and no statement of it either
    assert "kgo:releases" in turtle
    assert result.violations == [] and result.relations["partnersWith"] == 0
    page = _page_data(tmp_path / "out")
    assert not [e for e in page["edges"] if e["relation"] == "partnersWith"]
    assert not [s for src in page["sources"] for s in src["statements"] if "partnersWith" in s["edge"]]


def test_the_same_relation_is_asserted_once_the_votes_allow_it(tmp_path):
    alone = _write(tmp_path / "alone", [PARTNERS])
    result = build([alone], tmp_path / "out-alone", use_cache=False)
    turtle = (tmp_path / "out-alone" / "graph.ttl").read_text(encoding="utf-8")
    assert "kgo:partnersWith" in turtle and "rdf:predicate kgo:partnersWith" in turtle
    assert result.violations == [] and result.relations["partnersWith"] == 1


def test_a_rebuild_that_flips_the_votes_equals_a_build_from_scratch(tmp_path):
    posts = _write(tmp_path / "posts", [PARTNERS, *RELEASES])
    out = tmp_path / "out"
    build([posts], out)
    for name, _ in RELEASES:
        (posts / name).unlink()
    build([posts], out)
    build([_write(tmp_path / "scratch", [PARTNERS])], tmp_path / "scratch-out", use_cache=False)
    for name in ("graph.ttl", "graph.html"):
        assert (out / name).read_bytes() == (tmp_path / "scratch-out" / name).read_bytes()


def test_assemble_communities_are_the_clusters_and_do_not_depend_on_order():
    import random

    from kg.communities import centrality, communities
    left = {(a, b) for a in "abcd" for b in "abcd" if a < b}               # two cliques and one bridge
    right = {(a, b) for a in "wxyz" for b in "wxyz" if a < b}
    pairs = left | right | {("d", "w")}
    found = communities(pairs)
    assert len({found[k] for k in "abcd"}) == 1 and len({found[k] for k in "wxyz"}) == 1
    assert found["a"] != found["z"]
    shuffled = list(pairs)
    random.Random(3).shuffle(shuffled)
    assert communities(set(shuffled)) == found and centrality(set(shuffled)) == centrality(pairs)
    star = centrality({("hub", leaf) for leaf in "pqrs"})
    assert star["hub"] == 1 and all(0 < star[leaf] < 1 for leaf in "pqrs")
    assert communities(set()) == {} and centrality(set()) == {}


def test_assemble_every_related_entity_has_one_community_and_centrality(example_build):
    from rdflib import Graph, Namespace
    kgo = Namespace("https://w3id.org/kgnews/ontology#")
    graph = Graph().parse(example_build[1] / "graph.ttl")
    related = {s for s, d in graph.subject_objects(kgo.degree) if int(d) > 0}
    assert related
    for entity in related:
        assert len(list(graph.objects(entity, kgo.community))) == 1
        centrality = [float(c) for c in graph.objects(entity, kgo.centrality)]
        assert len(centrality) == 1 and 0 < centrality[0] <= 1
    assert not {s for s, d in graph.subject_objects(kgo.degree) if int(d) == 0} & set(graph.subjects(kgo.community))


def test_names_typed_by_nothing_do_not_outvote_the_cue_that_typed_their_name(tmp_path):
    # Vellora is typed twice: a product by the descriptor before it, a firm by its founder's role;
    # every other mention takes the first of these (kg.resolve.shared_types) but only by the default;
    # its acquisition votes for the firm (acquires names Company first), not for the product
    text = ("---\ntitle: Vellora 的新工具\ndate: 2024-05-02\n---\n\n"
            "一个静态网站托管平台 Vellora 已经被 WordPress 网站建设商 Zyloft 收购。\n\n"
            "Vellora 创始人 Jane Doe 在接受采访时表示，Vellora 最初是为了解决部署问题。\n\n"
            "Vellora 今年推出了更多功能。\n\nVellora 还计划扩大团队。\n\nVellora 的用户也在增加。\n")
    posts = _write(tmp_path / "posts", [("vellora.md", text)])
    result = build([posts], tmp_path / "out", use_cache=False)
    turtle = (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")
    assert re.search(r"resource/company/vellora>\n    a kgo:Company", turtle)
    assert result.relations["worksFor"] == 1 and result.relations["acquires"] == 1 and result.violations == []
