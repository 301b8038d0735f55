"""``castkg push``: load the graph into a server speaking the SPARQL 1.1 Graph Store Protocol."""

from __future__ import annotations

from pathlib import Path

import click

from castkg.push import parse_endpoint, push


@click.command("push")
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--endpoint",
    required=True,
    metavar="URL",
    help="The server's Graph Store endpoint, e.g. http://localhost:7878/store (Oxigraph), "
    "http://localhost:3030/DATASET/data (Fuseki).",
)
@click.option("--graph", "graph", metavar="IRI", help="Replace this named graph with the whole graph.")
@click.option(
    "--per-article", is_flag=True, help="Replace one named graph per article (graph IRI = article IRI)."
)
@click.option(
    "--resume-from",
    metavar="IRI",
    help="With --per-article: start at this article graph (in IRI order), as a failed push says.",
)
@click.option(
    "--timeout",
    default=60.0,
    show_default=True,
    type=click.FloatRange(min=0.1),
    help="Seconds each request may take in all: connecting, sending and the whole answer.",
)
def push_command(
    path: Path, endpoint: str, graph: str | None, per_article: bool, resume_from: str | None, timeout: float
) -> None:
    """Push PATH (castkg.ttl, castkg.trig, an output folder or a store) to --endpoint.

    Each graph is sent with PUT, which replaces it: pushing twice does not duplicate.
    Without --graph or --per-article the whole graph replaces the server's default graph.
    A login (HTTP basic auth) comes from the URL (user:password@host), from the environment
    variables CASTKG_PUSH_USER and CASTKG_PUSH_PASSWORD, or from ~/.netrc; it is never printed.
    Exit 2 for any URL, network or server error, with one line saying which.
    """
    if graph and per_article:
        raise click.UsageError("give either --graph IRI or --per-article, not both")
    if resume_from and not per_article:
        raise click.UsageError("--resume-from goes with --per-article")
    shown = parse_endpoint(endpoint).shown
    stats = push(
        path, endpoint, graph=graph, per_article=per_article, timeout=timeout, resume_from=resume_from
    )
    resumed = f" (resumed after {stats.skipped} article graphs)" if stats.skipped else ""
    click.echo(
        f"castkg: pushed {stats.triples} triples in {stats.graphs} graph"
        f"{'s' if stats.graphs != 1 else ''} to {shown}{resumed}",
        err=True,
    )


COMMANDS = (push_command,)
