"""Stage 3, resolution: mentions -> entities, one per real thing.

Per post (pure, cacheable): each mention gets an entity key, the normalized canonical
name: the lexicon's entry when any spelling of the name is known (case, spacing,
Chinese/English, abbreviations), a versioned or glued form of a known name (SUSE Cloud3),
or an obvious typo of one (LUMgrid -> PLUMgrid); else its own normalized name.
Across posts, `merge_entities` unites observations with the same key: the lexicon's
type and name when known, else the type most cues voted for and the most frequent name;
every spelling seen becomes an alias.
"""
import re
from collections import Counter
from dataclasses import dataclass

from kg.lexicon import Known, Lexicon, normalize
from kg.mentions import Mention
from kg.namespace import ENTITY_TYPES


@dataclass(frozen=True)
class Resolved:
    """A mention with the entity it names."""
    mention: Mention
    key: str
    type: str
    name: str
    known: bool


@dataclass(frozen=True)
class Entity:
    key: str
    type: str
    name: str
    aliases: tuple[str, ...]
    known: bool


def _known_for(name: str, lexicon: Lexicon) -> Known | None:
    known = lexicon.lookup(name)
    if known:
        return known
    glued = re.match(r"^(.*[A-Za-z])\s*v?\d+(?:\.\d+)*$", name)       # SUSE Cloud3 -> SUSE Cloud
    if glued:
        known = lexicon.lookup(glued.group(1))
        if known and known.type in ("Product", "Project"):
            return known
    return lexicon.fuzzy_lookup(name)


def resolve_mention(mention: Mention, lexicon: Lexicon) -> Resolved:
    if mention.known:
        known = lexicon.lookup(mention.name)
        if known:
            return Resolved(mention, known.key, known.type, known.name, True)
    known = _known_for(mention.name, lexicon)
    if known:
        return Resolved(mention, known.key, known.type, known.name, True)
    return Resolved(mention, normalize(mention.name), mention.type, mention.name, False)


def resolve_mentions(mentions: list[Mention], lexicon: Lexicon) -> list[Resolved]:
    return [resolve_mention(m, lexicon) for m in mentions]


_TYPE_ORDER = {t: i for i, t in enumerate(ENTITY_TYPES)}


def merge_entities(observations, lexicon: Lexicon) -> dict[str, Entity]:
    """observations: (key, type, name, surface, known) for every mention of the build.
    Returns one Entity per key, deterministic whatever the order of the observations."""
    types: dict[str, Counter] = {}
    names: dict[str, Counter] = {}
    surfaces: dict[str, set] = {}
    known_keys = set()
    for key, kind, name, surface, known in observations:
        types.setdefault(key, Counter())[kind] += 1
        names.setdefault(key, Counter())[name] += 1
        surfaces.setdefault(key, set()).update({surface, name})
        if known:
            known_keys.add(key)
    entities = {}
    for key in sorted(types):
        entry = lexicon.entries.get(key) if key in known_keys else None
        if entry:
            kind, name = entry.type, entry.name
            aliases = set(entry.aliases) | surfaces[key]
        else:
            kind = sorted(types[key].items(), key=lambda kv: (-kv[1], _TYPE_ORDER[kv[0]]))[0][0]
            name = sorted(names[key].items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
            aliases = surfaces[key]
        aliases.discard(name)
        entities[key] = Entity(key, kind, name, tuple(sorted(a for a in aliases if a.strip())), bool(entry))
    return entities
