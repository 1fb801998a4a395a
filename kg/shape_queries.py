"""SHACL shapes -> SPARQL queries that select their violations, run on pyoxigraph.

pySHACL walks the data graph in Python and needs minutes at a million triples. The shapes
of ontology/shapes.ttl use a small part of SHACL Core (and one SPARQL-based target), and
each of their constraints is one SPARQL SELECT of the focus nodes that break it. This
module reads a shapes graph, compiles every constraint into such a query, and runs them
on a pyoxigraph store: the same violations as pySHACL (tests/test_validate.py compares the
two engines), in well under a second at a million triples.

A shapes graph using anything outside the supported part raises UnsupportedShapes, and
kg.validate falls back to pySHACL. Supported: targets by class (with rdfs:subClassOf*),
subjects of, objects of, node and sh:SPARQLTarget; on node and property shapes sh:class,
sh:datatype, sh:nodeKind, sh:in, sh:pattern, sh:minInclusive/maxInclusive/minExclusive/
maxExclusive, sh:or, sh:and, sh:not and sh:node of such shapes; on property shapes with
a predicate path (or its sh:inversePath) also sh:minCount, sh:maxCount, sh:uniqueLang
and sh:qualifiedValueShape with sh:qualifiedMinCount/sh:qualifiedMaxCount.
"""
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

SH = "http://www.w3.org/ns/shacl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"

# value constraints: true or false of one value on its own
_VALUE_CONSTRAINTS = ("class", "datatype", "nodeKind", "in", "pattern", "minInclusive", "maxInclusive",
                      "minExclusive", "maxExclusive", "or", "and", "not", "node")
# constraints on the set of values of a property
_SET_CONSTRAINTS = ("minCount", "maxCount", "uniqueLang", "qualifiedValueShape")
_IGNORED = ("message", "severity", "name", "description", "order", "group", "deactivated", "path",
            "targetClass", "targetSubjectsOf", "targetObjectsOf", "targetNode", "target", "property",
            "qualifiedMinCount", "qualifiedMaxCount", "qualifiedValueShapesDisjoint", "prefixes",
            "declare", "prefix", "namespace", "select", "defaultValue")
_NODE_KINDS = {
    "IRI": "isIRI({v})", "BlankNode": "isBlank({v})", "Literal": "isLiteral({v})",
    "BlankNodeOrIRI": "(isBlank({v}) || isIRI({v}))", "BlankNodeOrLiteral": "(isBlank({v}) || isLiteral({v}))",
    "IRIOrLiteral": "(isIRI({v}) || isLiteral({v}))",
}
XSD = "http://www.w3.org/2001/XMLSchema#"
_CHECKED_DATATYPES = {XSD + name for name in ("decimal", "integer", "date", "dateTime", "boolean", "double", "float")}
_TRUE = ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean"))
_COMPARISONS = {"minInclusive": ">=", "maxInclusive": "<=", "minExclusive": ">", "maxExclusive": "<"}
_COMPONENT_MESSAGES = {
    "minCount": "fewer than {n} values", "maxCount": "more than {n} values",
    "uniqueLang": "more than one value in one language", "qualifiedMinCount": "fewer than {n} conforming values",
    "qualifiedMaxCount": "more than {n} conforming values", "class": "a value is not of the class asked for",
    "datatype": "a value is not of the datatype asked for", "nodeKind": "a value is not of the node kind asked for",
    "in": "a value is not one of those allowed", "pattern": "a value does not match the pattern",
    "or": "a value conforms to none of the alternatives", "and": "a value does not conform to every shape",
    "not": "a value conforms to a shape it must not", "node": "a value does not conform to its node shape",
}


# Every query opens its WHERE group with this comment: `violations` replaces it with a VALUES
# block when only some focus nodes are to be checked.
FOCUS = "#focus"


class UnsupportedShapes(Exception):
    """The shapes graph uses SHACL this compiler does not handle (pySHACL does)."""


@dataclass(frozen=True)
class ShapeQuery:
    """One constraint of one shape: the query selecting its violations (?this, maybe ?value)."""
    sparql: str
    path: str               # the property path's IRI, "" for a node shape
    message: str
    severity: str           # Violation, Warning or Info
    component: str          # the SHACL constraint component, e.g. minCount


