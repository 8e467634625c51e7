"""People and households: who lives together, their names, birth dates and resident ID
numbers (whose birth date and sex are the person's)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from civgraph.graph.identifiers import make_resident_id
from civgraph.ingest.synth.names import Names
from civgraph.ingest.synth.province import ALWAYS_VALID, AS_OF, County, age

SERIALS = 500  # sequence numbers a county code has per birth date and sex
SHARED = 4  # of those, each county's share in each always-valid code
CHILDREN = (0, 0, 1, 1, 2, 3)
MEAN_SIZE = 1 + 0.75 + sum(CHILDREN) / len(CHILDREN)
ADULT_DAYS = 18 * 365 + 5


@dataclass(frozen=True, slots=True)
class Member:
    id_number: str
    name: str
    born: date
    male: bool
    relation: str  # HEAD, SPOUSE, CHILD
    community: str  # where the person is registered

    @property
    def age(self) -> int:
        return age(self.born)


class Issuer:
    """Resident ID numbers. A county issues its own code's numbers to people born since the
    code exists; older people get a number in one of the always-valid codes, in the slice
    of its sequence numbers that belongs to the county. Sequences restart with each county,
    so memory does not grow with the province."""

    def __init__(self) -> None:
        self.sequences: dict[tuple[date, bool, bool], int] = {}

    def start(self) -> None:
        self.sequences.clear()

    def issue(self, county: County, born: date, male: bool) -> str:
        own = born.year >= county.since and county.code not in ALWAYS_VALID
        key = (born, male, own)
        self.sequences[key] = sequence = self.sequences.get(key, -1) + 1
        code, slot = (county.code, sequence) if own else shared_slot(county, sequence)
        if slot >= SERIALS:
            raise OverflowError("too many people born on one day in one county")
        return make_resident_id(code, born, slot * 2 + (1 if male else 0))


def shared_slot(county: County, sequence: int) -> tuple[str, int]:
    """The always-valid code and sequence number of a county's `sequence`-th person born on
    a day before its own code existed."""
    code, slot = divmod(sequence, SHARED)
    if code >= len(ALWAYS_VALID):
        raise OverflowError("too many people born on one day in one county")
    return ALWAYS_VALID[code], county.position * SHARED + slot


class People:
    """Draws households of synthetic people."""

    def __init__(self, rng: random.Random, names: Names, issuer: Issuer) -> None:
        self.random, self.names, self.issuer = rng, names, issuer

    def birth(self, low: int, high: int) -> date:
        return AS_OF - timedelta(days=self.random.randint(low * 365, high * 365))

    def person(
        self, county: County, community: str, born: date, male: bool, relation: str
    ) -> Member:
        id_number = self.issuer.issue(county, born, male)
        return Member(id_number, self.names.name(male), born, male, relation, community)

    def twin(self, county: County, community: str, of: Member) -> Member:
        """Someone else with the same name, birth date and sex (a namesake)."""
        id_number = self.issuer.issue(county, of.born, of.male)
        return Member(id_number, of.name, of.born, of.male, "HEAD", community)

    def spouse_of(self, county: County, community: str, head: Member, relation: str) -> Member:
        """Someone of the other sex born within about four years of `head`, and adult."""
        born = head.born + timedelta(days=self.random.randint(-1500, 1500))
        adult = min(born, AS_OF - timedelta(days=ADULT_DAYS))
        return self.person(county, community, adult, not head.male, relation)

    def household(self, county: County, community: str) -> list[Member]:
        head_born = self.birth(22, 95)
        head = self.person(county, community, head_born, self.random.random() < 0.6, "HEAD")
        members = [head]
        if self.random.random() < 0.75:
            members.append(self.spouse_of(county, community, head, "SPOUSE"))
        latest = min(14000, (AS_OF - head_born).days - 30)
        for _ in range(self.random.choice(CHILDREN)):
            born = head_born + timedelta(days=self.random.randint(7000, latest))
            male = self.random.random() < 0.5
            members.append(self.person(county, community, born, male, "CHILD"))
        return members


def partner_of(member: Member, members: list[Member]) -> Member | None:
    """The head's spouse, or the spouse's head, when both are in `members`."""
    couple = ("HEAD", "SPOUSE")
    if member.relation not in couple:
        return None
    return next((m for m in members if m is not member and m.relation in couple), None)
