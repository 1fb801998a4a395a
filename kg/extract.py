"""Stages 2-4 for one post: Post, Lexicon -> PostExtraction.

A pure function of the post and the lexicon (and the pattern files), so that it can be
cached by content hash and run in parallel: mentions (with the section headings'),
resolution to entity keys, facts, funding rounds and the dates they carry.
"""
import re
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from pathlib import Path

from kg.datafiles import words
from kg.dates import find_dates
from kg.funding import Round, find_rounds, investors_opening
from kg.lexicon import Lexicon
from kg.mentions import find_mentions, firm_kind_ending, link_mentions, named_by_their_links, names_of_the_post
from kg.posts import Post
from kg.relations import Fact, find_facts, load_confidence, makers_in_names, sentences
from kg.resolve import (Resolved, family_names_as_people, firm_names_as_one, owned_names_as_one, resolve_mentions,
                        shared_types, short_names_as_one, transliterations_as_one, typos_of_names_in_the_post)
from kg.resources import ontology_dir

Day = date             # (a field named date shadows the type inside its class)


@dataclass(frozen=True)
class EntryExtraction:
    position: int
    mentions: tuple[Resolved, ...]
    heading_mentions: tuple[Resolved, ...]
    facts: tuple[Fact, ...]
    rounds: tuple[Round, ...]
    date: Day | None                  # the first date the entry states, resolved against the period
    fact_dates: tuple[Day | None, ...]
    event_dates: tuple[tuple[str, Day], ...] = ()     # (event key, the day it is said to take place)


@dataclass(frozen=True)
class PostExtraction:
    post: Post
    entries: tuple[EntryExtraction, ...]


def _sentence_date(text: str, evidence: str, dates) -> date | None:
    at = text.find(evidence)
    if at < 0:
        return None
    for start, _, when in dates:
        if at <= start < at + len(evidence):
            return when
    return None


@lru_cache(maxsize=2)
def event_date_cues(path: Path | None = None) -> re.Pattern:
    path = Path(path) if path else ontology_dir() / "patterns" / "event-dates.txt"
    return re.compile("|".join(f"(?:{w})" for w in words(path)))


def _event_dates(text: str, mentions: tuple[Resolved, ...], dates) -> tuple[tuple[str, date], ...]:
    """An event named in a sentence that also gives a date and says it takes place then."""
    if not any(r.type == "Event" for r in mentions):
        return ()
    cues = event_date_cues()
    found = []
    for start, end in sentences(text):
        if not cues.search(text, start, end):
            continue
        when = next((d for s, _, d in dates if start <= s < end), None)
        if when is None:
            continue
        found += [(r.key, when) for r in mentions if r.type == "Event" and start <= r.mention.start < end]
    return tuple(dict.fromkeys(found))


def _with_investments(facts: list[Fact], rounds: list[Round], entry: int) -> list[Fact]:
    """Each investor a funding round names funds its recipient (said by the round's sentence)."""
    stated = {(f.subject, f.predicate, f.object) for f in facts}
    added = []
    for found in rounds:
        for investor in found.investors:
            if (investor, "funds", found.recipient) not in stated:
                stated.add((investor, "funds", found.recipient))
                added.append(Fact(investor, "funds", found.recipient, found.evidence, entry,
                                  confidence=load_confidence().get("funding", 0.9)))
    return [*facts, *added]


def _investors_of_the_round_before(before: EntryExtraction, entry, resolved: list[Resolved],
                                  facts: list[Fact]) -> tuple[EntryExtraction, list[Fact]]:
    """A round with no investors takes those the next entry opens with ('DFJ 领投，A、B 参与'):
    the round before, with them; and this entry's facts, with each funding its recipient (said
    by this entry's first sentence)."""
    last = before.rounds[-1]
    investors = tuple(dict.fromkeys(r.key for r in investors_opening(entry.text, resolved) if r.key != last.recipient))
    if not investors:
        return before, facts
    start, end = sentences(entry.text)[0]
    said = replace(last, investors=investors, evidence=entry.text[start:end].strip(), entry=entry.position)
    return replace(before, rounds=(*before.rounds[:-1], replace(last, investors=investors))), \
        _with_investments(facts, [said], entry.position)


