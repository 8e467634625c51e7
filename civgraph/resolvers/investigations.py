"""What the rules' callers (the GraphQL fields, the CSV export) share."""

from __future__ import annotations

from civgraph.graph.rules import Thresholds
from civgraph.settings import Settings


def thresholds_of(settings: Settings) -> Thresholds:
    """The rules' numbers from the settings."""
    return Thresholds(
        old_age_allowance_age=settings.old_age_allowance_age,
        retired_cadre_age=settings.retired_cadre_age,
        cooling_off_years=settings.cooling_off_years,
    )
