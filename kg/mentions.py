"""Stage 2, mentions: an entry's text and the lexicon -> [Mention] (typed spans).

Found first, merged in one place (find_mentions):
- known names: one Aho-Corasick pass over the text (lexicon.find);
- new Latin-script names inside Chinese text ("Orange Box", "DreamCompute"): runs of
  Latin words split at known names, generic acronyms and lowercase words; a piece right
  after a known name extends it ("HP Helion OpenStack" + "Community");
- new Chinese person names: jieba (rjieba) tags nr, kept when the name starts with a
  Chinese family name.
A new name is typed by its own head word (ontology/patterns/name-heads.tsv: Conference,
Foundation, Networks ...), by cue words around it (type-cues.tsv: 公司, 项目, 峰会 ...),
as a person when it reads like one, else by a default. Common English words with no
cue are not names. URLs, e-mail addresses and paths are masked first.
"""
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field, replace
from typing import Any
from functools import lru_cache
from itertools import accumulate
from pathlib import Path

from kg.datafiles import expand_macros, tsv_rows, word_lists, words
from kg.errors import DataFileError
from kg.lexicon import Known, Lexicon, has_cjk, is_cjk, split_version, transliteration_initials
from kg.namespace import ENTITY_TYPES
from kg.regex_shape import literals_of, may_match
from kg.resources import ontology_dir
from kg.tagger import tag_names


# how a mention may be typed when nothing says what it is: its type gives way to any other sign
WEAKLY_TYPED = frozenset({"default", "link"})


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    surface: str            # the text as written: "Mirantis OpenStack 5.0"
    name: str               # the name without its version: "Mirantis OpenStack"
    type: str
    version: str | None = None
    known: bool = False     # from the lexicon
    typed_by: str = "lexicon"   # how it was typed: a key of kg.explain.HOW (lexicon, head, cue, tagger, default …)


@dataclass(frozen=True)
class TypeCue:
    type: str
    where: str              # "before", "after" or "around"
    pattern: re.Pattern     # (for "around", the part after the name)
    before: re.Pattern | None = None    # "around": the part before the name


@dataclass(frozen=True)
class NameRules:
    """The data that types and filters new names (files under ontology/)."""
    cues: tuple[TypeCue, ...]
    heads: tuple[tuple[str, re.Pattern], ...]
    given_names: frozenset[str]
    family_names: frozenset[str]
    surnames: frozenset[str]            # Chinese family names, of one or two characters
    before_cue: re.Pattern | None = None    # any cue that stands before a name, as one pattern
    versioned_cues: tuple[TypeCue, ...] = ()  # cues that type a name only when it carries a version
    group_after: re.Pattern | None = None    # [place] + group word after a known name (中国用户组)
    firm_after: re.Pattern | None = None     # a firm word after a known company (资本)
    person_cues: tuple[TypeCue, ...] = ()    # the cues of type Person
    # the characters transliterated names are written with (lexicon/transliteration-chars.txt)
    transliteration: frozenset[str] = frozenset()
    # a role right before a short Chinese name ending at punctuation: 创始人乔忠良，
    role_then_name: re.Pattern | None = None
    after_list: tuple[TypeCue, ...] = ()    # cues after a list that type each member (A、B、C 等公司)
    before_list: tuple[TypeCue, ...] = ()   # cues before a list that type each member (数据库，如 A、B 和 C)
    product_after: re.Pattern | None = None  # a product word after a known company (百度 + 地图)
    event_after: re.Pattern | None = None    # a gathering's words and an event word after a known name
    edition_after: re.Pattern | None = None  # where an event's edition is held, after its name (KubeCon + China)
    variant_after: re.Pattern | None = None  # a variant word after a known product (GPT-4o + mini, iPhone 16 + Pro)
    firm_then_role: re.Pattern | None = None  # a transliterated firm's name right before a role (泰克顿联合创始人)
    speaker: re.Pattern | None = None         # a transliterated name opening a clause (库姆斯说)
    # the ROLE words (and PERSON-NOUN), one Aho-Corasick automaton: a text without any holds no role_then_name
    # (firm_then_role, which a verb of joining a firm opens too, is gated by its own literals: may_match)
    role_words: Any = field(default=None, compare=False, repr=False)
    world_given_names: frozenset[str] = frozenset()     # given names of many countries: a weaker test
    after_person: re.Pattern | None = None  # a word that follows a person's name (macros.tsv AFTER-PERSON: 表示, 提出)
    role_breaks: frozenset[str] = frozenset()  # characters no name after a role ends on (macros.tsv ROLE-BREAK: 在, 的)


_URL_RE = re.compile(r"(?:https?|ftp)://[^\s<>\"'，。；）)】]+|www\.[A-Za-z0-9.-]+\.[a-z]{2,}\S*|"
                     r"[\w.+-]+@[\w-]+\.[\w.-]+|(?<![A-Za-z])(?:/[\w.-]+){2,}/?")
# Latin script with the accented letters of European names (Müller, José, Grünberg)
_LATIN = "A-Za-z0-9\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff"
# (a lone '&' between words stays in the run: Kleiner Perkins Caufield & Byers)
_LATIN_RUN_RE = re.compile(f"[{_LATIN}][{_LATIN}.+&'’_/-]*(?:[ \\t]+(?:&[ \\t]+)?[{_LATIN}][{_LATIN}.+&'’_/-]*)*")
_WORD_RE = re.compile(f"[{_LATIN}][{_LATIN}.+&'’_/-]*")
_LETTER_RE = re.compile("[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff]")     # the letters of _LATIN
_TRIM = ".-/_'’&+ \t"


@dataclass(frozen=True)
class NameWords:
    """ontology/patterns/name-words.tsv: the small words that decide where a name starts and ends."""
    connectors: frozenset[str]
    inner_connectors: frozenset[str]
    outer_connectors: frozenset[str]        # connectors that never stand inside a name
    particles: frozenset[str]
    not_name_start: frozenset[str]
    proper_tags: frozenset[str]
    trailing_connectors: re.Pattern
    event_suffix: re.Pattern
    company_suffix: re.Pattern
    firm_suffix: re.Pattern
    code_host: re.Pattern
    organization_suffix: re.Pattern         # matches at the end of a Chinese organization's name
    generic_org_words: frozenset[str]
    firm_ending: re.Pattern                 # matches the end of a Chinese firm's full name (科技, 集团)
    tagger_cue: re.Pattern                  # a word next to which a Chinese name stands (kg/tagger.py)
    not_in_name: frozenset[str] = frozenset()   # characters a Chinese name never holds (的, 了, 是)
    shared_host: re.Pattern = re.compile("(?!)")  # a site whose links name its pages' subjects, not itself
    firm_ending_anywhere: re.Pattern = re.compile("(?!)")     # firm_ending, anywhere in a text
    list_lead: re.Pattern = re.compile("(?!)")      # words before a list's first member (包括, 与)
    field_body: frozenset[str] = frozenset()    # a body's word that after a place and a field names one body
    maker_ending: tuple[str, ...] = ()          # what a firm adds to the name of the thing it makes (MongoDB Inc.)
    firm_after_proper: re.Pattern = re.compile("(?!)")  # (an industry word and) a firm-verb after a proper noun
    place_body: frozenset[str] = frozenset()    # after a place alone names one institution (中国银行)
    body_unit: re.Pattern = re.compile("(?!)")    # a unit inside a body, after its name (江南大学党委)
    trade_words: frozenset[str] = frozenset()   # words of a firm's trade (firm-industry: 机器人, 材料)
    measure: re.Pattern = re.compile("(?!)")      # a number and a unit (measure-unit: 4.4GWh, 128K)
    publication: re.Pattern = re.compile("(?!)")  # a title in 《》 before a newsroom role (《卫报》记者)
    partner_verb: re.Pattern = re.compile("(?!)")  # a verb a list of partners follows (携手 A、B)
    same_event: re.Pattern = re.compile("(?!)")  # what joins two names of one gathering (A 暨 B)
    firm_kind: re.Pattern = re.compile("(?!)")  # the kind of firm a name follows (供应商森萨塔)
    bracket_closing: re.Pattern = re.compile(r"\s*[)）]")     # the end of a bracket, a legal ending before it
    firm_name_ending: frozenset[str] = frozenset()  # what a known firm's name may be written with (Software, Inc)
    kind_after: frozenset[str] = frozenset()    # a kind word after a name, no part of it (腾讯地图 APP)
    group_verbs: frozenset[str] = frozenset()   # a verb that takes 集团 as its object (成立集团)
    person_page: re.Pattern = re.compile("(?!)")   # an address of one person's profile (linkedin.com/in/)
    year_led_event: re.Pattern = re.compile("(?!)")   # a year or edition, a name and an event-head
    own_firm_ending: re.Pattern = re.compile("(?!)")  # a firm-ending word that is part of a name (科技, not 公司)
    newsroom_role: re.Pattern = re.compile("(?!)")    # any newsroom-role word (记者, 主编)
    latin_led_event: re.Pattern = re.compile("(?!)")  # Latin words and a gathering's word (Build with AI 活动)
    body_word: re.Pattern = re.compile("(?!)")    # a body's or a firm's word of two characters or more (研究所, 公司)
    released_after_dash: re.Pattern = re.compile("(?!)")  # a release verb, words, a dash and what was released
    counted_after: re.Pattern = re.compile("(?!)")  # a word after a number that counts or measures (年, 个, 美元)
    made_for: re.Pattern = re.compile("(?!)")   # between a product's name and what it is made for (Cloud for Kafka)
    versioned_after_kind: re.Pattern = re.compile("(?!)")   # a kind of thing, a Chinese name and its version (模型万相2.1)
    public_body_ending: re.Pattern = re.compile("(?!)")     # the last word of a public body named in common words (联盟)
    list_opener: re.Pattern = re.compile("(?!)")    # opens a list a kind names before it (包括, 如)
    list_closer: re.Pattern = re.compile("(?!)")    # ends such a list: a clause mark, or 等, 都
    edition_ending: frozenset[str] = frozenset()    # the last character of an edition's word (版, 代)
    body_kind_noun: frozenset[str] = frozenset()    # a kind of body: what a body's word before it modifies (非政府组织)
    released_before: re.Pattern = re.compile("(?!)")    # a release verb right before a name (推出了 JetBrains Mono)
    concept_gloss: re.Pattern = re.compile("(?!)")  # a concept in Chinese, its acronym in brackets (应用性能管理(APM))
    project_owners: frozenset[str] = frozenset()    # an open-source foundation opening its projects' names (Apache)
    translated_kinds: dict = field(default_factory=dict)   # a kind word in English -> its translations (Cloud: 云)
    word_boundaries: frozenset[str] = frozenset()   # characters that end a Chinese word before or after a name (的, 和)


_REQUIRED_NAME_WORD_KINDS = ("connector", "inner-connector", "name-particle", "event-suffix", "company-suffix",
                             "firm-suffix", "not-name-start", "proper-tag", "code-host", "organization-suffix",
                             "generic-org-word", "firm-ending", "tagger-cue")
_NAME_WORD_KINDS = (*_REQUIRED_NAME_WORD_KINDS, "not-in-name", "shared-host", "list-lead", "field-body",
                    "maker-ending", "firm-verb", "firm-industry", "place-body", "body-unit", "measure-unit", "newsroom-role",
                    "partner-verb", "same-event", "firm-kind", "legal-ending", "firm-name-ending", "kind-after", "group-verb",
                    "publication-ending", "person-page", "event-head", "latin-event-word", "release-verb",
                    "counter-word", "made-for", "versioned-kind", "public-body-ending", "list-opener", "list-closer",
                    "edition-ending", "body-kind-noun", "concept-head", "project-owner", "translated-kind",
                    "word-boundary")


# a year (2024年, 2024) or an edition (第二届) that opens a name in Chinese script ending on a gathering's
# word: up to twenty characters, brackets and Latin words of it, none a function word or a mark
_YEAR_LED_EVENT = (r"(?<![\d.])(?:(?:19|20)\d\d\s*年?|第[一二三四五六七八九十\d]{{1,3}}届)\s*"
                   r"((?![\d{stops}])[\w（）() ·+-](?:(?![{stops}])[\w（）() ·+-]){{0,20}})(?:{heads})")


@lru_cache(maxsize=4)
def load_name_words(path: Path | None = None) -> NameWords:
    path = Path(path) if path else ontology_dir() / "patterns" / "name-words.tsv"
    rows = word_lists(path, _NAME_WORD_KINDS, required=_REQUIRED_NAME_WORD_KINDS)

    def alternation(kind: str) -> str:
        return "|".join(re.escape(w) for w in sorted(rows[kind], key=lambda w: (-len(w), w)))
    connectors = frozenset(rows["connector"])
    inner = frozenset(rows["inner-connector"])
    return NameWords(connectors, inner, connectors - inner, frozenset(rows["name-particle"]),
                     frozenset(rows["not-name-start"]), frozenset(rows["proper-tag"]),
                     re.compile(r"(?:\s+(?:{}))+$".format("|".join(sorted(connectors)))),
                     re.compile(rf"\s*({alternation('event-suffix')})"),
                     re.compile(f"(?:{alternation('company-suffix')})"),
                     re.compile(f"(?:{alternation('firm-suffix')})"),
                     re.compile(rf"https?://(?:www\.)?(?:{alternation('code-host')})/"),
                     re.compile(f"(?:{alternation('organization-suffix')})$"), frozenset(rows["generic-org-word"]),
                     re.compile(f"(?:{alternation('firm-ending')})$"), re.compile(alternation("tagger-cue")),
                     frozenset("".join(rows.get("not-in-name", []))),
                     re.compile(rf"https?://(?:[\w-]+\.)*(?:{alternation('shared-host')})(?:/|$)")
                     if rows.get("shared-host") else re.compile("(?!)"),
                     re.compile(alternation("firm-ending")),
                     re.compile(f"(?:{alternation('list-lead')})+") if rows.get("list-lead") else re.compile("(?!)"),
                     frozenset(rows.get("field-body", [])), tuple(rows.get("maker-ending", [])),
                     re.compile(rf"((?:{alternation('firm-industry')})?)\s*(?:{alternation('firm-verb')})"
                                if rows.get("firm-industry") else rf"()\s*(?:{alternation('firm-verb')})")
                     if rows.get("firm-verb") else re.compile("(?!)"),
                     frozenset(rows.get("place-body", [])),
                     re.compile(f"(?:{alternation('body-unit')})$") if rows.get("body-unit") else re.compile("(?!)"),
                     frozenset(rows.get("firm-industry", [])),
                     re.compile(rf"\d+(?:\.\d+)?\s*(?:{alternation('measure-unit')})")
                     if rows.get("measure-unit") else re.compile("(?!)"),
                     re.compile(rf"(?:《([^《》\s，。；、：！？]{{2,16}})》|(?:^|(?<=[、，。；：:\s]))([\u4e00-\u9fff]{{1,8}}?"
                                rf"(?:{alternation('publication-ending')})))(?=\s*(?:{alternation('newsroom-role')}))")
                     if rows.get("newsroom-role") else re.compile("(?!)"),
                     re.compile(alternation("partner-verb")) if rows.get("partner-verb") else re.compile("(?!)"),
                     re.compile(rf"\s*(?:{alternation('same-event')})\s*") if rows.get("same-event") else re.compile("(?!)"),
                     re.compile(f"(?:{alternation('firm-kind')})") if rows.get("firm-kind") else re.compile("(?!)"),
                     re.compile(rf"(?:\s*,?\s*(?:{alternation('legal-ending')})\.?)?\s*[)）]") if rows.get("legal-ending")
                     else re.compile(r"\s*[)）]"),
                     frozenset(rows.get("firm-name-ending", [])), frozenset(rows.get("kind-after", [])),
                     frozenset(rows.get("group-verb", [])),
                     re.compile(rf"https?://(?:[\w-]+\.)*(?:{alternation('person-page')})") if rows.get("person-page")
                     else re.compile("(?!)"),
                     re.compile(_YEAR_LED_EVENT.format(heads=alternation("event-head"),
                                                       stops=re.escape("".join(rows.get("not-in-name", [])))))
                     if rows.get("event-head") else re.compile("(?!)"),
                     _any_word([w for w in rows["firm-ending"] if w not in rows["company-suffix"]]),
                     _any_word(rows.get("newsroom-role", [])),
                     _latin_led_event([w for w in rows.get("latin-event-word", []) if not w.isascii()],
                                      [w for w in rows.get("latin-event-word", []) if w.isascii()]),
                     _any_word([w for w in rows["organization-suffix"] + rows["company-suffix"] if len(w) >= 2
                                and not any(own in w for own in rows["firm-ending"] if own not in rows["company-suffix"])]),
                     re.compile(_RELEASED_AFTER_DASH.format(verbs=alternation("release-verb")))
                     if rows.get("release-verb") else re.compile("(?!)"),
                     re.compile(rf"\s*(?:{alternation('counter-word')})") if rows.get("counter-word") else re.compile("(?!)"),
                     re.compile(rf"\s+(?:{alternation('made-for')})\s+") if rows.get("made-for") else re.compile("(?!)"),
                     re.compile(_VERSIONED_AFTER_KIND.format(kinds=alternation("versioned-kind")))
                     if rows.get("versioned-kind") else re.compile("(?!)"),
                     *_kinds_and_lists(rows))


def _kinds_and_lists(rows: dict[str, list[str]]) -> tuple:
    """name-words.tsv's public-body-ending, list-opener (regular expressions), list-closer,
    edition-ending, body-kind-noun, release-verb (right before a name), concept-head (a concept
    glossing its acronym), project-owner, translated-kind and word-boundary, as NameWords holds them."""
    return (_any_word(rows.get("public-body-ending", [])),
            re.compile("|".join(rows.get("list-opener", [])) or "(?!)"),
            re.compile(r"[，,。；;：:！!？?\n（(）)“”\"]" + "".join(f"|{w}" for w in rows.get("list-closer", []))),
            frozenset("".join(rows.get("edition-ending", []))), frozenset(rows.get("body-kind-noun", [])),
            re.compile(rf"(?:{'|'.join(rows['release-verb'])})了?\s*(?:(?:全新|最新|新)的?)?\s*(?:名为|叫做|称为)?\s*$")
            if rows.get("release-verb") else re.compile("(?!)"),
            re.compile(rf"[\u4e00-\u9fff](?:{'|'.join(rows['concept-head'])})\s*[(（]\s*([A-Z][A-Za-z]{{1,7}})\s*[)）]")
            if rows.get("concept-head") else re.compile("(?!)"), frozenset(rows.get("project-owner", [])),
            _translated_kinds(rows.get("translated-kind", [])), frozenset("".join(rows.get("word-boundary", []))))


def _translated_kinds(pairs: list[str]) -> dict[str, tuple[str, ...]]:
    """name-words.tsv translated-kind (云=Cloud): the English word -> its translations."""
    kinds: dict[str, tuple[str, ...]] = {}
    for pair in pairs:
        chinese, _, english = pair.partition("=")
        if chinese and english:
            kinds[english] = kinds.get(english, ()) + (chinese,)
    return kinds


# a kind of thing, then two to six Chinese characters and a version written right after them (模型万相2.1)
_VERSIONED_AFTER_KIND = r"(?:{kinds})\s*([\u4e00-\u9fff]{{2,6}})\s*[vV]?(\d+(?:\.\d+)+)(?![\d.%％])(?!\s*[亿万千百元倍个年月日])"
# a release verb, up to thirty characters of the clause, a dash and a name up to the clause's end: up to
# twelve characters, Latin words and a last Chinese word (…发布旗下首款陪伴机器人——汤姆猫 AI 童伴)
_RELEASED_AFTER_DASH = (r"(?:{verbs})[^，。；！？\n]{{0,30}}?(?:——|—|--)\s*"
                        r"([^，。；！？\n\s“”]{{1,12}}(?:[ ][A-Za-z0-9]+){{0,2}}(?:[ ]?[\u4e00-\u9fff]{{1,6}})?)"
                        r"\s*(?=[，。；！？\n]|$)")


# Latin words that a gathering's word follows (Build with AI 活动, TDengine Open Day 技术沙龙): its name; or
# a lowercase word that an English one ends (deepin Meetup): the name with it; up to six words in all
_LATIN_LED_EVENT = (r"(?<![A-Za-z0-9_.+&/-])(?P<name>[A-Za-z][A-Za-z0-9_.+-]*(?:[ ]+[A-Za-z0-9_.+&-]+){{0,5}}?)"
                    r"(?:[ ]*(?=(?P<word>{chinese}))|[ ]+(?P<head>{english})(?![A-Za-z0-9_-]))")


def _latin_led_event(chinese: list[str], english: list[str]) -> re.Pattern:
    """The pattern of _LATIN_LED_EVENT for these words; nothing for none."""
    if not chinese and not english:
        return re.compile("(?!)")
    return re.compile(_LATIN_LED_EVENT.format(chinese=_any_word(chinese).pattern, english=_any_word(english).pattern))


def _any_word(listed: list[str]) -> re.Pattern:
    """Any of the words, the longest first; a pattern that matches nothing for none."""
    return re.compile("|".join(re.escape(w) for w in sorted(listed, key=len, reverse=True)) or "(?!)")


_ENDS_ON_A_YEAR = re.compile(r"(?:19|20)\d\d$")     # 'NeurIPS 2024', 'Ceph Day 2014': the year names the edition
_VERSION_AFTER = re.compile(r"(?:[ \t]|-(?=\d))?[vV]?(\d+(?:\.\d+)+|\d{1,3}(?![\d.]))(?![\w.])")
_YEAR_AFTER = re.compile(r"[ \t]?((?:19|20)\d\d)(?![\d.])")
_UPPER, _LOWER = "A-Z\u00c0-\u00d6\u00d8-\u00de", "a-z\u00df-\u00f6\u00f8-\u00ff"
_PERSON_WORD = re.compile(f"^(?:[{_UPPER}][{_LOWER}]+(?:[-'][{_UPPER}]?[{_LOWER}]+)?|Mc[A-Z][a-z]+|Mac[A-Z][a-z]+|"
                          f"O'[A-Z][a-z]+|[A-Z]\\.)$")


def mask_urls(text: str) -> str:
    """URLs and e-mail addresses replaced by spaces: offsets stay the same."""
    if "/" not in text and "@" not in text and "www." not in text:
        return text                 # every form _URL_RE knows has one of these
    return _URL_RE.sub(lambda m: " " * len(m.group(0)), text)


def _optional_words(path: Path) -> frozenset[str]:
    """The words of a word list under ontology/, none when it is not there."""
    return frozenset(words(path)) if path.is_file() else frozenset()


_CUE_PLACES = ("before", "after", "around", "before+version", "after-list", "before-list")


def _type_cues(root: Path) -> dict[str, list]:
    """type-cues.tsv's cues by where they stand (_CUE_PLACES; "cues": those right before or after
    a name, in file order, the first that matches winning)."""
    found: dict[str, list] = {place: [] for place in (*_CUE_PLACES, "cues")}
    path = root / "patterns" / "type-cues.tsv"
    for number, cells in tsv_rows(path):
        if len(cells) != 3 or cells[0] not in ENTITY_TYPES or cells[1] not in _CUE_PLACES:
            raise DataFileError(path, number, f"expected: type, {'|'.join(_CUE_PLACES)}, cue (tab-separated)")
        kind, where = cells[0], cells[1]
        cue = expand_macros(cells[2], root / "patterns" / "macros.tsv", f"{path.name}:{number}")
        if where == "around" and cue.count("{name}") != 1:
            raise DataFileError(path, number, "an 'around' cue marks the name's place once: {name}")
        try:
            # a cue after a name starts at its end; one after a list within a few characters of
            # it; one before a list ends where the list starts; one around a name, both
            before_part, _, after_part = cue.partition("{name}") if where == "around" else ("", "", cue)
            anchor = {"after": r"^\s*", "around": r"^\s*", "after-list": r"^[\s\S]{0,9}?"}.get(where)
            pattern = re.compile(f"{anchor}(?:{after_part})" if anchor else
                                 f"(?:{cue})\\s*$" if where == "before-list" else cue)
            before = re.compile(f"(?:{before_part})\\s*$") if where == "around" else None
        except re.error as error:
            raise DataFileError(path, number, f"bad regular expression: {error}") from None
        found[where].append(TypeCue(kind, where.removesuffix("+version").removesuffix("-list"), pattern, before))
        if where in ("before", "after", "around"):
            found["cues"].append(found[where][-1])
    return found


_GROUP_PARTS = ("place", "group", "spaced-group", "firm", "product", "event", "edition", "variant", "in-english")


def _group_name_parts(path: Path) -> dict[str, str]:
    """group-names.tsv: each kind of word that follows a name (place, group, firm, ...) as the
    inside of a regular expression's alternation."""
    parts: dict[str, str] = {}
    if path.is_file():
        for number, cells in tsv_rows(path):
            if len(cells) != 2 or cells[0] not in _GROUP_PARTS:
                raise DataFileError(path, number, f"expected: {'|'.join(_GROUP_PARTS)}, words joined by |")
            parts[cells[0]] = "|".join(re.escape(w) for w in cells[1].split("|"))
    return parts


@lru_cache(maxsize=1)
def group_words_in_english() -> dict[str, str]:
    """group-names.tsv in-english: a group word -> its English form (基金会 -> Foundation), the
    word a body with a Latin name is named with in English (Eclipse 基金会 is Eclipse Foundation)."""
    path = ontology_dir() / "patterns" / "group-names.tsv"
    pairs = (word.split("=", 1) for _, cells in tsv_rows(path) if cells[0] == "in-english"
             for word in cells[1].split("|"))
    return {chinese: english for chinese, english in pairs}


def _name_heads(path: Path) -> list[tuple[str, re.Pattern]]:
    """name-heads.tsv: each type (Type+year, Type+always, Type+ending) and its head words, as a pattern of
    a whole word (of a word's end for Type+ending)."""
    heads = []
    for number, cells in tsv_rows(path):
        if len(cells) != 2 or cells[0].removesuffix("+year").removesuffix("+always").removesuffix("+ending") \
                not in ENTITY_TYPES:
            raise DataFileError(path, number, "expected: type (or type+year, type+always, type+ending), head words joined by |")
        alternatives = "|".join(re.escape(w) for w in cells[1].split("|"))
        heads.append((cells[0], re.compile(rf"(?<=[A-Za-z]{{3}})(?:{alternatives})$" if cells[0].endswith("+ending")
                                           else rf"^(?:{alternatives})$", re.I)))
    return heads


