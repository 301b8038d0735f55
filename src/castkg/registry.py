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
from dataclasses import dataclass, is_dataclass
from typing import Any, Generic, TypeVar

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


RULE_PREDICATE = "{predicate}"
"""In a finder's ``emits``: the property its rule's ``predicate`` setting names."""
RULE_CLASS = "{class}"
"""In a matcher's ``emits``: the class its rule's ``class`` setting names."""


@dataclass(frozen=True)
class Kind:
    """A rule kind: the function that runs a rule of the kind, the frozen dataclass of the settings
    such a rule takes (the rule loader derives the YAML schema from it), and what it emits."""

    name: str
    function: Callable[..., Any]
    settings: type
    emits: tuple[str, ...]
    """Contract properties (a finder) or classes (a matcher) of what it makes; ``RULE_PREDICATE``
    or ``RULE_CLASS`` for the one its rule names."""
    patterns: tuple[Need, ...] = ()
    """Patterns of patterns.yaml filled, for each rule, with the rule's own word lists (``{verbs}``)."""


class Kinds(Mapping[str, Kind]):
    """Rule kinds by name; filled once at import by the modules that define them."""

    def __init__(self, what: str) -> None:
        self.what = what
        self._kinds: dict[str, Kind] = {}

    def register(
        self, name: str, settings: type, emits: tuple[str, ...], patterns: tuple[Need, ...] = ()
    ) -> Callable[[F], F]:
        """A decorator registering a function as the kind ``name`` with its settings and output."""
        if not is_dataclass(settings):
            raise TypeError(f"{self.what} {name!r}: settings must be a frozen dataclass")

        def add(function: F) -> F:
            if name in self._kinds:
                raise ValueError(f"{self.what} {name!r} is registered twice")
            self._kinds[name] = Kind(name, function, settings, emits, patterns)
            return function

        return add

    def __getitem__(self, name: str) -> Kind:
        return self._kinds[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._kinds)

    def __len__(self) -> int:
        return len(self._kinds)


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


MATCHERS = Kinds("entity matcher")
"""The kinds of ``ontology/rules/entities.yaml``: how names are found (``castkg.extract.mentions``)."""
FINDERS = Kinds("relation finder")
"""The kinds of ``ontology/rules/relations.yaml``: which facts are drawn (``castkg.extract.relations``)."""
INFERENCES = Kinds("inference")
"""The kinds of ``ontology/rules/inferences.yaml``: facts that follow from others (``castkg.infer``)."""
WORDS = Needs("word list", "lexicon.yaml")
"""Word lists of ``ontology/rules/lexicon.yaml`` the code reads."""
PATTERNS = Needs("pattern", "patterns.yaml")
"""Regular expressions of ``ontology/rules/patterns.yaml`` the code reads."""
