"""Stage 6, RDF: the build's MultiDiGraph -> rdflib.Graph, per ../shared/evaluation/CONTRACT.md.

Entities are typed with one of the seven classes, labelled (rdfs:label, language-tagged
zh or en) and given every other spelling as skos:altLabel. A relation is one triple
however often it is stated, and one rdf:Statement per entry stating it, with
prov:wasDerivedFrom the entry and kgo:evidence the sentence. IRIs are minted from names
and stable across builds (kg/iris.py).
"""
from typing import Any

import networkx as nx
from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import PROV, SKOS

from kg.graph import ENTITY, ENTRY, POST, ROUND
from kg.iris import Minter, language, statement_digest
from kg.lexicon import normalize
from kg.namespace import KGO, RESOURCE_BASE


def _date(value):
    return Literal(value.isoformat(), datatype=XSD.date)


def to_rdf(graph: nx.MultiDiGraph, base: str = RESOURCE_BASE, into=None) -> Graph:  # noqa: PLR0915, C901  (one RDF mapping: issue 20)
    """A graph's RDF, into an rdflib Graph (or any object with add() and bind()). kg build
    writes its Turtle from per-post fragments instead (kg/fragment.py, kg/assemble.py);
    this serves the graphs read back from graph.ttl (named graphs per post, kg push)."""
    mint = Minter(base)
    rdf = Graph() if into is None else into
    rdf.bind("kgo", str(KGO))
    rdf.bind("kgr", str(mint.ns))
    rdf.bind("skos", str(SKOS))
    rdf.bind("prov", str(PROV))

    iri: dict[str, URIRef] = {}
    for node, data in graph.nodes(data=True):
        kind = data["kind"]
        if kind == ENTITY:
            iri[node] = URIRef(mint.entity(data["type"], data["name"]))
        elif kind == POST:
            iri[node] = URIRef(mint.post(data["slug"]))
    for node, data in graph.nodes(data=True):
        if data["kind"] == ENTRY:
            iri[node] = URIRef(mint.entry(graph.nodes[data["post"]]["slug"], data["position"]))

    for node, data in graph.nodes(data=True):
        subject: Any = iri.get(node)
        kind = data["kind"]
        if kind == ENTITY:
            rdf.add((subject, RDF.type, KGO[data["type"]]))
            rdf.add((subject, RDFS.label, Literal(data["name"], lang=language(data["name"]))))
            for alias in data["aliases"]:
                rdf.add((subject, SKOS.altLabel, Literal(alias, lang=language(alias))))
            if data.get("date"):
                rdf.add((subject, KGO.date, _date(data["date"])))
            for key in {normalize(n) for n in (data["name"], *data["aliases"])} - {""}:
                rdf.add((subject, KGO.key, Literal(key)))
        elif kind == POST:
            rdf.add((subject, RDF.type, KGO.Post))
            rdf.add((subject, KGO.title, Literal(data["title"])))
            rdf.add((subject, KGO.sourcePath, Literal(data["name"])))
            if data.get("issue") is not None:
                rdf.add((subject, KGO.issueNumber, Literal(data["issue"], datatype=XSD.integer)))
            for prop, key in ((KGO.date, "date"), (KGO.periodStart, "period_start"), (KGO.periodEnd, "period_end")):
                if data.get(key):
                    rdf.add((subject, prop, _date(data[key])))
        elif kind == ENTRY:
            rdf.add((subject, RDF.type, KGO.Entry))
            rdf.add((subject, KGO.partOf, iri[data["post"]]))
            rdf.add((subject, KGO.position, Literal(data["position"], datatype=XSD.integer)))
            if data["section"]:
                rdf.add((subject, KGO.section, Literal(data["section"])))
            rdf.add((subject, KGO.text, Literal(data["text"])))
            if data.get("date"):
                rdf.add((subject, KGO.date, _date(data["date"])))
            for index, (text, url) in enumerate(data["links"], start=1):
                link = URIRef(f"{subject}/link/{index}")
                rdf.add((subject, KGO.link, link))
                rdf.add((link, RDF.type, KGO.Link))
                rdf.add((link, KGO.linkText, Literal(text)))
                rdf.add((link, KGO.url, Literal(url, datatype=XSD.anyURI)))

    for s, o, key, data in graph.edges(keys=True, data=True):
        if key == "mentions":
            rdf.add((iri[s], KGO.mentions, iri[o]))
        elif "predicate" in data:
            predicate = KGO[data["predicate"]]
            rdf.add((iri[s], predicate, iri[o]))
            for statement in data["statements"]:
                st = URIRef(mint.node("statement", statement_digest(graph.nodes[s]["key"], data["predicate"],
                                                             graph.nodes[o]["key"], statement["entry"])))
                rdf.add((st, RDF.type, RDF.Statement))
                rdf.add((st, RDF.subject, iri[s]))
                rdf.add((st, RDF.predicate, predicate))
                rdf.add((st, RDF.object, iri[o]))
                rdf.add((st, PROV.wasDerivedFrom, iri[statement["entry"]]))
                rdf.add((st, KGO.evidence, Literal(statement["evidence"])))
                if statement.get("date"):
                    rdf.add((st, KGO.date, _date(statement["date"])))
                reported = graph.nodes[statement["post"]].get("date") if statement.get("post") in graph else None
                if reported:
                    rdf.add((st, KGO.reportedOn, _date(reported)))
                if statement.get("version"):
                    rdf.add((st, KGO.version, Literal(statement["version"])))

    for node, data in graph.nodes(data=True):
        if data["kind"] != ROUND:
            continue
        recipients = [o for _, o, k in graph.out_edges(node, keys=True) if k == "recipient"]
        investors = [o for _, o, k in graph.out_edges(node, keys=True) if k == "investor"]
        subject = URIRef(mint.iri(f"funding/{node.split(':', 1)[1]}"))      # round ids are digests already
        rdf.add((subject, RDF.type, KGO.FundingRound))
        for r in recipients:
            rdf.add((subject, KGO.recipient, iri[r]))
        for i in investors:
            rdf.add((subject, KGO.investor, iri[i]))
        rdf.add((subject, KGO.amount, Literal(data["amount"], datatype=XSD.decimal)))
        rdf.add((subject, KGO.currency, Literal(data["currency"])))
        if data.get("series"):
            rdf.add((subject, KGO.series, Literal(data["series"])))
        if data.get("date"):
            rdf.add((subject, KGO.date, _date(data["date"])))
        rdf.add((subject, KGO.evidence, Literal(data["evidence"])))
        rdf.add((subject, PROV.wasDerivedFrom, iri[data["entry"]]))
    return rdf


