import json
import os
from pathlib import Path

import pytest

from kg.errors import PostError
from kg.posts import find_posts, read_entries, read_post

POSTS = Path(__file__).parent / "fixtures" / "posts"
CASES = sorted(POSTS.glob("*.md"))


def expected(path: Path) -> dict:
    return json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_posts_reads_fixture_as_expected(path):
    want = expected(path)
    if "error_contains" in want:
        with pytest.raises(PostError) as caught:
            read_post(path)
        assert want["error_contains"] in str(caught.value)
        assert path.name in str(caught.value)
        return
    post = read_post(path)
    if "title" in want:
        assert post.title == want["title"]
    if "issue" in want:
        assert post.issue == want["issue"]
    if "date" in want:
        assert (post.date.isoformat() if post.date else None) == want["date"]
    if "period" in want:
        assert [post.period.start.isoformat(), post.period.end.isoformat()] == want["period"]
    assert len(post.entries) == want["entries"]
    assert len(post.problems) == want["problems"]
    if "problem_contains" in want:
        assert want["problem_contains"] in post.problems[0]
    if "sections" in want:
        assert [e.section_label for e in post.entries] == want["sections"]
    if "links" in want:
        assert [[link.text, link.url] for link in post.entries[0].links] == want["links"]
    if "first_text" in want:
        assert post.entries[0].text == want["first_text"]


def test_posts_every_fixture_has_expectations():
    for path in CASES:
        assert path.with_suffix(".expected.json").is_file(), path


def test_posts_url_only_lines_become_links_not_text():
    post = read_post(POSTS / "sections-and-links.md")
    nova = post.entries[1]
    assert "wiki.openstack.org" not in nova.text
    assert [link.url for link in nova.links] == ["https://wiki.openstack.org/wiki/Nova"]


@pytest.mark.parametrize("source, linked_text", [
    ("[原文](https://example.com/a)", "Jane Doe，Zorbix 的首席技术官，热衷于开源软件。"),     # an author's note linked whole
    ("[Zorbix 博客](https://example.com/a)", "Jane Doe 和 John Roe 在开发者大会上"),      # eight Chinese characters
])
def test_posts_a_linked_paragraph_that_says_something_is_text_and_a_source_line_a_link(tmp_path, source, linked_text):
    """A link whose text reads as prose is an entry; a paragraph of a bare link, or of a word or a
    name, belongs to the item before."""
    (tmp_path / "a.md").write_text(
        f"---\ntitle: a\n---\n\nZorbix 发布了新版本。\n\n{source}\n\n[{linked_text}](https://example.com/b)\n",
        encoding="utf-8")
    entries = read_post(tmp_path / "a.md").entries
    assert [e.text for e in entries] == ["Zorbix 发布了新版本。", linked_text]
    assert [link.url for link in entries[0].links] == ["https://example.com/a"]


def test_posts_find_posts_reports_missing_paths(tmp_path):
    (tmp_path / "a.md").write_text("---\ntitle: a\n---\n\ntext\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a post", encoding="utf-8")
    found, missing, passed = find_posts([tmp_path, tmp_path / "missing"])
    assert [os.path.basename(p) for p in found] == ["a.md"]
    assert len(missing) == 1 and "missing" in missing[0] and "no such file" in missing[0]
    assert passed == []


def test_posts_inline_code_keeps_its_text():
    post = read_post(POSTS / "open-code-span.md")
    assert post.entries[1].text == "使用 nova-manage db sync 升级数据库。"


def test_an_issue_number_in_superscript_digits_is_not_a_number():
    from kg.posts import issue_number
    assert issue_number("周报", {"issue": "¹"}) is None         # a digit to str.isdigit, not to int()
    assert issue_number("周报", {"issue": " 12 "}) == 12
    assert issue_number("OpenStack周报第十四期", {}) == 14


ISSUES = Path(__file__).parent / "fixtures" / "issues"


