"""Bodies below the province (the ``local_body`` matcher of extract/mentions.py, extract/bodies.py):
found without a province before them, a bare one standing for the body of the place the article
names, and a body's place from its name (the ``body_place`` finder)."""

from __future__ import annotations

from castkg.extract.bodies import is_bare_local_body
from castkg.extract.mentions import find_mentions, sentence_scope
from unit.helpers import extraction, rules, run, scope


def named(text: str) -> list[tuple[str, str, bool]]:
    found = find_mentions(sentence_scope(text, 0, rules()), rules())
    return [(m.label or m.surface, m.cls, m.nested) for m in found if m.cls in ("Organization", "Place")]


def test_a_county_body_is_found_with_its_county_and_a_bare_one_alone() -> None:
    assert named("青川县科协组织召开座谈会。") == [
        ("青川县科协", "Organization", False),
        ("青川", "Place", True),
    ]
    assert named("县科协、县老科协参加。") == [
        ("县科协", "Organization", False),
        ("县老科协", "Organization", False),
    ]
    assert named("临县人民政府承办。") == [("临县人民政府", "Organization", False), ("临县", "Place", True)]


def test_no_place_is_read_into_a_word_before_the_level() -> None:
    assert named("全县科协干部参加。") == [("县科协", "Organization", False)]
    assert ("湖南省科协", "Organization", False) in named("会议产生湖南省科协新一届领导。")
    assert ("新和县科协", "Organization", False) in named("县委宣传部、妇联和新和县科协参加。")


def test_a_department_after_a_local_body_has_that_body_as_parent() -> None:
    found = find_mentions(sentence_scope("省科协科普部部长孙登军出席。", 0, rules()), rules())
    department = next(m for m in found if m.cls == "Organization")
    assert (department.surface, department.parent) == ("省科协科普部", "省科协")


def test_bare_local_bodies_are_a_level_and_a_body() -> None:
    assert is_bare_local_body("县科协", rules()) and is_bare_local_body("省委宣传部", rules())
    assert not is_bare_local_body("潢川县科协", rules()) and not is_bare_local_body("县里", rules())


def test_a_bare_body_stands_for_the_full_one_or_the_one_of_the_place_named() -> None:
    found = extraction("松岭县科协开展活动", "县科协主席周明远出席。", "大庆市委宣传部、市科协参加。")
    labels = {(m.surface, m.label) for m in found.mentions if m.cls == "Organization"}
    assert ("县科协", "松岭县科协") in labels and ("市科协", "大庆市科协") in labels


def test_a_bare_body_of_an_article_naming_no_place_stays_bare() -> None:
    found = extraction("科普日活动", "县科协、县科扶局组织开展科普宣传。")
    assert {m.label or m.surface for m in found.mentions if m.cls == "Organization"} == {"县科协", "县科扶局"}


def test_a_body_is_located_in_the_division_its_name_opens_with() -> None:
    located = run(
        "location.body-name", scope("活动", "青川县科协、湖南省科协、河北农业大学和黄河研究院参加。")
    )
    assert located == {("青川县科协", "location", "青川"), ("湖南省科协", "location", "湖南")}


def test_a_body_after_a_venue_preposition_is_no_actor() -> None:
    found = run("organizer.subject-verb", scope("培训", "6月3日，市科协在大庆市科技馆举办科普讲解员培训班。"))
    assert found == {("科普讲解员培训班", "organizer", "大庆市科协")}
    far = run(
        "organizer.subject-verb", scope("座谈", "当天，区科协组织全区优秀科技工作者代表召开座谈交流会。")
    )
    assert far == {("座谈交流会", "organizer", "区科协")}


def test_two_articles_bare_bodies_of_no_named_place_are_two() -> None:
    from castkg.resolve import resolve

    first = extraction("科普日", "县科协组织开展科普宣传。", source="a.txt")
    second = extraction(
        "科普日", "县科协组织开展科普讲座。", source="b.txt"
    )  # two texts: issue 9 keys articles by content
    bodies = [e for e in resolve([first, second], rules()).entities.values() if e.label == "县科协"]
    assert len(bodies) == 2 and len({e.slug for e in bodies}) == 2


def bodies(text: str) -> list[str]:
    found = find_mentions(sentence_scope(text, 0, rules()), rules())
    return [m.label or m.surface for m in found if m.cls == "Organization" and not m.nested]


def test_a_union_of_societies_and_an_institute_of_a_known_academy_are_bodies() -> None:
    assert bodies("海峡两岸海洋科技学会联合体召开主席团会议。") == ["海峡两岸海洋科技学会联合体"]
    assert bodies("中科院声学所、中国科学院昆明分院和中国科学院西双版纳植物园参加。") == [
        "中科院声学所",
        "中国科学院昆明分院",
        "中国科学院西双版纳植物园",
    ]


def test_the_governments_of_the_special_regions_and_short_forms_of_ministries_are_known() -> None:
    assert bodies("澳门特区政府与国防科工局代表出席。") == ["澳门特别行政区政府", "国家国防科工局"]
