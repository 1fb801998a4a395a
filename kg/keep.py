"""The user's cache folder: what kg keeps between processes ($KG_CACHE_DIR, else
$XDG_CACHE_HOME/kg, else ~/.cache/kg), and how it keeps it safe.

Nothing kg reads back from a file can run code: records are msgpack data (strings,
numbers, bytes, arrays and maps, never objects), sealed with a keyed BLAKE2b checksum
whose 32-byte key is made once per cache folder (`key`, readable by its owner only). A
record that is damaged, cut short, or written by anyone without the key fails its check
and is recomputed. The folder is made 0700; one that other users can write is refused.
"""
import hashlib
import hmac
import os
import stat
from functools import lru_cache
from pathlib import Path

import msgpack

from kg.resources import VERSION
from kg.errors import KgError
from kg.files import write_atomically
from kg.resources import ontology_dir


class CacheFolderError(KgError):
    """The cache folder is not safe to read (others can write it) or cannot be made."""


def cache_dir() -> Path:
    if os.environ.get("KG_CACHE_DIR"):
        return Path(os.environ["KG_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "kg"


def private_folder(folder: Path) -> Path:
    """folder, made (with its parents) readable and writable by its owner only when it is new;
    an existing one that another user owns, or that group or others can write, is refused:
    records there could have been planted."""
    folder = Path(folder)
    try:
        missing = [folder, *(p for p in folder.parents if not p.exists())]
        for part in reversed([p for p in missing if not p.exists()]):
            part.mkdir(mode=0o700, exist_ok=True)     # (mkdir's parents=True would make them 0755)
        found = os.stat(folder)
    except OSError as error:
        raise CacheFolderError(f"{folder}: cannot make the cache folder ({error.strerror or error}); "
                               "use --no-cache or set KG_CACHE_DIR") from None
    if found.st_uid != os.getuid() or found.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise CacheFolderError(f"{folder}: the cache folder can be written by other users: refused "
                               "(chmod 700 it, set KG_CACHE_DIR to a folder of your own, or use --no-cache)")
    if found.st_mode & 0o077:
        os.chmod(folder, 0o700)
    return folder


_KEY_FILE = "key"
_MAGIC = b"kg-sealed-1\n"
_MAC = 32


@lru_cache(maxsize=8)
def _key(folder: str) -> bytes:
    """The folder's sealing key, made on first use (a file of its owner's only)."""
    path = Path(private_folder(Path(folder))) / _KEY_FILE
    try:
        key = path.read_bytes()
        if len(key) == 32:
            return key
    except OSError:
        pass
    key = os.urandom(32)
    temporary = path.with_name(f".{_KEY_FILE}.{os.getpid()}")
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as out:
            out.write(key)
        try:
            os.link(temporary, path)        # the first process to make one wins; others read it
        except FileExistsError:
            existing = path.read_bytes()
            if len(existing) == 32:
                key = existing
            else:                           # a damaged key: every record sealed with it is lost anyway
                os.replace(temporary, path)
    except OSError as error:
        raise CacheFolderError(f"{path}: cannot make the cache key ({error.strerror or error})") from None
    finally:
        temporary.unlink(missing_ok=True)
    return key


def folder_key(folder: Path) -> bytes:
    """The sealing key of a cache folder."""
    return _key(str(folder))


def sealing_key() -> bytes:
    """The key of the user's cache folder (cache_dir)."""
    return _key(str(cache_dir()))


def _mac(key: bytes, payload) -> bytes:
    return hashlib.blake2b(payload, key=key, digest_size=_MAC).digest()


def seal(value, key: bytes) -> bytes:
    """value (plain data) as a sealed record: a magic line, a keyed checksum, msgpack."""
    payload = msgpack.packb(value, use_bin_type=True)
    return _MAGIC + _mac(key, payload) + payload


def unseal(record, key: bytes):
    """The value of a sealed record, arrays as tuples; None when it is not one, or fails its check."""
    record = memoryview(record)
    start = len(_MAGIC) + _MAC
    if len(record) < start or record[:len(_MAGIC)] != _MAGIC:
        return None
    payload = record[start:]
    if not hmac.compare_digest(bytes(record[len(_MAGIC):start]), _mac(key, payload)):
        return None
    try:
        return msgpack.unpackb(payload, use_list=False, raw=False, strict_map_key=False)
    except (ValueError, msgpack.ExtraData, msgpack.FormatError, msgpack.StackError, TypeError):
        return None


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """kg's version, its source files and the ontology's data files, and Python's version,
    hashed together."""
    import sys
    digest = hashlib.sha256(VERSION.encode() + b"\0" + sys.version.encode())
    package = Path(__file__).parent
    for path in sorted([*package.glob("*.py"), *ontology_dir().rglob("*")]):
        if path.is_file() and path.suffix in (".py", ".tsv", ".txt", ".ttl"):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:20]


def kept(name: str, make, parse):
    """parse(the text kept in the user's cache folder under name); when there is none, it
    fails its check or does not parse, the text make() gives (from something slow to import
    or work out), kept there for the next process. A folder that cannot be written only
    costs the time of making it again."""
    try:
        folder = private_folder(cache_dir())
        key = sealing_key()
    except CacheFolderError:
        return parse(make())
    saved = folder / name
    try:
        text = unseal(saved.read_bytes(), key)
        if isinstance(text, str):
            return parse(text)
    except (OSError, ValueError, TypeError, IndexError):
        pass
    text = make()
    try:
        write_atomically(saved, seal(text, key), mode=0o600)
    except OSError:
        pass
    return parse(text)
