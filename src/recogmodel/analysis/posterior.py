"""Which scenario are we in? Scenarios weighed by how well each foresaw what was seen.

:func:`update` applies Bayes' rule with, as the likelihood of all observed cells together
under a scenario, a Student t copula on the ranks of those cells in that scenario's draws
(its degrees of freedom estimated from them; infinite ones make it Gaussian) with
kernel-density margins (:mod:`recogmodel.analysis._likelihood`). Observations of one
indicator over several years, or of indicators that share assumptions, are dependent
within a scenario; the copula counts their evidence once. A later year of an indicator
enters as its step from the nearest earlier observed year (same likelihood, a copula that
fits better; the reason is in that module). The formulas are in ``docs/methodology.md``.
"""

from __future__ import annotations

import functools
import itertools
import math
import warnings
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np
from threadpoolctl import ThreadpoolController

from .._scales import log_jacobian, to_scale, to_scale_into
from .._threads import thread_count
from ..errors import (
    IndistinguishableScenariosWarning,
    InputError,
    ObservationOutsideEnsembleWarning,
    Problem,
)
from ..io.observations import Observation, ObservationLike, as_observations
from ..text.tables import text_table
from ._likelihood import (
    MARGIN_DRAWS,
    JointLikelihood,
    Scratch,
    joint_likelihood,
    predecessors,
)
from ._shared import check_projections, frozen, prior_weights

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from ..projection import Projection
    from ._shared import BoolArray, FloatArray, IntArray

__all__ = ["Posterior", "update"]

#: Largest Kolmogorov–Smirnov distance (at the 5 % level, for two samples of the copula's
#: size) under which two ensembles count as indistinguishable on a cell.
_KS_LEVEL = 1.36
_LEVELS = np.linspace(0.05, 0.95, 19)
#: Cells times margin draws from which an update spreads its scenarios over threads: below
#: it, starting the threads costs about what they save.
_THREADS_FROM = 32_768


class Posterior(Mapping[str, float]):
    """Weight of each scenario after the observations: ``posterior["deepening"]``.

    Built by :func:`update`. Besides the weights it keeps what a reader needs to judge
    them: each scenario's joint log-likelihood, how many independent observations the data
    amount to under each scenario, each observation's likelihood on its own, the weights
    after each observation in turn (the joint likelihood of the first ``i`` observations),
    the observations left out because no scenario foresaw them, and the pairs of scenarios
    the observations cannot tell apart.

    Parameters
    ----------
    scenarios
        The scenarios' names, in the order of every array's scenario axis.
    observations
        The observations, in the order of every array's observation axis.
    prior
        The prior weights, normalised, per scenario.
    increments
        (observations, scenarios): each observation's log-likelihood given the ones before
        it (0 for an observation left out).
    marginal
        (observations, scenarios): each observation's log density on its own, per unit of
        the indicator (log mass for whole-number indicators).
    outside
        (observations, scenarios): whether the value lies beyond that scenario's ensemble.
    used
        (observations,): whether the observation entered the likelihood.
    effective
        (scenarios,): independent observations the used ones amount to, per scenario.
    indistinguishable
        Pairs of scenarios whose ensembles cannot be told apart on the used cells.
    floor
        The share of every continuous margin given to the wide density.
    """

    def __init__(
        self,
        scenarios: tuple[str, ...],
        observations: tuple[Observation, ...],
        prior: FloatArray,
        increments: FloatArray,
        marginal: FloatArray,
        outside: BoolArray,
        used: BoolArray,
        effective: FloatArray,
        indistinguishable: tuple[tuple[str, str], ...],
        floor: float,
    ) -> None:
        self.scenarios = scenarios
        self.observations = observations
        self.floor = floor
        self.increments = frozen(increments)
        self.marginal_log_likelihoods = frozen(marginal)
        """(observations, scenarios): each observation's log density on its own."""
        self.likelihoods = frozen(np.exp(marginal))
        """(observations, scenarios): each observation's density on its own."""
        self.log_likelihoods = frozen(increments.sum(axis=0))
        """(scenarios,): the joint log-likelihood of the used observations."""
        self.outside = frozen(outside)
        """(observations, scenarios): the value lies beyond that scenario's ensemble."""
        self.used = frozen(used)
        """(observations,): the observation entered the likelihood."""
        self.effective_observations: Mapping[str, float] = MappingProxyType(
            {s: float(e) for s, e in zip(scenarios, effective, strict=True)}
        )
        """Per scenario, how many independent observations the used ones amount to."""
        self.indistinguishable = indistinguishable
        with np.errstate(divide="ignore"):
            log_prior = np.log(prior)
        steps = log_prior + np.concatenate(
            [np.zeros((1, len(scenarios))), np.cumsum(increments, axis=0)]
        )
        steps -= steps.max(axis=1, keepdims=True)
        weights = np.exp(steps)
        weights /= weights.sum(axis=1, keepdims=True)
        self.trajectory = frozen(weights)
        """(observations + 1, scenarios): the weights after each observation in turn."""
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
            The observation (indicator, year, value, source), the scenario, its likelihood
            on its own and its log-likelihood given the observations before it, whether it
            lies outside the scenario's ensemble, whether it was used, and the scenario's
            weight after it.
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
                        "log_likelihood_given_earlier": float(self.increments[o, s]),
                        "outside": bool(self.outside[o, s]),
                        "used": bool(self.used[o]),
                        "weight_after": float(self.trajectory[o + 1, s]),
                    }
                )
        return rows

    def _repr_html_(self) -> str:
        """The posterior in a notebook: its tidy rows as an HTML table."""
        from ..text.html import rows_html

        return rows_html("Which scenario the observations favour", self.to_rows())

    def __str__(self) -> str:
        lines = [
            "Which scenario are we in? Each observation's likelihood under each scenario on",
            "its own (density per unit of the indicator); the weights come from their joint",
            "likelihood, which counts dependent observations once",
        ]
        header = ["observation", "source", *self.scenarios, "favours alone"]
        body = []
        for o, obs in enumerate(self.observations):
            like = self.marginal_log_likelihoods[o]
            best = int(like.argmax())
            ratio = math.exp(min(float(like.max() - like.min()), 700.0))
            favours = (
                f"{self.scenarios[best]} ×{ratio:.3g}"
                if len(self.scenarios) > 1 and ratio > 1.0005
                else "—"
            )
            if not self.used[o]:
                favours = "left out"
            cells = [
                f"{math.exp(v):.2e}" + ("!" if self.outside[o, s] else "")
                for s, v in enumerate(like)
            ]
            body.append([str(obs), obs.source or "", *cells, favours])
        effective = [f"{self.effective_observations[s]:.1f}" for s in self.scenarios]
        body.append(["independent observations", "", *effective, ""])
        body.append(["joint log-likelihood", "", *[f"{v:.1f}" for v in self.log_likelihoods], ""])
        body.append(["prior", "", *[f"{w:.1%}" for w in self.prior_weights], ""])
        body.append(["posterior", "", *[f"{w:.1%}" for w in self.weights], ""])
        lines += text_table(header, body, left=2)
        if self.outside.any():
            lines.append("! outside that scenario's projected range")
        if not self.used.all():
            lines.append(
                "left out: outside every scenario's range, so no scenario foresaw it and it "
                "moves no weight"
            )
        for a, b in self.indistinguishable:
            lines.append(f"{a} and {b} cannot be told apart on these observations")
        return "\n".join(lines)


