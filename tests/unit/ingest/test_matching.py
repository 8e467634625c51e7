"""Entity resolution's scores on a hand-made set of true and false matches."""

from __future__ import annotations

from datetime import date

import pytest

from civgraph.graph.models import OrganizationKind
from civgraph.ingest import matching_organizations as organizations
from civgraph.ingest.matching import (
    GREY,
    Candidate,
    Identity,
    Outcome,
    compare,
    decide,
    initials,
    name_evidence,
    namesake_place,
)
from civgraph.ingest.matching_organizations import OrganizationIdentity

BORN = date(1948, 6, 15)
HOME = "340121001001"
REGISTERED = Candidate("p-1", "陈秀英", "FEMALE", BORN, HOME)


def record(name: str, sex: str = "FEMALE", born: date = BORN, place: str = HOME) -> Identity:
    return Identity(name, sex, born, place)


# (what the record says, expected outcome against REGISTERED alone, expected match key)
CASES = [
    (record("陈秀英"), Outcome.JOIN, "name+birthDate+sex+community"),
    (record("陳秀英"), Outcome.JOIN, "name~variant+birthDate+sex+community"),
    (record("陈 秀英"), Outcome.JOIN, "name~variant+birthDate+sex+community"),
    (record("陈\u3000秀英"), Outcome.JOIN, "name~variant+birthDate+sex+community"),
    (record("陈秀瑛"), Outcome.JOIN, "name~homophone+birthDate+sex+community"),
    (record("陈秀美"), Outcome.POSSIBLE, "name~typo+birthDate+sex+community"),
    (record("陈英"), Outcome.POSSIBLE, "name~dropped+birthDate+sex+community"),
    (record("陈秀英", place="340121002003"), Outcome.POSSIBLE, "name+birthDate+sex+county"),
    (record("陈秀英", born=date(1948, 6, 16)), Outcome.POSSIBLE, "name+sex+community"),
    # false matches: another person altogether
    (record("李秀英"), Outcome.NEW, None),
    (record("陈秀英", sex="MALE", born=date(1970, 1, 1)), Outcome.NEW, "name+community"),
    (record("陈秀美", born=date(1990, 2, 2), place="340102001001"), Outcome.NEW, "name~typo+sex"),
    (record("王建国"), Outcome.NEW, None),
]


@pytest.mark.parametrize(("identity", "outcome", "key"), CASES, ids=[c[0].name for c in CASES])
def test_a_record_joins_links_or_stands_alone(
    identity: Identity, outcome: Outcome, key: str | None
) -> None:
    decision = decide(identity, [REGISTERED])
    match = compare(identity, REGISTERED)

    assert decision.outcome is outcome
    assert (match.key if match else None) == key
    if outcome is not Outcome.NEW:
        assert decision.matches[0].candidate == REGISTERED


def test_scores_order_the_evidence() -> None:
    exact, variant, typo = (
        compare(record(name), REGISTERED) for name in ("陈秀英", "陳秀英", "陈秀美")
    )

    assert exact is not None
    assert variant is not None
    assert typo is not None
    assert exact.score == 1.0
    assert exact.score > variant.score > typo.score


def test_a_namesake_elsewhere_does_not_stop_a_join_at_home() -> None:
    namesake = Candidate("p-2", "陈秀英", "FEMALE", BORN, "340121007001")

    decision = decide(record("陈秀英"), [namesake, REGISTERED])

    assert decision.outcome is Outcome.JOIN
    assert decision.matches[0].candidate == REGISTERED


def test_two_equally_good_candidates_are_left_to_an_investigator() -> None:
    twin = Candidate("p-3", "陈秀英", "FEMALE", BORN, HOME)

    decision = decide(record("陈秀英"), [REGISTERED, twin])

    assert decision.outcome is Outcome.POSSIBLE
    assert {match.candidate.id for match in decision.matches} == {"p-1", "p-3"}


# A registry without a place column (a vehicle register): what it can say, out of 0.80.
UNPLACED = [
    (Identity("陈秀英", "FEMALE", BORN, None, placed=False), Outcome.JOIN, 1.0),
    (Identity("陳秀英", "FEMALE", BORN, None, placed=False), Outcome.JOIN, 0.96),
    (Identity("陈秀英", None, BORN, None, placed=False), Outcome.JOIN, 0.94),  # no sex given
    (Identity("陈秀瑛", "FEMALE", BORN, None, placed=False), Outcome.POSSIBLE, 0.87),
    (Identity("陈秀美", "FEMALE", BORN, None, placed=False), Outcome.POSSIBLE, 0.79),
    (Identity("陈秀英", "MALE", BORN, None, placed=False), Outcome.NEW, 0.56),
]


