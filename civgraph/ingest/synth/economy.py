"""What people own and where they work: companies (legal representatives, supervisors,
investors), vehicles, real estate, public-payroll jobs. People of 低保 households own at
most their home unless planted, so the manifest's lists of assisted owners are complete."""

from __future__ import annotations

from datetime import date, timedelta

from civgraph.graph.identifiers import make_uscc
from civgraph.ingest.synth.context import Area, Context
from civgraph.ingest.synth.people import Member
from civgraph.ingest.synth.province import AS_OF, PLATE_LETTERS

PLATE_CHARACTERS = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no I or O
TRADES = (
    "商贸",
    "建材",
    "餐饮管理",
    "物流",
    "农业科技",
    "电子科技",
    "服装",
    "家政服务",
    "装饰工程",
)
BRANDS = ("鑫", "华", "盛", "达", "恒", "瑞", "丰", "泰", "隆", "兴", "源", "宏", "安", "顺")
CARS = ("小型轿车 大众", "小型轿车 比亚迪", "小型普通客车 五菱", "轻型货车 江淮", "小型轿车 奇瑞")
POSITIONS = ("科员", "办事员", "教师", "护理员", "会计", "驾驶员")


class Economy:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def member(self, area: Area, member: Member, partner: Member | None) -> None:
        """Jobs, cars and companies of someone not in a 低保 household."""
        years = member.age
        if 22 <= years <= 70 and self.ctx.chance(0.12):
            self.vehicle(area, member, deregistered=self.ctx.chance(0.05))
        if 22 <= years <= 59 and self.ctx.chance(0.04):
            employer = self.ctx.random.choice(area.organizations.employers)
            self.payroll(member, employer, left=self.ctx.chance(0.1))
        if 25 <= years <= 65 and self.ctx.chance(0.02):
            self.company(area, member, partner)

    def home(self, area: Area, head: Member, assisted: bool) -> None:
        """The household head's real estate: usually a home, sometimes more."""
        if assisted:
            count = 1 if self.ctx.chance(0.3) else 0
        else:
            count = self.ctx.random.choices((0, 1, 2, 3), (30, 55, 12, 3))[0]
        for _ in range(count):
            self.estate(area, head, sold=self.ctx.chance(0.05))

    def company(self, area: Area, founder: Member, partner: Member | None) -> None:
        """A company founded by the member, with their spouse as supervisor and partner."""
        uscc = self.enterprise(area)
        self.officer(founder, uscc, "法定代表人")
        partner = partner if partner is not None and partner.age >= 22 else None
        share = 100 if partner is None else self.ctx.random.choice((51, 60, 70, 80))
        self.investor(founder, uscc, share)
        if partner is not None:
            self.officer(partner, uscc, "监事")
            self.investor(partner, uscc, 100 - share)

    def enterprise(self, area: Area) -> str:
        """A company's registration (never lost to noise: a broken row is an extra copy)."""
        serial = self.ctx.next(f"enterprise-{area.code}")
        uscc = make_uscc("91", area.code, f"{serial:09d}")
        brand = "".join(self.ctx.random.sample(BRANDS, 2))
        name = f"{area.county.short}{brand}{self.ctx.random.choice(TRADES)}有限公司"
        founded = self.ctx.days_ago(400, 9000).isoformat()
        address = f"{area.county.name}合成大道{serial}号"
        self.ctx.emit("enterprises", [uscc, name, "存续", founded, address, area.code])
        return uscc

    def officer(self, member: Member, uscc: str, title: str, noise: bool = True) -> None:
        key = f"QY{self.ctx.next('enterprise-officer'):08d}"
        since = self.since(member, 3000).isoformat()
        self.ctx.emit("enterprise_officers", [key, member.id_number, uscc, title, since, ""], noise)

    def investor(self, member: Member, uscc: str, share: int, noise: bool = True) -> None:
        key = f"GD{self.ctx.next('investor'):08d}"
        amount = f"{share * 10_000:,}"
        since = self.since(member, 3000).isoformat()
        row = [key, member.id_number, uscc, str(share), amount, since]
        self.ctx.emit("enterprise_investors", row, noise)

    def vehicle(self, area: Area, owner: Member, deregistered: bool, noise: bool = True) -> str:
        plate = "皖" + PLATE_LETTERS.get(area.code[:4], "A") + self.plate_number()
        since = self.since(owner, 5000)
        until = self.ended(since) if deregistered else ""
        row = [plate, owner.id_number, self.ctx.random.choice(CARS), since.isoformat(), until]
        self.ctx.emit("vehicles", row, noise)
        return plate

    def plate_number(self) -> str:
        serial, characters = self.ctx.next("plate"), []
        for _ in range(5):
            serial, digit = divmod(serial, len(PLATE_CHARACTERS))
            characters.append(PLATE_CHARACTERS[digit])
        return "".join(reversed(characters))

    def estate(self, area: Area, owner: Member, sold: bool, noise: bool = True) -> str:
        since = self.since(owner, 9000)
        certificate = f"皖({since.year}){area.county.name}不动产权第{self.ctx.next('estate'):07d}号"
        area_m2 = self.ctx.random.randint(45, 160)
        description = (
            f"住宅 {area_m2}㎡ {area.county.name}合成小区{self.ctx.random.randint(1, 40)}栋"
        )
        until = self.ended(since) if sold else ""
        row = [certificate, owner.id_number, description, since.isoformat(), until]
        self.ctx.emit("properties", row, noise)
        return certificate

    def payroll(self, member: Member, employer: str, left: bool, noise: bool = True) -> None:
        key = f"CZ{self.ctx.next('payroll'):08d}"
        since = self.since(member, 9000)
        until = self.ended(since) if left else ""
        position = self.ctx.random.choice(POSITIONS)
        row = [key, member.id_number, employer, position, since.isoformat(), until]
        self.ctx.emit("payroll", row, noise)

    def since(self, member: Member, longest: int) -> date:
        """A day since the member came of age, within `longest` days."""
        return self.ctx.days_ago(60, max(61, min(longest, (member.age - 18) * 365)))

    def ended(self, since: date) -> str:
        return (
            since + timedelta(days=self.ctx.random.randint(1, (AS_OF - since).days - 1))
        ).isoformat()
