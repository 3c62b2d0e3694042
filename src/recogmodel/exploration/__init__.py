"""exploration."""

from ._all import (
    DEFAULT_QUANTILES,
    Exploration,
    ExploreWarning,
    Failure,
    Region,
    RegionRow,
    executor_for,
    explore,
    parse_over,
)

__all__ = [
    "DEFAULT_QUANTILES",
    "Exploration",
    "ExploreWarning",
    "Failure",
    "Region",
    "RegionRow",
    "executor_for",
    "explore",
    "parse_over",
]
