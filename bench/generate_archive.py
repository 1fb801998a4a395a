"""Writes a synthetic newsletter archive of N posts from real vocabulary and sentence shapes.

    python bench/generate_archive.py N OUT_DIR [--seed 7]

Entries are paragraphs of the real posts and news articles in ../shared/corpus (or of the
bundled examples when that is missing), recombined twenty to a post; the Latin-script
names in them are renamed with a suffix that changes every fifty posts, so that entities
recur across neighbouring posts and their number grows with the archive, as in a real
one; posts are a week apart. The same N and seed always give the same files.
"""
import argparse
import random
import re
import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus"
SUFFIXES = ["Nova", "Apex", "Blue", "Core", "Delta", "Echo", "Flux", "Grid", "Hive", "Ion", "Jet", "Kite", "Lumen",
            "Mesa", "Nexa", "Orbit", "Pulse", "Quanta", "Rift", "Sol", "Terra", "Umbra", "Vex", "Wave", "Xeno", "Yotta",
            "Zen"]
_NAME = re.compile(r"(?<![A-Za-z0-9/_.=-])([A-Z][A-Za-z0-9]{2,}(?: [A-Z][A-Za-z0-9]+){0,2})(?![A-Za-z0-9])")


def paragraphs(folder: Path, limit: int) -> list[str]:
    found = []
    for path in sorted(folder.glob("*.md"))[:limit]:
        body = path.read_text(encoding="utf-8", errors="replace").split("---", 2)[-1]
        for block in re.split(r"\n\s*\n", body):
            block = block.strip()
            if 20 <= len(block) <= 1500 and not block.startswith(("#", ">", "[!", "![")):
                found.append(block)
    return found


def pool() -> list[str]:
    if SHARED.is_dir():
        return paragraphs(SHARED / "posts", 100) + paragraphs(SHARED / "news", 600)
    return paragraphs(ROOT / "examples" / "posts", 100)


def rename(text: str, era: int, rng: random.Random) -> str:
    """Latin names get this era's suffix half of the time: 'Mirantis' -> 'Mirantis Orbit'."""
    suffix = SUFFIXES[era % len(SUFFIXES)]
    return _NAME.sub(lambda m: f"{m.group(1)} {suffix}" if rng.random() < 0.5 else m.group(1), text)


def generate(count: int, out: Path, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    entries = pool()
    out.mkdir(parents=True, exist_ok=True)
    start = date(2013, 1, 7)
    written = []
    for number in range(1, count + 1):
        end = start + timedelta(weeks=number)
        begin = end - timedelta(days=13)
        era = number // 50
        chosen = [rename(rng.choice(entries), era, rng) for _ in range(20)]
        sections = ["## 业界动态", *chosen[:8], "## 社区跟踪", "### Nova", *chosen[8:14], "### Neutron", *chosen[14:]]
        text = (f"---\nlayout: post\ntitle: OpenStack社区动态第{number}期({begin:%m%d}-{end:%m%d})\n"
                f"category: 技术\n---\n\n" + "\n\n".join(sections) + "\n")
        path = out / f"{end.isoformat()}-weekly-{begin:%m%d}-{end:%m%d}.md"
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    files = generate(args.count, args.out, args.seed)
    size = sum(f.stat().st_size for f in files)
    print(f"wrote {len(files)} posts ({size / len(files) / 1000:.1f} KB each) to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
