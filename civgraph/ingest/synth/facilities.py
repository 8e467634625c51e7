"""Civil-affairs facilities and who lives in them. Every county has a funeral home, a
marriage registry, a charity supermarket, a public welfare centre and a privately run
care home, a rescue station, a 敬老院 per township; most counties a 核对中心 and most
communities a service station (town) or 幸福院 (village). Residential facilities are
written when their county is done, with beds for everyone who lives there, except the
planted overcrowded one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from civgraph.ingest.synth.context import Area, Community, Context
from civgraph.ingest.synth.people import Member
from civgraph.ingest.synth.province import AS_OF
from civgraph.ingest.synth.records import PersonRecords, Written

OVERCROWDED_EVERY = 50_000  # people between two planted overcrowded care homes
OVERCROWDED_RESIDENTS = 12
STATION_SHARE = {True: 0.85, False: 0.65}  # communities with a station, by urban
VERIFICATION_SHARE = 0.85  # counties with a 核对中心 (opened since 2023)


@dataclass
class Residential:
    code: str
    name: str
    kind: str
    ownership: str
    legal_person: bool
    division: str
    operator: str = ""
    opened: str = "2010-01-01"  # 启用日期
    admitted: int = 0
    current: int = 0  # residents now, with or without ID number in their row
    keyed: int = 0  # … whose row carries it (what the graph shows before resolution)

    def row(self, beds: int, operating_since: str) -> list[str]:
        return [
            self.code, self.name, self.kind, str(beds), self.ownership,
            "是" if self.legal_person else "否", f"{self.name}院内", self.division,
            self.operator, operating_since if self.operator else "", self.opened,
        ]  # fmt: skip


class Facilities:
    def __init__(self, ctx: Context, records: PersonRecords) -> None:
        self.ctx, self.records = ctx, records
        self.homes: dict[str, Residential] = {}
        self.overcrowd_due = 0  # planted when the province's people pass this count

    def funeral_home(self, area: Area) -> str:
        return f"F-{area.code}-BYG"

    def welfare_center(self, area: Area) -> str:
        return f"F-{area.code}-FL"

    def rescue_station(self, area: Area) -> str:
        return f"F-{area.code}-JZ"

    def private_home(self, area: Area) -> str:
        return f"F-{area.code}-YY"

    def open_county(self, area: Area) -> None:
        """Writes the county's facilities without residents; opens those with residents."""
        name, code, organizations = area.county.name, area.code, area.organizations
        for home in (
            Residential(self.funeral_home(area), name + "殡仪馆", "殡仪馆", "公办", True, code),
            Residential(f"F-{code}-HY", name + "婚姻登记处", "婚姻登记处", "公办", False, code),
            Residential(f"F-{code}-CS", name + "慈善超市", "慈善超市", "社会办", False, code,
                        organizations.charity_association),
        ):  # fmt: skip
            self.ctx.emit("facilities", home.row(0, "2018-01-01"))
        for home in (
            Residential(self.welfare_center(area), name + "社会福利中心", "养老机构", "公办", True,
                        code, organizations.welfare_center),
            Residential(self.private_home(area), name + "颐养院", "养老机构", "社会办", True, code,
                        organizations.elderly_services, self.ctx.since(2012)),
            Residential(self.rescue_station(area), name + "救助管理站", "救助管理站", "公办", True,
                        code),
        ):  # fmt: skip
            self.homes[home.code] = home
        if self.ctx.chance(VERIFICATION_SHARE):
            center = Residential(f"F-{code}-HD", name + "居民家庭经济状况核对中心", "核对中心",
                                 "公办", True, code, opened=self.ctx.since(2023))  # fmt: skip
            self.ctx.emit("facilities", center.row(0, ""))

    def open_township(self, code: str, name: str) -> None:
        legal = self.ctx.chance(0.5)
        home = Residential(f"F-{code}-JLY", f"{name}敬老院", "敬老院", "公办", legal, code)
        self.homes[home.code] = home

    def open_community(self, community: Community) -> None:
        """A service station (town) or 幸福院 (village), in most communities, opened any
        time since 2012."""
        if not self.ctx.chance(STATION_SHARE[community.urban]):
            return
        kind = "社区服务站" if community.urban else "农村幸福院"
        beds = 0 if community.urban else self.ctx.random.randint(0, 8)
        suffix = "SQ" if community.urban else "XFY"
        home = Residential(f"F-{community.code}-{suffix}", community.name + kind, kind, "公办",
                           False, community.code, opened=self.ctx.since(2012))  # fmt: skip
        self.ctx.emit("facilities", home.row(beds, ""))

    def place(
        self, area: Area, community: Community, member: Member, died: date | None, tekun: bool
    ) -> bool:
        """Admits the member to a home when their age and situation say so."""
        if crowding := self.crowding(area, member, died):
            self.admit(member, crowding, (self.ctx.days_ago(60, 2000), None), planted=True)
            return True
        if home := self.home_for(area, community, member, tekun):
            self.admit(member, home, self.stay(died))
            return True
        return False

    def home_for(self, area: Area, community: Community, member: Member, tekun: bool) -> str | None:
        rural_home = f"F-{community.township}-JLY"
        if tekun and not community.urban and self.ctx.chance(0.4):  # 集中供养
            return rural_home
        if member.age >= 75 and self.ctx.chance(0.03):
            urban_home = self.ctx.random.choice(
                (self.welfare_center(area), self.private_home(area))
            )
            return urban_home if community.urban else rural_home
        return None

    def stay(self, died: date | None) -> tuple[date, date | None]:
        since = self.ctx.days_ago(60, 3000)
        if died:
            return min(since, died - timedelta(days=30)), died
        if self.ctx.chance(0.1):  # moved out
            return since, self.ctx.days_ago(1, (AS_OF - since).days - 1)
        return since, None

    def crowding(self, area: Area, member: Member, died: date | None) -> str | None:
        """The home being overcrowded (planted), when this member can move in."""
        home = self.homes[self.welfare_center(area)]
        due = self.ctx.manifest.people >= self.overcrowd_due
        if due and not died and member.age >= 70 and home.keyed < OVERCROWDED_RESIDENTS:
            return home.code
        return None

    def admit(
        self,
        member: Member,
        code: str,
        period: tuple[date, date | None],
        planted: bool = False,
        unkeyed: bool = False,
    ) -> Written:
        home = self.homes[code]
        home.admitted += 1
        bed = f"{code[-2:]}-{home.admitted:03d}"
        written = self.records.residence(member, code, bed, period, unkeyed, noise=not planted)
        if written.valid and period[1] is None:
            home.current += 1
            home.keyed += written.keyed
        return written

    def close_county(self, area: Area) -> None:
        """Writes the homes with residents: beds for all of them (and some to spare), but
        for the welfare centre being overcrowded once it has two residents or more."""
        crowded = self.homes[self.welfare_center(area)]
        due = self.ctx.manifest.people >= self.overcrowd_due and crowded.keyed >= 2
        for home in self.homes.values():
            beds = home.current + self.ctx.random.randint(5, 60)
            if due and home is crowded:
                beds = max(1, home.keyed * 2 // 3)
                entry = {"code": home.code, "beds": beds, "residents": home.keyed}
                self.ctx.manifest.plant("overcrowded_facilities", entry)
                self.overcrowd_due = self.ctx.manifest.people + OVERCROWDED_EVERY
            self.ctx.emit("facilities", home.row(beds, "2015-01-01"))
        self.homes = {}
