"""Anhui's real cities and counties (python-stdnum's GB/T 2260 table), the day the
exports are taken, and ages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from importlib.resources import files

from civgraph.graph.identifiers import age_on

AS_OF = date(2026, 11, 1)  # the day the exports are taken
# Counties whose codes are in stdnum's table for every birth year: people born before
# their own county's code existed get ID numbers issued in one of these.
ALWAYS_VALID = ("340121", "340421", "340621")
# 皖 plate letters by city (the first four digits of its code).
PLATE_LETTERS = {
    "3401": "A", "3402": "B", "3403": "C", "3404": "D", "3405": "E", "3406": "F",
    "3407": "G", "3408": "H", "3410": "J", "3411": "M", "3412": "K", "3413": "L",
    "3415": "N", "3416": "S", "3417": "R", "3418": "P",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class County:
    code: str
    name: str
    since: int  # first year the code is valid for ID numbers
    position: int  # in the province's list: partitions the shared ID serials

    @property
    def short(self) -> str:
        return self.name[:-1] if len(self.name) > 2 else self.name


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
            counties.append(County(code, name, since, len(counties)))
    return cities, counties


def age(born: date, on: date = AS_OF) -> int:
    return age_on(born, on)


def anniversary(born: date, years: int) -> date:
    """The day someone turns `years` (1 March for those born on 29 February)."""
    try:
        return born.replace(year=born.year + years)
    except ValueError:
        return date(born.year + years, 3, 1)
