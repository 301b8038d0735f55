"""Benchmark (not a test) of the write stage alone: peak RSS and CPU seconds of
:meth:`castkg.write.GraphSpool.write` (castkg.ttl and castkg.trig merged from every file's parts)
and of saving the state a rebuild patches, for N synthetic input files.

    PYTHONPATH=src .venv/bin/python benchmarks/bench_write.py --files 2000 [--work DIR] [--discard]

Each file holds 5 articles of the real graph's shape (an article graph of ~1,100 triples over ~290
subjects: ~230 reified facts, measures, memberships, the article itself, and the entities it
mentions, which are shared with other files and with the graph of entities). Files are made from
a few seeded templates serialised once by :func:`castkg.write.serialize_parts`, each file's own
IRIs then renumbered by replacing a fixed-width token (same lengths, same order), so filling the
spool costs little and the files' records interleave in IRI order as real ones do. The parts go
to the spool's scratch file (as a ``--no-cache`` build's do) with a key and a name each (as a
cached build's), so the write keeps the layout a rebuild patches. ``--discard`` writes the two
output files to /dev/null (only the scratch file then takes disk space: ~0.35 MB per file).

Prints one line per phase: the process's peak RSS so far (``ru_maxrss``), its RSS now and the
phase's CPU seconds (user + system).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import tempfile
import time
from pathlib import Path

from castkg.mapping import ENTITIES
from castkg.write import GraphSpool, serialize_parts

CKR = "https://w3id.org/castkg/id/"
CKG = "https://w3id.org/castkg/ontology#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
PROV = "http://www.w3.org/ns/prov#"
XSD = "http://www.w3.org/2001/XMLSchema#"
TOKEN = "0000000"
"""The fixed-width token in every IRI of one file's own (renumbered per file; never elsewhere)."""
HEX = "123456789abcdef"  # no 0: random ids never hold the token
CLASSES = ("org", "person", "event", "initiative", "publication", "position", "place")
PREDICATES = ("involves", "cooccursWith", "heldIn", "organizedBy", "awardedTo")
ARTICLES_PER_FILE = 5


def _id(rng: random.Random, length: int) -> str:
    return "".join(rng.choice(HEX) for _ in range(length))


def entity_iris(count: int, seed: int) -> list[str]:
    """``count`` entity IRIs as castkg names them (class, pinyin-like slug, short digest)."""
    rng = random.Random(seed)
    syllables = ("ke", "xie", "zhong", "guo", "xue", "hui", "da", "lun", "tan", "shi", "jie", "yun")
    iris = []
    for _ in range(count):
        kind = rng.choice(CLASSES)
        slug = "-".join(rng.choice(syllables) for _ in range(rng.randint(2, 6)))
        iris.append(f"{CKR}{kind}_{slug}-{_id(rng, 6)}")
    return sorted(iris)


def _lit(text: str) -> str:
    return f'"{text}"@zh'


def template(seed: int, entities: list[str]) -> list[tuple[str, set[tuple[str, str, str]]]]:
    """One file's article graphs, its own IRIs holding :data:`TOKEN`: ~290 subjects and ~1,100
    triples per article; the entities it mentions drawn with a heavy head (a few in most files)."""
    rng = random.Random(seed)
    graphs = []
    for _ in range(ARTICLES_PER_FILE):
        article = f"{CKR}article_{_id(rng, 20)}-{_id(rng, 9)}{TOKEN}"
        lines: set[tuple[str, str, str]] = set()
        mentioned = {entities[min(int(rng.paretovariate(0.6)) - 1, len(entities) - 1)] for _ in range(30)}
        lines.update(
            [
                (article, RDF + "type", f"<{CKG}Article>"),
                (article, RDFS + "label", _lit(f"第{rng.randint(1, 99)}届论坛在北京开幕{_id(rng, 5)}")),
                (
                    article,
                    CKG + "datePublished",
                    f'"2021-{rng.randint(1, 12):02}-{rng.randint(1, 28):02}"^^<{XSD}date>',
                ),
                (article, CKG + "sourceFile", f'"/corpus/d{_id(rng, 3)}/bulletin_{TOKEN}.txt"'),
                (article, PROV + "wasDerivedFrom", f"<{CKR}file_{_id(rng, 9)}{TOKEN}>"),
            ]
        )
        for entity in mentioned:
            lines.add((article, CKG + "mentions", f"<{entity}>"))
            lines.add((entity, CKG + "mentionedIn", f"<{article}>"))
        for _ in range(230):
            fact = f"{CKR}fact_{_id(rng, 9)}{TOKEN}"
            subject, obj = rng.sample(sorted(mentioned), 2)
            lines.update(
                [
                    (fact, RDF + "type", f"<{RDF}Statement>"),
                    (fact, RDF + "subject", f"<{subject}>"),
                    (fact, RDF + "predicate", f"<{CKG}{rng.choice(PREDICATES)}>"),
                    (fact, RDF + "object", f"<{obj}>"),
                ]
            )
        for k in range(20):
            measure = f"{CKR}measure_{_id(rng, 9)}{TOKEN}-{k + 11}"
            lines.add((article, CKG + "measure", f"<{measure}>"))
            lines.update(
                [
                    (measure, RDF + "type", f"<{CKG}Measure>"),
                    (measure, CKG + "value", f'"{rng.randint(1, 9999)}.5"^^<{XSD}double>'),
                    (measure, CKG + "unit", _lit("名")),
                    (measure, PROV + "wasDerivedFrom", f"<{article}>"),
                ]
            )
        for _ in range(10):
            membership = f"{CKR}membership_{_id(rng, 9)}{TOKEN}"
            lines.update(
                [
                    (membership, RDF + "type", f"<{CKG}Membership>"),
                    (membership, CKG + "member", f"<{rng.choice(entities)}>"),
                    (membership, PROV + "wasDerivedFrom", f"<{article}>"),
                ]
            )
        graphs.append((article, lines))
    return graphs


