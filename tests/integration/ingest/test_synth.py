"""The synthetic province, loaded: everything planted is found with the relationships that
make it a finding, every invalid row is rejected, and the planted lists are complete."""

from __future__ import annotations

import csv
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, LiteralString

import pytest
import pytest_asyncio

from civgraph.graph import indicators, linkage
from civgraph.graph.catalog import Label
from civgraph.graph.driver import Graph
from civgraph.graph.rules import Finding, Rule, findings
from civgraph.graph.scope import NOWHERE, Scoped
from civgraph.graph.verification import verification_report
from civgraph.ingest.parsing import Summary
from civgraph.ingest.run import files_in, run
from civgraph.ingest.synth import synthesize
from civgraph.ingest.synth.province import AS_OF
from tests.builders import seen_by, wipe
from tests.integration.ingest.test_loader import rejects_of

PEOPLE, SEED = 2500, 11
UNKEYED_SOURCES = ("cremations", "facility_residents")

AFTER_CREMATION = """
UNWIND $planted AS planted
WITH planted WHERE NOT EXISTS {
  MATCH (x:Person {idNumber: planted.idNumber})-[:MEMBER_OF*0..1]->()
        -[r:ENROLLED_IN {caseNo: planted.case}]->(:Program {code: planted.program})
  MATCH (x)-[c:CREMATED_AT]->(:Facility {kind: 'FUNERAL_HOME'})
  WHERE c.crematedOn = date(planted.crematedOn) AND r.until IS NULL
    AND (r.since < c.crematedOn OR planted.via = 'HOUSEHOLD')
}
RETURN planted
"""

CONCURRENT_POSTS = """
UNWIND $planted AS planted
WITH planted WHERE NOT EXISTS {
  MATCH (x:Person {idNumber: planted.idNumber})
        -[c:HOLDS_POST]->(agency:Organization {uscc: planted.agency})
  MATCH (x)-[o:HOLDS_POST]->(:Organization {uscc: planted.association})-[:SUPERVISED_BY]->(agency)
  WHERE c.leading AND o.leading AND c.until IS NULL AND o.until IS NULL AND NOT o.approvalFiled
}
RETURN planted
"""

# A member of a household on 低保 now, or a person on 特困 now (as planted), and what
# disqualifies them.
ASSISTED_MEMBER = """
UNWIND $planted AS planted
WITH planted WHERE NOT EXISTS {
  MATCH (x:Person {idNumber: planted.idNumber})
        -[:MEMBER_OF]->(h:Household {number: planted.household})
  WHERE CASE planted.program
    WHEN 'DIBAO' THEN EXISTS { (h)-[d:ENROLLED_IN]->(g:Program)
                               WHERE g.code STARTS WITH 'DIBAO' AND d.until IS NULL
                                 AND d.status = 'ACTIVE' }
    ELSE EXISTS { (x)-[d:ENROLLED_IN]->(:Program {code: 'TEKUN'})
                  WHERE d.until IS NULL AND d.status = 'ACTIVE' } END AND
"""
DISQUALIFIED: dict[str, LiteralString] = {
    "assisted_legal_representatives": """
      EXISTS { (x)-[p:HOLDS_POST {title: '法定代表人'}]->(:Organization {uscc: planted.uscc,
               kind: 'ENTERPRISE'}) WHERE p.until IS NULL }""",
    "assisted_investors": """
      EXISTS { (x)-[:INVESTED_IN]->(:Organization {uscc: planted.uscc, kind: 'ENTERPRISE'}) }""",
    "assisted_vehicle_owners": """
      EXISTS { (x)-[o:OWNS]->(:Asset {registration: planted.plate, kind: 'VEHICLE'})
               WHERE o.until IS NULL }""",
    "assisted_property_owners": """
      size(planted.certificates) > 1 AND
      COUNT { (x)-[o:OWNS]->(a:Asset {kind: 'REAL_ESTATE'})
              WHERE o.until IS NULL AND a.registration IN planted.certificates }
      = size(planted.certificates)""",
    "assisted_payroll": """
      EXISTS { (x)-[e:EMPLOYED_BY]->(:Organization {uscc: planted.uscc})
               WHERE e.publicPayroll AND e.until IS NULL }""",
    "assisted_hidden_spouses": """
      EXISTS { (x)-[m:MARRIED_TO]-(s:Person {idNumber: planted.spouse})
               WHERE m.until IS NULL AND NOT (s)-[:MEMBER_OF]->(h) }""",
}
# Everyone in a 低保 household or on 特困 (any status) in the same situation, planted or not.
ANY_ASSISTED = """
MATCH (x:Person)-[:MEMBER_OF]->(h:Household)
WHERE (EXISTS { (h)-[:ENROLLED_IN]->(g:Program) WHERE g.code STARTS WITH 'DIBAO' }
       OR EXISTS { (x)-[:ENROLLED_IN]->(:Program {code: 'TEKUN'}) }) AND
"""
SITUATION: dict[str, LiteralString] = {
    "assisted_legal_representatives": """
      EXISTS { (x)-[:HOLDS_POST {title: '法定代表人'}]->(:Organization {kind: 'ENTERPRISE'}) }""",
    "assisted_investors": "EXISTS { (x)-[:INVESTED_IN]->(:Organization) }",
    "assisted_vehicle_owners": """
      EXISTS { (x)-[o:OWNS]->(:Asset {kind: 'VEHICLE'}) WHERE o.until IS NULL }""",
    "assisted_property_owners": """
      COUNT { (x)-[o:OWNS]->(:Asset {kind: 'REAL_ESTATE'}) WHERE o.until IS NULL } > 1""",
    "assisted_payroll": """
      EXISTS { (x)-[e:EMPLOYED_BY]->() WHERE e.publicPayroll AND e.until IS NULL }""",
    "assisted_hidden_spouses": """
      EXISTS { (x)-[m:MARRIED_TO]-(s:Person) WHERE m.until IS NULL
               AND NOT (s)-[:MEMBER_OF]->(h) }""",
}

