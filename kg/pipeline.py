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

from kg import state as rebuild_state
from kg.assemble import Assembly
from kg.cache import ExtractionCache
from kg.graph_turtle import turtle_chunks
from kg.page_data import page_data
from kg.validation_parts import entities_validation_part, posts_validation_parts, validation_parts, validation_scope
from kg.keep import fingerprint
from kg.errors import DataFileError, InputError, OutputError, PostError
from kg.extract import extract_post
from kg.files import write_atomically
from kg.fragment import post_fragment
from kg.lexicon import load_lexicon
from kg.namespace import RESOURCE_BASE
from kg.posts import DEFAULT_LIMITS, MARKDOWN_SUFFIXES, PostFile, ReadingLimits, find_posts, parse_posts, printable
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
    for legacy in (".kg-assembly.pickle", ".kg-assembly.conforms"):     # state of kg before 0.2: never read
        (out_dir / legacy).unlink(missing_ok=True)
    return out_dir


def file_digest(raw: bytes, post_file: PostFile, base: str, limits: ReadingLimits) -> str:
    """A post file's digest (kg.cache.ExtractionCache.digest), which also says whether its
    dated issues are read as posts of their own."""
    return ExtractionCache.digest(raw, post_file.name + ("" if limits.dated_sections else "\0whole"), base)


def _fragment_file(post_file: PostFile, lexicon, cache, base: str,
                   limits: ReadingLimits = DEFAULT_LIMITS) -> tuple[list, list[str], bool]:
    """One post file -> (the fragments of its posts, the problems met, whether they came from
    the cache): one post, or one per dated issue (kg.posts.parse_posts). Whatever goes wrong
    with one file is that file's problem, never the build's."""
    shown = printable(post_file.path)
    try:
        with open(post_file.path, "rb") as handle:
            raw = handle.read(limits.max_bytes + 1)      # past the limit, parse_posts says so
    except OSError as error:
        return [], [f"{shown}: cannot be read ({error.strerror or error}): skipped"], False
    digest = file_digest(raw, post_file, base, limits)
    cached = cache.get(digest)
    if cached is not None:
        return cached, [problem for fragment in cached for problem in fragment.problems], True
    try:
        posts = parse_posts(raw, post_file.path, limits, post_file.name)
        fragments = []
        for index, post in enumerate(posts):
            extraction = extract_post(post, lexicon)
            problems = [f"{shown}: " + "; ".join(dict.fromkeys(post.problems))] if post.problems else []
            # a file of several issues: each its own digest, the file's with the issue's index
            fragments.append(post_fragment(extraction, lexicon, base, problems,
                                           digest if len(posts) == 1 else f"{digest}#{index}"))
    except PostError as error:
        return [], [str(error)], False
    except (KeyboardInterrupt, SystemExit, DataFileError):
        raise                           # (a pattern of ontology/ compiled at its first use: the build's problem)
    except BaseException as error:      # a bug, or a library's, must not cost the rest of the archive
        return [], [f"{shown}: could not be read for entities ({type(error).__name__}: {str(error)[:200]}): "
                    "skipped; please report this post"], False
    cache.put(digest, fragments)
    return fragments, [problem for fragment in fragments for problem in fragment.problems], False


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
            digest = file_digest(handle.read(limits.max_bytes + 1), post_file, base, limits)
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
    """Whether a build validates only what it rewrote (kg.validation_parts.validation_scope): when the
    last build's graph conformed and this one rewrote fewer than half the posts."""
    return conformed and len(rewritten) * 2 < len(assembly.posts)


def _check_posts(make, read) -> list:
    """The violations of the posts' part (kg.validation_parts.posts_validation_parts); read is set once
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
            scope = validation_scope(assembly)
            read.set()
            return validate_scope(*scope), \
                (f"the {posts} post{'s' * (posts != 1)} and {entities} entit{'ies' if entities != 1 else 'y'}"
                 " this build rewrote, and every funding round")
        if posts_checked is not None:
            rest = entities_validation_part(assembly)
            read.set()
            return in_order({*validate_parts([rest]), *posts_checked.result()}), "the whole graph"
        if jobs > 1 and by_sparql:
            parts = validation_parts(assembly, jobs)
            read.set()
            return validate_parts(parts), "the whole graph"
        read.set()
        return validate_turtle(path=written.result()), "the whole graph"
    finally:
        read.set()


@dataclass(frozen=True)
class _Run:
    """How one build runs: where it writes, its IRIs' base, and its options."""
    out_dir: Path
    base: str
    jobs: int
    use_cache: bool
    validate: bool
    html: bool
    limits: ReadingLimits
    progress: bool | None


