import re
from pathlib import Path

from rdflib import OWL, RDF, Graph

from kg.namespace import ENTITY_TYPES, KGO, ONTOLOGY_IRI, RELATIONS
from kg.resources import ontology_dir

CONTRACT = Path(__file__).resolve().parents[2] / "shared" / "evaluation" / "CONTRACT.md"


def ontology() -> Graph:
    graph = Graph()
    graph.parse(ontology_dir() / "kgnews.ttl")
    return graph


def declared_terms(graph: Graph) -> set[str]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    return {str(s)[len(ONTOLOGY_IRI):] for kind in kinds for s in graph.subjects(RDF.type, kind)
            if str(s).startswith(ONTOLOGY_IRI)}


def test_namespace_and_ontology_declare_the_same_terms():
    in_code = {name for name in KGO.__annotations__}
    assert declared_terms(ontology()) == in_code


def test_namespace_is_closed():
    import pytest
    with pytest.raises(AttributeError):
        KGO.Compnay  # noqa: B018  (a misspelt term must fail)


def test_ontology_has_every_contract_term():
    terms = declared_terms(ontology())
    required = set(ENTITY_TYPES) | set(RELATIONS) | {
        "FundingRound", "recipient", "amount", "currency", "investor", "series", "date",
        "Post", "Entry", "partOf", "mentions", "evidence", "title", "issueNumber", "sourcePath", "section", "text", "link"}
    assert required <= terms
    if CONTRACT.is_file():
        named = set(re.findall(r"kgo:(\w+)", CONTRACT.read_text(encoding="utf-8")))
        assert named <= terms, named - terms


def test_ontology_labels_every_term_in_english_and_chinese():
    graph = ontology()
    from rdflib import RDFS
    for term in declared_terms(graph):
        languages = {label.language for label in graph.objects(KGO[term], RDFS.label)}
        assert {"en", "zh"} <= languages, term


def test_ontology_gives_relations_domain_and_range():
    graph = ontology()
    from rdflib import RDFS
    for relation in RELATIONS:
        assert graph.value(KGO[relation], RDFS.domain) is not None, relation
        assert graph.value(KGO[relation], RDFS.range) is not None, relation
