"""The families of uncertain numbers, each sampled through its inverse CDF.

Every family is an :class:`EstimateBase`: a frozen pydantic model tagged by ``dist`` that
samples itself through its inverse CDF (so plain Monte Carlo, Latin hypercube sampling and
induced rank correlation share one code path) and describes itself back in plain numbers,
because analysts are often surprised by what an interval fitted. The common families write
their inverse CDFs out with :mod:`scipy.special`; ``scipy.stats`` is imported only when a
family needs it (PERT, beta, triangular, CDFs and means), so a projection starts quickly.

The mixture, which holds other estimates, and the :data:`~recogmodel.model.estimates.Estimate`
type a parameter slot accepts live in :mod:`recogmodel.model.estimates`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pydantic import Field, PositiveFloat, PrivateAttr, model_validator
from scipy import special
from typing_extensions import override

from .._base import Model
from .words import YARDSTICKS, Yardstick, normalise_word

__all__ = [
    "BetaEstimate",
    "Description",
    "EstimateBase",
    "FixedEstimate",
    "LognormalEstimate",
    "NormalEstimate",
    "PertEstimate",
    "TriangularEstimate",
    "UniformEstimate",
    "WordEstimate",
    "safe_uniform",
]

FloatArray: TypeAlias = NDArray[np.float64]

# Uniforms are kept this far from 0 and 1 so that an inverse CDF never returns an infinity.
_U_EPS = 1e-12


def _stats() -> Any:
    """``scipy.stats``, imported on first use: it takes longer to import than all the rest
    of what a projection needs, and most families never call it (their inverse CDFs are
    written out with :mod:`scipy.special`).
    """
    from scipy import stats

    return stats


def _z(ci: float) -> float:
    """The standard normal quantile that leaves (1 - ci) / 2 in each tail."""
    return float(special.ndtri(0.5 + ci / 2))


@dataclass(frozen=True)
class Description:
    """An estimate described back in plain numbers."""

    median: float
    mean: float
    p05: float
    p95: float

    def __str__(self) -> str:
        if self.p05 == self.p95:
            return f"fixed at {self.median:.4g}"
        return (
            f"median {self.median:.4g}, mean {self.mean:.4g}, "
            f"90% between {self.p05:.4g} and {self.p95:.4g}"
        )


class EstimateBase(Model):
    """What every family shares: sampling through the inverse CDF, and describing itself.

    Every family (:class:`FixedEstimate`, :class:`NormalEstimate`, ...) is an
    ``EstimateBase``, so ``isinstance(x, EstimateBase)`` tells an estimate from anything
    else. Estimates are immutable pydantic models; two are equal when they are the same
    family with the same numbers.
    """

    if TYPE_CHECKING:
        #: The family's tag (``"fixed"``, ``"lognormal"``...): each family declares its own.
        dist: str

    # scipy builds a frozen distribution slowly (it formats docstrings); estimates are
    # immutable, so each builds its own once.
    _dist: Any = PrivateAttr(None)

    def ppf(self, q: ArrayLike) -> FloatArray:
        """Inverse CDF: the value below which a share ``q`` of the distribution lies.

        Parameters
        ----------
        q
            Shares in [0, 1]; they are kept a hair inside (0, 1) so that no inverse CDF
            returns an infinity.

        Returns
        -------
        numpy.ndarray
            The quantiles, of the shape of ``q``.
        """
        return np.asarray(self._scipy().ppf(safe_uniform(q)), dtype=np.float64)

    def cdf(self, x: ArrayLike) -> FloatArray:
        """The share of the distribution at or below ``x``.

        Parameters
        ----------
        x
            Values in the estimate's units.

        Returns
        -------
        numpy.ndarray
            Shares in [0, 1], of the shape of ``x``.
        """
        return np.asarray(self._scipy().cdf(np.asarray(x, dtype=np.float64)), dtype=np.float64)

    def _scipy(self) -> Any:
        if self._dist is None:
            self._dist = self._frozen()
        return self._dist

    def __getstate__(self) -> dict[Any, Any]:
        """Pickled without the cached scipy distribution: tasks sent to workers stay small."""
        state: dict[Any, Any] = super().__getstate__()
        if state.get("__pydantic_private__"):
            state["__pydantic_private__"] = {**state["__pydantic_private__"], "_dist": None}
        return state

    def __eq__(self, other: object) -> bool:
        """Equal when the same family has the same numbers (the cache does not count)."""
        return type(self) is type(other) and self.__dict__ == other.__dict__

    def __hash__(self) -> int:
        return hash((type(self), repr(self)))

    def quantiles(self, qs: ArrayLike) -> FloatArray:
        """The estimate's quantiles at the shares ``qs`` (the same as :meth:`ppf`).

        Parameters
        ----------
        qs
            Shares in [0, 1].

        Returns
        -------
        numpy.ndarray
            The quantiles, of the shape of ``qs``.
        """
        return self.ppf(qs)

    def sample(self, rng: np.random.Generator, n: int) -> FloatArray:
        """``n`` independent draws, using ``rng`` and nothing else.

        Parameters
        ----------
        rng
            The generator to draw the uniforms from.
        n
            How many draws.

        Returns
        -------
        numpy.ndarray
            ``n`` draws, through the inverse CDF.
        """
        return self.ppf(rng.random(n))

    def mean(self) -> float:
        """The distribution's mean.

        Returns
        -------
        float
            The mean.
        """
        return float(self._scipy().mean())

    def describe(self) -> Description:
        """Median, mean, 5th and 95th percentiles.

        Returns
        -------
        Description
            The four numbers; ``str()`` of it reads as a sentence.
        """
        p05, median, p95 = (float(v) for v in self.ppf([0.05, 0.5, 0.95]))
        return Description(median=median, mean=self.mean(), p05=p05, p95=p95)

    @property
    def is_fixed(self) -> bool:
        """Whether the estimate is a single number (needs no sampling)."""
        return False

    def stated_range(self) -> tuple[float, float]:
        """The range the analyst stated: what must lie inside the parameter's domain.

        Returns
        -------
        tuple of float
            ``(low, high)``: an interval's ends, a support's ends, or the value twice.
        """
        raise NotImplementedError

    def _frozen(self) -> Any:
        raise NotImplementedError


def safe_uniform(q: ArrayLike) -> FloatArray:
    """Shares kept a hair inside (0, 1), so that no inverse CDF returns an infinity.

    Parameters
    ----------
    q
        Shares in [0, 1].

    Returns
    -------
    numpy.ndarray
        ``q`` clipped to ``[1e-12, 1 - 1e-12]``.
    """
    return np.clip(np.asarray(q, dtype=np.float64), _U_EPS, 1.0 - _U_EPS)


class FixedEstimate(EstimateBase):
    """A number known well enough to fix it."""

    dist: Literal["fixed"] = Field("fixed", description="Family tag: a fixed number.")
    value: float = Field(description="The number.")

    @override
    def ppf(self, q: ArrayLike) -> FloatArray:
        return np.full(np.shape(q), self.value, dtype=np.float64)

    @override
    def cdf(self, x: ArrayLike) -> FloatArray:
        return (np.asarray(x, dtype=np.float64) >= self.value).astype(np.float64)

    @override
    def mean(self) -> float:
        return self.value

    @property
    @override
    def is_fixed(self) -> bool:
        return True

    @override
    def stated_range(self) -> tuple[float, float]:
        return (self.value, self.value)


class _Interval(EstimateBase):
    """Families written as a credible interval ``low``..``high`` holding ``ci`` of the mass."""

    low: float = Field(description="Lower end of the credible interval.")
    high: float = Field(description="Upper end of the credible interval.")
    ci: float = Field(
        0.9, gt=0, lt=1, description="Share of the distribution between low and high (0.9)."
    )

    @model_validator(mode="after")
    def _ordered(self) -> _Interval:
        if not self.low < self.high:
            raise ValueError(f"low end ({self.low:g}) must be below high end ({self.high:g})")
        if self.high - self.low <= 1e-9 * max(abs(self.low), abs(self.high)):
            raise ValueError(
                f"{self.low!r} and {self.high!r} are too close to tell apart; "
                "expected a single number instead"
            )
        return self

    @override
    def stated_range(self) -> tuple[float, float]:
        return (self.low, self.high)


class NormalEstimate(_Interval):
    """A normal distribution through a credible interval (``"A to B"`` when an end is <= 0)."""

    dist: Literal["normal"] = Field("normal", description="Family tag: normal.")

    @property
    def mu(self) -> float:
        """The mean."""
        return (self.low + self.high) / 2

    @property
    def sd(self) -> float:
        """The standard deviation that puts ``ci`` of the mass between low and high."""
        return (self.high - self.low) / (2 * _z(self.ci))

    @override
    def ppf(self, q: ArrayLike) -> FloatArray:
        out: FloatArray = self.mu + self.sd * special.ndtri(safe_uniform(q))
        return out

    def _frozen(self) -> Any:
        return _stats().norm(loc=self.mu, scale=self.sd)


class LognormalEstimate(_Interval):
    """A lognormal through a credible interval (``"A to B"`` when both ends are > 0)."""

    dist: Literal["lognormal"] = Field("lognormal", description="Family tag: lognormal.")

    @model_validator(mode="after")
    def _positive(self) -> LognormalEstimate:
        if self.low <= 0:
            raise ValueError(
                f"a lognormal needs both ends above 0 (low is {self.low:g}); "
                "use dist: normal for an interval that reaches 0 or below"
            )
        return self

    @property
    def mu(self) -> float:
        """Mean of the logarithm."""
        return (math.log(self.low) + math.log(self.high)) / 2

    @property
    def sigma(self) -> float:
        """Standard deviation of the logarithm."""
        return (math.log(self.high) - math.log(self.low)) / (2 * _z(self.ci))

    @override
    def ppf(self, q: ArrayLike) -> FloatArray:
        out: FloatArray = np.exp(self.mu + self.sigma * special.ndtri(safe_uniform(q)))
        return out

    def _frozen(self) -> Any:
        return _stats().lognorm(s=self.sigma, scale=math.exp(self.mu))


class UniformEstimate(EstimateBase):
    """Every value between ``low`` and ``high`` equally plausible."""

    dist: Literal["uniform"] = Field("uniform", description="Family tag: uniform.")
    low: float = Field(description="Smallest possible value.")
    high: float = Field(description="Largest possible value.")

    @model_validator(mode="after")
    def _ordered(self) -> UniformEstimate:
        if not self.low < self.high:
            raise ValueError(f"low ({self.low:g}) must be below high ({self.high:g})")
        return self

    @override
    def ppf(self, q: ArrayLike) -> FloatArray:
        out: FloatArray = self.low + (self.high - self.low) * safe_uniform(q)
        return out

    def _frozen(self) -> Any:
        return _stats().uniform(loc=self.low, scale=self.high - self.low)

    @override
    def stated_range(self) -> tuple[float, float]:
        return (self.low, self.high)


class _ThreePoint(EstimateBase):
    """Families written as minimum, most likely value and maximum."""

    low: float = Field(description="Smallest possible value.")
    mode: float = Field(description="Most likely value.")
    high: float = Field(description="Largest possible value.")

    @model_validator(mode="after")
    def _ordered(self) -> _ThreePoint:
        if not (self.low <= self.mode <= self.high and self.low < self.high):
            raise ValueError(
                f"needs low <= mode <= high with low < high "
                f"(got {self.low:g}, {self.mode:g}, {self.high:g})"
            )
        return self

    @override
    def stated_range(self) -> tuple[float, float]:
        return (self.low, self.high)


class TriangularEstimate(_ThreePoint):
    """A triangle from ``low`` through ``mode`` to ``high``."""

    dist: Literal["triangular"] = Field("triangular", description="Family tag: triangular.")

    def _frozen(self) -> Any:
        width = self.high - self.low
        return _stats().triang(c=(self.mode - self.low) / width, loc=self.low, scale=width)


class PertEstimate(_ThreePoint):
    """The (modified) PERT: a beta over ``low``..``high`` peaked at ``mode``."""

    dist: Literal["pert"] = Field("pert", description="Family tag: PERT.")
    shape: PositiveFloat = Field(
        4.0, description="How strongly the mode pulls (4 is the classic PERT)."
    )

    def _frozen(self) -> Any:
        width = self.high - self.low
        a = 1 + self.shape * (self.mode - self.low) / width
        b = 1 + self.shape * (self.high - self.mode) / width
        return _stats().beta(a, b, loc=self.low, scale=width)


class BetaEstimate(EstimateBase):
    """A beta distribution with shapes ``alpha`` and ``beta``, over ``low``..``high`` (0..1)."""

    dist: Literal["beta"] = Field("beta", description="Family tag: beta.")
    alpha: PositiveFloat = Field(description="First shape parameter (> 0).")
    beta: PositiveFloat = Field(description="Second shape parameter (> 0).")
    low: float = Field(0.0, description="Lower end of the support.")
    high: float = Field(1.0, description="Upper end of the support.")

    @model_validator(mode="after")
    def _ordered(self) -> BetaEstimate:
        if not self.low < self.high:
            raise ValueError(f"low ({self.low:g}) must be below high ({self.high:g})")
        return self

    def _frozen(self) -> Any:
        return _stats().beta(self.alpha, self.beta, loc=self.low, scale=self.high - self.low)

    @override
    def stated_range(self) -> tuple[float, float]:
        return (self.low, self.high)


class WordEstimate(EstimateBase):
    """An estimative probability word, uniform over the band its yardstick publishes."""

    dist: Literal["word"] = Field("word", description="Family tag: an estimative word.")
    word: str = Field(description="The word, e.g. 'likely' or 'roughly even chance'.")
    yardstick: Yardstick = Field(
        "icd203", description="Which published yardstick reads the word: icd203 or phia."
    )

    @model_validator(mode="after")
    def _known(self) -> WordEstimate:
        if normalise_word(self.word) not in YARDSTICKS[self.yardstick]:
            words = ", ".join(f"'{w}'" for w in YARDSTICKS[self.yardstick])
            raise ValueError(
                f"'{self.word}' is not a probability word of the {self.yardstick} yardstick; "
                f"expected one of {words}"
            )
        return self

    @property
    def band(self) -> tuple[float, float]:
        """The word's published band of probabilities."""
        return YARDSTICKS[self.yardstick][normalise_word(self.word)]

    @override
    def ppf(self, q: ArrayLike) -> FloatArray:
        low, high = self.band
        out: FloatArray = low + (high - low) * safe_uniform(q)
        return out

    def _frozen(self) -> Any:
        low, high = self.band
        return _stats().uniform(loc=low, scale=high - low)

    @override
    def stated_range(self) -> tuple[float, float]:
        return self.band
