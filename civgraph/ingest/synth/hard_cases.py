"""Hard cases for entity resolution, at least 3 per 1,000 people (and at least 2) of each
kind, spread over the province: an unkeyed residence record of someone with a namesake
(same name, sex and birth date) registered in another community (`ambiguous`), and
unkeyed records of people who are not in the household register at all
(`unregistered`)."""

from __future__ import annotations

import math
from collections import deque

from civgraph.ingest.synth.context import Area, Community, Context
from civgraph.ingest.synth.facilities import Facilities
from civgraph.ingest.synth.households import Registrar
from civgraph.ingest.synth.people import Member
from civgraph.ingest.synth.records import PersonRecords, Written

PER_THOUSAND = 3
CANDIDATE_AGE = 80


class HardCases:
    def __init__(
        self, ctx: Context, registrar: Registrar, facilities: Facilities, records: PersonRecords
    ) -> None:
        self.ctx, self.registrar = ctx, registrar
        self.facilities, self.records = facilities, records
        self.quota = max(2, math.ceil(PER_THOUSAND * ctx.target / 1000))
        self.candidates: deque[Member] = deque(maxlen=8)
        self.planted = {"ambiguous": 0, "unregistered": 0}

    def offer(self, member: Member) -> None:
        """Someone alive, at home and old enough to enter a care home under a name alone."""
        if member.age >= CANDIDATE_AGE:
            self.candidates.append(member)

    def due(self, kind: str, final: bool) -> bool:
        planted = self.planted[kind]
        share = self.ctx.manifest.people / self.ctx.target
        return planted < self.quota and (final or planted < self.quota * share + 1)

    def community_started(self, area: Area, community: Community, final: bool = False) -> None:
        while self.due("ambiguous", final) and (original := self.candidate(community)):
            self.namesake(area, community, original)

    def candidate(self, community: Community) -> Member | None:
        for member in self.candidates:
            if member.community != community.code:
                self.candidates.remove(member)
                return member
        return None

    def namesake(self, area: Area, community: Community, original: Member) -> None:
        twin = self.ctx.people.twin(area.county, community.code, original)
        self.registrar.register(community, [twin], noise=False)
        home = self.facilities.welfare_center(area)
        written = self.facilities.admit(
            original, home, (self.ctx.days_ago(60, 1500), None), unkeyed=True
        )
        self.planted["ambiguous"] += 1
        self.ctx.manifest.plant(
            "ambiguous",
            {"source": "facility_residents", "recordKey": written.key,
             "idNumber": original.id_number, "namesake": twin.id_number, "name": original.name,
             "birthDate": original.born.isoformat(), "communityCode": original.community},
        )  # fmt: skip

    def county_finished(self, area: Area, final: bool = False) -> None:
        if final:
            self.community_started(area, area.communities[-1], final=True)
        while self.due("unregistered", final):
            self.stranger(area)

    def stranger(self, area: Area) -> None:
        """Someone the register does not know: an unidentified death or a rescued person."""
        male = self.ctx.chance(0.5)
        community = self.ctx.random.choice(area.communities)
        born = self.ctx.people.birth(20, 90)
        person = Member("", self.ctx.names.name(male), born, male, "", community.code)
        source, written = self.unregistered_record(area, person)
        self.planted["unregistered"] += 1
        self.ctx.manifest.plant(
            "unregistered",
            {"source": source, "recordKey": written.key, "name": person.name,
             "sex": "男" if male else "女", "birthDate": born.isoformat(),
             "communityCode": community.code},
        )  # fmt: skip

    def unregistered_record(self, area: Area, person: Member) -> tuple[str, Written]:
        if self.planted["unregistered"] % 2:
            died = self.ctx.days_ago(30, 700)
            home = self.facilities.funeral_home(area)
            return "cremations", self.records.cremation(person, home, died, unkeyed=True)
        rescue = self.facilities.rescue_station(area)
        period = (self.ctx.days_ago(10, 300), None)
        return "facility_residents", self.facilities.admit(person, rescue, period, unkeyed=True)
