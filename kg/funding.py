"""Stage 4b, funding: an entry's sentences and resolved mentions -> [Round].

An amount (1500万美元, 1.75亿美元, $15M, 2700万) in a sentence with a funding cue
(ontology/patterns/funding.tsv) is a round: its recipient the company named before it
(or after 注资...到 for investor-first cues), its series (B轮), its investors where
named. Running totals (累计融资) are not rounds.
"""
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from kg.datafiles import macro_pattern, tsv_rows
from kg.errors import DataFileError
from kg.numbers import scale
from kg.relations import sentences, with_referents
from kg.resolve import Resolved
from kg.resources import ontology_dir

_RECIPIENT_TYPES = ("Company", "Product", "Organization", "Project")
_INVESTOR_TYPES = ("Company", "Organization", "Person")


@dataclass(frozen=True)
class Round:
    recipient: str                      # entity key
    amount: Decimal
    currency: str
    series: str | None
    investors: tuple[str, ...]
    evidence: str
    entry: int


@dataclass(frozen=True)
class FundingWords:
    currencies: dict[str, str]
    cues: dict[str, str]
    cumulative: tuple[str, ...]
    rounds: tuple[re.Pattern, ...]
    amount: re.Pattern
    any_cue: re.Pattern | None = None       # every cue as one pattern: most entries have none
    multipliers: dict[str, Decimal] = field(default_factory=dict)      # lowercase word -> factor
    not_round: tuple[str, ...] = ()
    investor_verbs: re.Pattern | None = None
    investor_lists: re.Pattern | None = None
    receive_verbs: re.Pattern | None = None     # a verb its recipient stands before (获得 A 的投资: A gives)
    givers_from: re.Pattern | None = None       # 从 … 那里 before the amount: who gives stands between


@lru_cache(maxsize=4)
def load_funding_words(path: Path | None = None) -> FundingWords:
    path = Path(path) if path else ontology_dir() / "patterns" / "funding.tsv"
    currencies, cues, cumulative, rounds = {}, {}, [], []
    multipliers: dict[str, Decimal] = {}
    other: dict[str, list[str]] = {"not-round": [], "investor-verb": [], "investor-list": [], "receive-verb": [],
                                   "giver-opening": [], "giver-place": []}
    for number, cells in tsv_rows(path):
        kind, value = cells[0], cells[1] if len(cells) > 1 else ""
        meaning = cells[2] if len(cells) > 2 else ""
        if kind == "currency" and meaning:
            currencies[value] = meaning
        elif kind == "cue" and meaning in ("recipient-first", "investor-first"):
            cues[value] = meaning
        elif kind == "multiplier" and value and meaning.isdecimal():
            multipliers[value.lower()] = Decimal(meaning)
        elif kind in other and value:
            other[kind].append(value)
        elif kind == "cumulative" and value:
            cumulative.append(value)
        elif kind == "round" and value:
            try:
                rounds.append(re.compile(value))
            except re.error as error:
                raise DataFileError(path, number, f"bad regular expression: {error}") from None
        else:
            raise DataFileError(path, number, "expected: currency|cue|cumulative|round|multiplier|not-round|"
                                              "investor-verb|investor-list|receive-verb|giver-opening|giver-place, "
                                              "value, meaning")
    words = sorted(currencies, key=len, reverse=True)
    symbols = [w for w in words if not w.isalpha()]          # $, US$, €: before the number
    prefix = [re.escape(w) for w in symbols]
    suffix = [re.escape(w) for w in words if w not in symbols]
    number = r"(?P<num>\d+(?:[,，]\d{3})*(?:\.\d+)?)"
    longer = [re.escape(w) for w in sorted(multipliers, key=lambda w: (-len(w), w)) if len(w) > 1]
    letters = "".join(w + w.upper() for w in sorted(multipliers) if len(w) == 1 and w.isascii() and w.isalpha())
    single = [re.escape(w) for w in sorted(multipliers) if len(w) == 1 and not (w.isascii() and w.isalpha())]
    choices = longer + single + ([f"[{letters}](?![A-Za-z])"] if letters else [])
    mult = rf"(?P<mult>{'|'.join(choices)})?"
    # a multiplier written alone stands for one of it: 完成亿元A轮融资 (but not 数亿元, 上亿元)
    alone = "|".join(re.escape(w) for w in sorted(multipliers, key=len, reverse=True) if not w.isascii())
    amount = re.compile(
        rf"(?:(?P<pre>{'|'.join(prefix)})\s*{number}\s*{mult}|{number.replace('num', 'num2')}\s*"
        rf"{mult.replace('mult', 'mult2')}\s*(?P<suf>{'|'.join(suffix)})"
        rf"|(?<![\d.,，数几上近超逾多余百千万亿十])(?P<mult3>{alone})(?P<suf3>{'|'.join(suffix)}))"
    )
    any_cue = re.compile("|".join(re.escape(cue) for cue in sorted(cues, key=len, reverse=True))) if cues else None
    def any_of(kind: str) -> re.Pattern | None:
        listed = sorted(other[kind], key=len, reverse=True)
        return re.compile("|".join(re.escape(w) for w in listed)) if listed else None
    opening, place = any_of("giver-opening"), any_of("giver-place")
    givers_from = re.compile(f"(?:{opening.pattern})(.{{1,80}}?)(?:{place.pattern})") if opening and place else None
    return FundingWords(currencies, cues, tuple(cumulative), tuple(rounds), amount, any_cue, multipliers,
                        tuple(other["not-round"]), any_of("investor-verb"), any_of("investor-list"),
                        any_of("receive-verb"), givers_from)


