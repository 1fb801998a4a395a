"""The build, as a recipe: find posts, read each, extract each, build the graph, write RDF and HTML.

`build()` is what `kg build` calls. Posts that cannot be read are reported, one line
each, and skipped; the rest build.
"""
import os
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from kg.cache import ExtractionCache, fingerprint
from kg.errors import InputError, OutputError, PostError
from kg.extract import extract_post
from kg.files import DISCARDED, write_atomically
from kg.fragment import post_fragment
from kg.lexicon import load_lexicon
from kg.namespace import RESOURCE_BASE
from kg.posts import DEFAULT_LIMITS, MARKDOWN_SUFFIXES, PostFile, ReadingLimits, find_posts, parse_post, printable
from kg.resources import examples_dir


@dataclass
class BuildResult:
    posts: int = 0
    entries: int = 0
    entities: Counter = field(default_factory=Counter)
    relations: Counter = field(default_factory=Counter)
    rounds: int = 0
    triples: int = 0
    cached: int = 0                         # posts whose extraction came from the cache
    violations: list | None = None          # None when not validated
    validated: str = ""                     # what was validated: "the whole graph", or what a rebuild rewrote
    files: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _prepare_output(out_dir: Path) -> Path:
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"{out_dir}: cannot create the output folder ({error.strerror or error})") from None
    if not os.access(out_dir, os.W_OK):
        raise OutputError(f"{out_dir}: the output folder is not writable")
    for leftover in out_dir.glob(f".*{DISCARDED}"):       # an old output a killed build left
        leftover.unlink(missing_ok=True)
    for legacy in (".kg-assembly.pickle", ".kg-assembly.conforms"):     # state of kg before 0.2: never read
        (out_dir / legacy).unlink(missing_ok=True)
    return out_dir


def _fragment_file(post_file: PostFile, lexicon, cache, base: str,
                   limits: ReadingLimits = DEFAULT_LIMITS) -> tuple[object | None, list[str], bool]:
    """One post file -> (its fragment, the problems met, whether it came from the cache).
    Whatever goes wrong with one post is that post's problem, never the build's."""
    shown = printable(post_file.path)
    try:
        with open(post_file.path, "rb") as handle:
            raw = handle.read(limits.max_bytes + 1)      # past the limit, parse_post says so
    except OSError as error:
        return None, [f"{shown}: cannot be read ({error.strerror or error}): skipped"], False
    digest = cache.digest(raw, post_file.name, base)
    cached = cache.get(digest)
    if cached is not None:
        return cached, list(cached.problems), True
    try:
        post = parse_post(raw, post_file.path, limits, post_file.name)
        extraction = extract_post(post, lexicon)
        problems = [f"{shown}: " + "; ".join(dict.fromkeys(post.problems))] if post.problems else []
        fragment = post_fragment(extraction, lexicon, base, problems, digest)
    except PostError as error:
        return None, [str(error)], False
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as error:      # a bug, or a library's, must not cost the rest of the archive
        return None, [f"{shown}: could not be read for entities ({type(error).__name__}: {str(error)[:200]}): "
                      "skipped; please report this post"], False
    cache.put(digest, fragment)
    return fragment, list(fragment.problems), False


_worker: dict = {}


def _worker_start(cache_directory, cache_enabled, base, limits):
    from kg.extract import prepare
    _die_with_parent()
    try:
        _worker["lexicon"] = load_lexicon()
        _worker["cache"] = ExtractionCache(cache_directory, cache_enabled)
        _worker["base"], _worker["limits"] = base, limits
        prepare(_worker["lexicon"])
    except Exception as error:      # a malformed data file: said by the first post, in the build
        _worker["error"] = error


def _die_with_parent() -> None:
    """An extraction process ends when the build that started it does, even one killed with
    SIGKILL (which gives the build no chance to stop it): Linux signals it at once; elsewhere
    a thread looks once a second whether its parent is still there."""
    parent = os.getppid()
    try:
        import ctypes
        import signal
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(1, signal.SIGKILL, 0, 0, 0) == 0 and os.getppid() == parent:     # PR_SET_PDEATHSIG
            return
    except (OSError, AttributeError):
        pass

    def watch():
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(1)
    threading.Thread(target=watch, name="kg parent watch", daemon=True).start()


