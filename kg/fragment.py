"""Stage 5, fragments: one post's extraction -> its part of the build's outputs.

Everything about a post that does not depend on the rest of the archive is made here, in
the process that extracted it, and cached with it: its Turtle (the post, its entries,
links and statements, per ../shared/evaluation/CONTRACT.md) and its part of the explorer
page's data; and what the merge (assemble.py) needs from it: its observations of
entities, the relations it states, event dates and funding rounds.

An entity the lexicon knows has its IRI already (its type and name are the lexicon's);
any other entity's type and name are voted across the archive, so a reference to it stays
a placeholder (REF_OPEN key REF_CLOSE) until assembly. Keys are normalized names, which
hold letters and digits only, and literals escape these two characters, so a placeholder
cannot be confused with text.
"""
import hashlib
from array import array
from collections import Counter
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import msgpack

from kg.extract import PostExtraction
from kg.lexicon import Lexicon
from kg.namespace import KGO_PREFIXED as K
from kg.namespace import RESOURCE_BASE
from kg.numbers import plain_decimal
from kg.iris import Minter, statement_digest
from kg.pagetext import script_json
from kg.relations import load_relation_signatures
from kg.resolve import observation
from kg.turtle import PREFIXES, iri_term, literal_term

REF_OPEN, REF_CLOSE = "\ue010", "\ue011"


def entity_ref(key: str) -> str:
    return f"{REF_OPEN}{key}{REF_CLOSE}"


@dataclass(frozen=True)
class RoundFact:
    rid: str                    # the round's digest: recipient, amount, currency, series
    amount: str
    currency: str
    series: str | None
    date: date | None
    evidence: str
    entry: str                  # the IRI of the entry it was read from
    recipient: str              # entity key
    investors: tuple[str, ...]  # entity keys

    def plain(self) -> tuple:
        return (self.rid, self.amount, self.currency, self.series, self.date.toordinal() if self.date else None,
                self.evidence, self.entry, self.recipient, self.investors)

    @staticmethod
    def from_plain(values: tuple) -> "RoundFact":
        rid, amount, currency, series, day, *rest = values
        return RoundFact(rid, amount, currency, series, date.fromordinal(day) if day else None, *rest)


@dataclass(frozen=True)
class PostFragment:
    name: str
    path: str
    date: date | None
    # (key, type, name, surface, known, count) tuples, as msgpack: about a hundred small tuples
    # a post, which the assembly only reads when the post comes in or goes out; as one bytes
    # object they cost next to nothing to keep in the saved state (a tenth of a second at
    # 10,000 posts, against 0.8 s to save and load them as tuples)
    observed: bytes
    relations: tuple            # (subject key, predicate, object key), each once
    event_dates: tuple          # (event key, day)
    rounds: tuple[RoundFact, ...]
    turtle: bytes               # UTF-8 Turtle of the post, entries and links, placeholders for voted entities
    # per rdf:Statement: (the relation it states, its Turtle block, its triples); the assembly
    # writes those whose relation it asserts (both ends' voted types fit the relation)
    statements: tuple[tuple[tuple, bytes, int], ...]
    unresolved: tuple[str, ...]     # the keys of the placeholders in turtle and statements
    page: str                   # this post's part of the page data, as JSON safe inside <script>
    triples: int
    entries: int
    problems: tuple[str, ...]
    digest: str = ""            # of the post's file (its name and bytes): the same digest, the same fragment
    # spans of turtle that no shape reads (array('I') bytes: start, end, ...), left out of the
    # whole graph's check; emptied whenever turtle is rewritten
    unread: bytes = b""

    @property
    def observations(self) -> tuple:
        return msgpack.unpackb(self.observed, use_list=False)

    @property
    def order(self) -> tuple[str, str]:
        return self.name, self.path

    def plain(self) -> tuple:
        """The fragment as a tuple of strings, numbers, bytes and tuples (what msgpack writes:
        the extraction cache and the rebuild state keep fragments so)."""
        return (self.name, self.path, self.date.toordinal() if self.date else None, self.observed, self.relations,
                tuple((key, day.toordinal()) for key, day in self.event_dates),
                tuple(fact.plain() for fact in self.rounds), self.turtle, self.statements, self.unresolved,
                self.page, self.triples, self.entries, self.problems, self.digest, self.unread)

    @staticmethod
    def from_plain(values: tuple) -> "PostFragment":
        name, path, day, observed, relations, event_dates, rounds, *rest = values
        return PostFragment(name, path, date.fromordinal(day) if day else None, observed, relations,
                            tuple((key, date.fromordinal(d)) for key, d in event_dates),
                            tuple(RoundFact.from_plain(r) for r in rounds), *rest)


