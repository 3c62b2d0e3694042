"""Indicators: what the drivers move, with the sourced value each starts from.

An :class:`Indicator` is a measurable quantity in its own scale, with a :class:`Baseline`
(a fact its sources state, or an explained assumption), observed :class:`HistoryPoint`
values, and either its own dynamics (drift, noise, links to other indicators, a reversion)
or a formula that derives it from others.
"""

from __future__ import annotations

import math
from typing import Any

from pydantic import (
    Field,
    field_validator,
    model_validator,
)

from .._base import Model
from .._problems import RuleViolation
from .._text import OneLine, Prose
from .._types import Scale
from .dynamics import Link, Reversion, expand_link
from .estimates import Estimate, EstimateInput, FixedEstimate
from .formula import FormulaError, parse_formula
from .ids import Identifier, Year
from .parameters import (
    Domain,
    VolatilityEstimate,
)

__all__ = ["ZERO", "Baseline", "HistoryPoint", "Indicator", "need_grounding"]

#: The default of drift, volatility and trend: none. Built without validation so that
#: importing the models builds no validator (they are built on first use).
ZERO = FixedEstimate.model_construct(value=0.0)


def need_grounding(
    sources: list[str], informed_by: list[str], rationale: str | None, what: str
) -> None:
    """A grounded number cites ``sources`` that state it, or is an explained assumption."""
    if sources or (informed_by and rationale):
        return
    if informed_by:
        raise RuleViolation(
            [
                (
                    "rationale",
                    f"required field is missing: the {what} is an assumption (informed_by "
                    "without sources), so it needs a rationale saying how it was judged",
                )
            ]
        )
    raise RuleViolation(
        [
            (
                "sources",
                f"required field is missing: the {what} needs either sources: (sources that "
                "state it: a fact) or informed_by: with a rationale: (an assumption, and why)",
            )
        ]
    )


class Baseline(Model):
    """An indicator's value in a given year: a fact its sources state, or an assumption.

    A baseline citing ``sources`` is a fact those sources state; one that no source states
    is an assumption, written with ``informed_by`` (the sources it rests on) and a
    ``rationale``. Citing under ``sources`` a source that does not state the number is the
    mistake this distinction prevents.
    """

    year: Year = Field(description="Year of the value; at or before the case's start.")
    value: Estimate = Field(description="The value, or a range spanning the sources.")
    sources: list[Identifier] = Field(
        [], description="Sources that state the value (the value is a fact)."
    )
    informed_by: list[Identifier] = Field(
        [],
        description="Sources that inform the value without stating it (the value is an "
        "assumption, explained under rationale).",
    )
    rationale: Prose | None = Field(None, description="Why an assumed value is what it is.")
    note: Prose | None = Field(None, description="How the value was read from the sources.")

    @model_validator(mode="after")
    def _grounded(self) -> Baseline:
        need_grounding(self.sources, self.informed_by, self.rationale, "baseline")
        return self


class HistoryPoint(Model):
    """An observed value of an indicator in a past year."""

    value: float = Field(description="The observed value, in the indicator's unit.")
    sources: list[Identifier] = Field(min_length=1, description="Sources of the value.")
    note: Prose | None = Field(None, description="Anything a reader should know about it.")


