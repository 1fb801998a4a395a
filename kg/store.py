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
    from kg.rdf import Minter
    return str(Minter(base).post(graph.nodes[post_node]["slug"]))


def post_datasets(graph_path: Path, base: str = RESOURCE_BASE):
    """(graph name, rdflib Graph) for every post of graph.ttl: what that post says."""
    from rdflib import Graph

    from kg.graph import post_subgraph, posts_of
    from kg.rdf import from_rdf, to_rdf
    whole = from_rdf(Graph().parse(Path(graph_path)))
    for post in posts_of(whole):
        yield post_graph_name(whole, post, base), to_rdf(post_subgraph(whole, post), base=base)


def dataset_store(graph_path: Path, base: str = RESOURCE_BASE) -> ox.Store:
    """A store with one named graph per post (for N-Quads, TriG and pushes)."""
    from kg.turtle import to_turtle
    store = ox.Store()
    for name, rdf in post_datasets(graph_path, base):
        store.load(to_turtle(rdf), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(name))
    return store