@pytest.mark.parametrize(("identity", "outcome", "score"), UNPLACED)
def test_a_registry_without_places_is_scored_on_what_it_can_say(
    identity: Identity, outcome: Outcome, score: float
) -> None:
    match = compare(identity, REGISTERED)

    assert match is not None
    assert (decide(identity, [REGISTERED]).outcome, match.score) == (outcome, score)
    assert "community" not in match.key


BUREAU = Candidate("o-1", "长丰县民政局", None, None, "340121")
ORGANIZATIONS = [
    ("长丰县民政局", "340121", Outcome.JOIN, "name+county", 0.95),
    ("长丰县民政局", "340121001001", Outcome.JOIN, "name+county", 0.95),
    ("長豐縣民政局", "340121", Outcome.JOIN, "name~variant+county", 0.9),
    ("长丰县 民政局", "340122", Outcome.POSSIBLE, "name~variant+city", 0.8),
    ("长丰县民政局", "340122", Outcome.POSSIBLE, "name+city", 0.85),
    ("长丰县民政局", "341202", Outcome.POSSIBLE, "name", 0.7),
    ("长丰县档案局", "340121", Outcome.NEW, None, None),
]


@pytest.mark.parametrize(("name", "region", "outcome", "key", "score"), ORGANIZATIONS)
def test_an_organization_is_matched_by_name_and_region(
    name: str, region: str, outcome: Outcome, key: str | None, score: float | None
) -> None:
    identity = OrganizationIdentity(name, region, OrganizationKind.GOVERNMENT_AGENCY)

    match = organizations.compare(identity, BUREAU)

    assert organizations.decide(identity, [BUREAU]).outcome is outcome
    assert (match.key, match.score) == (key, score) if match else key is None


NAMESAKE_PLACES = ["340121001001", "340121001002", "340121002001", "340102001001", None]


@pytest.mark.parametrize("grey", [0.5, 0.6, 0.65, 0.7, 0.8])
@pytest.mark.parametrize("sex", ["FEMALE", None])
@pytest.mark.parametrize("placed", [True, False])
def test_a_namesake_born_another_day_is_skipped_only_where_it_cannot_be_likely(
    grey: float, sex: str | None, placed: bool
) -> None:
    # Given a record, and namesakes of either sex born another day, living anywhere
    identity = Identity("陈秀英", sex, BORN, HOME if placed else None, placed)
    place = namesake_place(identity, grey)
    for lives in NAMESAKE_PLACES:
        for their_sex in ("FEMALE", "MALE", None):
            namesake = Candidate("p-2", "陈秀英", their_sex, date(1950, 1, 1), lives)
            # When the candidate query would skip the namesake
            skipped = place is None or (place != "" and not (lives or "").startswith(place))
            # Then it could not have scored in the grey band
            match = compare(identity, namesake)
            assert match is not None
            assert not (skipped and match.score >= grey), (lives, their_sex, place)
    # and the query skips the far ones when it can: at the default band, a namesake elsewhere
    if grey == GREY and sex and placed:
        assert place == HOME


# Names that match one another in every way the scores know: the same, traditional,
# homophones with another surname (张/章, 陈/程 do not), typos and dropped characters.
POOL = ["张伟", "章伟", "張伟", "张玮", "张伟明", "张明", "陈秀英", "陳秀英", "沈秀英",
        "陈秀瑛", "陈英", "程秀英", "王建国", "汪建国", "王健国", "黄建国", "\uff21伟",
        "A伟"]  # fmt: skip


@pytest.mark.parametrize("name", POOL)
def test_a_name_that_matches_begins_with_one_of_the_initials(name: str) -> None:
    for registered in POOL:
        if name_evidence(name, registered) is not None:
            assert registered[:1] in initials(name), (name, registered)
    assert initials(name) == "".join(sorted(initials(name)))


def test_the_initials_leave_out_most_surnames() -> None:
    assert "章" in initials("张伟")
    assert "張" in initials("张伟")
    assert "李" not in initials("张伟")
    assert "程" not in initials("陈秀英")
