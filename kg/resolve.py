"""Stage 3, resolution: mentions -> entities, one per real thing.

Per post (pure, cacheable): each mention gets an entity key, the normalized canonical
name: the lexicon's entry when any spelling of the name is known (case, spacing,
Chinese/English, abbreviations), a versioned or glued form of a known name (SUSE Cloud3),
or an obvious typo of one where the post names it as spelled too (LUMgrid -> PLUMgrid:
typos_of_names_in_the_post); else its own normalized name.
Across posts, `EntityVotes` unites observations with the same key (kg/assemble.py counts them): the lexicon's
type and name when known, else the type most cues voted for and the most frequent name;
every spelling seen becomes an alias.
"""
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from kg.datafiles import words
from kg.lexicon import Known, Lexicon, has_cjk, normalize, transliteration_initials
from kg.mentions import NAME_DOTS, WEAKLY_TYPED, Mention, load_name_rules, load_name_words
from kg.namespace import ENTITY_TYPES
from kg.resources import ontology_dir


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
    """The lexicon's entry for a name, exact or without a version glued on (SUSE Cloud3)."""
    known = lexicon.lookup(name)
    if known:
        return known
    glued = re.match(r"^(.*[A-Za-z])\s*v?\d+(?:\.\d+)*$", name)       # SUSE Cloud3 -> SUSE Cloud
    if glued:
        known = lexicon.lookup(glued.group(1))
        if known and known.type in ("Product", "Project"):
            return known
    return None


def _one_typo_from(name: str, lexicon: Lexicon) -> Known | None:
    """The known entry one typo away from a name (names recur, and the typo search probes every
    deletion: remembered)."""
    if "." in name:
        return None             # (a firm named by its address is spelled as written: Iron.io is no Ironic)
    return lexicon.remember("one typo from", name, lexicon.fuzzy_lookup, name)


def _a_letter_dropped_inside_a_project(name: str, known: Known) -> bool:
    """Whether a name is a known project's or release's one-word name, as written, with one letter
    dropped between its first and last (Tempst, Kuberetes): a typo even where the post does not name
    the project as spelled (not WaveNet, which is no Weave Net; nor CoMPAS, no Compass)."""
    return known.type in ("Project", "Release") and any(
        len(spelling) == len(name) + 1 and " " not in spelling
        and any(spelling[:i] + spelling[i + 1:] == name for i in range(1, len(spelling) - 1))
        for spelling in (known.name, *known.aliases))


def typos_of_names_in_the_post(resolved: list[Resolved], lexicon: Lexicon,
                               named_elsewhere: frozenset[str] = frozenset()) -> list[Resolved]:
    """A new name one typo away from a name the lexicon knows (Kuberentes, LUMgrid) is that name
    when the post also names it as the lexicon spells it, when it is that name's plural (Lambdas,
    MacBooks), or a project's with a letter dropped inside (Tempst). Alone, a name a letter away from
    a known one is more often another name: Streamlio is no Streamlit, OpenCL no OpenCV, Vectra no
    Vectara."""
    named = {r.key for r in resolved if r.known} | named_elsewhere
    out = []
    for r in resolved:
        if not r.known:
            known = _one_typo_from(r.name, lexicon)
            if known is None or known.key not in named and not _a_letter_dropped_inside_a_project(r.name, known):
                known = lexicon.lookup(r.name[:-1]) if len(r.name) >= 5 and r.name.endswith("s") else None
            if known is not None:
                r = Resolved(r.mention, known.key, known.type, known.name, True)
        out.append(r)
    return out


def resolve_mention(mention: Mention, lexicon: Lexicon) -> Resolved:
    if mention.known:
        known = lexicon.lookup(mention.name)
        if known:
            return Resolved(mention, known.key, known.type, known.name, True)
    known = _known_for(mention.name, lexicon)
    if known:
        return Resolved(mention, known.key, known.type, known.name, True)
    return Resolved(mention, normalize(mention.name), mention.type, mention.name, False)


