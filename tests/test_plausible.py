"""Numbers too large for their indicator's scale: warned at their line, with their meaning."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

import recogmodel as rm
from recogmodel.io.plausible import implausible_numbers

from .case_files import CASE, CASE_YAML, case_text, write
from .conftest import SHIPPED

if TYPE_CHECKING:
    from pathlib import Path


def test_shipped_case_has_no_implausible_numbers() -> None:
    """The shipped case's effects, drifts and jumps are all of a plausible size."""
    assert implausible_numbers(rm.load_case(SHIPPED)) == []


def test_log_effect_of_300_reads_as_a_unit_mistake(tmp_path: Path) -> None:
    """An effect of 300 on a log scale is a factor of e^300 a year: warned at its line."""
    write(tmp_path, {CASE: case_text((16, "trade: 0.1 to 0.3", "trade: 300"))})
    (problem,) = implausible_numbers(rm.load_case(tmp_path))
    assert str(problem) == (
        f"{tmp_path / CASE}:16: drivers.trade_push.effects.trade: 300 log units a year is a "
        "factor of e^300 (about 10^130) a year; did you mean a value in USD m? Effects are "
        "changes in the indicator's log scale (expected at most 2 a year)"
    )


@pytest.mark.parametrize(
    ("edit", "field", "fragment"),
    [
        ((35, "drift: -0.02 to 0.04", "drift: 5"), "indicators.trade.drift", "factor of e^5"),
        ((17, "share: 0.2", "share: 40"), "drivers.trade_push.effects.share", "from 1% to beyond"),
        ((24, "count: 1.0", "count: 1000"), "drivers.security.effects.count", "more than 10 times"),
    ],
    ids=["log-drift", "logit-effect", "linear-effect"],
)
def test_each_scale_says_what_the_number_means(
    tmp_path: Path, edit: tuple[int, str, str], field: str, fragment: str
) -> None:
    """Log, logit and linear scales each explain the number in their own terms."""
    write(tmp_path, {CASE: case_text(edit)})
    problems = implausible_numbers(rm.load_case(tmp_path))
    assert [p.field for p in problems] == [field]
    assert fragment in problems[0].message


def test_a_shared_number_is_warned_once(tmp_path: Path) -> None:
    """A number every scenario inherits is one warning, at the case file's line."""
    text = case_text((16, "trade: 0.1 to 0.3", "trade: 300"))
    write(tmp_path, {CASE: text, "alt.yaml": "scenario: alt\n", "b.yaml": "scenario: b\n"})
    problems = implausible_numbers(rm.load_case(tmp_path))
    assert [(p.file, p.line) for p in problems] == [(tmp_path / CASE, 16)]


def test_plausible_case_has_no_warnings(tmp_path: Path) -> None:
    """The small case, as written, warns of nothing."""
    write(tmp_path, {CASE: CASE_YAML})
    assert implausible_numbers(rm.load_case(tmp_path)) == []
