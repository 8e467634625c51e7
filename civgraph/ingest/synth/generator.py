"""The province, county by county and community by community: every row is written as
soon as it is generated, and what a county remembers is dropped when it is done."""

from __future__ import annotations

import random
from pathlib import Path

from civgraph.ingest.synth.agencies import CountyOrganizations, registry_rows
from civgraph.ingest.synth.assisted import Assisted
from civgraph.ingest.synth.benefits import Benefits, Tekun
from civgraph.ingest.synth.cadres import Cadres
from civgraph.ingest.synth.context import Area, Community, Context
from civgraph.ingest.synth.economy import Economy
from civgraph.ingest.synth.exports import Exports
from civgraph.ingest.synth.facilities import Facilities
from civgraph.ingest.synth.hard_cases import HardCases
from civgraph.ingest.synth.households import Registrar
from civgraph.ingest.synth.identities import Identities
from civgraph.ingest.synth.manifest import Manifest
from civgraph.ingest.synth.names import Names
from civgraph.ingest.synth.noise import INVALID_SHARE, Sink
from civgraph.ingest.synth.people import MEAN_SIZE, Issuer, Member, People, partner_of
from civgraph.ingest.synth.province import anhui
from civgraph.ingest.synth.records import PersonRecords
from civgraph.ingest.synth.services import community_services, dibao_standards, service_projects
from civgraph.ingest.synth.staff import Staff

HOUSEHOLDS_PER_COMMUNITY = 300
COMMUNITIES_PER_TOWNSHIP = 8
DIBAO_SHARE = {True: 0.04, False: 0.12}  # by whether the head lives with a spouse