DOUBLE_ENROLLMENTS = """
UNWIND $planted AS planted
WITH planted WHERE NOT EXISTS {
  MATCH (x) WHERE x:Person AND x.idNumber = planted.idNumber
                  OR x:Household AND x.number = planted.household
  MATCH (x)-[a:ENROLLED_IN {caseNo: planted.cases[0]}]->(:Program {code: planted.programs[0]})
  MATCH (x)-[b:ENROLLED_IN {caseNo: planted.cases[1]}]->(:Program {code: planted.programs[1]})
  WHERE a.regionCode = planted.counties[0] AND b.regionCode = planted.counties[1]
    AND a.regionCode <> b.regionCode AND a.until IS NULL AND b.until IS NULL
    AND a.since <= b.since
}
RETURN planted
"""

# Each rule on retired cadres' posts in social organizations, for the planted cadres.
RETIRED_CADRE_RULES = """
UNWIND $planted AS planted
MATCH (x:Person {idNumber: planted.idNumber})
      -[c:HOLDS_POST]->(agency:Organization {uscc: planted.agency})
WHERE c.leading AND c.rank <> 'NONE' AND c.until < date($asOf)
MATCH (x)-[o:HOLDS_POST]->(organization:Organization)
WHERE o.leading AND o.until IS NULL
  AND organization.kind IN ['SOCIAL_GROUP', 'PRIVATE_NON_ENTERPRISE', 'FOUNDATION',
                            'SOCIAL_WORK_AGENCY']
WITH planted, x, c, collect({
  uscc: organization.uscc,
  sameSectorSoon: o.since <= c.until + duration('P3Y')
                  AND EXISTS { (organization)-[:SUPERVISED_BY]->(agency) },
  filed: o.approvalFiled,
  paid: o.paid
}) AS posts
RETURN planted.idNumber AS idNumber,
       [p IN posts | p.uscc] AS organizations,
       duration.between(x.birthDate, date($asOf)).years > 70 AS over_age,
       size(posts) > 1 AS multiple_posts,
       any(p IN posts WHERE p.sameSectorSoon) AS recent_same_sector,
       any(p IN posts WHERE NOT p.filed) AS unfiled,
       any(p IN posts WHERE p.paid) AS paid
"""
RULES = ("over_age", "multiple_posts", "recent_same_sector", "unfiled", "paid")

