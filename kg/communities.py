"""Communities and centrality of the entities that have relations: who clusters with whom,
and who matters most. Pure functions of the relation graph (undirected, one edge per related
pair), deterministic: the same graph gives the same numbers, whatever the order it came in.

Communities are networkx's Louvain (seeded). Centrality is PageRank by power iteration,
written here because networkx's own needs scipy, a large dependency for twenty lines.
"""

_SEED = 7
_DAMPING = 0.85


def communities(pairs: set[tuple[str, str]]) -> dict[str, int]:
    """entity key -> its community: 1 for the largest, then by size (ties by first key)."""
    if not pairs:
        return {}
    import networkx as nx
    from networkx.algorithms.community import louvain_communities
    graph = nx.Graph()
    graph.add_nodes_from(sorted({key for pair in pairs for key in pair}))
    graph.add_edges_from(sorted(pairs))
    found = louvain_communities(graph, seed=_SEED)
    ordered = sorted((sorted(group) for group in found), key=lambda group: (-len(group), group[0]))
    return {key: number for number, group in enumerate(ordered, 1) for key in group}


def centrality(pairs: set[tuple[str, str]], rounds: int = 50, tolerance: float = 1e-9) -> dict[str, float]:
    """entity key -> its PageRank over the related pairs (each both ways), scaled so that the
    most central entity has 1."""
    neighbours: dict[str, list[str]] = {}
    for a, b in sorted(pairs):
        neighbours.setdefault(a, []).append(b)
        neighbours.setdefault(b, []).append(a)
    if not neighbours:
        return {}
    keys = sorted(neighbours)
    rank = dict.fromkeys(keys, 1 / len(keys))
    for _ in range(rounds):
        spread = dict.fromkeys(keys, (1 - _DAMPING) / len(keys))
        for key in keys:
            share = _DAMPING * rank[key] / len(neighbours[key])
            for other in neighbours[key]:
                spread[other] += share
        moved = sum(abs(spread[k] - rank[k]) for k in keys)
        rank = spread
        if moved < tolerance:
            break
    top = max(rank.values())
    return {key: round(value / top, 4) for key, value in rank.items()}
