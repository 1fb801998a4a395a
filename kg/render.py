"""Stage 7, rendering: the build's MultiDiGraph -> one self-contained HTML page.

The page is kg's own template (kg/templates/explorer.html) drawing with vis-network,
whose JavaScript and CSS are inlined from the pyvis package, so it opens from the file
system with no network. Every text
from the posts travels as JSON in a <script type="application/json"> block with <, >
and & escaped, and the page only ever writes it with textContent: a name such as
<img src=x onerror=alert(1)> shows as text and runs nothing.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from kg.datafiles import tsv_rows
from kg.errors import KgError
from kg.pagetext import display_label, script_json
from kg.namespace import SYMMETRIC_RELATIONS
from kg.page_data import date_range
from kg.resources import ontology_dir

if TYPE_CHECKING:
    import networkx as nx

_TEMPLATE = Path(__file__).parent / "templates" / "explorer.html"
_QUERY_TEMPLATE = Path(__file__).parent / "templates" / "query.html"


@lru_cache(maxsize=2)
def load_style(path: Path | None = None) -> dict:
    path = Path(path) if path else ontology_dir() / "style.tsv"
    style: dict[str, dict] = {"type": {}, "relation": {}}
    for _, cells in tsv_rows(path):
        kind, name, color, shape, label_en, label_zh = (cells + [""] * 6)[:6]
        style[kind][name] = {"color": color, "shape": shape or None, "en": label_en, "zh": label_zh}
    return style


@lru_cache(maxsize=1)
def _vis_assets() -> tuple[str, str]:
    """vis-network's JavaScript and CSS, as the pyvis package ships them (found, not imported:
    importing pyvis loads IPython and networkx)."""
    from importlib.util import find_spec
    spec = find_spec("pyvis")
    if spec is None or spec.origin is None:
        raise KgError("the pyvis package is not installed: kg's page needs the vis-network files it ships")
    lib = Path(spec.origin).parent / "templates" / "lib" / "vis-9.1.2"
    return (lib / "vis-network.min.js").read_text(encoding="utf-8"), (lib / "vis-network.css").read_text(encoding="utf-8")


INITIAL_NODES = 300


def select(graph: nx.MultiDiGraph, types=None, focus: str | None = None, depth: int = 1) -> nx.MultiDiGraph:
    """The part of a build to draw: only entities of some types, and/or the neighbourhood of
    depth N around the entity named focus (any label or alias, either language)."""
    import networkx as nx

    from kg.graph import ENTITY, entity_subgraph
    from kg.lexicon import normalize
    keep = {n for n, d in graph.nodes(data=True) if d["kind"] == ENTITY and (not types or d["type"] in types)}
    if focus:
        wanted = normalize(focus)
        centres = [n for n in keep if wanted in {normalize(graph.nodes[n]["name"]),
                                                  *map(normalize, graph.nodes[n]["aliases"])}]
        if not centres:
            raise KgError(f"no entity named {focus!r} in the graph")
        undirected = nx.Graph(entity_subgraph(graph).subgraph(keep))
        near = set()
        for centre in centres:
            near |= set(nx.single_source_shortest_path_length(undirected, centre, cutoff=depth))
        keep &= near
    drop = [n for n, d in graph.nodes(data=True) if d["kind"] == ENTITY and n not in keep]
    sub = graph.copy()
    sub.remove_nodes_from(drop)
    return sub


def _page_nodes(entities) -> list[dict]:
    """The page's nodes: each entity with its degree, community and centrality."""
    import networkx as nx

    from kg.communities import centrality, communities
    related = nx.Graph(entities)
    degree = dict(related.degree())
    pairs = {(min(a, b), max(a, b)) for a, b in related.edges() if a != b}
    community, central = communities(pairs), centrality(pairs)
    return [{"id": node, "name": data["name"], "type": data["type"], "aliases": data["aliases"],
             "label": display_label(data["name"], data["aliases"]), "degree": degree.get(node, 0),
             "community": community.get(node, 0), "centrality": central.get(node, 0)}
            for node, data in ((node, entities.nodes[node]) for node in sorted(entities))]


