"""Stage 1, reading: a Markdown file with YAML front matter -> Post.

A Post has its title, issue number (第十四期 -> 14), the period it covers (0508-0528),
its date, and its entries: each news item (a paragraph or a list under a section and
subsection heading) with its section path, plain text and links. Markdown is parsed by
markdown-it (the Rust port, markdown-it-pyrs); nothing here depends on any other post.
"""
import datetime as dt
import os
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import frontmatter
import yaml
from markdown_it_pyrs import MarkdownIt

from kg.dates import Period, find_dates
from kg.errors import PostError
from kg.numbers import CHINESE_NUMERAL_CHARS, chinese_to_int

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")
_MARKDOWN = MarkdownIt("commonmark").enable("linkify").enable("strikethrough").enable("table")


@dataclass(frozen=True)
class Link:
    text: str
    url: str


@dataclass(frozen=True)
class Entry:
    """One news item: its place in the post, heading path, plain text and links."""
    position: int
    section: tuple[str, ...]
    text: str
    links: tuple[Link, ...] = ()

    @property
    def section_label(self) -> str:
        return " / ".join(self.section)


@dataclass(frozen=True)
class Post:
    path: str
    name: str                      # file name: 2014-05-28-openstack-activity-0508-0528.md
    title: str
    issue: int | None
    date: dt.date | None
    period: Period
    entries: tuple[Entry, ...]
    problems: tuple[str, ...] = field(default=())   # what was odd but survivable

    @property
    def slug(self) -> str:
        return Path(self.name).stem


# ------------------------------------------------------------------ decoding

def decode(raw: bytes, path) -> tuple[str, list[str]]:
    """UTF-8 (with or without BOM); else GB18030, the superset of GBK; else an error."""
    if not raw.strip():
        raise PostError(path, "empty file: skipped")
    if b"\x00" in raw[:8192]:
        raise PostError(path, "binary file, not a Markdown post: skipped")
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as utf8_error:
        try:
            return raw.decode("gb18030"), ["text is not UTF-8: read as GB18030/GBK"]
        except UnicodeDecodeError:
            raise PostError(path, f"text is not UTF-8 (byte {utf8_error.start}) nor GBK: skipped") from None


# ------------------------------------------------------------------ front matter

class _FastYAMLHandler(frontmatter.YAMLHandler):
    """python-frontmatter's YAML handler on libyaml's safe loader where PyYAML has it (the
    same documents read, six times faster than the pure-Python one)."""

    def load(self, fm: str, **kwargs):
        kwargs.setdefault("Loader", getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        return super().load(fm, **kwargs)


_YAML = _FastYAMLHandler()


def split_front_matter(text: str, path) -> tuple[dict, str, list[str]]:
    """Front matter as a dict and the body; a problem with it is reported, not fatal."""
    if not text.lstrip("\ufeff").startswith("---"):
        return {}, text, ["no front matter: read as plain Markdown"]
    try:
        post = frontmatter.loads(text, handler=_YAML)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        body = re.sub(r"\A---.*?\n---[ \t]*\n?", "", text, count=1, flags=re.S)
        return {}, body, [f"front matter is not valid YAML{where}: ignored, body read"]
    metadata = post.metadata if isinstance(post.metadata, dict) else {}
    return metadata, post.content, []


# ------------------------------------------------------------------ title, issue, period, date

_ISSUE_RE = re.compile(rf"第\s*([{CHINESE_NUMERAL_CHARS}\d]+)\s*期")
_ISSUE_EN_RE = re.compile(r"\b(?:issue|no\.?|#)\s*(\d+)\b", re.I)
_PERIOD_RE = re.compile(r"(?<!\d)(\d{1,2})[.\-/]?(\d{2})\s*(?:-|–|—|~|～|至|到)\s*(\d{1,2})[.\-/]?(\d{2})(?!\d)")
_FILE_DATE_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})-")


def issue_number(title: str, metadata: dict) -> int | None:
    for key in ("issue", "number", "issue_number"):
        value = metadata.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().isdecimal():      # isdigit holds for ¹, int() fails
            return int(value)
    match = _ISSUE_RE.search(title) or _ISSUE_EN_RE.search(title)
    return chinese_to_int(match.group(1)) if match else None


def _as_date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        match = re.match(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})", value)
        if match:
            try:
                return dt.date(*map(int, match.groups()))
            except ValueError:
                return None
    return None


def file_date(name: str) -> dt.date | None:
    match = _FILE_DATE_RE.match(name)
    if not match:
        return None
    try:
        return dt.date(*map(int, match.groups()))
    except ValueError:
        return None