@lru_cache(maxsize=4)
def load_name_rules(directory: Path | None = None) -> NameRules:
    root = Path(directory) if directory else ontology_dir()
    typed = _type_cues(root)
    cues = typed["cues"]
    heads = _name_heads(root / "patterns" / "name-heads.tsv")
    given, surnames = (frozenset(words(root / "lexicon" / f)) for f in ("given-names.txt", "chinese-surnames.txt"))
    world, family = (_optional_words(root / "lexicon" / f) for f in ("given-names-world.txt", "family-names.txt"))
    before = [f"(?:{c.pattern.pattern})" for c in cues if c.where == "before"]
    parts = _group_name_parts(root / "patterns" / "group-names.tsv")
    place = f"(?:{parts['place']})?" if "place" in parts else ""
    spaced = f"|[ \\t]{place}(?:{parts['spaced-group']})(?![A-Za-z])" if "spaced-group" in parts else ""
    group_after = re.compile(f"{place}(?:{parts['group']}){spaced}") if "group" in parts else None
    firm_after = re.compile(f"(?:{parts['firm']})") if "firm" in parts else None
    product_after = re.compile(f"(?:{parts['product']})") if "product" in parts else None
    year = r"(?:[ \t]?(?:19|20)\d\d(?![\d.]))?"          # an edition's year, kept with its event's name
    event_after = None
    if "event" in parts:       # an English event word ends the name: not 'OpenStack Days' of 'OpenStack Days Silicon Valley'
        latin = "|".join(w for w in parts["event"].split("|") if w.isascii()) or "(?!)"
        chinese = "|".join(w for w in parts["event"].split("|") if not w.isascii()) or "(?!)"
        event_after = re.compile(rf"\s*([\u4e00-\u9fff]{{0,12}}?)(?:{chinese}|(?:{latin}){year}(?![A-Za-z])(?!\s*[A-Za-z]))")
    edition_after = re.compile(rf"[ \t]?(?:{parts['edition']})(?![A-Za-z]){year}") if "edition" in parts else None
    transliteration = frozenset("".join(words(root / "lexicon" / "transliteration-chars.txt")))
    # a Chinese name (group 1), or a foreign one written without its dots (group 2: 吉姆怀特赫斯特)
    foreign = "".join(sorted(transliteration))
    # (the last role word is all it needs: the qualifiers and roles before it change nothing)
    macro_words = word_lists(root / "patterns" / "macros.tsv")
    roles = "|".join(re.escape(w) for w in sorted(macro_words["ROLE"], key=len, reverse=True))
    after_person = re.compile("|".join(re.escape(w) for w in macro_words["AFTER-PERSON"])) \
        if macro_words.get("AFTER-PERSON") else None
    foreign_name = f"[{foreign}]{{2,8}}-[{foreign}]{{2,8}}|[{foreign}]{{3,8}}"     # (沃恩-尼科尔斯: a double name)
    # (a role's head of two characters or more ends a role as well: 可靠性倡导者史蒂夫麦克格; so does a word for a
    # kind of person: KAN 作者刘子鸣, “大疆教父”李泽湘, a closing quote between)
    role_heads = [w for w in macro_words.get("ROLE-HEAD", []) if len(w) >= 2 and has_cjk(w)] + macro_words.get("PERSON-NOUN", [])
    role_ends = "|".join(re.escape(w) for w in sorted({*macro_words["ROLE"], *role_heads}, key=len, reverse=True))
    role_then_name = expand_macros(r"(?:" + role_ends + r")[”」\"]?(?:([\u4e00-\u9fff]{2,3}?)|\s?(" + foreign_name + "))"
                                   r"(?=[，,。；;、：:\s(（」”\d]|{AFTER-PERSON}|$)",     # (飞书CEO谢欣26日…)
                                   root / "patterns" / "macros.tsv", "macros.tsv")
    firm_then_role, speaker = _transliterated_by_their_words(root, foreign, macro_words, roles)
    import ahocorasick
    role_words = ahocorasick.Automaton()
    for word in (*macro_words["ROLE"], *role_heads):
        role_words.add_word(word, word)
    role_words.make_automaton()
    return NameRules(tuple(cues), tuple(heads), given, family, surnames,
                     re.compile("|".join(before)) if before else None, tuple(typed["before+version"]), group_after,
                     firm_after, tuple(c for c in cues if c.type == "Person"), transliteration,
                     re.compile(role_then_name), tuple(typed["after-list"]), world_given_names=world,
                     after_person=after_person, before_list=tuple(typed["before-list"]), product_after=product_after,
                     event_after=event_after, edition_after=edition_after,
                     variant_after=re.compile(rf"[ \t]?(?:{parts['variant']})(?![\w-])") if "variant" in parts else None,
                     firm_then_role=firm_then_role, speaker=speaker, role_words=role_words,
                     role_breaks=frozenset(w for w in macro_words.get("ROLE-BREAK", []) if len(w) == 1))


def _transliterated_by_their_words(root: Path, foreign: str, macro_words: dict, roles: str) -> tuple[re.Pattern, re.Pattern]:
    """Two patterns of foreign names written in the characters of transliterations (foreign), group
    1 or 2 the name: a firm's right before a role (泰克顿联合创始人) or right after a verb of joining or
    buying a firm, ending its clause (macros.tsv FIRM-JOINING: 加入科帕多，); one of three to six
    characters opening a clause, which a person's cue may follow (库姆斯说: _transliterated_speakers)."""
    joining = "|".join(rf"(?<={re.escape(verb)})" for verb in macro_words.get("FIRM-JOINING", []))
    opening = r"(?:^|(?<=[\s，,。；;：:“”\"」(（]))"
    firm_then_role = re.compile(expand_macros(
        rf"{opening}([{foreign}]{{2,6}})(?=(?:{{ROLE-QUALIFIER}})?(?:{roles}))"
        + (rf"|(?:{joining})\s?([{foreign}]{{2,6}})(?=\s?[，,。；;]|\s?的|$)" if joining else ""),
        root / "patterns" / "macros.tsv", "macros.tsv"))
    speaker = re.compile(rf"{opening}([{foreign}]{{3,6}})(?![{foreign}])")
    return firm_then_role, speaker


@lru_cache(maxsize=1)
def common_english() -> frozenset[str]:
    """The 25,000 most frequent English words (wordfreq): a single one, capitalized at the
    start of a phrase ('Approved', 'Scheduler'), is not a name by itself. Kept as a word list
    in the user's cache folder (kg/cache.py) after the first use."""
    from importlib.metadata import version

    from kg.keep import kept

    def listed() -> str:
        from wordfreq import top_n_list             # importing wordfreq takes 0.4 s
        return "\n".join(top_n_list("en", 25000))
    return kept(f"wordfreq-{version('wordfreq')}-en-25000.txt", listed, lambda text: frozenset(text.split("\n")))


_CUE_INDEXES: dict[int, tuple] = {}       # id(cues) -> (cues, their _CueIndex)


class _CueIndex:
    """Which of a tuple of cues can match around a name, from the words each must hold
    (kg.regex_shape.literals_of; a cue whose words are not known is always tried): one
    Aho-Corasick pass over the 16 characters before the name and one over the 32 after tell
    which few cues to try, where trying each in turn would run every pattern (most names have
    no cue around them)."""

    def __init__(self, cues: tuple[TypeCue, ...]):
        import ahocorasick
        self.before, self.after = ahocorasick.Automaton(), ahocorasick.Automaton()
        always = []
        for index, cue in enumerate(cues):
            # the words a cue before the name holds stand before it; those of one after it (or of
            # the part after the name of one around it) after it
            words, side = literals_of(cue.pattern), self.before if cue.where == "before" else self.after
            if words is None and cue.where == "around" and cue.before is not None:
                words, side = literals_of(cue.before), self.before
            if words is None:
                always.append(index)
                continue
            for word in words:
                side.add_word(word, side.get(word, ()) + (index,))
        for side in (self.before, self.after):
            if len(side):
                side.make_automaton()
        self.always = frozenset(always)

    def candidates(self, before: str, after: str) -> list[int]:
        """The indexes, in order, of the cues whose words stand where they must."""
        chosen = set(self.always)
        for text, side in ((before, self.before), (after, self.after)):
            if len(side):
                for _, indexes in side.iter(text):
                    chosen.update(indexes)
        return sorted(chosen)


def _cue_index(cues: tuple[TypeCue, ...]) -> _CueIndex:
    known = _CUE_INDEXES.get(id(cues))
    if known is not None and known[0] is cues:
        return known[1]
    index = _CueIndex(cues)
    _CUE_INDEXES[id(cues)] = (cues, index)         # keeps cues alive: its id is not reused
    return index


def cue_type(text: str, start: int, end: int, cues: tuple[TypeCue, ...], reach: int = 16) -> str | None:
    """The type that the words right around a span suggest: the first cue, in file order, that
    matches; reach: how many characters before the span a cue may stand in."""
    before, after = text[max(0, start - reach):start], text[end:end + 32]
    for index in _cue_index(cues).candidates(before, after):
        cue = cues[index]
        if cue.where == "after" and cue.pattern.match(after):
            return cue.type
        if cue.where == "before" and cue.pattern.search(before):
            return cue.type
        if cue.where == "around" and cue.before is not None and cue.before.search(before) and cue.pattern.match(after):
            return cue.type
    return None


_CAMEL_TAIL = re.compile("(?<=[A-Za-z0-9])[A-Z][a-z]+$")


@lru_cache(maxsize=65536)            # a pure function of a name; archives name the same things again
def head_type(name: str, heads, always: bool = False) -> str | None:
    """The type a name's head word gives: its last word (Conference, Networks), or its first
    before 'of' (University of Waikato). With always, only heads that name a thing even after
    common words (Partners, Capital)."""
    if always:
        heads = [(kind, pattern) for kind, pattern in heads if kind.endswith("+always")]
    parts = name.split()
    if len(parts) >= 3 and parts[1].lower() == "of":
        for kind, pattern in heads:
            if pattern.match(parts[0]) and not kind.endswith("+year"):
                return kind.removesuffix("+always")
    year = bool(parts) and re.fullmatch(r"(?:19|20)\d\d", parts[-1]) is not None
    words = [w for w in parts if not re.fullmatch(r"(?:19|20)\d\d|v?\d+(?:\.\d+)*", w)]
    if len(words) == 1 and words[0][:1].isupper() and words[0].lower() not in common_english():
        for kind, pattern in heads:         # Reactathon, LinuxFest (not Marathon, Manifest: English words)
            if kind.endswith("+ending") and pattern.search(words[0]):
                return kind.removesuffix("+ending")
    tail = _CAMEL_TAIL.search(words[-1]) if words else None
    if tail:        # KubeCon, ApacheCon: an event's head joined to the word before it
        for kind, pattern in heads:
            if kind.startswith("Event") and pattern.match(tail.group(0)) and (year or not kind.endswith("+year")):
                return "Event"
    if len(words) < 2:
        return None
    for kind, pattern in heads:
        if pattern.match(words[-1]) and (year or not kind.endswith("+year")):
            return kind.removesuffix("+year").removesuffix("+always")
    return None


@lru_cache(maxsize=65536)
def reads_as_person(name: str, given_names, family_names=frozenset()) -> bool:
    """Two or three capitalized words, the first a given name or the last a family name
    (Russell Bryant, Sean M. Collins, Amrith Kumar); or capitalized words joined by name
    particles (Devananda van der Veen)."""
    words = name.split()
    particles = load_name_words().particles
    named = [w for w in words if w not in particles]
    if len(named) < len(words):          # particles only between capitalized words
        return 2 <= len(named) <= 3 and words[0] not in particles and words[-1] not in particles \
            and all(_PERSON_WORD.match(w) for w in named)
    return 2 <= len(words) <= 3 and (words[0] in given_names or words[-1] in family_names) \
        and all(_PERSON_WORD.match(w) for w in words) and not words[-1].endswith(".")


# Dutch and German name particles: between capitalized words they join a person's name.
# (de, da, la... join company names as often: Telefonica de Espana.)


@lru_cache(maxsize=65536)
def _reads_as_world_name(name: str, world_given_names: frozenset[str]) -> bool:
    """Two or three capitalized words, the first a given name of given-names-world.txt and the
    last no common English word: Lawrence Hecht, Miriam Schwab (not 'Grant Program')."""
    words = name.split()
    return 2 <= len(words) <= 3 and words[0] in world_given_names and words[-1].lower() not in common_english() \
        and all(_PERSON_WORD.match(w) for w in words)


@lru_cache(maxsize=65536)
def _reads_as_foreign_name(name: str) -> bool:
    """Two plain capitalized words, neither an English word: Leemay Nassery, Rushi Agrawal."""
    words = name.split()
    common = common_english()
    return len(words) == 2 and all(re.fullmatch(r"[A-Z][a-z]{1,15}", w) and w.lower() not in common for w in words)


_PLURAL_ACRONYM = re.compile(r"[A-Z]{2,}s")


def _looks_like_name(candidate: str, lexicon: Lexicon, cued: bool = False) -> bool:
    """Not generic: has a capital, is no bare number, code identifier or listed generic term."""
    return lexicon.remember("looks like a name", (candidate, cued), _reads_as_name, candidate, lexicon, cued)


def _reads_as_name(candidate: str, lexicon: Lexicon, cued: bool) -> bool:
    if len(candidate) < 2 or lexicon.is_not_entity(candidate):
        return False
    if not any(ch.isalpha() for ch in candidate):
        return False
    words = candidate.split()
    if len(words) > 5 or not any(ch.isupper() for ch in candidate):
        return False
    if words[0][:1].islower():
        return False                           # setUpClass, skipIf: code or generic
    if re.search(r"[a-z]\.[A-Za-z]|_|\(\)", candidate) and not _FIRM_DOMAIN.fullmatch(candidate) \
            and not _SCRIPT_LIBRARY.fullmatch(candidate):
        return False                           # cls.skipException, nova_api: code identifiers (not Coredge.io, Next.js)
    if candidate.isupper() and candidate.lower() in common_english():
        return False                           # TRUE, SERVER: shouted words
    if re.match(r"\d+\.[A-Za-z]|(?!(?:19|20)\d\d\s)\d+\s", candidate):
        return False                           # '8.REST': a numbered list item; '11 Release': a number
    if len(candidate) <= 3 and candidate.isupper() and not cued:      # (the only use of cued)
        return False                           # unknown short acronyms are mostly generic (HA, UT, BP)
    if re.search(r"-as-a-service$", candidate, re.I):
        return False                           # Reservation-as-a-Service: a kind of service
    tail = re.search(r"-([a-z]+)$", candidate)
    if tail and tail.group(1) in common_english():
        return False                           # Milestone-proposed, Ec2-client
    if re.fullmatch(r"[vV]?\d+(?:\.\d+)*[a-z]?|\d+\s*[xX×]\s*\d+", candidate) \
            or load_name_words().measure.fullmatch(candidate):
        return False                           # (4.4GWh, 128K: a measure; 227X227, 1920x1080: a size)
    if re.fullmatch(r"(?:(?:19|20)\d\d\s*)?(?:Q[1-4]|H[12]|FY\s*(?:19|20)?\d\d)(?:\s*(?:19|20)\d\d)?", candidate):
        return False                           # 2024 Q1, FY2025: a period of a firm's accounts
    if re.fullmatch(r"CVE-\d{4}(?:-\d+)?", candidate):
        return False                           # CVE-2020-1234: a vulnerability's number
    if "/" in candidate:
        return False                           # GRE/VXLAN, TCP/IP: pairs of terms
    if _PLURAL_ACRONYM.fullmatch(candidate):
        return False                           # SDKs, CNAPPs: the plural of a generic term (not K8s)
    outer = load_name_words().outer_connectors
    if any(w.lower() in outer for w in words):
        return False                           # 'Controlling the Cloud Using': a title, not a name
    return True


@lru_cache(maxsize=65536)
def _all_common(name: str) -> bool:
    """Every word a common English word written plainly: 'Open Design', 'Release Candidate'."""
    common = common_english()
    words = [w for w in name.split() if w.lower() not in load_name_words().inner_connectors]
    return all(w.lower() in common and (w[1:].islower() or len(w) == 1) for w in words)


def _pieces(words, breaks: set[int]):
    """Consecutive words between breakers; connectors trimmed from both ends."""
    pieces: list = []
    current: list = []
    for index, word in enumerate(words):
        if index in breaks:
            if current:
                pieces.append(current)
            current = []
            continue
        current.append(word)
    if current:
        pieces.append(current)
    trimmed = []
    connectors = load_name_words().connectors
    for piece in pieces:
        while piece and piece[0][2].lower() in connectors:
            piece = piece[1:]
        while piece and piece[-1][2].lower() in connectors:
            piece = piece[:-1]
        if piece:
            trimmed.append(piece)
    return trimmed


# what ends a member of a list right after it: 、 and another member (如 Amazon Aurora、FaunaDB); what opens
# the last member of a list that 、 runs through (Twitter、支付宝和 Apple Pay)
_LIST_MEMBER_END = re.compile(r"\s*、\s*[A-Za-z]")
_LAST_MEMBER_OPENS = re.compile(r"、[^，。；、]{1,30}?(?:和|与|及|以及)\s*$")


def _listed_as_a_member(text: str, start: int, end: int) -> bool:
    """Whether the words from start to end stand as a member of a list of names: 、 and
    another member after them, or the 和 that opens a 、 list's last member before them."""
    return _LIST_MEMBER_END.match(text, end) is not None \
        or _LAST_MEMBER_OPENS.search(text, max(0, start - 40), start) is not None


def _extends(head: Mention, piece: str, lexicon: Lexicon, rules: NameRules, in_a_list: bool = False,
             run_goes_on: bool = False) -> bool:
    """Whether a capitalized piece right after a known name makes a longer name with it: after
    a company, any name-like piece (IBM Platform Resource Scheduler, Netflix Asgard); after a
    product or project, only a product head (HP Helion OpenStack Community) or an uncommon
    word ('Keystone Users', 'vSphere Cluster' are descriptions); after either, one capitalized
    word ending a member of a list of Latin names (Amazon Aurora、FaunaDB: a list holds names); after
    a firm named in Chinese script, one capitalized word, common too, that ends the run of Latin words
    (华为 Tag; not 谷歌 + 'Build' of 'Build with AI')."""
    if not (piece[:1].isupper() or piece[:1].isdigit() and " " in piece and head.type == "Company") \
            or "/" in piece or piece in load_name_words().kind_after:
        return False                    # (Microsoft + 365 Copilot Chat: a firm's product named with a number)
    if lexicon.is_not_entity(piece):    # ('Kubernetes API' is no name; 'Grafana Cloud' is, by its product head)
        return " " not in piece and head_type(f"{head.name} {piece}", rules.heads) == "Product"
    if is_cjk(head.surface[-1]) and piece.isupper() and piece.isalpha() and len(piece) == 2:
        return False                    # ('特斯拉 CV 负责人', '谷歌 AI 团队': a field of the firm's, not its name)
    if in_a_list and head.type in ("Company", "Product") and " " not in piece and piece[1:].islower():
        return True
    if head_type(f"{head.name} {piece}", rules.heads, always=True):
        return True                    # 'Fuel Capital', 'Intel Capital': a firm, whatever it is named after
    if head.type == "Company":         # 'Intel Capital', 'Wind River Linux'; not 'Mirantis Three'
        # (a firm named in Chinese script and a capitalized common word: its product, 华为 Tag, 小米 Pad)
        return len(piece.split()) > 1 or not _all_common(piece) or \
            is_cjk(head.surface[-1]) and piece[:1].isupper() and not run_goes_on or \
            head_type(f"{head.name} {piece}", rules.heads) in ("Company", "Product")

    if head.type in ("Product", "Project"):
        return head_type(f"{head.name} {piece}", rules.heads) == "Product" or not _all_common(piece)
    return False


def _is_capitalized(word: str) -> bool:
    return word[:1].isupper() or word[:1].isdigit() or any(ch.isupper() for ch in word[1:])


_NO_PERSON_SPELLING = re.compile(r"(?!(?:Mc|Mac|O')[A-Z])[A-Z][a-z]+[A-Z]\w*|[A-Z0-9]{2,}")


def _spelled_like_no_person(name: str) -> bool:
    """One word written in capitals or with a capital inside (DigiKey, StreamNative, IBM), as
    a firm or product is and a person's name is not (McNeil, O'Brien are)."""
    return _NO_PERSON_SPELLING.fullmatch(name) is not None


# a model's code in a name: digits glued to letters (ESP32, IMX459, QwQ-32B)
_MODEL_CODE = re.compile(r"[A-Za-z]\d|\d[A-Za-z]")


def _type_new_name(text, start, end, name, rules: NameRules, versioned: bool = False) -> tuple[str, str] | None:
    """(type, how) for a new name, or None when nothing says it is one. Failing everything, a
    name of several words, one written with a version (Llama-3) or with a model's code (ESP32)
    is a product, one word a project."""
    cue = cue_type(text, start, end, rules.cues)
    head = head_type(name, rules.heads)
    if head in ("Company", "Product") and _all_common(" ".join(name.split()[:-1])) and not cue \
            and not head_type(name, rules.heads, always=True):
        head = None                            # 'Partially Shared Networks': a description, not a name
    if head in ("Product", "Project") and cue == "Company":
        return cue, "cue"                      # 'WP Engine 联合创始人兼首席技术官 X': a firm, whatever its last word
    if head:
        return head, "head"
    if " & " in name and not _all_common(name):
        return "Company", "ampersand"          # Kleiner Perkins Caufield & Byers: partners' names joined
    if cue and not (cue == "Person" and (_spelled_like_no_person(name) or versioned or _MODEL_CODE.search(name))):
        return cue, "cue"               # (no person carries a version or a model's code: Meta 公司的 Llama 3)
    if reads_as_person(name, rules.given_names, rules.family_names) or _reads_as_foreign_name(name) \
            or _reads_as_world_name(name, rules.world_given_names):
        return "Person", "person"
    if _FIRM_DOMAIN.fullmatch(name):
        return "Product", "default"            # Cypress.io, Garden.io: a service named by its address
    if " " in name and name.split()[0] in load_name_words().project_owners:
        return "Project", "owner"              # Apache Struts, Eclipse Theia: an open-source foundation's project
    if _all_common(name):
        words = name.split()
        if len(words) > 1 and all(word[:1].isupper() for word in words) and _after_a_release_verb(text, start):
            return "Product", "cue"            # '推出了 Apollo Explorer': a product, though its words are common
        return None
    return ("Product" if len(name.split()) > 1 or versioned or _MODEL_CODE.search(name) else "Project"), "default"


# a name written as a web address (Coredge.io, Garden.io): a name, typed by its context
_FIRM_DOMAIN = re.compile(r"[A-Z][A-Za-z0-9-]+\.(?:io|ai|AI|com|co|dev|app)")
_DOMAIN_AFTER = re.compile(r"\.(?:io|ai|AI|com|co|dev|app)(?![A-Za-z0-9.])")


# a library named with its language's file ending (Next.js, Three.js, Socket.IO is a domain's)
_SCRIPT_LIBRARY = re.compile(r"[A-Z][A-Za-z0-9-]*\.(?:js|JS|ts)")


def _run_words(masked: str, run) -> list[tuple[int, int, str]]:
    """The words of a run of Latin script: (start, end, word), a possessive 's and trailing
    punctuation trimmed."""
    words: list[tuple[int, int, str]] = []
    for found_word in _WORD_RE.finditer(masked, run.start(), run.end()):
        token = found_word.group(0)
        if "'" in token or "’" in token:
            token = re.sub(r"['’]s$", "", token)
        token = token.rstrip(_TRIM) or found_word.group(0)
        words.append((found_word.start(), found_word.start() + len(token), token))
    if len(words) > 1 and re.fullmatch(r"\d{1,3}[.)]?", words[0][2]) and masked[words[0][1]:words[0][1] + 1] in ".)" \
            and (run.start() == 0 or masked[run.start() - 1] == "\n"):
        words = words[1:]               # '1. Acme' opening a line: the point's number is no part of a name
    return words


def _run_breaks(words, occupied: bytearray, lexicon: Lexicon, lone_lower: bool, heads=()) -> set[int]:
    """The words that end a name: a known name, an acronym that names nothing (PTL, IRC,
    API) but before a product's head word or one itself (WSO2 API Manager, GitHub CLI: name-heads.tsv),
    a lowercase word or a connector ('in', 'the', 'using')."""
    breaks = set()
    inner, measure = load_name_words().inner_connectors, load_name_words().measure
    for i, (s, e, w) in enumerate(words):
        if occupied.find(1, s, e) >= 0:
            breaks.add(i)
        elif (i == 0 or i - 1 in breaks) and measure.fullmatch(w):
            breaks.add(i)               # a measure opens no name ('3.3GWh Thorpe Marsh': Thorpe Marsh)
        elif w.isupper() and lexicon.is_not_entity(w) \
                and not (i + 1 < len(words) and head_type(f"{w} {words[i + 1][2]}", heads) == "Product") \
                and not (i > 0 and head_type(f"{words[i - 1][2]} {w}", heads) == "Product"):
            breaks.add(i)
        elif not _is_capitalized(w) and w.lower() not in inner and not lone_lower:
            breaks.add(i)
    return breaks


def _extension(text: str, end: int, head_known: Mention, known_before, rules: NameRules) -> tuple[Mention, set[int]]:
    """A known name extended by the words after it ('HP Helion OpenStack' + 'Community', 'IBM'
    + 'Platform Resource Scheduler'), and the starts of the known names it replaces."""
    first = head_known.start
    replaced = {head_known.start}
    owner = known_before(first)
    if owner is not None and owner.type == "Company" and owner.version is None and head_known.type != "Company":
        first = owner.start            # 'Cisco' + 'OpenStack Private Cloud': Cisco's product
        replaced.add(owner.start)
    full = text[first:end]
    name, version = split_version(full)
    kind = head_type(full, rules.heads) or cue_type(text, first, end, rules.cues) \
        or ("Product" if head_known.type != "Project" else "Project")
    if kind == "Event":
        name, version = full, None
    return Mention(first, end, full, name, kind, version, False, "head"), replaced


