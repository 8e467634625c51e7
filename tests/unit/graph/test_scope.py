"""Region scope by structure: no public read of `civgraph.graph` can run without a scope, and
one helper writes every region condition.

The rule for reads (what `test_every_read_takes_a_scoped_graph_first` checks): every public
coroutine or async generator function defined in a module of `civgraph.graph` is a read,
and takes a `Scoped` (the request's scoped graph) as its first parameter, with no parameter
called `scope` (the scope travels in the `Scoped`, never as an optional extra) — unless
- its first parameter is a `Transaction`: a step of a write's unit of work, which has its
  own scope (`Write.scope`, `Decider.scope`, never optional);
- its name says it writes: it starts with one of WRITE_PREFIXES, or is one of WRITES;
- it is one of SYSTEM_READS, each with the reason it reads as the system.
A new read is held to the rule by default: to read without a scope, it must be listed here
with a reason.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any, get_type_hints

import pytest

import civgraph.graph
from civgraph.graph.catalog import Label
from civgraph.graph.driver import Transaction
from civgraph.graph.models import Stored
from civgraph.graph.scope import EVERYTHING, NOTHING, NOWHERE, Scope, Scoped, in_scope, within

WRITE_PREFIXES = ("upsert_", "create_", "update_", "delete_", "load_", "prune", "migrate")
WRITES = {
    "civgraph.graph.connection.open_graph": "opens the driver (and the managed server)",
    "civgraph.graph.driver.connect": "opens the driver",
    "civgraph.graph.links.link_all": "upserts relationships (ingest)",
    "civgraph.graph.writes.link": "a mutation: creates a relationship, within Write.scope",
    "civgraph.graph.writes.end_link": "a mutation: ends a relationship, within Write.scope",
    "civgraph.graph.writes.unlink": "a mutation: deletes a relationship, within Write.scope",
    "civgraph.graph.writes.transact": "runs a mutation's unit of work, within Write.scope",
    "civgraph.graph.decisions.decide": "an investigator's decision, within Decider.scope",
    "civgraph.graph.decisions.confirm": "an investigator's decision, within Decider.scope",
    "civgraph.graph.decisions.reject": "an investigator's decision, within Decider.scope",
    "civgraph.graph.decisions.split": "an investigator's decision, within Decider.scope",
    "civgraph.graph.rules.reviews.review": "marks a finding (reviewFinding)",
    "civgraph.graph.changes.mark_initial_load": "the first load's marker in the change feed",
    "civgraph.graph.migrations.restore_kept": "the first load: bookkeeping back, no entity",
}
SYSTEM_READS = {
    "civgraph.graph.changes.pruned_through": "the change sequence's bookkeeping: no entity",
    "civgraph.graph.changes.initial_load_marked": "the first load: its feed marker, no entity",
    "civgraph.graph.migrations.has_data": "start-up: whether the database is empty",
    "civgraph.graph.migrations.read_kept": "the first load: bookkeeping to keep, no entity",
    "civgraph.graph.indicators.targets_loaded": "start-up: whether plan targets are loaded",
    "civgraph.graph.indicators.stored_targets": "the work plan's published targets: no entity",
    "civgraph.graph.rules.reviews.reviews": "marks on findings, by the keys of findings a "
    "scoped read has just returned; they belong to no region",
    "civgraph.graph.resolution.candidates": "ingest's entity resolution (the system)",
    "civgraph.graph.resolution.decided": "ingest's entity resolution (the system)",
}


def graph_modules() -> Iterator[ModuleType]:
    for found in pkgutil.walk_packages(civgraph.graph.__path__, "civgraph.graph."):
        yield importlib.import_module(found.name)


def public_async_functions() -> Iterator[tuple[str, Callable[..., Any]]]:
    for module in graph_modules():
        for name, value in vars(module).items():
            if name.startswith("_") or getattr(value, "__module__", None) != module.__name__:
                continue
            if inspect.iscoroutinefunction(value) or inspect.isasyncgenfunction(value):
                yield f"{module.__name__}.{name}", value


def first_parameter_type(function: Callable[..., Any]) -> object:
    first = next(iter(inspect.signature(function).parameters))
    return get_type_hints(function).get(first)


def is_read(name: str, function: Callable[..., Any]) -> bool:
    short = name.rsplit(".", 1)[1]
    return not (
        first_parameter_type(function) is Transaction
        or short.startswith(WRITE_PREFIXES)
        or name in WRITES
        or name in SYSTEM_READS
    )


READS = sorted(name for name, function in public_async_functions() if is_read(name, function))


def test_the_rule_finds_the_reads_it_is_meant_for() -> None:
    assert {
        "civgraph.graph.nodes.get_nodes", "civgraph.graph.links.list_links",
        "civgraph.graph.pages.list_page", "civgraph.graph.pages.count",
        "civgraph.graph.search.search", "civgraph.graph.provenance.sources_of",
        "civgraph.graph.rules.findings", "civgraph.graph.rules.every_finding",
        "civgraph.graph.changes.read_changes", "civgraph.graph.indicators.measure",
    } <= set(READS)  # fmt: skip


@pytest.mark.parametrize("name", READS)
def test_every_read_takes_a_scoped_graph_first(name: str) -> None:
    function = dict(public_async_functions())[name]

    assert first_parameter_type(function) is Scoped, f"{name} must take a Scoped first"
    assert "scope" not in inspect.signature(function).parameters, (
        f"{name}: the scope travels in its Scoped"
    )


def test_no_function_of_the_graph_layer_defaults_a_scope() -> None:
    for name, function in public_async_functions():
        for parameter in inspect.signature(function).parameters.values():
            if parameter.name in ("scope", "scoped"):
                assert parameter.default is inspect.Parameter.empty, name


def test_the_lists_of_exceptions_name_functions_that_exist() -> None:
    names = dict(public_async_functions())

    assert set(WRITES) | set(SYSTEM_READS) <= set(names)


# --- the one region condition -------------------------------------------------------------

GRAPH_SOURCES = Path(civgraph.graph.__file__).parent
# Where `STARTS WITH` may be written by hand: the helper itself, the filter operator a
# client's `startsWith` maps to, and prefixes of names (not of division codes).
STARTS_WITH_ALLOWED = {"scope.py", "filters.py", "search.py", "resolution.py"}
REGION_PREFIX = re.compile(r"(divisionCode|\.code|regions?|\$prefix|\$scope)\W*STARTS WITH|"
                           r"STARTS WITH\s*\$(prefix|scope|region)")  # fmt: skip


@pytest.mark.parametrize("path", sorted(GRAPH_SOURCES.rglob("*.py")), ids=str)
def test_no_region_condition_is_written_by_hand(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    if path.name == "scope.py":
        return
    assert not REGION_PREFIX.search(text), f"{path}: write region conditions with in_scope"
    if path.name not in STARTS_WITH_ALLOWED:
        assert "STARTS WITH" not in text.replace("`STARTS WITH`", ""), path


@pytest.mark.parametrize(
    ("label", "test"),
    [
        (Label.PERSON, "($scope IS NULL OR n.divisionCode STARTS WITH $scope)"),
        (Label.REGION, "($scope IS NULL OR n.code STARTS WITH $scope)"),
        (Label.PROGRAM, "true"),
        (Label.ASSET, "($scope IS NULL OR EXISTS { MATCH (owner)-[:OWNS]->(n) "
                      "WHERE owner.divisionCode STARTS WITH $scope })"),
    ],
)  # fmt: skip
def test_the_readers_scope_is_one_test_null_meaning_everything(label: Label, test: str) -> None:
    assert in_scope("n", label) == test


def test_a_region_asked_for_is_a_plain_test_an_index_can_answer() -> None:
    assert in_scope("p", Label.PERSON, "$prefix") == "p.divisionCode STARTS WITH $prefix"
    assert in_scope("f", Label.FACILITY, "r.code") == "f.divisionCode STARTS WITH r.code"
    assert in_scope("h", Label.HOUSEHOLD, "$prefix", seek=False) == (
        "substring(h.divisionCode, 0, size($prefix)) = $prefix"
    )
    assert within("$prefix", "r.code") == "$prefix STARTS WITH r.code"


# --- the scope ------------------------------------------------------------------------------


def test_a_principals_scope_is_its_regions_subtree_and_the_system_sees_everything() -> None:
    assert Scope.of("340100") == Scope("3401")
    assert Scope.of("340104001") == Scope("340104001")
    assert Scope.of(None) is EVERYTHING
    assert EVERYTHING.prefix is None


@pytest.mark.parametrize(
    ("scope", "asked", "seen"),
    [
        (EVERYTHING, "34", "34"),
        (Scope("3401"), "34", "3401"),  # a city's reader asking for the province: its city
        (Scope("3401"), "340104", "340104"),  # a county of its city
        (Scope("3401"), "3402", NOTHING),  # another city: nothing
        (NOWHERE, "34", NOTHING),
    ],
)
def test_a_region_asked_for_is_narrowed_to_the_scope(scope: Scope, asked: str, seen: str) -> None:
    assert scope.narrow(asked) == seen
    assert scope.narrow(scope.narrow(asked)) == seen  # narrowing twice changes nothing


class Entity(Stored):
    division_code: str | None = None


def entity(code: str | None) -> Entity:
    now = "2026-01-01T00:00:00Z"
    return Entity.model_validate(
        {"id": "x", "source": "test", "recordKey": "x", "firstSeen": now, "lastSeen": now,
         "divisionCode": code}
    )  # fmt: skip


def test_what_was_read_is_judged_as_the_cypher_test_judges_it() -> None:
    county = Scope("340104")

    assert county.sees(Label.PERSON, entity("340104001001"))
    assert not county.sees(Label.PERSON, entity("340111001001"))
    assert not county.sees(Label.PERSON, entity(None))  # no division code: unscoped only
    assert EVERYTHING.sees(Label.PERSON, entity(None))
    assert county.sees(Label.PROGRAM, entity(None))
    assert not county.sees(Label.ASSET, entity("340104"))  # only through its owner
