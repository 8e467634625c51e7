"""Programs and deaths: 低保 households, the 特困, old-age allowance and care-subsidy rolls,
one-off assistance, cremations. Plants benefits still running after a cremation (a
person's own, or their 低保 household's while they are still registered in it) and the
same person (or 低保 household) on the same roll in two counties at overlapping times."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum

from civgraph.ingest.synth.context import Area, Community, Context
from civgraph.ingest.synth.facilities import Facilities
from civgraph.ingest.synth.people import Member
from civgraph.ingest.synth.province import AS_OF
from civgraph.ingest.synth.records import PersonRecords, Written

# roll → (case-number prefix, program code)
ROLLS = {
    "tekun": ("TK", "TEKUN"),
    "old_age_allowance": ("GL", "OLD_AGE_ALLOWANCE"),
    "care_subsidy": ("HL", "CARE_SUBSIDY"),
}
DOUBLE_EVERY = 40  # one roll row (or 低保 household) in this many is approved again elsewhere
TEKUN_SHARE = 0.2  # of people of 60 or more living alone, not on 低保


class Tekun(Enum):
    """Whether a member is 特困, and with a planted 核对 situation."""

    NO = "no"
    YES = "yes"
    PLANTED = "planted"


@dataclass(frozen=True, slots=True)
class Death:
    on: date
    record: Written


class Benefits:
    def __init__(self, ctx: Context, records: PersonRecords, facilities: Facilities) -> None:
        self.ctx, self.records, self.facilities = ctx, records, facilities
        # the 低保 enrollments in payment of the household being written: (case, program)
        self.paying: list[tuple[str, str]] = []

    def dibao(
        self, area: Area, household: str, size: int, urban: bool, planted: bool, filed: str
    ) -> None:
        """A 低保 enrollment: in payment, or (unless planted) suspended or ended; one in
        DOUBLE_EVERY in payment is approved again by the neighbouring county."""
        since = self.ctx.days_ago(60, 3000)
        status, until = "在保", ""
        if not planted and self.ctx.chance(0.15):
            status = self.ctx.random.choice(("暂停", "停保", "停保"))
            if status == "停保":
                until = (since + (AS_OF - since) / 2).isoformat()
        amount = str(self.ctx.random.randint(300, 900) * size)
        case = f"DB{self.ctx.next('dibao'):08d}"
        kind = "城市" if urban else "农村"
        program = "DIBAO_URBAN" if urban else "DIBAO_RURAL"
        row = [household, kind, status, amount, case, area.code, since.isoformat(), until, filed]
        self.paying = []
        if status != "在保" or self.ctx.next("double-dibao") % DOUBLE_EVERY != 1:
            if self.ctx.emit("dibao", row, noise=not planted) and status == "在保":
                self.paying = [(case, program)]
            return
        self.ctx.emit("dibao", row, noise=False)
        again = since + timedelta(days=self.ctx.random.randint(1, (AS_OF - since).days - 30))
        second = f"DB{self.ctx.next('dibao'):08d}"
        # every other one approved again on the other roll: urban and rural 低保 at once
        other = self.ctx.next("double-dibao-kind") % 2 == 1  # the first one, then every other
        kind_again = ("农村" if urban else "城市") if other else kind
        program_again = ("DIBAO_RURAL" if urban else "DIBAO_URBAN") if other else program
        self.ctx.emit(
            "dibao",
            [household, kind_again, "在保", amount, second, area.neighbor.code,
             again.isoformat(), "", filed],
            noise=False,
        )  # fmt: skip
        self.paying = [(case, program), (second, program_again)]
        self.ctx.manifest.plant(
            "double_enrollments",
            {"household": household, "program": program, "programs": [program, program_again],
             "family": "DIBAO", "cases": [case, second],
             "counties": [area.code, area.neighbor.code],
             "since": [since.isoformat(), again.isoformat()]},
        )  # fmt: skip

    def member(
        self, area: Area, community: Community, member: Member, dibao: bool, tekun: Tekun
    ) -> tuple[bool, bool]:
        """The member's deaths, homes, rolls and assistance; returns (died, in a home). A
        planted 特困 lives (their finding needs the roll in payment)."""
        death = None if tekun is Tekun.PLANTED else self.cremation(area, member)
        rolls = self.rolls_of(member, tekun)
        died = death.on if death else None
        resident = self.facilities.place(area, community, member, died, "tekun" in rolls)
        for name, amount in rolls.items():
            self.roll(area, member, name, amount, death, planted=tekun is Tekun.PLANTED)
        if death and dibao:
            self.dead_member(member, death)
        if self.ctx.chance(0.08 if dibao else 0.01):
            self.assistance(area, member)
        return death is not None, resident

    def dead_member(self, member: Member, death: Death) -> None:
        """A member of a household on 低保 cremated while still registered in it: the
        household's 低保 in payment is paid for them (the rules see it through the
        membership)."""
        if not death.record.valid:
            return
        for case, program in self.paying:
            self.ctx.manifest.plant(
                "benefits_after_cremation",
                {"idNumber": member.id_number, "program": program, "case": case,
                 "crematedOn": death.on.isoformat(), "keyed": death.record.keyed,
                 "via": "HOUSEHOLD"},
            )  # fmt: skip

    def cremation(self, area: Area, member: Member) -> Death | None:
        if member.age < 75 or not self.ctx.chance(0.05):
            return None
        on = self.ctx.days_ago(30, 700)
        return Death(on, self.records.cremation(member, self.facilities.funeral_home(area), on))

    def tekun(self, dibao: bool, members: list[Member], generated: list[Member]) -> bool:
        """Whether the household's one member, 60 or older and not on 低保, is 特困."""
        alone = len(generated) == 1 and members[0].relation == "HEAD"
        return not dibao and alone and members[0].age >= 60 and self.ctx.chance(TEKUN_SHARE)

    def rolls_of(self, member: Member, tekun: Tekun) -> dict[str, str]:
        years, rolls = member.age, {}
        if years >= 80:
            rolls["old_age_allowance"] = "100" if years < 90 else "300"
        if tekun is not Tekun.NO:
            rolls["tekun"] = str(self.ctx.random.choice((700, 900, 1100)))
        if years >= 60 and self.ctx.chance(0.04):
            rolls["care_subsidy"] = str(self.ctx.random.choice((100, 200, 300)))
        return rolls

    def roll(
        self,
        area: Area,
        member: Member,
        name: str,
        amount: str,
        death: Death | None,
        planted: bool,
    ) -> None:
        prefix, program = ROLLS[name]
        case = f"{prefix}{self.ctx.next('roll'):08d}"
        since = self.ctx.days_ago(800, 3000).isoformat()
        head = [case, member.id_number]
        if death and self.ctx.chance(0.5):  # stopped at death, as it should be
            row = [*head, "停保", amount, area.code, since, death.on.isoformat()]
            self.ctx.emit(name, row)
            return
        row = [*head, "在保", amount, area.code, since, ""]
        if death:
            self.ctx.emit(name, row, noise=False)
            if death.record.valid:
                self.ctx.manifest.plant(
                    "benefits_after_cremation",
                    {"idNumber": member.id_number, "program": program, "case": case,
                     "crematedOn": death.on.isoformat(), "keyed": death.record.keyed},
                )  # fmt: skip
        elif self.ctx.next("double") % DOUBLE_EVERY == 0:
            self.ctx.emit(name, row, noise=False)
            self.double(area, member, name, row)
        else:
            self.ctx.emit(name, row, noise=not (planted and name == "tekun"))

    def double(self, area: Area, member: Member, name: str, first: list[str]) -> None:
        """The same person approved again by a second county while the first still pays."""
        prefix, program = ROLLS[name]
        case = f"{prefix}{self.ctx.next('roll'):08d}"
        since = date.fromisoformat(first[5]) + timedelta(days=self.ctx.random.randint(60, 700))
        row = [case, member.id_number, "在保", first[3], area.neighbor.code, since.isoformat(), ""]
        self.ctx.emit(name, row, noise=False)
        self.ctx.manifest.plant(
            "double_enrollments",
            {"idNumber": member.id_number, "program": program, "programs": [program, program],
             "family": program, "cases": [first[0], case],
             "counties": [area.code, area.neighbor.code], "since": [first[5], row[5]]},
        )  # fmt: skip

    def assistance(self, area: Area, member: Member) -> None:
        temporary = self.ctx.chance(0.6)
        amount = (
            self.ctx.random.randint(500, 3000)
            if temporary
            else self.ctx.random.randint(1000, 20000)
        )
        case = f"{'LS' if temporary else 'YL'}{self.ctx.next('assistance'):08d}"
        kind = "临时救助" if temporary else "医疗救助"
        on = self.ctx.days_ago(10, 700).isoformat()
        # medical assistance pays 45-75% of the in-policy out-of-pocket cost
        cost = "" if temporary else str(round(amount / self.ctx.random.uniform(0.45, 0.75)))
        row = [case, member.id_number, kind, str(amount), area.code, on, cost]
        self.ctx.emit("assistance", row)
