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
from typing import Any, NamedTuple

import pyvis

from castkg.view.details import PageBudget
from castkg.view.layout import radial_layout
from castkg.view.model import POST, View, ViewEdge, ViewNode, Wanted, is_weak, local_name

LARGE = 300
"""Above this many drawn nodes the layout is fixed (computed in Python) and physics is off."""
NODE_BUDGET = 2_000
"""At most this many entities are drawn in ``graph.html``: the most connected ones."""
LINK_BUDGET = 6_000
"""At most this many links are drawn among the drawn entities: each entity's strongest link first,
so that none is left without one, then the strongest overall (:func:`drawn_links`)."""
EMBED_NODES = 20_000
EMBED_EDGES = 20_000
"""At most this many nodes and links go into the page in all (drawn, and left out to expand into)."""
DETAIL_BUDGET = 2_500
"""At most this many nodes carry their full details (aliases, facts, measures, sentences, articles)."""
SENTENCE_BUDGET = 400_000
"""At most this many characters of evidence sentences go into the page. Past it, each link keeps
LINK_SENTENCES (what its row shows), each node NODE_SENTENCES of its own and one per measure, first
for what is drawn, while the budget lasts (:func:`_said`); the rest is counted."""
LINK_SENTENCES = 2
NODE_SENTENCES = 5
ARTICLE_BUDGET = 30_000
"""At most this many references to articles go into the page. Past it, each link keeps the one its
row shows, each node its NODE_ARTICLES earliest; the rest is counted."""
NODE_ARTICLES = 20
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


def page_budget() -> PageBudget:
    """The budgets a page cuts its sentences and articles to, as they are now."""
    return PageBudget(SENTENCE_BUDGET, LINK_SENTENCES, NODE_SENTENCES, ARTICLE_BUDGET, NODE_ARTICLES)


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


class _Page(NamedTuple):
    """What of a view its page holds: the drawn links kept, the spare nodes and links embedded to
    expand into, how many spare nodes are not embedded and how many drawn links are left out."""

    edges: list[ViewEdge]
    spare: list[ViewNode]
    spare_edges: list[ViewEdge]
    not_embedded: int
    links_left_out: int


def _strength(edge: ViewEdge, degree: dict[str, int]) -> tuple[bool, int, int]:
    """The order of links for the link budget, strongest first: a strong link before a weak one
    (weak links are hidden at first), then links between more connected entities first (by the
    smaller of the two ends' link counts, then the larger)."""
    a, b = degree.get(edge.source, 0), degree.get(edge.target, 0)
    return edge.weak, -min(a, b), -max(a, b)


def drawn_links(view: View) -> tuple[list[ViewEdge], int]:
    """The links among ``view``'s drawn entities that its page draws, in the view's order, and how
    many it leaves out: all of them within LINK_BUDGET; past it, each drawn entity's strongest link
    first (so that none that has links is left without one), then the strongest overall."""
    edges = view.edges
    if len(edges) <= LINK_BUDGET:
        return list(edges), 0
    degree = {n.id: n.degree for n in view.nodes}
    order = sorted(range(len(edges)), key=lambda i: (*_strength(edges[i], degree), i))
    best: dict[str, int] = {}  # each entity's strongest link
    for i in order:
        best.setdefault(edges[i].source, i)
        best.setdefault(edges[i].target, i)
    firsts = set(best.values())
    keep = set([i for i in order if i in firsts][:LINK_BUDGET])  # all, unless too many entities
    for i in order:
        if len(keep) >= LINK_BUDGET:
            break
        keep.add(i)
    return [e for i, e in enumerate(edges) if i in keep], len(edges) - len(keep)


