"""``castkg push``: load the graph into a server speaking the SPARQL 1.1 Graph Store Protocol."""

from __future__ import annotations

from pathlib import Path

import click

from castkg.push import push


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
    "--timeout", default=60.0, show_default=True, type=click.FloatRange(min=1), help="Seconds per request."
)
def push_command(path: Path, endpoint: str, graph: str | None, per_article: bool, timeout: float) -> None:
    """Push PATH (castkg.ttl, castkg.trig, an output folder or a store) to --endpoint.

    Each graph is sent with PUT, which replaces it: pushing twice does not duplicate.
    Without --graph or --per-article the whole graph replaces the server's default graph.
    """
    if graph and per_article:
        raise click.UsageError("give either --graph IRI or --per-article, not both")
    stats = push(path, endpoint, graph=graph, per_article=per_article, timeout=timeout)
    click.echo(
        f"castkg: pushed {stats.triples} triples in {stats.graphs} graph"
        f"{'s' if stats.graphs != 1 else ''} to {endpoint}",
        err=True,
    )


COMMANDS = (push_command,)
