"""Stage 2, mentions: tests/fixtures/mentions/<case>.txt is one entry's text; <case>.expected.json
lists the mentions (surface, type) found in it, in text order, and surfaces that must not be."""
import json
from pathlib import Path

import pytest

from kg.mentions import find_mentions

CASES = sorted((Path(__file__).parent / "fixtures" / "mentions").glob("*.txt"))


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_mentions_finds_the_names_of_each_fixture_with_their_types(case, lexicon):
    want = json.loads(case.with_suffix(".expected.json").read_text(encoding="utf-8"))
    assert set(want) <= {"mentions", "not_mentions"}, f"unknown keys in {case.stem}.expected.json"
    found = find_mentions(case.read_text(encoding="utf-8").strip(), lexicon)
    assert [[m.surface, m.type] for m in found] == want["mentions"]
    assert not {m.surface for m in found} & set(want.get("not_mentions", []))


def test_mentions_spans_are_where_the_text_says_them(lexicon):
    text = "浪潮与Zorbix Networks合作，Zorbix Networks随后发布了新版本。"
    for mention in find_mentions(text, lexicon):
        assert text[mention.start:mention.end] == mention.surface


def test_a_name_one_item_types_is_that_name_wherever_the_post_writes_it(lexicon):
    from kg.mentions import names_of_the_post
    texts = ["Quantiva 发布了新框架 Lantern。", "Lantern 基于 Kubernetes，团队称 Lantern Cloud 也将上线。",
             "这是一次 fresh start。"]
    found = [find_mentions(texts[0], lexicon, link_texts=["Lantern"]),
             find_mentions(texts[1], lexicon, link_texts=["Lantern Cloud"]), find_mentions(texts[2], lexicon)]
    assert "Lantern" not in {m.surface for m in find_mentions(texts[1], lexicon)}   # alone, nothing types it
    second = names_of_the_post(texts, found)[1]
    assert [(m.surface, m.typed_by) for m in second if m.surface.startswith("Lantern")] == \
        [("Lantern", "post"), ("Lantern Cloud", "link")]
    assert all(text[m.start:m.end] == m.surface for text, ms in zip(texts, names_of_the_post(texts, found), strict=True)
               for m in ms)


def test_a_links_text_that_opens_on_digits_names_a_firm(lexicon):
    """[8fold](http://8fold.io): a lowercase word no common word spells; not a version or a size
    a link shows (v18.0, 13kB), nor the same word unlinked."""
    text = "我们喜欢 8fold，新版本 v18.0 只有 13kB。"
    found = {m.surface: m.type for m in find_mentions(text, lexicon, link_texts=["8fold", "v18.0", "13kB"])}
    assert found.get("8fold") == "Company" and "v18.0" not in found and "13kB" not in found
    assert "8fold" not in {m.surface for m in find_mentions(text, lexicon)}


def test_a_link_that_extends_a_known_name_is_one_name(lexicon):
    text = "Kubernetes Dashboard 是一个网页界面。"
    surfaces = [m.surface for m in find_mentions(text, lexicon, link_texts=["Kubernetes Dashboard"])]
    assert "Kubernetes Dashboard" in surfaces and "Kubernetes" not in surfaces


def test_a_links_latin_text_that_reads_as_one_name_is_one_name(lexicon):
    text = "Quantiva 发布了 Blinkr Service Encryption for Cloud Foundry，也支持 Kubernetes and Docker。"
    found = find_mentions(text, lexicon, link_texts=["Blinkr Service Encryption for Cloud Foundry",
                                                     "Kubernetes and Docker"])
    surfaces = [m.surface for m in found]
    assert "Blinkr Service Encryption for Cloud Foundry" in surfaces and "Cloud Foundry" not in surfaces
    assert "Kubernetes" in surfaces and "Docker" in surfaces          # a list linked as one is still a list


def test_a_chinese_name_ends_where_its_link_ends(lexicon):
    text = "Quantiva 首席执行官王小明在宣布收购的博客文章中表示，交易将在十月完成。"
    assert "王小明" in [m.surface for m in find_mentions(text, lexicon, link_texts=["王小明"])]


def test_a_linked_chinese_name_of_a_body_is_a_name_and_a_linked_phrase_is_not(lexicon):
    text = "来自泽比克斯计算基金会的调查，可以在这里找到，也发表在开源社区。"
    found = {m.surface: m.type for m in find_mentions(text, lexicon, link_texts=["泽比克斯计算基金会", "可以在这里找到",
                                                                                "开源社区"])}
    assert found.get("泽比克斯计算基金会") == "Organization"
    assert "可以在这里找到" not in found and "开源社区" not in found


