"""Serving: graph.ttl -> a local, read-only SPARQL 1.1 Protocol endpoint plus the explorer page.

One port on 127.0.0.1 by default: `/sparql` (also `/query`) answers queries by GET or POST
(form or application/sparql-query) with the W3C results formats by content negotiation,
and Turtle for CONSTRUCT and DESCRIBE; `/` serves graph.html. Updates are refused: the
endpoint has no update operation, and an update sent as a query gets 403.

What a client cannot do (ServeLimits): make the server fetch anything (SERVICE is refused,
a query is never read as a file path), read it from another web site (no CORS header
unless --cors names an origin), run a query past the time limit, get an answer past the
size limit, nest a query deeper than the parser's stack allows, or hold a connection with
a slow or lying request. Each query runs in a process forked for it (the store shared, not
copied), with a memory limit: a query that runs too long or too big is killed there, and
the server goes on.
"""
import os
import re
import resource
import select
import signal
import threading
import time
import warnings
from dataclasses import dataclass
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pyoxigraph as ox

from kg.files import xml_safe
from kg.namespace import PREFIXES
from kg.query import QueryError, bind, named_queries, query_shape, resolve_query, run_sparql
from kg.render import render_query_page

_RESULTS = [("application/sparql-results+json", ox.QueryResultsFormat.JSON),
            ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
            ("text/csv", ox.QueryResultsFormat.CSV),
            ("text/tab-separated-values", ox.QueryResultsFormat.TSV)]
_GRAPHS = [("text/turtle", ox.RdfFormat.TURTLE), ("application/n-triples", ox.RdfFormat.N_TRIPLES),
           ("application/ld+json", ox.RdfFormat.JSON_LD), ("application/rdf+xml", ox.RdfFormat.RDF_XML)]


@dataclass(frozen=True)
class ServeLimits:
    seconds: float = 30.0               # a query's time, after which it is stopped
    result_bytes: int = 64 << 20        # an answer's size, past which the query is stopped
    memory_bytes: int = 2 << 30         # what a query may allocate beyond the store
    request_bytes: int = 1 << 20        # a request body
    request_seconds: float = 20.0       # to send a request, headers and body
    depth: int = 64                     # brackets nested in a query
    concurrent: int = 8                 # queries running at once; the others wait their turn


def _negotiate(accept: str, choices):
    for media, fmt in choices:
        if media in (accept or ""):
            return media, fmt
    return choices[0]


