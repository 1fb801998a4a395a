"""The graph in a SPARQL store: graph.ttl -> pyoxigraph Store, one named graph per post.

Queries, exports, the local endpoint and pushes to remote stores all start here.
"""
from pathlib import Path

import pyoxigraph as ox

from kg.errors import KgError
from kg.namespace import PREFIXES, RELATIONS, RESOURCE_BASE


def load_store(graph_path: Path) -> ox.Store:
    """An in-memory store holding graph.ttl in its default graph."""
    graph_path = Path(graph_path)
    if not graph_path.is_file():
        raise KgError(f"{graph_path}: no such file (build first: kg build)")
    store = ox.Store()
    try:
        store.bulk_load(path=str(graph_path), format=ox.RdfFormat.TURTLE)
    except (SyntaxError, ValueError, OSError) as error:
        raise KgError(f"{graph_path}: not a readable Turtle graph ({error})") from None
    return store


STORE_SUFFIX = ".oxigraph"          # output/graph.ttl -> output/graph.oxigraph/
_STAMP = "kg-graph-stamp"          # inside the store: the size, time and inode of the graph.ttl it holds


def _stamp(graph_path: Path) -> str:
    info = graph_path.stat()
    return f"{info.st_size} {info.st_mtime_ns} {info.st_ino}\n"


def open_store(graph_path: Path) -> ox.Store:
    """graph.ttl as a store on disk beside it (graph.oxigraph/), opened read-only: made on the
    first query after each build (a few seconds at a million triples), then opened in
    milliseconds where parsing graph.ttl takes seconds. A store made from another graph.ttl
    than the one there now is made again; where none can be written, an in-memory store."""
    graph_path = Path(graph_path)
    if not graph_path.is_file():
        raise KgError(f"{graph_path}: no such file (build first: kg build)")
    folder = graph_path.with_suffix(STORE_SUFFIX)
    stamp = _stamp(graph_path)
    try:
        if (folder / _STAMP).read_text(encoding="utf-8") == stamp:
            return ox.Store.read_only(str(folder))
    except (OSError, ValueError):
        pass
    try:
        return _made_store(graph_path, folder, stamp)
    except (OSError, ValueError):
        return load_store(graph_path)


def store_folder(graph_path: Path) -> Path | None:
    """The store on disk beside graph.ttl (graph.oxigraph/) when it holds the graph.ttl there
    now (open_store made it), else None."""
    graph_path = Path(graph_path)
    folder = graph_path.with_suffix(STORE_SUFFIX)
    try:
        return folder if (folder / _STAMP).read_text(encoding="utf-8") == _stamp(graph_path) else None
    except (OSError, ValueError):
        return None


def _made_store(graph_path: Path, folder: Path, stamp: str) -> ox.Store:
    """A new store of graph.ttl in folder, put in place whole: made under another name and
    renamed; a folder there that kg did not make (no stamp) is never removed."""
    import os
    import shutil
    if folder.exists() and not (folder / _STAMP).is_file():
        raise OSError(f"{folder} exists and is not kg's")
    making = folder.with_name(f"{folder.name}.making-{os.getpid()}")
    shutil.rmtree(making, ignore_errors=True)
    store = ox.Store(str(making))
    try:
        store.bulk_load(path=str(graph_path), format=ox.RdfFormat.TURTLE)
    except SyntaxError as error:
        del store
        shutil.rmtree(making, ignore_errors=True)
        raise KgError(f"{graph_path}: not a readable Turtle graph ({error})") from None
    store.flush()
    del store
    (making / _STAMP).write_text(stamp, encoding="utf-8")
    old = folder.with_name(f"{folder.name}.old-{os.getpid()}")
    if folder.exists():
        folder.rename(old)
    making.rename(folder)
    shutil.rmtree(old, ignore_errors=True)
    return ox.Store.read_only(str(folder))


