"""Which scenario are we in? Scenarios weighed by how well each one foresaw what was seen.

:func:`update` applies Bayes' rule with, as each observation's likelihood under a scenario,
a smoothed density of that scenario's draws (a Gaussian kernel density in the indicator's own
scale, mixed with a wide Cauchy floor so that it is never zero), turned into a density per
unit of the indicator. The formulas are in ``docs/methodology.md``.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy import special

from .._scales import log_jacobian, to_scale
from ..errors import InputError, ObservationOutsideEnsembleWarning, Problem
from ..io.observations import Observation, ObservationLike, as_observations
from ..text.tables import text_table
from ._shared import check_projections, frozen

if TYPE_CHECKING:
    from collections.abc import Iterator

    from ..projection import Projection
    from ._shared import BoolArray, FloatArray

__all__ = ["Posterior", "update"]


@dataclass(frozen=True)
class _Density:
    """A scenario's ensemble of one indicator in one year, smoothed in the indicator's scale."""

    z: FloatArray
    bandwidth: float
    centre: float
    spread: float
    low: float
    high: float
    total: int


_SQRT_2PI = math.sqrt(2 * math.pi)


def _density(draws: FloatArray, scale: str) -> _Density:
    """The draws in the indicator's scale, with Silverman's bandwidth and a Cauchy spread."""
    z_all = to_scale(scale, draws)
    z = z_all[np.isfinite(z_all)]
    if z.size == 0:
        return _Density(z, 1.0, 0.0, 1.0, math.inf, -math.inf, draws.size)
    sd = float(z.std())
    q1, centre, q3 = (float(v) for v in np.quantile(z, [0.25, 0.5, 0.75]))
    iqr = (q3 - q1) / 1.349
    sigma = min(sd, iqr) if iqr > 0 else sd
    tiny = 1e-6 * max(1.0, abs(centre))
    bandwidth = max(0.9 * sigma * z.size ** (-0.2), tiny)
    spread = max((q3 - q1) / 2, sd, bandwidth)
    return _Density(
        z=z,
        bandwidth=bandwidth,
        centre=centre,
        spread=spread,
        low=float(z.min()),
        high=float(z.max()),
        total=draws.size,
    )


def _log_density(d: _Density, z: float, floor: float) -> float:
    """Log of (1 - floor) * Gaussian KDE + floor * Cauchy(centre, spread), at ``z``."""
    if d.z.size:
        u = (z - d.z) / d.bandwidth
        kde = float(special.logsumexp(-0.5 * u * u)) - math.log(d.total * d.bandwidth * _SQRT_2PI)
    else:
        kde = -math.inf
    wide = math.log(d.spread / math.pi) - math.log(d.spread**2 + (z - d.centre) ** 2)
    return float(np.logaddexp(math.log1p(-floor) + kde, math.log(floor) + wide))


class Posterior(Mapping[str, float]):
    """Weight of each scenario after the observations: ``posterior["deepening"]``.

    Also holds each observation's likelihood under each scenario (``likelihoods``, shape
    (observations, scenarios), a density per unit of the indicator), the prior, and the
    weights after each observation in turn (``trajectory``, shape (observations + 1,
    scenarios), the prior first), so an analyst can see which observation moved them.
    Built by :func:`update`.

    Parameters
    ----------
    scenarios
        The scenarios' names, in the order of every array's scenario axis.
    observations
        The observations, in the order of every array's observation axis.
    prior
        The prior weights, normalised, per scenario.
    log_likelihoods
        (observations, scenarios): the log of each observation's likelihood.
    outside
        (observations, scenarios): whether the value lies beyond that scenario's ensemble.
    floor
        The share of every likelihood given to the wide density.
    """

    def __init__(
        self,
        scenarios: tuple[str, ...],
        observations: tuple[Observation, ...],
        prior: FloatArray,
        log_likelihoods: FloatArray,
        outside: BoolArray,
        floor: float,
    ) -> None:
        self.scenarios = scenarios
        self.observations = observations
        self.floor = floor
        self.log_likelihoods = frozen(log_likelihoods)
        self.likelihoods = frozen(np.exp(log_likelihoods))
        self.outside = frozen(outside)
        """(observations, scenarios): the value lies beyond that scenario's ensemble."""
        with np.errstate(divide="ignore"):
            log_prior = np.log(prior)
        steps = log_prior + np.concatenate(
            [np.zeros((1, len(scenarios))), np.cumsum(log_likelihoods, axis=0)]
        )
        steps -= steps.max(axis=1, keepdims=True)
        weights = np.exp(steps)
        weights /= weights.sum(axis=1, keepdims=True)
        self.trajectory = frozen(weights)
        self.prior_weights = frozen(prior)
        self.weights = frozen(weights[-1].copy())

    @property
    def prior(self) -> Mapping[str, float]:
        """The prior weights, normalised."""
        return MappingProxyType(
            {s: float(w) for s, w in zip(self.scenarios, self.prior_weights, strict=True)}
        )

    @property
    def most_likely(self) -> str:
        """The scenario with the largest posterior weight."""
        return self.scenarios[int(self.weights.argmax())]

    def __getitem__(self, scenario: str) -> float:
        try:
            return float(self.weights[self.scenarios.index(scenario)])
        except ValueError:
            raise KeyError(scenario) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self.scenarios)

    def __len__(self) -> int:
        return len(self.scenarios)

    def __repr__(self) -> str:
        inner = ", ".join(
            f"{s!r}: {w:.3f}" for s, w in zip(self.scenarios, self.weights, strict=True)
        )
        return f"Posterior({{{inner}}})"

    def to_rows(self) -> list[dict[str, Any]]:
        """Tidy rows: one per observation and scenario, with the weights after it.

        Returns
        -------
        list of dict
            The observation (indicator, year, value, source), the scenario, the
            likelihood, whether the value lies outside the scenario's ensemble, and the
            scenario's weight after this observation.
        """
        rows = []
        for o, obs in enumerate(self.observations):
            for s, scenario in enumerate(self.scenarios):
                rows.append(
                    {
                        "indicator": obs.indicator,
                        "year": obs.year,
                        "value": obs.value,
                        "source": obs.source,
                        "scenario": scenario,
                        "likelihood": float(self.likelihoods[o, s]),
                        "outside": bool(self.outside[o, s]),
                        "weight_after": float(self.trajectory[o + 1, s]),
                    }
                )
        return rows

    def __str__(self) -> str:
        lines = [
            "Which scenario are we in? Likelihood of each observation under each scenario",
            "(density per unit of the indicator; observations taken as independent)",
        ]
        header = ["observation", "source", *self.scenarios, "favours"]
        body = []
        for o, obs in enumerate(self.observations):
            like = self.log_likelihoods[o]
            best = int(like.argmax())
            ratio = math.exp(min(float(like.max() - like.min()), 700.0))
            favours = (
                f"{self.scenarios[best]} ×{ratio:.3g}"
                if len(self.scenarios) > 1 and ratio > 1.0005
                else "—"
            )
            cells = [
                f"{math.exp(v):.2e}" + ("!" if self.outside[o, s] else "")
                for s, v in enumerate(like)
            ]
            body.append([str(obs), obs.source or "", *cells, favours])
        body.append(["prior", "", *[f"{w:.1%}" for w in self.prior_weights], ""])
        body.append(["posterior", "", *[f"{w:.1%}" for w in self.weights], ""])
        lines += text_table(header, body, left=2)
        if self.outside.any():
            lines.append("! outside that scenario's projected range")
        return "\n".join(lines)


