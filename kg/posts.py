"""Stage 1, reading: a Markdown file with YAML front matter -> Post.

A Post has its title, issue number (第十四期 -> 14), the period it covers (0508-0528),
its date, and its entries: each news item (a paragraph or a list under a section and
subsection heading) with its section path, plain text and links. Markdown is parsed by
markdown-it (the Rust port, markdown-it-pyrs); nothing here depends on any other post.
"""
import codecs
import datetime as dt
import errno
import os
import re
import stat
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

import frontmatter
import yaml
from markdown_it_pyrs import MarkdownIt

from kg.datafiles import word_lists
from kg.dates import Period, find_dates
from kg.errors import PostError
from kg.numbers import CHINESE_NUMERAL_CHARS, chinese_to_int
from kg.resources import ontology_dir

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
    # the address of the original this post says it translates ('原文：<https://...>' at its start)
    original: str | None = None

    def title_entry(self) -> Entry | None:
        """The post's title as an entry of its own (position 0): a news article's title often
        states its main fact ('VMware 收购 Heptio'). None when the title is only the file's name."""
        if not self.title or self.title == os.path.splitext(self.name.rsplit("/", 1)[-1])[0]:
            return None
        return Entry(position=0, section=(), text=self.title)

    def readable_entries(self) -> tuple[Entry, ...]:
        """The entries extraction reads: the title's, then the post's own."""
        title = self.title_entry()
        return ((title,) if title else ()) + self.entries

    @property
    def slug(self) -> str:
        """The name without its suffix: '2014/weekly' for 2014/weekly.md (kg/iris.py encodes the '/')."""
        return os.path.splitext(self.name)[0]


# ------------------------------------------------------------------ limits

@dataclass(frozen=True)
class ReadingLimits:
    """How kg reads a post file. At most: the bytes of a file (the rest is cut at a line
    break and said), and the depth of nested quotes and lists (deeper ones are read as the
    deepest allowed); each keeps a hostile or broken post from taking the build down. And
    whether a file of several dated issues is read as one post per issue."""
    max_bytes: int = 4 << 20
    max_depth: int = 16
    # a file whose level-2 headings are dates (## 2025.03.01) is read as one post per heading
    dated_sections: bool = True


DEFAULT_LIMITS = ReadingLimits()


# ------------------------------------------------------------------ decoding

_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# what no XML output may hold (XML 1.0 allows tab, line feed and carriage return of C0)
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_BINARY_SIGNATURES = (b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"%PDF", b"PK\x03\x04", b"\x7fELF", b"\x1f\x8b")


def _looks_binary(raw: bytes) -> bool:
    head = raw[:8192]
    return head.startswith(_BINARY_SIGNATURES) or head.count(0) * 10 > len(head)