def _usage() -> tuple[float, int]:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def _rss_now() -> int:
    with open("/proc/self/statm") as file:
        return int(file.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def _report(phase: str, cpu: float, seconds: float) -> None:
    _, peak = _usage()
    print(
        f"{phase:<14} peak RSS {peak / 1024:8.0f} MB   RSS now {_rss_now() / 1024:8.0f} MB   "
        f"CPU {cpu:8.1f} s   wall {seconds:8.1f} s",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=2000, help="input files (5 articles each)")
    parser.add_argument("--entities", type=int, default=50_000, help="distinct entities")
    parser.add_argument("--templates", type=int, default=40, help="distinct file templates")
    parser.add_argument(
        "--work", type=Path, default=None, help="scratch and output folder (default: a temporary one)"
    )
    parser.add_argument(
        "--discard", action="store_true", help="write castkg.ttl and castkg.trig to /dev/null"
    )
    parser.add_argument("--out", type=Path, default=None, help="write castkg.ttl and castkg.trig here, kept")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-write-", dir=args.work))
    out = args.out or work / "out"
    out.mkdir(exist_ok=True)
    if args.discard:
        for name in ("castkg.ttl", "castkg.trig"):
            (out / name).symlink_to(os.devnull)
    entities = entity_iris(args.entities, 1)
    entity_lines = [(e, RDFS + "label", _lit(f"实体{e[-6:]}")) for e in entities]
    entity_parts = serialize_parts([(str(ENTITIES), entity_lines)])

    cpu, started = _usage()[0], time.perf_counter()
    templates = [serialize_parts(template(t, entities)) for t in range(args.templates)]
    spool = GraphSpool(work / "spool")
    token = TOKEN.encode()
    for n in range(args.files):
        parts = templates[n % len(templates)]
        number = f"{n + 1:07d}".encode()
        renumbered = type(parts)(
            parts.trig.replace(token, number), parts.turtle.replace(token, number), parts.offsets
        )
        spool.add_parts(renumbered, key=f"key-{n}", name=f"file-{n}")
    _report(f"fill {args.files}", _usage()[0] - cpu, time.perf_counter() - started)

    cpu, started = _usage()[0], time.perf_counter()
    written, state = spool.write(out, entity_parts)
    _report("write", _usage()[0] - cpu, time.perf_counter() - started)
    size = "discarded" if args.discard else f"{os.path.getsize(written.turtle)} bytes"
    print(f"  {written.triples} triples; castkg.ttl {size}")

    cpu, started = _usage()[0], time.perf_counter()
    if state is not None:
        state.save(work / "state")
        print(f"  state {os.path.getsize(work / 'state')} bytes")
    _report("save state", _usage()[0] - cpu, time.perf_counter() - started)
    spool.close()
    for path in sorted(work.rglob("*"), reverse=True):
        path.unlink() if not path.is_dir() else path.rmdir()
    work.rmdir()


if __name__ == "__main__":
    main()
