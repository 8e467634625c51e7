"""The first load resolves records after the import, against every entity the files create;
online ingest resolves them against those of the sources before. Both see the same
candidates because a run orders every source that resolves, or links to, an entity of a
label after every source that creates entities of that label."""

from __future__ import annotations

from civgraph.ingest.mappings import SOURCES
from civgraph.ingest.run import ordered


def test_a_run_orders_the_sources_that_create_before_those_that_resolve() -> None:
    names = [source.name for source in ordered(sorted(SOURCES))]

    late = [
        (creator.name, source.name)
        for source in SOURCES.values()
        for creator in SOURCES.values()
        if creator is not source
        and creator.creates & source.resolves
        and names.index(creator.name) > names.index(source.name)
    ]
    assert late == []
    assert names.index("community_workers") < names.index("assistance")  # creates people


def test_a_source_still_comes_after_its_dependencies() -> None:
    names = [source.name for source in ordered(sorted(SOURCES))]

    for source in SOURCES.values():
        assert all(names.index(d) < names.index(source.name) for d in source.depends_on)
