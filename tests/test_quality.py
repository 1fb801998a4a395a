"""The quality floor: the shared corpus, and our own held-out posts (bench/heldout*), scored by
the evaluation kit must not fall below what kg has reached (tests/quality-floor.json). Needs
../shared (its scorer) beside the repository, as CI has."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from kg.pipeline import build

SHARED = Path(__file__).resolve().parents[2] / "shared"
FLOOR = json.loads((Path(__file__).parent / "quality-floor.json").read_text(encoding="utf-8"))


BENCH = Path(__file__).resolve().parents[1] / "bench"
HELDOUT_SETS = ("heldout", "heldout-2")       # each bench/<set>/{posts,gold}, with its floor under its name


def _scores(posts: Path, gold_dir: Path, out: Path) -> dict:
    if not (SHARED / "evaluation" / "score.py").is_file():
        pytest.skip("../shared (corpus, gold and scorer) is not beside this repository")
    build([posts], out, html=False)
    gold = sorted(str(p) for p in gold_dir.glob("*.json"))
    # the scorer runs as the evaluation runs it: its own process, its own output
    done = subprocess.run([sys.executable, str(SHARED / "evaluation" / "score.py"), str(out / "graph.ttl"), *gold, "--json"],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout[:done.stdout.rindex("}") + 1])


@pytest.fixture(scope="module")
def shared_scores(tmp_path_factory):
    return _scores(SHARED / "corpus" / "posts", SHARED / "corpus" / "gold", tmp_path_factory.mktemp("shared-build"))


@pytest.fixture(scope="module", params=HELDOUT_SETS)
def heldout_scores(request, tmp_path_factory):
    scores = _scores(BENCH / request.param / "posts", BENCH / request.param / "gold",
                     tmp_path_factory.mktemp(f"{request.param}-build"))
    return request.param, scores


def test_quality_entities_do_not_fall_below_floor(shared_scores):
    entities = shared_scores["entities"]
    assert entities["f1"] >= FLOOR["entity_f1"], entities
    assert entities["type_accuracy"] >= FLOOR["type_accuracy"], entities
    assert entities["duplicates"] <= FLOOR["duplicates_max"], entities


def test_quality_relations_do_not_fall_below_floor(shared_scores):
    assert shared_scores["relations"]["f1"] >= FLOOR["relation_f1"], shared_scores["relations"]


def test_quality_every_funding_round_found(shared_scores):
    funding = shared_scores["funding"]
    assert funding["found"] >= FLOOR["funding_found"] and funding["found"] == funding["of"], funding


def test_quality_on_our_heldout_posts_does_not_fall_below_floor(heldout_scores):
    name, scores = heldout_scores
    floor = FLOOR[name]
    entities, relations, funding = scores["entities"], scores["relations"], scores["funding"]
    assert entities["f1"] >= floor["entity_f1"] and entities["type_accuracy"] >= floor["type_accuracy"], entities
    assert entities["duplicates"] <= floor["duplicates_max"], entities
    assert relations["f1"] >= floor["relation_f1"], relations
    assert funding["found"] >= floor["funding_found"] and funding["found"] == funding["of"], funding


def _gold_set(name: str, corpus: str, tmp_path_factory) -> dict:
    """A gold set whose posts live in another corpus folder: the posts its gold names, built together."""
    floor = FLOOR[name]
    gold_dir = SHARED / "corpus" / name
    if not gold_dir.is_dir():
        pytest.skip(f"../shared/corpus/{name} is not beside this repository")
    chosen = [gold_dir / article for article in floor.get("articles", sorted(p.name for p in gold_dir.glob("*.json")))]
    posts = tmp_path_factory.mktemp(f"{name}-posts")
    for gold in chosen:
        post = json.loads(gold.read_text(encoding="utf-8"))["post"]
        (posts / post).write_bytes((SHARED / "corpus" / corpus / post).read_bytes())
    out = tmp_path_factory.mktemp(f"{name}-build")
    build([posts], out, html=False)
    done = subprocess.run([sys.executable, str(SHARED / "evaluation" / "score.py"), str(out / "graph.ttl"),
                           *map(str, chosen), "--json"], capture_output=True, text=True, check=True)
    return json.loads(done.stdout[:done.stdout.rindex("}") + 1])


@pytest.mark.parametrize("name, corpus", [("gold-news", "news"), ("gold-newsflash", "newsflash")])
def test_quality_on_the_news_and_newsflash_gold_does_not_fall_below_floor(name, corpus, tmp_path_factory):
    scores, floor = _gold_set(name, corpus, tmp_path_factory), FLOOR[name]
    assert scores["entities"]["f1"] >= floor["entity_f1"], scores["entities"]
    assert scores["entities"]["type_accuracy"] >= floor["type_accuracy"], scores["entities"]
    assert scores["entities"]["duplicates"] <= floor["duplicates_max"], scores["entities"]
    assert scores["relations"]["f1"] >= floor["relation_f1"], scores["relations"]
    assert scores["funding"]["found"] >= floor["funding_found"], scores["funding"]