def update(
    projections: Sequence[Projection],
    observations: Sequence[ObservationLike],
    prior: Mapping[str, float] | None = None,
    *,
    floor: float = 0.01,
    workers: int | None = None,
) -> Posterior:
    """Weigh the scenarios by how well each one's ensemble foresaw what was observed.

    Parameters
    ----------
    projections
        One projection per scenario, all of the same case (same indicators); a scenario
        given twice is refused.
    observations
        :class:`Observation` objects, ``(indicator, year, value)`` tuples (optionally with
        source and note), or mappings with those keys. Each year must be projected, and
        each indicator and year observed once.
    prior
        Scenario name -> weight (>= 0, normalised here); default: uniform.
    floor
        Share of every continuous margin given to a wide heavy-tailed density (a Cauchy
        centred on the scenario's median), so a likelihood is never zero; in (0, 1).
    workers
        Threads the scenarios' likelihoods are computed on, each scenario on one; default:
        one per core this process may use, at most one per scenario (one for an update of
        few cells). The numbers are the same for any value.

    Returns
    -------
    Posterior
        Scenario name -> posterior weight, with the joint log-likelihoods, the effective
        number of independent observations, and each observation's own likelihood.

    Raises
    ------
    InputError
        For projections of different cases or a scenario given twice, a bad prior or
        floor, or an observation of an unknown indicator, of a year that is not projected,
        of a cell observed twice, or of a value outside its scale's domain (at its file
        and line when it was read from a file).

    Warns
    -----
    ObservationOutsideEnsembleWarning
        For each observation beyond every scenario's projected range; it is left out of
        the likelihood, so the weights stay where the other observations put them (at the
        prior when every observation is left out) instead of following kernel tails.
    IndistinguishableScenariosWarning
        For scenarios whose ensembles cannot be told apart on the observed cells.

    Notes
    -----
    Under each scenario the observed cells are taken together: their margins are kernel
    densities (Silverman's bandwidth) in each indicator's own scale, or exact probability
    masses for indicators declared ``integer: true``; their dependence is a Student t
    copula on the ranks of the scenario's draws, its correlation matrix shrunk toward the
    identity with the Ledoit–Wolf intensity and its degrees of freedom the likeliest for
    the draws (heavy joint tails where events make the paths branch; the Gaussian copula
    where they do not). A continuous cell with an earlier observation of the same
    indicator enters as its step from the one nearest in year (a unit triangular change
    of variables: the same joint likelihood, better approximated). See
    ``docs/methodology.md``.
    """
    projs = check_projections(projections)
    if isinstance(floor, bool) or not (isinstance(floor, float | int) and 0 < floor < 1):
        raise InputError([Problem("floor", f"expected a share in (0, 1), got {floor!r}")])
    if isinstance(observations, str | bytes) or not isinstance(observations, Sequence):
        raise InputError(
            [Problem("observations", "expected a list of observations (or read_observations())")]
        )
    obs = as_observations(observations)
    names = tuple(p.name for p in projs)
    weights = prior_weights(prior, names)
    floor = float(floor)

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

    seen: dict[tuple[str, int], int] = {}
    for i, o in enumerate(obs):
        if (o.indicator, o.year) in seen:
            problems.append(
                Problem(
                    f"observations.{i}",
                    f"observes {o.indicator} in {o.year} again (first at observations."
                    f"{seen[(o.indicator, o.year)]}); expected one value per indicator and year",
                    o.file,
                    o.line,
                )
            )
        seen.setdefault((o.indicator, o.year), i)
    if problems:
        raise InputError(problems)

    inds = [first.indicator(o.indicator) for o in obs]
    integer = np.array([ind.integer for ind in inds], dtype=np.bool_)
    values = np.array([o.value for o in obs])
    observed = np.array(
        [
            v if ind.integer else float(to_scale(ind.scale, np.array([v]))[0])
            for v, ind in zip(values, inds, strict=True)
        ]
    )
    jacobian = np.array(
        [
            0.0 if ind.integer else log_jacobian(ind.scale, v)
            for v, ind in zip(values, inds, strict=True)
        ]
    )
    series = np.unique([o.indicator for o in obs], return_inverse=True)[1]
    years = np.array([o.year for o in obs])
    threads = _threads(workers, len(projs), len(obs) * min(first.draws, MARGIN_DRAWS))
    # One set of working arrays per thread: its scenarios observe the same cells.
    scratches = [Scratch() for _ in range(threads)]

    def likelihoods(use: BoolArray) -> list[JointLikelihood]:
        before = predecessors(series, years, use & ~integer)

        def share(t: int) -> list[JointLikelihood]:
            """The likelihoods of every ``threads``-th scenario from the ``t``-th on."""
            found = []
            for proj in projs[t::threads]:
                head, whole, span = _cells(proj, obs, integer, scratches[t])
                found.append(
                    joint_likelihood(
                        head, observed, integer, use, floor, whole, before, span, scratches[t]
                    )
                )
            return found

        if threads == 1:
            return share(0)
        with ThreadPoolExecutor(threads) as pool:  # sorts, ufuncs and BLAS free the GIL
            shares = list(pool.map(share, range(threads)))
        return [shares[i % threads][i // threads] for i in range(len(projs))]

    # The copula's matrix products are small: one BLAS thread does them several times
    # faster than a pool that competes for the cores with everything else.
    with _threadpools().limit(limits=1, user_api="blas"):
        alone = likelihoods(np.ones(len(obs), np.bool_))
        outside = np.stack([r.outside for r in alone], axis=1)
        used: BoolArray = np.logical_not(outside.all(axis=1))
        joint = alone if used.all() else likelihoods(used)
    increments = np.stack([r.increments for r in joint], axis=1)
    marginal = np.stack([r.marginal for r in alone], axis=1) + jacobian[:, None]
    effective = np.array([r.effective for r in joint])
    for i, o in enumerate(obs):
        if not used[i]:
            where = f" ({o.file}:{o.line})" if o.file is not None else ""
            warnings.warn(
                f"observation {o}{where} lies outside the projected range of every scenario "
                f"({', '.join(names)}); no scenario foresaw it, so it is left out and moves "
                "no weight: check its value and unit, or revisit the scenarios",
                ObservationOutsideEnsembleWarning,
                stacklevel=2,
            )
    sorted_used = [r.ordered if used.all() else r.ordered[:, used] for r in alone]
    alike = _indistinguishable(names, sorted_used) if used.any() else ()
    for a, b in alike:
        warnings.warn(
            f"scenarios '{a}' and '{b}' cannot be told apart on the observed cells (their "
            "ensembles agree within sampling noise); their weights split what either would "
            "get alone: merge them, or observe what separates them",
            IndistinguishableScenariosWarning,
            stacklevel=2,
        )
    return Posterior(
        names, obs, weights, increments, marginal, outside, used, effective, alike, float(floor)
    )


def _threads(workers: int | None, scenarios: int, size: int) -> int:
    """How many threads an update of ``scenarios`` scenarios and ``size`` draw-cells each
    runs on: ``workers`` if given, else one per core this process may use, at most one
    per scenario, and one below :data:`_THREADS_FROM`.
    """
    if workers is None and size < _THREADS_FROM:
        return 1
    return thread_count(workers, scenarios)


@functools.cache
def _threadpools() -> ThreadpoolController:
    """The loaded thread pools, found once (finding them costs more than a small update)."""
    return ThreadpoolController()


def _cells(
    proj: Projection, obs: Sequence[Observation], integer: BoolArray, scratch: Scratch
) -> tuple[FloatArray, FloatArray, Callable[[IntArray], tuple[FloatArray, FloatArray]]]:
    """The observed cells' draws: the first :data:`MARGIN_DRAWS` of every cell, in the
    indicator's own scale (whole-number indicators in their units); every draw of the
    whole-number cells; and a function that gives the smallest and largest draw of some
    cells over the whole ensemble (not only the draws the margins use), in the same scale:
    what a value must lie beyond to be outside it, looked up only for the cells the first
    draws leave outside. One gather and one transform per scale, into arrays kept in
    ``scratch`` (valid until the next call).
    """
    position = {year: i for i, year in enumerate(proj.years)}  # the years are checked
    years = np.array([position[o.year] for o in obs], dtype=np.intp)
    names = {o.indicator for o in obs}
    index = {k: proj.indicators.index(k) for k in names}
    scale = {k: proj.indicator(k).scale for k in names}
    columns = np.array([index[o.indicator] for o in obs], dtype=np.intp)
    rows = min(proj.draws, MARGIN_DRAWS)
    # Each cell's draws are one contiguous row of the transposed data: whole rows copied.
    by_cell = proj.data.T.reshape(-1, proj.draws)
    cell = columns * len(proj.years) + years
    scales = np.where(integer, "linear", np.array([scale[o.indicator] for o in obs]))
    head_rows = scratch.floats("cells", (len(obs), rows))
    # Runs of cells of one scale (an indicator's years are usually together): each run is
    # gathered, and transformed straight into its rows, contiguous.
    cuts = np.flatnonzero(scales[1:] != scales[:-1]) + 1
    for a, b in itertools.pairwise([0, *cuts.tolist(), len(obs)]):
        kind = str(scales[a])
        if kind == "linear":
            np.take(by_cell[:, :rows], cell[a:b], axis=0, out=head_rows[a:b], mode="clip")
            continue
        raw = scratch.floats(f"cells.raw.{b - a}", (b - a, rows))
        np.take(by_cell[:, :rows], cell[a:b], axis=0, out=raw, mode="clip")
        to_scale_into(kind, raw, head_rows[a:b])
    head: FloatArray = head_rows.T  # (draws, cells), column-major
    whole_rows = scratch.floats("whole", (int(integer.sum()), proj.draws))
    np.take(by_cell, cell[integer], axis=0, out=whole_rows, mode="clip")
    whole: FloatArray = whole_rows.T

    def full_range(at: IntArray) -> tuple[FloatArray, FloatArray]:
        """The smallest and largest draw of the cells ``at`` over the whole ensemble, in
        their scale (which keeps order, so the extremes are transformed, not the draws).
        """
        raw = by_cell[cell[at]]
        low, high = raw.min(axis=1), raw.max(axis=1)
        for kind in np.unique(scales[at]):
            here = scales[at] == kind
            low[here], high[here] = to_scale(str(kind), np.stack([low[here], high[here]]))
        return low, high

    return head, whole, full_range


def _indistinguishable(
    names: tuple[str, ...], matrices: Sequence[FloatArray]
) -> tuple[tuple[str, str], ...]:
    """Pairs of scenarios whose draws agree on every cell within the Kolmogorov–Smirnov
    distance of two samples at the 5 % level (measured at 19 quantile levels).

    ``matrices`` holds each scenario's first draws of the used cells, sorted per cell.
    """
    subs = list(matrices)
    quantiles = [s[np.minimum((_LEVELS * s.shape[0]).astype(int), s.shape[0] - 1)] for s in subs]
    pairs = []
    for a in range(len(names)):
        for b in range(a + 1, len(names)):
            na, nb = subs[a].shape[0], subs[b].shape[0]
            limit = _KS_LEVEL * math.sqrt((na + nb) / (na * nb))
            distance = 0.0
            for c in range(subs[a].shape[1]):
                at = np.searchsorted(subs[b][:, c], quantiles[a][:, c], side="right") / nb
                distance = max(distance, float(np.abs(at - _LEVELS).max()))
                if distance > limit:
                    break
            if distance <= limit:
                pairs.append((names[a], names[b]))
    return tuple(pairs)
