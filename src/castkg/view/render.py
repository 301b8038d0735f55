"""Rendering a :class:`~castkg.view.model.View` as one self-contained HTML page.

The page is our own template (``static/graph.html``, ``view.css``, ``view.js``) around
vis-network, whose script and style are inlined from the copies that ship inside the
pyvis package (pyvis's own templates load Bootstrap and vis-network from CDNs). The
view goes into the page as one compact JSON block (:func:`page_data`): tables of nodes,
edges, sentences and articles that the page's script turns into vis-network data, the
filters and the details panel. Besides the drawn nodes the block embeds, within a
budget, the entities a selection left out and their links, so that a double-click can
expand a node into them.

Safety: every text that came from an input file reaches the page only inside that
``<script type="application/json">`` block, where ``<``, ``>``, ``&`` and U+2028/2029
are escaped so nothing can close the tag; the page's script puts text on screen with
``textContent`` only, and node tooltips are DOM elements, never HTML strings.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Any

import pyvis

from castkg.view.layout import radial_layout
from castkg.view.model import POST, View, ViewEdge, ViewNode, Wanted, is_weak, local_name

LARGE = 300
"""Above this many drawn nodes the layout is fixed (computed in Python) and physics is off."""
NODE_BUDGET = 2_000
"""At most this many entities are drawn in ``graph.html``: the most connected ones."""
EMBED_NODES = 20_000
EMBED_EDGES = 60_000
"""At most this many nodes and links go into the page in all (drawn, and left out to expand into)."""
DETAIL_BUDGET = 2_500
"""At most this many nodes carry their full details (aliases, facts, measures, sentences, articles)."""
EXPAND_LIMIT = 200
"""A double-click adds at most this many neighbours at a time, the most connected first."""
MIN_COMMUNITY = 3
"""A community is coloured when it has at least this many drawn members."""

CLASS_STYLE: dict[str, tuple[str, str]] = {
    "Organization": ("#4e79a7", "dot"),
    "Platform": ("#59a14f", "diamond"),
    "Event": ("#e15759", "star"),
    "Initiative": ("#f28e2b", "triangle"),
    "Award": ("#edc948", "hexagon"),
    "Person": ("#b07aa1", "square"),
    "Place": ("#76b7b2", "triangleDown"),
    "Publication": ("#9c755f", "document"),  # a custom shape drawn by view.js
}
"""Colour and shape of each class, in legend order: one shape per class."""
OTHER_STYLE = ("#bab0ac", "ellipse")
COMMUNITY_COLOURS: tuple[str, ...] = (
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#e15759",
    "#b07aa1",
    "#76b7b2",
    "#edc948",
    "#ff9da7",
    "#9c755f",
    "#17becf",
    "#bcbd22",
    "#8c6d31",
)
"""Colours of the largest communities; the others are grey."""

_TEMPLATE_SLOT = re.compile(r"@@([A-Z_]+)@@")
_SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def script_json(value: Any) -> str:
    """JSON for a ``<script>`` element: sorted keys, and no ``<``, ``>``, ``&``, U+2028/2029 left raw."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return re.sub("[<>&\u2028\u2029]", lambda m: _SCRIPT_UNSAFE[m.group(0)], text)


def _options(large: bool) -> dict[str, Any]:
    options: dict[str, Any] = {
        "layout": {"randomSeed": 7, "improvedLayout": False},
        "interaction": {
            "hover": True,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": large,
            "hideEdgesOnZoom": large,
            "zoomSpeed": 0.6,
        },
        "nodes": {
            "font": {"size": 14, "face": "sans-serif"},
            "borderWidth": 1,
            "scaling": {"label": {"drawThreshold": 8, "maxVisible": 28}},
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "font": {"size": 10, "align": "middle", "color": "#555", "strokeWidth": 3},
            "color": {"color": "#9aa", "highlight": "#333", "inherit": False},
            "smooth": False if large else {"type": "continuous"},
            "scaling": {"label": {"drawThreshold": 8}},
        },
    }
    if large:
        options["physics"] = {"enabled": False}
        # canvas text is the costly part of a frame: when zoomed out, only the big labels (hubs) are drawn
        options["nodes"]["scaling"]["label"]["drawThreshold"] = 12
        options["edges"]["scaling"]["label"]["drawThreshold"] = 12
    else:
        options["physics"] = {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -70, "springLength": 110, "avoidOverlap": 0.4},
            "stabilization": {"enabled": True, "iterations": 200, "fit": True},
        }
    return options