def test_a_linked_chinese_name_is_the_name_its_address_spells(lexicon):
    from kg.mentions import named_by_their_links
    texts = ["Zorbix Ventures 投资了 Quantiva。", "泽比克斯风险投资的合伙人表示。", "王小明在社交网站上说。"]
    links = [{}, {"泽比克斯风险投资": "https://www.zorbixventures.com/about"}, {"王小明": "https://twitter.com/xm"}]
    found = [find_mentions(text, lexicon, link_texts=list(link)) for text, link in zip(texts, links, strict=True)]
    from kg.posts import Link
    renamed = named_by_their_links(found, [[Link(text, url) for text, url in link.items()] for link in links], lexicon)
    assert [m.name for m in renamed[1] if m.surface == "泽比克斯风险投资"] == ["Zorbix Ventures"]
    assert all(m.name != "Twitter" for m in renamed[2])


def test_a_firms_registered_name_and_the_short_name_it_goes_by_are_one_name(lexicon):
    from kg.mentions import names_of_the_post
    texts = ["杭州云帆智造科技有限公司与 Zorbix 公司签约。", "云帆智造是一家焊接机器人企业。", "云帆今天很热闹。"]
    found = names_of_the_post(texts, [find_mentions(text, lexicon) for text in texts], lexicon)
    assert [(m.surface, m.name, m.type) for m in found[1]] == [("云帆智造", "杭州云帆智造科技有限公司", "Company")]
    assert not found[2]                 # (the place and the trade words are left out, nothing more)


def test_kg_explain_says_how_every_fixture_name_was_typed(lexicon):
    from kg.explain import HOW
    from kg.mentions import names_of_the_post
    texts = [case.read_text(encoding="utf-8").strip() for case in CASES]
    found = names_of_the_post(texts, [find_mentions(text, lexicon) for text in texts], lexicon)
    assert {m.typed_by for mentions in found for m in mentions} <= set(HOW)


def test_a_firm_whose_two_character_name_jieba_cut_in_two_is_named_with_its_ending(lexicon):
    """No tagger here (a translated post's): jieba cuts 硬/禾/科技, and the two characters it has
    no word for name the firm with their ending."""
    text = "DropCon 第二季是硬禾科技联合 Zendesk 发起的设计大赛。"
    assert ("硬禾科技", "Company") in {(m.surface, m.type) for m in find_mentions(text, lexicon, tag_chinese=False)}


def test_a_proper_noun_after_the_kind_of_firm_it_is_is_a_firm_only_when_it_ends_there(lexicon):
    named = {m.surface for m in find_mentions("比亚迪要求供应商森萨达从明年起降价，也要求制造商道通智能航空降价。", lexicon)}
    assert "森萨达" in named and "道通" not in named


def test_a_linked_name_a_naming_word_gives_is_a_name_and_an_unlinked_one_is_not(lexicon):
    text = "Zorbix Networks 推出了一项服务，名为星河管理器，它把这种做法称为模式匹配。"
    linked = {(m.surface, m.type) for m in find_mentions(text, lexicon, link_texts=["星河管理器", "模式匹配"])}
    assert ("星河管理器", "Product") in linked
    assert "模式匹配" not in {m.surface for m in find_mentions(text, lexicon)}     # (a concept, not linked)
    assert "星河管理器" not in {m.surface for m in find_mentions(text, lexicon)}


def test_a_common_word_in_quotes_names_a_product_only_in_chinese_original_text(lexicon):
    """A translation quotes a word it translates (时钟和“偏好”工具: a feature); Chinese-original text
    names a product so (上线了搜索应用“点点”)."""
    translated = find_mentions("Zorbix 的演示展示了它的时钟和“偏好”工具。", lexicon, tag_chinese=False)
    assert "偏好" not in {m.surface for m in translated}
    original = find_mentions("Quantiva 公司近日低调上线了搜索应用“点点”。", lexicon)
    assert ("点点", "Product") in {(m.surface, m.type) for m in original}