def page_data(graph: nx.MultiDiGraph, initial_limit: int = INITIAL_NODES) -> dict:
    """Everything the page shows, as plain JSON-ready data (sorted: the page is deterministic),
    in the shape kg/assemble.py gives a build's page: nodes and edges, and per post the
    entities it mentions and the statements it makes (the page joins them up).
    `initial` names the nodes drawn when the page opens: all of them, or the most connected
    initial_limit; search, filters and 'expand' bring in the rest from the same data."""
    from kg.graph import ENTRY, POST, ROUND, entity_subgraph
    entities = entity_subgraph(graph)
    nodes, edges = _page_nodes(entities), []
    said: dict[str, list] = {}
    for s, o, key, data in sorted(entities.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2])):
        edge_id = f"{s}|{key}|{o}"
        edges.append({"id": edge_id, "from": s, "to": o, "relation": key})
        for st in data["statements"]:
            entry = graph.nodes[st["entry"]]
            post = graph.nodes[st["post"]]
            said.setdefault(st["post"], []).append((entry["position"], edge_id, st["evidence"], {
                "edge": edge_id, "evidence": st["evidence"], "confidence": st.get("confidence", 0.9),
                "section": entry["section"],
                "date": str(st["date"] or post.get("date") or ""),
                "links": [{"text": t, "url": u} for t, u in entry["links"]]}))
    mentioned: dict[str, set] = {}
    for entry, target, key in graph.edges(keys=True):
        if key == "mentions" and target in entities:
            mentioned.setdefault(graph.nodes[entry]["post"], set()).add(target)
    posts = sorted((n for n, d in graph.nodes(data=True) if d["kind"] == POST),
                   key=lambda n: (graph.nodes[n]["name"], graph.nodes[n].get("path") or ""))
    sources = []
    for node in posts:
        post = graph.nodes[node]
        sources.append({"post": post["name"], "title": post["title"], "date": str(post.get("date") or ""),
                        "mentions": sorted(mentioned.get(node, ())),
                        "statements": [st for *_, st in sorted(said.get(node, []), key=lambda x: x[:3])]})
    rounds = []
    for node, data in sorted(graph.nodes(data=True)):
        if data["kind"] != ROUND or not data.get("post"):
            continue
        out = {k: [o for _, o, kk in graph.out_edges(node, keys=True) if kk == k] for k in ("recipient", "investor")}
        rounds.append({"id": node, "amount": data["amount"], "currency": data["currency"], "series": data["series"],
                       "date": str(data["date"] or ""), "evidence": data["evidence"],
                       "post": graph.nodes[data["post"]]["name"], "recipient": out["recipient"],
                       "investors": sorted(out["investor"])})
    dates = sorted(str(graph.nodes[p]["date"]) for p in posts if graph.nodes[p].get("date"))
    ranked = sorted(nodes, key=lambda n: (-n["degree"], n["id"]))
    related = [n for n in ranked if n["degree"]] or ranked    # never unconnected names, while any has a relation
    return {"nodes": nodes, "edges": edges, "rounds": rounds, "style": load_style(),
            "initial": sorted(n["id"] for n in related[:initial_limit]), "sources": sources,
            "entries": sum(1 for _, d in graph.nodes(data=True) if d["kind"] == ENTRY), "posts": len(posts),
            "dateRange": date_range(dates)}


def vis_options(drawn: int) -> dict:
    """vis-network's options: the layout, physics and look of the network. (Written here as
    vis-network reads them: pyvis's Network.set_options would take 0.5 s of imports on every
    build, and it strips the spaces out of font names.)"""
    return {
        "layout": {"randomSeed": 7, "improvedLayout": drawn < 1000},
        "physics": {"solver": "forceAtlas2Based", "stabilization": {"iterations": 400, "fit": True},
                    "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 120}},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": True},
        "edges": {"font": {"size": 10, "align": "middle", "color": "#555"}, "smooth": {"type": "continuous"}},
        # sized by degree within 10 to 30 px; labels scale with the node, and one drawn smaller than 7 px
        # is left out: the biggest nodes are labelled at the opening zoom, the rest as one zooms in
        "nodes": {"font": {"size": 14, "face": "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif"},
                  "scaling": {"min": 10, "max": 30,
                              "label": {"enabled": True, "min": 12, "max": 26, "maxVisible": 26, "drawThreshold": 7}}},
    }


