import json
import re
from pathlib import Path

import pytest

from kg.pipeline import build
from kg.pagetext import script_json

INJECTION = Path(__file__).parent / "fixtures" / "injection"


def test_render_page_loads_nothing_from_the_network(example_build):
    _, out = example_build
    html = (out / "graph.html").read_text(encoding="utf-8")
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)\s*=\s*[\"']?(https?:)?//", html, re.I)
    assert "cdn" not in "".join(re.findall(r"<(?:script|link)[^>]*>", html)).lower()
    assert "default-src 'none'" in html        # the page's own policy forbids any fetch


def test_render_page_embeds_vis_network_and_the_graph(example_build):
    _, out = example_build
    html = (out / "graph.html").read_text(encoding="utf-8")
    assert "vis.Network" in html and len(html) > 400_000
    data = json.loads(re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.S).group(1))
    assert data["nodes"] and data["edges"]
    assert {n["type"] for n in data["nodes"]} <= set(data["style"]["type"])
    stated = {st["edge"] for source in data["sources"] for st in source["statements"]}
    assert all(e["id"] in stated for e in data["edges"])        # every relation shows where it was read
    mentioned = {m for source in data["sources"] for m in source["mentions"]}
    assert {n["id"] for n in data["nodes"]} <= mentioned


def test_render_escapes_markup_from_posts(tmp_path, example_build):
    build([INJECTION], tmp_path)
    html = (tmp_path / "graph.html").read_text(encoding="utf-8")
    benign = (example_build[1] / "graph.html").read_text(encoding="utf-8")
    # nothing from the post opened a script element: the same tags as a page built from benign posts
    assert re.findall(r"<script[^>]*>", html) == re.findall(r"<script[^>]*>", benign)
    assert "EvilCorp" in html
    assert "<img src=x" not in html
    assert "onerror=alert(1)" not in html.replace("\\u003cimg src=x onerror=alert(1)\\u003e", "")
    assert "alert(2)</script>" not in html


def test_render_script_json_cannot_close_its_element():
    text = script_json({"name": "</script><script>alert(1)</script>", "amp": "a&b"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text)["name"] == "</script><script>alert(1)</script>"


def test_a_build_page_shows_what_kg_render_shows_from_its_graph(example_build):
    """The build assembles the page from per-post parts; kg render reads graph.ttl back: the
    two must show the same nodes, edges, statements and rounds."""
    from rdflib import Graph

    from kg.rdf import from_rdf
    from kg.render import page_data
    _, out = example_build
    html = (out / "graph.html").read_text(encoding="utf-8")
    built = json.loads(re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.S).group(1))
    again = page_data(from_rdf(Graph().parse(out / "graph.ttl")))
    for part in ("nodes", "edges", "sources", "rounds", "initial", "entries", "posts", "dateRange"):
        assert built[part] == again[part], part


def test_the_page_title_is_escaped_and_the_template_takes_only_slots():
    from kg.render import _fill_template, render_page
    data = {"nodes": [], "edges": [], "rounds": [], "sources": [], "initial": [], "style": {}}
    html = render_page(data, title="<b>Q&A's \"kg\"</b>")
    assert "<title>&lt;b&gt;Q&amp;A&#39;s &#34;kg&#34;&lt;/b&gt;</title>" in html
    assert "<b>Q&A" not in html
    assert _fill_template("<p>{{ a }}{{b|safe}}</p>\n", a="<i>", b="<i>") == "<p>&lt;i&gt;<i></p>"
    with pytest.raises(ValueError, match="only slots"):
        _fill_template("{% if a %}x{% endif %}", a="1")


def test_render_the_time_filter_opens_on_the_posts_dates_without_the_odd_old_one():
    from kg.page_data import date_range
    dates = ["1906-12-09"] + [f"2020-01-{day:02d}" for day in range(1, 29)] * 4 + ["2020-02-01"]
    assert date_range(sorted(dates)) == ["2020-01-01", "2020-01-28"]
    assert date_range(["2014-05-28", "2014-06-04"]) == ["2014-05-28", "2014-06-04"]
    assert date_range([]) == []
