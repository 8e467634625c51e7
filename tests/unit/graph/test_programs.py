"""Program families: the Cypher table says what the Python one does."""

from __future__ import annotations

import re

from civgraph.graph.models import ProgramCode
from civgraph.graph.programs import FAMILIES, FAMILY_MAP, MEANS_TESTED, ProgramFamily, family_of


def test_the_cypher_family_map_is_the_python_one() -> None:
    in_cypher = dict(re.findall(r"(\w+): '(\w+)'", FAMILY_MAP))

    assert in_cypher == {
        code.value: family.value for family, codes in FAMILIES.items() for code in codes
    }


def test_urban_and_rural_dibao_are_one_family_and_others_their_own() -> None:
    assert family_of(ProgramCode.DIBAO_URBAN) == family_of(ProgramCode.DIBAO_RURAL) == "DIBAO"
    assert family_of(ProgramCode.MEDICAL_ASSISTANCE) == "MEDICAL_ASSISTANCE"


def test_the_means_tested_programs_are_the_dibao_and_tekun_families() -> None:
    means_tested = set(re.findall(r"'(\w+)'", MEANS_TESTED))

    assert means_tested == {code.value for family in ProgramFamily for code in FAMILIES[family]}