def resolve_mentions(mentions: list[Mention], lexicon: Lexicon, text: str | None = None) -> list[Resolved]:
    """Each mention's entity. Given the text, a new Chinese name with a Latin one in brackets
    right after it (or before it) names the Latin one's entity: 英特尔资本（Intel Capital）.
    A new name typed by nothing but the default takes the type another mention of the same
    entity in the text was given by its context ('Tropo 的首席技术官…, Tropo 与…合作')."""
    resolved = [resolve_mention(m, lexicon) for m in mentions]
    if text is not None and len(resolved) >= 2 and ("（" in text or "(" in text):
        _bracketed_names(resolved, text)
    if text is not None and len(resolved) >= 2 and load_name_words().same_event.search(text):
        _one_gathering_named_twice(resolved, text)
    return shared_types(resolved)


def _one_gathering_named_twice(resolved: list[Resolved], text: str) -> None:
    """Two events joined by a word that makes them one gathering (name-words.tsv same-event:
    大湾区国际创客峰会暨 Maker Faire Shenzhen 2024) are one event: the one the lexicon knows, else
    the one in Latin script, else the first."""
    joiner = load_name_words().same_event
    for index in range(len(resolved) - 1):
        first, second = resolved[index], resolved[index + 1]
        if first.type != "Event" or second.type != "Event" or first.key == second.key \
                or not joiner.fullmatch(text, first.mention.end, second.mention.start):
            continue
        keep = first if first.known or not second.known and has_cjk(second.name) else second
        for at in (index, index + 1):
            resolved[at] = Resolved(resolved[at].mention, keep.key, "Event", keep.name, keep.known)


def _bracketed_names(resolved: list[Resolved], text: str) -> None:
    """A Chinese name with its Latin name in brackets is the Latin one's entity, and so is the
    same Chinese name again in the text; a new Latin name after a known Chinese one of its type
    is the known one's."""
    joined: dict[str, Resolved] = {}
    closing = load_name_words().bracket_closing
    for index in range(len(resolved) - 1):
        first, second = resolved[index], resolved[index + 1]
        if not (_OPENING.fullmatch(text, first.mention.end, second.mention.start)
                and closing.match(text, second.mention.end)):
            continue
        if first.mention.typed_by == "acronym" and not first.known \
                and not has_cjk(first.mention.surface) and not has_cjk(second.mention.surface):
            resolved[index + 1] = Resolved(second.mention, first.key, first.type, first.name, False)
            continue            # 'MCP（Model Context Protocol）': the acronym's words are its name too
        at = index if has_cjk(first.mention.surface) else index + 1      # the Chinese one
        chinese, latin = resolved[at], resolved[2 * index + 1 - at]
        if not has_cjk(chinese.mention.surface) or has_cjk(latin.mention.surface):
            continue
        if chinese.known:       # ('陈立武（Tan Lip-Bu）': a new Latin form of a known name is that name's)
            if not latin.known and chinese.type == latin.type:
                resolved[2 * index + 1 - at] = Resolved(latin.mention, chinese.key, chinese.type, chinese.name, True)
            continue
        kind = chinese.type if latin.mention.typed_by in WEAKLY_TYPED else latin.type
        resolved[at] = Resolved(chinese.mention, latin.key, kind, latin.name, latin.known)
        if kind != latin.type:
            resolved[2 * index + 1 - at] = Resolved(latin.mention, latin.key, kind, latin.name, latin.known)
        joined[chinese.key] = resolved[at]
    for index, r in enumerate(resolved):        # (…由闪迪（SanDisk）负责，而闪迪早已…: both SanDisk)
        if r.key in joined and not r.known and r.mention.surface == joined[r.key].mention.surface:
            resolved[index] = Resolved(r.mention, joined[r.key].key, joined[r.key].type, joined[r.key].name,
                                       joined[r.key].known)