# A case officer or committee member of a community, in a household on 低保 filed or not.
OFFICERS_RELATIVES = """
UNWIND $planted AS planted
WITH planted WHERE NOT EXISTS {
  MATCH (x:Person {idNumber: planted.idNumber})-[s:SERVES]->(:Community)
  MATCH (x)-[:MEMBER_OF]->(h:Household {number: planted.household})-[d:ENROLLED_IN]->(g:Program)
  WHERE s.role IN ['CASE_OFFICER', 'COMMITTEE_MEMBER'] AND s.until IS NULL
    AND g.code STARTS WITH 'DIBAO' AND d.status = 'ACTIVE' AND d.until IS NULL
    AND d.relativeFiled = $filed
}
RETURN planted
"""

# Each planted list, and the query returning the entries not found as planted.
FOUND_BY: dict[str, LiteralString] = {
    "concurrent_posts": CONCURRENT_POSTS,
    "double_enrollments": DOUBLE_ENROLLMENTS,
    **{
        name: ASSISTED_MEMBER + found + "\n}\nRETURN planted"
        for name, found in DISQUALIFIED.items()
    },
}

REGISTERED = "MATCH (p:Person) WHERE EXISTS { (p)-[:MEMBER_OF]->() } RETURN count(p) AS n"

CROWDED = """
MATCH (f:Facility)
WITH f, COUNT { (f)<-[r:RESIDENT_OF]-(:Person) WHERE r.until IS NULL } AS residents
WHERE residents > f.beds
RETURN f.code AS code, f.beds AS beds, residents
"""


@dataclass(frozen=True)
class Province:
    out: Path
    manifest: dict[str, Any]
    summaries: list[Summary]
    report: Path
    graph: Graph


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def province(session_graph: Graph, tmp_path_factory: pytest.TempPathFactory) -> Province:
    """A small province, synthesized and loaded once for the module's tests."""
    out = tmp_path_factory.mktemp("province")
    synthesize(PEOPLE, SEED, out)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    await wipe(session_graph)
    report = out.parent / f"{out.name}-rejects.csv"
    summaries, _ = await run(session_graph, files_in(out), report, batch_size=2000)
    return Province(out, manifest, summaries, report, session_graph)


def test_the_same_seed_writes_the_same_files(tmp_path: Path) -> None:
    synthesize(600, 3, tmp_path / "a")
    synthesize(600, 3, tmp_path / "b")

    for path in (tmp_path / "a").iterdir():
        if path.suffix != ".xlsx":  # XLSX stores its creation time
            assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes(), path.name


async def test_every_registered_person_is_loaded_once(province: Province) -> None:
    people = await province.graph.read(REGISTERED)

    assert people == [{"n": province.manifest["people"]}]
    registration = next(s for s in province.summaries if s.source == "household_registration")
    duplicates = province.manifest["duplicates"]["household_registration.csv"]
    assert registration.loaded == province.manifest["people"] + duplicates


def unkeyed_lines(out: Path) -> dict[tuple[str, int], str]:
    """(file, line) → record key of every row without an ID number."""
    lines = {}
    for source in UNKEYED_SOURCES:
        with (out / f"{source}.csv").open(encoding="utf-8", newline="") as file:
            reader = csv.DictReader(file)
            for row in reader:
                if not row["身份证号"]:
                    lines[(f"{source}.csv", reader.line_num)] = next(iter(row.values()))
    return lines


async def test_the_rejected_rows_are_those_the_manifest_spoiled(province: Province) -> None:
    unkeyed = unkeyed_lines(province.out)
    rejects = rejects_of(province.report)

    assert sorted(unkeyed.values()) == sorted(e["recordKey"] for e in province.manifest["unkeyed"])
    assert dict(Counter(file for file, *_ in rejects)) == province.manifest["rejects"]


