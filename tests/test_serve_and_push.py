"""The local endpoint (kg serve) and pushes to a real SPARQL store: an oxigraph server started
on 127.0.0.1 by the test and stopped after it."""
import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from kg.pipeline import build
from kg.push import push
from kg.resources import examples_dir
from kg.serve import Server

OXIGRAPH = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http(url: str, data: bytes | None = None, headers: dict | None = None, method: str | None = None):
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read()


@pytest.fixture()
def endpoint(example_build):
    server = Server(example_build[1] / "graph.ttl", "127.0.0.1", 0).start()
    yield server.url
    server.close()


def test_serve_answers_sparql_protocol_get_and_post(endpoint):
    query = "SELECT ?name WHERE { ?c a kgo:Company ; rdfs:label ?name }"
    status, media, body = http(f"{endpoint}/sparql?query={urllib.parse.quote(query)}",
                               headers={"Accept": "application/sparql-results+json"})
    assert status == 200 and "sparql-results+json" in media
    names = {b["name"]["value"] for b in json.loads(body)["results"]["bindings"]}
    assert "Mirantis" in names
    status, media, body = http(f"{endpoint}/sparql", data=query.encode(), headers={
        "Content-Type": "application/sparql-query", "Accept": "text/csv"})
    assert status == 200 and media.startswith("text/csv") and b"Mirantis" in body


def test_serve_construct_gives_turtle(endpoint):
    query = "CONSTRUCT { ?c a kgo:Company } WHERE { ?c a kgo:Company }"
    status, media, body = http(f"{endpoint}/sparql?query={urllib.parse.quote(query)}", headers={"Accept": "text/turtle"})
    assert status == 200 and "turtle" in media and b"Company" in body


def test_serve_refuses_updates(endpoint):
    update = "INSERT DATA { <http://a.example/s> <http://a.example/p> <http://a.example/o> }"
    assert http(f"{endpoint}/sparql", data=update.encode(), headers={"Content-Type": "application/sparql-update"})[0] == 403
    form = urllib.parse.urlencode({"update": update}).encode()
    assert http(f"{endpoint}/sparql", data=form, headers={"Content-Type": "application/x-www-form-urlencoded"})[0] == 403
    assert http(f"{endpoint}/sparql?query={urllib.parse.quote(update)}")[0] == 403
    assert http(f"{endpoint}/sparql", data=b"x", method="PUT")[0] == 403
    count = "SELECT (COUNT(*) AS ?n) WHERE { <http://a.example/s> ?p ?o }"
    body = http(f"{endpoint}/sparql?query={urllib.parse.quote(count)}", headers={"Accept": "application/sparql-results+json"})[2]
    assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == "0"


def test_serve_reports_query_errors(endpoint):
    status, _, body = http(f"{endpoint}/sparql?query={urllib.parse.quote('SELECT ?x WHERE {')}")
    assert status == 400 and b"syntax error at line 1" in body


def test_serve_gives_the_explorer_page(endpoint):
    status, media, body = http(f"{endpoint}/")
    assert status == 200 and media.startswith("text/html") and b"vis.Network" in body


@pytest.fixture()
def oxigraph_store(tmp_path):
    if not Path(OXIGRAPH).exists():
        pytest.skip("the oxigraph server (pip install oxigraph) is not installed")
    port = free_port()
    process = subprocess.Popen([OXIGRAPH, "serve", "--location", str(tmp_path / "store"), "--bind", f"127.0.0.1:{port}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail("the oxigraph server did not start")
            time.sleep(0.1)
    yield url
    process.terminate()
    process.wait(timeout=10)


def graphs_in(store_url: str) -> dict[str, set]:
    query = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"
    body = http(f"{store_url}/query?query={urllib.parse.quote(query)}", headers={"Accept": "application/sparql-results+json"})[2]
    found: dict[str, set] = {}
    for row in json.loads(body)["results"]["bindings"]:
        found.setdefault(row["g"]["value"], set()).add((row["s"]["value"], row["p"]["value"], row["o"]["value"]))
    return found


def test_push_loads_one_graph_per_post_and_replaces_only_a_changed_post(oxigraph_store, tmp_path):
    posts = tmp_path / "posts"
    shutil.copytree(examples_dir(), posts)
    build([posts], tmp_path / "first", validate=False, html=False)
    result = push(tmp_path / "first" / "graph.ttl", f"{oxigraph_store}/store")
    assert result.graphs == 3 and result.triples > 100
    before = graphs_in(oxigraph_store)
    assert len(before) == 3

    changed = sorted(posts.glob("*.md"))[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nNebula发布了Nebula One 2.0。\n", encoding="utf-8")
    build([posts], tmp_path / "second", validate=False, html=False)
    push(tmp_path / "second" / "graph.ttl", f"{oxigraph_store}/store")
    after = graphs_in(oxigraph_store)

    differing = {name for name in before if before[name] != after.get(name)}
    assert len(differing) == 1 and next(iter(differing)).endswith(changed.stem)
    assert any("Nebula One" in o for _, _, o in after[next(iter(differing))])


def test_push_to_an_unreachable_store_is_one_clear_error(example_build):
    from kg.errors import KgError
    with pytest.raises(KgError, match="cannot reach the store"):
        push(example_build[1] / "graph.ttl", f"http://127.0.0.1:{free_port()}/store", timeout=2)
