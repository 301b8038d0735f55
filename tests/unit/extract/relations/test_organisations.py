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


def test_the_body_must_be_named_alone_or_be_the_bulletins_own() -> None:
    text = "中国科协科普部组织青少年科技培训。"
    owned = run(SUBORG, scope("培训", text, signed="中国科协办公厅"))
    assert owned == {("中国科协科学技术普及部", "subOrganizationOf", "中国科协")}
    assert run(SUBORG, scope("培训", text, signed="")) == set()
