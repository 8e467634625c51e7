"""Reference data every load needs: the department's programs."""

from __future__ import annotations

from civgraph.graph.models import Beneficiary, ProgramCode, ProgramFields

PC, HOUSEHOLD, PERSON = ProgramCode, Beneficiary.HOUSEHOLD, Beneficiary.PERSON
PROGRAMS = (
    ProgramFields(code=PC.DIBAO_URBAN, name="城市最低生活保障 (低保)", beneficiary=HOUSEHOLD),
    ProgramFields(code=PC.DIBAO_RURAL, name="农村最低生活保障 (低保)", beneficiary=HOUSEHOLD),
    ProgramFields(code=PC.TEKUN, name="特困人员救助供养 (特困)", beneficiary=PERSON),
    ProgramFields(code=PC.TEMPORARY_ASSISTANCE, name="临时救助", beneficiary=PERSON),
    ProgramFields(code=PC.MEDICAL_ASSISTANCE, name="医疗救助", beneficiary=PERSON),
    ProgramFields(code=PC.ORPHAN_SUPPORT, name="孤儿基本生活保障", beneficiary=PERSON),
    ProgramFields(code=PC.OLD_AGE_ALLOWANCE, name="高龄津贴", beneficiary=PERSON),
    ProgramFields(code=PC.CARE_SUBSIDY, name="困难老年人护理补贴", beneficiary=PERSON),
    ProgramFields(code=PC.BURIAL_SUBSIDY, name="惠民殡葬补贴", beneficiary=PERSON),
    ProgramFields(code=PC.SOCIAL_WORK_SERVICE, name="社会工作服务", beneficiary=PERSON),
    ProgramFields(code=PC.CHARITY_AID, name="慈善救助", beneficiary=PERSON),
)