class _Block:
    """Turtle lines of one subject."""

    def __init__(self, subject: str, kind: str):
        self.subject, self.kind, self.lines, self.predicates, self.count = subject, kind, [f"    a {kind}"], ["a"], 1

    def add(self, predicate: str, *objects: str) -> None:
        if objects:
            self.lines.append(f"    {predicate} {', '.join(objects)}")
            self.predicates.append(predicate)
            self.count += len(objects)

    def text(self) -> str:
        return self.subject + "\n" + " ;\n".join(self.lines) + " .\n"


@lru_cache(maxsize=256)
def _unread_lines(kind: str, predicates: tuple[str, ...]) -> tuple[bool, tuple[bytes, ...]]:
    """For a block of a class and predicates (as written), what no shape reads: (the whole
    block?, else the lines that open with each of these bytes)."""
    from kg.validate import shapes_read
    read = shapes_read()

    assert read is not None                 # (asked only when the shapes' reads are known)

    def unread(written: str, iris: frozenset[str]) -> bool:
        prefix, _, local = written.partition(":")
        return PREFIXES.get(prefix, "\0") + local not in iris
    skipped = [p for p in predicates[1:] if unread(p, read[0])]
    whole = bool(skipped) and len(skipped) == len(predicates) - 1 and unread(kind, read[1])
    return whole, tuple(b" ;\n    " + p.encode("utf-8") + b" " for p in skipped)


def _turtle_with_unread(blocks: list[_Block]) -> tuple[bytes, bytes]:
    """The blocks as UTF-8 Turtle, and the byte spans in it of what no shape reads (a line of a
    predicate they never read, with the ' ;' before it; a whole block of a class they never read
    and of such predicates), as array('I') bytes of start, end pairs. The whole graph's check
    leaves these out of its store: nearly half the posts' triples, the same violations. When
    the shapes may read anything, no spans."""
    from kg.validate import shapes_read
    if shapes_read() is None:
        return "\n".join(b.text() for b in blocks).encode("utf-8"), b""
    out, spans, at = [], array("I"), 0
    for number, block in enumerate(blocks):
        if number:
            out.append(b"\n")
            at += 1
        data = block.text().encode("utf-8")
        whole, openings = _unread_lines(block.kind, tuple(block.predicates))
        if whole:
            spans.extend((at, at + len(data)))
        else:
            cursor = 0
            for opening in openings:
                # from ' ;' before the line up to its own ' ;' or ' .' (a literal holds no raw
                # line break: a line break is a line's end)
                start = data.index(opening, cursor)
                cursor = data.index(b"\n", start + 3) - 2
                if spans and spans[-1] == at + start:
                    spans[-1] = at + cursor
                else:
                    spans.extend((at + start, at + cursor))
        out.append(data)
        at += len(data)
    return b"".join(out), spans.tobytes()


def without_unread(turtle: bytes, unread: bytes):
    """A post's Turtle less the spans no shape reads (PostFragment.unread)."""
    if not unread:
        return turtle
    spans, view, pieces, at = array("I"), memoryview(turtle), [], 0
    spans.frombytes(unread)
    for i in range(0, len(spans), 2):
        pieces.append(view[at:spans[i]])
        at = spans[i + 1]
    pieces.append(view[at:])
    return b"".join(pieces)


def _date(value) -> str:
    return literal_term(value.isoformat(), datatype="xsd:date")


