"""A fixed layout, computed once in Python: the browser runs no physics on large views and
starts small ones from it.

Force-directed layouts are quadratic in the number of nodes (and networkx's need
numpy); a view of thousands of nodes must open at once. The nodes are laid out in
blocks, one per group (a community when groups are given, else a connected component):
each block radially around its most connected node (one ring per link distance, children
kept next to their parent's angle, members the block's own links do not reach on an
outer ring), and the blocks are packed in rows, largest first. Pure and deterministic:
the same nodes, edges and groups give the same positions.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import networkx as nx

RING_STEP = 160.0
"""Distance between two rings of a block, in vis-network canvas units."""
NODE_GAP = 60.0
"""Least arc length between two neighbours on one ring."""
COMPONENT_GAP = 120.0


def _ring(radius: float, count: int) -> float:
    return max(radius + RING_STEP, NODE_GAP * count / (2 * math.pi))


def _radial(network: nx.Graph, nodes: set[str]) -> dict[str, tuple[float, float]]:
    """Positions of one block, centred on (0, 0)."""
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
                if child not in seen and child in nodes:
                    seen.add(child)
                    children.append((angle[parent], child))
        if not children:
            break
        children.sort()
        radius = _ring(radius, len(children))
        for index, (_, child) in enumerate(children):
            theta = 2 * math.pi * index / len(children)
            angle[child] = theta
            positions[child] = (radius * math.cos(theta), radius * math.sin(theta))
        ring = [child for _, child in children]
    unreached = sorted(nodes - seen)
    if unreached:
        radius = _ring(radius, len(unreached))
        for index, node in enumerate(unreached):
            theta = 2 * math.pi * index / len(unreached)
            positions[node] = (radius * math.cos(theta), radius * math.sin(theta))
    return positions


def radial_layout(
    nodes: Iterable[str], edges: Iterable[tuple[str, str]], groups: Mapping[str, int] | None = None
) -> dict[str, tuple[int, int]]:
    """Integer (x, y) canvas positions for every node: one block per group (``groups`` maps a
    node to its group; without it, per connected component), each laid out radially, packed in rows."""
    network = nx.Graph()
    network.add_nodes_from(nodes)
    network.add_edges_from(edges)
    if groups is None:
        blocks = [set(c) for c in nx.connected_components(network)]
    else:
        members: dict[int, set[str]] = {}
        for node in network:
            members.setdefault(groups.get(node, -1), set()).add(node)
        blocks = list(members.values())
    blocks.sort(key=lambda c: (-len(c), min(c)))
    laid = [_radial(network, block) for block in blocks]
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
