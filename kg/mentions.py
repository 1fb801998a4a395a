"""Stage 2, mentions: an entry's text and the lexicon -> [Mention] (typed spans).

Two sources, found first and merged in one place:
- known names: one Aho-Corasick pass over the text (lexicon.find);
- new names: runs of Latin script inside Chinese text ("Orange Box", "DreamCompute"),
  typed by cue words around them (ontology/patterns/type-cues.tsv), and names in link texts.
URLs, e-mail addresses and inline paths are masked first: they are never entities.
"""
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg.errors import DataFileError
from kg.lexicon import Lexicon, has_cjk, split_version
from kg.namespace import ENTITY_TYPES
from kg.resources import ontology_dir


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    surface: str            # the text as written: "Mirantis OpenStack 5.0"
    name: str               # the name without its version: "Mirantis OpenStack"
    type: str
    version: str | None = None
    known: bool = False     # from the lexicon


@dataclass(frozen=True)
class TypeCue:
    type: str
    where: str              # "before" or "after"
    pattern: re.Pattern


_URL_RE = re.compile(r"(?:https?|ftp)://[^\s<>\"'，。；）)】]+|www\.[A-Za-z0-9.-]+\.[a-z]{2,}\S*|"
                     r"[\w.+-]+@[\w-]+\.[\w.-]+|(?<![A-Za-z])(?:/[\w.-]+){2,}/?")
_LATIN_RUN_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9.+&'’_/-]*(?:[ \t]+(?:of |for |and |on |de )?[A-Za-z0-9][A-Za-z0-9.+&'’_/-]*)*")
_TRIM = ".-/_'’&+ \t"


def mask_urls(text: str) -> str:
    """URLs and e-mail addresses replaced by spaces: offsets stay the same."""
    return _URL_RE.sub(lambda m: " " * len(m.group(0)), text)


@lru_cache(maxsize=4)
def load_type_cues(path: Path | None = None) -> tuple[TypeCue, ...]:
    path = Path(path) if path else ontology_dir() / "patterns" / "type-cues.tsv"
    cues = []
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.startswith("#") or number == 1:
            continue
        cells = line.split("\t")
        if len(cells) != 3 or cells[0] not in ENTITY_TYPES or cells[1] not in ("before", "after"):
            raise DataFileError(path, number, "expected: type, before|after, cue (tab-separated)")
        try:
            pattern = re.compile(r"^\s*" + cells[2] if cells[1] == "after" else cells[2])
        except re.error as error:
            raise DataFileError(path, number, f"bad regular expression: {error}") from None
        cues.append(TypeCue(cells[0], cells[1], pattern))
    return tuple(cues)


def cue_type(text: str, start: int, end: int, cues) -> str | None:
    """The type that the words right around a span suggest."""
    before, after = text[max(0, start - 16):start], text[end:end + 12]
    for cue in cues:
        if cue.where == "after" and cue.pattern.search(after):
            return cue.type
        if cue.where == "before" and cue.pattern.search(before):
            return cue.type
    return None


def _looks_like_name(candidate: str, lexicon: Lexicon) -> bool:
    """A run of Latin script is a name when it is not generic: it has a capital or a
    digit inside a word (DreamCompute, Nephos6), is not a bare number or version, and is
    not listed in not-entities."""
    if len(candidate) < 2 or lexicon.is_not_entity(candidate):
        return False
    if not any(ch.isalpha() for ch in candidate):
        return False
    words = candidate.split()
    if len(words) > 6:
        return False
    if not any(ch.isupper() for ch in candidate):
        return False
    if words[0][:1].islower():
        return False                           # setUpClass, skipIf, iPhone-like: code or generic
    if re.search(r"[a-z]\.[A-Za-z]|_|\(\)", candidate):
        return False                           # cls.skipException, nova_api: code identifiers
    if len(candidate) <= 3 and candidate.isupper():
        return False                           # unknown short acronyms are mostly generic (HA, UT, BP)
    if re.fullmatch(r"[vV]?\d+(?:\.\d+)*[a-z]?", candidate):
        return False
    if "/" in candidate:
        return False                           # GRE/VXLAN, TCP/IP: pairs of terms, not a name
    return True


_WORD_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9.+&'’_/-]*")
_CONNECTORS = {"of", "for", "and", "on", "de", "as", "a", "the", "in", "to", "with", "or"}


def _is_capitalized(word: str) -> bool:
    return word[:1].isupper() or word[:1].isdigit() or any(ch.isupper() for ch in word[1:])