def _described_before(text: str, start: int, rules: NameRules, kinds=("Product", "Project")) -> bool:
    """Whether the words right before a name say what kind of thing it is (开源项目 X, 一款名为 X)."""
    return any(c.type in kinds and c.where == "before" and c.pattern.search(text, max(0, start - 16), start)
               for c in rules.cues)


# a word written in lowercase, digits first or not (netaddr, 3scale); one that opens on digits, letters
# after them (3scale, 99designs, 8x8; not a version or a file: v18.0, 13kB, run_1.ps1)
_LOWER_NAME = re.compile(r"\d*[a-z]")
_DIGITS_FIRST_NAME = re.compile(r"\d+[a-z][a-z0-9-]*[a-z0-9]")


def _lone_lower_name(text: str, start: int, end: int, lexicon: Lexicon, rules: NameRules,
                     linked: frozenset[tuple[int, int]] = frozenset()) -> Mention | None:
    """A lowercase name stands only with a project cue (使用了requests库, netaddr项目), after
    words that say what kind of thing it is (地图组件库 tlbs-map) or as a link's whole text that
    opens on digits, as no common word does ([3scale](http://www.3scale.net/))."""
    surface = text[start:end]
    if (start, end) in linked and _DIGITS_FIRST_NAME.fullmatch(surface) and not lexicon.is_not_entity(surface):
        return Mention(start, end, surface, surface, cue_type(text, start, end, rules.cues) or "Company", None, False, "link")
    cue = cue_type(text, start, end, rules.cues)
    # (组件库 tlbs-map; not a code identifier: 控制器 createUserGroup)
    described = cue == "Product" and not re.search(r"[a-z][A-Z]", surface) \
        and _described_before(text, start, rules, ("Product",))
    if cue is not None and (cue in ("Project", "Company") or described) and len(surface) >= 3 \
            and not lexicon.is_not_entity(surface) and not re.search(r"[a-z]\.[A-Za-z]|_", surface):
        return Mention(start, end, surface, surface, cue, None, False, "cue")
    return None


def _typed_new_name(text: str, start: int, end: int, name: str, version, rules: NameRules,
                    linked: frozenset[tuple[int, int]]) -> tuple[str, str] | None:
    """A new name's type and how it was found (kg.mentions._type_new_name, then a link's
    text, a name with its own acronym after it, a versioned name after a release cue)."""
    typed = _type_new_name(text, start, end, name, rules, version is not None)
    if (typed is None or typed[1] == "default") and (start, end) in linked:
        typed = (typed[0] if typed else "Project", "link")     # [Heater](...), [Flame](...): a linked word names a thing
    if typed is None and _spelled_out_acronym(name, text, end):
        typed = ("Product", "acronym")     # 'Open Cloud System (OCS)': a name with its own acronym
    spelled = _spelled_out_after(name, text, end) if typed is None or typed[1] == "default" else None
    if spelled is not None:                # 'MCP（Model Context Protocol）': an acronym, its words after it
        typed = (head_type(spelled, rules.heads) or "Product", "acronym")
    if typed is None and version and rules.versioned_cues:
        cue = cue_type(text, start, end, rules.versioned_cues)
        if cue:
            typed = (cue, "version")       # 发布了Open Networking Suite 2.0: a versioned thing released
    return typed


# a list mark between two members: 、 or a comma of a Latin list
_LIST_MARK_BEFORE = re.compile(r"(?:、|, ?)\s?$")
_LIST_MARK_AFTER = re.compile(r"\s?(?:、|, ?)")


def _between_known_members(text: str, start: int, end: int, known_spans: dict[int, int],
                           ending_at: dict[int, Mention]) -> str | None:
    """The type of the known name before a word that stands in a list between two names the
    lexicon knows, 、 on both sides ('YouTube、Skype、Instagram': a thing named as they are), or None."""
    before = _LIST_MARK_BEFORE.search(text, max(0, start - 3), start)
    after = _LIST_MARK_AFTER.match(text, end)
    if before is None or after is None or after.end() not in known_spans:
        return None
    neighbour = ending_at.get(before.start())
    return None if neighbour is None else neighbour.type if neighbour.type in ("Company", "Product", "Project") else "Project"


def _new_name(text: str, start: int, end: int, lexicon: Lexicon, rules: NameRules, linked,
              lone_word_in_phrase: bool, known_spans: dict[int, int] | None = None,
              ending_at: dict[int, Mention] | None = None) -> Mention | None:
    """A piece of a run read as a new name, when it reads as one and something types it."""
    surface = text[start:end]
    name, version = split_version(surface)
    name = load_name_words().trailing_connectors.sub("", name)
    # (a cue before a name matters only to a short acronym: _reads_as_name)
    cued_before = len(name) <= 3 and name.isupper() and ((start, end) in linked or rules.before_cue is not None
                                                         and rules.before_cue.search(text[max(0, start - 16):start]) is not None
                                                         or _spelled_out_after(name, text, end) is not None
                                                         or _said_to_be_a_firm(text, start, end, rules))
    if not _looks_like_name(name, lexicon, cued_before):
        return None
    typed = _typed_new_name(text, start, end, name, version, rules, linked)
    listed = _between_known_members(text, start, end, known_spans or {}, ending_at or {}) \
        if typed is None and " " not in name else None
    if listed is not None:
        typed = (listed, "between-known")  # 'YouTube、Skype、Instagram': a common word among known names names one too
    if typed is None:
        return None
    kind, how = typed
    if kind == "Event":
        name, version = surface, None      # the year belongs to an event's name
        suffix = load_name_words().event_suffix.match(text, end)
        if how == "cue" and suffix and not _ENDS_ON_A_YEAR.search(name):
            # 'Atalanta峰会' as written, to meet 'Atlanta峰会' (not 'NeurIPS 2024' + 大会: its year names it)
            end = suffix.end()
            surface = name = text[start:end]
    elif lone_word_in_phrase and how == "default" and name[:1].isupper() and name[1:].isalpha() and name[1:].islower() \
            and (_all_common(name) or not _before_a_known_name(text, end, known_spans or {})):
        return None                        # 'Deploying', 'Distributed': a capitalized word in a phrase
                                           # (not 'Longhorn' of 'Longhorn Kubernetes 块存储软件', nor 'K3s')
    group = rules.group_after.match(text, end) if rules.group_after is not None and kind not in ("Person", "Event") \
        and version is None else None
    if group is not None:                  # 'Eclipse 基金会', 'Zorbix 研究院': a body named with its group word,
        english = group_words_in_english().get(group.group(0).strip())     # in English: Eclipse Foundation
        return Mention(start, group.end(), text[start:group.end()], f"{name} {english}" if english else
                       text[start:group.end()], "Organization", None, False, "group")
    return Mention(start, end, surface, name, kind, version, False, how)


def _before_a_known_name(text: str, end: int, known_spans: dict[int, int]) -> bool:
    """Whether a known name follows one space after a position and ends the run of Latin words
    ('Longhorn Kubernetes 块存储软件'; not 'Frontend Javascript Framework')."""
    after = known_spans.get(end + 1) if text[end:end + 1] == " " else None
    return after is not None and not re.match(r" ?[A-Za-z0-9]", text[after:after + 2])


def _extended_here(text: str, end: int, run_end: int, head: Mention, linked, lexicon: Lexicon, rules: NameRules) -> bool:
    """Whether the Latin piece from a known name's end (after one space) to end extends that name: a
    link's text holds both, the piece makes a longer name with it (_extends), or the name is a firm
    the words before it describe ('开源项目 AgiBot' + 'World': a firm's thing), a release verb stands
    before ('推出了 JetBrains' + 'Mono') or the whole name's acronym follows ('Grafana' + 'Enterprise
    Traces (GET)')."""
    piece = text[head.end:end].lstrip()
    return head.version is None \
        and ((head.start, end) in linked
             or _extends(head, piece, lexicon, rules, _listed_as_a_member(text, head.start, end), end < run_end)
             or head.type == "Company" and _described_before(text, head.start, rules)
             or head.type in ("Company", "Product") and _released_before(text, head.start, piece)
             or _spelled_out_acronym(f"{head.surface} {piece}", text, end))


def _after_a_release_verb(text: str, start: int) -> bool:
    """Whether a release verb (name-words.tsv release-verb) stands right before start."""
    return load_name_words().released_before.search(text, max(0, start - 12), start) is not None


def _released_before(text: str, start: int, piece: str) -> bool:
    """Whether a release verb stands right before a known firm's or product's name that one capitalized
    word follows: its product, named with its maker in front ('推出了 JetBrains Mono', '推出了新的 GitHub Issues')."""
    return _CAPITALIZED_WORD.fullmatch(piece) is not None and _after_a_release_verb(text, start)


def _latin_mentions(text: str, masked: str, known: list[Mention], lexicon: Lexicon, rules: NameRules,
                    linked: frozenset[tuple[int, int]] = frozenset()):
    """New Latin-script names, and the known names they extend (returned to be replaced)."""
    occupied = bytearray(len(text) + 1)     # 1 where a known name stands
    ending_at = {}
    for m in known:
        occupied[m.start:m.end] = b"\x01" * (m.end - m.start)
        if m.end > m.start:
            ending_at[m.end] = m
    found: list[Mention] = []
    replaced: set[int] = set()
    known_spans = {m.start: m.end for m in known}

    def known_before(position: int) -> Mention | None:
        """The known name that ends one space before a position ('IBM' before ' Platform'), or a
        known name in Chinese script that ends right there ('小米' before 'YU7')."""
        if position >= 2 and text[position - 1] == " ":
            return ending_at.get(position - 1)
        joined = ending_at.get(position)
        return joined if joined is not None and is_cjk(text[position - 1]) else None

    for run in _LATIN_RUN_RE.finditer(masked):
        if _LETTER_RE.search(masked, run.start(), run.end()) is None:
            model = _model_of_a_known_firm(text, masked, run, known_before(run.start()))
            if model is not None:           # 小米 15, 苹果 8500: the firm's product
                found.append(model)
                replaced.add(model.start)
            continue                # digits alone (2014, 5.0) neither name a thing nor extend a name
        words = _run_words(masked, run)
        lone_lower = len(words) == 1 and _LOWER_NAME.match(words[0][2]) is not None      # (3scale: digits first)
        for piece in _pieces(words, _run_breaks(words, occupied, lexicon, lone_lower, rules.heads)):
            start, end = piece[0][0], piece[-1][1]
            while end > start and text[end - 1] in _TRIM:
                end -= 1
            head_known = known_before(start)
            written_otherwise = _known_name_written_otherwise(text, start, end, head_known, lexicon)
            if written_otherwise is not None:       # 'SmartBear Software', 'Digital Ocean'
                found.append(written_otherwise)
                replaced |= {written_otherwise.start} - {start}
                continue
            if head_known is not None and _extended_here(text, end, run.end(), head_known, linked, lexicon, rules):
                extended, gone = _extension(text, end, head_known, known_before, rules)
                found.append(extended)
                replaced |= gone
                continue
            mention = _lone_lower_name(text, start, end, lexicon, rules, linked) if lone_lower else \
                _new_name(text, start, end, lexicon, rules, linked,
                          len(piece) == 1 and len(words) > 1 and not head_known, known_spans, ending_at)
            if mention is None:
                continue
            event = _event_of_a_name(masked, end, mention.type, rules, lexicon,
                                     new=not _ENDS_ON_A_YEAR.search(mention.name))
            if event is not None and _ends_on_an_event_word(mention.name, rules):
                mention = replace(mention, type="Event", typed_by="head")  # 'TDengine Open Day' + '技术沙龙'
            elif event is not None:                           # 'Seeed' + '具身智能黑客松': its event
                mention = Mention(start, event, text[start:event], text[start:event], "Event", None, False, "group")
                # (over the known names it holds: 'RT-Thread' + '睿赛德开发者大会', 睿赛德's event read first)
                replaced |= {m.start for m in known if start <= m.start and m.end <= event}
            found.append(_with_its_article(text, mention))
    return found, replaced


def _model_of_a_known_firm(text: str, masked: str, run, head: Mention | None) -> Mention | None:
    """A firm the lexicon knows and a number right after it that names no year, count or measure
    (name-words.tsv counter-word, measure-unit: 小米 15 周年, 谷歌 3 月): the firm's product so numbered
    (小米 15, 苹果 8500), a maker's product (kg.relations.makers_in_names names the firm too)."""
    digits = run.group()
    if head is None or not head.known or head.type != "Company" or not digits.isdigit() or len(digits) > 4 \
            or re.fullmatch(r"(?:19|20)\d\d", digits) or load_name_words().counted_after.match(masked, run.end()) \
            or load_name_words().measure.match(masked, run.start()):
        return None
    surface = text[head.start:run.end()]
    return Mention(head.start, run.end(), surface, surface, "Product", None, False, "model")


def _known_name_written_otherwise(text: str, start: int, end: int, head_known: Mention | None,
                                  lexicon: Lexicon) -> Mention | None:
    """A firm the lexicon knows followed by a word its name is also written with ('SmartBear' +
    'Software': the firm, not another), or a known name written apart (Digital Ocean)."""
    if head_known is not None and head_known.type == "Company" and head_known.known \
            and _firm_name_ending(text[start:end]):
        return replace(head_known, end=end, surface=text[head_known.start:end])
    return _written_apart_at_its_humps(text, start, end, lexicon)


def _firm_name_ending(word: str) -> bool:
    """Whether a word is one a firm's Latin name is also written with (Software, Inc.: name-words.tsv
    firm-name-ending), a trailing dot allowed."""
    return word.rstrip(".") in load_name_words().firm_name_ending


def _written_apart_at_its_humps(text: str, start: int, end: int, lexicon: Lexicon) -> Mention | None:
    """A known name written in one word with capitals inside (SmartBear, DigitalOcean) that the
    text writes apart where its capitals are ('Smart Bear Software', 'Digital Ocean'), alone or
    with a firm's ending: that name."""
    words = text[start:end].split()
    if not 2 <= len(words) <= 4:
        return None
    for count in (2, 3):
        joined = "".join(words[:count])
        rest = words[count:]
        if count > len(words) or len(rest) > 1 or rest and not _firm_name_ending(rest[0]):
            continue
        known = lexicon.lookup(joined)
        humps = [len("".join(words[:i])) for i in range(1, count)]
        if known is not None and known.name == joined and all(joined[i].isupper() for i in humps) \
                and known.type in ("Company", "Product", "Project", "Organization"):
            return Mention(start, end, text[start:end], known.name, known.type, None, True)
    return None


_ARTICLE_BEFORE = re.compile(r"(?:^|(?<=[^A-Za-z0-9.,'’-]))The $")


def _with_its_article(text: str, mention: Mention) -> Mention:
    """A new name a firm's or a publication's context typed, with the capitalized 'The' it is
    written with after Chinese script or at the start (The Verge 主编 P: The Verge, not Verge)."""
    if mention.known or mention.type not in ("Company", "Organization", "Product") or mention.start < 4 \
            or not _ARTICLE_BEFORE.search(text, max(0, mention.start - 5), mention.start):
        return mention
    start = mention.start - 4
    return replace(mention, start=start, surface=text[start:mention.end], name="The " + mention.name)


def _said_to_be_a_firm(text: str, start: int, end: int, rules: NameRules) -> bool:
    """Whether the words around a short acronym say it is a firm: 'SSI 创始人 Ilya Sutskever',
    'XYZ 公司' (type-cues.tsv's Company cues); not a kind of firm ('VDI厂商': a vendor of VDI)."""
    words = load_name_words()
    after = text[end:end + 8].lstrip()
    kind_of_firm = any(after.startswith(w) for w in words.generic_org_words) and not words.company_suffix.match(after)
    return not kind_of_firm and cue_type(text, start, end, rules.cues) == "Company"


_ACRONYM_AFTER = re.compile(r"\s*[(（]\s*([A-Z]{2,6})\s*[)）]")
_WORDS_AFTER = re.compile(r"\s*[(（]\s*([A-Z][A-Za-z]*(?:[ -][A-Za-z]+){1,6})\s*[)）]")


def _spelled_out_after(name: str, text: str, end: int) -> str | None:
    """The words in brackets after an acronym that spell it: MCP（Model Context Protocol）."""
    if not (2 <= len(name) <= 6 and name.isupper() and name.isalpha()):
        return None
    after = _WORDS_AFTER.match(text, end)
    if after is None:
        return None
    inner = load_name_words().inner_connectors
    words = [w for w in re.split(r"[ -]", after.group(1)) if w.lower() not in inner]
    return after.group(1) if "".join(w[0].upper() for w in words) == name else None


def _spelled_out_acronym(name: str, text: str, end: int) -> bool:
    """Whether the name is followed by the acronym of its own words: Open Cloud System（OCS）."""
    after = _ACRONYM_AFTER.match(text, end)
    if not after:
        return False
    words = [w for w in name.split() if w.lower() not in load_name_words().inner_connectors]
    return len(words) >= 2 and "".join(w[0].upper() for w in words) == after.group(1)


_NR_SKIP = re.compile(r"^[A-Za-z0-9]")


_jieba_ready: set[str] = set()


def _jieba(lexicon: Lexicon):
    """rjieba, with the lexicon's Chinese names in its dictionary so that it cuts around them."""
    import rjieba
    if lexicon.fingerprint not in _jieba_ready:
        for entry in lexicon.entries.values():
            for surface in (entry.name, *entry.aliases):
                if has_cjk(surface) and all(is_cjk(ch) for ch in surface) and len(surface) >= 2:
                    rjieba.add_word(surface, None, "nz")
        _jieba_ready.add(lexicon.fingerprint)
    return rjieba


def warm_up_tagger(lexicon: Lexicon) -> None:
    """Load jieba's dictionary and tag once, with a word it does not know (the first such text
    loads its HMM model: 40 ms)."""
    _jieba(lexicon).tag("张三表示，趣游公司发布了新版本")


def _bodies_in_jiebas_dictionary(masked: str, taken, lexicon: Lexicon, tagged) -> list[Mention]:
    """A word jieba's dictionary holds as a body's name (tag nt) that ends as one
    (name-words.tsv organization-suffix: 北京航空航天大学, 麻省理工学院): an Organization, in a
    translation too, where the tagger does not run."""
    bodies = [index for index, (_, tag) in enumerate(tagged) if tag == "nt"]
    if not bodies:
        return []                       # (most entries: one pass of C-speed work)
    name_words = load_name_words()
    ends = list(accumulate(len(word) for word, _ in tagged))
    found: list[Mention] = []
    for index in bodies:
        word, end = tagged[index][0], ends[index]
        start = end - len(word)
        ending = name_words.organization_suffix.search(word) if is_cjk(word[0]) else None
        if ending is None or not ending.start() \
                or index + 1 < len(tagged) and tagged[index + 1][0] in name_words.body_kind_noun:
            continue                    # (非政府 of 非政府组织: a word of a kind of body)
        if not _names_something(word[:ending.start()], lexicon):
            first = index               # 儿童医院, 理工学院 alone: a kind of body; the names right
            while first > 0 and tagged[first - 1][1] in name_words.proper_tags and is_cjk(tagged[first - 1][0][-1]):
                first -= 1              # before it are its first words (波士顿 + 儿童医院, 达姆 + 施塔特 + 理工大学)
            if first == index:
                continue
            start = ends[first - 1] if first else 0
            word = masked[start:end]
        if len(word) >= 4 and not any(s < end and start < e for s, e in taken) and lexicon.lookup(word) is None:
            found.append(Mention(start, end, word, word, "Organization", None, False, "dictionary"))
    return found


def _names_something(words: str, lexicon: Lexicon) -> bool:
    """Whether the words before a body's last word hold a proper name or a set phrase (北京 of
    北京航空航天大学, 联邦调查 of 联邦调查局), not only common words (儿童 of 儿童医院)."""
    proper = load_name_words().proper_tags
    return any(tag in proper or tag == "l" for _, tag in _jieba(lexicon).tag(words))


def _chinese_company_mentions(text: str, masked: str, taken, lexicon: Lexicon, tagged) -> list[Mention]:
    """A Chinese name right before 公司/集团 names a company (趣游公司): a word jieba tags as a
    proper noun, or one its dictionary does not hold; not a common noun (商业公司, 数据公司)."""
    jieba = _jieba(lexicon)
    found, offset = [], 0
    name_words = load_name_words()
    tagged = list(tagged)
    ends_a_name = name_words.own_firm_ending.search(masked) is not None     # (most entries hold no 科技, 控股)
    for index, (word, tag) in enumerate(tagged):
        start, offset = offset, offset + len(word)
        named = _firm_named_with_its_ending(tagged, index, lexicon) if ends_a_name else ""
        named = named or _firm_named_with_its_industry(tagged, index, lexicon)
        if named:
            if not any(s < start + len(named) and start < e for s, e in taken):
                found.append(Mention(start, start + len(named), text[start:start + len(named)], named, "Company", None,
                                     False, "cue"))
            continue
        if _a_group_by_what_follows(word, tag, masked, offset, name_words) \
                and not any(s < offset + 2 and start < e for s, e in taken):
            found.append(Mention(start, offset + 2, text[start:offset + 2], text[start:offset + 2], "Company", None,
                                 False, "cue"))
            continue
        if not tag.startswith("n") or len(word) < 2 or not all(is_cjk(ch) for ch in word):
            continue
        kind = name_words.firm_kind.search(tagged[index - 1][0]) if index and tag in name_words.proper_tags else None
        if kind is not None and kind.end() == len(tagged[index - 1][0]) and len(word) <= 6 \
                and not (index + 1 < len(tagged) and tagged[index + 1][1].startswith("n")) \
                and not lexicon.lookup(word) and not lexicon.is_not_entity(word) \
                and not any(s < offset and start < e for s, e in taken):
            found.append(Mention(start, offset, text[start:offset], word, "Company", None, False, "cue"))
            continue                    # (供应商森萨塔: the supplier so named; not 道通 of 道通智能航空: a noun follows)
        if len(word) >= 3 and _name_breaks().fullmatch(word[0]) and not jieba.has_word(word):
            start, word = start + 1, word[1:]      # 由澜涛 (资本): the agent marker is no part of the name
        suffixed = name_words.company_suffix.search(word)
        if suffixed and suffixed.end() == len(word) and suffixed.start() >= 2:
            # 搜狐公司, one word to jieba: the name before the suffix, when jieba tags it a proper noun
            name = word[:suffixed.start()]
            tags = jieba.tag(name)
            if len(tags) == 1 and tags[0][1] in name_words.proper_tags and not lexicon.is_not_entity(name) \
                    and not lexicon.lookup(name) and not any(s < start + len(name) and start < e for s, e in taken):
                found.append(Mention(start, start + len(name), name, name, "Company", None, False, "cue"))
            continue
        if (tag not in name_words.proper_tags and jieba.has_word(word) or word in name_words.generic_org_words) \
                and not _a_group_named_again(word, masked, offset, name_words):
            continue                                    # (法国公司, 深圳公司: a firm of a place, not one named so)
        if word[0] in name_words.not_name_start or lexicon.is_not_entity(word) or lexicon.lookup(word):
            continue
        firm = name_words.firm_suffix.match(masked, offset)
        if not firm and not name_words.company_suffix.match(masked, offset):
            continue
        # 红杉资本, 龙佰集团: a firm word and 集团 are part of the name (趣游公司 is 趣游)
        end = firm.end() if firm else offset + 2 if masked.startswith("集团", offset) else offset
        if any(s < end and start < e for s, e in taken):
            continue
        found.append(Mention(start, end, text[start:end], text[start:end], "Company", None, False, "cue"))
    return found


# what stands before a noun that counts or points at it (一家, 该, 这个): no name follows
_COUNTED_BEFORE = frozenset("一两几各每某该这那此本家个")


def _a_group_by_what_follows(word: str, tag: str, masked: str, offset: int, name_words) -> bool:
    """A common word jieba reads as a verb, adjective or noun before 集团 and what a firm does
    (欢聚集团旗下, 花房集团拥有): a group so named, as '成立集团' (group-verb) or '汽车集团宣布' (a
    kind or trade word) is not."""
    return masked.startswith("集团", offset) and tag in ("v", "vn", "a", "ad", "n") and 2 <= len(word) <= 4 \
        and all(is_cjk(ch) for ch in word) and name_words.firm_after_proper.match(masked, offset + 2) is not None \
        and word[0] not in name_words.not_name_start and word not in name_words.group_verbs \
        and word not in name_words.generic_org_words and word not in name_words.trade_words \
        and masked[offset - len(word) - 1:offset - len(word)] not in _COUNTED_BEFORE
    # (一家媒体集团宣布: a group counted, no name)


def _a_group_named_again(word: str, masked: str, offset: int, name_words) -> bool:
    """A common word before 集团 that the text names so more than once (花房集团 … 花房集团拥有):
    a group's name, as 'a data group' said once is not."""
    return masked.startswith("集团", offset) and word not in name_words.generic_org_words \
        and masked.count(word + "集团") >= 2


def _without_trailing_verb(word: str, jieba) -> str:
    """A tagged firm name that ran on past its firm ending into a verb (乐鑫科技收购), or into a
    firm's verb and what it acts on (乐鑫科技收购创新硬件), cut after the ending; the word itself
    otherwise."""
    pieces = jieba.tag(word)
    name_words = load_name_words()
    cut = 0
    for index, (piece, _) in enumerate(pieces[:-1]):
        cut += len(piece)
        if name_words.firm_ending.fullmatch(piece) and (all(tag.startswith("v") for _, tag in pieces[index + 1:])
                                                         or name_words.firm_after_proper.fullmatch(pieces[index + 1][0])):
            return word[:cut]
    return word


