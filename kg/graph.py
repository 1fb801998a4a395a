"""Stage 5, graph: the extractions of every post -> one networkx MultiDiGraph for the build.

Nodes, by their `kind` attribute:
- "entity": one per real thing (key, type, name, aliases, known);
- "round": a funding round (amount, currency, series, date, evidence, post, entry);
- "post" and "entry": the sources, with title, date, section, text and links.
Edges: an entity relation is an edge keyed by its predicate whose `statements` list
holds every (post, entry, evidence, date, version) that states it; plus "recipient",
"investor", "partOf" and "mentions" edges. Node ids are strings: "entity:<key>",
"round:<id>", "post:<slug>", "entry:<slug>#<n>".
"""
import hashlib

import networkx as nx

from kg.extract import PostExtraction
from kg.lexicon import Lexicon
from kg.numbers import plain_decimal
from kg.resolve import merge_entities

ENTITY, ROUND, POST, ENTRY = "entity", "round", "post", "entry"


def entity_id(key: str) -> str:
    return f"entity:{key}"


def entry_id(post_slug: str, position: int) -> str:
    return f"entry:{post_slug}#{position}"


def round_id(recipient: str, amount: str, currency: str, series: str | None) -> str:
    digest = hashlib.sha1(f"{recipient}|{amount}|{currency}|{series or ''}".encode()).hexdigest()[:12]
    return f"round:{digest}"


def build_graph(extractions: list[PostExtraction], lexicon: Lexicon) -> nx.MultiDiGraph:
    extractions = sorted(extractions, key=lambda x: (x.post.name, x.post.path))
    observations = []
    for extraction in extractions:
        for entry in extraction.entries:
            for r in (*entry.mentions, *entry.heading_mentions):
                observations.append((r.key, r.type, r.name, r.mention.surface, r.known))
    entities = merge_entities(observations, lexicon)

    graph = nx.MultiDiGraph()
    for key, entity in entities.items():
        graph.add_node(entity_id(key), kind=ENTITY, key=key, type=entity.type, name=entity.name,
                       aliases=list(entity.aliases), known=entity.known)
    for extraction in extractions:
        post = extraction.post
        post_node = f"post:{post.slug}"
        graph.add_node(post_node, kind=POST, slug=post.slug, name=post.name, path=post.path, title=post.title,
                       issue=post.issue, date=post.date, period_start=post.period.start,
                       period_end=post.period.end)
        by_position = {e.position: e for e in post.entries}
        for entry in extraction.entries:
            source = by_position[entry.position]
            node = entry_id(post.slug, entry.position)
            graph.add_node(node, kind=ENTRY, post=post_node, position=entry.position,
                           section=source.section_label, text=source.text,
                           links=[(link.text, link.url) for link in source.links], date=entry.date)
            graph.add_edge(node, post_node, key="partOf")
            for key in dict.fromkeys(r.key for r in (*entry.heading_mentions, *entry.mentions)):
                graph.add_edge(node, entity_id(key), key="mentions")
            for key, when in entry.event_dates:
                node_data = graph.nodes[entity_id(key)]
                if node_data.get("date") is None or when < node_data["date"]:
                    node_data["date"] = when
            for fact, when in zip(entry.facts, entry.fact_dates):
                s, o = entity_id(fact.subject), entity_id(fact.object)
                if not graph.has_edge(s, o, key=fact.predicate):
                    graph.add_edge(s, o, key=fact.predicate, predicate=fact.predicate, statements=[])
                graph.edges[s, o, fact.predicate]["statements"].append(
                    {"post": post_node, "entry": node, "evidence": fact.evidence, "date": when,
                     "version": fact.version})
            for found in entry.rounds:
                amount = plain_decimal(found.amount)
                rid = round_id(found.recipient, amount, found.currency, found.series)
                if rid not in graph:
                    graph.add_node(rid, kind=ROUND, amount=amount, currency=found.currency, series=found.series,
                                   date=entry.date, evidence=found.evidence, entry=node, post=post_node)
                    graph.add_edge(rid, entity_id(found.recipient), key="recipient")
                for investor in found.investors:
                    graph.add_edge(rid, entity_id(investor), key="investor")
    return graph


def entity_subgraph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Only the entities and the relations between them: what the explorer page shows."""
    nodes = [n for n, kind in graph.nodes(data="kind") if kind == ENTITY]
    sub = nx.MultiDiGraph()
    sub.add_nodes_from((n, graph.nodes[n]) for n in nodes)
    for s, o, key, data in graph.edges(keys=True, data=True):
        if "predicate" in data:
            sub.add_edge(s, o, key=key, **data)
    return sub


def post_subgraph(graph: nx.MultiDiGraph, post_node: str) -> nx.MultiDiGraph:
    """What one post says: the post, its entries, the entities they mention, the relations and
    funding rounds read from them (with only this post's statements). A rebuilt post replaces
    exactly this part in a store that keeps one named graph per post."""
    sub = nx.MultiDiGraph()
    sub.add_node(post_node, **graph.nodes[post_node])

    def add_entity(node):
        if node not in sub:
            sub.add_node(node, **graph.nodes[node])

    for entry, _, key in graph.in_edges(post_node, keys=True):
        if key != "partOf":
            continue
        sub.add_node(entry, **graph.nodes[entry])
        sub.add_edge(entry, post_node, key="partOf")
        for _, entity, k in graph.out_edges(entry, keys=True):
            if k == "mentions":
                add_entity(entity)
                sub.add_edge(entry, entity, key="mentions")
    for s, o, key, data in graph.edges(keys=True, data=True):
        if "predicate" in data:
            mine = [st for st in data["statements"] if st["post"] == post_node]
            if mine:
                add_entity(s)
                add_entity(o)
                sub.add_edge(s, o, key=key, predicate=data["predicate"], statements=mine)
    for node, data in graph.nodes(data=True):
        if data["kind"] == ROUND and data.get("post") == post_node:
            sub.add_node(node, **data)
            for _, target, key in graph.out_edges(node, keys=True):
                add_entity(target)
                sub.add_edge(node, target, key=key)
    return sub


def posts_of(graph: nx.MultiDiGraph) -> list[str]:
    return sorted(n for n, kind in graph.nodes(data="kind") if kind == POST)
