"""The rebuild state: what the last build into an output folder merged (kg.assemble.Assembly),
kept beside its outputs so that the next build redoes only the posts that changed.

Files in the output folder:
- `.kg-state`: the assembly as one sealed record (kg.keep.seal: msgpack data under a keyed
  checksum; nothing in it can run code);
- `.kg-post-turtle.N.bin`: the journal of the posts' own Turtle, most of the bytes, appended
  for the posts changed at each save and rewritten once more than half of it is dead; the
  state holds each post's span and its BLAKE2b hash;
- `.kg-state.conforms`: a sealed word that the graph of that state conformed.

The one rule: a state is used only when its record passes its check under this user's
cache key, was written by this kg (kg.keep.fingerprint) for the same base IRI, and every
journal span it names has its hash; otherwise it is discarded (with a warning when it was
damaged rather than merely old) and the build starts from the extraction cache. A build
writes its state as `.kg-state.pending.PID` and renames it into place only once graph.ttl and
graph.html are: an interrupted or failed build never leaves a state taken for valid.
"""
import gc
import hashlib
import mmap
import os
from collections import Counter
from dataclasses import replace
from datetime import date
from pathlib import Path

import msgpack

from kg.assemble import Assembly, _EntityPart
from kg.keep import seal, sealing_key, unseal
from kg.files import write_atomically
from kg.fragment import PostFragment
from kg.resolve import EntityVotes

STATE_FILE = ".kg-state"
PENDING_FILE = ".kg-state.pending"         # followed by the building process's id
CONFORMS_FILE = ".kg-state.conforms"
_JOURNALS = ".kg-post-turtle.*.bin"
_FORMAT = 1


def _hash(data) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def _pack(value) -> bytes:
    return msgpack.packb(value, use_bin_type=True)


def _unpack(data):
    return msgpack.unpackb(data, use_list=False, raw=False, strict_map_key=False)


def _plain(assembly: Assembly) -> dict:
    """The assembly as plain data (posts' Turtle kept out: it is in the journal)."""
    posts = []
    for order, fragment in assembly.posts.items():
        known = assembly._blobs.get(order)
        if known is not None and known[0] is fragment:
            posts.append(known[1])                  # packed as it was loaded: not packed again
        else:
            kept = replace(fragment, turtle=b"", unread=b"") if fragment.turtle else fragment
            posts.append(_pack(kept.plain()))
    return {
        "format": _FORMAT, "base": assembly.base, "fingerprint": assembly.fingerprint, "token": assembly.token,
        "votes": _pack(assembly.votes.plain()),
        "relations": [(*relation, count) for relation, count in assembly.relations.items()],
        "event_dates": {key: [(day.toordinal(), n) for day, n in days.items()]
                        for key, days in assembly.event_dates.items()},
        "posts": posts,
        "entities": _pack({key: tuple(part) for key, part in assembly.entities.items()}),
        "dirty": sorted(assembly.dirty), "fresh": sorted(assembly.fresh),
        "touched_posts": sorted(assembly.touched_posts), "touched_entities": sorted(assembly.touched_entities),
        "file_stats": assembly.file_stats, "started": assembly.started,
        "spans": [(*order, *span) for order, span in assembly.spans.items()],
        "journal": assembly.journal, "journal_dead": assembly.journal_dead,
    }


def _from_plain(state: dict) -> Assembly:
    assembly = Assembly(state["base"], state["fingerprint"])
    posts, blobs = {}, {}
    for blob in state["posts"]:
        fragment = PostFragment.from_plain(_unpack(blob))
        posts[fragment.order] = fragment
        blobs[fragment.order] = (fragment, blob)
    assembly.posts, assembly._blobs = posts, blobs
    assembly.votes = EntityVotes.from_plain(msgpack.unpackb(state["votes"], raw=False))
    assembly.relations = Counter({tuple(relation): count for *relation, count in state["relations"]})
    assembly.event_dates = {key: Counter({date.fromordinal(day): n for day, n in days})
                            for key, days in state["event_dates"].items()}
    assembly.entities = {key: _EntityPart(*values) for key, values in _unpack(state["entities"]).items()}
    assembly.dirty, assembly.fresh = set(state["dirty"]), {tuple(o) for o in state["fresh"]}
    assembly.touched_posts = {tuple(o) for o in state["touched_posts"]}
    assembly.touched_entities = set(state["touched_entities"])
    assembly.file_stats = {key: tuple(value) for key, value in state["file_stats"].items()}
    assembly.started, assembly.token = state["started"], state["token"]
    assembly.spans = {(name, path): (offset, length, digest) for name, path, offset, length, digest in state["spans"]}
    assembly.journal, assembly.journal_dead = state["journal"], state["journal_dead"]
    return assembly


