"""Numbers that read as a unit mistake: changes too large for the indicator's scale.

An effect, drift or volatility is a change per year in the indicator's own scale, and a
jump a change once: on a log scale, ``1`` is a factor of e (2.7) and ``300`` a factor of
e^300, a number no projection can hold. Such a number is almost always a value written in
the indicator's unit (USD m) where a change in its scale was meant. The case is valid, so
these are warnings, given by ``validate`` at the file and line of the number, each saying
what the number means there.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from .._problems import Path_, locate, unique
from ..errors import Problem

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from pathlib import Path

    from ..model import Indicator, Parameter, Scenario
    from .folder import CaseFolder

__all__ = ["LARGEST_PER_YEAR", "implausible_numbers"]

#: Largest change a year (effects, drifts, volatility) in log or logit units before a
#: warning: 2 is a factor of e^2 (7.4) a year.
LARGEST_PER_YEAR = 2.0
#: Largest one-off change (an event's jump) in log or logit units: a factor of e^4 (55).
LARGEST_ONCE = 4.0
#: On a linear scale, the largest change a year as a multiple of the indicator's size.
LARGEST_LINEAR = 10.0

_PER_YEAR = ("effect", "drift", "volatility")


def implausible_numbers(folder: CaseFolder, names: Iterable[str] | None = None) -> list[Problem]:
    """Every number of the scenarios too large for the scale it moves an indicator in.

    Parameters
    ----------
    folder
        A case folder, as :func:`~recogmodel.io.folder.load_case` reads it.
    names
        The scenarios to look at (default: every scenario of the folder).

    Returns
    -------
    list of Problem
        One per number (told once when scenarios share it), at the file and line that
        set it, saying what the number means in the indicator's scale; empty when every
        number is of a plausible size.
    """
    problems: list[Problem] = []
    for name in folder if names is None else names:
        problems += _scenario_problems(folder[name], folder._where.get(name, {}))
    return unique(problems)


def _scenario_problems(
    scenario: Scenario, where: Mapping[Path_, tuple[Path, int]]
) -> list[Problem]:
    found = []
    indicators = scenario.case.indicators
    for p in scenario.case.parameters():
        if p.role not in (*_PER_YEAR, "jump") or p.keys[-1] not in indicators:
            continue
        message = _too_large(p, indicators[p.keys[-1]])
        if message is None:
            continue
        file, line = locate(where, ("case", *p.name.split(".")))
        found.append(Problem(p.name, message, file, line))
    return found


def _largest(p: Parameter) -> float:
    """The largest size the estimate gives: the ends of its 90 % range, or its value."""
    return float(np.max(np.abs(p.estimate.ppf([0.05, 0.95]))))


def _too_large(p: Parameter, indicator: Indicator) -> str | None:
    size = float(f"{_largest(p):.3g}")
    once = p.role == "jump"
    a_year = "" if once else " a year"
    if indicator.scale == "linear":
        known = indicator.baseline
        base = 0.0 if known is None else abs(float(known.value.mean()))
        low, high = indicator.bounds
        span = high - low if low is not None and high is not None else 0.0
        scale = max(base, span, 1.0)
        if size <= LARGEST_LINEAR * scale:
            return None
        return (
            f"a change of {size:g} {indicator.unit}{a_year} is more than {LARGEST_LINEAR:g} "
            f"times the indicator's size ({scale:g} {indicator.unit}); is it in the "
            "indicator's unit?"
        )
    if size <= (LARGEST_ONCE if once else LARGEST_PER_YEAR):
        return None
    units = f"{indicator.scale} units"
    if indicator.scale == "log":
        factor = f"a factor of e^{size:g}" + (
            f" (about 10^{size / math.log(10):.0f})" if size > 10 else f" ({math.exp(size):.3g})"
        )
        meaning = f"{size:g} {units}{a_year} is {factor}{a_year}"
    else:
        meaning = (
            f"{size:g} {units}{a_year} moves a share from 1% to beyond 99%"
            + (" within a year" if not once else " at once")
            if size > 9.2
            else f"{size:g} {units}{a_year} multiplies the odds by {math.exp(size):.3g}{a_year}"
        )
    return (
        f"{meaning}; did you mean a value in {indicator.unit}? {p.role.capitalize()}s are "
        f"changes in the indicator's {indicator.scale} scale (expected at most "
        f"{LARGEST_ONCE if once else LARGEST_PER_YEAR:g}{a_year})"
    )
