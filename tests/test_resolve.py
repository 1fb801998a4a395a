"""Stage 3, resolve: tests/fixtures/resolve/<case>.txt is one entry's text; <case>.expected.json
lists groups of surfaces that name one entity ("same") and pairs that name two ("different")."""
import json
from pathlib import Path

import pytest

from conftest import entries_of_one_post, facts_read
from kg.mentions import find_mentions
from kg.resolve import resolve_mentions


def resolved_in_one_post(*texts: str) -> list:
    """What extraction resolved in a post of these entries, in order."""
    return [r for entry in entries_of_one_post(*texts) for r in entry.mentions]


CASES = sorted((Path(__file__).parent / "fixtures" / "resolve").glob("*.txt"))


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_resolve_gives_one_entity_to_the_spellings_of_one_thing(case, lexicon):
    want = json.loads(case.with_suffix(".expected.json").read_text(encoding="utf-8"))
    text = case.read_text(encoding="utf-8").strip()
    key_of = {r.mention.surface: r.key for r in resolved_in_one_post(text)}
    for group in want.get("same", []):
        assert len({key_of[surface] for surface in group}) == 1, group
    for first, second in want.get("different", []):
        assert key_of[first] != key_of[second]


def test_a_name_one_typo_from_a_known_name_is_that_name_only_where_the_post_names_it_too():
    alone = resolved_in_one_post("Vectra 的首席技术官说，威胁检测很重要。Kuberentes 集群很稳定。")
    assert {r.mention.surface: r.name for r in alone} == {"Vectra": "Vectra", "Kuberentes": "Kuberentes"}
    dropped = resolved_in_one_post("Tempst 测试套件增加了新用例，WaveNet 模型也发布了。")
    assert {r.mention.surface: r.name for r in dropped}["Tempst"] == "Tempest"     # a project's, a letter dropped inside
    assert all(r.name != "Weave Net" for r in dropped)
    beside = resolved_in_one_post("Kuberentes 集群很稳定。", "团队在 Kubernetes 上运行 MacBooks 的测试。")
    assert {r.mention.surface: r.name for r in beside} == {"Kuberentes": "Kubernetes", "Kubernetes": "Kubernetes",
                                                          "MacBooks": "MacBook"}


def test_lexicon_a_letter_changed_or_added_at_a_names_end_is_another_name(lexicon):
    assert lexicon.fuzzy_lookup("OpenCL") is None and lexicon.fuzzy_lookup("JenkinsX") is None
    assert lexicon.fuzzy_lookup("Streamlio") is None and lexicon.fuzzy_lookup("CPython") is None
    assert lexicon.fuzzy_lookup("Kuberentes").name == "Kubernetes" and lexicon.fuzzy_lookup("Kubernete").name == "Kubernetes"


def test_a_person_transliterated_two_ways_or_named_by_a_bare_word_is_one_person():
    def names(*texts):
        return {r.mention.surface: r.name for entry in entries_of_one_post(*texts) for r in entry.mentions}
    assert names("记者麦克斯·奥格登写道，工具很好。", "马克斯·奥格登补充说，它很快。")["马克斯·奥格登"] == "麦克斯·奥格登"
    assert names("唐纳德·费希尔创立了公司。", "费舍尔说，开源很重要。")["费舍尔"] == "唐纳德·费希尔"
    assert names("工程师迈克尔·凯德说，备份很重要。", "Cade 补充说，恢复也很重要。")["Cade"] == "迈克尔·凯德"
    assert names("马克·奥格登写道，工具很好。", "麦克·奥格登补充说，它很快。")["麦克·奥格登"] == "麦克·奥格登"   # Mark, Mike


def test_a_known_word_that_is_a_persons_family_name_beside_them_is_that_person():
    resolved = resolved_in_one_post("Rob Pike 设计了这门语言。", "Pike 说，简洁很重要。")
    assert {r.mention.surface: r.name for r in resolved} == {"Rob Pike": "Rob Pike", "Pike": "Rob Pike"}


