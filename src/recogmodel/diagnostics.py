"""What the engine reports about a run: clipped shares, bounds touched, event rates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class EventRate:
    """How often an event fired, next to how often the scenario asked it to."""

    asked: float
    """Mean over draws of the sampled annual probability."""
    observed: float
    """Firings per draw-year in which the event could fire (once-only events stop after)."""
    fired_share: float
    """Share of draws in which it fired at least once."""
    once: bool
    """Whether the event can fire only once."""
    state_dependent: bool = False
    """Whether its chance moves with the state (a hazard): ``asked`` is then the base
    chance, ``observed`` the chance realised over the paths the draws took."""


@dataclass(frozen=True)
class Diagnostics:
    """What the engine had to do to keep the numbers inside their domains, and checks."""

    clipped: dict[str, float]
    """Share of draws of each sampled assumption clipped into its domain."""
    bounds_touched: dict[str, float]
    """Share of draws in which each indicator touched one of its bounds."""
    intensity_clipped: dict[str, float]
    """Share of draws in which each driver's intensity path was clipped to [0, 1]."""
    events: dict[str, EventRate]
    """Each event's asked and observed firing rates."""
    correlations: list[tuple[str, str, float, float]]
    """(first, second, requested rho, achieved Spearman rho) per correlation."""
    weightless: float
    """Share of draws whose driver weights were all 0 (no pressure)."""

    def notes(self) -> list[str]:
        """Plain-language notes on everything that is not zero or not as asked.

        Returns
        -------
        list of str
            One sentence per clipped assumption, bound touched, intensity clipped and
            correlation, and one if some draws had no weight at all.
        """
        out = [
            f"{share:.1%} of draws of {name} were clipped into its domain"
            for name, share in self.clipped.items()
            if share > 0
        ]
        out += [
            f"indicator {k} touched a bound in {share:.1%} of draws"
            for k, share in self.bounds_touched.items()
            if share > 0
        ]
        out += [
            f"driver {d}'s intensity was clipped to [0, 1] in {share:.1%} of draws"
            for d, share in self.intensity_clipped.items()
            if share > 0
        ]
        out += [
            f"correlation {a} ~ {b}: asked {rho:+.2f}, achieved {got:+.2f}"
            for a, b, rho, got in self.correlations
        ]
        out += [
            f"event {e}: base chance {r.asked:.1%} a year, realised {r.observed:.1%} a year "
            "where it could fire (its chance moves with the state)"
            for e, r in self.events.items()
            if r.state_dependent
        ]
        if self.weightless > 0:
            out.append(f"{self.weightless:.1%} of draws had all driver weights at 0")
        return out

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON.

        Returns
        -------
        dict
            The diagnostics as mappings and lists of numbers.
        """
        return {
            "clipped": self.clipped,
            "bounds_touched": self.bounds_touched,
            "intensity_clipped": self.intensity_clipped,
            "events": {
                e: {
                    "asked": r.asked,
                    "observed": r.observed,
                    "fired_share": r.fired_share,
                    "once": r.once,
                    "state_dependent": r.state_dependent,
                }
                for e, r in self.events.items()
            },
            "correlations": [
                {"between": [a, b], "asked": rho, "achieved": got}
                for a, b, rho, got in self.correlations
            ],
            "weightless": self.weightless,
        }
