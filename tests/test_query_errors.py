"""Errors that help: each message of ``castkg query`` checked for its exact one line and exit code.

The command runs through click's runner (the same code path and exit codes as the console
script); the engine's own crash (a query that defeats the nesting limit by a long chain instead)
is run as a real process, to show it is contained in the query's worker and reported in one line.
No traceback may appear.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from castkg.cli import cli
from conftest import run_castkg, stderr_lines

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "mini.trig"
KNOWN = "ckg, ckr, rdf, rdfs, skos, xsd, prov, schema"


def query(*args: str) -> tuple[int, list[str], str]:
    """Run ``castkg query ARGS --data FIXTURE``: exit code, stderr lines, stdout (line ends kept)."""
    result = CliRunner().invoke(cli, ["query", *args, "--data", str(FIXTURE)])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    return result.exit_code, lines, result.stdout_bytes.decode("utf-8")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "SELECT * WHERE { ?s foaf:name ?o }",
            f"castkg: error: -e:1:21: unknown prefix foaf: (known: {KNOWN}); "
            "declare it with PREFIX foaf: <…>",
        ),
        (
            "PREFIX ex: <http://e/>\nSELECT * WHERE { ?s ex:p ?o ; dc:title ?t }",
            f"castkg: error: -e:2:31: unknown prefix dc: (known: {KNOWN}, ex); "
            "declare it with PREFIX dc: <…>",
        ),
        (
            "SELEC * WHERE { ?s ?p ?o }",
            "castkg: error: -e:1:1: SPARQL syntax error: found 'SELEC' where a query starts with "
            "SELECT, CONSTRUCT, ASK or DESCRIBE; did you mean SELECT?",
        ),
        (
            "SELECT * WHERE { ?s ?p ?o } LIMT 5",
            "castkg: error: -e:1:29: SPARQL syntax error: found 'LIMT'; did you mean LIMIT?",
        ),
        (
            "SELECT * WHERE { ?s ?p ?o FILTR(?o) }",
            "castkg: error: -e:1:27: SPARQL syntax error: found 'FILTR'; did you mean FILTER?",
        ),
        (
            "SELECT * WHERE { ?s ?p ?o } ORDER ?s",
            "castkg: error: -e:1:35: SPARQL syntax error: found '?s'; expected BY",
        ),
        (
            "SELECT * WHERE { ?s ?p ?o } LIMIT x",
            "castkg: error: -e:1:35: SPARQL syntax error: found 'x'; expected one of HAVING, OFFSET, "
            "OPTIONAL, VALUES, a digit",
        ),
        (
            "SELECT ?x WHERE {\n  ?x rdfs:label\n}",
            "castkg: error: -e:3:1: SPARQL syntax error: found '}'; expected one of $, ', ''', (, *, +, …",
        ),
        (
            "INSERT DATA { ckr:a ckr:b ckr:c }",
            "castkg: error: -e: this is a SPARQL Update; castkg only reads (use a query: SELECT, ASK, "
            "CONSTRUCT or DESCRIBE)",
        ),
        (
            "SELECT * WHERE { FILTER(" + "(" * 20_000 + "1" + ")" * 20_000 + ") }",
            "castkg: error: -e:1:123: the query nests brackets 20002 deep; castkg accepts at most 100: "
            "flatten it",
        ),
    ],
    ids=lambda value: value[:30],
)
def test_error_is_one_exact_line_and_exit_2(text: str, message: str) -> None:
    code, lines, out = query("-e", text)
    assert (code, lines, out) == (2, [message], "")


def test_misspelt_ckg_term_is_warned_with_did_you_mean() -> None:
    code, lines, out = query("-e", "SELECT ?e WHERE { ?e a ckg:Evnet }")
    assert code == 0
    assert lines == [
        "castkg: warning: -e:1:24: ckg:Evnet is not in the castkg ontology; did you mean ckg:Event?"
    ]
    assert out == "?e\n--\n(0 rows)\n"
    code, lines, _ = query("-e", "SELECT ?e WHERE { ?e <https://w3id.org/castkg/ontology#startdate> ?d }")
    assert lines == [
        "castkg: warning: -e:1:22: <https://w3id.org/castkg/ontology#startdate> is not in the castkg "
        "ontology; did you mean ckg:startDate?"
    ]
    code, lines, _ = query("-e", "SELECT ?e WHERE { ?e a ckg:Event }")
    assert (code, lines) == (0, [])


@pytest.mark.parametrize(
    ("param", "message"),
    [
        (
            "from=2022-13-01",
            "castkg: error: --param from=2022-13-01: not a date (month must be in 1..12); write YYYY-MM-DD",
        ),
        (
            "from=2022-02-30",
            "castkg: error: --param from=2022-02-30: not a date (day is out of range for month); "
            "write YYYY-MM-DD",
        ),
        (
            "from=yesterday",
            "castkg: error: --param from=yesterday: not a date; write YYYY-MM-DD, e.g. 2021-03-01",
        ),
        ("to=2021-1-5", "castkg: error: --param to=2021-1-5: not a date; write YYYY-MM-DD, e.g. 2021-03-01"),
    ],
)
def test_named_query_parameters_are_validated(param: str, message: str) -> None:
    code, lines, out = query("timeline", "--param", param)
    assert (code, lines, out) == (2, [message], "")


def test_any_parameter_that_looks_like_a_date_must_be_one() -> None:
    code, lines, _ = query(
        "-e", "SELECT ?s WHERE { ?s ?p ?d FILTER(?d = ?day) }", "--param", "day=2021-02-29"
    )
    assert (code, lines) == (
        2,
        [
            "castkg: error: --param day=2021-02-29: not a date (day is out of range for month); "
            "write YYYY-MM-DD"
        ],
    )
    code, _, out = query("timeline", "--param", "from=2021-03-01", "--format", "csv")
    assert code == 0 and out.count("\r\n") == 2


def test_param_on_a_projected_variable_binds_it() -> None:
    """A colleague saw ``SELECT ?person`` substituted as text and misparsed; now it is bound."""
    code, lines, out = query(
        "-e",
        "SELECT ?person ?name WHERE { ?person rdfs:label ?name }",
        "--param",
        "person=ckr:person-zhang",
        "--format",
        "csv",
    )
    assert (code, lines) == (0, [])
    assert out == "person,name\r\nhttps://w3id.org/castkg/id/person-zhang,张三\r\n"


def test_a_crash_of_the_engine_is_one_line(tmp_path: Path) -> None:
    chain = tmp_path / "chain.rq"
    chain.write_text("SELECT * WHERE { FILTER(" + "!" * 400_000 + "true) }", encoding="utf-8")
    process = run_castkg("query", chain, "--data", FIXTURE, timeout=120)
    assert (process.returncode, process.stdout) == (2, "")
    assert stderr_lines(process) == [
        f"castkg: error: the query engine crashed (SIGSEGV) on {chain}; it is probably nested too deeply "
        f"or too long: simplify it"
    ]
