"""castkg query on the hand-written fixture: result formats, parameters, errors, named queries.

Results written by castkg are read back by independent parsers (pyoxigraph's SPARQL results
parser, the csv module, the XML parser) so the W3C formats are checked, not just castkg's view.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Dataset

from castkg.cli import cli
from castkg.errors import QueryError
from castkg.query import (
    display_width,
    format_result,
    is_update,
    load_data,
    named_queries,
    param_term,
    prepare,
    run_query,
    substitute,
    to_table,
    uses_service,
)

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "mini.trig"
LABELS = "SELECT ?x ?label WHERE { ?x rdfs:label ?label . FILTER(LANG(?label) = 'zh') } ORDER BY ?label"


@pytest.fixture(scope="module")
def data() -> ox.Store:
    return load_data(FIXTURE)


def invoke(*args: str) -> tuple[int, str, str]:
    """Run the castkg CLI; stdout exactly as written (click's ``Result.stdout`` turns CRLF into LF)."""
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout_bytes.decode("utf-8"), result.stderr


def test_union_default_graph_holds_each_triple_once(data: ox.Store) -> None:
    # 示例学会's label is in both article graphs; the query's default graph is their merge.
    rows = run_query("SELECT ?l WHERE { ckr:org-demo rdfs:label ?l }", data).values()
    assert rows == [("示例学会",)]
    ttl_count = run_query("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", data).values()
    dataset = Dataset()
    dataset.parse(FIXTURE, format="trig")
    graph_triples = {(s, p, o) for s, p, o, _ in dataset.quads((None, None, None, None))}
    assert int(ttl_count[0][0]) == len(graph_triples)


def test_rdflib_dataset_and_path_give_the_same_rows(data: ox.Store) -> None:
    dataset = Dataset()
    dataset.parse(FIXTURE, format="trig")
    assert (
        run_query(LABELS, dataset).values()
        == run_query(LABELS, data).values()
        == run_query(LABELS, FIXTURE).values()
    )


def test_json_is_w3c_results_json(data: ox.Store) -> None:
    text = format_result(run_query(LABELS, data), "json")
    parsed = ox.parse_query_results(text, format=ox.QueryResultsFormat.JSON)
    rows = [(s["x"], s["label"]) for s in parsed]
    assert rows[0] == (
        ox.NamedNode("https://w3id.org/castkg/id/event-meeting"),
        ox.Literal("2021年度工作会议", language="zh"),
    )
    assert json.loads(text)["head"]["vars"] == ["x", "label"]
    assert len(rows) == 11


def test_xml_tsv_csv_parse_back(data: ox.Store) -> None:
    result = run_query(
        "SELECT ?v ?u ?missing WHERE { ?m ckg:value ?v ; ckg:unit ?u OPTIONAL { ?m ckg:nothing ?missing } }",
        data,
    )
    for fmt, kind in (("xml", ox.QueryResultsFormat.XML), ("tsv", ox.QueryResultsFormat.TSV)):
        solutions = list(ox.parse_query_results(format_result(result, fmt), format=kind))
        assert solutions[0]["v"] == ox.Literal(
            "1200", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")
        )
        assert solutions[0]["u"] == ox.Literal("名", language="zh")
        assert solutions[0]["missing"] is None
    text = format_result(result, "csv")
    assert text.endswith("\r\n")
    assert list(csv.reader(io.StringIO(text))) == [["v", "u", "missing"], ["1200", "名", ""]]
    ET.fromstring(format_result(result, "xml"))  # well-formed


def test_ask_and_construct(data: ox.Store) -> None:
    ask = run_query("ASK { ?e ckg:chair ckr:person-zhang }", data)
    assert json.loads(format_result(ask, "json")) == {"head": {}, "boolean": True}
    assert format_result(ask, "table") == "true\n"
    turtle = format_result(run_query("CONSTRUCT WHERE { ?e ckg:chair ?p }", data), "json")
    graph = ox.parse(turtle, format=ox.RdfFormat.TURTLE)
    assert [str(t) for t in graph] == [
        "<https://w3id.org/castkg/id/event-meeting> <https://w3id.org/castkg/ontology#chair> "
        "<https://w3id.org/castkg/id/person-zhang>"
    ]


def test_table_counts_chinese_characters_double_width(data: ox.Store) -> None:
    assert display_width("中国科协ab") == 10
    result = run_query(
        "SELECT ?label ?x WHERE { ?x rdfs:label ?label . FILTER(LANG(?label) = 'zh') } ORDER BY ?label", data
    )
    lines = to_table(result).splitlines()
    column = display_width(lines[0][: lines[0].index("?x")])
    for line in lines[2:-1]:  # the second column starts at the same terminal cell on every row
        assert display_width(line[: line.index("ckr:")]) == column, line
    assert column == display_width("示例学会与样本协会共建联合实验室") + 2
    assert lines[-1] == "(11 rows)"


def test_param_terms() -> None:
    assert param_term("中国科协") == '"中国科协"'
    assert param_term('a "quoted" name') == '"a \\"quoted\\" name"'
    assert param_term("https://w3id.org/castkg/id/x") == "<https://w3id.org/castkg/id/x>"
    assert param_term("ckg:chair") == "<https://w3id.org/castkg/ontology#chair>"
    assert param_term("2021-01-29") == '"2021-01-29"^^<http://www.w3.org/2001/XMLSchema#date>'
    assert param_term("4") == "4"
    assert param_term("nokn:own") == '"nokn:own"'


def test_substitute_leaves_strings_iris_and_comments_alone() -> None:
    text = 'SELECT ?x { ?x rdfs:label ?org . FILTER(STR(?x) != "?org") } # ?org\n'
    assert (
        substitute(text, {"org": "中国科协"})
        == 'SELECT ?x { ?x rdfs:label "中国科协" . FILTER(STR(?x) != "?org") } # ?org\n'
    )
    with pytest.raises(QueryError, match=r"no variable \?nope"):
        substitute(text, {"nope": "1"})


def test_service_and_update_detection() -> None:
    assert uses_service("SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    assert uses_service("select * { service silent ?e { ?s ?p ?o } }")
    assert not uses_service('SELECT * { ?s ex:SERVICE "SERVICE" } # SERVICE')
    assert is_update("PREFIX ex: <http://e/> INSERT DATA { ex:a ex:b ex:c }")
    assert is_update("DELETE WHERE { ?s ?p ?o }")
    assert not is_update("SELECT ?insert WHERE { ?insert ?p 'DELETE' }")


def test_syntax_error_gives_line_and_column_and_exit_2() -> None:
    code, out, err = invoke("query", "-e", "SELECT ?x WHERE {\n  ?x rdfs:label \n}", "--data", str(FIXTURE))
    assert code == 2
    assert err.startswith("castkg: error: -e:3:1: SPARQL syntax error")
    assert "Traceback" not in err and out == ""


def test_query_file_with_own_prefix_and_param(tmp_path: Path) -> None:
    query = tmp_path / "q.rq"
    query.write_text(
        "PREFIX d: <https://w3id.org/castkg/id/>\nSELECT ?name WHERE { ?who ckg:holds ?pos . "
        "?pos ckg:organization d:org-demo . ?who rdfs:label ?name . FILTER(?who = ?person) }",
        encoding="utf-8",
    )
    code, out, err = invoke(
        "query", str(query), "--data", str(FIXTURE), "--param", "person=ckr:person-zhang", "--format", "csv"
    )
    assert (code, out, err) == (0, "name\r\n张三\r\n", "")


def test_update_is_refused(tmp_path: Path) -> None:
    code, _, err = invoke("query", "-e", "INSERT DATA { ckr:a ckr:b ckr:c }", "--data", str(FIXTURE))
    assert code == 2 and "SPARQL Update" in err


def test_bad_data_paths(tmp_path: Path) -> None:
    code, _, err = invoke("query", "-e", "ASK {}", "--data", str(tmp_path / "missing.ttl"))
    assert code == 2 and "no such file or folder" in err
    code, _, err = invoke("query", "-e", "ASK {}", "--data", str(tmp_path))
    assert code == 2 and "neither castkg.trig" in err


def test_output_folder_is_accepted(tmp_path: Path) -> None:
    (tmp_path / "castkg.trig").write_bytes(FIXTURE.read_bytes())
    code, out, _ = invoke(
        "query",
        "-e",
        "SELECT (COUNT(DISTINCT ?a) AS ?n) { ?a a ckg:Article }",
        "--data",
        str(tmp_path),
        "--format",
        "tsv",
    )
    assert (code, out) == (0, "?n\n2\n")


def test_named_queries_have_bilingual_headers_and_list() -> None:
    queries = named_queries()
    assert set(queries) >= {
        "timeline",
        "platforms",
        "organization",
        "article",
        "measures",
        "comention",
        "ranking",
        "why",
    }
    for query in queries.values():
        assert any("\u4e00" <= ch <= "\u9fff" for ch in query.question_zh), query.name
        assert query.question_en.isascii(), query.name
    code, out, _ = invoke("query", "--list")
    assert code == 0
    assert "organization\n    问：" in out and "--param org=…  (required)" in out


def test_named_query_needs_its_required_param() -> None:
    code, _, err = invoke("query", "organization", "--data", str(FIXTURE))
    assert code == 2 and "needs --param org=" in err
    code, _, err = invoke("query", "nosuchquery", "--data", str(FIXTURE))
    assert code == 2 and "known: article, comention" in err


# Exact rows of every named query on the fixture (the fixture is hand-written, so these are known).
FIXTURE_ROWS = {
    ("timeline", ()): [("2021-03-01", "2021-03-01", "2021年度工作会议", "示例学会", "杭州")],
    ("timeline", (("from", "2021-03-02"),)): [],
    ("platforms", ()): [("示例在线", "示例学会", "Event", "2021年度工作会议")],
    ("platforms", (("name", "“示例在线”平台"),)): [("示例在线", "示例学会", "Event", "2021年度工作会议")],
    ("platforms", (("name", "样本"),)): [],
    ("organization", (("org", "Demo Society"),)): [
        ("launched", "示例在线", "Platform"),
        ("launched", "联合实验室建设计划", "Initiative"),
        ("organized", "2021年度工作会议", "2021-03-01"),
        ("person", "张三", "示例学会理事长"),
        ("subOrganization", "示例学会办公室", None),
    ],
    ("organization", (("org", "办公室"),)): [("parentOrganization", "示例学会", None)],
    ("article", (("title", "共建"),)): [
        ("示例学会与样本协会共建联合实验室", "Initiative", "联合实验室建设计划"),
        ("示例学会与样本协会共建联合实验室", "Organization", "样本协会"),
        ("示例学会与样本协会共建联合实验室", "Organization", "示例学会"),
        ("示例学会与样本协会共建联合实验室", "Platform", "示例在线"),
    ],
    ("measures", (("event", "2021年度工作会议"),)): [
        ("2021年度工作会议", "1200", "名", "会员", "Approximately")
    ],
    ("comention", ()): [("示例学会", "样本协会", "1"), ("示例学会", "示例学会办公室", "1")],
    ("comention", (("org", "样本协会"),)): [("示例学会", "样本协会", "1")],
    ("ranking", (("type", "ckg:Organization"),)): [
        ("示例学会", "Organization", "2"),
        ("样本协会", "Organization", "1"),
        ("示例学会办公室", "Organization", "1"),
    ],
    ("why", (("subject", "联合实验室建设计划"),)): [
        (
            "联合实验室建设计划",
            "https://w3id.org/castkg/ontology#launchedBy",
            "样本协会",
            "示例学会与样本协会启动联合实验室建设计划。",
            "示例学会与样本协会共建联合实验室",
            "bulletins/mini.txt",
            "initiative-launched-by",
        )
    ],
    ("why", (("subject", "2021年度工作会议"), ("property", "ckg:chair"))): [
        (
            "2021年度工作会议",
            "https://w3id.org/castkg/ontology#chair",
            "张三",
            "示例学会理事长张三主持会议。",
            "示例学会召开年度工作会议",
            "bulletins/mini.txt",
            "event-chair",
        )
    ],
    ("why", (("subject", "2021年度工作会议"), ("object", "张三"), ("property", "ckg:organizer"))): [],
}


@pytest.mark.parametrize(("name", "params"), list(FIXTURE_ROWS), ids=lambda v: str(v))
def test_named_query_rows_on_fixture(data: ox.Store, name: str, params: tuple[tuple[str, str], ...]) -> None:
    query = named_queries()[name]
    assert run_query(query.text, data, dict(params), source=name).values() == FIXTURE_ROWS[(name, params)]


def test_ranking_counts_articles(data: ox.Store) -> None:
    rows = run_query(named_queries()["ranking"].text, data).values()
    assert rows[:2] == [("示例学会", "Organization", "2"), ("示例在线", "Platform", "2")]
    assert {row[2] for row in rows[2:]} == {"1"}


def test_prepare_binds_a_projected_parameter_with_values(data: ox.Store) -> None:
    text = prepare("SELECT ?person ?name WHERE { ?person rdfs:label ?name }", {"person": "ckr:person-zhang"})
    assert text.endswith("\nVALUES ?person { <https://w3id.org/castkg/id/person-zhang> }")
    assert run_query(text, data).values() == [("https://w3id.org/castkg/id/person-zhang", "张三")]
