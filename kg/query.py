"""Querying: a store and SPARQL (text, a .rq file or a named query) -> rows or triples.

The engine is pyoxigraph. Named queries are the .rq files of ontology/queries: the first
comment line says what a query answers, `# param NAME: ...` lines the parameters it
takes. A parameter is bound as an escaped string literal in a VALUES block at the top of
the query's outer group, so a value can never change the query's shape.
"""
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.errors import KgError
from kg.namespace import PREFIXES
from kg.resources import ontology_dir

FORMATS = ("table", "csv", "tsv", "json", "xml")


class QueryError(KgError):
    """A query that does not parse, names no known query, or lacks a parameter."""


@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    params: dict[str, str]          # name -> what it is
    text: str
    path: Path

    @property
    def required(self) -> list[str]:
        return [p for p, what in self.params.items() if "optional" not in what]


def named_queries(directory: Path | None = None) -> dict[str, NamedQuery]:
    directory = Path(directory) if directory else ontology_dir() / "queries"
    found = {}
    for path in sorted(directory.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        comments = [line[1:].strip() for line in text.splitlines() if line.startswith("#")]
        params = {}
        for line in comments:
            match = re.match(r"param\s+(\w+)\s*:\s*(.*)", line)
            if match:
                params[match.group(1)] = match.group(2)
        opening = []                # the description: the comment lines that open the file
        for line in text.splitlines():
            if not line.startswith("#") or line[1:].strip().startswith("param "):
                break
            opening.append(line[1:].strip())
        description = " ".join(opening)
        found[path.stem] = NamedQuery(path.stem, description, params, text, path)
    return found


def resolve_query(query: str, params: dict[str, str] | None = None) -> tuple[str, dict[str, str]]:
    """The SPARQL text for a named query, a .rq file or SPARQL itself, and its parameters."""
    params = dict(params or {})
    known = named_queries()
    if query in known:
        named = known[query]
        missing = [p for p in named.required if p not in params]
        if missing:
            raise QueryError(f"query {query!r} needs --param {missing[0]}=... ({named.params[missing[0]]})")
        unknown = [p for p in params if p not in named.params]
        if unknown:
            raise QueryError(f"query {query!r} takes no parameter {unknown[0]!r} "
                             f"(it takes: {', '.join(named.params) or 'none'})")
        return named.text, params
    if query.endswith(".rq") or (len(query) < 250 and "\n" not in query and Path(query).is_file()):
        path = Path(query)
        if not path.is_file():
            raise QueryError(f"{query}: no such query file")
        return path.read_text(encoding="utf-8"), params
    if not re.search(r"\b(select|construct|describe|ask|insert|delete|load|clear|drop|create)\b", query, re.I):
        raise QueryError(f"{query!r} is neither SPARQL, a .rq file, nor a named query "
                         f"(kg query --list shows {len(known)})")
    return query, params


def _syntax_error(error: SyntaxError) -> QueryError:
    message = str(error)
    match = re.search(r"error at (\d+):(\d+)", message)
    if match:
        rest = message[match.end():].lstrip(": ")
        return QueryError(f"syntax error at line {match.group(1)}, column {match.group(2)}: {rest}")
    return QueryError(f"syntax error: {message}")


def run(store: ox.Store, query: str, params: dict[str, str] | None = None):
    """Executes a query (SPARQL, a .rq file or a named query); SELECT gives QuerySolutions,
    ASK a bool, CONSTRUCT/DESCRIBE triples."""
    return run_sparql(store, *resolve_query(query, params))


@dataclass(frozen=True)
class QueryShape:
    service: bool       # whether it asks another endpoint (SERVICE)
    depth: int          # brackets nested at most


# what holds brackets and words that are not the query's own: IRIs, strings, comments
_LEXICAL = re.compile(r'<[^<>"{}|^`\\\s]*>|"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\''
                      r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|#[^\n]*')
_BRACKET = re.compile(r"[()\[\]{}]")


def query_shape(text: str) -> QueryShape:
    """What a SPARQL text asks for, read before any engine parses it: the engine's parser
    recurses per bracket, and SERVICE makes it fetch from the network."""
    bare = _LEXICAL.sub(" ", text)
    depth = deepest = 0
    for match in _BRACKET.finditer(bare):
        depth += 1 if match.group(0) in "([{" else -1
        deepest = max(deepest, depth)
    return QueryShape(bool(re.search(r"(?<![\w:?$])SERVICE\b", bare, re.I)), deepest)


def run_sparql(store: ox.Store, text: str, params: dict[str, str] | None = None):
    """Executes SPARQL text itself (never read as a file or a query's name)."""
    params = params or {}
    if re.search(r"^\s*(insert|delete|load|clear|drop|create|add|move|copy)\b", _strip_prologue(text), re.I | re.M):
        raise QueryError("updates are not allowed: kg queries are read-only")
    try:
        return store.query(bind(text, params), prefixes=PREFIXES)
    except SyntaxError as error:
        raise _syntax_error(error) from None


def sparql_string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def bind(text: str, params: dict[str, str]) -> str:
    """The query with its parameters bound in a VALUES block opening every WHERE group: the
    outer one and each subquery's, which SPARQL evaluates on its own and which would not see
    a binding made outside it. A `name` also binds `?key`, its normalized form, which kgo:key
    looks up by index."""
    if not params:
        return text
    if "name" in params and "key" not in params:
        from kg.lexicon import normalize
        params = {**params, "key": normalize(params["name"])}
    names = [n for n in params if re.fullmatch(r"\w+", n)]
    values = " ".join(sparql_string(str(params[n])) for n in names)
    block = "VALUES (" + " ".join(f"?{n}" for n in names) + ") { (" + values + ") }"
    groups = [match.end() for match in _TOKENS.finditer(text) if match.lastgroup == "where"]
    if not groups:
        raise QueryError("parameters need a query with a WHERE { ... } clause")
    for end in reversed(groups):
        text = text[:end] + "\n  " + block + "\n" + text[end:]
    return text


# What bind() steps over to find the WHERE groups: IRIs (which hold '#'), strings, comments.
_TOKENS = re.compile(r'(?P<iri><[^<>"{}|^`\\\s]*>)'
                     r'|(?P<long>"""[\s\S]*?"""' r"|'''[\s\S]*?''')"
                     r'|(?P<string>"(?:[^"\\\n]|\\.)*"' r"|'(?:[^'\\\n]|\\.)*')"
                     r'|(?P<comment>#[^\n]*)'
                     r'|(?P<where>\bWHERE\s*\{)', re.I)


def _strip_prologue(text: str) -> str:
    body = re.sub(r"#[^\n]*", "", text)
    return re.sub(r"\b(?:PREFIX\s+\S*:\s*<[^>]*>|BASE\s*<[^>]*>)", "", body, flags=re.I)


def short(term) -> str:
    """A term as a person reads it: prefixed IRIs, plain literal values."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for prefix, namespace in PREFIXES.items():
            if term.value.startswith(namespace):
                return f"{prefix}:{term.value[len(namespace):]}"
        return term.value
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cell(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if _width(text) <= limit:
        return text
    out, used = [], 0
    for ch in text:
        used += _width(ch)
        if used > limit - 1:
            break
        out.append(ch)
    return "".join(out) + "…"


def table(variables: list[str], rows: list[list[str]], limit: int = 60) -> str:
    """Rows as aligned text columns, Chinese counted double width."""
    cells = [[_cell(value, limit) for value in row] for row in rows]
    widths = [max([_width(v)] + [_width(r[i]) for r in cells]) for i, v in enumerate(variables)]
    pad = lambda text, width: text + " " * (width - _width(text))
    lines = ["  ".join(pad(v, w) for v, w in zip(variables, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(pad(v, w) for v, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)


def format_result(result, fmt: str = "table") -> str:
    """SELECT results as a table or a W3C results format; ASK as true/false; graphs as Turtle."""
    if isinstance(result, ox.QueryBoolean):
        if fmt == "table":
            return "true" if bool(result) else "false"
    if isinstance(result, ox.QueryTriples):
        return bytes(ox.serialize(list(result), format=ox.RdfFormat.TURTLE, prefixes=PREFIXES) or b"").decode("utf-8")
    if fmt == "table":
        variables = [v.value for v in result.variables]
        rows = [[short(solution[v]) for v in variables] for solution in result]
        return table(variables, rows)
    formats = {"csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV,
               "json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML}
    if fmt not in formats:
        raise QueryError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    data = result.serialize(format=formats[fmt])
    assert data is not None                     # (no output given: the bytes)
    if fmt == "xml":
        from kg.files import xml_safe
        data = xml_safe(data)
    return data.decode("utf-8")


def query(graph_path: Path, query_text: str, params: dict[str, str] | None = None, fmt: str = "table") -> str:
    """`kg query`: run one query over a built graph and format its result."""
    from kg.store import open_store
    return format_result(run(open_store(graph_path), query_text, params), fmt)


def rows(store: ox.Store, query_text: str, params: dict[str, str] | None = None) -> list[dict[str, str]]:
    """SELECT results as plain dictionaries (for code and tests)."""
    result = run(store, query_text, params)
    variables = [v.value for v in result.variables]
    return [{v: short(solution[v]) for v in variables} for solution in result]

