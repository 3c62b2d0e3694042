"""Assumptions in words: each estimate as the analyst wrote it and described back.

What an interval fits is not always what its author had in mind, so the report shows both:
``0.35 to 0.5`` as written, and the median, mean and 90 % range the model samples.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model.estimates import (
    BetaEstimate,
    FixedEstimate,
    LognormalEstimate,
    MixtureEstimate,
    NormalEstimate,
    PertEstimate,
    TriangularEstimate,
    UniformEstimate,
    WordEstimate,
)
from ..model.parameters import case_parameters
from ..text.labels import assumption_labels
from ..text.numbers import format_value, is_share, plain_number
from . import view

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from ..model import Case, Parameter
    from ..model.estimates import EstimateBase

__all__ = ["assumptions", "described", "estimate_value", "percent", "written"]


def percent(value: float) -> str:
    """A share as a percentage, with a typographic minus sign."""
    return format_value(value, "share").replace("-", "−")


def _formatter(param: Parameter, case: Case) -> Callable[[float], str]:
    """How the numbers of one assumption read best: probabilities and shares as percentages,
    baselines in their indicator's unit, everything else as plain numbers.
    """
    if param.role == "probability":
        return percent
    if param.role == "baseline":
        ind = case.indicators[param.keys[0]]
        if is_share(ind.unit, ind.scale):
            return percent
        return lambda v: format_value(v, ind.unit, ind.scale)
    return plain_number


def written(est: EstimateBase, fmt: Callable[[float], str]) -> str:
    """An estimate the way an analyst would write it.

    Parameters
    ----------
    est
        The estimate.
    fmt
        How one of its numbers is shown.

    Returns
    -------
    str
        For example ``0.2 to 0.35``, ``PERT: 100, most likely 300, up to 900`` or
        ``“likely” (55% to 80%)``.
    """
    if isinstance(est, FixedEstimate):
        return fmt(est.value)
    if isinstance(est, LognormalEstimate | NormalEstimate):
        family = "lognormal" if isinstance(est, LognormalEstimate) else "normal"
        implied = "lognormal" if est.low > 0 and est.high > 0 else "normal"
        text = f"{fmt(est.low)} to {fmt(est.high)}"
        notes = [] if family == implied else [family]
        if est.ci != 0.9:
            notes.append(f"{est.ci * 100:.3g} % range")
        return f"{text} ({', '.join(notes)})" if notes else text
    if isinstance(est, UniformEstimate):
        return f"uniform, {fmt(est.low)} to {fmt(est.high)}"
    if isinstance(est, PertEstimate | TriangularEstimate):
        family = "PERT" if isinstance(est, PertEstimate) else "triangular"
        return f"{family}: {fmt(est.low)}, most likely {fmt(est.mode)}, up to {fmt(est.high)}"
    if isinstance(est, BetaEstimate):
        return f"beta({est.alpha:g}, {est.beta:g}) over {fmt(est.low)} to {fmt(est.high)}"
    if isinstance(est, WordEstimate):
        low, high = est.band
        return f"“{est.word}” ({percent(low)} to {percent(high)})"
    if isinstance(est, MixtureEstimate):
        parts = " and ".join(written(c, fmt) for c in est.components)
        weights = ":".join(f"{w:g}" for w in est.weights)
        return f"a mix of {parts} (weights {weights})"
    low, high = est.stated_range()  # pragma: no cover - every family is handled above
    return f"{fmt(low)} to {fmt(high)}"


def described(est: EstimateBase, fmt: Callable[[float], str]) -> str:
    """An estimate described back in plain numbers: what the model samples.

    Parameters
    ----------
    est, fmt
        The estimate, and how one of its numbers is shown (as for :func:`written`).

    Returns
    -------
    str
        Its median, mean and 90 % range (``always 3`` when it cannot vary; empty when
        it is a fixed number, which says it all as written).
    """
    d = est.describe()
    if d.p05 == d.p95:
        return "" if est.is_fixed else f"always {fmt(d.median)}"
    scale = max(abs(d.median), abs(d.mean), abs(d.p05), abs(d.p95))

    def shown(v: float) -> str:  # -5e-18 is 0 written by floating point
        return fmt(0.0 if abs(v) < 1e-9 * scale else v)

    return (
        f"median {shown(d.median)}, mean {shown(d.mean)}; "
        f"90 % between {shown(d.p05)} and {shown(d.p95)}"
    )


def estimate_value(param: Parameter, case: Case) -> view.Value:
    """One assumption's estimate as written and described back, in its own units.

    Parameters
    ----------
    param
        The assumption.
    case
        The case it belongs to (for its indicator's unit).

    Returns
    -------
    view.Value
    """
    fmt = _formatter(param, case)
    return view.Value(written(param.estimate, fmt), described(param.estimate, fmt))


def assumptions(case: Case, names: Sequence[str]) -> list[view.Assumption]:
    """The named assumptions of a case, each with its value and its rating if it has one.

    Parameters
    ----------
    case
        The case.
    names
        Dotted names; a rated name that is not a number of the case (a structural
        assumption) is listed without a value.

    Returns
    -------
    list[view.Assumption]
        In the order of ``names``.
    """
    params = {p.name: p for p in case.parameters()}
    basis = {p.name: p.basis for p in case_parameters(case)}
    labels = assumption_labels([n for n in names if n in params], case)
    out = []
    for name in names:
        rating = case.key_assumptions.get(name)
        param = params.get(name)
        out.append(
            view.Assumption(
                labels.get(name, name.replace("_", " ").capitalize()),
                name,
                None if param is None else estimate_value(param, case),
                None if rating is None else rating.support,
                None if rating is None else " ".join(rating.rationale.split()),
                basis.get(name, "assumption"),
            )
        )
    return out