def test_a_product_named_after_github_is_one_thing_with_and_without_it():
    resolved = resolved_in_one_post("GitHub Codespaces 现已全面推出。", "Codespaces 让开发者在浏览器中编写代码。")
    assert {r.mention.surface: r.name for r in resolved}["Codespaces"] == "GitHub Codespaces"


def test_a_transliterated_person_is_the_latin_one_only_when_the_family_names_sound_alike():
    def name_of(surface, *texts):
        return next(r.name for entry in entries_of_one_post(*texts) for r in entry.mentions if r.mention.surface == surface)
    assert name_of("安德鲁·威尔逊", "主持人 Alex Williams 开场。", "安德鲁·威尔逊说，测试很重要。") == "安德鲁·威尔逊"
    assert name_of("杰森·科恩", "Jason Cohen 创立了这家公司。", "杰森·科恩说，测试很重要。") == "Jason Cohen"
    assert name_of("安德鲁·约翰逊", "Andrew Johnson 创立了这家公司。", "安德鲁·约翰逊说，测试很重要。") == "Andrew Johnson"
    assert name_of("科林·弗莱彻", "Colin Fletcher 是分析师。", "科林·弗莱彻说，测试很重要。") == "Colin Fletcher"


def test_resolve_merges_case_variants_of_a_new_name(lexicon):
    text = "Zorbix Networks与ZORBIX NETWORKS的团队合作。"
    keys = {r.key for r in resolve_mentions(find_mentions(text, lexicon), lexicon, text) if "orbix" in r.mention.surface.lower()}
    assert len(keys) == 1


def test_resolve_a_default_typed_name_takes_the_type_its_context_gave_it_elsewhere(lexicon):
    text = "Quantiva 的首席执行官 Mark Abbott 说，Quantiva 与红帽合作。"
    types = {r.mention.start: r.type for r in resolve_mentions(find_mentions(text, lexicon), lexicon, text)
             if r.mention.surface == "Quantiva"}
    assert len(types) == 2 and set(types.values()) == {"Company"}


def test_resolve_a_family_name_alone_is_the_person_met_in_the_post():
    resolved = resolved_in_one_post("Zorbix Networks 的首席执行官 Mark Abbott 表示，新版本下月发布。",
                                    "Abbott 说，客户已经在测试。")
    keys = {r.mention.surface: r.key for r in resolved}
    assert keys["Abbott"] == keys["Mark Abbott"]


def test_resolve_a_product_named_with_and_without_its_owner_is_one_thing():
    resolved = resolved_in_one_post("VMware 发布了 VMware Zorblet 平台。", "Zorblet 平台已经上线。")
    keys = {r.mention.surface: r.key for r in resolved}
    assert keys.get("Zorblet") == keys["VMware Zorblet"]


def test_resolve_a_chinese_firm_named_in_full_and_short_in_one_post_is_one_firm():
    resolved = resolved_in_one_post("云帆科技发布了新的大模型。", "据悉，云帆宣布将开放接口。")
    named = {r.mention.surface: (r.key, r.name) for r in resolved}
    assert named["云帆"] == named["云帆科技"] and named["云帆"][1] == "云帆科技"


def test_resolve_a_translated_post_is_not_read_for_chinese_script_names(tmp_path):
    from kg.extract import extract_post
    from kg.lexicon import load_lexicon
    from kg.posts import read_post
    text = "星海智联今天宣布完成新一轮融资，深蓝智驾创始人周启明出席。"
    original = tmp_path / "translated.md"
    original.write_text(f"> 原文：<https://example.com/news/1>\n\n{text}\n", encoding="utf-8")
    own = tmp_path / "own.md"
    own.write_text(f"{text}\n", encoding="utf-8")
    lexicon = load_lexicon()

    def names(path):
        return {r.mention.surface for entry in extract_post(read_post(path), lexicon).entries for r in entry.mentions}
    assert read_post(original).original == "https://example.com/news/1" and read_post(own).original is None
    assert "星海智联" in names(own)
    assert "星海智联" not in names(original)


