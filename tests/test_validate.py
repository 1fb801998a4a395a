from pathlib import Path

from click.testing import CliRunner
from rdflib import Graph, Namespace
from rdflib.namespace import SH

from kg.cli import main
from kg.resources import ontology_dir
from kg.validate import load_shapes, validate_file

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
