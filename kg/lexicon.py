"""Stage 0, knowledge: ontology/lexicon/*.tsv -> Lexicon (known names, aliases, types).

One Aho-Corasick automaton (pyahocorasick) holds every surface form, so finding every
known name in a text is one pass whatever the lexicon's size. `normalize` is the key
under which spellings of one thing meet (NFKC, case-folded, spaces and punctuation
dropped), the same rule the evaluation uses.
"""
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import ahocorasick

from kg.datafiles import data_lines, words
from kg.errors import DataFileError
from kg.namespace import ENTITY_TYPES
from kg.resources import ontology_dir


@lru_cache(maxsize=65536)           # names: an archive writes the same ones again and again
def normalize(text: str) -> str:
    """'VMWare vCenter' and 'vmware-vcenter' -> 'vmwarevcenter'."""
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFKC", str(text)).casefold())


_NOT_ALNUM = re.compile(r"[\W_]+")     # \w is str.isalnum() and '_'

_QUOTES = {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\uff07": "'"}


class _FoldTable(dict):
    """code point -> its folded character, filled in as characters are met (str.translate)."""

    def __missing__(self, code: int) -> str:
        ch = _QUOTES.get(chr(code), chr(code))
        folded = unicodedata.normalize("NFKC", ch).lower()
        value = folded if len(folded) == 1 else ch.lower() if len(ch.lower()) == 1 else ch
        self[code] = value
        return value


_FOLD_TABLE = _FoldTable()


# Every character but ASCII and the CJK ideographs: only these can fold to something other
# than their lowercase (fullwidth forms, curly quotes, ligatures, compatibility ideographs...)
_MAY_FOLD_OTHERWISE = re.compile("[^\x00-\x7f\u3400-\u4dbf\u4e00-\u9fff]")


def _fold_match(match: re.Match) -> str:
    return _FOLD_TABLE[ord(match.group())]


def fold(text: str) -> str:
    """Case-folded NFKC text with the same length as the input, for matching with offsets."""
    # the rare characters through the table, then str.lower for the rest: a fifth of the time
    # of translating each character (str.translate looks every one up in the table)
    folded = _MAY_FOLD_OTHERWISE.sub(_fold_match, text).lower()
    return folded if len(folded) == len(text) else text.translate(_FOLD_TABLE)


def is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


_CJK = re.compile("[\u3400-\u9fff\uf900-\ufaff]")


def has_cjk(text: str) -> bool:
    return _CJK.search(text) is not None


# a space, or none, where Latin letters or digits meet Chinese script
_SCRIPT_BOUNDARY = re.compile(r"(?<=[A-Za-z0-9])\s*(?=[\u3400-\u9fff])|(?<=[\u3400-\u9fff])\s*(?=[A-Za-z0-9])")


def script_boundary_spellings(name: str) -> tuple[str, ...]:
    """A name as Chinese text writes it with and without a space where the scripts meet
    (Apache软件基金会, Apache 软件基金会): typesetters differ, and the name is the same."""
    if not _SCRIPT_BOUNDARY.search(name):
        return (name,)
    return tuple(dict.fromkeys((name, _SCRIPT_BOUNDARY.sub("", name), _SCRIPT_BOUNDARY.sub(" ", name))))


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in "_")


@dataclass(frozen=True)
class Known:
    """A lexicon entry: one real thing with its type and every name it goes by."""
    type: str
    name: str
    aliases: tuple[str, ...]
    source: str

    @property
    def key(self) -> str:
        return normalize(self.name)


