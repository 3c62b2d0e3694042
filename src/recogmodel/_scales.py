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
        if scale == "logit":
            x = np.asarray(x, dtype=np.float64)
            out: FloatArray = np.empty_like(x)
            logit_into(x, out)
            return out
    return np.asarray(x, dtype=np.float64)


def from_scale(scale: str, z: FloatArray) -> FloatArray:
    """Back from the indicator's scale to its units (overflow to inf is not an error)."""
    with np.errstate(over="ignore"):
        if scale == "log":
            return np.exp(z)
        if scale == "logit":
            z = np.asarray(z, dtype=np.float64)
            out: FloatArray = np.empty_like(z)
            expit_into(z, out)
            return out
    return np.asarray(z, dtype=np.float64)


def expit_into(z: FloatArray, out: FloatArray) -> None:
    """``1 / (1 + exp(-z))`` written into ``out`` (which may be ``z``): the logistic function
    with numpy's own ufuncs, in place, at a third of ``scipy.special.expit``'s time.
    """
    np.negative(z, out=out)
    np.exp(out, out=out)
    out += 1.0
    np.reciprocal(out, out=out)


def logit_into(x: FloatArray, out: FloatArray) -> None:
    """``log(x / (1 - x))`` written into ``out`` (not ``x`` itself): the log-odds in place,
    several times ``scipy.special.logit``'s speed.
    """
    np.subtract(1.0, x, out=out)
    np.divide(x, out, out=out)
    np.log(out, out=out)


def to_scale_into(scale: str, x: FloatArray, out: FloatArray) -> None:
    """:func:`to_scale` of ``x`` written into ``out`` (not ``x`` itself): no new array."""
    with np.errstate(divide="ignore", invalid="ignore"):
        if scale == "log":
            np.log(x, out=out)
        elif scale == "logit":
            logit_into(x, out)
        else:
            np.copyto(out, x)


def log_jacobian(scale: str, x: float) -> float:
    """Log |dz/dx| at ``x``: turns a density in the scale into one per unit of the indicator."""
    if scale == "log":
        return -math.log(x)
    if scale == "logit":
        return -math.log(x) - math.log1p(-x)
    return 0.0