def archive_graph_name(base: str = RESOURCE_BASE) -> str:
    """The named graph of what is said of the whole archive rather than by one post: each
    entity's degree and place by degree, community and centrality, which any post can change."""
    from kg.iris import Minter
    return Minter(base).iri("archive")


_ARCHIVE_WIDE = ("degree", "degreeRank", "community", "centrality")     # what any post can change
_NOT_DESCRIPTION = " ".join(f"kgo:{name}" for name in (*RELATIONS, *_ARCHIVE_WIDE))
_DESCRIBED = "?x ?xp ?xo . FILTER(?xp NOT IN (" + ", ".join(_NOT_DESCRIPTION.split()) + "))"

# What one post says, read from the whole graph: the post, its entries and their links, the
# entities they mention, the rdf:Statements read from its entries with the relations they
# state, and the funding rounds read from it; each entity with its description (class,
# labels, aliases, keys, date), not its relations or degrees.
_POST_GRAPH = f"""
CONSTRUCT {{ ?s ?p ?o }} WHERE {{
  {{ ?post ?p ?o . BIND(?post AS ?s) }}
  UNION {{ ?s kgo:partOf ?post ; ?p ?o }}
  UNION {{ ?e kgo:partOf ?post ; kgo:link ?s . ?s ?p ?o }}
  UNION {{ ?e kgo:partOf ?post ; kgo:mentions ?x . {_DESCRIBED} BIND(?x AS ?s) BIND(?xp AS ?p) BIND(?xo AS ?o) }}
  UNION {{ ?e kgo:partOf ?post . ?s prov:wasDerivedFrom ?e ; ?p ?o }}
  UNION {{ ?e kgo:partOf ?post . ?st prov:wasDerivedFrom ?e ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
           ?s ?p ?o }}
  UNION {{ ?e kgo:partOf ?post . ?round prov:wasDerivedFrom ?e ; a kgo:FundingRound ; kgo:recipient|kgo:investor ?x .
           {_DESCRIBED} BIND(?x AS ?s) BIND(?xp AS ?p) BIND(?xo AS ?o) }}
  UNION {{ ?e kgo:partOf ?post . ?st prov:wasDerivedFrom ?e ; rdf:subject|rdf:object ?x .
           {_DESCRIBED} BIND(?x AS ?s) BIND(?xp AS ?p) BIND(?xo AS ?o) }}
}}"""
_ARCHIVE_GRAPH = "CONSTRUCT { ?e ?p ?o } WHERE { VALUES ?p { " + " ".join(f"kgo:{name}" for name in _ARCHIVE_WIDE) + \
    " } ?e ?p ?o }"


def _triples(store: ox.Store, query: str, **bound) -> list:
    result = store.query(query, prefixes=PREFIXES, substitutions={ox.Variable(k): v for k, v in bound.items()})
    assert isinstance(result, ox.QueryTriples)
    return sorted(set(result), key=str)


def post_datasets(graph_path: Path, base: str = RESOURCE_BASE):
    """(graph name, its triples) for every post of graph.ttl, named by the post's IRI: what
    that post says (a rebuilt post replaces exactly this in a store that keeps a named graph
    per post); then the archive's own graph (archive_graph_name)."""
    store = load_store(graph_path)
    found = store.query("SELECT ?post WHERE { ?post a kgo:Post }", prefixes=PREFIXES)
    assert isinstance(found, ox.QuerySolutions)
    for post in sorted(row["post"].value for row in found):
        yield post, _triples(store, _POST_GRAPH, post=ox.NamedNode(post))
    yield archive_graph_name(base), _triples(store, _ARCHIVE_GRAPH)


def dataset_store(graph_path: Path, base: str = RESOURCE_BASE) -> ox.Store:
    """A store with one named graph per post (for N-Quads, TriG and pushes)."""
    store = ox.Store()
    for name, triples in post_datasets(graph_path, base):
        graph = ox.NamedNode(name)
        store.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples)
    return store
