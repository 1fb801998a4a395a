from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Namespace
from rdflib.namespace import SH

from kg.cli import main
from kg.resources import ontology_dir
from kg.validate import load_shapes, validate, validate_file, validate_turtle

BROKEN = Path(__file__).parent / "fixtures" / "shapes" / "broken.ttl"


def test_validate_built_graph_conforms(example_build):
    result, out = example_build
    assert result.violations == []
    assert validate_file(out / "graph.ttl") == []


def test_validate_reports_each_broken_rule():
    messages = {(v.node, v.message) for v in validate_file(BROKEN)}
    text = "\n".join(f"{n} {m}" for n, m in messages)
    assert "two-classes" in text and "exactly one of the seven" in text
    assert "no-label" in text and "label" in text
    assert "acme" in text and "no rdf:Statement" in text            # relation without provenance
    assert "partnersWith joins companies" in text                    # a product as partner
    assert "decimal >= 0" in text and "ISO 4217" in text


def test_validate_engines_agree_on_every_broken_rule():
    by_sparql = validate_file(BROKEN, "sparql")
    by_pyshacl = validate_file(BROKEN, "pyshacl")
    assert by_sparql == by_pyshacl
    assert len({(v.node, v.path) for v in by_sparql}) == 20


def test_validate_every_shape_says_what_is_wrong():
    """Each shape with a constraint of its own carries a message, so both engines print the same words."""
    shapes = load_shapes()
    constraints = [SH["class"], SH["or"], SH["not"], SH.datatype, SH.nodeKind, SH["in"], SH.minCount, SH.maxCount,
                   SH.pattern, SH.qualifiedValueShape, SH.minInclusive, SH.uniqueLang]
    constrained = {s for c in constraints for s in shapes.subjects(c, None)}
    nested = {o for p in (SH["or"], SH["not"], SH.qualifiedValueShape) for o in shapes.objects(None, p)}
    from rdflib.collection import Collection
    members = {m for head in shapes.objects(None, SH["or"]) for m in Collection(shapes, head)}
    for shape in constrained - nested - members:
        assert shapes.value(shape, SH.message) is not None, shapes.value(shape, SH.path) or shape


def test_validate_shapes_beyond_the_compiler_fall_back_to_pyshacl(tmp_path):
    from kg.shape_queries import UnsupportedShapes, compile_shapes
    closed = tmp_path / "closed.ttl"
    closed.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix ex: <http://example.org/> .\n"
                      "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:closed true .\n", encoding="utf-8")
    with pytest.raises(UnsupportedShapes):
        compile_shapes(closed)


def test_validate_cli_exit_codes(example_build):
    _, out = example_build
    ok = CliRunner().invoke(main, ["validate", str(out / "graph.ttl")])
    assert ok.exit_code == 0 and "conforms" in ok.output
    bad = CliRunner().invoke(main, ["validate", str(BROKEN)])
    assert bad.exit_code == 1 and "Violation" in bad.output


def test_validate_shapes_match_relation_signatures():
    """The classes each relation joins in shapes.ttl are those of relation-signatures.tsv."""
    kgo = Namespace("https://w3id.org/kgnews/ontology#")
    shapes = load_shapes()
    lines = (ontology_dir() / "patterns" / "relation-signatures.tsv").read_text(encoding="utf-8").splitlines()
    for line in lines[1:]:
        if not line.strip() or line.startswith("#"):
            continue
        predicate, subjects, objects = line.split("\t")
        shape = next(shapes.subjects(SH.targetSubjectsOf, kgo[predicate]))
        assert _classes(shapes, shape) == {kgo[t] for t in subjects.split("|")}, predicate
        prop = next(p for p in shapes.objects(shape, SH.property) if shapes.value(p, SH.path) == kgo[predicate])
        assert _classes(shapes, prop) == {kgo[t] for t in objects.split("|")}, predicate


def _classes(graph: Graph, node) -> set:
    direct = set(graph.objects(node, SH["class"]))
    for alternatives in graph.objects(node, SH["or"]):
        from rdflib.collection import Collection
        for member in Collection(graph, alternatives):
            direct |= set(graph.objects(member, SH["class"]))
    return direct


KGO = "https://w3id.org/kgnews/ontology#"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_PREDICATES = [f"<{KGO}{p}>" for p in ("partnersWith", "releases", "funds", "worksFor", "amount", "currency",
                                      "date", "issueNumber", "title", "partOf", "text", "mentions", "investor")] + [
    "<http://www.w3.org/2000/01/rdf-schema#label>", "<http://www.w3.org/2004/02/skos/core#altLabel>",
    "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>", "<http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate>",
    "<http://www.w3.org/1999/02/22-rdf-syntax-ns#object>", "<http://www.w3.org/ns/prov#wasDerivedFrom>"]
