"""Who serves each community (社区工作者名册): three committee members and a case officer,
appointed from its working-age residents outside assisted households; in some communities
one or two social workers of the county's social-work centre (appointed since 2020, most
qualified); and in some, volunteers (志愿者注册). Two 低保 households
in RELATIVES_EVERY have a member on a community's staff: alternately not filed (a finding
of the officers'-relatives rule) and filed as such (a control)."""

from __future__ import annotations

from civgraph.ingest.synth.context import Area, Community, Context
from civgraph.ingest.synth.people import Member

ROLES = ("村(居)委会成员", "村(居)委会成员", "村(居)委会成员", "经办人员")
SOCIAL_WORKER = "社会工作者"
SOCIAL_WORKER_SHARE = 0.55  # communities with social workers
QUALIFICATIONS = ("助理社会工作师", "社会工作师", "高级社会工作师", "")
QUALIFICATION_WEIGHTS = (45, 15, 3, 37)
VOLUNTEERING_SHARE = 0.6  # communities with volunteers
VOLUNTEER_SHARE = 0.03  # of their residents 16-70
APPOINT_SHARE = 0.05  # of the eligible residents offered, until the posts are filled
RELATIVES_EVERY = 25


class Staff:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.openings: list[str] = []
        self.volunteering = False

    def community_started(self) -> None:
        workers = self.ctx.random.randint(1, 2) if self.ctx.chance(SOCIAL_WORKER_SHARE) else 0
        self.openings = [*ROLES, *[SOCIAL_WORKER] * workers]
        self.volunteering = self.ctx.chance(VOLUNTEERING_SHARE)

    def offer(self, area: Area, community: Community, member: Member) -> None:
        """A resident outside assisted households, who may fill an open post or volunteer."""
        if self.openings and 25 <= member.age <= 60 and self.ctx.chance(APPOINT_SHARE):
            role = self.openings.pop()
            if role == SOCIAL_WORKER:
                self.social_worker(area, community, member)
            else:
                self.appoint(community, member, role)
        elif self.volunteering and 16 <= member.age <= 70 and self.ctx.chance(VOLUNTEER_SHARE):
            key = f"ZY{self.ctx.next('volunteer'):08d}"
            row = [key, member.id_number, community.code, self.ctx.since(2018), ""]
            self.ctx.emit("volunteers", row)  # no noise but an ID number left out

    def social_worker(self, area: Area, community: Community, member: Member) -> None:
        qualification = self.ctx.random.choices(QUALIFICATIONS, QUALIFICATION_WEIGHTS)[0]
        employer = area.organizations.social_work
        self.appoint(community, member, SOCIAL_WORKER, qualification, employer,
                     self.ctx.since(2020))  # fmt: skip

    def appoint(
        self,
        community: Community,
        member: Member,
        role: str,
        qualification: str = "",
        employer: str = "",
        since: str = "",
    ) -> None:
        key = f"SG{self.ctx.next('community-worker'):08d}"
        since = since or self.ctx.days_ago(60, 2500).isoformat()
        row = [key, member.id_number, member.name, community.code, role, qualification,
               employer, since, ""]  # fmt: skip
        self.ctx.emit("community_workers", row, noise=False)

    def relative(self, community: Community, household: str, members: list[Member]) -> str:
        """For a 低保 household: in two in RELATIVES_EVERY with a working-age member and a
        relative, that member is on the community's staff; returns the roll's 近亲属备案
        (是/否), or "" when nobody is."""
        adult = next((member for member in members if 25 <= member.age <= 60), None)
        if adult is None or len(members) < 2:
            return ""
        if self.ctx.next("relatives") % RELATIVES_EVERY not in (1, 2):
            return ""
        filed = self.ctx.next("relatives-planted") % 2 == 0
        role = self.ctx.random.choice(("村(居)委会成员", "经办人员"))
        self.appoint(community, adult, role)
        self.ctx.manifest.plant(
            "officers_relatives_filed" if filed else "officers_relatives",
            {"idNumber": adult.id_number, "household": household, "role": role},
        )
        return "是" if filed else "否"
