"""kg: builds a knowledge graph of companies, products, projects, releases, events and people
from a newsletter archive (Jekyll Markdown posts), as RDF and an interactive page."""

from kg.resources import VERSION as __version__  # noqa: F401, N811  (the package's version, as usual)


def build(*args, **kwargs):
    """kg.build(paths, out_dir="output"): see kg.pipeline.build."""
    from kg.pipeline import build as _build
    return _build(*args, **kwargs)
