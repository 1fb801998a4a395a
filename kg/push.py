"""Pushing: graph.ttl -> any SPARQL 1.1 store, through the Graph Store HTTP Protocol.

Each post becomes one named graph (the post's IRI), sent with PUT, so pushing a rebuilt
post replaces that post's graph and no other post's; the archive's own graph (each entity's
degree and place by it) is sent with every push. Oxigraph (`/store`), Fuseki
(`/DATASET/data`), GraphDB, Virtuoso and Neptune all accept it.
"""
import base64
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from kg.errors import KgError
from kg.turtle import to_turtle


@dataclass(frozen=True)
class PushResult:
    graphs: int
    triples: int


def _put(endpoint: str, graph: str, body: bytes, auth: str | None, timeout: float) -> None:
    separator = "&" if "?" in endpoint else "?"
    url = f"{endpoint}{separator}graph={urllib.parse.quote(graph, safe='')}"
    request = urllib.request.Request(url, data=body, method="PUT",
                                     headers={"Content-Type": "text/turtle; charset=utf-8"})
    if auth:
        request.add_header("Authorization", "Basic " + base64.b64encode(auth.encode()).decode())
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as error:
        detail = error.read().decode("utf-8", errors="replace").strip()[:200]
        raise KgError(f"{endpoint}: the store refused graph {graph} (HTTP {error.code}: {detail or error.reason})") from None
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise KgError(f"{endpoint}: cannot reach the store ({reason})") from None


def push(graph_path: Path, endpoint: str, posts=None, auth: str | None = None, timeout: float = 60.0) -> PushResult:
    """PUT every post's named graph (or only those whose source file name is in posts), and
    the archive's own graph (each entity's degree and place, which any post may have changed)."""
    from kg.store import archive_graph_name, post_datasets
    if not endpoint.startswith(("http://", "https://")):
        raise KgError(f"{endpoint}: the endpoint must be an http(s) URL of a Graph Store Protocol service")
    from kg.iris import slug
    wanted = {slug(Path(p).stem) for p in posts or []}
    graphs = triples = 0
    archive = archive_graph_name()
    for name, rdf in post_datasets(Path(graph_path)):
        if wanted and name != archive and name.rsplit("/", 1)[-1] not in wanted:
            continue
        _put(endpoint, name, to_turtle(rdf).encode("utf-8"), auth, timeout)
        graphs += 1
        triples += len(rdf)
    return PushResult(graphs, triples)