def _embedded(view: View) -> _Page:
    """The drawn links within the link budget, the spare nodes and edges that go into the page
    (neighbours of drawn nodes first, then the most connected), and what does not."""
    drawn_edges, links_left_out = drawn_links(view)
    drawn = {n.id for n in view.nodes}
    near = {e.target for e in view.spare_edges if e.source in drawn}
    near |= {e.source for e in view.spare_edges if e.target in drawn}
    room = max(EMBED_NODES - len(view.nodes), 0)
    chosen = sorted(view.spare, key=lambda n: (n.id not in near, -n.degree, n.id))[:room]
    ids = drawn | {n.id for n in chosen}
    edges = [e for e in view.spare_edges if e.source in ids and e.target in ids]
    room = max(EMBED_EDGES - len(drawn_edges), 0)
    if len(edges) > room:
        keep = set(sorted(range(len(edges)), key=lambda i: (not _touches(edges[i], drawn), i))[:room])
        edges = [e for i, e in enumerate(edges) if i in keep]
    spare = sorted(chosen, key=lambda n: n.id)
    left = len(view.spare) - len(spare) + view.unembedded
    return _Page(drawn_edges, spare, edges, left, links_left_out + view.links_left_out)


def embedded_only(view: View) -> View:
    """``view`` with only the links among its drawn entities that its page draws, and the spare
    entities and links that its page embeds: the same page, and the rest of the graph's network
    let go."""
    page = _embedded(view)
    return replace(
        view,
        edges=tuple(page.edges),
        spare=tuple(page.spare),
        spare_edges=tuple(page.spare_edges),
        unembedded=page.not_embedded,
        links_left_out=page.links_left_out,
    )


def shown(view: View) -> Wanted:
    """The nodes and links of ``view`` that its page shows (drawn, or embedded to expand into):
    those whose details it may need."""
    page = _embedded(view)
    nodes = frozenset(n.id for n in (*view.nodes, *page.spare))
    links = frozenset((e.source, e.property, e.target, e.label) for e in (*page.edges, *page.spare_edges))
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
    page = _embedded(view)
    spare, spare_edges, not_embedded = page.spare, page.spare_edges, page.not_embedded
    nodes = [*view.nodes, *spare]
    edges = [*page.edges, *spare_edges]
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
    said = _said(nodes, edges, drawn, len(page.edges), detailed, view.sentences_left)
    sentences = _Table(said.kept)
    article_rows = {a.iri: (a.title, a.date, a.file) for n in nodes if n.id in detailed for a in n.articles}
    article_rows |= {a.iri: (a.title, a.date, a.file) for a in view.articles}
    cited = _cited(nodes, edges, detailed, article_rows)
    articles = _Table(
        {a for found in cited.links for a in found} | {a for found in cited.own.values() for a in found}
    )

    positions = (
        radial_layout(
            (n.id for n in view.nodes),
            ((e.source, e.target) for e in page.edges),
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
                sentences.refs(kept),
                articles.refs(found),
                *([_sentences(e) - len(kept)] if len(kept) < _sentences(e) else []),
            ]
            for e, kept, found in zip(edges, said.links, cited.links, strict=True)
        ],
        "details": [
            _details(n, prop_index, sentences, articles, said, cited) if n.id in detailed else 0
            for n in nodes
        ],
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
    cut = {
        "links": page.links_left_out,
        "linkBudget": LINK_BUDGET if page.links_left_out else 0,
        "sentences": said.left,
        "articles": cited.left,
    }
    if any(cut.values()):  # only a page past a budget has it: the others stay as they were
        data["cut"] = {key: value for key, value in cut.items() if value}
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


class _Said(NamedTuple):
    """The evidence sentences a page holds: each link's, each detailed node's own and each of its
    measures', and how many distinct sentences it leaves out."""

    links: list[tuple[str, ...]]
    own: dict[str, tuple[str, ...]]
    measured: dict[str, list[tuple[str, ...]]]
    kept: set[str]
    left: int


def _sentences(item: ViewNode | ViewEdge) -> int:
    """How many sentences a node or link has (its list may be cut already: :class:`ViewNode`)."""
    return len(item.evidence) + item.evidence_left


