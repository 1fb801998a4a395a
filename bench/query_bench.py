"""Named queries on a graph scaled to about a million triples: pyoxigraph and rdflib side by side.

    python bench/query_bench.py [--seed GRAPH.ttl] [--triples 1000000] [--rdflib-timeout 120]

The synthetic graph is made from a real one's shape: the seed graph (by default the shared
corpus, built first) is copied until it holds the asked number of triples, each copy's
resources and names renamed, except the 50 most connected entities, which every copy
shares, as a growing archive keeps naming the same big companies and projects. Each engine
runs in its own process, so the peak memory printed is that engine's alone.
Prints, per named query: median time over 5 runs for each engine, their ratio, and each
engine's load time and peak memory.
"""
import argparse
import json
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RESOURCE = "https://w3id.org/kgnews/resource/"
PARAMS = {"name": "Red Hat", "year": "2014", "min": "10000000", "type": "Company", "from": "2014-05-01",
          "post": "2014-05-28-openstack-activity-0508-0528.md"}
EVENT_NAME = "OpenStack Summit Atlanta 2014"


def seed_graph(path: Path | None) -> Path:
    if path:
        return path
    from kg.pipeline import build
    shared = ROOT.parent / "shared" / "corpus" / "posts"
    out = Path(tempfile.mkdtemp(prefix="kg-bench-seed-"))
    build([shared] if shared.is_dir() else [], out, validate=False, html=False)
    return out / "graph.ttl"


def scale(seed: Path, triples: int, out: Path) -> int:
    """Write an N-Triples file of about `triples` triples made of renamed copies of seed,
    each copy's dates a week later than the one before (an archive that goes on)."""
    import pyoxigraph as ox
    xsd_date = ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")
    quads = list(ox.parse(path=str(seed), format=ox.RdfFormat.TURTLE))
    from kg.namespace import KGO, RELATIONS
    relations = {str(KGO[r]) for r in RELATIONS}
    degree = Counter()
    for q in quads:
        if q.predicate.value in relations:
            degree[q.subject.value] += 1
            degree[q.object.value] += 1
    hubs = {iri for iri, _ in degree.most_common(50)}
    labels = {"http://www.w3.org/2000/01/rdf-schema#label", "http://www.w3.org/2004/02/skos/core#altLabel"}
    copies = max(1, round(triples / len(quads)))
    written = 0
    degree_iri, rank_iri = str(KGO["degree"]), str(KGO["degreeRank"])
    entities, neighbours = set(), {}         # the scaled graph's degrees, as a build would write them
    with out.open("w", encoding="utf-8") as handle:
        for copy in range(copies):
            def rename(term, subject=None, copy=copy):
                if isinstance(term, ox.NamedNode) and term.value.startswith(RESOURCE) and term.value not in hubs and copy:
                    return ox.NamedNode(f"{term.value}~{copy}")
                return term
            for q in quads:
                s, o = rename(q.subject), rename(q.object)
                if q.predicate.value in (degree_iri, rank_iri):
                    entities.add(s)
                    continue
                if q.predicate.value in relations:
                    neighbours.setdefault(s, set()).add(o)
                    neighbours.setdefault(o, set()).add(s)
                if copy and isinstance(o, ox.Literal) and o.datatype == xsd_date:
                    o = ox.Literal(str(date.fromisoformat(o.value) + timedelta(days=7 * copy)), datatype=xsd_date)
                if copy and isinstance(o, ox.Literal) and q.predicate.value in labels and q.subject.value not in hubs:
                    o = ox.Literal(f"{o.value} {copy}", language=o.language) if o.language else ox.Literal(f"{o.value} {copy}")
                handle.write(f"{s} {q.predicate} {o} .\n")
                written += 1
        integer = "<http://www.w3.org/2001/XMLSchema#integer>"
        degrees = {entity: len(neighbours.get(entity, ())) for entity in entities}
        ranked = sorted((e for e in entities if degrees[e]), key=lambda e: (-degrees[e], e.value))
        places = {entity: place for place, entity in enumerate(ranked, 1)}
        for entity in sorted(entities, key=str):
            handle.write(f'{entity} <{degree_iri}> "{degrees[entity]}"^^{integer} .\n')
            written += 1
            if entity in places:
                handle.write(f'{entity} <{rank_iri}> "{places[entity]}"^^{integer} .\n')
                written += 1
    return written


class TooSlow(Exception):
    pass


def _too_slow(signum, frame):
    raise TooSlow