def _firm_of_the_title(readable: list, everything: list[Resolved], in_title: int) -> Resolved | None:
    """The firm a post is about: the one firm or body its title names ('Stytch 的 API 优先无密码认证方法':
    Stytch), when the post names no other firm as often or names it first after the title.
    everything: the post's names, typed as the whole post types them, the first in_title of them
    the title's (when it is the first entry)."""
    if not readable or readable[0].position != 0:
        return None
    firms = {r.key: r for r in everything[:in_title] if r.type in ("Company", "Organization")}
    if not firms:       # (a firm the title names as its product's maker, '新的 Quantiva 服务', as the text after does)
        firm_keys = {r.key: r for r in everything if r.type in ("Company", "Organization")}
        firms = {r.key: firm_keys[r.key] for r in everything[:in_title] if r.key in firm_keys}
    if len(firms) > 1:          # 'Twitter、Yahoo 老将在初创企业 Streamlio 中…': the one a firm's kind word comes before
        title = readable[0].text          # (the kind word may stand a space before the name)
        described = [r for r in firms.values()
                     if firm_kind_ending().search(title[max(0, r.mention.start - 8):r.mention.start].rstrip())]
        return described[0] if len(described) == 1 else None
    if len(firms) != 1:
        return None
    counts = Counter(r.key for r in everything if r.type in ("Company", "Organization"))
    firm = next(iter(firms.values()))
    lead = next((r for r in everything[in_title:] if r.type in ("Company", "Organization")), None)
    # (or the first firm the text after the title names: the lead's subject, '通过新的 3Scale 服务…' then
    # 'API 管理供应商 3scale 希望…', however often another firm is named later)
    return firm if counts.most_common(1)[0][1] <= counts[firm.key] or lead is not None and lead.key == firm.key else None


# an entry's first line, trimmed, when more text follows it
_NOTE_FIRST_LINE = re.compile(r"\s*([^\n]*?)\s*\n\s*\S")


def _writers_firm(text: str, resolved: list[Resolved], facts: list) -> Resolved | None:
    """The firm an author's note says its person works for: an entry whose first line is a person's
    name alone ('拉克伦·怀特', then '拉克伦在 Acme 担任架构师'), the writer of the post, whose 我们 is that firm."""
    note = _NOTE_FIRST_LINE.match(text)         # (not a copy of a long entry's text, as split would make)
    writer = next((r for r in resolved if r.type == "Person" and r.mention.surface == note.group(1)), None) \
        if note is not None else None
    if writer is None:
        return None
    employer = next((f.object for f in facts if f.predicate == "worksFor" and f.subject == writer.key), None)
    return next((r for r in resolved if r.key == employer and r.type in ("Company", "Organization")), None)


def prepare(lexicon: Lexicon) -> None:
    """Load and compile now what extracting the first post would (the rules, the lexicon's
    indexes, jieba's dictionary): about half a second, which a worker process spends while
    the main process reads the last build's state."""
    from kg.funding import load_funding_words
    from kg.mentions import common_english, load_name_rules, warm_up_tagger
    from kg.relations import load_relation_rules
    lexicon.prepare()
    load_name_rules(), load_relation_rules(), load_funding_words(), common_english(), event_date_cues()
    warm_up_tagger(lexicon)


