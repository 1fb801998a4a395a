"""Reading kg's knowledge files: tab-separated tables and word lists under ontology/.

Blank lines and lines starting with # are skipped; a table's first line is its header.
"""
from pathlib import Path


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