def decode(raw: bytes, path) -> tuple[str, list[str]]:
    """Text of a post file, and what was odd about it: UTF-8 (with or without BOM), UTF-16
    or UTF-32 with a BOM, else GB18030 (the superset of GBK). A few bytes that are not
    UTF-8 in a UTF-8 text, or a text in no encoding kg knows, are replaced with U+FFFD;
    control characters (a NUL, a vertical tab) with spaces; CR and CRLF line ends become LF.
    Only an empty or binary file is an error."""
    if not raw.strip():
        raise PostError(path, "empty file: skipped")
    problems: list[str] = []
    encoding = next((name for bom, name in _BOMS if raw.startswith(bom)), None)
    if encoding:
        text = raw.decode(encoding, errors="replace")
    elif _looks_binary(raw):
        raise PostError(path, "binary file, not a Markdown post: skipped")
    else:
        text, problems = _decode_8bit(raw)
    text = text.removeprefix("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    controls = len(_CONTROL_RE.findall(text))
    if controls:
        text = _CONTROL_RE.sub(" ", text)
        problems.append(f"{controls} control character{'s' * (controls != 1)} (such as NUL) replaced by spaces")
    return text, problems


def _decode_8bit(raw: bytes) -> tuple[str, list[str]]:
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    replaced = raw.decode("utf-8", errors="replace")
    bad = replaced.count("\ufffd") - raw.count("\ufffd".encode("utf-8"))
    if bad <= max(8, len(raw) // 1000):        # a stray byte in a UTF-8 text
        return replaced, [f"{bad} byte{'s' * (bad != 1)} not UTF-8: replaced by U+FFFD"]
    try:
        return raw.decode("gb18030"), ["text is not UTF-8: read as GB18030/GBK"]
    except UnicodeDecodeError:
        return replaced, [f"text is neither UTF-8 nor GBK: read as UTF-8, {bad} bytes replaced by U+FFFD"]


def _cut(raw: bytes, limits: ReadingLimits) -> tuple[bytes, list[str]]:
    if len(raw) <= limits.max_bytes:
        return raw, []
    end = raw.rfind(b"\n", 0, limits.max_bytes)
    cut = raw[:end if end > limits.max_bytes // 2 else limits.max_bytes]
    return cut, [f"over the limit of {limits.max_bytes:,} bytes a post: read up to byte {len(cut):,}"]


# ------------------------------------------------------------------ front matter

class _Tolerant:
    """Constructors of a YAML loader that turn a value they cannot make (2014-02-30, hour 25,
    !!int 'abc', a 5,000-digit number, an unknown or Python tag) into None and note it,
    instead of failing the whole front matter; and an alias (*name), which kg does not
    expand (a few nested aliases make gigabytes), into None."""

    def __init__(self, stream):
        super().__init__(stream)
        self.problems: list[str] = []

    def _noted(self, what: str) -> None:
        if len(self.problems) < 5 and what not in self.problems:
            self.problems.append(what)

    def _guarded(self, node, make):
        try:
            return make(self, node)
        except (ValueError, OverflowError, TypeError) as error:
            self._noted(f"front matter value {str(node.value)[:40]!r} ({error.__class__.__name__}: "
                        f"{str(error)[:60]}): ignored")
            return None

    def construct_undefined(self, node):
        self._noted(f"front matter tag {node.tag[:60]!r} is not plain YAML: value ignored")
        return None

    def compose_node(self, parent, index):      # the pure-Python composer only (aliases present)
        if self.check_event(yaml.AliasEvent):
            event = self.get_event()
            self._noted("front matter aliases (*name) are not expanded: their values ignored")
            return yaml.ScalarNode("tag:yaml.org,2002:null", "", event.start_mark, event.end_mark)
        return super().compose_node(parent, index)


def _tolerant_loader(base):
    loader = type(f"Tolerant{base.__name__}", (_Tolerant, base), {})
    for tag in ("timestamp", "int", "float", "bool", "binary", "set", "omap", "pairs"):
        full = f"tag:yaml.org,2002:{tag}"
        made = base.yaml_constructors[full]
        loader.add_constructor(full, lambda self, node, made=made: self._guarded(node, made))
    loader.add_constructor(None, _Tolerant.construct_undefined)
    return loader


# libyaml's parser where PyYAML has it (six times faster); the pure-Python one, whose
# composer can refuse aliases, when the text may hold one
_FAST_LOADER = _tolerant_loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader))
_ALIAS_LOADER = _tolerant_loader(yaml.SafeLoader)
_SPLITTER = frontmatter.YAMLHandler()          # python-frontmatter finds the '---' lines
_MAX_TITLE = 500


def _load_yaml(text: str) -> tuple[object, list[str]]:
    loader = (_ALIAS_LOADER if "*" in text else _FAST_LOADER)(text)
    try:
        return loader.get_single_data(), loader.problems
    finally:
        loader.dispose()


def split_front_matter(text: str, path) -> tuple[dict, str, list[str]]:
    """Front matter as a dict of string keys and the body; a problem with it, or with one
    of its values, is reported and that part ignored, never fatal."""
    if not _SPLITTER.detect(text):
        return {}, text, ["no front matter: read as plain Markdown"]
    try:
        front, body = _SPLITTER.split(text)
    except ValueError:
        return {}, text, ["front matter has no closing '---' line: read as plain Markdown"]
    try:
        metadata, problems = _load_yaml(front)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        return {}, body, [f"front matter is not valid YAML{where}: ignored, body read"]
    except RecursionError:
        return {}, body, ["front matter is nested too deeply: ignored, body read"]
    if metadata is None:
        return {}, body, problems
    if not isinstance(metadata, dict):
        return {}, body, problems + ["front matter is not a mapping of keys to values: ignored, body read"]
    odd = [key for key in metadata if not isinstance(key, str)]
    if odd:
        problems.append(f"front matter key {str(odd[0])[:40]!r} is not a name: ignored")
    return {key: value for key, value in metadata.items() if isinstance(key, str)}, body, problems


def _title(metadata: dict, body: str, path: Path, problems: list[str]) -> str:
    title = metadata.get("title")
    if isinstance(title, (str, int, float)) and not isinstance(title, bool):
        title = " ".join(_CONTROL_RE.sub(" ", str(title)).split())      # YAML's escapes can make any
    elif title is not None:
        problems.append("front matter title is not text: ignored")
        title = ""
    if not title:
        heading = re.search(r"^#[ \t]+(.+)$", body, re.M)
        title = heading.group(1).strip() if heading else path.stem
    if len(title) > _MAX_TITLE:
        problems.append(f"title of {len(title):,} characters: cut to {_MAX_TITLE}")
        title = title[:_MAX_TITLE]
    return title


# ------------------------------------------------------------------ title, issue, period, date

_ISSUE_RE = re.compile(rf"第\s*([{CHINESE_NUMERAL_CHARS}\d]{{1,9}})\s*期")
_ISSUE_EN_RE = re.compile(r"\b(?:issue|no\.?|#)\s*(\d{1,9})\b", re.I)
_PERIOD_RE = re.compile(r"(?<!\d)(\d{1,2})[.\-/]?(\d{2})\s*(?:-|–|—|~|～|至|到)\s*(\d{1,2})[.\-/]?(\d{2})(?!\d)")
_FILE_DATE_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})-")