def _term(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<{term.value}>"
    if isinstance(term, ox.Literal):
        return str(term)            # N-Triples form: quoted, escaped, with its datatype or language
    raise UnsupportedShapes(f"a blank node where a constant is expected: {term}")


class _Shapes:
    """Read access to a shapes graph held in a pyoxigraph store."""

    def __init__(self, store: ox.Store):
        self.store = store

    def objects(self, subject, name: str, namespace: str = SH) -> list:
        return [q.object for q in self.store.quads_for_pattern(subject, ox.NamedNode(namespace + name), None)]

    def value(self, subject, name: str, namespace: str = SH):
        found = self.objects(subject, name, namespace)
        return found[0] if found else None

    def subjects(self, name: str, value=None, namespace: str = SH) -> list:
        return [q.subject for q in self.store.quads_for_pattern(None, ox.NamedNode(namespace + name), value)]

    def items(self, head) -> list:
        """The members of an RDF list."""
        members, nil = [], ox.NamedNode(RDF + "nil")
        while head is not None and head != nil:
            members.append(self.value(head, "first", RDF))
            head = self.value(head, "rest", RDF)
        return members

    def keys(self, shape) -> set[str]:
        """The SHACL properties a shape node has, by local name."""
        names = set()
        for quad in self.store.quads_for_pattern(shape, None, None):
            iri = quad.predicate.value
            if iri.startswith(SH):
                names.add(iri[len(SH):])
        return names


class _Compiler:
    def __init__(self, shapes: _Shapes):
        self.shapes = shapes
        self.prefixes: dict[str, str] = {}

    # ---------------------------------------------------------------- conformance of one value

    def conforms(self, shape, var: str) -> str:
        """A SPARQL expression true when the node in var conforms to shape's value constraints."""
        keys = self.shapes.keys(shape)
        unknown = keys - set(_VALUE_CONSTRAINTS) - set(_IGNORED)
        if unknown or keys & {"property", "minCount", "maxCount", "qualifiedValueShape", "uniqueLang"}:
            raise UnsupportedShapes(f"a nested shape with {sorted(unknown or keys)}")
        parts = [self.constraint(shape, name, var) for name in _VALUE_CONSTRAINTS if name in keys]
        return "(" + " && ".join(parts) + ")" if parts else "true"

    def constraint(self, shape, name: str, var: str) -> str:
        values = self.shapes.objects(shape, name)
        if name == "class":
            return " && ".join(f"EXISTS {{ {var} <{RDF}type>/<{RDFS}subClassOf>* {_term(c)} }}" for c in values)
        if name == "datatype":
            return " && ".join(self.datatype(var, d) for d in values)
        if name == "nodeKind":
            kinds = [_NODE_KINDS[k.value[len(SH):]] for k in values]
            return " && ".join(k.format(v=var) for k in kinds)
        if name == "in":
            options = [_term(t) for head in values for t in self.shapes.items(head)]
            return f"(sameTerm({var}, " + f") || sameTerm({var}, ".join(options) + "))" if options else "false"
        if name == "pattern":
            flags = self.shapes.value(shape, "flags")
            tests = []
            for pattern in values:
                arguments = f"{_term(ox.Literal(pattern.value))}" + (f", {_term(ox.Literal(flags.value))}" if flags else "")
                tests.append(f"(!isBlank({var}) && REGEX(STR({var}), {arguments}))")
            return " && ".join(tests)
        if name in _COMPARISONS:
            return " && ".join(f"COALESCE({var} {_COMPARISONS[name]} {_term(v)}, false)" for v in values)
        if name == "or":
            return " && ".join("(" + " || ".join(self.conforms(s, var) for s in self.shapes.items(h)) + ")"
                               for h in values)
        if name == "and":
            return " && ".join("(" + " && ".join(self.conforms(s, var) for s in self.shapes.items(h)) + ")"
                               for h in values)
        if name == "not":
            return " && ".join(f"!{self.conforms(s, var)}" for s in values)
        if name == "node":
            return " && ".join(self.conforms(s, var) for s in values)
        raise UnsupportedShapes(f"sh:{name}")

    @staticmethod
    def datatype(var: str, datatype) -> str:
        if datatype.value == RDF + "langString":
            return f"(isLiteral({var}) && LANG({var}) != \"\")"
        check = f"isLiteral({var}) && sameTerm(DATATYPE({var}), {_term(datatype)})"
        if datatype.value in _CHECKED_DATATYPES:
            # an ill-typed literal ("abc"^^xsd:decimal) does not cast: it fails the constraint
            check += f" && COALESCE({_term(datatype)}(STR({var})) = {var}, false)"
        return f"({check})"

    # ---------------------------------------------------------------- targets

    def targets(self, shape) -> str | None:
        """A group pattern binding ?this to every focus node of shape, None when it has no target."""
        groups = []
        for cls in self.shapes.objects(shape, "targetClass"):
            groups.append(f"?this <{RDF}type>/<{RDFS}subClassOf>* {_term(cls)} .")
        if ox.NamedNode(RDFS + "Class") in self.shapes.objects(shape, "type", RDF):     # an implicit class target
            groups.append(f"?this <{RDF}type>/<{RDFS}subClassOf>* {_term(shape)} .")
        for predicate in self.shapes.objects(shape, "targetSubjectsOf"):
            groups.append(f"SELECT DISTINCT ?this WHERE {{ ?this {_term(predicate)} ?any . }}")
        for predicate in self.shapes.objects(shape, "targetObjectsOf"):
            groups.append(f"SELECT DISTINCT ?this WHERE {{ ?any {_term(predicate)} ?this . }}")
        for node in self.shapes.objects(shape, "targetNode"):
            groups.append(f"VALUES ?this {{ {_term(node)} }}")
        for target in self.shapes.objects(shape, "target"):
            select = self.shapes.value(target, "select")
            if select is None:
                raise UnsupportedShapes("a sh:target other than a sh:SPARQLTarget")
            for declarations in self.shapes.objects(target, "prefixes"):
                self.read_prefixes(declarations)
            groups.append(select.value.strip())
        if not groups:
            return None
        return " UNION ".join("{ " + g + " }" for g in groups)

    def read_prefixes(self, node) -> None:
        for declaration in self.shapes.objects(node, "declare"):
            prefix, namespace = self.shapes.value(declaration, "prefix"), self.shapes.value(declaration, "namespace")
            self.prefixes[prefix.value] = namespace.value
        for imported in self.shapes.objects(node, "prefixes"):
            self.read_prefixes(imported)

    # ---------------------------------------------------------------- one shape's queries

    def path(self, shape) -> tuple[str, str]:
        """(SPARQL path, IRI printed for it)."""
        path = self.shapes.value(shape, "path")
        if isinstance(path, ox.NamedNode):
            return _term(path), path.value
        inverse = self.shapes.value(path, "inversePath") if path is not None else None
        if isinstance(inverse, ox.NamedNode):
            return f"^{_term(inverse)}", inverse.value
        raise UnsupportedShapes("a property path other than a predicate or its inverse")

    def shape_queries(self, shape, target: str) -> list[ShapeQuery]:
        keys = self.shapes.keys(shape)
        if self.shapes.value(shape, "deactivated") == _TRUE:
            return []
        unknown = keys - set(_VALUE_CONSTRAINTS) - set(_SET_CONSTRAINTS) - set(_IGNORED)
        if unknown:
            raise UnsupportedShapes(", ".join(f"sh:{k}" for k in sorted(unknown)))
        severity = self.shapes.value(shape, "severity")
        severity = severity.value[len(SH):] if severity is not None else "Violation"
        message = self.shapes.value(shape, "message")
        path_iri = ""

        def made(sparql: str, component: str, count: int | None = None) -> ShapeQuery:
            text = message.value if message is not None else _COMPONENT_MESSAGES[component].format(n=count)
            return ShapeQuery(sparql, path_iri, text, severity, component)

        queries = []
        if "path" in keys:
            path, path_iri = self.path(shape)
            queries += self._property_queries(shape, keys, target, path, made)
        else:
            for name in _VALUE_CONSTRAINTS:
                if name in keys:
                    test = self.constraint(shape, name, "?this")
                    queries.append(made(f"SELECT DISTINCT ?this WHERE {{ {target} FILTER (!({test})) }}", name))
            if keys & set(_SET_CONSTRAINTS):
                raise UnsupportedShapes("a count constraint on a node shape")
        for property_shape in self.shapes.objects(shape, "property"):
            queries.extend(self.shape_queries(property_shape, target))
        return queries

    def _property_queries(self, shape, keys, target: str, path: str, made) -> list[ShapeQuery]:
        """The queries of a property shape's constraints: values, counts, languages, qualified counts."""
        queries = []
        for name in _VALUE_CONSTRAINTS:
            if name in keys:
                test = self.constraint(shape, name, "?value")
                queries.append(made(f"SELECT DISTINCT ?this ?value WHERE {{ {target} ?this {path} ?value . "
                                    f"FILTER (!({test})) }}", name))
        for name, comparison in (("minCount", "<"), ("maxCount", ">")):
            for count in self.shapes.objects(shape, name):
                n = int(count.value)
                if name == "minCount" and n == 0:
                    continue
                if name == "minCount" and n == 1:        # no value at all: three times faster than counting
                    sparql = f"SELECT ?this WHERE {{ {target} FILTER NOT EXISTS {{ ?this {path} ?value . }} }}"
                elif name == "maxCount" and n == 1:      # two different values: twice as fast as counting
                    sparql = (f"SELECT DISTINCT ?this WHERE {{ {target} ?this {path} ?value , ?other . "
                              "FILTER (!sameTerm(?value, ?other)) }")
                else:
                    sparql = (f"SELECT ?this WHERE {{ {target} OPTIONAL {{ ?this {path} ?value . }} }} "
                              f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) {comparison} {n})")
                queries.append(made(sparql, name, n))
        if self.shapes.value(shape, "uniqueLang") == _TRUE:
            queries.append(made(f"SELECT DISTINCT ?this WHERE {{ {target} ?this {path} ?value , ?other . "
                                "FILTER (isLiteral(?value) && isLiteral(?other) && LANG(?value) != \"\" && "
                                "LANG(?value) = LANG(?other) && !sameTerm(?value, ?other)) }", "uniqueLang"))
        for qualified in self.shapes.objects(shape, "qualifiedValueShape"):
            if self.shapes.value(shape, "qualifiedValueShapesDisjoint") is not None:
                raise UnsupportedShapes("sh:qualifiedValueShapesDisjoint")
            test = self.conforms(qualified, "?value")
            for name, comparison in (("qualifiedMinCount", "<"), ("qualifiedMaxCount", ">")):
                for count in self.shapes.objects(shape, name):
                    n = int(count.value)
                    queries.append(made(
                        f"SELECT ?this WHERE {{ {target} OPTIONAL {{ ?this {path} ?value . FILTER ({test}) }} }} "
                        f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) {comparison} {n})", name, n))
        return queries

    def compile(self) -> list[ShapeQuery]:
        store = self.shapes.store
        type_ = ox.NamedNode(RDF + "type")
        roots = {q.subject for q in store.quads_for_pattern(None, type_, ox.NamedNode(SH + "NodeShape"))}
        for name in ("targetClass", "targetSubjectsOf", "targetObjectsOf", "targetNode", "target"):
            roots |= set(self.shapes.subjects(name))
        queries = []
        for shape in sorted(roots, key=str):
            target = self.targets(shape)
            if target is not None:
                queries.extend(self.shape_queries(shape, FOCUS + "\n" + target))
        if any(True for _ in store.quads_for_pattern(None, ox.NamedNode(SH + "sparql"), None)):
            raise UnsupportedShapes("sh:sparql constraints")
        prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(self.prefixes.items()))
        return [ShapeQuery(prologue + q.sparql, q.path, q.message, q.severity, q.component) for q in queries]