def _firm_named_with_its_ending(tagged, index: int, lexicon: Lexicon) -> str:
    """A firm named with the ending that is part of its name (纵目科技, 若创科技, 某某控股): a
    word jieba tags as a proper noun and ends so, or a word its dictionary does not hold (or
    tags as a proper noun) followed by that ending; '' for anything else, and for endings after
    a common word or a place (量子科技, 美国科技). The ending is name-words.tsv's firm-ending
    less its company-suffix words, which stand after a name without being part of it."""
    name_words = load_name_words()
    word, tag = tagged[index]
    if not 1 <= len(word) <= 8 or not all(is_cjk(ch) for ch in word) or word[0] in name_words.not_name_start:
        return ""
    ending = name_words.firm_ending.search(word)
    if ending and ending.start() >= 2 and tag in name_words.proper_tags \
            and not name_words.company_suffix.search(word[ending.start():]):
        name = word
    elif index + 1 < len(tagged) and len(word) <= 4 and name_words.firm_ending.fullmatch(tagged[index + 1][0]) \
            and not name_words.company_suffix.fullmatch(tagged[index + 1][0]) \
            and (tag in name_words.proper_tags or not _jieba(lexicon).has_word(word)):
        name = word + tagged[index + 1][0]
    elif len(word) == 1 and index + 2 < len(tagged) and _two_characters_jieba_split(tagged, index, lexicon) \
            and name_words.firm_ending.fullmatch(tagged[index + 2][0]) \
            and not name_words.company_suffix.fullmatch(tagged[index + 2][0]):
        name = word + tagged[index + 1][0] + tagged[index + 2][0]      # (硬/禾/科技: 硬禾科技)
    else:
        return ""
    before_ending = name_words.firm_ending.sub("", name)
    if lexicon.lookup(name) or lexicon.is_not_entity(name) or _names_no_one(name, lexicon) \
            or _names_no_one(before_ending, lexicon) or name_words.firm_ending.search(before_ending):
        return ""
    return name


def _firm_named_with_its_industry(tagged, index: int, lexicon: Lexicon) -> str:
    """A word jieba tags a person's name, of two to four characters, an industry's word and 公司 (黑胡椒 +
    软件 + 公司): the firm named with its industry (黑胡椒软件; name-words.tsv firm-industry, company-suffix);
    '' for anything else: a place (美国软件公司) or a word jieba tags otherwise (勒索软件, 聊天机器人)."""
    word, tag = tagged[index]
    if index + 2 >= len(tagged) or not 2 <= len(word) <= 4 or tag not in ("nr", "nrfg"):
        return ""
    name_words = load_name_words()
    industry, suffix = tagged[index + 1][0], tagged[index + 2][0]
    if industry not in name_words.trade_words or not name_words.company_suffix.fullmatch(suffix) \
            or not all(is_cjk(ch) for ch in word) or word[0] in name_words.not_name_start:
        return ""
    name = word + industry
    return "" if lexicon.lookup(name) or lexicon.is_not_entity(word) or _names_no_one(name, lexicon) else name


def _two_characters_jieba_split(tagged, index: int, lexicon: Lexicon) -> bool:
    """Whether jieba cut a name of two characters its dictionary does not hold into two words of
    one character, neither a function word (硬/禾 of 硬禾科技; not 和/云)."""
    first, second = tagged[index], tagged[index + 1]
    return len(second[0]) == 1 and is_cjk(first[0]) and is_cjk(second[0]) \
        and first[1] not in _FUNCTION_TAGS and second[1] not in _FUNCTION_TAGS \
        and first[1] not in ("v", "vn", "f") and not _jieba(lexicon).has_word(first[0] + second[0])


def _chinese_person_mentions(text: str, masked: str, taken: list[tuple[int, int]], lexicon: Lexicon,
                             rules: NameRules, tagged) -> list[Mention]:
    """Chinese personal names: jieba's nr tag, 2-4 characters, starting with a family name."""
    found, offset = [], 0
    for word, tag in tagged:
        start = offset
        offset += len(word)
        if tag != "nr" or not (2 <= len(word) <= 4) or not all(is_cjk(ch) for ch in word):
            continue
        if not (word[:1] in rules.surnames or word[:2] in rules.surnames and len(word) > 2):
            continue
        if lexicon.lookup(word) or lexicon.is_not_entity(word):
            continue
        if any(s < offset and start < e for s, e in taken):
            continue
        if cue_type(text, start, offset, rules.person_cues) != "Person":
            continue                            # jieba's nr alone is too eager (安全性, 范畴)
        found.append(Mention(start, offset, word, word, "Person", None, False, "person"))
    return found


def _events_named_by_place(text: str, masked: str, taken: list[tuple[int, int]], lexicon: Lexicon,
                           rules: NameRules, tagged) -> list[Mention]:
    """A gathering named by the city or the country it is held in: a word jieba tags a place, the
    words of what kind of gathering, and an event word (group-names.tsv event: 广州车展, 深圳国际创客
    峰会, 中国智能座舱生态大会); no verb between (伦敦举办…大会 says what happens at one)."""
    found: list[Mention] = []
    offset = 0
    for index, (word, tag) in enumerate(tagged):
        start, offset = offset, offset + len(word)
        if tag != "ns":
            continue
        event_end = _event_of_a_name(masked, offset, "Organization", rules, lexicon, new=True)
        if event_end is None or any(s < event_end and start < e for s, e in taken) \
                or lexicon.lookup(text[start:event_end]):
            continue
        between, at = [], offset
        for later, later_tag in tagged[index + 1:]:
            if at >= event_end:
                break
            between.append(later_tag)
            at += len(later)
        if "v" not in between:
            found.append(Mention(start, event_end, text[start:event_end], text[start:event_end], "Event", None, False,
                                 "cue"))
    return found


# the dots between the parts of a name transliterated into Chinese script (何塞·德卡斯特罗), with a
# middle initial between two of them (托马斯·E·库尔茨)
_NAME_DOT_RE = re.compile(r"(?<=[\u4e00-\u9fff])[·・•‧](?:[A-Za-z]\.?[·・•‧])?(?=[\u4e00-\u9fff])")


def _role_person_mentions(text: str, masked: str, taken: list[tuple[int, int]], lexicon: Lexicon,
                          rules: NameRules) -> list[Mention]:
    """A Chinese name of two or three characters, starting with a family name, right after a
    role and ending at punctuation or a word that follows names (AFTER-PERSON), is a person
    (创始人乔忠良，), however jieba cuts it; so is a foreign name written in the characters of
    transliterations without its dots (首席执行官吉姆怀特赫斯特将)."""
    found: list[Mention] = []
    for match in (rules.role_then_name.finditer(masked) if rules.role_then_name else ()):
        group = 1 if match.group(1) else 2
        start, end = match.span(group)
        name = match.group(group)
        if group == 1 and not (name[:1] in rules.surnames or name[:2] in rules.surnames and len(name) > 2) \
                and not (len(name) >= 3 and all(ch in rules.transliteration for ch in name)):
            continue                # (创始人达利欧近日: no family name, but a foreign name of three)
        if group == 1 and any(ch in load_name_words().not_in_name for ch in name[1:]):
            continue                # (教授曾说过: a word no name holds)
        cut = _jieba(lexicon).tag(name) if group == 1 else []
        if group == 1 and (name[0] in rules.role_breaks or name[-1] in rules.role_breaks or cut[-1][1] in _ADVERB_PARTICLE_TAGS
                           or len(cut[0][0]) >= 2 and cut[0][0] != name and _common_word(cut[0][0], lexicon)
                           or len(cut) > 1 and len(cut[-1][0]) >= 2 and cut[-1][1] in ("v", "vn")):
            continue                # (创始人黄在本周, 创始人和致力于, 开发者简单地将: no name ends on 在, 和, 地;
                                    # 创客项目秀, 作者时绑定: no name opens with a common word, nor ends on a verb)
        if lexicon.lookup(name) or lexicon.is_not_entity(name) or any(s < end and start < e for s, e in taken):
            continue
        if _common_word(name, lexicon) and not (group == 1 and _a_place_word(name, lexicon)) \
                or rules.role_words is not None and next(rules.role_words.iter(name), None):
            continue                # (创始人和主编: a second role, no one's name; 主播黄海: a place's word, a name)
        found.append(Mention(start, end, text[start:end], text[start:end], "Person", None, False, "person"))
    return found


_ADVERB_PARTICLE_TAGS = frozenset({"uv", "ud"})      # jieba's tags of 地 and 得 after an adverb or a verb


def _firms_before_roles(text: str, masked: str, taken: list[tuple[int, int]], lexicon: Lexicon,
                        rules: NameRules) -> list[Mention]:
    """A foreign firm's name written in the characters of transliterations, opening a clause right
    before a role, or right after a verb of joining or buying a firm and ending its clause, is a
    company (泰克顿联合创始人兼首席技术官…: Tecton's co-founder; 加入科帕多，)."""
    found: list[Mention] = []
    for match in (rules.firm_then_role.finditer(masked) if rules.firm_then_role else ()):
        group = 1 if match.group(1) else 2
        start, end = match.span(group)
        name = match.group(group)
        if lexicon.lookup(name) or lexicon.is_not_entity(name) or any(s < end and start < e for s, e in taken) \
                or _common_word(name, lexicon) or group == 2 and _jieba(lexicon).has_word(name):
            continue                    # (收购西雅图的 X: a word jieba knows, a place, after the verb)
        found.append(Mention(start, end, text[start:end], name, "Company", None, False, "cue"))
    return found


def _transliterated_speakers(text: str, masked: str, taken: list[tuple[int, int]], lexicon: Lexicon,
                            rules: NameRules) -> list[Mention]:
    """A foreign name of three to six characters of transliterations, without its dots, opening a
    clause before a person's cue (type-cues.tsv: “…，”库姆斯说): a person (the family name of
    one the post names in Latin script, which kg.resolve joins it to); not a word jieba knows but
    as a person's name."""
    found: list[Mention] = []
    for match in (rules.speaker.finditer(masked) if rules.speaker is not None else ()):
        start, end = match.span(1)
        cued = {e for e in (end, end - 1) if cue_type(text, start, e, rules.person_cues) == "Person"}
        if not cued:
            continue                    # (no person's cue after it, nor after all but its last character)
        at = start
        for word, _tag in _jieba(lexicon).tag(masked[start:end + 2]):
            if at + len(word) > end:
                end = at if end - at == 1 else end      # (斯潘塞提到: a word across the run's end by one
                break                                   # character, 提到, is no part of the name)
            at += len(word)
        name = masked[start:end]
        if len(name) < 3:
            continue
        if name[0] in load_name_words().not_name_start or end not in cued or lexicon.lookup(name) \
                or lexicon.is_not_entity(name) or any(s < end and start < e for s, e in taken) \
                or _jieba(lexicon).tag(name) not in ([(name, "nr")], [(name, "nrt")], [(name, "nrfg")]) \
                and _jieba(lexicon).has_word(name) or _common_word(name, lexicon):
            continue
        found.append(Mention(start, end, text[start:end], name, "Person", None, False, "cue"))
    return found


_SPEAKER_OPENING = re.compile(r"\s*([\u4e00-\u9fff]{2,3})\s*[：:]")


_BRACKET_BEFORE = re.compile(r"[（(]\s*$")


def _transliterated_before_brackets(text: str, masked: str, latin: list[Mention], taken, lexicon: Lexicon,
                                    rules: NameRules) -> list[Mention]:
    """A foreign firm's name in the characters of transliterations right before its new Latin
    name in brackets (马瑞利（Marelli）): a firm's name of its own, which kg.resolve joins to the
    Latin one; as far back as its characters are those of transliterations, two to six."""
    found: list[Mention] = []
    for m in latin:
        bracket = _BRACKET_BEFORE.search(masked, max(0, m.start - 3), m.start) if m.type != "Person" else None
        if bracket is None:
            continue
        start = end = bracket.start()
        while start > 0 and end - start < 7 and masked[start - 1] in rules.transliteration:
            start -= 1
        name = text[start:end]
        if not 2 <= len(name) <= 6 or any(s < end and start < e for s, e in taken) or lexicon.lookup(name) \
                or lexicon.is_not_entity(name) or _jieba(lexicon).has_word(name):
            continue
        found.append(Mention(start, end, name, name, "Company", None, False, "cue"))
    return found


def _named_before_brackets(text: str, masked: str, known: list[Mention], latin: list[Mention], taken,
                           lexicon: Lexicon, rules: NameRules) -> list[Mention]:
    """Chinese names right before a Latin name in brackets: a new one's transliteration, a known one's own."""
    found = _transliterated_before_brackets(text, masked, latin, taken, lexicon, rules)
    found += _chinese_names_before_people_in_brackets(text, masked, known + latin, taken + [(m.start, m.end) for m in found],
                                                      lexicon, rules)
    return found + _named_before_known_brackets(text, masked, known, taken + [(m.start, m.end) for m in found], lexicon)


def _chinese_names_before_people_in_brackets(text: str, masked: str, latin: list[Mention], taken, lexicon: Lexicon,
                                             rules: NameRules) -> list[Mention]:
    """A Chinese name of two or three characters, a family name first, right before a person's
    Latin name in brackets (唐唯实（Carlos Tavares）) and after a word's end (name-words.tsv word-boundary;
    not the end of a longer name: 泰德邓宁（Ted Dunning）): the same person's, which kg.resolve joins to the Latin one."""
    found: list[Mention] = []
    name_words = load_name_words()
    for m in latin:
        bracket = _BRACKET_BEFORE.search(masked, max(0, m.start - 3), m.start) if m.type == "Person" else None
        if bracket is None or not name_words.bracket_closing.match(masked, m.end):
            continue        # (the same closing kg.resolve._bracketed_names joins the two names by)
        end = bracket.start()
        for length in (3, 2):
            start = end - length
            name = text[max(0, start):end]
            if start < 0 or not all(is_cjk(ch) for ch in name) or name[0] not in rules.surnames \
                    or start and is_cjk(text[start - 1]) and text[start - 1] not in name_words.word_boundaries \
                    or any(s < end and start < e for s, e in taken) or lexicon.lookup(name) \
                    or lexicon.is_not_entity(name) or _common_word(name, lexicon):
                continue
            found.append(Mention(start, end, name, name, "Person", None, False, "person"))
            break
    return found


def _named_before_known_brackets(text: str, masked: str, known: list[Mention], taken, lexicon: Lexicon) \
        -> list[Mention]:
    """A Chinese name right before a known Latin name in brackets (闪迪（SanDisk）): the word jieba
    cuts before the bracket, when its dictionary holds no such common word; a name of its own,
    which kg.resolve joins to the Latin one, so that the post's later 闪迪 is SanDisk too."""
    found: list[Mention] = []
    if "（" not in masked and "(" not in masked:
        return found
    for m in known:
        if m.type not in ("Company", "Organization", "Product") or has_cjk(m.surface):
            continue
        bracket = _BRACKET_BEFORE.search(masked, max(0, m.start - 3), m.start)
        if bracket is None or not bracket.start() or not is_cjk(masked[bracket.start() - 1]):
            continue
        window = masked[max(0, bracket.start() - 10):bracket.start()]
        words = [word for word, _ in _jieba(lexicon).tag(window)]
        name = words[-1] if words else ""
        end = bracket.start()
        start = end - len(name)
        if not 2 <= len(name) <= 6 or not all(is_cjk(ch) for ch in name) or _common_word(name, lexicon) \
                or lexicon.lookup(name) or lexicon.is_not_entity(name) or any(s < end and start < e for s, e in taken):
            continue
        found.append(Mention(start, end, text[start:end], name, m.type, None, False, "cue"))
    return found


def _speaker_opening_item(text: str, masked: str, taken: list[tuple[int, int]], lexicon: Lexicon,
                          rules: NameRules) -> list[Mention]:
    """A Chinese name of two or three characters, starting with a family name, that opens an
    item before a colon is its speaker ('张三：大模型的差距在缩小'); an item's kind before its colon
    ('科普：', '活动：', '干货：') is a word of jieba's dictionary and names no one."""
    opening = _SPEAKER_OPENING.match(masked)
    if opening is None:
        return []
    start, end = opening.span(1)
    name = opening.group(1)
    if not (name[:1] in rules.surnames or name[:2] in rules.surnames and len(name) > 2) \
            or lexicon.lookup(name) or lexicon.is_not_entity(name) or _common_word(name, lexicon) \
            or any(s < end and start < e for s, e in taken):
        return []
    return [Mention(start, end, name, name, "Person", None, False, "person")]


def _common_word(word: str, lexicon: Lexicon) -> bool:
    """A word of jieba's dictionary that it never tags as a person's name (关注: attention, not
    a Mr Guan): after a role or tagged a person, it still names no one."""
    jieba = _jieba(lexicon)
    return jieba.has_word(word) and not any(tag.startswith("nr") for _, tag in jieba.tag(word))


def _a_place_word(word: str, lexicon: Lexicon) -> bool:
    """A word jieba tags as a place only (黄海, 江南): after a role, with a family name first, it
    is a person's name as often as not."""
    return all(tag == "ns" for _, tag in _jieba(lexicon).tag(word))


def _transliterated_mentions(text: str, masked: str, taken: list[tuple[int, int]], lexicon: Lexicon,
                             rules: NameRules) -> list[Mention]:
    """Names transliterated into Chinese script, dots between their parts, read as people: as
    far either way as their characters are those of transliterations (首席技术官何塞·德卡斯特罗
    is 何塞·德卡斯特罗, 布伦丹·伯恩斯一起 is 布伦丹·伯恩斯)."""
    found: list[Mention] = []
    chars = rules.transliteration
    for dot in _NAME_DOT_RE.finditer(masked):
        if found and found[-1].end > dot.start():
            continue                            # a later dot of a name already read
        start = dot.start()
        while start > 0 and masked[start - 1] in chars:
            start -= 1
        end = dot.end()         # (a hyphen inside joins a double family name: 里德·麦金莱-斯坦普尔)
        while end < len(masked) and not (rules.after_person is not None and rules.after_person.match(masked, end)):
            joint = _NAME_DOT_RE.match(masked, end)         # (斯科特·约翰斯顿提出: 提出 follows the name)
            hyphen = end + 1 if masked[end] == "-" else end + 2 if masked[end + 1:end + 2] == "-" \
                and is_cjk(masked[end]) else None       # (方-琼斯: one syllable of any character before it)
            if joint is None and not (masked[end] in chars or hyphen is not None
                                      and all(ch in chars for ch in masked[hyphen:hyphen + 2])):
                break
            end = joint.end() if joint is not None else end + 1
        start = _after_a_role_ending_in_it(masked, start, dot.start(), rules)
        if start == dot.start() or end == dot.end() or end - start > 16 or _runs_into_a_body_word(masked, end):
            continue                            # (阿尔弗雷德·斯隆基金会: a body's name)
        surface = text[start:end]
        if any(s < end and start < e for s, e in taken) or lexicon.is_not_entity(surface) or lexicon.lookup(surface):
            continue
        found.append(Mention(start, end, surface, surface, "Person", None, False, "person"))
    found += _transliterated_with_initials(text, masked, taken + [(m.start, m.end) for m in found], lexicon, rules)
    return found + _hyphenated_transliterations(text, masked, taken + [(m.start, m.end) for m in found], lexicon,
                                                rules)


def _transliterated_with_initials(text: str, masked: str, taken: list[tuple[int, int]], lexicon: Lexicon,
                                  rules: NameRules) -> list[Mention]:
    """A transliterated name and the initials of the rest of it after its dot (贾纳基拉姆·MSV): one
    person's name, when the initials are no term or name the lexicon knows (not 特拉维斯·CI, 网飞·SRE)."""
    found: list[Mention] = []
    for match in _DOT_AND_INITIALS_RE.finditer(masked):
        start, end = match.start(), match.end()
        while start > 0 and masked[start - 1] in rules.transliteration and match.start() - start < 6:
            start -= 1
        given, initials = masked[start:match.start()], match.group(1)
        if len(given) < 2 or lexicon.lookup(given) or lexicon.is_not_entity(initials) or lexicon.lookup(initials) \
                or initials.lower() in common_english() or any(s < end and start < e for s, e in taken):
            continue
        found.append(Mention(start, end, text[start:end], text[start:end], "Person", None, False, "person"))
    return found


# a dot after Chinese script and two to five capitals, no Latin letter after them (贾纳基拉姆·MSV)
_DOT_AND_INITIALS_RE = re.compile(r"(?<=[\u4e00-\u9fff])[·・]([A-Z]{2,5})(?![A-Za-z])")


def _runs_into_a_body_word(masked: str, end: int) -> bool:
    """Whether a body's last word (organization-suffix) starts in the last two characters of a
    name or right after it and goes on past it (斯隆基金 + 会: 基金会), or a firm's word follows it
    (洛克希德·马丁 + 公司): a body's or a firm's name (_transliterated_bodies), not a person's."""
    after = _organization_suffix_after()
    return any((word := after.match(masked, end - back)) is not None and word.end() > end for back in (0, 1, 2)) \
        or load_name_words().company_suffix.match(masked, end) is not None


def _after_a_role_ending_in_it(masked: str, start: int, dot: int, rules: NameRules) -> int:
    """Where a transliterated name starts whose first character also ends the role before it
    (经理查德·凯: Chad Kay after 经理, not 理查德; 副总裁理查德·凯 keeps 理查德)."""
    if rules.role_words is None or dot - start < 2:
        return start
    for size in range(2, 5):
        if start + 1 - size >= 0 and rules.role_words.exists(masked[start + 1 - size:start + 1]):
            return start + 1
    return start


def _transliterated_bodies(text: str, masked: str, taken: list[tuple[int, int]], lexicon: Lexicon,
                           rules: NameRules) -> list[Mention]:
    """A name in the characters of transliterations before a body's or a firm's word of two
    characters or more (斯克里普斯研究所, 康奈尔大学, 普卢托拉公司: organization-suffix and
    company-suffix in name-words.tsv) names a body or a firm: not a common word made of such
    characters (许多公司: jieba knows it, and not as a name), nor the tail of a longer name (卡耐基梅隆
    大学: 耐 is no such character), a dotted name's included (阿尔弗雷德·斯隆基金会, 洛克希德·马丁公司)."""
    name_words = load_name_words()
    chars, leads = rules.transliteration, rules.role_breaks
    found: list[Mention] = []
    for suffix in name_words.body_word.finditer(masked):
        start = stem_end = suffix.start()
        while start > 0 and masked[start - 1] in chars:
            start -= 1
        while start < stem_end and masked[start] in leads:
            start += 1                          # 毕业于斯坦福大学: 于 leads the name
        before = masked[start - 1:start]
        if before and before in NAME_DOTS:
            start = _dotted_name_start(masked, start, chars)    # 阿尔弗雷德·斯隆 + 基金会
            before = masked[start - 1:start]
        if not 2 <= stem_end - start <= 16 or is_cjk(before) and before not in leads or before and before in NAME_DOTS + "-":
            continue                            # (马丁公司 of 洛克希德·马丁公司)
        surface, stem = text[start:suffix.end()], text[start:stem_end]
        if any(s < suffix.end() and start < e for s, e in taken) or lexicon.lookup(stem) or lexicon.lookup(surface) \
                or lexicon.is_not_entity(surface) or _a_common_word(stem, lexicon):
            continue
        if name_words.company_suffix.fullmatch(suffix.group()):     # a firm is named without its 公司
            found.append(Mention(start, stem_end, stem, stem, "Company", None, False, "suffix"))
        else:
            found.append(Mention(start, suffix.end(), surface, surface, "Organization", None, False, "suffix"))
    return found


# the dots between the parts of a name transliterated into Chinese script (约翰·史密斯)
NAME_DOTS = "·・•‧"


def _dotted_name_start(masked: str, at: int, chars: frozenset[str]) -> int:
    """Where the transliterated name whose dot stands right before at starts: back over its parts,
    its dots and a middle initial (阿尔弗雷德·P·斯隆); at itself when no part stands before the dot."""
    start = at
    while start > 0 and masked[start - 1] in NAME_DOTS:
        part = start - 1
        if part >= 2 and masked[part - 1].isascii() and masked[part - 1].isalpha() and masked[part - 2] in NAME_DOTS:
            part -= 2                           # a middle initial between two dots
        first = part
        while first > 0 and masked[first - 1] in chars:
            first -= 1
        if first == part:
            break
        start = first
    return start


# jieba's tags of words that describe rather than name: no name opens with one (新版, 新一代, 全新)
_DESCRIPTIVE_TAGS = frozenset({"a", "ad", "b", "d", "m", "t", "v"})


def _released_after_a_dash(text: str, masked: str, taken: list[tuple[int, int]], lexicon: Lexicon) -> list[Mention]:
    """What a clause says was released, named after a dash at its end (…发布旗下首款陪伴机器人——汤姆猫
    AI 童伴; name-words.tsv release-verb): a product's name, when it holds Chinese script (a Latin
    one is read as any Latin name is), not opening on a word that describes (新版 APP), no character
    no name holds (的, 是) and no name kg read stands inside it. Only in Chinese-original text: a
    translation's dashes set off a clause as often."""
    found: list[Mention] = []
    for said in load_name_words().released_after_dash.finditer(masked):
        start, end = said.span(1)
        surface = text[start:end]
        if not has_cjk(surface) or any(ch in load_name_words().not_in_name for ch in surface) \
                or any(s < end and start < e for s, e in taken) or lexicon.lookup(surface) or lexicon.is_not_entity(surface):
            continue
        tags = _jieba(lexicon).tag(surface)     # (jieba only for what the plain checks let through)
        if tags[0][1] in _DESCRIPTIVE_TAGS or len(tags) == 1 and tags[0][1] not in load_name_words().proper_tags:
            continue                            # (新版 APP; one dictionary word: _a_common_word)
        found.append(Mention(start, end, surface, surface, "Product", None, False, "cue"))
    return found


def _versioned_after_their_kind(text: str, masked: str, taken: list[tuple[int, int]], lexicon: Lexicon) -> list[Mention]:
    """A name in Chinese script written with its version right after the kind of thing it is
    (开源旗下视频生成模型万相2.1模型; name-words.tsv versioned-kind): a product, its version apart,
    when no name kg read stands there, it holds no character no name holds (的, 是), no verb or
    preposition (营收为, 达到) and does not open on a word that describes (新版) or end on one that
    counts (升级版, 第二代); not an amount (业务营收为3.6亿)."""
    found: list[Mention] = []
    words = load_name_words()
    for said in words.versioned_after_kind.finditer(masked):
        start, end = said.span(1)
        name = text[start:end]
        if any(s < said.end() and start < e for s, e in taken) or any(ch in words.not_in_name for ch in name) \
                or name[-1] in words.edition_ending or lexicon.is_not_entity(name) or lexicon.lookup(name):
            continue
        tags = [tag for _, tag in _jieba(lexicon).tag(name)]
        if tags[0] in ("b", "m") or any(tag.startswith(("v", "p")) for tag in tags):   # (新版, 一款; 营收为, 达到)
            continue
        found.append(Mention(start, said.end(), text[start:said.end()], name, "Product", said.group(2), False, "cue"))
    return found