def issue_number(title: str, metadata: dict) -> int | None:
    for key in ("issue", "number", "issue_number"):
        value = metadata.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10**9:
            return value
        if isinstance(value, str) and value.strip().isdecimal() and len(value.strip()) < 10:   # isdigit holds for ¹
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

# elements whose content is no text of the post: a drawing's title ('Group Created with Sketch.'), code
_NOT_TEXT_ELEMENTS = frozenset({"svg", "script", "style", "template"})


class _HTMLText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0         # how many elements that hold no text are open

    def handle_starttag(self, tag, attrs):
        if tag in _NOT_TEXT_ELEMENTS:
            self.hidden += 1

    def handle_endtag(self, tag):
        if tag in _NOT_TEXT_ELEMENTS and self.hidden:
            self.hidden -= 1

    def handle_startendtag(self, tag, attrs):
        pass                    # (<svg/>: opens and closes nothing)

    def handle_data(self, data):
        if not self.hidden:
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


_HTML_TAG_RE = re.compile(r"<(/?)([A-Za-z][\w-]*)[^>]*?(/?)>")


def _visible(children):
    """Inline nodes outside elements that hold no text: the title of an inline drawing
    ('<svg><title>Group</title></svg>') is no text of its paragraph."""
    hidden = 0
    for child in children:
        if child.name == "html_inline":
            for closing, tag, empty in _HTML_TAG_RE.findall(child.meta.get("content", "")):
                if tag.lower() in _NOT_TEXT_ELEMENTS and not empty:
                    hidden = max(0, hidden - 1) if closing else hidden + 1
        elif not hidden:
            yield child


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
        for child in _visible(node.children):
            _inline(child, out, links)
        return "".join(out).strip()
    if name in _INLINE:
        out = []
        _inline(node, out, links)
        return "".join(out).strip()
    # a block's children: inline runs (tight list items hold text directly) and nested blocks
    parts: list[str] = []
    inline: list[str] = []
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


