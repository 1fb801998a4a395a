"""The explorer page in a real headless browser (Debian's chromium, driven by Playwright),
opened from file:// with every network request blocked and counted."""
import shutil
from pathlib import Path

import pytest

from kg.pipeline import build
from kg.render import render

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
INJECTION = Path(__file__).parent / "fixtures" / "injection"
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (.ci/run installs it)")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield launched
        launched.close()


class Page:
    """A page opened from a file, with external requests blocked and dialogs counted."""

    def __init__(self, browser, path: Path | str, origin: str | None = None):
        self.origin = origin                # a server the page may talk to (kg serve's), besides files
        self.external, self.dialogs, self.errors = [], [], []
        self.page = browser.new_page(viewport={"width": 1400, "height": 850})
        self.page.route("**/*", self._route)
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.goto(path if isinstance(path, str) else path.resolve().as_uri())
        if isinstance(path, Path):
            self.wait_for("!!(window.kg && window.kg.nodes.length > 0 && window.kg.isStable())")

    def wait_for(self, expression: str, timeout: float = 20.0):
        """Poll an expression (the page's own CSP forbids the eval that wait_for_function needs)."""
        import time
        deadline = time.monotonic() + timeout
        while not self.page.evaluate(expression):
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {expression}")
            self.page.wait_for_timeout(50)

    def _route(self, route):
        if route.request.url.startswith("file://") or self.origin and route.request.url.startswith(self.origin):
            route.continue_()
        else:
            self.external.append(route.request.url)
            route.abort()

    def js(self, expression):
        return self.page.evaluate(expression)


@pytest.fixture(scope="module")
def example_page(browser, example_build):
    page = Page(browser, example_build[1] / "graph.html")
    yield page
    page.page.close()


def test_browser_page_loads_with_no_external_request(example_page):
    assert example_page.external == []
    assert example_page.errors == []
    # the page opens on every name with a relation, none without
    assert example_page.js("kg.nodeView.length") == example_page.js("kg.data.nodes.filter(n => n.degree).length") > 10
    assert example_page.page.locator("#network canvas").count() == 1


def test_browser_search_finds_node_by_chinese_alias(example_page):
    example_page.page.fill("#search", "红帽")
    example_page.wait_for("!!document.querySelector('#details h1') && "
                          "document.querySelector('#details h1').textContent === 'Red Hat'")
    assert example_page.js("kg.network.getSelectedNodes()") == ["entity:redhat"]


def test_browser_type_filter_hides_nodes(example_page):
    before = example_page.js("kg.nodeView.length")
    companies = example_page.js("kg.nodeView.get().filter(n => n.kgType === 'Company').length")
    example_page.page.uncheck("input[data-type-legend='Company']")
    assert example_page.js("kg.nodeView.get().filter(n => n.kgType === 'Company').length") == 0
    assert example_page.js("kg.nodeView.length") == before - companies
    example_page.page.check("input[data-type-legend='Company']")
    assert example_page.js("kg.nodeView.length") == before


def test_browser_clicking_a_node_shows_its_evidence(example_page):
    position = example_page.js("""(() => {
        const p = kg.network.getPositions(['entity:mirantis'])['entity:mirantis'];
        kg.network.moveTo({position: p, scale: 1.0, animation: false});
        return kg.network.canvasToDOM(p); })()""")
    box = example_page.page.locator("#network canvas").bounding_box()
    example_page.page.mouse.click(box["x"] + position["x"], box["y"] + position["y"])
    details = example_page.page.locator("#details")
    details.locator("h1", has_text="Mirantis").wait_for()
    evidence = example_page.js("kg.data.edges.filter(e => e.from === 'entity:mirantis' || e.to === 'entity:mirantis')"
                               ".map(e => e.statements[0].evidence)")
    assert evidence and any(sentence in details.inner_text() for sentence in evidence)


def test_browser_time_filter_hides_nodes_outside_the_range(example_page):
    example_page.page.fill("#date-from", "2014-05-01")
    example_page.page.dispatch_event("#date-from", "change")
    shown = example_page.js("kg.nodeView.get().map(n => n.id)")
    old = example_page.js("kg.data.nodes.filter(n => n.dates.length && n.dates.every(d => d < '2014-05-01')).map(n => n.id)")
    assert old and not set(old) & set(shown)
    example_page.page.fill("#date-from", "")
    example_page.page.dispatch_event("#date-from", "change")