@dataclass(frozen=True)
class Lexicon:
    entries: dict[str, Known]                  # normalize(name) -> entry
    surfaces: dict[str, str]                   # normalize(any surface) -> entry key
    not_entities: frozenset[str] = field(default=frozenset())
    fingerprint: str = ""
    common_words: frozenset[str] = field(default=frozenset())     # names that are common words too (浪潮)

    def is_common_word(self, surface: str) -> bool:
        """Whether a name the lexicon knows is a common word too (common-word-names.txt: 浪潮)."""
        return normalize(surface) in self.common_words

    def lookup(self, name: str) -> Known | None:
        key = self.surfaces.get(normalize(name))
        return self.entries.get(key) if key else None

    @cached_property
    def _remembered(self) -> dict[str, dict]:
        return {}

    def remember(self, table: str, key, work_out, *args):
        """work_out(*args), worked out once per key for this lexicon: what a stage reads from it
        for a name (its entry, whether it reads as a name), which an archive names again and
        again. A table is emptied once it holds 100,000 keys."""
        found = self._remembered.setdefault(table, {})
        if key in found:
            return found[key]
        if len(found) > 100_000:
            found.clear()
        value = found[key] = work_out(*args)
        return value

    @cached_property
    def _deletions(self) -> dict[str, str]:
        """Single-character deletions of every Latin key of 6+ characters -> that key."""
        index: dict[str, str] = {}
        for surface, key in self.surfaces.items():
            if sum(ch.isascii() for ch in surface) < 6:
                continue
            index.setdefault(surface, key)
            for i in range(len(surface)):
                index.setdefault(surface[:i] + surface[i + 1:], key)
        return index

    def fuzzy_lookup(self, name: str) -> Known | None:
        """A known entry one typo away (a letter dropped, added or changed: LUMgrid ->
        PLUMgrid), for Latin names of 6+ characters; None when unsure."""
        key = normalize(name)
        if sum(ch.isascii() for ch in key) < 6:
            return None
        hits = set()
        for probe in (key, *(key[:i] + key[i + 1:] for i in range(len(key)))):
            if probe in self._deletions:
                hits.add(self._deletions[probe])
        if len(hits) != 1:
            return None
        entry = self.entries[hits.pop()]
        if any(_another_name_at_an_end(key, spelling) for spelling in map(normalize, (entry.name, *entry.aliases))):
            return None
        return entry

    def prepare(self) -> None:
        """Build now what the first lookups would build (the automaton, the typo index)."""
        self._automaton, self._deletions  # noqa: B018 (cached properties, made on first read)

    def is_not_entity(self, name: str) -> bool:
        return normalize(name) in self.not_entities

    @cached_property
    def _automaton(self):
        # folded surface -> (entry key, the cases it may be written in: None for any case)
        words: dict[str, tuple[str, set | None]] = {}
        for entry in self.entries.values():
            surfaces = (spelling for written in (entry.name, *entry.aliases)
                        for spelling in script_boundary_spellings(written.strip()))
            for surface in surfaces:
                folded = fold(surface)
                if len(normalize(folded)) < 2:
                    continue
                # Short Latin names (<= 3 letters: KVM, HP) match only as listed, so 'kvm' or 'Hp' in
                # running text do not; longer names match in any case.
                exact = not has_cjk(surface) and len(surface) <= 3
                key, cases = words.get(folded, (entry.key, set()))
                if key != entry.key:
                    continue
                words[folded] = (key, None if cases is None or not exact else cases | {surface})
        automaton = ahocorasick.Automaton()
        for folded, (key, cases) in words.items():
            automaton.add_word(folded, (len(folded), key, frozenset(cases) if cases is not None else None))
        automaton.make_automaton()
        return automaton

    def find(self, text: str) -> list[tuple[int, int, Known]]:
        """Known names in text as (start, end, entry): leftmost-longest, not overlapping,
        Latin names only at word boundaries."""
        if not self.entries:
            return []
        folded = fold(text)
        candidates = []
        for end_index, (length, key, cases) in self._automaton.iter(folded):
            start, end = end_index - length + 1, end_index + 1
            if cases is not None and text[start:end] not in cases:
                continue
            if _is_word_char(text[start]) and start > 0 and _is_word_char(text[start - 1]):
                continue
            if _is_word_char(text[end - 1]) and end < len(text) and _is_word_char(text[end]) \
                    and not (self.entries[key].type == "Event" and _YEAR_GLUED.match(text, end)):
                continue                # (an event's edition may be glued to its name: CES2025)
            candidates.append((start, end, key))
        candidates.sort(key=lambda c: (c[0], -(c[1] - c[0])))
        found, last_end = [], 0
        for start, end, key in candidates:
            if start >= last_end:
                found.append((start, end, self.entries[key]))
                last_end = end
        return found


