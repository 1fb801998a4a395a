"""Stage 4, relations: an entry's sentences and resolved mentions -> [Fact].

Each sentence becomes a skeleton in which every mention is a typed placeholder
(\\ue000 + a type letter + its index + \\ue001); the cue patterns of
ontology/patterns/relations.tsv, compiled to regular expressions over that skeleton,
find subject and object. Lists (A、B和C) give one fact per member. A subject or object
that Chinese drops (同时，发布了X; 作为其客户) is the entry's topic: the latest earlier
subject, or thing released, funded or developed, of a type the relation allows. A
mention followed by a modifier noun (OpenStack发行版, Heat商店; ontology/patterns/
modifiers.txt) names what it modifies, not a participant. Every fact keeps its sentence.
"""
import re
from collections import Counter
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field, replace
from typing import Any
from functools import cached_property, lru_cache
from pathlib import Path

from kg.datafiles import expand_macros, macro_pattern, macros, tsv_rows, word_lists, words
from kg.errors import DataFileError
from kg.lexicon import Lexicon, is_cjk, normalize
from kg.regex_shape import parse_pattern, required_groups, required_literals
from kg.namespace import ENTITY_TYPES, RELATIONS, SYMMETRIC_RELATIONS
from kg.mentions import WEAKLY_TYPED, Mention, firm_in_an_event_name, load_name_words
from kg.resolve import Resolved, resolve_mention
from kg.resources import ontology_dir

OPEN, CLOSE = "\ue000", "\ue001"
TYPE_LETTER = {"Company": "C", "Organization": "G", "Product": "P", "Project": "J",
               "Release": "R", "Event": "E", "Person": "H"}
MODIFIER_LETTER = "M"       # a mention that only modifies a noun after it: never subject or object
_LETTERS = tuple(TYPE_LETTER.values())
# each type's placeholder as a bit (bit 0 stands for 'any': every sentence has it)
_BIT_OF = {letter: 2 << index for index, letter in enumerate(_LETTERS)}
_LETTER_BITS = tuple((OPEN + letter, bit) for letter, bit in _BIT_OF.items())
_SENTENCE_END = re.compile(r"[。！？；!?;\n]+")
# (X的新版本, X的测试版, X的2.0版本 are X itself, released again: no modifier)
# things a fact introduces, which a later sentence may go on about with a dropped subject
_INTRODUCING = {"releases", "funds", "develops", "acquires"}


@dataclass(frozen=True)
class Fact:
    subject: str            # entity key
    predicate: str
    object: str
    evidence: str           # the sentence it was read from
    entry: int              # the entry's position in its post
    version: str | None = None
    confidence: float = 0.9     # how sure the reading is (kg.relations.CONFIDENCE)


@dataclass(frozen=True)
class RelationPattern:
    predicate: str
    expression: str                    # the regular expression, compiled at its first use (.regex)
    subject_optional: bool
    object_optional: bool
    has_object: bool
    subject_types: tuple[str, ...]
    object_types: tuple[str, ...]
    fixed_subject: str | None          # {S=OpenStack}: the subject is this known name
    subject_before: bool               # {S^}: the subject is the nearest mention before (它, 其)
    subject_partners: bool             # {S%}: the subjects are both sides of the latest partnership (两家公司)
    source: str
    anchors: tuple[str, ...] | None = None     # one of these is in every sentence it matches (None: unknown)
    # per slot every match fills (S, O): the type letters it takes; a sentence with no
    # mention of one of them cannot match
    needs: tuple[frozenset[str], ...] = ()
    object_before: bool = False        # {O^}: the object is the nearest mention before (X 的投资者包括 A)
    order: tuple[str, int] = ("", 0)    # its place in its file, as a number (_file_order)
    subject_maker: bool = False         # {S@}: the subject is the maker its object's name opens with (小米 of 小米 SU7)
    new_object: bool = False            # {O!}: the object is a name the lexicon does not know

    @cached_property
    def slot_bits(self) -> tuple[int, int]:
        """needs as bits (_LETTER_BITS): one number per slot every match fills, the pair padded
        with 1 (any sentence) where fewer slots are needed."""
        padded = [sum(_BIT_OF[letter] for letter in letters) for letters in self.needs] + [1, 1]
        return padded[0], padded[1]

    @cached_property
    def regex(self) -> re.Pattern:
        """The compiled pattern. Compiled when a sentence first holds its anchors: most
        patterns wait long, and a small archive never compiles most of them (compiling all
        costs half a second a process). tests/test_code_checks.py compiles every one."""
        try:
            return re.compile(self.expression)
        except re.error as error:
            raise DataFileError(self.source, None, f"bad pattern: {error}") from None


@dataclass(frozen=True)
class ClauseWords:
    """ontology/patterns/clause-words.tsv as the regular expressions patterns are built with."""
    list_joiner: str        # between the members of a list slot
    not_modifier: str       # after an object that ends a pattern: not followed by 的 (unless a version)
    gap_short: str          # ~
    gap_long: str           # ~~
    negation: re.Pattern | None = None      # a match holding one of these states nothing
    owned_by: re.Pattern | None = None      # all that stands between a firm and its own product (旗下)
    left_out: re.Pattern | None = None      # what the skeleton leaves out before a name: a name and its owned-by,
    #                                         related-firm or maker-noun words (A旗下B), a place-modifier (美国 B)
    relative: re.Pattern | None = None      # 由 S V 的 O: a relative clause before its head
    basis: re.Pattern | None = None         # 基于 S … 的 O: a clause naming what its head is built on
    agent_seen: re.Pattern | None = None    # an agent marker anywhere: whether to look for those clauses
    colon_list: re.Pattern | None = None    # a clause, a colon and a list of names that ends the sentence
    firm_word: re.Pattern | None = None     # 公司 after a firm's name: left out of the skeleton
    person_title: re.Pattern | None = None  # 博士 after a person's name, before a clause's word: left out too
    continuing: re.Pattern | None = None    # opens a clause that goes on about the sentence's subject (并)
    excluding: re.Pattern | None = None     # 除了 X，: X is set aside, no referent of what follows
    source: re.Pattern | None = None        # 根据 X 的说法，: X, a source cited, is no firm 该公司 stands for
    next_subject_comma: re.Pattern = re.compile("(?!)")   # a comma before names that 都 makes the next clause's subject
    listed: re.Pattern | None = None        # a list's opening word (包括) and all after it in the sentence
    item_inner_lead: re.Pattern = re.compile("(?!)")   # before an item's first name: the item is about something else
    bracketed_list: re.Pattern = re.compile("(?!)")    # a list of two names or more opened by 包括 in brackets after a noun
    item_break: re.Pattern | None = None    # what parts the items of such a list
    derived: re.Pattern | None = None       # a noun that makes the name before it what another is based on
    basis_marker: re.Pattern | None = None  # 基于: what follows in its clause is what something is built on
    passive: re.Pattern | None = None       # O 由 S V: a passive clause
    credit: re.Pattern | None = None        # a sentence holding one credits a picture and states nothing
    addressee: re.Pattern | None = None     # ends right before a name spoken to (向 X 解释): no dropped subject
    named: re.Pattern | None = None         # (一款)名为 X 的产品: X, which the skeleton keeps alone
    common_subject: re.Pattern | None = None    # a clause's own subject that is no name, before its verb (96%的人使用)
    common_opening: re.Pattern | None = None    # such a subject opening its clause (开发者现在可以…使用)
    outside_role: re.Pattern | None = None      # a role held outside the post's firm, right before a name
    object_marker: re.Pattern | None = None     # right before a referring phrase the clause's doer acts on
    subject_adverb: re.Pattern | None = None    # right after a name that is its clause's subject (VMware 可以…)
    owner_after: re.Pattern | None = None       # between a product and the firm that owns it (TikTok 母公司)
    person_opening: re.Pattern | None = None    # a sentence opening on a pronoun for a person (他, 这两人)
    saying: re.Pattern | None = None            # a verb of saying right after a name (Jane Doe 表示)
    # a name and another of its letter in brackets after it, a few words between ('A 公司（B）'): the
    # bracketed one stands for both; the words hold no apposition-break (红帽宣布收购…(MBaaS))
    apposition: re.Pattern = re.compile("(?!)")
    respective: frozenset[str] = frozenset()    # relations whose object has one subject: lists pair in order
    firm_it_relations: frozenset[str] = frozenset()     # what a firm that 它 stands for may be the subject of
    sentence_lead: re.Pattern | None = None     # what may open a sentence before its subject (此外，)
    described_opening: re.Pattern | None = None     # a sentence opening on a name and a copula (X 是一个…): group 1
    said_kind: re.Pattern | None = None         # 该框架: a determiner and a kind of thing (group 'kind')
    role_joiner: str = "(?!)"   # joins people listed with a role each (A 创始人甲、CTO 乙), whose roles stand after it
    writer_firm: re.Pattern = re.compile("(?!)")   # 我们: the writer's firm, when an author's note names it
    means_lead: re.Pattern | None = None    # 通过: a first clause of means, its subject named after its comma


_REQUIRED_CLAUSE_WORDS = ("list-joiner", "list-joiner-before-name", "list-joiner-spaced", "modifier-particle",
                          "version-word", "version-noun", "clause-break")
_CLAUSE_WORD_KINDS = (*_REQUIRED_CLAUSE_WORDS, "copula", "part-noun", "negation", "owned-by", "owner-after", "related-firm",
                      "agent-marker",
                      "firm-word", "list-opener", "derived-from", "continuing", "excluding", "credit", "addressee",
                      "deal-noun", "naming", "named-thing", "naming-lead", "common-subject", "maker-noun",
                      "place-modifier", "one-of", "people-pronoun", "writer-pronoun", "subject-adverb", "outside-role",
                      "object-marker", "person-pronoun", "saying", "apposition-break", "respective-relation",
                      "list-joiner-before-role", "hosted-project", "source-lead", "firm-of-firm", "person-title",
                      "basis-marker", "firm-it-relation", "sentence-lead", "thing-kind", "kind-determiner", "clause-verb",
                      "writer-firm-pronoun", "means-lead", "next-subject-adverb",
                      "item-inner-lead", "gathering-noun")


def _common_subject(rows: dict, any_of, people: str, adverbs: str) -> re.Pattern | None:
    """A subject that is no name right before the verb (96%的人使用 X, 使用完全不同的 X); not the
    kind of gathering the object is (管理开发者和用户大会 X: clause-words.tsv gathering-noun)."""
    if not rows.get("common-subject"):
        return None
    return re.compile(rf"(?:{any_of('common-subject')}|{people})\s*(?:{adverbs})*\s*[\u4e00-\u9fff]{{1,6}}"
                      r"(?:[\u4e00-\u9fff]{0,6}的)?" + _not_ending_on(rows.get("gathering-noun")) + r"\s*$")


def _not_ending_on(words: list[str] | None) -> str:
    """A lookbehind for each word: the text before does not end on any of them ('' for none)."""
    return "".join(f"(?<!{re.escape(word)})" for word in words or ())


def _left_out(rows: dict, any_of, owned_by: re.Pattern | None) -> re.Pattern:
    """What the skeleton leaves out before a name: a name and its owned-by, related-firm,
    maker-noun (its descriptor holding no clause's word: not 'A 已完成对…服务商 B') or one-of words;
    a list member's owner (、联想控股的君联资本: firm-of-firm); a body and its hosted-project words
    (CNCF 孵化器项目 X); a name in brackets that glosses the kind of firm named next (移动后端即服务(MBaaS)
    供应商 X); a place modifier (美国 <C0>: the place takes no part)."""
    skipped = [f"(?:{owned_by.pattern})"] if owned_by else []
    skipped += [rf"\s*(?:{any_of('related-firm')})\s*"] if rows.get("related-firm") else []
    clause_word = macros(ontology_dir() / "patterns" / "macros.tsv").get("ROLE-BREAK", "(?!)")     # (的, 对, 在…)
    skipped += [rf"\s*(?:(?!{clause_word})[\u4e00-\u9fff]){{0,8}}?(?:{any_of('maker-noun')})\s*(?={OPEN}[CG])"] \
        if rows.get("maker-noun") else []
    skipped += [rf"\s*(?:项目|产品|工具)?(?:{any_of('one-of')})\s*"] if rows.get("one-of") else []
    firm_kind = load_name_words().firm_kind.pattern         # (…即服务(MBaaS)供应商 X: a gloss of X's kind)
    skipped += [rf"\s*[)）]\s*(?:{firm_kind})\s*(?={OPEN}[CG])"]
    alternatives = [f"{OPEN}[A-Z]\\d+{CLOSE}(?:{'|'.join(skipped)})(?={OPEN})"]
    if rows.get("firm-of-firm"):        # (…、联想控股的君联资本: a list's member is the second firm alone)
        alternatives.append(rf"(?<=[、，,和与及])\s*{OPEN}[CG]\d+{CLOSE}\s*(?:{any_of('firm-of-firm')})\s*(?={OPEN}[CG])")
    if rows.get("hosted-project"):      # (云原生计算基金会孵化器项目 Argo: the project alone takes part)
        alternatives.append(rf"{OPEN}G\d+{CLOSE}\s*[\u4e00-\u9fff]{{0,4}}?(?:{any_of('hosted-project')})\s*(?={OPEN}[JP])")
    if rows.get("place-modifier"):
        alternatives.append(rf"(?:(?<![\u4e00-\u9fff])|(?<=[与和同跟被由向从]))(?:{any_of('place-modifier')})\s*(?={OPEN})")
    return re.compile("|".join(alternatives))


