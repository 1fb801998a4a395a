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
import threading
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from kg.namespace import KGO_PREFIXED as K
from kg.fragment import REF_CLOSE, REF_OPEN, PostFragment, RoundFact
from kg.lexicon import Lexicon, normalize
from kg.namespace import RESOURCE_BASE
from kg.iris import Minter, language
from kg.relations import load_relation_signatures
from kg.pagetext import display_label, script_json
from kg.resolve import EntityVotes
from kg.turtle import iri_term, literal_term

_OPEN, _CLOSE = REF_OPEN.encode("utf-8"), REF_CLOSE.encode("utf-8")


def filled(turtle: bytes, term_of) -> bytes:
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

    def memoized(self, name: str, make):
        with _MEMO_LOCK:        # a build's validation thread asks for some of the same while the page is made
            if name not in self._memo:
                self._memo[name] = make()
            return self._memo[name]

    def post_turtle(self, order, fragment: PostFragment | None = None) -> bytes:
        """A post's own Turtle (post, entries, links), from memory or from the journal."""
        return bytes(self.post_turtle_view(order, fragment))

    def post_turtle_view(self, order, fragment: PostFragment | None = None):
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
        lines = [f"    a {K[entity.type]}", f"    rdfs:label {literal_term(entity.name, lang=language(entity.name))}"]
        if entity.aliases:
            lines.append("    skos:altLabel " + ", ".join(literal_term(a, lang=language(a)) for a in entity.aliases))
        days = self.event_dates.get(key)
        if days:
            lines.append(f"    {K.date} {literal_term(min(days).isoformat(), datatype='xsd:date')}")
        keys = sorted({normalize(n) for n in (entity.name, *entity.aliases)} - {""})
        lines.append(f"    {K.key} " + ", ".join(literal_term(k) for k in keys))
        triples = 2 + len(entity.aliases) + bool(days) + len(keys)
        objects: dict[str, list[str]] = {}
        for (s, p, o) in relations:
            if o in iris and fits((s, p, o), types):
                objects.setdefault(p, []).append(iri_term(iris[o]))
        for predicate in sorted(objects):
            lines.append(f"    {K[predicate]} " + ", ".join(sorted(objects[predicate])))
            triples += len(objects[predicate])
        node = {"id": f"entity:{key}", "name": entity.name, "type": entity.type, "aliases": list(entity.aliases),
                "label": display_label(entity.name, list(entity.aliases))}
        return _EntityPart(iri, iri_term(iri) + "\n" + " ;\n".join(lines) + " .\n", triples, entity.type,
                           script_json(node))

    def resolve(self, lexicon: Lexicon) -> None:
        """Redo the entities the changed posts touched, and everything that names one whose
        IRI changed; fill the entity IRIs into the posts' Turtle."""
        old = {key: part.iri for key, part in self.entities.items()}
        iris, changed, voted = self._vote(lexicon, old)
        keys = set(self.votes.keys())
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
        self._fill_fresh_posts(iris)
        self._move_iris({key: (iri_term(old[key]).encode("utf-8"), iri_term(iris[key]).encode("utf-8"))
                         for key in changed if key in old and key in iris})
        if changed:     # a changed type can make a post's statements asserted or not
            self.touched_posts.update(order for order, fragment in self.posts.items()
                                      if any(s in changed or o in changed for (s, _, o), _, _ in fragment.statements))
        self.fresh.clear()
        self.dirty.clear()
        self._memo.clear()

    def _vote(self, lexicon: Lexicon, old: dict[str, str]) -> tuple[dict[str, str], set[str], dict]:
        """Every entity's IRI after the votes on the changed ones, the keys whose IRI changed
        (or that are gone), and the changed entities as voted."""
        mint = Minter(self.base)
        keys = set(self.votes.keys())
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
        return iris, changed, voted

    def _fill_fresh_posts(self, iris: dict[str, str]) -> None:
        """The placeholders of the posts put in since the last resolve, replaced by IRIs."""
        terms: dict[bytes, bytes] = {}            # a placeholder's key -> its entity's IRI term

        def ref(key: bytes) -> bytes:
            term = terms.get(key)
            if term is None:
                term = terms[key] = iri_term(iris[key.decode("utf-8")]).encode("utf-8")
            return term
        for order in self.fresh:
            fragment = self.posts[order]
            if fragment.unresolved:
                self.posts[order] = replace(fragment, turtle=filled(fragment.turtle, ref), unread=b"", statements=tuple(
                    (relation, filled(block, ref), count) for relation, block, count in fragment.statements))

    def _move_iris(self, moved: dict[str, tuple[bytes, bytes]]) -> None:
        """Unchanged posts that name an entity whose IRI changed, rewritten with the new one."""
        for order, fragment in self.posts.items():
            keys_moved = moved.keys() & set(fragment.unresolved) if order not in self.fresh else set()
            if not keys_moved:
                continue
            self.touched_posts.add(order)
            turtle, statements = self.post_turtle(order, fragment), list(fragment.statements)
            for key in keys_moved:
                turtle = turtle.replace(*moved[key])
                statements = [(relation, block.replace(*moved[key]), count) for relation, block, count in statements]
            self.posts[order] = replace(fragment, turtle=turtle, unread=b"", statements=tuple(statements))

    # -- outputs --------------------------------------------------------------------------

    def types(self) -> dict[str, str]:
        """entity key -> its voted type."""
        return self.memoized("types", lambda: {key: part.type for key, part in self.entities.items()})

    def ordered_posts(self) -> list[PostFragment]:
        return [self.posts[order] for order in sorted(self.posts)]

    def rounds(self) -> dict[str, tuple[RoundFact, set, str]]:
        """Each funding round of an entity once (as the first post in order states it, with that
        post's name), with every investor any post names for it whose voted type can fund."""
        return self.memoized("rounds", self._find_rounds)

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

    def degrees(self) -> dict[str, int]:
        """entity key -> how many other entities it has an asserted relation with, either way."""
        return self.memoized("degrees", self._count_degrees)

    def related_pairs(self) -> set[tuple[str, str]]:
        """The pairs of entities an asserted relation joins, each pair once (in key order):
        what degrees, communities and centrality are counted over."""
        def pairs():
            types = self.types()
            return {(min(s, o), max(s, o)) for s, p, o in self.relations if fits((s, p, o), types)}
        return self.memoized("related pairs", pairs)

    def _count_degrees(self) -> dict[str, int]:
        degree = Counter(key for pair in self.related_pairs() for key in set(pair))
        return {key: degree[key] for key in self.entities}

    def degree_ranks(self, degrees: dict[str, int]) -> dict[str, int]:
        """entity key -> its place by degree among the entities with relations (1 = the most
        connected; equal degrees in IRI order)."""
        ranked = sorted((k for k, d in degrees.items() if d > 0), key=lambda k: (-degrees[k], self.entities[k].iri))
        return {key: place for place, key in enumerate(ranked, 1)}

    def summary(self) -> tuple[Counter, Counter, int]:
        """Entities by type, relations by predicate, funding rounds."""
        types = self.types()
        relations = Counter(p for s, p, o in self.relations if fits((s, p, o), types))
        return Counter(types.values()), relations, len(self.rounds())
