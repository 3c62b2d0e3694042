"""An indicator's own scale (log, logit, linear): to it, back from it, and its Jacobian."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray
from scipy import special

FloatArray = NDArray[np.float64]


def to_scale(scale: str, x: FloatArray) -> FloatArray:
    """Values in the indicator's scale; 0 becomes -inf on log and logit, never an error."""
    with np.errstate(divide="ignore", invalid="ignore"):
        if scale == "log":
            return np.log(x)
        if scale == "logit":
            out: FloatArray = special.logit(x)
            return out
    return np.asarray(x, dtype=np.float64)


def from_scale(scale: str, z: FloatArray) -> FloatArray:
    """Back from the indicator's scale to its units (overflow to inf is not an error)."""
    with np.errstate(over="ignore"):
        if scale == "log":
            return np.exp(z)
        if scale == "logit":
            out: FloatArray = special.expit(z)
            return out
    return np.asarray(z, dtype=np.float64)


def log_jacobian(scale: str, x: float) -> float:
    """Log |dz/dx| at ``x``: turns a density in the scale into one per unit of the indicator."""
    if scale == "log":
        return -math.log(x)
    if scale == "logit":
        return -math.log(x) - math.log1p(-x)
    return 0.0
