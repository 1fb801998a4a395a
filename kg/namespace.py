"""The ontology's terms as one closed namespace: a misspelt term fails loudly.

`ontology/kgnews.ttl` is the source of truth; tests/test_namespace.py checks that this
class and the ontology declare the same terms.

KGO is an rdflib namespace, made on first use: `kg build` writes its Turtle as text and
never loads rdflib (about 0.1 s of start-up in every process).
"""
ONTOLOGY_IRI = "https://w3id.org/kgnews/ontology#"
RESOURCE_BASE = "https://w3id.org/kgnews/resource/"


def _kgo():
    from rdflib import URIRef
    from rdflib.namespace import DefinedNamespace, Namespace

    class KGO(DefinedNamespace):
        _NS = Namespace(ONTOLOGY_IRI)
        _fail = True

        # entity classes
        Entity: URIRef
        Agent: URIRef
        Work: URIRef
        Company: URIRef
        Organization: URIRef
        Person: URIRef
        Product: URIRef
        Project: URIRef
        Release: URIRef
        Event: URIRef
        # other classes
        FundingRound: URIRef
        Post: URIRef
        Entry: URIRef
        Link: URIRef
        # relations between entities
        relation: URIRef
        partnersWith: URIRef
        releases: URIRef
        funds: URIRef
        acquires: URIRef
        develops: URIRef
        basedOn: URIRef
        uses: URIRef
        integratesWith: URIRef
        customerOf: URIRef
        participatesIn: URIRef
        contributesTo: URIRef
        worksFor: URIRef
        # funding
        recipient: URIRef
        investor: URIRef
        amount: URIRef
        currency: URIRef
        series: URIRef
        date: URIRef
        version: URIRef
        key: URIRef
        # sources and provenance
        title: URIRef
        issueNumber: URIRef
        periodStart: URIRef
        periodEnd: URIRef
        sourcePath: URIRef
        partOf: URIRef
        position: URIRef
        section: URIRef
        text: URIRef
        link: URIRef
        url: URIRef
        linkText: URIRef
        mentions: URIRef
        evidence: URIRef
        reportedOn: URIRef
        degree: URIRef
        degreeRank: URIRef

    return KGO


def __getattr__(name: str):
    if name == "KGO":
        globals()["KGO"] = kgo = _kgo()
        return kgo
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


ENTITY_TYPES = ("Company", "Organization", "Product", "Project", "Release", "Event", "Person")
RELATIONS = ("partnersWith", "releases", "funds", "acquires", "develops", "basedOn", "uses",
             "integratesWith", "customerOf", "participatesIn", "contributesTo", "worksFor")
SYMMETRIC_RELATIONS = frozenset({"partnersWith", "integratesWith"})