def find_rounds(text: str, mentions: list[Resolved], entry: int, words: FundingWords | None = None,
                earlier: tuple[tuple[Resolved, ...], ...] = ()) -> list[Round]:
    """The rounds an entry states; a firm phrase (该公司) is the firm it refers to (earlier: the
    names of the post's earlier entries, as kg.relations.with_referents reads them)."""
    words = words or load_funding_words()
    found: list[Round] = []
    if words.any_cue is None or words.any_cue.search(text) is None:
        return found                # no cue in the text, so none in any of its sentences
    mentions = with_referents(text, mentions, earlier)
    spans = sentences(text)
    for position, (start, end) in enumerate(spans):
        sentence = text[start:end]
        cue_hits = {cue: kind for cue, kind in words.cues.items() if cue in sentence}
        if not cue_hits:
            continue
        for match in words.amount.finditer(sentence):
            clause_start = max(sentence.rfind(sep, 0, match.start()) for sep in "，,：:") + 1
            ends = [i for i in (sentence.find(sep, match.end()) for sep in "，,；;") if i >= 0]
            lead, clause = sentence[clause_start:match.start()], sentence[clause_start:min(ends, default=len(sentence))]
            if any(c in lead for c in words.cumulative) or any(w in clause for w in words.not_round):
                continue
            number = match.group("num") or match.group("num2") or "1"
            multiplier = match.group("mult") or match.group("mult2") or match.group("mult3")
            currency = words.currencies.get(match.group("pre") or match.group("suf") or match.group("suf3") or "", "USD")
            amount = scale(number, words.multipliers.get(multiplier.lower()) if multiplier else None)
            a_start, a_end = start + match.start(), start + match.end()
            here = [r for r in mentions if start <= r.mention.start and r.mention.end <= end]
            investor_first = any(kind == "investor-first" and _active(sentence, cue, match.start())
                                 for cue, kind in cue_hits.items())
            before = [r for r in here if r.mention.end <= a_start]
            after = [r for r in here if r.mention.start >= a_end]
            if investor_first:
                recipient = next((r for r in after if r.type in _RECIPIENT_TYPES), None)
                investors = [r for r in before if r.type in _INVESTOR_TYPES][-1:]
            else:       # the recipient is never one the sentence names as an investor, nor a firm
                investors = _named_investors(sentence, start, here, words)  # inside their list (前红帽董事长 P)
                listed = _investor_list_span(sentence, match.start(), words)
                if listed == (0, 0):        # (no 由…领投 list: who gives is said by where they stand)
                    investors += [r for r in _givers(sentence, start, clause_start, match.start(), here, words)
                                  if r not in investors]
                investors += [r for r in _givers_from(sentence, start, match.start(), here, words) if r not in investors]
                recipient = next((r for r in reversed(before) if r.type in _RECIPIENT_TYPES and r not in investors
                                  and not listed[0] <= r.mention.start - start < listed[1]), None)
            if recipient is None:
                continue
            series = None
            for pattern in words.rounds:
                hit = pattern.search(sentence)
                if hit:
                    series = hit.group(1).upper() if len(hit.group(1)) <= 2 else hit.group(1)
                    break
            if not investors and position + 1 < len(spans):
                investors = _investors_after(text, spans[position + 1], mentions, words)
            investor_keys = tuple(dict.fromkeys(i.key for i in investors if i.key != recipient.key))
            found.append(Round(recipient.key, amount, currency, series, investor_keys, sentence.strip(), entry))
    return found


def _givers(sentence: str, start: int, clause_start: int, amount_at: int, here: list[Resolved],
            words: FundingWords) -> list[Resolved]:
    """The firms between a receiving verb and the amount of its clause, who give the money
    (X 近日获得了投资巨头软银 15 亿美元的新投资: SoftBank; funding.tsv receive-verb)."""
    verbs = list(words.receive_verbs.finditer(sentence, clause_start, amount_at)) if words.receive_verbs else []
    if not verbs:
        return []
    after_verb = verbs[-1].end()
    return [r for r in here if r.type in _INVESTOR_TYPES
            and after_verb <= r.mention.start - start and r.mention.end - start <= amount_at]


