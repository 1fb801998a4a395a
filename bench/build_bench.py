"""Build time and memory as an archive grows, rebuilds after one post changes, cold start.

    python bench/build_bench.py [--posts 1000] [--jobs 2] [--no-validate]

Writes synthetic archives of N and 2N posts (bench/generate_archive.py), builds each from
an empty cache with `kg build --jobs J` (validated, as a build runs by default; with
--no-validate, not), touches one post and rebuilds, three times over (the median is printed; the
assembly kept beside the output and the cache make it redo that post only), and times a
cold `kg build` of the shared corpus: a new process extracting every post (--no-cache),
with the dictionary cache filled as after kg's first use on a machine, and how fast the machine
runs pure Python at the end (its speed drifts from hour to hour: compare figures beside it).
Each build runs as its own process; the peak memory printed is the largest resident size of
that build and its workers. Prints the figures and the ratios the scale issue sets targets for.
"""
import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

_MEASURE = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
print(json.dumps({"seconds": time.perf_counter() - start, "returncode": done.returncode,
                  "peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
                  "stderr": done.stderr[-300:]}))
"""


def measure(command: list[str], env: dict) -> dict:
    done = subprocess.run([sys.executable, "-c", _MEASURE, *command], capture_output=True, text=True, env=env, check=True)
    result = json.loads(done.stdout)
    if result["returncode"]:
        raise SystemExit(f"build failed: {result['stderr']}")
    return result


def machine_speed() -> float:
    """Seconds for ten million additions in pure Python, the least of three runs: this machine's
    speed drifts from hour to hour, and every figure above is read beside it."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        total = 0
        for number in range(10_000_000):
            total += number
        best = min(best, time.perf_counter() - start)
    return best


def kg(*args: str) -> list[str]:
    return [sys.executable, "-m", "kg", "build", *args]


def main():
    import os

    from generate_archive import generate
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--no-validate", action="store_true", help="build without validating the graph")
    args = parser.parse_args()
    options = ["--jobs", str(args.jobs)] + (["--no-validate"] if args.no_validate else [])
    work = Path(tempfile.mkdtemp(prefix="kg-build-bench-"))
    env = {**os.environ}
    rows = []
    for count in (args.posts, 2 * args.posts):
        archive = work / f"posts-{count}"
        generate(count, archive)
        env["KG_CACHE_DIR"] = str(work / f"cache-{count}")
        full = measure(kg(str(archive), "--out", str(work / f"out-{count}"), *options), env)
        rebuilds = []
        for place in (count // 2, count // 3, 2 * count // 3):      # three rebuilds, one post touched each
            touched = sorted(archive.glob("*.md"))[place]
            touched.write_text(touched.read_text(encoding="utf-8") + "\n红帽发布了新的版本。\n", encoding="utf-8")
            rebuilds.append(measure(kg(str(archive), "--out", str(work / f"out-{count}"), *options), env)["seconds"])
        again = sorted(rebuilds)[1]
        rows.append((count, full, again))
        print(f"{count:>6} posts: build {full['seconds']:.1f} s, peak {full['peak_mb']:.0f} MB; "
              f"rebuild after touching one post {again:.2f} s, median of "
              f"{', '.join(f'{r:.2f}' for r in rebuilds)} ({100 * again / full['seconds']:.1f}% of the build)",
              flush=True)
    (n, small, _), (_, big, _) = rows
    print("validated" if not args.no_validate else "not validated (--no-validate)")
    print(f"growth: {2 * n} posts take {big['seconds'] / small['seconds']:.2f}x the time of {n} (target <= 2.2x)")
    shared = ROOT.parent / "shared" / "corpus" / "posts"
    if shared.is_dir():
        env["KG_CACHE_DIR"] = str(work / "cache-shared")
        # the first run fills the dictionary cache (the common-English word list) as a first
        # use of kg on a machine does; the measured runs extract every post anew (--no-cache)
        measure(kg(str(shared), "--out", str(work / "out-shared"), "--no-cache"), env)
        runs = [measure(kg(str(shared), "--out", str(work / "out-shared"), "--no-cache"), env)["seconds"]
                for _ in range(3)]
        print(f"cold kg build of the shared corpus (validated, page written): {sorted(runs)[1]:.2f} s wall, "
              f"median of 3 (target < 1.5 s)")
    print(f"machine speed: ten million additions in pure Python take {machine_speed():.2f} s (the least of 3)")
    print(f"(work files in {work}; started {time.strftime('%Y-%m-%d %H:%M')})")


if __name__ == "__main__":
    main()
