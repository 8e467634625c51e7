"""Program families: programs that pay for the same need under different rules count as one
when the question is "is this beneficiary paid twice?" or "is this household assisted?".

Urban and rural 低保 are two programs (two standards, two rolls) but one benefit: a household
on both, in one county or two, is paid twice. Every other program is a family of its own.
"""

from __future__ import annotations

from enum import StrEnum
from typing import LiteralString

from civgraph.graph.models import ProgramCode


class ProgramFamily(StrEnum):
    DIBAO = "DIBAO"  # 最低生活保障, urban and rural
    TEKUN = "TEKUN"  # 特困人员救助供养


FAMILIES: dict[ProgramFamily, frozenset[ProgramCode]] = {
    ProgramFamily.DIBAO: frozenset({ProgramCode.DIBAO_URBAN, ProgramCode.DIBAO_RURAL}),
    ProgramFamily.TEKUN: frozenset({ProgramCode.TEKUN}),
}


def family_of(code: ProgramCode) -> str:
    """A program's family: its own code when it shares it with no other program."""
    return next((family.value for family, codes in FAMILIES.items() if code in codes), code.value)


# The same table in Cypher (tests/unit/graph/test_programs.py keeps the two in step).
FAMILY_MAP: LiteralString = "{DIBAO_URBAN: 'DIBAO', DIBAO_RURAL: 'DIBAO', TEKUN: 'TEKUN'}"
# The families whose beneficiaries are means-tested (核对): 低保 and 特困.
MEANS_TESTED: LiteralString = "['DIBAO_URBAN', 'DIBAO_RURAL', 'TEKUN']"


def family(program: LiteralString) -> LiteralString:
    """The family of program node `program`, in Cypher."""
    return "coalesce(" + FAMILY_MAP + "[" + program + ".code], " + program + ".code)"