class Indicator(Model):
    """A measurable quantity the drivers move, evolving in its own scale."""

    label: OneLine = Field(min_length=1, description="What is measured.")
    unit: OneLine = Field(description="Unit of the values, e.g. 'USD m', 'people', 'share'.")
    scale: Scale = Field(
        description="Scale the dynamics act in: log (positive amounts), logit (shares in "
        "(0, 1)) or linear."
    )
    description: Prose | None = Field(None, description="What the indicator measures and why.")
    baseline: Baseline | None = Field(
        None, description="The sourced starting value (none for a derived indicator)."
    )
    formula: OneLine | None = Field(
        None,
        description="Derived each year from other indicators (numbers, indicator ids, "
        "+ - * / ( ), min, max, log, exp), e.g. 'aid_reach / people_in_need'; a derived "
        "indicator has no baseline, drift, volatility, links or reversion of its own.",
    )
    links: dict[Identifier, Link] = Field(
        {},
        description="Source indicator id -> how this indicator moves with the source's "
        "change lag years before, in their own scales.",
    )
    reversion: Reversion | None = Field(
        None, description="A pull toward a level: a share rate of the gap closed each year."
    )
    history: dict[Year, HistoryPoint] = Field(
        {}, description="Observed values in earlier years, each sourced."
    )
    drift: Estimate = Field(ZERO, description="Change per year in the indicator's scale.")
    volatility: VolatilityEstimate = Field(
        ZERO, description="Standard deviation of the yearly noise in the indicator's scale."
    )
    bounds: tuple[float | None, float | None] = Field(
        (None, None), description="[low, high] in the indicator's unit; null for none."
    )
    key: bool = Field(
        False,
        description="Whether the indicator is one of the case's key indicators: the report "
        "shows what drives its range (sensitivity) in the detail.",
    )
    integer: bool = Field(
        False,
        description="Whether the indicator only takes whole numbers (a count that events "
        "change by whole steps): evidence about it is weighed as probability mass. Needs a "
        "linear scale, a fixed whole-number baseline, and no drift or volatility.",
    )

    @field_validator(
        "links", mode="before", json_schema_input_type=dict[Identifier, Link | EstimateInput]
    )
    @classmethod
    def _link_shorthand(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: expand_link(v) for k, v in value.items()}
        return value

    @field_validator("formula")
    @classmethod
    def _parses(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                parse_formula(value)
            except FormulaError as exc:
                raise ValueError(str(exc)) from None
        return value

    @property
    def derived(self) -> bool:
        """Whether the indicator is computed from others by its formula."""
        return self.formula is not None

    @model_validator(mode="after")
    def _consistent(self) -> Indicator:
        low, high = self.bounds
        problems: list[tuple[str | tuple[str, ...], str]] = []
        if self.formula is not None:
            problems += self._derived_only()
        elif self.baseline is None:
            problems.append(
                (
                    "baseline",
                    "required field is missing: an indicator needs a baseline (its sourced "
                    "starting value), unless it is derived by a formula",
                )
            )
        if self.integer:
            problems += self._whole_numbers()
        if low is not None and high is not None and not low < high:
            problems.append(("bounds", f"low bound {low:g} must be below high bound {high:g}"))
        if self.scale == "logit":
            for end in (low, high):
                if end is not None and not 0 < end < 1:
                    problems.append(
                        ("bounds", f"{end:g}: a logit indicator's bounds must lie inside (0, 1)")
                    )
        if self.scale == "log" and low is not None and low < 0:
            problems.append(("bounds", f"{low:g}: a log indicator's low bound must be >= 0"))
        if problems:
            raise RuleViolation(problems)
        domain = self.domain()
        b_low, b_high = (
            (math.nan, math.nan) if self.baseline is None else self.baseline.value.stated_range()
        )
        if self.baseline is not None and not domain.admits(b_low, b_high):
            stated = f"{b_low:g}" if b_low == b_high else f"{b_low:g} to {b_high:g}"
            raise RuleViolation(
                [
                    (
                        "baseline.value",
                        f"{stated} lies outside {domain}, the indicator's "
                        f"{'bounds' if any(e is not None for e in self.bounds) else 'scale'}",
                    )
                ]
            )
        outside: list[tuple[str | tuple[str, ...], str]] = [
            (
                ("history", str(y), "value"),
                f"{p.value:g} lies outside {domain}, the indicator's "
                f"{'bounds' if any(e is not None for e in self.bounds) else 'scale'}",
            )
            for y, p in self.history.items()
            if not domain.admits(p.value, p.value)
        ]
        if outside:
            raise RuleViolation(outside)
        return self

    def _derived_only(self) -> list[tuple[str | tuple[str, ...], str]]:
        """What a derived indicator cannot have: its formula says it all."""
        problems: list[tuple[str | tuple[str, ...], str]] = []
        for name in ("baseline", "reversion"):
            if getattr(self, name) is not None:
                problems.append(
                    (name, f"a derived indicator (formula) is computed, so it has no {name}")
                )
        for name in ("drift", "volatility"):
            est = getattr(self, name)
            if not (isinstance(est, FixedEstimate) and est.value == 0):
                problems.append(
                    (name, f"a derived indicator (formula) is computed, so it has no {name}")
                )
        if self.links:
            problems.append(
                ("links", "a derived indicator (formula) is computed, so it has no links")
            )
        if self.integer:
            problems.append(
                ("integer", "a derived indicator (formula) cannot be declared whole-number")
            )
        return problems

    def _whole_numbers(self) -> list[tuple[str | tuple[str, ...], str]]:
        """What keeps a whole-number indicator's values whole, checked field by field."""
        problems: list[tuple[str | tuple[str, ...], str]] = []
        if self.scale != "linear":
            problems.append(
                ("integer", f"a whole-number indicator needs scale: linear, not {self.scale}")
            )
        value = None if self.baseline is None else self.baseline.value
        if not (isinstance(value, FixedEstimate) and float(value.value).is_integer()):
            problems.append(
                (
                    "baseline.value",
                    "a whole-number indicator (integer: true) needs a fixed whole-number baseline",
                )
            )
        for name in ("drift", "volatility"):
            est = getattr(self, name)
            if not (isinstance(est, FixedEstimate) and est.value == 0):
                problems.append(
                    (
                        name,
                        f"a whole-number indicator (integer: true) cannot have a {name}; "
                        "expected 0",
                    )
                )
        return problems

    def domain(self) -> Domain:
        """Where the indicator's values may lie: its bounds within its scale's range."""
        low, high = self.bounds
        what = f"indicator '{self.label}'"
        if self.scale == "log":
            if low is None or low <= 0:
                return Domain(0.0, math.inf if high is None else high, low_open=True, what=what)
            return Domain(low, math.inf if high is None else high, what=what)
        if self.scale == "logit":
            return Domain(
                0.0 if low is None else low,
                1.0 if high is None else high,
                low_open=low is None,
                high_open=high is None,
                what=what,
            )
        return Domain(
            -math.inf if low is None else low, math.inf if high is None else high, what=what
        )
