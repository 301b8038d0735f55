"""The ``castkg`` command: a thin layer of subcommands over importable functions.

Exit codes: 0 ok, 1 validation failed, 2 bad input, rules, query, output, store, network,
usage or the machine (a full disk), 3 an internal error (a bug: rerun with ``--debug`` for the
traceback), 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import _thread
import errno
import importlib
import logging
import sys
import threading

import click

from castkg import __version__
from castkg.errors import CastkgError


class _OneLineFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        level = record.levelname.lower()
        return (
            f"castkg: {level}: {record.getMessage()}"
            if record.levelno >= logging.WARNING
            else record.getMessage()
        )


def configure_logging(verbose: int, quiet: bool) -> None:
    """Send castkg's log records to stderr, one line each, at the chosen level."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_OneLineFormatter())
    root = logging.getLogger("castkg")
    root.handlers[:] = [handler]
    root.propagate = False
    root.setLevel(
        logging.ERROR
        if quiet
        else logging.DEBUG
        if verbose > 1
        else logging.INFO
        if verbose
        else logging.WARNING
    )


def _global_option(ctx: click.Context, param: click.Parameter, value: object) -> None:
    """Record --debug, -v or -q on the root context, wherever it was given, and apply it."""
    settings = ctx.find_root().ensure_object(dict)
    name = param.name or ""
    if name == "verbose":
        settings[name] = settings.get(name, 0) + int(value or 0)  # type: ignore[call-overload]
    else:
        settings[name] = bool(settings.get(name)) or bool(value)
    if value or ctx.parent is None:
        configure_logging(
            2 if settings.get("debug") else settings.get("verbose", 0), bool(settings.get("quiet"))
        )


def global_options() -> list[click.Option]:
    """--debug, -v and -q, accepted before the subcommand and after it alike."""
    return [
        click.Option(
            ["--debug"],
            is_flag=True,
            expose_value=False,
            callback=_global_option,
            help="Show tracebacks and debug logging.",
        ),
        click.Option(
            ["-v", "--verbose"],
            count=True,
            expose_value=False,
            callback=_global_option,
            help="More logging (-v stage counts, timings and skipped files, -vv debug).",
        ),
        click.Option(
            ["-q", "--quiet"], is_flag=True, expose_value=False, callback=_global_option, help="Only errors."
        ),
    ]


_MODULES = {
    "build": "build",
    "export": "view",
    "push": "push",
    "query": "query",
    "serve": "serve",
    "validate": "validate",
    "view": "view",
}
"""Each command's module in ``castkg.cli``, imported when the command is run or listed: a build
does not import the view's or the endpoint's modules (networkx, pyvis, the query scanner)."""


class CastkgGroup(click.Group):
    """A click group that turns castkg's errors into one line and an exit code, and imports each
    command's module only when that command is wanted."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        for name in sorted(set(_MODULES.values())):
            _register(name)
        return super().list_commands(ctx)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands and name in _MODULES:
            _register(_MODULES[name])
        return super().get_command(ctx, name)

    def invoke(self, ctx: click.Context):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except CastkgError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"castkg: error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo("castkg: interrupted", err=True)
            sys.exit(130)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, SystemExit):
            raise
        except OSError as exc:  # the machine's, not a bug: a full disk, a file that cannot be written
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"castkg: error: {_os_error(exc)}", err=True)
            sys.exit(2)
        except Exception as exc:  # a bug: keep the promise of no traceback unless asked
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(
                f"castkg: internal error: {type(exc).__name__}: {exc} (rerun with --debug for the traceback)",
                err=True,
            )
            sys.exit(3)


def _os_error(exc: OSError) -> str:
    """One line for an error the operating system raised: what, on which file, what to do."""
    what = exc.strerror or str(exc)
    where = f": {exc.filename}" if exc.filename else ""
    if exc.errno == errno.ENOSPC:
        return (
            f"{what}{where}; free space, or put the output (-o) and the build's cache (--cache DIR, or "
            "--no-cache) on a larger disk"
        )
    return f"{what}{where}; check the path and its permissions, then rerun (--debug shows where)"


@click.group(cls=CastkgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="castkg")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """castkg: CAST news bulletins into an RDF knowledge graph.

    --debug, -v and -q may also follow the subcommand.
    """
    ctx.ensure_object(dict)


cli.params.extend(global_options())


def _register(name: str) -> None:
    """Add the commands of the module ``castkg.cli.NAME``."""
    module = importlib.import_module(f"castkg.cli.{name}")
    for command in getattr(module, "COMMANDS", ()):
        if command.name not in cli.commands:
            command.params.extend(global_options())
            cli.add_command(command)


def main() -> None:
    """Entry point of the ``castkg`` console script and ``python -m castkg``."""
    sys.unraisablehook = _interrupt_again
    cli(prog_name="castkg")


def _interrupt_again(unraisable: sys.UnraisableHookArgs) -> None:
    """Deliver again a Ctrl-C that landed where Python cannot raise it (a callback of the import
    machinery, a finaliser): Python would print it as an ignored traceback and go on, so the
    build would neither stop nor keep its one-line promise."""
    if isinstance(unraisable.exc_value, KeyboardInterrupt):
        # from another thread, once the hook and the callback have returned: raised from here it
        # would be ignored again
        redelivery = threading.Timer(REDELIVERY_DELAY_S, _thread.interrupt_main)
        redelivery.daemon = True  # a build that ends first exits without waiting for it
        redelivery.start()
        return
    sys.__unraisablehook__(unraisable)


REDELIVERY_DELAY_S = 0.05