# a link's text that reads as prose (an author's note linked whole, a line that says something):
# a clause mark in a long text, or eight Chinese characters
_PROSE_RE = re.compile(r"(?=.{16})[^，。；]*[，。；]|(?:[^\u4e00-\u9fff]*[\u4e00-\u9fff]){8}")


def _only_links(text: str, links: list[Link]) -> bool:
    """Whether a paragraph is nothing but links (a source line), none of them linking prose."""
    if not links or any(_PROSE_RE.match(link.text) for link in links):
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
    out: list[str] = []
    block: list[str] = []
    fenced = False

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


class _Node:
    """A node of markdown-it-py's tree in the shape of markdown-it-pyrs' (name, meta, children)."""
    __slots__ = ("name", "meta", "children")
    _NAMES = {"s": "strikethrough", "tr": "trow", "th": "tcell", "td": "tcell"}

    def __init__(self, node):
        kind = node.type
        self.name = self._NAMES.get(kind, kind)
        self.meta: dict = {}
        children = []
        for child in node.children:         # markdown-it-py wraps a block's inline run in a node
            children.extend(child.children if child.type == "inline" else [child])
        self.children = [_Node(child) for child in children]
        if kind == "heading":
            self.meta["level"] = int(node.tag[1:])
        elif kind == "link":
            self.meta["url"] = node.attrs.get("href", "")
        elif kind == "code_inline":
            self.children = [_Text(node.content)]
        elif kind in ("text", "html_inline", "html_block", "fence", "code_block"):
            self.meta["content"] = node.content


class _Text:
    __slots__ = ("meta",)
    name, children = "text", ()

    def __init__(self, content: str):
        self.meta = {"content": content}


def _pure_python_tree(body: str):
    """The tree markdown-it-py (the reference, in pure Python) makes of body."""
    from markdown_it import MarkdownIt as PurePythonMarkdownIt
    from markdown_it.tree import SyntaxTreeNode
    parser = PurePythonMarkdownIt("commonmark", {"linkify": True}).enable(["linkify", "strikethrough", "table"])
    return _Node(SyntaxTreeNode(parser.parse(body)))


def _rust_tree(body: str):
    """The tree markdown-it-pyrs makes of body. A panic of the Rust parser (it has some on
    text markdown-it-py reads fine) arrives as a BaseException, after the Rust runtime has
    written a backtrace to standard error: that is kept from the terminal."""
    saved = os.dup(2)
    try:
        os.dup2(_quiet(), 2)
        try:
            return _MARKDOWN.tree(_escape_unpaired_backticks(body))
        finally:
            os.dup2(saved, 2)
    finally:
        os.close(saved)


@lru_cache(maxsize=1)
def _quiet() -> int:
    """A descriptor of the null device, opened once a process."""
    return os.open(os.devnull, os.O_WRONLY)


def _markdown_tree(body: str, problems: list[str]):
    try:
        return _rust_tree(body)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:
        problems.append("markdown-it-pyrs failed on this text: read with markdown-it-py instead")
    return _pure_python_tree(body)


# a line's container markers (quotes, list bullets and numbers), each whitespace character
# taken by one part only, so that the pattern stays linear on a line of thousands
_CONTAINERS_RE = re.compile(r"[ \t]*(?:>[ \t]*|(?:[-*+]|\d{1,9}[.)])[ \t]+)")


@lru_cache(maxsize=4)
def _too_deep(depth: int) -> re.Pattern:
    """A line indented or nested deeper than depth levels (made once per limit, not per post)."""
    return re.compile(rf"^(?:[ \t]{{{4 * depth + 1},}}|(?:{_CONTAINERS_RE.pattern}){{{depth + 1},}})", re.M)