def _vis_asset(name: str) -> str:
    """vis-network's script or style as shipped in pyvis, less its source-map comment
    (a file the page lacks)."""
    text = (Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2" / name).read_text(
        encoding="utf-8"
    )
    return re.sub(r"\n?//# sourceMappingURL=\S*\s*$", "\n", text)


def _asset(name: str) -> str:
    return resources.files("castkg.view").joinpath("static", name).read_text(encoding="utf-8")


def _base(ids: list[str]) -> str:
    """The longest common prefix of ``ids`` that ends with ``/``, ``#`` or ``:``."""
    if not ids:
        return ""
    prefix = min(ids)[: len(_common(min(ids), max(ids)))]
    cut = max(prefix.rfind(c) for c in "/#:")
    return prefix[: cut + 1]


def _common(a: str, b: str) -> str:
    size = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        size += 1
    return a[:size]


def _embedded(view: View) -> tuple[list[ViewNode], list[ViewEdge], int]:
    """The spare nodes and edges that go into the page (neighbours of drawn nodes first, then the
    most connected), and how many spare nodes do not."""
    drawn = {n.id for n in view.nodes}
    near = {e.target for e in view.spare_edges if e.source in drawn}
    near |= {e.source for e in view.spare_edges if e.target in drawn}
    room = max(EMBED_NODES - len(view.nodes), 0)
    chosen = sorted(view.spare, key=lambda n: (n.id not in near, -n.degree, n.id))[:room]
    ids = drawn | {n.id for n in chosen}
    edges = [e for e in view.spare_edges if e.source in ids and e.target in ids]
    room = max(EMBED_EDGES - len(view.edges), 0)
    if len(edges) > room:
        keep = set(sorted(range(len(edges)), key=lambda i: (not _touches(edges[i], drawn), i))[:room])
        edges = [e for i, e in enumerate(edges) if i in keep]
    spare = sorted(chosen, key=lambda n: n.id)
    return spare, edges, len(view.spare) - len(spare) + view.unembedded


def embedded_only(view: View) -> View:
    """``view`` with only the spare entities and links that its page embeds: the same page, and the
    rest of the graph's network let go."""
    spare, spare_edges, left = _embedded(view)
    return replace(view, spare=tuple(spare), spare_edges=tuple(spare_edges), unembedded=left)


def shown(view: View) -> Wanted:
    """The nodes and links of ``view`` that its page shows (drawn, or embedded to expand into):
    those whose details it may need."""
    spare, spare_edges, _ = _embedded(view)
    nodes = frozenset(n.id for n in (*view.nodes, *spare))
    links = frozenset((e.source, e.property, e.target, e.label) for e in (*view.edges, *spare_edges))
    return Wanted(nodes, links)


def _touches(edge: ViewEdge, ids: set[str]) -> bool:
    return edge.source in ids or edge.target in ids


class _Table:
    """Distinct values numbered in sorted order, for compact references."""

    def __init__(self, values: set[Any]) -> None:
        self.values = sorted(values)
        self.index = {value: i for i, value in enumerate(self.values)}

    def refs(self, values: Any) -> list[int]:
        return sorted(self.index[v] for v in values)


