"""Paths and neighborhoods on a hand-built graph whose answers are known."""

from __future__ import annotations

from datetime import date

from civgraph.graph.catalog import Label, Rel
from civgraph.graph.driver import Graph
from civgraph.graph.models import Investment, MemberRelation, OrganizationKind, Post
from civgraph.graph.nodes import get_nodes_by_key
from civgraph.graph.tracing import TIES, Path, neighborhood, paths
from tests import builders

TODAY, BEFORE = date(2026, 6, 30), date(2019, 6, 30)


async def small_world(graph: Graph) -> dict[str, tuple[Label, str]]:
    """A and B share household H-1; A invested in O until 2020; C holds a post in O."""
    await builders.regions(graph)
    couple = [("甲", date(1960, 1, 1), MemberRelation.HEAD),
              ("乙", date(1962, 1, 1), MemberRelation.SPOUSE)]  # fmt: skip
    a, b = await builders.household(graph, "H-1", couple)
    (c,) = await builders.household(graph, "H-2", [("丙", date(1970, 1, 1), MemberRelation.HEAD)],
                                    start=3)  # fmt: skip
    company = await builders.organization(graph, "某公司", OrganizationKind.ENTERPRISE, 7)
    await builders.link(graph, Rel.INVESTED_IN, (Label.PERSON, a), (Label.ORGANIZATION, company),
                        Investment(share_percent=30), since=date(2015, 1, 1),
                        until=date(2020, 1, 1))  # fmt: skip
    await builders.link(graph, Rel.HOLDS_POST, (Label.PERSON, c), (Label.ORGANIZATION, company),
                        Post(title="监事"), since=date(2015, 1, 1))  # fmt: skip
    people = await get_nodes_by_key(builders.seen_by(graph), Label.PERSON, [a, b, c])
    return {name: (Label.PERSON, people[key].id) for name, key in (("a", a), ("b", b), ("c", c))}


async def test_the_shortest_connection_on_a_day_through_the_ties_asked_for(graph: Graph) -> None:
    world = await small_world(graph)

    async def trace(
        source: str, target: str, hops: int, on: date, via: tuple[Rel, ...] = TIES
    ) -> list[Path]:
        return await paths(
            builders.seen_by(graph),
            world[source],
            world[target],
            hops=hops,
            via=via,
            as_of=on,
        )

    then = await trace("b", "c", 6, BEFORE)
    too_short = await trace("b", "c", 3, BEFORE)
    now = await trace("b", "c", 6, TODAY)
    households_only = await trace("a", "c", 6, BEFORE, (Rel.MEMBER_OF,))

    [path] = then
    assert [getattr(n, "name", None) or getattr(n, "number", None) for _, n in path.nodes] == [
        "乙", "H-1", "甲", "某公司", "丙",
    ]  # fmt: skip
    assert [link.type for link in path.links] == ["MEMBER_OF", "MEMBER_OF", "INVESTED_IN",
                                                 "HOLDS_POST"]  # fmt: skip
    assert too_short == now == households_only == []


async def test_a_neighborhood_is_bounded_and_says_when_it_was_cut(graph: Graph) -> None:
    world = await small_world(graph)

    one = await neighborhood(
        builders.seen_by(graph), world["a"], hops=1, via=TIES, as_of=BEFORE, limit=10
    )
    two = await neighborhood(
        builders.seen_by(graph), world["a"], hops=2, via=TIES, as_of=BEFORE, limit=10
    )
    cut = await neighborhood(
        builders.seen_by(graph), world["a"], hops=2, via=TIES, as_of=BEFORE, limit=3
    )
    elsewhere = await neighborhood(builders.seen_by(graph, builders.OTHER_COUNTY), world["a"],
                                   hops=2, via=TIES, as_of=BEFORE, limit=10)  # fmt: skip

    assert sorted(link.type for link in one.links) == ["INVESTED_IN", "MEMBER_OF"]
    assert sorted(link.type for link in two.links) == ["HOLDS_POST", "INVESTED_IN", "MEMBER_OF",
                                                      "MEMBER_OF"]  # fmt: skip
    assert (one.truncated, two.truncated) == (False, False)
    assert (len(cut.links), cut.truncated) == (3, True)
    assert elsewhere.links == []
