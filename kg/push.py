"""Pushing: graph.ttl -> any SPARQL 1.1 store, through the Graph Store HTTP Protocol.

Each post becomes one named graph (the post's IRI), sent with PUT, so pushing a rebuilt
post replaces that post's graph and no other post's; the archive's own graph (each entity's
degree and place by it) is sent with every push. Oxigraph (`/store`), Fuseki
(`/DATASET/data`), GraphDB, Virtuoso and Neptune all accept it.
"""
import base64
import http.client
import re
import socket
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.errors import KgError
from kg.namespace import PREFIXES


@dataclass(frozen=True)
class PushResult:
    graphs: int
    triples: int


def _put(endpoint: str, graph: str, body: bytes, auth: str | None, deadline: float) -> None:
    """PUT one graph; the connection is cut at the deadline, however the server trickles."""
    url = urllib.parse.urlsplit(endpoint)
    separator = "&" if url.query else ""
    target = f"{url.path or '/'}?{url.query}{separator}graph={urllib.parse.quote(graph, safe='')}"
    headers = {"Content-Type": "text/turtle; charset=utf-8", "Content-Length": str(len(body))}
    if auth:
        headers["Authorization"] = "Basic " + base64.b64encode(auth.encode()).decode()
    left = deadline - time.monotonic()
    if left <= 0:
        raise KgError(f"{endpoint}: the push took longer than its time limit (kg push --timeout)")
    kind = http.client.HTTPSConnection if url.scheme == "https" else http.client.HTTPConnection
    connection = kind(url.hostname or "", url.port, timeout=left)
    watchdog = threading.Timer(left, _cut, (connection,))
    watchdog.start()
    try:
        connection.request("PUT", target, body=body, headers=headers)
        response = connection.getresponse()
        detail = response.read(64 << 10)
        if response.status >= 300:
            text = detail.decode("utf-8", errors="replace").strip()[:200]
            raise KgError(f"{endpoint}: the store refused graph {graph} (HTTP {response.status}: {text or response.reason})")
    except (OSError, http.client.HTTPException) as error:
        if time.monotonic() >= deadline - 0.01:
            raise KgError(f"{endpoint}: the push took longer than its time limit (kg push --timeout)") from None
        raise KgError(f"{endpoint}: cannot reach the store ({getattr(error, 'strerror', None) or error})") from None
    finally:
        watchdog.cancel()
        connection.close()


def _cut(connection) -> None:
    """Wake a connection blocked on a server that sends nothing, or a byte at a time."""
    try:
        if connection.sock is not None:
            connection.sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


def push(graph_path: Path, endpoint: str, posts=None, auth: str | None = None, timeout: float = 300.0) -> PushResult:
    """PUT every post's named graph (or only those whose source file name is in posts), and
    the archive's own graph (each entity's degree and place, which any post may have changed),
    all within timeout seconds."""
    from kg.store import archive_graph_name, post_datasets
    if not endpoint.startswith(("http://", "https://")):
        raise KgError(f"{endpoint}: the endpoint must be an http(s) URL of a Graph Store Protocol service")
    from kg.iris import slug
    wanted = {slug(Path(p).stem) for p in posts or []}
    graphs = triples = 0
    deadline = time.monotonic() + timeout
    archive = archive_graph_name()
    for name, rdf in post_datasets(Path(graph_path)):
        # a post in a subfolder is post/2014%2Fname: its file name is what follows the last %2F
        if wanted and name != archive and re.split("/|%2F", name)[-1] not in wanted:
            continue
        _put(endpoint, name, bytes(ox.serialize(rdf, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES) or b""),
             auth, deadline)
        graphs += 1
        triples += len(rdf)
    return PushResult(graphs, triples)
