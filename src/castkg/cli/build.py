"""``castkg build INPUT… -o DIR``: bulletins in, the contract's files out."""

from __future__ import annotations

import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import click
from rdflib import RDF, Dataset
from tqdm import tqdm

from castkg.errors import InputError
from castkg.limits import SECONDS_PER_INPUT
from castkg.model import Article
from castkg.namespace import CKG, ENTITY_CLASSES
from castkg.pipeline import build
from castkg.read import shown
from castkg.rules import load_rules
from castkg.write import write_outputs


def check_writable_folder(folder: Path, option: str) -> None:
    """Make sure ``folder`` is, or can be made, a folder castkg can write files into.

    Creates it (and its parents) when missing. Raises :class:`InputError` saying what is wrong
    when it is a file, or cannot be created or written, so that a build fails before it starts.
    """
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{option} {folder}: is a file, not a folder; name a folder for the outputs")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder, prefix=".castkg-probe-"):
            pass
    except OSError as error:
        raise InputError(
            f"{option} {folder}: cannot write there ({error.strerror or error}); name a writable folder"
        ) from error


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
@click.option(
    "--cpu-budget",
    "seconds",
    type=click.FloatRange(min=0),
    default=SECONDS_PER_INPUT,
    show_default=True,
    help="CPU seconds that reading one file or extracting one article may take before it is "
    "skipped (0: no limit).",
)
@click.pass_context
def build_command(
    ctx: click.Context,
    inputs: tuple[str, ...],
    output: Path,
    rules_dir: Path | None,
    store_dir: Path | None,
    no_view: bool,
    seconds: float,
) -> None:
    """Build the knowledge graph of INPUTS (files or folders of .txt, .md, .html, .jsonl bulletins).

    Unreadable inputs are reported one line each and skipped, and so is an input that fails
    or takes more than the CPU budget; an article cut to the size caps is reported too. Exit 0
    when any article was built, 2 when none was, the rules do not load or OUTPUT cannot be
    written (checked before the build starts).
    """
    started = time.perf_counter()
    check_writable_folder(output, "-o")
    rules = load_rules(rules_dir)
    problems: list[InputError] = []

    bars: list[tqdm] = []

    def report(error: InputError) -> None:
        problems.append(error)
        line = f"castkg: warning: {error}"
        shown_bar = bars and time.time() - bars[0].start_t >= bars[0].delay
        if shown_bar:
            tqdm.write(line, file=sys.stderr)  # above the bar, not glued to it
        else:
            click.echo(line, err=True)  # tqdm.write would show a bar too early

    def progress(articles: Iterable[Article]) -> Iterable[Article]:  # a bar only past a second
        bars.append(tqdm(articles, desc="extracting", unit="article", delay=1.0, leave=False))
        return bars[0]

    strict = bool(ctx.obj and ctx.obj.get("debug"))
    dataset = build(
        inputs, rules=rules, on_input_error=report, progress=progress, strict=strict, seconds=seconds or None
    )
    if not any(True for _ in dataset.quads((None, RDF.type, CKG.Article, None))):
        raise InputError(
            f"no article could be built from {', '.join(shown(given) for given in inputs[:3])}"
            f"{f' and {len(inputs) - 3} more inputs' if len(inputs) > 3 else ''}"
            f"{f' (see the {len(problems)} warnings above)' if problems else ''}"
        )
    written = write_outputs(dataset, output, view=not no_view)
    if store_dir is not None:
        from castkg.store import update_store

        stats = update_store(store_dir, dataset)
        click.echo(f"store {store_dir}: {stats}", err=True)
    click.echo(summary(dataset, written.triples, time.perf_counter() - started))


COMMANDS = (build_command,)