def _own_subject_pronouns(rows: dict, any_of) -> str:
    """people-pronoun and writer-pronoun as one alternation: a clause's own subject (他们使用 X, 我将使用 X);
    the writer's 我 alone, not 我们 (a firm speaking)."""
    people = any_of("people-pronoun") if rows.get("people-pronoun") else "(?!)"
    return people + (f"|(?:{any_of('writer-pronoun')})(?!们)" if rows.get("writer-pronoun") else "")


@lru_cache(maxsize=4)
def load_clause_words(path: Path | None = None) -> ClauseWords:
    path = Path(path) if path else ontology_dir() / "patterns" / "clause-words.tsv"
    rows = word_lists(path, _CLAUSE_WORD_KINDS, required=_REQUIRED_CLAUSE_WORDS)

    def any_of(kind: str) -> str:
        return "|".join(re.escape(w) for w in rows[kind])
    people, adverbs = _own_subject_pronouns(rows, any_of), any_of("subject-adverb") if rows.get("subject-adverb") else "(?!)"
    joiners = f"{any_of('list-joiner')}|(?:{any_of('list-joiner-before-name')})(?=\\s*{OPEN})"
    spaced = any_of("list-joiner-spaced")
    list_joiner = rf"(?:\s*(?:{joiners})\s*(?:(?:{spaced})\s+)?|\s+(?:{spaced})\s+)"
    version_of = rf"(?:(?:{any_of('version-word')})|[\d.]+\s*)?\s*(?:{any_of('version-noun')})"
    part_of = rf"|(?:{any_of('part-noun')})" if rows.get("part-noun") else ""
    part_of += rf"|(?:{any_of('deal-noun')})" if rows.get("deal-noun") else ""
    not_modifier = _not_a_modifier(rows, any_of, version_of + part_of)
    breaks = "".join(re.escape(w) for w in rows["clause-break"])
    name = f"{OPEN}[A-Z]\\d+{CLOSE}"
    names = f"{name}(?:{list_joiner}{name})*"
    relative, passive = _agent_clauses(rows, any_of, names, breaks)
    basis = _basis_clause(any_of, list_joiner, breaks, adverbs) if rows.get("basis-marker") else None
    colon_list = re.compile(f"(?P<clause>[^{OPEN}{CLOSE}：:]*?(?:{name}[^{OPEN}{CLOSE}：:]*?)*)"
                            f"[：:]\\s*(?P<S>{name}(?:{list_joiner}{name})+)\\s*[。.]?$")
    negation = re.compile(any_of("negation"), re.I) if rows.get("negation") else None
    owned_by = re.compile(rf"\s*(?:{any_of('owned-by')})\s*") if rows.get("owned-by") else None
    left_out = _left_out(rows, any_of, owned_by)
    return ClauseWords(list_joiner, not_modifier, rf"[^{OPEN}{CLOSE}{breaks}\n,()（）]{{0,15}}?",
                       rf"[^{breaks}\n]{{0,40}}?", negation, owned_by, left_out,
                       relative=relative, basis=basis, passive=passive, colon_list=colon_list,
                       agent_seen=re.compile(any_of("agent-marker")) if rows.get("agent-marker") else None,
                       firm_word=re.compile(rf"\s*(?:{any_of('firm-word')})") if rows.get("firm-word") else None,
                       person_title=_person_title(any_of("person-title")) if rows.get("person-title") else None,
                       listed=re.compile(rf"(?:{any_of('list-opener')})(?!\s*[，,])\s*[:：]?")     # (例如，: no list)
                       if rows.get("list-opener") else None,
                       item_break=re.compile(f"[、，,；]|{joiners}|(?:{spaced})\\b"),
                       derived=re.compile(rf"\s*(?:{any_of('derived-from')})") if rows.get("derived-from") else None,
                       basis_marker=re.compile(any_of("basis-marker")) if rows.get("basis-marker") else None,
                       continuing=re.compile(rf"\s*(?:{any_of('continuing')})") if rows.get("continuing") else None,
                       credit=re.compile(any_of("credit"), re.I) if rows.get("credit") else None,
                       excluding=re.compile(rf"(?:{any_of('excluding')})[^，。；,]*") if rows.get("excluding") else None,
                       source=re.compile(rf"(?:{any_of('source-lead')})[^，。；,]*") if rows.get("source-lead") else None,
                       addressee=_ending_on(rows.get("addressee")),
                       named=re.compile(rf"(?:(?:{any_of('naming-lead')})\s*)?(?:{any_of('naming')})\s*({name})\s*的\s*"
                                        rf"[^{OPEN}{CLOSE}{breaks}]{{0,16}}?(?:{any_of('named-thing')})(?=[{breaks}]|\s|$)")
                       if rows.get("naming") and rows.get("named-thing") and rows.get("naming-lead") else None,
                       common_subject=_common_subject(rows, any_of, people, adverbs),
                       common_opening=re.compile(rf"\s*(?:{any_of('common-subject')})") if rows.get("common-subject") else None,
                       outside_role=_ending_on(rows.get("outside-role")), object_marker=_ending_on(rows.get("object-marker")),
                       subject_adverb=re.compile(rf"\s*(?:{adverbs})"),
                       owner_after=re.compile(rf"\s*(?:{any_of('owner-after')})\s*") if rows.get("owner-after") else None,
                       person_opening=re.compile(rf"[\s“\"”]*(?:{any_of('person-pronoun')})(?![们人])")
                       if rows.get("person-pronoun") else None,
                       saying=re.compile(rf"\s*(?:{adverbs})*\s*(?:{any_of('saying')})") if rows.get("saying") else None,
                       apposition=_apposition(any_of("apposition-break") if rows.get("apposition-break") else ""),
                       respective=frozenset(rows.get("respective-relation", ())),
                       firm_it_relations=frozenset(rows.get("firm-it-relation", ())),
                       said_kind=_kind_phrase(rows, any_of),
                       role_joiner=rf"(?:\s*(?:{any_of('list-joiner-before-role')})\s*|\s+(?:{spaced})\s+)"
                       if rows.get("list-joiner-before-role") else "(?!)", **_list_bounds(rows, any_of, name, list_joiner),
                       **_subject_words(rows, any_of))


def _list_bounds(rows: dict, any_of, name: str, list_joiner: str) -> dict:
    """Where lists start and stop beyond their joiners: names in brackets after a noun opened by a
    list-opener, two or more (几个应用程序(包括 A、B 和 C)); a comma before names that a
    next-subject-adverb makes the next clause's subject (使用 Rust，A、B 和 C 都…); an item-inner-lead
    before a list item's first name, which makes the item a doing, not a name (比如…(使用 etcd))."""
    names, two_or_more = f"{name}(?:{list_joiner}{name})*", f"{name}(?:{list_joiner}{name})+"
    return {"item_inner_lead": re.compile(any_of("item-inner-lead")) if rows.get("item-inner-lead") else re.compile("(?!)"),
            "bracketed_list": re.compile(rf"(?<!{CLOSE})\s*[(（]\s*(?:{any_of('list-opener')})\s*({two_or_more})\s*[)）]")
            if rows.get("list-opener") else re.compile("(?!)"),
            "next_subject_comma": re.compile(rf"[，,](?=\s*{names}\s*(?:{any_of('next-subject-adverb')})\s*[\u4e00-\u9fff])")
            if rows.get("next-subject-adverb") else re.compile("(?!)")}


def _subject_words(rows: dict, any_of) -> dict:
    """clause-words.tsv's sentence-lead, writer-firm-pronoun, means-lead and copula, as ClauseWords holds them."""
    return {"described_opening": re.compile(rf"[\s“\"]*(?:[^{OPEN}{CLOSE}，,。；;：:]{{0,12}}?\s)?{OPEN}[A-LN-Z](\d+){CLOSE}"
                                             rf"\s*(?:{any_of('copula')})") if rows.get("copula") else None,
            "sentence_lead": re.compile(rf"(?:[\s\W]|{any_of('sentence-lead')})*") if rows.get("sentence-lead") else None,
            "writer_firm": re.compile(rf"(?:{any_of('writer-firm-pronoun')})(?!\s*的)")
            if rows.get("writer-firm-pronoun") else re.compile("(?!)"),
            "means_lead": re.compile(rf"[\s“\"]*(?:(?![是的当])[^{OPEN}{CLOSE}，,。；]){{0,6}}?(?:{any_of('means-lead')})"
                                     rf"[^，,。；]*[，,]\s*{OPEN}[A-LN-Z](\d+){CLOSE}(?!\s*(?:的|、|和|与|及))")
            if rows.get("means-lead") else None}


def _kind_phrase(rows: dict, any_of) -> re.Pattern | None:
    """A determiner and a kind of thing (该框架, 这款工具: kind-determiner, thing-kind), the kind as group 'kind'."""
    if not rows.get("thing-kind") or not rows.get("kind-determiner"):
        return None
    return re.compile(f"(?:{any_of('kind-determiner')})(?P<kind>{any_of('thing-kind')})")


def _person_title(titles: str) -> re.Pattern:
    """A title after a person's name that a clause's word or a mark follows (Nic Williams 博士和…:
    not 博士生, a student)."""
    breaks = macros(ontology_dir() / "patterns" / "macros.tsv").get("ROLE-BREAK", "(?!)")
    return re.compile(rf"\s*(?:{titles})(?=\s*(?:{breaks}|[，,。；;、：:]|$))")


def _agent_clauses(rows: dict, any_of, names: str, breaks: str) -> tuple[re.Pattern | None, re.Pattern | None]:
    """The relative and the passive clause that an agent marker opens: 由 S 开发的 O; O 由 S 开发."""
    if not rows.get("agent-marker"):
        return None, None
    verb = f"[^{OPEN}{CLOSE}{breaks}\n{any_of('modifier-particle')}]"
    agent = any_of("agent-marker")
    opens_clause = "".join(rows.get("clause-verb", ()))        # (由 A 发起的将 X 翻译…: 将 opens a clause)
    head_words = f"[^{OPEN}{CLOSE}{breaks}\\n{opens_clause}]"
    relative = re.compile(f"(?:{agent})\\s*[^{breaks}\\n]{{0,16}}?(?P<S>{names})(?P<V>{verb}{{1,16}}?)"
                          f"(?:{any_of('modifier-particle')})\\s*{head_words}{{0,12}}?(?P<O>{names})")
    passive = re.compile(f"(?P<O>{names}){verb}{{0,8}}?(?:{agent})\\s*(?P<S>{names})"
                         f"(?P<V>{verb}{{1,16}}?)(?=[{breaks}]|$)")
    return relative, passive


def _basis_clause(any_of, list_joiner: str, breaks: str, adverbs: str) -> re.Pattern:
    """基于 S … 的 O: a clause before a name, its head, on what the named thing is built on; S a
    product, project or release (基于脸书的 React: a firm and 的 say whose), O no modifier of a noun
    after it (基于 Spark 的 Java 开发人员: no clause)."""
    head = f"{OPEN}[{''.join(TYPE_LETTER.values())}]\\d+{CLOSE}"
    thing = f"{OPEN}[PJR]\\d+{CLOSE}"
    return re.compile(f"(?P<marker>{any_of('basis-marker')})\\s*(?P<S>{thing}(?:{list_joiner}{thing})*)"
                      f"[^{breaks}\\n]{{0,24}}?(?:{any_of('modifier-particle')})\\s*[^{OPEN}{CLOSE}{breaks}\\n]{{0,10}}?"
                      f"(?P<O>{head}(?:{list_joiner}{head})*)(?=\\s*(?:[{breaks}、：:()（）]|$|{adverbs}))")


def _apposition(breaks: str) -> re.Pattern:
    """A name, up to twenty characters that hold none of breaks, and a name of its letter in brackets."""
    guard = f"(?!{breaks})" if breaks else ""
    return re.compile(f"{OPEN}([A-Z])\\d+{CLOSE}(?:{guard}[^{OPEN}{CLOSE}，。；,()（）]){{0,20}}?"
                      f"\\s*[(（]\\s*({OPEN}\\1\\d+{CLOSE})\\s*[)）]")


def _not_a_modifier(rows: dict[str, list[str]], any_of, kept_after: str) -> str:
    """What must not follow an object: a modifier particle within three characters (基于 X 的产品), unless
    a version or part noun follows the particle (kept_after: X 的新版本) or a copula opens the words
    between (谷歌的 X 是可用的: X is the subject of what follows)."""
    copula = rf"(?!\s*(?:{any_of('copula')}))" if rows.get("copula") else ""
    return rf"(?!{copula}\s*[^{OPEN}{CLOSE}，。；、,\s]{{0,3}}\s*(?:{any_of('modifier-particle')})(?!{kept_after}))"


