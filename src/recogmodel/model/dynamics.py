"""How indicators and events depend on each other: links, reversion, hazards and fades.

These are the second edition of the model language (see ``docs/model-language.md``):

- :class:`Link`: an indicator moves with another's change of some years before
  (``z_k(y) += size * (z_j(y - lag) - z_j(y - lag - 1))``, both in their own scales);
- :class:`Reversion`: an indicator is pulled toward a level
  (``z(y) += rate * (z(to) - z(y - 1))``);
- :class:`Hazard`: an event's yearly chance moves with last year's state, on the log-odds
  scale (``logit p(y) = logit p_base + sum b x(y - 1)``);
- :class:`Fade`: an event's jumps (and, if it says so, its driver shifts) decay by
  ``0.5 ** (1 / half_life)`` a year instead of lasting.

Every coefficient is an estimate, so it may be sampled and is an assumption like any other
(its dotted name is listed by :func:`recogmodel.model.parameters.case_parameters`).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from .._base import Model
from .._text import Prose
from .estimates import Estimate
from .ids import Identifier
from .parameters import HALF_LIFE, RATE, _within

__all__ = [
    "Fade",
    "Hazard",
    "Link",
    "Reversion",
    "expand_link",
]


def expand_link(value: Any) -> Any:
    """``bilateral_trade: 0.5`` under ``links`` means ``{size: 0.5}`` (a lag of one year)."""
    if isinstance(value, Link) or (isinstance(value, dict) and "size" in value):
        return value
    return {"size": value}


class Link(Model):
    """A lagged dependence of one indicator on another's change, in their own scales."""

    size: Estimate = Field(
        description="Change of this indicator, in its scale, per unit of the source's change "
        "in the source's scale (log to log: an elasticity); may be negative."
    )
    lag: int = Field(
        1,
        ge=0,
        le=50,
        description="Years between the source's change and its effect here (0: the same "
        "year, evaluated after the source; default 1).",
    )
    informed_by: list[Identifier] = Field(
        [], description="Sources that inform the size (an assumption)."
    )
    note: Prose | None = Field(None, description="Why the link has this size.")


class Reversion(Model):
    """A pull toward a level: each year a share ``rate`` of the gap is closed."""

    to: Estimate = Field(description="The level pulled toward, in the indicator's unit.")
    rate: Annotated[Estimate, _within(RATE)] = Field(
        description="Share of the gap (in the indicator's scale) closed each year, in [0, 1]."
    )
    note: Prose | None = Field(None, description="Why the indicator reverts.")


class Hazard(Model):
    """How an event's yearly chance moves with last year's state, on the log-odds scale."""

    drivers: dict[Identifier, Estimate] = Field(
        {},
        description="Driver id -> change of the log-odds per unit of its intensity above "
        "its start (intensity is in [0, 1]).",
    )
    indicators: dict[Identifier, Estimate] = Field(
        {},
        description="Indicator id -> change of the log-odds per unit of its change since "
        "the start, in its own scale (log: 0.1 is about +10.5 %).",
    )
    note: Prose | None = Field(None, description="Why the chance moves so.")


class Fade(Model):
    """How an event's effects decay: by half every ``half_life`` years."""

    half_life: Annotated[Estimate, _within(HALF_LIFE)] = Field(
        description="Years after which half of a jump is gone (> 0)."
    )
    drivers: bool = Field(
        False, description="Whether the event's shifts of driver intensities fade too."
    )