RESOLVED = """
UNWIND $entries AS e
MATCH (rec:SourceRecord {key: e.source + ':' + e.recordKey})-[d:DESCRIBES]->(p:Person)
RETURN e.source + ':' + e.recordKey AS record, p.idNumber AS idNumber, d.matchKey AS matchKey,
       [(p)-[:POSSIBLY_SAME]->(c:Person) | c.idNumber] AS possible
"""
# Variants that leave the name the same once normalised, or sounding the same.
SURE = {"none", "space", "traditional"}


async def test_records_without_id_numbers_find_their_person_or_stand_alone(
    province: Province,
) -> None:
    entries = province.manifest["unkeyed"]
    found = {row["record"]: row for row in await province.graph.read(RESOLVED, entries=entries)}

    assert len(found) == len(entries)  # every such record is loaded and describes someone
    wrong, unsure = [], []
    for entry in entries:
        row = found[f"{entry['source']}:{entry['recordKey']}"]
        if entry["idNumber"] is None:  # not registered anywhere: an entity of its own
            assert (row["idNumber"], row["matchKey"]) == (None, "record"), entry
        elif row["idNumber"] is None:  # left to an investigator: the true person among those
            assert entry["idNumber"] in row["possible"], (entry, row)
            unsure.append(entry)
        elif row["idNumber"] != entry["idNumber"]:
            wrong.append((entry, row))
    assert wrong == []  # never joined to the wrong person
    assert [e for e in unsure if e["variant"] in SURE] == []
    merged = sum(s.merged for s in province.summaries if s.source in UNKEYED_SOURCES)
    registered = sum(e["idNumber"] is not None for e in entries)
    assert merged == registered - len(unsure)


# The person a row of any registry named without an ID number is (a marriage: the spouse
# whose ID number it left out).
RESOLVED_ROWS = """
UNWIND $entries AS e
MATCH (rec:SourceRecord {key: e.source + ':' + e.recordKey})-[d:DESCRIBES]->(p:Person)
WHERE coalesce(d.role, 'source') = CASE e.column WHEN '女方身份证号' THEN 'target'
                                   ELSE 'source' END
RETURN e.source + ':' + e.recordKey AS record, p.idNumber AS idNumber, d.matchKey AS matchKey,
       [(p)-[:POSSIBLY_SAME]->(c:Person) | c.idNumber] AS possible
"""


async def test_rows_without_id_numbers_in_every_person_registry_find_their_person(
    province: Province,
) -> None:
    entries = province.manifest["unkeyed_rows"]
    rows = await province.graph.read(RESOLVED_ROWS, entries=entries)
    found = {row["record"]: row for row in rows}

    assert len(found) == len(entries) > 0  # every such row is loaded and describes someone
    joined = 0
    for entry in entries:
        row = found[f"{entry['source']}:{entry['recordKey']}"]
        if row["idNumber"] is None:  # a namesake: left to an investigator, who sees the person
            assert entry["idNumber"] in row["possible"], (entry, row)
        else:
            assert row["idNumber"] == entry["idNumber"], (entry, row)  # never someone else
            joined += 1
    merged = sum(s.merged for s in province.summaries if s.source not in UNKEYED_SOURCES)
    assert merged == joined > len(entries) / 2


async def test_a_namesake_elsewhere_does_not_take_a_record(province: Province) -> None:
    entries = province.manifest["ambiguous"]

    found = await province.graph.read(RESOLVED, entries=entries)

    assert len(found) == len(entries) >= 2
    for entry, row in zip(
        sorted(entries, key=lambda e: e["source"] + ":" + e["recordKey"]),
        sorted(found, key=lambda r: r["record"]),
        strict=True,
    ):
        assert entry["namesake"] != row["idNumber"], (entry, row)
        assert entry["idNumber"] in (row["idNumber"], *row["possible"]), (entry, row)


@pytest.mark.parametrize("planted", FOUND_BY)
async def test_a_planted_situation_is_in_the_graph(province: Province, planted: str) -> None:
    entries = province.manifest[planted]

    missing = await province.graph.read(FOUND_BY[planted], planted=entries)

    assert entries
    assert missing == []


async def test_benefits_keep_running_after_a_keyed_cremation(province: Province) -> None:
    keyed = [e for e in province.manifest["benefits_after_cremation"] if e["keyed"]]

    missing = await province.graph.read(AFTER_CREMATION, planted=keyed)

    assert keyed
    assert missing == []


