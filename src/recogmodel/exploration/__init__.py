"""Sweeps over assumptions (:func:`explore`) and their result (:class:`Exploration`).

``result`` holds what a sweep returns and how it is saved; ``sweep`` lays the points out
and runs them, in this process or on any ``concurrent.futures.Executor``.
"""

from ..errors import ExploreWarning
from .region import Region, RegionRow
from .result import Exploration, Failure
from .sweep import CHECKPOINT_SECONDS, DEFAULT_QUANTILES, RangeInput, explore, parse_range

__all__ = [
    "CHECKPOINT_SECONDS",
    "DEFAULT_QUANTILES",
    "Exploration",
    "ExploreWarning",
    "Failure",
    "RangeInput",
    "Region",
    "RegionRow",
    "explore",
    "parse_range",
]
