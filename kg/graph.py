"""The graph as networkx: graph.ttl read back (kg.rdf.from_rdf) -> one MultiDiGraph, for
`kg render` and the GraphML, GEXF and CSV exports.

Nodes, by their `kind` attribute:
- "entity": one per real thing (key, type, name, aliases, known);
- "round": a funding round (amount, currency, series, date, evidence, post, entry);
- "post" and "entry": the sources, with title, date, section, text and links.
Edges: an entity relation is an edge keyed by its predicate whose `statements` list
holds every (post, entry, evidence, date, version) that states it; plus "recipient",
"investor", "partOf" and "mentions" edges. Node ids are strings: "entity:<key>",
"round:<id>", "post:<slug>", "entry:<slug>#<n>".
"""
import networkx as nx

ENTITY, ROUND, POST, ENTRY = "entity", "round", "post", "entry"


def entity_id(key: str) -> str:
    return f"entity:{key}"


def entry_id(post_slug: str, position: int) -> str:
    return f"entry:{post_slug}#{position}"


def entity_subgraph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Only the entities and the relations between them: what the explorer page shows."""
    nodes = [n for n, kind in graph.nodes(data="kind") if kind == ENTITY]
    sub = nx.MultiDiGraph()
    sub.add_nodes_from((n, graph.nodes[n]) for n in nodes)
    for s, o, key, data in graph.edges(keys=True, data=True):
        if "predicate" in data:
            sub.add_edge(s, o, key=key, **data)
    return sub


def posts_of(graph: nx.MultiDiGraph) -> list[str]:
    return sorted(n for n, kind in graph.nodes(data="kind") if kind == POST)
