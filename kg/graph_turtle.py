"""Writing graph.ttl: an assembly (kg/assemble.py) -> the Turtle of the whole graph, in the
pieces it is made of (bytes, and views of the rebuild state's journal), so that graph.ttl
is written without joining 150 MB first; and the blocks the validation parts reuse.
"""
from kg.namespace import KGO_PREFIXED as K
from kg.assemble import Assembly, fits
from kg.communities import centrality, communities
from kg.fragment import post_fragment
from kg.lexicon import Lexicon
from kg.namespace import RESOURCE_BASE
from kg.iris import Minter
from kg.turtle import PREFIXES, iri_term, literal_term

def head(assembly: Assembly) -> bytes:
    prefixes = {**PREFIXES, "kgr": Minter(assembly.base).ns}
    return ("".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(prefixes.items())) + "\n").encode("utf-8")


def rounds_turtle(assembly: Assembly) -> tuple[list[str], int]:
    """Each funding round's Turtle block, and their triples."""
    mint = Minter(assembly.base)
    rounds, triples = [], 0
    for rid, (fact, investors, _) in sorted(assembly.rounds().items()):
        lines = [f"    a {K.FundingRound}", f"    {K.recipient} {iri_term(assembly.entities[fact.recipient].iri)}"]
        named = sorted(iri_term(assembly.entities[i].iri) for i in investors)
        if named:
            lines.append(f"    {K.investor} " + ", ".join(named))
        lines += [f"    {K.amount} {literal_term(fact.amount, datatype='xsd:decimal')}",
                  f"    {K.currency} {literal_term(fact.currency)}"]
        if fact.series:
            lines.append(f"    {K.series} {literal_term(fact.series)}")
        if fact.date:
            lines.append(f"    {K.date} {literal_term(fact.date.isoformat(), datatype='xsd:date')}")
        lines += [f"    {K.evidence} {literal_term(fact.evidence)}", f"    prov:wasDerivedFrom {iri_term(fact.entry)}"]
        rounds.append(iri_term(mint.iri(f"funding/{rid}")) + "\n" + " ;\n".join(lines) + " .\n")
        triples += len(lines) - 1 + len(named)
    return rounds, triples


def post_turtle_chunks(assembly: Assembly, order, types: dict) -> tuple[list[bytes], int]:
    """A post's Turtle: its post, entries and links, and the statements of asserted relations."""
    post = assembly.posts[order]
    chunks, triples = [assembly.post_turtle_view(order, post)], post.triples
    for relation, block, count in post.statements:
        if fits(relation, types):
            chunks.append(block)
            triples += count
    return chunks, triples


def clusters(assembly: Assembly) -> tuple[dict[str, int], dict[str, float]]:
    """(entity key -> community, entity key -> centrality) of the entities that an asserted
    relation joins (kg/communities.py), made once per assembly state."""
    def make():
        pairs = {pair for pair in assembly.related_pairs() if pair[0] != pair[1]}
        return communities(pairs), centrality(pairs)
    return assembly.memoized("clusters", make)


def _decimal(value: float) -> str:
    """An xsd:decimal in its canonical form, as pyoxigraph and rdflib read it back: "1", "0.985"."""
    return literal_term(f"{value:g}", datatype="xsd:decimal")


def entities_turtle(assembly: Assembly, keys, degrees: dict[str, int]) -> tuple[bytes, int]:
    """The entities' Turtle blocks, each with its degree and place by degree, its community and
    centrality (which depend on every post's relations, so they are written here rather than
    kept in the entity's block), and their triples."""
    ranks = assembly.degree_ranks(degrees)
    community, central = clusters(assembly)
    blocks, triples = [], 0
    for key in keys:
        part = assembly.entities[key]
        rank = f" ;\n    {K.degreeRank} {ranks[key]}" if key in ranks else ""
        if key in community:
            rank += f" ;\n    {K.community} {community[key]} ;\n    {K.centrality} {_decimal(central[key])}"
        blocks.append(f"{part.turtle[:-3]} ;\n    {K.degree} {degrees[key]}{rank} .\n")
        triples += part.triples + 1 + (key in ranks) + 2 * (key in community)
    return "\n".join(blocks).encode("utf-8"), triples


def all_entities_turtle(assembly: Assembly) -> tuple[bytes, int]:
    """Every entity's Turtle block, in IRI order, and their triples (graph.ttl and a
    validation in parts both write them)."""
    return assembly.memoized("entities turtle", lambda: entities_turtle(
        assembly, sorted(assembly.entities, key=lambda k: assembly.entities[k].iri), assembly.degrees()))


def turtle_chunks(assembly: Assembly) -> tuple[list, int]:
    """graph.ttl as the pieces it is made of (bytes, and views of the journal), to be
    written one after the other; and the number of triples in it."""
    entities, triples = all_entities_turtle(assembly)
    chunks = [head(assembly), entities]
    rounds, round_triples = rounds_turtle(assembly)
    triples += round_triples
    chunks.append(("\n" + "\n".join(rounds)).encode("utf-8") if rounds else b"")
    types = assembly.types()
    for order in sorted(assembly.posts):
        post_chunks, post_triples = post_turtle_chunks(assembly, order, types)
        chunks += [b"\n", *post_chunks]
        triples += post_triples
    return chunks, triples


def turtle(assembly: Assembly) -> tuple[bytes, int]:
    """graph.ttl and the number of triples in it."""
    chunks, triples = turtle_chunks(assembly)
    return b"".join(chunks), triples


def assemble(extractions, lexicon: Lexicon, base: str = RESOURCE_BASE) -> bytes:
    """The Turtle of a few posts' extractions, assembled as a build would (for a library
    caller, or a test, that has extractions in hand rather than files)."""
    assembly = Assembly(base)
    assembly.update([post_fragment(extraction, lexicon, base) for extraction in extractions])
    assembly.resolve(lexicon)
    return turtle(assembly)[0]
