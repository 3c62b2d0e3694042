"""Assumption slots: where a number of a case may lie, what it is, and how well it rests.

Every number a case states is a :class:`Parameter`: a dotted name as a file writes it
(``drivers.market_access.weight``), its estimate, the :class:`Domain` it must lie in, and
its :data:`~recogmodel._types.Role` with the ids it belongs to, so that the engine and the
analyses can place it without parsing names. A :class:`KeyAssumption` is the analyst's
rating of how well one of them (or a structural assumption) is supported.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Literal, TypeAlias

import numpy as np
from pydantic import AfterValidator, Field

from .._base import Model
from .._text import Prose
from .estimates import Estimate, EstimateBase, ProbabilityEstimate
from .formula import parse_formula

if TYPE_CHECKING:
    from collections.abc import Iterator

    from numpy.typing import NDArray

    from .._types import Role
    from .case import Case

__all__ = [
    "HALF_LIFE",
    "INTENSITY",
    "PROBABILITY",
    "RATE",
    "REAL",
    "SHIFT",
    "TREND",
    "VOLATILITY",
    "WEIGHT",
    "Basis",
    "ChanceEstimate",
    "Domain",
    "IntensityEstimate",
    "KeyAssumption",
    "Parameter",
    "ShiftEstimate",
    "Support",
    "TrendEstimate",
    "VolatilityEstimate",
    "WeightEstimate",
    "case_parameters",
    "reaching",
]


@dataclass(frozen=True)
class Domain:
    """Where a parameter may lie: ``[low, high]``, either end possibly open or infinite.

    Parameters
    ----------
    low, high
        The ends (``-inf`` and ``inf`` for none).
    low_open, high_open
        Whether an end itself is excluded.
    what
        The kind of parameter, for error messages ("a probability", "a weight").
    """

    low: float = -math.inf
    high: float = math.inf
    low_open: bool = False
    high_open: bool = False
    what: str = "a number"

    def __str__(self) -> str:
        left = "(" if self.low_open or math.isinf(self.low) else "["
        right = ")" if self.high_open or math.isinf(self.high) else "]"
        return f"{left}{_end(self.low)}, {_end(self.high)}{right}"

    def admits(self, low: float, high: float) -> bool:
        """Whether the closed range ``[low, high]`` lies inside the domain.

        Parameters
        ----------
        low, high
            The range's ends (equal for a single number).

        Returns
        -------
        bool
            True when both ends lie inside, open ends excluded.
        """
        above = low > self.low if self.low_open else low >= self.low
        below = high < self.high if self.high_open else high <= self.high
        return above and below

    def clip(self, values: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
        """Values kept inside the domain, and which of them had to be moved.

        Parameters
        ----------
        values
            Draws of the parameter.

        Returns
        -------
        tuple of numpy.ndarray
            The values clipped into the domain (an open end is kept just inside), and a
            mask of the values that changed.
        """
        low, high = self.kept_ends()
        clipped = np.clip(values, low, high)
        return clipped, clipped != values

    def kept_ends(self) -> tuple[float, float]:
        """The ends values are clipped to: an open end is kept just inside.

        Returns
        -------
        tuple of float
            The lowest and highest value a clipped draw may take.
        """
        low = self.low
        high = self.high
        if self.low_open and math.isfinite(low):
            low = low + max(abs(low), 1.0) * 1e-12
        if self.high_open and math.isfinite(high):
            high = high - max(abs(high), 1.0) * 1e-12
        return low, high


def _end(x: float) -> str:
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    return f"{x:.6g}"


WEIGHT = Domain(0.0, math.inf, what="a driver weight")
INTENSITY = Domain(0.0, 1.0, what="an intensity")
TREND = Domain(-1.0, 1.0, what="an annual intensity trend")
SHIFT = Domain(-1.0, 1.0, what="an intensity shift")
PROBABILITY = Domain(0.0, 1.0, what="a probability")
VOLATILITY = Domain(0.0, math.inf, what="a volatility")
REAL = Domain(what="a number")
RATE = Domain(0.0, 1.0, what="a reversion rate")
HALF_LIFE = Domain(0.0, math.inf, low_open=True, what="a half-life")


def _within(domain: Domain) -> AfterValidator:
    """A validator refusing an estimate whose stated range leaves ``domain``."""

    def check(estimate: EstimateBase) -> EstimateBase:
        low, high = estimate.stated_range()
        if not domain.admits(low, high):
            stated = f"{low:g}" if low == high else f"{low:g} to {high:g}"
            raise ValueError(f"{stated} lies outside {domain}, the domain of {domain.what}")
        return estimate

    return AfterValidator(check)


#: A driver weight: an estimate whose stated range is >= 0.
WeightEstimate: TypeAlias = Annotated[Estimate, _within(WEIGHT)]
#: An intensity: in [0, 1].
IntensityEstimate: TypeAlias = Annotated[Estimate, _within(INTENSITY)]
#: An annual intensity trend: in [-1, 1].
TrendEstimate: TypeAlias = Annotated[Estimate, _within(TREND)]
#: An event's shift of a driver's intensity: in [-1, 1].
ShiftEstimate: TypeAlias = Annotated[Estimate, _within(SHIFT)]
#: A probability (estimative words allowed): in [0, 1].
ChanceEstimate: TypeAlias = Annotated[ProbabilityEstimate, _within(PROBABILITY)]
#: A volatility: >= 0.
VolatilityEstimate: TypeAlias = Annotated[Estimate, _within(VOLATILITY)]


#: Whether a number is a fact (a cited source states it) or an assumption (everything else).
Basis: TypeAlias = Literal["fact", "assumption"]

#: How well an assumption is supported, in the words of a Key Assumptions Check.
Support: TypeAlias = Literal["solid", "caveated", "unsupported"]


class KeyAssumption(Model):
    """An analyst's rating of how well an assumption is supported (Key Assumptions Check)."""

    support: Support = Field(description="solid; caveated (correct with caveats); or unsupported.")
    rationale: Prose = Field(min_length=1, description="Why it is rated so, in a sentence or two.")