@pytest.mark.parametrize("planted", DISQUALIFIED)
async def test_a_list_of_assisted_members_is_complete(province: Province, planted: str) -> None:
    query = ANY_ASSISTED + SITUATION[planted] + "\nRETURN DISTINCT x.idNumber AS idNumber"

    found = await province.graph.read(query)

    assert {row["idNumber"] for row in found} == {e["idNumber"] for e in province.manifest[planted]}


async def test_each_retired_cadre_breaks_exactly_the_rule_planted(province: Province) -> None:
    planted = {
        entry["idNumber"]: (breach, entry)
        for breach in (*RULES, "control")
        for entry in province.manifest[f"retired_cadres_{breach}"]
    }

    rows = await province.graph.read(
        RETIRED_CADRE_RULES,
        planted=[entry for _, entry in planted.values()],
        asOf=AS_OF.isoformat(),
    )

    assert {breach for breach, _ in planted.values()} == {*RULES, "control"}
    broken = {row["idNumber"]: [rule for rule in RULES if row[rule]] for row in rows}
    assert broken == {
        number: [] if breach == "control" else [breach] for number, (breach, _) in planted.items()
    }
    for row in rows:
        assert sorted(row["organizations"]) == sorted(planted[row["idNumber"]][1]["organizations"])


async def test_only_the_planted_facilities_have_more_residents_than_beds(
    province: Province,
) -> None:
    planted = province.manifest["overcrowded_facilities"]

    rows = await province.graph.read(CROWDED)

    assert planted
    assert {row["code"]: row["beds"] for row in rows} == {e["code"]: e["beds"] for e in planted}
    for row in rows:
        entry = next(e for e in planted if e["code"] == row["code"])
        assert row["residents"] >= entry["residents"] > row["beds"]


# --- investigation rules on the loaded province (they share its fixture) ----------------


async def every_finding(graph: Graph, rule: Rule) -> list[Finding]:
    found: list[Finding] = []
    while True:
        after = found[-1].key if found else None
        page = await findings(seen_by(graph), rule, "34", AS_OF, 100, after)
        found += page
        if len(page) < 100:
            return found


async def test_benefits_after_death_finds_every_planted_case_and_nothing_else(
    province: Province,
) -> None:
    planted = province.manifest["benefits_after_cremation"]
    found = await every_finding(province.graph, Rule.BENEFITS_AFTER_DEATH)
    flagged = {(person_of(f), f.detail["program"], case_of(f)): f for f in found}
    keyed = {(p["idNumber"], p["program"], p["case"]) for p in planted if p["keyed"]}
    everything = {(p["idNumber"], p["program"], p["case"]) for p in planted}

    assert keyed, "the province plants keyed cases"
    assert any(p.get("via") == "HOUSEHOLD" for p in planted if p["keyed"])
    assert keyed <= set(flagged) <= everything  # unkeyed ones: when resolution matched them
    for entry in planted:
        finding = flagged.get((entry["idNumber"], entry["program"], entry["case"]))
        if finding is None:
            continue
        types = {link.type: link for link in finding.links}
        assert types["CREMATED_AT"].properties["crematedOn"].isoformat() == entry["crematedOn"]
        assert {ref.source for ref in finding.records} >= {"cremations"}
        assert finding.detail["via"] == entry.get("via", "OWN")
        if entry.get("via"):  # the household's enrollment, through the membership
            assert "MEMBER_OF" in types
            assert {label for label, _ in finding.entities} >= {Label.HOUSEHOLD}


def person_of(finding: Finding) -> str:
    return str(dict(finding.entities)[Label.PERSON].id_number)  # type: ignore[attr-defined]


def case_of(finding: Finding) -> str:
    return next(str(link.properties["caseNo"]) for link in finding.links
                if link.type == "ENROLLED_IN")  # fmt: skip