def render_page(data: dict, title: str = "kg: knowledge graph") -> str:
    """The self-contained page for page data (page_data, or a build's kg/assemble.py). Its
    "sources" and "nodes" may be JSON texts already (script_json of each post's part and each
    node): they are spliced in as they are."""
    vis_js, vis_css = _vis_assets()
    spliced = {part: [x if isinstance(x, str) else script_json(x) for x in data[part]] for part in ("sources", "nodes")}
    rest = script_json({**{k: v for k, v in data.items() if k not in spliced}, "symmetric": sorted(SYMMETRIC_RELATIONS)})
    data_json = "{" + "".join(f'"{part}":[' + ",".join(texts) + "]," for part, texts in spliced.items()) + rest[1:]
    return _fill_template(_TEMPLATE.read_text(encoding="utf-8"), title=title, vis_js=vis_js, vis_css=vis_css,
                          options_json=script_json(vis_options(len(data["initial"]))), data_json=data_json)


def render_query_page(queries: list[dict], title: str = "kg: SPARQL queries") -> str:
    """The query page `kg serve` gives at /queries: an editor, the named queries with their
    parameters (each a dict: name, description, params, text), and a results table; it talks
    to /sparql only."""
    return _fill_template(_QUERY_TEMPLATE.read_text(encoding="utf-8"), title=title, queries_json=script_json(queries))


_SLOT = re.compile(r"\{\{\s*(\w+)\s*(\|\s*safe\s*)?\}\}|\{%|\{#")


def _fill_template(template: str, **values: str) -> str:
    """The page template with its slots filled: {{ name }} HTML-escaped, {{ name|safe }} as it
    is. (A template engine's import and compilation took a tenth of a second of every build for
    these six slots.)"""
    def fill(match: re.Match) -> str:
        if match.group(1) is None:
            raise ValueError(f"the page template has a tag or comment, which only slots are read: {match.group(0)}")
        value = values[match.group(1)]
        return value if match.group(2) else value.translate(_HTML_ESCAPES)
    return _SLOT.sub(fill, template.removesuffix("\n"))       # the file's last newline is not the page's


_HTML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;"})


def render_html(graph: nx.MultiDiGraph, title: str = "kg: knowledge graph", initial_limit: int = INITIAL_NODES) -> str:
    return render_page(page_data(graph, initial_limit), title)


def default_page(graph_path: Path) -> Path:
    """Where kg render writes by default: beside the graph, never over the build's page."""
    return Path(graph_path).with_name(f"{Path(graph_path).stem}-view.html")


def render(graph_path: Path, out: Path | None = None, types=None, focus: str | None = None, depth: int = 1,
           initial_limit: int = INITIAL_NODES) -> Path:
    """`kg render`: the page of an existing graph.ttl, whole or a neighbourhood."""
    from rdflib import Graph

    from kg.files import refuse_build_outputs, write_atomically
    from kg.rdf import from_rdf
    graph_path = Path(graph_path)
    out = refuse_build_outputs(out or default_page(graph_path), graph_path)
    if not graph_path.is_file():
        raise KgError(f"{graph_path}: no such file (build first: kg build)")
    try:
        rdf = Graph().parse(graph_path)
    except Exception as error:          # rdflib raises many kinds for a file it cannot read
        raise KgError(f"{graph_path}: not a readable RDF graph ({error})") from None
    graph = select(from_rdf(rdf), types=types, focus=focus, depth=depth)
    title = f"kg: {focus} (depth {depth})" if focus else "kg: knowledge graph"
    out.parent.mkdir(parents=True, exist_ok=True)
    return write_atomically(out, render_html(graph, title, initial_limit).encode("utf-8"))
