"""The quality floor: the shared corpus scored by the evaluation kit must not fall below
what kg has reached (tests/quality-floor.json). Needs ../shared beside the repository, as CI has."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from kg.pipeline import build

SHARED = Path(__file__).resolve().parents[2] / "shared"
FLOOR = json.loads((Path(__file__).parent / "quality-floor.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def shared_scores(tmp_path_factory):
    if not (SHARED / "evaluation" / "score.py").is_file():
        pytest.skip("../shared (corpus, gold and scorer) is not beside this repository")
    out = tmp_path_factory.mktemp("shared-build")
    build([SHARED / "corpus" / "posts"], out, html=False)
    gold = sorted(str(p) for p in (SHARED / "corpus" / "gold").glob("*.json"))
    # the scorer runs as the evaluation runs it: its own process, its own output
    done = subprocess.run([sys.executable, str(SHARED / "evaluation" / "score.py"), str(out / "graph.ttl"), *gold, "--json"],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout[:done.stdout.rindex("}") + 1])


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
