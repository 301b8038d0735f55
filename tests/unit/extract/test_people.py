"""People on the web (extract/mentions.py: person_before_role, person_after_body, person_listed,
titles before a name; extract/relations/posts.py: ORG + name + post), each on a sentence we wrote."""

from __future__ import annotations

from castkg.extract.mentions import find_mentions, sentence_scope
from unit.helpers import rules, scope


def people(text: str) -> list[str]:
    found = find_mentions(sentence_scope(text, 0, rules()), rules())
    return [m.label or m.surface for m in found if m.cls == "Person"]


def test_a_name_before_its_post_after_a_body_or_punctuation() -> None:
    assert people("辽宁省科协王元立副主席、沈阳化工研究院康卓副院长分别致词。") == ["王元立", "康卓"]
    assert people("会议由林海主席主持。") == ["林海"]


def test_words_before_a_post_are_no_names() -> None:
    assert people("中共中央政治局委员、国家副主席出席。") == []
    assert people("北京经济技术开发区管理委员会承办。") == []
    assert people("院士钟志华等120余位院士参与。") == ["钟志华"]


def test_a_title_before_a_name_tells_a_person() -> None:
    assert people("高级农艺师毛颖盈等志愿者参加。") == ["毛颖盈"]


def test_names_listed_after_a_known_person_or_a_post() -> None:
    assert people("胡锦涛、温家宝、吴官正、罗干等出席。") == ["胡锦涛", "温家宝", "吴官正", "罗干"]
    assert people("出席的有：副理事长洪友士、刘人怀、龙勉。") == ["洪友士", "刘人怀", "龙勉"]


def test_a_list_of_winners_names_each_after_its_unit() -> None:
    assert people("获奖名单：浙江大学徐海君；中山大学师超凡；扬州大学戈林泉。") == [
        "徐海君",
        "师超凡",
        "戈林泉",
    ]


def test_three_characters_closed_by_punctuation_are_one_name() -> None:
    assert people("市科协主席饶子和，院士周其林出席。") == ["饶子和", "周其林"]
    assert people("书记处书记郭哲对2024年工作作出部署。") == ["郭哲"]


def test_a_body_a_name_and_a_post_is_a_position() -> None:
    from castkg.extract.relations.posts import find_positions

    found = find_positions(scope("会议", "辽宁省科协王元立副主席致辞。"), "position.test")
    assert [(p.person.surface, p.organization.surface, p.role) for p in found] == [
        ("王元立", "辽宁省科协", "副主席")
    ]


def test_a_list_of_names_closed_by_a_count_of_people_is_people() -> None:
    assert people("王立新、杨海波、陈志强、刘明等10人获评。") == ["王立新", "杨海波", "陈志强", "刘明"]
    assert people("北京、上海、广州等3地参加。") == []


def test_a_transliterated_name_after_a_post_and_before_an_adverb() -> None:
    assert people("，副局长阿不都·热合曼全程陪同。") == ["阿不都·热合曼"]
    assert people("。自治区科协主席阿不都·热合曼率队。") == ["阿不都·热合曼"]
