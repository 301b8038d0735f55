"""Who did it (extract/relations/actors.py): organizer, launchedBy and chair, each finder on a
scope built from a few lines of text."""

from __future__ import annotations

from unit.helpers import run, scope

CAST, MOE, MOST = "中国科协", "教育部", "科技部"


def test_a_subject_and_its_verb_organise_the_event_after_it() -> None:
    found = run("organizer.subject-verb", scope("会议召开", "中国科协召开全国学会工作会议。"))
    assert found == {("全国学会工作会议", "organizer", CAST)}


def test_every_body_of_a_coordinated_subject_organises() -> None:
    found = run(
        "organizer.subject-verb",
        scope("会议召开", "3月2日，中国科协、教育部和科技部联合召开全国科普工作会议。"),
    )
    assert found == {("全国科普工作会议", "organizer", body) for body in (CAST, MOE, MOST)}


def test_a_passive_with_hosts_names_the_event_before_it() -> None:
    found = run(
        "organizer.passive", scope("科技节", "2023年全国青少年科技节由中国科协、教育部等单位共同主办。")
    )
    assert found == {
        ("2023年全国青少年科技节", "organizer", CAST),
        ("2023年全国青少年科技节", "organizer", MOE),
    }


def test_hosts_that_close_a_clause_hold_the_sentence_event() -> None:
    text = "5月20日，全国科技活动周在北京启动，中国科协和科技部共同主办。"
    assert run("organizer.passive", scope("科技周", text)) == {
        ("全国科技活动周", "organizer", CAST),
        ("全国科技活动周", "organizer", MOST),
    }


def test_a_body_opening_the_name_organises_it() -> None:
    found = run("organizer.name-prefix", scope("年会", "第二十五届中国科协年会在贵阳举办。"))
    assert found == {("第二十五届中国科协年会", "organizer", CAST)}


def test_with_no_actor_named_the_bulletins_body_is_guessed() -> None:
    text = "举办全国青少年科技创新大赛。"
    found = run("organizer.bulletin-body", scope("大赛", text, signed="中国科协青少年科技中心"))
    assert found == {("全国青少年科技创新大赛", "organizer", CAST)}
    assert run("organizer.bulletin-body", scope("大赛", text, signed="")) == set()  # no signer, no guess


def test_the_guess_is_marked_so_a_stated_actor_replaces_it() -> None:
    from unit.helpers import rule

    assert rule("organizer.bulletin-body").guess and not rule("organizer.subject-verb").guess


def test_a_person_before_the_chair_verb_chairs_the_meeting() -> None:
    text = "中国科协党组书记、常务副主席张玉卓主持召开中国科协十届常委会第三次会议。"
    assert run("chair.presides", scope("常委会", text)) == {
        ("中国科协十届常委会第三次会议", "chair", "张玉卓")
    }


def test_launch_verbs_make_launched_by() -> None:
    found = run("launched.subject-verb", scope("上线", "中国科协发布科普中国新版。"))
    assert found == {("科普中国", "launchedBy", CAST)}


def test_a_name_no_rule_knows_listed_among_hosts_hosts_too() -> None:
    found = run(
        "organizer.passive",
        scope(
            "大赛闭幕",
            "由中国科协、教育部、青山环境促进署、青山矿业局、共青团中央和湖北省人民政府主办的第40届全国青少年科技创新大赛20日在武汉闭幕。",
        ),
    )
    hosts = {o for s, p, o in found if p == "organizer"}
    assert {"中国科协", "青山环境促进署", "青山矿业局", "共青团中央", "湖北省人民政府"} <= hosts


def test_a_co_host_takes_part_and_does_not_organise() -> None:
    text = "5月9日，由市科技局、市科协牵头主办，区政府承办的2019年科技活动周在市展览馆举行开幕式。"
    held = run("organizer.passive", scope("科技周", text))
    assert held == {
        ("全国科技活动周", "organizer", "市科技局"),  # the gazetteer's label
        ("全国科技活动周", "organizer", "市科协"),
    }
    assert run("involves.cohost", scope("科技周", text)) == {("全国科技活动周", "involves", "区政府")}
    assert not any(o == "区政府" for _, _, o in run("organizer.subject-verb", scope("科技周", text)))


def test_co_hosts_closing_a_clause_take_part_in_its_event() -> None:
    text = "青山湖海智交流会在湖州召开。交流会由浙江省科协主办，湖州市科协承办。"
    assert run("involves.cohost-passive", scope("交流会", text)) == {
        ("青山湖海智交流会", "involves", "湖州市科协")
    }
