"""The export files, one per source: format, encoding and header as the registries write
them. Rows are written as they are generated."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol, TextIO

from openpyxl import Workbook

from civgraph.ingest.synth.identities import identity_columns

Format = Literal["csv", "jsonl", "xlsx"]
ROLL = ("身份证号", "状态", "月发放金额", "审批区县", "开始日期", "终止日期")
# Columns the entity-resolution input adds to the person records of deaths and residents.
PERSON = ("姓名", "性别", "出生日期", "社区代码")
POSTS = ("记录号", "身份证号", "单位信用代码", "职务")
ASSET = ("描述", "登记日期", "注销日期")


@dataclass(frozen=True, slots=True)
class Export:
    source: str
    format: Format
    header: tuple[str, ...]
    encoding: str = "utf-8"

    @property
    def file(self) -> str:
        return f"{self.source}.{self.format}"


def export(source: str, format: Format, *header: str, encoding: str = "utf-8") -> Export:
    """An export with `header`, then the columns saying who and what its rows name."""
    return Export(source, format, (*header, *identity_columns(source)), encoding)


EXPORTS = {
    item.source: item
    for item in (
        export("regions", "csv", "代码", "名称"),
        export("communities", "xlsx", "代码", "名称", "类别", "信息平台", "平台建成日期"),
        export(
            "household_registration", "csv", "户号", "住址", "社区代码", "户别", "身份证号",
            "姓名", "与户主关系", "入户日期", "联系电话", encoding="gbk",
        ),
        export(
            "dibao", "jsonl", "户号", "保障类别", "状态", "月保障金", "救助证号", "审批区县",
            "开始日期", "终止日期", "近亲属备案",
        ),
        export("tekun", "csv", "供养证号", *ROLL),
        export("old_age_allowance", "csv", "发放编号", *ROLL),
        export("care_subsidy", "csv", "发放编号", *ROLL),
        export(
            "assistance", "xlsx", "案号", "身份证号", "救助类别", "救助金额", "审批区县",
            "救助日期", "政策范围内自付费用",
        ),
        export(
            "social_organizations", "csv", "统一社会信用代码", "名称", "类型", "状态", "登记日期",
            "住所", "区划代码", "行业协会商会", "慈善组织", "评估等级", "业务主管单位信用代码",
            "经费账户",
        ),
        export(
            "enterprises", "csv", "统一社会信用代码", "名称", "状态", "登记日期", "住所",
            "区划代码",
        ),
        export("cadres", "csv", *POSTS, "职级", "任职日期", "离任日期"),
        export(
            "organization_officers", "csv", *POSTS, "领导职务", "已审批备案", "领取报酬",
            "任职日期", "离任日期",
        ),
        export("enterprise_officers", "csv", *POSTS, "任职日期", "离任日期"),
        export(
            "enterprise_investors", "csv", "记录号", "身份证号", "统一社会信用代码", "出资比例",
            "认缴出资额", "出资日期",
        ),
        export(
            "payroll", "csv", "记录号", "身份证号", "单位信用代码", "岗位", "入职日期",
            "离职日期",
        ),
        export(
            "marriages", "csv", "登记证号", "男方身份证号", "女方身份证号", "结婚登记日期",
            "离婚登记日期", encoding="gbk",
        ),
        export(
            "facilities", "csv", "机构代码", "名称", "类型", "床位数", "性质", "法人登记", "地址",
            "区划代码", "运营单位信用代码", "运营开始日期", "启用日期",
        ),
        export(
            "facility_residents", "csv", "记录号", "身份证号", "机构代码", "床位号", "入住日期",
            "离开日期", *PERSON,
        ),
        export("cremations", "csv", "火化证号", "身份证号", "殡仪馆代码", "火化日期", *PERSON),
        export("vehicles", "jsonl", "号牌号码", "所有人身份证号", *ASSET),
        export("properties", "csv", "不动产权证号", "权利人身份证号", *ASSET, encoding="gbk"),
        export(
            "service_projects", "csv", "项目编号", "项目名称", "年度", "金额", "区划代码",
            "购买单位信用代码", "承接单位信用代码", "服务社区代码",
        ),
        export(
            "community_workers", "xlsx", "记录号", "身份证号", "姓名", "社区代码", "角色",
            "职业资格", "用人单位信用代码", "任职日期", "离任日期",
        ),
        export("volunteers", "csv", "记录号", "身份证号", "社区代码", "注册日期", "注销日期"),
        export(
            "community_services", "csv", "备案号", "统一社会信用代码", "社区代码", "开始日期",
            "结束日期",
        ),
        export(
            "dibao_standards", "csv", "文号", "区划代码", "保障类别", "月标准", "执行日期",
            "终止日期",
        ),
    )
}  # fmt: skip


class RowFile(Protocol):
    def write(self, row: Sequence[str]) -> None: ...

    def close(self) -> None: ...


class CsvFile:
    def __init__(self, path: Path, spec: Export) -> None:
        self.file: TextIO = path.open("w", encoding=spec.encoding, newline="")
        self.writer = csv.writer(self.file)
        self.writer.writerow(spec.header)

    def write(self, row: Sequence[str]) -> None:
        self.writer.writerow(row)

    def close(self) -> None:
        self.file.close()


class JsonlFile:
    def __init__(self, path: Path, spec: Export) -> None:
        self.file: TextIO = path.open("w", encoding=spec.encoding, newline="")
        self.header = spec.header

    def write(self, row: Sequence[str]) -> None:
        record = dict(zip(self.header, row, strict=True))
        self.file.write(json.dumps(record, ensure_ascii=False) + "\n")

    def close(self) -> None:
        self.file.close()


class XlsxFile:
    """A write-only workbook: rows stream to a temporary file until it is saved."""

    def __init__(self, path: Path, spec: Export) -> None:
        self.path = path
        self.workbook = Workbook(write_only=True)
        self.sheet = self.workbook.create_sheet(spec.source)
        self.sheet.append(spec.header)

    def write(self, row: Sequence[str]) -> None:
        self.sheet.append(list(row))

    def close(self) -> None:
        self.workbook.save(self.path)


OPENERS: dict[Format, type[CsvFile] | type[JsonlFile] | type[XlsxFile]] = {
    "csv": CsvFile,
    "jsonl": JsonlFile,
    "xlsx": XlsxFile,
}


class Exports:
    """Every export file of the province, open for writing."""

    def __init__(self, out: Path) -> None:
        self.files: dict[str, RowFile] = {
            source: OPENERS[spec.format](out / spec.file, spec) for source, spec in EXPORTS.items()
        }

    def write(self, source: str, row: Sequence[str]) -> None:
        self.files[source].write(row)

    def close(self) -> None:
        for file in self.files.values():
            file.close()