def test_resolve_a_transliterated_name_is_the_latin_name_it_spells_in_the_post():
    resolved = resolved_in_one_post("Zorbix 的首席执行官 Mark Abbott 表示，新版本下月发布。",
                                    "马克·阿博特说，客户已经在测试。另一位创始人彼得·奎因没有发言。")
    keys = {r.mention.surface: r.key for r in resolved}
    assert keys["马克·阿博特"] == keys["Mark Abbott"]
    assert keys["彼得·奎因"] != keys["Mark Abbott"]          # other initials: another person


def test_resolve_a_family_name_alone_in_either_script_is_the_person_it_spells():
    resolved = resolved_in_one_post("Zorbix 的首席执行官 Nora Vettrick 表示，新版本下月发布。",
                                    "首席执行官韦特里克说，客户已经在测试。首席技术官彼得·萨亚尔补充了细节。",
                                    "Sayar 说，测试很顺利。马杰说，团队在扩张。")
    keys = {r.mention.surface: r.key for r in resolved}
    assert keys["韦特里克"] == keys["Nora Vettrick"]         # Vettrick, transliterated alone
    assert keys["Sayar"] == keys["彼得·萨亚尔"]             # the Latin family name of a transliterated person
    assert keys.get("马杰") not in (keys["Nora Vettrick"], keys["彼得·萨亚尔"])     # ends like neither


def test_resolve_a_transliterated_firm_is_the_latin_firm_it_spells_in_the_post():
    resolved = resolved_in_one_post("数据团队常用的 Tecton 本周推出了新功能。",
                                    "泰克顿联合创始人兼首席技术官凯文·斯汤普夫解释道，这很重要。Stumpf 解释说，客户在测试。",
                                    "桑德拉创始人说，他们也在 Stripe 工作过。")
    keys = {r.mention.surface: r.key for r in resolved}
    types = {r.mention.surface: r.type for r in resolved}
    assert keys["泰克顿"] == keys["Tecton"] and types["Tecton"] == "Company"
    assert keys["Stumpf"] == keys["凯文·斯汤普夫"]
    assert keys["桑德拉"] != keys["Stripe"]                 # 德 starts no syllable of Stripe


def test_resolve_a_given_name_alone_is_the_one_person_of_the_post_it_starts():
    resolved = resolved_in_one_post("Zorbix Networks 的首席执行官 Mark Abbott 表示，新版本下月发布。",
                                    "在加入 Zorbix 之前，Mark 是 Quantiva 的产品经理。")
    keys = {r.mention.surface: r.key for r in resolved}
    assert keys["Mark"] == keys["Mark Abbott"]
    two = resolved_in_one_post("Mark Abbott 和 Mark Ellis 都是 Quantiva 的工程师。", "Mark 说，客户已经在测试。")
    keys = {r.mention.surface: r.key for r in two if r.type == "Person"}
    assert keys.get("Mark") not in (keys["Mark Abbott"], keys["Mark Ellis"])


def test_resolve_a_given_name_alone_is_the_transliterated_person_it_starts():
    resolved = resolved_in_one_post("托比·费", "Toby 是 Stackery 的社区开发人员，也写作。Anders 说他同意。")
    keys = {r.mention.surface: r.key for r in resolved}
    assert keys["Toby"] == keys["托比·费"]
    assert keys.get("Anders") != keys["托比·费"]


def test_a_name_written_in_full_first_and_short_after_is_one_thing():
    resolved = resolved_in_one_post("Quantiva 发布了 Brightwater Service Mesh 测试版。",
                                    "Brightwater 提供了加密功能。Zorbix 发布了 Zorbix Cloud 平台。")
    key = {r.mention.surface: r.key for r in resolved}
    assert key["Brightwater"] == key["Brightwater Service Mesh"]
    assert key["Zorbix"] != key["Zorbix Cloud"]           # named short first: the firm, and its product


def test_a_known_firm_written_short_is_that_firm_wherever_the_short_form_stands():
    resolved = resolved_in_one_post("Quantiva 与 Sumo 合作分析日志。", "Sumo Logic 表示，新功能下月上线。")
    by_surface = {r.mention.surface: r for r in resolved}
    assert by_surface["Sumo"].key == by_surface["Sumo Logic"].key
    assert by_surface["Sumo"].type == "Company" and by_surface["Sumo"].known