def family_names_as_people(resolved: list[Resolved]) -> list[Resolved]:
    """A person named by the family name alone ('Beda', 'McLuckie') is the person of that
    family name met in the same post ('Joe Beda'): the nearest before, else the first after; so is a
    release, project or product the lexicon knows by that one word ('Pike' beside 'Rob Pike').
    A person named by the given name alone ('Craig') is the one person of the post whose name
    starts with it ('Craig McLuckie'); with two such people, neither."""
    resolved = _people_their_family_name_says(resolved)
    people: dict[str, list[tuple[int, Resolved]]] = {}
    given: dict[str, set[str]] = {}         # a given name -> the keys of the people it starts
    full: dict[str, Resolved] = {}
    for index, r in enumerate(resolved):
        words = r.name.split()
        if r.type == "Person" and len(words) >= 2 and not has_cjk(r.name):
            people.setdefault(words[-1], []).append((index, r))
            given.setdefault(words[0], set()).add(r.key)
            full.setdefault(r.key, r)
    if not people:
        return resolved
    out = list(resolved)
    for index, r in enumerate(resolved):
        surface = r.mention.surface
        if r.known and (r.type not in ("Release", "Project", "Product") or surface not in people) or " " in surface:
            continue            # (a known thing of a person's family name is that person beside them: Pike, Rob Pike)
        if surface in people:
            before = [p for i, p in people[surface] if i < index]
            person = before[-1] if before else people[surface][0][1]
        elif len(given.get(surface, ())) == 1 and r.type == "Person":
            person = full[next(iter(given[surface]))]
        else:
            continue
        out[index] = Resolved(r.mention, person.key, "Person", person.name, False)
    return out


def _people_their_family_name_says(resolved: list[Resolved]) -> list[Resolved]:
    """A new name of two or three capitalized words that nothing but the default typed is a
    person when its last word stands alone in the post as a person a cue typed ('Idit Levine'
    and 'Levine 说'; Levine is an English word, so the name alone did not read as a person's)."""
    alone = {r.mention.surface for r in resolved
             if r.type == "Person" and " " not in r.mention.surface and r.mention.typed_by not in WEAKLY_TYPED
             and r.mention.surface[:1].isupper() and r.mention.surface.isascii()}
    if not alone:
        return resolved
    out = []
    for r in resolved:
        words = r.name.split()
        if r.mention.typed_by == "default" and not r.known and 2 <= len(words) <= 3 and words[-1] in alone \
                and all(w[:1].isupper() and w.isalpha() for w in words):
            r = Resolved(replace(r.mention, type="Person", typed_by="person"), r.key, "Person", r.name, False)
        out.append(r)
    return out


