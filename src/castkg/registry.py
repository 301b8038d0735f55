"""Registries of named plain functions that rule files refer to by name.

Like rdflib's plugin registry, in small: a matcher, relation finder or normaliser is an
ordinary function registered under a name; ``ontology/rules/*.yaml`` chooses it by that name,
and the loader reports an unknown name with the known ones.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
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