@dataclass(frozen=True)
class Parameter:
    """One assumption slot of a case: its dotted name, estimate, domain and place.

    Parameters
    ----------
    name
        The dotted name a file would use, e.g. ``drivers.market_access.weight``.
    estimate
        The slot's estimate.
    domain
        Where its values may lie.
    role
        What the number is (``weight``, ``effect``, ``jump``...).
    keys
        The ids it belongs to, in the order of :data:`~recogmodel._types.ROLE_KEYS`: a
        driver; a driver and an indicator; an event and an indicator...
    sources
        The sources that state the number; a number with any is a fact.
    informed_by
        The sources that inform an assumed number without stating it.
    rationale
        Why an assumed number is what it is, when the case says.
    """

    name: str
    estimate: EstimateBase
    domain: Domain
    role: Role
    keys: tuple[str, ...]
    sources: tuple[str, ...] = ()
    informed_by: tuple[str, ...] = ()
    rationale: str | None = None

    @property
    def basis(self) -> Basis:
        """``fact`` when a cited source states the number, else ``assumption``."""
        return "fact" if self.sources else "assumption"


def case_parameters(case: Case) -> Iterator[Parameter]:
    """Every assumption slot of a case, in a fixed order (drivers, indicators, events).

    Parameters
    ----------
    case
        The case.

    Yields
    ------
    Parameter
        Each slot with its dotted name, estimate, domain, role and keys.
    """
    for d, drv in case.drivers.items():
        yield Parameter(
            f"drivers.{d}.weight",
            drv.weight,
            WEIGHT,
            "weight",
            (d,),
            tuple(drv.sources),
            tuple(drv.informed_by),
            drv.rationale,
        )
        yield Parameter(
            f"drivers.{d}.intensity.start", drv.intensity.start, INTENSITY, "start", (d,)
        )
        yield Parameter(f"drivers.{d}.intensity.trend", drv.intensity.trend, TREND, "trend", (d,))
        for k, eff in drv.effects.items():
            yield Parameter(
                f"drivers.{d}.effects.{k}",
                eff.size,
                REAL,
                "effect",
                (d, k),
                tuple(eff.sources),
                tuple(eff.informed_by),
                eff.note,
            )
    for k, ind in case.indicators.items():
        base = ind.baseline
        if base is None:  # derived: its formula has no assumption of its own
            continue
        yield Parameter(
            f"indicators.{k}.baseline.value",
            base.value,
            ind.domain(),
            "baseline",
            (k,),
            tuple(base.sources),
            tuple(base.informed_by),
            base.rationale,
        )
        yield Parameter(f"indicators.{k}.drift", ind.drift, REAL, "drift", (k,))
        yield Parameter(
            f"indicators.{k}.volatility", ind.volatility, VOLATILITY, "volatility", (k,)
        )
        for j, link in ind.links.items():
            yield Parameter(
                f"indicators.{k}.links.{j}.size",
                link.size,
                REAL,
                "link",
                (k, j),
                (),
                tuple(link.informed_by),
                link.note,
            )
        if ind.reversion is not None:
            rev = ind.reversion
            yield Parameter(
                f"indicators.{k}.reversion.to",
                rev.to,
                ind.domain(),
                "reversion_level",
                (k,),
                rationale=rev.note,
            )
            yield Parameter(
                f"indicators.{k}.reversion.rate",
                rev.rate,
                RATE,
                "reversion_rate",
                (k,),
                rationale=rev.note,
            )
    for e, ev in case.events.items():
        yield Parameter(f"events.{e}.probability", ev.probability, PROBABILITY, "probability", (e,))
        for k, jump in ev.effects.indicators.items():
            yield Parameter(f"events.{e}.effects.indicators.{k}", jump, REAL, "jump", (e, k))
        for d, shift in ev.effects.drivers.items():
            yield Parameter(f"events.{e}.effects.drivers.{d}", shift, SHIFT, "shift", (e, d))
        if ev.effects.fade is not None:
            yield Parameter(
                f"events.{e}.effects.fade.half_life",
                ev.effects.fade.half_life,
                HALF_LIFE,
                "half_life",
                (e,),
            )
        if ev.hazard is not None:
            watched = (("drivers", ev.hazard.drivers), ("indicators", ev.hazard.indicators))
            for group, coefficients in watched:
                role: Role = "hazard_driver" if group == "drivers" else "hazard_indicator"
                for key, b in coefficients.items():
                    yield Parameter(
                        f"events.{e}.hazard.{group}.{key}",
                        b,
                        REAL,
                        role,
                        (e, key),
                        rationale=ev.hazard.note,
                    )


