"""Screenshots of the explorer page for README, in Debian's chromium driven by Playwright (as
the browser tests drive it), with every request off the page's own file refused.

    python bench/screenshots.py [--news ../shared/corpus/news]

Builds the bundled example archive and writes examples/graph.png; with --news, builds that
archive too (a big one: the news corpus) and writes examples/graph-news.png, the page as it
opens and with one community drawn and coloured.
"""
import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def screenshot(page_path: Path, out: Path, community: bool = False, browser=None, timeout_ms: int = 60000) -> Path:
    """A PNG of the page once its layout has settled; with community, after drawing and colouring
    the largest community. browser: a Playwright browser already launched (else one is)."""
    if browser is not None:
        return _take(browser, page_path, out, community, timeout_ms)
    from playwright.sync_api import sync_playwright
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("needs Debian's chromium (apt-get install chromium fonts-noto-cjk)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            return _take(launched, page_path, out, community, timeout_ms)
        finally:
            launched.close()


def _take(browser, page_path: Path, out: Path, community: bool, timeout_ms: int) -> Path:
    page = browser.new_page(viewport={"width": 1400, "height": 850})
    try:
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file://") else route.abort())
        page.goto(page_path.resolve().as_uri())
        waited = 0
        while not page.evaluate("!!(window.kg && window.kg.isStable())") and waited < timeout_ms:
            page.wait_for_timeout(100)
            waited += 100
        if community and page.locator("#communities div").count():
            page.locator("#communities div").first.click()
            page.check("#by-community")
            page.wait_for_timeout(500)
        out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(out))
    finally:
        page.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--news", type=Path, help="a big archive to build and show as well")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from kg.pipeline import build
    with tempfile.TemporaryDirectory() as work:
        build([], Path(work) / "example", use_cache=False)
        print("wrote", screenshot(Path(work) / "example" / "graph.html", ROOT / "examples" / "graph.png"))
        if args.news:
            build([args.news], Path(work) / "news", jobs=2)
            print("wrote", screenshot(Path(work) / "news" / "graph.html", ROOT / "examples" / "graph-news.png",
                                      community=True))


if __name__ == "__main__":
    main()
