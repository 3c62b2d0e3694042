"""Reading the command's arguments: the one place that knows the flags.

The ``argparse`` types (:func:`count`, :func:`seed`, :func:`years`, :func:`prior`,
:func:`condition`) turn one argument's text into a value or raise
``argparse.ArgumentTypeError``, which argparse reports as a usage error (exit 2).
:func:`parse_over` and :func:`executor_for` read ``--over`` and ``--workers`` /
``--scheduler``; their errors are input errors (:class:`~recogmodel.errors.InputError`)
naming the flag.
The library below never sees a flag: it names its Python arguments.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .._checks import whole_number
from ..errors import InputError, MissingExtraError, Problem
from ..exploration import parse_range
from ..model.estimates import FixedEstimate, parse_estimate

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence
    from concurrent.futures import Executor

__all__ = [
    "Condition",
    "condition",
    "count",
    "executor_for",
    "parse_over",
    "prior",
    "seed",
    "years",
]


def count(text: str) -> int:
    """A count of draws or points: a whole number >= 1 (``10,000`` and ``10_000`` read).

    Parameters
    ----------
    text
        The ``--draws`` or ``--samples`` argument as typed.

    Returns
    -------
    int
        The count, or ``argparse.ArgumentTypeError`` if ``text`` is not one.
    """
    return _whole(text, text.replace(",", "").replace("_", ""), least=1)


def seed(text: str) -> int:
    """A seed: a whole number >= 0, as typed (no separators).

    Parameters
    ----------
    text
        The ``--seed`` argument.

    Returns
    -------
    int
        The seed, or ``argparse.ArgumentTypeError`` if ``text`` is not one.
    """
    return _whole(text, text, least=0)


def _whole(text: str, digits: str, *, least: int) -> int:
    """``digits`` as a whole number if the library's rule admits it, in the rule's words."""
    try:
        value = int(digits)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got '{text}'") from None
    try:
        return whole_number("", value, least=least)
    except InputError as exc:
        raise argparse.ArgumentTypeError(exc.problems[0].message) from None


def years(text: str) -> list[int]:
    """Years separated by commas, ``2030,2035`` (checked against the case by the command).

    Parameters
    ----------
    text
        The argument as typed; empty parts are skipped.

    Returns
    -------
    list[int]
        The years, in the order given.

    Raises
    ------
    argparse.ArgumentTypeError
        If a part is not a whole number.
    """
    try:
        return [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected years separated by commas, e.g. 2030,2035; got '{text}'"
        ) from None


def prior(text: str) -> tuple[str, float]:
    """A scenario's prior weight, ``NAME=WEIGHT`` with a weight >= 0.

    Parameters
    ----------
    text
        The argument as typed.

    Returns
    -------
    tuple[str, float]
        The scenario's name and its weight.

    Raises
    ------
    argparse.ArgumentTypeError
        If there is no ``=``, no name, or the weight is not a number >= 0.
    """
    name, sep, weight = text.partition("=")
    try:
        value = float(weight)
    except ValueError:
        value = float("nan")
    if not sep or not name or not value >= 0:
        raise argparse.ArgumentTypeError(
            f"expected NAME=WEIGHT with a weight >= 0, e.g. deepening=2; got '{text}'"
        )
    return name.strip(), value


@dataclass(frozen=True)
class Condition:
    """``--where``: an indicator's median above or below a value in a year."""

    indicator: str
    """The indicator's key."""
    above: bool
    """``True`` for ``>``, ``False`` for ``<``."""
    value: float
    """The threshold, in the indicator's units."""
    year: int
    """The year the condition is read in."""

    @property
    def side(self) -> str:
        """``"above"`` or ``"below"``."""
        return "above" if self.above else "below"

    @property
    def label(self) -> str:
        """The condition in words, as the region's table is headed."""
        return f"{self.indicator} median {self.side} {self.value:g} in {self.year}"


_CONDITION = re.compile(r"^\s*(\w+)\s*([<>])\s*([-+\d.,eE%]+)\s+(?:in|by|at)\s+(\d{4})\s*$")


def condition(text: str) -> Condition:
    """Read ``'INDICATOR > VALUE in YEAR'`` (or ``<``; ``by`` and ``at`` for ``in``).

    Parameters
    ----------
    text
        The ``--where`` argument as typed; the value may have separators or a percent sign.

    Returns
    -------
    Condition
        The indicator, the side, the value and the year.

    Raises
    ------
    argparse.ArgumentTypeError
        If ``text`` is not of that form, or the value is not a number.
    """
    match = _CONDITION.match(text)
    if match is None:
        raise argparse.ArgumentTypeError(
            f"expected 'INDICATOR > VALUE in YEAR' (or <), e.g. 'bilateral_trade > 1000 in "
            f"2030'; got '{text}'"
        )
    indicator, side, value, year = match.groups()
    try:
        number = parse_estimate(value)
    except InputError:
        number = None
    if not isinstance(number, FixedEstimate):
        raise argparse.ArgumentTypeError(f"'{value}' is not a number (in '{text}')")
    return Condition(indicator, side == ">", number.value, int(year))


