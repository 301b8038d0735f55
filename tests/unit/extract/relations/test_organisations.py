"""Which body a body belongs to (extract/relations/organisations.py)."""

from __future__ import annotations

from unit.helpers import run, scope

SUBORG = "suborg.name-prefix"


def test_a_department_named_after_its_body_belongs_to_it() -> None:
    text = "中国科协学会服务中心与中国科协科学技术普及部共同举办培训班。"
    assert run(SUBORG, scope("培训", text)) == {
        ("中国科协学会服务中心", "subOrganizationOf", "中国科协"),
        ("中国科协科学技术普及部", "subOrganizationOf", "中国科协"),
    }


def test_a_society_must_be_named_alone_or_be_the_bulletins_own() -> None:
    text = "中国化学会青年工作委员会组织青少年科技培训。"
    owned = run(SUBORG, scope("培训", text, signed="中国化学会"))
    assert owned == {("中国化学会青年工作委员会", "subOrganizationOf", "中国化学会")}
    assert run(SUBORG, scope("培训", text, signed="")) == set()
    named = "中国化学会组织培训，中国化学会青年工作委员会承办。"
    assert run(SUBORG, scope("培训", named, signed="")) == {
        ("中国化学会青年工作委员会", "subOrganizationOf", "中国化学会")
    }


def test_a_body_that_ends_as_a_whole_one_stands_even_named_only_in_its_unit() -> None:
    text = "中国科协科普部、某某理工大学材料学院和湖州市科协办公室组织青少年科技培训。"
    assert run(SUBORG, scope("培训", text, signed="")) == {
        ("中国科协科学技术普及部", "subOrganizationOf", "中国科协"),
        ("某某理工大学材料学院", "subOrganizationOf", "某某理工大学"),
        ("湖州市科协办公室", "subOrganizationOf", "湖州市科协"),
    }
