"""The extraction cache: a post's fragment (its extraction, and its part of the outputs:
kg/fragment.py), keyed by its name and bytes, the base of its IRIs, and everything that
shapes extraction (kg's version and source, the ontology folder's data files, Python's version).

A rebuild after one post changed re-extracts that post only. Entries live in the user's
cache folder ($KG_CACHE_DIR, else $XDG_CACHE_HOME/kg, else ~/.cache/kg), one pickle per
post and fingerprint, written atomically; an unreadable entry is simply recomputed.
"""
import hashlib
import os
import pickle
import tempfile
from functools import lru_cache
from pathlib import Path

from kg import __version__
from kg.resources import ontology_dir


def cache_dir() -> Path:
    if os.environ.get("KG_CACHE_DIR"):
        return Path(os.environ["KG_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "kg"


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """kg's version, its source files and the ontology's data files, and Python's version,
    hashed together."""
    import sys
    digest = hashlib.sha256(__version__.encode() + b"\0" + sys.version.encode())
    package = Path(__file__).parent
    for path in sorted([*package.glob("*.py"), *ontology_dir().rglob("*")]):
        if path.is_file() and path.suffix in (".py", ".tsv", ".txt", ".ttl"):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:20]


def kept(name: str, make, parse):
    """parse(the text kept in the user's cache folder under name); when there is none, or it
    does not parse, the text make() gives (from something slow to import or work out), kept
    there for the next process. A folder that cannot be written only costs the time of
    making it again."""
    saved = cache_dir() / name
    try:
        return parse(saved.read_text(encoding="utf-8"))
    except (OSError, ValueError, TypeError, IndexError):
        pass
    text = make()
    try:
        from kg.pipeline import write_atomically
        saved.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(saved, text.encode("utf-8"))
    except OSError:
        pass
    return parse(text)


class ExtractionCache:
    def __init__(self, directory: Path | None = None, enabled: bool = True):
        self.enabled = enabled
        self.directory = (Path(directory) if directory else cache_dir()) / "extract" / fingerprint()
        self.hits = self.misses = 0

    @staticmethod
    def digest(raw: bytes, name: str, base: str) -> str:
        return hashlib.sha256(base.encode() + b"\0" + name.encode() + b"\0" + raw).hexdigest()

    def _path(self, digest: str) -> Path:
        return self.directory / digest[:2] / f"{digest}.pickle"

    def get(self, digest: str):
        """The value stored under a digest (ExtractionCache.digest), or None."""
        if not self.enabled:
            return None
        path = self._path(digest)
        try:
            with path.open("rb") as handle:
                value = pickle.load(handle)
        except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError):
            self.misses += 1
            return None
        self.hits += 1
        return value

    def put(self, digest: str, value) -> None:
        if not self.enabled:
            return
        path = self._path(digest)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(handle, "wb") as out:
                pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, path)
        except OSError:
            pass                      # a cache that cannot be written only costs time