def test_a_translated_term_typed_once_is_not_a_name_wherever_else_the_translation_uses_it(lexicon):
    """A translation's common word a cue typed once (也称为控制器) is a term elsewhere in the post
    (编写控制器时), not the same name again; Chinese-original text reads it again."""
    from kg.mentions import names_of_the_post
    texts = ["一组控制循环，也称为控制器，驱动系统走向期望的状态。", "编写一个生产级的控制器时有许多挑战。"]
    found = [find_mentions(texts[0], lexicon, link_texts=["控制器"], tag_chinese=False),
             find_mentions(texts[1], lexicon, tag_chinese=False)]
    assert "控制器" in {m.surface for m in found[0]}
    assert "控制器" not in {m.surface for m in names_of_the_post(texts, found, lexicon, translation=True)[1]}
    assert "控制器" in {m.surface for m in names_of_the_post(texts, found, lexicon, translation=False)[1]}


def test_a_body_jiebas_dictionary_holds_is_found_in_a_translation_too(lexicon):
    """Where the tagger does not run (a translation), a word jieba's dictionary tags as a body's
    name and that ends as one is an Organization; a kind of body alone (儿童医院) is none, and a
    name right before it is the body's first word."""
    text = "这位 21 岁的开发者是北京航空航天大学的一名学生，后来去了麻省理工学院，又加入了中国移动。"
    found = {m.surface: m.type for m in find_mentions(text, lexicon, tag_chinese=False)}
    assert found.get("北京航空航天大学") == "Organization" and found.get("麻省理工学院") == "Organization"
    found = {m.surface: m.type for m in find_mentions("这家儿童医院和波士顿儿童医院都使用 MongoDB。", lexicon,
                                                        tag_chinese=False)}
    assert "儿童医院" not in found and found.get("波士顿儿童医院") == "Organization"


def test_a_linked_name_a_naming_word_gives_may_hold_its_acronym_in_brackets(lexicon):
    """'名为[代码风险分析器(CRA)](…)': the Chinese words the link names are the name, its acronym in brackets with them."""
    text = "Zorbix 最近宣布了一款名为代码风险分析器(CRA) 的新合规软件。"
    found = {m.surface: m.type for m in find_mentions(text, lexicon, link_texts=("代码风险分析器(CRA)",))}
    assert found.get("代码风险分析器") == "Product"


def test_a_translations_firm_named_with_its_industry_before_gongsi_is_that_firm(lexicon):
    found = find_mentions("王磊网络公司的工程师参与了测试，美国软件公司也参与了。", lexicon, tag_chinese=False)
    assert [(m.surface, m.type) for m in found] == [("王磊网络", "Company")]


def test_an_acronym_a_post_glosses_with_a_concept_is_no_name_anywhere_in_it(lexicon):
    """应用性能管理(APM): a term; the post's later 'APM' alone is the same term. A body's acronym
    (数据治理协会(DGA)) stays a name."""
    from kg.mentions import names_of_the_post
    texts = ["Zorbix 为其新的云工作负载保护平台(CWPP)加入了应用性能管理(APM)功能。",
             "CWPP 和 APM 都很重要，数据治理协会(DGA) 的分析师表示赞同。"]
    found = names_of_the_post(texts, [find_mentions(text, lexicon) for text in texts], lexicon)
    surfaces = {m.surface for mentions in found for m in mentions}
    assert not surfaces & {"CWPP", "APM"}
    assert {"数据治理协会", "DGA"} <= surfaces
    assert "CWPP" in {m.surface for m in find_mentions(texts[1], lexicon)}      # (alone, it reads as a name)


def test_a_translated_post_names_a_gathering_by_the_place_it_is_held_in(lexicon):
    """A translation's Chinese-script names are its original's, and the tagger is not run on it;
    a gathering named by its place and an event word (jieba's tags) is read there too."""
    text = "去年，他在旧金山黑客马拉松上展示了这个项目。"
    assert ("旧金山黑客马拉松", "Event") in {(m.surface, m.type) for m in find_mentions(text, lexicon, tag_chinese=False)}


def test_a_product_named_in_english_is_its_name_with_its_kind_translated_where_a_word_ends(lexicon):
    """Lantrix Cloud, then 'Lantrix 云' (name-words.tsv translated-kind): the product; not in 'Lantrix 云平台'."""
    from kg.mentions import names_of_the_post
    texts = ["Zorbix Labs 发布了 Lantrix Cloud。", "Zorbix Labs 在其 Lantrix 云中加入了新功能。", "Lantrix 云平台的用户很多。"]
    found = names_of_the_post(texts, [find_mentions(text, lexicon) for text in texts], lexicon)
    assert [(m.surface, m.name) for m in found[1] if m.surface.startswith("Lantrix")] == [("Lantrix 云", "Lantrix Cloud")]
    assert all(m.name != "Lantrix Cloud" for m in found[2])
