"""Which batches the loader may write at once: those that share nothing by natural key."""

from __future__ import annotations

from datetime import date

from civgraph.ingest.loader import Parsed, Touched, parse, touched
from civgraph.ingest.mappings import SOURCES
from civgraph.ingest.readers import Row
from tests.builders import resident_id, uscc

REGISTRATION = SOURCES["household_registration"]
DIBAO = SOURCES["dibao"]
ORGANIZATIONS = SOURCES["social_organizations"]
USCC_A, USCC_B = uscc("340121", 1), uscc("340121", 2)


def resident_id_of(sequence: int) -> str:
    return resident_id(date(1950, 3, 1), sequence)


def registration(household: str, person: str) -> Parsed:
    values = {"户号": household, "住址": "测试路1号", "社区代码": "340121001001", "户别": "农村",
              "身份证号": person, "姓名": "甲", "与户主关系": "户主", "入户日期": "2000-01-01",
              "联系电话": ""}  # fmt: skip
    return parse(REGISTRATION, Row("household_registration.csv", 2, values))


def dibao(household: str, case: str) -> Parsed:
    values = {"户号": household, "保障类别": "农村", "状态": "在保", "月保障金": "800",
              "救助证号": case, "审批区县": "340121", "开始日期": "2023-01-01",
              "终止日期": ""}  # fmt: skip
    return parse(DIBAO, Row("dibao.jsonl", 1, values))


def organization(uscc: str, supervisor: str) -> Parsed:
    values = {"统一社会信用代码": uscc, "名称": "协会", "类型": "社会团体", "状态": "正常",
              "登记日期": "2010-01-01", "住所": "测试路", "区划代码": "340121",
              "行业协会商会": "否", "慈善组织": "否", "评估等级": "",
              "业务主管单位信用代码": supervisor}  # fmt: skip
    return parse(ORGANIZATIONS, Row("social_organizations.csv", 2, values))


def both(first: Touched | None, second: Touched | None) -> bool:
    assert first is not None
    assert second is not None
    return first.conflicts(second) or second.conflicts(first)


def test_registrations_of_other_households_and_people_may_be_written_at_once() -> None:
    one = touched(REGISTRATION, [registration("H-1", resident_id_of(1))])
    other = touched(REGISTRATION, [registration("H-2", resident_id_of(2))])

    assert not both(one, other)


def test_a_household_split_over_two_batches_is_written_in_file_order() -> None:
    head = touched(REGISTRATION, [registration("H-1", resident_id_of(1))])
    spouse = touched(REGISTRATION, [registration("H-1", resident_id_of(2))])

    assert both(head, spouse)


def test_enrollments_in_the_same_program_do_not_wait_for_each_other() -> None:
    # the program is only matched: neither batch writes it
    one, other = touched(DIBAO, [dibao("H-1", "DB-1")]), touched(DIBAO, [dibao("H-2", "DB-2")])

    assert not both(one, other)


def test_a_relationship_to_an_organization_an_earlier_batch_writes_waits_for_it() -> None:
    supervisor = touched(ORGANIZATIONS, [organization(USCC_A, "")])
    supervised = touched(ORGANIZATIONS, [organization(USCC_B, USCC_A)])

    assert both(supervisor, supervised)