def limit_nesting(body: str, limits: ReadingLimits = DEFAULT_LIMITS) -> tuple[str, bool]:
    """Body with quotes and lists nested deeper than limits.max_depth read as the deepest
    allowed (the markers past it dropped, indentation past four columns a level cut back);
    and whether anything was cut. Thousands of levels would exhaust the parsers' stacks."""
    depth, indent = limits.max_depth, 4 * limits.max_depth
    if not _too_deep(depth).search(body):
        return body, False
    lines = body.split("\n")
    for index, line in enumerate(lines):
        stripped = line.lstrip(" \t")
        if len(line) - len(stripped) > indent:
            line = " " * indent + stripped
        position = count = 0
        while (match := _CONTAINERS_RE.match(line, position)) and match.end() > position:
            count += 1
            if count == depth:
                kept = match.end()
            position = match.end()
        if count > depth:
            line = line[:kept] + line[position:]
        lines[index] = line
    return "\n".join(lines), True


def read_entries(body: str, problems: list[str] | None = None,
                 limits: ReadingLimits = DEFAULT_LIMITS) -> tuple[Entry, ...]:
    """Each paragraph or list item under its heading path is an entry (a newsletter lists its
    news as 1. 2. 3. or - items). A paragraph of nothing but links belongs to the item before
    it; so does a whole list after a line ending in a colon (its points). What was odd is
    added to problems."""
    problems = [] if problems is None else problems
    body, cut = limit_nesting(body, limits)
    if cut:
        problems.append(f"quotes or lists nested deeper than {limits.max_depth} levels: read as {limits.max_depth}")
    tree = _markdown_tree(body, problems)
    section: list[tuple[int, str]] = []
    drafts: list[dict] = []
    author: Link | None = None         # a person's name linked alone on the line before (an author's note)
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
            text = _translation_placeholder().sub(_kept, _strip_url_lines(_block_text(block, links))).strip()
            if not text and not links:
                continue
            previous = drafts[-1] if drafts else None
            if previous is not None and _joined_note(previous, text, links):
                continue
            if previous is not None and previous["section"] == path and (not text or _only_links(text, links)):
                previous["links"].extend(links)
                author = links[-1] if links and _NAME_LINK.fullmatch(links[-1].text.strip()) else None
                continue
            if points and previous is not None:
                previous["text"] += "\n" + text
                previous["links"].extend(links)
            else:
                drafts.append({"section": path, "text": _with_its_author(text, links, author), "links": links})
            author = None
    return tuple(
        Entry(position=i, section=d["section"], text=d["text"], links=tuple(dict.fromkeys(d["links"])))
        for i, d in enumerate(drafts, start=1)
    )


def _joined_note(previous: dict, text: str, links: list[Link]) -> bool:
    """An author's note linked whole across a blank line ('[韦恩·卡特' then '韦恩是…](url)'), which
    Markdown reads as two paragraphs, joined into the item before as one: the name on its first line."""
    note = _NOTE_TAIL.search(text) if _NOTE_HEAD.fullmatch(previous["text"]) else None
    if note is None:
        return False
    author = previous["text"][1:].strip()
    previous["text"] = author + "\n" + text[:note.start()].rstrip()
    previous["links"].extend([*links, Link(author, note.group(1))])
    return True


def _with_its_author(text: str, links: list[Link], author: Link | None) -> str:
    """A note that a link to the same address as the person's name linked alone before it opens
    with their given name ('[Amanda Brock](u)' then '[Amanda 围绕开源…](u)'): the name on its first line."""
    if author is None or author.url not in {link.url for link in links}:
        return text
    given = re.split(r"[\s·・]", author.text.strip())[0]
    return f"{author.text.strip()}\n{text}" if len(given) >= 2 and text.startswith(given) else text


