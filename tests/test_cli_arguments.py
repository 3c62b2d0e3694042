"""Reading the command's arguments: counts, seeds, years, priors, --where, --over, executors."""

from __future__ import annotations

import argparse
import sys
from concurrent.futures import Executor, ProcessPoolExecutor

import pytest

import recogmodel as rm
from recogmodel.cli.arguments import (
    Condition,
    condition,
    count,
    executor_for,
    parse_over,
    prior,
    seed,
    years,
)


def test_counts_seeds_years_and_priors_are_read() -> None:
    """Counts take separators, seeds may be 0, years are a comma list, priors NAME=WEIGHT."""
    assert count("10,000") == count("10_000") == 10_000
    assert seed("0") == 0
    assert years("2030, 2035,") == [2030, 2035]
    assert prior(" deepening=2") == ("deepening", 2.0)


@pytest.mark.parametrize(
    ("read", "text", "message"),
    [
        (count, "0", "expected a whole number >= 1, got 0"),
        (count, "many", "expected a whole number, got 'many'"),
        (seed, "-1", "expected a whole number >= 0, got -1"),
        (seed, "1.5", "expected a whole number, got '1.5'"),
        (years, "2030;2035", "expected years separated by commas"),
        (prior, "deepening", "expected NAME=WEIGHT"),
        (prior, "deepening=-1", "with a weight >= 0"),
        (condition, "trade >> 3", "expected 'INDICATOR > VALUE in YEAR'"),
        (condition, "trade > 1.2.3 in 2030", "'1.2.3' is not a number"),
    ],
)
def test_unreadable_arguments_are_usage_errors(read: object, text: str, message: str) -> None:
    """An argument that cannot be read raises argparse's error, saying what was expected."""
    with pytest.raises(argparse.ArgumentTypeError, match=message):
        read(text)  # type: ignore[operator]


def test_condition_reads_side_value_and_year() -> None:
    """--where reads '>' or '<', numbers with separators or percent, and in/by/at a year."""
    assert condition("trade > 1,000 in 2030") == Condition("trade", True, 1000.0, 2030)
    below = condition(" share < 5% by 2028 ")
    assert below == Condition("share", False, 0.05, 2028)
    assert below.side == "below"
    assert below.label == "share median below 0.05 in 2028"


def test_parse_over_reads_command_line_ranges() -> None:
    """FIELD=low to high, FIELD=low:high (percent understood) and a bare FIELD are read."""
    got = parse_over(
        [
            "indicators.bilateral_trade.drift=0.0 to 0.15",
            "drivers.market_access.weight=0.2:0.5",
            "events.salang_contract.probability = 5%:25%",
            "drivers.leverage.effects.aid_reach=-0.1 to 0.1",
            "indicators.aid_reach.drift",
        ]
    )
    assert got == {
        "indicators.bilateral_trade.drift": (0.0, 0.15),
        "drivers.market_access.weight": (0.2, 0.5),
        "events.salang_contract.probability": (0.05, 0.25),
        "drivers.leverage.effects.aid_reach": (-0.1, 0.1),
        "indicators.aid_reach.drift": None,
    }


@pytest.mark.parametrize(
    ("texts", "message"),
    [
        (["a.b=0.3 to 0.1"], '--over: "a.b=0.3 to 0.1": .*low end must be below high end'),
        (["a.b=x:1"], '--over: "a.b=x:1": could not read "x"'),
        (["a.b=1:2:3"], 'expected "low:high"'),
        (["=0:1"], "expected FIELD=RANGE"),
        (["a.b=0:1", "a.b=1:2"], "a.b is given more than once"),
    ],
)
def test_parse_over_errors_name_the_argument(texts: list[str], message: str) -> None:
    """An unreadable --over argument is an InputError quoting it."""
    with pytest.raises(rm.InputError, match=message):
        parse_over(texts)


def test_executor_for_gives_what_the_command_line_asks() -> None:
    """No workers runs in process; --workers K is a process pool; bad values are refused."""
    with executor_for() as none, executor_for(workers=1) as one:
        assert none is None
        assert one is None
    with executor_for(workers=2) as pool:
        assert isinstance(pool, ProcessPoolExecutor)
        assert pool.submit(abs, -3).result() == 3
    with pytest.raises(rm.InputError, match="--workers"), executor_for(workers=-1):
        pass
    with (
        pytest.raises(rm.InputError, match="give --workers or --scheduler"),
        executor_for(workers=2, scheduler="tcp://127.0.0.1:1"),
    ):
        pass


def test_executor_for_a_scheduler_without_dask_names_the_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Asking for a Dask scheduler without Dask installed names recogmodel[dask]."""
    monkeypatch.setitem(sys.modules, "dask.distributed", None)
    with (
        pytest.raises(rm.MissingExtraError, match=r"recogmodel\[dask\]"),
        executor_for(scheduler="tcp://127.0.0.1:8786"),
    ):
        pass


def test_executor_for_a_local_dask_cluster_runs_tasks() -> None:
    """--scheduler local starts a local Dask cluster whose executor runs tasks, then stops it."""
    pytest.importorskip("dask.distributed")
    with executor_for(workers=1, scheduler="local") as executor:
        assert isinstance(executor, Executor)
        assert executor.submit(abs, -4).result() == 4
