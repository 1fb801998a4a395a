import csv

import networkx as nx
import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from kg.export import FORMATS, QUAD_FORMATS, RDF_FORMATS, export
from kg.store import archive_graph_name

@pytest.mark.parametrize("fmt", FORMATS)
def test_export_every_format_parses_back(example_build, tmp_path, fmt):
    graph_path = example_build[1] / "graph.ttl"
    files = export(graph_path, fmt, tmp_path / f"out.{fmt}")
    assert files and all(f.stat().st_size > 0 for f in files)
    original = Graph().parse(graph_path)
    if fmt in RDF_FORMATS and fmt not in QUAD_FORMATS:
        triples = ox.parse(path=str(files[0]), format=RDF_FORMATS[fmt][0])      # another parser than the writer's
        text = ox.serialize([q.triple for q in triples], format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
        assert isomorphic(original, Graph().parse(data=text, format="nt"))
    elif fmt in QUAD_FORMATS:
        store = ox.Store()
        store.load(path=str(files[0]), format=RDF_FORMATS[fmt][0])
        names = {g.value for g in store.named_graphs()}
        # one named graph per post, and the archive's own (each entity's degree)
        assert len([n for n in names if "/post/" in n]) == 3 and names - {n for n in names if "/post/" in n} == \
            {archive_graph_name()}
        union = store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
        text = ox.serialize(list(union), format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
        assert isomorphic(original, Graph().parse(data=text, format="nt"))
    elif fmt == "csv":
        with open(files[0].parent / "nodes.csv", encoding="utf-8") as handle:
            nodes = list(csv.DictReader(handle))
        with open(files[0].parent / "edges.csv", encoding="utf-8") as handle:
            edges = list(csv.DictReader(handle))
        assert {"Mirantis", "Red Hat"} <= {n["label"] for n in nodes}
        assert edges and all(e["evidence"] for e in edges)
    else:
        read = nx.read_graphml if fmt == "graphml" else nx.read_gexf
        graph = read(files[0])
        labels = {d.get("label") for _, d in graph.nodes(data=True)}
        assert "Mirantis" in labels and graph.number_of_edges() > 5
