"""Names as a reader says them: assumptions, signposts and the case's entities.

Signposts are worded here once (:func:`signpost_label`), for the terminal, the figures and
the report alike.
"""

from __future__ import annotations

import math
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
    "link": ("{0}: link to {1}", ("indicators", "indicators")),
    "reversion_level": ("{0}: level it reverts to", ("indicators",)),
    "reversion_rate": ("{0}: rate of reversion", ("indicators",)),
    "hazard_driver": ("{0}: chance moved by {1}", ("events", "drivers")),
    "hazard_indicator": ("{0}: chance moved by {1}", ("events", "indicators")),
    "half_life": ("{0}: half-life of its effects", ("events",)),
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


def _counted(unit: str) -> tuple[str, str] | None:
    """A unit that counts things, as (one, many): ``projects`` -> (``project``, ``projects``),
    ``people a year`` -> (``person a year``, ``people a year``); ``None`` for an amount
    (``USD m``, ``per year``, a share).
    """
    first, _, rest = unit.strip().partition(" ")
    tail = f" {rest}" if rest else ""
    if first == "people":
        return f"person{tail}", f"people{tail}"
    if not first.isalpha() or not first.islower() or not first.endswith("s"):
        return None
    if first.endswith(("ss", "us", "is")):
        return None
    one = first[:-3] + "y" if first.endswith("ies") else first[:-1]
    return f"{one}{tail}", f"{first}{tail}"


def threshold_text(ind: Indicator, side: str, value: float) -> str:
    """How a signpost's threshold reads in the indicator's unit.

    An amount reads ``above 600 USD m`` (a share ``above 25%``, its unit not repeated); a
    count agrees with its number (``below 1 project``). A whole-number indicator
    (``integer: true``) reads as the counts that pass: ``above: 1.5`` is ``2 or more
    states``, ``below: 3`` is ``2 or fewer states`` and ``below: 1`` is ``no states``; a
    count of things that falls ``below: 1`` has none left, and reads ``no projects``.

    Parameters
    ----------
    ind
        The indicator the signpost watches.
    side
        ``"above"`` or ``"below"``.
    value
        The threshold, in the indicator's unit.

    Returns
    -------
    str
        The threshold in words, without the indicator and the year.
    """
    counted = _counted(ind.unit) if not is_share(ind.unit, ind.scale) else None
    many = counted[1] if counted else ind.unit
    if ind.integer and math.isfinite(value):
        n = math.floor(value) + 1 if side == "above" else math.ceil(value) - 1
        if n > 0 or (n == 0 and side == "above"):
            more = "or more" if side == "above" else "or fewer"
            return f"{n:,} {more}" + (f" {many}" if many else "")
        if n == 0:
            return f"no {many}" if counted else "none"
    elif counted and side == "below" and value == 1:
        return f"no {counted[1]}"
    shown = format_value(value, ind.unit, ind.scale)
    if is_share(ind.unit, ind.scale) or not ind.unit:
        return f"{side} {shown}"
    unit = counted[0] if counted and shown == "1" else ind.unit
    return f"{side} {shown} {unit}"


def signpost_label(
    ind: Indicator, side: str, value: float, by: int, *, name: str | None = None
) -> str:
    """A signpost as a reader says it: the indicator's label (or ``name``), its threshold
    (:func:`threshold_text`) and its year: ``Trade above 600 USD m by 2028``, ``States
    recognising: 2 or more states by 2027``.

    Parameters
    ----------
    ind
        The indicator the signpost watches.
    side
        ``"above"`` or ``"below"``.
    value
        The threshold, in the indicator's unit.
    by
        The signpost's year.
    name
        Shown instead of the indicator's label (an id, say).

    Returns
    -------
    str
        The label: the threshold follows the name after a colon when it does not start
        with ``above`` or ``below``.
    """
    shown = name if name is not None else ind.label
    text = threshold_text(ind, side, value)
    joint = " " if text.startswith(("above ", "below ")) else ": "
    return f"{shown}{joint}{text} by {by}"


def signpost_row_label(row: Any, case: Case, *, ids: bool = False) -> str:
    """The label of a row of a signpost table, from the case's own indicator.

    Parameters
    ----------
    row
        A :class:`~recogmodel.analysis.SignpostRow` (its ``indicator``, ``above``,
        ``below``, ``threshold`` and ``by``).
    case
        The case of the scenario declaring it.
    ids
        Name the indicator by its id instead of its label.

    Returns
    -------
    str
        As :func:`signpost_label` words it.
    """
    side = "above" if row.above is not None else "below"
    ind = case.indicators[row.indicator]
    return signpost_label(ind, side, row.threshold, row.by, name=row.indicator if ids else None)
