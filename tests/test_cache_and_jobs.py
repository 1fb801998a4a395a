import shutil

from kg.pipeline import build
from kg.resources import examples_dir


def copy_examples(tmp_path):
    posts = tmp_path / "posts"
    shutil.copytree(examples_dir(), posts)
    return posts


def test_cache_rebuild_reuses_every_unchanged_post(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    posts = copy_examples(tmp_path)
    first = build([posts], tmp_path / "a", validate=False, html=False)
    assert first.cached == 0
    again = build([posts], tmp_path / "b", validate=False, html=False)
    assert again.cached == again.posts == 3
    assert (tmp_path / "a" / "graph.ttl").read_bytes() == (tmp_path / "b" / "graph.ttl").read_bytes()
    changed = sorted(posts.glob("*.md"))[1]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n思科发布了Cisco Nexus 9000。\n", encoding="utf-8")
    third = build([posts], tmp_path / "c", validate=False, html=False)
    assert third.cached == 2
    assert "Cisco Nexus" in (tmp_path / "c" / "graph.ttl").read_text(encoding="utf-8")


def test_cache_can_be_bypassed(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    build([], tmp_path / "a", validate=False, html=False)
    assert build([], tmp_path / "b", validate=False, html=False, use_cache=False).cached == 0


def test_cache_ignores_a_corrupt_entry(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    build([], tmp_path / "a", validate=False, html=False)
    for entry in (tmp_path / "cache").rglob("*.pickle"):
        entry.write_bytes(b"not a pickle")
    result = build([], tmp_path / "b", validate=False, html=False)
    assert result.cached == 0 and result.posts == 3


def test_jobs_give_the_same_graph_as_one_process(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    build([], tmp_path / "one", validate=False, use_cache=False)
    build([], tmp_path / "two", validate=False, jobs=2, use_cache=False)
    assert (tmp_path / "one" / "graph.ttl").read_bytes() == (tmp_path / "two" / "graph.ttl").read_bytes()
    assert (tmp_path / "one" / "graph.html").read_bytes() == (tmp_path / "two" / "graph.html").read_bytes()
