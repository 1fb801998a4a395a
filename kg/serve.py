"""Serving: graph.ttl -> a local, read-only SPARQL 1.1 Protocol endpoint plus the explorer page.

One port on 127.0.0.1 by default: `/sparql` (also `/query`) answers queries by GET or POST
(form or application/sparql-query) with the W3C results formats by content negotiation,
and Turtle for CONSTRUCT and DESCRIBE; `/` serves graph.html. Updates are refused: the
endpoint has no update operation, and an update sent as a query gets 403.
"""
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pyoxigraph as ox

from kg.query import PREFIXES, QueryError, run

_RESULTS = [("application/sparql-results+json", ox.QueryResultsFormat.JSON),
            ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
            ("text/csv", ox.QueryResultsFormat.CSV),
            ("text/tab-separated-values", ox.QueryResultsFormat.TSV)]
_GRAPHS = [("text/turtle", ox.RdfFormat.TURTLE), ("application/n-triples", ox.RdfFormat.N_TRIPLES),
           ("application/ld+json", ox.RdfFormat.JSON_LD), ("application/rdf+xml", ox.RdfFormat.RDF_XML)]


def _negotiate(accept: str, choices):
    for media, fmt in choices:
        if media in (accept or ""):
            return media, fmt
    return choices[0]


class _Handler(BaseHTTPRequestHandler):
    server_version = "kg-serve"
    store: ox.Store
    page: Path | None

    def log_message(self, format, *args):     # noqa: A002  (http.server's signature)
        if getattr(self.server, "verbose", False):
            super().log_message(format, *args)

    def _send(self, status: int, body: bytes, media: str):
        self.send_response(status)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Access-Control-Allow-Origin", "*")
        self.end_headers()
        self.wfile.write(body)

    def _error(self, status: int, message: str):
        self._send(status, (message + "\n").encode("utf-8"), "text/plain; charset=utf-8")

    def do_GET(self):                          # noqa: N802  (http.server's naming)
        url = urlparse(self.path)
        if url.path in ("/", "/graph.html", "/index.html"):
            if self.page is None or not self.page.is_file():
                return self._error(404, "no explorer page: build the graph first (kg build)")
            return self._send(200, self.page.read_bytes(), "text/html; charset=utf-8")
        if url.path in ("/sparql", "/query"):
            query = parse_qs(url.query).get("query", [None])[0]
            return self._answer(query)
        if url.path in ("/update", "/store"):
            return self._error(403, "this endpoint is read-only")
        return self._error(404, "not found: try /sparql?query=... or /")

    def do_POST(self):                         # noqa: N802
        url = urlparse(self.path)
        if url.path not in ("/sparql", "/query"):
            return self._error(403 if url.path in ("/update", "/store") else 404, "this endpoint is read-only")
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", errors="replace")
        media = (self.headers.get("Content-Type") or "").split(";")[0].strip()
        if media == "application/sparql-query":
            return self._answer(body)
        if media == "application/x-www-form-urlencoded":
            form = parse_qs(body)
            if "update" in form:
                return self._error(403, "this endpoint is read-only")
            return self._answer(form.get("query", [None])[0])
        if media == "application/sparql-update":
            return self._error(403, "this endpoint is read-only")
        return self._error(415, "send application/sparql-query or a form with query=")

    do_PUT = do_DELETE = do_PATCH = lambda self: self._error(403, "this endpoint is read-only")  # noqa: E731

    def _answer(self, query: str | None):
        if not query:
            return self._error(400, "missing query parameter")
        try:
            result = run(self.store, query)
        except QueryError as error:
            status = 403 if "read-only" in str(error) else 400
            return self._error(status, str(error))
        accept = self.headers.get("Accept", "")
        if isinstance(result, ox.QueryTriples):
            media, fmt = _negotiate(accept, _GRAPHS)
            kwargs = {"prefixes": PREFIXES} if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else {}
            return self._send(200, ox.serialize(list(result), format=fmt, **kwargs), media)
        media, fmt = _negotiate(accept, _RESULTS)
        return self._send(200, result.serialize(format=fmt), media)


class Server:
    """A running endpoint; `url` is its address. Stop it with close()."""

    def __init__(self, graph_path: Path, host: str = "127.0.0.1", port: int = 8000, page: Path | None = None):
        from kg.store import load_store
        handler = type("Handler", (_Handler,), {"store": load_store(graph_path),
                                                "page": Path(page) if page else Path(graph_path).with_suffix(".html")})
        self.httpd = ThreadingHTTPServer((host, port), handler)
        self.thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        host = f"[{host}]" if re.search(":", str(host)) else host
        return f"http://{host}:{port}"

    def start(self) -> "Server":
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        return self

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def serve(graph_path: Path, host: str = "127.0.0.1", port: int = 8000, page: Path | None = None) -> Server:
    """`kg serve`: the endpoint for graph_path, serving until interrupted."""
    return Server(graph_path, host, port, page)
