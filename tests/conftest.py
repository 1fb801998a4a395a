from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory):
    """The tests' extraction cache lives in their own temporary folder, not the user's."""
    import os
    os.environ["KG_CACHE_DIR"] = str(tmp_path_factory.mktemp("kg-cache"))
    yield


@pytest.fixture(scope="session")
def lexicon():
    from kg.lexicon import load_lexicon
    return load_lexicon()


@pytest.fixture(scope="session")
def example_build(tmp_path_factory):
    """The bundled example archive, built once for the tests that read a build's output."""
    from kg.pipeline import build
    out = tmp_path_factory.mktemp("example-build")
    result = build([], out)
    return result, out


def entries_of_one_post(*texts: str, links: dict[int, tuple] | None = None) -> list:
    """What extraction read in a post of these entries, entry by entry; links: an entry's
    (text, url) pairs by its number, from 1."""
    from datetime import date

    from kg.dates import Period
    from kg.extract import extract_post
    from kg.lexicon import load_lexicon
    from kg.posts import Entry, Link, Post
    linked = {number: tuple(Link(text, url) for text, url in pairs) for number, pairs in (links or {}).items()}
    post = Post(path="p.md", name="p.md", title="t", issue=None, date=date(2020, 1, 2), period=Period(None, None),
                entries=tuple(Entry(i, (), text, linked.get(i, ())) for i, text in enumerate(texts, start=1)))
    return list(extract_post(post, load_lexicon()).entries)


def facts_read(*entries) -> set[tuple[str, str, str]]:
    """(subject key, predicate, object key) of every fact the entries read."""
    return {(f.subject, f.predicate, f.object) for entry in entries for f in entry.facts}
