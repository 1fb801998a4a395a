"""Stage 6, assembly: every post's fragment -> graph.ttl and the explorer page's data.

What needs the whole archive happens here: entities are merged (type and name voted,
every spelling an alias), each gets its IRI, relations are asserted once however often
they are stated, funding rounds are deduplicated, and the posts' Turtle gets the IRIs of
the entities it refers to.

An Assembly keeps what it counted, so that a rebuild after a few posts changed takes
their old fragments out, puts the new ones in, and redoes only the entities they touch:
the rest of the Turtle and the page data is reused as it was. kg/state.py keeps it beside
the output between builds.
"""
import json
import re
import threading
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from kg.fragment import REF_CLOSE, REF_OPEN, PostFragment, RoundFact, without_unread
from kg.lexicon import Lexicon, normalize
from kg.namespace import RESOURCE_BASE
from kg.iris import Minter, language
from kg.relations import load_relation_signatures
from kg.pagetext import display_label, script_json
from kg.resolve import EntityVotes
from kg.turtle import PREFIXES, iri_term, literal_term

_OPEN, _CLOSE = REF_OPEN.encode("utf-8"), REF_CLOSE.encode("utf-8")


def _filled(turtle: bytes, term_of) -> bytes:
    """Turtle with each placeholder (kg/fragment.py) replaced by term_of(its key): found by
    splitting at the marks, several times faster than a regular expression over 100 MB."""
    pieces = turtle.split(_OPEN)
    if len(pieces) == 1:
        return turtle
    out = [pieces[0]]
    for piece in pieces[1:]:
        key, rest = piece.split(_CLOSE, 1)
        out += (term_of(key), rest)
    return b"".join(out)


_MEMO_LOCK = threading.RLock()
_IRI_REF = re.compile(rb"<([^<>\s]+)>")
_DERIVED_FROM = re.compile(rb"prov:wasDerivedFrom <([^<>\s]+)>")


def _stand_in(key: bytes) -> bytes:
    return b"<urn:kg:unresolved:" + key + b">"


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


def _signatures() -> dict:
    """predicate -> (the subject types, the object types) it allows."""
    return load_relation_signatures()


def fits(relation: tuple, types: dict) -> bool:
    """Whether the graph asserts a stated relation: both ends are entities and their voted
    types are those the relation joins (a name the archive votes a product is not 'acquired'
    by the post that took it for a company)."""
    s, p, o = relation
    allowed = _signatures().get(p)
    return s in types and o in types and (allowed is None or (types[s] in allowed[0] and types[o] in allowed[1]))


class _EntityPart(NamedTuple):
    iri: str
    turtle: str
    triples: int
    type: str
    node_json: str          # the page's node, without its degree, as the page's JSON (script_json):
                            # kept as text, it loads from the saved state ten times faster
                            # than a dict, and the page splices it in as it is


