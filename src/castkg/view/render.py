"""Rendering a :class:`~castkg.view.model.View` as one self-contained HTML page.

pyvis builds the vis-network node, edge and options data; the page around it is our
own template (``static/graph.html``), because pyvis's templates load Bootstrap and
vis-network from CDNs. vis-network's script and style are inlined from the copies
that ship inside the pyvis package, so the page works from ``file://`` offline.

Safety: every text that came from an input file reaches the page only inside one
``<script type="application/json">`` block, where ``<``, ``>``, ``&`` and U+2028/2029
are escaped so nothing can close the tag; the page's script puts text on screen with
``textContent`` only, and node tooltips are DOM elements, never HTML strings.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections import Counter
from importlib import resources
from pathlib import Path
from typing import Any

import pyvis
from pyvis.edge import Edge
from pyvis.network import Network

from castkg.view.layout import radial_layout
from castkg.view.model import View, ViewNode

LARGE = 300
"""Above this many nodes the layout is computed in Python and physics is off."""

CLASS_STYLE: dict[str, tuple[str, str]] = {
    "Organization": ("#4e79a7", "dot"),
    "Platform": ("#59a14f", "diamond"),
    "Event": ("#e15759", "star"),
    "Initiative": ("#f28e2b", "triangle"),
    "Award": ("#edc948", "hexagon"),
    "Person": ("#b07aa1", "square"),
    "Place": ("#76b7b2", "triangleDown"),
    "Publication": (
        "#9c755f",
        "dot",
    ),  # vis has seven shapes that keep the label outside; colour tells it apart
}
"""Colour and vis-network shape of each class, in legend order."""
OTHER_STYLE = ("#bab0ac", "ellipse")

_TEMPLATE_SLOT = re.compile(r"@@([A-Z_]+)@@")
_SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def script_json(value: Any) -> str:
    """JSON for a ``<script>`` element: sorted keys, and no ``<``, ``>``, ``&``, U+2028/2029 left raw."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return re.sub("[<>&\u2028\u2029]", lambda m: _SCRIPT_UNSAFE[m.group(0)], text)


def _size(node: ViewNode) -> float:
    return round(10 + 5 * math.sqrt(node.degree), 1)


def _details(node: ViewNode) -> dict[str, Any]:
    return {
        "class": node.cls,
        "label": node.label,
        "labelEn": node.label_en,
        "aliases": list(node.aliases),
        "facts": [list(f) for f in node.facts],
        "measures": [[m.text, list(m.evidence)] for m in node.measures],
        "evidence": list(node.evidence),
        "articles": [[a.title, a.date, a.file] for a in node.articles],
    }


def _options(large: bool) -> dict[str, Any]:
    options: dict[str, Any] = {
        "layout": {"randomSeed": 7, "improvedLayout": not large},
        "interaction": {
            "hover": True,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": large,
            "hideEdgesOnZoom": large,
        },
        "nodes": {"font": {"size": 14, "face": "sans-serif"}, "borderWidth": 1},
        "edges": {
            "font": {"size": 10, "align": "middle", "color": "#555"},
            "color": {"color": "#9aa", "highlight": "#333"},
            "smooth": False if large else {"type": "continuous"},
        },
    }
    if large:
        options["physics"] = {"enabled": False}
        # canvas text is the costly part of a frame: draw labels only once zoomed in enough to read them
        options["nodes"]["scaling"] = {"label": {"drawThreshold": 9}}
        options["edges"]["scaling"] = {"label": {"drawThreshold": 9}}
    else:
        options["physics"] = {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 120},
            "stabilization": {"enabled": True, "iterations": 400, "fit": True},
        }
    return options


def network_data(view: View) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, Any]]:
    """vis-network nodes, edges and options for ``view``, made by pyvis."""
    large = len(view.nodes) > LARGE
    positions = (
        radial_layout((n.id for n in view.nodes), ((e.source, e.target) for e in view.edges)) if large else {}
    )
    net = Network(directed=True, cdn_resources="in_line")
    for node in view.nodes:
        color, shape = CLASS_STYLE.get(node.cls, OTHER_STYLE)
        extra: dict[str, Any] = {"x": positions[node.id][0], "y": positions[node.id][1]} if large else {}
        net.add_node(
            node.id, label=node.label, shape=shape, color=color, size=_size(node), cls=node.cls, **extra
        )
    known = set(net.node_ids)
    for index, edge in enumerate(view.edges):
        if edge.source in known and edge.target in known:
            # pyvis's add_edge scans its node list per edge (quadratic); the Edge it makes is the same
            net.edges.append(Edge(edge.source, edge.target, True, id=f"e{index}", label=edge.label).options)
    net.options = _options(large)
    nodes, edges, _, _, _, options = net.get_network_data()
    return nodes, edges, json.loads(options)


def _asset(name: str) -> str:
    return resources.files("castkg.view").joinpath("static", name).read_text(encoding="utf-8")


def _vis_asset(name: str) -> str:
    """vis-network's script or style as shipped in pyvis, less its source-map comment
    (a file the page lacks)."""
    text = (Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2" / name).read_text(
        encoding="utf-8"
    )
    return re.sub(r"\n?//# sourceMappingURL=\S*\s*$", "\n", text)


def _styles(counts: Counter[str]) -> list[tuple[str, tuple[str, str]]]:
    """The legend: each class present in the view with its colour and shape, in a fixed order."""
    known = [(name, style) for name, style in CLASS_STYLE.items() if counts[name]]
    return known + [(name, OTHER_STYLE) for name in sorted(counts) if name not in CLASS_STYLE]


def render_html(view: View) -> str:
    """The page for ``view``: one HTML document with every script, style and datum inlined."""
    nodes, edges, options = network_data(view)
    counts = Counter(node.cls for node in view.nodes)
    data = {
        "title": view.title,
        "nodes": nodes,
        "edges": edges,
        "options": options,
        "details": {node.id: _details(node) for node in view.nodes},
        "classes": [
            {"name": name, "color": color, "shape": shape, "count": counts[name]}
            for name, (color, shape) in _styles(counts)
        ],
        "omitted": view.omitted,
        "total": len(view.nodes) + view.omitted,
        "large": len(view.nodes) > LARGE,
        "notes": list(view.notes),
    }
    slots = {
        "TITLE": html.escape(view.title),
        "VIS_CSS": _vis_asset("vis-network.css"),
        "VIS_JS": _vis_asset("vis-network.min.js"),
        "APP_CSS": _asset("view.css"),
        "APP_JS": _asset("view.js"),
        "DATA": script_json(data),
    }
    return _TEMPLATE_SLOT.sub(lambda m: slots[m.group(1)], _asset("graph.html"))