def _pieces(words: list[tuple[int, int, str]], breaks: set[int]) -> list[list[tuple[int, int, str]]]:
    """Consecutive words between breakers; a lowercase word (not a connector) ends a piece,
    and connectors are trimmed from both ends."""
    pieces, current = [], []
    for index, word in enumerate(words):
        text = word[2]
        if index in breaks or (not _is_capitalized(text) and text.lower() not in _CONNECTORS):
            if current:
                pieces.append(current)
            current = []
            continue
        current.append(word)
    if current:
        pieces.append(current)
    trimmed = []
    for piece in pieces:
        while piece and piece[0][2].lower() in _CONNECTORS:
            piece = piece[1:]
        while piece and piece[-1][2].lower() in _CONNECTORS:
            piece = piece[:-1]
        if piece:
            trimmed.append(piece)
    return trimmed


def _new_name_mentions(text: str, masked: str, covered: list[tuple[int, int]], lexicon: Lexicon, cues):
    """Latin runs not covered by known names: split at known names, at generic words
    (not-entities) and at lowercase words; what is left and looks like a name is a new name."""
    occupied = [False] * len(text)
    for start, end in covered:
        for i in range(start, end):
            occupied[i] = True
    found = []
    for run in _LATIN_RUN_RE.finditer(masked):
        words = [(run.start() + m.start(), run.start() + m.end(), m.group(0).rstrip(_TRIM) or m.group(0))
                 for m in _WORD_RE.finditer(run.group(0))]
        words = [(s, s + len(w), w) for s, _, w in words]
        # known names split a run, and so do generic acronyms (PTL, IRC, API) listed in not-entities
        breaks = {i for i, (s, e, w) in enumerate(words)
                  if any(occupied[s:e]) or (w.isupper() and lexicon.is_not_entity(w))}
        pieces = _pieces(words, breaks)
        split_run = len(pieces) > 1 or bool(breaks) or any(
            not _is_capitalized(w) and w.lower() not in _CONNECTORS for _, _, w in words)
        for piece in pieces:
            start, end = piece[0][0], piece[-1][1]
            while end > start and text[end - 1] in _TRIM:
                end -= 1
            surface = text[start:end]
            name, version = split_version(surface)
            if not _looks_like_name(name, lexicon):
                continue
            cue = cue_type(text, start, end, cues)
            plain_word = len(name.split()) == 1 and name[:1].isupper() and name[1:].islower()
            if cue is None and split_run and plain_word:
                continue                  # 'Deploying', 'Distributed': a capitalized English word in a phrase
            found.append(Mention(start, end, surface, name, cue or _default_type(name), version, known=False))
    return found


def _default_type(name: str) -> str:
    """With no cue: two capitalized alphabetic words read as a person's name would, in
    English, be too bold a guess; multi-word names are mostly products, single words projects."""
    return "Product" if len(name.split()) > 1 else "Project"


def _known_mentions(text: str, masked: str, lexicon: Lexicon):
    found = []
    for start, end, known in lexicon.find(masked):
        # extend over a version written right after a known name: 'Mirantis OpenStack 5.0', 'Docker 1.0'
        version = None
        tail = re.match(r"[ \t]?[vV]?(\d+(?:\.\d+)+|\d{1,3}(?![\d.]))(?![\w.])", masked[end:])
        if tail and known.type in ("Product", "Project"):
            version = tail.group(1)
            end += tail.end()
        found.append(Mention(start, end, text[start:end], known.name, known.type, version, known=True))
    return found


def _join_extensions(text: str, mentions: list[Mention], cues) -> list[Mention]:
    """A known name followed in the same run by new capitalized words names a new thing:
    'HP Helion OpenStack' + 'Community edition' is the product 'HP Helion OpenStack Community edition'."""
    joined: list[Mention] = []
    for mention in mentions:
        head = joined[-1] if joined else None
        if (head is not None and head.known and head.version is None and not mention.known
                and head.type in ("Company", "Product", "Project") and mention.surface[:1].isupper()
                and text[head.end:mention.start] == " "):
            surface = text[head.start:mention.end]
            name, version = split_version(surface)
            kind = cue_type(text, head.start, mention.end, cues) or ("Product" if head.type != "Project" else mention.type)
            joined[-1] = Mention(head.start, mention.end, surface, name, kind, version, known=False)
            continue
        joined.append(mention)
    return joined


def find_mentions(text: str, lexicon: Lexicon, cues=None) -> list[Mention]:
    """Every entity mention in one entry's text, in text order, not overlapping."""
    cues = load_type_cues() if cues is None else cues
    masked = mask_urls(text)
    known = _known_mentions(text, masked, lexicon)
    new = _new_name_mentions(text, masked, [(m.start, m.end) for m in known], lexicon, cues)
    return _join_extensions(text, sorted(known + new, key=lambda m: m.start), cues)


def link_text_mentions(link_text: str, lexicon: Lexicon, cues=None) -> list[Mention]:
    """A link's text is a name when the whole text is one (EasyStack, SUSE Cloud3)."""
    if has_cjk(link_text) and not lexicon.lookup(link_text):
        return []
    return [m for m in find_mentions(link_text, lexicon, cues) if m.start == 0 and m.end == len(link_text)]
