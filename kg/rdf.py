"""Reading graph.ttl back: rdflib.Graph -> networkx MultiDiGraph (kg/graph.py), for `kg
render` on an existing graph.ttl and the GraphML, GEXF and CSV exports.

kg writes its RDF in one place (the build: kg/fragment.py and kg/graph_turtle.py, every
term through the closed namespace in kg/namespace.py); this module only reads it.
"""

import networkx as nx
from rdflib import RDF, RDFS, XSD, Graph, Literal
from rdflib.namespace import PROV, SKOS

from kg.graph import ENTITY, ENTRY, POST, ROUND, entity_id, entry_id
from kg.lexicon import normalize
from kg.namespace import ENTITY_TYPES, KGO, RELATIONS


def _date(value):
    return Literal(value.isoformat(), datatype=XSD.date)


def _link_order(link) -> tuple:
    """Links in the order the entry gives them: .../entry/3/link/2 is its second."""
    last = str(link).rsplit("/", 1)[-1]
    return (0, int(last), "") if last.isdigit() else (1, 0, str(link))


def _python(literal):
    return literal.toPython() if literal is not None else None


def from_rdf(rdf: Graph) -> nx.MultiDiGraph:
    """The build's MultiDiGraph read back from its RDF (for `kg render` on an existing graph.ttl)."""
    graph = nx.MultiDiGraph()
    node_of: dict = {}
    _read_entities(rdf, graph, node_of)
    _read_posts_and_entries(rdf, graph, node_of)
    _read_relations(rdf, graph, node_of)
    _read_rounds(rdf, graph, node_of)
    for _, _, data in graph.edges(data=True):
        if "statements" in data:
            data["statements"].sort(key=lambda st: (st["entry"], st["evidence"]))
    return graph


def _read_entities(rdf: Graph, graph: nx.MultiDiGraph, node_of: dict) -> None:
    for kind in ENTITY_TYPES:
        for subject in rdf.subjects(RDF.type, KGO[kind]):
            labels = sorted(rdf.objects(subject, RDFS.label),
                            key=lambda label: (getattr(label, "language", None) != "en", str(label)))
            name = str(labels[0]) if labels else str(subject).rsplit("/", 1)[-1]
            aliases = sorted({str(a) for a in rdf.objects(subject, SKOS.altLabel)} | {str(label) for label in labels[1:]})
            node = entity_id(normalize(name) or str(subject))
            node_of[subject] = node
            when = rdf.value(subject, KGO.date)
            graph.add_node(node, kind=ENTITY, key=normalize(name), type=kind, name=name, aliases=aliases,
                           known=False, date=_python(when))


def _read_posts_and_entries(rdf: Graph, graph: nx.MultiDiGraph, node_of: dict) -> None:
    for subject in rdf.subjects(RDF.type, KGO.Post):
        slug_ = str(subject).rstrip("/").rsplit("/", 1)[-1]
        node = f"post:{slug_}"
        node_of[subject] = node
        graph.add_node(node, kind=POST, slug=slug_, name=str(rdf.value(subject, KGO.sourcePath) or slug_),
                       path=str(rdf.value(subject, KGO.sourcePath) or ""), title=str(rdf.value(subject, KGO.title) or ""),
                       issue=_python(rdf.value(subject, KGO.issueNumber)), date=_python(rdf.value(subject, KGO.date)),
                       period_start=_python(rdf.value(subject, KGO.periodStart)),
                       period_end=_python(rdf.value(subject, KGO.periodEnd)))
    for subject in rdf.subjects(RDF.type, KGO.Entry):
        post = node_of.get(rdf.value(subject, KGO.partOf))
        if post is None:
            continue
        position = int(rdf.value(subject, KGO.position) or 0)
        node = entry_id(graph.nodes[post]["slug"], position)
        node_of[subject] = node
        links = [(str(rdf.value(link, KGO.linkText) or ""), str(rdf.value(link, KGO.url) or ""))
                 for link in sorted(rdf.objects(subject, KGO.link), key=_link_order)]
        graph.add_node(node, kind=ENTRY, post=post, position=position, section=str(rdf.value(subject, KGO.section) or ""),
                       text=str(rdf.value(subject, KGO.text) or ""), links=links, date=_python(rdf.value(subject, KGO.date)))
        graph.add_edge(node, post, key="partOf")
        for mentioned in rdf.objects(subject, KGO.mentions):
            if mentioned in node_of:
                graph.add_edge(node, node_of[mentioned], key="mentions")


def _read_relations(rdf: Graph, graph: nx.MultiDiGraph, node_of: dict) -> None:
    """Each asserted relation an edge, with every statement of it (one per evidence sentence)."""
    for relation in RELATIONS:
        for source, target in rdf.subject_objects(KGO[relation]):
            if source in node_of and target in node_of:
                graph.add_edge(node_of[source], node_of[target], key=relation, predicate=relation, statements=[])
    for statement in rdf.subjects(RDF.type, RDF.Statement):
        s, p, o = (rdf.value(statement, part) for part in (RDF.subject, RDF.predicate, RDF.object))
        entry = node_of.get(rdf.value(statement, PROV.wasDerivedFrom))
        if s not in node_of or o not in node_of or entry is None or not str(p).startswith(str(KGO)):
            continue
        key = str(p)[len(str(KGO)):]
        if graph.has_edge(node_of[s], node_of[o], key=key):
            for evidence in sorted(str(e) for e in rdf.objects(statement, KGO.evidence)) or [""]:
                graph.edges[node_of[s], node_of[o], key]["statements"].append({
                    "post": graph.nodes[entry]["post"], "entry": entry, "evidence": evidence,
                    "date": _python(rdf.value(statement, KGO.date)), "version": _python(rdf.value(statement, KGO.version)),
                    "confidence": float(rdf.value(statement, KGO.confidence) or 0.9)})


def _read_rounds(rdf: Graph, graph: nx.MultiDiGraph, node_of: dict) -> None:
    for subject in rdf.subjects(RDF.type, KGO.FundingRound):
        entry = node_of.get(rdf.value(subject, PROV.wasDerivedFrom))
        node = f"round:{str(subject).rsplit('/', 1)[-1]}"
        graph.add_node(node, kind=ROUND, amount=str(rdf.value(subject, KGO.amount)),
                       currency=str(rdf.value(subject, KGO.currency)),
                       series=_python(rdf.value(subject, KGO.series)), date=_python(rdf.value(subject, KGO.date)),
                       evidence=str(rdf.value(subject, KGO.evidence) or ""), entry=entry,
                       post=graph.nodes[entry]["post"] if entry else None)
        for role in ("recipient", "investor"):
            for target in rdf.objects(subject, KGO[role]):
                if target in node_of:
                    graph.add_edge(node, node_of[target], key=role)
