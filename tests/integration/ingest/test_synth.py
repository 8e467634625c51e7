"""The synthetic province, loaded: everything planted is found, every invalid row rejected."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from civgraph.graph.driver import Graph
from civgraph.ingest.run import files_in, run
from civgraph.ingest.synth import synthesize
from tests.integration.ingest.test_loader import rejects_of

AFTER_CREMATION = """
UNWIND $planted AS planted
MATCH (x:Person {idNumber: planted.idNumber})-[r:ENROLLED_IN]->(:Program {code: planted.program})
MATCH (x)-[c:CREMATED_AT]->(:Facility)
WHERE c.crematedOn = date(planted.crematedOn) AND r.until IS NULL AND r.since < c.crematedOn
RETURN count(DISTINCT x) AS found
"""

CONCURRENT_POSTS = """
UNWIND $planted AS planted
MATCH (x:Person {idNumber: planted.idNumber})
      -[c:HOLDS_POST]->(agency:Organization {uscc: planted.agency})
MATCH (x)-[o:HOLDS_POST]->(:Organization {uscc: planted.association})-[:SUPERVISED_BY]->(agency)
WHERE c.leading AND o.leading AND c.until IS NULL AND o.until IS NULL AND NOT o.approvalFiled
RETURN count(DISTINCT x) AS found
"""


def manifest(out: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return loaded


def test_the_same_seed_writes_the_same_files(tmp_path: Path) -> None:
    synthesize(600, 3, tmp_path / "a")
    synthesize(600, 3, tmp_path / "b")

    for path in (tmp_path / "a").iterdir():
        if path.suffix != ".xlsx":  # XLSX stores its creation time
            assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes(), path.name


async def test_a_loaded_province_has_what_the_manifest_says(graph: Graph, tmp_path: Path) -> None:
    out = tmp_path / "province"
    synthesize(2500, 11, out)
    planted = manifest(out)

    summaries, _ = await run(graph, files_in(out), tmp_path / "rejects.csv", batch_size=500)

    people = await graph.read("MATCH (p:Person) RETURN count(p) AS n")
    assert people == [{"n": planted["people"]}]
    rejected = Counter(file for file, *_ in rejects_of(tmp_path / "rejects.csv"))
    assert dict(rejected) == planted["rejects"]
    registration = next(s for s in summaries if s.source == "household_registration")
    duplicates = planted["duplicates"]["household_registration.csv"]
    assert registration.loaded == planted["people"] + duplicates
    assert planted["benefits_after_cremation"]
    found = await graph.read(AFTER_CREMATION, planted=planted["benefits_after_cremation"])
    assert found == [{"found": len(planted["benefits_after_cremation"])}]
    assert planted["concurrent_posts"]
    found = await graph.read(CONCURRENT_POSTS, planted=planted["concurrent_posts"])
    assert found == [{"found": len(planted["concurrent_posts"])}]