class _PostWriter:
    """Writes one post's blocks: the post, its entries and links, its statements; and gathers
    what the merge needs of it (observations, relations, event dates, rounds) and the page's."""

    def __init__(self, extraction: PostExtraction, lexicon: Lexicon, base: str):
        self.post, self.lexicon, self.mint = extraction.post, lexicon, Minter(base)
        self.slug = self.post.slug                 # (made from the file name on each use)
        self.iri = iri_term(self.mint.post(self.slug))
        self.unresolved: dict[str, None] = {}
        self.blocks: list[_Block] = []
        self.observations: Counter = Counter()
        self.relations: dict[tuple, None] = {}
        self.event_dates: dict[tuple, None] = {}
        self.rounds: list[RoundFact] = []
        self.statements: dict[str, dict] = {}
        self.page_mentions: set[str] = set()
        self.page_statements: list = []

    def ref(self, key: str) -> str:
        """An entity's IRI when the lexicon knows it, else its placeholder (kg/assemble.py fills it)."""
        known = self.lexicon.entries.get(key)
        if known is not None:
            return iri_term(self.mint.entity(known.type, known.name))
        self.unresolved[key] = None
        return entity_ref(key)

    def post_block(self) -> None:
        post = self.post
        block = _Block(self.iri, K.Post)
        block.add(K.title, literal_term(post.title))
        block.add(K.sourcePath, literal_term(post.name))
        if post.issue is not None:
            block.add(K.issueNumber, literal_term(str(post.issue), datatype="xsd:integer"))
        for predicate, value in ((K.date, post.date), (K.periodStart, post.period.start),
                                 (K.periodEnd, post.period.end)):
            if value:
                block.add(predicate, _date(value))
        self.blocks.append(block)

    def entry(self, entry, source) -> None:
        """An entry's block and its links' blocks; its mentions, facts and rounds gathered."""
        entry_iri = self.mint.entry(self.slug, entry.position)
        block = _Block(iri_term(entry_iri), K.Entry)
        block.add(K.partOf, self.iri)
        block.add(K.position, literal_term(str(entry.position), datatype="xsd:integer"))
        if source.section_label:
            block.add(K.section, literal_term(source.section_label))
        block.add(K.text, literal_term(source.text))
        if entry.date:
            block.add(K.date, _date(entry.date))
        links = [(link.text, link.url) for link in source.links]
        link_blocks = []
        for index, (text, url) in enumerate(links, start=1):
            link = _Block(iri_term(f"{entry_iri}/link/{index}"), K.Link)
            link.add(K.linkText, literal_term(text))
            link.add(K.url, literal_term(url, datatype="xsd:anyURI"))
            link_blocks.append(link)
        block.add(K.link, *sorted(link.subject for link in link_blocks))
        for r in (*entry.mentions, *entry.heading_mentions):
            self.observations[observation(r)] += 1
        # a fact votes once more for the type its reading took each end to be: a name a founder
        # works for is a firm, whatever a descriptor before it said (平台 Strattic); of the types
        # the entry read a name as, the one the relation's signature names first
        signatures = load_relation_signatures()
        named = (*entry.mentions, *entry.heading_mentions)
        for fact in entry.facts:
            for key, allowed in zip((fact.subject, fact.object), signatures[fact.predicate], strict=True):
                r = next((r for kind in allowed for r in named if r.key == key and r.type == kind), None)
                if r is not None:
                    self.observations[observation(r)] += 1
        mentioned = list(dict.fromkeys(r.key for r in (*entry.heading_mentions, *entry.mentions)))
        self.page_mentions.update(mentioned)
        block.add(K.mentions, *sorted({self.ref(key) for key in mentioned}))
        self.blocks += [block, *link_blocks]
        for key, day in entry.event_dates:
            self.event_dates[(key, day)] = None
        self.facts(entry, source, entry_iri, links)
        for found in entry.rounds:
            amount = plain_decimal(found.amount)
            rid = hashlib.sha1(f"{found.recipient}|{amount}|{found.currency}|{found.series or ''}".encode()).hexdigest()[:12]
            self.rounds.append(RoundFact(rid, amount, found.currency, found.series, entry.date, found.evidence,
                                         entry_iri, found.recipient, tuple(found.investors)))

    def facts(self, entry, source, entry_iri: str, links: list) -> None:
        """An entry's facts, gathered per statement (a relation stated in this entry)."""
        entry_node = f"entry:{self.slug}#{entry.position}"
        for fact, when in zip(entry.facts, entry.fact_dates, strict=True):
            self.relations[(fact.subject, fact.predicate, fact.object)] = None
            described = statement_digest(fact.subject, fact.predicate, fact.object, entry_node)
            st = self.statements.setdefault(described, {"fact": fact, "entry": entry_iri, "evidence": set(),
                                                         "date": set(), "version": set(), "confidence": 0.0})
            st["evidence"].add(fact.evidence)
            st["confidence"] = max(st["confidence"], fact.confidence)
            if when:
                st["date"].add(when)
            if fact.version:
                st["version"].add(fact.version)
            edge = f"entity:{fact.subject}|{fact.predicate}|entity:{fact.object}"
            self.page_statements.append((entry.position, edge, fact.evidence, described, {
                "edge": edge, "evidence": fact.evidence,
                "section": source.section_label, "date": str(when or self.post.date or ""),
                "links": [{"text": t, "url": u} for t, u in links]}))

    def statement_blocks(self) -> list[tuple[tuple, bytes, int]]:
        """Per statement: (the relation it states, its Turtle block, its triples)."""
        written = []
        for described, st in sorted(self.statements.items()):
            fact = st["fact"]
            block = _Block(iri_term(self.mint.node("statement", described)), "rdf:Statement")
            block.add("rdf:subject", self.ref(fact.subject))
            block.add("rdf:predicate", K[fact.predicate])
            block.add("rdf:object", self.ref(fact.object))
            block.add("prov:wasDerivedFrom", iri_term(st["entry"]))
            block.add(K.evidence, *sorted(literal_term(e) for e in st["evidence"]))
            block.add(K.date, *sorted(_date(d) for d in st["date"]))
            if self.post.date:
                block.add(K.reportedOn, _date(self.post.date))
            block.add(K.version, *sorted(literal_term(v) for v in st["version"]))
            block.add(K.confidence, literal_term(f"{round(st['confidence'], 2):g}", datatype="xsd:decimal"))
            written.append(((fact.subject, fact.predicate, fact.object), ("\n" + block.text()).encode("utf-8"),
                            block.count))
        return written

    def page(self) -> str:
        post = self.post
        return script_json({"post": post.name, "title": post.title, "date": str(post.date or ""),
                            "mentions": sorted(f"entity:{key}" for key in self.page_mentions),
                            "statements": [{**st, "confidence": round(self.statements[described]["confidence"], 2)}
                                           for *_, described, st in sorted(self.page_statements, key=lambda x: x[:3])]})


def post_fragment(extraction: PostExtraction, lexicon: Lexicon, base: str = RESOURCE_BASE,
                  problems=(), digest: str = "") -> PostFragment:
    """One post's extraction -> its fragment: its Turtle, its part of the page, and what the
    merge needs of it."""
    writer = _PostWriter(extraction, lexicon, base)
    writer.post_block()
    by_position = {e.position: e for e in extraction.post.readable_entries()}
    for entry in extraction.entries:
        writer.entry(entry, by_position[entry.position])
    statements = writer.statement_blocks()
    page = writer.page()
    turtle, unread = _turtle_with_unread(writer.blocks)
    observed = tuple((*obs, count) for obs, count in sorted(writer.observations.items(), key=lambda kv: repr(kv[0])))
    post = extraction.post
    return PostFragment(
        post.name, post.path, post.date, msgpack.packb(observed),
        tuple(writer.relations), tuple(writer.event_dates), tuple(writer.rounds),
        turtle, tuple(statements), tuple(sorted(writer.unresolved)), page,
        sum(b.count for b in writer.blocks), len(extraction.entries), tuple(problems), digest, unread)