def transliterations_as_one(resolved: list[Resolved]) -> list[Resolved]:
    """A person written in Chinese script with the dots of a transliteration (埃里克·西蒙斯) and
    one person in Latin script in the same post (Eric Simons), with as many parts, each starting
    as lexicon/transliteration-initials.txt allows, are one person: the Latin one. So are a family
    name transliterated alone (施瓦布) and the one Latin person whose family name fits it
    (Miriam Schwab), and a family name in Latin script alone (Sayar) and the one transliterated
    person whose last part fits it (拉明·萨亚尔: that person), or a given name alone and the one whose
    first part fits it (Toby, 托比·费: an author's note), and a family name transliterated alone that
    is the last part of one transliterated person (戴利, 多里安·戴利), or failing that a given name its
    first part (安迪, 安迪·沃霍尔), or failing all, a given name transliterated alone and the one Latin
    person whose given name fits it (丹尼尔, Daniel Spoonhower), or the one person the post names by a
    Latin name alone (约翰逊, Johnson). Nothing is merged when two would fit."""
    resolved = _transliterations_spelled_two_ways_as_one(_firms_transliterated_as_one(resolved))
    latin = {r.key: r for r in resolved if r.type == "Person" and not has_cjk(r.name) and " " in r.name}
    latin_alone = {r.key: r for r in resolved if r.type == "Person" and r.name.isascii() and r.name.isalpha()
                   and r.name.istitle() and " " not in r.name}
    dotted = {r.key: r for r in resolved if r.type == "Person" and not r.known and _NAME_DOTS.search(r.name)}
    if not latin and not dotted and not latin_alone:
        return resolved
    initials, rules = transliteration_initials(), load_name_rules()
    ends = {key: (parts[0], parts[-1]) for key, parts in ((key, _NAME_DOTS.split(person.name))   # (first, last part)
                                                         for key, person in dotted.items())}
    merged: dict[str, Resolved] = {}
    for r in resolved:
        lone_word = r.mention.typed_by in WEAKLY_TYPED and r.name.isascii() and r.name.isalpha() and r.name.istitle()
        if (r.type != "Person" and not lone_word) or r.known or r.key in merged or r.key in latin:
            continue            # (a capitalized word typed by nothing: Cade, after 迈克尔·凯德, is that person)
        if r.key in dotted:
            parts = [p for p in _NAME_DOTS.split(r.name) if p]
            fits = [person for person in latin.values() if len(person.name.split()) == len(parts) and all(
                part[0] in _first_sounds(word, initials) for part, word in zip(parts, person.name.split(), strict=True))
                and _family_name_alike(parts[-1], person.name.split()[-1], initials)]
        elif _transliterated_word(r.name):                 # 施瓦布: a family name alone
            fits = [person for person in latin.values() if _sounds_alike(r.name, person.name.split()[-1], initials)] \
                or [person for key, person in dotted.items() if ends[key][1] == r.name] \
                or [person for key, person in dotted.items() if ends[key][0] == r.name] \
                or [person for key, person in dotted.items() if _spelled_alike(ends[key][1], r.name)] \
                or [person for person in latin.values() if _sounds_alike(r.name, person.name.split()[0], initials)
                    and _second_syllable_alike(r.name, person.name.split()[0], initials)] \
                or [person for person in latin_alone.values() if _sounds_alike(r.name, person.name, initials)]
            # (戴利 after 多里安·戴利 with no Latin name for them: the one whose last part it is; 安迪 after
            # 安迪·沃霍尔: the one whose first part it is; failing all, 丹尼尔 beside Daniel Spoonhower: the
            # Latin person whose given name it is, by its first two sounds; or 约翰逊 beside Johnson, a
            # person named in Latin script by one name alone)
        elif not has_cjk(r.name) and r.name.isalpha() and r.name[:1].isupper():     # Sayar, alone
            fits = [person for key, person in dotted.items() if _sounds_alike(ends[key][1], r.name, initials) and (
                r.type == "Person" or _second_syllable_alike(ends[key][1], r.name, initials))]
            # (a word typed by nothing fits closer: Cade is 凯德, but Riak no 勒弗勒)
            if not fits and (r.name in rules.given_names or r.name in rules.world_given_names):   # Toby: 托比·费
                fits = [person for key, person in dotted.items() if _sounds_alike(ends[key][0], r.name, initials)]
        else:
            continue
        if len(fits) == 1:
            merged[r.key] = fits[0]
    if not merged:
        return resolved
    return [Resolved(r.mention, merged[r.key].key, "Person", merged[r.key].name, merged[r.key].known)
            if r.key in merged else r for r in resolved]


def _family_name_alike(written: str, word: str, initials: dict[str, str]) -> bool:
    """Whether a transliterated family name may be a Latin one beyond its first sound: one character,
    or its end or its second syllable alike (海托华 for Hightower, 彼得斯 for Peters), or its second
    character the second consonant the word opens with (弗莱彻 for Fletcher); not 威尔逊 for Williams,
    塔夫 for Trump: two people of one post with the same initials."""
    return len(written) == 1 or _sounds_alike(written, word, initials) or _second_syllable_alike(written, word, initials) \
        or (len(written) > 1 and re.match(r"[^aeiouy]{2}", word.lower()) is not None      # 弗莱彻: Fl of Fletcher
            and written[1] in initials.get(word[1].upper(), ""))