# a clause's opening (the text's start, a mark, or a date and a comma) and a run of Chinese script after it
_CLAUSE_OPENING_RUN = re.compile(r"(?:^|(?<=[，,。；;：:！!？?\n]))\s*(?:\d{1,2}\s*月\s*\d{1,2}\s*日\s*[，,]?\s*)?"
                                 r"([\u4e00-\u9fff]{4,12})")


def _bodies_opening_a_clause(text: str, masked: str, taken: list[tuple[int, int]], lexicon: Lexicon) -> list[Mention]:
    """A public body named in common words, opening its clause, its last word a public body's
    (name-words.tsv public-body-ending) and a verb or an adverb after it
    (无线充电联盟即将发布…, 2月25日，市场监管总局召开…): an organization, when it says more than
    what kind of body it is (_names_no_one; not 该联盟, 行业协会)."""
    words = load_name_words()
    jieba = _jieba(lexicon)
    found: list[Mention] = []
    for run in _CLAUSE_OPENING_RUN.finditer(masked):
        start = run.start(1)
        if any(s < run.end(1) and start < e for s, e in taken) or masked[start] in words.not_name_start:
            continue
        offset, end = start, None
        for word, _tag in jieba.tag(masked[start:run.end(1)]):
            offset += len(word)
            if words.public_body_ending.fullmatch(word) and offset - start >= 4:
                end = offset
                break
        after = jieba.tag(masked[end:end + 4]) if end is not None else []
        if end is None or not after or not after[0][1].startswith(("v", "d")):
            continue
        name = text[start:end]
        if lexicon.is_not_entity(name) or any(ch in words.not_in_name for ch in name) \
                or _names_no_one(name, lexicon, tagged_body=True):
            continue
        found.append(Mention(start, end, name, name, "Organization", None, False, "cue"))
    return found


def _named_by_a_naming_word(text: str, masked: str, taken: list[tuple[int, int]], lexicon: Lexicon,
                            rules: NameRules, linked: frozenset[tuple[int, int]]) -> list[Mention]:
    """A link's text in Chinese script that a naming word gives (…的服务，名为[应用管理器](…)): a name,
    typed by the cue before the naming word (一家 … 名为: a firm) or else a product. (Unlinked, the
    words after 称为 or 名为 name a concept as often: 被称为模式匹配.)"""
    found: list[Mention] = []
    name_words = load_name_words()
    for naming in _naming_words().finditer(masked):
        start = end = naming.end()
        while end < len(masked) and is_cjk(masked[end]) and masked[end] not in name_words.not_in_name:
            end += 1
        surface = text[start:end]
        acronym = _ITS_ACRONYM_AFTER.match(masked, end)     # ([代码风险分析器(CRA)](…): the link holds its acronym too)
        if (start, end) not in linked and (acronym is None or (start, acronym.end()) not in linked) \
                or not 2 <= end - start <= 10 \
                or any(s < end and start < e for s, e in taken) or lexicon.lookup(surface) or lexicon.is_not_entity(surface):
            continue
        kind = cue_type(text, start, end, rules.cues) or "Product"
        found.append(Mention(start, end, surface, surface, kind if kind != "Person" else "Product", None, False, "cue"))
    return found


# an acronym in brackets, mixed case too (CapsNet, DPoP), where _ACRONYM_AFTER reads only capitals
_ITS_ACRONYM_AFTER = re.compile(r"\s*[(（][A-Z][A-Za-z0-9]{1,9}[)）]")


@lru_cache(maxsize=1)
def _naming_words() -> re.Pattern:
    """A naming word (clause-words.tsv naming: 名为, 叫做) and any space after it."""
    words = [w for _, cells in tsv_rows(ontology_dir() / "patterns" / "clause-words.tsv") if cells[0] == "naming"
             for w in cells[1].split("|") if w.strip()]
    return re.compile(f"(?:{'|'.join(map(re.escape, sorted(words, key=len, reverse=True)))})\\s*" if words else "(?!)")


def _a_common_word(word: str, lexicon: Lexicon) -> bool:
    """Whether jieba reads a word as one word of its dictionary that is no name (许多, 提高)."""
    tags = _jieba(lexicon).tag(word)
    return len(tags) == 1 and tags[0][1] not in load_name_words().proper_tags


def _hyphenated_transliterations(text: str, masked: str, taken: list[tuple[int, int]], lexicon: Lexicon,
                                 rules: NameRules) -> list[Mention]:
    """Two transliterated names joined by a hyphen and followed by a firm's word name a firm
    (麦格劳-希尔公司, 洛克希德-马丁公司): each side all transliteration characters, after the
    words before it (比洛克希德-马丁公司: jieba's lead words)."""
    found: list[Mention] = []
    chars = rules.transliteration
    company_suffix = load_name_words().company_suffix
    for join in re.finditer("(?<=[\u4e00-\u9fff])-(?=[\u4e00-\u9fff])", masked):
        end = join.end()
        while end < len(masked) and masked[end] in chars and end - join.end() < 6:
            end += 1
        suffix = company_suffix.match(masked, end)
        if suffix is None:
            continue            # (沃希特-博特彻 with no firm's word after it: a person's double name)
        start = join.start()
        while start > 0 and masked[start - 1] in chars and join.start() - start < 6:
            start -= 1
        start = _start_after_lead_words(masked, start, join.start(), lexicon)     # (比洛克希德-马丁: not 比)
        if join.start() - start < 2 or end - join.end() < 2 or any(s < end and start < e for s, e in taken):
            continue
        end = suffix.end()      # (麦格劳-希尔公司: its whole name)
        surface = text[start:end]
        if lexicon.is_not_entity(surface) or lexicon.lookup(surface):
            continue
        found.append(Mention(start, end, surface, surface, "Company", None, False, "hyphenated"))
    return found


_QUOTED_RE = re.compile("[「“\"‘]([^「」“”‘’\"\\s，。；、：！？,;:!?()（）]{2,16})[」”\"’]")


def _quoted_mentions(text: str, masked: str, taken: list[tuple[int, int]], lexicon: Lexicon,
                     rules: NameRules, translation: bool = False) -> list[Mention]:
    """A short phrase in quotes that a cue around the quotes types is a name, however it is
    written: 「小雨智造」创始人 (a company: a role follows), 新公司名为“绿洲” (a company: named so)."""
    found: list[Mention] = []
    if "「" not in masked and "“" not in masked and '"' not in masked and "‘" not in masked:
        return found
    for quoted in _QUOTED_RE.finditer(masked):
        start, end = quoted.span(1)
        name = text[start:end]
        if lexicon.lookup(name) or lexicon.is_not_entity(name) or any(s < end and start < e for s, e in taken):
            continue
        kind = cue_type(text, quoted.start(), quoted.end(), rules.cues)
        if kind == "Company" and load_name_words().organization_suffix.search(name):
            kind = "Organization"           # “政府效率部”负责人: a body, by its last word
        if translation and kind in ("Product", "Project") and has_cjk(name) and _a_common_word(name, lexicon):
            continue            # (a translation's 时钟和“偏好”工具: a feature, a common word in quotes; in Chinese-
                                # original text a product is named so: 推出“点点”)
        if kind is not None and kind != "Person":
            found.append(Mention(start, end, name, name, kind, None, False, "cue"))
    return found


def _publications(text: str, masked: str, taken: list[tuple[int, int]], lexicon: Lexicon) -> list[Mention]:
    """A title in 《》 right before a newsroom's role names the publication, a firm (《纽约客》作家
    安娜·维纳: The New Yorker), and so does a paper's name written without 《》 after a comma
    (、某某日报记者); a title anywhere else (a book's, a report's) names nothing."""
    found: list[Mention] = []
    words = load_name_words()
    for title in words.publication.finditer(masked):
        start, end = title.span(title.lastindex or 1)
        name = text[start:end]
        if title.lastindex == 2 and (name[0] in words.not_name_start or any(ch in words.not_in_name for ch in name)):
            continue                    # (，他在日报…: no paper's name)
        if lexicon.lookup(name) or lexicon.is_not_entity(name) or any(s < end and start < e for s, e in taken):
            continue
        found.append(Mention(start, end, name, name, "Company", None, False, "cue"))
    return found


_ACRONYM_IN_BRACKETS = re.compile("(?<=[\u4e00-\u9fff])\\s*[(（]\\s*([A-Z][A-Za-z0-9&]{1,9})\\s*[)）]")
_CJK_RUN_BEFORE = re.compile("[\u4e00-\u9fff]{2,14}$")


# a short name and, in brackets, the registered firm's full name: 慧智微（全称为“广州慧智微电子股份有限公司”）
_FULL_NAME_AFTER = re.compile(r"[（(]\s*(?:全称|全名)(?:为|是)?\s*[:：]?\s*[“\"「]?[\u4e00-\u9fff（）()]{4,30}?"
                              r"(?:有限公司|有限责任公司|股份公司|集团|公司)[”\"」]?\s*[)）]")


def _short_names_of_registered_firms(text: str, masked: str, taken: list[tuple[int, int]],
                                     lexicon: Lexicon) -> list[Mention]:
    """A short name in Chinese script with the registered firm's full name in brackets after it
    (慧智微（全称为“广州慧智微电子股份有限公司”）) is that firm's name, a Company: from after the
    verbs, prepositions and particles before it (_start_after_lead_words) to the bracket."""
    found: list[Mention] = []
    for bracket in _FULL_NAME_AFTER.finditer(masked):
        end = bracket.start()
        run = _CJK_RUN_BEFORE.search(masked, max(0, end - 10), end)
        if run is None:
            continue
        start = _start_after_lead_words(masked, run.start(), end, lexicon)
        name = text[start:end]
        if not 2 <= len(name) <= 8 or any(s < end and start < e for s, e in taken) or lexicon.lookup(name) \
                or name[0] in load_name_words().not_name_start:
            continue
        found.append(Mention(start, end, name, name, "Company", None, False, "full-name"))
    return found


def _acronym_named_bodies(text: str, masked: str, taken: list[tuple[int, int]], lexicon: Lexicon) -> list[Mention]:
    """A body or firm named in Chinese script with its Latin acronym in brackets is a name,
    however common its words (企业管理协会(EMA), 云原生计算基金会（CNCF）): from after the last
    word a name never starts with (macros.tsv NAME-BREAK, punctuation) to the bracket, when it
    ends like the name of a body (an Organization) or of a firm (a Company). The acronym names
    it too (kg.resolve reads the two as one)."""
    found: list[Mention] = []
    name_words = load_name_words()
    if "(" not in masked and "（" not in masked:
        return found
    for match in _ACRONYM_IN_BRACKETS.finditer(masked):
        end = match.start()
        run = _CJK_RUN_BEFORE.search(masked, max(0, end - 14), end)
        if run is None:
            continue
        start = run.start()
        at = start
        for word, _ in _jieba(lexicon).tag(masked[start:end]):     # words, not characters: 数据 holds 据
            at += len(word)
            if _name_breaks().fullmatch(word):
                start = at
        name = text[start:end]
        if end - start < 3 or any(s < end and start < e for s, e in taken) or lexicon.lookup(name):
            continue
        if name_words.organization_suffix.search(name):
            kind = "Organization"
        elif name_words.firm_ending.search(name):
            kind = "Company"
        else:
            continue
        found.append(Mention(start, end, name, name, kind, None, False, "acronym"))
        short_start, short_end = match.span(1)
        acronym = text[short_start:short_end]
        if not lexicon.lookup(acronym) and not any(s < short_end and short_start < e for s, e in taken):
            found.append(Mention(short_start, short_end, acronym, acronym, kind, None, False, "acronym"))
    return found


def _where_a_name_stands(masked: str, start: int) -> bool:
    """Whether a name that is a common word too (common-word-names.txt) stands where a name does: at the
    start, after punctuation or a word a name follows (macros.tsv NAME-LEAD: 与浪潮, 离开浪潮, 、浪潮,
    应用旗舰夸克), not inside a compound (创业浪潮, 的浪潮, DevOps 浪潮)."""
    before = masked[max(0, start - 8):start].rstrip()
    if not before:
        return True
    if not is_cjk(before[-1]):
        return not (before[-1].isascii() and before[-1].isalnum())
    return _name_lead().search(before) is not None


@lru_cache(maxsize=1)
def _name_lead() -> re.Pattern:
    return re.compile(f"(?:{expand_macros('{NAME-LEAD}', ontology_dir() / 'patterns' / 'macros.tsv', 'macros.tsv')})$")


@lru_cache(maxsize=1)
def _name_breaks() -> re.Pattern:
    breaks = expand_macros("{NAME-BREAK}", ontology_dir() / "patterns" / "macros.tsv", "macros.tsv")
    return re.compile(f"(?:{breaks})")


# jieba's tags of words that are never a firm's whole name: times, verbal nouns, adjectives (a verb may
# be one: 启明, 联想)
_COMMON_WORD_TAGS = frozenset({"t", "vn", "a", "ad", "an"})


def _names_no_one(word: str, lexicon: Lexicon, tagged_body: bool = False) -> bool:
    """Whether a tagged organization name says only what kind of body it is: kind words and
    places (中国自动驾驶公司, 美国科技; name-words.tsv's generic-org-word), or words of jieba's
    dictionary and single characters with a kind word among them (大数据公司, 云存储公司).
    Common words without a kind word may be a name (字节跳动), and so may a place, a field and
    a body's word (name-words.tsv's field-body: 中国计算机学会), and, when the tagger read it
    as one organization (tagged_body), common words before a body's last word (国家公务员局,
    无线充电联盟: public bodies are named so); but then one dictionary word that is a place, a
    time, a verbal noun or an adjective (俄罗斯, 未来, 移动) names no one."""
    name_words = load_name_words()
    generic = name_words.generic_org_words
    jieba = _jieba(lexicon)
    pieces = jieba.tag(word)

    def kind_word(piece: str, tag: str) -> bool:
        return piece in generic or name_words.organization_suffix.fullmatch(piece) is not None
    if len(pieces) >= 3 and pieces[0][1] == "ns" and pieces[-1][0] in name_words.field_body:
        return False            # 上海开源信息技术协会: a place, a field and a body's word name one body
    if len(pieces) == 2 and pieces[0][1] == "ns" and any(pieces[1][0].endswith(w) for w in name_words.place_body):
        return False            # 中国银河证券, 日本航空: a place and an institution's word name one
    if all(kind_word(piece, tag) for piece, tag in pieces):
        return True
    if tagged_body:
        if len(pieces) == 1 and (pieces[0][1] in _COMMON_WORD_TAGS or pieces[0][1] == "ns") and jieba.has_word(word):
            return True         # a place, a time, a verbal noun, an adjective of the dictionary (俄罗斯, 未来, 移动)
        if len(word) >= 4 and name_words.organization_suffix.search(word):
            return False
    return len(pieces) > 1 and any(kind_word(piece, tag) for piece, tag in pieces) and \
        all(kind_word(piece, tag) or len(piece) == 1 or (tag not in name_words.proper_tags and jieba.has_word(piece))
            for piece, tag in pieces)


_COORDINATED = re.compile("[和与及、]")


def _coordinated_parts(start: int, word: str) -> list[tuple[int, str]]:
    """A tagged name that is two names joined by 和/与/及/、 (海川大学和数联交易所), as its
    parts; the word itself when its first part does not end like a name of a body or firm."""
    name_words = load_name_words()
    parts, at = [], 0
    for joint in _COORDINATED.finditer(word):
        left = word[at:joint.start()]
        if name_words.organization_suffix.search(left) or name_words.firm_ending.search(left):
            parts.append((start + at, left))
            at = joint.end()
    return parts + [(start + at, word[at:])] if parts else [(start, word)]


def _joined_body_end(masked: str, end: int, name_words: NameWords) -> str:
    """The rest of a body's name whose fields are joined by 和 (工业和信息化部, 住房和城乡建设部)
    where the tagger cut it before 和: 和 and up to six characters of Chinese script, to the
    first body's last word (organization-suffix); '' when there is none."""
    if masked[end:end + 1] not in ("和", "与"):
        return ""
    for cut in range(end + 3, min(len(masked), end + 8) + 1):
        if not is_cjk(masked[cut - 1]):
            break
        if name_words.organization_suffix.search(masked, end + 1, cut):
            return masked[end:cut]
    return ""


# what the tagger's words may be: an organization, a person, another proper noun (kg.tagger)
_TAGGED_KINDS = frozenset({"ORG", "PER", "nz"})


def _tagged_mentions(text: str, masked: str, taken: list[tuple[int, int]], lexicon: Lexicon,
                     rules: NameRules) -> list[Mention]:
    """The organizations and people LAC tags in Chinese script (kg.tagger), when they read as
    names: all Chinese script; a person of two to four characters starting with a family
    name; an organization not made only of kind words and
    places. An organization ending in an organization word (学院, 交易所) is an Organization,
    any other a Company."""
    found: list[Mention] = []
    name_words = load_name_words()
    def worth(piece: str) -> bool:
        # a word jieba does not know, or tags as a name, that the lexicon does not know; or a
        # body's or firm's last word of its own (国家公务员局, 大陆集团: common words before it)
        return any(len(word) >= 2 and all(is_cjk(ch) for ch in word) and not lexicon.lookup(word)
                   and (tag in name_words.proper_tags or tag == "j" or not jieba.has_word(word))
                   or name_words.organization_suffix.fullmatch(word) or name_words.firm_ending.fullmatch(word)
                   for word, tag in jieba.tag(piece))
    jieba = _jieba(lexicon)
    tagged = [(at, at + len(part), part, tag)
              for start, end, word, tag in tag_names(masked, name_words.tagger_cue, worth, _TAGGED_KINDS)
              for at, part in (_coordinated_parts(start, word) if tag == "ORG" else [(start, word)])]
    for start, end, word, tag in tagged:
        if not word:
            continue
        if tag == "nz":         # 智元发布, 众擎机器人旗下: a new proper noun before a firm's verb is a firm
            firm = name_words.firm_after_proper.match(masked, end)
            if jieba.has_word(word) or firm is None and cue_type(text, start, end, rules.cues) != "Company":
                continue        # (朝日唯品是一家…企业: one a firm's cue follows is one too)
            if firm is not None:
                end, word = firm.end(1), word + firm.group(1)
        start, word = _after_its_firm_kind(masked, start, word)
        if tag == "ORG" and not name_words.organization_suffix.search(word):
            group = rules.group_after.match(masked, end) if rules.group_after else None
            group = group or _organization_suffix_after().match(masked, end)
            if group is not None:       # 云铸造 + 基金会, 国家网络安全通报 + 中心: the body the tagger cut its name from
                end, word = group.end(), masked[start:group.end()]
            else:
                start, end, word = _firm_span(masked, start, end, word, name_words)
        if not (2 <= len(word) <= 12) or not all(is_cjk(ch) for ch in word) or word[0] in name_words.not_name_start:
            continue
        if lexicon.lookup(word) or lexicon.is_not_entity(word) or any(s < end and start < e for s, e in taken) \
                or rules.role_words is not None and rules.role_words.exists(word):
            continue                    # (a role is no name: 首席架构师, 董秘)
        if tag == "PER":
            # (a transliterated name without its dots is as often a part of one: 埃里克 of 埃里克·特朗普)
            if not (word[:1] in rules.surnames or word[:2] in rules.surnames and len(word) > 2) or len(word) > 4:
                continue
            if _common_word(word, lexicon):
                continue
            kind = "Person"
        else:
            body = _tagged_body(masked, start, word, lexicon, jieba, name_words)
            if body is None:
                continue
            word, kind = body
            end = start + len(word)
        found.append(Mention(start, end, text[start:end], text[start:end], kind, None, False, "tagger"))
    return found


def _after_its_firm_kind(masked: str, start: int, word: str) -> tuple[int, str]:
    """A name the tagger cut short after the kind of firm it is (厂商新石器无人车: 无人车) starts right
    after that kind word (name-words.tsv firm-kind) when at most four characters of Chinese script
    stand between; else where the tagger put it."""
    for back in range(1, 5):
        at = start - back
        if at <= 0 or not is_cjk(masked[at]):
            break
        if firm_kind_ending().search(masked, max(0, at - 6), at):
            return at, masked[at:start] + word
    return start, word


@lru_cache(maxsize=1)
def firm_kind_ending() -> re.Pattern:
    """A firm-kind word (name-words.tsv: 厂商, 初创公司) that ends where a search's window ends."""
    return re.compile(f"(?:{load_name_words().firm_kind.pattern})$")


_KIND_TAGS = frozenset({"n", "vn", "a", "b", "t", "m"})     # jieba's tags of a common noun or a describing word


def firm_in_an_event_name(surface: str, lexicon: Lexicon) -> tuple[int, int] | None:
    """Where a gathering's name (XAAC 2024 极飞科技年度大会) holds a firm in Chinese script with a
    firm's ending (name-words.tsv firm-ending: 科技, 集团), opening its run of Chinese and followed
    by the gathering's words; not words that say what kind of firm (全球人工智能科技大会)."""
    words = load_name_words()
    for run in re.finditer("[\u4e00-\u9fff]+", surface):
        for ending in words.firm_ending_anywhere.finditer(run.group()):
            stem = run.group()[:ending.start()]
            if not 2 <= len(stem) <= 6 or ending.end() == len(run.group()):
                continue
            cut = _jieba(lexicon).tag(stem)
            if any(word in words.generic_org_words for word, _ in cut) or len(cut) == 1 and cut[0][1] in _KIND_TAGS:
                return None             # (全球人工智能, 数字: what kind of firm, not which)
            return run.start(), run.start() + ending.end()
    return None


@lru_cache(maxsize=1)
def _organization_suffix_after() -> re.Pattern:
    """An organization's last word (name-words.tsv organization-suffix) right at a position."""
    return re.compile(load_name_words().organization_suffix.pattern.removesuffix("$"))


def _tagged_body(masked: str, start: int, word: str, lexicon: Lexicon, jieba,
                 name_words: NameWords) -> tuple[str, str] | None:
    """An organization LAC tagged, as a name and its type (Organization when it ends in an
    organization word, else Company), or None when it names no one."""
    if _names_no_one(word, lexicon, tagged_body=True):
        return None
    if word.endswith("公司") and not word.endswith("有限公司") and len(word) >= 4:
        word = word[:-2]                        # 云途腾公司: the name is the words before 公司
        if lexicon.lookup(word) or _names_no_one(word, lexicon, tagged_body=True):
            return None                         # (意大利公司: an Italian firm)
    word = _without_trailing_verb(word, jieba)     # 乐鑫科技收购: the name ends at 科技
    if word[-1] in "母子" and masked.startswith("公司", start + len(word)):
        word = word[:-1]                            # 云川集团母公司: the firm is 云川集团
    unit = name_words.body_unit.search(word)        # 江南大学党委: the name ends at 大学
    if unit and (name_words.organization_suffix.search(word[:unit.start()])
                 or name_words.firm_ending.search(word[:unit.start()])):
        word = word[:unit.start()]
    return word, "Organization" if name_words.organization_suffix.search(word) else "Company"


def _firm_span(masked: str, start: int, end: int, word: str, name_words: NameWords) -> tuple[int, int, str]:
    """Where a firm's name the tagger read (no body's last word in it) starts and ends: on into
    the body it is joined to (深圳市工业|和信息化局), never on a joiner (菲亚特克莱斯勒汽车与), and
    after a descriptor ending in 公司 (法国公司标致雪铁龙集团: 标致雪铁龙集团)."""
    joint = end - 1 if word[-1] in "和与" else end      # (the tagger may keep the 和: 杭州市经济和)
    rest = _joined_body_end(masked, joint, name_words)
    if rest:
        end, word = joint + len(rest), word[:joint - start] + rest
    elif word[-1] in "和与及":
        end, word = end - 1, word[:-1]
    described = word.find("公司", 0, len(word) - 4)
    if described > 0:
        start, word = start + described + 2, word[described + 2:]
    return start, end, word


def _edition(text: str, masked: str, start: int, end: int, known: Known, rules: NameRules) -> Mention | None:
    """One edition of a known event: named by where it is held (KubeCon + China: group-names.tsv
    edition) or by its year ('Ceph Day' + '2014' is 'Ceph Day 2014')."""
    where = rules.edition_after.match(masked, end) if rules.edition_after else None
    if where is not None:
        return Mention(start, where.end(), text[start:where.end()], text[start:where.end()], "Event", None, False,
                       "head")
    year = _YEAR_AFTER.match(masked, end)
    if year and not _ENDS_ON_A_YEAR.search(known.name):
        return Mention(start, year.end(), text[start:year.end()], f"{known.name} {year.group(1)}", "Event", None,
                       False, "head")
    return None


def _named_after_a_known_name(text: str, masked: str, start: int, end: int, known: Known, rules: NameRules,
                              lexicon: Lexicon) -> Mention | None:
    """A thing named by a known name and a word after it, which the lexicon does not know whole:
    a group ('OpenStack' + '中国用户组'), a company's investment arm ('英特尔' + '资本'), an event
    ('RT-Thread' + '全球嵌入式电子设计大赛'), a firm's product ('百度' + '地图', 'DeepSeek' + '-R1')."""
    group = rules.group_after.match(masked, end) if rules.group_after and known.type != "Person" else None
    firm = rules.firm_after.match(masked, end) if rules.firm_after and known.type == "Company" else None
    if group or firm:
        stop = (group or firm).end()            # type: ignore[union-attr]  # one of them is there
        english = group_words_in_english().get(group.group(0).strip()) if group else None
        whole = lexicon.lookup(f"{known.name} {english}") if english else None
        if whole is not None:                   # 'Grafana' + ' 实验室': Grafana Labs, which the lexicon knows
            return Mention(start, stop, text[start:stop], whole.name, whole.type, None, True)
        name = f"{text[start:end]} {english}" if english and not is_cjk(masked[end - 1]) else text[start:stop]
        return Mention(start, stop, text[start:stop], name, "Organization" if group else "Company",
                       None, False, "group" if group else "firm")
    event = _event_of_a_name(masked, end, known.type, rules, lexicon)
    if event is not None:
        return Mention(start, event, text[start:event], text[start:event], "Event", None, False, "group")
    model = _model_of_a_maker(masked, start, end, known, rules, lexicon)
    if model is not None:
        return Mention(start, model, text[start:model], text[start:model], "Product", None, False, "maker")
    return None


