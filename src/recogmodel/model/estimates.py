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

Every estimate samples itself through its inverse CDF, so plain Monte Carlo and Latin
hypercube sampling (and induced rank correlation) share one code path, and every estimate
can describe itself back in plain numbers because analysts are often surprised by what an
interval fitted.

Every parameter slot has a :class:`Domain`. An estimate whose *stated* range (its interval,
its support, its value) leaves the slot's domain is an input error; a distribution whose
*tails* leave it (a normal weight near zero, say) is sampled as written and its draws are
clipped into the domain, and the engine reports the clipped share. Families are never
silently truncated.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeAlias

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pydantic import (
    BeforeValidator,
    Field,
    PositiveFloat,
    PrivateAttr,
    TypeAdapter,
    ValidationError,
    model_validator,
)
from scipy import special, stats

from .._base import Model
from ..errors import InputError, Problem

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = [
    "ALL_WORDS",
    "YARDSTICKS",
    "BetaEstimate",
    "Description",
    "Domain",
    "Estimate",
    "EstimateBase",
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
Yardstick: TypeAlias = Literal["icd203", "phia"]

#: Published bands of the estimative words, by yardstick. ICD 203 (US Intelligence
#: Community Directive 203, 2015) gives each band two names; both are accepted. The UK
#: Professional Head of Intelligence Assessment (PHIA) yardstick leaves gaps between bands.
YARDSTICKS: dict[str, dict[str, tuple[float, float]]] = {
    "icd203": {
        "almost no chance": (0.01, 0.05),
        "remote": (0.01, 0.05),
        "very unlikely": (0.05, 0.20),
        "highly improbable": (0.05, 0.20),
        "unlikely": (0.20, 0.45),
        "improbable": (0.20, 0.45),
        "roughly even chance": (0.45, 0.55),
        "roughly even odds": (0.45, 0.55),
        "likely": (0.55, 0.80),
        "probable": (0.55, 0.80),
        "very likely": (0.80, 0.95),
        "highly probable": (0.80, 0.95),
        "almost certain": (0.95, 0.99),
        "almost certainly": (0.95, 0.99),
        "nearly certain": (0.95, 0.99),
    },
    "phia": {
        "remote chance": (0.0, 0.05),
        "highly unlikely": (0.10, 0.20),
        "unlikely": (0.25, 0.35),
        "realistic possibility": (0.40, 0.50),
        "likely": (0.55, 0.75),
        "probably": (0.55, 0.75),
        "highly likely": (0.80, 0.90),
        "almost certain": (0.95, 1.0),
    },
}

ALL_WORDS = frozenset(w for words in YARDSTICKS.values() for w in words)
# Uniforms are kept this far from 0 and 1 so that an inverse CDF never returns an infinity.
_U_EPS = 1e-12


def _normalise_word(word: str) -> str:
    return " ".join(word.lower().split())


def _z(ci: float) -> float:
    """The standard normal quantile that leaves (1 - ci) / 2 in each tail."""
    return float(special.ndtri(0.5 + ci / 2))


@dataclass(frozen=True)
class Domain:
    """Where a parameter may lie: ``[low, high]``, either end possibly open or infinite.

    ``what`` names the kind of parameter in error messages ("a probability", "a weight").
    """

    low: float = -math.inf
    high: float = math.inf
    low_open: bool = False
    high_open: bool = False
    what: str = "a number"

    def __str__(self) -> str:
        left = "(" if self.low_open or math.isinf(self.low) else "["
        right = ")" if self.high_open or math.isinf(self.high) else "]"
        return f"{left}{_fmt(self.low)}, {_fmt(self.high)}{right}"

    def admits(self, low: float, high: float) -> bool:
        """Whether the closed range ``[low, high]`` lies inside the domain."""
        above = low > self.low if self.low_open else low >= self.low
        below = high < self.high if self.high_open else high <= self.high
        return above and below

    def clip(self, values: FloatArray) -> tuple[FloatArray, NDArray[np.bool_]]:
        """Values kept inside the domain, and which of them had to be moved."""
        low = self.low
        high = self.high
        if self.low_open and math.isfinite(low):
            low = low + max(abs(low), 1.0) * 1e-12
        if self.high_open and math.isfinite(high):
            high = high - max(abs(high), 1.0) * 1e-12
        clipped = np.clip(values, low, high)
        return clipped, clipped != values


def _fmt(x: float) -> str:
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    return f"{x:.6g}"


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
    """What every family shares: sampling through the inverse CDF, and describing itself."""

    # scipy builds a frozen distribution slowly (it formats docstrings); estimates are
    # immutable, so each builds its own once.
    _dist: Any = PrivateAttr(None)

    def ppf(self, q: ArrayLike) -> FloatArray:
        """Inverse CDF: the value below which a share ``q`` of the distribution lies."""
        return np.asarray(self._scipy().ppf(_safe_u(q)), dtype=np.float64)

    def cdf(self, x: ArrayLike) -> FloatArray:
        """The share of the distribution at or below ``x``."""
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
        """The estimate's quantiles at the shares ``qs`` (the same as :meth:`ppf`)."""
        return self.ppf(qs)

    def sample(self, rng: np.random.Generator, n: int) -> FloatArray:
        """``n`` independent draws, using ``rng`` and nothing else."""
        return self.ppf(rng.random(n))

    def mean(self) -> float:
        """The distribution's mean."""
        return float(self._scipy().mean())

    def describe(self) -> Description:
        """Median, mean, 5th and 95th percentiles."""
        p05, median, p95 = (float(v) for v in self.ppf([0.05, 0.5, 0.95]))
        return Description(median=median, mean=self.mean(), p05=p05, p95=p95)

    @property
    def is_fixed(self) -> bool:
        """Whether the estimate is a single number (needs no sampling)."""
        return False

    def stated_range(self) -> tuple[float, float]:
        """The range the analyst stated: what must lie inside the parameter's domain."""
        raise NotImplementedError

    def _frozen(self) -> Any:
        raise NotImplementedError


def _safe_u(q: ArrayLike) -> FloatArray:
    return np.clip(np.asarray(q, dtype=np.float64), _U_EPS, 1.0 - _U_EPS)


class FixedEstimate(EstimateBase):
    """A number known well enough to fix it."""

    dist: Literal["fixed"] = Field("fixed", description="Family tag: a fixed number.")
    value: float = Field(description="The number.")

    def ppf(self, q: ArrayLike) -> FloatArray:
        return np.full(np.shape(q), self.value, dtype=np.float64)

    def cdf(self, x: ArrayLike) -> FloatArray:
        return (np.asarray(x, dtype=np.float64) >= self.value).astype(np.float64)

    def mean(self) -> float:
        return self.value

    @property
    def is_fixed(self) -> bool:
        return True

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

    def ppf(self, q: ArrayLike) -> FloatArray:
        out: FloatArray = self.mu + self.sd * special.ndtri(_safe_u(q))
        return out

    def _frozen(self) -> Any:
        return stats.norm(loc=self.mu, scale=self.sd)


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

    def ppf(self, q: ArrayLike) -> FloatArray:
        out: FloatArray = np.exp(self.mu + self.sigma * special.ndtri(_safe_u(q)))
        return out

    def _frozen(self) -> Any:
        return stats.lognorm(s=self.sigma, scale=math.exp(self.mu))


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

    def ppf(self, q: ArrayLike) -> FloatArray:
        out: FloatArray = self.low + (self.high - self.low) * _safe_u(q)
        return out

    def _frozen(self) -> Any:
        return stats.uniform(loc=self.low, scale=self.high - self.low)

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

    def stated_range(self) -> tuple[float, float]:
        return (self.low, self.high)


class TriangularEstimate(_ThreePoint):
    """A triangle from ``low`` through ``mode`` to ``high``."""

    dist: Literal["triangular"] = Field("triangular", description="Family tag: triangular.")

    def _frozen(self) -> Any:
        width = self.high - self.low
        return stats.triang(c=(self.mode - self.low) / width, loc=self.low, scale=width)


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
        return stats.beta(a, b, loc=self.low, scale=width)


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
        return stats.beta(self.alpha, self.beta, loc=self.low, scale=self.high - self.low)

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
        if _normalise_word(self.word) not in YARDSTICKS[self.yardstick]:
            words = ", ".join(f"'{w}'" for w in YARDSTICKS[self.yardstick])
            raise ValueError(
                f"'{self.word}' is not a probability word of the {self.yardstick} yardstick; "
                f"expected one of {words}"
            )
        return self

    @property
    def band(self) -> tuple[float, float]:
        """The word's published band of probabilities."""
        return YARDSTICKS[self.yardstick][_normalise_word(self.word)]

    def ppf(self, q: ArrayLike) -> FloatArray:
        low, high = self.band
        out: FloatArray = low + (high - low) * _safe_u(q)
        return out

    def _frozen(self) -> Any:
        low, high = self.band
        return stats.uniform(loc=low, scale=high - low)

    def stated_range(self) -> tuple[float, float]:
        return self.band


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

    def _grid(self) -> tuple[FloatArray, FloatArray]:
        """The mixture's CDF tabulated on every component's own quantile grid (cached)."""
        if self._dist is None:
            self._dist = self._tabulate()
        grid: tuple[FloatArray, FloatArray] = self._dist
        return grid

    def _tabulate(self) -> tuple[FloatArray, FloatArray]:
        probe = np.linspace(0.0, 1.0, 2049)
        xs = np.unique(np.concatenate([c.ppf(probe) for c in self.components]))
        cdf = sum(
            (s * c.cdf(xs) for s, c in zip(self._shares(), self.components, strict=True)),
            start=np.zeros_like(xs),
        )
        return xs, np.maximum.accumulate(cdf)

    def ppf(self, q: ArrayLike) -> FloatArray:
        xs, cdf = self._grid()
        return np.asarray(np.interp(_safe_u(q), cdf, xs), dtype=np.float64)

    def cdf(self, x: ArrayLike) -> FloatArray:
        xs = np.asarray(x, dtype=np.float64)
        return sum(
            (s * c.cdf(xs) for s, c in zip(self._shares(), self.components, strict=True)),
            start=np.zeros_like(xs),
        )

    def mean(self) -> float:
        return float(
            sum(s * c.mean() for s, c in zip(self._shares(), self.components, strict=True))
        )

    def stated_range(self) -> tuple[float, float]:
        ranges = [c.stated_range() for c in self.components]
        return (min(r[0] for r in ranges), max(r[1] for r in ranges))


# ---------------------------------------------------------------------------------------
# Parsing what an analyst writes into one of the families above.

_NUM = r"[-+]?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_NUMBER_RE = re.compile(rf"^\s*(?P<a>{_NUM})\s*(?P<pa>%?)\s*$")
_INTERVAL_RE = re.compile(
    rf"^\s*(?P<a>{_NUM})\s*(?P<pa>%?)\s+to\s+(?P<b>{_NUM})\s*(?P<pb>%?)\s*$", re.IGNORECASE
)
_FAMILIES = ("normal", "lognormal", "uniform", "triangular", "pert", "beta", "mixture")
_EXPECTED = 'expected a number, "A to B" (a 90% interval), or a mapping with dist: ' + " | ".join(
    _FAMILIES
)


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _interval(text: str) -> dict[str, Any] | None:
    m = _INTERVAL_RE.match(text)
    if m is None:
        return None
    if m["pa"] and not m["pb"]:
        raise ValueError(
            f'"{text}": only the low end is a percentage; write "5% to 25%" or "5 to 25%"'
        )
    scale = 0.01 if m["pb"] else 1.0
    low, high = _number(m["a"]) * scale, _number(m["b"]) * scale
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ValueError(f'"{text}": both ends must be finite numbers')
    if not low < high:
        raise ValueError(f'"{text}": low end must be below high end')
    dist = "lognormal" if low > 0 and high > 0 else "normal"
    return {"dist": dist, "low": low, "high": high}


def estimate_data(value: Any, *, allow_words: bool = False) -> Any:
    """Turn what an analyst wrote into the mapping form of a family (or pass models through).

    Raises ``ValueError`` with a message that says what was expected; pydantic attaches
    the field's location to it.
    """
    if isinstance(value, EstimateBase):
        if isinstance(value, WordEstimate) and not allow_words:
            raise ValueError(_word_here(value.word))
        return value
    if isinstance(value, bool):
        raise ValueError(f"got {str(value).lower()}; {_EXPECTED}")
    if isinstance(value, int | float):
        return {"dist": "fixed", "value": value}
    if isinstance(value, str):
        return _parse_text(value, allow_words=allow_words)
    if isinstance(value, dict):
        if "dist" not in value:
            keys = ", ".join(str(k) for k in value)
            raise ValueError(f"a distribution needs a 'dist' key (got keys: {keys}); {_EXPECTED}")
        if value["dist"] == "word" and not allow_words:
            raise ValueError(_word_here(str(value.get("word", ""))))
        return value
    raise ValueError(f"got {type(value).__name__}; {_EXPECTED}")


def _parse_text(text: str, *, allow_words: bool) -> Any:
    interval = _interval(text)
    if interval is not None:
        return interval
    m = _NUMBER_RE.match(text)
    if m is not None:
        return {"dist": "fixed", "value": _number(m["a"]) * (0.01 if m["pa"] else 1.0)}
    word = _normalise_word(text)
    if word in ALL_WORDS:
        if not allow_words:
            raise ValueError(_word_here(text))
        return {"dist": "word", "word": word}
    hint = " or a probability word such as 'likely'" if allow_words else ""
    raise ValueError(f'could not read "{text}"; {_EXPECTED}{hint}')


def _word_here(word: str) -> str:
    return f"'{word}' is a probability word, but this field is not a probability; {_EXPECTED}"


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

MixtureEstimate.model_rebuild()


_ESTIMATE = TypeAdapter(Estimate)
_PROBABILITY = TypeAdapter(ProbabilityEstimate)


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
    adapter = _PROBABILITY if probability else _ESTIMATE
    try:
        out: EstimateBase = adapter.validate_python(value)
    except ValidationError as exc:
        message = "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors())
        raise InputError([Problem("estimate", message)]) from None
    return out