def start_workers(count: int, cache: ExtractionCache, base: str = RESOURCE_BASE,
                  limits: ReadingLimits = DEFAULT_LIMITS):
    """`count` extraction processes, started now: each loads and compiles what extraction
    reads (kg.extract.prepare, half a second) while the caller goes on."""
    from concurrent.futures import ProcessPoolExecutor
    directory = cache.directory.parent.parent if cache.enabled else None
    workers = ProcessPoolExecutor(max_workers=count, initializer=_worker_start,
                                  initargs=(directory, cache.enabled, base, limits))
    workers.submit(int)         # the first task starts the processes
    return workers


def _worker_extract(path):
    if "error" in _worker:
        raise _worker["error"]
    return _fragment_file(path, _worker["lexicon"], _worker["cache"], _worker["base"], _worker["limits"])


def available_cores() -> int:
    """The CPU cores this process may run on (`kg build`'s default --jobs)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _progress(total: int, show: bool | None):
    """A rich progress bar on a terminal for long builds; nothing otherwise."""
    import sys
    if show is False or (show is None and (total < 50 or not sys.stderr.isatty())):
        return None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
    return Progress(TextColumn("extracting"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                    transient=True)


def _stop_unused(workers) -> None:
    """Stop workers no post was given to, at once: one still getting ready would hold up the
    end of the process until it is (half a second, longer than a small archive's rebuild)."""
    terminate = getattr(workers, "terminate_workers", None)         # Python 3.14
    if terminate is not None:
        terminate()
        return
    processes = getattr(workers, "_processes", None) or {}          # (before 3.14 only privately)
    for process in list(processes.values()):
        process.terminate()
    workers.shutdown(wait=False, cancel_futures=True)


def extract_all(files: list[PostFile], jobs: int = 1, cache=None, progress: bool | None = None,
                base: str = RESOURCE_BASE, workers=None, limits: ReadingLimits = DEFAULT_LIMITS):
    """Every file's fragment (kg/fragment.py), in file order, with the problems met; in `jobs`
    processes, or in workers already started (start_workers; the caller shuts them down)."""
    cache = cache or ExtractionCache()
    results: list = [None] * len(files)
    bar = _progress(len(files), progress)
    task = bar.add_task("extract", total=len(files)) if bar else None
    own = None
    if workers is None and jobs > 1 and len(files) >= 4 * jobs:    # fewer cost less than starting workers
        workers = own = start_workers(jobs, cache, base, limits)
    if bar:
        bar.start()
    try:
        if workers is not None:
            chunk = max(1, min(64, len(files) // (jobs * 8) or 1))
            for index, result in enumerate(workers.map(_worker_extract, files, chunksize=chunk)):
                results[index] = result
                if bar:
                    bar.advance(task)
        else:
            lexicon = load_lexicon()
            for index, path in enumerate(files):
                results[index] = _fragment_file(path, lexicon, cache, base, limits)
                if bar:
                    bar.advance(task)
    finally:
        if bar:
            bar.stop()
        if own is not None:
            own.shutdown()
    return results


def _digest(post_file: PostFile, base: str, assembly, seen: dict, limits: ReadingLimits) -> str | None:
    """A post file's digest (kg.cache.ExtractionCache.digest). A file whose size and
    modification time are those the last build saw, and older than that build's start (a
    file changed within the same clock tick could keep both), is not read again."""
    path, key = post_file.path, printable(f"{post_file.name}\0{post_file.path}")
    try:
        stat = os.stat(path)
    except OSError:
        return None
    last = assembly.file_stats.get(key)
    if last is not None and last[:2] == (stat.st_size, stat.st_mtime_ns) and \
            stat.st_mtime_ns < (assembly.started - 2) * 1e9:
        seen[key] = last
        return last[2]
    try:
        with open(path, "rb") as handle:
            digest = ExtractionCache.digest(handle.read(limits.max_bytes + 1), post_file.name, base)
    except OSError:
        return None
    seen[key] = (stat.st_size, stat.st_mtime_ns, digest)
    return digest


def _write_to_future(written, path: Path, data) -> None:
    """write_atomically in a thread (writing lets go of the GIL: the page is made meanwhile),
    its outcome handed to the future others wait on."""
    try:
        written.set_result(write_atomically(path, data))
    except BaseException as error:
        written.set_exception(error)


def _scoped(assembly, conformed: bool, rewritten) -> bool:
    """Whether a build validates only what it rewrote (Assembly.validation_scope): when the
    last build's graph conformed and this one rewrote fewer than half the posts."""
    return conformed and len(rewritten) * 2 < len(assembly.posts)


def _check_posts(make, read) -> list:
    """The violations of the posts' part (Assembly.posts_validation_parts); read is set once
    it has been made."""
    from kg.validate import validate_parts
    try:
        parts = make()
    finally:
        read.set()
    return validate_parts(parts)


def _validate(assembly, conformed: bool, written, jobs: int, posts_checked=None, read=None) -> tuple[list, str]:
    """The violations of the graph being written (written: the future of its file), and what
    was validated: what this build rewrote (when _scoped); else the whole graph: the posts'
    part checked already (posts_checked: the future of its violations) and the rest, or in
    `jobs` parts side by side, or read from the file once written. All but the last read the
    assembly, not the file; read (an Event) is set once they have."""
    from kg.validate import in_order, scoped_validation_possible, validate_parts, validate_scope, validate_turtle
    read = read or threading.Event()
    try:
        by_sparql = scoped_validation_possible()    # scoped or in parts: the shapes compiled to SPARQL
        if _scoped(assembly, conformed, assembly.touched_posts) and by_sparql:
            # the last build's graph conformed: check what this one rewrote, with what it reads
            posts, entities = len(assembly.touched_posts), len(assembly.touched_entities)
            scope = assembly.validation_scope()
            read.set()
            return validate_scope(*scope), \
                (f"the {posts} post{'s' * (posts != 1)} and {entities} entit{'ies' if entities != 1 else 'y'}"
                 " this build rewrote, and every funding round")
        if posts_checked is not None:
            rest = assembly.entities_validation_part()
            read.set()
            return in_order({*validate_parts([rest]), *posts_checked.result()}), "the whole graph"
        if jobs > 1 and by_sparql:
            parts = assembly.validation_parts(jobs)
            read.set()
            return validate_parts(parts), "the whole graph"
        read.set()
        return validate_turtle(path=written.result()), "the whole graph"
    finally:
        read.set()


def build(paths=(), out_dir: Path | str = "output", base: str = RESOURCE_BASE, html: bool = True,
          validate: bool = True, jobs: int = 1, use_cache: bool = True, progress: bool | None = None,
          follow_symlinks: bool = False, limits: ReadingLimits = DEFAULT_LIMITS) -> BuildResult:
    """Build the graph of the posts under paths (the bundled example archive when empty)
    into out_dir/graph.ttl and out_dir/graph.html, validated against ontology/shapes.ttl.
    Posts are extracted in `jobs` processes, each from the cache when it was seen before.
    A path that does not exist, or paths with no post, raise InputError before anything is
    written: a mistyped path never replaces a graph with an empty one."""
    paths = list(paths) or [examples_dir()]
    files, missing, passed = find_posts(paths, follow_symlinks)
    if missing:
        raise InputError(f"{missing[0]}: nothing built")
    if not files:
        raise InputError(f"no Markdown posts ({', '.join(MARKDOWN_SUFFIXES)}) in "
                         f"{', '.join(printable(os.fspath(p)) for p in paths)}: nothing built")
    out_dir = _prepare_output(Path(out_dir))
    result = BuildResult()
    result.problems.extend(passed)
    from kg import state as rebuild_state
    from kg.assemble import Assembly
    cache = ExtractionCache(enabled=use_cache)
    rebuild = use_cache and (out_dir / rebuild_state.STATE_FILE).is_file()
    # a rebuild most often redoes a few posts: one worker gets ready for them while the last
    # build's state is read (half a second each); a first build starts them all
    workers = start_workers(1 if rebuild else jobs, cache, base, limits) \
        if jobs > 1 and (rebuild or len(files) >= 4 * jobs) else None
    try:
        assembly, damaged = rebuild_state.load(out_dir, base, fingerprint()) if use_cache \
            else (Assembly(base, fingerprint()), None)
        if damaged:
            result.problems.append(damaged)
        # a post the last build assembled, unchanged since, is taken as it is: no cache, no worker
        assembled = assembly.digests()
        found: list = [None] * len(files)       # per file: (fragment, problems, from a cache)
        started, seen, last_seen = time.time(), {}, assembly.file_stats
        for index, path in enumerate(files):
            digest = _digest(path, base, assembly, seen, limits)
            if digest in assembled:
                found[index] = (assembled[digest], list(assembled[digest].problems), True)
        assembly.file_stats, assembly.started = seen, started
        todo = [index for index, done in enumerate(found) if done is None]
        if workers is not None and (not todo or rebuild and len(todo) >= 4 * jobs):
            _stop_unused(workers)       # nothing changed, or many did: all the workers
            workers = None
        extracted = extract_all([files[i] for i in todo], jobs, cache, progress, base, workers, limits)
    finally:
        if workers is not None:
            workers.shutdown(wait=False, cancel_futures=True)
    for index, result_of_file in zip(todo, extracted):
        found[index] = result_of_file
    fragments = []
    for fragment, problems, from_cache in found:
        result.problems.extend(problems)
        result.cached += from_cache
        if fragment is not None:
            fragments.append(fragment)
    assembly.update(fragments)
    conformed = assembly.conforms
    from concurrent.futures import Future, ThreadPoolExecutor
    try:
        with ThreadPoolExecutor(max_workers=3) as side:
            posts_checked = None
            # set once each check has read what it needs of the assembly: the state is saved then
            read = [threading.Event() for _ in range(2)] if validate else []
            if validate and jobs > 1 and not _scoped(assembly, conformed, assembly.fresh):
                # the whole graph is to be checked: the posts' own Turtle (most of it) is checked
                # while resolve() runs, which needs one core (pyoxigraph lets go of the GIL)
                from kg.validate import scoped_validation_possible
                if scoped_validation_possible():
                    posts_checked = side.submit(_check_posts, assembly.posts_validation_parts(jobs), read[1])
            if validate and posts_checked is None:
                read[1].set()
            assembly.resolve(load_lexicon())
            # the graph is checked while graph.ttl is written and the page made: a scoped or
            # in-parts validation reads the assembly, and pyoxigraph's loading and querying, like
            # writing a file, let go of the GIL (a whole-file validation waits for the file)
            written: Future = Future()
            # what the three read, made before they start so that none waits for another
            assembly.types(), assembly.degrees(), assembly.rounds()
            checked = side.submit(_validate, assembly, conformed, written, jobs, posts_checked, read[0]) \
                if validate else None
            try:
                result.posts = len(assembly.posts)
                result.entries = sum(p.entries for p in assembly.posts.values())
                result.entities, result.relations, result.rounds = assembly.summary()
                turtle, result.triples = assembly.turtle_chunks()
            except BaseException as error:
                written.set_exception(error)        # a validation waiting for the file stops too
                raise
            side.submit(_write_to_future, written, out_dir / "graph.ttl", turtle)
            del turtle
            page = None
            if html:
                from kg.render import INITIAL_NODES, load_style, render_page
                page = render_page(assembly.page_data(load_style(), INITIAL_NODES)).encode("utf-8")
            changed = use_cache and bool(todo or len(fragments) != len(assembled) or seen != last_seen)
            if changed:
                # saved while graph.ttl is written and the checks run, once they have read the assembly
                for event in read:
                    event.wait()
                rebuild_state.save(assembly, out_dir)
            result.files.append(written.result())
            if page is not None:
                result.files.append(write_atomically(out_dir / "graph.html", page))
            if changed:
                rebuild_state.commit(out_dir, assembly)       # the outputs are in place: so is their state
            if checked is not None:
                result.violations, result.validated = checked.result()
    except BaseException:
        rebuild_state.discard(out_dir)       # a failed build leaves no state behind
        raise
    conforms = result.violations == []
    if use_cache and (changed or conforms != conformed):
        rebuild_state.record_conformance(out_dir, assembly, conforms)
    return result
