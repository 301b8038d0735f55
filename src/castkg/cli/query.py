"""``castkg query``: run a SPARQL query, a query file or a named query on a graph or store."""

from __future__ import annotations

import functools
import logging
from pathlib import Path

import click

from castkg.errors import QueryError
from castkg.query import (
    FORMATS,
    check_params,
    check_value,
    format_result,
    load_data,
    named_queries,
    named_query,
    run_query,
    unknown_terms,
)
from castkg.query.sandbox import Limits, run_isolated

log = logging.getLogger(__name__)


def _params(values: tuple[str, ...]) -> dict[str, str]:
    params: dict[str, str] = {}
    for value in values:
        name, sep, term = value.partition("=")
        if not sep or not name.strip():
            raise QueryError(f"--param {value!r}: write it as NAME=VALUE, e.g. --param org=中国科协")
        params[name.strip().lstrip("?$")] = term
    return params


def _answer(text: str, data: Path, params: dict[str, str], source: str, fmt: str) -> str:
    """Load the data, run and write the query: in a worker, so a crash of the engine is an error
    message, not the end of the command."""
    return format_result(run_query(text, load_data(data), params, source=source), fmt)


def _list() -> str:
    lines = []
    for query in named_queries().values():
        lines.append(f"{query.name}")
        lines.append(f"    问：{query.question_zh}")
        lines.append(f"    Q:  {query.question_en}")
        for param in query.params:
            kind = "required" if param.required else "optional"
            lines.append(f"    --param {param.name}=…  ({kind}) {param.description}")
    return "\n".join(lines) + "\n"


@click.command("query")
@click.argument("query", required=False)
@click.option("-e", "--expression", "expression", metavar="SPARQL", help="The query text itself.")
@click.option(
    "--data",
    "data",
    type=click.Path(path_type=Path),
    metavar="PATH",
    help="castkg.ttl, castkg.trig, an output folder or a store folder.",
)
@click.option(
    "--param",
    "param_values",
    multiple=True,
    metavar="NAME=VALUE",
    help="Bind ?NAME to VALUE: an IRI if it looks like one (<…>, http…, ckg:x), "
    "a number, an xsd:date for YYYY-MM-DD, else a string. Repeatable.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help="How to write SELECT/ASK results; CONSTRUCT and DESCRIBE always give Turtle.",
)
@click.option("--list", "list_queries", is_flag=True, help="List the named queries and exit.")
def query_command(
    query: str | None,
    expression: str | None,
    data: Path | None,
    param_values: tuple[str, ...],
    fmt: str,
    list_queries: bool,
) -> None:
    """Run QUERY (a .rq file or a named query) or -e 'SPARQL' on --data.

    The standard prefixes ckg ckr rdf rdfs skos xsd prov schema need no PREFIX line.
    Exit 2 for a query that does not parse (the message gives line and column).
    """
    if list_queries:
        click.echo(_list(), nl=False)
        return
    if (query is None) == (expression is None):
        raise click.UsageError("give one of QUERY (a .rq file or a named query, see --list) or -e 'SPARQL'")
    if data is None:
        raise click.UsageError(
            "--data PATH is required: castkg.ttl, castkg.trig, an output folder or a store"
        )
    params = _params(param_values)
    for name, value in params.items():
        check_value(name, value)
    if expression is not None:
        text, source = expression, "-e"
    elif Path(query).is_file():  # type: ignore[arg-type]
        text, source = Path(query).read_text(encoding="utf-8"), str(query)  # type: ignore[arg-type]
    elif query.endswith(".rq"):  # type: ignore[union-attr]
        raise QueryError(f"{query}: no such query file")
    else:
        named = named_query(query)  # type: ignore[arg-type]
        check_params(named, params)
        text, source = named.text, str(named.path)
    for warning in unknown_terms(text, source=source):
        log.warning("%s", warning)
    answer = run_isolated(functools.partial(_answer, text, data, params, source, fmt), Limits(), what=source)
    click.echo(answer, nl=False)


COMMANDS = (query_command,)