def _link_order(link) -> tuple:
    """Links in the order the entry gives them: .../entry/3/link/2 is its second."""
    last = str(link).rsplit("/", 1)[-1]
    return (0, int(last), "") if last.isdigit() else (1, 0, str(link))


def _python(literal):
    return literal.toPython() if literal is not None else None


def from_rdf(rdf: Graph) -> nx.MultiDiGraph:
    """The build's MultiDiGraph read back from its RDF (for `kg render` on an existing graph.ttl)."""
    from kg.graph import entity_id, entry_id
    from kg.namespace import ENTITY_TYPES, RELATIONS

    graph = nx.MultiDiGraph()
    node_of: dict = {}
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
            # one statement per sentence: an entry that states a fact twice has two evidences
            for evidence in sorted(str(e) for e in rdf.objects(statement, KGO.evidence)) or [""]:
                graph.edges[node_of[s], node_of[o], key]["statements"].append({
                    "post": graph.nodes[entry]["post"], "entry": entry, "evidence": evidence,
                    "date": _python(rdf.value(statement, KGO.date)), "version": _python(rdf.value(statement, KGO.version))})
    for subject in rdf.subjects(RDF.type, KGO.FundingRound):
        entry = node_of.get(rdf.value(subject, PROV.wasDerivedFrom))
        node = f"round:{str(subject).rsplit('/', 1)[-1]}"
        graph.add_node(node, kind=ROUND, amount=str(rdf.value(subject, KGO.amount)),
                       currency=str(rdf.value(subject, KGO.currency)),
                       series=_python(rdf.value(subject, KGO.series)), date=_python(rdf.value(subject, KGO.date)),
                       evidence=str(rdf.value(subject, KGO.evidence) or ""), entry=entry,
                       post=graph.nodes[entry]["post"] if entry else None)
        for r in rdf.objects(subject, KGO.recipient):
            if r in node_of:
                graph.add_edge(node, node_of[r], key="recipient")
        for i in rdf.objects(subject, KGO.investor):
            if i in node_of:
                graph.add_edge(node, node_of[i], key="investor")
    for _, _, data in graph.edges(data=True):
        if "statements" in data:
            data["statements"].sort(key=lambda st: (st["entry"], st["evidence"]))
    return graph