def _ending_on(words: list[str] | None) -> re.Pattern | None:
    """A pattern of a text that ends on one of the words (searched up to a name's start)."""
    return re.compile("(?:" + "|".join(re.escape(w) for w in words) + r")\s*$") if words else None


def clause_views(shape: str) -> tuple[str, list[str]]:
    """The sentence skeleton with each relative clause before a name left out ('X 收购了由 P 创立的
    Y' as 'X 收购了 Y': P is no argument of 收购; 'X 推出了基于 B 的 Y' as 'X 推出了 Y', with 'Y 基于 B'
    read again) and a list after 包括 as the bare list of its
    items' names (_list_without_descriptors); and the clauses read again: a relative clause
    on its own, and as an active one like a passive clause (由 S 开发的 O, O 由 S 开发: 'S 开发 O'),
    and a clause whose subjects a colon puts after it (参与 X 的开发：A、B: 'A、B 参与 X 的开发'),
    so that every relation's active patterns read them."""
    words = load_clause_words()
    views, main, cut = [], [], 0
    agent = words.agent_seen is not None and words.agent_seen.search(shape) is not None
    if agent and words.relative is not None:
        for match in words.relative.finditer(shape):
            views += [match.group("S") + match.group("V") + match.group("O"), match.group()]
            main.append(shape[cut:match.start()])
            cut = match.start("O")
    if agent and words.passive is not None:
        for match in words.passive.finditer(shape):
            views.append(match.group("S") + match.group("V") + match.group("O"))
    listed = words.colon_list.search(shape) if words.colon_list is not None and ("：" in shape or ":" in shape) \
        else None
    if listed:              # 积极参与 X 的开发：A、B、C — A, B and C take part
        views.append(listed.group("S") + listed.group("clause"))
    kept = "".join(main) + shape[cut:]
    if words.basis is not None:     # 'A 开源了基于 B 的 X 库 C': A releases C, and C is built on B
        views += [match.group("O") + match.group("marker") + match.group("S") for match in words.basis.finditer(kept)]
        kept = words.basis.sub(lambda match: match.group("O"), kept)
    bare, items = _list_without_descriptors(kept, words)
    owned = _OWNERS_OF_THINGS.sub("", bare)
    if owned != bare:       # 'A 使用 B 的 X 扫描器': A uses X (B's thing; B 的 X says B develops it)
        views.append(owned)
    if words.agent_seen is not None and ("(" in bare or "（" in bare):
        aside = _agent_aside(words.agent_seen.pattern).sub("", bare)
        if aside != bare:   # 'P 是 A(被 B 收购)的联合创始人': read again without the aside (B bought A)
            views.append(aside)
    return bare, views + items


@lru_cache(maxsize=4)
def _agent_aside(agent_marker: str) -> re.Pattern:
    """An aside in brackets right after a name that says who did something to it, opened by an
    agent-marker (clause-words.tsv): '(被 8x8 收购)', '(由 A 开发)'."""
    return re.compile(f"(?<={CLOSE})\\s*[(（]\\s*(?:{agent_marker})[^()（）。；]{{1,30}}?[)）]")

# a firm or body and 的 right before a product or project: the thing's owner, read again without it
# (not after a comma: 'A 收购 B，后者的 X' has X no member of what A bought)
_OWNERS_OF_THINGS = re.compile(f"(?<![，,、])(?<![，,、]\\s){OPEN}[CG]\\d+{CLOSE}\\s*的\\s*(?={OPEN}[PJ]\\d+{CLOSE})")


@lru_cache(maxsize=1)
def _kind_after() -> re.Pattern:
    """A placeholder's end and a kind word after it (macros.tsv KIND: 托管 Kubernetes 服务)."""
    return re.compile(rf"{CLOSE}\s*(?:{macros(ontology_dir() / 'patterns' / 'macros.tsv').get('KIND', '(?!)')})")


def _list_without_descriptors(shape: str, words: ClauseWords) -> tuple[str, list[str]]:
    """The skeleton with a list after 包括 whose items carry descriptors ('包括 A 集成库、轻量级的
    B 发行版，以及 C 工具') as the bare list of its items' names: an item's first name, unless a
    kind word follows it (托管 Kubernetes 服务 is no Kubernetes); and each item that names more
    than one, as a clause of its own ('包括 A 的 CEO P 和…': A 的 CEO P). An item 'A 的 B' (基于 A 的 B)
    is B."""
    if words.listed is None or words.item_break is None:
        return shape, []
    opening = words.listed.search(shape)
    if opening is None:
        return shape, []
    region = shape[opening.end():]
    members, rest, items = [], "", []
    cuts = [0] + [b for m in words.item_break.finditer(region) for b in (m.start(), m.end())] + [len(region)]
    for start, end in zip(cuts[::2], cuts[1::2], strict=True):
        first = _PARTICIPANT_RE.search(region, start, end)
        if first is None or words.item_inner_lead.search(region, start, first.start()):
            continue            # ('比如设置高可用集群(使用 etcd)、…以及与 HAProxy 合作': doings, no named items)
        of = _OF_BEFORE_NAME.match(region, first.end(), end)
        head = _PARTICIPANT_RE.match(region, of.end(), end) if of else first     # (基于 A 的 B: the item is B)
        if head and not _kind_after().match(region, head.end() - 1):
            members.append(head.group())
            rest = region[head.end():]         # what follows the last item's name stays
            if _PARTICIPANT_RE.search(region, first.end(), end):
                items.append(region[start:end])
    bare = "、".join(members)
    if len(members) < 2 or bare + rest == region:
        return shape, []
    return shape[:opening.end()] + bare + rest, items


# a firm's product named right after it, one space between ('微软 Azure'), goes with the firm in a
# slot that only firms fill: the list goes on past it, and it takes no part
_ITS_THING = f"(?: {OPEN}[PJ]\\d+{CLOSE})?"


def _token(types) -> str:
    letters = "".join(TYPE_LETTER[t] for t in types)
    return f"{OPEN}[{letters}]\\d+{CLOSE}" + (_ITS_THING if set(types) <= {"Company", "Organization"} else "")


_ANY_PARTICIPANT = f"{OPEN}[A-LN-Z]\\d+{CLOSE}"


@lru_cache(maxsize=1)
def _role_before_a_listed_person() -> str:
    """A role that may stand before a later member of a list of people (macros.tsv ROLE-LISTED)."""
    role = macros(ontology_dir() / "patterns" / "macros.tsv").get("ROLE-LISTED")
    return f"(?:{role})\\s*" if role else "(?!)"


def _slot(role: str, plus: bool, optional: bool, types, last: bool, alone: bool = False) -> str:
    """A slot's regular expression. A list slot ({S+}) holds at least one member of its types
    and any others (Spotify、Instana、甲骨文等公司: each member of a type the relation allows
    takes part; kg.relations._arguments leaves the rest out). Any other object slot holds one
    mention or a coordination of mentions all of its types (收购 A 和 B: both are bought), but
    one written {O1}, which holds one mention alone (A、B(被 X 收购): B only)."""
    token = _token(types)
    joiner = load_clause_words().list_joiner
    if plus:
        # people listed with a role each: the later ones' roles stand after the joiner
        # ('A 创始人甲、联合创始人兼 CTO 乙': both of A)
        later = f"(?:{joiner}|{load_clause_words().role_joiner}{_role_before_a_listed_person()})" \
            if role == "S" and "Person" in types else joiner
        body = f"(?:{_ANY_PARTICIPANT}{joiner})*{token}(?:{later}{_ANY_PARTICIPANT})*"
    else:
        body = f"{token}(?:{joiner}{token})*" if role == "O" and not alone else token
        if role == "S" and "Person" in types:     # people coordinated before it act with it (A 和 B 在峰会上演讲)
            body = f"(?:{_token(('Person',))}{joiner})*{body}"
    group = f"(?P<{role}>{body})"
    if role == "O":
        group = r"(?:[(（]\s*)?" + group        # 产品(Akanda): a name in brackets right after its noun
        if last:
            group += load_clause_words().not_modifier      # an object ending the pattern is never a modifier (X的Y)
    return f"(?:{group}\\s*)?" if optional else group


_SLOT_RE = re.compile(r"\{(S|O)(\+)?([?^%@1])?(!)?(?::([A-Za-z|]+))?(?:=([^}]+))?\}")


def _file_order(source: str) -> tuple[str, int]:
    """A pattern's place in its data file ('relations.tsv:99' -> ('relations.tsv', 99))."""
    name, _, line = source.rpartition(":")
    return (name, int(line)) if line.isdigit() else (source, 0)


def compile_pattern(predicate: str, pattern: str, signatures: dict, source: str) -> RelationPattern:
    subject_types, object_types = signatures[predicate]
    allowed = {"S": tuple(subject_types), "O": tuple(object_types)}
    optional = {"S": False, "O": False}
    fixed, before, partners, object_before, maker, new_object = None, False, False, False, False, False
    pieces, last = [], 0
    for match in _SLOT_RE.finditer(pattern):
        role, plus, maybe, new, narrowed, name = match.groups()
        if new and role != "O":
            raise DataFileError(source, None, "only the object can be a new name: {O!}")
        new_object = new_object or bool(new)
        pieces.append(_literal(pattern[last:match.start()]))
        last = match.end()
        if name:
            if role != "S":
                raise DataFileError(source, None, "only the subject can be fixed: {S=Name}")
            fixed = name.strip()
            continue
        types = tuple(narrowed.split("|")) if narrowed else allowed[role]
        unknown = [t for t in types if t not in TYPE_LETTER]
        if unknown:
            raise DataFileError(source, None, f"unknown type {unknown[0]!r} in {match.group(0)}")
        allowed[role] = types
        if role == "O" and maybe == "^":
            object_before = True
            continue
        if maybe in ("^", "%", "@"):
            if role != "S":
                raise DataFileError(source, None, f"only the subject can be {{S{maybe}}}")
            before, partners, maker = before or maybe == "^", partners or maybe == "%", maker or maybe == "@"
            continue
        if maybe == "1" and (role != "O" or plus):
            raise DataFileError(source, None, "only the object can be one mention alone: {O1}")
        optional[role] = maybe == "?"
        at_end = not pattern[match.end():].strip()
        pieces.append(_slot(role, bool(plus), maybe == "?", types, at_end, alone=maybe == "1"))
    pieces.append(_literal(pattern[last:]))
    joined = "".join(pieces)
    if "(?P<S>" not in joined and fixed is None and not before and not partners and not maker:
        raise DataFileError(source, None, "a pattern needs a subject: {S}, {S?}, {S+}, {S^}, {S%}, {S@} or {S=Name}")
    try:
        items = parse_pattern(joined)
    except (IndexError, ValueError):    # (syntax kg.regex_shape does not read: tried on every sentence)
        items = None
    needs = tuple(frozenset(TYPE_LETTER[t] for t in allowed[role]) for role in ("S", "O")
                  if role in required_groups(items)) if items else ()
    anchors = None if "(?i" in joined or not items else required_literals(items, OPEN + CLOSE)
    return RelationPattern(predicate, joined, optional["S"] or fixed is not None, optional["O"],
                           "(?P<O>" in joined or object_before, allowed["S"], allowed["O"], fixed, before, partners,
                           source, tuple(sorted(anchors)) if anchors else None, needs, object_before,
                           _file_order(source), maker, new_object)


def _literal(fragment: str) -> str:
    """Gaps and spaces of the pattern language; the rest is regular expression as written."""
    out = fragment.replace("~~", "\u0002").replace("~", "\u0001")
    out = re.sub(r"(?<!\\) ", r"\\s*", out)
    words = load_clause_words()
    return out.replace("\u0002", words.gap_long).replace("\u0001", words.gap_short)


@dataclass(frozen=True)
class RelationRules:
    patterns: tuple[RelationPattern, ...]
    modifiers: re.Pattern | None
    signatures: dict = field(default_factory=dict, compare=False)   # predicate -> (subject types, object types)
    # made from the patterns: an automaton of their anchors, and those with none
    _anchors: Any = field(default=None, init=False, repr=False, compare=False)
    _always: tuple[int, ...] = field(default=(), init=False, repr=False, compare=False)

    def __post_init__(self):
        import ahocorasick
        anchors = ahocorasick.Automaton()
        for index, pattern in enumerate(self.patterns):
            for literal in pattern.anchors or ():
                anchors.add_word(literal, anchors.get(literal, ()) + (index,))
        if len(anchors):
            anchors.make_automaton()
        object.__setattr__(self, "_anchors", anchors)
        object.__setattr__(self, "_always", tuple(i for i, p in enumerate(self.patterns) if not p.anchors))

    def candidates(self, shape: str) -> list[RelationPattern]:
        """The patterns that can match this sentence skeleton: those whose anchor literals
        occur in it (one Aho-Corasick pass), and those with no anchors."""
        chosen = set(self._always)
        if len(self._anchors):
            for _, indexes in self._anchors.iter(shape):
                chosen.update(indexes)
        return [self.patterns[i] for i in sorted(chosen)]


