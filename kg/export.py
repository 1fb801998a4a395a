"""Exporting: graph.ttl -> the RDF formats (one named graph per post in N-Quads and TriG),
GraphML and GEXF for Gephi, and CSV node and edge tables.
"""
import csv
import io
from pathlib import Path

import networkx as nx
import pyoxigraph as ox

from kg.errors import KgError

RDF_FORMATS = {
    "turtle": (ox.RdfFormat.TURTLE, "ttl"),
    "ntriples": (ox.RdfFormat.N_TRIPLES, "nt"),
    "nquads": (ox.RdfFormat.N_QUADS, "nq"),
    "trig": (ox.RdfFormat.TRIG, "trig"),
    "jsonld": (ox.RdfFormat.JSON_LD, "jsonld"),
    "rdfxml": (ox.RdfFormat.RDF_XML, "rdf"),
}
QUAD_FORMATS = {"nquads", "trig"}
GRAPH_FORMATS = {"graphml": "graphml", "gexf": "gexf", "csv": "csv"}
FORMATS = tuple(RDF_FORMATS) + tuple(GRAPH_FORMATS)


def default_output(graph_path: Path, fmt: str) -> Path:
    """Beside the graph, named for the format: graph.nt, graph.rdf, csv/; Turtle as
    graph-export.ttl (graph.ttl is the build's own)."""
    extension = RDF_FORMATS[fmt][1] if fmt in RDF_FORMATS else GRAPH_FORMATS[fmt]
    graph_path = Path(graph_path)
    if fmt == "csv":
        return graph_path.parent / "csv"
    out = graph_path.with_suffix(f".{extension}")
    return out.with_name(f"{graph_path.stem}-export.{extension}") if out.resolve() == graph_path.resolve() else out


def _flat_entity_graph(graph_path: Path) -> nx.MultiDiGraph:
    """Entities and relations with scalar attributes only, as GraphML and GEXF require."""
    from rdflib import Graph

    from kg.graph import entity_subgraph
    from kg.rdf import from_rdf
    whole = from_rdf(Graph().parse(Path(graph_path)))
    entities = entity_subgraph(whole)
    flat = nx.MultiDiGraph()
    for node, data in sorted(entities.nodes(data=True)):
        flat.add_node(node, label=data["name"], type=data["type"], aliases=" | ".join(data["aliases"]))
    for s, o, key, data in sorted(entities.edges(keys=True, data=True), key=lambda e: e[:3]):
        statements = data["statements"]
        flat.add_edge(s, o, key=key, label=key, relation=key, statements=len(statements),
                      evidence=statements[0]["evidence"] if statements else "",
                      posts=" | ".join(sorted({whole.nodes[st["post"]]["name"] for st in statements})))
    return flat


def export(graph_path: Path, fmt: str, out: Path | None = None) -> list[Path]:
    """`kg export`: write graph.ttl in another format; returns the files written."""
    from kg.files import refuse_build_outputs, write_atomically, xml_safe
    from kg.store import dataset_store, open_store
    if fmt not in FORMATS:
        raise KgError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    graph_path = Path(graph_path)
    out = refuse_build_outputs(Path(out) if out else default_output(graph_path, fmt), graph_path)
    if fmt in RDF_FORMATS:
        store = dataset_store(graph_path) if fmt in QUAD_FORMATS else open_store(graph_path)
        rdf_format = RDF_FORMATS[fmt][0]
        from kg.namespace import PREFIXES
        prefixes = None if fmt in ("ntriples", "nquads") else PREFIXES
        if fmt in QUAD_FORMATS:
            data = store.dump(format=rdf_format, prefixes=prefixes)
        else:
            data = store.dump(format=rdf_format, from_graph=ox.DefaultGraph(), prefixes=prefixes)
        assert data is not None                 # (no output given: the bytes)
        if fmt == "rdfxml":
            data = xml_safe(data)
        out.parent.mkdir(parents=True, exist_ok=True)
        return [write_atomically(out, data)]
    flat = _flat_entity_graph(graph_path)
    if fmt == "csv":
        out.mkdir(parents=True, exist_ok=True)
        nodes, edges = io.StringIO(), io.StringIO()
        node_writer = csv.writer(nodes, lineterminator="\n")
        node_writer.writerow(["id", "label", "type", "aliases"])
        for node, data in flat.nodes(data=True):
            node_writer.writerow([node, data["label"], data["type"], data["aliases"]])
        edge_writer = csv.writer(edges, lineterminator="\n")
        edge_writer.writerow(["source", "target", "relation", "statements", "evidence", "posts"])
        for s, o, data in flat.edges(data=True):
            edge_writer.writerow([s, o, data["relation"], data["statements"], data["evidence"], data["posts"]])
        return [write_atomically(out / "nodes.csv", nodes.getvalue().encode("utf-8")),
                write_atomically(out / "edges.csv", edges.getvalue().encode("utf-8"))]
    buffer = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(flat, buffer, encoding="utf-8")
    else:
        nx.write_gexf(flat, buffer, encoding="utf-8")
    out.parent.mkdir(parents=True, exist_ok=True)
    return [write_atomically(out, xml_safe(buffer.getvalue()))]