def test_resolve_two_names_of_one_gathering_joined_by_ji_are_one_event(lexicon):
    text = "活动预告：长三角开源创客峰会暨 Open Maker Days 2025 将于下月在苏州举行。"
    resolved = resolve_mentions(find_mentions(text, lexicon), lexicon, text)
    events = {r.mention.surface: r for r in resolved if r.type == "Event"}
    assert len(events) == 2 and len({r.key for r in events.values()}) == 1
    assert events["长三角开源创客峰会"].name == "Open Maker Days 2025"



def test_a_chinese_name_before_a_known_latin_name_in_brackets_is_that_firm_where_it_stands_again():
    entry, = entries_of_one_post("文件同步业务将由卓博思（Dropbox）负责，而卓博思早在两年前就已经被 Zendesk 收购。")
    named = [r for r in entry.mentions if r.mention.surface in ("卓博思", "Dropbox")]
    assert len(named) == 3 and len({r.key for r in named}) == 1
    assert any(f.predicate == "acquires" and f.object == named[0].key for f in entry.facts)


def test_a_firm_named_as_its_web_address_is_that_firm_where_the_post_writes_the_name_alone():
    resolved = resolved_in_one_post("Pony.ai 今天在广州推出了新的自动驾驶出租车。", "和 Pony 的其他车型一样，它也没有方向盘。")
    by_surface = {r.mention.surface: r for r in resolved}
    assert by_surface["Pony"].key == by_surface["Pony.ai"].key and by_surface["Pony"].type == "Company"


def test_a_linked_word_whose_address_is_a_known_firms_home_page_names_that_firm():
    entries = entries_of_one_post(
        "存储初创公司浮云今天发布了新版本，浮云的工程师 Jane Doe 表示，同步速度提高了一倍。",
        "窗外浮云飘过。卓博思还在招聘。",
        "副总裁 John Roe 说，明年将扩大团队。",
        links={1: [("浮云", "https://www.dropbox.com/")], 2: [("卓博思", "https://www.dropbox.com")],
               3: [("副总裁", "https://www.zendesk.com/")]})
    first, second, third = ([r for r in entry.mentions if r.type != "Person"] for entry in entries)
    assert [r.name for r in first] == ["Dropbox", "Dropbox"]        # a common word: in its own paragraph
    assert [r.mention.surface for r in second] == ["卓博思"] and second[0].name == "Dropbox"
    assert third == []                                              # a role links its holder's firm


def test_a_name_whose_family_name_alone_a_cue_calls_a_person_is_a_person():
    first, second = entries_of_one_post("主持人采访了 Zendesk 首席技术官办公室的 Idit Levine。", "Levine 说，开源项目很受欢迎。")
    full = next(r for r in first.mentions if r.mention.surface == "Idit Levine")
    alone = next(r for r in second.mentions if r.mention.surface == "Levine")
    assert full.type == "Person" and alone.key == full.key


def test_a_linked_name_in_chinese_script_whose_address_is_a_persons_profile_is_that_person():
    entries = entries_of_one_post(
        "Quiverly 由前谷歌同事思杰郭和马可贝里创立，他们是 Zorbix 的最初开发者。",
        "马可贝里说，第一个版本明年发布。窗外浮云飘过。",
        links={1: [("思杰郭", "https://www.linkedin.com/in/sjguo-example/"),
                   ("马可贝里", "https://www.linkedin.com/in/marcoberry/")],
               2: [("浮云", "https://www.linkedin.com/in/someone/")]})
    first, second = ({r.mention.surface: r for r in entry.mentions} for entry in entries)
    assert first["思杰郭"].type == "Person" and first["马可贝里"].type == "Person"
    assert "思杰" not in first                          # (a known firm's Chinese name inside the person's)
    assert second["马可贝里"].key == first["马可贝里"].key and "浮云" not in second   # (a common word: no name)
    facts = facts_read(entries[0])
    assert (first["马可贝里"].key, "worksFor", first["Quiverly"].key) in facts


