"""`castkg export`: the entity network for Gephi/Cytoscape (GraphML, GEXF), the graph as JSON-LD/N-Triples."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.compare import isomorphic

from castkg.cli.view import export_command, view_command
from castkg.view import to_view

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "view_mini.ttl"


@pytest.fixture(scope="module")
def graph() -> Graph:
    return Graph().parse(FIXTURE)


def run(command, *args: str):
    result = CliRunner().invoke(command, [*args], catch_exceptions=False)
    return result


@pytest.mark.parametrize("fmt, reader", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_network_formats_keep_nodes_edges_labels_and_classes(
    graph: Graph, tmp_path: Path, fmt, reader
) -> None:
    out = tmp_path / f"g.{fmt}"
    result = run(export_command, str(FIXTURE), "--format", fmt, "-o", str(out))
    assert result.exit_code == 0, result.output
    network = reader(out)
    view = to_view(graph)
    assert network.number_of_nodes() == len(view.nodes)
    assert network.number_of_edges() == len(view.edges)
    cast = network.nodes["https://w3id.org/castkg/id/org-cast"]
    assert cast["label"] == "中国科协" and cast["class"] == "Organization"
    assert "中国科学技术协会" in cast["aliases"]
    labels = {data.get("label") for _, _, data in network.edges(data=True)}
    assert len(labels) == len({e.label for e in view.edges})


@pytest.mark.parametrize("fmt, rdf_format", [("jsonld", "json-ld"), ("nt", "nt")])
def test_rdf_formats_hold_the_whole_graph(graph: Graph, tmp_path: Path, fmt: str, rdf_format: str) -> None:
    out = tmp_path / f"g.{fmt}"
    assert run(export_command, str(FIXTURE), "--format", fmt, "-o", str(out)).exit_code == 0
    assert isomorphic(Graph().parse(out, format=rdf_format), graph)


def test_nt_export_is_byte_identical_across_runs(tmp_path: Path) -> None:
    for name in ("a.nt", "b.nt"):
        run(export_command, str(FIXTURE), "--format", "nt", "-o", str(tmp_path / name))
    assert (tmp_path / "a.nt").read_bytes() == (tmp_path / "b.nt").read_bytes()


def test_export_focus_narrows_the_network(tmp_path: Path) -> None:
    out = tmp_path / "g.graphml"
    run(export_command, str(FIXTURE), "--format", "graphml", "--focus", "科创中国", "-o", str(out))
    assert {d["label"] for _, d in nx.read_graphml(out).nodes(data=True)} == {"科创中国", "中国科协"}


def test_view_command_options_and_errors(tmp_path: Path) -> None:
    out = tmp_path / "v.html"
    result = run(
        view_command, str(FIXTURE), "--classes", "Organization,Event", "--max-nodes", "2", "-o", str(out)
    )
    assert result.exit_code == 0 and "2 nodes" in result.output and "5 left out" in result.output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    bad = CliRunner().invoke(view_command, [str(FIXTURE), "--focus", "不存在的名字", "-o", str(out)])
    assert bad.exit_code != 0 and "no node is named" in str(bad.exception)


def test_view_command_focus_stops_at_hubs_unless_asked(tmp_path: Path) -> None:
    explore = FIXTURE.parent / "view_explore.ttl"
    out = tmp_path / "v.html"
    near = run(view_command, str(explore), "--focus", "示例平台", "--depth", "2", "-o", str(out))
    assert near.exit_code == 0 and "wrote" in near.output and " 5 nodes" in near.output
    every = run(
        view_command, str(explore), "--focus", "示例平台", "--depth", "2", "--through-hubs", "-o", str(out)
    )
    assert every.exit_code == 0 and " 5 nodes" not in every.output
    low = run(
        view_command, str(explore), "--focus", "李示例", "--depth", "2", "--hub-degree", "5", "-o", str(out)
    )
    high = run(view_command, str(explore), "--focus", "李示例", "--depth", "2", "-o", str(out))
    assert low.exit_code == high.exit_code == 0
    drawn = [int(r.output.split(": ")[1].split(" nodes")[0]) for r in (low, high)]
    assert drawn[0] < drawn[1]  # 另一学会 (6 links) is a hub only with --hub-degree 5
    assert run(view_command, str(explore), "--max-nodes", "0", "-o", str(out)).output.count("left out") == 0
