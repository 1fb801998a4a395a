"""Validation: an RDF graph -> the violations of ontology/shapes.ttl (pySHACL), readably.

`kg validate [graph.ttl]` prints them (node, path, message) and exits 1 when any;
`kg build` validates what it writes and says so in its summary.
"""
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import RDF, Graph, Namespace

from kg.resources import ontology_dir

SH = Namespace("http://www.w3.org/ns/shacl#")


@dataclass(frozen=True)
class Violation:
    node: str
    path: str
    message: str
    severity: str

    def __str__(self) -> str:
        where = f" {self.path}" if self.path else ""
        return f"{self.severity}: {self.node}{where}: {self.message}"


@lru_cache(maxsize=2)
def load_shapes(path: Path | None = None) -> Graph:
    shapes = Graph()
    shapes.parse(Path(path) if path else ontology_dir() / "shapes.ttl")
    return shapes


def _short(graph: Graph, term) -> str:
    if term is None:
        return ""
    try:
        return graph.namespace_manager.normalizeUri(term)
    except Exception:       # a literal or a term with no prefix: its plain form
        return str(term)


def validate(graph: Graph) -> list[Violation]:
    """Every violation of the shapes in graph, sorted (node, path, message)."""
    from pyshacl import validate as shacl_validate
    conforms, report, _ = shacl_validate(graph, shacl_graph=load_shapes(), advanced=True, allow_warnings=True)
    if conforms:
        return []
    found = set()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        node = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        severity = report.value(result, SH.resultSeverity)
        found.add(Violation(_short(graph, node), _short(graph, path), str(message or "does not conform"),
                            str(severity).rsplit("#", 1)[-1] if severity else "Violation"))
    return sorted(found, key=lambda v: (v.node, v.path, v.message))


def validate_file(path: Path) -> list[Violation]:
    graph = Graph()
    graph.parse(Path(path))
    return validate(graph)
