"""Household registration (户籍) and the marriage register."""

from __future__ import annotations

from datetime import timedelta

from civgraph.ingest.synth.context import Community, Context
from civgraph.ingest.synth.people import Member
from civgraph.ingest.synth.province import AS_OF, anniversary

RELATION_WORDS = {"HEAD": "户主", "SPOUSE": "配偶", "CHILD": "子女", "PARENT": "父母"}
MARRIED_SHARE = 0.9  # of couples living together, those the register has


class Registrar:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def register(
        self, community: Community, members: list[Member], noise: bool = True
    ) -> tuple[str, list[Member]]:
        """Writes a household; returns its number and the members whose rows are valid."""
        number = community.next_number()
        address = f"{community.name}合成路{community.households}号"
        kind = "城镇" if community.urban else "农村"
        valid = []
        for member in members:
            relation = RELATION_WORDS[member.relation]
            row = [number, address, community.code, kind, member.id_number, member.name]
            row += [relation, member.born.isoformat(), self.phone()]
            if self.ctx.emit("household_registration", row, noise):
                valid.append(member)
                self.ctx.identities.register(member)
        self.ctx.manifest.people += len(valid)
        self.ctx.manifest.households += 1
        return number, valid

    def phone(self) -> str:
        if self.ctx.chance(0.5):
            return ""
        return f"1{self.ctx.random.choice('35789')}{self.ctx.random.randrange(10**9):09d}"

    def couple(self, members: list[Member]) -> None:
        """Registers the marriage of a head and spouse who live together (most of them)."""
        relations = [member.relation for member in members[:2]]
        if relations == ["HEAD", "SPOUSE"] and self.ctx.chance(MARRIED_SHARE):
            self.marriage(members[0], members[1])

    def marriage(self, one: Member, other: Member, noise: bool = True) -> str:
        husband, wife = (one, other) if one.male else (other, one)
        younger = max(one.born, other.born)
        married = anniversary(younger, 20) + timedelta(days=self.ctx.random.randint(0, 3650))
        married = min(married, AS_OF - timedelta(days=30))
        certificate = f"J{married.year}-{self.ctx.next('marriage'):08d}"
        row = [certificate, husband.id_number, wife.id_number, married.isoformat(), ""]
        self.ctx.emit("marriages", row, noise)
        return certificate
