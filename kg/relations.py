"""Stage 4, relations: an entry's sentences and resolved mentions -> [Fact].

Each sentence becomes a skeleton in which every mention is a typed placeholder
(\\ue000 + a type letter + its index + \\ue001); the cue patterns of
ontology/patterns/relations.tsv, compiled to regular expressions over that skeleton,
find subject and object. Lists (A、B和C) give one fact per member; a subject that
Chinese drops (同时，发布了X) is the entry's topic. Every fact keeps its sentence.
"""
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg.errors import DataFileError
from kg.namespace import ENTITY_TYPES, RELATIONS, SYMMETRIC_RELATIONS
from kg.resolve import Resolved
from kg.resources import ontology_dir

OPEN, CLOSE = "\ue000", "\ue001"
TYPE_LETTER = {"Company": "C", "Organization": "G", "Product": "P", "Project": "J",
               "Release": "R", "Event": "E", "Person": "H"}
_SENTENCE_END = re.compile(r"[。！？；!?;\n]+")
_LIST_JOINER = r"\s*(?:、|,|，\s*(?=" + OPEN + r")|和|与|及|以及|跟|and|&)\s*"
_GAP_SHORT = rf"[^{OPEN}{CLOSE}。；！？\n，,]{{0,15}}?"
_GAP_LONG = r"[^。；！？\n，]{0,40}?"


@dataclass(frozen=True)
class Fact:
    subject: str            # entity key
    predicate: str
    object: str
    evidence: str           # the sentence it was read from
    entry: int              # the entry's position in its post
    version: str | None = None


@dataclass(frozen=True)
class RelationPattern:
    predicate: str
    regex: re.Pattern
    subject_list: bool
    object_list: bool
    subject_optional: bool
    has_object: bool
    subject_types: tuple[str, ...]
    source: str


def _token(types: list[str]) -> str:
    letters = "".join(TYPE_LETTER[t] for t in types)
    return f"{OPEN}[{letters}]\\d+{CLOSE}"


def _slot(role: str, plus: bool, optional: bool, types: list[str], last: bool) -> str:
    token = _token(types)
    body = f"{token}(?:{_LIST_JOINER}{token})*" if plus else token
    group = f"(?P<{role}>{body})"
    if role == "O" and last:
        group += r"(?!\s*的)"          # an object ending the pattern is never a modifier (X的Y)
    return f"(?:{group}\\s*)?" if optional else group


_SLOT_RE = re.compile(r"\{(S|O)(\+)?(\?)?(?::([A-Za-z|]+))?\}")


def compile_pattern(predicate: str, pattern: str, signatures: dict, source: str) -> RelationPattern:
    subject_types, object_types = signatures[predicate]
    flags = {"S": (False, False), "O": (False, False)}
    allowed_subjects = subject_types
    pieces, last = [], 0
    for match in _SLOT_RE.finditer(pattern):
        role, plus, optional, narrowed = match.groups()
        types = narrowed.split("|") if narrowed else (subject_types if role == "S" else object_types)
        unknown = [t for t in types if t not in TYPE_LETTER]
        if unknown:
            raise DataFileError(source, None, f"unknown type {unknown[0]!r} in {match.group(0)}")
        pieces.append(_literal(pattern[last:match.start()]))
        at_end = not pattern[match.end():].strip()
        pieces.append(_slot(role, bool(plus), bool(optional), types, at_end))
        if role == "S":
            allowed_subjects = types
        flags[role] = (bool(plus), bool(optional))
        last = match.end()
    pieces.append(_literal(pattern[last:]))
    if "(?P<S>" not in "".join(pieces):
        raise DataFileError(source, None, "a pattern needs a subject {S}")
    try:
        regex = re.compile("".join(pieces))
    except re.error as error:
        raise DataFileError(source, None, f"bad pattern: {error}") from None
    return RelationPattern(predicate, regex, flags["S"][0], flags["O"][0], flags["S"][1],
                           "(?P<O>" in regex.pattern, tuple(allowed_subjects), source)


def _literal(fragment: str) -> str:
    """Gaps and spaces of the pattern language; the rest is regular expression as written."""
    out = fragment.replace("~~", "\u0002").replace("~", "\u0001")
    out = re.sub(r"(?<!\\) ", r"\\s*", out)
    return out.replace("\u0002", _GAP_LONG).replace("\u0001", _GAP_SHORT)


def _read_tsv(path: Path) -> list[tuple[int, list[str]]]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#") or number == 1:
            continue
        rows.append((number, line.split("\t")))
    return rows