def parse_over(texts: Sequence[str]) -> dict[str, tuple[float, float] | None]:
    """Read ``--over FIELD=RANGE`` arguments into the ``over`` of :func:`recogmodel.explore`.

    ``RANGE`` is ``low to high`` or ``low:high`` (``5% to 15%`` understood); a bare
    ``FIELD`` sweeps the assumption's stated range (``None``). Names are checked against
    the scenario by :func:`recogmodel.explore`.

    Parameters
    ----------
    texts
        The ``--over`` arguments, as typed.

    Returns
    -------
    dict[str, tuple[float, float] | None]
        Dotted assumption name -> ``(low, high)``, or ``None`` for its stated range.

    Raises
    ------
    InputError
        Naming ``--over`` and quoting each argument that cannot be read.
    """
    out: dict[str, tuple[float, float] | None] = {}
    problems: list[Problem] = []
    for text in texts:
        name, sep, spec = text.partition("=")
        name = name.strip()
        if not name or " " in name:
            problems.append(
                Problem(
                    "--over",
                    f'"{text}": expected FIELD=RANGE, e.g. '
                    '"indicators.bilateral_trade.drift=0 to 0.15"',
                )
            )
            continue
        if name in out:
            problems.append(Problem("--over", f'"{text}": {name} is given more than once'))
            continue
        if not sep:
            out[name] = None
            continue
        try:
            out[name] = parse_range(spec)
        except ValueError as exc:
            problems.append(Problem("--over", f'"{text}": {exc}'))
    if problems:
        raise InputError(problems)
    return out


@contextlib.contextmanager
def executor_for(
    workers: int | None = None, scheduler: str | None = None
) -> Iterator[Executor | None]:
    """The executor that ``--workers K`` / ``--scheduler ADDRESS`` ask for.

    - neither, or ``workers=1``: ``None`` (run in this process);
    - ``workers=K``: a process pool of K workers (``0``: one per core);
    - ``scheduler=ADDRESS`` (e.g. ``tcp://10.0.0.5:8786``): the executor of a Dask client
      connected to that scheduler; ``scheduler="local"``: a local Dask cluster of
      ``workers`` processes (default one per core).

    The pool, client or cluster is shut down when the block ends.

    Parameters
    ----------
    workers
        The value of ``--workers``.
    scheduler
        The value of ``--scheduler``.

    Yields
    ------
    concurrent.futures.Executor or None
        What to pass as ``executor=`` to :func:`recogmodel.explore`.

    Raises
    ------
    InputError
        Invalid ``--workers``, both a remote scheduler and ``--workers``, or a scheduler
        that cannot be reached.
    MissingExtraError
        A scheduler was asked for but Dask is not installed (extra ``recogmodel[dask]``).
    """
    if workers is not None and (
        isinstance(workers, bool) or not isinstance(workers, int) or workers < 0
    ):
        raise _input("--workers", f"expected a whole number >= 0, got {workers!r}")
    if scheduler is None:
        if workers is None or workers == 1:
            yield None
            return
        with ProcessPoolExecutor(workers or os.cpu_count() or 1) as pool:
            yield pool
        return
    distributed = _distributed()
    if scheduler == "local":
        with (
            distributed.LocalCluster(
                n_workers=workers or None, threads_per_worker=1, dashboard_address=":0"
            ) as cluster,
            distributed.Client(cluster) as client,
        ):
            yield client.get_executor()
        return
    if workers is not None:
        raise _input(
            "--workers",
            "a Dask scheduler's cluster has its own workers; give --workers or --scheduler "
            "ADDRESS, not both (or --scheduler local --workers K for a local cluster)",
        )
    try:
        client = distributed.Client(scheduler)
    except (OSError, ValueError) as exc:
        raise _input(
            "--scheduler", f"cannot connect to the Dask scheduler at {scheduler}: {exc}"
        ) from None
    with client:
        yield client.get_executor()


def _distributed() -> Any:
    try:
        import dask.distributed
    except ImportError:
        raise MissingExtraError(
            "running on a Dask cluster needs dask.distributed; install it with: "
            "pip install 'recogmodel[dask]'"
        ) from None
    return dask.distributed


def _input(flag: str, message: str) -> InputError:
    return InputError([Problem(flag, message)])
