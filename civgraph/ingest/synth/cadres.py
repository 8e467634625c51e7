"""Leading cadres and the posts they hold in social organizations.

Serving: in every county with three working-age people to staff it, a deputy director of
the civil-affairs bureau leads (as 会长, without approval on file) the industry
association the bureau still supervises (planted), and someone else leads a decoupled one.

Retired (a cadre post with a 离任日期): each planted retired cadre breaks exactly one of
the rules on retired cadres holding social-organization posts, or none (the control
group): over 70, more than one post, a post within three years of retirement in an
organization their former agency supervises, no approval on file, paid by the
organization. Breaches are planted in turn across counties."""

from __future__ import annotations

from datetime import date, timedelta

from civgraph.ingest.synth.agencies import CountyOrganizations
from civgraph.ingest.synth.context import Area, Context
from civgraph.ingest.synth.economy import Economy
from civgraph.ingest.synth.manifest import BREACHES
from civgraph.ingest.synth.people import Member
from civgraph.ingest.synth.province import AS_OF, anniversary

TITLES = ("会长", "副会长", "秘书长", "理事长", "监事长")
POSTS = (("局长", "县处级"), ("副局长", "乡科级"))
RETIREMENT_AGE = 60
HOUSEHOLDS_PER_RETIRED = 600


class Cadres:
    def __init__(self, ctx: Context, economy: Economy) -> None:
        self.ctx, self.economy = ctx, economy
        self.turn = 0

    def cadre(
        self,
        area: Area,
        member: Member,
        agency: str,
        post: tuple[str, str],
        period: tuple[date, date | None],
        noise: bool = False,
    ) -> None:
        title, rank = post
        since, until = period
        key = f"GB-{area.code}-{self.ctx.next(f'cadre-{area.code}')}"
        row = [key, member.id_number, agency, title, rank, since.isoformat()]
        self.ctx.emit("cadres", [*row, until.isoformat() if until else ""], noise)

    def officer(
        self,
        area: Area,
        member: Member,
        organization: str,
        since: date,
        flags: tuple[bool, bool],
        noise: bool = False,
    ) -> None:
        filed, paid = flags
        key = f"FZ-{area.code}-{self.ctx.next(f'officer-{area.code}')}"
        title = TITLES[self.ctx.next("title") % len(TITLES)]
        row = [key, member.id_number, organization, title, "是", yes(filed), yes(paid)]
        self.ctx.emit("organization_officers", [*row, since.isoformat(), ""], noise)

    def serving(self, area: Area) -> None:
        if len(area.staff) < 3:
            return
        director, deputy, member = area.staff[:3]
        organizations = area.organizations
        agency = organizations.civil_affairs
        self.cadre(area, director, agency, ("局长", "县处级"), (date(2019, 3, 1), None), noise=True)
        self.cadre(area, deputy, agency, ("副局长", "乡科级"), (date(2020, 3, 1), None))
        for person in (director, deputy):
            self.economy.payroll(person, agency, left=False)
        self.officer(
            area, deputy, organizations.industry_association, date(2021, 1, 1), (False, False)
        )
        decoupled = organizations.decoupled_association
        self.officer(area, member, decoupled, date(2021, 1, 1), (False, False), noise=True)
        self.ctx.manifest.plant(
            "concurrent_posts",
            {
                "idNumber": deputy.id_number,
                "agency": agency,
                "association": organizations.industry_association,
            },
        )

    def retired(self, area: Area, households: int) -> None:
        """Plants breaches in turn: one per HOUSEHOLDS_PER_RETIRED households of the county
        (at least one, at most one of each), as far as it has retired people for them."""
        seniors, elders = list(area.seniors), list(area.elders)
        for _ in range(max(1, min(len(BREACHES), households // HOUSEHOLDS_PER_RETIRED))):
            breach = BREACHES[self.turn]
            pool = elders if breach == "over_age" else seniors
            if not pool:
                return
            self.retire(area, pool.pop(0), breach)
            self.turn = (self.turn + 1) % len(BREACHES)

    def retire(self, area: Area, member: Member, breach: str) -> None:
        organizations = area.organizations
        same_sector = breach == "recent_same_sector"
        agency = organizations.civil_affairs if same_sector else organizations.education
        retired = anniversary(member.born, RETIREMENT_AGE)
        post = POSTS[self.ctx.next("retired") % len(POSTS)]
        self.cadre(area, member, agency, post, (retired - timedelta(days=3650), retired))
        posts = self.posts(organizations, breach)
        flags = (breach != "unfiled", breach == "paid")
        for organization in posts:
            self.officer(area, member, organization, self.post_start(retired, same_sector), flags)
        self.ctx.manifest.plant(
            f"retired_cadres_{breach}",
            {
                "idNumber": member.id_number,
                "agency": agency,
                "retiredOn": retired.isoformat(),
                "organizations": posts,
            },
        )

    def posts(self, organizations: CountyOrganizations, breach: str) -> list[str]:
        """Organizations of the civil-affairs sector: the same sector as the former agency
        only for the recent_same_sector breach (the others retired from education)."""
        both = [organizations.elders_association, organizations.charity_association]
        if breach == "multiple_posts":
            return both
        return [both[self.ctx.next("retired-post") % 2]]

    def post_start(self, retired: date, within_three_years: bool) -> date:
        days = (AS_OF - retired).days
        latest = min(days - 30, 3 * 365 - 30) if within_three_years else days - 30
        return retired + timedelta(days=self.ctx.random.randint(30, max(31, latest)))


def yes(value: bool) -> str:
    return "是" if value else "否"
