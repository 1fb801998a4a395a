import json
import re

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.query import QueryError, bind, format_result, named_queries, rows, run
from kg.store import load_store


@pytest.fixture(scope="module")
def store(example_build):
    return load_store(example_build[1] / "graph.ttl")


def test_query_select_gives_rows(store):
    found = rows(store, "SELECT ?name WHERE { ?c a kgo:Company ; rdfs:label ?name } ORDER BY ?name")
    assert {"name": "Mirantis"} in found and {"name": "Red Hat"} in found


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_query_every_named_query_runs_and_answers(store, name):
    named = named_queries()[name]
    assert named.description, name
    sample = {"name": "Red Hat", "type": "Company", "year": "2014", "min": "1000000",
              "post": "2014-03-14-openstack-weekly-0301-0314.md", "community": "1"}
    sample["name"] = {"event-participants": "Atlanta峰会", "releases-by": "HP"}.get(name, "Red Hat")
    sample["min"] = "1000000" if name == "funding-rounds" else "0.5"      # an amount; a confidence
    params = {p: sample[p] for p in named.params if p in sample}
    assert rows(store, name, params), name


def test_query_name_parameter_matches_chinese_alias(store):
    english = rows(store, "partners-of", {"name": "Red Hat"})
    chinese = rows(store, "partners-of", {"name": "红帽"})
    assert english and english == chinese
    assert {r["partner"] for r in english} >= {"Cisco", "Dell"}


def test_query_releases_by_year_filters(store):
    assert rows(store, "releases-by", {"name": "HP", "year": "2014"})
    assert rows(store, "releases-by", {"name": "HP", "year": "2013"}) == []


def test_query_funding_rounds_over_an_amount(store):
    all_rounds = rows(store, "funding-rounds")
    big = rows(store, "funding-rounds", {"min": "10000000"})
    assert len(big) < len(all_rounds) and all(float(r["amount"]) >= 10_000_000 for r in big)


def test_query_parameters_reach_subqueries_but_not_comments_or_strings():
    text = ('PREFIX a: <http://example.org/x#>\n# WHERE { in a comment\n'
            'SELECT ?s WHERE { ?s ?p "WHERE {" . { SELECT ?s WHERE { ?s ?q ?o FILTER (?o > ?min) } } }')
    bound = bind(text, {"min": "3"})
    assert bound.count('VALUES (?min) { ("3") }') == 2          # the outer group and the subquery
    assert "# WHERE { in a comment\n" in bound and '"WHERE {"' in bound


def test_query_timeline_from_a_date_keeps_later_posts(store):
    dates = sorted(r["d"] for r in rows(store, "SELECT ?d WHERE { ?p a kgo:Post ; kgo:date ?d }"))
    everything = rows(store, "timeline")
    later = rows(store, "timeline", {"from": dates[-1]})
    post_date = {r["path"]: r["d"] for r in rows(store, "SELECT ?path ?d WHERE { ?p kgo:sourcePath ?path ; kgo:date ?d }")}
    assert later and len(later) < len(everything)
    assert all(post_date[r["post"]] >= dates[-1] for r in later)


def test_query_timeline_of_in_date_order_from_a_date(store):
    facts = rows(store, "timeline-of", {"name": "红帽"})
    assert facts and all("Red Hat" in (r["subject"], r["object"]) for r in facts)
    assert [r["date"] for r in facts] == sorted(r["date"] for r in facts)
    # a fact with no date of its own is dated by the post it was read in
    reported = {r["d"] for r in rows(store, "SELECT ?d WHERE { ?st kgo:reportedOn ?d }")}
    dated = {r["d"] for r in rows(store, "SELECT ?d WHERE { ?st a rdf:Statement ; kgo:date ?d }")}
    assert {r["date"] for r in facts} <= reported | dated
    last = facts[-1]["date"]
    assert rows(store, "timeline-of", {"name": "Red Hat", "from": last}) == [r for r in facts if r["date"] >= last]


def test_query_parameter_value_cannot_change_the_query(store):
    hostile = 'x" } } SELECT * WHERE { ?s ?p ?o } #'
    assert rows(store, "partners-of", {"name": hostile}) == []


def test_query_syntax_error_names_line_and_column(store):
    with pytest.raises(QueryError, match=r"line 2, column \d+"):
        run(store, "SELECT ?x\nWHERE { ?x ?y }")


def test_query_refuses_updates(store):
    with pytest.raises(QueryError, match="read-only"):
        run(store, "INSERT DATA { <http://a> <http://b> <http://c> }")


def test_query_missing_parameter_is_explained(store):
    with pytest.raises(QueryError, match="--param name"):
        run(store, "partners-of")


