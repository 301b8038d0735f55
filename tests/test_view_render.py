"""Rendering: one self-contained, deterministic, escaped HTML page around compact tables of the view."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph

from castkg.namespace import CKG
from castkg.view import render as render_module
from castkg.view import render_html, to_view, write_view
from castkg.view.layout import radial_layout
from castkg.view.model import View, ViewArticle, ViewEdge, ViewNode, degrees, edge_key, select
from castkg.view.render import CLASS_STYLE, LARGE, NODE_BUDGET, drawn_links, embedded_only, script_json

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
DATA_BLOCK = re.compile(r'<script type="application/json" id="castkg-data">(.*?)</script>', re.S)
WEAK = CKG.involves
PAYLOADS = (
    "<script>window.__pwned=1</script>学会",
    "</script><script>window.__pwned=1</script>",
    "<img src=x onerror=window.__pwned=1>大会",
)


def page_data(page: str) -> dict:
    blocks = DATA_BLOCK.findall(page)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def node_ids(data: dict) -> list[str]:
    return [data["base"] + row[0] for row in data["nodes"]]


def synthetic(n: int) -> View:
    """A view of ``n`` nodes: a few hubs, chains and isolated nodes."""
    nodes = tuple(
        ViewNode(
            id=f"urn:n:{i:05d}",
            label=f"节点{i}",
            cls=("Organization", "Event", "Person")[i % 3],
            degree=1 + (i % 7 == 0) * 5,
        )
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


@pytest.fixture(scope="module")
def explore() -> View:
    return to_view(Graph().parse(FIXTURES / "view_explore.ttl"))


def test_page_is_self_contained(mini: View) -> None:
    page = render_html(mini)
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert not re.search(r"<script[^>]*\ssrc=", page, re.I) and not re.search(r"<link\b", page, re.I)
    assert not re.search(r"bootstrap|cdnjs|jsdelivr|unpkg", page, re.I)  # none of pyvis's CDN parts
    assert "sourceMappingURL" not in page
    assert "vis.Network" in page  # vis-network is inlined


def test_page_data_holds_the_view_as_tables(mini: View) -> None:
    data = page_data(render_html(mini))
    assert node_ids(data) == [n.id for n in mini.nodes] and data["drawn"] == len(mini.nodes)
    assert data["base"] == "https://w3id.org/castkg/id/"
    assert len(data["edges"]) == len(mini.edges)
    ids = node_ids(data)
    assert {(ids[e[0]], ids[e[2]]) for e in data["edges"]} == {(e.source, e.target) for e in mini.edges}
    relations = [data["props"][r["prop"]][0] for r in data["relations"]]
    assert {relations[e[1]] for e in data["edges"]} == {e.property for e in mini.edges}
    assert [row[1] for row in data["nodes"]] == [n.label for n in mini.nodes]
    assert {data["classes"][row[2]]["name"] for row in data["nodes"]} == {n.cls for n in mini.nodes}
    assert len(data["positions"]) == len(mini.nodes)  # where physics starts from
    assert data["options"]["physics"]["enabled"] is True and data["omitted"] == 0
    event = ids.index("https://w3id.org/castkg/id/event-meeting")
    assert data["nodes"][event][6:8] == ["2021-02-10", "2021-02-12"]
    details = data["details"][event]
    assert [m[0] for m in details["measures"]] == ["超300人参会者"]
    assert "中国科协主办第一届示例年会。" in [data["sentences"][s] for s in details["evidence"]]


def test_every_class_has_its_own_shape_and_posts_their_label(explore: View) -> None:
    assert len({shape for _, shape in CLASS_STYLE.values()}) == len(CLASS_STYLE)
    data = page_data(render_html(explore))
    assert [c["name"] for c in data["classes"]] == list(CLASS_STYLE)  # the fixture has every class
    posts = [e for e in data["edges"] if data["relations"][e[1]]["post"]]
    assert sorted((e[3], e[4], e[5]) for e in posts) == [
        ("主席", "", ""),
        ("理事长", "2019-01-01", "2020-12-31"),
    ]
    weak = {data["props"][r["prop"]][0] for r in data["relations"] if r["weak"]}
    assert weak == {"https://w3id.org/castkg/ontology#involves"}
    undated = [row for row in data["nodes"] if row[1] == "示例总会第11次例会"][0]
    assert undated[6:9] == ["", "", "2022-01-10"]  # an undated event is placed by its report


def test_communities_are_coloured_largest_first(explore: View) -> None:
    data = page_data(render_html(explore))
    by_label = {row[1]: row[4] for row in data["nodes"]}
    assert by_label["示例总会"] != by_label["另一学会"] and by_label["示例总会"] >= 0
    assert [c["size"] for c in data["communities"]] == sorted(
        (c["size"] for c in data["communities"]), reverse=True
    )
    assert by_label["示例贡献奖"] == -1  # a lone entity is in no coloured community
    assert data["nodes"][data["communities"][0]["centre"]][1] == "示例总会"


def test_same_view_gives_byte_identical_file(tmp_path: Path) -> None:
    graph = Graph().parse(FIXTURES / "view_explore.ttl")
    write_view(graph, tmp_path / "a.html")
    write_view(graph, tmp_path / "b.html")
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()
    assert (tmp_path / "a.html").read_bytes().decode("utf-8").count("示例总会") >= 1


def test_another_process_with_another_hash_seed_writes_the_same_bytes(tmp_path: Path) -> None:
    """Communities and layout must not depend on set order (Python salts string hashes per process)."""
    script = (
        "import sys; from rdflib import Graph; from castkg.view import write_view; "
        "write_view(Graph().parse(sys.argv[1]), sys.argv[2], focus='示例平台', depth=2)"
    )
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        target = tmp_path / f"{seed}.html"
        subprocess.run(
            [sys.executable, "-c", script, str(FIXTURES / "view_explore.ttl"), str(target)],
            check=True,
            env=env,
        )
    assert (tmp_path / "1.html").read_bytes() == (tmp_path / "2.html").read_bytes()


def test_script_json_cannot_close_the_script_element() -> None:
    text = script_json({"a": "</script><!--\u2028\u2029&'"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == {"a": "</script><!--\u2028\u2029&'"}


def test_hostile_labels_are_data_never_markup() -> None:
    graph = Graph().parse(FIXTURES / "view_hostile.ttl")
    page = render_html(to_view(graph))
    for payload in PAYLOADS:
        assert payload not in page
    assert "onerror=window" not in page.replace("onerror=window.__pwned", "")  # only inside escaped JSON
    assert page.count("</script>") == 3  # the data, vis-network and the page's script: nothing closed early
    data = page_data(page)
    labels = {row[1] for row in data["nodes"]}
    assert {PAYLOADS[0], PAYLOADS[2]} <= labels  # the text itself survives, to be shown as text
    org = next(d for row, d in zip(data["nodes"], data["details"], strict=True) if row[1] == PAYLOADS[0])
    assert PAYLOADS[1] in org["aliases"]
    assert "<title>" not in page.split("</title>")[0].split("<title>")[1]


def test_large_view_has_fixed_positions_and_no_physics() -> None:
    view = synthetic(LARGE + 50)
    data = page_data(render_html(view))
    assert data["options"]["physics"]["enabled"] is False and data["large"] is True
    assert all(isinstance(x, int) and isinstance(y, int) for x, y in data["positions"])
    assert len({tuple(p) for p in data["positions"]}) == len(data["nodes"])  # no two nodes on one spot
    small = page_data(render_html(synthetic(LARGE)))
    assert small["options"]["physics"]["enabled"] is True and small["large"] is False


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


def test_layout_by_groups_keeps_each_group_together() -> None:
    nodes = [f"n{i:02d}" for i in range(40)]
    edges = [(f"n{i:02d}", f"n{(i + 1) % 40:02d}") for i in range(40)]  # one ring: one component
    groups = {n: int(n[1:]) // 20 for n in nodes}
    placed = radial_layout(nodes, edges, groups)

    def centre(group: int) -> tuple[float, float]:
        members = [placed[n] for n in nodes if groups[n] == group]
        return sum(x for x, _ in members) / 20, sum(y for _, y in members) / 20

    def spread(group: int) -> float:
        cx, cy = centre(group)
        return max(
            ((x - cx) ** 2 + (y - cy) ** 2) ** 0.5 for n, (x, y) in placed.items() if groups[n] == group
        )

    (ax, ay), (bx, by) = centre(0), centre(1)
    assert ((ax - bx) ** 2 + (ay - by) ** 2) ** 0.5 > max(spread(0), spread(1))


def test_max_nodes_page_says_how_many_were_left_out_and_embeds_them() -> None:
    view = select(synthetic(500), max_nodes=100)
    data = page_data(render_html(view))
    assert data["drawn"] == 100 and data["omitted"] == 400 and data["total"] == 500
    assert data["maxNodes"] == 100 and data["notEmbedded"] == 0
    assert len(data["nodes"]) == 500  # the 400 left out are there to expand into
    drawn = set(range(100))
    assert any((e[0] in drawn) != (e[2] in drawn) for e in data["edges"])  # links out of the drawing


def test_the_embedded_part_has_a_budget(monkeypatch) -> None:
    monkeypatch.setattr(render_module, "EMBED_NODES", 150)
    monkeypatch.setattr(render_module, "DETAIL_BUDGET", 120)
    view = select(synthetic(500), max_nodes=100)
    data = page_data(render_html(view))
    assert len(data["nodes"]) == 150 and data["notEmbedded"] == 350
    assert sum(1 for d in data["details"] if d) == 120 and data["detailsLeftOut"] == 30
    touching = {e[0] for e in data["edges"] if e[2] < 100} | {e[2] for e in data["edges"] if e[0] < 100}
    assert set(range(100, 150)) <= touching  # neighbours of the drawing are embedded first


def test_a_view_over_the_node_budget_draws_the_most_connected() -> None:
    view = select(synthetic(NODE_BUDGET + 100), max_nodes=NODE_BUDGET)
    data = page_data(render_html(view))
    assert data["drawn"] == NODE_BUDGET and data["omitted"] == 100 and data["large"] is True
    degrees = sorted((row[3] for row in data["nodes"][: data["drawn"]]), reverse=True)
    assert degrees[0] == 6  # the most connected are drawn first


# --- the page's budgets past the node budget: links, sentences, articles ------------------


BUDGETS = (
    "NODE_BUDGET",
    "LINK_BUDGET",
    "EMBED_NODES",
    "EMBED_EDGES",
    "DETAIL_BUDGET",
    "SENTENCE_BUDGET",
    "ARTICLE_BUDGET",
)


def dense(events: int = 55, hubs: int = 5) -> View:
    """``hubs`` bodies and ``events`` events: each event organised by a hub (strong) and involving
    the next event (weak); every link and entity with several sentences and articles."""

    def said(name: str, count: int) -> tuple[str, ...]:
        return tuple(sorted(f"{name}的第{k}句说明。" for k in range(count)))

    def cited(name: str, count: int) -> tuple[ViewArticle, ...]:
        return tuple(
            ViewArticle(f"urn:a:{name}-{k:02d}", f"{name}报道{k}", f"2021-02-{k + 1:02d}")
            for k in range(count)
        )

    ids = [f"urn:n:h{i:02d}" for i in range(hubs)] + [f"urn:n:e{i:03d}" for i in range(events)]
    edges = [
        ViewEdge(
            ids[hubs + i],
            ids[i % hubs],
            "urn:p:organizer",
            "主办",
            evidence=said(f"主办{i}", 3),
            articles=tuple(f"urn:a:link-{i}-{k}" for k in range(3)),
        )
        for i in range(events)
    ]
    edges += [
        ViewEdge(ids[hubs + i], ids[hubs + i + 1], str(WEAK), "涉及", weak=True, evidence=said(f"涉及{i}", 3))
        for i in range(events - 1)
    ]
    edges.sort(key=edge_key)
    degree = degrees(edges)
    nodes = tuple(
        ViewNode(
            id=i,
            label=f"实体{i[-3:]}",
            cls="Organization" if "h" in i else "Event",
            degree=degree[i],
            evidence=said(f"实体{i}", 8),
            articles=cited(i, 30),
        )
        for i in ids
    )
    articles = tuple(ViewArticle(a, a) for e in edges for a in e.articles)
    return View(nodes, tuple(edges), articles=tuple(sorted(set(articles), key=lambda a: a.iri)))


def test_past_the_link_budget_each_drawn_entity_keeps_its_strongest_link(monkeypatch) -> None:
    monkeypatch.setattr(render_module, "LINK_BUDGET", 70)
    view = dense()
    data = page_data(render_html(view))
    assert len(data["edges"]) == 70 and data["cut"]["links"] == len(view.edges) - 70
    assert data["cut"]["linkBudget"] == 70
    linked = {e[0] for e in data["edges"]} | {e[2] for e in data["edges"]}
    assert linked == set(range(len(data["nodes"])))  # none left without a link
    weak = [e for e in data["edges"] if data["relations"][e[1]]["weak"]]
    assert len(weak) == 70 - 55  # every strong link first, then the weak ones
    assert embedded_only(view).edges == tuple(drawn_links(view)[0])
    assert page_data(render_html(embedded_only(view))) == data  # cutting again changes nothing


def test_past_the_sentence_budget_each_link_keeps_what_its_row_shows_and_the_rest_is_counted(
    monkeypatch,
) -> None:
    monkeypatch.setattr(render_module, "SENTENCE_BUDGET", 1_500)
    view = dense()
    data = page_data(render_html(view))
    every = {s for e in view.edges for s in e.evidence} | {s for n in view.nodes for s in n.evidence}
    assert sum(map(len, data["sentences"])) <= 1_500
    assert data["cut"]["sentences"] == len(every) - len(data["sentences"])
    for row, edge in zip(data["edges"], view.edges, strict=True):
        assert len(row[6]) <= render_module.LINK_SENTENCES
        assert len(row[6]) + (row[8] if len(row) > 8 else 0) == len(edge.evidence)  # the rest counted
    assert data["edges"][0][6] and data["edges"][0][8] == 1  # the first links are served first
    for details, node in zip(data["details"], view.nodes, strict=True):
        assert len(details["evidence"]) + details.get("more", 0) == len(node.evidence)
    assert "links" not in data["cut"] and "articles" not in data["cut"]


def test_past_the_article_budget_each_link_keeps_the_one_its_row_shows(monkeypatch) -> None:
    monkeypatch.setattr(render_module, "ARTICLE_BUDGET", 100)
    view = dense()
    data = page_data(render_html(view))
    strong = [row for row in data["edges"] if not data["relations"][row[1]]["weak"]]
    assert all(len(row[7]) == 1 for row in strong)
    assert [data["articles"][row[7][0]][0] for row in strong] == [
        min(e.articles) for e in view.edges if e.articles
    ]
    kept = sum(len(row[7]) for row in data["edges"]) + sum(len(d["articles"]) for d in data["details"])
    assert data["cut"]["articles"] == 55 * 3 + 60 * 30 - kept
    first = data["details"][0]
    assert len(first["articles"]) == render_module.NODE_ARTICLES and first["moreArticles"] == 10
    assert data["articles"][first["articles"][0]][1] == "2021-02-01"  # the earliest


@pytest.mark.parametrize("name", ["view_mini.ttl", "view_explore.ttl", "view_hostile.ttl", "synthetic"])
def test_under_the_budgets_the_page_is_the_page_without_them(name: str, monkeypatch) -> None:
    if name == "synthetic":  # over the node budget, under the others
        view = select(synthetic(NODE_BUDGET + 500), max_nodes=NODE_BUDGET)
    else:
        view = select(to_view(Graph().parse(FIXTURES / name)), max_nodes=3)
    page = render_html(view)
    assert "cut" not in page_data(page)
    for budget in BUDGETS[1:]:
        monkeypatch.setattr(render_module, budget, 10**9)
    assert render_html(view) == page
