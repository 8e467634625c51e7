"""Entity resolution for organizations a record names without a unified social credit code:
the name and registration region it gives against the organizations in the graph.

| evidence | points | match key |
| --- | --- | --- |
| the same name | 0.70 | `name` |
| the same name once normalised (traditional, spaces, full-width brackets) | 0.65 | `name~variant` |
| registered in the same county / the same city | 0.25 / 0.15 | `county` / `city` |

A candidate whose name matches in neither way is no match. The thresholds are the people's
(`civgraph.ingest.matching`): the same name in the same county joins (0.95), so does the
normalised name there (0.90), unless another organization is about as good; the same name
elsewhere in the city (0.85) or with nothing more (0.70) is only possibly the same.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from civgraph.graph.models import OrganizationKind
from civgraph.graph.pickling import ByFields
from civgraph.ingest.matching import GREY, JOIN, Candidate, Decision, Match, choose, normalised

FULL_WIDTH = str.maketrans("()", "\uff08\uff09")


@dataclass(frozen=True, slots=True)
class OrganizationIdentity(ByFields):
    """What a record without a USCC says about the organization it names."""

    name: str
    region_code: str  # where the organization is registered (区划代码)
    kind: OrganizationKind  # what its registry implies it is, should it be one of its own

    @property
    def names(self) -> list[str]:
        """The spellings to look the name up by: as written, normalised, brackets full-width."""
        plain = normalised(self.name)
        return sorted({self.name, plain, plain.translate(FULL_WIDTH)})


def region_evidence(record: str, registered: str | None) -> tuple[float, str]:
    if not registered:
        return 0.0, ""
    if record[:6] == registered[:6]:
        return 0.25, "county"
    if record[:4] == registered[:4]:
        return 0.15, "city"
    return 0.0, ""


def compare(identity: OrganizationIdentity, candidate: Candidate) -> Match | None:
    """How alike a record's organization and a candidate are; None when the names differ."""
    if identity.name == candidate.name:
        score, keys = 0.70, ["name"]
    elif normalised(identity.name) == normalised(candidate.name):
        score, keys = 0.65, ["name~variant"]
    else:
        return None
    points, label = region_evidence(identity.region_code, candidate.division_code)
    if label:
        score, keys = score + points, [*keys, label]
    return Match(candidate, round(score, 2), "+".join(keys))


def decide(
    identity: OrganizationIdentity,
    candidates: Iterable[Candidate],
    join: float = JOIN,
    grey: float = GREY,
) -> Decision:
    return choose((m for c in candidates if (m := compare(identity, c)) is not None), join, grey)