def reaching(case: Case, indicator: str) -> frozenset[str]:
    """The dotted names of every assumption with a path in the model to ``indicator``.

    A driver's weight, intensity start and trend reach the indicators it has an effect on;
    an effect, its indicator; an indicator's baseline, drift, volatility, links and
    reversion, itself; an event's jump, its indicator; its shift of a driver, what that
    driver reaches; its probability, half-life and hazard coefficients, everything its
    jumps and shifts reach. Paths go on through links and formulas (what reaches a source
    reaches the indicators that follow it) and through hazards (what reaches a driver or
    indicator a hazard watches reaches what the event moves). The normalisation of
    weights (``salience: relative``) is not a path: it acts through the shares of the
    drivers that do reach the indicator.

    Parameters
    ----------
    case
        The case.
    indicator
        One of its indicators.

    Returns
    -------
    frozenset of str
        The names, as :func:`case_parameters` gives them.
    """
    return _reach_map(case)[indicator]


def _reach_map(case: Case) -> dict[str, frozenset[str]]:
    """Every indicator's reaching assumptions, closed over links, formulas and hazards."""
    params = list(case_parameters(case))
    by_driver: dict[str, set[str]] = {d: set() for d in case.drivers}
    by_event: dict[str, set[str]] = {e: set() for e in case.events}
    own: dict[str, set[str]] = {k: set() for k in case.indicators}
    for p in params:
        role, keys = p.role, p.keys
        if role in ("weight", "start", "trend"):
            by_driver[keys[0]].add(p.name)
        elif role in ("effect", "jump"):
            own[keys[1]].add(p.name)
        elif role in (
            "baseline",
            "drift",
            "volatility",
            "link",
            "reversion_level",
            "reversion_rate",
        ):
            own[keys[0]].add(p.name)
        else:  # probability, shift, half_life, hazard coefficients: the event's
            by_event[keys[0]].add(p.name)
    inputs: dict[str, set[str]] = {k: set(ind.links) for k, ind in case.indicators.items()}
    for k, ind in case.indicators.items():
        if ind.formula is not None:
            inputs[k] |= set(parse_formula(ind.formula).names)
    moves_driver = {
        d: {e for e, ev in case.events.items() if d in ev.effects.drivers} for d in case.drivers
    }
    reach = {k: set(v) for k, v in own.items()}
    driver_reach = {d: set(v) for d, v in by_driver.items()}
    event_reach = {e: set(v) for e, v in by_event.items()}
    changed = True
    while changed:  # a fixpoint: lagged links and hazards may loop
        changed = False

        def grow(target: set[str], more: set[str]) -> None:
            nonlocal changed
            if not more <= target:
                target |= more
                changed = True

        for d in case.drivers:
            for e in moves_driver[d]:
                grow(driver_reach[d], event_reach[e])
        for e, ev in case.events.items():
            if ev.hazard is not None:
                for d in ev.hazard.drivers:
                    grow(event_reach[e], driver_reach.get(d, set()))
                for k in ev.hazard.indicators:
                    grow(event_reach[e], reach.get(k, set()))
        for k in case.indicators:
            for d, drv in case.drivers.items():
                if k in drv.effects:
                    grow(reach[k], driver_reach[d])
            for e, ev in case.events.items():
                if k in ev.effects.indicators:
                    grow(reach[k], event_reach[e])
            for j in inputs[k]:
                grow(reach[k], reach.get(j, set()))
    return {k: frozenset(v) for k, v in reach.items()}
