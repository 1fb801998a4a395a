"""IRIs: how kg names what it writes, as plain strings (no RDF library needed to build).

IRIs are minted from names and stable across builds: kgr:company/mirantis,
kgr:post/<file stem>/entry/3, kgr:statement/<digest>, kgr:funding/<digest>. kg/rdf.py
wraps them as rdflib terms where it needs them.
"""
import hashlib
import re
import unicodedata
from functools import lru_cache
from urllib.parse import quote

from kg.lexicon import has_cjk
from kg.namespace import RESOURCE_BASE


# what a slug percent-encodes: all but letters and digits (str.isalnum, which \w matches) and - . _ ~
_UNSAFE = re.compile(r"[^\w.~-]")


@lru_cache(maxsize=65536)          # a pure function of a name; an archive names the same things again
def slug(name: str) -> str:
    """A readable, valid IRI path segment for any name: lower case, spaces as '-', CJK kept,
    anything else percent-encoded ('C++' -> 'c%2B%2B')."""
    text = unicodedata.normalize("NFKC", name).strip().lower()
    text = "-".join(text.split())
    safe = _UNSAFE.sub(lambda match: quote(match.group(0), safe=""), text)
    return safe or "_" + hashlib.sha1(name.encode()).hexdigest()[:10]


def language(text: str) -> str:
    return "zh" if has_cjk(text) else "en"


class Minter:
    """IRIs of one build, under a base (the default kgr: namespace, or --base)."""

    def __init__(self, base: str = RESOURCE_BASE):
        self.ns = base if base.endswith(("/", "#")) else base + "/"

    def iri(self, local: str) -> str:
        return self.ns + local

    def entity(self, kind: str, name: str) -> str:
        return f"{self.ns}{kind.lower()}/{slug(name)}"

    def post(self, post_slug: str) -> str:
        return f"{self.ns}post/{slug(post_slug)}"

    def entry(self, post_slug: str, position: int) -> str:
        return f"{self.ns}post/{slug(post_slug)}/entry/{position}"

    def node(self, kind: str, digest_of: str) -> str:
        return f"{self.ns}{kind}/{hashlib.sha1(digest_of.encode()).hexdigest()[:16]}"


def statement_digest(subject_key: str, predicate: str, object_key: str, entry_node: str) -> str:
    """What a statement's IRI is minted from: the keys of its entities, not their IRIs (which
    change when a vote does), and the entry ("entry:<post slug>#<position>")."""
    return f"{subject_key}|{predicate}|{object_key}|{entry_node}"