@lru_cache(maxsize=4)
def load_relation_signatures(directory: Path | None = None) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """predicate -> (the subject types, the object types) it joins (relation-signatures.tsv):
    what the assembly checks voted types against, without compiling the cue patterns."""
    directory = Path(directory) if directory else ontology_dir() / "patterns"
    signatures = {}
    sig_path = directory / "relation-signatures.tsv"
    for number, cells in tsv_rows(sig_path):
        if len(cells) != 3 or cells[0] not in RELATIONS:
            raise DataFileError(sig_path, number, "expected: predicate, subject types, object types")
        subject_types, object_types = tuple(cells[1].split("|")), tuple(cells[2].split("|"))
        for kind in subject_types + object_types:
            if kind not in ENTITY_TYPES:
                raise DataFileError(sig_path, number, f"unknown type {kind!r}")
        signatures[cells[0]] = (subject_types, object_types)
    return signatures


@lru_cache(maxsize=4)
def load_relation_rules(directory: Path | None = None) -> RelationRules:
    directory = Path(directory) if directory else ontology_dir() / "patterns"
    signatures = load_relation_signatures(directory)
    patterns = []
    pat_path = directory / "relations.tsv"
    for number, cells in tsv_rows(pat_path):
        if len(cells) != 2 or cells[0] not in signatures:
            raise DataFileError(pat_path, number, "expected: predicate (one of the signatures), pattern")
        try:
            pattern = expand_macros(cells[1], directory / "macros.tsv", f"{pat_path.name}:{number}")
            patterns.append(compile_pattern(cells[0], pattern, signatures, f"{pat_path.name}:{number}"))
        except DataFileError as error:
            if not error.path.startswith(pat_path.name):
                raise                   # another file's (clause-words.tsv, macros.tsv): as it said it
            raise DataFileError(pat_path, number, error.problem) from None
    modifiers = None
    mod_path = directory / "modifiers.txt"
    if mod_path.is_file() and words(mod_path):
        nouns = sorted(map(re.escape, words(mod_path)), key=len, reverse=True)
        modifiers = re.compile(r"\s*(?:" + "|".join(nouns) + ")")
    return RelationRules(tuple(patterns), modifiers, signatures)


