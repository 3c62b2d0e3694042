"""Names as a reader says them: assumptions, signposts and the case's entities."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .numbers import format_value, is_share

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from ..model import Case, Indicator

#: How an assumption of each role reads, and where the ids it belongs to are labelled.
_ROLE_LABELS: dict[str, tuple[str, tuple[str, ...]]] = {
    "weight": ("{0}: weight", ("drivers",)),
    "start": ("{0}: intensity at the start", ("drivers",)),
    "trend": ("{0}: trend of its intensity", ("drivers",)),
    "effect": ("{0}: effect on {1}", ("drivers", "indicators")),
    "baseline": ("{0}: baseline value", ("indicators",)),
    "drift": ("{0}: yearly drift", ("indicators",)),
    "volatility": ("{0}: volatility", ("indicators",)),
    "probability": ("{0}: probability", ("events",)),
    "jump": ("{0}: jump in {1}", ("events", "indicators")),
    "shift": ("{0}: shift in {1}", ("events", "drivers")),
}


def short_name(name: str) -> str:
    """A dotted assumption name made readable without its case: the leading group dropped,
    dots as middle dots, underscores as spaces (``drivers.market_access.weight`` ->
    ``market access · weight``).
    """
    parts = name.split(".")
    if len(parts) > 1 and parts[0] in ("drivers", "indicators", "events"):
        parts = parts[1:]
    return " · ".join(p.replace("_", " ") for p in parts)


def entity_label(case: Case, group: str, key: str) -> str:
    """The label of a driver, indicator or event (``group`` is the case's field name)."""
    found: Mapping[str, Any] = getattr(case, group)
    item = found.get(key)
    return item.label if item is not None else key.replace("_", " ")


def assumption_labels(names: Sequence[str], case: Case | None) -> dict[str, str]:
    """Each dotted name as a reader would say it: with the case's labels when it is known
    (``Market access: effect on Russia–Afghanistan trade``), else :func:`short_name`.
    """
    params = {} if case is None else {p.name: p for p in case.parameters()}
    out = {}
    for name in names:
        param = params.get(name)
        out[name] = short_name(name)
        if case is None or param is None or param.role not in _ROLE_LABELS:
            continue
        template, groups = _ROLE_LABELS[param.role]
        labels = [
            entity_label(case, group, key) for key, group in zip(param.keys, groups, strict=False)
        ]
        if len(labels) == len(groups):
            out[name] = template.format(*labels)
    return out


def signpost_label(
    ind: Indicator, side: str, value: float, by: int, *, name: str | None = None
) -> str:
    """``Trade above 600 USD m by 2028``: the indicator's label (or ``name``), the side,
    the threshold in its unit (shares as percentages, without a repeated unit), the year.
    """
    unit = "" if is_share(ind.unit, ind.scale) or not ind.unit else f" {ind.unit}"
    shown = name if name is not None else ind.label
    return f"{shown} {side} {format_value(value, ind.unit, ind.scale)}{unit} by {by}"