class _Refused(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


class _CappedWriter:
    """A binary stream to a pipe that stops the answer once it passes the size limit."""

    def __init__(self, descriptor: int, limit: int):
        self.descriptor, self.limit, self.written = descriptor, limit, 0

    def write(self, data) -> int:
        self.written += len(data)
        if self.written > self.limit:
            os._exit(_TOO_BIG)
        view = memoryview(data)
        while view:
            view = view[os.write(self.descriptor, view):]
        return len(data)

    def flush(self):
        pass


_TOO_BIG, _BAD_QUERY, _FAILED = 3, 4, 5


def _answer_in_child(store, text: str, accept: str, limits: ServeLimits, descriptor: int) -> None:
    """In the forked process: run the query and write its answer (a media type line, then
    the body) to descriptor; exit with a code saying how it went. Never returns."""
    code = _FAILED
    try:
        try:
            soft, hard = resource.getrlimit(resource.RLIMIT_AS)
            used = int(Path("/proc/self/statm").read_text().split()[0]) * os.sysconf("SC_PAGE_SIZE")
            wanted = used + limits.memory_bytes
            resource.setrlimit(resource.RLIMIT_AS, (wanted if hard == resource.RLIM_INFINITY else min(wanted, hard),
                                                    hard))
        except (OSError, ValueError):
            pass
        out = _CappedWriter(descriptor, limits.result_bytes)
        try:
            if isinstance(store, Path):         # the store on disk: opened here, never shared over a fork
                store = ox.Store.read_only(str(store))
            result = run_sparql(store, text)
        except QueryError as error:
            out.write(str(error).encode("utf-8"))
            code = _BAD_QUERY
            return
        if isinstance(result, ox.QueryTriples):
            media, fmt = _negotiate(accept, _GRAPHS)
            out.write(media.encode() + b"\n")
            prefixes = PREFIXES if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None
            ox.serialize(result, output=out, format=fmt, prefixes=prefixes)  # type: ignore[arg-type]  # a writer
        else:
            media, fmt = _negotiate(accept, _RESULTS)
            out.write(media.encode() + b"\n")
            if fmt == ox.QueryResultsFormat.XML:
                out.write(xml_safe(result.serialize(format=fmt)))
            else:
                result.serialize(output=out, format=fmt)
        code = 0
    finally:
        os._exit(code)


def run_limited(store, text: str, accept: str, limits: ServeLimits) -> tuple[str, bytes]:
    """(media type, body) of a query's answer, run in a forked process within the limits;
    raises _Refused when the query is bad, too slow, too big or fails."""
    read_end, write_end = os.pipe()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)     # fork with threads: the child runs one call
        pid = os.fork()
    if pid == 0:
        os.close(read_end)
        _answer_in_child(store, text, accept, limits, write_end)
    os.close(write_end)
    chunks, size, deadline, late = [], 0, time.monotonic() + limits.seconds, False
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([read_end], [], [], left)[0]:
                late = True
                break
            chunk = os.read(read_end, 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(read_end)
        if late:
            os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    if late:
        raise _Refused(503, f"query stopped after {limits.seconds:g} s (kg serve --timeout)")
    code = os.waitstatus_to_exitcode(status)
    body = b"".join(chunks)
    if code == _BAD_QUERY:
        raise _Refused(403 if b"read-only" in body else 400, body.decode("utf-8", "replace"))
    if code == _TOO_BIG:
        raise _Refused(503, f"query stopped: its answer is over {limits.result_bytes:,} bytes (kg serve --max-result)")
    if code != 0 or b"\n" not in body:
        raise _Refused(503, "query stopped: it needed more memory than the limit, or failed")
    media, _, payload = body.partition(b"\n")
    return media.decode("ascii"), payload


class _Handler(BaseHTTPRequestHandler):
    server_version = "kg-serve"
    store: ox.Store | Path                  # the store in memory, or the folder of the one on disk
    page: Path | None
    limits: ServeLimits
    cors: str | None
    running: threading.BoundedSemaphore

    def setup(self):
        self.timeout = self.limits.request_seconds       # each read of the request
        super().setup()

    def log_message(self, format, *args):     # noqa: A002  (http.server's signature)
        if getattr(self.server, "verbose", False):
            super().log_message(format, *args)

    def _send(self, status: int, body: bytes, media: str):
        self.send_response(status)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(body)))
        if self.cors:
            self.send_header("Access-Control-Allow-Origin", self.cors)
            self.send_header("Vary", "Origin")
        self.end_headers()
        self.wfile.write(body)

    def _error(self, status: int, message: str):
        self._send(status, (message + "\n").encode("utf-8"), "text/plain; charset=utf-8")

    def do_OPTIONS(self):                      # noqa: N802  (a browser's preflight, for --cors)
        self.send_response(204 if self.cors else 403)
        if self.cors:
            self.send_header("Access-Control-Allow-Origin", self.cors)
            self.send_header("Access-Control-Allow-Methods", "GET, POST")
            self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):                          # noqa: N802  (http.server's naming)
        url = urlparse(self.path)
        if url.path in ("/", "/graph.html", "/index.html"):
            if self.page is None or not self.page.is_file():
                return self._error(404, "no explorer page: build the graph first (kg build)")
            return self._send(200, self.page.read_bytes(), "text/html; charset=utf-8")
        if url.path in ("/queries", "/queries.html"):
            return self._send(200, _query_page(), "text/html; charset=utf-8")
        if url.path in ("/sparql", "/query"):
            asked = parse_qs(url.query)
            if "named" in asked:
                return self._answer_named(asked)
            if "query" not in asked and "text/html" in self.headers.get("Accept", ""):
                return self._send(200, _query_page(), "text/html; charset=utf-8")     # a browser: the query page
            return self._answer(asked.get("query", [None])[0])
        if url.path in ("/update", "/store"):
            return self._error(403, "this endpoint is read-only")
        return self._error(404, "not found: try /sparql?query=... or /")

    def _body(self) -> str:
        """The request body, within the size and time limits."""
        declared = self.headers.get("Content-Length")
        if declared is None or not declared.strip().isdecimal():
            raise _Refused(411 if declared is None else 400, "a POST needs a Content-Length of 0 or more bytes")
        length = int(declared)
        if length > self.limits.request_bytes:
            raise _Refused(413, f"request body over {self.limits.request_bytes:,} bytes")
        chunks, deadline = [], time.monotonic() + self.limits.request_seconds
        while length > 0:
            if time.monotonic() > deadline:
                raise _Refused(408, "request body not sent in time")
            chunk = self.rfile.read1(min(length, 1 << 16))
            if not chunk:
                raise _Refused(400, "request body shorter than its Content-Length")
            chunks.append(chunk)
            length -= len(chunk)
        return b"".join(chunks).decode("utf-8", errors="replace")

    def do_POST(self):                         # noqa: N802
        url = urlparse(self.path)
        if url.path not in ("/sparql", "/query"):
            return self._error(403 if url.path in ("/update", "/store") else 404, "this endpoint is read-only")
        try:
            body = self._body()
        except _Refused as refused:
            self.close_connection = True
            return self._error(refused.status, str(refused))
        except OSError:                        # the socket's own timeout: the client went quiet
            self.close_connection = True
            return None
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

    def do_PUT(self):                          # noqa: N802
        self._error(403, "this endpoint is read-only")

    do_DELETE = do_PATCH = do_PUT              # noqa: N815

    def _answer_named(self, asked: dict):
        """A named query (ontology/queries) with its parameters (param.NAME=VALUE), bound here."""
        params = {key[len("param."):]: values[0] for key, values in asked.items() if key.startswith("param.")}
        name = asked["named"][0]
        if name not in named_queries():         # never a file of this machine, whatever its name
            return self._error(404, f"no named query {name[:80]!r}")
        try:
            text, bound = resolve_query(name, params)
            text = bind(text, bound)
        except QueryError as error:
            return self._error(400, str(error))
        return self._answer(text)

    def _answer(self, query: str | None):
        if not query:
            return self._error(400, "missing query parameter")
        try:
            shape = query_shape(query)
            if shape.service:
                raise _Refused(400, "SERVICE is not allowed: this endpoint queries its own graph only")
            if shape.depth > self.limits.depth:
                raise _Refused(400, f"query nested {shape.depth} levels deep, over the limit of {self.limits.depth}")
            with self.running:
                media, body = run_limited(self.store, query, self.headers.get("Accept", ""), self.limits)
        except _Refused as refused:
            return self._error(refused.status, str(refused))
        return self._send(200, body, media)


