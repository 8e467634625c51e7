"""Person-level programs: 特困 rolls, temporary and medical assistance cases, the old-age
allowance. A person is referred to by resident ID number, or, without one, by 姓名, 性别 and
出生日期 (entity resolution)."""

from __future__ import annotations

from civgraph.graph import models as m
from civgraph.graph.catalog import Label, Rel, relationship
from civgraph.ingest.fields import Column, coded, const, to_date, to_number, to_resident_id
from civgraph.ingest.mappings.base import LinkMap, Source
from civgraph.ingest.mappings.households import ENROLLMENT_STATUSES
from civgraph.ingest.mappings.identities import PERSON

PERSON_ENROLLED = relationship(Rel.ENROLLED_IN, Label.PERSON, Label.PROGRAM)


def roll(name: str, title: str, program: m.ProgramCode, case_column: str) -> Source:
    """A roll of people receiving a monthly benefit (one row an enrollment)."""
    return Source(
        name=name,
        title=title,
        record_key=Column(case_column),
        links=(
            LinkMap(
                PERSON_ENROLLED,
                source=Column("身份证号", to_resident_id),
                target=const(program.value),
                props=m.Enrollment,
                fields={
                    "status": Column("状态", coded(ENROLLMENT_STATUSES)),
                    "amount": Column("月发放金额", to_number),
                    "case_no": Column(case_column),
                    "region_code": Column("审批区县"),
                },
                since=Column("开始日期", to_date),
                until=Column("终止日期", to_date),
                identify=PERSON,
            ),
        ),
        depends_on=("household_registration",),
    )


TEKUN = roll("tekun", "特困人员救助供养名册", m.ProgramCode.TEKUN, "供养证号")
OLD_AGE_ALLOWANCE = roll(
    "old_age_allowance", "高龄津贴发放名册", m.ProgramCode.OLD_AGE_ALLOWANCE, "发放编号"
)
CARE_SUBSIDY = roll("care_subsidy", "护理补贴发放名册", m.ProgramCode.CARE_SUBSIDY, "发放编号")

# 临时救助 / 医疗救助: one-off cases, in effect on the day of assistance.
ASSISTANCE_KINDS = {"临时救助": "TEMPORARY_ASSISTANCE", "医疗救助": "MEDICAL_ASSISTANCE"}
ASSISTANCE = Source(
    name="assistance",
    title="临时救助和医疗救助台账",
    record_key=Column("案号"),
    links=(
        LinkMap(
            PERSON_ENROLLED,
            source=Column("身份证号", to_resident_id),
            target=Column("救助类别", coded(ASSISTANCE_KINDS)),
            props=m.Enrollment,
            fields={
                "status": const(m.EnrollmentStatus.ENDED),
                "amount": Column("救助金额", to_number),
                "eligible_cost": Column("政策范围内自付费用", to_number),
                "case_no": Column("案号"),
                "region_code": Column("审批区县"),
            },
            since=Column("救助日期", to_date),
            until=Column("救助日期", to_date),
            identify=PERSON,
        ),
    ),
    depends_on=("household_registration",),
)

# 低保标准: each county's monthly standard per person, urban and rural, for its period.
DIBAO_STANDARDS = Source(
    name="dibao_standards",
    title="城乡低保标准",
    record_key=Column("文号"),
    links=(
        LinkMap(
            relationship(Rel.SETS_STANDARD, Label.REGION, Label.PROGRAM),
            source=Column("区划代码"),
            target=Column("保障类别", coded({"城市": "DIBAO_URBAN", "农村": "DIBAO_RURAL"})),
            props=m.Standard,
            fields={"amount": Column("月标准", to_number)},
            since=Column("执行日期", to_date),
            until=Column("终止日期", to_date),
        ),
    ),
    depends_on=("regions",),
)
