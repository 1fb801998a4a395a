"""The explorer page's data: an assembly -> nodes, edges, rounds, and per post the entities
it mentions and the statements it makes (kg/render.py draws them).
"""
import json

from kg.assemble import Assembly, fits
from kg.fragment import PostFragment
from kg.graph_turtle import clusters
from kg.pagetext import script_json


def _page_without_unasserted(post: PostFragment, types: dict) -> str:
    """A post's page data, less the statements of relations the graph does not assert."""
    if all(fits(relation, types) for relation, _, _ in post.statements):
        return post.page
    page = json.loads(post.page)
    page["statements"] = [st for st in page["statements"] if fits(_edge_relation(st["edge"]), types)]
    return script_json(page)


def _edge_relation(edge: str) -> tuple:
    """'entity:a|partnersWith|entity:b' -> ('a', 'partnersWith', 'b')."""
    subject, predicate, obj = edge.split("|", 2)
    return subject.removeprefix("entity:"), predicate, obj.removeprefix("entity:")




def page_data(assembly: Assembly, style: dict, initial_limit: int) -> dict:
    """The explorer page's data (kg/render.py): nodes, edges, rounds, and per post the
    entities it mentions and the statements it makes."""
    edges = []
    types = assembly.types()
    for s, p, o in sorted(assembly.relations, key=lambda r: (r[0], r[2], r[1])):
        if fits((s, p, o), types):
            edges.append({"id": f"entity:{s}|{p}|entity:{o}", "from": f"entity:{s}", "to": f"entity:{o}",
                          "relation": p})
    ids = sorted(assembly.entities)         # the order of their ids, entity:KEY
    degree, entities = assembly.degrees(), assembly.entities
    community, central = clusters(assembly)
    nodes = [f'{{"degree":{degree[key]},"community":{community.get(key, 0)},"centrality":{central.get(key, 0)},'
             f'{entities[key].node_json[1:]}' for key in ids]      # JSON texts
    rounds = []
    posts = assembly.ordered_posts()
    for rid, (fact, investors, post_name) in sorted(assembly.rounds().items()):
        rounds.append({"id": f"round:{rid}", "amount": fact.amount, "currency": fact.currency,
                       "series": fact.series, "date": str(fact.date or ""), "evidence": fact.evidence,
                       "post": post_name, "recipient": [f"entity:{fact.recipient}"],
                       "investors": sorted(f"entity:{i}" for i in investors)})
    ranked = sorted(ids, key=lambda k: -degree[k])      # stable: equal degrees in id order
    related = [k for k in ranked if degree[k]] or ranked      # never unconnected names, while any has a relation
    dates = sorted(str(p.date) for p in posts if p.date)
    return {"nodes": nodes, "edges": edges, "rounds": rounds, "style": style,
            "initial": sorted(f"entity:{k}" for k in related[:initial_limit]),
            "sources": [_page_without_unasserted(p, types) for p in posts],
            "entries": sum(p.entries for p in posts), "posts": len(posts), "dateRange": date_range(dates)}


def date_range(dates: list[str]) -> list[str]:
    """The span the page's time filter opens on: the posts' dates, less the odd one in a
    hundred a post without a date of its own took from a sentence about history (1906)."""
    if not dates:
        return []
    cut = len(dates) // 100
    return [dates[cut], dates[-1 - cut]]

