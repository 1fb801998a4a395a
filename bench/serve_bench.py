"""`kg serve` on a built graph: how long it takes to start, and how long each named query takes
over HTTP, end to end (request, the query in its own process, the answer read back).

    python bench/serve_bench.py GRAPH.ttl [--runs 5]

Start with the store beside the graph made (graph.oxigraph/, as `kg query` leaves it) and
without it, each in a fresh process so that nothing is cached in this one. Prints the start
times, then per named query the median of the runs and the number of result rows.
"""
import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PARAMS = {"name": "Kubernetes", "year": "2020", "type": "Company", "from": "2020-01-01"}   # a named query's
# required parameters; new-in's post is the graph's first post

_CHILD = """
import json, statistics, sys, time, urllib.parse, urllib.request
from pathlib import Path
sys.path.insert(0, {root!r})
started = time.perf_counter()
from kg.serve import Server
from kg.query import named_queries
server = Server(Path({graph!r}), port=0).start()
ready = time.perf_counter() - started
first_post = "SELECT ?s WHERE {{ ?p <https://w3id.org/kgnews/ontology#sourcePath> ?s }} ORDER BY ?s LIMIT 1"
with urllib.request.urlopen(server.url + "/sparql?" + urllib.parse.urlencode({{"query": first_post}})) as answer:
    post = json.loads(answer.read())["results"]["bindings"][0]["s"]["value"]
timings = {{}}
for name, query in sorted(named_queries().items()):
    values = {{**{params!r}, "post": post}}
    params = {{"named": name, **{{"param." + p: values.get(p, "") for p in query.required}}}}
    url = server.url + "/sparql?" + urllib.parse.urlencode(params)
    runs, rows = [], None
    for _ in range({runs}):
        t = time.perf_counter()
        request = urllib.request.Request(url, headers={{"Accept": "application/sparql-results+json"}})
        try:
            with urllib.request.urlopen(request, timeout=60) as answer:
                body = answer.read()
            rows = len(json.loads(body)["results"]["bindings"])
        except Exception as error:          # a named query that needs a parameter the bench has no value for
            rows = "error: " + str(error)[:60]
        runs.append(time.perf_counter() - t)
    timings[name] = (statistics.median(runs), rows)
server.close()
print(json.dumps({{"ready": ready, "timings": timings}}))
"""


def run(graph: Path, runs: int) -> dict:
    code = _CHILD.format(root=str(ROOT), graph=str(graph), params=PARAMS, runs=runs)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("graph", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    folder = args.graph.with_suffix(".oxigraph")
    shutil.rmtree(folder, ignore_errors=True)
    first = run(args.graph, 1)                 # makes graph.oxigraph/ beside the graph
    again = run(args.graph, args.runs)         # opens it
    size = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) if folder.is_dir() else 0
    print(f"graph {args.graph} ({args.graph.stat().st_size / 1e6:.0f} MB of Turtle; store {size / 1e6:.0f} MB)")
    print(f"start, making the store: {first['ready']:.2f} s; start, the store made: {again['ready']:.2f} s")
    print(f"{'named query':22} {'rows':>6} {'median':>10}")
    for name, (seconds, rows) in again["timings"].items():
        print(f"{name:22} {rows!s:>6} {seconds * 1000:8.1f} ms")


if __name__ == "__main__":
    started = time.perf_counter()
    main()
    print(f"({time.perf_counter() - started:.0f} s in all)")