def compile_shapes(path: Path) -> list[ShapeQuery]:
    """Every constraint of the shapes file at path as a query selecting its violations."""
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    return _Compiler(_Shapes(store)).compile()


def _named_in_select(select: str, prefixes: dict[str, str]) -> set[str] | None:
    """Every IRI a SPARQL target's query names; None when it may read triples of any predicate
    or any class: a variable predicate that no VALUES binds, a negated path, rdf:type of a
    class that no VALUES binds."""
    from rdflib import URIRef, Variable
    from rdflib.paths import AlternativePath, InvPath, MulPath, NegatedPath, SequencePath
    from rdflib.plugins.sparql import prepareQuery
    from rdflib.plugins.sparql.algebra import traverse

    algebra = prepareQuery(select, initNs=prefixes).algebra
    named, bound, patterns = set(), set(), []

    def path_iris(path) -> set[str] | None:
        if isinstance(path, URIRef):
            return {str(path)}
        if isinstance(path, (SequencePath, AlternativePath)):
            parts = [path_iris(arg) for arg in path.args]
            return None if None in parts else set().union(*(part for part in parts if part is not None))
        if isinstance(path, MulPath):
            return path_iris(path.path)
        if isinstance(path, InvPath):
            return path_iris(path.arg)
        return None                                 # a negated path: any other predicate

    def visit(node):
        if getattr(node, "name", None) == "values":
            for row in node.get("res") or ():
                bound.update(row.keys())
                named.update(str(v) for v in row.values() if isinstance(v, URIRef))
        elif getattr(node, "name", None) == "BGP":
            patterns.extend(node.triples)
        elif isinstance(node, URIRef):
            named.add(str(node))
        return None

    traverse(algebra, visitPre=visit)
    for _, predicate, obj in patterns:
        if isinstance(predicate, Variable):
            if predicate not in bound:
                return None
            continue
        iris = path_iris(predicate) if not isinstance(predicate, NegatedPath) else None
        if iris is None:
            return None
        named |= iris
        if RDF + "type" in iris and isinstance(obj, Variable) and obj not in bound:
            return None
        if isinstance(obj, URIRef):
            named.add(str(obj))
    return named


