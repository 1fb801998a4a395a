"""What every match of a regular expression must hold: read from the pattern text itself
with a small parser of the syntax relation patterns use (literals, escapes, classes, groups
(?:...) (?P<name>...) and lookarounds, alternation, quantifiers); no private `re` API."""
import re
from typing import NamedTuple


class _Atom(NamedTuple):             # (tuples: a pattern holds thousands of these, made at every start)
    literal: str | None = None       # one literal character; None: anything else (a class, \\s, .)
    zero_width: bool = False         # a lookaround, an anchor: matches no character


class _Group(NamedTuple):
    name: str | None
    branches: tuple                  # each a tuple of items


class _Repeat(NamedTuple):
    least: int
    item: object


_ESCAPED_CLASSES = set("dDsSwWbBAZ")
_CONTROL_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v", "a": "\a"}


class _Parser:
    def __init__(self, text: str):
        self.text, self.at = text, 0

    def parse(self) -> tuple:
        branches = self._branches()
        return (_Group(None, branches),)

    def _branches(self) -> tuple:
        branches: list[tuple] = []
        current: list = []
        while self.at < len(self.text) and self.text[self.at] != ")":
            if self.text[self.at] == "|":
                self.at += 1
                branches.append(tuple(current))
                current = []
                continue
            current.append(self._quantified(self._atom()))
        branches.append(tuple(current))
        return tuple(branches)

    def _atom(self):
        ch = self.text[self.at]
        self.at += 1
        if ch == "\\":
            escaped = self.text[self.at]
            self.at += 1
            if escaped in _ESCAPED_CLASSES:
                return _Atom(zero_width=escaped in "bBAZ")
            if escaped in "ux":
                digits = 4 if escaped == "u" else 2
                code, self.at = self.text[self.at:self.at + digits], self.at + digits
                return _Atom(chr(int(code, 16)))
            if escaped in _CONTROL_ESCAPES:
                return _Atom(_CONTROL_ESCAPES[escaped])
            # a letter or digit not read above (a back-reference, \N{...}): some character, not itself
            return _Atom() if escaped.isalnum() else _Atom(escaped)
        if ch == "[":
            while self.text[self.at] != "]" or self.text[self.at - 1] == "[" \
                    or (self.text[self.at - 1] == "^" and self.text[self.at - 2] == "["):
                self.at += 2 if self.text[self.at] == "\\" else 1
            self.at += 1
            return _Atom()
        if ch == "(":
            name, zero_width = None, False
            if self.text.startswith("?:", self.at):
                self.at += 2
            elif self.text.startswith("?P<", self.at):
                end = self.text.index(">", self.at)
                name, self.at = self.text[self.at + 3:end], end + 1
            elif self.text.startswith(("?=", "?<="), self.at):
                self.at += 3 if self.text[self.at + 1] == "<" else 2     # (what it looks at is in the text too)
            elif self.text.startswith(("?!", "?<!"), self.at):
                zero_width = True
                self.at += 3 if self.text[self.at + 1] == "<" else 2
            elif self.text.startswith("?", self.at):
                raise ValueError(f"a group this parser does not read: ({self.text[self.at:self.at + 4]}")
            branches = self._branches()
            self.at += 1                                    # the closing bracket
            return _Atom(zero_width=True) if zero_width else _Group(name, branches)
        if ch in ".":
            return _Atom()
        if ch in "^$":
            return _Atom(zero_width=True)
        return _Atom(ch)

    def _quantified(self, item):
        if self.at >= len(self.text):
            return item
        ch = self.text[self.at]
        least = None
        if ch in "?*+":
            least = 1 if ch == "+" else 0
            self.at += 1
        elif ch == "{" and self.text.find("}", self.at) > 0:
            inside = self.text[self.at + 1:self.text.index("}", self.at)]
            bounds = inside.split(",")
            if bounds[0].isdigit() and all(b.isdigit() or b == "" for b in bounds):
                least = int(bounds[0])
                self.at = self.text.index("}", self.at) + 1
        if least is None:
            return item
        if self.at < len(self.text) and self.text[self.at] in "?+":   # lazy or possessive
            self.at += 1
        return _Repeat(least, item)


def parse_pattern(text: str) -> tuple:
    """The items of a regular expression's text (as re.compile accepts it); ValueError for
    syntax it does not read (flags, atomic and conditional groups, named back-references)."""
    return _Parser(text).parse()


def required_groups(items: tuple) -> set[str]:
    """The named groups every match enters."""
    found: set[str] = set()
    for item in items:
        if isinstance(item, _Repeat) and item.least >= 1:
            found |= required_groups((item.item,))
        elif isinstance(item, _Group):
            if item.name and len(item.branches) == 1:
                found.add(item.name)
            alternatives = [required_groups(branch) for branch in item.branches]
            if item.name and len(item.branches) > 1:
                found.add(item.name)
            found |= set.intersection(*alternatives) if alternatives else set()
    return found


def required_literals(items: tuple, separators: str = "") -> set[str] | None:
    """The most selective set of literal strings one of which every match contains (runs of
    literal characters, cut at any of separators); None when no such set is found."""
    candidates: list[set[str]] = []
    run: list[str] = []

    def close_run():
        text = "".join(run)
        for piece in (text.translate({ord(c): "\0" for c in separators}).split("\0") if separators else [text]):
            if piece.strip():
                candidates.append({piece})
        run.clear()

    for item in items:
        if isinstance(item, _Atom) and item.literal is not None:
            run.append(item.literal)
            continue
        close_run()
        found = None
        if isinstance(item, _Repeat) and item.least >= 1:
            found = required_literals((item.item,), separators)
        elif isinstance(item, _Group):
            alternatives = [required_literals(branch, separators) for branch in item.branches]
            found = set().union(*(a for a in alternatives if a)) if alternatives and all(alternatives) else None
        if found:
            candidates.append(found)
    close_run()
    if not candidates:
        return None
    return max(candidates, key=lambda found: (min(map(len, found)), -len(found)))


_GATES: dict[int, tuple] = {}          # id(pattern) -> (pattern, its gate)


def may_match(pattern: re.Pattern, text: str) -> bool:
    """False when text holds none of the literals every match of pattern holds, so that no
    search can find one (one pass of C code, where the search tries the pattern at every
    character); True otherwise, or when the pattern's literals are not known."""
    known = _GATES.get(id(pattern))
    if known is None or known[0] is not pattern:
        known = (pattern, _gate(pattern))
        _GATES[id(pattern)] = known             # keeps the pattern alive: its id is not reused
    gate = known[1]
    if gate is None:
        return True
    if isinstance(gate, tuple):
        return any(literal in text for literal in gate)
    return next(gate.iter(text), None) is not None


def literals_of(pattern: re.Pattern) -> set[str] | None:
    """The literals one of which every match of a compiled pattern holds (required_literals);
    None when they are not known: a pattern that ignores case, or uses syntax this module
    does not read."""
    if pattern.flags & re.IGNORECASE or "(?i" in pattern.pattern:
        return None
    try:
        return required_literals(parse_pattern(pattern.pattern))
    except (IndexError, ValueError):
        return None


def _gate(pattern: re.Pattern):
    """None (no literals known), a few literals, or an Aho-Corasick automaton of many."""
    literals = literals_of(pattern)
    if not literals:
        return None
    if len(literals) <= 6:
        return tuple(literals)
    import ahocorasick
    automaton = ahocorasick.Automaton()
    for literal in literals:
        automaton.add_word(literal, literal)
    automaton.make_automaton()
    return automaton
