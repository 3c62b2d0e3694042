"""Events: discrete shocks, their chances and what they do when they fire."""

from __future__ import annotations

from typing import Any

from pydantic import (
    Field,
    model_validator,
)

from .._base import Model
from .._problems import RuleViolation
from .._text import OneLine, Prose
from .dynamics import Fade, Hazard
from .estimates import Estimate
from .ids import Identifier, Year
from .parameters import (
    ChanceEstimate,
    ShiftEstimate,
)

__all__ = ["Event", "EventEffects"]


class EventEffects(Model):
    """What an event does when it fires."""

    indicators: dict[Identifier, Estimate] = Field(
        {}, description="Indicator id -> jump in its own scale, each time the event fires."
    )
    drivers: dict[Identifier, ShiftEstimate] = Field(
        {}, description="Driver id -> lasting shift of its intensity, each time it fires."
    )
    fade: Fade | None = Field(
        None,
        description="How the jumps (and, with drivers: true, the shifts) decay; without "
        "it they last.",
    )


class Event(Model):
    """A discrete shock: fires each year with a probability, or at a fixed year."""

    label: OneLine = Field(min_length=1, description="What happens.")
    description: Prose | None = Field(None, description="The event in the analyst's words.")
    probability: ChanceEstimate = Field(
        None,  # type: ignore[assignment]  # filled in by _fixed_year_default
        description="Chance per year (a number, an interval, or an estimative word); with "
        "by, the chance of having fired by that year; at a fixed year, the chance it "
        "happens then (default 1).",
    )
    year: Year | None = Field(None, description="Fire at this year's step only.")
    by: Year | None = Field(
        None,
        description="The probability is the chance of having fired by this year (a "
        "once-only event); the engine fires it with the per-year hazard "
        "1 - (1 - P)^(1 / (by - start)).",
    )
    recurring: bool = Field(False, description="May fire again after firing once.")
    hazard: Hazard | None = Field(
        None,
        description="How the yearly chance moves with last year's driver intensities and "
        "indicator changes, on the log-odds scale.",
    )
    effects: EventEffects = Field(
        default_factory=EventEffects,
        description="Jumps of indicators and shifts of driver intensities.",
    )
    sources: list[Identifier] = Field([], description="Sources that make the event plausible.")

    @model_validator(mode="before")
    @classmethod
    def _fixed_year_default(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("probability") is None:
            if data.get("year") is None:
                raise ValueError(
                    "needs a probability (chance per year) or a year (when it happens)"
                )
            return {**data, "probability": 1.0}
        return data

    @model_validator(mode="after")
    def _not_both(self) -> Event:
        if self.year is not None and self.recurring:
            raise RuleViolation(
                [
                    (
                        "recurring",
                        f"an event at a fixed year ({self.year}) cannot recur; "
                        "drop 'recurring' or 'year'",
                    )
                ]
            )
        if self.by is not None and (self.recurring or self.year is not None):
            raise RuleViolation(
                [
                    (
                        "by",
                        "a chance by a year is for a once-only event without a fixed year; "
                        "drop 'by', or 'recurring' and 'year'",
                    )
                ]
            )
        return self