class Generator:
    def __init__(self, people: int, seed: int, out: Path) -> None:
        rng = random.Random(seed)  # noqa: S311 - synthetic data, not secrets
        names, self.issuer, self.exports = Names(rng), Issuer(), Exports(out)
        manifest = Manifest(seed)
        sink = Sink(self.exports, manifest, rng)
        self.ctx = ctx = Context(
            rng, names, People(rng, names, self.issuer), sink, manifest, people,
            Identities(manifest),
        )  # fmt: skip
        self.registrar = Registrar(ctx)
        self.records = PersonRecords(ctx)
        self.facilities = Facilities(ctx, self.records)
        self.benefits = Benefits(ctx, self.records, self.facilities)
        self.economy = Economy(ctx)
        self.assisted = Assisted(ctx, self.economy, self.registrar)
        self.cadres = Cadres(ctx, self.economy)
        self.staff = Staff(ctx)
        self.hard_cases = HardCases(ctx, self.registrar, self.facilities, self.records)

    def run(self) -> Manifest:
        cities, counties = anhui()
        self.ctx.emit("regions", ["340000", "安徽省"])
        for code, name in cities:
            self.ctx.emit("regions", [code, name])
        households = self.ctx.target / (MEAN_SIZE * (1 - INVALID_SHARE))
        for county in counties:
            share = round(households * (county.position + 1) / len(counties))
            share -= round(households * county.position / len(counties))
            neighbor = counties[(county.position + 1) % len(counties)]
            area = Area(county, neighbor, CountyOrganizations.of(county))
            self.county(area, max(1, share), final=county == counties[-1])
            if self.ctx.manifest.people >= self.ctx.target:
                break
        self.exports.close()
        return self.ctx.manifest

    def county(self, area: Area, households: int, final: bool) -> None:
        self.issuer.start()
        self.ctx.identities.clear()
        self.ctx.emit("regions", [area.code, area.county.name])
        for row in registry_rows(area.county, area.organizations):
            self.ctx.emit("social_organizations", row)
        self.facilities.open_county(area)
        communities = max(1, households // HOUSEHOLDS_PER_COMMUNITY)
        for index in range(communities):
            community = self.community(area, index)
            self.hard_cases.community_started(area, community)
            self.staff.community_started()
            for _ in range(households // communities):
                self.household(area, community)
        final = final or self.ctx.manifest.people >= self.ctx.target
        self.hard_cases.county_finished(area, final)
        self.cadres.serving(area)
        self.cadres.retired(area, households)
        service_projects(self.ctx, area)
        community_services(self.ctx, area)
        dibao_standards(self.ctx, area)
        self.facilities.close_county(area)

    def community(self, area: Area, index: int) -> Community:
        number = index // COMMUNITIES_PER_TOWNSHIP + 1
        township = f"{area.code}{number:03d}"
        if township not in area.townships:
            area.townships[township] = name = f"合成{area.county.short}第{number}镇"
            self.ctx.emit("regions", [township, name])
            self.facilities.open_township(township, name)
        code = f"{township}{index % COMMUNITIES_PER_TOWNSHIP + 1:03d}"
        urban = (index + area.county.position) % 3 != 0  # two in three, in every county size
        kind = "居委会" if urban else "村委会"
        community = Community(code, township, f"合成第{index + 1}社区{kind}", urban)
        platform = (index + area.county.position) % 5 == 0  # one in five, since 2023
        since = self.ctx.since(2023) if platform else ""
        self.ctx.emit(
            "communities", [code, community.name, kind, "是" if platform else "否", since]
        )
        self.ctx.manifest.communities += 1
        area.communities.append(community)
        self.facilities.open_community(community)
        return community

    def household(self, area: Area, community: Community) -> None:
        generated = self.ctx.people.household(area.county, community.code)
        number, members = self.registrar.register(community, generated)
        if not members:
            return
        dibao = self.enroll(area, community, number, members, generated)
        tekun = self.tekun(area, community, number, dibao, members, generated)
        self.registrar.couple(members)
        if members[0].relation == "HEAD":
            self.economy.home(area, members[0], dibao or tekun is not Tekun.NO)
        for member in members:
            partner = partner_of(member, members)
            status = tekun if member is members[0] else Tekun.NO
            self.member(area, community, member, dibao, status, partner)

    def enroll(
        self,
        area: Area,
        community: Community,
        number: str,
        members: list[Member],
        generated: list[Member],
    ) -> bool:
        """Enrolls the household in 低保 (some), planting a situation in some of those."""
        with_spouse = any(member.relation == "SPOUSE" for member in generated)
        if members[0].relation != "HEAD" or not self.ctx.chance(DIBAO_SHARE[with_spouse]):
            return False
        planted = self.assisted.choose("DIBAO", members, generated)
        filed = "" if planted else self.staff.relative(community, number, members)
        in_payment = planted is not None or filed != ""  # what was planted is in payment
        self.benefits.dibao(area, number, len(members), community.urban, in_payment, filed)
        if planted:
            self.assisted.plant(area, community, number, "DIBAO", *planted)
        return True

    def tekun(
        self,
        area: Area,
        community: Community,
        number: str,
        dibao: bool,
        members: list[Member],
        generated: list[Member],
    ) -> Tekun:
        """Whether the household's one member is 特困 (some alone), planting a situation on
        some of those."""
        if not self.benefits.tekun(dibao, members, generated):
            return Tekun.NO
        planted = self.assisted.choose("TEKUN", members, generated)
        if planted is None:
            return Tekun.YES
        self.assisted.plant(area, community, number, "TEKUN", *planted)
        return Tekun.PLANTED

    def member(
        self,
        area: Area,
        community: Community,
        member: Member,
        dibao: bool,
        tekun: Tekun,
        partner: Member | None,
    ) -> None:
        died, resident = self.benefits.member(area, community, member, dibao, tekun)
        if dibao or tekun is not Tekun.NO or died:
            return
        self.economy.member(area, member, partner)
        self.staff.offer(area, community, member)
        if not resident:
            area.remember(member)
            self.hard_cases.offer(member)


def synthesize(people: int, seed: int, out: Path) -> Manifest:
    out.mkdir(parents=True, exist_ok=True)
    manifest = Generator(people, seed, out).run()
    manifest.save(out / "manifest.json")
    return manifest
