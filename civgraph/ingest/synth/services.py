"""Government-purchased services: each year the civil-affairs bureau buys a few projects
from the county's social-work or elderly-care organization, most in one community."""

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


def service_projects(ctx: Context, area: Area) -> None:
    organizations = area.organizations
    for year in YEARS:
        for number in range(1, ctx.random.randint(1, 3) + 1):
            service = ctx.random.choice(SERVICES)
            provider = ctx.random.choice(
                (organizations.social_work, organizations.elderly_services)
            )
            community = ctx.random.choice(area.communities).code if ctx.chance(0.8) else ""
            amount = f"{ctx.random.randint(5, 50) * 10_000:,}"
            row = [
                f"GM-{area.code}-{year}-{number:02d}",
                f"{area.county.name}{year}年{service}项目",
            ]
            row += [str(year), amount, area.code, organizations.civil_affairs, provider, community]
            ctx.emit("service_projects", row)