async def test_over_capacity_finds_the_planted_facilities(province: Province) -> None:
    planted = {p["code"]: p for p in province.manifest["overcrowded_facilities"]}
    found = await every_finding(province.graph, Rule.OVER_CAPACITY)

    facilities = {dict(f.entities)[Label.FACILITY].code: f for f in found}  # type: ignore[attr-defined]
    assert planted
    assert set(facilities) == set(planted)
    for code, finding in facilities.items():
        assert finding.detail == {"beds": planted[code]["beds"],
                                  "residents": planted[code]["residents"]}  # fmt: skip
        assert len(finding.links) == planted[code]["residents"]


async def test_duplicate_enrollments_are_exactly_the_planted_ones(province: Province) -> None:
    planted = province.manifest["double_enrollments"]
    found = await every_finding(province.graph, Rule.DUPLICATE_ENROLLMENT)

    flagged = {(beneficiary(f), f.detail["family"]): f for f in found}
    assert {"idNumber" in p for p in planted} == {True, False}  # people and households
    assert any(len(set(p["programs"])) == 2 for p in planted)  # urban and rural 低保
    assert set(flagged) == {(p.get("idNumber") or p["household"], p["family"]) for p in planted}
    for entry in planted:
        finding = flagged[entry.get("idNumber") or entry["household"], entry["family"]]
        assert sorted(finding.detail["programs"]) == sorted(entry["programs"])
        assert sorted(finding.detail["regions"]) == sorted(entry["counties"])
        assert sorted(link.properties["caseNo"] for link in finding.links) == entry["cases"]


def beneficiary(finding: Finding) -> str:
    """The ID number of a finding's person, or the number of its household."""
    label, record = finding.entities[0]
    return str(record.id_number if label is Label.PERSON else record.number)  # type: ignore[attr-defined]


async def test_nothing_unplanted_is_flagged(province: Province) -> None:
    """The province plants no under-age allowance and nobody in two households."""
    assert await every_finding(province.graph, Rule.UNDER_AGE_ALLOWANCE) == []
    assert await every_finding(province.graph, Rule.TWO_HOUSEHOLDS) == []


SIGNALS = {
    "assisted_legal_representatives": "ENTERPRISE_ROLE",
    "assisted_investors": "INVESTMENT",
    "assisted_vehicle_owners": "VEHICLE",
    "assisted_property_owners": "PROPERTY",
    "assisted_payroll": "PUBLIC_PAYROLL",
}


async def test_assisted_means_are_exactly_the_planted_members(province: Province) -> None:
    found = await every_finding(province.graph, Rule.ASSISTED_MEANS)

    flagged = {(dict(f.entities)[Label.PERSON].id_number, f.detail["signal"]) for f in found}  # type: ignore[attr-defined]
    planted = {(entry["idNumber"], signal) for kind, signal in SIGNALS.items()
               for entry in province.manifest[kind]}  # fmt: skip
    assert {signal for _, signal in planted} == set(SIGNALS.values())
    assert flagged == planted
    for finding in found:
        types = [link.type for link in finding.links]
        assert types[:2] == ["ENROLLED_IN", "MEMBER_OF"]  # the 低保 and the membership
        assert len(types) > 2
        assert all(link.record is not None for link in finding.links)


async def test_hidden_spouses_are_exactly_the_planted_ones(province: Province) -> None:
    planted = province.manifest["assisted_hidden_spouses"]
    found = await every_finding(province.graph, Rule.HIDDEN_SPOUSE)

    pairs = set()
    for finding in found:
        people = [record for label, record in finding.entities if label is Label.PERSON]
        pairs.add((people[0].id_number, people[1].id_number))  # type: ignore[attr-defined]
    assert planted
    assert pairs == {(entry["idNumber"], entry["spouse"]) for entry in planted}


async def test_concurrent_posts_are_exactly_the_planted_cadres(province: Province) -> None:
    planted = province.manifest["concurrent_posts"]
    found = await every_finding(province.graph, Rule.CONCURRENT_POSTS)

    flagged = set()
    for finding in found:
        person, agency, association = (record for _, record in finding.entities)
        flagged.add((person.id_number, agency.uscc, association.uscc))  # type: ignore[attr-defined]
        assert {link.type for link in finding.links} >= {"HOLDS_POST"}
        supervision = [link for link in finding.links if link.type == "SUPERVISED_BY"]
        assert [(link.source.id, link.target.id) for link in supervision] == [
            (association.id, agency.id)
        ]  # the association's own, and no other organization's
        cadre = next(link for link in finding.links if link.target.id == agency.id)
        assert "approvalFiled" not in cadre.properties  # the roster does not say: unknown
        assert all(link.record and link.record.match_key for link in finding.links)
    assert planted
    assert flagged == {(p["idNumber"], p["agency"], p["association"]) for p in planted}