_YEAR_GLUED = re.compile(r"(?:19|20)\d\d(?!\w)")
_HEADER = ["type", "name", "aliases"]


def _read_lexicon_file(path: Path) -> list[Known]:
    rows = []
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle]
    header_seen = False
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = line.rstrip("\r\n").split("\t")
        if not header_seen:
            if [c.strip() for c in cells[:3]] != _HEADER:
                raise DataFileError(path, number, f"header must be {' / '.join(_HEADER)} (tab-separated)")
            header_seen = True
            continue
        if len(cells) < 2:
            raise DataFileError(path, number, "needs a type and a name, tab-separated")
        kind, name = cells[0].strip(), cells[1].strip()
        if kind not in ENTITY_TYPES:
            raise DataFileError(path, number, f"unknown type {kind!r}: use one of {', '.join(ENTITY_TYPES)}")
        if not name:
            raise DataFileError(path, number, "empty name")
        aliases = tuple(a.strip() for a in (cells[2] if len(cells) > 2 else "").split("|") if a.strip())
        rows.append(Known(kind, name, aliases, f"{path.name}:{number}"))
    return rows


def lexicon_files(directory: Path) -> list[Path]:
    """registry-* first, then every other file, curated-* last: later files win a clash."""
    files = sorted(directory.glob("*.tsv"))
    rank = lambda p: (0 if p.name.startswith("registry-") else 2 if p.name.startswith("curated-") else 1, p.name)
    return sorted(files, key=rank)


def build_lexicon(rows: list[Known], not_entities=()) -> Lexicon:
    """Entries keyed by normalized name; a surface claimed by a later row moves to it."""
    entries: dict[str, Known] = {}
    surfaces: dict[str, str] = {}
    for row in rows:
        key = row.key
        if key in entries:
            earlier = entries[key]
            if earlier.type == row.type:
                row = Known(row.type, row.name, tuple(dict.fromkeys((*earlier.aliases, *row.aliases))), row.source)
        entries[key] = row
        for surface in (row.name, *row.aliases):
            surfaces[normalize(surface)] = key
    # drop aliases that a later entry claimed, and entries left with no surface of their own
    cleaned = {}
    for key, entry in entries.items():
        own = tuple(a for a in entry.aliases if surfaces.get(normalize(a)) == key)
        if surfaces.get(key) == key:
            cleaned[key] = Known(entry.type, entry.name, own, entry.source)
    surfaces = {s: k for s, k in surfaces.items() if k in cleaned}
    blocked = frozenset(normalize(w) for w in not_entities if normalize(w))
    # a fingerprint of the content: jieba's dictionary, one per process, takes each lexicon's names once
    content = hashlib.sha256(repr((sorted(cleaned.items()), sorted(surfaces.items()), sorted(blocked))).encode())
    return Lexicon(cleaned, surfaces, blocked, "rows-" + content.hexdigest()[:16])


def lexicon_clashes(directory: Path | None = None) -> list[str]:
    """Names or aliases listed for two different things, with the file and line of each;
    the later file wins at build time (registry-* < others < curated-*)."""
    directory = Path(directory) if directory else ontology_dir() / "lexicon"
    claimed: dict[str, Known] = {}
    clashes = []
    for path in lexicon_files(directory):
        for row in _read_lexicon_file(path):
            for surface in (row.name, *row.aliases):
                key = normalize(surface)
                earlier = claimed.get(key)
                if earlier and earlier.key != row.key:
                    clashes.append(f"{surface!r}: {earlier.type} {earlier.name!r} ({earlier.source}) "
                                   f"and {row.type} {row.name!r} ({row.source}); the latter wins")
                claimed[key] = row
    return clashes


