"""Government-purchased services and social organizations in communities: each year the
civil-affairs bureau buys a project for some communities (more each year) and one for the
whole county, from its social-work or elderly-care organization; some communities have a
social organization serving them on record (社会组织进社区服务备案). And the county's 低保
standards, raised every year."""

from __future__ import annotations

from civgraph.ingest.synth.context import Area, Context

YEARS = (2024, 2025, 2026)
SERVICES = (
    "居家养老上门服务",
    "困境儿童关爱服务",
    "社区社会工作服务",
    "低保对象走访核查",
    "社区矫正帮扶",
)
PROJECT_SHARE = {2024: 0.2, 2025: 0.3, 2026: 0.4}  # communities with a project, by year
SERVING_SHARE = 0.35  # communities a social organization serves on record


def service_projects(ctx: Context, area: Area) -> None:
    organizations = area.organizations
    for year in YEARS:
        places = [c.code for c in area.communities if ctx.chance(PROJECT_SHARE[year])]
        for number, community in enumerate([*places, ""], start=1):
            service = ctx.random.choice(SERVICES)
            provider = ctx.random.choice(
                (organizations.social_work, organizations.elderly_services)
            )
            amount = f"{ctx.random.randint(5, 50) * 10_000:,}"
            row = [
                f"GM-{area.code}-{year}-{number:03d}",
                f"{area.county.name}{year}年{service}项目",
            ]
            row += [str(year), amount, area.code, organizations.civil_affairs, provider, community]
            ctx.emit("service_projects", row)


def community_services(ctx: Context, area: Area) -> None:
    organizations = area.organizations
    providers = (
        organizations.elders_association,
        organizations.charity_association,
        organizations.elderly_services,
    )
    for community in area.communities:
        if ctx.chance(SERVING_SHARE):
            key = f"FW{ctx.next('community-service'):08d}"
            row = [key, ctx.random.choice(providers), community.code, ctx.since(2019), ""]
            ctx.emit("community_services", row)


def dibao_standards(ctx: Context, area: Area) -> None:
    """Urban and rural standards for each year, raised by 6-15% a year (rural 75-85% of
    urban); the last year's still in force."""
    urban = float(ctx.random.randint(600, 800))
    rural_share = ctx.random.uniform(0.75, 0.85)
    for year in YEARS:
        if year > YEARS[0]:
            urban *= ctx.random.uniform(1.06, 1.15)
        until = "" if year == YEARS[-1] else f"{year}-12-31"
        for kind, amount in (("城市", urban), ("农村", urban * rural_share)):
            row = [f"{area.code}-{year}-{kind}", area.code, kind, str(round(amount)),
                   f"{year}-01-01", until]  # fmt: skip
            ctx.emit("dibao_standards", row, noise=False)
