"""A fixed layout for large views, computed once in Python so the browser runs no physics.

Force-directed layouts are quadratic in the number of nodes (and networkx's need
numpy); a 5,000-node view must open at once. Each connected component is laid out
radially around its most connected node (one ring per link distance, children kept
next to their parent's angle), and the components are packed in rows, largest first.
Pure and deterministic: the same nodes and edges give the same positions.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import networkx as nx

RING_STEP = 160.0
"""Distance between two rings of a component, in vis-network canvas units."""
NODE_GAP = 60.0
"""Least arc length between two neighbours on one ring."""
COMPONENT_GAP = 120.0


def _radial(network: nx.Graph, nodes: set[str]) -> dict[str, tuple[float, float]]:
    """Positions of one connected component, centred on (0, 0)."""
    centre = min(nodes, key=lambda n: (-network.degree(n), n))
    angle: dict[str, float] = {centre: 0.0}
    positions = {centre: (0.0, 0.0)}
    ring = [centre]
    radius = 0.0
    seen = {centre}
    while ring:
        children: list[tuple[float, str]] = []
        for parent in ring:
            for child in sorted(network.neighbors(parent)):
                if child not in seen:
                    seen.add(child)
                    children.append((angle[parent], child))
        if not children:
            break
        children.sort()
        radius = max(radius + RING_STEP, NODE_GAP * len(children) / (2 * math.pi))
        for index, (_, child) in enumerate(children):
            theta = 2 * math.pi * index / len(children)
            angle[child] = theta
            positions[child] = (radius * math.cos(theta), radius * math.sin(theta))
        ring = [child for _, child in children]
    return positions


def radial_layout(nodes: Iterable[str], edges: Iterable[tuple[str, str]]) -> dict[str, tuple[int, int]]:
    """Integer (x, y) canvas positions for every node: components laid out radially, packed in rows."""
    network = nx.Graph()
    network.add_nodes_from(nodes)
    network.add_edges_from(edges)
    components = sorted((set(c) for c in nx.connected_components(network)), key=lambda c: (-len(c), min(c)))
    laid = [_radial(network, component) for component in components]
    sizes = [2 * max((math.hypot(x, y) for x, y in p.values()), default=0.0) + COMPONENT_GAP for p in laid]
    row_width = max(max(sizes, default=0.0), math.sqrt(sum(s * s for s in sizes)))
    positions: dict[str, tuple[int, int]] = {}
    x = y = row_height = 0.0
    for size, placed in zip(sizes, laid, strict=True):
        if x > 0 and x + size > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        for node, (px, py) in placed.items():
            positions[node] = (round(x + size / 2 + px), round(y + size / 2 + py))
        x += size
        row_height = max(row_height, size)
    return positions
