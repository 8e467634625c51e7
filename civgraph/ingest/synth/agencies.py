"""The organizations every county has: two agencies, public institutions, and social
organizations (some still supervised by an agency, some decoupled, one decoupled on paper
but paid through the 民政局's account). Every organization has its own account except
that one."""

from __future__ import annotations

from dataclasses import dataclass, fields

from civgraph.graph.identifiers import make_uscc
from civgraph.ingest.synth.province import County


@dataclass(frozen=True, slots=True)
class Kind:
    prefix: str  # registration authority and kind, the USCC's first two characters
    suffix: str  # the name after the county's
    type: str  # 类型 as the registry writes it
    registered: str
    supervisor: str = ""  # the field naming the supervising agency
    industry: bool = False
    charity: bool = False
    grade: str = ""
    account_of: str = ""  # the organization whose funding account it shares


KINDS = {
    "civil_affairs": Kind("11", "民政局", "机关", "1990-01-01"),
    "industry_association": Kind(
        "51", "养老服务行业协会", "社会团体", "2010-05-01", "civil_affairs", True, False, "3A"
    ),
    "decoupled_association": Kind("51", "餐饮行业协会", "社会团体", "2012-05-01", "", True),
    "education": Kind("11", "教育局", "机关", "1990-01-01"),
    "school": Kind("12", "第一中学", "事业单位", "1985-09-01", "education"),
    "elders_association": Kind("51", "老年人协会", "社会团体", "2008-03-01", "civil_affairs"),
    "charity_association": Kind(
        "51", "慈善协会", "社会团体", "2006-06-01", "civil_affairs", False, True, "4A"
    ),
    "education_foundation": Kind(
        "53", "教育发展基金会", "基金会", "2015-09-01", "education", False, True
    ),
    "social_work": Kind(
        "52", "社会工作服务中心", "社会工作服务机构", "2016-04-01", "civil_affairs", grade="2A"
    ),
    "elderly_services": Kind("52", "颐养服务中心", "民办非企业单位", "2014-07-01", "civil_affairs"),
    "welfare_center": Kind("12", "社会福利中心", "事业单位", "1995-01-01", "civil_affairs"),
    "shared_account_association": Kind(
        "51", "家政服务行业协会", "社会团体", "2013-08-01", "", True, account_of="civil_affairs"
    ),
}


@dataclass(frozen=True, slots=True)
class CountyOrganizations:
    """The USCCs of a county's organizations (serial numbers 1, 2, 3… in KINDS' order)."""

    civil_affairs: str
    industry_association: str
    decoupled_association: str
    education: str
    school: str
    elders_association: str
    charity_association: str
    education_foundation: str
    social_work: str
    elderly_services: str
    welfare_center: str
    shared_account_association: str

    @classmethod
    def of(cls, county: County) -> CountyOrganizations:
        codes = {
            name: make_uscc(kind.prefix, county.code, f"{serial:09d}")
            for serial, (name, kind) in enumerate(KINDS.items(), start=1)
        }
        return cls(**codes)

    def uscc(self, name: str) -> str:
        return str(getattr(self, name))

    @property
    def employers(self) -> tuple[str, ...]:
        """Units on the public payroll."""
        return (self.civil_affairs, self.education, self.school, self.welfare_center)


def registry_rows(county: County, organizations: CountyOrganizations) -> list[list[str]]:
    """The county's rows of the social-organization (and agency) registry."""
    rows: list[list[str]] = []
    names = [field.name for field in fields(organizations)]
    for field in fields(organizations):
        kind = KINDS[field.name]
        supervisor = organizations.uscc(kind.supervisor) if kind.supervisor else ""
        serial = names.index(kind.account_of or field.name) + 1
        rows.append(
            [
                organizations.uscc(field.name),
                county.name + kind.suffix,
                kind.type,
                "正常",
                kind.registered,
                f"{county.name}合成路{len(rows) + 1}号",
                county.code,
                "是" if kind.industry else "否",
                "是" if kind.charity else "否",
                kind.grade,
                supervisor,
                f"1312{county.code}{serial:06d}",
            ]
        )
    return rows
