"""One graph from many bulletins: the seed (when present), data/ and every held-out bulletin built
together, against each file built alone and against every gold of every bulletin.

- No event has two ``ckg:startDate`` (recurring meetings are not merged, a series has no date).
- No node is two things. A node *matches* a gold entity of bulletin B when it has the entity's
  class (following rdfs:subClassOf, as the scorer does), shares one of its names (compared as the
  scorer compares them: NFKC, no spaces or quote marks, lower case) and is ``ckg:mentionedIn`` an
  article of B's file. Two gold entities matched by one node are *different things* when they are
  two required entities of one gold (the scorer's "merged"), or two Events of different
  bulletins whose golds state different start dates (the same name on two days: two meetings, two
  editions of a series).
- Each article's named graph in the combined build is, as a set of triples, its named graph in
  the build of its file alone: what an article's graph says depends on its file only (the labels
  that depend on the whole corpus are in the graph of entities, ``ckr:entities``). So a store
  updated file by file holds the same triples as the build of all the files together, and no
  event with two start dates either (one meeting name on two days used to get both there).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, XSD, Dataset, Graph, Literal, URIRef
from rdflib.namespace import SKOS

import castkg
from castkg.graphs import union_graph
from castkg.mapping import ENTITIES
from castkg.namespace import CKG, ENTITY_CLASSES
from castkg.query import run_query
from castkg.rules import Rules
from castkg.store import store_graph, update_store
from conftest import DATA, GOLD, ONTOLOGY, ROOT, SEED_DIR, SEED_GOLD

QUOTES = re.compile("[“”‘’\"'《》〈〉「」『』【】]")


def corpus() -> list[Path]:
    """Every bulletin with a gold: the seed (when present), data/, tests/heldout*/."""
    files = sorted(SEED_DIR.glob("*.txt")) if SEED_DIR.is_dir() else []
    files += sorted(DATA.glob("*.txt"))
    for folder in sorted((ROOT / "tests").glob("heldout*")):
        files += sorted(p for p in folder.iterdir() if p.suffix in (".txt", ".html"))
    return files


def golds() -> dict[str, dict]:
    """Every gold by name: the seed's, ours, the held-out sets'."""
    paths = ([SEED_GOLD] if SEED_GOLD.is_file() else []) + sorted(GOLD.glob("*.json"))
    paths += sorted((ROOT / "tests").glob("heldout*/*.json"))
    return {f"{p.parent.name}/{p.stem}": json.loads(p.read_text(encoding="utf-8")) for p in paths}


def norm(text: object) -> str:
    """A name as the scorer compares it."""
    return (
        QUOTES.sub("", re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text)))).strip("()（） ").lower()
    )


@pytest.fixture(scope="module")
def together(shipped_rules: Rules) -> Dataset:
    return castkg.build(corpus(), rules=shipped_rules)


@pytest.fixture(scope="module")
def union(together: Dataset) -> Graph:
    graph = union_graph(together)
    graph.parse(ONTOLOGY / "castkg.ttl", format="turtle")
    return graph


def test_the_corpus_is_there() -> None:
    assert len(corpus()) >= 20 and len(golds()) >= 20


def test_no_event_has_two_start_dates(union: Graph) -> None:
    events = set(union.subjects(RDF.type, CKG.Event))
    two = {
        union.value(e, RDFS.label): sorted(map(str, union.objects(e, CKG.startDate)))
        for e in events
        if len(set(union.objects(e, CKG.startDate))) > 1
    }
    assert not two, two
    assert not set(union.subjects(CKG.startDate, None)) & set(union.subjects(RDF.type, CKG.EventSeries))


def _classes(union: Graph) -> dict[URIRef, set[str]]:
    """Each node's contract classes, following rdfs:subClassOf (as the scorer reads them)."""
    found: dict[URIRef, set[str]] = defaultdict(set)
    for node, cls in union.subject_objects(RDF.type):
        for above in union.transitive_objects(cls, RDFS.subClassOf):
            name = str(above).removeprefix(str(CKG._NS))
            if isinstance(node, URIRef) and name in ENTITY_CLASSES:
                found[node].add(name)
    return found


def test_no_node_is_two_things_of_the_golds(union: Graph) -> None:
    files = {a: Path(str(f)).name for a, f in union.subject_objects(CKG.sourceFile)}
    classes = _classes(union)
    names = {
        node: {norm(n) for p in (RDFS.label, SKOS.altLabel) for n in union.objects(node, p)}
        for node in classes
    }
    articles = {node: {files.get(a, "") for a in union.objects(node, CKG.mentionedIn)} for node in classes}
    matched: dict[URIRef, set[tuple[str, str, bool, tuple[str, ...], str]]] = defaultdict(set)
    for bulletin, gold in golds().items():
        documents = {Path(d).name for d in gold["documents"]}
        days = defaultdict(set)
        for fact in gold.get("facts", []):
            if fact["p"] == "startDate":
                days[fact["s"]].add(str(fact["value"]))
        for entity in gold["entities"]:
            wanted = {norm(n) for n in entity["names"]}
            for node in classes:
                if entity["class"] in classes[node] and articles[node] & documents and names[node] & wanted:
                    matched[node].add(
                        (
                            bulletin,
                            entity["id"],
                            entity.get("required", True),
                            tuple(sorted(days[entity["id"]])),
                            entity["class"],
                        )
                    )
    assert len(matched) > 300, "the golds match almost nothing: is the matching broken?"
    two = []
    for node, entities in matched.items():
        ordered = sorted(entities)
        for i, first in enumerate(ordered):
            for second in ordered[i + 1 :]:
                one_gold = first[0] == second[0] and first[1] != second[1] and first[2] and second[2]
                two_days = (
                    first[0] != second[0]
                    and first[4] == second[4] == "Event"
                    and first[3]
                    and second[3]
                    and first[3] != second[3]
                )
                if one_gold or two_days:
                    two.append(f"{node}: {first[:2]} {first[3]} and {second[:2]} {second[3]}")
    assert not two, "\n".join(two)