def test_browser_injected_markup_runs_no_script(browser, tmp_path):
    build([INJECTION], tmp_path, validate=False)
    page = Page(browser, tmp_path / "graph.html")
    page.page.fill("#search", "EvilCorp")
    page.wait_for("!!document.querySelector('#details h1')")
    page.page.wait_for_timeout(300)
    assert page.dialogs == [] and page.external == []
    assert page.js("document.querySelectorAll('#details img, #results img, #side script, #details script').length") == 0
    assert "EvilCorp" in page.page.locator("#details").inner_text()
    page.page.close()


def test_browser_large_graph_opens_on_most_connected_and_brings_in_the_rest(browser, example_build, tmp_path):
    page_path = render(example_build[1] / "graph.ttl", tmp_path / "small.html", initial_limit=5)
    page = Page(browser, page_path)
    assert page.js("kg.nodes.length") == 5
    hidden = page.js("kg.data.nodes.filter(n => !kg.nodes.get(n.id) && n.aliases.length).map(n => n.id)")[0]
    page.js(f"kg.focusNode({hidden!r})")
    assert page.js(f"!!kg.nodes.get({hidden!r})")
    if page.page.locator("#expand").count():
        before = page.js("kg.nodes.length")
        page.page.click("#expand")
        assert page.js("kg.nodes.length") > before
    assert page.external == [] and page.errors == []
    page.page.close()


def test_browser_confidence_filter_hides_facts_read_less_surely(example_page):
    least = example_page.js("Math.min(...kg.data.edges.flatMap(e => e.statements.map(s => s.confidence)))")
    shown = example_page.js("kg.edgeView.length")
    assert shown and least < 1
    example_page.page.fill("#confidence", "1")
    example_page.page.dispatch_event("#confidence", "input")
    assert example_page.js("kg.edgeView.length") < shown
    assert example_page.js("kg.edgeView.get().every(e => kg.data.edges.find(d => d.id === e.id)"
                           ".statements.some(s => s.confidence >= 1))")
    example_page.page.fill("#confidence", "0")
    example_page.page.dispatch_event("#confidence", "input")
    assert example_page.js("kg.edgeView.length") == shown


@pytest.fixture(scope="module")
def hub_build(tmp_path_factory):
    """A graph with a hub (Zorbix Networks, thirty partners), a neighbour it is linked to by two
    relations (Quantiva), and 220 names with no relation at all."""
    folder = tmp_path_factory.mktemp("hub")
    posts = folder / "posts"
    posts.mkdir()
    names = [a + b for a in "bcdfghjklmnpqrstvwxz" for b in "aeiou"]      # Ventrixba, Ventrixbe, ...
    lines = ["Zorbix Networks 与 Quantiva 公司合作。", "Zorbix Networks 收购了 Quantiva 公司。"]
    lines += [f"Zorbix Networks 与 Ventrix{n} 公司合作。" for n in names[:30]]
    lines += [f"Lonely{n}co 公司表示满意。" for n in names[:100]] + [f"Quiet{n}co 公司表示满意。" for n in names[:100]] \
        + [f"Still{n}co 公司表示满意。" for n in names[:20]]
    (posts / "2020-01-02-hub.md").write_text("---\ntitle: hub\ndate: 2020-01-02\n---\n\n" +
                                             "\n\n".join(lines) + "\n", encoding="utf-8")
    out = folder / "out"
    build([posts], out, validate=False)
    return out


@pytest.fixture()
def hub_page(browser, hub_build, tmp_path):
    page = Page(browser, render(hub_build / "graph.ttl", tmp_path / "hub.html", initial_limit=1))
    yield page
    page.page.close()


def test_browser_expanding_a_neighbour_linked_twice_draws_it_once(hub_page):
    assert hub_page.js("kg.nodes.get().map(n => n.id)") == ["entity:zorbixnetworks"]
    linked = hub_page.js("kg.data.edges.filter(e => e.from === 'entity:zorbixnetworks' && e.to === 'entity:quantiva')"
                         ".length + kg.data.edges.filter(e => e.to === 'entity:zorbixnetworks' && "
                         "e.from === 'entity:quantiva').length")
    assert linked >= 2
    hub_page.js("kg.focusNode('entity:zorbixnetworks')")
    hub_page.page.click("#expand")
    assert hub_page.errors == []
    assert hub_page.js("kg.nodes.get().filter(n => n.id === 'entity:quantiva').length") == 1
    assert hub_page.js("kg.edges.get().filter(e => [e.from, e.to].includes('entity:quantiva')).length") == linked
    hub_page.page.click("#expand") if hub_page.page.locator("#expand").count() else None
    assert hub_page.errors == []


