"""No import cycle inside ``src/castkg``: the modules form layers, each importing only below it.

The import graph is read from the source with :mod:`ast`, imports inside functions and under
``TYPE_CHECKING`` included, since a late import only hides a cycle from Python, not from the design.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

SRC = Path(__file__).resolve().parents[1] / "src"


def module_names(root: Path) -> dict[str, Path]:
    """Every module under the package folder ``root``, by dotted name (a package by its own name)."""
    modules = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = path
    return modules


def _imported(node: ast.Import | ast.ImportFrom, module: str, is_package: bool, known: set[str]) -> list[str]:
    """The package modules ``node`` imports (``from a import b``: ``a.b`` if it is a module, else ``a``)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names if alias.name in known]
    if node.level:  # relative: from the module's own package, one level up per extra dot
        package = module if is_package else module.rpartition(".")[0]
        for _ in range(node.level - 1):
            package = package.rpartition(".")[0]
        base = f"{package}.{node.module}" if node.module else package
    else:
        base = node.module or ""
    targets = [f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in known]
    if len(targets) < len(node.names) and base in known:
        targets.append(base)
    return targets


def import_graph(root: Path) -> nx.DiGraph:
    """The graph of imports between the modules of the package at ``root`` (edges: importer → imported)."""
    modules = module_names(root)
    known = set(modules)
    graph = nx.DiGraph()
    graph.add_nodes_from(modules)
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                for target in _imported(node, module, path.name == "__init__.py", known):
                    if target != module:
                        graph.add_edge(module, target)
    return graph


def cycles(graph: nx.DiGraph) -> list[list[str]]:
    """One cycle through each group of modules that import each other, as a path back to its start."""
    found = []
    for group in nx.strongly_connected_components(graph):
        if len(group) > 1:
            edges = nx.find_cycle(graph.subgraph(group))
            found.append([source for source, _ in edges] + [edges[0][0]])
    return sorted(found)


def test_no_import_cycle_in_castkg() -> None:
    graph = import_graph(SRC / "castkg")
    assert graph.number_of_edges() > 50, "the import graph is nearly empty: is the walker reading the source?"
    found = cycles(graph)
    assert not found, "import cycles: " + "; ".join(" → ".join(cycle) for cycle in found)


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {
                "__init__.py": "",
                "a.py": "from pkg.b import thing\n",
                "b.py": "def late():\n    from pkg import a\n",
            },
            [["pkg.a", "pkg.b", "pkg.a"]],
        ),
        (
            {
                "__init__.py": "from pkg.sub import run\n",
                "sub/__init__.py": "from .inner import run\n",
                "sub/inner.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import pkg\n",
            },
            [["pkg", "pkg.sub", "pkg.sub.inner", "pkg"]],
        ),
        ({"__init__.py": "from pkg import a\n", "a.py": "from pkg.b import x\n", "b.py": "import os\n"}, []),
    ],
    ids=["late-import", "relative-and-type-checking", "layered"],
)
def test_the_walker_finds_cycles(tmp_path: Path, files: dict[str, str], expected: list[list[str]]) -> None:
    for name, text in files.items():
        path = tmp_path / "pkg" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    found = cycles(import_graph(tmp_path / "pkg"))
    assert [sorted(cycle[:-1]) for cycle in found] == [sorted(cycle[:-1]) for cycle in expected]
    assert all(cycle[0] == cycle[-1] for cycle in found)
