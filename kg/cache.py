"""The extraction cache: the fragments of a file's posts (their extraction, and their part
of the outputs: kg/fragment.py), keyed by its name and bytes, the base of its IRIs, and
everything that shapes extraction (kg.keep.fingerprint: kg's version and source, the ontology folder's data
files, Python's version).

A rebuild after one post changed re-extracts that post only. Entries live in the user's
cache folder (kg/keep.py), one sealed record per file and fingerprint, written atomically.
"""
import hashlib
from pathlib import Path

from kg.files import write_atomically
from kg.fragment import PostFragment
from kg.keep import cache_dir, fingerprint, folder_key, private_folder, seal, unseal


class ExtractionCache:
    """The fragments of a file's posts by the file's digest, in the user's cache folder (or `directory`)."""

    def __init__(self, directory: Path | None = None, enabled: bool = True):
        self.enabled = enabled
        self.root = Path(directory) if directory else cache_dir()
        self.directory = self.root / "extract" / fingerprint()
        self.hits = self.misses = 0
        self.key = folder_key(self.root) if enabled else b""
        if enabled:
            private_folder(self.directory)

    @staticmethod
    def digest(raw: bytes, name: str, base: str) -> str:
        return hashlib.sha256(base.encode() + b"\0" + name.encode() + b"\0" + raw).hexdigest()

    def _path(self, digest: str) -> Path:
        return self.directory / digest[:2] / f"{digest}.kgc"

    def get(self, digest: str) -> list[PostFragment] | None:
        """The fragments of a file's posts stored under its digest (ExtractionCache.digest),
        or None (also for a record that fails its check, which the next put replaces)."""
        if not self.enabled:
            return None
        try:
            plain = unseal(self._path(digest).read_bytes(), self.key)
            fragments = [PostFragment.from_plain(values) for values in plain] if plain is not None else None
        except (OSError, ValueError, TypeError):
            fragments = None
        if not fragments or any(f.digest.split("#")[0] != digest for f in fragments):
            self.misses += 1
            return None
        self.hits += 1
        return fragments

    def put(self, digest: str, fragments: list[PostFragment]) -> None:
        if not self.enabled:
            return
        path = self._path(digest)
        try:
            path.parent.mkdir(mode=0o700, exist_ok=True)
            write_atomically(path, seal(tuple(f.plain() for f in fragments), self.key), mode=0o600)
        except OSError:
            pass                      # a cache that cannot be written only costs time