@dataclass
class Assembly:
    base: str = RESOURCE_BASE
    fingerprint: str = ""
    votes: EntityVotes = field(default_factory=EntityVotes)
    relations: Counter = field(default_factory=Counter)         # (s, p, o) -> posts stating it
    event_dates: dict = field(default_factory=dict)             # key -> Counter of days
    posts: dict = field(default_factory=dict)       # (name, path) -> its fragment, entity IRIs filled in
    entities: dict = field(default_factory=dict)                # key -> _EntityPart
    dirty: set = field(default_factory=set)         # entity keys whose counts changed since resolve()
    fresh: set = field(default_factory=set)         # posts put in since resolve(): placeholders still in
    # what the last resolve() rewrote (posts, entity keys): what a rebuild validates again
    touched_posts: set = field(default_factory=set)
    touched_entities: set = field(default_factory=set)
    # whether the graph as last written was validated and conformed: a rebuild may then
    # validate only what it touched (validation_scope). Kept beside the state (CONFORMS_FILE,
    # holding the saved state's token), so that the state can be saved while the graph is
    # still being checked
    conforms: bool = False
    token: str = ""                 # made anew at each save
    # per post file the last build read: path -> (size, modification time in ns, digest), and
    # when that build started (seconds since the epoch): kg.pipeline reads only files changed since
    file_stats: dict = field(default_factory=dict)
    started: float = 0.0
    # where each post's Turtle stands in the journal (order -> (offset, length, its hash)), when
    # it is not in memory (a fragment loaded from the saved state has empty Turtle); the
    # journal's file name, and how many of its bytes no post uses any more (kg/state.py)
    spans: dict = field(default_factory=dict)
    journal: str = ""
    journal_dead: int = 0
    _view: object = field(default=None, repr=False, compare=False)      # the journal, mapped
    # what types(), degrees(), rounds() and the entities' Turtle last were, until the next
    # update() or resolve()
    # (a build asks for each several times: a tenth of a second each at 10,000 posts)
    _memo: dict = field(default_factory=dict, repr=False, compare=False)
    # order -> (a post's fragment, its packed data) as loaded: a fragment still there (the
    # same object) is saved as it was read, not packed again (kg/state.py)
    _blobs: dict = field(default_factory=dict, repr=False, compare=False)

    def _memoized(self, name: str, make):
        with _MEMO_LOCK:        # a build's validation thread asks for some of the same while the page is made
            if name not in self._memo:
                self._memo[name] = make()
            return self._memo[name]

    def post_turtle(self, order, fragment: PostFragment | None = None) -> bytes:
        """A post's own Turtle (post, entries, links), from memory or from the journal."""
        return bytes(self._post_turtle_view(order, fragment))

    def _post_turtle_view(self, order, fragment: PostFragment | None = None):
        """A post's own Turtle as it stands: its bytes in memory, or a view of the journal
        (written out without a copy)."""
        fragment = fragment if fragment is not None else self.posts[order]
        if fragment.turtle:
            return fragment.turtle
        offset, length, _ = self.spans[order]
        return memoryview(self._view)[offset:offset + length]     # type: ignore[arg-type]  # an mmap

    # -- counting -------------------------------------------------------------------------

    def _count(self, fragment: PostFragment, sign: int) -> None:
        observations = fragment.observations
        self.votes.add(observations, sign)
        for relation in fragment.relations:
            self.relations[relation] += sign
            if self.relations[relation] <= 0:
                del self.relations[relation]
        for key, day in fragment.event_dates:
            days = self.event_dates.setdefault(key, Counter())
            days[day] += sign
            if days[day] <= 0:
                del days[day]
        self.dirty.update(k for k, *_ in observations)
        self.dirty.update(k for s, _, o in fragment.relations for k in (s, o))
        self.dirty.update(k for k, _ in fragment.event_dates)

    def update(self, fragments: list[PostFragment]) -> None:
        """Make the assembly hold exactly these fragments: posts gone or changed are taken
        out, new or changed ones put in."""
        self._memo.clear()
        wanted = {f.order: f for f in fragments}
        for order in list(self.posts):
            new, old = wanted.get(order), self.posts[order]
            if new is not None and new.digest == old.digest:
                continue
            self._count(old, -1)
            del self.posts[order]
        for order, fragment in wanted.items():
            if order not in self.posts:
                self._count(fragment, +1)
                self.posts[order] = fragment
                self.fresh.add(order)

    def digests(self) -> dict[str, PostFragment]:
        return {f.digest: f for f in self.posts.values()}

    # -- entities -------------------------------------------------------------------------

    def _entity_part(self, entity, key: str, iris: dict, relations: list, types: dict) -> _EntityPart:
        """The entity's Turtle block (with the relations it asserts as their subject) and page node."""
        iri = iris[key]
        lines = [f"    a kgo:{entity.type}", f"    rdfs:label {literal_term(entity.name, lang=language(entity.name))}"]
        if entity.aliases:
            lines.append("    skos:altLabel " + ", ".join(literal_term(a, lang=language(a)) for a in entity.aliases))
        days = self.event_dates.get(key)
        if days:
            lines.append(f"    kgo:date {literal_term(min(days).isoformat(), datatype='xsd:date')}")
        keys = sorted({normalize(n) for n in (entity.name, *entity.aliases)} - {""})
        lines.append("    kgo:key " + ", ".join(literal_term(k) for k in keys))
        triples = 2 + len(entity.aliases) + bool(days) + len(keys)
        objects: dict[str, list[str]] = {}
        for (s, p, o) in relations:
            if o in iris and fits((s, p, o), types):
                objects.setdefault(p, []).append(iri_term(iris[o]))
        for predicate in sorted(objects):
            lines.append(f"    kgo:{predicate} " + ", ".join(sorted(objects[predicate])))
            triples += len(objects[predicate])
        node = {"id": f"entity:{key}", "name": entity.name, "type": entity.type, "aliases": list(entity.aliases),
                "label": display_label(entity.name, list(entity.aliases))}
        return _EntityPart(iri, iri_term(iri) + "\n" + " ;\n".join(lines) + " .\n", triples, entity.type,
                           script_json(node))

    def resolve(self, lexicon: Lexicon) -> None:
        """Redo the entities the changed posts touched, and everything that names one whose
        IRI changed; fill the entity IRIs into the posts' Turtle."""
        mint = Minter(self.base)
        keys = set(self.votes.keys())
        old = {key: part.iri for key, part in self.entities.items()}
        iris = {key: iri for key, iri in old.items() if key in keys}
        changed, voted = set(), {}
        for key in sorted(self.dirty):
            if key not in keys:
                if self.entities.pop(key, None) is not None:
                    changed.add(key)
                continue
            voted[key] = entity = self.votes.entity(key, lexicon)
            iri = mint.entity(entity.type, entity.name)      # the type is part of the IRI
            if iris.get(key) != iri:
                changed.add(key)
            iris[key] = iri
        types = dict(self.types())
        types.update((key, entity.type) for key, entity in voted.items())
        redo = self.dirty & keys
        if changed:        # a subject whose object's IRI (or type) changed writes that object anew
            redo |= {s for s, _, o in self.relations if o in changed and s in keys}
        relations_of: dict[str, list] = {}
        for relation in self.relations:
            if relation[0] in redo:
                relations_of.setdefault(relation[0], []).append(relation)
        self.touched_posts, self.touched_entities = set(self.fresh), set(redo)
        for key in redo:
            entity = voted.get(key) or self.votes.entity(key, lexicon)
            self.entities[key] = self._entity_part(entity, key, iris, relations_of.get(key, []), types)
        terms: dict[bytes, bytes] = {}            # a placeholder's key -> its entity's IRI term

        def ref(key: bytes) -> bytes:
            term = terms.get(key)
            if term is None:
                term = terms[key] = iri_term(iris[key.decode("utf-8")]).encode("utf-8")
            return term
        for order in self.fresh:
            fragment = self.posts[order]
            if fragment.unresolved:
                self.posts[order] = replace(fragment, turtle=_filled(fragment.turtle, ref), unread=b"", statements=tuple(
                    (relation, _filled(block, ref), count) for relation, block, count in fragment.statements))
        moved = {key: (iri_term(old[key]).encode("utf-8"), iri_term(iris[key]).encode("utf-8"))
                 for key in changed if key in old and key in iris}
        if moved:       # unchanged posts that name an entity whose IRI changed
            for order, fragment in self.posts.items():
                if order in self.fresh:
                    continue
                keys_moved = moved.keys() & set(fragment.unresolved)
                if not keys_moved:
                    continue
                self.touched_posts.add(order)
                turtle, statements = self.post_turtle(order, fragment), list(fragment.statements)
                for key in keys_moved:
                    turtle = turtle.replace(*moved[key])
                    statements = [(relation, block.replace(*moved[key]), count)
                                  for relation, block, count in statements]
                self.posts[order] = replace(fragment, turtle=turtle, unread=b"", statements=tuple(statements))
        if changed:     # a changed type can make a post's statements asserted or not
            self.touched_posts.update(order for order, fragment in self.posts.items()
                                      if any(s in changed or o in changed for (s, _, o), _, _ in fragment.statements))
        self.fresh.clear()
        self.dirty.clear()
        self._memo.clear()

    # -- outputs --------------------------------------------------------------------------

    def types(self) -> dict[str, str]:
        """entity key -> its voted type."""
        return self._memoized("types", lambda: {key: part.type for key, part in self.entities.items()})

    def ordered_posts(self) -> list[PostFragment]:
        return [self.posts[order] for order in sorted(self.posts)]

    def rounds(self) -> dict[str, tuple[RoundFact, set, str]]:
        """Each funding round of an entity once (as the first post in order states it, with that
        post's name), with every investor any post names for it whose voted type can fund."""
        return self._memoized("rounds", self._find_rounds)

    def _find_rounds(self) -> dict[str, tuple[RoundFact, set, str]]:
        found: dict[str, tuple[RoundFact, set, str]] = {}
        types = self.types()
        funders = _signatures().get("funds", ((),))[0]
        for post in self.ordered_posts():
            for fact in post.rounds:
                if fact.recipient not in types:
                    continue
                first, investors, _ = found.setdefault(fact.rid, (fact, set(), post.name))
                investors.update(i for i in fact.investors if types.get(i) in funders)
        return found

    def _head(self) -> bytes:
        prefixes = {**PREFIXES, "kgr": Minter(self.base).ns}
        return ("".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(prefixes.items())) + "\n").encode("utf-8")

    def _rounds_turtle(self) -> tuple[list[str], int]:
        """Each funding round's Turtle block, and their triples."""
        mint = Minter(self.base)
        rounds, triples = [], 0
        for rid, (fact, investors, _) in sorted(self.rounds().items()):
            lines = ["    a kgo:FundingRound", f"    kgo:recipient {iri_term(self.entities[fact.recipient].iri)}"]
            named = sorted(iri_term(self.entities[i].iri) for i in investors)
            if named:
                lines.append("    kgo:investor " + ", ".join(named))
            lines += [f"    kgo:amount {literal_term(fact.amount, datatype='xsd:decimal')}",
                      f"    kgo:currency {literal_term(fact.currency)}"]
            if fact.series:
                lines.append(f"    kgo:series {literal_term(fact.series)}")
            if fact.date:
                lines.append(f"    kgo:date {literal_term(fact.date.isoformat(), datatype='xsd:date')}")
            lines += [f"    kgo:evidence {literal_term(fact.evidence)}", f"    prov:wasDerivedFrom {iri_term(fact.entry)}"]
            rounds.append(iri_term(mint.iri(f"funding/{rid}")) + "\n" + " ;\n".join(lines) + " .\n")
            triples += len(lines) - 1 + len(named)
        return rounds, triples

    def _post_turtle(self, order, types: dict) -> tuple[list[bytes], int]:
        """A post's Turtle: its post, entries and links, and the statements of asserted relations."""
        post = self.posts[order]
        chunks, triples = [self._post_turtle_view(order, post)], post.triples
        for relation, block, count in post.statements:
            if fits(relation, types):
                chunks.append(block)
                triples += count
        return chunks, triples

    def degrees(self) -> dict[str, int]:
        """entity key -> how many other entities it has an asserted relation with, either way."""
        return self._memoized("degrees", self._count_degrees)

    def _count_degrees(self) -> dict[str, int]:
        types = self.types()
        neighbours: dict[str, set] = {}
        for s, p, o in self.relations:
            if fits((s, p, o), types):
                neighbours.setdefault(s, set()).add(o)
                neighbours.setdefault(o, set()).add(s)
        return {key: len(neighbours.get(key, ())) for key in self.entities}

    def degree_ranks(self, degrees: dict[str, int]) -> dict[str, int]:
        """entity key -> its place by degree among the entities with relations (1 = the most
        connected; equal degrees in IRI order)."""
        ranked = sorted((k for k, d in degrees.items() if d > 0), key=lambda k: (-degrees[k], self.entities[k].iri))
        return {key: place for place, key in enumerate(ranked, 1)}

    def _entities_turtle(self, keys, degrees: dict[str, int]) -> tuple[bytes, int]:
        """The entities' Turtle blocks, each with its degree and place by degree (which depend on
        every post's relations, so they are written here rather than kept in the entity's
        block), and their triples."""
        ranks = self.degree_ranks(degrees)
        blocks, triples = [], 0
        for key in keys:
            part = self.entities[key]
            rank = f" ;\n    kgo:degreeRank {ranks[key]}" if key in ranks else ""
            blocks.append(f"{part.turtle[:-3]} ;\n    kgo:degree {degrees[key]}{rank} .\n")
            triples += part.triples + 1 + bool(rank)
        return "\n".join(blocks).encode("utf-8"), triples

    def turtle(self) -> tuple[bytes, int]:
        """graph.ttl and the number of triples in it."""
        chunks, triples = self.turtle_chunks()
        return b"".join(chunks), triples

    def _all_entities_turtle(self) -> tuple[bytes, int]:
        """Every entity's Turtle block, in IRI order, and their triples (graph.ttl and a
        validation in parts both write them)."""
        return self._memoized("entities turtle", lambda: self._entities_turtle(
            sorted(self.entities, key=lambda k: self.entities[k].iri), self.degrees()))

    def turtle_chunks(self) -> tuple[list, int]:
        """graph.ttl as the pieces it is made of (bytes, and views of the journal), to be
        written one after the other; and the number of triples in it."""
        entities, triples = self._all_entities_turtle()
        chunks = [self._head(), entities]
        rounds, round_triples = self._rounds_turtle()
        triples += round_triples
        chunks.append(("\n" + "\n".join(rounds)).encode("utf-8") if rounds else b"")
        types = self.types()
        for order in sorted(self.posts):
            post_chunks, post_triples = self._post_turtle(order, types)
            chunks += [b"\n", *post_chunks]
            triples += post_triples
        return chunks, triples

    def validation_parts(self, count: int) -> list[tuple[bytes, bytes, set[str]]]:
        """The whole graph as parts to validate side by side (kg.validate.validate_parts), each
        (its Turtle, the Turtle of what its shapes read beyond it, the IRIs of the nodes that
        are only that context): the posts' own Turtle in `count` parts, and the entities,
        rounds and statements (posts_validation_parts, entities_validation_part)."""
        return [*self.posts_validation_parts(count)(), self.entities_validation_part()]

    def posts_validation_parts(self, count: int):
        """A function making the posts' own Turtle (posts and entries, less what no shape reads;
        no statements) as `count` parts to validate side by side (kg.validate.validate_parts),
        from the posts as they are now: called before resolve(), it lets that check run beside
        resolve() in a thread. An entity's placeholder stands there as <urn:kg:unresolved:KEY>: the shapes read
        of a post's nodes only that post's own triples, and of what an entry mentions only that
        it is an IRI (tests check both)."""
        snapshot = [(order, self.posts[order]) for order in sorted(self.posts)]
        head = self._head()

        def make() -> list[tuple[bytes, bytes, set[str]]]:
            parts, sizes = [[head] for _ in range(max(1, count))], [0] * max(1, count)
            for order, fragment in snapshot:
                # (less what no shape reads: kgo:position, kgo:section, links: 44% of the triples)
                turtle = without_unread(fragment.turtle, fragment.unread) if fragment.turtle \
                    else self._post_turtle_view(order, fragment)
                if fragment.unresolved and fragment.turtle:
                    turtle = _filled(turtle, _stand_in)
                part = sizes.index(min(sizes))          # each post to the smallest part so far
                parts[part] += [b"\n", turtle]
                sizes[part] += len(turtle)
            return [(b"".join(chunks), b"", set()) for chunks in parts]
        return make

    def entities_validation_part(self) -> tuple[bytes, bytes, set[str]]:
        """The rest of the graph beside posts_validation_parts, as one part to validate: every
        entity and funding round, and the statements of asserted relations; as context, the
        class of each entry a statement or round was read from (its own triples are in the
        posts' part)."""
        types = self.types()
        chunks = [self._head(), self._all_entities_turtle()[0], b"\n",
                  "\n".join(self._rounds_turtle()[0]).encode("utf-8")]
        entries = {fact.entry for fact, _, _ in self.rounds().values()}
        for order in sorted(self.posts):
            for relation, block, _ in self.posts[order].statements:
                if fits(relation, types):
                    chunks.append(block)
                    entries.update(iri.decode("utf-8") for iri in _DERIVED_FROM.findall(block))
        context = "".join(f"{iri_term(entry)} a kgo:Entry .\n" for entry in sorted(entries))
        return b"".join(chunks), self._head() + context.encode("utf-8"), entries

    def validation_scope(self) -> tuple[bytes, bytes]:
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
        types = self.types()
        focus = [self._head()]
        for order in sorted(self.touched_posts):
            if order in self.posts:
                focus += [b"\n", *self._post_turtle(order, types)[0]]
        focus.append(self._entities_turtle([k for k in sorted(self.touched_entities) if k in self.entities],
                                           self.degrees())[0])
        focus += [("\n" + "\n".join(self._rounds_turtle()[0])).encode("utf-8")]
        focus_turtle = b"".join(focus)
        named = {iri.decode("utf-8") for iri in _IRI_REF.findall(focus_turtle)}
        context = [self._head(), "".join(f"{iri_term(part.iri)} a kgo:{part.type} .\n"
                                         for part in self.entities.values() if part.iri in named).encode("utf-8")]
        witnessed = set()       # a relation needs one statement saying where it was read, not all
        for order, post in self.posts.items():
            if order in self.touched_posts:
                continue
            for relation, block, _ in post.statements:
                if relation[0] in self.touched_entities and relation not in witnessed and fits(relation, types):
                    context.append(block)
                    if b"prov:wasDerivedFrom " in block:
                        witnessed.add(relation)
        context += ["".join(f"{iri_term(fact.entry)} a kgo:Entry .\n"
                            for fact, _, _ in self.rounds().values()).encode("utf-8")]
        return focus_turtle, b"".join(context)

    def page_data(self, style: dict, initial_limit: int) -> dict:
        """The explorer page's data (kg/render.py): nodes, edges, rounds, and per post the
        entities it mentions and the statements it makes."""
        edges = []
        types = self.types()
        for s, p, o in sorted(self.relations, key=lambda r: (r[0], r[2], r[1])):
            if fits((s, p, o), types):
                edges.append({"id": f"entity:{s}|{p}|entity:{o}", "from": f"entity:{s}", "to": f"entity:{o}",
                              "relation": p})
        ids = sorted(self.entities)         # the order of their ids, entity:KEY
        degree, entities = self.degrees(), self.entities
        nodes = [f'{{"degree":{degree[key]},{entities[key].node_json[1:]}' for key in ids]   # JSON texts
        rounds = []
        posts = self.ordered_posts()
        for rid, (fact, investors, post_name) in sorted(self.rounds().items()):
            rounds.append({"id": f"round:{rid}", "amount": fact.amount, "currency": fact.currency,
                           "series": fact.series, "date": str(fact.date or ""), "evidence": fact.evidence,
                           "post": post_name, "recipient": [f"entity:{fact.recipient}"],
                           "investors": sorted(f"entity:{i}" for i in investors)})
        ranked = sorted(ids, key=lambda k: -degree[k])      # stable: equal degrees in id order
        dates = sorted(str(p.date) for p in posts if p.date)
        return {"nodes": nodes, "edges": edges, "rounds": rounds, "style": style,
                "initial": sorted(f"entity:{k}" for k in ranked[:initial_limit]),
                "sources": [_page_without_unasserted(p, types) for p in posts],
                "entries": sum(p.entries for p in posts), "posts": len(posts),
                "dateRange": [dates[0], dates[-1]] if dates else []}

    def summary(self) -> tuple[Counter, Counter, int]:
        """Entities by type, relations by predicate, funding rounds."""
        types = self.types()
        relations = Counter(p for s, p, o in self.relations if fits((s, p, o), types))
        return Counter(types.values()), relations, len(self.rounds())


def assemble(extractions, lexicon: Lexicon, base: str = RESOURCE_BASE) -> bytes:
    """The Turtle of a few posts' extractions, assembled as a build would (for a library
    caller, or a test, that has extractions in hand rather than files)."""
    from kg.fragment import post_fragment
    assembly = Assembly(base)
    assembly.update([post_fragment(extraction, lexicon, base) for extraction in extractions])
    assembly.resolve(lexicon)
    return assembly.turtle()[0]
