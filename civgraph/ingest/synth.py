"""A synthetic province to develop, test and benchmark against (first slice).

`civgraph synth --people N --seed S --out DIR` writes Anhui's real cities and counties
(from python-stdnum's GB/T 2260 table) with synthetic townships, communities, households
and people (Faker zh_CN names), as the registries export them: regions (CSV, UTF-8),
communities (XLSX), household registration (CSV, GBK), 低保 (JSONL), 特困 and the old-age
allowance (CSV), funeral homes and cremation records (CSV). About 1% of registration rows
are invalid on purpose (bad check digit, impossible date, unknown code), some rows are
repeated, and some people keep drawing benefits after their cremation. `manifest.json`
says what was planted; tests read it, the product never does. Everything is synthetic.

Rows are written as they are generated (one community at a time), so memory stays flat
whatever N is.
"""

from __future__ import annotations

import csv
import json
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib.resources import files
from pathlib import Path
from typing import Any, TextIO

from faker import Faker
from openpyxl import Workbook

from civgraph.graph.identifiers import make_resident_id, make_uscc

AS_OF = date(2026, 11, 1)  # the day the exports are taken
HOUSEHOLDS_PER_COMMUNITY = 300
COMMUNITIES_PER_TOWNSHIP = 8
ALWAYS_VALID_COUNTY = "340121"  # 长丰县: in stdnum's table for every birth year
RELATION_WORDS = {"HEAD": "户主", "SPOUSE": "配偶", "CHILD": "子女", "PARENT": "父母"}
INVALID_SHARE = 0.01
DUPLICATE_SHARE = 0.005


@dataclass(frozen=True, slots=True)
class County:
    code: str
    name: str
    since: int  # first year the code is valid for ID numbers


def anhui() -> tuple[list[tuple[str, str]], list[County]]:
    """Anhui's current cities and counties from stdnum's table."""
    lines = files("stdnum").joinpath("cn/loc.dat").read_text(encoding="utf-8").splitlines()
    start = lines.index('34 province="安徽省"')
    cities: list[tuple[str, str]] = []
    counties: list[County] = []
    for line in lines[start + 1 :]:
        if not line.startswith("  "):
            break
        suffix, _, rest = line.strip().partition(" ")
        latest = rest.split('"')[1].split(",")[-1]
        if latest.startswith("[") and not latest.split("]")[0].endswith("-"):
            continue  # no longer in use
        since = int(latest[1:5]) if latest.startswith("[") and latest[1:5].isdigit() else 1949
        name = latest.split("]")[-1]
        code = "34" + suffix
        if code.endswith("0000") or name == "市辖区":
            continue
        if code.endswith("00"):
            cities.append((code, name))
        else:
            counties.append(County(code, name, since))
    return cities, counties


@dataclass
class Manifest:
    seed: int
    people: int = 0
    households: int = 0
    communities: int = 0
    rejects: dict[str, int] = field(default_factory=dict)
    duplicates: dict[str, int] = field(default_factory=dict)
    benefits_after_cremation: list[dict[str, str]] = field(default_factory=list)
    # Serving leading cadres who lead a social organization their agency supervises.
    concurrent_posts: list[dict[str, str]] = field(default_factory=list)

    def reject(self, file: str) -> None:
        self.rejects[file] = self.rejects.get(file, 0) + 1

    def duplicate(self, file: str) -> None:
        self.duplicates[file] = self.duplicates.get(file, 0) + 1


def roll_header(case: str) -> list[str]:
    return [case, "身份证号", "状态", "月发放金额", "审批区县", "开始日期", "终止日期"]


