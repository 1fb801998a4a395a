"""The graph in a SPARQL store: graph.ttl -> pyoxigraph Store, one named graph per post.

Queries, exports, the local endpoint and pushes to remote stores all start here.
"""
from pathlib import Path

import pyoxigraph as ox

from kg.errors import KgError
from kg.namespace import RESOURCE_BASE


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


def post_graph_name(graph, post_node: str, base: str = RESOURCE_BASE) -> str:
    """The named graph of a post: the post's own IRI."""
    from kg.iris import Minter
    return Minter(base).post(graph.nodes[post_node]["slug"])


def archive_graph_name(base: str = RESOURCE_BASE) -> str:
    """The named graph of what is said of the whole archive rather than by one post: each
    entity's degree and place by degree, which any post can change."""
    from kg.iris import Minter
    return Minter(base).iri("archive")


def post_datasets(graph_path: Path, base: str = RESOURCE_BASE):
    """(graph name, rdflib Graph) for every post of graph.ttl: what that post says; then the
    archive's own graph (archive_graph_name)."""
    from rdflib import Graph

    from kg.graph import post_subgraph, posts_of
    from kg.namespace import KGO
    from kg.rdf import from_rdf, to_rdf
    rdf = Graph().parse(Path(graph_path))
    whole = from_rdf(rdf)
    for post in posts_of(whole):
        yield post_graph_name(whole, post, base), to_rdf(post_subgraph(whole, post), base=base)
    archive = Graph()
    for predicate in (KGO.degree, KGO.degreeRank):
        for entity, value in rdf.subject_objects(predicate):
            archive.add((entity, predicate, value))
    yield archive_graph_name(base), archive


def dataset_store(graph_path: Path, base: str = RESOURCE_BASE) -> ox.Store:
    """A store with one named graph per post (for N-Quads, TriG and pushes)."""
    from kg.turtle import to_turtle
    store = ox.Store()
    for name, rdf in post_datasets(graph_path, base):
        store.load(to_turtle(rdf), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(name))
    return store
