"""Where kg's data files are (ontology/ and the bundled example archive), and kg's version.

In a source checkout (or an editable install) they are the repository's top-level
folders; in an installed wheel they are shipped inside the package as kg/ontology and
kg/examples.
"""
from pathlib import Path

VERSION = "0.1.0"
_PACKAGE = Path(__file__).resolve().parent


def _first_existing(*candidates: Path) -> Path:
    for path in candidates:
        if path.is_dir():
            return path
    return candidates[0]


def ontology_dir() -> Path:
    return _first_existing(_PACKAGE.parent / "ontology", _PACKAGE / "ontology")


def examples_dir() -> Path:
    return _first_existing(_PACKAGE.parent / "examples" / "posts", _PACKAGE / "examples" / "posts")