def load(folder: Path, base: str, fingerprint: str) -> tuple[Assembly, str | None]:
    """The assembly of the last build into folder, with its journal mapped, and None; or a
    fresh assembly and, when a state was there but damaged, a line saying it was discarded."""
    folder = Path(folder)
    path = folder / STATE_FILE
    fresh = Assembly(base, fingerprint)
    try:
        record = path.read_bytes()
    except OSError:
        return fresh, None
    discarded = f"{path}: the rebuild state fails its check (damaged, or written by another user): " \
                "discarded, every post assembled again"
    collecting = gc.isenabled()
    gc.disable()        # a million objects, none in a cycle: the collector's passes would cost a third
    try:
        state = unseal(record, sealing_key())
        if not isinstance(state, dict) or state.get("format") != _FORMAT:
            return fresh, discarded if state is None else None
        if state["base"] != base or state["fingerprint"] != fingerprint:
            return fresh, None                      # another kg or base: not damaged, only old
        assembly = _from_plain(state)
        if assembly.spans and not _map_journal(assembly, folder):
            return fresh, f"{folder / assembly.journal}: the posts' Turtle fails its check: " \
                          "discarded, every post assembled again"
        assembly.conforms = _vouched(folder, assembly.token)
        return assembly, None
    except (KeyError, ValueError, TypeError, AttributeError, OSError):
        return fresh, discarded
    finally:
        if collecting:
            gc.enable()


def _map_journal(assembly: Assembly, folder: Path) -> bool:
    """Map the journal and check every span the state names against its hash."""
    journal = folder / assembly.journal
    with open(journal, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size == 0 or size < max(offset + length for offset, length, _ in assembly.spans.values()):
            return False
        view = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    pieces = memoryview(view)
    for offset, length, digest in assembly.spans.values():
        if _hash(pieces[offset:offset + length]) != digest:
            return False
    assembly._view = view
    return True


def _vouched(folder: Path, token: str) -> bool:
    try:
        return bool(token) and unseal((folder / CONFORMS_FILE).read_bytes(), sealing_key()) == token
    except OSError:
        return False


def save(assembly: Assembly, folder: Path) -> None:
    """Write the assembly as the folder's pending state (commit puts it in place), its posts'
    Turtle to the journal: appended for the posts changed since the last save, or a new
    journal when more than half of the old one is dead."""
    folder = Path(folder)
    pending = {order: fragment.turtle for order, fragment in assembly.posts.items() if fragment.turtle}
    for order in [o for o in assembly.spans if o not in assembly.posts or o in pending]:
        assembly.journal_dead += assembly.spans.pop(order)[1]
    live = sum(span[1] for span in assembly.spans.values()) + sum(len(t) for t in pending.values())
    current = folder / assembly.journal if assembly.journal else None
    end = max((offset + length for offset, length, _ in assembly.spans.values()), default=0)
    if current is None or not current.is_file() or current.stat().st_size < end \
            or assembly.journal_dead > live // 2:
        chunks, spans, offset = [], {}, 0
        for order in sorted(assembly.posts):
            turtle = pending.get(order) or assembly.post_turtle(order)
            spans[order] = (offset, len(turtle), _hash(turtle))
            chunks.append(turtle)
            offset += len(turtle)
        # a number no journal in the folder has: the state in place may still name its own
        number = 1 + max((int(p.name.split(".")[-2]) for p in folder.glob(_JOURNALS)
                          if p.name.split(".")[-2].isdecimal()), default=0)
        assembly.journal = f".kg-post-turtle.{number}.bin"
        write_atomically(folder / assembly.journal, chunks, mode=0o600)
        assembly.spans, assembly.journal_dead = spans, 0
    elif pending:
        # appended past what the current state names: a failed append only leaves dead bytes
        with open(current, "ab") as out:
            offset = out.tell()
            for order, turtle in sorted(pending.items()):
                out.write(turtle)
                assembly.spans[order] = (offset, len(turtle), _hash(turtle))
                offset += len(turtle)
    assembly.token = os.urandom(8).hex()
    write_atomically(_pending(folder), seal(_plain(assembly), sealing_key()), mode=0o600)


def _pending(folder: Path) -> Path:
    return Path(folder) / f"{PENDING_FILE}.{os.getpid()}"


def commit(folder: Path, assembly: Assembly) -> None:
    """Put the pending state in place (once the build's outputs are) and remove journals it
    does not name. Whether its graph conformed is said afterwards (record_conformance): the
    old word goes first, so that a state not yet vouched for never reads as conforming."""
    folder = Path(folder)
    (folder / CONFORMS_FILE).unlink(missing_ok=True)
    os.replace(_pending(folder), folder / STATE_FILE)
    for stale in folder.glob(_JOURNALS):
        if stale.name != assembly.journal:          # the one just replaced, or one a crash left
            stale.unlink(missing_ok=True)


def discard(folder: Path) -> None:
    """Remove the pending state of a build that failed."""
    _pending(folder).unlink(missing_ok=True)


def record_conformance(folder: Path, assembly: Assembly, conforms: bool) -> None:
    """Say beside the state whether its graph conformed (read by load)."""
    assembly.conforms = conforms
    marker = Path(folder) / CONFORMS_FILE
    if conforms and assembly.token:
        write_atomically(marker, seal(assembly.token, sealing_key()), mode=0o600)
    else:
        marker.unlink(missing_ok=True)