def _period_from(text: str, year: int | None) -> Period | None:
    match = _PERIOD_RE.search(text)
    if not match or year is None:
        return None
    m1, d1, m2, d2 = map(int, match.groups())
    try:
        end = dt.date(year, m2, d2)
        start = dt.date(year - 1 if (m1, d1) > (m2, d2) else year, m1, d1)
    except ValueError:
        return None
    return Period(start, end)


def post_period(title: str, name: str, metadata_date: dt.date | None, body: str) -> Period:
    """The period a post covers: from the title (0508-0528), else the file name; its year
    from the file name, the front-matter date, or the first full date in the text."""
    year_source = file_date(name) or metadata_date
    year = year_source.year if year_source else None
    if year is None:
        full = re.search(r"(20\d\d)[年.\-/]\d{1,2}[月.\-/]\d{1,2}", body)
        year = int(full.group(1)) if full else None
    for text in (title, Path(name).stem[11:] if _FILE_DATE_RE.match(name) else Path(name).stem):
        period = _period_from(text, year)
        if period:
            return period
    anchor = file_date(name) or metadata_date
    return Period(None, anchor) if anchor else Period(None, None)


# ------------------------------------------------------------------ entries

class _HTMLText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data):
        self.parts.append(data)


def html_text(html: str) -> str:
    parser = _HTMLText()
    parser.feed(html)
    parser.close()
    return " ".join(" ".join(parser.parts).split())


def _inline(node, out: list[str], links: list[Link]) -> None:
    name = node.name
    if name in ("text", "text_special"):
        out.append(node.meta.get("content", ""))
    elif name in ("softbreak", "hardbreak"):
        out.append("\n")
    elif name in ("link", "linkify", "autolink"):
        start = len(out)
        for child in node.children:
            _inline(child, out, links)
        text = "".join(out[start:]).strip()
        url = node.meta.get("url", "")
        if url:
            links.append(Link(text or url, url))
    elif name == "image":
        return
    elif name == "html_inline":
        return
    else:
        for child in node.children:
            _inline(child, out, links)


_INLINE = {"text", "text_special", "link", "linkify", "autolink", "softbreak", "hardbreak", "code_inline",
           "strong", "em", "s", "strikethrough", "image", "html_inline"}


def _block_text(node, links: list[Link]) -> str:
    """Plain text of a block: paragraphs and list items one per line, link markup removed."""
    name = node.name
    if name in ("fence", "code_block", "hr"):
        return ""
    if name == "html_block":
        return html_text(node.meta.get("content", ""))
    if name in ("paragraph", "heading", "inline"):
        out: list[str] = []
        for child in node.children:
            _inline(child, out, links)
        return "".join(out).strip()
    if name in _INLINE:
        out = []
        _inline(node, out, links)
        return "".join(out).strip()
    # a block's children: inline runs (tight list items hold text directly) and nested blocks
    parts, inline = [], []
    for child in node.children:
        if child.name in _INLINE:
            _inline(child, inline, links)
            continue
        if inline:
            parts.append("".join(inline).strip())
            inline = []
        parts.append(_block_text(child, links))
    if inline:
        parts.append("".join(inline).strip())
    return "\n".join(part for part in parts if part)


_URL_ONLY_RE = re.compile(r"^(?:\s|https?://\S+|[:：,，;；、()（）<>\[\]])*$")


def _only_links(text: str, links: list[Link]) -> bool:
    if not links:
        return False
    rest = text
    for link in links:
        rest = rest.replace(link.text, " ").replace(link.url, " ")
    return bool(_URL_ONLY_RE.match(rest))


_FENCE_RE = re.compile(r"^\s*(```|~~~)")
_TICKS_RE = re.compile(r"(?<!\\)`+")


def _escape_unpaired_backticks(body: str) -> str:
    """Backticks of a paragraph that cannot all pair up (a code span left open) written as
    literal text. markdown-it-pyrs 0.4 panics on an open code span after an open bracket
    ('[a`b'); an open span is plain text in CommonMark anyway, so this changes no output."""
    if "`" not in body:
        return body
    out, block, fenced = [], [], False

    def flush():
        runs = [len(m.group(0)) for m in _TICKS_RE.finditer("\n".join(block))]
        unpaired = any(runs.count(n) % 2 for n in set(runs))
        out.extend(_TICKS_RE.sub(lambda m: "\\`" * len(m.group(0)), line) if unpaired else line for line in block)
        block.clear()

    for line in body.split("\n"):
        if _FENCE_RE.match(line):
            flush()
            fenced = not fenced
            out.append(line)
        elif fenced:
            out.append(line)
        elif not line.strip():
            flush()
            out.append(line)
        else:
            block.append(line)
    flush()
    return "\n".join(out)


def _markdown_tree(body: str):
    try:
        return _MARKDOWN.tree(_escape_unpaired_backticks(body))
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as error:      # a panic of the Rust parser arrives as a BaseException
        raise ValueError(f"the Markdown parser failed on this text ({error})") from None


