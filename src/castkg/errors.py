"""The errors castkg raises: one root, one subclass per kind of problem.

Every message is written for a person: what was wrong, where, and what to do.
The CLI turns each into one line on stderr and an exit code.
"""

from __future__ import annotations


class CastkgError(Exception):
    """Root of every error castkg raises on purpose."""

    exit_code = 2


class InputError(CastkgError):
    """An input file or path that cannot be read as a bulletin."""


class OverBudgetError(InputError):
    """An input skipped because it took more than its CPU budget (a quieter run may finish it)."""


class RuleError(CastkgError):
    """A rules, gazetteer or ontology file that does not load or validate."""

    def __init__(self, path: str, line: int | None, message: str) -> None:
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {message}")
        self.path, self.line, self.detail = path, line, message


class QueryError(CastkgError):
    """A SPARQL query that does not parse or cannot run."""


class StoreError(CastkgError):
    """A persistent store or remote triple store that cannot be used."""


class ValidationFailed(CastkgError):
    """The graph does not conform to the SHACL shapes."""

    exit_code = 1


class OutputError(CastkgError):
    """An output folder or file that cannot be written (``-o`` naming a file, no write permission …)."""


class EngineError(CastkgError):
    """Workers that cannot run a build: a worker process died, a cluster cannot be reached or
    lacks what castkg needs (``--engine dask`` without dask.distributed installed …)."""
