"""The signature (extract/signature.py): the signing departments, and the body whose bulletin it is."""

from __future__ import annotations

from castkg.extract.signature import owner_of, publishers
from castkg.model import Article, Block
from unit.helpers import rules


def signed(*departments: str) -> Article:
    return Article("unit.txt", 1, "标题", (Block("正文。"),), publishers=departments)


def test_a_department_after_a_cast_department_is_cast_s_and_cast_owns_the_bulletin() -> None:
    found = publishers(signed("中国科协调研宣传部", "信息中心"), rules())
    assert [m.key for m in found] == ["cast-research-publicity", "cast-information-center"]
    owner = owner_of(found, rules())
    assert owner is not None and owner.key == "cast"


def test_a_body_no_gazetteer_knows_owns_its_own_bulletin() -> None:
    found = publishers(signed("江西省科学技术协会"), rules())
    owner = owner_of(found, rules())
    assert owner is not None and owner.surface == "江西省科学技术协会"
    assert owner_of([], rules()) is None
