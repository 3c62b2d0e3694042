"""An indicator's own scale (log, logit, linear): to it, back from it, and its Jacobian."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]


def to_scale(scale: str, x: FloatArray) -> FloatArray:
    """Values in the indicator's scale; 0 becomes -inf on log and logit, never an error."""
    with np.errstate(divide="ignore", invalid="ignore"):
        if scale == "log":
            return np.log(x)
        if scale == "logit":  # log(x / (1 - x)): numpy's ufuncs, several times scipy's logit
            x = np.asarray(x, dtype=np.float64)
            out: FloatArray = np.log(x / (1.0 - x))
            return out
    return np.asarray(x, dtype=np.float64)


def from_scale(scale: str, z: FloatArray) -> FloatArray:
    """Back from the indicator's scale to its units (overflow to inf is not an error)."""
    with np.errstate(over="ignore"):
        if scale == "log":
            return np.exp(z)
        if scale == "logit":  # 1 / (1 + exp(-z)), as scipy's expit but faster
            out: FloatArray = 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=np.float64)))
            return out
    return np.asarray(z, dtype=np.float64)


def log_jacobian(scale: str, x: float) -> float:
    """Log |dz/dx| at ``x``: turns a density in the scale into one per unit of the indicator."""
    if scale == "log":
        return -math.log(x)
    if scale == "logit":
        return -math.log(x) - math.log1p(-x)
    return 0.0