def _spelled_alike(first: str, second: str) -> bool:
    """Whether two transliterations may write one foreign name: three characters or more, as long,
    the same last character, at most one other character different, their first characters for one
    Latin letter (费舍尔 and 费希尔 for Fischer, 科恩斯 and 卡恩斯 for Kearns, 麦克斯 and 马克斯 for Max; not
    马克 and 麦克, Mark and Mike)."""
    if first == second:
        return True
    if len(first) != len(second) or len(first) < 3 or first[-1] != second[-1] \
            or sum(a != b for a, b in zip(first, second, strict=True)) > 1:
        return False
    return first[0] == second[0] or any(first[0] in chars and second[0] in chars
                                        for chars in transliteration_initials().values())


def _transliterations_spelled_two_ways_as_one(resolved: list[Resolved]) -> list[Resolved]:
    """Two people written with the dots of a transliteration in one post, each part of the one
    spelled alike with the other's (_spelled_alike) and one part the same (马克斯·奥格登 and 麦克斯·奥格登),
    are one person: the one named first."""
    dotted: dict[str, list[str]] = {}
    for r in resolved:
        if r.type == "Person" and not r.known and _NAME_DOTS.search(r.name):
            dotted.setdefault(r.key, [p for p in _NAME_DOTS.split(r.name) if p])
    if len(dotted) < 2:
        return resolved
    merged: dict[str, str] = {}
    keys = list(dotted)
    for index, key in enumerate(keys):
        for earlier in keys[:index]:
            parts, others = dotted[key], dotted[earlier]
            if earlier not in merged and len(parts) == len(others) and set(parts) & set(others) \
                    and all(_spelled_alike(a, b) for a, b in zip(parts, others, strict=True)):
                merged[key] = earlier
                break
    if not merged:
        return resolved
    first = {r.key: r for r in reversed(resolved)}
    return [Resolved(r.mention, merged[r.key], "Person", first[merged[r.key]].name, False) if r.key in merged else r
            for r in resolved]


def _firms_transliterated_as_one(resolved: list[Resolved]) -> list[Resolved]:
    """A firm written as one transliterated word (泰克顿) and the one Latin word in the same post
    that it sounds like (Tecton), not a person's, are one firm: the Latin one."""
    firms = {r.key: r for r in resolved if r.type == "Company" and not r.known and _transliterated_word(r.name)}
    if not firms:
        return resolved
    words = {r.key: r for r in resolved if (r.type == "Company" or r.mention.typed_by == "default")
             and r.name.isascii() and r.name.isalpha() and r.name[:1].isupper()}
    initials = transliteration_initials()
    merged = {}
    for key, firm in firms.items():
        fits = [word for word in words.values() if _sounds_alike(firm.name, word.name, initials)
                and _second_syllable_alike(firm.name, word.name, initials)]
        if len(fits) == 1:
            merged[key] = fits[0]
    return [Resolved(r.mention, merged[r.key].key, "Company", merged[r.key].name, merged[r.key].known)
            if r.key in merged else r for r in resolved]


def _second_syllable_alike(written: str, word: str, initials: dict[str, str]) -> bool:
    """Whether a transliteration's second character may start the Latin word's second syllable:
    one of the consonants after its first vowels (Tecton: 泰克顿, 克 for c; Comcast: 康卡斯特, 卡
    for c of mc; not Stripe: 桑德拉, 德 for p)."""
    after = re.search(r"[aeiouy]+([^aeiouy]+)", word.lower())
    return len(written) > 1 and after is not None \
        and any(written[1] in initials.get(letter.upper(), "") for letter in after.group(1))


