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


def signed(value: float, unit: str, scale: str) -> str:
    """A difference of an indicator's values with its sign (shares in percentage points)."""
    if not math.isfinite(value):
        return str(value)
    text = format_value(abs(value), unit, scale)
    if is_share(unit, scale):
        text = text.removesuffix("%") + " pp"
    return ("+" if value > 0 else "−" if value < 0 else "±") + text


def probability(p: float, *, space: bool = False) -> str:
    """A probability in whole percent, never rounded to a certainty it is not."""
    sign = " %" if space else "%"
    if 0 < p < 0.005:
        return "<1" + sign
    if 0.995 <= p < 1:
        return ">99" + sign
    return f"{p * 100:.0f}{sign}"


def plain_number(value: float) -> str:
    """A plain number in at most four significant digits, thousands separated."""
    if not math.isfinite(value):
        return "∞" if value > 0 else "−∞" if value < 0 else "n/a"
    if value == 0:
        return "0"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    text = f"{value:.3g}"
    if "e" in text:
        text = f"{value:.2e}"
    return text.replace("-", "−")
