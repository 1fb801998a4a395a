"""What to validate of an assembly, as Turtle: the whole graph in parts to check side by
side (the posts' own Turtle in parts, the entities, rounds and statements in one), or, on
a rebuild after a conforming build, only what it rewrote with what the shapes read about
the rest (kg.validate.validate_parts, validate_scope).
"""
import re

from kg.namespace import KGO_PREFIXED as K
from kg.assemble import Assembly, fits, filled
from kg.fragment import without_unread
from kg.graph_turtle import all_entities_turtle, entities_turtle, head, post_turtle_chunks, rounds_turtle
from kg.turtle import iri_term

_IRI_REF = re.compile(rb"<([^<>\s]+)>")
_DERIVED_FROM = re.compile(rb"prov:wasDerivedFrom <([^<>\s]+)>")


def _stand_in(key: bytes) -> bytes:
    return b"<urn:kg:unresolved:" + key + b">"

def validation_parts(assembly: Assembly, count: int) -> list[tuple[bytes, bytes, set[str]]]:
    """The whole graph as parts to validate side by side (kg.validate.validate_parts), each
    (its Turtle, the Turtle of what its shapes read beyond it, the IRIs of the nodes that
    are only that context): the posts' own Turtle in `count` parts, and the entities,
    rounds and statements (posts_validation_parts, entities_validation_part)."""
    return [*posts_validation_parts(assembly, count)(), entities_validation_part(assembly)]


def posts_validation_parts(assembly: Assembly, count: int):
    """A function making the posts' own Turtle (posts and entries, less what no shape reads;
    no statements) as `count` parts to validate side by side (kg.validate.validate_parts),
    from the posts as they are now: called before resolve(), it lets that check run beside
    resolve() in a thread. An entity's placeholder stands there as <urn:kg:unresolved:KEY>: the shapes read
    of a post's nodes only that post's own triples, and of what an entry mentions only that
    it is an IRI (tests check both)."""
    snapshot = [(order, assembly.posts[order]) for order in sorted(assembly.posts)]
    opening = head(assembly)

    def make() -> list[tuple[bytes, bytes, set[str]]]:
        parts, sizes = [[opening] for _ in range(max(1, count))], [0] * max(1, count)
        for order, fragment in snapshot:
            # (less what no shape reads: kgo:position, kgo:section, links: 44% of the triples)
            turtle = without_unread(fragment.turtle, fragment.unread) if fragment.turtle \
                else assembly.post_turtle_view(order, fragment)
            if fragment.unresolved and fragment.turtle:
                turtle = filled(turtle, _stand_in)
            part = sizes.index(min(sizes))          # each post to the smallest part so far
            parts[part] += [b"\n", turtle]
            sizes[part] += len(turtle)
        return [(b"".join(chunks), b"", set()) for chunks in parts]
    return make


def entities_validation_part(assembly: Assembly) -> tuple[bytes, bytes, set[str]]:
    """The rest of the graph beside posts_validation_parts, as one part to validate: every
    entity and funding round, and the statements of asserted relations; as context, the
    class of each entry a statement or round was read from (its own triples are in the
    posts' part)."""
    types = assembly.types()
    chunks = [head(assembly), all_entities_turtle(assembly)[0], b"\n",
              "\n".join(rounds_turtle(assembly)[0]).encode("utf-8")]
    entries = {fact.entry for fact, _, _ in assembly.rounds().values()}
    for order in sorted(assembly.posts):
        for relation, block, _ in assembly.posts[order].statements:
            if fits(relation, types):
                chunks.append(block)
                entries.update(iri.decode("utf-8") for iri in _DERIVED_FROM.findall(block))
    context = "".join(f"{iri_term(entry)} a {K.Entry} .\n" for entry in sorted(entries))
    return b"".join(chunks), head(assembly) + context.encode("utf-8"), entries


def validation_scope(assembly: Assembly) -> tuple[bytes, bytes]:
    """What a rebuild validates: (focus, context) Turtle. The focus is what the last
    resolve() rewrote, each of whose subjects is checked: the touched posts (with their
    statements), the redone entities, and every funding round. The context is what the
    shapes read about other nodes to check those: the class of each entity the focus names
    (the shapes read the classes of what a focus node points to), a statement of each
    of the redone entities' relations (one that says where it was read is all the shapes
    ask for: a hub's relations are stated thousands of times), the class of the rounds'
    entries. A node outside
    the focus depends on none of what changed: its own triples are as they were, and an
    entity whose relation's object changed type (its IRI with it) is redone."""
    types = assembly.types()
    focus = [head(assembly)]
    for order in sorted(assembly.touched_posts):
        if order in assembly.posts:
            focus += [b"\n", *post_turtle_chunks(assembly, order, types)[0]]
    focus.append(entities_turtle(assembly, [k for k in sorted(assembly.touched_entities) if k in assembly.entities],
                                       assembly.degrees())[0])
    focus += [("\n" + "\n".join(rounds_turtle(assembly)[0])).encode("utf-8")]
    focus_turtle = b"".join(focus)
    named = {iri.decode("utf-8") for iri in _IRI_REF.findall(focus_turtle)}
    context = [head(assembly), "".join(f"{iri_term(part.iri)} a {K[part.type]} .\n"
                                     for part in assembly.entities.values() if part.iri in named).encode("utf-8")]
    witnessed = set()       # a relation needs one statement saying where it was read, not all
    for order, post in assembly.posts.items():
        if order in assembly.touched_posts:
            continue
        for relation, block, _ in post.statements:
            if relation[0] in assembly.touched_entities and relation not in witnessed and fits(relation, types):
                context.append(block)
                if b"prov:wasDerivedFrom " in block:
                    witnessed.add(relation)
    context += ["".join(f"{iri_term(fact.entry)} a {K.Entry} .\n"
                        for fact, _, _ in assembly.rounds().values()).encode("utf-8")]
    return focus_turtle, b"".join(context)