def _transliterated_word(name: str) -> bool:
    """Whether a name is one foreign word written in the characters of transliterations (施瓦布)."""
    chars = load_name_rules().transliteration
    return 2 <= len(name) <= 5 and all(ch in chars for ch in name)


def _sounds_alike(written: str, word: str, initials: dict[str, str]) -> bool:
    """Whether a word transliterated into Chinese script (萨亚尔) may be a Latin word (Sayar): it
    starts as transliteration-initials.txt allows and ends as the word does (_ends_alike), with a
    character for each syllable at least and no more characters than letters."""
    syllables = len(re.findall(r"[aeiouy]+", word.lower().rstrip("e")))
    return bool(written) and written[0] in _first_sounds(word, initials) \
        and max(1, syllables) <= len(written) <= len(word) and _ends_alike(written[-1], word, initials)


def _first_sounds(word: str, initials: dict[str, str]) -> str:
    """The characters a transliteration of a Latin word may start with: by its first letter, and
    by F for a word that opens with Ph (Philips: 菲利普斯)."""
    return initials.get(word[:1].upper(), "") + (initials.get("F", "") if word[:2].lower() == "ph" else "")


def _ends_alike(last: str, word: str, initials: dict[str, str]) -> bool:
    """Whether the last character of a transliteration may write how a Latin word ends: its last
    consonant (Schwab: 布) or its last syllable (Johnston: 顿), or 尔 for a closing r or l
    (Sayar, Dahl), 恩 for a closing n (Cohen: 科恩). 马杰 does not end like Musk."""
    bare = re.sub(r"[eh]+$", "", word.lower())
    onset = re.search(r"([^aeiouy])[aeiouy]+[^aeiouy]*$", bare)
    ends = {bare[-1:], onset.group(1) if onset else ""} - {""}
    return (last == "尔" and bare[-1:] in ("r", "l")) or (last == "恩" and bare[-1:] == "n") \
        or any(last in initials.get(end.upper(), "") for end in ends)


_NAME_DOTS = re.compile(f"[{NAME_DOTS}]")


def owned_names_as_one(resolved: list[Resolved], lexicon: Lexicon) -> list[Resolved]:
    """A product or project named with its owner in front ('VMware Tanzu', 'Apache Pulsar') and
    without ('Tanzu', 'Pulsar') in one post is one thing: the name without the owner takes the
    full name's entity. The owner is a company or organization the lexicon knows, or a word of
    owners.txt (Apache, Eclipse)."""
    full: dict[str, Resolved] = {}
    for r in resolved:
        if r.type not in ("Product", "Project") or " " not in r.name:
            continue
        words = r.name.split()
        for cut in range(1, len(words)):
            owner, rest = " ".join(words[:cut]), " ".join(words[cut:])
            known = lexicon.lookup(owner)
            if (known is not None and known.type in ("Company", "Organization")) or owner in _owner_words():
                full.setdefault(normalize(rest), r)
                break
    if not full:
        return resolved
    return [Resolved(r.mention, full[r.key].key, full[r.key].type, full[r.key].name, full[r.key].known)
            if r.key in full and not r.known and r.type in ("Product", "Project") else r for r in resolved]


def firm_names_as_one(resolved: list[Resolved]) -> list[Resolved]:
    """A Chinese firm named in full (美摄科技, 北京小雨智造科技有限公司, or a known firm so
    written: 美的集团) and by a short name the lexicon does not know (美摄, 小雨智造, 美的) in one
    post is one firm: the short name takes the full name's entity. The endings of full names are
    name-words.tsv's firm-ending; the places they may start with, its generic-org-word."""
    words = load_name_words()
    full: dict[str, Resolved] = {}
    for r in resolved:
        written = r.mention.surface if r.known else r.name
        if r.type == "Company" and has_cjk(written):
            short = words.firm_ending.sub("", written)
            if short != written and len(short) >= 2:
                full.setdefault(normalize(short), r)
                place = next((p for p in words.generic_org_words if short.startswith(p)), "")
                if place and len(short) - len(place) >= 2:      # 北京小雨智造科技有限公司: 小雨智造
                    full.setdefault(normalize(short[len(place):]), r)
    if not full:
        return resolved
    return [Resolved(r.mention, full[r.key].key, "Company", full[r.key].name, full[r.key].known)
            if r.key in full and not r.known and r.type == "Company" else r for r in resolved]


