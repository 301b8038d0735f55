"""``castkg validate DIR|FILE``: check a built graph against the contract's SHACL shapes.

Prints a report (verdict, counts by shape, the first results, one line each).
PATH is a build folder, a graph file or a store made by ``castkg build --store``.
Exit 0 when the graph conforms, 1 when it does not, 2 when the path is missing,
does not parse or is an incomplete store.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import click

from castkg.errors import ValidationFailed
from castkg.query.data import is_store


@click.command("validate")
@click.argument("path", type=click.Path(path_type=str))
@click.option(
    "-n",
    "--limit",
    type=click.IntRange(min=0),
    default=20,
    show_default=True,
    help="How many results to list (0: counts only).",
)
def validate_command(path: str, limit: int) -> None:
    """Validate PATH (a build folder, a Turtle/TriG file or a store) against the SHACL shapes."""
    from castkg.validate import report_text, validate  # deferred: keeps `castkg --help` fast

    if is_store(Path(path)):
        from castkg.store import store_graph

        report = replace(validate(store_graph(path)), source=path)
    else:
        report = validate(path)
    click.echo(report_text(report, limit=limit))
    if not report.conforms:
        raise ValidationFailed(
            f"{report.source}: {len(report.violations)} SHACL results; the graph does not conform"
        )


COMMANDS: tuple[click.Command, ...] = (validate_command,)