def extract_post(post: Post, lexicon: Lexicon) -> PostExtraction:
    entries: list[EntryExtraction] = []
    section_names: dict[tuple[str, ...], list[Resolved]] = {}    # a section's title, read once
    named_before: list[Resolved] = []          # the events earlier entries and headings named, in order
    earlier_names: list[tuple[Resolved, ...]] = []     # each earlier entry's names (for 该公司)
    readable = list(post.readable_entries())
    # every entry's names first: a name typed by its context in one entry keeps that type in
    # the others (kg.resolve.shared_types), before any relation is read
    tag_chinese = post.original is None         # a translation's names are its original's
    named = names_of_the_post([entry.text for entry in readable], [find_mentions(entry.text, lexicon, link_texts=[
        link.text for link in entry.links if link.text != link.url], tag_chinese=tag_chinese) for entry in readable],
        lexicon, translation=not tag_chinese)
    named = named_by_their_links(named, [entry.links for entry in readable], lexicon, [entry.text for entry in readable])
    per_entry = [resolve_mentions(mentions, lexicon, entry.text) for entry, mentions in zip(readable, named, strict=True)]
    if readable and readable[0].position == 0 and not per_entry[0]:
        readable, per_entry = readable[1:], per_entry[1:]      # a title that names nothing is left out
    everything = shared_types(short_names_as_one(firm_names_as_one(owned_names_as_one(transliterations_as_one(
        family_names_as_people(typos_of_names_in_the_post([r for resolved in per_entry for r in resolved], lexicon))), lexicon))))
    post_firm = _firm_of_the_title(readable, everything, len(per_entry[0]) if per_entry else 0)
    known_in_the_post = frozenset(r.key for r in everything if r.known)     # (what a heading's typos may be)
    writer_firm: Resolved | None = None        # the firm an author's note says the writer works for
    at = 0
    for entry, found in zip(readable, per_entry, strict=True):
        resolved, at = everything[at:at + len(found)], at + len(found)
        headings: list[Resolved] = []
        title: list[Resolved] = []
        if entry.section:
            if entry.section not in section_names:
                section_names[entry.section] = typos_of_names_in_the_post(resolve_mentions(
                    find_mentions(entry.section[-1], lexicon, tag_chinese=tag_chinese), lexicon), lexicon, known_in_the_post)
                headings = list(section_names[entry.section])     # a heading's names count once
            title = section_names[entry.section]
        for link in entry.links:
            headings += resolve_mentions(link_mentions(link.text, link.url, lexicon), lexicon)
        makers = makers_in_names(resolved, lexicon)            # 小米 of 小米 SU7, 恩智浦 of 恩智浦技术日: named too
        headings += makers
        earlier = tuple(reversed(earlier_names))
        facts = find_facts(entry.text, resolved, entry.position, context=tuple(named_before + title), earlier=earlier,
                           post_firm=post_firm, makers=tuple(makers), writer_firm=writer_firm)
        writer_firm = writer_firm or _writers_firm(entry.text, resolved, facts)
        named_here = {r.key for r in resolved}          # (Sysdig of 'Sysdig Secure DevOps', named nowhere else
        earlier_names.append((*resolved, *(m for m in makers if m.key not in named_here)))  # there: what 该公司 may be)
        named_before.extend(r for r in (*title, *resolved) if r.type == "Event")
        rounds = find_rounds(entry.text, resolved, entry.position, earlier=earlier)
        facts = _with_investments(facts, rounds, entry.position)
        if not rounds and entries and entries[-1].rounds and not entries[-1].rounds[-1].investors:
            entries[-1], facts = _investors_of_the_round_before(entries[-1], entry, resolved, facts)
        dates = find_dates(entry.text, post.period)
        lead = dates[0][2] if dates and dates[0][0] < (sentences(entry.text) or [(0, 0)])[0][1] else None
        fact_dates = tuple(_sentence_date(entry.text, f.evidence, dates) or lead for f in facts)
        entries.append(EntryExtraction(entry.position, tuple(resolved), tuple(headings), tuple(facts),
                                       tuple(rounds), lead, fact_dates, _event_dates(entry.text, tuple(resolved), dates)))
    return PostExtraction(post, tuple(entries))
