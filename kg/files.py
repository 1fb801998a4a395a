"""Writing files so that no reader, and no interrupted build, ever sees half of one: each
output is written beside its target and renamed into place. A leaf: every stage that
writes a file imports it, and it imports no stage.
"""
import os
import re
import tempfile
from pathlib import Path

BUILD_OUTPUTS = ("graph.ttl", "graph.html")


def refuse_build_outputs(out: Path, graph: Path) -> Path:
    """out, unless it is the graph being read or one of the files kg build writes beside it
    (only a build replaces those): then an OutputError. Commands that derive files from a
    built graph (render, export) write beside the build's files, never over them."""
    from kg.errors import OutputError
    out, graph = Path(out), Path(graph)
    target = out.resolve()
    if target == graph.resolve() or target in {graph.resolve().parent / name for name in BUILD_OUTPUTS}:
        raise OutputError(f"{out}: is the built graph's own file, which only kg build replaces; choose another --out")
    return out


# what no XML document may hold, as UTF-8: C0 controls but tab, line feed and carriage
# return, and the non-characters U+FFFE and U+FFFF
_NOT_XML = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|\xef\xbf[\xbe\xbf]")


def xml_safe(document: bytes) -> bytes:
    """An XML document with the characters XML 1.0 forbids replaced by spaces (a graph read
    from elsewhere may hold them in literals, which Turtle allows)."""
    return _NOT_XML.sub(b" ", document)


def write_atomically(path: Path, data, mode: int | None = None) -> Path:
    """Write to a temporary file beside the target, then rename: a reader (or an
    interrupted build) never sees a half-written file. data: bytes, or a list of bytes-like
    pieces written one after the other. mode: the file's permissions (by default those of an
    ordinary file under the umask)."""
    path = Path(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        if isinstance(data, (bytes, bytearray, memoryview)):
            data = [data]
        if hasattr(os, "writev"):
            try:
                _write_gathered(handle, data)
            finally:
                os.close(handle)
        else:
            with os.fdopen(handle, "wb") as out:
                out.writelines(data)
        os.chmod(temporary, 0o666 & ~_umask() if mode is None else mode)   # mkstemp makes 0600
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


_GATHER = 1024             # pieces a writev takes at most (Linux's IOV_MAX)


def _write_gathered(handle: int, pieces) -> None:
    """Write the pieces to a file descriptor, many to a system call: graph.ttl is some 25,000
    pieces at 10,000 posts, which one write each (through a buffered file) took three to five
    times longer to write."""
    pieces = [piece for piece in pieces if len(piece)]
    start = 0
    while start < len(pieces):
        batch = pieces[start:start + _GATHER]
        written = os.writev(handle, batch)
        start += len(batch)
        for index, piece in enumerate(batch):         # a short write: the rest of this batch again
            if written < len(piece):
                pieces[start - len(batch) + index] = memoryview(piece)[written:]
                start -= len(batch) - index
                break
            written -= len(piece)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