_NAME_LINK = re.compile(r"[A-Z][a-z]+(?: [A-Z][A-Za-z'’-]+){1,2}|[\u4e00-\u9fff]{2,5}[·・][\u4e00-\u9fff]{2,8}")
_URL_LINE_RE = re.compile(r"^\s*<?https?://\S+>?\s*$")
# an author's note linked whole across a blank line, which Markdown reads as two paragraphs: the
# first only '[' and the author's name, the second the note and the link's end ('…](https://…)')
_NOTE_HEAD = re.compile(r"\[[^\[\]\n]{2,40}")
_NOTE_TAIL = re.compile(r"\]\((https?://[^)\s]+)\)(?:\s*\[\]\([^)\s]*\))*\s*$")


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


@lru_cache(maxsize=1)
def _post_words() -> dict[str, list[str]]:
    return word_lists(ontology_dir() / "patterns" / "post-words.tsv", ("original-mark", "translation-placeholder"),
                      ("original-mark",))


@lru_cache(maxsize=1)
def _translation_placeholder() -> re.Pattern:
    """A machine translation's numbered placeholders (post-words.tsv): left out of the text, but
    for what a pattern's group keep holds."""
    return re.compile("|".join(_post_words().get("translation-placeholder", [])) or "(?!)")


def _kept(placeholder: re.Match) -> str:
    """What a placeholder's match leaves in the text: its group keep, if it has one."""
    return (placeholder.groupdict().get("keep") or "")


@lru_cache(maxsize=1)
def _original_mark() -> re.Pattern:
    marks = _post_words()
    alternation = "|".join(re.escape(w) for w in sorted(marks["original-mark"], key=len, reverse=True))
    return re.compile(rf"\s*(?:{alternation})\s*[:：]?\s*<?https?://", re.I)


def original_of(entries: tuple[Entry, ...], within: int = 3) -> str | None:
    """The address of the original a post translates, when one of its first entries says so
    ('原文：<https://thenewstack.io/...>'; ontology/patterns/post-words.tsv)."""
    for entry in entries[:within]:
        if entry.links and _original_mark().match(entry.text):
            return entry.links[0].url
    return None


# ------------------------------------------------------------------ the stage

def _read_file(raw: bytes, path: Path, limits: ReadingLimits, name: str | None):
    """Bytes of a file -> (its front matter, body, title, name, problems)."""
    raw, problems = _cut(raw, limits)
    text, decoding = decode(raw, path)
    problems += decoding
    metadata, body, fm_problems = split_front_matter(text, path)
    problems += fm_problems
    if not body.strip():
        raise PostError(path, "no text after the front matter: skipped")
    title = _title(metadata, body, path, problems)
    return metadata, body, title, name or printable(path.name), problems


def _whole_post(path: Path, metadata: dict, body: str, title: str, name: str, problems: list[str],
                limits: ReadingLimits) -> Post:
    entries = read_entries(body, problems, limits)
    metadata_date = _as_date(metadata.get("date"))
    file_name = name.rsplit("/", 1)[-1]
    period = post_period(title, file_name, metadata_date, body)
    post_date = metadata_date or file_date(file_name) or period.end
    if post_date is None:
        dates = find_dates(body, None)
        post_date = dates[0][2] if dates else None
    return Post(
        path=printable(str(path)), name=name, title=title,
        issue=issue_number(title, metadata), date=post_date, period=period,
        entries=entries, problems=tuple(problems), original=original_of(entries),
    )


def parse_post(raw: bytes, path: str | Path, limits: ReadingLimits = DEFAULT_LIMITS, name: str | None = None) -> Post:
    """Bytes of one file -> Post, the whole file as one post. Raises PostError when nothing
    can be read from it. name: the post's name in its archive (its path under the folder
    given, which makes its IRI), by default the file's name."""
    path = Path(path)
    metadata, body, title, name, problems = _read_file(raw, path, limits, name)
    return _whole_post(path, metadata, body, title, name, problems, limits)