async def test_retired_cadres_break_exactly_the_planted_provision(province: Province) -> None:
    found = await every_finding(province.graph, Rule.RETIRED_CADRE_POSTS)

    broken = {dict(f.entities)[Label.PERSON].id_number: f.detail["breaches"] for f in found}  # type: ignore[attr-defined]
    planted = {entry["idNumber"]: [breach.upper()] for breach in RULES
               for entry in province.manifest[f"retired_cadres_{breach}"]}  # fmt: skip
    assert planted
    assert broken == planted  # and the control group is not flagged
    for finding in found:  # what makes it the same sector: the old agency supervises
        sector = [link for link in finding.links if link.type == "SUPERVISED_BY"]
        assert bool(sector) == ("RECENT_SAME_SECTOR" in finding.detail["breaches"])


async def test_each_county_has_two_associations_not_decoupled(province: Province) -> None:
    """Every county's 养老服务行业协会 is still supervised by its 民政局 (and led by a serving
    deputy director); its 家政服务行业协会 is paid through the 民政局's account; its 餐饮行业协会
    is decoupled."""
    found = await every_finding(province.graph, Rule.NOT_DECOUPLED)
    counties = await province.graph.read(
        "MATCH (r:Region {level: 'COUNTY'}) WHERE EXISTS { (:Organization {industryAssociation: "
        "true})-[:LOCATED_IN]->(r) } RETURN count(r) AS n"
    )

    reasons = Counter(
        (dict(f.entities)[Label.ORGANIZATION].name[-8:], f.detail["reasons"][0])  # type: ignore[attr-defined]
        for f in found
    )
    assert counties[0]["n"] > 0
    assert reasons == {
        ("养老服务行业协会", "SUPERVISED"): counties[0]["n"],  # and OFFICIALS where one serves
        ("家政服务行业协会", "SHARED_FUNDING"): counties[0]["n"],
    }
    for finding in found:
        if "SUPERVISED" in finding.detail["reasons"]:
            assert "SUPERVISED_BY" in {link.type for link in finding.links}
        else:
            assert finding.detail["reasons"] == ["SHARED_FUNDING"]
            assert finding.links == []  # an account is a fact of the node, not a relationship
            assert len(finding.detail["agenciesSharingTheAccount"]) == 1


async def test_officers_relatives_are_the_unfiled_planted_households(province: Province) -> None:
    unfiled = province.manifest["officers_relatives"]
    filed = province.manifest["officers_relatives_filed"]
    found = await every_finding(province.graph, Rule.OFFICERS_RELATIVES)

    assert unfiled
    assert filed
    for entries, flag in ((unfiled, False), (filed, True)):
        assert await province.graph.read(OFFICERS_RELATIVES, planted=entries, filed=flag) == []
    flagged = {(dict(f.entities)[Label.PERSON].id_number, dict(f.entities)[Label.HOUSEHOLD].number)  # type: ignore[attr-defined]
               for f in found}  # fmt: skip
    assert flagged == {(entry["idNumber"], entry["household"]) for entry in unfiled}
    for finding in found:
        assert [link.type for link in finding.links] == ["ENROLLED_IN", "MEMBER_OF", "SERVES"]
        assert finding.detail["relatives"] >= 1
        assert {ref.source for ref in finding.records} == {
            "dibao",
            "household_registration",
            "community_workers",
        }


