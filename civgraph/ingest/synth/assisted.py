"""Situations planted in 低保 households and on 特困 people: a member who is a company's
legal representative, a company's investor, a vehicle owner, the owner of more than one
property, on the public payroll (低保 only: the 特困 are 60 or older); or a head whose
spouse on the marriage register is registered in another household. For each program,
every household gets one until each situation is planted once, then a quarter of them do;
each time the situation planted least so far that the household can hold."""

from __future__ import annotations

from collections.abc import Callable

from civgraph.ingest.synth.context import Area, Community, Context
from civgraph.ingest.synth.economy import Economy
from civgraph.ingest.synth.households import Registrar
from civgraph.ingest.synth.manifest import ASSISTED_KINDS, Planted
from civgraph.ingest.synth.people import Member

PLANTED_SHARE = 0.25

AGES = {"assisted_payroll": (22, 59), "assisted_hidden_spouses": (25, 75)}
PROGRAMS = {
    "DIBAO": ASSISTED_KINDS,
    "TEKUN": tuple(kind for kind in ASSISTED_KINDS if kind != "assisted_payroll"),
}


class Assisted:
    def __init__(self, ctx: Context, economy: Economy, registrar: Registrar) -> None:
        self.ctx, self.economy, self.registrar = ctx, economy, registrar
        self.counts = {program: dict.fromkeys(kinds, 0) for program, kinds in PROGRAMS.items()}
        self.planters: dict[str, Callable[[Area, Community, Member], Planted]] = {
            "assisted_legal_representatives": self.legal_representative,
            "assisted_investors": self.investor,
            "assisted_vehicle_owners": self.vehicle_owner,
            "assisted_property_owners": self.property_owner,
            "assisted_payroll": self.payroll,
            "assisted_hidden_spouses": self.hidden_spouse,
        }

    def choose(
        self, program: str, members: list[Member], generated: list[Member]
    ) -> tuple[str, Member] | None:
        """The next situation this household (on `program`) can hold, and who holds it; or
        none."""
        counts = self.counts[program]
        if min(counts.values()) > 0 and not self.ctx.chance(PLANTED_SHARE):
            return None
        for kind in sorted(counts, key=counts.__getitem__):
            if chosen := self.eligible(program, kind, members, generated):
                counts[kind] += 1
                return kind, chosen
        return None

    def eligible(
        self, program: str, kind: str, members: list[Member], generated: list[Member]
    ) -> Member | None:
        low, high = AGES.get(kind, (22, 65)) if program == "DIBAO" else (60, 120)
        if kind == "assisted_hidden_spouses":
            alone = all(member.relation != "SPOUSE" for member in generated)
            head = members[0]
            return head if alone and head.relation == "HEAD" and low <= head.age <= high else None
        return next((member for member in members if low <= member.age <= high), None)

    def plant(
        self,
        area: Area,
        community: Community,
        household: str,
        program: str,
        kind: str,
        member: Member,
    ) -> None:
        entry = self.planters[kind](area, community, member)
        self.ctx.manifest.plant(
            kind,
            {"idNumber": member.id_number, "household": household, "program": program} | entry,
        )

    def legal_representative(self, area: Area, community: Community, member: Member) -> Planted:
        uscc = self.economy.enterprise(area)
        self.economy.officer(member, uscc, "法定代表人", noise=False)
        return {"uscc": uscc}

    def investor(self, area: Area, community: Community, member: Member) -> Planted:
        uscc = self.economy.enterprise(area)
        if area.recent_adult is not None:
            self.economy.officer(area.recent_adult, uscc, "法定代表人")
        self.economy.investor(member, uscc, self.ctx.random.choice((10, 20, 30, 49)), noise=False)
        return {"uscc": uscc}

    def vehicle_owner(self, area: Area, community: Community, member: Member) -> Planted:
        return {"plate": self.economy.vehicle(area, member, deregistered=False, noise=False)}

    def property_owner(self, area: Area, community: Community, member: Member) -> Planted:
        count = self.ctx.random.choice((2, 2, 3))
        certificates = [self.economy.estate(area, member, False, noise=False) for _ in range(count)]
        return {"certificates": certificates}

    def payroll(self, area: Area, community: Community, member: Member) -> Planted:
        employer = self.ctx.random.choice(area.organizations.employers)
        self.economy.payroll(member, employer, left=False, noise=False)
        return {"uscc": employer}

    def hidden_spouse(self, area: Area, community: Community, member: Member) -> Planted:
        """The spouse lives, on paper, in a household of their own."""
        spouse = self.ctx.people.spouse_of(area.county, community.code, member, "HEAD")
        number, _ = self.registrar.register(community, [spouse], noise=False)
        certificate = self.registrar.marriage(member, spouse, noise=False)
        return {"spouse": spouse.id_number, "spouseHousehold": number, "marriage": certificate}