def _firms_with_their_endings_as_one(resolved: list[Resolved]) -> list[Resolved]:
    """A firm written with a word its name may end on (name-words.tsv firm-name-ending: Univa
    Corporation, Acme Software) and without it in one post (Univa) is one firm, in either order: the
    name without."""
    endings = load_name_words().firm_name_ending
    short = {r.key: r for r in resolved if r.type in ("Company", "Organization", "Project", "Product") and not r.known}
    merged: dict[str, Resolved] = {}
    for r in resolved:
        words = r.name.split()
        if r.type in ("Company", "Organization") and not r.known and len(words) >= 2 and words[-1].rstrip(".") in endings:
            plain = short.get(normalize(" ".join(words[:-1])))
            if plain is not None and plain.key != r.key:
                merged[r.key] = plain
    if not merged:
        return resolved
    firms = {plain.key for plain in merged.values()}       # (Univa, typed by nothing: the firm it is)
    out = []
    for r in resolved:
        if r.key in merged:
            r = Resolved(r.mention, merged[r.key].key, r.type, merged[r.key].name, False)
        elif r.key in firms and r.type in ("Project", "Product") and r.mention.typed_by in WEAKLY_TYPED:
            r = Resolved(r.mention, r.key, "Company", r.name, False)
        out.append(r)
    return out


def short_names_as_one(resolved: list[Resolved]) -> list[Resolved]:
    """A Latin name written in full first (XCrypt Service Encryption for Cloud Foundry, Zorbix
    Labs, or a firm the lexicon knows: Ping Identity) and by its first word or words after that
    (XCrypt, Zorbix, Ping) is one thing, when the short form is no name the lexicon knows and
    starts no other long name of the post, and is written with no version (Gemini 2.0 after Gemini
    Code Assist is another thing); so is a firm with and without its ending, in either order.
    (Written short first, a new long name is another thing: StreamNative, then StreamNative
    Cloud; a known firm's is not: Ping, then Ping Identity.)"""
    resolved = _firms_with_their_endings_as_one(resolved)
    bodies = {"Company", "Organization"}
    order: dict[str, int] = {}              # where the post first names each entity
    longer: dict[str, set[str]] = {}        # a short form -> the long names it starts
    by_key: dict[str, Resolved] = {}
    for position, r in enumerate(resolved):
        order.setdefault(r.key, position)
        words = r.name.split()
        if r.known and r.type not in bodies or len(words) < 2 or not r.name.isascii() or r.type == "Person":
            continue
        for cut in range(1, len(words)):
            longer.setdefault(normalize(" ".join(words[:cut])), set()).add(r.key)
        by_key.setdefault(r.key, r)
    if not longer:
        return resolved
    out = []
    for r in resolved:
        owners = longer.get(r.key, set()) if not r.known and r.type != "Person" and r.mention.version is None else set()
        full = by_key[next(iter(owners))] if len(owners) == 1 else None
        if full is not None and (full.known or order[full.key] < order[r.key] and (
                r.type == full.type or {r.type, full.type} <= bodies or r.mention.typed_by in WEAKLY_TYPED
                or not {r.type, full.type} & bodies)):
            r = Resolved(r.mention, full.key, full.type, full.name, full.known)
        out.append(r)
    return out


@lru_cache(maxsize=1)
def _owner_words() -> frozenset[str]:
    return frozenset(words(ontology_dir() / "lexicon" / "owners.txt"))


