"""Uncertain numbers: what an analyst may write where a number goes.

An *estimate* is one of

- a plain number (``0.3``): fixed;
- ``"A to B"``: a 90 % credible interval, read as a lognormal when both ends are positive
  and a normal otherwise (Squiggle's convention); ``"5% to 25%"`` and ``"1,000 to 3,000"``
  are understood;
- a mapping with an explicit family: ``{dist: pert, low: 100, mode: 300, high: 900}``,
  ``normal``, ``lognormal``, ``uniform``, ``triangular``, ``beta``, or a ``mixture`` of
  other estimates with weights;
- for probabilities only, an estimative word (``"likely"``) read as a uniform draw over the
  band its yardstick publishes (ICD 203 or the UK PHIA yardstick).

The families themselves live in :mod:`recogmodel.model.families`; how a text is read, in
:mod:`recogmodel.model.written`; the estimative words, in :mod:`recogmodel.model.words`.
This module joins them: the :data:`Estimate` type a parameter slot accepts (a union of the
families on their ``dist`` tag, so the JSON Schema documents the file format by itself),
the :class:`MixtureEstimate` that holds other estimates, and :func:`parse_estimate`.

Every parameter slot has a :class:`~recogmodel.model.parameters.Domain`. An estimate
whose *stated* range (its interval, its support, its value) leaves the slot's domain is an
input error; a distribution whose *tails* leave it (a normal weight near zero, say) is
sampled as written and its draws are clipped into the domain, and the engine reports the
clipped share. Families are never silently truncated.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeAlias

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pydantic import (
    BeforeValidator,
    Field,
    PositiveFloat,
    TypeAdapter,
    ValidationError,
    model_validator,
)
from typing_extensions import override

from ..errors import InputError, Problem
from .families import (
    BetaEstimate,
    Description,
    EstimateBase,
    FixedEstimate,
    LognormalEstimate,
    NormalEstimate,
    PertEstimate,
    TriangularEstimate,
    UniformEstimate,
    WordEstimate,
    safe_uniform,
)
from .words import ALL_WORDS, YARDSTICKS, Yardstick
from .written import mapping_form, word_here

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = [
    "ALL_WORDS",
    "YARDSTICKS",
    "BetaEstimate",
    "Description",
    "Estimate",
    "EstimateBase",
    "EstimateInput",
    "FixedEstimate",
    "LognormalEstimate",
    "MixtureEstimate",
    "NormalEstimate",
    "PertEstimate",
    "ProbabilityEstimate",
    "TriangularEstimate",
    "UniformEstimate",
    "WordEstimate",
    "Yardstick",
    "estimate_data",
    "parse_estimate",
]

FloatArray: TypeAlias = NDArray[np.float64]


#: Equal slices of (0, 1) indexed into a mixture's tabulated CDF, to start each bisection.
_BUCKETS = 4096


class MixtureEstimate(EstimateBase):
    """A weighted mixture of estimates, e.g. a firm belief plus a wide 'just in case'."""

    dist: Literal["mixture"] = Field("mixture", description="Family tag: a mixture.")
    components: list[Estimate] = Field(min_length=2, description="The estimates mixed.")
    weights: list[PositiveFloat] = Field(
        description="Relative weight of each component (normalised to sum to 1)."
    )

    @model_validator(mode="after")
    def _matching(self) -> MixtureEstimate:
        if len(self.weights) != len(self.components):
            raise ValueError(
                f"has {len(self.components)} components but {len(self.weights)} weights; "
                "expected one weight per component"
            )
        return self

    def _shares(self) -> FloatArray:
        w = np.asarray(self.weights, dtype=np.float64)
        shares: FloatArray = w / w.sum()
        return shares

    def _grid(self) -> tuple[FloatArray, FloatArray, NDArray[np.intp]]:
        """The mixture's CDF tabulated on every component's own quantile grid, and where
        each of :data:`_BUCKETS` equal slices of (0, 1) starts in it (cached).
        """
        if self._dist is None:
            self._dist = self._tabulate()
        grid: tuple[FloatArray, FloatArray, NDArray[np.intp]] = self._dist
        return grid

    def _tabulate(self) -> tuple[FloatArray, FloatArray, NDArray[np.intp]]:
        probe = np.linspace(0.0, 1.0, 2049)
        xs = np.unique(np.concatenate([c.ppf(probe) for c in self.components]))
        cdf = sum(
            (s * c.cdf(xs) for s, c in zip(self._shares(), self.components, strict=True)),
            start=np.zeros_like(xs),
        )
        cdf = np.maximum.accumulate(cdf)
        starts = np.searchsorted(cdf, np.arange(_BUCKETS + 1) / _BUCKETS, side="right") - 1
        return xs, cdf, starts.astype(np.intp)

    @override
    def ppf(self, q: ArrayLike) -> FloatArray:
        """The inverse of the tabulated CDF, linear between its points.

        The same interpolation as ``numpy.interp(q, cdf, xs)``; each share's interval is
        found by bisection within its bucket of the grid instead of over the whole grid,
        several times faster on the draws of a projection.
        """
        xs, cdf, starts = self._grid()
        given = np.asarray(safe_uniform(q), dtype=np.float64)
        u = given.reshape(-1)
        bucket = np.minimum((u * _BUCKETS).astype(np.intp), _BUCKETS - 1)
        low = starts[bucket]  # cdf[low] <= u (or low = -1: below the grid)
        high = np.minimum(starts[bucket + 1] + 1, cdf.size - 1)  # cdf[high] > u, or the end
        while True:  # bisect: keep cdf[low] <= u < cdf[high]
            wide = high - low > 1
            if not wide.any():
                break
            mid = (low + high) // 2
            below = cdf[mid] <= u
            low = np.where(wide & below, mid, low)
            high = np.where(wide & ~below, mid, high)
        last = cdf.size - 1
        j = np.clip(low, 0, last - 1)
        x0, x1, f0, f1 = cdf[j], cdf[j + 1], xs[j], xs[j + 1]
        with np.errstate(invalid="ignore", divide="ignore"):
            slope = (f1 - f0) / (x1 - x0)
            out = slope * (u - x0) + f0
            again = np.isnan(out)  # as numpy.interp: from the right end, then a flat value
            out[again] = (slope * (u - x1) + f1)[again]
        flat = np.isnan(out) & (f0 == f1)
        out[flat] = f0[flat]
        out[low < 0] = xs[0]
        out[u >= cdf[last]] = xs[last]
        return np.asarray(out.reshape(given.shape), dtype=np.float64)

    @override
    def cdf(self, x: ArrayLike) -> FloatArray:
        xs = np.asarray(x, dtype=np.float64)
        return sum(
            (s * c.cdf(xs) for s, c in zip(self._shares(), self.components, strict=True)),
            start=np.zeros_like(xs),
        )

    @override
    def mean(self) -> float:
        return float(
            sum(s * c.mean() for s, c in zip(self._shares(), self.components, strict=True))
        )

    @override
    def stated_range(self) -> tuple[float, float]:
        ranges = [c.stated_range() for c in self.components]
        return (min(r[0] for r in ranges), max(r[1] for r in ranges))


# ---------------------------------------------------------------------------------------
# What an analyst writes, read into one of the families above.


def estimate_data(value: Any, *, allow_words: bool = False) -> Any:
    """What an analyst wrote, in the mapping form of a family; estimates pass through.

    Parameters
    ----------
    value
        A number, a text (``"0.2 to 0.4"``, ``"5%"``, ``"likely"``), a mapping with a
        ``dist`` key, or an estimate already built.
    allow_words
        Whether estimative words are allowed (only where a probability goes).

    Returns
    -------
    dict or EstimateBase
        The mapping form (``{"dist": "lognormal", "low": 0.2, "high": 0.4}``), or
        ``value`` itself when it is an estimate.

    Raises
    ------
    ValueError
        With a message that says what was expected; pydantic attaches the field's
        location to it.
    """
    if isinstance(value, EstimateBase):
        if isinstance(value, WordEstimate) and not allow_words:
            raise ValueError(word_here(value.word))
        return value
    return mapping_form(value, allow_words=allow_words)


_AnyFamily = Annotated[
    FixedEstimate
    | NormalEstimate
    | LognormalEstimate
    | UniformEstimate
    | TriangularEstimate
    | PertEstimate
    | BetaEstimate
    | WordEstimate
    | MixtureEstimate,
    Field(discriminator="dist"),
]


def _parser(allow_words: bool) -> Callable[[Any], Any]:
    def parse(value: Any) -> Any:
        return estimate_data(value, allow_words=allow_words)

    return parse


#: What a file may write where an estimate goes (for JSON Schema): number, text or family.
EstimateInput: TypeAlias = float | str | _AnyFamily

#: Any estimate except a probability word: what most parameter slots accept.
Estimate: TypeAlias = Annotated[
    _AnyFamily,
    BeforeValidator(_parser(False), json_schema_input_type=EstimateInput),
]
#: An estimate of a probability: estimative words are allowed too.
ProbabilityEstimate: TypeAlias = Annotated[
    _AnyFamily,
    BeforeValidator(_parser(True), json_schema_input_type=EstimateInput),
]

# No MixtureEstimate.model_rebuild() here: models are built on first use (defer_build), when
# Estimate, which a mixture's components refer to, is defined.


@functools.cache
def _adapter(probability: bool) -> TypeAdapter[EstimateBase]:
    """The validator of an estimate or a probability, built on first use (not at import)."""
    kind: Any = ProbabilityEstimate if probability else Estimate
    return TypeAdapter(kind)


def parse_estimate(value: Any, *, probability: bool = False) -> EstimateBase:
    """Read what an analyst would write where a number goes, as an estimate.

    Parameters
    ----------
    value
        A number (``0.3``), a 90 % interval (``"0.2 to 0.4"``, ``"5% to 25%"``), a mapping
        with an explicit family (``{"dist": "pert", "low": 1, "mode": 2, "high": 5}``), or an
        estimate already built.
    probability
        Whether estimative words (``"likely"``) are allowed: only where a probability goes.

    Returns
    -------
    EstimateBase
        The estimate, of the family the value names or implies.

    Raises
    ------
    InputError
        If the value cannot be read as an estimate; the message says what was expected.

    Examples
    --------
    >>> from recogmodel import parse_estimate
    >>> parse_estimate("0.2 to 0.4").dist
    'lognormal'
    """
    try:
        out: EstimateBase = _adapter(probability).validate_python(value)
    except ValidationError as exc:
        message = "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors())
        raise InputError([Problem("estimate", message)]) from None
    return out