def _known_mentions(text: str, masked: str, lexicon: Lexicon, rules: NameRules):
    found: list[Mention] = []
    firm_word = load_name_words().firm_ending_anywhere
    for start, end, known in lexicon.find(masked):
        if found and start < found[-1].end:
            continue                # 'EU' of 'KubeCon EU': inside the edition just read
        if is_cjk(masked[end - 1]) and end < len(masked) and is_cjk(masked[end]) and \
                (_ends_inside_a_firms_word(masked, end, firm_word) or _inside_a_longer_name(masked, start, end)):
            continue                # 迈络思科技: not 思科, whose end is inside the firm's word 科技
        if end - start == 2 and is_cjk(masked[start]) and end < len(masked) and is_cjk(masked[end]) \
                and masked[end] not in load_name_words().not_in_name and _ends_inside_a_word(masked, start, end, lexicon):
            continue                # 高通信带宽: high bandwidth (高/通信), not the firm 高通
        if known.type == "Person" and start > 1 and _NAME_DOT_RE.match(masked, start - 1) \
                and masked[start - 2] in rules.transliteration:
            first = start - 1               # 塞特亚·纳德拉: a longer name the lexicon does not know, as written
            while first > 0 and masked[first - 1] in rules.transliteration:
                first -= 1
            found.append(Mention(first, end, text[first:end], text[first:end], "Person", None, False, "person"))
            continue
        if known.type == "Person" and end - start == 2 and is_cjk(masked[start]) and masked[end:end + 1] == masked[end - 1]:
            found.append(Mention(start, end + 1, text[start:end + 1], text[start:end + 1], "Person", None, False, "person"))
            continue                        # 王兴兴, not 王兴: a given name of a doubled character goes on
        if known.type != "Person" and start > 0 and _NAME_DOT_RE.match(masked, start - 1):
            continue                        # '安德鲁·詹金斯': a person's family name, not the project Jenkins
        if lexicon.is_common_word(masked[start:end]) and not _where_a_name_stands(masked, start):
            continue                        # '云整合浪潮': the wave, not the firm 浪潮
        if known.type != "Person" and _after_a_given_name(masked, start, end, rules):
            continue                        # 'Craig Box': a person, not the firm Box
        registered = _registered_name_around(masked, start, end, lexicon)
        if registered is not None:      # 唐山松下产业机器人有限公司: that firm, not 松下
            found.append(Mention(*registered, text[registered[0]:registered[1]], text[registered[0]:registered[1]],
                                 "Company", None, False, "cue"))
            continue
        named_after = _named_after_a_known_name(text, masked, start, end, known, rules, lexicon)
        if named_after is not None:
            found.append(named_after)
            continue
        # a version written right after a known name: 'Mirantis OpenStack 5.0', 'Docker 1.0'
        version = None
        tail = _VERSION_AFTER.match(masked, end)
        if tail and known.type in ("Product", "Project"):
            version = tail.group(1)
            end = tail.end()
        variant = rules.variant_after.match(masked, end) if rules.variant_after and known.type == "Product" else None
        if variant is not None:         # 'GPT-4o' + 'mini': a product of its own
            stop = variant.end()
            found.append(Mention(start, stop, text[start:stop], text[start:stop], "Product", None, False, "variant"))
            continue
        edition = _edition(text, masked, start, end, known, rules) if known.type == "Event" else None
        if edition is not None:
            found.append(edition)
            continue
        maker = _maker_of_the_same_name(known, lexicon)
        if maker is not None and version is None and cue_type(text, start, end, rules.cues) == "Company":
            known = maker                           # 'MongoDB 宣布收购…': the firm, not its database
        domain = _DOMAIN_AFTER.match(masked, end) if known.type == "Company" else None
        end = domain.end() if domain else end       # 'Raygun.com': the firm by its address
        found.append(Mention(start, end, text[start:end], known.name, known.type, version, True))
    return _spelled_apart(text, masked, found, lexicon) if _SPLIT_LOWER.search(masked) else found


# two or three lowercase words that may be one name a translation split (open shift, stream native)
_SPLIT_LOWER = re.compile(r"(?<![A-Za-z0-9.-])[a-z]{2,12}(?: [a-z]{2,12}){1,2}(?![A-Za-z0-9.-])")


def _spelled_apart(text: str, masked: str, found: list[Mention], lexicon: Lexicon) -> list[Mention]:
    """A known firm, product or project whose name a translation wrote apart in lowercase words
    ('RedHat 的商业版 Kubernetes(open shift)', 'stream native 的首席架构师'): that name."""
    taken = [(m.start, m.end) for m in found]
    added = []
    for run in _SPLIT_LOWER.finditer(masked):
        known = lexicon.lookup(run.group().replace(" ", ""))
        start, end = run.span()
        if known is None or known.type not in ("Company", "Product", "Project") or len(run.group()) < 7 \
                or any(s < end and start < e for s, e in taken):
            continue
        added.append(Mention(start, end, text[start:end], known.name, known.type, None, True))
    return sorted(found + added, key=lambda m: m.start) if added else found


_GIVEN_NAME_BEFORE = re.compile(r"(?<![\w.-])([A-Z][a-z]+) $")


def _after_a_given_name(masked: str, start: int, end: int, rules: NameRules) -> bool:
    """Whether a known name of one capitalized word is a person's family name: right after a
    given name of given-names.txt, the two words alone ('Craig Box', not 'Craig Box Notes')."""
    before = _GIVEN_NAME_BEFORE.search(masked, max(0, start - 16), start)
    return before is not None and before.group(1) in rules.given_names and masked[start:end].isalpha() \
        and masked[start:start + 1].isupper() and not re.match(r" ?[A-Za-z0-9]", masked[end:end + 2])


# what the words between a name and an event word may be (jieba's tags): names, nouns, verbal
# nouns, adjectives, times, a verb inside but not last; no particle, adverb, preposition or conjunction
_EVENT_WORD_TAGS = re.compile(r"n\w*|vn|v|a\w*|b|j|t|m|eng")


def _ends_on_an_event_word(name: str, rules: NameRules) -> bool:
    """Whether a Latin name ends on a word that names a gathering even without a year (TDengine
    Open Day, KubeCon Day): the Chinese words after it describe the event, they do not name it."""
    last = name.split()[-1] if name.split() else ""
    return any(kind.startswith("Event") and pattern.match(last) for kind, pattern in rules.heads)


def _event_of_a_name(masked: str, end: int, kind: str, rules: NameRules, lexicon: Lexicon,
                     new: bool = False) -> int | None:
    """Where an event named after a name of a kind ends (group-names.tsv event: RT-Thread 全球嵌入式
    电子设计大赛, 华为开发者大会); None when no such event follows the name. A new name a cue
    typed an event may open one too ('2024 RT-Thread' + '全球技术大会'); a known event does not."""
    if rules.event_after is None or kind == "Person" or kind == "Event" and not new:
        return None
    event = rules.event_after.match(masked, end)
    if event is None or lexicon.lookup(masked[end:event.end()].strip()):
        return None                     # (OpenStack + 巴黎峰会: the lexicon knows that event)
    words = _jieba(lexicon).tag(event.group(1)) if event.group(1) else []
    if words and (words[-1][1].startswith("v") and words[-1][1] != "vn"
                  or not all(_EVENT_WORD_TAGS.fullmatch(tag) for _, tag in words)
                  or any(tag == "ns" for _, tag in words[1:])):
        return None                     # (腾讯参加峰会, 举办的大会: a verb or a particle before it;
        #                                  小米汽车参加广州车展: the event is the place's)
    return event.end()


# a model's code after a hyphen (DeepSeek-R1, Qwen-72B): letters and at least one digit
_PRODUCT_AFTER_HYPHEN = re.compile(r"-([A-Z][a-z]+)(?![\w-])")
_MODEL_AFTER_HYPHEN = re.compile(r"-(?=[A-Za-z]{0,4}\d)[A-Za-z0-9]+(?:\.[0-9]+)?(?![\w-])")


def _model_of_a_maker(masked: str, start: int, end: int, known, rules: NameRules, lexicon: Lexicon) -> int | None:
    """Where a product named after a known company ends: its name in Chinese script and a product
    word (group-names.tsv product: 百度地图), or its Latin name, a hyphen and a model's code
    (DeepSeek-R1); None when no such product follows the name."""
    if known.type != "Company":
        return None
    if is_cjk(masked[end - 1]):
        word = rules.product_after.match(masked, end) if rules.product_after else None
        if word is None or is_cjk(masked[word.end():word.end() + 1] or "a") \
                and _jieba(lexicon).tag(masked[word.end():word.end() + 4])[0][1] == "n":
            return None         # (苹果浏览器引擎: a kind of engine, not a browser named 苹果浏览器)
        return word.end()
    code = _MODEL_AFTER_HYPHEN.match(masked, end) or _PRODUCT_AFTER_HYPHEN.match(masked, end)
    if code is not None and code.re is _PRODUCT_AFTER_HYPHEN \
            and head_type(f"{known.name} {code.group(1)}", rules.heads) != "Product":
        return None             # (Portworx-Enterprise: a product's head; not Microsoft-Nokia)
    return code.end() if code else None


# the rest of a firm's registered name after a known name inside it (唐山松下|产业机器人有限公司)
_REGISTERED_REST = re.compile("(?:(?!公司)[\u4e00-\u9fff]){1,10}?(?:有限责任公司|股份有限公司|有限公司)")
_QUOTE_OPEN, _QUOTE_CLOSE = "“「『\"", "”」』\""


def _registered_name_around(masked: str, start: int, end: int, lexicon: Lexicon) -> tuple[int, int] | None:
    """The span of a firm's registered name that a known Chinese name stands inside: a place
    before it (one word jieba tags a place, or a name: 唐山) and the rest of a registered name
    after it (唐山松下产业机器人有限公司, 深圳比亚迪创芯材料有限公司: that firm, not 松下 or
    比亚迪); None when it stands alone."""
    if not (start > 1 and is_cjk(masked[start - 1]) and is_cjk(masked[end - 1])):
        return None
    rest = _REGISTERED_REST.match(masked, end)
    if rest is None:
        return None
    jieba = _jieba(lexicon)
    place = next((cut for cut in (3, 2) if start - cut >= 0 and
                  [tag for _, tag in jieba.tag(masked[start - cut:start])] in (["ns"], ["nr"])), None)
    return (start - place, rest.end()) if place else None


def _ends_inside_a_firms_word(masked: str, end: int, firm_word: re.Pattern) -> bool:
    """Whether a firm's word (firm-ending) starts one or two characters before end and goes on
    past it, without the name itself ending on a whole such word (思|科技: yes; 宇树科技|有限公司: no)."""
    for cut in (1, 2):
        word = firm_word.match(masked, end - cut)
        if word and word.end() > end and not firm_word.fullmatch(masked, word.start(), end):
            return True
    return False


def _ends_inside_a_word(masked: str, start: int, end: int, lexicon: Lexicon) -> bool:
    """Whether jieba, cutting the words around a two-character name, starts a word inside the
    name that goes on past its end (高|通信: the 通 of 高通 begins 通信). (Not asked before a
    character no name holds, name-words.tsv not-in-name, which follows names as often as it ends
    a word: 时标的, though 标的 is a word.)"""
    left = max(0, start - 4)
    at = left
    for word in _jieba(lexicon).cut(masked[left:end + 4]):
        if start < at < end < at + len(word):
            return True
        at += len(word)
        if at >= end:
            return False
    return False


def _inside_a_longer_name(masked: str, start: int, end: int) -> bool:
    """Whether a known Chinese name is only part of a name in quotation marks that goes on
    after it (“知乎直答” is no 知乎): the quoted name is read whole instead."""
    if start > 0 and masked[start - 1] in _QUOTE_OPEN:
        closing = next((i for i in range(end, min(len(masked), end + 12)) if masked[i] in _QUOTE_CLOSE), None)
        return closing is not None and closing > end and all(is_cjk(ch) or ch.isalnum() for ch in masked[end:closing])
    return False


def _maker_of_the_same_name(known: Known, lexicon: Lexicon) -> Known | None:
    """The firm the lexicon knows by a product's or project's name and a maker's ending
    (MongoDB -> MongoDB Inc.: name-words.tsv's maker-ending), for a name that the words around
    it say is a firm's."""
    if known.type not in ("Product", "Project"):
        return None
    return lexicon.remember("maker of the same name", known.key, _maker_named, known.name, lexicon)


def _maker_named(name: str, lexicon: Lexicon) -> Known | None:
    for ending in load_name_words().maker_ending:
        firm = lexicon.lookup(f"{name} {ending}")       # (lookups ignore the space)
        if firm is not None and firm.type == "Company":
            return firm
    return None


_LIST_JOINER = re.compile(r"\s*(?:、|,|，|和|与|及|以及)\s*")
# a member of a list that no finder read as a name (a capitalized common word: Magic), between two that are
_UNNAMED_MEMBER = re.compile(r"\s*[、,，]\s*([A-Z][\w.+-]*(?: [A-Z][\w.+-]*){0,2})\s*(?:、|,|，|和|与|及|以及)\s*")


# ... or opening it, right after the word that leads a list in ('如 Cypress、Postman 和 JMeter')
_UNNAMED_FIRST = re.compile(r"(?:如|例如|比如|诸如|像|包括)\s*([A-Z][\w.+-]*(?: [A-Z][\w.+-]*){0,2})\s*[、,，]\s*\Z")


def typed_by_their_list(text: str, mentions: list[Mention], rules: NameRules) -> list[Mention]:
    """The members of a list that a cue after it types (Instana、甲骨文、Zalando 等公司: each a
    company; type-cues.tsv's after-list rows), or a cue before it (数据库，如 A、B 和 C: each a
    product; before-list rows), take that type, when nothing better typed them; failing a cue,
    the members typed only by default take the type the others share (_type_of_the_typed)."""
    if not mentions:
        return mentions
    out: list[Mention] = list(mentions)
    added: list[Mention] = []
    parts: list[list[int]] = [[0]]      # the list's members, cut where an unnamed member joins them
    unnamed: list[tuple[int, int]] = []
    for index in range(1, len(mentions) + 1):
        if index < len(mentions) and _LIST_JOINER.fullmatch(text, mentions[index - 1].end, mentions[index].start):
            parts[-1].append(index)
            continue
        between = _UNNAMED_MEMBER.fullmatch(text, mentions[index - 1].end, mentions[index].start) \
            if index < len(mentions) else None
        if between:                     # 'HYPR、Magic、1Kosmos': a common word standing as a member
            parts.append([index])
            unnamed.append(between.span(1))
            continue
        group = range(parts[0][0], index)       # the whole list, its members in a row
        last, first = mentions[index - 1], mentions[group.start]
        opening = _UNNAMED_FIRST.search(text, max(0, first.start - 40), first.start) if len(group) > 1 else None
        if opening:                     # '如 Cypress、Postman 和 JMeter': a common word opening the list
            unnamed.insert(0, opening.span(1))
        start = opening.start(1) if opening else first.start
        # (one name a cue after it types is typed too: 'Kroger 这样的公司'; a cue before needs a list)
        kind = cue_type(text, last.end, last.end, rules.after_list) \
            or (cue_type(text, start, start, rules.before_list, reach=40) if len(group) > 1 else None)
        if kind is not None:            # (a list a cue types: its unnamed members are names of that type)
            added += [Mention(s, e, text[s:e], text[s:e], kind, None, False, "cue") for s, e in unnamed]
            out = [replace(m, type=kind, typed_by="cue") if i in group and m.typed_by in WEAKLY_TYPED else m
                   for i, m in enumerate(out)]
        else:                           # (no cue: the type the typed share, within what names join)
            for part in parts:
                shared = _type_of_the_typed(out, part) if len(part) > 1 else None
                if shared is not None:
                    out = [replace(m, type=shared, typed_by="cue") if i in part and m.typed_by == "default" else m
                           for i, m in enumerate(out)]
        parts, unnamed = [[index]], []
    return sorted(out + added, key=lambda m: m.start) if added else out


def _type_of_the_typed(mentions: list[Mention], group: list[int]) -> str | None:
    """The type every member of a list of three or more that something typed shares, when
    some were typed only by default (Azure Cosmos、Firestore 和 DynamoDB: a product's list):
    a list joins things of one kind."""
    typed = {mentions[i].type for i in group if mentions[i].typed_by not in WEAKLY_TYPED}
    if len(group) < 3 or len(typed) != 1 or all(mentions[i].typed_by != "default" for i in group):
        return None
    return typed.pop()


_LINKED_NAME_RE = re.compile(r"[A-Z][\w.+-]*(?:\s+[\w.+-]+){1,6}")


def _linked_names(text: str, masked: str, known: list[Mention], lexicon: Lexicon, rules: NameRules,
                  linked: frozenset[tuple[int, int]]) -> tuple[list[Mention], set[int]]:
    """A link's Latin text that reads as one name is one name, over the known names inside it
    ('[XCrypt Service Encryption for Cloud Foundry](…)': not XCrypt… and Cloud Foundry): its
    words capitalized or inner connectors (for, of), no list in it; and the starts of the known
    names it covers."""
    found: list[Mention] = []
    covered: set[int] = set()
    if not linked:
        return found, covered
    inner = load_name_words().inner_connectors
    for start, end in sorted(linked):
        surface = text[start:end]
        if not _LINKED_NAME_RE.fullmatch(surface) or masked[start:end] != surface:
            continue
        words = surface.split()
        if not all(w[:1].isupper() or w[:1].isdigit() or w.lower() in inner for w in words) \
                or words[-1].lower() in inner or "and" in words or "&" in words:
            continue
        inside = [m for m in known if start <= m.start and m.end <= end]
        if len(words) == 2 and _firm_name_ending(words[1]) \
                and any(m.start == start and m.type == "Company" and m.known for m in inside):
            continue            # '[SmartBear Software](…)': the firm the lexicon knows (kg.mentions._latin_mentions)
        if any(m.start == start and m.end == end for m in inside) or \
                any(m.start < end and start < m.end and not (start <= m.start and m.end <= end) for m in known):
            continue            # the lexicon knows the whole, or a known name crosses its edge
        name, version = split_version(surface)
        if lexicon.is_not_entity(name):
            continue
        kind, how = _typed_new_name(text, start, end, name, version, rules, linked) or ("Project", "link")
        found.append(Mention(start, end, surface, name, kind, version, False, how))
        covered.update(m.start for m in inside)
    return found, covered


def _acronyms_of_known_names(text: str, masked: str, known: list[Mention], lexicon: Lexicon) -> list[Mention]:
    """An acronym in brackets right after a name the lexicon knows, made of the initials of its
    English name (卡内基梅隆大学（CMU）, Connectivity Standards Alliance (CSA)): that name, here and
    wherever else the post writes it."""
    found: list[Mention] = []
    for m in known:
        acronym = _ACRONYM_AFTER.match(masked, m.end)
        if acronym is None or m.type == "Person" or lexicon.lookup(acronym.group(1)) is not None:
            continue
        initials = "".join(word[0] for word in re.findall(r"[A-Za-z][\w'-]*", m.name) if word[0].isupper())
        if initials == acronym.group(1):
            start, end = acronym.span(1)
            found.append(Mention(start, end, text[start:end], m.name, m.type, None, False, "acronym"))
    return found


def link_spans(text: str, link_texts) -> frozenset[tuple[int, int]]:
    """Where the texts of an entry's links stand in its text."""
    spans = set()
    for link_text in link_texts:
        at = text.find(link_text) if link_text else -1
        if at >= 0:
            spans.add((at, at + len(link_text)))
    return frozenset(spans)


def find_mentions(text: str, lexicon: Lexicon, rules: NameRules | None = None, link_texts=(),
                  tag_chinese: bool = True) -> list[Mention]:
    """Every entity mention in one entry's text, in text order, not overlapping. tag_chinese:
    whether Chinese-script names may stand here that only the tagger (kg.tagger) reads; a
    translated post's names are its original's, and the tagger is not run on it."""
    rules = rules or load_name_rules()
    masked = mask_urls(text)
    known = _known_mentions(text, masked, lexicon, rules)
    linked = link_spans(text, link_texts)
    whole, inside = _linked_names(text, masked, known, lexicon, rules, linked)
    known = [m for m in known if m.start not in inside] + whole
    known += _acronyms_of_known_names(text, masked, known, lexicon) if "（" in masked or "(" in masked else []
    latin, replaced = _latin_mentions(text, masked, known, lexicon, rules, linked)
    known = [m for m in known if m.start not in replaced]
    taken = [(m.start, m.end) for m in known + latin]
    chinese: list[Mention] = []
    if has_cjk(text):
        chinese = _cued_chinese_mentions(text, masked, known, latin, taken, lexicon, rules, translation=not tag_chinese)
        chinese += _named_by_a_naming_word(text, masked, taken + [(m.start, m.end) for m in chinese], lexicon, rules,
                                           linked) if linked else []
        taken = taken + [(m.start, m.end) for m in chinese]
        tagged_names = _tagged_mentions(text, masked, taken, lexicon, rules) if tag_chinese else []
        tagged_names += _released_after_a_dash(text, masked, taken, lexicon) if tag_chinese else []
        tagged_names += _versioned_after_their_kind(text, masked, taken + [(m.start, m.end) for m in tagged_names],
                                                    lexicon) if tag_chinese else []
        tagged_names += _bodies_opening_a_clause(text, masked, taken + [(m.start, m.end) for m in tagged_names],
                                                 lexicon) if tag_chinese else []
        chinese += tagged_names
        taken = taken + [(m.start, m.end) for m in tagged_names]
        # jieba's tags: people (a Person cue each), its dictionary's bodies, gatherings by their place (北美开源峰会), firms
        name_words = load_name_words()
        maybe_company = any(words.search(masked) for words in (name_words.company_suffix, name_words.firm_suffix,
                                                                name_words.firm_ending_anywhere, name_words.firm_kind))
        tagged = _jieba(lexicon).tag(masked)
        chinese += _chinese_person_mentions(text, masked, taken, lexicon, rules, tagged)
        chinese += _bodies_in_jiebas_dictionary(masked, taken + [(m.start, m.end) for m in chinese], lexicon, tagged)
        chinese += _events_named_by_place(text, masked, taken + [(m.start, m.end) for m in chinese], lexicon, rules,
                                          tagged)
        if maybe_company:
            chinese += _chinese_company_mentions(text, masked, taken + [(m.start, m.end) for m in chinese], lexicon,
                                                 tagged)
    chinese += _where_people_come_from(text, masked, chinese, taken, lexicon) if "来自" in text and chinese else []
    chinese = _cut_at_links(text, chinese, linked)
    # (a new Latin name a cue typed inside a linked body's name is part of it: [Domino 数据实验室](…))
    bodies = _linked_bodies(text, [(m.start, m.end) for m in known + latin
                                   if m.known or m.typed_by not in ("cue", *WEAKLY_TYPED)], linked)
    latin = [m for m in latin if not any(b.start <= m.start and m.end <= b.end for b in bodies)]
    chinese = [m for m in chinese if not any(b.start <= m.start and m.end <= b.end for b in bodies)] + bodies
    found = sorted(known + latin + chinese, key=lambda m: m.start)
    found = _year_led_events(text, masked, _events_with_what_opens_them(text, _possessives(text, found, lexicon)))
    found = _latin_led_events(text, masked, _events_with_their_edition(text, masked, found, rules), lexicon)
    found = _authors_note(text, found, lexicon, rules) if "\n" in text else found
    found = _products_made_for_a_known_thing(text, found) if " for " in text else found
    if "、" in text:
        found = sorted(found + _list_mates(text, masked, found, lexicon), key=lambda m: m.start)
        if "等" in text and rules.after_list:
            found = _closed_list_members(text, masked, found, lexicon, rules)
    if rules.before_list and load_name_words().list_opener.search(masked):
        found = _opened_list_members(text, masked, found, lexicon, rules)
    return typed_by_their_list(text, found, rules)


def _products_made_for_a_known_thing(text: str, found: list[Mention]) -> list[Mention]:
    """A product's name, a word of name-words.tsv made-for and a project or product the lexicon
    knows, the run of Latin words ending there, are one product's name (StreamNative Cloud for Kafka,
    Amazon Managed Service for Prometheus); so are a known product or project made for another
    (GitHub for Android, Docker for Mac, Rust for Windows), a stage word after it left out (beta)."""
    made_for = load_name_words().made_for
    out: list[Mention] = []
    for m in found:
        product = out[-1] if out else None
        if product is not None and (product.type == "Product" and (product.typed_by == "head" or " " in product.name)
                                    or product.known and product.type in ("Project", "Product") and product.version is None) \
                and m.known and m.type in ("Project", "Product") and m.version is None \
                and made_for.fullmatch(text, product.end, m.start) and _ends_a_latin_run(text, m.end):
            surface = text[product.start:m.end]
            out[-1] = Mention(product.start, m.end, surface, surface, "Product", None, False, "head")
            continue
        out.append(m)
    return [_made_for_a_platform(text, m, made_for) for m in out]


_CAPITALIZED_WORD = re.compile(r"[A-Z][A-Za-z]{2,}")


def _made_for_a_platform(text: str, m: Mention, made_for: re.Pattern) -> Mention:
    """A known product or project, made-for and one capitalized word no name holds, as one product's
    name (Visual Studio for Mac, Android for Work)."""
    after = made_for.match(text, m.end) if m.known and m.type in ("Project", "Product") and m.version is None else None
    word = _CAPITALIZED_WORD.match(text, after.end()) if after is not None else None
    if word is None or not _ends_a_latin_run(text, word.end()):
        return m
    surface = text[m.start:word.end()]
    return Mention(m.start, word.end(), surface, surface, "Product", None, False, "head")


def _ends_a_latin_run(text: str, end: int) -> bool:
    """Whether no Latin word goes on at end, but a stage word (GitHub for Android beta)."""
    return not re.match(r" ?[A-Za-z0-9]", text[end:end + 2]) or _STAGE_AFTER.match(text, end) is not None