def test_browser_a_search_hit_outside_the_drawing_and_its_hidden_type_is_brought_in(hub_page):
    hub_page.page.uncheck("input[data-type-legend='Company']")
    hub_page.page.fill("#search", "Lonelybeco")
    hub_page.wait_for("!!document.querySelector('#details h1') && "
                      "document.querySelector('#details h1').textContent === 'Lonelybeco'")
    assert hub_page.js("kg.network.getSelectedNodes()") == ["entity:lonelybeco"]
    assert hub_page.js("!!kg.nodeView.get('entity:lonelybeco')")
    assert hub_page.js("document.querySelector(\"input[data-type-legend='Company']\").checked")
    assert hub_page.errors == []


def test_browser_a_big_graph_hides_names_with_no_relation_until_asked(hub_page):
    assert hub_page.js("kg.data.nodes.length") > 200
    assert hub_page.js("document.getElementById('hide-unconnected').checked")
    hub_page.js("kg.draw(kg.data.nodes.map(n => n.id))")
    hub_page.page.wait_for_timeout(100)
    assert hub_page.js("kg.nodeView.get().every(n => kg.data.nodes.find(d => d.id === n.id).degree > 0)")
    hub_page.page.uncheck("#hide-unconnected")
    assert hub_page.js("kg.nodeView.length") == hub_page.js("kg.data.nodes.length")


def test_browser_filters_keep_the_layout_and_relayout_settles(hub_page):
    hub_page.js("kg.draw(kg.data.nodes.filter(n => n.degree).map(n => n.id), 'entity:zorbixnetworks')")
    before = hub_page.js("kg.network.getPositions()")
    hub_page.page.uncheck("input[data-type-legend='Company']")
    hub_page.page.check("input[data-type-legend='Company']")
    after = hub_page.js("kg.network.getPositions()")
    assert set(before) == set(after)
    assert all(abs(before[k]["x"] - after[k]["x"]) < 1 and abs(before[k]["y"] - after[k]["y"]) < 1 for k in before)
    hub_page.page.click("#relayout")
    hub_page.wait_for("kg.isStable()")
    assert hub_page.errors == []


def test_browser_a_hubs_panel_shows_ten_aliases_and_pages_its_facts(hub_page):
    hub_page.js("kg.data.nodes.find(n => n.id === 'entity:zorbixnetworks').aliases = "
                "Array.from({length: 15}, (_, i) => 'Zorbix ' + i)")
    hub_page.js("kg.focusNode('entity:zorbixnetworks')")
    details = hub_page.page.locator("#details")
    assert details.locator("span.pill").count() == 10           # ten of its fifteen aliases, then a button
    partners = hub_page.js("kg.data.edges.filter(e => e.relation === 'partnersWith' && "
                           "[e.from, e.to].includes('entity:zorbixnetworks')).length")
    assert partners > 20
    assert details.locator(".fact").count() < partners + 2
    before = details.locator(".fact").count()
    details.locator("button.more").last.click()
    assert details.locator(".fact").count() > before


def test_browser_the_served_query_page_runs_named_and_own_queries(browser, example_build):
    from kg.serve import Server
    server = Server(example_build[1] / "graph.ttl", "127.0.0.1", 0).start()
    try:
        base = server.url
        explorer = Page(browser, base + "/", origin=base)
        explorer.wait_for("!!(window.kg && window.kg.isStable())")
        assert explorer.js("!document.getElementById('query-link').hidden")        # served: the link shows
        explorer.page.close()
        page = Page(browser, base + "/queries", origin=base)
        page.page.select_option("#named", "partners-of")
        page.page.fill("input[data-param='name']", "Mirantis")
        page.page.click("#run")
        page.wait_for("document.querySelectorAll('#results tr').length > 1")
        assert page.page.locator("#results th").first.inner_text() == "partner"
        page.page.select_option("#named", "")
        page.page.fill("#text", "SELECT ?x WHERE { VALUES ?x { \"<img src=x onerror=alert(1)>\" } }")
        page.page.click("#run")
        page.wait_for("document.querySelectorAll('#results td').length === 1")
        assert page.page.locator("#results td").inner_text() == "<img src=x onerror=alert(1)>"
        assert page.js("document.querySelectorAll('#results img').length") == 0
        page.page.fill("#text", "SELECT ?x WHERE { nonsense")
        page.page.click("#run")
        page.wait_for("document.getElementById('status').className === 'error'")
        assert page.dialogs == [] and page.external == [] and page.errors == []
        page.page.close()
    finally:
        server.close()


