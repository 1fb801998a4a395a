import shutil
import time

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
    for entry in (tmp_path / "cache").rglob("*.kgc"):
        entry.write_bytes(b"not a sealed record")
    result = build([], tmp_path / "b", validate=False, html=False)
    assert result.cached == 0 and result.posts == 3


def test_jobs_give_the_same_graph_as_one_process(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    build([], tmp_path / "one", validate=False, use_cache=False)
    build([], tmp_path / "two", validate=False, jobs=2, use_cache=False)
    assert (tmp_path / "one" / "graph.ttl").read_bytes() == (tmp_path / "two" / "graph.ttl").read_bytes()
    assert (tmp_path / "one" / "graph.html").read_bytes() == (tmp_path / "two" / "graph.html").read_bytes()


def _post(folder, name, day, body):
    (folder / name).write_text(f"---\ntitle: 第{day}期\ndate: 2014-05-{day:02d}\n---\n\n## 业界动态\n\n{body}\n",
                               encoding="utf-8")


def test_a_rebuild_after_changes_equals_a_build_from_scratch(tmp_path, monkeypatch):
    """The assembly kept beside the output takes a changed post out and puts it back in; what
    it writes must be exactly what a build from nothing writes, also when the change flips
    the vote on an entity that unchanged posts name (its IRI changes in their statements)."""
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    posts = tmp_path / "posts"
    posts.mkdir()
    _post(posts, "a.md", 1, "Zorbix项目发布了新版本。Mirantis与Zorbix合作。")
    _post(posts, "b.md", 2, "Mirantis发布了Fuel。")
    _post(posts, "c.md", 3, "红帽与Zorbix项目合作。")
    out = tmp_path / "out"
    build([posts], out)
    assert "project/zorbix" in (out / "graph.ttl").read_text(encoding="utf-8")
    # c.md now names Zorbix a company three times: the vote flips, and a.md's statement follows
    _post(posts, "c.md", 3, "Zorbix公司与红帽合作。Zorbix公司与思科合作。Zorbix公司与IBM合作。")
    (posts / "b.md").unlink()
    _post(posts, "d.md", 4, "IBM发布了PowerKVM。")
    again = build([posts], out)
    assert again.cached == 1
    fresh = tmp_path / "fresh"
    build([posts], fresh, use_cache=False)
    for name in ("graph.ttl", "graph.html"):
        assert (out / name).read_bytes() == (fresh / name).read_bytes(), name
    turtle = (out / "graph.ttl").read_text(encoding="utf-8")
    assert "company/zorbix" in turtle and "project/zorbix" not in turtle and "Fuel" not in turtle


def test_an_unchanged_post_is_taken_from_the_last_assembly(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    posts = copy_examples(tmp_path)
    build([posts], tmp_path / "out", validate=False, html=False)
    shutil.rmtree(tmp_path / "cache" / "extract")       # the extraction cache gone: only the state is left
    changed = sorted(posts.glob("*.md"))[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n思科发布了Cisco Nexus 9000。\n", encoding="utf-8")
    again = build([posts], tmp_path / "out", validate=False, html=False)
    assert again.posts == 3 and again.cached == 2               # the other two as the last build assembled them
    assert "Nexus 9000" in (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")


def test_the_common_english_words_come_from_the_cache_folder_after_first_use(tmp_path, monkeypatch):
    from kg.mentions import common_english
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    common_english.cache_clear()
    try:
        first = common_english()
        saved = list((tmp_path / "cache").glob("wordfreq-*-en-25000.txt"))
        assert len(saved) == 1 and "the" in first and len(first) > 20000
        from kg.keep import seal, sealing_key
        saved[0].write_bytes(seal("only\nthese", sealing_key()))      # what the folder's key vouches for is read
        common_english.cache_clear()
        assert common_english() == {"only", "these"}
        saved[0].write_text("planted\nwords", encoding="utf-8")       # what it does not is made again
        common_english.cache_clear()
        assert common_english() == first
    finally:
        common_english.cache_clear()


def test_a_rebuild_reads_only_the_files_changed_since_the_last_build(tmp_path, monkeypatch):
    import os

    from kg.cache import ExtractionCache
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    posts = copy_examples(tmp_path)
    hour_ago = (time.time() - 3600) * 1e9
    for path in posts.glob("*.md"):                 # posts written long before the build
        os.utime(path, ns=(int(hour_ago), int(hour_ago)))
    build([posts], tmp_path / "out", html=False)
    read = []
    real = ExtractionCache.digest
    monkeypatch.setattr(ExtractionCache, "digest", staticmethod(lambda raw, name, base: read.append(name) or
                                                               real(raw, name, base)))
    changed = sorted(posts.glob("*.md"))[1]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n红帽发布了RDO。\n", encoding="utf-8")
    again = build([posts], tmp_path / "out", html=False)
    assert set(read) == {changed.name} and again.cached == 2      # read here and by its worker


def test_a_change_keeping_size_and_time_within_a_build_tick_is_still_seen(tmp_path, monkeypatch):
    """A file written just before a build, then changed with its size and time kept, could
    look untouched: files that young are read again."""
    import os
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    posts = copy_examples(tmp_path)
    target = next(p for p in sorted(posts.glob("*.md")) if "Mirantis" in p.read_text(encoding="utf-8"))
    os.utime(target)                                  # written just now
    build([posts], tmp_path / "out", html=False, validate=False)
    stat = target.stat()
    text = target.read_text(encoding="utf-8")
    assert "Mirantis" in text
    target.write_text(text.replace("Mirantis", "Miranto!", 1), encoding="utf-8")     # same size
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert target.stat().st_size == stat.st_size
    again = build([posts], tmp_path / "out", html=False, validate=False)
    assert again.cached == 2


def _journals(out):
    return sorted(out.glob(".kg-post-turtle.*.bin"))


def test_a_rebuild_appends_only_the_changed_posts_turtle_and_compacts_when_half_is_dead(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    posts, out, fresh = tmp_path / "posts", tmp_path / "out", tmp_path / "fresh"
    posts.mkdir()
    for day, body in enumerate(("Mirantis发布了Fuel。", "红帽与思科合作。", "IBM发布了PowerKVM。", "戴尔与红帽合作。"), 1):
        _post(posts, f"{'abcd'[day - 1]}.md", day, body)
    build([posts], out)
    [journal] = _journals(out)
    before = journal.read_bytes()
    _post(posts, "a.md", 1, "Mirantis发布了Fuel 5.0。")
    build([posts], out)
    assert _journals(out) == [journal]                       # appended to, not rewritten
    after = journal.read_bytes()
    assert after.startswith(before) and len(after) > len(before)
    build([posts], fresh, use_cache=False)
    assert (out / "graph.ttl").read_bytes() == (fresh / "graph.ttl").read_bytes()
    for version in ("5.1", "5.2", "6.0"):                    # the same post again and again: dead bytes pile up
        _post(posts, "a.md", 1, f"Mirantis发布了Fuel {version}。")
        build([posts], out)
    [compacted] = _journals(out)
    assert compacted != journal and compacted.stat().st_size < 1.5 * len(before)    # only live posts
    build([posts], fresh, use_cache=False)
    assert (out / "graph.ttl").read_bytes() == (fresh / "graph.ttl").read_bytes()


def test_an_assembly_whose_journal_is_cut_short_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    posts = copy_examples(tmp_path)
    out = tmp_path / "out"
    first = build([posts], out)
    [journal] = _journals(out)
    journal.write_bytes(journal.read_bytes()[:100])
    again = build([posts], out)
    assert again.triples == first.triples
    assert [p for p in again.problems if "fails its check" in p and "discarded" in p]
    build([posts], tmp_path / "fresh", use_cache=False)
    assert (out / "graph.ttl").read_bytes() == (tmp_path / "fresh" / "graph.ttl").read_bytes()


def test_a_build_loads_no_rdf_graph_or_drawing_library(tmp_path, monkeypatch):
    # start-up is part of every build: rdflib and pyvis (which loads IPython) cost about half a
    # second of imports, and the build writes its Turtle and page without them. (The first
    # build with a new kg reads the shapes' SPARQL target with rdflib's parser, once: what the
    # shapes read is kept in the user cache folder. networkx, 0.2 s, finds the communities.)
    import subprocess
    import sys
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    script = ("import sys; from kg.pipeline import build; build([], sys.argv[1], use_cache=False); "
              "print(' '.join(sorted(m for m in ('rdflib', 'pyvis', 'IPython') if m in sys.modules)))")
    for run in ("first", "second"):
        done = subprocess.run([sys.executable, "-c", script, str(tmp_path / run)], capture_output=True, text=True,
                              check=True)
        assert (tmp_path / run / "graph.ttl").is_file() and (tmp_path / run / "graph.html").is_file()
    assert done.stdout.strip() == ""


def test_a_loaded_post_replaced_since_is_saved_as_it_now_is(tmp_path, monkeypatch):
    """A saved assembly keeps each post as it was read and writes it back without packing
    it again, as long as it is the very fragment read; one replaced since is saved anew."""
    from dataclasses import replace

    from kg import state
    from kg.keep import fingerprint
    from kg.namespace import RESOURCE_BASE
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    out = tmp_path / "out"
    build([copy_examples(tmp_path)], out, validate=False, html=False)
    assembly, damaged = state.load(out, RESOURCE_BASE, fingerprint())
    assert damaged is None and assembly.posts
    first, second = sorted(assembly.posts)[:2]
    assembly.posts[first] = replace(assembly.posts[first], page='{"changed":1}', problems=("changed",))
    state.save(assembly, out)
    state.commit(out, assembly)
    again, _ = state.load(out, RESOURCE_BASE, fingerprint())
    assert again.posts[first].page == '{"changed":1}' and again.posts[first].problems == ("changed",)
    assert again.posts[second] == assembly.posts[second]


def test_a_parallel_rebuild_extracts_a_changed_post_in_one_worker_started_early(tmp_path, monkeypatch):
    """With --jobs 2, a rebuild starts one worker before it reads the last build's state; the
    changed post is extracted there, and the graph is what one process writes."""
    import kg.pipeline
    posts = copy_examples(tmp_path)
    for name, jobs in (("one", 1), ("two", 2)):
        monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / f"cache-{name}"))
        build([posts], tmp_path / name, validate=False, jobs=jobs)
    started = []
    real = kg.pipeline.start_workers
    monkeypatch.setattr(kg.pipeline, "start_workers", lambda count, *a, **k: started.append(count) or real(count, *a, **k))
    changed = sorted(posts.glob("*.md"))[1]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n思科发布了Cisco Nexus 9000。\n", encoding="utf-8")
    results = {}
    for name, jobs in (("one", 1), ("two", 2)):
        monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / f"cache-{name}"))
        results[name] = build([posts], tmp_path / name, validate=False, jobs=jobs)
    assert started == [1]
    assert results["one"].cached == results["two"].cached == 2
    one, two = ((tmp_path / name / "graph.ttl").read_bytes() for name in ("one", "two"))
    assert one == two and b"Cisco Nexus" in two


def test_a_malformed_data_file_met_in_an_extraction_process_is_the_build_s_one_line_error(tmp_path, monkeypatch):
    """With --jobs 2 the data files are first read in the worker processes (forked: they
    see this test's stand-in); their error reaches the build, and the CLI prints one line."""
    import pytest
    from click.testing import CliRunner

    import kg.mentions
    from kg.cli import main
    from kg.errors import DataFileError
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    posts = tmp_path / "posts"
    posts.mkdir()
    for day in range(1, 10):
        _post(posts, f"{day}.md", day, "Mirantis发布了Fuel。")

    def malformed(*args, **kwargs):
        raise DataFileError("ontology/patterns/type-cues.tsv", 7, "bad regular expression: missing )")
    kg.mentions.load_name_rules.cache_clear()
    monkeypatch.setattr(kg.mentions, "load_name_rules", malformed)
    with pytest.raises(DataFileError, match="type-cues.tsv:7"):
        build([posts], tmp_path / "out", jobs=2)
    result = CliRunner().invoke(main, ["build", str(posts), "--out", str(tmp_path / "out"), "--jobs", "2"])
    assert result.exit_code == 2
    assert "kg: ontology/patterns/type-cues.tsv:7: bad regular expression" in result.output
    assert "Traceback" not in result.output


def test_a_rebuild_with_nothing_to_extract_stops_its_early_worker_at_once(tmp_path, monkeypatch):
    """The worker a parallel rebuild starts early may still be getting ready when the build
    finds nothing changed; it is stopped then, not waited for (here it would take a minute)."""
    import multiprocessing
    import time as clock

    import kg.extract
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    posts = copy_examples(tmp_path)
    build([posts], tmp_path / "out", validate=False)
    monkeypatch.setattr(kg.extract, "prepare", lambda lexicon: clock.sleep(60))     # a forked worker sees it
    result = build([posts], tmp_path / "out", validate=False, jobs=2)
    assert result.cached == 3
    deadline = clock.monotonic() + 10
    while multiprocessing.active_children() and clock.monotonic() < deadline:
        clock.sleep(0.05)
    assert multiprocessing.active_children() == []


def test_a_file_of_dated_issues_builds_as_one_post_per_issue_and_rebuilds_from_its_state(tmp_path, monkeypatch):
    from pathlib import Path
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    posts = tmp_path / "posts"
    posts.mkdir()
    month = posts / "2025-03-newsflash.md"
    shutil.copy(Path(__file__).parent / "fixtures" / "issues" / "2025-03-newsflash.md", month)
    out = tmp_path / "out"
    first = build([posts], out)
    assert first.posts == 3 and first.violations == []
    turtle = (out / "graph.ttl").read_text(encoding="utf-8")
    for day in ("2025-03-01", "2025-03-02", "2025-03-03"):
        assert f"post/2025-03-newsflash%2F{day}>" in turtle
    assert build([posts], out).cached == 3                          # unchanged: all three from the state
    month.write_text(month.read_text(encoding="utf-8").replace("海川大学", "江岸大学"), encoding="utf-8")
    again = build([posts], out)
    assert again.posts == 3 and "江岸大学" in (out / "graph.ttl").read_text(encoding="utf-8")
    fresh = tmp_path / "fresh"
    build([posts], fresh, use_cache=False)
    assert (out / "graph.ttl").read_bytes() == (fresh / "graph.ttl").read_bytes()
    whole = build([posts], tmp_path / "whole", limits=_whole_files())
    assert whole.posts == 1


def _whole_files():
    from dataclasses import replace

    from kg.posts import DEFAULT_LIMITS
    return replace(DEFAULT_LIMITS, dated_sections=False)


def test_a_relation_pattern_that_does_not_compile_stops_the_build_when_a_sentence_first_needs_it(tmp_path, monkeypatch):
    """Relation patterns are compiled at their first use; one that does not compile is the
    build's one-line error naming its line, never a warning about the post that met it."""
    import shutil

    import pytest
    from click.testing import CliRunner

    import kg.relations
    from kg.cli import main
    from kg.errors import DataFileError
    from kg.resources import ontology_dir
    patterns = tmp_path / "patterns"
    shutil.copytree(ontology_dir() / "patterns", patterns)
    with open(patterns / "relations.tsv", "a", encoding="utf-8") as table:
        table.write("releases\t{S} 赶工发布了 (?P<S>x) {O}\n")       # a group named twice: re cannot compile it
    line = len((patterns / "relations.tsv").read_text(encoding="utf-8").splitlines())
    rules = kg.relations.load_relation_rules(patterns)                # read, not yet compiled
    with pytest.raises(DataFileError, match=f"relations.tsv:{line}: bad pattern"):
        [pattern.regex for pattern in rules.patterns]
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(kg.relations, "load_relation_rules", lambda directory=None: rules)
    posts = tmp_path / "posts"
    posts.mkdir()
    _post(posts, "1.md", 1, "Mirantis赶工发布了Fuel。")
    result = CliRunner().invoke(main, ["build", str(posts), "--out", str(tmp_path / "out"), "--jobs", "1"])
    assert result.exit_code == 2, result.output
    assert f"relations.tsv:{line}: bad pattern" in result.output and "skipped" not in result.output
