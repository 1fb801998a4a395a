"""Explaining extraction: one entry's text -> what each stage read in it, and why.

`kg explain TEXT` (or `--post FILE --line N`) prints the mentions with their types and where
each type came from, each sentence as the relation patterns see it (names replaced by their
type letters), the patterns that matched it (file and line), and the facts and funding
rounds read, so that someone who adds a word to a data file under ontology/ sees at once
what it does.
"""
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kg.dates import Period
from kg.errors import KgError
from kg.extract import extract_post
from kg.lexicon import Lexicon
from kg.numbers import plain_decimal
from kg.posts import Entry, Post, read_entries, read_post
from kg.relations import (CLOSE, OPEN, clause_views, load_relation_rules, pattern_hits, sentences, skeleton,
                          with_referents)

HOW = {"lexicon": "the lexicon", "head": "its last word (name-heads.tsv)", "cue": "a cue word (type-cues.tsv)",
       "owner": "the open-source foundation its name opens with (name-words.tsv project-owner)",
       "person": "a person's name (given names, family names, transliteration)", "default": "nothing: the default",
       "ampersand": "names joined by &", "link": "a link's text", "acronym": "its own acronym after it",
       "version": "a versioned name after a release cue",
       "list": "a list of bodies or firms it stands in (name-words.tsv endings)",
       "between-known": "a list between two names the lexicon knows",
       "hyphenated": "two transliterated names joined by a hyphen, a firm's",
       "suffix": "a body's or a firm's word after a transliterated name (name-words.tsv organization-suffix, company-suffix)",
       "closed-list": "the word that closes the list it stands in (type-cues.tsv after-list)",
       "opened-list": "the kind named before the list it stands in (type-cues.tsv before-list)",
       "tagger": "the Chinese-name tagger (LAC) near a cue word (name-words.tsv tagger-cue)",
       "dictionary": "jieba's dictionary, as a body's name ending as one (name-words.tsv organization-suffix)",
       "post": "the same name typed elsewhere in the post", "pronoun": "a phrase that refers back (pronouns.tsv)",
       "pronoun-firm": "它 for the firm the items before are about (clause-words.tsv firm-it-relation)",
       "group": "a name and a group word after it (group-names.tsv)",
       "full-name": "the registered firm's full name in brackets after it",
       "gathering": "Latin words and a gathering's word after them (name-words.tsv latin-event-word)",
       "firm": "a known firm and a firm word after it (group-names.tsv)",
       "variant": "a known product and a variant word after it (group-names.tsv)",
       "maker": "a known firm and a product word or a model's code after it (group-names.tsv)",
       "event-host": "a firm's ending inside a gathering's name (name-words.tsv firm-ending)",
       "model": "a known firm and a model's number after it"}


@dataclass(frozen=True)
class SentenceReading:
    text: str
    shape: str                          # the sentence with each name as <letter index>
    matched: tuple[tuple[str, str], ...]    # (pattern's file:line, predicate) of each pattern that matched
    views: tuple[str, ...] = ()         # its relative and passive clauses read as active ones


def _shown(shape: str) -> str:
    return shape.replace(OPEN, "<").replace(CLOSE, ">")


@dataclass(frozen=True)
class Explanation:
    mentions: tuple[tuple[str, str, str, str], ...]      # (surface, type, how it was typed, entity name)
    sentences: tuple[SentenceReading, ...]
    facts: tuple[tuple[str, str, str, str], ...]         # (subject, predicate, object, evidence)
    rounds: tuple[str, ...]


def explain(text: str, lexicon: Lexicon, section: tuple[str, ...] = (), post: Post | None = None,
            position: int | None = None) -> Explanation:
    """What extraction reads in one entry's text (under a section heading, if given), or in the
    entry at a position of a post, read with the rest of its post (its links, the names the
    post's other entries type)."""
    if post is None:
        post = Post(path="explain.md", name="explain.md", title="explain", issue=None, date=date.today(),
                    period=Period(None, date.today()), entries=(Entry(1, section, text),))
        position = 1
    found = [e for e in extract_post(post, lexicon).entries if e.position == position]
    if not found:
        raise KgError(f"{post.path}: kg reads no names in that item")
    entry = found[0]
    names = {r.key: r.name for r in (*entry.mentions, *entry.heading_mentions)}
    rules = load_relation_rules()
    readings = []
    for start, end in sentences(text):
        shape, inside = skeleton(text, start, end, with_referents(text, list(entry.mentions)), rules.modifiers)
        if not inside:
            continue
        shape, views = clause_views(shape)
        hits = [hit for view in (shape, *views) for hit in pattern_hits(view, rules)]
        readings.append(SentenceReading(text[start:end].strip(), _shown(shape), tuple(
            (pattern.source, pattern.predicate) for _, _, pattern, _ in hits), tuple(map(_shown, views))))
    return Explanation(
        tuple((r.mention.surface, r.type, HOW.get(r.mention.typed_by, r.mention.typed_by), r.name)
              for r in entry.mentions),
        tuple(readings),
        tuple((names.get(f.subject, f.subject), f.predicate, names.get(f.object, f.object), f.evidence)
              for f in entry.facts),
        tuple(f"{names.get(r.recipient, r.recipient)}: {plain_decimal(r.amount)} {r.currency}"
              + (f", series {r.series}" if r.series else "")
              + (f", investors {', '.join(names.get(i, i) for i in r.investors)}" if r.investors else "")
              for r in entry.rounds))


def entry_at(path: Path, line: int) -> tuple[Post, Entry]:
    """The post, and its entry that holds a line of its file (1-based)."""
    post = read_post(path)
    lines = Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
    if not 1 <= line <= len(lines):
        raise KgError(f"{path}: has no line {line} (it has {len(lines)})")
    wanted = lines[line - 1].strip()
    read = read_entries(wanted) if wanted else ()       # the line as the reader reads it: links as their text
    seen = read[0].text if read else ""
    for entry in post.entries:
        if wanted and any(part and part in entry.text
                          for part in (wanted, wanted.lstrip("-*0123456789. ").strip(), seen,
                                       wanted.lstrip("[ "), re.sub(r"\]\([^)]*\)\s*$", "", wanted))):
            return post, entry
    raise KgError(f"{path}:{line}: no news item of the post holds this line")