def run_engine(engine: str, graph: Path, queries: list[str], repeats: int, timeout: float) -> dict:
    """Child process: load the graph with one engine, time every query."""
    from kg.query import PREFIXES, bind, named_queries
    named = named_queries()
    start = time.perf_counter()
    if engine == "pyoxigraph":
        import pyoxigraph as ox
        store = ox.Store()
        store.bulk_load(path=str(graph), format=ox.RdfFormat.N_TRIPLES)

        def execute(text):
            result = store.query(text, prefixes=PREFIXES)
            return len(list(result)) if not isinstance(result, ox.QueryBoolean) else 1
    else:
        from rdflib import Graph
        store = Graph()
        store.parse(str(graph), format="nt")
        prologue = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())

        def execute(text):
            return len(list(store.query(prologue + text)))
    load = time.perf_counter() - start
    times = {}
    for name in queries:
        query = named[name]
        params = {p: PARAMS[p] for p in query.params if p in PARAMS}
        if name == "event-participants":
            params["name"] = EVENT_NAME
        if name == "most-connected":
            params.pop("from", None)            # its 'from' is a place, not a date: the first page
        if name != "funding-rounds":
            params.pop("min", None)             # elsewhere 'min' is a least confidence, not an amount
        text = bind(query.text, params)
        samples, rows = [], 0
        signal.signal(signal.SIGALRM, _too_slow)
        try:
            for _ in range(repeats):
                began = time.perf_counter()
                signal.alarm(max(1, int(timeout)))       # a pure-Python engine is stopped mid-query
                try:
                    rows = execute(text)
                finally:
                    signal.alarm(0)
                samples.append(time.perf_counter() - began)
                if sum(samples) > timeout:
                    break
        except TooSlow:
            times[name] = {"error": f"over {timeout:.0f} s", "rows": 0, "over_s": timeout}
            continue
        except Exception as error:        # an engine that cannot run a query: say so, go on
            times[name] = {"error": f"{type(error).__name__}: {error}"[:80], "rows": 0}
            continue
        times[name] = {"median_ms": statistics.median(samples) * 1000, "runs": len(samples), "rows": rows}
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"engine": engine, "load_s": load, "peak_mb": peak, "queries": times}


def child(engine: str, graph: Path, queries: list[str], repeats: int, timeout: float) -> dict:
    command = [sys.executable, __file__, "--child", engine, "--graph", str(graph), "--repeats", str(repeats),
               "--rdflib-timeout", str(timeout), "--queries", ",".join(queries)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout * (len(queries) + 2) + 600)
    except subprocess.TimeoutExpired:
        return {"engine": engine, "error": "timed out"}
    if done.returncode:
        return {"engine": engine, "error": done.stderr.strip().splitlines()[-1] if done.stderr else "failed"}
    return json.loads(done.stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=Path, default=None, help="graph.ttl to scale (default: build the shared corpus)")
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--rdflib-timeout", type=float, default=120.0, help="seconds per query before rdflib stops repeating")
    parser.add_argument("--skip-rdflib", action="store_true")
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--graph", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--queries", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_engine(args.child, args.graph, args.queries.split(","), args.repeats, args.rdflib_timeout)))
        return
    from kg.query import named_queries
    queries = sorted(named_queries())
    work = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    graph = work / "scaled.nt"
    made = scale(seed_graph(args.seed), args.triples, graph)
    print(f"graph: {made:,} triples ({graph.stat().st_size / 1e6:.0f} MB N-Triples)")
    results = [child("pyoxigraph", graph, queries, args.repeats, args.rdflib_timeout)]
    if not args.skip_rdflib:
        results.append(child("rdflib", graph, queries, args.repeats, args.rdflib_timeout))
    for result in results:
        if "error" in result:
            print(f"{result['engine']}: {result['error']}")
        else:
            print(f"{result['engine']}: load {result['load_s']:.1f} s, peak memory {result['peak_mb']:.0f} MB")
    ox_times = results[0].get("queries", {})
    rl_times = results[1].get("queries", {}) if len(results) > 1 else {}
    print(f"{'query':<20} {'rows':>6} {'pyoxigraph ms':>14} {'rdflib ms':>12} {'ratio':>8}")
    for name in queries:
        ox_ms = ox_times.get(name, {}).get("median_ms")
        rl_ms = rl_times.get(name, {}).get("median_ms")
        ratio = f"{rl_ms / ox_ms:,.0f}x" if ox_ms and rl_ms else "-"
        failure = rl_times.get(name, {}).get("error")
        rl_text = f"{rl_ms:.1f}" if rl_ms else (f">{rl_times[name]['over_s'] * 1000:.0f}" if "over_s" in rl_times.get(name, {})
                                                 else ("error" if failure else "-"))
        if not rl_ms and "over_s" in rl_times.get(name, {}) and ox_ms:
            ratio = f">{rl_times[name]['over_s'] * 1000 / ox_ms:,.0f}x"
        print(f"{name:<20} {ox_times.get(name, {}).get('rows', 0):>6} {ox_ms or 0:>14.1f} {rl_text:>12} {ratio:>8}")
    slowest = max((t["median_ms"] for t in ox_times.values()), default=0)
    print(f"slowest named query on pyoxigraph: {slowest:.1f} ms (target: under 50 ms)")


if __name__ == "__main__":
    main()