def _prior(prior: Mapping[str, float] | None, names: tuple[str, ...]) -> FloatArray:
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


def update(
    projections: Sequence[Projection],
    observations: Sequence[ObservationLike],
    prior: Mapping[str, float] | None = None,
    *,
    floor: float = 0.01,
) -> Posterior:
    """Weigh the scenarios by how well each one's ensemble foresaw what was observed.

    Parameters
    ----------
    projections
        One projection per scenario, all of the same case (same indicators).
    observations
        :class:`Observation` objects, ``(indicator, year, value)`` tuples (optionally with
        source and note), or mappings with those keys. Each year must be projected.
    prior
        Scenario name -> weight (>= 0, normalised here); default: uniform.
    floor
        Share of every likelihood given to a wide heavy-tailed density (a Cauchy centred on
        the scenario's median), so a likelihood is never zero; in (0, 1).

    Returns
    -------
    Posterior
        Scenario name -> posterior weight, with each observation's likelihood per scenario.

    Raises
    ------
    InputError
        For projections of different cases, a bad prior or floor, or an observation of an
        unknown indicator, of a year that is not projected, or of a value outside its
        scale's domain (at its file and line when it was read from a file).

    Warns
    -----
    ObservationOutsideEnsembleWarning
        For each observation beyond every scenario's projected range.

    Notes
    -----
    The likelihood of an observation under a scenario is a Gaussian kernel density estimate
    (Silverman's bandwidth) of that scenario's draws of the indicator in that year, in the
    indicator's own scale (log, logit or linear), mixed with the floor. Observations are
    combined as independent given the scenario: several observations of one indicator in
    neighbouring years overstate the evidence.
    """
    projs = check_projections(projections)
    if not (isinstance(floor, float | int) and 0 < floor < 1):
        raise InputError([Problem("floor", f"expected a share in (0, 1), got {floor!r}")])
    if isinstance(observations, str | bytes) or not isinstance(observations, Sequence):
        raise InputError(
            [Problem("observations", "expected a list of observations (or read_observations())")]
        )
    obs = as_observations(observations)
    names = tuple(p.name for p in projs)
    weights = _prior(prior, names)

    problems = []
    first = projs[0]
    for proj in projs[1:]:
        if set(proj.indicators) != set(first.indicators):
            problems.append(
                Problem(
                    "projections",
                    f"scenario '{proj.name}' has indicators {', '.join(proj.indicators)} but "
                    f"'{first.name}' has {', '.join(first.indicators)}; expected "
                    "projections of one case",
                )
            )
    for i, o in enumerate(obs):
        here = f"observations.{i}"
        for proj in projs:
            if o.indicator not in proj.indicators:
                problems.append(
                    Problem(
                        f"{here}.indicator",
                        f"'{o.indicator}' is not an indicator of scenario '{proj.name}'; "
                        f"expected one of: {', '.join(proj.indicators)}",
                        o.file,
                        o.line,
                    )
                )
                break
            if o.year not in proj.years:
                problems.append(
                    Problem(
                        f"{here}.year",
                        f"{o.year} is not a projected year of scenario '{proj.name}'; "
                        f"expected {proj.years[0]}..{proj.years[-1]}",
                        o.file,
                        o.line,
                    )
                )
                break
            scale = proj.indicator(o.indicator).scale
            bad = (scale == "log" and not o.value > 0) or (scale == "logit" and not 0 < o.value < 1)
            if bad:
                expected = "a positive amount" if scale == "log" else "a share between 0 and 1"
                problems.append(
                    Problem(
                        f"{here}.value",
                        f"{o.value:g} cannot be a value of '{o.indicator}' (a {scale}-scale "
                        f"indicator in {proj.indicator(o.indicator).unit}); expected "
                        f"{expected}",
                        o.file,
                        o.line,
                    )
                )
                break
    if problems:
        raise InputError(problems)

    log_like = np.zeros((len(obs), len(projs)))
    outside = np.zeros((len(obs), len(projs)), dtype=np.bool_)
    for s, proj in enumerate(projs):
        densities: dict[tuple[str, int], _Density] = {}
        for i, o in enumerate(obs):
            scale = proj.indicator(o.indicator).scale
            key = (o.indicator, o.year)
            if key not in densities:
                densities[key] = _density(
                    proj.values(o.indicator)[:, proj.year_index(o.year)], scale
                )
            d = densities[key]
            z = float(to_scale(scale, np.array([o.value]))[0])
            log_like[i, s] = _log_density(d, z, floor) + log_jacobian(scale, o.value)
            outside[i, s] = not d.low - d.bandwidth <= z <= d.high + d.bandwidth
    for i, o in enumerate(obs):
        if outside[i].all():
            where = f" ({o.file}:{o.line})" if o.file is not None else ""
            warnings.warn(
                f"observation {o}{where} lies outside the projected range of every scenario "
                f"({', '.join(names)}); its likelihoods rest on the smoothing floor, so the "
                "weights it gives mean little: check its value and unit",
                ObservationOutsideEnsembleWarning,
                stacklevel=2,
            )
    return Posterior(names, obs, weights, log_like, outside, float(floor))
