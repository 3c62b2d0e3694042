"""Numbers as a reader expects them: shares as percentages, counts with separators."""

from __future__ import annotations

import math


def is_share(unit: str, scale: str) -> bool:
    """Whether values are shares of a whole, best shown as percentages."""
    return scale == "logit" or unit.strip().lower() in ("share", "fraction", "proportion")


def format_value(value: float, unit: str = "", scale: str = "linear") -> str:
    """``value`` in a few significant digits, as a percentage when it is a share."""
    if not math.isfinite(value):
        return str(value)
    if is_share(unit, scale):
        pct = value * 100
        if abs(pct) >= 10:
            return f"{pct:.0f}%"
        if abs(pct) >= 1:
            return f"{pct:.1f}%"
        return f"{pct:.2g}%"
    magnitude = abs(value)
    if magnitude >= 1000:
        return f"{value:,.0f}"
    if magnitude >= 100:
        return f"{value:.0f}"
    if magnitude >= 1 or magnitude == 0:
        return f"{value:.3g}"
    return f"{value:.2g}"


def default_years(start: int, horizon: int) -> list[int]:
    """The years a summary shows by default: five years on, and the horizon."""
    mid = start + 5
    return [mid, horizon] if mid < horizon else [horizon]
