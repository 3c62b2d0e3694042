"""Chances over a period: what an event's stated chance means by the horizon.

A per-year chance compounds: "very unlikely" a year (5 to 20 %) has fired a once-only event
by 2035, ten steps on, in 40 to 89 % of draws. :func:`event_chances` gives, for every event
of a case, the chance as stated, the per-year hazard the engine uses and the cumulative
chance by the horizon, so the validation, the run tables and the report can print one
beside the other ("very unlikely a year: 40–89 % by 2035").
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from .estimates import WordEstimate

if TYPE_CHECKING:
    from .case import Case, Event

__all__ = ["EventChance", "event_chances", "fired_by"]


def fired_by(per_year: float, steps: float) -> float:
    """The chance a per-year hazard has fired at least once within ``steps`` steps.

    Parameters
    ----------
    per_year
        The chance in each step, in [0, 1].
    steps
        The number of steps (may be fractional for a conversion).

    Returns
    -------
    float
        ``1 - (1 - per_year) ** steps``.
    """
    return float(1.0 - (1.0 - per_year) ** steps)


@dataclass(frozen=True)
class EventChance:
    """One event's chance as stated, per year, and by the horizon (each a low-high range)."""

    event: str
    """The event's id."""
    stated: str
    """The chance as written: a word, or its range, with what it is a chance of."""
    per_year: tuple[float, float]
    """The per-year hazard the engine uses (the 90 % range, or the band of a word)."""
    by_horizon: tuple[float, float]
    """The chance of having fired at least once by the horizon."""
    horizon: int
    """The case's last projected year."""
    kind: str
    """``per year``, ``by <year>`` or ``in <year>``."""
    moves_with: tuple[str, ...] = ()
    """What its hazard watches (driver and indicator ids); empty for a constant chance.
    With a hazard the stated chance is the base, and the chance by the horizon is what the
    base alone would give: the projection's diagnostics give the realised one."""

    def __str__(self) -> str:
        low, high = self.by_horizon
        cumulative = f"{_percent_range(low, high)} by {self.horizon}"
        if self.moves_with:  # the hazard's terms are in the file; the realised rate in a run
            return f"{self.stated} (base): {cumulative} if unmoved"
        return f"{self.stated}: {cumulative}"


def _percent(p: float) -> str:
    """A chance in whole percent, never rounded to a certainty it is not."""
    if 0 < p < 0.005:
        return "<1"
    if 0.995 <= p < 1:
        return ">99"
    return f"{round(p * 100)}"


def _percent_range(low: float, high: float) -> str:
    a, b = _percent(low), _percent(high)
    return f"{a} %" if a == b else f"{a}–{b} %"


def _chance(name: str, event: Event, case: Case) -> EventChance:
    found = _constant_chance(name, event, case)
    if event.hazard is None:
        return found
    return replace(found, moves_with=(*event.hazard.drivers, *event.hazard.indicators))


def _constant_chance(name: str, event: Event, case: Case) -> EventChance:
    low, high = event.probability.stated_range()
    p = event.probability
    words = p.word if isinstance(p, WordEstimate) else _percent_range(low, high)
    steps = case.horizon - case.start
    if event.year is not None:
        return EventChance(
            name,
            f"{words} in {event.year}",
            (low, high),
            (low, high),
            case.horizon,
            f"in {event.year}",
        )
    if event.by is not None:
        span = event.by - case.start
        hazard = (fired_by(low, 1 / span), fired_by(high, 1 / span))
        return EventChance(
            name,
            f"{words} by {event.by}",
            hazard,
            (fired_by(hazard[0], steps), fired_by(hazard[1], steps)),
            case.horizon,
            f"by {event.by}",
        )
    return EventChance(
        name,
        f"{words} a year",
        (low, high),
        (fired_by(low, steps), fired_by(high, steps)),
        case.horizon,
        "per year",
    )


def event_chances(case: Case) -> list[EventChance]:
    """Every event's chance as stated, per year and by the horizon, in case order.

    Parameters
    ----------
    case
        The case (or a scenario's merged case).

    Returns
    -------
    list of EventChance
        One per event; ``str()`` of one reads "very unlikely a year: 40–89 % by 2035".
    """
    return [_chance(name, event, case) for name, event in case.events.items()]
