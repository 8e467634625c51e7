"""What the parts of the generator share: the random source, names, the sink, the
manifest, serial numbers; and the county and community being generated."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from civgraph.ingest.synth.agencies import CountyOrganizations
from civgraph.ingest.synth.exports import EXPORTS
from civgraph.ingest.synth.identities import Identities
from civgraph.ingest.synth.manifest import Manifest
from civgraph.ingest.synth.names import Names
from civgraph.ingest.synth.noise import Sink
from civgraph.ingest.synth.people import Member, People
from civgraph.ingest.synth.province import AS_OF, County


@dataclass
class Context:
    random: random.Random
    names: Names
    people: People
    sink: Sink
    manifest: Manifest
    target: int  # people asked for
    identities: Identities
    serials: dict[str, int] = field(default_factory=dict)

    def next(self, name: str) -> int:
        self.serials[name] = serial = self.serials.get(name, 0) + 1
        return serial

    def emit(self, source: str, row: list[str], noise: bool = True) -> bool:
        """Writes `row` with the columns saying who it names (`identities`); returns whether
        it went out valid."""
        row, noise = self.identities.complete(source, EXPORTS[source].header, row, noise)
        return self.sink.emit(source, row, noise)

    def chance(self, share: float) -> bool:
        return self.random.random() < share

    def days_ago(self, low: int, high: int) -> date:
        return AS_OF - timedelta(days=self.random.randint(low, high))

    def since(self, year: int) -> str:
        """A day from the start of `year` to the exports' day."""
        return self.days_ago(0, (AS_OF - date(year, 1, 1)).days).isoformat()


@dataclass
class Community:
    code: str
    township: str
    name: str
    urban: bool
    households: int = 0

    def next_number(self) -> str:
        self.households += 1
        return f"{self.code}-{self.households:04d}"


@dataclass
class Area:
    """The county being generated, and what its people are remembered for (a few each)."""

    county: County
    neighbor: County  # where double enrollments are approved a second time
    organizations: CountyOrganizations
    communities: list[Community] = field(default_factory=list)
    townships: dict[str, str] = field(default_factory=dict)  # code → name
    staff: list[Member] = field(default_factory=list)  # working age, to staff agencies
    seniors: list[Member] = field(default_factory=list)  # 62-68: retired cadres
    elders: list[Member] = field(default_factory=list)  # 72-79: retired cadres over 70
    recent_adult: Member | None = None  # someone to be a company's legal representative

    @property
    def code(self) -> str:
        return self.county.code

    def remember(self, member: Member) -> None:
        """Keeps a few people of each age group (not assisted, alive, not in care)."""
        years = member.age
        if 22 <= years <= 65:
            self.recent_adult = member
        for pool, low, high, size in (
            (self.staff, 30, 58, 6),
            (self.seniors, 62, 68, 6),
            (self.elders, 72, 79, 2),
        ):
            if low <= years <= high and len(pool) < size:
                pool.append(member)
