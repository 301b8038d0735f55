"""Registries: named plain functions the rule files choose, and the names the code reads from them.

Like rdflib's plugin registry, in small: a matcher, relation finder or normaliser is an
ordinary function registered under a name; ``ontology/rules/*.yaml`` chooses it by that name,
and the loader reports an unknown name with the known ones.

The other way round, a module that reads a word list of ``lexicon.yaml`` or a pattern of
``patterns.yaml`` declares it here when it is imported (``LEFT = WORDS.need("left_boundaries")``);
the loader checks that every declared name is in the files, so a misspelt or deleted list
fails when the rules load, never half-way through a build.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

F = TypeVar("F", bound=Callable[..., object])


class Registry(Mapping[str, F], Generic[F]):
    """Functions by name; filled once at import by the modules that define them."""

    def __init__(self, what: str) -> None:
        self.what = what
        self._functions: dict[str, F] = {}

    def register(self, name: str) -> Callable[[F], F]:
        """A decorator registering a function under ``name``."""

        def add(function: F) -> F:
            if name in self._functions:
                raise ValueError(f"{self.what} {name!r} is registered twice")
            self._functions[name] = function
            return function

        return add

    def __getitem__(self, name: str) -> F:
        return self._functions[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._functions)

    def __len__(self) -> int:
        return len(self._functions)


@dataclass(frozen=True)
class Need:
    """A word list or pattern the code reads, by name; made by :meth:`Needs.need`."""

    name: str
    groups: tuple[str, ...] = ()
    """For a pattern: the named groups the code reads from its matches."""
    fills: tuple[str, ...] = ()
    """For a pattern: the ``{places}`` the code fills itself (a rule's own verbs), not the lexicon."""


class Needs(Mapping[str, Need]):
    """The names of one rule file the code reads, each with the modules that read it."""

    def __init__(self, what: str, file: str) -> None:
        self.what, self.file = what, file
        self._needs: dict[str, Need] = {}
        self._readers: dict[str, list[str]] = {}

    def need(self, name: str, groups: tuple[str, ...] = (), fills: tuple[str, ...] = ()) -> Need:
        """Declare that the calling module reads ``name``; returns the handle to read it with."""
        frame = inspect.currentframe()
        caller = frame.f_back.f_globals.get("__name__", "?") if frame and frame.f_back else "?"
        known = self._needs.get(name, Need(name))
        self._needs[name] = Need(
            name, tuple(sorted({*groups, *known.groups})), tuple(sorted({*fills, *known.fills}))
        )
        readers = self._readers.setdefault(name, [])
        if caller not in readers:
            readers.append(caller)
        return Need(name, groups, fills)

    def readers(self, name: str) -> tuple[str, ...]:
        """The modules that declared ``name``."""
        return tuple(self._readers.get(name, ()))

    def __getitem__(self, name: str) -> Need:
        return self._needs[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._needs)

    def __len__(self) -> int:
        return len(self._needs)


WORDS = Needs("word list", "lexicon.yaml")
"""Word lists of ``ontology/rules/lexicon.yaml`` the code reads."""
PATTERNS = Needs("pattern", "patterns.yaml")
"""Regular expressions of ``ontology/rules/patterns.yaml`` the code reads."""
