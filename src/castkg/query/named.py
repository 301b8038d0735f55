"""Named queries: the questions shipped as ``queries/NAME.rq``, their headers and parameters."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from castkg import graphs
from castkg.errors import QueryError


@dataclass(frozen=True)
class Param:
    """A parameter a named query takes through ``--param NAME=VALUE``."""

    name: str
    required: bool
    description: str
    kind: str | None = None
    """``date`` or ``number`` when the value must be one (checked before the query runs)."""


@dataclass(frozen=True)
class NamedQuery:
    """A query shipped in ``queries/NAME.rq``, with the question it answers."""

    name: str
    path: Path
    question_zh: str
    question_en: str
    params: tuple[Param, ...] = ()

    @property
    def text(self) -> str:
        """The query's text, header comment included."""
        return self.path.read_text(encoding="utf-8")


_HEADER_LINE = re.compile(r"#\s*(?P<key>问|Q|param)\s*(?P<rest>.*)")
_PARAM = re.compile(
    r"(?P<name>[A-Za-z_]\w*)\s*\((?P<need>required|optional)(?:[,\s]+(?P<kind>date|number))?\)\s*:\s*(?P<text>.*)"
)


def parse_header(path: Path) -> NamedQuery:
    """Read a named query's opening comment: ``# 问：…``, ``# Q: …``, ``# param NAME (required|optional): …``.

    Raises :class:`QueryError` when the question in either language is missing.
    """
    zh = en = ""
    params: list[Param] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.startswith("#"):
            break
        match = _HEADER_LINE.match(line)
        if not match:
            continue
        key, rest = match["key"], match["rest"].lstrip(":：").strip()
        if key == "问":
            zh = rest
        elif key == "Q":
            en = rest
        else:
            param = _PARAM.match(rest)
            if not param:
                raise QueryError(
                    f"{path}:{number}: write a parameter as "
                    f"'# param NAME (required|optional[ date|number]): description'"
                )
            params.append(
                Param(param["name"], param["need"] == "required", param["text"].strip(), param["kind"])
            )
    if not zh or not en:
        raise QueryError(f"{path}: a named query opens with '# 问：…' and '# Q: …' comment lines")
    return NamedQuery(path.stem, path, zh, en, tuple(params))


def queries_dir() -> Path:
    """Return the folder of the shipped named queries. Raises :class:`QueryError` if there is none."""
    folder = graphs.queries_dir()
    if not folder.is_dir():
        raise QueryError(f"{folder}: the named queries are not installed; reinstall castkg")
    return folder


def named_queries(folder: Path | None = None) -> dict[str, NamedQuery]:
    """Return the named queries of ``folder`` (default: the shipped ones), by name, sorted."""
    folder = folder or queries_dir()
    return {path.stem: parse_header(path) for path in sorted(folder.glob("*.rq"))}


def named_query(name: str) -> NamedQuery:
    """Return the shipped named query ``name``; raises :class:`QueryError` listing the known names."""
    queries = named_queries()
    if name not in queries:
        raise QueryError(f"no named query '{name}'; known: {', '.join(queries)} (see `castkg query --list`)")
    return queries[name]


def check_params(query: NamedQuery, params: Mapping[str, str]) -> None:
    """Raise :class:`QueryError` when a required parameter of ``query`` is missing or an unknown one given."""
    known = {param.name for param in query.params}
    for param in query.params:
        if param.required and param.name not in params:
            raise QueryError(f"query '{query.name}' needs --param {param.name}=… ({param.description})")
        if param.name in params:
            check_value(param.name, params[param.name], param.kind)
    for name in params:
        if name not in known:
            listed = ", ".join(sorted(known)) or "none"
            raise QueryError(f"query '{query.name}' takes no parameter '{name}'; its parameters: {listed}")


def check_value(name: str, value: str, kind: str | None = None) -> None:
    """Raise :class:`QueryError` when ``--param name=value`` is not a ``kind`` (``date``, ``number``),
    or looks like a date (``YYYY-MM-DD``) that does not exist."""
    text = value.strip()
    if kind == "date" or re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise QueryError(f"--param {name}={value}: not a date; write YYYY-MM-DD, e.g. 2021-03-01")
        try:
            datetime.date.fromisoformat(text)
        except ValueError as exc:
            raise QueryError(f"--param {name}={value}: not a date ({exc}); write YYYY-MM-DD") from exc
    if kind == "number" and not re.fullmatch(r"[+-]?\d+(\.\d+)?", text):
        raise QueryError(f"--param {name}={value}: not a number; write it like 10 or 2.5")