def shared_types(resolved: list[Resolved]) -> list[Resolved]:
    """Each new name typed by nothing but the default takes the type its context gave another
    mention of the same entity among these."""
    typed: dict[str, str] = {}
    for r in resolved:
        if not r.known and r.mention.typed_by not in WEAKLY_TYPED:
            typed.setdefault(r.key, r.type)
    if not typed:
        return resolved
    return [Resolved(r.mention, r.key, typed[r.key], r.name, r.known)
            if r.mention.typed_by in WEAKLY_TYPED and r.key in typed and not r.known else r for r in resolved]


_OPENING = re.compile(r"\s*[（(]\s*")


_TYPE_ORDER = {t: i for i, t in enumerate(ENTITY_TYPES)}
# marks a weak vote for a type: a mention typed by nothing but the default or a link (even one
# shared_types gave another mention's type); weak votes decide only an entity no other vote types
WEAK_VOTE = "~"


def observation(r: Resolved) -> tuple:
    """What a mention says of its entity, as EntityVotes.add counts it: (key, type, name,
    surface, known), the type a weak vote when only a weak source typed it (WEAKLY_TYPED)."""
    kind = r.type if r.known or r.mention.typed_by not in WEAKLY_TYPED else WEAK_VOTE + r.type
    return (r.key, kind, r.name, r.mention.surface, r.known)


class EntityVotes:
    """What every mention of the build says about each entity key: the types cues voted for,
    the names and spellings seen, whether the lexicon knows it. Counted, so that a changed
    post's observations can be taken back out (an incremental rebuild)."""

    def __init__(self):
        self.types: dict[str, dict[str, int]] = {}
        self.names: dict[str, dict[str, int]] = {}
        self.surfaces: dict[str, dict[str, int]] = {}
        self.known: dict[str, int] = {}

    def add(self, observations, sign: int = 1) -> None:
        """observations: (key, type, name, surface, known) tuples, or with a sixth element, how
        many times it was seen; sign -1 takes them out."""
        for key, kind, name, surface, known, *times in observations:
            weight = sign * (times[0] if times else 1)
            for table, value in ((self.types, kind), (self.names, name), (self.surfaces, surface),
                                 (self.surfaces, name)):
                counts = table.setdefault(key, {})
                counts[value] = counts.get(value, 0) + weight
                if counts[value] <= 0:
                    del counts[value]
            if known:
                self.known[key] = self.known.get(key, 0) + weight
                if self.known[key] <= 0:
                    del self.known[key]
            if not self.types[key]:
                for table in (self.types, self.names, self.surfaces):
                    table.pop(key, None)

    def keys(self):
        return self.types.keys()

    def plain(self) -> tuple:
        return self.types, self.names, self.surfaces, self.known

    @staticmethod
    def from_plain(values: tuple) -> "EntityVotes":
        votes = EntityVotes()
        votes.types, votes.names, votes.surfaces, votes.known = values
        return votes

    def entity(self, key: str, lexicon: Lexicon) -> Entity:
        """The entity of a key: the lexicon's type and name when known, else the type most cues
        voted for and the most frequent name; every spelling seen becomes an alias."""
        entry = lexicon.entries.get(key) if key in self.known else None
        if entry:
            kind, name = entry.type, entry.name
            aliases = set(entry.aliases) | set(self.surfaces[key])
        else:
            votes = self.types[key]
            strong = {kind: count for kind, count in votes.items() if not kind.startswith(WEAK_VOTE)}
            kind = min((strong or votes).items(), key=lambda kv: (-kv[1], _TYPE_ORDER[kv[0].lstrip(WEAK_VOTE)]))[0]
            kind = kind.lstrip(WEAK_VOTE)
            name = min(self.names[key].items(), key=lambda kv: (-kv[1], kv[0]))[0]
            aliases = set(self.surfaces[key])
        aliases.discard(name)
        return Entity(key, kind, name, tuple(sorted(a for a in aliases if a.strip())), bool(entry))
