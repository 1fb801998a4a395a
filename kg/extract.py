"""Stages 2-4 for one post: Post, Lexicon -> PostExtraction.

A pure function of the post and the lexicon (and the pattern files), so that it can be
cached by content hash and run in parallel: mentions (with the section headings'),
resolution to entity keys, facts, funding rounds and the dates they carry.
"""
from dataclasses import dataclass
from datetime import date

from kg.dates import find_dates
from kg.funding import Round, find_rounds
from kg.lexicon import Lexicon
from kg.mentions import find_mentions, link_mentions
from kg.posts import Post
from kg.relations import Fact, find_facts, sentences
from kg.resolve import Resolved, resolve_mentions


@dataclass(frozen=True)
class EntryExtraction:
    position: int
    mentions: tuple[Resolved, ...]
    heading_mentions: tuple[Resolved, ...]
    facts: tuple[Fact, ...]
    rounds: tuple[Round, ...]
    date: date | None                 # the first date the entry states, resolved against the period
    fact_dates: tuple[date | None, ...]


@dataclass(frozen=True)
class PostExtraction:
    post: Post
    entries: tuple[EntryExtraction, ...]


def _sentence_date(text: str, evidence: str, dates) -> date | None:
    at = text.find(evidence)
    if at < 0:
        return None
    for start, end, when in dates:
        if at <= start < at + len(evidence):
            return when
    return None


def extract_post(post: Post, lexicon: Lexicon) -> PostExtraction:
    entries = []
    seen_headings: set[tuple[str, ...]] = set()
    for entry in post.entries:
        link_texts = [link.text for link in entry.links if link.text != link.url]
        resolved = resolve_mentions(find_mentions(entry.text, lexicon, link_texts=link_texts), lexicon)
        headings: list[Resolved] = []
        if entry.section and entry.section not in seen_headings:
            seen_headings.add(entry.section)
            title = entry.section[-1]
            headings = resolve_mentions(find_mentions(title, lexicon), lexicon)
        for link in entry.links:
            headings += resolve_mentions(link_mentions(link.text, link.url, lexicon), lexicon)
        facts = find_facts(entry.text, resolved, entry.position)
        rounds = find_rounds(entry.text, resolved, entry.position)
        dates = find_dates(entry.text, post.period)
        lead = dates[0][2] if dates and dates[0][0] < (sentences(entry.text) or [(0, 0)])[0][1] else None
        fact_dates = tuple(_sentence_date(entry.text, f.evidence, dates) or lead for f in facts)
        entries.append(EntryExtraction(entry.position, tuple(resolved), tuple(headings), tuple(facts),
                                       tuple(rounds), lead, fact_dates))
    return PostExtraction(post, tuple(entries))
