"""Study: the one pipeline from a case folder to projections and their analyses.

The command line, the HTML report and Python users all go through a :class:`Study`, so the
same case with the same options gives the same numbers everywhere. Draws and seeds are
resolved once, here: an argument overrides the scenario's own ``draws`` and ``seed``, which
override the defaults (:data:`~recogmodel.engine.DEFAULT_DRAWS` draws; one fresh seed shared
by every scenario that has none, recorded so the study can be repeated).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from . import _random
from ._checks import whole_number
from .engine import DEFAULT_DRAWS, project
from .errors import InputError, Problem
from .io.folder import CaseFolder, load_case

if TYPE_CHECKING:
    from ._types import Sampling
    from .analysis import (
        Posterior,
        Priorities,
        Sensitivity,
        SignpostSuggestions,
        SignpostTable,
    )
    from .io.observations import ObservationLike
    from .journal import JournalEntry
    from .model import Case, Scenario
    from .projection import Projection

__all__ = ["ScenarioProgress", "Study"]

#: Called as ``progress(scenario, draws_done, draws_total)`` while a scenario is projected.
ScenarioProgress = Callable[[str, int, int], None]


class Study:
    """A case folder, the scenarios chosen from it, and how they are projected.

    Projections are computed on first use and kept; every analysis reads the same ones.

    Parameters
    ----------
    source
        A case folder (as loaded by :func:`~recogmodel.load_case`) or its path.
    scenarios
        The scenarios to study, in order (default: all, ``baseline`` first). The first one
        is the study's *lead*: the scenario whose sensitivity and priorities are shown by
        default.
    draws
        Draws per scenario; overrides each scenario's ``draws`` (default
        :data:`~recogmodel.engine.DEFAULT_DRAWS`).
    seed
        Seed of every scenario; overrides each scenario's ``seed``. Scenarios without
        either share one fresh seed, recorded in :attr:`fresh_seed`.
    sampling
        ``"random"`` (plain Monte Carlo) or ``"lhs"`` (Latin hypercube).

    Raises
    ------
    InputError
        If a scenario is unknown or named twice, or ``draws`` or ``seed`` is not a whole
        number of the right size.

    Examples
    --------
    >>> import recogmodel as rm
    >>> study = rm.Study("scenarios/russia_taliban", scenarios=["baseline"], draws=500, seed=1)
    >>> study.projections["baseline"].draws
    500
    """

    def __init__(
        self,
        source: CaseFolder | str | Path,
        *,
        scenarios: Sequence[str] | None = None,
        draws: int | None = None,
        seed: int | None = None,
        sampling: Sampling = "random",
    ) -> None:
        self.folder: CaseFolder = source if isinstance(source, CaseFolder) else load_case(source)
        names = list(self.folder) if scenarios is None else list(scenarios)
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise InputError(
                [
                    Problem(
                        "scenarios",
                        f"names {', '.join(repeated)} more than once; expected each once",
                    )
                ]
            )
        if not names:
            raise InputError([Problem("scenarios", "expected at least one scenario")])
        self.scenarios: tuple[Scenario, ...] = tuple(self.folder[n] for n in names)
        self.draws = None if draws is None else whole_number("draws", draws)
        self.seed = None if seed is None else whole_number("seed", seed, least=0)
        if sampling not in ("random", "lhs"):
            raise InputError([Problem("sampling", f"expected 'random' or 'lhs', got {sampling!r}")])
        self.sampling: Sampling = sampling
        #: The seed shared by scenarios that have none of their own (fresh entropy).
        self.fresh_seed: int = _random.entropy(None)
        self._projections: dict[str, Projection] | None = None

    def __repr__(self) -> str:
        names = [s.name for s in self.scenarios]
        return f"Study({str(self.folder.path)!r}, scenarios={names})"

    def _repr_html_(self) -> str:
        """The study in a notebook: its scenarios with their draws and seeds."""
        from .text.html import study_html

        return study_html(self)

    @property
    def case(self) -> Case:
        """The case of the folder (its defaults are the ``baseline`` scenario)."""
        return self.folder.case

    @property
    def names(self) -> tuple[str, ...]:
        """The names of the studied scenarios, in order."""
        return tuple(s.name for s in self.scenarios)

    @property
    def lead(self) -> Scenario:
        """The first scenario: the one analysed by default."""
        return self.scenarios[0]

    def draws_for(self, scenario: Scenario) -> int:
        """Draws of one scenario: the study's, else the scenario's, else the default."""
        if self.draws is not None:
            return self.draws
        return scenario.draws if scenario.draws is not None else DEFAULT_DRAWS

    def seed_for(self, scenario: Scenario) -> int:
        """Seed of one scenario: the study's, else the scenario's, else the shared fresh one."""
        if self.seed is not None:
            return self.seed
        return scenario.seed if scenario.seed is not None else self.fresh_seed

    def project(self, progress: ScenarioProgress | None = None) -> Mapping[str, Projection]:
        """Project every scenario not projected yet, and return them all by name.

        Parameters
        ----------
        progress
            Called as ``progress(scenario_name, draws_done, draws_total)``.

        Returns
        -------
        Mapping[str, Projection]
            The projections, in the study's order (read-only).
        """
        if self._projections is None:
            done: dict[str, Projection] = {}
            for scenario in self.scenarios:
                report = None
                if progress is not None:
                    report = _per_scenario(progress, scenario.name)
                done[scenario.name] = project(
                    scenario,
                    draws=self.draws_for(scenario),
                    seed=self.seed_for(scenario),
                    sampling=self.sampling,
                    progress=report,
                )
            self._projections = done
        return MappingProxyType(self._projections)

    @property
    def projections(self) -> Mapping[str, Projection]:
        """Every scenario's projection by name, computed on first use and kept."""
        return self.project()

    def projection(self, scenario: str | None = None) -> Projection:
        """One scenario's projection (default: the lead's)."""
        name = self.lead.name if scenario is None else scenario
        try:
            return self.projections[name]
        except KeyError:
            raise InputError(
                [
                    Problem(
                        "scenario",
                        f"'{name}' is not studied; expected one of {', '.join(self.names)}",
                    )
                ]
            ) from None

    def default_years(self) -> list[int]:
        """The years a summary shows by default: five years after the start, and the horizon."""
        from .text.numbers import default_years

        return default_years(self.case.start, self.case.horizon)

    def signposts(self, **options: Any) -> SignpostTable:
        """Every signpost of the studied scenarios, under each of them.

        ``options`` go to :func:`recogmodel.signposts`.
        """
        from .analysis import signposts

        return signposts(list(self.projections.values()), **options)

    def suggest_signposts(self, **options: Any) -> SignpostSuggestions:
        """What to watch next: per scenario, the signposts that would point to it best.

        ``options`` go to :func:`recogmodel.analysis.suggest_signposts`.
        """
        from .analysis import suggest_signposts

        return suggest_signposts(list(self.projections.values()), **options)

    def update(
        self,
        observations: Sequence[ObservationLike] | str | Path,
        prior: Mapping[str, float] | None = None,
        **options: Any,
    ) -> Posterior:
        """Which scenario the observations favour: the posterior weights of the scenarios.

        Parameters
        ----------
        observations
            Observations, or the path of an observation file (YAML or CSV).
        prior
            Prior weight per scenario name (default: equal).
        **options
            Passed to :func:`recogmodel.update`.

        Returns
        -------
        Posterior
        """
        from .analysis import read_observations, update

        if isinstance(observations, str | Path):
            observations = read_observations(observations)
        return update(list(self.projections.values()), observations, prior, **options)

    def record(
        self,
        note: str | None = None,
        *,
        observations: Sequence[ObservationLike] | str | Path | None = None,
        prior: Mapping[str, float] | None = None,
        journal: str | Path | None = None,
    ) -> JournalEntry:
        """Append today's forecast of every studied scenario to the case's journal.

        Parameters
        ----------
        note
            The analyst's note, kept with the entry.
        observations
            Observations known today (or their file): the weights recorded are then the
            posterior given them, with the observations; else the prior.
        prior
            Prior weight per scenario name (default: equal).
        journal
            The journal file (default: ``journal.jsonl`` in the case folder).

        Returns
        -------
        JournalEntry
            The entry as appended, with its line number.
        """
        from .analysis import read_observations
        from .journal import append_entry, forecast_entry

        if isinstance(observations, str | Path):
            observations = read_observations(observations)
        entry = forecast_entry(
            self.projections,
            self.folder,
            prior=prior,
            observations=observations or (),
            note=note,
        )
        return append_entry(entry, self.folder.path if journal is None else journal)

    def sensitivity(
        self,
        indicator: str,
        year: int | Sequence[int] | None = None,
        *,
        scenario: str | None = None,
        **options: Any,
    ) -> Sensitivity:
        """What drives one indicator's range under one scenario (default: the lead).

        ``options`` go to :func:`recogmodel.sensitivity`.
        """
        from .analysis import sensitivity

        return sensitivity(self.projection(scenario), indicator, year, **options)

    def priorities(self, *, scenario: str | None = None, **options: Any) -> Priorities:
        """What to research next under one scenario (default: the lead).

        ``options`` go to :func:`recogmodel.priorities`.
        """
        from .analysis import priorities

        return priorities(self.projection(scenario), **options)


def _per_scenario(progress: ScenarioProgress, name: str) -> Callable[[int, int], None]:
    def report(done: int, total: int) -> None:
        progress(name, done, total)

    return report
