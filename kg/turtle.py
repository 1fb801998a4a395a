"""Writing Turtle: an rdflib Graph -> deterministic Turtle text, fast.

rdflib's own Turtle serializer invents a prefix for every IRI "folder" it meets, which
makes it quadratic on graphs with many resources (a 300 KB post took over a minute).
This writer uses the well-known prefixes only, groups triples by subject, and sorts
subjects, predicates and objects, so the same graph always gives the same bytes. The build
writes its Turtle with iri_term and literal_term alone, without loading rdflib.
"""
import re

PREFIXES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "kgo": "https://w3id.org/kgnews/ontology#",
}
_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_IRI_ESCAPE = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_STRING_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f",
                   "\ue010": "\\uE010", "\ue011": "\\uE011"}      # kg/fragment.py's placeholder marks
_STRING_ESCAPE = re.compile('[\\\\"\n\r\t\b\f\ue010\ue011]')


def iri_term(iri: str) -> str:
    """An IRI written in full: <...>, with the characters Turtle forbids escaped."""
    return "<" + _IRI_ESCAPE.sub(lambda m: f"\\u{ord(m.group(0)):04X}", iri) + ">"


def literal_term(text: str, lang: str | None = None, datatype: str | None = None) -> str:
    """A string literal, with a language tag or a datatype written as a prefixed name (xsd:date)."""
    quoted = '"' + _STRING_ESCAPE.sub(lambda m: _STRING_ESCAPES[m.group(0)], text) + '"'
    return f"{quoted}@{lang}" if lang else f"{quoted}^^{datatype}" if datatype else quoted


def _iri(term: str, prefixes: dict[str, str]) -> str:
    for prefix, namespace in prefixes.items():
        if term.startswith(namespace) and _LOCAL.match(term[len(namespace):]):
            return f"{prefix}:{term[len(namespace):]}"
    return iri_term(term)


def to_turtle(graph, prefixes: dict[str, str] | None = None) -> str:
    """The graph (any iterable of rdflib triples) as Turtle: one block per subject, subjects in
    IRI order, rdf:type first. (rdflib is imported here, once a call: the build writes its
    Turtle with iri_term and literal_term alone.)"""
    from rdflib import BNode, Literal, URIRef
    from rdflib.namespace import RDF, XSD
    prefixes = {**PREFIXES, **(prefixes or {})}

    def literal(term: Literal) -> str:
        if term.language:
            return literal_term(str(term), lang=term.language)
        if term.datatype and term.datatype != XSD.string:
            return literal_term(str(term), datatype=_iri(str(term.datatype), prefixes))
        return literal_term(str(term))

    def written(term) -> str:
        if isinstance(term, URIRef):
            return _iri(str(term), prefixes)
        if isinstance(term, Literal):
            return literal(term)
        if isinstance(term, BNode):
            return f"_:{term}"
        raise TypeError(f"not an RDF term: {term!r}")

    def order_of(term) -> tuple:
        return (0 if isinstance(term, URIRef) else 1 if isinstance(term, BNode) else 2, str(term),
                str(getattr(term, "language", "") or ""), str(getattr(term, "datatype", "") or ""))

    by_subject: dict = {}
    for s, p, o in graph:
        by_subject.setdefault(s, {}).setdefault(p, []).append(o)
    out = [f"@prefix {prefix}: <{namespace}> ." for prefix, namespace in sorted(prefixes.items())]
    out.append("")
    for subject in sorted(by_subject, key=order_of):
        predicates = by_subject[subject]
        order = sorted(predicates, key=lambda p: (p != RDF.type, str(p)))
        lines = []
        for predicate in order:
            objects = ", ".join(written(o) for o in sorted(predicates[predicate], key=order_of))
            verb = "a" if predicate == RDF.type else written(predicate)
            lines.append(f"    {verb} {objects}")
        out.append(written(subject) + "\n" + " ;\n".join(lines) + " .\n")
    return "\n".join(out)
