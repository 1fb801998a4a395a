"""Validation: an RDF graph -> the violations of ontology/shapes.ttl, readably.

Two engines give the same violations:
- "sparql" (the default): the shapes compiled into SPARQL queries (kg.shape_queries) run on
  pyoxigraph, about 5 s at a million triples;
- "pyshacl": pySHACL, the reference implementation of SHACL, which needs minutes at that size.
A shapes file using SHACL the compiler does not handle is checked by pySHACL whatever the
engine asked for.

`kg validate [graph.ttl]` prints them (node, path, message) and exits 1 when any;
`kg build` validates what it writes and says so in its summary.
"""
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg.resources import ontology_dir

ENGINES = ("auto", "sparql", "pyshacl")
# `kg validate` runs pySHACL on a graph file up to this size (about 30,000 triples, a few
# seconds), the SPARQL engine beyond
PYSHACL_MAX_BYTES = 5_000_000
SH = "http://www.w3.org/ns/shacl#"


@dataclass(frozen=True)
class Violation:
    node: str
    path: str
    message: str
    severity: str

    def __str__(self) -> str:
        where = f" {self.path}" if self.path else ""
        return f"{self.severity}: {self.node}{where}: {self.message}"


def shapes_path() -> Path:
    return ontology_dir() / "shapes.ttl"


@lru_cache(maxsize=2)
def load_shapes(path: Path | None = None):
    """The shapes as an rdflib Graph (for pySHACL and for reading them in tests)."""
    from rdflib import Graph
    shapes = Graph()
    shapes.parse(Path(path) if path else shapes_path())
    return shapes


@lru_cache(maxsize=2)
def _shape_queries(path: Path):
    from kg.shape_queries import UnsupportedShapes, compile_shapes
    try:
        return compile_shapes(path)
    except UnsupportedShapes:
        return None


@lru_cache(maxsize=1)
def shapes_read() -> tuple[frozenset[str], frozenset[str]] | None:
    """The predicates and classes kg's shapes read (kg.shape_queries.read_terms); None when
    they may read anything, or the SPARQL compiler does not handle them (pySHACL may read
    anything). Kept in the user's cache folder under kg's fingerprint, which covers the
    shapes: reading a SPARQL target's query needs rdflib's parser, 0.4 s to import, and every
    extraction worker asks."""
    import json

    from kg.keep import fingerprint, kept

    def worked_out() -> str:
        from kg.shape_queries import read_terms
        found = read_terms(shapes_path()) if _shape_queries(shapes_path()) is not None else None
        return json.dumps(None if found is None else [sorted(found[0]), sorted(found[1])])

    def parse(text: str):
        known = json.loads(text)
        return None if known is None else (frozenset(known[0]), frozenset(known[1]))
    return kept(f"shapes-read-{fingerprint()}.json", worked_out, parse)


def in_order(violations) -> list[Violation]:
    """Violations sorted (node, path, message)."""
    return sorted(violations, key=lambda v: (v.node, v.path, v.message))


def _shorten(iri: str, prefixes: dict[str, str]) -> str:
    """prefix:local when a prefix covers the IRI and local is a plain name, else <iri>."""
    best = max((ns for ns in prefixes.values() if iri.startswith(ns) and iri != ns), key=len, default=None)
    if best is not None:
        local = iri[len(best):]
        if local.replace("-", "").replace("_", "").isalnum() and not local[0].isdigit():
            prefix = next(p for p, ns in prefixes.items() if ns == best)
            return f"{prefix}:{local}"
    return f"<{iri}>"


def _display_prefixes(declared: dict[str, str]) -> dict[str, str]:
    """The prefixes violations are printed with: the well-known ones and the graph's own kgr."""
    from kg.turtle import PREFIXES
    return {**PREFIXES, **{p: ns for p, ns in declared.items() if p == "kgr"}}


def _sparql_violations(store, prefixes: dict[str, str], queries, focus: list[str] | None = None,
                       not_of: frozenset[str] = frozenset()) -> list[Violation]:
    """The violations the queries find in the store: of the focus nodes only, when given; of
    no node in not_of."""
    import pyoxigraph as ox

    from kg.shape_queries import focused
    prefixes = _display_prefixes(prefixes)

    def run(query):
        return [(row["this"], query) for row in store.query(focused(query, focus), use_default_graph_as_union=True)]

    # pyoxigraph lets go of the GIL while it evaluates a query: two at a time use both cores
    with ThreadPoolExecutor(max_workers=2) as pool:
        rows = [row for found in pool.map(run, queries) for row in found]
    found = set()
    for node, query in rows:
        if isinstance(node, ox.NamedNode) and node.value in not_of:
            continue
        name = _shorten(node.value, prefixes) if isinstance(node, ox.NamedNode) else str(node)
        found.add(Violation(name, _shorten(query.path, prefixes) if query.path else "", query.message,
                            query.severity))
    return in_order(found)