@lru_cache(maxsize=1)
def _query_page() -> bytes:
    queries = [{"name": q.name, "description": q.description, "params": q.params, "text": q.text}
               for q in named_queries().values()]
    return render_query_page(queries).encode("utf-8")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128        # the listen backlog: 50 clients at once connect without a wait


class Server:
    """A running endpoint; `url` is its address. Stop it with close()."""

    def __init__(self, graph_path: Path, host: str = "127.0.0.1", port: int = 8000, page: Path | None = None,
                 limits: ServeLimits = ServeLimits(), cors: str | None = None):
        from kg.store import open_store, store_folder
        store = open_store(graph_path)          # graph.oxigraph/ beside graph.ttl, made once a build
        handler = type("Handler", (_Handler,), {
            "store": store_folder(graph_path) or store, "limits": limits, "cors": cors,
            "page": Path(page) if page else Path(graph_path).with_suffix(".html"),
            "running": threading.BoundedSemaphore(limits.concurrent)})
        self.httpd = _Server((host, port), handler)
        self.thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        host = f"[{host!s}]" if re.search(":", str(host)) else str(host)
        return f"http://{host}:{port}"

    def start(self) -> "Server":
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        return self

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def serve(graph_path: Path, host: str = "127.0.0.1", port: int = 8000, page: Path | None = None,
          limits: ServeLimits = ServeLimits(), cors: str | None = None) -> Server:
    """`kg serve`: the endpoint for graph_path, serving until interrupted."""
    return Server(graph_path, host, port, page, limits, cors)