def read_terms(path: Path) -> tuple[frozenset[str], frozenset[str]] | None:
    """(predicates, classes): the IRIs of the predicates and classes the shapes at path read.
    A triple of any other predicate, and a node of any other class that has only such triples,
    can be left out of the data without changing the violations found: the queries never look
    at them. (A class reached through rdfs:subClassOf would need that triple in the data; it is
    read, and kept.) None when the shapes may read any triple: a SPARQL target or constraint,
    or a path other than a predicate or its inverse."""
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    shapes = _Shapes(store)
    if shapes.subjects("sparql"):
        return None
    predicates = {RDF + "type", RDFS + "subClassOf"}
    classes = set()
    for target in (q.object for q in store.quads_for_pattern(None, ox.NamedNode(SH + "target"), None)):
        select = shapes.value(target, "select")
        compiler = _Compiler(shapes)
        for declarations in shapes.objects(target, "prefixes"):
            compiler.read_prefixes(declarations)
        named = _named_in_select(select.value, compiler.prefixes) if select is not None else None
        if named is None:
            return None
        predicates |= named             # an IRI a target's query names may be a predicate or a class
        classes |= named
    for name in ("path", "targetSubjectsOf", "targetObjectsOf"):
        for value in (q.object for q in store.quads_for_pattern(None, ox.NamedNode(SH + name), None)):
            if not isinstance(value, ox.NamedNode):
                value = shapes.value(value, "inversePath")
                if not isinstance(value, ox.NamedNode):
                    return None
            predicates.add(value.value)
    classes |= {q.object.value for name in ("targetClass", "class")
               for q in store.quads_for_pattern(None, ox.NamedNode(SH + name), None)
               if isinstance(q.object, ox.NamedNode)}
    classes |= {q.subject.value for q in store.quads_for_pattern(None, ox.NamedNode(RDF + "type"),
                                                                  ox.NamedNode(RDFS + "Class"))
                if isinstance(q.subject, ox.NamedNode)}           # implicit class targets
    return frozenset(predicates), frozenset(classes)


def focused(query: ShapeQuery, focus: list[str] | None) -> str:
    """The query's SPARQL, checking only the focus nodes (IRIs) when given."""
    if focus is None:
        return query.sparql
    return query.sparql.replace(FOCUS, "VALUES ?this { " + " ".join(f"<{iri}>" for iri in focus) + " }", 1)


def violations(store: ox.Store, queries: list[ShapeQuery], focus: list[str] | None = None):
    """(focus node, path IRI, message, severity) of every violation in store, unsorted; of
    the focus nodes only, when given."""
    for query in queries:
        rows = store.query(focused(query, focus), use_default_graph_as_union=True)
        assert isinstance(rows, ox.QuerySolutions)
        for row in rows:
            yield row["this"], query.path, query.message, query.severity
