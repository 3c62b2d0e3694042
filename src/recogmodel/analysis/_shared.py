"""What every analysis module needs: array types, read-only arrays, the projections check,
prior weights over scenarios, and entropy in bits.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from ..errors import InputError, Problem
from ..projection import Projection

if TYPE_CHECKING:
    from collections.abc import Sequence

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]
BoolArray = NDArray[np.bool_]


def frozen(array: NDArray[Any]) -> NDArray[Any]:
    """``array`` made read-only, so a result cannot be changed after it is built."""
    array.flags.writeable = False
    return array


def check_projections(projections: Sequence[Projection]) -> tuple[Projection, ...]:
    """One projection per scenario, at least one (a single projection is accepted as one)."""
    if isinstance(projections, Projection):
        projections = [projections]
    projs = tuple(projections)
    if not projs:
        raise InputError([Problem("projections", "expected at least one projection")])
    problems = []
    seen: set[str] = set()
    for i, proj in enumerate(projs):
        if not isinstance(proj, Projection):
            problems.append(
                Problem(f"projections.{i}", f"expected a Projection, got {type(proj).__name__}")
            )
        elif proj.name in seen:
            problems.append(
                Problem(
                    f"projections.{i}",
                    f"scenario '{proj.name}' appears twice; expected each scenario once",
                )
            )
        else:
            seen.add(proj.name)
    if problems:
        raise InputError(problems)
    return projs


def prior_weights(prior: Mapping[str, float] | None, names: tuple[str, ...]) -> FloatArray:
    """The prior weights in the order of ``names``, normalised; uniform when not given."""
    if prior is None:
        return np.full(len(names), 1.0 / len(names))
    if not isinstance(prior, Mapping):
        raise InputError(
            [Problem("prior", f"expected a mapping of scenario name to weight, got {prior!r}")]
        )
    problems = []
    unknown = sorted(set(prior) - set(names))
    if unknown:
        problems.append(
            Problem(
                "prior",
                f"names {', '.join(map(str, unknown))}, not among the projections' "
                f"scenarios: {', '.join(names)}",
            )
        )
    missing = [s for s in names if s not in prior]
    if missing:
        problems.append(
            Problem("prior", f"gives no weight to {', '.join(missing)}; expected every scenario")
        )
    for s in names:
        w = prior.get(s, 0.0)
        if isinstance(w, bool) or not isinstance(w, int | float) or not 0 <= w < math.inf:
            problems.append(Problem(f"prior.{s}", f"expected a weight >= 0, got {w!r}"))
    if problems:
        raise InputError(problems)
    weights = np.array([float(prior[s]) for s in names])
    if weights.sum() <= 0:
        raise InputError([Problem("prior", "every weight is 0; expected some weight > 0")])
    out: FloatArray = weights / weights.sum()
    return out


def entropy_bits(p: FloatArray) -> FloatArray:
    """Shannon entropy in bits along the last axis (``0 log 0`` taken as 0)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, -p * np.log2(np.where(p > 0, p, 1.0)), 0.0)
    out: FloatArray = terms.sum(axis=-1)
    return out
