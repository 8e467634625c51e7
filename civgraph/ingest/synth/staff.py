"""Who serves each community (社区工作者名册): three committee members and a case officer,
appointed from its working-age residents outside assisted households. Two 低保 households
in RELATIVES_EVERY have a member on a community's staff: alternately not filed (a finding
of the officers'-relatives rule) and filed as such (a control)."""

from __future__ import annotations

from civgraph.ingest.synth.context import Community, Context
from civgraph.ingest.synth.people import Member

ROLES = ("村(居)委会成员", "村(居)委会成员", "村(居)委会成员", "经办人员")
APPOINT_SHARE = 0.05  # of the eligible residents offered, until the posts are filled
RELATIVES_EVERY = 25


class Staff:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.openings: list[str] = []

    def community_started(self) -> None:
        self.openings = list(ROLES)

    def offer(self, community: Community, member: Member) -> None:
        """A resident outside assisted households, who may fill an open post."""
        if self.openings and 25 <= member.age <= 60 and self.ctx.chance(APPOINT_SHARE):
            self.appoint(community, member, self.openings.pop())

    def appoint(self, community: Community, member: Member, role: str) -> None:
        key = f"SG{self.ctx.next('community-worker'):08d}"
        since = self.ctx.days_ago(60, 2500).isoformat()
        row = [key, member.id_number, community.code, role, "", since, ""]
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
