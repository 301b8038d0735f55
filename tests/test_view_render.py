"""Rendering: one self-contained, deterministic, escaped HTML page made with pyvis's data."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from rdflib import Graph

from castkg.view import render_html, to_view, write_view
from castkg.view.layout import radial_layout
from castkg.view.model import View, ViewEdge, ViewNode, select
from castkg.view.render import LARGE, script_json

FIXTURES = Path(__file__).resolve().parent / "fixtures"
DATA_BLOCK = re.compile(r'<script type="application/json" id="castkg-data">(.*?)</script>', re.S)
PAYLOADS = (
    "<script>window.__pwned=1</script>学会",
    "</script><script>window.__pwned=1</script>",
    "<img src=x onerror=window.__pwned=1>大会",
)


def page_data(page: str) -> dict:
    blocks = DATA_BLOCK.findall(page)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def synthetic(n: int) -> View:
    """A view of ``n`` nodes: a few hubs, chains and isolated nodes."""
    nodes = tuple(
        ViewNode(id=f"urn:n:{i:05d}", label=f"节点{i}", cls=("Organization", "Event", "Person")[i % 3])
        for i in range(n)
    )
    edges = tuple(
        ViewEdge(
            f"urn:n:{i:05d}", f"urn:n:{(i // 7) * 7:05d}" if i % 7 else f"urn:n:{i - 7:05d}", "urn:p", "p"
        )
        for i in range(7, n)
        if i % 11
    )
    return View(nodes, edges)


@pytest.fixture(scope="module")
def mini() -> View:
    return to_view(Graph().parse(FIXTURES / "view_mini.ttl"))


def test_page_is_self_contained(mini: View) -> None:
    page = render_html(mini)
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert not re.search(r"<script[^>]*\ssrc=", page, re.I) and not re.search(r"<link\b", page, re.I)
    assert not re.search(r"bootstrap|cdnjs|jsdelivr|unpkg", page, re.I)  # none of pyvis's CDN parts
    assert "sourceMappingURL" not in page
    assert "vis.Network" in page  # vis-network is inlined


def test_page_data_is_pyvis_data_of_the_view(mini: View) -> None:
    data = page_data(render_html(mini))
    assert [n["id"] for n in data["nodes"]] == [n.id for n in mini.nodes]
    assert len(data["edges"]) == len(mini.edges)
    assert {(e["from"], e["to"]) for e in data["edges"]} == {(e.source, e.target) for e in mini.edges}
    assert all(e["arrows"] == "to" and e["label"] for e in data["edges"])
    assert not any("title" in n for n in data["nodes"])  # tooltips are built as DOM in the page
    sizes = {n["label"]: n["size"] for n in data["nodes"]}
    assert sizes["中国科协"] > sizes["示例创新奖"]  # size by degree
    assert {c["name"] for c in data["classes"]} == {n.cls for n in mini.nodes}
    assert len({(n["color"], n["shape"]) for n in data["nodes"]}) == len(data["classes"])
    assert data["options"]["physics"]["enabled"] is True and data["omitted"] == 0


def test_same_view_gives_byte_identical_file(mini: View, tmp_path: Path) -> None:
    graph = Graph().parse(FIXTURES / "view_mini.ttl")
    write_view(graph, tmp_path / "a.html")
    write_view(graph, tmp_path / "b.html")
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()
    assert (tmp_path / "a.html").read_bytes().decode("utf-8").count("中国科协") >= 1


def test_script_json_cannot_close_the_script_element() -> None:
    text = script_json({"a": "</script><!--\u2028\u2029&'"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == {"a": "</script><!--\u2028\u2029&'"}


def test_hostile_labels_are_data_never_markup(tmp_path: Path) -> None:
    graph = Graph().parse(FIXTURES / "view_hostile.ttl")
    page = render_html(to_view(graph))
    for payload in PAYLOADS:
        assert payload not in page
    assert "onerror=window" not in page.replace("onerror=window.__pwned", "")  # only inside escaped JSON
    assert page.count("</script>") == 3  # the data, vis-network and the page's script: nothing closed early
    data = page_data(page)
    labels = {n["label"] for n in data["nodes"]}
    assert {PAYLOADS[0], PAYLOADS[2]} <= labels  # the text itself survives, to be shown as text
    org = next(d for d in data["details"].values() if d["class"] == "Organization")
    assert PAYLOADS[1] in org["aliases"]
    assert "<title>" not in page.split("</title>")[0].split("<title>")[1]


def test_large_view_has_fixed_positions_and_no_physics() -> None:
    view = synthetic(LARGE + 50)
    data = page_data(render_html(view))
    assert data["options"]["physics"]["enabled"] is False
    assert all(isinstance(n["x"], int) and isinstance(n["y"], int) for n in data["nodes"])
    positions = {(n["x"], n["y"]) for n in data["nodes"]}
    assert len(positions) == len(data["nodes"])  # no two nodes on one spot
    small = page_data(render_html(synthetic(LARGE)))
    assert "x" not in small["nodes"][0] and small["options"]["physics"]["enabled"] is True


def test_layout_is_deterministic_and_keeps_neighbours_closer_than_average() -> None:
    view = synthetic(1000)
    edges = [(e.source, e.target) for e in view.edges]
    first = radial_layout((n.id for n in view.nodes), edges)
    assert first == radial_layout(reversed([n.id for n in view.nodes]), list(reversed(edges)))

    def dist(a: str, b: str) -> float:
        (ax, ay), (bx, by) = first[a], first[b]
        return ((ax - bx) ** 2 + (ay - by) ** 2) ** 0.5

    ids = sorted(first)
    linked = sum(dist(a, b) for a, b in edges) / len(edges)
    anywhere = sum(dist(ids[i], ids[(i * 37 + 11) % len(ids)]) for i in range(len(ids))) / len(ids)
    assert linked < anywhere / 2


def test_max_nodes_page_says_how_many_were_left_out() -> None:
    view = select(synthetic(500), max_nodes=100)
    data = page_data(render_html(view))
    assert len(data["nodes"]) == 100 and data["omitted"] == 400 and data["total"] == 500