@lru_cache(maxsize=64)       # the stages of one entry each ask for its sentences
def sentences(text: str) -> tuple[tuple[int, int], ...]:
    """Spans of the sentences of a text (split at 。！？；, newlines and their ASCII kin)."""
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        if match.start() > start:
            spans.append((start, match.start()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return tuple(spans)


_BRACKET_OPENS = re.compile(r"\s*[(（]\s*")

# 'OpenStack Orchestration (Heat)', '瑞士电信(Swisscom)': the name in brackets stands for both, when
# both name things of one type (a company before a person's name in brackets does not)
# a thing and the things it stands for listed in brackets after it, names and joiners alone ('支持 Linux
# (RHEL、SUSE 和 Ubuntu)'): read as one list with it, each member taking its part
_NAME_IN_SHAPE = f"{OPEN}[PJ]\\d+{CLOSE}"
_BRACKETED_MEMBERS = re.compile(f"({_NAME_IN_SHAPE})\\s*[(（]\\s*((?:{_NAME_IN_SHAPE}\\s*(?:、|和|与|及|以及|或|,|，)\\s*)+"
                                f"{_NAME_IN_SHAPE})\\s*[)）]")
# a thing's name, and what it stands for in brackets, no name inside: 'DC/OS(数据中心操作系统)是…'
_GLOSS_RE = re.compile(f"({OPEN}[PJ]\\d+{CLOSE})\\s*[(（][^()（）{OPEN}{CLOSE}，。；]{{1,30}}[)）]")


def _modifies(text: str, position: int, end: int, modifiers: re.Pattern) -> bool:
    """Whether a name ending at position only modifies the noun after it (modifiers.txt: 'X 生态系统'),
    not when a role follows that noun ('X 生态系统副总裁 P': X's vice president)."""
    noun = modifiers.match(text, position, end)
    return noun is not None and _role_after().match(text, noun.end(), end) is None


@lru_cache(maxsize=1)
def _role_after() -> re.Pattern:
    """A role word (macros.tsv ROLE) right at a position."""
    return re.compile(r"\s*(?:" + macros(ontology_dir() / "patterns" / "macros.tsv").get("ROLE", "(?!)") + ")")


def skeleton(text: str, start: int, end: int, mentions: list[Resolved], modifiers=None) -> tuple[str, list[Resolved]]:
    """The sentence text[start:end] with each mention inside it replaced by a placeholder.
    'A旗下B' (B, owned by A; clause-words.tsv's owned-by) reads as B, and 'A 公司' as A."""
    inside = [r for r in mentions if r.mention.start >= start and r.mention.end <= end]
    if not inside:
        return text[start:end], inside
    out, cursor = [], start
    clause_words = load_clause_words()
    firm_word = clause_words.firm_word
    for index, resolved in enumerate(inside):
        following = inside[index + 1] if index + 1 < len(inside) else None
        if following is not None and resolved.mention.typed_by.startswith("pronoun") \
                and _BRACKET_OPENS.fullmatch(text, resolved.mention.end, following.mention.start):
            out.append(text[cursor:resolved.mention.start])     # '他们(VMware)': the name in brackets
            cursor = following.mention.start                    # is who they are; it alone takes part
            continue
        if following is not None and resolved.type == following.type == "Project" and resolved.known \
                and text[resolved.mention.end:following.mention.start] == " ":
            out.append(text[cursor:resolved.mention.start])     # 'OpenStack Neutron': OpenStack qualifies
            cursor = following.mention.start                    # Neutron, which alone takes part
            continue
        out.append(text[cursor:resolved.mention.start])
        letter = TYPE_LETTER[resolved.type]
        if modifiers is not None and resolved.type != "Event" and _modifies(text, resolved.mention.end, end, modifiers) \
                or following is not None and resolved.type in ("Product", "Project") \
                and _described_next().fullmatch(text, resolved.mention.end, following.mention.start):
            letter = MODIFIER_LETTER        # ('Python 包 aisuite': what kind of thing aisuite is; not an
            #                                  event's: 'KubeCon 用户大会' is the event)
        out.append(f"{OPEN}{letter}{index}{CLOSE}")
        cursor = resolved.mention.end
        if firm_word is not None and resolved.type in ("Company", "Organization"):
            said = firm_word.match(text, cursor, end)      # 'Quantiva 公司的工程师': Quantiva's engineers
            cursor = said.end() if said else cursor
        elif clause_words.person_title is not None and resolved.type == "Person":
            said = clause_words.person_title.match(text, cursor, end)     # 'P 博士和 Q 在…': P and Q
            cursor = said.end() if said else cursor
    out.append(text[cursor:end])
    shape = "".join(out)
    if clause_words.left_out is not None:
        shape = clause_words.left_out.sub("", shape)
    if clause_words.named is not None:
        shape = clause_words.named.sub(r"\1", shape)         # '推出了一款名为 X 的产品' reads '推出了 X'
    if "，" in shape or "," in shape:     # '使用 Rust，A、B 和 C 都选择…': the comma ends a clause, joins no list
        shape = clause_words.next_subject_comma.sub("；", shape)
    if "(" in shape or "（" in shape:
        shape = _GLOSS_RE.sub(r"\1", clause_words.apposition.sub(r"\2", _BRACKETED_MEMBERS.sub(r"\1、\2", shape)))
        # '几个主要的应用程序(包括 A、B 和 C)都捆绑了 X': the listed names stand where the noun does
        shape = clause_words.bracketed_list.sub(r" \1", shape)
    return shape, inside


@lru_cache(maxsize=1)
def _described_next() -> re.Pattern:
    """A DESCRIPTOR (macros.tsv) between two names: the first says what kind of thing the second is."""
    return macro_pattern(r"\s*(?:{DESCRIPTOR})\s*", ontology_dir() / "patterns" / "macros.tsv")


def owned_pairs(text: str, inside: list[Resolved]) -> list[tuple[Resolved, Resolved]]:
    """(firm, its own product) for 'A旗下B' and 'B 母公司 A' (clause-words.tsv's owned-by or
    owner-after between them): the firm develops the product, when the firm is a company or
    organization and the product a product or project."""
    words = load_clause_words()
    pairs = []
    for a, b in zip(inside, inside[1:], strict=False):
        if a.type in _FIRMS and b.type in _THINGS and words.owned_by is not None \
                and words.owned_by.fullmatch(text, a.mention.end, b.mention.start):
            pairs.append((a, b))
        elif a.type in _THINGS and b.type in _FIRMS and words.owner_after is not None \
                and words.owner_after.fullmatch(text, a.mention.end, b.mention.start):
            pairs.append((b, a))
    return pairs


_FIRMS = ("Company", "Organization")
_THINGS = ("Product", "Project")


def derived_pairs(text: str, inside: list[Resolved]) -> list[tuple[Resolved, Resolved]]:
    """(thing, what it is based on) for 'A 集装箱化的 B 发行版' and 'A 是一个 B 发行版' (a name
    before another that a derived-from noun follows, clause-words.tsv): A is based on B."""
    words = load_clause_words()
    derived, basis = words.derived, words.basis_marker
    if derived is None:
        return []
    pairs = []
    for a, b in zip(inside, inside[1:], strict=False):
        between = text[a.mention.end:b.mention.start]
        if a.type in ("Product", "Project") and b.type in ("Product", "Project") and len(between) <= 12 \
                and not re.search(r"[，。；,;、和与及]", between) and derived.match(text, b.mention.end) \
                and not (basis is not None and basis.search(text, _clause_start(text, a.mention.start), a.mention.start)):
            pairs.append((a, b))        # (not '基于 A 的 B 发行版': a B distribution built on A)
    return pairs


def makers_in_names(mentions: list[Resolved], lexicon: Lexicon) -> list[Resolved]:
    """The maker named at the front of a product's name ('小米 SU7 Ultra', '禾赛 AT128', 'Cisco
    Nexus 9000', 'DeepSeek-R1', 百度地图), a company the lexicon knows, as a mention of its own inside the product's: the
    entry names it too. (That it develops the product is left unsaid: the name says no more
    than whose line the product is.) And a known company named inside a gathering's name."""
    found: list[Resolved] = []
    for r in mentions:
        if r.type == "Event" and not r.known:
            found += _hosts_in_an_event_name(r, lexicon)
        if r.type != "Product" or r.known:
            continue
        surface = r.mention.surface
        for cut in range(len(surface) - 1, 1, -1):
            if not (surface[cut] in " -" or is_cjk(surface[cut - 1]) and surface[cut].isascii()
                    or r.mention.typed_by == "maker"):      # (百度地图: 百度's)
                continue
            owner = lexicon.lookup(surface[:cut])
            if owner is not None and owner.type == "Company" \
                    and (surface[cut] != "-" or surface[:cut] in (owner.name, *owner.aliases)):   # (not Lip-Bu Tan's LIP)
                start = r.mention.start
                found.append(Resolved(Mention(start, start + cut, surface[:cut], owner.name, owner.type, None, True),
                                      owner.key, owner.type, owner.name, True))
                break
    return found


def _hosts_in_an_event_name(event: Resolved, lexicon: Lexicon) -> list[Resolved]:
    """A company, body or project the lexicon knows named inside a gathering's name ('2024年恩智浦技术日
    巡回研讨会', 'SegmentFault 2024 黑客马拉松', '2024 RT-Thread 全球技术大会'): the entry names it too
    (that it hosts the event is left unsaid)."""
    for start, end, known in lexicon.find(event.mention.surface):
        if known.type in ("Company", "Organization", "Project") and (start, end) != (0, len(event.mention.surface)):
            at = event.mention.start + start
            surface = event.mention.surface[start:end]
            return [Resolved(Mention(at, at + end - start, surface, known.name, known.type, None, True),
                             known.key, known.type, known.name, True)]
    firm = firm_in_an_event_name(event.mention.surface, lexicon)      # (XAAC 2024 极飞科技年度大会: 极飞科技)
    if firm is None:
        return []
    at, surface = event.mention.start + firm[0], event.mention.surface[firm[0]:firm[1]]
    return [resolve_mention(Mention(at, at + len(surface), surface, surface, "Company", None, False, "event-host"), lexicon)]


_INDEX_RE = re.compile(f"{OPEN}[A-Z](\\d+){CLOSE}")
_PARTICIPANT_RE = re.compile(f"{OPEN}[A-LN-Z](\\d+){CLOSE}")
_OF_BEFORE_NAME = re.compile(f"\\s*的\\s*(?={OPEN}[A-LN-Z])")


def _members(group: str | None, inside: list[Resolved]) -> list[Resolved]:
    return [inside[int(i)] for i in _INDEX_RE.findall(group or "")]


def _pairs_within(group: str, members: list[Resolved]) -> list[tuple[Resolved, Resolved]]:
    """Every pair of a symmetric list, except 'A与B、C和D' where A (before 与) meets each of the rest."""
    joiners = re.split(f"{OPEN}[A-Z]\\d+{CLOSE}", group)[1:-1]
    if len(members) > 2 and joiners and joiners[0].strip() in ("与", "同", "跟"):
        return [(members[0], other) for other in members[1:]]
    return [(a, b) for i, a in enumerate(members) for b in members[i + 1:]]


@dataclass
class _Reading:
    """What find_facts keeps while it reads one entry, sentence after sentence."""
    text: str
    mentions: list[Resolved]
    context: tuple[Resolved, ...]
    facts: list[Fact] = field(default_factory=list)
    topics: list[tuple[Resolved, bool]] = field(default_factory=list)   # earlier participants; whether a subject
    post_firm: Resolved | None = None       # the one firm or body the post's title names
    makers: dict[int, Resolved] = field(default_factory=dict)   # where a product's name starts -> the maker it opens with
    _known_firms: dict[str, set[str]] | None = None     # (firms_named's index, made at its first use)

    def firms_named(self, name: str) -> set[str]:
        """The keys of the firms the lexicon knows that the entry names by this name."""
        if self._known_firms is None:
            self._known_firms = {}
            for r in self.mentions:
                if r.type == "Company" and r.known:
                    self._known_firms.setdefault(r.name, set()).add(r.key)
        return self._known_firms.get(name, set())


def find_facts(text: str, mentions: list[Resolved], entry: int, rules: RelationRules | None = None,
               context: tuple[Resolved, ...] = (), earlier: tuple[tuple[Resolved, ...], ...] = (),
               post_firm: Resolved | None = None, makers: tuple[Resolved, ...] = (),
               writer_firm: Resolved | None = None) -> list[Fact]:
    """Facts stated in one entry's text, in text order, each with its evidence sentence.
    context: what the post named before this text (its section heading, earlier entries), latest
    last; a dropped event (在峰会上，X分享了...) is the latest event there when the entry names none.
    earlier: the names of the post's earlier entries, the latest entry first: what 该公司 stands
    for when this entry names nothing it could. post_firm: the firm the post is about (its title
    names it, and no other): whom a role with no firm in its entry serves ('首席执行官 X 说'). makers:
    the makers named at the front of products' names (makers_in_names), what {S@} stands for.
    writer_firm: the firm an author's note says the post's writer works for, what 我们 stands for."""
    rules = rules or load_relation_rules()
    credit = load_clause_words().credit
    mentions = with_referents(text, mentions, earlier)
    if writer_firm is not None:
        mentions = _writers_firm_said(text, mentions, writer_firm)
    reading = _Reading(text, mentions, context, post_firm=post_firm, makers={m.mention.start: m for m in makers})
    spans = sentences(text)
    # the mentions by where they start, so that each sentence looks at its own only (a long
    # entry has thousands of sentences and mentions)
    by_start = sorted(range(len(mentions)), key=lambda i: mentions[i].mention.start)
    starts = [mentions[i].mention.start for i in by_start]
    lead: tuple[str, list[Resolved], str] | None = None      # a line that ends in a colon, before its points
    for number, (start, end) in enumerate(spans):
        since = spans[number - 1][0] if number else start      # this sentence and the one before
        window = [mentions[i] for i in sorted(by_start[bisect_left(starts, start):bisect_right(starts, end)])]
        shape, inside = skeleton(text, start, end, window, rules.modifiers)
        opens_line = number == 0 or "\n" in text[spans[number - 1][1]:start + 1]
        if lead is not None and opens_line and inside:
            _read_point(reading, lead, text, start, end, inside[0], entry, rules, since)
        if text[start:end].rstrip().endswith((":", "：")) and text[end:end + 1] == "\n":
            lead = (shape.rstrip().rstrip(":："), inside, text[start:end].strip())
        if not inside or credit and credit.search(text, start, end):
            continue
        sentence = text[start:end].strip()
        reading.facts += [Fact(firm.key, "develops", own.key, sentence, entry, own.mention.version,
                               load_confidence().get("named", 0.9)) for firm, own in owned_pairs(text, inside)]
        reading.facts += [Fact(thing.key, "basedOn", base.key, sentence, entry, thing.mention.version,
                               load_confidence().get("named", 0.9)) for thing, base in derived_pairs(text, inside)]
        said_of = _said_of(reading, shape, inside)
        shape, views = clause_views(shape)
        hits = pattern_hits(shape, rules)
        for view in views:                      # only what a view's own slots say
            hits += [hit for hit in pattern_hits(view, rules) if _named_in(hit[3], hit[2])]
        _add_facts(reading, hits, inside, shape, sentence, entry, since)
        if said_of is not None:
            reading.topics.remove(said_of)      # (a thing's: its own sentence's topic only)
    return _released_not_developed(_brands_release_their_own(list(dict.fromkeys(reading.facts)), mentions))


def _said_of(reading: _Reading, shape: str, inside: list[Resolved]) -> tuple[Resolved, bool] | None:
    """A sentence that opens by saying what a firm or thing is ('小雨智造是…企业，创始人乔忠良…',
    'Istio 是…服务网格实现，依赖于 Kubernetes') makes it the topic: a firm's for what follows, a
    thing's for the rest of its sentence (returned, to be taken off the topics after it)."""
    opening = _OPENING_SUBJECT.match(shape)
    if opening is None:
        return None
    topic = (inside[int(opening.group(1))], True)
    reading.topics.append(topic)
    return topic if topic[0].type not in ("Company", "Organization") else None


def _brands_release_their_own(facts: list[Fact], mentions: list[Resolved]) -> list[Fact]:
    """Facts, but a product's releases only of the things named after it (a brand that is its own
    firm: 'GitHub 推出了新的 GitHub Issues'; not 'Slack 发布了 Kestrel 插件', another's thing)."""
    if not any(f.predicate == "releases" for f in facts):
        return facts                    # (most entries: no mention looked at)
    products = {r.key for r in mentions if r.type == "Product"} - {r.key for r in mentions if r.type != "Product"}
    return [f for f in facts if f.predicate != "releases" or f.subject not in products
            or f.object.startswith(f.subject) and f.object != f.subject]


def _released_not_developed(facts: list[Fact]) -> list[Fact]:
    """A thing the entry says its maker releases is released, not also developed (develops is
    the relation of a thing with no release in the text: 'A 宣布了其最新的模型 X' is a release)."""
    released = {(f.subject, f.object) for f in facts if f.predicate == "releases"}
    if not released:
        return facts
    return [f for f in facts if f.predicate != "develops" or (f.subject, f.object) not in released]


# a sentence that opens by saying what a firm, body or thing is (after a lead phrase of time or place
# and its comma): '小雨智造是…企业'
_OPENING_SUBJECT = re.compile(f"\\s*(?:[^{OPEN}{CLOSE}，,。；]{{0,12}}[，,]\\s*)?"
                              f"{OPEN}[CGPJ](\\d+){CLOSE}\\s*(?:是|为|曾是|现在是)")

_POINT_START = re.compile(r"[\s\d.、)）*•-]{0,6}")


def _read_point(reading: _Reading, lead: tuple[str, list[Resolved], str], text: str, start: int, end: int,
                first: Resolved, entry: int, rules: RelationRules, since: int) -> None:
    """A point of a list after a line that ends in a colon ('X 还投资了四家公司：' then '1. Acme，…')
    completes that line: its leading name fills the line's open slot."""
    opening = _POINT_START.match(text, start, end)          # (it matches the empty string too)
    if opening is None or first.mention.start > opening.end():
        return                              # the point does not open with a name
    shape, inside, said = lead
    shape = f"{shape} {OPEN}{TYPE_LETTER.get(first.type, 'J')}{len(inside)}{CLOSE}"
    inside = [*inside, first]
    wanted = str(len(inside) - 1)
    hits = [hit for hit in pattern_hits(shape, rules)
            if any(wanted in _INDEX_RE.findall(hit[3].group(slot) or "") for slot in ("S", "O")
                   if slot in hit[3].groupdict())]
    _add_facts(reading, hits, inside, shape, f"{said} {text[start:end].strip()}", entry, since)


def _add_facts(reading: _Reading, hits: list, inside: list[Resolved], shape: str, sentence: str, entry: int,
               since: int) -> None:
    """The facts of a sentence's pattern hits, and the topics they set."""
    for position, _, pattern, match in hits:
        if _subject_is_a_source_label(match):
            continue            # ('EMQ 社区：使用 MQTT 构建…': the item's source, not who uses it)
        subjects, objects, how = _arguments(reading, pattern, match, inside, position, shape, since)
        if not subjects:
            continue
        if pattern.has_object:
            pairs = _respective_pairs(pattern, match, shape, subjects, objects, inside) \
                or [(s, o) for s in subjects for o in objects]
        elif pattern.predicate in SYMMETRIC_RELATIONS:
            pairs = _pairs_within(match.group("S") or "", subjects)
        else:
            pairs = []
        for s, o in pairs:
            if s.key != o.key and not _made_by_another(pattern.predicate, s, o, reading) \
                    and not _another_thing_released_by_a_project(pattern.predicate, s, o):
                reading.facts.append(Fact(s.key, pattern.predicate, o.key, sentence, entry, o.mention.version,
                                          load_confidence().get(how, 0.9)))
        if pairs and not pattern.fixed_subject:         # (a subject no text names is no topic, nor a firm 它 stood for)
            reading.topics.extend((s, True) for s in subjects if s.mention.typed_by != "pronoun-firm")
            if pattern.predicate in _INTRODUCING:
                reading.topics.extend((o, False) for o in objects)


def _made_by_another(predicate: str, subject: Resolved, thing: Resolved, reading: _Reading) -> bool:
    """Whether a thing said to be the subject's own bears another firm of the entry at the front of
    its name, a firm the lexicon knows and the subject has not bought ('A 的 X Graph 和 IBM Graph':
    IBM's, not A's; but A 收购 B 之后推出了 B Cloud: A's now)."""
    if predicate not in ("develops", "releases") or " " not in thing.name:
        return False
    makers = reading.firms_named(thing.name.split(" ")[0]) - {subject.key}
    return bool(makers) and not makers <= {f.object for f in reading.facts
                                           if f.predicate == "acquires" and f.subject == subject.key}


def _another_thing_released_by_a_project(predicate: str, subject: Resolved, thing: Resolved) -> bool:
    """Whether a project would release a thing that is neither a release nor an edition named after
    it: a project releases its versions and editions (OpenStack Icehouse, React 19, Deno Deploy);
    a project said to release another thing stands for its makers or for what is built on it
    ('Kotlin 和 Dart 将很快发布 Wasm 编译器', 'TensorFlow 2.0 推出紧密的 Keras 集成'). A name typed
    a project by nothing but the default may well be the firm that releases."""
    return predicate == "releases" and subject.type == "Project" and subject.mention.typed_by not in WEAKLY_TYPED \
        and thing.type != "Release" and not normalize(thing.name).startswith(normalize(subject.name))


def _respective_pairs(pattern: RelationPattern, match: re.Match, shape: str, subjects: list[Resolved],
                      objects: list[Resolved], inside: list[Resolved]) -> list[tuple[Resolved, Resolved]]:
    """A list of subjects and a list of objects of as many members, for a relation whose object has
    one subject, paired in order: 'A 和 B 对 C 和 D 的收购' (A bought C, B bought D). The subject slot
    holds the list's last member; the others stand right before it."""
    words = load_clause_words()
    if pattern.predicate not in words.respective or len(subjects) != 1 or len(objects) < 2 \
            or not match.groupdict().get("S"):
        return []
    earlier = re.search(f"(?:{OPEN}[A-Z]\\d+{CLOSE}{words.list_joiner})+$", shape[:match.start("S")])
    if earlier is None:
        return []
    firsts = [m for m in _members(earlier.group(0), inside) if m.type in pattern.subject_types]
    return list(zip(firsts + subjects, objects, strict=True)) if len(firsts) + 1 == len(objects) else []


def _named_in(match: re.Match, pattern: RelationPattern) -> bool:
    """Whether a match names its subject and (if it takes one) its object in its own slots."""
    slots = match.groupdict()
    return bool(slots.get("S")) and (not pattern.has_object or bool(slots.get("O"))) \
        and not (pattern.fixed_subject or pattern.subject_before or pattern.subject_partners or pattern.subject_maker)


def _trailing_others(match: re.Match, pattern: RelationPattern) -> int | None:
    """Where the members of another type that end a list slot of a match start, if any."""
    for role, kinds in (("S", pattern.subject_types), ("O", pattern.object_types)):
        group = match.groupdict().get(role)
        if not group:
            continue
        letters = {TYPE_LETTER[k] for k in kinds}
        members = list(_MEMBER_RE.finditer(group))
        if len(members) < 2 or members[-1].group(1) in letters:
            continue
        first = len(members)
        while first > 0 and members[first - 1].group(1) not in letters:
            first -= 1
        if 0 < first < len(members):
            return match.start(role) + members[first].start()
    return None


_MEMBER_RE = re.compile(f"{OPEN}([A-Z])\\d+{CLOSE}")


def pattern_hits(shape: str, rules: RelationRules) -> list:
    """Every match of every pattern that can match this sentence skeleton, in text order."""
    hits = []
    present = 1
    for placeholder, bit in _LETTER_BITS:
        if placeholder in shape:
            present |= bit
    for pattern in rules.candidates(shape):
        one_slot, other_slot = pattern.slot_bits
        if not (present & one_slot and present & other_slot):
            continue            # a slot every match fills, and no mention of a type it takes
        for match in pattern.regex.finditer(shape):
            hits.append((match.start(), pattern.order, pattern, match))
            # a list slot ends in members of other types ('A 和 AWS 的总经理 B'): those are the
            # rest of the sentence's, so it is read again from the first of them
            again = _trailing_others(match, pattern)
            while again is not None:
                found = pattern.regex.search(shape, again)
                if found is None:
                    break
                hits.append((found.start(), pattern.order, pattern, found))
                again = _trailing_others(found, pattern)
    # in text order: by start, then by end (a match read first sets no topic for one that ends before it),
    # then by the pattern's place in its file (line 99 before line 102)
    hits.sort(key=lambda h: (h[0], h[3].end(), h[1]))
    negation = load_clause_words().negation
    if negation is not None:        # 'X 并没有收购 Y': a negated or questioned match states nothing
        hits = [hit for hit in hits if not negation.search(shape, _clause_start(shape, hit[3].start()), hit[3].end())]
    return hits


def _clause_start(shape: str, position: int) -> int:
    """Where the clause that holds position starts: after the last clause mark before it (a
    negation before a match's first slot still holds it: 终止与 X 的合作)."""
    return max(shape.rfind(mark, 0, position) for mark in "，,。；;：:") + 1


def _arguments(reading: _Reading, pattern: RelationPattern, match, inside: list[Resolved], position: int,
               shape: str, since: int) -> tuple[list[Resolved], list[Resolved], str]:
    """A match's subjects and objects: its slots, or what a fixed, referring-back or dropped
    slot stands for; and how the less sure of the two was read (confidence.tsv)."""
    mentions = reading.mentions
    subjects = [m for m in _members(match.groupdict().get("S"), inside)
                if m.type in pattern.subject_types and _may_say(m, pattern.predicate)]
    objects = [m for m in _members(match.groupdict().get("O"), inside) if m.type in pattern.object_types
               and not (pattern.new_object and m.known)] if pattern.has_object else []
    how = ["named"] if not any(r.mention.typed_by.startswith("pronoun") for r in (*subjects, *objects)) else ["referring"]
    if pattern.fixed_subject:
        fixed = {r.key: r for r in mentions}.get(normalize(pattern.fixed_subject))
        subjects, how = [fixed] if fixed else [_fixed(pattern.fixed_subject, pattern)], ["fixed"]
    if pattern.subject_before:
        subjects, how = _nearest_before(mentions, inside, position, shape, pattern.subject_types, True, since), \
            ["referring"]
    if pattern.object_before:
        objects, how = _nearest_before(mentions, inside, position, shape, pattern.object_types, True, since), \
            how + ["referring"]
    if pattern.subject_partners:
        subjects, how = _latest_partners(reading.facts, mentions, pattern.subject_types), ["partners"]
    if pattern.subject_maker:
        subjects = [maker for o in objects if (maker := reading.makers.get(o.mention.start)) is not None
                    and maker.type in pattern.subject_types]
    it_for_a_firm = any(m.mention.typed_by == "pronoun-firm" for m in _members(match.groupdict().get("S"), inside))
    if not subjects and pattern.subject_optional and not _says_its_subject(match) and not it_for_a_firm:
        topic = _topic(reading.topics, pattern.subject_types, subject=True)
        nearest = _nearest_before(mentions, inside, position, shape, pattern.subject_types, False, since, reading.text)
        # a person named just before is the one a dropped subject continues (联合创始人王文林，曾任…);
        # a firm, the topic its sentence has set (思科在收购Metacloud之后，推出了X: Cisco), else the
        # subject of an earlier clause (小红书正在追赶谷歌，还上线了X), else the entry's topic
        if set(pattern.subject_types) <= {"Person"}:
            subjects = nearest or topic
        elif (person := _person_going_on(shape, inside, position)) is not None:
            subjects = person if "Person" in pattern.subject_types else []    # (Borgman 创建了 A，并在脸书创建了 B)
        elif topic and topic[0] in inside:
            subjects = topic
        else:
            subjects = _clause_subject(shape, inside, position, pattern.subject_types) or topic or nearest
        how.append("topic")
        subjects = [m for m in subjects if m.mention.typed_by != "pronoun-firm" or _may_say(m, pattern.predicate)]
    if pattern.has_object and not objects and pattern.object_optional:
        objects = _dropped_object(reading, pattern, match, subjects, inside, position, shape, since, how)
    confidence = load_confidence()
    return subjects, objects, min(how, key=lambda name: confidence.get(name, 1.0))


def _dropped_object(reading: _Reading, pattern: RelationPattern, match, subjects: list[Resolved],
                    inside: list[Resolved], position: int, shape: str, since: int, how: list[str]) -> list[Resolved]:
    """What a dropped object ({O?}) stands for: the entry's topic, a colleague's employer, the
    firm the sentence is about, the nearest fitting name before, the post's firm, the latest
    event; how it was read is added to how."""
    mentions = reading.mentions
    # a thing its sentence opens on, the subject of an earlier clause, is the thing a later clause
    # drops ('X 可以被视为 Y 的对手，每天都在 A 的生产环境中使用': X), before the entry's topic
    things = tuple(kind for kind in pattern.object_types if kind in ("Product", "Project"))
    objects = (things and _clause_subject(shape, inside, position, things, things)) or \
        _topic(reading.topics, pattern.object_types)
    if pattern.predicate == "worksFor" and _colleague().match(shape, match.start()):
        # '…由甲创立，他的联合创始人乙': the firm of the one 他 is, its latest employer
        employer = next((f.object for f in reversed(reading.facts) if f.predicate == "worksFor"), None)
        objects = [r for r in mentions if r.key == employer][:1] or objects
    if not objects and pattern.predicate == "funds":   # (the firm the sentence is about, not another investor)
        objects = [o for o in _clause_subject(shape, inside, position, pattern.object_types) if o not in subjects]
    if not objects:
        objects = _nearest_before(mentions, inside, position, shape, pattern.object_types, True, since)
        if pattern.predicate == "worksFor":     # (the firm just named as another's employer is not the topic)
            employers = {f.object for f in reading.facts if f.predicate == "worksFor"
                         and f.subject not in {s.key for s in subjects}}
            objects = [o for o in objects if o.key not in employers]
    how.append("topic")
    if not objects and reading.post_firm is not None and pattern.predicate == "worksFor" \
            and _at_the_post_firm(reading, subjects, pattern):
        objects = [reading.post_firm]       # a role no firm of the entry claims: the post's firm
        how.append("post")
    if not objects and pattern.object_types == ("Event",):
        objects = [r for r in reversed(reading.context) if r.type == "Event"][:1]
        how.append("event")
    return objects


# a name a sentence opens on, after at most a short opening (近日，), as its subject: not a
# modifier (X的) and not the first of a list
_OPENING_SUBJECT_RE = re.compile(f"(?:[^{OPEN}，,。；;：:]{{0,16}}[，,]\\s*)?{OPEN}[A-LN-Z](\\d+){CLOSE}"
                                 "(?!\\s*(?:的|、|和|与|及|[,，]))")


@lru_cache(maxsize=1)
def _colleague() -> re.Pattern:
    """A role that is a colleague's: 他的联合创始人 X (pronouns.tsv's phrases for people, then 的)."""
    people = sorted((phrase for phrase, kinds in load_pronouns()[1].items() if kinds == ("Person",)
                     and "…" not in phrase), key=len, reverse=True)
    return re.compile(rf"\s*(?:{'|'.join(map(re.escape, people))})的") if people else re.compile("(?!)")


def _person_going_on(shape: str, inside: list[Resolved], position: int) -> list[Resolved] | None:
    """When the sentence opens on a person (or on a pronoun for one: 他, 这两人) and nothing else is
    named between that person and the clause of a match, the clause's dropped subject is that
    person: the person named (none for a pronoun, nor for a clause that opens on one); None when
    the sentence opens otherwise, or on what the person said (clause-words.tsv saying). A role
    between commas after the person only describes them (P，Acme 的产品经理，在 X 花了…)."""
    opening = _OPENING_SUBJECT_RE.match(shape)
    clause = _clause_start(shape, position)
    opening_pronoun = load_clause_words().person_opening
    if clause and opening_pronoun is not None and (here := opening_pronoun.match(shape, clause)) is not None \
            and not _PARTICIPANT_RE.search(shape, here.end(), position):
        return []                   # (…谷歌的传播者，他还与 X 合作: he, not Google)
    lead = _OPENING_NAME.match(shape) if opening is None else None
    described = _role_apposition().match(shape, lead.end()) if lead and inside[int(lead.group(1))].type == "Person" \
        else None                   # (P，Acme 的产品经理，在 X 花了…: P, whom the firm only describes)
    if described is not None and described.end() <= clause and not _PARTICIPANT_RE.search(shape, described.end(), clause):
        return [inside[int(lead.group(1))]]     # type: ignore[union-attr]
    if opening is None:
        pronoun = opening_pronoun.match(shape) if opening_pronoun else None     # (他创建了 X 项目，并…: before any name)
        return [] if pronoun is not None and not _PARTICIPANT_RE.search(shape, 0, pronoun.end()) else None
    person, saying = inside[int(opening.group(1))], load_clause_words().saying
    if person.type != "Person" or _PARTICIPANT_RE.search(shape, opening.end(), max(clause, opening.end())) \
            or saying is not None and saying.match(shape, opening.end()):
        return None                 # (Jane Doe 表示，…: what she said, of her firm as often)
    return [person]


@lru_cache(maxsize=1)
def _role_apposition() -> re.Pattern:
    """A clause between commas that ends on a role (，Acme 平台团队的主要产品经理，): the person's
    description, whose names take no part in what the sentence goes on to say."""
    return macro_pattern(r"\s*[，,][^，,。；：:]*?(?:{ROLE})\s*[，,]\s*", ontology_dir() / "patterns" / "macros.tsv")


def _clause_subject(shape: str, inside: list[Resolved], position: int, allowed,
                    kinds=("Company", "Organization")) -> list[Resolved]:
    """The latest firm or body before the clause of a match that is the subject of an earlier
    clause of its sentence: the name the sentence opens on (小红书正在朝着百度追赶，而且还上线了X:
    小红书), or one an adverb of a subject follows (以便 VMware 可以…，从而专注于使用 Salt:
    VMware); the subject the later clause drops. A first clause of means (clause-words.tsv means-lead)
    takes the subject its sentence names right after its comma. kinds: the types it may be."""
    clause = _clause_start(shape, position)
    words = load_clause_words()
    means = words.means_lead.match(shape) if words.means_lead is not None and clause == 0 else None
    if means is not None and inside[int(means.group(1))].type in allowed:
        return [inside[int(means.group(1))]]       # ('通过使用 X，我们已经能够…': the subject after the comma)
    adverb = words.subject_adverb
    opening = _OPENING_SUBJECT_RE.match(shape)
    indices = [int(opening.group(1))] if opening is not None and opening.end() < clause else []
    if adverb is not None:
        indices += [int(p.group(1)) for p in _PARTICIPANT_RE.finditer(shape, 0, clause) if adverb.match(shape, p.end())]
    for index in sorted(indices, reverse=True):
        resolved = inside[index]
        if resolved.type in allowed and resolved.type in kinds:
            return [resolved]
    return []


# what sets a name off right after another: a comma or 、 alone
_SET_OFF = re.compile(r"\s*[，,、]\s*")


def _at_the_post_firm(reading: _Reading, people: list[Resolved], pattern: RelationPattern) -> bool:
    """Whether people a role names with no firm work for the firm the post is about: its entry
    names no firm or body before them nor right after them, and the role is none held outside
    firms (clause-words.tsv outside-role)."""
    firm, outside = reading.post_firm, load_clause_words().outside_role
    first = min((p.mention.start for p in people), default=0)
    # (nor one named right after them, set off by a comma: '工程副总裁 P ， SaltStack' is SaltStack's)
    after = {p.mention.end for p in people}
    return firm is not None and firm.type in pattern.object_types \
        and not any(m.type in pattern.object_types and (m.mention.start < first or any(
            _SET_OFF.fullmatch(reading.text, end, m.mention.start) for end in after if end <= m.mention.start))
            for m in reading.mentions) \
        and not (outside is not None and any(outside.search(reading.text, max(0, p.mention.start - 8), p.mention.start)
                                             for p in people))


def _says_its_subject(match) -> bool:
    """Whether the clause of a match with no subject names its own subject, no name, right
    before the verb before its object ('96%的人使用 <J0>': people use it, not the entry's topic)."""
    common = load_clause_words().common_subject
    if common is None or match.groupdict().get("O") is None:
        return False
    shape, verb_end = match.string, match.start("O")
    opening = _clause_start(shape, verb_end)
    if _opens_on_common_subject(shape, opening):
        return True         # '开发者现在可以在 <P0> 上使用 <J1>': the developers use it
    if _NAMED_BEFORE_WHERE.search(shape, opening, match.end()):
        return True         # '<C0> 在其 <P1> 中使用了 <J2>': C0 (the pattern that names it), not the topic
    label = _SOURCE_LABEL.match(shape)
    if label is not None and match.start() >= label.end() and not _PARTICIPANT_RE.search(shape, label.end(), verb_end):
        return True         # 'EMQ 社区：使用 MQTT 构建…': a headline under its source, whose doer it does not say
    return _says_it_generically(shape, opening, verb_end)


def _subject_is_a_source_label(match) -> bool:
    """Whether a match's subject is the name an item opens with as its source, before a colon
    that the match's verb comes after (EMQ 社区：使用 MQTT…, Dromara：…发布)."""
    label = _SOURCE_LABEL.match(match.string)
    return label is not None and match.groupdict().get("S") is not None and match.start("S") < label.end() \
        and (match.groupdict().get("O") is None or match.start("O") >= label.end())


def _says_it_generically(shape: str, opening: int, verb_end: int) -> bool:
    """Whether a clause names a common subject right before its verb ('96%的人使用 <J0>')."""
    common = load_clause_words().common_subject
    said = common.search(shape, opening, verb_end) if common is not None else None
    return said is not None and _PARTICIPANT_RE.search(shape, said.start(), verb_end) is None


# a name that opens an item as the source of what follows (EMQ 社区：…, Dromara：…); not a person
# speaking (马克：我在…)
_SOURCE_LABEL = re.compile(f"\\s*{OPEN}[A-GI-Z]\\d+{CLOSE}\\s*(?:社区|团队|官方|博客|公众号)?\\s*[：:]")

# a name, then where it does what follows: 在 (其) and a name, 中/上/里/期间
_NAMED_BEFORE_WHERE = re.compile(f"{OPEN}[A-Z]\\d+{CLOSE}[^，。；{OPEN}{CLOSE}]{{0,8}}?在(?:其|自己的|自家的?)?\\s*"
                                 f"{OPEN}[A-Z]\\d+{CLOSE}[^，。；{OPEN}{CLOSE}]{{0,8}}?(?:中|上|里|内|期间)")


def _opens_on_common_subject(shape: str, opening: int) -> bool:
    """Whether a clause opens on a subject that is no name (开发者现在不仅可以…)."""
    common = load_clause_words().common_opening
    return common is not None and common.match(shape, opening) is not None


@lru_cache(maxsize=4)
def load_pronouns(path: Path | None = None) -> tuple[re.Pattern | None, dict[str, tuple[str, ...]]]:
    """pronouns.tsv: one pattern finding every phrase, and each phrase's types."""
    return _pronoun_rows(path)[:2]


@lru_cache(maxsize=4)
def _pronoun_rows(path: Path | None = None):
    path = Path(path) if path else ontology_dir() / "patterns" / "pronouns.tsv"
    types: dict[str, tuple[str, ...]] = {}
    facts: dict[str, frozenset[str]] = {}       # a phrase -> the only relations it is the subject of
    for number, cells in tsv_rows(path):
        kinds = tuple(cells[1].split("|")) if len(cells) in (2, 3) else ()
        if not kinds or any(k not in TYPE_LETTER and k not in ("any", "latest", "earlier", "first", "people") for k in kinds):
            raise DataFileError(path, number,
                                "write phrase<TAB>Type|Type (or any, latest, earlier, first, people)[<TAB>relations]")
        types[cells[0]] = kinds
        if len(cells) == 3:
            facts[cells[0]] = frozenset(cells[2].split("|"))
    phrases = sorted(types, key=len, reverse=True)
    pattern = "|".join(_phrase(phrase, owner="Person" not in types[phrase]) for phrase in phrases)
    return (re.compile(pattern, re.I) if phrases else None), types, facts


def _may_say(subject: Resolved, predicate: str) -> bool:
    """Whether a subject is one its relation may have: a phrase referring back that pronouns.tsv
    limits (他 and 她 are subjects of roles and doings, not of a release) only in those."""
    if subject.mention.typed_by == "pronoun-firm":      # 它 for a firm: only what a thing cannot do
        return predicate in load_clause_words().firm_it_relations
    if subject.mention.typed_by != "pronoun":
        return True
    only = _pronoun_rows()[2].get(subject.mention.surface)
    return only is None or predicate in only


def _phrase(phrase: str, owner: bool = False) -> str:
    """A pronoun phrase as a regular expression: '…' stands for up to six Chinese characters but
    的 (这家…公司: 这家公司, 这家云计算公司; not 该项目的大公司); a phrase of one Chinese character opens a clause and
    is no part of a word (，他是…; not 其他); a person's is no owner (not 他的), a thing's, when
    owner, is (它的客户)."""
    if len(phrase) == 1 and is_cjk(phrase):
        return f"(?<![\u4e00-\u9fff]){re.escape(phrase)}(?![们人{'' if owner else '的'}])"
    return "(?:(?!的)[\u4e00-\u9fff]){0,6}?".join(map(re.escape, phrase.split("…")))    # (该项目的大公司: no firm)


def _phrase_types(said: str, types: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """The types of the pronoun phrase that reads as what the text says."""
    found = types.get(said) or types.get(said.lower())
    if found:
        return found
    return next((kinds for phrase, kinds in types.items()
                 if "…" in phrase and re.fullmatch(_phrase(phrase), said, re.I)), ())


_CLAUSE_MARK = re.compile(r"[，,；;：:]")


def _named_so(text: str, fitting: list[Resolved], phrase: str) -> Resolved | None:
    """The latest of the mentions the text names with the phrase's own noun right after them
    ('service-catalog 项目的最终目标…', then 该项目: service-catalog, not a project named since)."""
    noun = _DETERMINER.sub("", phrase)
    if not noun or not all(is_cjk(ch) for ch in noun) or noun == phrase:
        return None
    return next((r for r in reversed(fitting) if text[r.mention.end:r.mention.end + 2 + len(noun)].lstrip().startswith(noun)),
                None)


_DETERMINER = re.compile("^(?:该|这个|这家|这款|此)")


def with_referents(text: str, mentions: list[Resolved],
                   previous: tuple[tuple[Resolved, ...], ...] = ()) -> list[Resolved]:
    """The mentions, and a mention for each phrase that refers back (该公司, 后者): the
    entity it stands for, typed 'pronoun', so that every relation pattern reads it as a name.
    A phrase for a firm that the entry names nothing before stands for the firm an earlier entry
    names most (the latest such entry: the paragraph before goes on about its firm)."""
    mentions = _bodies_named_by_their_last_word(text, _things_said_of_a_kind(text, mentions))
    finder, types = load_pronouns()
    if finder is None or not (mentions or previous) or finder.search(text) is None:
        return mentions
    added = []
    said: dict[str, tuple[int, Resolved, bool]] = {}    # a phrase -> where it was last read, what it stood for (a firm 它?)
    ordered = sorted(mentions, key=lambda r: r.mention.start)
    spans = sentences(text)
    clause_words = load_clause_words()
    excluding, object_marker = clause_words.excluding, clause_words.object_marker     # (除了 Fleet，这家公司还…)
    excluded, cited = _named_within(excluding, text, ordered), _named_within(clause_words.source, text, ordered)
    for found in finder.finditer(text):
        if any(r.mention.start < found.end() and found.start() < r.mention.end for r in ordered):
            continue
        # what earlier clauses named, else what this clause named before it: 'Zorbix 收购了该公司'
        # does not mean Zorbix bought itself
        opening = next((start for start, end in spans if start <= found.start() < end), 0)
        clause = max([opening] + [m.end() for m in _CLAUSE_MARK.finditer(text, opening, found.start())])
        before = [r for r in ordered if r.mention.end <= clause and r.key not in excluded]
        acted_on = object_marker is not None and object_marker.search(text, max(0, found.start() - 4), found.start())
        if not before and not acted_on:     # ('Zorbix 称该公司…': the doer; '红杉为该公司领投': not)
            before = [r for r in ordered if r.mention.end <= found.start() and r.key not in excluded]
        kinds = _phrase_types(found.group(0), types)
        if set(kinds) <= {"Company", "Organization"}:       # (根据 TechWire 的说法，该公司…: not TechWire)
            before = [r for r in before if r.key not in cited]
        earlier = [r for r in before if r.type != "Person" or "any" in kinds or "Person" in kinds]
        again = said.get(found.group(0))
        firm = False
        referent: Resolved | None
        if again is not None and not any(again[0] <= r.mention.start < found.start() and r.type in kinds
                                         for r in ordered):
            referent, firm = again[1], again[2]     # '为该公司领投…，该公司由 A 创立': the same phrase, the same firm
        elif "first" in kinds:           # '它' opening a clause: what the sentence before it is about
            referent, firm = _what_it_stands_for(text, spans, found.start(), ordered, before, earlier, kinds, previous)
        elif "latest" in kinds or "earlier" in kinds:
            distinct = list(dict.fromkeys(r.key for r in reversed(earlier)))    # latest first
            place = 1 if "earlier" in kinds else 0
            wanted = distinct[place] if len(distinct) > place else None
            referent = next((r for r in reversed(earlier) if r.key == wanted), None)
        else:
            fitting = [r for r in earlier if r.type in kinds or "any" in kinds]
            if kinds[:2] == ("Company", "Organization") and any(r.type == "Company" for r in fitting):
                fitting = [r for r in fitting if r.type == "Company"]     # (该公司 is a firm before a body named later)
            named_so = _named_so(text, fitting, found.group(0)) if not {"Company", "Organization"} & set(kinds) else None
            referent = named_so or next(reversed(fitting), None)     # (a firm is written X 公司 anywhere)
            if referent is not None and "people" in kinds and _SPEAKER_LABEL.match(text, referent.mention.end):
                referent = None         # ('阿德里安：…现在他们需要…': others the speaker talks of)
            if referent is None and not before and set(kinds) <= {"Company", "Organization"}:
                referent = _most_named(previous, kinds)         # (a firm, not a thing: 该平台 stays local)
        if referent is not None:
            said[found.group(0)] = (found.end(), referent, firm)
            added.append(_standing_for(referent, found.start(), found.end(), found.group(0),
                                       "pronoun-firm" if "first" in kinds and firm else "pronoun"))
    return sorted([*mentions, *added], key=lambda r: r.mention.start) if added else mentions


_SPEAKER_LABEL = re.compile(r"\s*[:：]")       # a name labelling what its speaker says (阿德里安：…)


def _writers_firm_said(text: str, mentions: list[Resolved], firm: Resolved) -> list[Resolved]:
    """The mentions, and the writer's firm where the writer says 我们 (clause-words.tsv writer-firm-pronoun),
    outside quotes and names."""
    said = [_standing_for(firm, found.start(), found.end(), found.group(0))
            for found in load_clause_words().writer_firm.finditer(text)
            if not _quoted(text, found.start())
            and not any(r.mention.start < found.end() and found.start() < r.mention.end for r in mentions)]
    return sorted([*mentions, *said], key=lambda r: r.mention.start) if said else mentions


def _quoted(text: str, at: int) -> bool:
    """Whether a position stands inside a quotation: an opening quote before it in its paragraph, not closed."""
    paragraph = text.rfind("\n", 0, at) + 1
    return text.rfind("“", paragraph, at) > text.rfind("”", paragraph, at)


def _standing_for(referent: Resolved, start: int, end: int, surface: str, typed_by: str = "pronoun") -> Resolved:
    """A mention of the text between start and end that refers back to referent's entity."""
    mention = replace(referent.mention, start=start, end=end, surface=surface, typed_by=typed_by)
    return Resolved(mention, referent.key, referent.type, referent.name, referent.known)


def _things_said_of_a_kind(text: str, mentions: list[Resolved]) -> list[Resolved]:
    """The mentions, and 该框架 (a determiner and a kind of thing: clause-words.tsv thing-kind) right
    after a clause saying the thing named before is of that kind, as that thing ('Wasp 是一个类似
    Rails 的开源框架，该框架旨在…'; not a framework named since: the kind read alone is as often
    another thing)."""
    said_kind = load_clause_words().said_kind
    if said_kind is None or not mentions:
        return mentions
    added = []
    for found in said_kind.finditer(text):
        said = re.compile(_KIND_SAID.format(kind=re.escape(found.group("kind"))))
        thing = next((r for r in reversed(mentions) if r.mention.end <= found.start() and r.type in ("Product", "Project")
                      and said.fullmatch(text, r.mention.end, found.start())), None)
        if thing is not None:
            added.append(_standing_for(thing, found.start(), found.end(), found.group(0)))
    return sorted([*mentions, *added], key=lambda r: r.mention.start) if added else mentions


def _bodies_named_by_their_last_word(text: str, mentions: list[Resolved]) -> list[Resolved]:
    """The mentions, and a public body's last word standing alone after it (name-words.tsv
    public-body-ending), opening a clause or after 该, as that body: '市场监管总局召开…，总局党组成员、
    副局长孟扬主持' (总局: 市场监管总局); not a word inside a longer one or a name."""
    ending = load_name_words().public_body_ending
    bodies = [r for r in mentions if r.type == "Organization" and _ends_in_chinese(r.mention.surface)]
    if not bodies:
        return mentions
    added = []
    for found in ending.finditer(text):
        word, before = found.group(0), text[found.start() - 1:found.start()]
        if before and before not in _BODY_WORD_LEAD or any(r.mention.start < found.end() and found.start() < r.mention.end
                                                          for r in mentions):
            continue
        body = next((r for r in reversed(bodies) if r.mention.end <= found.start()
                     and r.mention.surface.endswith(word) and len(r.mention.surface) > len(word)), None)
        if body is not None:
            added.append(_standing_for(body, found.start(), found.end(), word))
    return sorted([*mentions, *added], key=lambda r: r.mention.start) if added else mentions


def _ends_in_chinese(surface: str) -> bool:
    """Whether a name ends in Chinese script (市场监管总局; not Linux Foundation)."""
    return bool(surface) and is_cjk(surface[-1])


# what may stand right before a body's last word standing for the body: a clause mark, or 该 or 本
_BODY_WORD_LEAD = "，,。；;：:、 \n该本"


# what stands between a thing and 该<kind> when a clause says the thing is of that kind (X（…）是一个…框架，)
_KIND_SAID = (r"\s*(?:[(（][^()（）]{{1,30}}[)）])?\s*(?:也|则)?(?:是|为)\s*(?:一个|一款|一种|一套)?"
              r"[^，。；]{{0,20}}?{kind}\s*[，,]\s*")


def _named_within(spans: re.Pattern | None, text: str, ordered: list[Resolved]) -> set[str]:
    """The keys of the mentions that start inside a match of spans (除了 X，; 根据 X 的说法，)."""
    return {r.key for span in (spans.finditer(text) if spans else ())
            for r in ordered if span.start() <= r.mention.start < span.end()}


def _what_it_stands_for(text: str, spans, said_at: int, ordered: list[Resolved], before: list[Resolved],
                        earlier: list[Resolved], kinds: tuple[str, ...],
                        previous: tuple[tuple[Resolved, ...], ...]) -> tuple[Resolved | None, bool]:
    """What 它 opening a clause stands for, and whether it is a firm: a thing of its kinds named
    right before it, else the thing the sentence before is about; when no thing fits, a firm, for
    what a thing cannot do (firm-it-relation): the one the sentence before opens on, or, opening an
    item that names nothing before it, the one the items before are about (spans: the text's sentences)."""
    right_before = [r for r in ordered if r.type in kinds and r.mention.end <= said_at
                    and not text[r.mention.end:said_at].strip()]
    referent = right_before[-1] if right_before else _first_of_its_sentence(earlier, spans, kinds)
    if referent is not None:
        return referent, False
    if before:
        return _firm_opening_a_sentence(text, said_at, earlier, spans, load_clause_words().sentence_lead), True
    return _the_items_firm(previous), True


def _first_of_its_sentence(earlier: list[Resolved], spans, kinds: tuple[str, ...]) -> Resolved | None:
    """The first mention of a fitting type in the latest sentence that holds one: the sentence's
    topic, which a pronoun opening the next clause goes on about ('Zorbix 是一个调度平台。它支持 X')."""
    fitting = [r for r in earlier if r.type in kinds]
    if not fitting:
        return None
    last = fitting[-1].mention.start
    opening = next((start for start, end in spans if start <= last < end), 0)
    first = next(r for r in earlier if r.mention.start >= opening)
    # (its subject: the sentence's first name, a few characters from its opening: '由于 CFCR 是多平台的，它…';
    # not a name further in: '…附带了 JetPack 的预览版，它基于 Ubuntu')
    return first if first.type in kinds and first.mention.start - opening <= _SUBJECT_LEAD else None


_SUBJECT_LEAD = 6       # characters that may open a sentence before its subject (此外，, 由于)


def _firm_opening_a_sentence(text: str, said_at: int, earlier: list[Resolved], spans,
                             lead: re.Pattern | None) -> Resolved | None:
    """For a pronoun that opens its sentence (at said_at), the firm an earlier sentence, the
    latest naming one, opens on, only sentence-lead words before each (clause-words.tsv: 'Lumora
    去年的收入翻倍。它的客户包括 A'; not '在一篇关于 TechWire 的帖子中，…', not 'Acme 发布了 X，它…')."""
    own = next((start for start, end in spans if start <= said_at < end), 0)
    firms = [r for r in earlier if r.type == "Company" and r.mention.start < own]
    if not firms or lead is None or not lead.fullmatch(text, own, said_at):
        return None
    last = firms[-1].mention.start
    opening = next((start for start, end in spans if start <= last < end), 0)
    first = next(r for r in earlier if r.mention.start >= opening)
    return first if first.type == "Company" and lead.fullmatch(text, opening, first.mention.start) else None


def _the_items_firm(previous: tuple[tuple[Resolved, ...], ...]) -> Resolved | None:
    """The firm the earlier entries name more often than any other (their latest mention of it)."""
    firms = [r for names in previous for r in names if r.type == "Company" and not r.mention.typed_by.startswith("pronoun")]
    counts = Counter(r.key for r in firms).most_common(2)
    if not counts or len(counts) == 2 and counts[0][1] == counts[1][1]:
        return None
    return next(r for r in firms if r.key == counts[0][0])


def _most_named(previous: tuple[tuple[Resolved, ...], ...], kinds: tuple[str, ...]) -> Resolved | None:
    """What the latest earlier entry that names something of these types names most often (its
    latest mention of it); when it names several as often (a list of investors), the one the
    earlier entries name most, the post's topic (the title counts), if that one is named more
    than any other."""
    for names in previous:
        fitting = [r for r in names if r.type in kinds and not r.mention.typed_by.startswith("pronoun")]
        if fitting:
            counts = Counter(r.key for r in fitting)
            best = max(counts.values())
            if list(counts.values()).count(best) > 1:
                everywhere = [r for names in previous for r in names
                              if r.type in kinds and not r.mention.typed_by.startswith("pronoun")]
                overall = Counter(r.key for r in everywhere).most_common(2)
                if len(overall) == 1 or overall[0][1] > overall[1][1]:
                    return next(r for r in everywhere if r.key == overall[0][0])
            return next(r for r in reversed(fitting) if counts[r.key] == best)
    return None


@lru_cache(maxsize=4)
def load_confidence(path: Path | None = None) -> dict[str, float]:
    """confidence.tsv: mechanism -> how sure a fact it reads is (0 to 1)."""
    path = Path(path) if path else ontology_dir() / "patterns" / "confidence.tsv"
    found = {}
    for number, cells in tsv_rows(path):
        try:
            value = float(cells[1]) if len(cells) == 2 else -1.0
        except ValueError:
            value = -1.0
        if not 0 <= value <= 1:
            raise DataFileError(path, number, "write mechanism<TAB>confidence (a number from 0 to 1)")
        found[cells[0]] = value
    return found


def _fixed(name: str, pattern: RelationPattern) -> Resolved:
    """A subject the pattern names ({S=OpenStack}) that the sentence does not mention."""
    from kg.mentions import Mention
    kind = pattern.subject_types[0]
    return Resolved(Mention(0, 0, name, name, kind), normalize(name), kind, name, True)


def _latest_partners(facts: list[Fact], mentions: list[Resolved], allowed) -> list[Resolved]:
    """Both sides of the entry's latest symmetric fact (两家公司: the two that just partnered)."""
    by_key = {r.key: r for r in mentions}
    for fact in reversed(facts):
        if fact.predicate in SYMMETRIC_RELATIONS:
            pair = [by_key.get(fact.subject), by_key.get(fact.object)]
            return [r for r in pair if r is not None and r.type in allowed]
    return []


def _topic(topics: list[tuple[Resolved, bool]], allowed, subject: bool = False) -> list[Resolved]:
    """The entry's topic for a dropped subject or object: the latest earlier participant of the
    first type, in the relation's order of types, that has one (同时，发布了X -> the company
    that released before; 存储使用了Ceph -> the product it released). A dropped subject is an
    earlier subject before it is an earlier object of the same type: in 思科在收购Metacloud之后，
    推出了X it is Cisco that launched X, not Metacloud."""
    for kind in allowed:
        for wanted in ((True, False) if subject else (None,)):
            for resolved, was_subject in reversed(topics):
                if resolved.type == kind and (wanted is None or was_subject == wanted):
                    return [resolved]
    return []


def _no_doer(text: str, resolved: Resolved) -> bool:
    """Whether a name of an earlier sentence is there only as what a noun belongs to ('接受 X 采访':
    X's interview) or as who is spoken to ('向 X 解释道'): no subject that a later clause drops."""
    if not text:
        return False
    modifiers, addressee = load_relation_rules().modifiers, load_clause_words().addressee
    start = resolved.mention.start
    return (modifiers is not None and modifiers.match(text, resolved.mention.end) is not None) or \
        (addressee is not None and addressee.search(text, max(0, start - 4), start) is not None)


def _nearest_before(mentions: list[Resolved], inside: list[Resolved], position: int, shape: str,
                    allowed, any_type: bool = False, since: int = 0, text: str = "") -> list[Resolved]:
    """The last mention before the cue (in this sentence, or before it) that can be the subject:
    a company or organization the relation allows (a person when it allows only people), or
    with any_type ({S^}: 它, 其) any type it allows."""
    before_here = [inside[int(i)] for i in _PARTICIPANT_RE.findall(shape[:position])]
    first_inside = inside[0].mention.start if inside else None
    # only the sentence before this one: in long articles a name three sentences back is no subject;
    # nor is a name that modified a noun there ('接受 X 采访时': X's interview, not X)
    earlier = [r for r in mentions if first_inside is not None and since <= r.mention.start < first_inside
               and not _no_doer(text, r)]
    # (a person is the dropped subject only of what only a person does: 王文林，曾任小米总经理)
    kinds = set(allowed) if any_type else ({"Company", "Organization"} & set(allowed) or {"Person"} & set(allowed))
    if not kinds:       # a thing's dropped subject: the thing its sentence opens with, when 并 goes on about it
        return _continued_subject(inside, position, shape, allowed)
    for resolved in reversed(earlier + before_here):
        if resolved.type in kinds:
            return _with_list_before(resolved, mentions, text) if resolved.type == "Person" and text else [resolved]
    return []


def _continued_subject(inside: list[Resolved], position: int, shape: str, allowed) -> list[Resolved]:
    """'X 对…进行加密，以保持性能，并与 Y 兼容': the clause that 并 (clause-words.tsv continuing)
    opens goes on about X, the name its sentence opens with; so does any later clause of a sentence
    that opens on what X is ('新产品 X 是一个数据库，现在集成了…': clause-words.tsv copula)."""
    words = load_clause_words()
    described = words.described_opening.match(shape) if words.described_opening is not None else None
    led = words.sentence_lead.match(shape) if words.sentence_lead is not None and not described else None
    lead = led.end() if led is not None else 0
    lead -= 1 if lead and shape[lead - 1] == OPEN else 0       # (the lead's marks take a name's opening mark too)
    opening = described or _OPENING_NAME.match(shape, lead)     # (随着 X 继续…，并…: X)
    if words.continuing is None or opening is None or opening.end() > position:
        return []
    clause = max(shape.rfind(mark, 0, position) for mark in "，,；")
    if clause < opening.end() or not (described or words.continuing.match(shape, clause + 1)):
        return []
    subject = inside[int(opening.group(1))]
    return [subject] if subject.type in allowed else []


_OPENING_NAME = re.compile(f"[\\s“\"]*{OPEN}[A-LN-Z](\\d+){CLOSE}")     # the name a sentence opens with
_PEOPLE_JOINER = re.compile(r"\s*(?:和|与|及|、|,|，|and)\s*")


def _with_list_before(person: Resolved, mentions: list[Resolved], text: str) -> list[Resolved]:
    """A person with the people listed before them (Joe Beda 和 Craig McLuckie): a dropped
    subject continues the whole list."""
    found = [person]
    index = next((i for i, r in enumerate(mentions) if r is person), None)
    while index:
        before = mentions[index - 1]
        if before.type != "Person" or not _PEOPLE_JOINER.fullmatch(text, before.mention.end, found[0].mention.start):
            break
        found.insert(0, before)
        index -= 1
    return found