def _said(
    nodes: list[ViewNode],
    edges: list[ViewEdge],
    drawn: int,
    drawn_edges: int,
    detailed: set[str],
    left: int = 0,
) -> _Said:
    """Every sentence of the page's links and detailed nodes when they fit SENTENCE_BUDGET
    characters; else, while the budget lasts, the first LINK_SENTENCES of each link and the first
    NODE_SENTENCES of each node's own (and one of each measure), taken in the order: drawn links,
    drawn nodes, links to expand into, nodes to expand into (each in the page's order). ``left``
    distinct sentences are left out of the lists already (:attr:`View.sentences_left`: then they
    do not fit)."""
    links = [e.evidence for e in edges]
    own = {n.id: n.evidence for n in nodes if n.id in detailed}
    measured = {n.id: [m.evidence for m in n.measures] for n in nodes if n.id in detailed}
    every = {s for found in links for s in found} | {s for found in own.values() for s in found}
    every |= {s for found in measured.values() for each in found for s in each}
    if not left and sum(map(len, every)) <= SENTENCE_BUDGET:
        return _Said(links, own, measured, every, 0)
    kept: set[str] = set()
    size = 0

    def take(found: tuple[str, ...], cap: int) -> tuple[str, ...]:
        nonlocal size
        out = []
        for sentence in found[:cap]:
            if sentence not in kept:
                if size + len(sentence) > SENTENCE_BUDGET:
                    continue
                kept.add(sentence)
                size += len(sentence)
            out.append(sentence)
        return tuple(out)

    kept_links: list[tuple[str, ...]] = [()] * len(edges)
    kept_own: dict[str, tuple[str, ...]] = {}
    kept_measured: dict[str, list[tuple[str, ...]]] = {}

    def take_links(indices: range) -> None:
        for i in indices:
            kept_links[i] = take(links[i], LINK_SENTENCES)

    def take_nodes(part: list[ViewNode]) -> None:
        for node in part:
            if node.id in own:
                kept_own[node.id] = take(own[node.id], NODE_SENTENCES)
                kept_measured[node.id] = [take(each, 1) for each in measured[node.id]]

    take_links(range(drawn_edges))
    take_nodes(nodes[:drawn])
    take_links(range(drawn_edges, len(edges)))
    take_nodes(nodes[drawn:])
    return _Said(kept_links, kept_own, kept_measured, kept, len(every) + left - len(kept))


class _Cited(NamedTuple):
    """The articles a page cites: each link's and each detailed node's (IRIs), and how many
    references to articles it leaves out."""

    links: list[tuple[str, ...]]
    own: dict[str, tuple[str, ...]]
    left: int


def _cited(nodes: list[ViewNode], edges: list[ViewEdge], detailed: set[str], known: dict[str, Any]) -> _Cited:
    """Every article of the page's links (those it knows) and detailed nodes when the references
    fit ARTICLE_BUDGET; else the one each link's row shows (the first) and each node's
    NODE_ARTICLES earliest (counting those left out of the lists already: :class:`ViewNode`)."""
    links = [tuple(sorted(a for a in e.articles if a in known)) for e in edges]
    own = {n.id: tuple(a.iri for a in n.articles) for n in nodes if n.id in detailed}
    total = sum(map(len, links)) + sum(map(len, own.values()))
    total += sum(e.articles_left for e in edges) + sum(n.articles_left for n in nodes if n.id in detailed)
    if total <= ARTICLE_BUDGET:
        return _Cited(links, own, 0)
    links = [found[:1] for found in links]
    own = {node: found[:NODE_ARTICLES] for node, found in own.items()}
    return _Cited(links, own, total - sum(map(len, links)) - sum(map(len, own.values())))


def _details(
    node: ViewNode,
    props: dict[str, int],
    sentences: _Table,
    articles: _Table,
    said: _Said,
    cited: _Cited,
) -> dict[str, Any]:
    own, measured = said.own[node.id], said.measured[node.id]
    details = {
        "aliases": list(node.aliases),
        "facts": [[props[p], value] for p, value in node.facts],
        "measures": [
            [
                m.text,
                sentences.refs(kept),
                *([len(m.evidence) - len(kept)] if len(kept) < len(m.evidence) else []),
            ]
            for m, kept in zip(node.measures, measured, strict=True)
        ],
        "evidence": sentences.refs(own),
        "articles": articles.refs(cited.own[node.id]),
    }
    if len(own) < _sentences(node):  # sentences left out by the page's budget, counted
        details["more"] = _sentences(node) - len(own)
    every_article = len(node.articles) + node.articles_left
    if len(cited.own[node.id]) < every_article:
        details["moreArticles"] = every_article - len(cited.own[node.id])
    return details


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