def test_a_new_latin_name_linked_to_a_persons_profile_is_that_person():
    first, = entries_of_one_post(
        "数据管理由 Zendesk 的 Harbor Quill 、混合云服务商的团队共同负责。Azul Systems 也参加了。",
        links={1: [("Harbor Quill", "https://www.linkedin.com/in/hquill/"),
                   ("Azul Systems", "https://www.linkedin.com/in/someone/")]})
    by_surface = {r.mention.surface: r for r in first.mentions}
    assert by_surface["Harbor Quill"].type == "Person" and by_surface["Azul Systems"].type == "Company"
    assert (by_surface["Harbor Quill"].key, "worksFor", "zendesk") in {(f.subject, f.predicate, f.object)
                                                                       for f in first.facts}


def test_a_persons_name_written_apart_is_named_as_the_address_of_their_profile_spells_it():
    first, second = entries_of_one_post(
        "Zendesk 负责网络的副总裁 Dario fen lon 说，新版本更安全。", "Dario fen lon 补充道，Ben Bernstein 同意。",
        links={1: [("Dario fen lon", "https://www.linkedin.com/in/dario-fenlon-a1234/")],
               2: [("Ben Bernstein", "https://www.linkedin.com/in/ben-bernstein-3427383")]})
    person = next(r for r in first.mentions if r.type == "Person")
    assert (person.mention.surface, person.name) == ("Dario fen lon", "Dario Fenlon")
    assert (person.key, "worksFor", "zendesk") in facts_read(first)
    assert {r.name for r in second.mentions if r.type == "Person"} == {"Dario Fenlon", "Ben Bernstein"}


def test_a_given_name_written_apart_is_the_person_wherever_the_post_writes_it_so_or_whole():
    first, second, third = entries_of_one_post(
        "ma rion Delacourt", "ma rion 自 2019 年起在 Quiverly 担任产品营销职务。", "Marion 的兴趣包括数据治理。",
        links={1: [("ma rion Delacourt", "https://www.linkedin.com/in/mariondelacourt/")]})
    person = next(r for r in first.mentions if r.type == "Person")
    assert person.name == "Marion Delacourt"
    assert [r.key for r in second.mentions if r.type == "Person"] == [person.key]
    assert (person.key, "worksFor", "quiverly") in facts_read(second)
    assert [(r.mention.surface, r.key) for r in third.mentions] == [("Marion", person.key)]


def test_a_transliterated_family_name_alone_is_the_one_person_whose_last_part_it_is():
    first, second = entries_of_one_post("Zendesk 总法律顾问多里安·戴利在声明中表示，公司很高兴。", "戴利补充说，这是一个胜利。")
    full = next(r for r in first.mentions if r.type == "Person")
    alone = next(r for r in second.mentions if r.type == "Person")
    assert alone.mention.surface == "戴利" and alone.key == full.key


def test_a_linked_known_firm_with_a_word_its_name_is_also_written_with_is_that_firm():
    first, = entries_of_one_post("软件提供商 GitLab Technologies 最近推出了新平台，GitLab 表示这很好。",
                                 links={1: [("GitLab Technologies", "https://about.gitlab.com/")]})
    assert {r.key for r in first.mentions} == {"gitlab"}


def test_resolve_a_family_name_written_with_ph_or_a_given_name_alone_is_the_person_it_spells():
    resolved = resolved_in_one_post("Zorbix 的首席架构师布兰登·菲尔普斯介绍了新版本。",
                                    "Phelps 说，客户已经在测试。开发者安迪·莫兰补充了细节。",
                                    "安迪说，团队在扩张。")
    keys = {r.mention.surface: r.key for r in resolved}
    assert keys["Phelps"] == keys["布兰登·菲尔普斯"]          # Ph, written as F is: 菲
    assert keys["安迪"] == keys["安迪·莫兰"]                  # the given name alone of the one person it opens


def test_resolve_a_firm_with_and_without_its_ending_is_one_firm_in_either_order():
    resolved = resolved_in_one_post("Quillmark 发布了新的调度器。",
                                    "Quillmark Corporation 的首席执行官 Gary Tyreman 表示，客户已经在测试。")
    keys = {r.mention.surface: r.key for r in resolved}
    assert keys["Quillmark Corporation"] == keys["Quillmark"]