def _article_graphs(dataset: Dataset) -> dict[URIRef, set[tuple[object, object, object]]]:
    return {
        g.identifier: set(g)  # type: ignore[misc]
        for g in dataset.graphs()
        if isinstance(g.identifier, URIRef) and g.identifier != ENTITIES and len(g)
    }


@pytest.fixture(scope="module")
def alone(shipped_rules: Rules) -> dict[Path, Dataset]:
    """Each file of the corpus built on its own."""
    return {path: castkg.build([path], rules=shipped_rules) for path in corpus()}


def test_each_article_graph_is_its_files_alone(together: Dataset, alone: dict[Path, Dataset]) -> None:
    combined = _article_graphs(together)
    seen = 0
    for path, dataset in alone.items():
        for iri, triples in _article_graphs(dataset).items():
            seen += 1
            assert iri in combined, f"{path}: article {iri} is not in the build of the whole corpus"
            only_alone, only_together = triples - combined[iri], combined[iri] - triples
            assert not only_alone and not only_together, (
                f"{path}: {iri} differs built alone and together:\n"
                + "\n".join(f"  alone only: {t}" for t in sorted(map(str, only_alone))[:5])
                + "\n".join(f"  together only: {t}" for t in sorted(map(str, only_together))[:5])
            )
    assert seen == len(combined)


def test_the_graph_of_entities_gives_one_chinese_label_each(together: Dataset, union: Graph) -> None:
    entities = together.graph(ENTITIES)
    for node in _classes(union):
        zh = [o for o in union.objects(node, RDFS.label) if isinstance(o, Literal) and o.language == "zh"]
        assert len(zh) == 1, (node, zh)
        assert (node, RDFS.label, zh[0]) in entities


def _canonical(triple: tuple[object, object, object]) -> tuple[str, ...]:
    """A triple with its decimals by value (Oxigraph writes 210.0 as 210)."""
    return tuple(
        f"{t.datatype} {Decimal(str(t)).normalize()}"
        if isinstance(t, Literal) and t.datatype == XSD.decimal
        else t.n3()  # type: ignore[attr-defined]
        for t in triple
    )


def test_a_store_updated_file_by_file_is_the_build_of_them_all(
    together: Dataset, alone: dict[Path, Dataset], tmp_path: Path, shipped_rules: Rules
) -> None:
    store = tmp_path / "store"
    for dataset in alone.values():
        update_store(store, dataset, shipped_rules)
    graph = store_graph(store)
    two = [
        e for e in set(graph.subjects(CKG.startDate, None)) if len(set(graph.objects(e, CKG.startDate))) > 1
    ]
    assert not two, two
    stored = {_canonical(t) for t in graph}
    built = {_canonical(t) for t in union_graph(together)}
    assert not stored - built and not built - stored, (
        f"{len(stored - built)} triples only in the store, e.g. {sorted(map(str, stored - built))[:3]}; "
        f"{len(built - stored)} only in the build, e.g. {sorted(map(str, built - stored))[:3]}"
    )


BULLETIN = (
    "{title}\n\n6月2日，中国科协在北京举办{name}，来自各地的青少年参加交流。\n\n"
    "中国科协青少年科技中心\n\n[{date}]\n"
)


def test_a_label_follows_the_files_a_store_holds(tmp_path: Path) -> None:
    """The preferred label is the fullest name of all the files a store holds, made again at each
    update: when the file with the fuller name goes, the label goes back."""
    plain = tmp_path / "plain.txt"
    quoted = tmp_path / "quoted.txt"
    plain.write_text(
        BULLETIN.format(title="论坛举办", name="第三届中国青少年科普论坛", date="2023-06-03"),
        encoding="utf-8",
    )
    quoted.write_text(
        BULLETIN.format(title="科普论坛举办", name="第三届中国“青少年”科普论坛", date="2023-06-04"),
        encoding="utf-8",
    )
    store = tmp_path / "store"
    label = "SELECT ?l WHERE { ?e a ckg:Event ; rdfs:label ?l FILTER(CONTAINS(?l, '科普论坛')) }"

    def labels() -> list[str]:
        return sorted(row[0] for row in run_query(label, store).values())

    update_store(store, castkg.build([plain]))
    assert labels() == ["第三届中国青少年科普论坛"]
    update_store(store, castkg.build([quoted]))
    assert labels() == ["第三届中国“青少年”科普论坛"]
    assert labels() == sorted(row[0] for row in run_query(label, castkg.build([plain, quoted])).values())
    quoted.write_text(
        BULLETIN.format(title="科普论坛举办", name="第三届中国青少年科普论坛", date="2023-06-04")
    )
    update_store(store, castkg.build([quoted]))
    assert labels() == ["第三届中国青少年科普论坛"]
