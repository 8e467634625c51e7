"""Person records without reliable keys, as death and residence registries write them:
every row names the person (name, sex, birth date, registered community) besides the ID
number; about 3% of rows have no ID number and 5% write the name differently."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from civgraph.ingest.synth.context import Context
from civgraph.ingest.synth.names import VARIANTS, variant
from civgraph.ingest.synth.people import Member

UNKEYED_EVERY = 33
VARIANT_EVERY = 20


@dataclass(frozen=True, slots=True)
class Written:
    key: str
    valid: bool  # not spoiled
    keyed: bool  # carries the person's ID number


class PersonRecords:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def cremation(
        self, member: Member, home: str, on: date, unkeyed: bool = False, noise: bool = True
    ) -> Written:
        key = f"HH{self.ctx.next('cremation'):08d}"
        fields = [key, home, on.isoformat()]
        return self.write("cremations", fields, member, unkeyed, noise)

    def residence(
        self,
        member: Member,
        facility: str,
        bed: str,
        period: tuple[date, date | None],
        unkeyed: bool = False,
        noise: bool = True,
    ) -> Written:
        key = f"RZ{self.ctx.next('residence'):08d}"
        since, until = period
        fields = [key, facility, bed, since.isoformat(), until.isoformat() if until else ""]
        return self.write("facility_residents", fields, member, unkeyed, noise)

    def write(
        self, source: str, fields: list[str], member: Member, unkeyed: bool, noise: bool
    ) -> Written:
        """`fields`: the record key, then the columns after the ID number. A forced unkeyed
        row (a hard case) keeps the registered name."""
        serial = self.ctx.next("person-record")
        name, kind = member.name, "none"
        if not unkeyed and serial % VARIANT_EVERY == 7:
            name, kind = variant(member.name, serial // VARIANT_EVERY % len(VARIANTS))
        keyed = bool(member.id_number) and not unkeyed and serial % UNKEYED_EVERY != 16
        sex = "男" if member.male else "女"
        person = [name, sex, member.born.isoformat(), member.community]
        row = [fields[0], member.id_number if keyed else "", *fields[1:], *person]
        if keyed:
            return Written(fields[0], self.ctx.emit(source, row, noise), keyed=True)
        self.ctx.emit(source, row, noise=False)
        self.ctx.manifest.plant(
            "unkeyed",
            {"source": source, "recordKey": fields[0], "idNumber": member.id_number or None,
             "variant": kind},
        )  # fmt: skip
        return Written(fields[0], valid=True, keyed=False)
