"""Instructions the extraction of one news article costs, counted by valgrind's callgrind.

    python bench/extraction_cost.py [--corpus ../shared/corpus/news] [--every 29] [--count 60]

Wall time on a shared machine varies by a fifth from run to run; the instructions a program
runs do not. This extracts every `every`-th post of the corpus (`count` of them) in one
process under callgrind, then one post alone, and prints the difference per post: what one
more article costs, without the start-up (the lexicon, the tagger, every relation pattern compiled). Compare two commits by
running it in each checkout. Needs valgrind (Debian's package); takes a few minutes.
"""
import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_EXTRACT = """
import sys
from kg.cache import ExtractionCache
from kg.pipeline import extract_all
from kg.posts import find_posts
files, _, _ = find_posts([sys.argv[1]], False)
try:        # what is compiled at its first use is compiled in the start-up, which is left out
    from kg.relations import load_relation_rules
    [pattern.regex for pattern in load_relation_rules().patterns]
except ImportError:
    pass
extract_all(files[::int(sys.argv[2])][:int(sys.argv[3])], 1, ExtractionCache(enabled=False), False)
"""


def instructions(corpus: str, every: int, count: int) -> int:
    """The instructions callgrind counts for extracting `count` posts, start-up included."""
    done = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable,
                           "-c", _EXTRACT, corpus, str(every), str(count)],
                          capture_output=True, text=True, cwd=ROOT, check=True)
    found = re.search(r"Collected\s*:\s*(\d+)", done.stderr)
    if found is None:
        raise SystemExit(f"callgrind printed no count:\n{done.stderr[-2000:]}")
    return int(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus" / "news"))
    parser.add_argument("--every", type=int, default=29)
    parser.add_argument("--count", type=int, default=60)
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("needs valgrind (apt-get install valgrind)")
    many = instructions(args.corpus, args.every, args.count)
    one = instructions(args.corpus, args.every, 1)
    per_post = (many - one) / (args.count - 1)
    print(f"{args.count} posts of {args.corpus} (every {args.every}th): {per_post / 1e6:.1f} million instructions a post"
          f" (start-up and one post: {one / 1e6:.0f} million)")


if __name__ == "__main__":
    main()