def validate_turtle(data: bytes | None = None, engine: str = "sparql", path: Path | None = None) -> list[Violation]:
    """Every violation of the shapes in a Turtle document (given as bytes, or as the path of a
    file), sorted (node, path, message)."""
    queries = _shape_queries(shapes_path()) if engine == "sparql" else None
    if queries is None:
        from rdflib import Graph
        return validate(Graph().parse(data=data, format="turtle") if path is None else
                        Graph().parse(Path(path), format="turtle"))
    import pyoxigraph as ox
    store = ox.Store()
    # Store.load reads in Rust alone: 20% faster than feeding the store from a parser
    store.load(data, format=ox.RdfFormat.TURTLE, path=None if path is None else str(path))
    return _sparql_violations(store, _declared_prefixes(data, path), queries)


def _declared_prefixes(data: bytes | None, path: Path | None) -> dict[str, str]:
    """The prefixes a Turtle document declares before its first triple (violations are
    printed with them)."""
    import pyoxigraph as ox
    parser = ox.parse(data, format=ox.RdfFormat.TURTLE, path=None if path is None else str(path))
    next(parser, None)
    return parser.prefixes


def validate_parts(parts) -> list[Violation]:
    """Every violation of a graph given in parts (kg.validation_parts.validation_parts: each
    part's Turtle, the Turtle of what its shapes read beyond it, and the nodes that are only
    that context), the parts loaded and checked side by side in their own stores: pyoxigraph
    lets go of the GIL while it loads and queries (two parts load in about 70% of the time of
    the whole on two cores, not half: the stores contend for memory)."""
    queries = _shape_queries(shapes_path())
    if queries is None:
        raise ValueError("validating in parts needs shapes the SPARQL compiler handles")
    import pyoxigraph as ox
    prefixes = _declared_prefixes(parts[0][0], None) if parts else {}

    def check(part) -> list[Violation]:
        own, context, context_nodes = part
        store = ox.Store()
        store.load(own, format=ox.RdfFormat.TURTLE)
        if context:
            store.load(context, format=ox.RdfFormat.TURTLE)
        return _sparql_violations(store, prefixes, queries, not_of=frozenset(context_nodes))

    with ThreadPoolExecutor(max_workers=len(parts) or 1) as pool:
        found = {violation for violations in pool.map(check, parts) for violation in violations}
    return in_order(found)


def scoped_validation_possible() -> bool:
    """Whether the shapes compile to SPARQL, which a scoped validation needs."""
    return _shape_queries(shapes_path()) is not None


def validate_scope(focus: bytes, context: bytes) -> list[Violation]:
    """The violations of the subjects of the focus Turtle, read with the context Turtle
    beside it (what the shapes look up about other nodes): a rebuild's check of what it
    rewrote (kg.validation_parts.validation_scope)."""
    queries = _shape_queries(shapes_path())
    if queries is None:                 # shapes the compiler does not handle: all of it, by pySHACL
        raise ValueError("a scoped validation needs shapes the SPARQL compiler handles")
    import pyoxigraph as ox
    focus_graph = ox.NamedNode("urn:kg:validation:focus")
    parser = ox.parse(focus, format=ox.RdfFormat.TURTLE)
    store = ox.Store()
    store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, focus_graph) for q in parser)
    store.load(context, format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("urn:kg:validation:context"))
    nodes = sorted({q.subject.value for q in store.quads_for_pattern(None, None, None, focus_graph)
                    if isinstance(q.subject, ox.NamedNode)})
    return _sparql_violations(store, parser.prefixes, queries, nodes) if nodes else []


def validate(graph) -> list[Violation]:
    """Every violation of the shapes in an rdflib Graph, by pySHACL, sorted (node, path, message)."""
    from pyshacl import validate as shacl_validate
    from rdflib import RDF, Namespace
    sh = Namespace(SH)
    conforms, report, _ = shacl_validate(graph, shacl_graph=load_shapes(), advanced=True, allow_warnings=True)
    if conforms:
        return []

    from rdflib import URIRef
    prefixes = _display_prefixes({p: str(ns) for p, ns in graph.namespaces()})

    def short(term) -> str:
        if term is None:
            return ""
        return _shorten(str(term), prefixes) if isinstance(term, URIRef) else str(term)

    found = set()
    for result in report.subjects(RDF.type, sh.ValidationResult):
        message = report.value(result, sh.resultMessage)
        severity = report.value(result, sh.resultSeverity)
        found.add(Violation(short(report.value(result, sh.focusNode)), short(report.value(result, sh.resultPath)),
                            str(message or "does not conform"),
                            str(severity).rsplit("#", 1)[-1] if severity else "Violation"))
    return in_order(found)


def engine_for(path: Path, engine: str = "auto") -> str:
    """The engine `auto` means for a file: pySHACL for a small graph, SPARQL for a big one."""
    if engine != "auto":
        return engine
    return "pyshacl" if Path(path).stat().st_size <= PYSHACL_MAX_BYTES else "sparql"


def validate_file(path: Path, engine: str = "auto") -> list[Violation]:
    """Every violation of the shapes in a Turtle file (N-Triples is Turtle too)."""
    engine = engine_for(path, engine)
    if engine == "pyshacl":
        import logging

        from rdflib import Graph
        # rdflib logs a traceback for every ill-typed literal it reads; the violation says it once
        logging.getLogger("rdflib.term").setLevel(logging.ERROR)
        graph = Graph()
        graph.parse(Path(path), format="turtle")
        return validate(graph)
    return validate_turtle(engine=engine, path=Path(path))