@lru_cache(maxsize=4)
def load_patterns(directory: Path | None = None) -> tuple[RelationPattern, ...]:
    directory = Path(directory) if directory else ontology_dir() / "patterns"
    signatures = {}
    sig_path = directory / "relation-signatures.tsv"
    for number, cells in _read_tsv(sig_path):
        if len(cells) != 3 or cells[0] not in RELATIONS:
            raise DataFileError(sig_path, number, "expected: predicate, subject types, object types")
        subject_types, object_types = cells[1].split("|"), cells[2].split("|")
        for kind in subject_types + object_types:
            if kind not in ENTITY_TYPES:
                raise DataFileError(sig_path, number, f"unknown type {kind!r}")
        signatures[cells[0]] = (subject_types, object_types)
    patterns = []
    pat_path = directory / "relations.tsv"
    for number, cells in _read_tsv(pat_path):
        if len(cells) != 2 or cells[0] not in signatures:
            raise DataFileError(pat_path, number, "expected: predicate (one of the signatures), pattern")
        try:
            patterns.append(compile_pattern(cells[0], cells[1], signatures, f"{pat_path.name}:{number}"))
        except DataFileError as error:
            raise DataFileError(pat_path, number, error.problem if hasattr(error, "problem") else str(error)) from None
    return tuple(patterns)


def sentences(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences of a text (split at 。！？；, newlines and their ASCII kin)."""
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        if match.start() > start:
            spans.append((start, match.start()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def skeleton(text: str, start: int, end: int, mentions: list[Resolved]) -> tuple[str, list[Resolved]]:
    """The sentence text[start:end] with each mention inside it replaced by a placeholder."""
    inside = [r for r in mentions if r.mention.start >= start and r.mention.end <= end]
    out, cursor = [], start
    for index, resolved in enumerate(inside):
        out.append(text[cursor:resolved.mention.start])
        out.append(f"{OPEN}{TYPE_LETTER[resolved.type]}{index}{CLOSE}")
        cursor = resolved.mention.end
    out.append(text[cursor:end])
    return "".join(out), inside


_INDEX_RE = re.compile(f"{OPEN}[A-Z](\\d+){CLOSE}")


def _members(group: str | None, inside: list[Resolved]) -> list[Resolved]:
    return [inside[int(i)] for i in _INDEX_RE.findall(group or "")]


def find_facts(text: str, mentions: list[Resolved], entry: int, patterns=None) -> list[Fact]:
    """Facts stated in one entry's text, in text order, each with its evidence sentence."""
    patterns = load_patterns() if patterns is None else patterns
    facts: list[Fact] = []
    subjects_so_far: list[Resolved] = []
    for start, end in sentences(text):
        sentence = text[start:end].strip()
        shape, inside = skeleton(text, start, end, mentions)
        if not inside:
            continue
        hits = []
        for pattern in patterns:
            for match in pattern.regex.finditer(shape):
                hits.append((match.start(), pattern.source, pattern, match))
        hits.sort(key=lambda h: (h[0], h[1]))
        for position, _, pattern, match in hits:
            subjects = _members(match.group("S"), inside)
            objects = _members(match.group("O"), inside) if pattern.has_object else []
            if not subjects and pattern.subject_optional:
                subjects = _topic(subjects_so_far, pattern) or _nearest_before(mentions, inside, pattern)
            if not subjects:
                continue
            if pattern.has_object:
                pairs = [(s, o) for s in subjects for o in objects]
            elif pattern.predicate in SYMMETRIC_RELATIONS:
                pairs = [(a, b) for i, a in enumerate(subjects) for b in subjects[i + 1:]]
            else:
                pairs = []
            for s, o in pairs:
                if s.key == o.key:
                    continue
                facts.append(Fact(s.key, pattern.predicate, o.key, sentence, entry, o.mention.version))
            if pairs:
                subjects_so_far.extend(subjects)
    return list(dict.fromkeys(facts))


def _topic(subjects_so_far: list[Resolved], pattern: RelationPattern) -> list[Resolved]:
    """The entry's topic for a dropped subject: the latest subject of an earlier fact that
    the relation allows as subject (同时，发布了X -> the company that released before)."""
    for resolved in reversed(subjects_so_far):
        if resolved.type in pattern.subject_types:
            return [resolved]
    return []


def _nearest_before(mentions: list[Resolved], inside: list[Resolved], pattern: RelationPattern) -> list[Resolved]:
    """With no earlier fact, the last mention before this sentence that the relation allows as
    subject, preferring companies and organizations."""
    first_inside = inside[0].mention.start if inside else None
    before = [r for r in mentions if first_inside is None or r.mention.start < first_inside]
    for preferred in (("Company", "Organization"), pattern.subject_types):
        for resolved in reversed(before):
            if resolved.type in preferred and resolved.type in pattern.subject_types:
                return [resolved]
    return []
