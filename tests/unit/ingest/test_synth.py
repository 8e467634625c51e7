"""The synthetic province's files, without a database: one file per mapped source with the
columns its mapping reads, ID numbers that are valid and unique, and person records whose
name, sex, birth date and community agree with the register as the manifest says."""

from __future__ import annotations

import csv
import dataclasses
import json
import re
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from civgraph.graph.errors import InvalidIdentifier
from civgraph.graph.identifiers import parse_resident_id
from civgraph.ingest.fields import Column
from civgraph.ingest.mappings import SOURCES
from civgraph.ingest.readers import read_rows
from civgraph.ingest.run import files_in
from civgraph.ingest.synth import synthesize
from civgraph.ingest.synth.exports import EXPORTS
from civgraph.ingest.synth.identities import NAMED
from civgraph.ingest.synth.names import WRITERS, variant

PEOPLE = 4000
RECORD_SOURCES = ("cremations", "facility_residents")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclasses.dataclass(frozen=True)
class Registered:
    name: str
    born: str
    community: str


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("province")
    synthesize(PEOPLE, 5, out)
    return out


@pytest.fixture(scope="module")
def manifest(province: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((province / "manifest.json").read_text(encoding="utf-8"))
    return loaded


@pytest.fixture(scope="module")
def register(province: Path) -> dict[str, Registered]:
    """Valid registration rows by ID number."""
    people = {}
    for row in csv_rows(province / "household_registration.csv", "gbk"):
        if valid_id(row["身份证号"]):
            people[row["身份证号"]] = Registered(row["姓名"], row["入户日期"], row["社区代码"])
    return people


def csv_rows(path: Path, encoding: str = "utf-8") -> list[dict[str, str]]:
    with path.open(encoding=encoding, newline="") as file:
        return list(csv.DictReader(file))


def valid_id(number: str) -> bool:
    try:
        parse_resident_id(number)
    except InvalidIdentifier:
        return False
    return True


def columns_of(value: object) -> set[str]:
    """Every column a mapping (or a part of one) reads."""
    if isinstance(value, Column):
        return {value.name} if value.name else set()
    if isinstance(value, Mapping):
        return set().union(*(columns_of(item) for item in value.values()))
    if isinstance(value, tuple | list):
        return set().union(*(columns_of(item) for item in value))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return set().union(*(columns_of(getattr(value, f.name)) for f in dataclasses.fields(value)))
    return set()


def records(province: Path) -> list[tuple[str, dict[str, str]]]:
    return [
        (source, row) for source in RECORD_SOURCES for row in csv_rows(province / f"{source}.csv")
    ]


def test_every_mapped_source_has_one_file_with_the_columns_its_mapping_reads(
    province: Path,
) -> None:
    found = files_in(province)

    assert set(found) == set(SOURCES)
    for name, source in SOURCES.items():
        assert [path.name for path in found[name]] == [EXPORTS[name].file]
        header = set(next(read_rows(found[name][0])).values)
        assert columns_of(source) <= header, name


def test_the_province_has_about_the_people_asked_for(manifest: dict[str, Any]) -> None:
    assert 0.97 * PEOPLE <= manifest["people"] <= 1.05 * PEOPLE


def test_resident_id_numbers_are_unique_to_a_person(province: Path) -> None:
    rows = {tuple(row.values()) for row in csv_rows(province / "household_registration.csv", "gbk")}
    numbers = Counter(row[4] for row in rows if valid_id(row[4]))

    assert numbers
    assert [number for number, count in numbers.items() if count > 1] == []


def test_person_records_name_the_person_as_registered_or_as_a_known_variant(
    province: Path, register: dict[str, Registered]
) -> None:
    variants = 0
    for _, row in records(province):
        assert row["性别"] in ("男", "女")
        assert ISO_DATE.match(row["出生日期"])
        assert len(row["社区代码"]) == 12
        person = register.get(row["身份证号"])
        if person is None:
            continue
        assert (row["出生日期"], row["社区代码"]) == (person.born, person.community)
        if row["姓名"] != person.name:
            variants += 1
            assert row["姓名"] in {write(person.name) for write in WRITERS.values()}
    assert variants


def test_the_unkeyed_list_is_every_record_without_an_id_number(
    province: Path, manifest: dict[str, Any]
) -> None:
    unkeyed = {(s, row[next(iter(row))]) for s, row in records(province) if not row["身份证号"]}

    assert unkeyed == {(entry["source"], entry["recordKey"]) for entry in manifest["unkeyed"]}
    assert {e["variant"] for e in manifest["unkeyed"]} <= {"none", *WRITERS}


def test_an_unkeyed_record_names_its_person_as_its_variant_says(
    province: Path, manifest: dict[str, Any], register: dict[str, Registered]
) -> None:
    rows = {row[next(iter(row))]: row for _, row in records(province)}

    for entry in manifest["unkeyed"]:
        if entry["idNumber"] is None:  # not registered anywhere
            continue
        person, row = register[entry["idNumber"]], rows[entry["recordKey"]]
        expected = (
            person.name if entry["variant"] == "none" else WRITERS[entry["variant"]](person.name)
        )
        assert row["姓名"] == expected
        assert (row["出生日期"], row["社区代码"]) == (person.born, person.community)


def test_every_person_registry_has_rows_without_an_id_number_that_name_the_person(
    province: Path, manifest: dict[str, Any], register: dict[str, Registered]
) -> None:
    listed = {(e["source"], e["recordKey"]): e for e in manifest["unkeyed_rows"]}
    found = {}
    for source, named in NAMED.items():
        for row in read_rows(province / EXPORTS[source].file):
            record = row.values[EXPORTS[source].header[0]]
            for left_out in (n for n in named if not row.values[n.id_column]):
                found[source, record] = (left_out, row.values)

    assert found.keys() == listed.keys()
    assert {source for source, _ in found} == set(NAMED) - {"community_workers"}  # all relied on
    for key, (named_by, values) in found.items():
        entry, sex = listed[key], values.get(named_by.prefix + "性别")
        person = register[entry["idNumber"]]
        assert entry["column"] == named_by.id_column
        assert values[named_by.prefix + "姓名"] == person.name
        assert values[named_by.prefix + "出生日期"] == person.born
        assert sex in (None, "男" if int(entry["idNumber"][16]) % 2 else "女")


def test_hard_cases_are_planted_at_three_per_thousand(manifest: dict[str, Any]) -> None:
    quota = max(2, 3 * PEOPLE // 1000)

    assert len(manifest["ambiguous"]) >= quota
    assert len(manifest["unregistered"]) >= quota


def test_an_ambiguous_person_has_a_namesake_registered_in_another_community(
    manifest: dict[str, Any], register: dict[str, Registered]
) -> None:
    unkeyed = {entry["recordKey"] for entry in manifest["unkeyed"]}

    for entry in manifest["ambiguous"]:
        person, namesake = register[entry["idNumber"]], register[entry["namesake"]]
        assert entry["recordKey"] in unkeyed
        assert (namesake.name, namesake.born) == (person.name, person.born)
        assert namesake.community != person.community == entry["communityCode"]


def test_an_unregistered_person_has_a_record_without_id_and_no_registration(
    province: Path, manifest: dict[str, Any], register: dict[str, Registered]
) -> None:
    rows = {row[next(iter(row))]: row for _, row in records(province)}
    unkeyed = {entry["recordKey"]: entry for entry in manifest["unkeyed"]}

    for entry in manifest["unregistered"]:
        row = rows[entry["recordKey"]]
        assert unkeyed[entry["recordKey"]]["idNumber"] is None
        assert row["身份证号"] == ""
        assert (row["姓名"], row["出生日期"]) == (entry["name"], entry["birthDate"])
        assert row["社区代码"] == entry["communityCode"]


@pytest.mark.parametrize(
    ("name", "kind", "written"),
    [
        ("陈伟", "traditional", "陳偉"),
        ("王建国", "typo", "王建郭"),
        ("王建国", "dropped", "王建"),
        ("李秀英", "space", "李\u3000秀英"),
        ("欧阳娜", "space", "欧阳\u3000娜"),
        ("张伟", "space", "张 伟"),
        ("李秀英", "traditional", "李\u3000秀英"),  # no traditional form: the next kind
        ("张伟", "dropped", "张玮"),  # one given-name character: the next kind that applies
    ],
)
def test_a_name_variant_is_the_kind_asked_for_or_the_next_that_applies(
    name: str, kind: str, written: str
) -> None:
    assert variant(name, list(WRITERS).index(kind))[0] == written
