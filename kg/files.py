"""Writing files so that no reader, and no interrupted build, ever sees half of one: each
output is written beside its target and renamed into place. A leaf: every stage that
writes a file imports it, and it imports no stage.
"""
import os
import tempfile
import threading
from pathlib import Path


def write_atomically(path: Path, data, mode: int | None = None) -> Path:
    """Write to a temporary file beside the target, then rename: a reader (or an
    interrupted build) never sees a half-written file. data: bytes, or a list of bytes-like
    pieces written one after the other. mode: the file's permissions (by default those of an
    ordinary file under the umask)."""
    path = Path(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    old = None
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
        old = _keep_old(path)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        if old is not None:
            Path(old).unlink(missing_ok=True)
        raise
    if old is not None:
        threading.Thread(target=_discard, args=(old,), name=f"discard {path.name}").start()
    return path


DISCARDED = ".discarded"
_BIG = 8 << 20


def _keep_old(path: Path) -> str | None:
    """A second name for a big file about to be replaced: replacing the last name of a file
    frees its blocks there and then (a quarter of a second for 150 MB of graph.ttl), which
    _discard does instead, beside the rest of the build. None for a small or missing file, or
    where files cannot have two names."""
    try:
        if os.stat(path).st_size < _BIG:
            return None
        old = f"{path.parent / ('.' + path.name)}.{os.getpid()}.{threading.get_ident()}{DISCARDED}"
        os.link(path, old)
        return old
    except OSError:
        return None


def _discard(name: str) -> None:
    try:
        os.unlink(name)
    except OSError:
        pass                        # a leftover is removed by the next build (_prepare_output)


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