def page_data(view: View) -> dict[str, Any]:
    """The JSON the page is built from: compact tables of the drawn and embedded nodes and links."""
    spare, spare_edges, not_embedded = _embedded(view)
    nodes = [*view.nodes, *spare]
    edges = [*view.edges, *spare_edges]
    order = {node.id: i for i, node in enumerate(nodes)}
    drawn = len(view.nodes)
    large = drawn > LARGE
    base = _base(sorted(order))

    classes = [name for name in CLASS_STYLE if any(n.cls == name for n in nodes)]
    classes += sorted({n.cls for n in nodes} - set(classes))
    class_index = {name: i for i, name in enumerate(classes)}
    drawn_counts = Counter(n.cls for n in view.nodes)

    properties = {iri: (zh, en) for iri, zh, en in view.properties}
    relations = sorted({e.property for e in edges}, key=lambda p: _rank(view, p))
    fact_props = sorted({p for n in nodes for p, _ in n.facts}, key=lambda p: _rank(view, p))
    props = [*relations, *(p for p in fact_props if p not in relations)]
    prop_index = {p: i for i, p in enumerate(props)}

    groups = _communities(view.nodes, spare)
    detailed = _detailed(view.nodes, spare)
    said = {s for n in nodes if n.id in detailed for s in n.evidence}
    said |= {s for n in nodes if n.id in detailed for m in n.measures for s in m.evidence}
    sentences = _Table(said | {s for e in edges for s in e.evidence})
    article_rows = {a.iri: (a.title, a.date, a.file) for n in nodes if n.id in detailed for a in n.articles}
    article_rows |= {a.iri: (a.title, a.date, a.file) for a in view.articles}
    articles = _Table(
        {a for e in edges for a in e.articles if a in article_rows}
        | {a.iri for n in nodes if n.id in detailed for a in n.articles}
    )

    positions = (
        radial_layout(
            (n.id for n in view.nodes),
            ((e.source, e.target) for e in view.edges),
            {n.id: n.community for n in view.nodes},
        )
        if view.nodes
        else {}
    )
    data: dict[str, Any] = {
        "title": view.title,
        "base": base,
        "classes": [
            {
                "name": name,
                "color": CLASS_STYLE.get(name, OTHER_STYLE)[0],
                "shape": CLASS_STYLE.get(name, OTHER_STYLE)[1],
                "count": drawn_counts[name],
            }
            for name in classes
        ],
        "props": [[p, *properties.get(p, (local_name(p), local_name(p)))] for p in props],
        "relations": [
            {"prop": prop_index[p], "weak": is_weak(p), "post": p == POST, "name": local_name(p)}
            for p in relations
        ],
        "nodes": [
            [
                n.id[len(base) :],
                n.label,
                class_index[n.cls],
                n.degree,
                groups.get(n.community, -1),
                n.label_en,
                n.start,
                n.end,
                _reported(n) if n.cls == "Event" and not (n.start or n.end) else "",
            ]
            for n in nodes
        ],
        "drawn": drawn,
        "positions": [list(positions[n.id]) for n in view.nodes],
        "edges": [
            [
                order[e.source],
                relations.index(e.property),
                order[e.target],
                e.label if e.property == POST else "",
                e.start,
                e.end,
                sentences.refs(e.evidence),
                articles.refs(a for a in e.articles if a in articles.index),
            ]
            for e in edges
        ],
        "details": [_details(n, prop_index, sentences, articles) if n.id in detailed else 0 for n in nodes],
        "sentences": sentences.values,
        "articles": [list(article_rows[a]) for a in articles.values],
        "communities": [
            {"color": COMMUNITY_COLOURS[i], "centre": order[centre], "size": size}
            for i, (centre, size) in enumerate(_community_rows(nodes, groups))
        ],
        "focus": order.get(view.focus, -1),
        "walled": [order[h] for h in view.walled if h in order],
        "omitted": view.omitted,
        "total": drawn + view.omitted,
        "maxNodes": view.max_nodes or 0,
        "notEmbedded": not_embedded,
        "detailsLeftOut": len(nodes) - len(detailed),
        "expandLimit": EXPAND_LIMIT,
        "large": large,
        "options": _options(large),
        "notes": list(view.notes),
    }
    return data


def _rank(view: View, prop: str) -> tuple[int, str]:
    known = [iri for iri, _, _ in view.properties]
    return (known.index(prop) if prop in known else len(known), prop)


def _reported(node: ViewNode) -> str:
    """The earliest date an article named the node on."""
    return min((a.date for a in node.articles if a.date), default="")


