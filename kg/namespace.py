"""The ontology's terms as one closed namespace: a misspelt term fails loudly.

`ontology/kgnews.ttl` is the source of truth; tests/test_namespace.py checks that
KGO_TERMS and the ontology declare the same terms.

KGO is an rdflib namespace, made on first use; KGO_PREFIXED gives the same terms as Turtle
writes them ('kgo:title'), which is how `kg build` writes its Turtle, as text, without
loading rdflib (about 0.1 s of start-up in every process).
"""
ONTOLOGY_IRI = "https://w3id.org/kgnews/ontology#"
RESOURCE_BASE = "https://w3id.org/kgnews/resource/"
# the prefixes kg's queries, stores and pushes know
PREFIXES = {
    "kgo": ONTOLOGY_IRI,
    "kgr": RESOURCE_BASE,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


KGO_TERMS = (
    # entity classes
    "Entity", "Agent", "Work", "Company", "Organization", "Person", "Product", "Project", "Release", "Event",
    # other classes
    "FundingRound", "Post", "Entry", "Link",
    # relations between entities
    "relation", "partnersWith", "releases", "funds", "acquires", "develops", "basedOn", "uses", "integratesWith",
    "customerOf", "participatesIn", "contributesTo", "worksFor",
    # funding
    "recipient", "investor", "amount", "currency", "series", "date", "version", "key",
    # sources and provenance
    "title", "issueNumber", "periodStart", "periodEnd", "sourcePath", "partOf", "position", "section", "text", "link",
    "url", "linkText", "mentions", "evidence", "reportedOn", "degree", "degreeRank", "community", "centrality", "confidence",
)


def _kgo():
    from rdflib import URIRef
    from rdflib.namespace import DefinedNamespace, Namespace
    return type("KGO", (DefinedNamespace,), {"_NS": Namespace(ONTOLOGY_IRI), "_fail": True,
                                             "__annotations__": {name: URIRef for name in KGO_TERMS}})


class _Prefixed:
    """The ontology's terms as Turtle writes them ('kgo:title'), closed like KGO: what the
    build writes its Turtle with, without loading rdflib."""

    def __init__(self, prefix: str, names):
        self._prefix, self._names = prefix, frozenset(names)

    def __getattr__(self, name: str) -> str:
        return self[name]

    def __getitem__(self, name: str) -> str:
        if name not in self._names:
            raise AttributeError(f"{self._prefix}:{name} is not a term of kg's ontology (ontology/kgnews.ttl)")
        return f"{self._prefix}:{name}"


KGO_PREFIXED = _Prefixed("kgo", KGO_TERMS)


def __getattr__(name: str):
    if name == "KGO":
        globals()["KGO"] = kgo = _kgo()
        return kgo
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


ENTITY_TYPES = ("Company", "Organization", "Product", "Project", "Release", "Event", "Person")
RELATIONS = ("partnersWith", "releases", "funds", "acquires", "develops", "basedOn", "uses",
             "integratesWith", "customerOf", "participatesIn", "contributesTo", "worksFor")
SYMMETRIC_RELATIONS = frozenset({"partnersWith", "integratesWith"})
