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