# The CSV exports: file name, encoding (registration comes from a GBK system), header.
REGISTRATION = ["户号", "住址", "社区代码", "户别", "身份证号", "姓名", "与户主关系", "入户日期"]
FACILITY = ["机构代码", "名称", "类型", "床位数", "性质", "法人登记", "地址", "区划代码"]
HEADERS: dict[str, tuple[str, list[str]]] = {
    "regions": ("utf-8", ["代码", "名称"]),
    "household_registration": ("gbk", [*REGISTRATION, "联系电话"]),
    "tekun": ("utf-8", roll_header("供养证号")),
    "old_age_allowance": ("utf-8", roll_header("发放编号")),
    "facilities": ("utf-8", [*FACILITY, "运营单位信用代码", "运营开始日期"]),
    "cremations": ("utf-8", ["火化证号", "身份证号", "殡仪馆代码", "火化日期"]),
    "social_organizations": (
        "utf-8",
        [
            "统一社会信用代码",
            "名称",
            "类型",
            "状态",
            "登记日期",
            "住所",
            "区划代码",
            "行业协会商会",
            "慈善组织",
            "评估等级",
            "业务主管单位信用代码",
        ],
    ),
    "cadres": (
        "utf-8",
        ["记录号", "身份证号", "单位信用代码", "职务", "职级", "任职日期", "离任日期"],
    ),
    "organization_officers": (
        "utf-8",
        [
            "记录号",
            "身份证号",
            "单位信用代码",
            "职务",
            "领导职务",
            "已审批备案",
            "领取报酬",
            "任职日期",
            "离任日期",
        ],
    ),
}


