"""Reading kg's knowledge files: tab-separated tables and word lists under ontology/.

Blank lines and lines starting with # are skipped; a table's first line is its header.
"""
import re
from functools import lru_cache
from pathlib import Path

from kg.errors import DataFileError


def data_lines(path: Path):
    """(line number, line) for every line that is not blank and not a comment."""
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip() and not line.lstrip().startswith("#"):
            yield number, line


def tsv_rows(path: Path):
    """(line number, cells) for every row of a table, its header skipped."""
    for number, line in data_lines(path):
        if number == 1:
            continue
        yield number, line.split("\t")


def words(path: Path) -> list[str]:
    """A word list: one entry a line."""
    return [line.strip() for _, line in data_lines(path)]


def word_lists(path: Path, kinds: tuple[str, ...] | None = None, required: tuple[str, ...] = ()) -> dict[str, list[str]]:
    """A table of KIND<TAB>word|word rows: each kind's words, in file order, the rows of one
    kind joined. kinds: the kinds a row may name (None: any NAME in capitals); required: the
    kinds that must have a row."""
    found: dict[str, list[str]] = {}
    for number, cells in tsv_rows(path):
        if kinds is None:
            if len(cells) != 2 or not re.fullmatch(r"[A-Z][A-Z-]*", cells[0]):
                raise DataFileError(path, number, "write NAME<TAB>word|word (NAME in capitals)")
        elif len(cells) != 2 or cells[0] not in kinds:
            raise DataFileError(path, number, f"write KIND<TAB>word|word, KIND one of {', '.join(kinds)}")
        found.setdefault(cells[0], []).extend(w.strip() for w in cells[1].split("|") if w.strip())
    missing = [kind for kind in required if kind not in found]
    if missing:
        raise DataFileError(path, None, f"no row of kind {missing[0]!r}")
    return found


_MACRO_RE = re.compile(r"\{([A-Z][A-Z-]+)\}")


@lru_cache(maxsize=4)
def macros(path: Path) -> dict[str, str]:
    """ontology/patterns/macros.tsv: each word list as a regular expression (longest words
    first); ROLE as a chain of roles with their qualifiers and joiners."""
    words = word_lists(path)

    def any_of(name: str) -> str:
        return "|".join(re.escape(w) for w in sorted(words.get(name, []), key=lambda w: (-len(w), w)))
    found = {name: f"(?:{any_of(name)})" for name in words}
    if "ROLE" in words:
        role = any_of("ROLE")
        # a role starts with the first character of a role word or qualifier: a lookahead that says
        # so lets a search skip every other position at once (the chain alone tries each word there)
        starts = f"[{_first_characters(words['ROLE'] + words.get('ROLE-QUALIFIER', []))}]"
        found["ROLE-LISTED"] = f"(?={starts}){_role_chain(role, words, any_of)}"
        if "ROLE-HEAD" in words:        # 首席安全官, Chief Security Officer: a role named by its last word
            heads = words["ROLE-HEAD"]
            cjk = "|".join(re.escape(w) for w in sorted((w for w in heads if not w.isascii()), key=len, reverse=True))
            latin = "|".join(re.escape(w) for w in sorted((w for w in heads if w.isascii()), key=len, reverse=True))
            breaks = "".join(w for w in words.get("ROLE-BREAK", []) if len(w) == 1)
            word = f"(?![{breaks}])[\u4e00-\u9fff]" if breaks else "[\u4e00-\u9fff]"
            role = "|".join(filter(None, (role, cjk and f"(?:{word}){{1,8}}?(?:{cjk})",
                                          latin and f"(?:[A-Z][\\w-]*\\s+){{1,3}}(?:{latin})(?![A-Za-z])")))
            head_starts = _first_characters([w for w in heads if not w.isascii()])
            starts = "|".join(filter(None, (starts, head_starts and f"[\u4e00-\u9fff]{{1,8}}[{head_starts}]",
                                            latin and "[A-Z]")))
        found["ROLE"] = f"(?={starts}){_role_chain(role, words, any_of)}"
    return found


def _first_characters(words: list[str]) -> str:
    """The characters the words start with, as the inside of a character class."""
    return "".join(re.escape(c) for c in sorted({w[0] for w in words if w}))


def _role_chain(role: str, words: dict[str, list[str]], any_of) -> str:
    """Roles with their qualifiers, one or more joined (联合创始人兼首席技术官; 董事总经理: no joiner)."""
    qualified = f"(?:(?:{any_of('ROLE-QUALIFIER')})\\s*)*(?:{role})" if "ROLE-QUALIFIER" in words else f"(?:{role})"
    joiner = any_of("ROLE-JOINER") or "兼"
    trailing = f"(?:\\s*(?:{joiner})\\s*(?:{any_of('ROLE-QUALIFIER')}))?" if "ROLE-QUALIFIER" in words else ""
    return f"(?:{qualified}(?:\\s*(?:{joiner})?\\s*{qualified})*{trailing})"      # 副总裁兼营销: a field last


def macro_pattern(template: str, path: Path) -> re.Pattern:
    """template with each {NAME} of macros.tsv (path) expanded and compiled (callers keep it)."""
    return re.compile(expand_macros(template, path, path.name))


def expand_macros(pattern: str, path: Path, where: str) -> str:
    """pattern with each {NAME} of macros.tsv replaced by its regular expression."""
    known = macros(path)

    def expanded(match: re.Match) -> str:
        if match.group(1) not in known:
            raise DataFileError(where, None, f"no word list {match.group(0)} in {path.name}")
        return known[match.group(1)]
    return _MACRO_RE.sub(expanded, pattern)