_STAGE_AFTER = re.compile(r" ?(?:[Bb]eta|BETA|[Aa]lpha|[Pp]review)(?![A-Za-z0-9])")


def _cued_chinese_mentions(text: str, masked: str, known: list[Mention], latin: list[Mention],
                           taken: list[tuple[int, int]], lexicon: Lexicon, rules: NameRules,
                           translation: bool = False) -> list[Mention]:
    """Names in Chinese script that what stands around them marks: transliterations, a person
    after a role and a firm before one, a name before its other name in brackets, in quotes, a
    publication before a newsroom role, a speaker opening an item, a body before its acronym,
    a short name before its registered full name."""
    chinese = _transliterated_mentions(text, masked, taken, lexicon, rules)
    chinese += _transliterated_bodies(text, masked, taken + [(m.start, m.end) for m in chinese], lexicon, rules)
    if rules.role_words is None or next(rules.role_words.iter(masked), None) is not None:   # (a role is there)
        chinese += _role_person_mentions(text, masked, taken + [(m.start, m.end) for m in chinese], lexicon, rules)
    if rules.firm_then_role is not None and may_match(rules.firm_then_role, masked):   # (a role or a joining verb)
        chinese += _firms_before_roles(text, masked, taken + [(m.start, m.end) for m in chinese], lexicon, rules)
    chinese += _named_before_brackets(text, masked, known, latin, taken + [(m.start, m.end) for m in chinese], lexicon,
                                      rules)
    chinese += _quoted_mentions(text, masked, taken + [(m.start, m.end) for m in chinese], lexicon, rules, translation)
    if load_name_words().newsroom_role.search(masked):
        chinese += _publications(text, masked, taken + [(m.start, m.end) for m in chinese], lexicon)
    chinese += _speaker_opening_item(text, masked, taken + [(m.start, m.end) for m in chinese], lexicon, rules)
    chinese += _transliterated_speakers(text, masked, taken + [(m.start, m.end) for m in chinese], lexicon, rules)
    chinese += _acronym_named_bodies(text, masked, taken + [(m.start, m.end) for m in chinese], lexicon)
    if "全称" in masked or "全名" in masked:
        chinese += _short_names_of_registered_firms(text, masked, taken + [(m.start, m.end) for m in chinese], lexicon)
    return chinese


def _events_with_their_edition(text: str, masked: str, found: list[Mention], rules: NameRules) -> list[Mention]:
    """A new event's name and where its edition is held after it, as one name (VMworld 2018 + 欧洲,
    as a known event's: _edition); the place read as a name of its own there is dropped."""
    if rules.edition_after is None or not any(m.type == "Event" and not m.known for m in found):
        return found
    out: list[Mention] = []
    reach = 0                   # where the last edition read ends
    for m in found:
        if m.start < reach:
            continue
        where = rules.edition_after.match(masked, m.end) if m.type == "Event" and not m.known else None
        if where is not None and where.end() > m.end:
            m = replace(m, end=where.end(), surface=text[m.start:where.end()],
                        name=m.name + text[m.end:where.end()])
            reach = m.end
        out.append(m)
    return out


_LATIN_AUTHOR = re.compile(r"([A-Z][a-z]+)(?: [A-Z][A-Za-z'’-]+){1,2}")


def _authors_note(text: str, found: list[Mention], lexicon: Lexicon, rules: NameRules) -> list[Mention]:
    """An author's note: an item whose first line is a person's name alone (韦恩·卡特, Amanda
    Brock) goes on about that person, whom it calls by the given name too (韦恩是 Couchbase 的
    工程副总裁, Amanda 围绕开源…): the name on the first line is a person, and so is each later
    given name standing alone."""
    first, _, rest = text.partition("\n")
    name = first.strip()
    dotted_name, undotted_name = _author_line_patterns(rules.transliteration)
    latin = _LATIN_AUTHOR.fullmatch(name)
    dotted = dotted_name.fullmatch(name)
    if not (latin or dotted) and undotted_name.fullmatch(name):
        # written without its dots (詹姆斯贝尔顿): the given name is what the note opens with (詹姆斯)
        shared = next((n for n in range(len(name) - 2, 1, -1) if rest.lstrip().startswith(name[:n])), 0)
        dotted = re.match(f"({name[:shared]})", name) if shared else None
    if not (latin or dotted) or lexicon.lookup(name) or not rest.strip():
        return found
    given = (latin or dotted).group(1)          # type: ignore[union-attr]  # one of them matched
    start = text.index(name)
    out = [m for m in found if not (m.start < start + len(name) and start < m.end)]
    out.append(Mention(start, start + len(name), name, name, "Person", None, False, "person"))
    after = start + len(name)
    if latin:
        spans = [match.span() for match in _latin_given_name(given).finditer(text, after)]
    else:                       # (the given name not inside a longer transliteration)
        spans = list(_standing_alone(text, given, after, rules.transliteration))
    if dotted:                  # ('韦恩·卡特' then 'Wayne 在 Oracle…': the given name in its Latin form)
        opening = _NOTE_OPENING.match(rest)
        if opening and name[0] in transliteration_initials().get(opening.group(1)[0], "") \
                and not lexicon.lookup(opening.group(1)) and not lexicon.is_not_entity(opening.group(1)):
            spans = sorted(spans + [match.span() for match in _latin_given_name(opening.group(1)).finditer(text, after)])
    for hit_start, hit_end in spans:
        # (a given name another finder read as a person of its own, 戴夫 by its family name, or as
        # nothing but a default, Hillel, is the author)
        out = [m for m in out if not (m.start == hit_start and m.end == hit_end and not m.known
                                      and (m.type == "Person" or m.typed_by in WEAKLY_TYPED))]
        if not any(m.start < hit_end and hit_start < m.end for m in out):
            out.append(Mention(hit_start, hit_end, text[hit_start:hit_end], name, "Person", None, False, "person"))
    return sorted(out, key=lambda m: m.start)


def _latin_given_name(given: str) -> re.Pattern:
    """A Latin given name as a word, not the first of a name of two words (Peter, not Peter Pan)."""
    return re.compile(rf"(?<![A-Za-z]){re.escape(given)}(?![A-Za-z]|\s+[A-Z])")


def _standing_alone(text: str, given: str, after: int, letters: frozenset[str]):
    """Where a given name in the characters of transliterations stands after `after`, with no
    such character (nor a name's dot) right before or after it: (start, end) each."""
    at = text.find(given, after)
    while at >= 0:
        end = at + len(given)
        if not (at > 0 and (text[at - 1] in letters or text[at - 1] in "·・")) \
                and not (end < len(text) and (text[end] in letters or text[end] in "·・")):
            yield at, end
        at = text.find(given, at + 1)


@lru_cache(maxsize=2)
def _author_line_patterns(transliteration: frozenset[str]) -> tuple[re.Pattern, re.Pattern]:
    """A transliterated name alone on a line, with its dot (韦恩·卡特) and without (詹姆斯贝尔顿)."""
    letters = re.escape("".join(sorted(transliteration)))
    return re.compile(f"([{letters}]{{2,5}})[·・]([{letters}]{{2,8}})"), re.compile(f"[{letters}]{{4,10}}")


# the Latin given name a note opens with (Peter 是…, Joel 负责…), not a name of two words
_NOTE_OPENING = re.compile(r"\s*([A-Z][a-z]{1,12})(?![A-Za-z])(?!\s+[A-Z])")


_YEAR_BEFORE = re.compile(r"(?<![\d.])(?<![A-Za-z] )(?:19|20)\d\d\s*年?\s*$")     # (not Connect 2024's)


def _latin_led_events(text: str, masked: str, found: list[Mention], lexicon: Lexicon) -> list[Mention]:
    """A gathering named in Latin words before a gathering's word (谷歌 Build with AI 活动, Dev.Together
    2024 会议, TDengine Open Day 技术沙龙, deepin Meetup: name-words.tsv latin-event-word), an Event;
    the one name it may hold is its host, at its start (TDengine); not a known name alone, not words
    that name nothing (a lone common word or acronym: AI 大会), not where a name crosses its edges or an event stands inside."""
    out = found
    gathering = load_name_words().latin_led_event
    for event in gathering.finditer(masked) if has_cjk(text) and may_match(gathering, masked) else ():
        start, run = event.start(), event.group("name")
        end = event.end("head") if event.group("head") else event.end("name")
        if " " not in run and event.group("word"):
            end = event.end("word")         # 'Next.js 会议': one word names a thing, its gathering's name has the word
        name = text[start:end]
        inside = [m for m in out if start <= m.start and m.end <= end]
        if (not re.search("[A-Z]", run) if event.group("word") else not run[0].islower()) \
                or " " not in run and (lexicon.is_not_entity(run) or lexicon.lookup(run) is not None or _all_common(run)
                                       or run.isupper() and len(run) <= 3) \
                or any(m.start < end and start < m.end and not (start <= m.start and m.end <= end) for m in out) \
                or any(m.type == "Event" or m.start > start for m in inside) \
                or any(m.start == start and m.end == end for m in inside):
            continue
        out = sorted([m for m in out if m not in inside] + [Mention(start, end, name, name, "Event", None, False, "gathering")],
                     key=lambda m: m.start)
    return out


def _year_led_events(text: str, masked: str, found: list[Mention]) -> list[Mention]:
    """A gathering named in Chinese script after its year or edition (2024 全球机器学习技术大会,
    第二届移动物联网大会: name-words.tsv event-head), over the names inside it; not where a name
    crosses its edges. After an edition any words name one (第十五届中国航展); after a year alone,
    a generic word does not (2024年公司年会: the firm's)."""
    out, words = found, load_name_words()
    for event in words.year_led_event.finditer(masked) if has_cjk(text) and may_match(words.year_led_event, masked) else ():
        start, end = event.span()
        name = event.group(1).strip()
        if len(name) < 2 or name in words.generic_org_words and not event.group(0).startswith("第") \
                or any(m.start < end and start < m.end and not (start <= m.start and m.end <= end) for m in out) \
                or any(m.start == start and m.end == end for m in out):
            continue
        out = sorted([m for m in out if not (start <= m.start and m.end <= end)]
                     + [Mention(start, end, text[start:end], text[start:end], "Event", None, False, "head")],
                     key=lambda m: m.start)
    return out


def _events_with_what_opens_them(text: str, found: list[Mention]) -> list[Mention]:
    """An event read from a known name and a gathering's words takes in what its name opens
    with: a name in Chinese script right before it ('鲲鹏' + '昇腾开发者大会') and a year
    ('2024年鲲鹏昇腾开发者大会', '2024 RT-Thread 全球技术大会')."""
    if not any(m.type == "Event" for m in found):
        return found
    out: list[Mention] = []
    for m in found:
        if m.type == "Event" and m.typed_by in ("group", "cue", "head") and out and out[-1].end == m.start \
                and out[-1].type != "Event" and is_cjk(text[m.start]) and is_cjk(text[m.start - 1]):
            before = out.pop()          # ('鲲鹏' glued to '昇腾开发者大会')
            m = replace(m, start=before.start, surface=text[before.start:m.end], name=text[before.start:m.end])
        year = _YEAR_BEFORE.search(text, max(0, m.start - 8), m.start) if m.type == "Event" else None
        if year is not None and not re.match(r"(?:19|20)\d\d", m.surface) \
                and not (out and out[-1].end > year.start()):
            m = replace(m, start=year.start(), surface=text[year.start():m.end], name=text[year.start():m.end])
        out.append(m)
    return out


# only 的 between two names: the second is the first's person or thing
_POSSESSIVE = re.compile(r"\s*的\s*$")


def _firms_of_people(text: str, found: list[Mention], lexicon: Lexicon) -> list[Mention]:
    """A name right before 的 and a person's name is the person's firm: a new name nothing but
    the default typed ('ActiveState 的 Bernard Golden'), or a thing the lexicon knows whose
    maker bears its name ('Docker 的 Erica Windisch': Docker Inc.)."""
    out = list(found)
    for index in range(len(found) - 1):
        name, person = found[index], found[index + 1]
        if person.type != "Person" or not _POSSESSIVE.match(text[name.end:person.start]):
            continue
        if not name.known and name.typed_by in WEAKLY_TYPED:
            out[index] = replace(name, type="Company", typed_by="cue")
        elif name.known and name.version is None:
            known = lexicon.lookup(name.name)
            maker = _maker_of_the_same_name(known, lexicon) if known is not None else None
            if maker is not None:
                out[index] = replace(name, name=maker.name, type="Company")
    return out


def _possessives(text: str, found: list[Mention], lexicon: Lexicon) -> list[Mention]:
    """A name, 的 and a name: a firm's person or a firm's thing types the other name."""
    return _things_of_firms(text, _firms_of_people(text, found, lexicon)) if "的" in text else found


def _things_of_firms(text: str, found: list[Mention]) -> list[Mention]:
    """A new name right after a firm's name and 的, nothing else typing it, is the firm's
    product ('Acme 的 Widget'): a firm's own named thing is commercial unless its text says it
    is open ('Acme 的开源 Widget' stays a project)."""
    out = list(found)
    for index in range(1, len(found)):
        firm, thing = found[index - 1], found[index]
        if firm.type == "Company" and not thing.known and thing.typed_by == "default" and thing.type == "Project" \
                and _POSSESSIVE.match(text[firm.end:thing.start]):
            out[index] = replace(thing, type="Product", typed_by="cue")
    return out


# '来自 X 的' right before a person's name: X is where the person works
_COMES_FROM = re.compile("来自([\u4e00-\u9fff]{2,8}?)的\\s*$")


def _where_people_come_from(text: str, masked: str, chinese: list[Mention], taken, lexicon: Lexicon) -> list[Mention]:
    """A firm or body in Chinese script that a person comes from (来自趣游的杜玉杰): a word of
    its own, which jieba's dictionary does not hold as a place or a common word; a body when
    it ends as one (organization-suffix), else a firm."""
    found: list[Mention] = []
    words = load_name_words()
    for person in (m for m in chinese if m.type == "Person"):
        came = _COMES_FROM.search(masked, max(0, person.start - 12), person.start)
        if came is None:
            continue
        start, end = came.span(1)
        name = text[start:end]
        if any(s < end and start < e for s, e in taken) or lexicon.lookup(name) or lexicon.is_not_entity(name) \
                or _jieba(lexicon).has_word(name) or _names_no_one(name, lexicon, tagged_body=True):
            continue
        kind = "Organization" if words.organization_suffix.search(name) else "Company"
        found.append(Mention(start, end, name, name, kind, None, False, "cue"))
    return found


# a stretch of Chinese script between the 、 of a list (or before its first, after its last, or
# after the 和 that joins its last)
_LIST_MEMBER_RE = re.compile(r"[\u4e00-\u9fff]{2,16}(?=、)|(?<=、)[\u4e00-\u9fff]{2,16}"
                             r"|(?<=[和与及])(?P<joined>[\u4e00-\u9fff]{2,16})")


def _list_mates(text: str, masked: str, found: list[Mention], lexicon: Lexicon) -> list[Mention]:
    """The members of a 、 list that name bodies or firms as a known member does
    ('国家网信办、工业和信息化部、公安部联合发布': 公安部 beside the ministry the lexicon knows):
    a member that ends as a body's name (organization-suffix) beside an organization, or as a
    firm's (firm-ending) beside a company, is one too. The first member starts after the words
    no name starts with; the last ends at its first such ending."""
    words = load_name_words()
    kinds = {m.type for m in found if m.type in ("Organization", "Company") and _in_a_list(text, m)}
    partnered = words.partner_verb.search(masked) is not None
    if not kinds and not partnered:
        return []
    taken = [(m.start, m.end) for m in found]
    mates: list[Mention] = []
    for stretch in _LIST_MEMBER_RE.finditer(masked):
        start, end = stretch.span()
        kinds_here = kinds
        if partnered:       # a list after 携手 is one of partners, bodies or firms ('A 携手 B实验室、C中心')
            clause = max(masked.rfind(mark, 0, start) for mark in "，,。；;：:") + 1
            verb = next((v for v in words.partner_verb.finditer(masked, clause, end) if v.end() <= end), None)
            if verb is not None:
                kinds_here = kinds | {"Organization", "Company"}
                start = max(start, verb.end())
        if not kinds_here or any(s < end and start < e for s, e in taken):
            continue
        if stretch.group("joined") and not any(m.end == start - 1 and _in_a_list(text, m) for m in found):
            continue                # (A、B和C: C, after a member the list holds; not any word after 和)
        if text[end:end + 1] != "、":                       # the last member: up to its first ending
            ending = next((cut for cut in range(start + 2, end + 1) if _body_or_firm(text[start:cut], words)), None)
            if ending is None:
                continue
            end = ending
        lead = words.list_lead.match(text, start, end)     # (包括赫斯特媒体公司、…: 赫斯特媒体公司)
        if lead and end - lead.end() >= 2:
            start = lead.end()
        name = text[start:end]
        kind = _body_or_firm(name, words)
        if kind not in kinds_here or any(ch in words.not_in_name for ch in name) or lexicon.is_not_entity(name) \
                or all(piece in words.generic_org_words for piece in _generic_pieces(name, words.generic_org_words)):
            continue
        mates.append(Mention(start, end, name, name, kind, None, False, "list"))
    return mates


# the clause a list stands in ends at one of these, looking back from the word that closes it
_LIST_CLAUSE_START = re.compile(r".*[，,。；;：:！？!?\n（(）)“”\"]", re.S)
# jieba's tags of the words that may stand before a list's first member and are no part of it
# (先后从大众汽车、…; 已获得小米、…): verbs, prepositions, adverbs, conjunctions, particles
_LEAD_TAGS = ("v", "p", "d", "c", "u", "r", "m", "q", "t", "f")


def _closed_list_members(text: str, masked: str, found: list[Mention], lexicon: Lexicon,
                         rules: NameRules) -> list[Mention]:
    """The members of a 、 list that a word after it closes and types (甲、乙、丙等投资者: each a
    firm; type-cues.tsv's after-list rows) are names of that type, known or not: a member in
    Chinese script that no found name covers is one, and one the tagger read only part of
    (启明 of 启明创投) is the whole member. The first member starts where the tagger's name in it
    does, or after the verbs and prepositions before it (从, 获得) as jieba tags them."""
    words = load_name_words()
    out = list(found)
    for close in re.finditer("等", masked):
        kind = cue_type(text, close.start(), close.start(), rules.after_list)
        if kind is None:
            continue
        opening = _LIST_CLAUSE_START.match(masked, max(0, close.start() - 80), close.start())
        clause_start = opening.end() if opening else max(0, close.start() - 80)
        parts = _list_member_spans(masked, clause_start, close.start(), last_joined=False)
        if len(parts) < 2:
            continue
        for number, (start, end) in enumerate(parts):
            inside = [m for m in out if m.start < end and start < m.end]
            partial = [m for m in inside if m.typed_by == "tagger" and start <= m.start and m.end <= end]
            if number == 0:
                start = partial[-1].start if partial else _start_after_lead_words(masked, start, end, lexicon)
                inside = [m for m in inside if start < m.end]
                partial = [m for m in partial if start <= m.start]
            if any(m not in partial for m in inside):
                continue
            name = text[start:end]
            if not _may_name_a_member(name, words, lexicon) or name[0] in words.not_name_start \
                    or _names_no_one(name, lexicon) or _common_nouns(name, lexicon):
                continue
            out = [m for m in out if m not in partial]
            out.append(Mention(start, end, name, name, kind, None, False, "closed-list"))
    return sorted(out, key=lambda m: m.start)


_LAST_JOINER = re.compile(r"\s*(?:以及|和|与|及)\s*")
_LATIN_MEMBER = re.compile(r"[A-Z][\w.+&$-]*(?: [A-Z][\w.+&$-]*){0,2}")
# jieba's tags of a proper noun: a person's, a place's, a body's or another name
_PROPER_TAGS = ("nr", "ns", "nt", "nz")


def _opened_list_members(text: str, masked: str, found: list[Mention], lexicon: Lexicon,
                         rules: NameRules) -> list[Mention]:
    """The members of a 、 list that a kind before it opens and types (它的客户包括甲、乙、Acme 和
    ZTV: each a firm; type-cues.tsv's before-list rows) are names of that type where no name was
    found: a capitalized Latin word or three, or Chinese script with a word jieba tags as a
    proper noun (联邦快递, 穆迪; not 大型银行). A list of one is no list."""
    out = list(found)
    words = load_name_words()
    for opener in words.list_opener.finditer(masked):
        kind = cue_type(text, opener.end(), opener.end(), rules.before_list)
        close = words.list_closer.search(masked, opener.end())
        end = close.start() if close else len(masked)
        if kind is None or "、" not in masked[opener.end():end] and not _LAST_JOINER.search(masked, opener.end(), end):
            continue
        members = _list_member_spans(masked, opener.end(), end)
        named = [(start, stop, [m for m in out if m.start < stop and start < m.end]) for start, stop in members]
        new = {(start, stop): _member_name_start(text, start, stop, lexicon) for start, stop, inside in named if not inside}
        if len(members) < 2 or 2 * sum(1 for at in new.values() if at is None) > len(members):
            continue            # (a list of common words, a name among them, is no list of names: 如 NLP、翻译和计算机视觉)
        for start, stop, inside in named:
            if inside:          # (a name found there that nothing better typed takes the list's type; a body stays one)
                out = [replace(m, type=kind, typed_by="cue") if m in inside and m.typed_by in WEAKLY_TYPED
                       and _body_or_firm(m.name, words) != "Organization" else m for m in out]
            elif (at := new[(start, stop)]) is not None:        # (a body's name stays a body's: 欧洲航天局)
                body = "Organization" if _body_or_firm(text[at:stop], words) == "Organization" else kind
                out.append(Mention(at, stop, text[at:stop], text[at:stop], body, None, False, "opened-list"))
    return sorted(out, key=lambda m: m.start)


def _list_member_spans(masked: str, start: int, end: int, last_joined: bool = True) -> list[tuple[int, int]]:
    """The spans of a list's members between start and end, white space trimmed: cut at 、, and
    when last_joined the last at 和/与/及/以及 too."""
    spans, at = [], start
    pieces = masked[start:end].split("、")
    for number, piece in enumerate(pieces):
        last = _LAST_JOINER.search(piece) if last_joined and number == len(pieces) - 1 else None
        parts = [(at, at + last.start()), (at + last.end(), at + len(piece))] if last else [(at, at + len(piece))]
        for s, e in parts:
            while s < e and masked[s].isspace():
                s += 1
            while e > s and masked[e - 1].isspace():
                e -= 1
            spans.append((s, e))
        at += len(piece) + 1
    return spans


def _member_name_start(text: str, start: int, end: int, lexicon: Lexicon) -> int | None:
    """Where the name starts in a list member no finder read, or None when it holds none:
    capitalized Latin words, or 2 to 12 characters of Chinese script from its first word that
    jieba tags a proper noun, only the kind of firm it is before that (name-words.tsv firm-kind:
    零售商梅西百货: 梅西百货; not 大型银行, 短距全固态激光雷达)."""
    member = text[start:end]
    if _LATIN_MEMBER.fullmatch(member):
        return None if lexicon.is_not_entity(member) else start
    words = load_name_words()
    if not _may_name_a_member(member, words, lexicon):
        return None
    offset = start
    for word, tag in _jieba(lexicon).tag(member):
        if tag.startswith(_PROPER_TAGS):        # (only the kind of firm it is before it: 零售商梅西百货)
            lead = text[start:offset]
            return offset if end - offset >= 2 and text[offset] not in words.not_name_start \
                and (not lead or words.firm_kind.fullmatch(lead)) else None
        offset += len(word)
    return None


def _may_name_a_member(member: str, words: NameWords, lexicon: Lexicon) -> bool:
    """Whether a list member in Chinese script may be a name: 2 to 12 characters of it, none that no
    name holds (的, 是), no word not-entities.txt lists."""
    return 2 <= len(member) <= 12 and all(is_cjk(ch) for ch in member) \
        and not any(ch in words.not_in_name for ch in member) and not lexicon.is_not_entity(member)


def _common_nouns(name: str, lexicon: Lexicon) -> bool:
    """Whether jieba reads a name as common nouns only (空气炸锅, 银行): a kind, not a name."""
    return all(tag in ("n", "vn") for _, tag in _jieba(lexicon).tag(name))


def _start_after_lead_words(masked: str, start: int, end: int, lexicon: Lexicon) -> int:
    """Where a name ends a stretch of words starts (a list's first member before its first 、,
    a hyphenated firm's first part): after the last word jieba tags as a verb, preposition,
    adverb or particle (先后从大众汽车: 大众汽车; 比洛克希德: 洛克希德)."""
    offset, cut = start, start
    for word, tag in _jieba(lexicon).tag(masked[start:end]):
        offset += len(word)
        if tag.startswith(_LEAD_TAGS) or not all(is_cjk(ch) for ch in word):
            cut = offset
    return cut


# a 、 within a list member's reach of a name, with no clause mark between (A分会、B联盟; not 协会：甲、乙)
_NOT_CLAUSE_MARK = r"[^，,。；;：:！？!?\n]"
_LIST_MARK_AFTER = re.compile(_NOT_CLAUSE_MARK + "{0,16}、")
_LIST_MARK_BEFORE = re.compile("、" + _NOT_CLAUSE_MARK + "{0,16}$")


def _in_a_list(text: str, mention: Mention) -> bool:
    """Whether a 、 list holds the mention: a 、 follows it, or stands before it, in the same clause."""
    return _LIST_MARK_AFTER.match(text, mention.end) is not None \
        or _LIST_MARK_BEFORE.search(text, max(0, mention.start - 17), mention.start) is not None


def _body_or_firm(name: str, words: NameWords) -> str | None:
    """Organization for a name that ends as a body's (organization-suffix), Company for one that
    ends as a firm's (firm-ending), None for any other."""
    return "Organization" if words.organization_suffix.search(name) else \
        "Company" if words.firm_ending.search(name) else None