def test_browser_communities_colour_the_graph_and_draw_on_a_click(browser, example_build, tmp_path):
    page = Page(browser, render(example_build[1] / "graph.ttl", tmp_path / "one.html", initial_limit=1))
    first = page.js("kg.data.nodes.filter(n => n.community === 1).map(n => n.id)")
    assert len(first) >= 2 and page.page.locator("#communities div").count() >= 1
    page.page.locator("#communities div[data-community='1']").click()
    assert all(page.js(f"!!kg.nodeView.get({node!r})") for node in first[:40])
    page.page.check("#by-community")
    colours = page.js("kg.nodes.get().filter(n => kg.data.nodes.find(d => d.id === n.id).community === 1).map(n => n.color)")
    assert colours and len(set(colours)) == 1
    page.page.uncheck("#by-community")
    types = page.js("kg.nodes.get().map(n => [n.color, kg.data.style.type[kg.data.nodes.find(d => d.id === n.id).type].color])")
    assert all(shown == own for shown, own in types)
    assert page.errors == [] and page.external == []
    page.page.close()


def test_browser_stepping_issue_by_issue_shows_what_each_added(browser, example_build, tmp_path):
    page = Page(browser, render(example_build[1] / "graph.ttl", tmp_path / "issues.html", initial_limit=1))
    page.page.click("#issue-next")                               # the first issue
    first = page.js("kg.nodes.get().filter(n => n.opacity === 1).map(n => n.id)")
    assert first and page.page.locator("#details h2", has_text="New in this issue").count() == 1
    page.page.click("#issue-next")                               # the second: only what it named first
    second = page.js("kg.nodes.get().filter(n => n.opacity === 1).map(n => n.id)")
    assert second and not set(first) & set(second)
    page.page.click("#issue-back")
    assert page.js("kg.nodes.get().filter(n => n.opacity === 1).map(n => n.id)") == first
    assert page.errors == [] and page.external == []
    page.page.close()


def test_browser_a_community_collapses_into_one_node_and_opens_again(browser, example_build, tmp_path):
    page = Page(browser, render(example_build[1] / "graph.ttl", tmp_path / "fold.html"))
    members = page.js("kg.data.nodes.filter(n => n.community === 1 && kg.nodes.get(n.id)).map(n => n.id)")
    assert len(members) >= 2
    edges_before = page.js("kg.edgeView.length")
    page.page.locator("button[data-collapse='1']").click()
    assert page.js("!!kg.nodeView.get('community:1')") and not any(page.js(f"!!kg.nodes.get({m!r})") for m in members)
    outside = page.js("new Set(kg.data.edges.filter(e => (kg.data.nodes.find(n => n.id === e.from).community === 1) !== "
                      "(kg.data.nodes.find(n => n.id === e.to).community === 1)).map(e => "
                      "kg.data.nodes.find(n => n.id === e.from).community === 1 ? e.to : e.from)).size")
    assert page.js("kg.edgeView.get().filter(e => e.from === 'community:1').length") == outside
    page.js("kg.expandCommunity('community:1')")
    assert page.js("!kg.nodes.get('community:1')") and all(page.js(f"!!kg.nodes.get({m!r})") for m in members)
    assert page.js("kg.edgeView.length") == edges_before
    assert page.errors == []
    page.page.close()