def _communities(drawn: tuple[ViewNode, ...], spare: list[ViewNode]) -> dict[int, int]:
    """The model's community numbers that get a colour, mapped to their colour's index: those with
    at least MIN_COMMUNITY members in the page, the most drawn first (then the largest), so that
    nodes a double-click adds are coloured too."""
    drawn_sizes = Counter(n.community for n in drawn)
    sizes = drawn_sizes + Counter(n.community for n in spare)
    ranked = sorted(
        (c for c, size in sizes.items() if size >= MIN_COMMUNITY and drawn_sizes[c]),
        key=lambda c: (-drawn_sizes[c], -sizes[c], c),
    )
    return {c: i for i, c in enumerate(ranked[: len(COMMUNITY_COLOURS)])}


def _community_rows(nodes: list[ViewNode], groups: dict[int, int]) -> list[tuple[str, int]]:
    """(most connected member, size in the page) of each coloured community, in colour order."""
    rows: list[tuple[str, int]] = [("", 0)] * len(groups)
    for community, index in groups.items():
        members = [n for n in nodes if n.community == community]
        centre = min(members, key=lambda n: (-n.degree, n.id))
        rows[index] = (centre.id, len(members))
    return rows


def _detailed(drawn: tuple[ViewNode, ...], spare: list[ViewNode]) -> set[str]:
    """The nodes whose details go into the page: every drawn one, then the most connected spare ones."""
    room = max(DETAIL_BUDGET - len(drawn), 0)
    extra = sorted(spare, key=lambda n: (-n.degree, n.id))[:room]
    return {n.id for n in drawn} | {n.id for n in extra}


def _details(node: ViewNode, props: dict[str, int], sentences: _Table, articles: _Table) -> dict[str, Any]:
    return {
        "aliases": list(node.aliases),
        "facts": [[props[p], value] for p, value in node.facts],
        "measures": [[m.text, sentences.refs(m.evidence)] for m in node.measures],
        "evidence": sentences.refs(node.evidence),
        "articles": articles.refs(a.iri for a in node.articles),
    }


def _script_json_pieces(value: Any) -> Iterator[str]:
    """:func:`script_json` of ``value`` in pieces of about a megabyte (the same text joined)."""
    encoder = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    batch: list[str] = []
    size = 0
    for chunk in encoder.iterencode(value):
        batch.append(chunk)
        size += len(chunk)
        if size >= 1 << 20:
            yield re.sub("[<>&\u2028\u2029]", lambda m: _SCRIPT_UNSAFE[m.group(0)], "".join(batch))
            batch, size = [], 0
    yield re.sub("[<>&\u2028\u2029]", lambda m: _SCRIPT_UNSAFE[m.group(0)], "".join(batch))


def write_html(view: View, path: str | Path) -> None:
    """Write the page for ``view`` to ``path`` in UTF-8: the bytes of :func:`render_html`, written
    piece by piece, so that a large page's data is never held whole as one text."""
    slots = _slots(view, data=False)
    template = _asset("graph.html")
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        last = 0
        for match in _TEMPLATE_SLOT.finditer(template):
            out.write(template[last : match.start()])
            if match.group(1) == "DATA":
                for piece in _script_json_pieces(page_data(view)):
                    out.write(piece)
            else:
                out.write(slots[match.group(1)])
            last = match.end()
        out.write(template[last:])


def _slots(view: View, data: bool = True) -> dict[str, str]:
    slots = {
        "TITLE": html.escape(view.title),
        "VIS_CSS": _vis_asset("vis-network.css"),
        "VIS_JS": _vis_asset("vis-network.min.js"),
        "APP_CSS": _asset("view.css"),
        "APP_JS": _asset("view.js"),
    }
    if data:
        slots["DATA"] = script_json(page_data(view))
    return slots


def render_html(view: View) -> str:
    """The page for ``view``: one HTML document with every script, style and datum inlined."""
    slots = _slots(view)
    return _TEMPLATE_SLOT.sub(lambda m: slots[m.group(1)], _asset("graph.html"))