def _linked_bodies(text: str, taken: list[tuple[int, int]], linked: frozenset[tuple[int, int]]) -> list[Mention]:
    """A link's Chinese text that ends in a body's or firm's last word names that body or firm
    ('[云原生计算基金会](…)', '[开放核心风险投资](…)'): the writer linked a name, not a phrase, when
    it holds none of the characters a name never holds (的, 了, 是) and is not only kind words."""
    if not linked:
        return []
    words = load_name_words()
    found = []
    for start, end in sorted(linked):
        surface = text[start:end].strip()
        if not 3 <= len(surface) <= 16 or not has_cjk(surface) or surface[0] in words.not_name_start \
                or any(ch in words.not_in_name for ch in surface) \
                or any(a < end and start < b for a, b in taken):
            continue                        # (a name found in Chinese script inside it gives way)
        if words.organization_suffix.search(surface):
            kind = "Organization"
        elif words.firm_ending.search(surface) or re.search(f"(?:{words.firm_suffix.pattern})$", surface):
            kind = "Company"
        else:
            continue
        if all(piece in words.generic_org_words for piece in _generic_pieces(surface, words.generic_org_words)):
            continue                        # '[开源社区](…)', '[科技公司](…)': kind words only
        found.append(Mention(start, start + len(text[start:end].rstrip()), surface, surface, kind, None, False, "link"))
    return found


def _generic_pieces(surface: str, generic: frozenset[str]) -> list[str]:
    """The surface cut into the generic words it is made of, longest first; a piece that is no
    generic word is returned as it is (so that the caller sees the name is more)."""
    pieces, at = [], 0
    ordered = sorted(generic, key=len, reverse=True)
    while at < len(surface):
        word = next((w for w in ordered if surface.startswith(w, at)), None)
        if word is None:
            return [surface[at:]]
        pieces.append(word)
        at += len(word)
    return pieces


def _cut_at_links(text: str, mentions: list[Mention], linked: frozenset[tuple[int, int]]) -> list[Mention]:
    """A name in Chinese script that starts where a link's text starts ends where it ends: the
    writer linked the name ('首席执行官[盛亮](…)在…' names 盛亮, not 盛亮在)."""
    if not linked:
        return mentions
    ends = dict(linked)
    out = []
    for m in mentions:
        end = ends.get(m.start)
        if end is not None and m.start + 2 <= end < m.end and not m.known:
            surface = text[m.start:end]
            m = replace(m, end=end, surface=surface, name=surface if m.name == m.surface else m.name)
        out.append(m)
    return out


def link_mentions(link_text: str, url: str, lexicon: Lexicon, rules: NameRules | None = None) -> list[Mention]:
    """A link's text names a project when it is one lowercase word linking to a code host
    ([dwarf](https://github.com/...)); otherwise nothing beyond what the entry text gives."""
    if re.match(r"\s*(?:https?:|www\.)", link_text) or link_text.strip() == url:
        return []
    name = link_text.strip().rsplit("/", 1)[-1]
    if re.search(r"\.(?:rst|md|txt|html?|py|json|ya?ml|png|pdf)$", name):
        return []
    if re.fullmatch(r"[a-z][a-z0-9]*(?:[-.][a-z0-9]+)*", name) and len(name) >= 3 \
            and load_name_words().code_host.match(url) and not lexicon.is_not_entity(name):
        return [Mention(0, len(link_text), link_text.strip(), name, "Project", None, False, "cue")]
    return []


def _inside_a_transliteration(text: str, start: int, surface: str) -> bool:
    """Whether a person's name in Chinese script stands right after a character of transliterations
    (拉隆德 in 埃拉隆德): part of another name, not the person's."""
    return start > 0 and is_cjk(surface[0]) and text[start - 1] in load_name_rules().transliteration


def _glued(text: str, start: int, end: int) -> bool:
    """Whether a span is part of a longer Latin word (Fresh in Freshness, in fresh.deno.dev)."""
    before = text[start - 1] if start else ""
    after = text[end:end + 2]
    return bool(before and (before.isascii() and (before.isalnum() or before in "._-"))) or \
        bool(after[:1] and after[:1].isascii() and (after[:1].isalnum() or after[:1] in "_-"
                                                    or (after[:1] == "." and after[1:2].isalnum())))


def _word_goes_on(text: str, end: int) -> bool:
    """Whether a Chinese word goes on after end: a character of Chinese script follows that ends no
    word (name-words.tsv word-boundary: 云平台, 云计算; not 云的, 云和)."""
    return end < len(text) and is_cjk(text[end]) and text[end] not in load_name_words().word_boundaries


def names_of_the_post(texts: list[str], found: list[list[Mention]], lexicon: Lexicon | None = None,
                      translation: bool = False) -> list[list[Mention]]:
    """One name per post: a new name that one entry's context typed (a link's text, a cue, a
    head word, a person's name, the tagger) is that name wherever else the post writes it, where
    nothing but its own words stands ('[Fresh](…)' in one entry, 'Fresh' alone in another;
    货拉拉公司 in one sentence, 货拉拉创始人 in another), and a longer such name replaces the
    known names inside it ('Deno Deploy' over 'Deno'). A Chinese name of two characters counts
    only when jieba's dictionary does not hold it (智元, not 转转). A firm named as its web address
    (Solo.io) is that firm where the post writes the name alone (Solo)."""
    found = _transliterations_as_written_elsewhere(_without_concepts_glossed(texts, found))
    named: dict[str, Mention] = {}
    for mentions in found:
        for m in mentions:
            domain = _DOMAIN_NAME.fullmatch(m.surface) if m.type == "Company" else None
            if domain is not None:          # Solo.io, then Solo: the same firm
                named.setdefault(domain.group(1), replace(m, surface=domain.group(1)))
            if not m.known and m.typed_by not in ("default", "post") and _named_again(m, lexicon, translation):
                named.setdefault(m.surface, m)
                short = _short_name(m.surface, lexicon) if m.type == "Company" and lexicon is not None else ""
                if short:       # 北京小雨智造科技有限公司, then 小雨智造: the same firm
                    named.setdefault(short, replace(m, surface=short))
    for family, person in _family_names_alone(found, lexicon).items():
        named.setdefault(family, person)
    for given, person in _given_names_alone(found, lexicon).items():
        named.setdefault(given, person)
    translated = _names_with_their_kind_translated(found)
    for written, thing in translated.items():
        named.setdefault(written, thing)
    if not named:
        return found
    return named_elsewhere(texts, found, named, frozenset(translated))


def _without_concepts_glossed(texts: list[str], found: list[list[Mention]]) -> list[list[Mention]]:
    """An acronym the post glosses in brackets after a concept in Chinese (应用性能管理(APM), 云工作负载
    保护平台(CWPP): name-words.tsv concept-head) is a term, no name, wherever the post writes it, unless the
    lexicon knows it or something around it typed it."""
    gloss = load_name_words().concept_gloss
    terms = {match.group(1) for text in texts if "(" in text or "（" in text for match in gloss.finditer(text)}
    if not terms:
        return found
    return [[m for m in mentions if m.known or m.surface not in terms or m.typed_by not in WEAKLY_TYPED]
            for mentions in found]


def _names_with_their_kind_translated(found: list[list[Mention]]) -> dict[str, Mention]:
    """A product's Latin name whose last word is a kind the post may translate (Calico Cloud: 云,
    name-words.tsv translated-kind), written with the translation: 'Calico 云', 'Calico云' -> the
    product the post names in English."""
    kinds = load_name_words().translated_kinds
    out: dict[str, Mention] = {}
    for mentions in found:
        for m in mentions:
            words = m.name.split()
            if len(words) < 2 or m.type not in ("Product", "Project") or words[-1] not in kinds or not m.name.isascii():
                continue
            stem = " ".join(words[:-1])
            for translated in kinds[words[-1]]:
                for written in (f"{stem} {translated}", f"{stem}{translated}"):
                    out.setdefault(written, replace(m, surface=written))
    return out


def _transliterations_as_written_elsewhere(found: list[list[Mention]]) -> list[list[Mention]]:
    """A transliterated name read with a character of the words around it, which the post writes
    without it elsewhere (谁比安迪·沃霍尔更能…, 问安迪·沃霍尔什么: 安迪·沃霍尔), as the post writes it."""
    written = {m.surface for mentions in found for m in mentions if m.type == "Person" and _NAME_DOT_RE.search(m.surface)}
    if len(written) < 2:
        return found

    def trimmed(m: Mention) -> Mention:
        if m.type != "Person" or m.known or m.surface not in written:
            return m
        if m.surface[1:] in written:
            return replace(m, start=m.start + 1, surface=m.surface[1:], name=m.surface[1:])
        if m.surface[:-1] in written:
            return replace(m, end=m.end - 1, surface=m.surface[:-1], name=m.surface[:-1])
        return m
    return [[trimmed(m) for m in mentions] for mentions in found]


def _family_names_alone(found: list[list[Mention]], lexicon: Lexicon | None) -> dict[str, Mention]:
    """The family name of each person the post names in transliteration (克里斯·拉隆德: 拉隆德),
    as that person where it stands alone (拉隆德曾在…); not a family name two people of the post
    share, nor one the lexicon or jieba's dictionary holds as a word."""
    families: dict[str, dict[str, Mention]] = {}
    for mentions in found:
        for m in mentions:
            parts = _NAME_DOT_RE.split(m.surface) if m.type == "Person" and has_cjk(m.surface) else []
            if len(parts) >= 2 and len(parts[-1]) >= 2 and all(is_cjk(ch) for ch in parts[-1]):
                families.setdefault(parts[-1], {})[m.name] = m
    return _each_alone(families, lexicon)


def _each_alone(people: dict[str, dict[str, Mention]], lexicon: Lexicon | None) -> dict[str, Mention]:
    """Each part of a name (a family or given name -> the people whose names hold it) that names one
    person of the post, as that person's mention written so; not a part the lexicon knows, nor one in
    Chinese script that jieba's dictionary holds as a word."""
    return {part: replace(next(iter(them.values())), surface=part) for part, them in people.items()
            if len(them) == 1 and not (lexicon is not None and (lexicon.lookup(part) or lexicon.is_not_entity(part)
                                                                 or has_cjk(part) and _a_common_word(part, lexicon)))}


_LATIN_PERSON = re.compile(r"([A-Z][a-z]{2,})(?: [A-Z][A-Za-z'’-]+){1,2}")


def _given_names_alone(found: list[list[Mention]], lexicon: Lexicon | None) -> dict[str, Mention]:
    """The given name of each person the post names in Latin script (Nicolas Hourcard: Nicolas: one of
    the lexicon's lists of given names) or in transliteration (丹尼尔·里德尔: 丹尼尔, three characters
    or more), as that person where it stands alone, as an author's note writes it (Nicolas 是…,
    丹尼尔是…); not a given name two people of the post share, one the lexicon knows, or a word."""
    people: dict[str, dict[str, Mention]] = {}
    rules = load_name_rules()
    for mentions in found:
        for m in mentions:
            if m.type != "Person":
                continue
            written = _LATIN_PERSON.fullmatch(m.surface)
            if written is not None and (written.group(1) in rules.given_names or written.group(1) in rules.world_given_names):
                people.setdefault(written.group(1), {})[m.name] = m
            parts = _NAME_DOT_RE.split(m.surface) if has_cjk(m.surface) else []
            if len(parts) >= 2 and len(parts[0]) >= 3 and all(is_cjk(ch) for ch in parts[0]):
                people.setdefault(parts[0], {})[m.name] = m         # (丹尼尔·里德尔: 丹尼尔)
    return _each_alone(people, lexicon)


def named_elsewhere(texts: list[str], found: list[list[Mention]], named: dict[str, Mention],
                    word_ends: frozenset[str] = frozenset()) -> list[list[Mention]]:
    """Each surface of named as its mention wherever the post's texts write it, where nothing but
    its own words stands; a mention inside it gives way, one it is inside stays. A surface of
    word_ends only where a word ends with it (Calico 云 of Calico 云的, not of Calico 云平台)."""
    surfaces = sorted(named, key=len, reverse=True)        # the longest first: it takes its words
    joined = "\n".join(texts)                               # one search a name, not one a name and entry
    offsets = [0]
    for text in texts[:-1]:
        offsets.append(offsets[-1] + len(text) + 1)
    hits: dict[int, list[tuple[int, int, str]]] = {}
    for surface in surfaces:
        at = joined.find(surface)
        while at >= 0:
            number = bisect_right(offsets, at) - 1
            start = at - offsets[number]
            hits.setdefault(number, []).append((start, start + len(surface), surface))
            at = joined.find(surface, at + len(surface))
    out = []
    for number, (text, mentions) in enumerate(zip(texts, found, strict=True)):
        added: list[Mention] = []
        taken: list[tuple[int, int]] = []       # the spans added, in text order (a post may repeat a name
        dropped: set[int] = set()               # tens of thousands of times: bisect, never a scan)
        starts, ends = [m.start for m in mentions], [m.end for m in mentions]     # (sorted, not overlapping)
        for start, end, surface in hits.get(number, ()):
            at = bisect_right(taken, (start, end))
            if _glued(text, start, end) or surface in word_ends and _word_goes_on(text, end) \
                    or at and taken[at - 1][1] > start or at < len(taken) and taken[at][0] < end \
                    or named[surface].type == "Person" and _inside_a_transliteration(text, start, surface):
                continue
            inside = range(bisect_right(ends, start), bisect_left(starts, end))
            if any(mentions[i].start < start or mentions[i].end > end for i in inside):
                continue                        # part of a longer mention: that one stands
            if inside and all(mentions[i].start == start and mentions[i].end == end
                              and (mentions[i].name == named[surface].name or mentions[i].typed_by not in WEAKLY_TYPED)
                              for i in inside):
                continue                        # already this mention, or a surer one ('Thibaut' a default made a project)
            dropped.update(inside)
            taken.insert(at, (start, end))
            added.append(replace(named[surface], start=start, end=end, typed_by="post"))
        if added:
            mentions = sorted([m for i, m in enumerate(mentions) if i not in dropped] + added, key=lambda m: m.start)
        out.append(mentions)
    return out


_REGISTERED_ENDING = re.compile("(?:有限责任公司|股份有限公司|有限公司)$")
_DOMAIN_NAME = re.compile(r"([A-Z][A-Za-z0-9-]{2,})\.(?:io|ai|com|co|dev|app|sh|cloud)")      # a firm named as its web address


def _short_name(name: str, lexicon: Lexicon) -> str:
    """The name a firm's registered Chinese name is known by: without the place before it, the
    trade words and the ending after it (北京小雨智造科技有限公司: 小雨智造); '' when there is
    none or it is a known name or a word of jieba's dictionary."""
    ending = _REGISTERED_ENDING.search(name)
    if ending is None:
        return ""
    words = load_name_words()
    pieces = _jieba(lexicon).tag(name[:ending.start()])
    if pieces and pieces[0][1] in ("ns", "nr") and 2 <= len(pieces[0][0]) <= 3:
        pieces = pieces[1:]
    while pieces and (words.firm_ending.fullmatch(pieces[-1][0]) or pieces[-1][0] in words.trade_words):
        pieces = pieces[:-1]
    short = "".join(piece for piece, _ in pieces)
    if len(short) < 2 or not all(is_cjk(ch) for ch in short) or lexicon.lookup(short) or _jieba(lexicon).has_word(short):
        return ""
    return short


# how a Chinese-script name was read for the post to read it again elsewhere: by the tagger or a
# list, not in a link or as a person's transliteration (a translation's names merge with their
# English forms by other ways: kg.resolve)
_READ_AGAIN = frozenset({"tagger", "cue", "list", "closed-list", "opened-list", "hyphenated"})


def _named_again(mention: Mention, lexicon: Lexicon | None, translation: bool = False) -> bool:
    """Whether a new name may be read wherever else its post writes it: a Latin one of three
    characters or more; a firm's or body's in Chinese script that the tagger or a list read, of
    three characters or more, or of two that jieba's dictionary does not hold (a person's
    bracketed other name joins only the mention it follows: 陈立武（Tan Lip-Bu）); in a translation,
    no thing named by one common word (控制器, 构造函数: a translated term, each time the post uses it;
    a firm so named stays: 天文学家, Astronomer)."""
    surface = mention.surface
    if surface.isascii():
        return len(surface) >= 3 and _LETTER_RE.search(surface) is not None
    if lexicon is None or not all(is_cjk(ch) for ch in surface) or len(surface) < 2 \
            or mention.typed_by not in _READ_AGAIN or mention.type == "Person":
        return False
    if translation and mention.type in ("Product", "Project") and _a_common_word(surface, lexicon):
        return False
    return len(surface) >= 3 or not _jieba(lexicon).has_word(surface)


def _spelled(name: str) -> str:
    """A name as a web address spells it: lowercase letters and digits only."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


def named_by_their_links(found: list[list[Mention]], links: list, lexicon: Lexicon,
                         texts: list[str] | None = None) -> list[list[Mention]]:
    """A name in Chinese script whose link's address spells a name is that name: '[开放核心风险投资]
    (https://opencoreventures.com/)' is Open Core Ventures, written so elsewhere in the post;
    '[云本地计算基金会](https://www.cncf.io/)' is CNCF, which the lexicon knows. A linked Chinese word
    whose address spells a firm or thing the lexicon knows names it, linked or not, wherever the
    post's texts write it ('[时标](https://www.timescale.com/)', then 时标推出了…: Timescale).
    links: each entry's links (text and url)."""
    found = _latin_names_linked_to_their_pages(found, links)
    spelled_names = _linked_words_spelled_by_address(links, lexicon) if texts is not None else {}
    spelled_names |= (_people_by_their_pages(links, lexicon) | _names_rejoined_by_their_pages(links)) \
        if texts is not None else {}
    common = {text: m for text, m in spelled_names.items() if _jieba(lexicon).has_word(text)}
    if common and texts is not None:            # a common word (时标: 'time scale') names it only in its paragraph
        found = _named_where_linked(texts, found, links, common)
        spelled_names = {text: m for text, m in spelled_names.items() if text not in common}
    if not spelled_names and not any(m.typed_by == "link" and has_cjk(m.surface) for mentions in found for m in mentions):
        return found                    # (only a linked name in Chinese script is read so)
    latin = {_spelled(m.name): m for mentions in found for m in mentions
             if m.name.isascii() and len(_spelled(m.name)) >= 4 and m.typed_by not in WEAKLY_TYPED}
    bodies = {"Company", "Organization"}
    out = []
    for mentions, entry_links in zip(found, links, strict=True):
        urls = {link.text: link.url for link in entry_links}
        renamed = []
        for m in mentions:
            url = urls.get(m.surface) if m.typed_by == "link" and has_cjk(m.surface) and m.type != "Person" else None
            spelled = _spelled_by_address(url)
            known = lexicon.lookup(spelled) if spelled else None
            if known is not None and (known.type == m.type or {known.type, m.type} <= bodies):
                m = replace(m, name=known.name, type=known.type, known=True)
            elif spelled in latin:
                m = replace(m, name=latin[spelled].name, type=latin[spelled].type)
            renamed.append(m)
        out.append(renamed)
    return named_elsewhere(texts, out, spelled_names) if texts is not None and spelled_names else out


_HOME_PAGE = re.compile(r"https?://[A-Za-z0-9.-]+/?", re.I)


def _named_where_linked(texts: list[str], found: list[list[Mention]], links: list,
                        named: dict[str, Mention]) -> list[list[Mention]]:
    """The linked words of named as their mentions in the paragraphs that link them."""
    out = []
    for text, mentions, entry_links in zip(texts, found, links, strict=True):
        here = {link.text.strip(): named[link.text.strip()] for link in entry_links if link.text.strip() in named}
        out.append(named_elsewhere([text], [mentions], here)[0] if here else mentions)
    return out


def _spelled_by_address(url: str | None) -> str | None:
    """The name a link's address spells (https://www.timescale.com/: timescale), unless the host
    serves many names (name-words.tsv shared-host: github.com)."""
    host = re.match(r"https?://(?:www\.)?([a-z0-9.-]+)", url or "", re.I)
    if host is None or load_name_words().shared_host.search(host.group(0)):
        return None
    return next((label for label in host.group(1).lower().split(".")[:-1] if len(label) >= 3), None)


def _profile_links(entry_links) -> list[tuple[str, str]]:
    """(text, the address after the profile site's part) of each of an entry's links to one
    person's profile (name-words.tsv person-page: linkedin.com/in/)."""
    pages = load_name_words().person_page
    return [(link.text.strip(), link.url.strip()[page.end():]) for link in entry_links
            if (page := pages.match(link.url.strip())) is not None]


_TWO_OR_THREE_NAMES = re.compile(r"[A-Z][a-z]+(?:[-'][A-Za-z]+)?(?: [A-Z][a-z]+(?:[-'][A-Za-z]+)?){1,2}")


def _latin_names_linked_to_their_pages(found: list[list[Mention]], links: list) -> list[list[Mention]]:
    """A new Latin name of two or three capitalized words that links a person's profile
    (name-words.tsv person-page) is that person ('[Window Snyder](https://www.linkedin.com/in/…)'),
    whatever a default or its link's text alone typed it; not a name its own last word types
    (Azul Systems)."""
    out = []
    for mentions, entry_links in zip(found, links, strict=True):
        people = {text for text, _ in _profile_links(entry_links)}
        out.append([replace(m, type="Person", typed_by="person")
                    if m.surface in people and not m.known and m.type != "Person" and m.typed_by in ("default", "link")
                    and _TWO_OR_THREE_NAMES.fullmatch(m.surface) else m for m in mentions] if people else mentions)
    return out


_PAGE_NAME = re.compile(r"[A-Za-z][a-z]+(?: [A-Za-z][a-z]+){1,3}")


def _names_rejoined_by_their_pages(links: list) -> dict[str, Mention]:
    """A person's name a translation wrote apart in lowercase pieces, linked to the person's
    profile whose address spells it whole ('[Pere monc lus](https://www.linkedin.com/in/pere-monclus-…)',
    '[thi baut Gourdel](https://www.linkedin.com/in/thibautgourdel/)'): that person, named as the
    address spells them (Pere Monclus, Thibaut Gourdel), wherever the post writes it so, and where it
    writes a given name that was written apart, so or whole ('thi baut 自 2017 年起…', 'Thibaut 的…')."""
    people: dict[str, Mention] = {}
    for entry_links in links:
        for text, profile in _profile_links(entry_links):
            parts = _name_parts_rejoined(text, profile.split("/")[0])
            if parts is None:
                continue
            person = Mention(0, len(text), text, " ".join(whole for _, whole in parts), "Person", None, False, "person")
            people[text] = person
            written, given = parts[0]
            if " " in written:          # (a given name written apart: its pieces and its whole are the person)
                for surface in (written, given):
                    people.setdefault(surface, replace(person, end=len(surface), surface=surface))
    return people


def _name_parts_rejoined(text: str, slug: str) -> list[tuple[str, str]] | None:
    """(as written, whole) for each word of a name written apart in lowercase pieces that the
    profile's address (slug) spells: a word starts at each capitalized piece after the first, or,
    failing one, after the first piece ('thi baut Gourdel': 'thi baut' Thibaut, Gourdel; 'Pere monc
    lus': Pere, 'monc lus' Monclus); None for a name written whole or one the address does not spell."""
    pieces = text.split()
    if not _PAGE_NAME.fullmatch(text) or all(piece[0].isupper() for piece in pieces):
        return None
    spelled, rest = re.sub(r"[^a-z]", "", slug.lower()), "".join(pieces[1:]).lower()
    if not (spelled.startswith("".join(pieces).lower()) or len(rest) >= 4 and rest in spelled
            and spelled.startswith(pieces[0][0].lower())):
        return None
    starts = [i for i, piece in enumerate(pieces) if i and piece[0].isupper()] or [1]
    words = [pieces[a:b] for a, b in zip([0, *starts], [*starts, len(pieces)], strict=True)]
    return [(" ".join(word), word[0] if len(word) == 1 and word[0][0].isupper() else "".join(word).capitalize())
            for word in words]


def _people_by_their_pages(links: list, lexicon: Lexicon) -> dict[str, Mention]:
    """Each linked text in Chinese script that links a person's profile (name-words.tsv
    person-page) and reads as a transliterated name, two to eight of its characters
    ('[马泰奥梅里](https://www.linkedin.com/in/…)'), as a mention of that person."""
    rules = load_name_rules()
    people: dict[str, Mention] = {}
    for entry_links in links:
        for text, _ in _profile_links(entry_links):
            if 2 <= len(text) <= 8 and all(is_cjk(ch) for ch in text) \
                    and sum(ch in rules.transliteration for ch in text) >= len(text) - 1 \
                    and not (rules.role_words is not None and next(rules.role_words.iter(text), None)) \
                    and getattr(lexicon.lookup(text), "type", "Person") == "Person":
                people[text] = Mention(0, len(text), text, text, "Person", None, False, "person")
    return people


def _linked_words_spelled_by_address(links: list, lexicon: Lexicon) -> dict[str, Mention]:
    """Each linked word in Chinese script (two to eight characters) whose address is the home page
    of a firm, body, product or project the lexicon knows (its address spells the name, and no
    path follows: https://www.timescale.com/), as a mention of that known thing; not a link to
    an article ('[宣布](https://news.example.com/2013/12/16/…)'), nor a role or words that hold a
    function word ('[副总裁](…)', '[工具和框架](…)'): the link is the person's or the list's."""
    named: dict[str, Mention] = {}
    roles = load_name_rules().role_words
    for entry_links in links:
        for link in entry_links:
            text = link.text.strip()
            if not 2 <= len(text) <= 8 or not all(is_cjk(ch) for ch in text) or text in named \
                    or not _HOME_PAGE.fullmatch(link.url.strip()) or lexicon.lookup(text) is not None \
                    or roles is not None and next(roles.iter(text), None) is not None:
                continue
            spelled = _spelled_by_address(link.url)
            known = lexicon.lookup(spelled) if spelled else None
            if known is not None and known.type != "Person" \
                    and not any(tag in _FUNCTION_TAGS for _, tag in _jieba(lexicon).tag(text)):
                named[text] = Mention(0, len(text), text, known.name, known.type, None, True, "post")
    return named


# jieba's tags of function words, numbers and pronouns: no part of a name (的, 和, 号, 这)
_FUNCTION_TAGS = frozenset({"uj", "ul", "uz", "ug", "uv", "ud", "c", "p", "m", "q", "r", "d", "y", "e", "o"})
