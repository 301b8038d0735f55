"""``castkg build INPUT… -o DIR``: bulletins in, the contract's files out."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import click
from rdflib import RDF, Dataset
from tqdm import tqdm

from castkg.errors import InputError
from castkg.graphs import VIEW
from castkg.namespace import CKG, ENTITY_CLASSES
from castkg.pipeline import build
from castkg.rules import load_rules
from castkg.view import write_view
from castkg.write import write_graph


def summary(dataset: Dataset, triples: int, seconds: float) -> str:
    """One line: articles, entities per class, triples, seconds."""
    typed = {
        (s, o)
        for s, _, o, _ in dataset.quads((None, RDF.type, None, None))
        if str(o).startswith(str(CKG._NS))
    }
    classes = Counter(str(o).rsplit("#", 1)[-1] for _, o in typed)
    entities = ", ".join(f"{classes[c]} {c}" for c in ENTITY_CLASSES if classes[c])
    articles = classes["Article"]
    return f"built {articles} articles: {entities or 'no entities'}; {triples} triples in {seconds:.1f}s"


@click.command("build")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option(
    "-o",
    "--output",
    "output",
    default="output",
    show_default=True,
    type=click.Path(path_type=Path),
    help="Folder for castkg.ttl, castkg.trig and graph.html.",
)
@click.option(
    "--rules",
    "rules_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Folder holding rules/ and gazetteer/ (default: the project's ontology/).",
)
@click.option(
    "--store",
    "store_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Also keep the graph in this on-disk Oxigraph store (adds and replaces article graphs).",
)
@click.option("--no-view", is_flag=True, help="Do not write graph.html.")
@click.pass_context
def build_command(
    ctx: click.Context,
    inputs: tuple[str, ...],
    output: Path,
    rules_dir: Path | None,
    store_dir: Path | None,
    no_view: bool,
) -> None:
    """Build the knowledge graph of INPUTS (files or folders of .txt, .md, .html, .jsonl bulletins).

    Unreadable inputs are reported one line each and skipped. Exit 0 when any article
    was built, 2 when none was or the rules do not load.
    """
    started = time.perf_counter()
    rules = load_rules(rules_dir)
    problems: list[InputError] = []

    def report(error: InputError) -> None:
        problems.append(error)
        click.echo(f"castkg: skipped: {error}", err=True)

    def progress(articles):  # a bar only for builds that take more than a second
        return tqdm(articles, desc="extracting", unit="article", delay=1.0, leave=False)

    strict = bool(ctx.obj and ctx.obj.get("debug"))
    dataset = build(inputs, rules=rules, on_input_error=report, progress=progress, strict=strict)
    if not any(True for _ in dataset.quads((None, RDF.type, CKG.Article, None))):
        raise InputError(
            f"no article could be built from {', '.join(inputs)}"
            f"{f' ({len(problems)} inputs skipped)' if problems else ''}"
        )
    written = write_graph(dataset, output)
    if not no_view:
        write_view(dataset, output / VIEW)
    if store_dir is not None:
        from castkg.store import update_store

        stats = update_store(store_dir, dataset)
        click.echo(f"store {store_dir}: {stats}", err=True)
    click.echo(summary(dataset, written.triples, time.perf_counter() - started))


COMMANDS = (build_command,)
