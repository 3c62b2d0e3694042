"""Argument checks shared by every layer: the same rule gives the same message everywhere.

Errors name the argument by its Python name; the command line translates to its flags.
:func:`overflow_error` is the check on a result: values that overflowed are the input's
fault (a number in the wrong unit), so they are an input error, not a crash later.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .errors import InputError, Problem

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from numpy.typing import NDArray


def whole_number(name: str, value: Any, *, least: int = 1) -> int:
    """``value`` as an ``int`` if it is a whole number ``>= least`` (``bool`` is not)."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < least:
        raise InputError([Problem(name, f"expected a whole number >= {least}, got {value!r}")])
    return int(value)


def projected_years(
    axis: Sequence[int], years: int | Sequence[int] | None, *, name: str = "years"
) -> tuple[int, ...]:
    """The chosen years, each on ``axis`` and given once; ``None`` means every year."""
    if years is None:
        return tuple(int(y) for y in axis)
    wanted = [years] if isinstance(years, int | np.integer) else list(years)
    first, last = axis[0], axis[-1]
    problems = [
        Problem(name, f"{y} is not a projected year; expected one of {first}..{last}")
        for y in wanted
        if isinstance(y, bool) or not isinstance(y, int | np.integer) or int(y) not in axis
    ]
    if not wanted:
        problems.append(Problem(name, f"expected at least one year of {first}..{last}"))
    repeated = sorted({int(y) for y in wanted if wanted.count(y) > 1})
    if repeated:
        problems.append(Problem(name, f"gives {repeated} more than once; expected each once"))
    if problems:
        raise InputError(problems)
    return tuple(int(y) for y in wanted)


def shares(name: str, values: Any) -> tuple[float, ...]:
    """Numbers in [0, 1] (quantile levels, probabilities), at least one."""
    try:
        q = np.atleast_1d(np.asarray(values, dtype=np.float64))
    except (TypeError, ValueError):
        q = np.array([np.nan])
    if q.ndim != 1 or q.size == 0 or not np.isfinite(q).all() or ((q < 0) | (q > 1)).any():
        raise InputError([Problem(name, f"expected shares between 0 and 1, got {values!r}")])
    return tuple(float(x) for x in q)


def overflow_error(
    values: NDArray[np.float64],
    indicators: Sequence[str],
    years: Sequence[int],
    pushing: Mapping[str, Sequence[str]],
    *,
    scenario: str,
) -> InputError:
    """The error of a projection whose values overflowed: where, and what pushed them.

    Parameters
    ----------
    values
        The projected values, ``(indicators, years, draws)``, some not finite.
    indicators, years
        The labels of the first two axes.
    pushing
        Indicator -> the dotted names of the assumptions that move it, largest first.
    scenario
        The scenario's name, for the message.

    Returns
    -------
    InputError
        At the first year, and its first indicator, with a value that is not finite.
    """
    bad = np.argwhere(~np.isfinite(values).all(axis=-1))  # (indicator, year) pairs
    k, t = (int(i) for i in bad[np.argmin(bad[:, 1])])
    name = indicators[k]
    causes = ", ".join(pushing.get(name, ())[:5]) or "its baseline"
    return InputError(
        [
            Problem(
                f"indicators.{name}",
                f"the projection of scenario '{scenario}' grows beyond any number in "
                f"{years[t]} (it overflows); the assumptions pushing it: {causes}; expected "
                "changes of a size the indicator can take (check their units and scale)",
            )
        ]
    )