def _givers_from(sentence: str, start: int, amount_at: int, here: list[Resolved], words: FundingWords) -> list[Resolved]:
    """The firms a 从 … 那里 before the amount names, who give the money (它已经从包括 A 和 B 在内的投资者那里
    筹集了 2500 万美元: A and B; funding.tsv giver-opening, giver-place)."""
    spans = [m.span(1) for m in words.givers_from.finditer(sentence, 0, amount_at)] if words.givers_from else []
    return [r for r in here if r.type in _INVESTOR_TYPES
            and any(a <= r.mention.start - start and r.mention.end - start <= b for a, b in spans)]


def _investor_list_span(sentence: str, amount_at: int, words: FundingWords) -> tuple[int, int]:
    """Where the investors a 由 opens before the amount stand, up to their verb (由 A、B 和前红帽董事长 P
    领投的…: Red Hat describes an investor, it receives nothing); (0, 0) when there is no such list."""
    opened = sentence.rfind("由", 0, amount_at)
    verb = words.investor_verbs.search(sentence, opened, amount_at) if opened >= 0 and words.investor_verbs else None
    return (opened, verb.start()) if verb is not None else (0, 0)


def investors_opening(text: str, mentions: list[Resolved], words: FundingWords | None = None) -> list[Resolved]:
    """The investors an entry's first sentence names, when it names no amount: those of the
    round the entry before states ('X 已经筹集了 8000 万美元。' then 'DFJ 领投，A、B 参与。')."""
    words = words or load_funding_words()
    spans = sentences(text)
    return _investors_after(text, spans[0], mentions, words) if spans else []


def _investors_after(text: str, span: tuple[int, int], mentions: list[Resolved], words: FundingWords) -> list[Resolved]:
    """The investors the sentence after a round's names, when it names no amount of its own
    ('X 获得 8000 万美元融资。DFJ 领投，现有投资者 A、B 和 C 参与。')."""
    start, end = span
    sentence = text[start:end]
    if words.amount.search(sentence):
        return []
    return _named_investors(sentence, start, [r for r in mentions if start <= r.mention.start and r.mention.end <= end],
                            words)


_CLAUSE_BREAK = re.compile(r"[，,；;。]")


def _named_investors(sentence: str, offset: int, here: list[Resolved], words: FundingWords) -> list[Resolved]:
    """The investors a sentence names: the list right before an investor verb (由X、Y领投,
    Z跟投), and the mentions after an investor list word up to the end of its clause
    (投资方包括…, led by…)."""
    found: list[Resolved] = []
    people = [r for r in here if r.type in _INVESTOR_TYPES]
    for verb in (words.investor_verbs.finditer(sentence) if words.investor_verbs else ()):
        at = offset + verb.start()
        for r in reversed([r for r in people if r.mention.end <= at]):
            gap = sentence[r.mention.end - offset:at - offset]
            if found and found[-1].type == "Person" and r.type != "Person" and _role().fullmatch(gap.strip()):
                at = r.mention.start            # (前红帽董事长兼首席执行官 P: the firm of the person's role)
                continue
            if len(gap) > 4 and not _LIST_GAP.fullmatch(gap) or found and "由" in gap:
                break                           # (新公司和由 X 领投: 由 opens the list; none before it invests)
            found.append(r)
            at = r.mention.start
    for listed in (words.investor_lists.finditer(sentence) if words.investor_lists else ()):
        end = next((m.start() for m in _CLAUSE_BREAK.finditer(sentence, listed.end())), len(sentence))
        found += [r for r in people if offset + listed.end() <= r.mention.start and r.mention.end <= offset + end]
    return list(dict.fromkeys(found))


def _active(sentence: str, cue: str, before: int) -> bool:
    """Whether an investor-first cue stands before an amount as the verb of its investors
    ('红杉资本领投 Acme'), not after 由 ('由红杉资本领投的…', which names the investors only)."""
    at = sentence.rfind(cue, 0, before)
    if at < 0:
        return False
    clause = max(sentence.rfind(sep, 0, at) for sep in "，,；;") + 1
    return "由" not in sentence[clause:at]


_LIST_GAP = re.compile(r"\s*(?:[、,，和与及]|and|以及|共同|联合|等)?\s*"
                       r"(?:[\u4e00-\u9fff]{0,4}?(?:投资人|投资方|投资机构|资方))?\s*(?:共同|联合|等|前|原)?\s*")
# (…和中金资本等财务投资人共同加持: what stands between the investors and their verb)


@lru_cache(maxsize=1)
def _role() -> re.Pattern:
    """A role (macros.tsv ROLE), between a firm and its person in a list of investors."""
    return macro_pattern("{ROLE}", ontology_dir() / "patterns" / "macros.tsv")