def build(paths=(), out_dir: Path | str = "output", base: str = RESOURCE_BASE, html: bool = True,
          validate: bool = True, jobs: int = 1, use_cache: bool = True, progress: bool | None = None,
          follow_symlinks: bool = False, limits: ReadingLimits = DEFAULT_LIMITS) -> BuildResult:
    """Build the graph of the posts under paths (the bundled example archive when empty)
    into out_dir/graph.ttl and out_dir/graph.html, validated against ontology/shapes.ttl.
    Posts are extracted in `jobs` processes, each from the cache when it was seen before.
    A path that does not exist, or paths with no post, raise InputError before anything is
    written: a mistyped path never replaces a graph with an empty one."""
    files, passed = _posts_to_build(paths, follow_symlinks)                       # find posts
    run = _Run(_prepare_output(Path(out_dir)), base, jobs, use_cache, validate, html, limits, progress)
    result = BuildResult(problems=list(passed))
    assembly, fragments, changed = _read_and_extract(files, run, result)          # read, extract
    assembly.update(fragments)                                                    # merge
    try:
        _resolve_write_check_save(assembly, run, result, changed)   # resolve, write, validate, render, save
    except BaseException:
        rebuild_state.discard(run.out_dir)          # a failed build leaves no state behind
        raise
    return result


def _posts_to_build(paths, follow_symlinks: bool) -> tuple[list[PostFile], list[str]]:
    """The post files under paths, and the lines of what was passed over; InputError for a
    path that does not exist or no post at all."""
    paths = list(paths) or [examples_dir()]
    files, missing, passed = find_posts(paths, follow_symlinks)
    if missing:
        raise InputError(f"{missing[0]}: nothing built")
    if not files:
        raise InputError(f"no Markdown posts ({', '.join(MARKDOWN_SUFFIXES)}) in "
                         f"{', '.join(printable(os.fspath(p)) for p in paths)}: nothing built")
    return files, passed


def _read_and_extract(files: list[PostFile], run: _Run, result: BuildResult) -> tuple[Assembly, list, bool]:
    """The last build's assembly (kg/state.py), every post's fragment (as the assembly holds
    it when unchanged, else from the cache or extracted, in run.jobs processes), and whether
    anything changed since the last build. A rebuild most often redoes a few posts: one
    worker gets ready for them while the last build's state is read (half a second each); a
    first build starts them all."""
    cache = ExtractionCache(enabled=run.use_cache)
    rebuild = run.use_cache and (run.out_dir / rebuild_state.STATE_FILE).is_file()
    workers = start_workers(1 if rebuild else run.jobs, cache, run.base, run.limits) \
        if run.jobs > 1 and (rebuild or len(files) >= 4 * run.jobs) else None
    try:
        assembly, damaged = rebuild_state.load(run.out_dir, run.base, fingerprint()) if run.use_cache \
            else (Assembly(run.base, fingerprint()), None)
        result.problems.extend([damaged] if damaged else [])
        started = time.time()           # before any file is looked at (kg.pipeline._digest)
        found, seen = _already_assembled(files, assembly, run)
        todo = [index for index, done in enumerate(found) if done is None]
        if workers is not None and (not todo or rebuild and len(todo) >= 4 * run.jobs):
            _stop_unused(workers)       # nothing changed, or many did: all the workers
            workers = None
        extracted = extract_all([files[i] for i in todo], run.jobs, cache, run.progress, run.base, workers, run.limits)
    finally:
        if workers is not None:
            workers.shutdown(wait=False, cancel_futures=True)
    for index, result_of_file in zip(todo, extracted, strict=True):
        found[index] = result_of_file
    fragments = []
    for of_file, problems, from_cache in found:
        result.problems.extend(problems)
        result.cached += len(of_file) if from_cache else 0
        fragments.extend(of_file)
    changed = run.use_cache and bool(todo or len(fragments) != len(assembly.posts) or seen != assembly.file_stats)
    assembly.file_stats, assembly.started = seen, started
    return assembly, fragments, changed