def parse_posts(raw: bytes, path: str | Path, limits: ReadingLimits = DEFAULT_LIMITS,
                name: str | None = None) -> list[Post]:
    """Bytes of one file -> its posts: one per dated level-2 heading when the file holds
    several dated issues (## 2025.03.01, ## 2025-03-02, ## 3月3日 with the year of the file;
    unless limits.dated_sections is off), else the whole file as one (parse_post). Each issue
    is named after the file and its day (2025-03.md -> 2025-03/2025-03-01.md), which makes
    its IRI; text before the first dated heading is a post of the file's own name. A post
    that says it translates one original article (原文：<url>) stays one post, whatever its
    headings."""
    path = Path(path)
    metadata, body, title, name, problems = _read_file(raw, path, limits, name)
    sections = dated_sections(body, _year_of(title, name, metadata)) if limits.dated_sections else []
    if len(sections) < 2:
        return [_whole_post(path, metadata, body, title, name, problems, limits)]
    preamble = body[:sections[0][2]]
    opening = read_entries(preamble, [], limits)
    if original_of(opening) is not None:
        return [_whole_post(path, metadata, body, title, name, problems, limits)]  # one article, translated
    posts = []
    if opening:
        posts.append(_whole_post(path, metadata, preamble, title, name, problems, limits))
        problems = []
    stem, suffix = os.path.splitext(name)
    named: set[str] = set()
    for index, (day, heading, start) in enumerate(sections):
        end = sections[index + 1][2] if index + 1 < len(sections) else len(body)
        part_name = f"{stem}/{day.isoformat()}"
        part_name += f"-{sum(n.startswith(part_name) for n in named) + 1}" if part_name + suffix in named else ""
        named.add(part_name + suffix)
        entries = read_entries(body[start:end], problems, limits)
        posts.append(Post(path=printable(str(path)), name=part_name + suffix, title=f"{title} {heading}".strip(),
                          issue=None, date=day, period=Period(day, day), entries=entries,
                          problems=tuple(problems), original=original_of(entries)))
        problems = []
    return posts


_LEVEL2_RE = re.compile(r"^##[ \t]+(.+?)[ \t#]*$", re.M)
_FENCE_RE = re.compile(r"^[ \t]{0,3}(?:```|~~~)", re.M)
_YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


def _year_of(title: str, name: str, metadata: dict) -> int | None:
    """The year of a file of issues: its front-matter date's, else the first year in its
    title or name (行业快讯 2025年3月, 2025-03.md)."""
    metadata_date = _as_date(metadata.get("date"))
    if metadata_date:
        return metadata_date.year
    year = _YEAR_RE.search(title) or _YEAR_RE.search(name.rsplit("/", 1)[-1])
    return int(year.group(1)) if year else None


def dated_sections(body: str, year: int | None) -> list[tuple[dt.date, str, int]]:
    """(day, heading, where its text starts) for each level-2 heading of body that is a date
    and nothing more than a date with a few words (## 2025.03.01, ## 3月1日 快讯), outside code
    blocks; a date without its year takes year (none: such headings are not dates)."""
    fences = [m.start() for m in _FENCE_RE.finditer(body)]
    sections = []
    anchor = Period(None, dt.date(year, 7, 1)) if year else None
    for heading in _LEVEL2_RE.finditer(body):
        if sum(f < heading.start() for f in fences) % 2:
            continue                                    # inside a fenced code block
        text = heading.group(1).strip()
        found = find_dates(text, anchor)
        if not found or found[0][0] != 0 or len(text) - found[0][1] > 24:
            continue
        if year is None and not re.match(r"(?:19|20)\d\d", text):
            continue
        if not _YEAR_RE.match(text) and year and found[0][2].year != year:
            continue                                    # (a day near the year's ends resolved to the next)
        sections.append((found[0][2], text, heading.end()))
    return sections


