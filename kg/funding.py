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

from kg.datafiles import tsv_rows
from kg.errors import DataFileError
from kg.numbers import scale
from kg.relations import sentences
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


@lru_cache(maxsize=4)
def load_funding_words(path: Path | None = None) -> FundingWords:
    path = Path(path) if path else ontology_dir() / "patterns" / "funding.tsv"
    currencies, cues, cumulative, rounds = {}, {}, [], []
    multipliers: dict[str, Decimal] = {}
    for number, cells in tsv_rows(path):
        kind, value = cells[0], cells[1] if len(cells) > 1 else ""
        meaning = cells[2] if len(cells) > 2 else ""
        if kind == "currency" and meaning:
            currencies[value] = meaning
        elif kind == "cue" and meaning in ("recipient-first", "investor-first"):
            cues[value] = meaning
        elif kind == "multiplier" and value and meaning.isdecimal():
            multipliers[value.lower()] = Decimal(meaning)
        elif kind == "cumulative" and value:
            cumulative.append(value)
        elif kind == "round" and value:
            try:
                rounds.append(re.compile(value))
            except re.error as error:
                raise DataFileError(path, number, f"bad regular expression: {error}") from None
        else:
            raise DataFileError(path, number, "expected: currency|cue|cumulative|round|multiplier, value, meaning")
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
    amount = re.compile(
        rf"(?:(?P<pre>{'|'.join(prefix)})\s*{number}\s*{mult}|{number.replace('num', 'num2')}\s*"
        rf"{mult.replace('mult', 'mult2')}\s*(?P<suf>{'|'.join(suffix)}))"
    )
    any_cue = re.compile("|".join(re.escape(cue) for cue in sorted(cues, key=len, reverse=True))) if cues else None
    return FundingWords(currencies, cues, tuple(cumulative), tuple(rounds), amount, any_cue, multipliers)


def find_rounds(text: str, mentions: list[Resolved], entry: int, words: FundingWords | None = None) -> list[Round]:
    words = words or load_funding_words()
    found: list[Round] = []
    if words.any_cue is None or words.any_cue.search(text) is None:
        return found                # no cue in the text, so none in any of its sentences
    for start, end in sentences(text):
        sentence = text[start:end]
        cue_hits = {cue: kind for cue, kind in words.cues.items() if cue in sentence}
        if not cue_hits:
            continue
        for match in words.amount.finditer(sentence):
            clause_start = max(sentence.rfind(sep, 0, match.start()) for sep in "，,：:") + 1
            lead = sentence[clause_start:match.start()]
            if any(c in lead for c in words.cumulative):
                continue
            number = match.group("num") or match.group("num2")
            multiplier = match.group("mult") or match.group("mult2")
            currency = words.currencies.get(match.group("pre") or match.group("suf") or "", "USD")
            amount = scale(number, words.multipliers.get(multiplier.lower()) if multiplier else None)
            a_start, a_end = start + match.start(), start + match.end()
            here = [r for r in mentions if start <= r.mention.start and r.mention.end <= end]
            investor_first = any(kind == "investor-first" and cue in sentence[:match.start()]
                                 for cue, kind in cue_hits.items())
            before = [r for r in here if r.mention.end <= a_start]
            after = [r for r in here if r.mention.start >= a_end]
            if investor_first:
                recipient = next((r for r in after if r.type in _RECIPIENT_TYPES), None)
                investors = [r for r in before if r.type in _INVESTOR_TYPES][-1:]
            else:
                recipient = next((r for r in reversed(before) if r.type in _RECIPIENT_TYPES), None)
                investors = _named_investors(sentence, start, here)
            if recipient is None:
                continue
            series = None
            for pattern in words.rounds:
                hit = pattern.search(sentence)
                if hit:
                    series = hit.group(1).upper() if len(hit.group(1)) <= 2 else hit.group(1)
                    break
            investor_keys = tuple(dict.fromkeys(i.key for i in investors if i.key != recipient.key))
            found.append(Round(recipient.key, amount, currency, series, investor_keys, sentence.strip(), entry))
    return found


_INVESTOR_CUE = re.compile(r"由|领投|参投|跟投|投资方|投资者|投资人|led by|from")
_CLAUSE_BREAK = re.compile(r"[，,；;。]")


def _named_investors(sentence: str, offset: int, here: list[Resolved]) -> list[Resolved]:
    """Investors named in the clauses that say who invested: 由X领投, Y、Z参投, 投资方包括,
    led by."""
    found = []
    clause_start = 0
    for end in [m.start() for m in _CLAUSE_BREAK.finditer(sentence)] + [len(sentence)]:
        if _INVESTOR_CUE.search(sentence, clause_start, end):
            found += [r for r in here if r.type in _INVESTOR_TYPES
                      and offset + clause_start <= r.mention.start and r.mention.end <= offset + end]
        clause_start = end + 1
    return found
