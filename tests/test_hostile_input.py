"""Hostile and clumsy input is normal input: a bad post is one warning line and the rest
builds; nothing kg reads back runs code or rots silently; no command replaces a user's
graph unless it is building it. (The endpoint's side: tests/test_serve_and_push.py.)"""
import os
import pickle
import shutil
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.cli import main
from kg.pipeline import build
from kg.posts import ReadingLimits, parse_post
from kg.resources import examples_dir

FIXTURES = Path(__file__).parent / "fixtures" / "posts"
POST = "---\ntitle: 周报第{n}期\ndate: 2014-05-{n:02d}\n---\n\n## 业界动态\n\n{body}\n"


def _post(folder: Path, name: str, n: int, body: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(POST.format(n=n, body=body), encoding="utf-8")
    return path


def _warnings(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("warning: ")]


# -- one bad post, one line ---------------------------------------------------------------

def test_pipeline_every_bad_fixture_post_is_one_warning_line_and_the_rest_builds(tmp_path):
    posts = tmp_path / "posts"
    shutil.copytree(FIXTURES, posts, ignore=shutil.ignore_patterns("*.json"))
    result = CliRunner().invoke(main, ["build", str(posts), "--out", str(tmp_path / "out"), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    lines = _warnings(result.output)
    named = [next(p.name for p in posts.iterdir() if p.name in line) for line in lines]
    assert len(named) == len(set(named))                # never two lines for one post
    for name in ("deep-quotes.md", "rust-parser-panic.md", "front-matter-python-tag.md", "nul-character.md"):
        assert name in named
    assert "utf16-with-bom.md" not in named and "cr-line-ends.md" not in named
    store = ox.Store()
    store.bulk_load(path=str(tmp_path / "out" / "graph.ttl"), format=ox.RdfFormat.TURTLE)
    titles = {str(s["t"].value) for s in store.query(
        "SELECT ?t WHERE { ?p a <https://w3id.org/kgnews/ontology#Post> ; <https://w3id.org/kgnews/ontology#title> ?t }")}
    assert {"十六位", "三十二位", "老式换行", "一个坏字节"} <= titles


def test_posts_a_list_nested_thousands_deep_is_read_within_the_depth_limit():
    body = "".join("  " * level + f"- 第{level}层\n" for level in range(1500))
    post = parse_post(("---\ntitle: 深\n---\n\n" + body).encode("utf-8"), "deep.md")
    assert any("nested deeper than 16 levels" in problem for problem in post.problems)
    assert "第1499层" in "\n".join(entry.text for entry in post.entries)


def test_posts_over_the_size_limit_are_read_up_to_it_and_the_graph_loads(tmp_path):
    big = "Acme云发布了Widget Cloud 2.0。" * 40000 + "\n"       # one paragraph of about 1.3 MB
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "big.md").write_text("---\ntitle: 大\n---\n\n" + big * 3, encoding="utf-8")
    _post(tmp_path / "posts", "small.md", 1, "Mirantis发布了Fuel。")
    result = build([tmp_path / "posts"], tmp_path / "out", limits=ReadingLimits(max_bytes=1 << 20))
    assert any("big.md" in p and "over the limit of 1,048,576 bytes" in p for p in result.problems)
    assert result.posts == 2 and result.violations == []
    store = ox.Store()
    store.bulk_load(path=str(tmp_path / "out" / "graph.ttl"), format=ox.RdfFormat.TURTLE)
    assert len(store) == result.triples


# -- paths: mistyped, linked, named twice, not UTF-8 ------------------------------------------

def test_pipeline_symbolic_links_outside_the_folders_given_are_not_read(tmp_path):
    outside = tmp_path / "outside"
    _post(outside, "secret.md", 2, "机密：Zorblax与Quuxcorp合作。")
    posts = tmp_path / "posts"
    _post(posts, "a.md", 1, "Mirantis发布了Fuel。")
    (posts / "leak.md").symlink_to(outside / "secret.md")
    (posts / "loop.md").symlink_to(posts / "loop.md")
    (posts / "linked-folder").symlink_to(outside, target_is_directory=True)
    result = CliRunner().invoke(main, ["build", str(posts), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "机密" not in (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")
    lines = _warnings(result.output)
    assert any("leak.md" in line and "outside the folders given" in line for line in lines)
    assert any("loop.md" in line and "loop" in line for line in lines)
    assert any("linked-folder" in line and "not followed" in line for line in lines)
    followed = CliRunner().invoke(main, ["build", str(posts), "--out", str(tmp_path / "follow"), "--follow-symlinks"])
    assert followed.exit_code == 0
    assert "机密" in (tmp_path / "follow" / "graph.ttl").read_text(encoding="utf-8")


def test_pipeline_posts_of_one_name_in_two_folders_are_two_posts(tmp_path):
    posts = tmp_path / "posts"
    _post(posts / "2014", "weekly.md", 1, "Mirantis发布了Fuel。")
    _post(posts / "2015", "weekly.md", 2, "红帽发布了RDO。")
    result = build([posts], tmp_path / "out", validate=True)
    assert result.posts == 2 and result.violations == []
    ttl = (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")
    assert "post/2014%2Fweekly>" in ttl and "post/2015%2Fweekly>" in ttl


def test_pipeline_a_file_name_that_is_not_utf8_builds(tmp_path):
    posts = tmp_path / "posts"
    posts.mkdir()
    name = os.fsdecode(b"weekly-\xff\xfe.md")
    (posts / name).write_text(POST.format(n=1, body="Mirantis发布了Fuel。"), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(posts), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "posts 1" in result.output
    ox.Store().bulk_load(path=str(tmp_path / "out" / "graph.ttl"), format=ox.RdfFormat.TURTLE)


def test_cli_render_and_export_never_replace_the_builds_own_files(tmp_path, example_build):
    out = tmp_path / "out"
    shutil.copytree(example_build[1], out)
    before = {name: (out / name).read_bytes() for name in ("graph.ttl", "graph.html")}
    runner = CliRunner()
    for args in (["render", str(out / "graph.ttl"), "--out", str(out / "graph.html")],
                 ["export", "--format", "turtle", "--graph", str(out / "graph.ttl"), "--out", str(out / "graph.ttl")]):
        refused = runner.invoke(main, args)
        assert refused.exit_code == 2 and "only kg build replaces" in refused.output
    rendered = runner.invoke(main, ["render", str(out / "graph.ttl")])
    exported = runner.invoke(main, ["export", "--format", "turtle", "--graph", str(out / "graph.ttl")])
    assert rendered.exit_code == 0 and exported.exit_code == 0
    assert (out / "graph-view.html").is_file() and (out / "graph-export.ttl").is_file()
    assert {name: (out / name).read_bytes() for name in before} == before


def test_export_xml_formats_are_well_formed_whatever_the_literals_hold(tmp_path, example_build):
    graph = tmp_path / "graph.ttl"
    text = (example_build[1] / "graph.ttl").read_text(encoding="utf-8")
    graph.write_text(text.replace('rdfs:label "Mirantis"', 'rdfs:label "Mira\\u000Bntis\\u0001"', 1), encoding="utf-8")
    assert "\\u000B" in graph.read_text(encoding="utf-8")
    runner = CliRunner()
    for fmt, name in (("rdfxml", "graph.rdf"), ("graphml", "graph.graphml"), ("gexf", "graph.gexf")):
        assert runner.invoke(main, ["export", "--format", fmt, "--graph", str(graph)]).exit_code == 0
        ElementTree.parse(tmp_path / name)
    answer = runner.invoke(main, ["query", "SELECT ?l WHERE { ?e rdfs:label ?l }", "--graph", str(graph),
                                  "--format", "xml"])
    assert answer.exit_code == 0 and "Mira ntis" in answer.output
    ElementTree.fromstring(answer.output)


# -- state and cache: nothing run, nothing rotten ---------------------------------------------

class _Planted:
    def __reduce__(self):
        return (os.mkdir, (os.environ["KG_PLANTED_MARK"],))


def test_state_a_planted_pickle_is_never_unpickled(tmp_path, monkeypatch):
    mark = tmp_path / "code-ran"
    monkeypatch.setenv("KG_PLANTED_MARK", str(mark))
    posts = tmp_path / "posts"
    shutil.copytree(examples_dir(), posts)
    out = tmp_path / "out"
    build([posts], out, validate=False)
    for name in (".kg-state", ".kg-assembly.pickle"):        # today's state, and the name kg once used
        (out / name).write_bytes(pickle.dumps(_Planted()))
    for entry in (Path(os.environ["KG_CACHE_DIR"])).rglob("*.kgc"):
        entry.write_bytes(pickle.dumps(_Planted()))
    result = build([posts], out, validate=False)
    assert not mark.exists()
    assert result.posts == 3 and any("fails its check" in p for p in result.problems)


def _flip(path: Path, bit: int) -> None:
    data = bytearray(path.read_bytes())
    data[bit // 8 % len(data)] ^= 1 << (bit % 8)
    path.write_bytes(bytes(data))


@pytest.fixture(scope="module")
def built_pair(tmp_path_factory):
    """An archive built once into a folder (with its state), and the graph a clean build gives."""
    root = tmp_path_factory.mktemp("flips")
    posts = root / "posts"
    shutil.copytree(examples_dir(), posts)
    build([posts], root / "clean", use_cache=False, validate=False, html=False)
    build([posts], root / "kept", validate=False, html=False)
    return posts, root


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(which=st.sampled_from([".kg-state", "journal"]), bit=st.integers(min_value=0, max_value=10**9))
def test_state_one_flipped_bit_is_caught_and_the_graph_rebuilt_as_new(built_pair, tmp_path, which, bit):
    posts, root = built_pair
    out = tmp_path / f"out-{which}-{bit}"
    shutil.copytree(root / "kept", out)
    target = out / which if which != "journal" else next(out.glob(".kg-post-turtle.*.bin"))
    _flip(target, bit)
    result = build([posts], out, validate=False, html=False)
    assert any("fails its check" in p and "discarded" in p for p in result.problems)
    assert (out / "graph.ttl").read_bytes() == (root / "clean" / "graph.ttl").read_bytes()
    assert not [p for p in build([posts], out, validate=False, html=False).problems if "fails its check" in p]


def test_state_a_failed_build_leaves_no_state_that_the_next_one_trusts(tmp_path):
    posts = tmp_path / "posts"
    shutil.copytree(examples_dir(), posts)
    out = tmp_path / "out"
    out.mkdir()
    (out / "graph.html").mkdir()                       # the page cannot be written: the build fails
    with pytest.raises(OSError):
        build([posts], out, validate=False)
    assert not list(out.glob(".kg-state*"))
    (out / "graph.html").rmdir()
    result = build([posts], out, validate=False)
    assert result.cached == 3 and not result.problems and (out / ".kg-state").is_file()


def test_cache_a_folder_others_can_write_is_refused_and_a_new_one_is_private(tmp_path, monkeypatch):
    shared = tmp_path / "shared-cache"
    shared.mkdir()
    shared.chmod(0o777)
    monkeypatch.setenv("KG_CACHE_DIR", str(shared))
    result = CliRunner().invoke(main, ["build", "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.output.startswith("kg: ") and "can be written by other users: refused" in result.output
    assert not (tmp_path / "out" / "graph.ttl").exists()
    assert CliRunner().invoke(main, ["build", "--out", str(tmp_path / "out"), "--no-cache"]).exit_code == 0
    private = tmp_path / "new-cache"
    monkeypatch.setenv("KG_CACHE_DIR", str(private))
    assert CliRunner().invoke(main, ["build", "--out", str(tmp_path / "out2")]).exit_code == 0
    assert private.stat().st_mode & 0o777 == 0o700
    assert {p.stat().st_mode & 0o077 for p in private.rglob("*")} == {0}


def test_cache_a_record_sealed_with_another_key_is_recomputed(tmp_path, monkeypatch):
    from kg.keep import seal
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    posts = tmp_path / "posts"
    _post(posts, "a.md", 1, "Mirantis发布了Fuel。")
    build([posts], tmp_path / "one", validate=False)
    from kg.keep import unseal
    [entry] = (tmp_path / "cache").rglob("*.kgc")
    key = (tmp_path / "cache" / "key").read_bytes()
    [forged] = [list(fragment) for fragment in unseal(entry.read_bytes(), key)]     # the file's one post
    forged[7] = forged[7].replace(b"Fuel", b"Fool")          # the post's Turtle
    entry.write_bytes(seal((tuple(forged),), os.urandom(32)))
    again = build([posts], tmp_path / "two", validate=False)
    assert again.cached == 0 and b"Fool" not in (tmp_path / "two" / "graph.ttl").read_bytes()


def _children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found |= {int(c) for c in (task / "children").read_text().split()}
        except OSError:
            pass
    return found


def _alive(pid: int) -> bool:
    try:
        state = next(line for line in Path(f"/proc/{pid}/status").read_text().splitlines() if line.startswith("State:"))
    except (OSError, StopIteration):
        return False
    return "Z" not in state.split()[1]


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads processes from /proc (Linux)")
def test_pipeline_extraction_workers_die_with_a_killed_build(tmp_path):
    posts = tmp_path / "posts"
    for number in range(400):
        _post(posts, f"p{number:03d}.md", number % 28 + 1, f"Acme{number}发布了Widget{number}。" * 40)
    env = {**os.environ, "KG_CACHE_DIR": str(tmp_path / "cache")}
    build_process = subprocess.Popen([sys.executable, "-m", "kg", "build", str(posts), "--out", str(tmp_path / "out"),
                                      "--jobs", "2"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline, workers = time.monotonic() + 30, set()
    while time.monotonic() < deadline and len(workers) < 2 and build_process.poll() is None:
        workers |= _children(build_process.pid)
        time.sleep(0.05)
    assert len(workers) >= 2, "the build started no extraction workers"
    os.kill(build_process.pid, signal.SIGKILL)
    build_process.wait()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.1)
    assert not [pid for pid in workers if _alive(pid)]