def test_browser_the_screenshot_script_takes_the_pictures_readme_shows(browser, example_build, tmp_path):
    import importlib.util
    spec = importlib.util.spec_from_file_location("screenshots", Path(__file__).parents[1] / "bench" / "screenshots.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    picture = script.screenshot(example_build[1] / "graph.html", tmp_path / "graph.png", community=True, browser=browser)
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and picture.stat().st_size > 20000


def test_browser_nodes_are_sized_by_degree_within_bounds_and_labelled_biggest_first(example_page):
    scaling = example_page.js("kg.network.nodesHandler.options.scaling")
    assert scaling["min"] == 10 and scaling["max"] == 30 and scaling["label"]["enabled"]
    assert scaling["label"]["drawThreshold"] > 0
    sizes = example_page.js("Object.values(kg.network.body.nodes).filter(n => !n.isCluster).map(n => n.options.size)")
    assert sizes and max(sizes) <= 30 and min(sizes) >= 10
    degrees = example_page.js("kg.nodes.get().map(n => [n.value, kg.data.nodes.find(d => d.id === n.id).degree])")
    assert all(value == 1 + min(degree, 30) for value, degree in degrees)


@pytest.fixture(scope="module")
def archive_page(browser, tmp_path_factory):
    """The page of a generated archive of 10,000 posts (bench/generate_archive.py: the shared
    corpus's paragraphs recombined, their names renamed every fifty posts), as a user opens it."""
    import sys
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from generate_archive import generate
    folder = tmp_path_factory.mktemp("archive")
    generate(10_000, folder / "posts")
    build([folder / "posts"], folder / "out", validate=False, jobs=2, use_cache=False)
    page = Page(browser, folder / "out" / "graph.html")
    yield page
    page.page.close()


def _undrawn_with(page, condition: str) -> str:
    """An entity of the archive that the page has not drawn and that meets a JS condition on n."""
    return page.js(f"kg.data.nodes.filter(n => !kg.nodes.get(n.id) && ({condition})).map(n => n.id)[0]")


def test_browser_a_10000_post_archive_opens_readable_and_expands_its_biggest_hub(archive_page):
    page = archive_page
    assert page.js("kg.data.nodes.length") > 5000 and page.errors == [] and page.external == []
    assert page.js("kg.nodes.length") <= 300                            # opens on what matters
    assert page.js("kg.nodeView.get().every(n => kg.data.nodes.find(d => d.id === n.id).degree > 0)")
    hub = page.js("kg.data.nodes.slice().sort((a, b) => b.degree - a.degree)[0].id")
    page.js(f"kg.focusNode({hub!r})")
    if page.page.locator("#expand").count():
        page.page.click("#expand")
    assert page.errors == []
    drawn = page.js("kg.nodes.getIds()")
    assert len(drawn) == len(set(drawn)) and hub in drawn


def test_browser_a_10000_post_archive_expands_a_node_linked_by_several_relations(archive_page):
    page = archive_page
    pair = page.js("(() => { const seen = {}; for (const e of kg.data.edges) { const k = [e.from, e.to].sort().join('|');"
                   " seen[k] = (seen[k] || 0) + 1; if (seen[k] > 1 && !kg.nodes.get(e.to) && !kg.nodes.get(e.from))"
                   " return [e.from, e.to]; } return null; })()")
    assert pair, "the archive has two entities joined by two relations"
    page.js(f"kg.focusNode({pair[0]!r})")
    if page.page.locator("#expand").count():
        page.page.click("#expand")
    assert page.errors == []
    assert page.js(f"kg.nodes.get().filter(n => n.id === {pair[1]!r}).length") == 1


def test_browser_a_10000_post_archive_brings_in_every_kind_of_search_hit(archive_page):
    page = archive_page
    # one hit, outside the drawing: drawn with its neighbours and focused
    single = _undrawn_with(page, "n.degree > 0 && kg.data.nodes.filter(m => m.name === n.name).length === 1")
    name = page.js(f"kg.data.nodes.find(n => n.id === {single!r}).name")
    page.page.fill("#search", name)
    page.wait_for(f"kg.network.getSelectedNodes()[0] === {single!r}")
    # many hits: the first row clicked, then Enter on a fresh query
    page.page.fill("#search", name[:2])
    page.wait_for("document.querySelectorAll('#results [data-node]').length > 1")
    first = page.js("document.querySelector('#results [data-node]').getAttribute('data-node')")
    page.page.click("#results [data-node]")
    page.wait_for(f"kg.network.getSelectedNodes()[0] === {first!r}")
    page.page.fill("#search", name[:3])
    page.wait_for("document.querySelectorAll('#results [data-node]').length > 0")
    first = page.js("document.querySelector('#results [data-node]').getAttribute('data-node')")
    page.page.press("#search", "Enter")
    page.wait_for(f"kg.network.getSelectedNodes()[0] === {first!r}")
    # a hit of a type the legend hides, and one found by its Chinese alias
    hidden = _undrawn_with(page, "n.degree === 0")
    kind = page.js(f"kg.data.nodes.find(n => n.id === {hidden!r}).type")
    page.page.uncheck(f"input[data-type-legend='{kind}']")
    page.js(f"kg.focusNode({hidden!r})")
    assert page.js(f"kg.network.getSelectedNodes()[0] === {hidden!r}")
    aliased = page.js("kg.data.nodes.find(n => n.aliases.some(a => /[\\u4e00-\\u9fff]/.test(a)))")
    if aliased:
        alias = next(a for a in aliased["aliases"] if any("\u4e00" <= ch <= "\u9fff" for ch in a))
        page.page.fill("#search", alias)
        page.wait_for("document.querySelectorAll('#results [data-node]').length > 0")
        assert aliased["id"] in page.js("[...document.querySelectorAll('#results [data-node]')]"
                                        ".map(r => r.getAttribute('data-node'))")
    assert page.errors == [] and page.external == []