class Writers:
    """The open export files, written as rows are generated."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.files: list[TextIO] = []
        self.csv = {
            name: self.open_csv(f"{name}.csv", encoding, header)
            for name, (encoding, header) in HEADERS.items()
        }
        self.dibao = self.open("dibao.jsonl", "utf-8")
        self.communities = Workbook(write_only=True)
        self.community_sheet = self.communities.create_sheet("村(居)委会")
        self.community_sheet.append(["代码", "名称", "类别", "信息平台"])

    def open(self, name: str, encoding: str) -> TextIO:
        file = (self.out / name).open("w", encoding=encoding, newline="")
        self.files.append(file)
        return file

    def open_csv(self, name: str, encoding: str, header: list[str]) -> Any:
        writer = csv.writer(self.open(name, encoding))
        writer.writerow(header)
        return writer

    def close(self) -> None:
        for file in self.files:
            file.close()
        self.communities.save(self.out / "communities.xlsx")


@dataclass(frozen=True, slots=True)
class Member:
    id_number: str
    name: str
    born: date
    relation: str


class Generator:
    def __init__(self, people: int, seed: int, out: Path) -> None:
        self.target = people
        self.random = random.Random(seed)  # noqa: S311 - synthetic data, not secrets
        self.faker = Faker("zh_CN")
        self.faker.seed_instance(seed)
        self.writers = Writers(out)
        self.manifest = Manifest(seed)
        self.sequences: dict[tuple[str, date, int], int] = {}
        self.staff: dict[str, list[Member]] = {}
        self.case = 0

    def resident_id(self, county: County, born: date, male: bool) -> str:
        issued = county.code if born.year >= county.since else ALWAYS_VALID_COUNTY
        key = (issued, born, int(male))
        self.sequences[key] = sequence = self.sequences.get(key, -1) + 1
        serial = sequence * 2 + (1 if male else 0)  # odd for men, even for women
        if serial > 999:
            raise OverflowError("too many people born on one day in one county")
        return make_resident_id(issued, born, serial)

    def birth(self, low: int, high: int) -> date:
        return AS_OF - timedelta(days=self.random.randint(low * 365, high * 365))

    def household(self, county: County) -> list[Member]:
        head_born = self.birth(22, 95)
        male = self.random.random() < 0.6
        members = [
            Member(self.resident_id(county, head_born, male), self.faker.name(), head_born, "HEAD")
        ]
        if self.random.random() < 0.75:
            born = head_born + timedelta(days=self.random.randint(-1500, 1500))
            members.append(
                Member(self.resident_id(county, born, not male), self.faker.name(), born, "SPOUSE")
            )
        for _ in range(self.random.choice((0, 0, 1, 1, 2, 3))):
            born = min(
                head_born + timedelta(days=self.random.randint(7000, 14000)),
                AS_OF - timedelta(days=30),
            )
            members.append(
                Member(
                    self.resident_id(county, born, self.random.random() < 0.5),
                    self.faker.name(),
                    born,
                    "CHILD",
                )
            )
        return members

    def run(self) -> Manifest:
        cities, counties = anhui()
        regions = self.writers.csv["regions"]
        regions.writerow(["340000", "安徽省"])
        for code, name in cities:
            regions.writerow([code, name])
        per_county = max(1, self.target // len(counties))
        for county in counties:
            regions.writerow([county.code, county.name])
            self.funeral_home(county)
            self.county(county, per_county)
            self.organizations(county)
            if self.manifest.people >= self.target:
                break
        self.writers.close()
        return self.manifest

    def funeral_home(self, county: County) -> None:
        self.writers.csv["facilities"].writerow(
            [
                f"F-{county.code}-BYG",
                f"{county.name}殡仪馆",
                "殡仪馆",
                "0",
                "公办",
                "是",
                "",
                f"{county.code}001001",
                "",
                "",
            ]
        )

    def county(self, county: County, people: int) -> None:
        households = max(1, people // 3)
        communities = max(1, households // HOUSEHOLDS_PER_COMMUNITY)
        for index in range(communities):
            township = f"{county.code}{index // COMMUNITIES_PER_TOWNSHIP + 1:03d}"
            if index % COMMUNITIES_PER_TOWNSHIP == 0:
                self.writers.csv["regions"].writerow(
                    [township, f"合成{county.name[:-1]}第{index // 8 + 1}镇"]
                )
            community = f"{township}{index % COMMUNITIES_PER_TOWNSHIP + 1:03d}"
            urban = index % 3 != 0
            kind = "居委会" if urban else "村委会"
            self.writers.community_sheet.append(
                [community, f"合成第{index + 1}社区{kind}", kind, "是" if index % 5 == 0 else "否"]
            )
            self.manifest.communities += 1
            for number in range(households // communities):
                self.write_household(county, community, urban, number)

    def write_household(self, county: County, community: str, urban: bool, number: int) -> None:
        household = f"{community}-{number:04d}"
        members = self.household(county)
        registration = self.writers.csv["household_registration"]
        valid: list[Member] = []
        for member in members:
            kind = "城镇" if urban else "农村"
            address, relation = f"合成路{number}号", RELATION_WORDS[member.relation]
            row = [household, address, community, kind, member.id_number, member.name, relation]
            row += [f"{member.born:%Y-%m-%d}", ""]
            if self.random.random() < INVALID_SHARE:
                self.spoil(row)
                self.manifest.reject("household_registration.csv")
            else:
                valid.append(member)
                self.remember_adult(county, member)
                if self.random.random() < DUPLICATE_SHARE:  # exported twice: loads once
                    registration.writerow(row)
                    self.manifest.duplicate("household_registration.csv")
            registration.writerow(row)
        self.manifest.people += len(valid)
        self.manifest.households += 1
        if valid and valid[0].relation == "HEAD":
            self.benefits(county, household, valid, urban)

    def remember_adult(self, county: County, member: Member) -> None:
        """Keeps a few registered adults of working age per county, to staff organizations."""
        age = (AS_OF - member.born).days // 365
        staff = self.staff.setdefault(county.code, [])
        if 30 <= age <= 58 and len(staff) < 6:
            staff.append(member)

    def organizations(self, county: County) -> None:
        """An agency, an industry association it still supervises (脱钩 not done) led by one of
        its serving cadres without approval on file (planted), and a decoupled association."""
        staff = self.staff.get(county.code, [])
        if len(staff) < 3:
            return
        agency, association, decoupled = (
            make_uscc(prefix, county.code, f"{n:09d}")
            for prefix, n in (("11", 1), ("51", 2), ("51", 3))
        )
        orgs = self.writers.csv["social_organizations"]
        orgs.writerow(
            [
                agency,
                f"{county.name}民政局",
                "机关",
                "正常",
                "1990-01-01",
                "",
                county.code,
                "否",
                "否",
                "",
                "",
            ]
        )
        orgs.writerow(
            [
                association,
                f"{county.name}养老服务行业协会",
                "社会团体",
                "正常",
                "2010-05-01",
                "",
                county.code,
                "是",
                "否",
                "3A",
                agency,
            ]
        )
        orgs.writerow(
            [
                decoupled,
                f"{county.name}餐饮行业协会",
                "社会团体",
                "正常",
                "2012-05-01",
                "",
                county.code,
                "是",
                "否",
                "",
                "",
            ]
        )
        director, deputy, member = staff[:3]
        cadres = self.writers.csv["cadres"]
        cadres.writerow(
            [f"GB-{county.code}-1", director.id_number, agency, "局长", "县处级", "2019-03-01", ""]
        )
        cadres.writerow(
            [f"GB-{county.code}-2", deputy.id_number, agency, "副局长", "乡科级", "2020-03-01", ""]
        )
        officers = self.writers.csv["organization_officers"]
        officers.writerow(
            [
                f"FZ-{county.code}-1",
                deputy.id_number,
                association,
                "会长",
                "是",
                "否",
                "否",
                "2021-01-01",
                "",
            ]
        )
        officers.writerow(
            [
                f"FZ-{county.code}-2",
                member.id_number,
                decoupled,
                "会长",
                "是",
                "否",
                "否",
                "2021-01-01",
                "",
            ]
        )
        self.manifest.concurrent_posts.append(
            {"idNumber": deputy.id_number, "agency": agency, "association": association}
        )

    def spoil(self, row: list[str]) -> None:
        """One of the ways real rows are wrong."""
        way = self.random.randrange(3)
        if way == 0:
            last = row[4][-1]
            row[4] = row[4][:-1] + (
                "0" if last != "0" else "1"
            )  # a check digit that does not match
        elif way == 1:
            row[7] = row[7][:5] + "02-30"  # an impossible date
        else:
            row[6] = "表亲"  # a relation code the registry does not have

    def benefits(self, county: County, household: str, members: list[Member], urban: bool) -> None:
        if self.random.random() < 0.06:
            self.case += 1
            amount = str(self.random.randint(300, 900) * len(members))
            record = {
                "户号": household,
                "保障类别": "城市" if urban else "农村",
                "状态": "在保",
                "月保障金": amount,
                "救助证号": f"DB{self.case:08d}",
                "审批区县": county.code,
                "开始日期": "2023-01-01",
                "终止日期": "",
            }
            self.writers.dibao.write(json.dumps(record, ensure_ascii=False) + "\n")
        for member in members:
            age = (AS_OF - member.born).days // 365
            if age >= 80:
                self.roll("old_age_allowance", county, member, "100")
            elif age >= 60 and len(members) == 1 and self.random.random() < 0.2:
                self.roll("tekun", county, member, "900")
            if age >= 75 and self.random.random() < 0.05:
                self.cremation(county, member)

    def roll(self, name: str, county: County, member: Member, amount: str) -> None:
        self.case += 1
        case = f"{name[:2].upper()}{self.case:08d}"
        row = [case, member.id_number, "在保", amount, county.code, "2020-01-01", ""]
        self.writers.csv[name].writerow(row)

    def cremation(self, county: County, member: Member) -> None:
        cremated = AS_OF - timedelta(days=self.random.randint(30, 700))
        self.case += 1
        self.writers.csv["cremations"].writerow(
            [f"HH{self.case:08d}", member.id_number, f"F-{county.code}-BYG", f"{cremated:%Y-%m-%d}"]
        )
        if (AS_OF - member.born).days // 365 >= 80:  # the allowance above keeps running: planted
            self.manifest.benefits_after_cremation.append(
                {
                    "idNumber": member.id_number,
                    "program": "OLD_AGE_ALLOWANCE",
                    "crematedOn": cremated.isoformat(),
                }
            )


def synthesize(people: int, seed: int, out: Path) -> Manifest:
    out.mkdir(parents=True, exist_ok=True)
    manifest = Generator(people, seed, out).run()
    (out / "manifest.json").write_text(
        json.dumps(manifest.__dict__, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return manifest