_ODD_OBJECTS = [f"<{KGO}{c}>" for c in ("Company", "Product", "Event", "Person", "Post", "Entry")] + [
    '"plain"', '"Name"@en', '"名字"@zh', f'"-3"^^<{_XSD}decimal>', f'"abc"^^<{_XSD}decimal>', '"usd"', '"USD"',
    f'"2014-02-30"^^<{_XSD}date>', f'"2014-05-01"^^<{_XSD}date>', f'"12"^^<{_XSD}integer>', '"B"']


@pytest.fixture(scope="module")
def small_graph_lines(tmp_path_factory):
    """The N-Triples lines of the first example post's graph (a few hundred triples)."""
    import pyoxigraph as ox

    from kg.pipeline import build
    from kg.resources import examples_dir
    out = tmp_path_factory.mktemp("one-post")
    build(sorted(examples_dir().glob("*.md"))[:1], out, html=False, validate=False, use_cache=False)
    quads = ox.parse(path=str(out / "graph.ttl"), format=ox.RdfFormat.TURTLE)
    return sorted(f"{q.subject} {q.predicate} {q.object} ." for q in quads)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_validate_engines_agree_on_mutated_graphs(small_graph_lines, data):
    """Both engines find the same violations in a built graph with triples taken out and odd ones put in."""
    from rdflib import Graph
    lines = list(small_graph_lines)
    for index in sorted(data.draw(st.sets(st.integers(0, len(lines) - 1), max_size=6)), reverse=True):
        del lines[index]
    subjects = sorted({line.split(" ", 1)[0] for line in small_graph_lines})
    objects = subjects[:40] + _ODD_OBJECTS
    for _ in range(data.draw(st.integers(0, 6))):
        lines.append(f"{data.draw(st.sampled_from(subjects))} {data.draw(st.sampled_from(_PREDICATES))} "
                     f"{data.draw(st.sampled_from(objects))} .")
    text = "\n".join(lines) + "\n"
    by_sparql = validate_turtle(text.encode("utf-8"), "sparql")
    by_pyshacl = validate(Graph().parse(data=text, format="nt"))
    assert by_sparql == by_pyshacl


_SHAPES_HEAD = ("@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix ex: <http://example.org/> .\n"
                "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n")


def _read_terms_of(tmp_path, shapes: str):
    from kg.shape_queries import read_terms
    path = tmp_path / "shapes.ttl"
    path.write_text(_SHAPES_HEAD + shapes, encoding="utf-8")
    return read_terms(path)


def test_validate_knows_which_predicates_and_classes_the_shapes_read(tmp_path):
    ex = "http://example.org/"
    predicates, classes = _read_terms_of(tmp_path, """
ex:A a sh:NodeShape ; sh:targetClass ex:Post ;
    sh:property [ sh:path ex:title ; sh:minCount 1 ] ,
                [ sh:path [ sh:inversePath ex:partOf ] ; sh:class ex:Entry ] .
ex:B a sh:NodeShape ; sh:targetSubjectsOf ex:likes .
ex:C a sh:NodeShape ; sh:target [ a sh:SPARQLTarget ; sh:select \"\"\"
    SELECT ?this WHERE { VALUES ?p { <http://example.org/funds> } ?this ?p ?o .
                         ?o a/<http://example.org/kind> <http://example.org/Round> . }\"\"\" ] .
""")
    assert {ex + n for n in ("title", "partOf", "likes", "funds", "kind")} <= predicates
    assert ex + "position" not in predicates and ex + "linkText" not in predicates
    assert {ex + "Post", ex + "Entry", ex + "Round"} <= classes and ex + "Link" not in classes


@pytest.mark.parametrize("anything", [
    # a target whose query reads triples of any predicate, or rdf:type of any class
    'ex:C a sh:NodeShape ; sh:target [ a sh:SPARQLTarget ; sh:select "SELECT ?this WHERE { ?this ?p ?o }" ] .',
    'ex:C a sh:NodeShape ; sh:target [ a sh:SPARQLTarget ; sh:select "SELECT ?this WHERE { ?this a ?class }" ] .',
    'ex:C a sh:NodeShape ; sh:target [ a sh:SPARQLTarget ; '
    'sh:select "SELECT ?this WHERE { ?this !<http://example.org/x> ?o }" ] .',
    # a SPARQL constraint
    'ex:C a sh:NodeShape ; sh:targetClass ex:Post ; sh:sparql [ sh:select "SELECT $this WHERE { $this ?p ?o }" ] .',
])
def test_validate_reads_everything_when_the_shapes_may_read_any_triple(tmp_path, anything):
    assert _read_terms_of(tmp_path, anything) is None