async def test_assisted_findings_cover_tekun(province: Province) -> None:
    """特困 people with planted means or a hidden spouse are found, with no household
    program but their own enrollment."""
    means = await every_finding(province.graph, Rule.ASSISTED_MEANS)
    spouses = await every_finding(province.graph, Rule.HIDDEN_SPOUSE)

    programs = Counter(f.detail["program"] for f in means + spouses)
    planted = Counter(entry["program"] for kind in SIGNALS for entry in province.manifest[kind])
    assert planted["TEKUN"] > 0
    assert programs["TEKUN"] == planted["TEKUN"] + sum(
        1 for e in province.manifest["assisted_hidden_spouses"] if e["program"] == "TEKUN"
    )


async def household_id(graph: Graph, number: str) -> str:
    rows = await graph.read("MATCH (h:Household {number: $n}) RETURN h.id AS id", n=number)
    return str(rows[0]["id"])


async def test_a_verification_report_shows_the_planted_signals_and_fails_their_checks(
    province: Province,
) -> None:
    owners = province.manifest["assisted_vehicle_owners"]
    vehicle = next(e for e in owners if e["program"] == "DIBAO")
    hidden = province.manifest["assisted_hidden_spouses"][0]
    graph = province.graph

    owner = await verification_report(
        seen_by(graph), await household_id(graph, vehicle["household"]), AS_OF
    )
    married = await verification_report(
        seen_by(graph), await household_id(graph, hidden["household"]), AS_OF
    )
    elsewhere = await verification_report(
        Scoped(graph, NOWHERE), await household_id(graph, vehicle["household"]), AS_OF
    )

    assert owner is not None
    assert married is not None
    member = next(m for m in owner.members if m.person.id_number == vehicle["idNumber"])  # type: ignore[attr-defined]
    plates = [s.link.target.registration for s in member.signals if s.kind == "VEHICLE"]  # type: ignore[attr-defined]
    assert vehicle["plate"] in plates
    assert member.signals[0].link.record is not None
    assert {c.name: c.passed for c in owner.checks}["NO_VEHICLE"] is False
    assert {c.name: c.passed for c in married.checks}["SPOUSES_DECLARED"] is False
    assert any(link.type == "ENROLLED_IN" for link in owner.enrollments)
    assert elsewhere is None


async def test_linkage_and_indicators_have_a_plausible_spread(province: Province) -> None:
    """Not all 0% or 100%: the province has linked, partial and unlinked communities, and
    the shares the plan sets targets for lie strictly between."""
    everything = seen_by(province.graph)
    coverage = await linkage.coverage(everything, "34", 2026, AS_OF, years=3, weakest=5)
    measured = {m.indicator.code: m for m in await indicators.measure(
        everything, "34", 2026, AS_OF, 80, [])}  # fmt: skip

    tally = coverage.region.tally
    assert tally.communities == province.manifest["communities"]
    assert min(tally.linked, tally.partial, tally.none) > 0, tally
    linked_by_year = [t.linked for _, t in coverage.trend]
    assert linked_by_year == sorted(linked_by_year)  # more projects and workers each year
    assert len(coverage.weakest) == 5
    assert all(w.present == set() for w in coverage.weakest)
    for code in ("URBAN_COMMUNITY_FACILITY_COVERAGE", "SERVICE_PLATFORM_COVERAGE",
                 "VERIFICATION_MECHANISM_COUNTIES", "MEDICAL_ASSISTANCE_RATIO",
                 "RURAL_NURSING_HOME_REGISTRATION"):  # fmt: skip
        value = measured[code].value
        assert value is not None
        assert 0 < value < 100, (code, value)
    for code in ("URBAN_COMMUNITY_FACILITY_GROWTH", "DIBAO_STANDARD_URBAN_GROWTH",
                 "DIBAO_STANDARD_RURAL_GROWTH"):  # fmt: skip
        value = measured[code].value
        assert value is not None
        assert 0 < value < 20, (code, value)
    counties = await province.graph.read(
        "MATCH (r:Region {level: 'COUNTY'}) WHERE EXISTS { (:Organization)-[:LOCATED_IN]->(r) } "
        "RETURN count(r) AS n"
    )
    assert measured["PRIVATE_SOCIAL_WORK_AGENCIES"].value == counties[0]["n"]  # one a county
    assert (measured["SOCIAL_ELDERLY_CARE_BEDS"].value or 0) > 0
