"""`castkg export`: the entity network (GraphML, GEXF, CSV) and the whole graph (JSON-LD, N-Triples)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from castkg.cli import cli
from castkg.cli.view import export_command, view_command
from castkg.view import to_view
from castkg.view.export import CONTEXT_IRI

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "view_mini.ttl"
STORE_FIXTURE = Path(__file__).resolve().parent / "fixtures" / "mini.trig"
ONTOLOGY = Path(__file__).resolve().parents[1] / "ontology"


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


def test_nt_holds_the_whole_graph(graph: Graph, tmp_path: Path) -> None:
    out = tmp_path / "g.nt"
    assert run(export_command, str(FIXTURE), "--format", "nt", "-o", str(out)).exit_code == 0
    assert isomorphic(Graph().parse(out, format="nt"), graph)


def test_jsonld_is_compact_names_the_published_context_and_holds_the_whole_graph(
    graph: Graph, tmp_path: Path
) -> None:
    out = tmp_path / "g.jsonld"
    assert run(export_command, str(FIXTURE), "--format", "jsonld", "-o", str(out)).exit_code == 0
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["@context"] == CONTEXT_IRI == "https://w3id.org/castkg/context.jsonld"
    nodes = {node["id"]: node for node in document["@graph"]}
    cast = nodes["ckr:org-cast"]
    assert cast["type"] == "Organization"
    assert cast["label"] == {"zh": "中国科协", "en": "China Association for Science and Technology"}
    meeting = nodes["ckr:event-meeting"]
    assert (meeting["startDate"], meeting["organizer"], meeting["location"]) == (
        "2021-02-10",
        "ckr:org-cast",
        "ckr:place-sh",
    )
    # the shipped context file is the published one: with it in place the RDF is all there
    document["@context"] = json.loads((ONTOLOGY / "context.jsonld").read_text(encoding="utf-8"))["@context"]
    assert isomorphic(Graph().parse(data=json.dumps(document), format="json-ld"), graph)


def test_jsonld_keys_are_all_short_for_a_castkg_graph(tmp_path: Path) -> None:
    """Every property castkg writes has a term in the context (view_mini's integer ckg:value, which
    castkg never writes, would keep its full IRI)."""
    out = tmp_path / "g.jsonld"
    assert run(export_command, str(STORE_FIXTURE), "--format", "jsonld", "-o", str(out)).exit_code == 0
    nodes = json.loads(out.read_text(encoding="utf-8"))["@graph"]
    assert len(nodes) > 10
    assert [key for node in nodes for key in node if ":" in key] == []
    document = json.loads(out.read_text(encoding="utf-8"))
    document["@context"] = json.loads((ONTOLOGY / "context.jsonld").read_text(encoding="utf-8"))["@context"]
    original = Graph()
    for s, p, o, _ in Dataset().parse(STORE_FIXTURE, format="trig").quads((None, None, None, None)):
        original.add((s, p, o))
    assert isomorphic(Graph().parse(data=json.dumps(document), format="json-ld"), original)


def test_jsonld_export_is_byte_identical_across_runs(tmp_path: Path) -> None:
    for name in ("a.jsonld", "b.jsonld"):
        run(export_command, str(FIXTURE), "--format", "jsonld", "-o", str(tmp_path / name))
    assert (tmp_path / "a.jsonld").read_bytes() == (tmp_path / "b.jsonld").read_bytes()


def test_csv_nodes_and_edges_for_gephi_and_spreadsheets(graph: Graph, tmp_path: Path) -> None:
    out = tmp_path / "net"
    result = run(export_command, str(FIXTURE), "--format", "csv", "-o", str(out))
    assert result.exit_code == 0, result.output
    view = to_view(graph)
    with (out / "nodes.csv").open(encoding="utf-8", newline="") as file:
        nodes = list(csv.DictReader(file))
    with (out / "edges.csv").open(encoding="utf-8", newline="") as file:
        edges = list(csv.DictReader(file))
    assert list(nodes[0]) == ["Id", "Label", "Class", "English", "Aliases", "Articles", "Degree"]
    assert list(edges[0]) == ["Source", "Target", "Type", "Label", "Property"]
    assert len(nodes) == len(view.nodes) and len(edges) == len(view.edges)
    cast = next(row for row in nodes if row["Id"] == "https://w3id.org/castkg/id/org-cast")
    assert (cast["Label"], cast["Class"], cast["Articles"]) == ("中国科协", "Organization", "1")
    assert "中国科学技术协会" in cast["Aliases"].split(" | ")
    ids = {row["Id"] for row in nodes}
    assert all(row["Source"] in ids and row["Target"] in ids and row["Type"] == "Directed" for row in edges)
    assert (
        (out / "nodes.csv").read_bytes().startswith(b"Id,Label,Class,")
    )  # no BOM: Gephi reads the Id header


def test_csv_into_a_file_is_refused(tmp_path: Path) -> None:
    taken = tmp_path / "net"
    taken.write_text("not a folder", encoding="utf-8")
    result = CliRunner().invoke(cli, ["export", str(FIXTURE), "--format", "csv", "-o", str(taken)])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [
        f"castkg: error: {taken}: is a file; --format csv writes nodes.csv and edges.csv into a folder"
    ]


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
