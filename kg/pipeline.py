"""The build, as a recipe: find posts, read each, extract each, build the graph, write RDF and HTML.

`build()` is what `kg build` calls. Posts that cannot be read are reported, one line
each, and skipped; the rest build.
"""
import os
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import OutputError, PostError
from kg.extract import extract_post
from kg.graph import ENTITY, ROUND, build_graph
from kg.lexicon import load_lexicon
from kg.namespace import RESOURCE_BASE
from kg.posts import find_posts, read_post
from kg.rdf import to_rdf
from kg.render import render_html
from kg.resources import examples_dir
from kg.turtle import to_turtle


@dataclass
class BuildResult:
    posts: int = 0
    entries: int = 0
    entities: Counter = field(default_factory=Counter)
    relations: Counter = field(default_factory=Counter)
    rounds: int = 0
    triples: int = 0
    violations: list | None = None          # None when not validated
    files: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def write_atomically(path: Path, data: bytes) -> Path:
    """Write to a temporary file beside the target, then rename: a reader (or an
    interrupted build) never sees a half-written file."""
    path = Path(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, 0o666 & ~_umask())      # mkstemp makes 0600; outputs are ordinary files
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _prepare_output(out_dir: Path) -> Path:
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"{out_dir}: cannot create the output folder ({error.strerror or error})") from None
    if not os.access(out_dir, os.W_OK):
        raise OutputError(f"{out_dir}: the output folder is not writable")
    return out_dir


def build(paths=(), out_dir: Path | str = "output", base: str = RESOURCE_BASE, html: bool = True,
          validate: bool = True) -> BuildResult:
    """Build the graph of the posts under paths (the bundled example archive when empty)
    into out_dir/graph.ttl and out_dir/graph.html, validated against ontology/shapes.ttl."""
    paths = list(paths) or [examples_dir()]
    out_dir = _prepare_output(Path(out_dir))
    result = BuildResult()
    files, missing = find_posts(paths)
    result.problems.extend(missing)
    lexicon = load_lexicon()
    extractions = []
    for path in files:
        try:
            post = read_post(path)
        except PostError as error:
            result.problems.append(str(error))
            continue
        result.problems.extend(f"{path}: {problem}" for problem in post.problems)
        try:
            extractions.append(extract_post(post, lexicon))
        except Exception as error:      # a bug must not cost the rest of the archive
            result.problems.append(f"{path}: could not be read for entities ({type(error).__name__}: {error}): "
                                   "skipped; please report this post")
    graph = build_graph(extractions, lexicon)
    result.posts = len(extractions)
    result.entries = sum(len(x.post.entries) for x in extractions)
    for _, data in graph.nodes(data=True):
        if data["kind"] == ENTITY:
            result.entities[data["type"]] += 1
        elif data["kind"] == ROUND:
            result.rounds += 1
    for _, _, data in graph.edges(data=True):
        if "predicate" in data:
            result.relations[data["predicate"]] += 1
    rdf = to_rdf(graph, base=base)
    result.triples = len(rdf)
    if validate:
        from kg.validate import validate as shacl_validate
        result.violations = shacl_validate(rdf)
    turtle = to_turtle(rdf, {"kgr": base}).encode("utf-8")
    result.files.append(write_atomically(out_dir / "graph.ttl", turtle))
    if html:
        page = render_html(graph).encode("utf-8")
        result.files.append(write_atomically(out_dir / "graph.html", page))
    return result
