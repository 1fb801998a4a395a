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

from click.testing import CliRunner
from rdflib import RDFS

from kg.cli import main
from kg.namespace import KGO
from kg.pipeline import build
from kg.push import push
from kg.resources import examples_dir
from kg.serve import Server
from kg.store import archive_graph_name

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
    archive = archive_graph_name()
    assert result.graphs == 4 and result.triples > 100         # three posts, and the archive's own graph
    before = graphs_in(oxigraph_store)
    assert len(before) == 4 and archive in before

    changed = sorted(posts.glob("*.md"))[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nNebula发布了Nebula One 2.0。\n", encoding="utf-8")
    build([posts], tmp_path / "second", validate=False, html=False)
    push(tmp_path / "second" / "graph.ttl", f"{oxigraph_store}/store")
    after = graphs_in(oxigraph_store)

    differing = {name for name in before if before[name] != after.get(name)}
    assert differing - {archive} == {next(n for n in before if n.endswith(changed.stem))}
    post_graph = next(iter(differing - {archive}))
    assert any("Nebula One" in o for _, _, o in after[post_graph])
    # Nebula, new, has degree 1 (it releases Nebula One), in the archive's graph only
    nebula = next(s for s, p, o in after[post_graph] if p == str(RDFS.label) and o == "Nebula")
    degree = {graph: {int(o) for s, p, o in triples if s == nebula and p == str(KGO.degree)}
              for graph, triples in after.items()}
    assert {g for g, d in degree.items() if d} == {archive}
    assert degree[archive] == {1} and all(s != nebula for s, _, _ in before[archive])


def test_most_connected_on_a_pushed_store_ranks_as_the_build(oxigraph_store, example_build):
    from kg.query import bind, named_queries
    push(example_build[1] / "graph.ttl", f"{oxigraph_store}/store")
    query = bind(named_queries()["most-connected"].text, {})
    body = http(f"{oxigraph_store}/query?query={urllib.parse.quote(query)}&union-default-graph",
                headers={"Accept": "application/sparql-results+json"})[2]
    pushed = [(row["entity"]["value"], int(row["degree"]["value"])) for row in json.loads(body)["results"]["bindings"]]
    local = CliRunner().invoke(main, ["query", "most-connected", "--graph", str(example_build[1] / "graph.ttl"),
                                      "--format", "json"])
    expected = [(row["entity"]["value"], int(row["degree"]["value"])) for row in json.loads(local.output)["results"]["bindings"]]
    assert pushed == expected and len(pushed) >= 3 and pushed[0][1] >= pushed[-1][1] >= 1


def test_push_to_an_unreachable_store_is_one_clear_error(example_build):
    from kg.errors import KgError
    with pytest.raises(KgError, match="cannot reach the store"):
        push(example_build[1] / "graph.ttl", f"http://127.0.0.1:{free_port()}/store", timeout=2)


# -- a serve that holds against hostile clients ---------------------------------------------

@pytest.fixture()
def strict_endpoint(example_build):
    from kg.serve import ServeLimits
    server = Server(example_build[1] / "graph.ttl", "127.0.0.1", 0,
                    limits=ServeLimits(seconds=1.5, result_bytes=4096, request_seconds=2)).start()
    yield server.url
    server.close()


def _get(endpoint: str, query: str, accept: str = "application/sparql-results+json"):
    return http(f"{endpoint}/sparql?query={urllib.parse.quote(query)}", headers={"Accept": accept})


def test_serve_refuses_service_and_never_reads_a_query_as_a_file(strict_endpoint, tmp_path):
    status, _, body = _get(strict_endpoint, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    assert status == 400 and b"SERVICE is not allowed" in body
    secret = tmp_path / "secret.rq"
    secret.write_text("SELECT ?secret WHERE { ?secret ?p ?o }", encoding="utf-8")
    for text in (str(secret), "partners-of"):
        status, _, body = _get(strict_endpoint, text)
        assert status == 400 and b"?secret" not in body and b"syntax error" in body


def test_serve_sends_no_cors_header_unless_told_an_origin(strict_endpoint, example_build):
    request = urllib.request.Request(f"{strict_endpoint}/sparql?query={urllib.parse.quote('ASK {}')}",
                                     headers={"Origin": "https://evil.example"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.headers.get("Access-Control-Allow-Origin") is None
    server = Server(example_build[1] / "graph.ttl", "127.0.0.1", 0, cors="https://ours.example").start()
    try:
        with urllib.request.urlopen(f"{server.url}/sparql?query={urllib.parse.quote('ASK {}')}", timeout=10) as response:
            assert response.headers.get("Access-Control-Allow-Origin") == "https://ours.example"
    finally:
        server.close()


def test_serve_stops_a_query_past_its_time_and_goes_on_serving(strict_endpoint):
    endless = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
    started = time.monotonic()
    status, _, body = _get(strict_endpoint, endless)
    assert status == 503 and b"stopped after 1.5 s" in body
    assert time.monotonic() - started < 10
    status, _, body = _get(strict_endpoint, "ASK { ?s a kgo:Company }")
    assert status == 200 and b"true" in body


def test_serve_stops_an_answer_past_its_size(strict_endpoint):
    status, _, body = _get(strict_endpoint, "SELECT * WHERE { ?s ?p ?o }")
    assert status == 503 and b"over 4,096 bytes" in body
    assert _get(strict_endpoint, "SELECT * WHERE { ?s a kgo:Event }")[0] == 200


def test_serve_refuses_deep_nesting_before_parsing(strict_endpoint):
    status, _, body = _get(strict_endpoint, "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }")
    assert status == 400 and b"nested 5002 levels deep" in body
    assert _get(strict_endpoint, "ASK {}")[0] == 200


def _raw(endpoint: str, request: bytes, wait: float = 10.0) -> bytes:
    host, port = urllib.parse.urlsplit(endpoint).hostname, urllib.parse.urlsplit(endpoint).port
    with socket.create_connection((host, port), timeout=wait) as sock:
        sock.sendall(request)
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)


def test_serve_answers_lying_and_slow_requests_at_once(strict_endpoint):
    head = b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
    started = time.monotonic()
    assert _raw(strict_endpoint, head + b"Content-Length: -1\r\n\r\nASK {}").startswith(b"HTTP/1.0 400")
    assert _raw(strict_endpoint, head + b"Content-Length: 99999999\r\n\r\n").startswith(b"HTTP/1.0 413")
    assert time.monotonic() - started < 5
    started = time.monotonic()          # says 100 bytes, sends 6 and waits: cut after the request time limit
    answer = _raw(strict_endpoint, head + b"Content-Length: 100\r\n\r\nASK {}", wait=15)
    assert time.monotonic() - started < 10
    assert answer == b"" or answer.startswith((b"HTTP/1.0 408", b"HTTP/1.0 400"))


def test_serve_takes_fifty_clients_at_once_without_a_stall(endpoint):
    from concurrent.futures import ThreadPoolExecutor
    query = urllib.parse.quote("ASK { ?s a kgo:Company }")

    def ask(_):
        started = time.monotonic()
        status = http(f"{endpoint}/sparql?query={query}")[0]
        return status, time.monotonic() - started
    with ThreadPoolExecutor(max_workers=50) as pool:
        answers = list(pool.map(ask, range(50)))
    assert all(status == 200 for status, _ in answers)
    assert max(took for _, took in answers) < 5


def test_push_stops_at_its_time_limit_against_a_server_that_trickles(example_build):
    import threading
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    stop = threading.Event()

    def trickle():
        listener.settimeout(10)
        try:
            connection, _ = listener.accept()
        except OSError:
            return
        with connection:
            connection.settimeout(0.2)
            try:
                connection.recv(1 << 20)
                connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n")
                while not stop.is_set():
                    connection.sendall(b"x")
                    time.sleep(0.2)
            except OSError:
                pass
    thread = threading.Thread(target=trickle, daemon=True)
    thread.start()
    started = time.monotonic()
    try:
        with pytest.raises(Exception, match="time limit"):
            push(example_build[1] / "graph.ttl", f"http://127.0.0.1:{listener.getsockname()[1]}/store", timeout=2)
        assert time.monotonic() - started < 8
    finally:
        stop.set()
        listener.close()


def test_serve_gives_a_query_page_and_runs_named_queries_with_their_parameters(endpoint):
    status, media, body = http(f"{endpoint}/queries")
    assert status == 200 and media.startswith("text/html") and b"partners-of" in b"".join(body.split())
    status, media, body = http(f"{endpoint}/sparql", headers={"Accept": "text/html"})
    assert status == 200 and b"kg-queries" in body                   # a browser at the endpoint gets the page
    status, media, body = http(f"{endpoint}/sparql?named=partners-of&param.name=Mirantis",
                               headers={"Accept": "application/sparql-results+json"})
    answer = json.loads(body)
    assert status == 200 and answer["results"]["bindings"]
    assert all("partner" in row for row in answer["results"]["bindings"])
    assert http(f"{endpoint}/sparql?named=partners-of")[0] == 400                      # its parameter is missing
    assert http(f"{endpoint}/sparql?named=partners-of&param.name=x&param.bogus=1")[0] == 400
    for name in ("/etc/passwd", "../ontology/queries/partners-of.rq", "partners-of.rq"):
        assert http(f"{endpoint}/sparql?named={name}&param.name=x")[0] == 404          # never a file
