from rdflib import RDF, Graph
from rdflib.compare import isomorphic
from rdflib.namespace import PROV, SKOS

from kg.namespace import ENTITY_TYPES, KGO
from kg.iris import slug


def built_graph(example_build) -> Graph:
    _, out = example_build
    graph = Graph()
    graph.parse(out / "graph.ttl")
    return graph


def test_rdf_turtle_round_trips_isomorphic(example_build):
    from kg.turtle import to_turtle
    graph = built_graph(example_build)
    again = Graph().parse(data=to_turtle(graph), format="turtle")
    assert isomorphic(graph, again)
    assert len(graph) > 100
    assert isomorphic(graph, Graph().parse(data=graph.serialize(format="nt"), format="nt"))


def test_rdf_every_entity_has_exactly_one_contract_class_and_a_label(example_build):
    graph = built_graph(example_build)
    classes = {KGO[t] for t in ENTITY_TYPES}
    entities = {s for c in classes for s in graph.subjects(RDF.type, c)}
    assert entities
    for entity in entities:
        assert len(set(graph.objects(entity, RDF.type)) & classes) == 1
        from rdflib import RDFS
        labels = list(graph.objects(entity, RDFS.label))
        assert labels and len({label.language for label in labels}) == len(labels)


def test_rdf_every_relation_has_a_statement_with_provenance(example_build):
    graph = built_graph(example_build)
    from kg.namespace import RELATIONS
    triples = [(s, KGO[p], o) for p in RELATIONS for s, o in graph.subject_objects(KGO[p])]
    assert triples
    for s, p, o in triples:
        statements = [st for st in graph.subjects(RDF.subject, s)
                      if (st, RDF.predicate, p) in graph and (st, RDF.object, o) in graph]
        assert statements, (s, p, o)
        for st in statements:
            entry = graph.value(st, PROV.wasDerivedFrom)
            assert (entry, RDF.type, KGO.Entry) in graph
            assert graph.value(st, KGO.evidence) is not None


def test_rdf_posts_and_entries_carry_sources(example_build):
    graph = built_graph(example_build)
    posts = list(graph.subjects(RDF.type, KGO.Post))
    assert len(posts) == 3
    for post in posts:
        assert graph.value(post, KGO.title) is not None
        assert graph.value(post, KGO.issueNumber) is not None
        assert graph.value(post, KGO.date) is not None
        assert graph.value(post, KGO.sourcePath) is not None
    entries = list(graph.subjects(RDF.type, KGO.Entry))
    assert entries and all(graph.value(e, KGO.partOf) in posts for e in entries)
    assert any(graph.value(e, KGO.mentions) is not None for e in entries)


def test_rdf_funding_round_has_amount_and_currency(example_build):
    graph = built_graph(example_build)
    rounds = list(graph.subjects(RDF.type, KGO.FundingRound))
    assert rounds
    amounts = {float(graph.value(r, KGO.amount)) for r in rounds}
    assert 8_000_000.0 in amounts            # Piston's 800万美元 in the example archive
    assert all(str(graph.value(r, KGO.currency)) == "USD" for r in rounds)


def test_rdf_aliases_are_alt_labels(example_build):
    graph = built_graph(example_build)
    red_hat = [s for s in graph.subjects(SKOS.altLabel, None) if "红帽" in {str(x) for x in graph.objects(s, SKOS.altLabel)}]
    assert red_hat, "红帽 should be an alias of Red Hat"


def test_rdf_slug_is_readable_and_valid_for_any_name():
    assert slug("Mirantis") == "mirantis"
    assert slug("Red Hat") == "red-hat"
    assert slug("华为") == "华为"
    assert slug("C++") == "c%2B%2B"
    for name in ['a "quoted" <name>', "back\\slash", "new\nline", "emoji 🚀", ""]:
        from rdflib import URIRef
        iri = URIRef("https://w3id.org/kgnews/resource/company/" + slug(name))
        graph = Graph()
        graph.add((iri, RDF.type, KGO.Company))
        assert isomorphic(graph, Graph().parse(data=graph.serialize(format="nt"), format="nt"))


def test_rdf_turtle_writer_round_trips_awkward_terms():
    from rdflib import Literal, URIRef
    from rdflib.namespace import RDFS, XSD

    from kg.turtle import to_turtle
    graph = Graph()
    s = URIRef("https://w3id.org/kgnews/resource/company/a%22b")
    graph.add((s, RDF.type, KGO.Company))
    graph.add((s, RDFS.label, Literal('quote " backslash \\ newline \n tab \t 🚀', lang="en")))
    graph.add((s, SKOS.altLabel, Literal("华为", lang="zh")))
    graph.add((s, KGO.amount, Literal("15000000", datatype=XSD.decimal)))
    graph.add((s, KGO.evidence, Literal("plain")))
    text = to_turtle(graph, {"kgr": "https://w3id.org/kgnews/resource/"})
    assert isomorphic(graph, Graph().parse(data=text, format="turtle"))
    assert to_turtle(graph) == to_turtle(graph)


def test_rdf_the_posts_named_graphs_together_are_the_build_graph(example_build):
    """One mapping: the build writes graph.ttl; a store keeping a named graph per post (kg
    push, N-Quads, TriG) holds exactly the same triples, each post's graph what that post says."""
    from kg.store import post_datasets
    _, out = example_build
    union, graphs = Graph(), {}
    for name, triples in post_datasets(out / "graph.ttl"):
        graphs[name] = triples
        for triple in triples:
            union.parse(data=f"{triple} .", format="nt")
    assert isomorphic(union, built_graph(example_build))
    posts = [name for name in graphs if "/post/" in name]
    assert len(posts) == 3
    for name in posts:              # a post's graph holds its own post and no other post
        subjects = {t.subject.value for t in graphs[name]}
        assert name in subjects
        assert not any(other in subjects for other in posts if other != name)


def test_rdf_the_build_turtle_reads_the_same_in_rdflib_and_pyoxigraph(example_build):
    import pyoxigraph as ox
    _, out = example_build
    store_graph = Graph()
    for quad in ox.parse(path=str(out / "graph.ttl"), format=ox.RdfFormat.TURTLE):
        store_graph.parse(data=f"{quad.subject} {quad.predicate} {quad.object} .", format="nt")
    assert isomorphic(store_graph, built_graph(example_build))