def _already_assembled(files: list[PostFile], assembly: Assembly, run: _Run) -> tuple[list, dict]:
    """Per file, (the fragments of its posts, their problems, True) when the last build
    assembled it and it has not changed since (no cache, no worker), else None; and what was
    seen of each file."""
    assembled: dict[str, list] = {}         # a file's digest -> its posts' fragments, in order
    for digest, fragment in sorted(assembly.digests().items(), key=lambda item: _issue_order(item[0])):
        assembled.setdefault(digest.split("#")[0], []).append(fragment)
    found: list = [None] * len(files)       # per file: (fragments, problems, from a cache)
    seen: dict[str, tuple] = {}
    for index, path in enumerate(files):
        of_file = assembled.get(_digest(path, run.base, assembly, seen, run.limits) or "")
        if of_file:
            found[index] = (of_file, [p for f in of_file for p in f.problems], True)
    return found, seen


def _issue_order(digest: str) -> tuple[str, int]:
    """'<file digest>#3' -> (file digest, 3): a file's issues in the order it holds them."""
    file, _, index = digest.partition("#")
    return file, int(index) if index.isdigit() else -1


def _resolve_write_check_save(assembly: Assembly, run: _Run, result: BuildResult, changed: bool) -> None:
    """Resolve the entities, write graph.ttl and graph.html, validate, save the state: side
    by side where it pays. The posts' own Turtle is checked while resolve() runs (when the
    whole graph is to be checked); the rest while graph.ttl is written (a thread: writing,
    like pyoxigraph's loading and querying, lets go of the GIL) and the page made; the state
    is saved once the checks have read the assembly, and put in place once the outputs are."""
    from concurrent.futures import Future, ThreadPoolExecutor
    conformed = assembly.conforms
    with ThreadPoolExecutor(max_workers=3) as side:
        # set once each check has read what it needs of the assembly
        read = [threading.Event(), threading.Event()] if run.validate else []
        posts_checked = _check_posts_early(assembly, run, conformed, side, read)
        assembly.resolve(load_lexicon())
        written: Future = Future()
        assembly.types(), assembly.degrees(), assembly.rounds()     # what all three read, made once
        checked = side.submit(_validate, assembly, conformed, written, run.jobs, posts_checked, read[0]) \
            if run.validate else None
        try:
            result.posts = len(assembly.posts)
            result.entries = sum(p.entries for p in assembly.posts.values())
            result.entities, result.relations, result.rounds = assembly.summary()
            turtle, result.triples = turtle_chunks(assembly)
        except BaseException as error:
            written.set_exception(error)        # a validation waiting for the file stops too
            raise
        side.submit(_write_to_future, written, run.out_dir / "graph.ttl", turtle)
        del turtle
        page = _page(assembly) if run.html else None
        if changed:
            for event in read:
                event.wait()
            rebuild_state.save(assembly, run.out_dir)
        result.files.append(written.result())
        if page is not None:
            result.files.append(write_atomically(run.out_dir / "graph.html", page))
        if changed:
            rebuild_state.commit(run.out_dir, assembly)       # the outputs are in place: so is their state
        if checked is not None:
            result.violations, result.validated = checked.result()
    conforms = result.violations == []
    if run.use_cache and (changed or conforms != conformed):
        rebuild_state.record_conformance(run.out_dir, assembly, conforms)


def _check_posts_early(assembly: Assembly, run: _Run, conformed: bool, side, read: list):
    """The future of the posts' part's violations, checked while resolve() runs, when the
    whole graph is to be checked in parts; else None. Sets read[1] once it has read."""
    posts_checked = None
    if run.validate and run.jobs > 1 and not _scoped(assembly, conformed, assembly.fresh):
        from kg.validate import scoped_validation_possible
        if scoped_validation_possible():
            posts_checked = side.submit(_check_posts, posts_validation_parts(assembly, run.jobs), read[1])
    if run.validate and posts_checked is None:
        read[1].set()
    return posts_checked


def _page(assembly: Assembly) -> bytes:
    from kg.render import INITIAL_NODES, load_style, render_page
    return render_page(page_data(assembly, load_style(), INITIAL_NODES)).encode("utf-8")