def test_query_construct_gives_turtle(store):
    text = format_result(run(store, "CONSTRUCT { ?c a kgo:Company } WHERE { ?c a kgo:Company }"))
    assert "kgo:Company" in text


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "xml", "table"])
def test_query_cli_formats(example_build, fmt):
    graph = str(example_build[1] / "graph.ttl")
    result = CliRunner().invoke(main, ["query", "most-connected", "--graph", graph, "--format", fmt])
    assert result.exit_code == 0, result.output
    if fmt == "json":
        assert json.loads(result.output)["results"]["bindings"]
    elif fmt == "table":
        assert "(20 rows)" in result.output or "rows)" in result.output


def test_query_cli_list_and_errors(example_build):
    listed = CliRunner().invoke(main, ["query", "--list"])
    assert all(name in listed.output for name in named_queries())
    bad = CliRunner().invoke(main, ["query", "SELECT ?x WHERE {", "--graph", str(example_build[1] / "graph.ttl")])
    assert bad.exit_code == 2 and "syntax error at line 1" in bad.output and "Traceback" not in bad.output


def test_most_connected_ranks_by_the_page_degree_and_pages_on(store, example_build):
    first = rows(store, "most-connected")
    places = [int(r["place"]) for r in first]
    degrees = [int(r["degree"]) for r in first]
    assert places == list(range(1, len(first) + 1)) and len(first) == 20
    assert degrees == sorted(degrees, reverse=True) and degrees[-1] >= 1
    html = (example_build[1] / "graph.html").read_text(encoding="utf-8")
    page = json.loads(re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.S).group(1))
    drawn = {n["name"]: n["degree"] for n in page["nodes"]}
    assert all(drawn[r["entity"]] == int(r["degree"]) for r in first)        # the degree the page sizes by
    assert max(d for name, d in drawn.items() if name not in {r["entity"] for r in first}) <= degrees[-1]
    second = rows(store, "most-connected", {"from": "21"})
    assert second and [int(r["place"]) for r in second] == list(range(21, 21 + len(second)))
    assert int(second[0]["degree"]) <= degrees[-1]


def test_query_min_keeps_only_facts_read_at_least_that_surely(example_build):
    from kg.query import query
    graph = example_build[1] / "graph.ttl"
    every = query(graph, "relations-of", {"name": "Mirantis"}, "csv").strip().splitlines()
    assert len(every) > 1
    assert query(graph, "relations-of", {"name": "Mirantis", "min": "0"}, "csv").strip().splitlines() == every
    assert len(query(graph, "relations-of", {"name": "Mirantis", "min": "1"}, "csv").strip().splitlines()) < len(every)


def test_query_new_in_gives_what_a_post_named_and_stated_first(store):
    dated = rows(store, "SELECT ?post WHERE { ?p kgo:sourcePath ?post ; kgo:date ?d } ORDER BY ?d")
    first, last = rows(store, "new-in", {"post": dated[0]["post"]}), rows(store, "new-in", {"post": dated[-1]["post"]})
    new_first = {r["subject"] for r in first if r["kind"] == "entity"}
    new_last = {r["subject"] for r in last if r["kind"] == "entity"}
    assert new_first and new_last and not new_first & new_last            # an entity is new once
    # the last post's new names: no earlier post mentions them
    for name in new_last:
        dates = {r["date"] for r in rows(store, "mentions-of", {"name": name})}
        assert min(dates) == rows(store, "SELECT ?d WHERE { ?p kgo:sourcePath ?post ; kgo:date ?d }",
                                  {"post": dated[-1]["post"]})[0]["d"], name
    assert any(r["kind"] == "fact" and r["relation"] for r in last)


def test_query_keeps_a_store_beside_the_graph_and_makes_it_again_after_a_build(tmp_path):
    import shutil

    from kg.pipeline import build
    from kg.query import query
    from kg.store import STORE_SUFFIX
    posts = tmp_path / "posts"
    posts.mkdir()
    (posts / "2020-01-02-a.md").write_text("Zorbix Networks 与 Quantiva 公司合作。\n", encoding="utf-8")
    out = tmp_path / "out"
    build([posts], out, validate=False, html=False)
    graph = out / "graph.ttl"
    assert "Quantiva" in query(graph, "partners-of", {"name": "Zorbix Networks"})
    folder = graph.with_suffix(STORE_SUFFIX)
    assert folder.is_dir()                                          # kept for the next query
    (posts / "2020-01-02-a.md").write_text("Zorbix Networks 与 Marblex 公司合作。\n", encoding="utf-8")
    build([posts], out, validate=False, html=False)
    answer = query(graph, "partners-of", {"name": "Zorbix Networks"})
    assert "Marblex" in answer and "Quantiva" not in answer          # never the last build's answers
    shutil.rmtree(folder)
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")     # a folder kg did not make
    assert "Marblex" in query(graph, "partners-of", {"name": "Zorbix Networks"})
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_query_mentions_of_pages_back_from_a_date_newest_first(store):
    every = [r["date"] for r in rows(store, "mentions-of", {"name": "Red Hat"})]
    assert every == sorted(every, reverse=True) and len(set(every)) > 1
    older = [r["date"] for r in rows(store, "mentions-of", {"name": "Red Hat", "before": every[0]})]
    assert older and all(d < every[0] for d in older)