def read_post(path: str | Path) -> Post:
    """Read one post from disk."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise PostError(path, f"cannot be read ({error.strerror or error}): skipped") from None
    return parse_post(raw, path)


@dataclass(frozen=True)
class PostFile:
    """A post file found: where it is, and its name in the archive (its path under the
    folder given, '/' between folders; the file name for a file given by itself)."""
    path: str
    name: str

    def __fspath__(self) -> str:
        return self.path


def printable(text: str) -> str:
    """A file name or path as text: bytes that were not UTF-8 in it (which Python keeps as
    lone surrogates) become U+FFFD, so that no output holds what no encoder writes."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def find_posts(paths, follow_symlinks: bool = False) -> tuple[list[PostFile], list[str], list[str]]:
    """The Markdown files named by paths (files, or folders searched recursively), sorted by
    file name; the paths that do not exist; and a line for each file or folder passed over.
    Inside a folder, a symbolic link is read only when it leads to a file inside one of the
    folders given, unless follow_symlinks (then folders are followed too, each once)."""
    found: dict[str, PostFile] = {}
    missing: list[str] = []
    passed: list[str] = []
    roots = [os.path.realpath(raw) for raw in paths if os.path.isdir(raw)]
    for raw in paths:
        path = os.fspath(raw)
        if os.path.isdir(path):
            for post in _markdown_under(path, roots, follow_symlinks, passed):
                found.setdefault(post.path, post)
        elif os.path.isfile(path):
            real = os.path.realpath(path)
            found.setdefault(real, PostFile(real, printable(os.path.basename(path))))
        else:
            missing.append(f"{printable(path)}: no such file or folder")
    unique = sorted(found.values(), key=lambda post: (post.name.rsplit("/", 1)[-1], post.name, post.path))
    return unique, missing, passed


def _inside(real: str, roots: list[str]) -> bool:
    return any(real == root or real.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


def _markdown_under(folder: str, roots: list[str], follow_symlinks: bool, passed: list[str]) -> list[PostFile]:
    """The Markdown files under a folder, recursively: one directory scan each, no stat per
    ordinary file. Symbolic links as find_posts says; a loop or a broken link is passed over
    with a line in passed."""
    found, top = [], os.path.abspath(folder)
    folders, seen = [top], {os.path.realpath(top)}
    while folders:
        current = folders.pop()
        try:
            entries = list(os.scandir(current))
        except OSError as error:
            passed.append(f"{printable(current)}: cannot be listed ({error.strerror or error}): skipped")
            continue
        for entry in entries:
            is_markdown = os.path.splitext(entry.name)[1].lower() in MARKDOWN_SUFFIXES
            if not entry.is_symlink():
                if entry.is_dir(follow_symlinks=False):
                    folders.append(entry.path)
                elif is_markdown and entry.is_file(follow_symlinks=False):
                    found.append(PostFile(entry.path, _name_under(top, entry.path)))
                continue
            try:
                target = os.stat(entry.path)
            except OSError as error:
                what = "a symbolic link loop" if error.errno == errno.ELOOP else "a broken symbolic link"
                passed.append(f"{printable(entry.path)}: {what}: skipped")
                continue
            real = os.path.realpath(entry.path)
            if stat.S_ISDIR(target.st_mode):
                if not follow_symlinks:
                    passed.append(f"{printable(entry.path)}: a symbolic link to a folder: not followed "
                                  "(--follow-symlinks follows it)")
                elif real in seen:
                    passed.append(f"{printable(entry.path)}: a symbolic link to a folder already read: skipped")
                else:
                    seen.add(real)
                    folders.append(entry.path)
            elif is_markdown and stat.S_ISREG(target.st_mode):
                if follow_symlinks or _inside(real, roots):
                    found.append(PostFile(real, _name_under(top, entry.path)))
                else:
                    passed.append(f"{printable(entry.path)}: a symbolic link to a file outside the folders given:"
                                  " not read (--follow-symlinks reads it)")
    return found


def _name_under(top: str, path: str) -> str:
    return printable(os.path.relpath(path, top).replace(os.sep, "/"))
