"""Bad input never crashes a build or loses the good part; builds are deterministic and atomic."""
import os
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, URIRef

from kg import files, pipeline
from kg.cli import main
from kg.lexicon import load_lexicon
from kg.extract import extract_post
from kg.posts import parse_post
from kg.validate import validate

GOOD = "---\ntitle: 周报第一期(0101-0115)\n---\n\n## 业界动态\nMirantis发布了Mirantis OpenStack 5.0。\n"


def write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def test_robustness_bad_posts_each_get_one_line_and_the_rest_builds(tmp_path):
    posts = tmp_path / "posts"
    posts.mkdir()
    write(posts, "2014-01-15-good.md", GOOD)
    write(posts, "html.md", "---\ntitle: t\n---\n\n<div onclick='x'>红帽<b>发布了</b>RDO</div>\n\n正文\n")
    write(posts, "odd-names.md", '---\ntitle: "q"\n---\n\nAcme "Quoted" <Corp> \\\\ 🚀 Cloud发布了Foo\\\\Bar。\n')
    write(posts, "links.md", "---\ntitle: links\n---\n\n" + " ".join(f"[L{i}](http://e.com/{i})" for i in range(3000)) + "\n")
    write(posts, "notes.txt", "not a post")
    write(posts, "image.md", b"\x89PNG\r\n\x1a\n\x00\x00")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(posts), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert "image.md: binary file" in result.output
    assert "posts 4" in result.output
    graph = Graph().parse(out / "graph.ttl")
    assert validate(graph) == []
    labels = {str(o) for o in graph.objects(None, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))}
    assert "Mirantis" in labels


def test_robustness_strict_exits_non_zero_on_a_bad_post(tmp_path):
    write(tmp_path, "empty.md", "")
    result = CliRunner().invoke(main, ["build", str(tmp_path), "--out", str(tmp_path / "out"), "--strict"])
    assert result.exit_code == 1


def test_robustness_unwritable_output_is_one_line(tmp_path):
    blocker = write(tmp_path, "file", "x")
    result = CliRunner().invoke(main, ["build", "--out", str(blocker / "out")])
    assert result.exit_code == 2
    assert "cannot create the output folder" in result.output and "Traceback" not in result.output


def test_robustness_build_is_byte_identical_across_runs(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    pipeline.build([], a)
    pipeline.build([], b)
    assert (a / "graph.ttl").read_bytes() == (b / "graph.ttl").read_bytes()
    assert (a / "graph.html").read_bytes() == (b / "graph.html").read_bytes()


def test_robustness_iris_stable_when_unrelated_posts_are_added(tmp_path):
    from kg.resources import examples_dir
    first = sorted(examples_dir().glob("*.md"))[:1]
    other = tmp_path / "2015-01-01-other.md"
    other.write_text("---\ntitle: other\n---\n\nZaqar团队发布了新的API。\n", encoding="utf-8")
    pipeline.build(first, tmp_path / "one", validate=False)
    pipeline.build([*first, other], tmp_path / "two", validate=False)
    one = set(Graph().parse(tmp_path / "one" / "graph.ttl").subjects())
    two = set(Graph().parse(tmp_path / "two" / "graph.ttl").subjects())
    assert one <= two


def test_robustness_interrupted_write_keeps_previous_output(tmp_path, monkeypatch):
    pipeline.build([], tmp_path)
    before = (tmp_path / "graph.ttl").read_bytes()

    def interrupted(source, target):          # Ctrl-C after the new bytes are written, before the rename
        raise KeyboardInterrupt
    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        files.write_atomically(tmp_path / "graph.ttl", b"half")
    monkeypatch.undo()
    assert (tmp_path / "graph.ttl").read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.binary(max_size=40), max_size=30), st.integers(min_value=1, max_value=50))
def test_robustness_pieces_are_written_whole_when_the_system_writes_less_than_asked(pieces, most):
    """write_atomically hands many pieces to each system call; one that writes only part of
    them (a signal, a full pipe, the size limit of one call) is carried on from where it stopped."""
    with tempfile.TemporaryDirectory() as folder:
        real = os.writev

        def short(handle, buffers):
            head, left = [], most
            for buffer in buffers:
                if left <= 0:
                    break
                head.append(bytes(buffer)[:left])
                left -= len(head[-1])
            return real(handle, head)
        target = Path(folder) / "out.bin"
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(os, "writev", short)
            files.write_atomically(target, [piece if i % 2 else memoryview(piece) for i, piece in enumerate(pieces)])
        assert target.read_bytes() == b"".join(pieces)


front_matter = st.dictionaries(st.sampled_from(["title", "date", "layout", "issue", "tags"]),
                               st.one_of(st.text(max_size=30), st.integers(), st.dates(), st.none()), max_size=4)
markdown_piece = st.one_of(
    st.text(max_size=80),
    st.sampled_from(["## 业界动态", "### Nova", "- 列表项", "[链接](http://x.org/a)", "<http://y.org>", "```\ncode\n```",
                     "Mirantis发布了Mirantis OpenStack 5.0", "红帽与思科合作", "完成B轮1500万美元融资", "<b>HTML</b>",
                     "Acme <img src=x onerror=alert(1)>发布了Foo", "名字\"带'引号\\", "🚀 Emoji Cloud"]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(meta=front_matter, pieces=st.lists(markdown_piece, max_size=12), name=st.from_regex(r"[a-z0-9-]{1,20}", fullmatch=True))
def test_robustness_generated_posts_read_extract_and_validate(meta, pieces, name):
    import yaml
    from kg.errors import PostError
    from kg.graph_turtle import assemble
    text = ("---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n\n" if meta else "") + "\n\n".join(pieces)
    try:
        post = parse_post(text.encode("utf-8"), f"{name}.md")
    except PostError:
        return                                   # empty or unreadable: reported, not crashed
    lexicon = load_lexicon()
    graph = Graph().parse(data=assemble([extract_post(post, lexicon)], lexicon), format="turtle")
    again = Graph().parse(data=graph.serialize(format="nt"), format="nt")
    assert len(again) == len(graph)
    for term in graph.all_nodes():
        if isinstance(term, URIRef):
            assert not any(ch in str(term) for ch in ' <>"{}|^`\\\n'), term
    assert validate(graph) == []


def test_robustness_outputs_are_ordinary_readable_files(tmp_path):
    pipeline.build([], tmp_path, validate=False)
    for name in ("graph.ttl", "graph.html"):
        assert (tmp_path / name).stat().st_mode & 0o444 == 0o444


def test_robustness_a_build_that_fails_before_graph_ttl_is_written_does_not_hang(tmp_path, monkeypatch):
    """A validation of the whole file waits for the file; when making it fails, the build
    reports the failure instead of waiting for ever."""
    first = tmp_path / "one"
    pipeline.build([], first)

    def broken(assembly):
        raise RuntimeError("turtle could not be made")
    monkeypatch.setattr(pipeline, "turtle_chunks", broken)
    import threading
    raised = []

    def attempt():
        try:
            pipeline.build([], tmp_path / "two", jobs=1)
        except RuntimeError as error:
            raised.append(error)
    trying = threading.Thread(target=attempt, daemon=True)
    trying.start()
    trying.join(60)
    assert not trying.is_alive(), "the build hung"
    assert raised and "could not be made" in str(raised[0])
