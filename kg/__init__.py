"""kg: builds a knowledge graph of companies, products, projects, releases, events and people
from a newsletter archive (Jekyll Markdown posts), as RDF and an interactive page."""

__version__ = "0.1.0"


def build(*args, **kwargs):
    """kg.build(paths, out_dir="output"): see kg.pipeline.build."""
    from kg.pipeline import build as _build
    return _build(*args, **kwargs)