def test_posts_a_file_of_dated_issues_is_one_post_per_issue():
    from kg.posts import parse_posts
    path = ISSUES / "2025-03-newsflash.md"
    posts = parse_posts(path.read_bytes(), path, name="flash/2025-03-newsflash.md")
    assert [p.name for p in posts] == ["flash/2025-03-newsflash/2025-03-01.md", "flash/2025-03-newsflash/2025-03-02.md",
                                       "flash/2025-03-newsflash/2025-03-03.md"]
    assert [p.date.isoformat() for p in posts] == ["2025-03-01", "2025-03-02", "2025-03-03"]
    assert [len(p.entries) for p in posts] == [2, 1, 1]
    assert posts[0].entries[0].links[0].url == "https://example.com/news/0301-1"
    assert "https://" not in posts[0].entries[0].text        # the source line is a link, not text
    assert posts[2].title == "行业快讯 2025年3月 3月3日 周一"
    assert [p.period.start for p in posts] == [p.date for p in posts]


def test_posts_dated_issues_can_be_read_as_one_post():
    from dataclasses import replace

    from kg.posts import DEFAULT_LIMITS, parse_posts
    path = ISSUES / "2025-03-newsflash.md"
    posts = parse_posts(path.read_bytes(), path, replace(DEFAULT_LIMITS, dated_sections=False))
    assert len(posts) == 1 and len(posts[0].entries) == 4 and posts[0].name == "2025-03-newsflash.md"


def test_posts_one_dated_heading_does_not_split_a_post():
    from kg.posts import parse_posts
    path = ISSUES / "one-dated-heading.md"
    posts = parse_posts(path.read_bytes(), path)
    assert len(posts) == 1 and len(posts[0].entries) == 2


def test_posts_a_translated_article_with_dated_headings_stays_one_post():
    from kg.posts import parse_posts
    text = ("> 原文：<https://example.com/conference-week>\n\n会议周的安排如下。\n\n"
            "## 11 月 18 日星期一\n\n开幕式。\n\n## 11 月 19 日星期二\n\n主题演讲。\n")
    posts = parse_posts(text.encode("utf-8"), "2019-11-17-conference-week.md")
    assert len(posts) == 1 and len(posts[0].entries) == 4


def test_posts_drawings_and_scripts_hold_no_text():
    body = ("Acme 发布了 Widget。<svg viewBox=\"0 0 8 8\"><title>Group</title> <desc>Created with Sketch.</desc></svg>\n\n"
            "## Footer\n\n<svg xmlns=\"http://www.w3.org/2000/svg\"><title>Logo</title></svg>\n\n"
            "<script>\nvar tracker = 'Quantiva';\n</script>\n")
    entries = read_entries(body)
    assert [e.text for e in entries] == ["Acme 发布了 Widget。"]


def test_posts_a_machine_translations_numbered_placeholders_are_no_text():
    entries = read_entries("我们采访了他的新公司(T10)Zentrix(T11)的团队。\n\n【T2 还有一段。\n")
    assert [e.text for e in entries] == ["我们采访了他的新公司Zentrix的团队。", "还有一段。"]


def test_posts_a_pair_of_bare_placeholders_around_a_latin_name_leaves_the_name():
    entries = read_entries("Lumenflow 可以被视为 T2 Zentrix T3 的对手。\n\n它有 T2 和 T3 两种实例。\n")
    assert [e.text for e in entries] == ["Lumenflow 可以被视为 Zentrix 的对手。", "它有 T2 和 T3 两种实例。"]


def test_posts_an_authors_note_linked_across_a_blank_line_is_one_item_under_the_authors_name():
    entries = read_entries("正文第一段。\n\n [简·多伊\n\n简是 Zentrix 的工程副总裁。](https://example.org/jane) \n\n"
                           "正文第二段。\n")
    assert [e.text for e in entries] == ["正文第一段。", "简·多伊\n简是 Zentrix 的工程副总裁。", "正文第二段。"]
    assert "https://example.org/jane" in [link.url for link in entries[1].links]


def test_posts_a_note_after_its_authors_name_linked_alone_opens_with_that_name():
    entries = read_entries("正文。\n\n[Jane Roe](https://example.org)\n\n[Jane 为组织提供咨询，也是 Zentrix 的顾问。](https://example.org)\n")
    assert entries[1].text == "Jane Roe\nJane 为组织提供咨询，也是 Zentrix 的顾问。"