def read_entries(body: str) -> tuple[Entry, ...]:
    """Each paragraph or list item under its heading path is an entry (a newsletter lists its
    news as 1. 2. 3. or - items). A paragraph of nothing but links belongs to the item before
    it; so does a whole list after a line ending in a colon (its points)."""
    tree = _markdown_tree(body)
    section: list[tuple[int, str]] = []
    drafts: list[dict] = []
    for node in _flatten(tree.children):
        if node.name == "heading":
            level = int(node.meta.get("level", 1))
            title = _block_text(node, [])
            section = [(lvl, t) for lvl, t in section if lvl < level]
            if title:
                section.append((level, title))
            continue
        path = tuple(t for _, t in section)
        is_list = node.name in ("bullet_list", "ordered_list")
        previous = drafts[-1] if drafts else None
        points = is_list and previous is not None and previous["section"] == path \
            and previous["text"].rstrip().endswith((":", "："))
        # a list's items are entries each, unless the list gives the points of the entry before
        for block in (node.children if is_list and not points else [node]):
            links: list[Link] = []
            text = _strip_url_lines(_block_text(block, links))
            if not text and not links:
                continue
            previous = drafts[-1] if drafts else None
            if previous is not None and previous["section"] == path and (not text or _only_links(text, links)):
                previous["links"].extend(links)
            elif points:
                previous["text"] += "\n" + text
                previous["links"].extend(links)
            else:
                drafts.append({"section": path, "text": text, "links": links})
    return tuple(
        Entry(position=i, section=d["section"], text=d["text"], links=tuple(dict.fromkeys(d["links"])))
        for i, d in enumerate(drafts, start=1)
    )


_URL_LINE_RE = re.compile(r"^\s*<?https?://\S+>?\s*$")


def _strip_url_lines(text: str) -> str:
    """Lines that are only a URL are kept as links, not as text."""
    return "\n".join(line for line in text.split("\n") if not _URL_LINE_RE.match(line)).strip()


def _flatten(nodes):
    """Top-level blocks, with block quotes opened up into the blocks they hold."""
    for node in nodes:
        if node.name == "blockquote":
            yield from _flatten(node.children)
        else:
            yield node


# ------------------------------------------------------------------ the stage

def parse_post(raw: bytes, path: str | Path) -> Post:
    """Bytes of one file -> Post. Raises PostError when nothing can be read from it."""
    path = Path(path)
    text, problems = decode(raw, path)
    metadata, body, fm_problems = split_front_matter(text, path)
    problems += fm_problems
    if not body.strip():
        raise PostError(path, "no text after the front matter: skipped")
    title = metadata.get("title")
    title = str(title).strip() if title is not None else ""
    if not title:
        heading = re.search(r"^#\s+(.+)$", body, re.M)
        title = heading.group(1).strip() if heading else path.stem
    try:
        entries = read_entries(body)
    except ValueError as error:
        raise PostError(path, f"{error}: skipped") from None
    metadata_date = _as_date(metadata.get("date"))
    period = post_period(title, path.name, metadata_date, body)
    post_date = metadata_date or file_date(path.name) or period.end
    if post_date is None:
        dates = find_dates(body, None)
        post_date = dates[0][2] if dates else None
    return Post(
        path=str(path), name=path.name, title=title,
        issue=issue_number(title, metadata), date=post_date, period=period,
        entries=entries, problems=tuple(problems),
    )


def read_post(path: str | Path) -> Post:
    """Read one post from disk."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise PostError(path, f"cannot be read ({error.strerror or error}): skipped") from None
    return parse_post(raw, path)


def find_posts(paths) -> tuple[list[str], list[str]]:
    """Markdown files named by paths (files, or folders searched recursively), as absolute
    paths sorted by file name; and a line for each path that does not exist. (Strings, not
    Path objects: making 10,000 Paths takes a tenth of a second of every rebuild.)"""
    found, problems = [], []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(_markdown_under(path))
        elif path.is_file():
            found.append(os.path.realpath(path) if path.is_symlink() else os.path.abspath(path))
        else:
            problems.append(f"{path}: no such file or folder: skipped")
    unique = sorted(set(found), key=lambda p: (os.path.basename(p), p))
    return unique, problems


def _markdown_under(folder: Path) -> list[str]:
    """The Markdown files under a folder, recursively (symbolic links to files followed, to
    folders not), as absolute paths: one directory scan each, no stat per file."""
    found, folders = [], [os.path.abspath(folder)]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    folders.append(entry.path)
                elif os.path.splitext(entry.name)[1].lower() in MARKDOWN_SUFFIXES and entry.is_file():
                    found.append(os.path.realpath(entry.path) if entry.is_symlink() else entry.path)
    return found
