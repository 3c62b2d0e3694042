"""What every analysis module needs: array types, read-only arrays, the projections check."""

from __future__ import annotations

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