@lru_cache(maxsize=4)
def load_lexicon(directory: Path | None = None) -> Lexicon:
    """The lexicon of a folder, read once per process (a build asks for it in several stages)."""
    directory = Path(directory) if directory else ontology_dir() / "lexicon"
    digest = hashlib.sha256()
    rows: list[Known] = []
    for path in lexicon_files(directory):
        digest.update(path.name.encode() + path.read_bytes())
        rows.extend(_read_lexicon_file(path))
    not_entities: list[str] = []
    stop_file = directory / "not-entities.txt"
    if stop_file.is_file():
        digest.update(stop_file.read_bytes())
        not_entities = words(stop_file)
    common: list[str] = []
    common_file = directory / "common-word-names.txt"
    if common_file.is_file():
        digest.update(common_file.read_bytes())
        common = words(common_file)
    lexicon = build_lexicon(rows, not_entities)
    return Lexicon(lexicon.entries, lexicon.surfaces, lexicon.not_entities, digest.hexdigest()[:16],
                   frozenset(normalize(w) for w in common))


_VERSION_TAIL = re.compile(r"(?:[\s_-]*(?:v|version)?\s*\d+(?:\.\d+)*[a-z]?)$", re.I)


def split_version(name: str) -> tuple[str, str | None]:
    """'Mirantis OpenStack 5.0' -> ('Mirantis OpenStack', '5.0'); 'Nova' -> ('Nova', None)."""
    tail = name[:-1] if name.endswith("\n") else name      # ($ matches before a last newline)
    if not (tail[-1:].isdigit() or tail[-2:-1].isdigit()):
        return name, None           # a version ends in a digit, or a digit and a letter: most names do not
    match = _VERSION_TAIL.search(name)
    if not match or match.start() == 0:
        return name, None
    if match.group(0)[0].isdigit() and name[match.start() - 1].isupper() and not name[:match.start()].endswith("RC"):
        return name, None           # digits glued to capitals are a model's code (AT128, SU7, EC2), not RC2
    if match.group(0)[0].isdigit() and name[match.start() - 1].islower() and name[match.start() - 1] != "v" \
            and (match.start() < 2 or not name[match.start() - 2].isalpha()):
        return name, None           # one letter and digits are a model's name (Marco-o1, Kimi k1.5), not v2
    base = name[:match.start()].rstrip(" -_")
    if not base or not any(ch.isalpha() for ch in base):
        return name, None
    return base, match.group(0).strip(" -_")


@lru_cache(maxsize=1)
def transliteration_initials() -> dict[str, str]:
    """lexicon/transliteration-initials.txt: a letter -> the characters a foreign name's word
    starting with it may start with once written in Chinese script (E -> 埃艾爱…)."""
    path = ontology_dir() / "lexicon" / "transliteration-initials.txt"
    table: dict[str, str] = {}
    for number, line in data_lines(path):
        cells = line.split("\t")
        if len(cells) != 2 or len(cells[0]) != 1:
            raise DataFileError(path, number, "expected: a letter, a tab, the characters")
        table[cells[0]] = cells[1]
    return table


def _another_name_at_an_end(written: str, spelling: str) -> bool:
    """Whether a name differs from a known spelling by a letter changed at either end or one added
    there: another name, not a typo (Tinder is no Cinder, OpenCL no OpenCV, CPython no Python,
    JenkinsX no Jenkins). A typo drops a letter anywhere (LUMgrid, Kubernete) or changes, adds or
    swaps one inside."""
    if len(written) == len(spelling):
        return written[1:] == spelling[1:] or written[:-1] == spelling[:-1]
    return len(written) == len(spelling) + 1 and (written[1:] == spelling or written[:-1] == spelling)
