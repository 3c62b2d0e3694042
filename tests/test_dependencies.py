"""What a case may not write about dependencies: refused at the file's line, cycle named."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

import recogmodel as rm

if TYPE_CHECKING:
    from pathlib import Path

HEAD = """\
case: deps
title: Dependencies
actor: Someone
start: 2025
horizon: 2030
sources:
  s: {title: S}
drivers:
  d:
    label: D
    weight: 1
    intensity: 0.5
    effects: {a: 0.1}
    sources: [s]
indicators:
  a:
    label: A
    unit: u
    scale: linear
    baseline: {year: 2025, value: 1, sources: [s]}
"""


def load(tmp_path: Path, tail: str) -> rm.CaseFolder:
    (tmp_path / "case.yaml").write_text(HEAD + tail, encoding="utf-8")
    return rm.load_case(tmp_path)


def refused(tmp_path: Path, tail: str) -> rm.InputError:
    with pytest.raises(rm.InputError) as info:
        load(tmp_path, tail)
    return info.value


def test_a_same_year_cycle_is_refused_at_its_line_naming_the_cycle(tmp_path: Path) -> None:
    """Indicator b needs c and c needs b in the same year: the cycle is spelled out."""
    error = refused(
        tmp_path,
        """\
  b:
    label: B
    unit: u
    scale: linear
    formula: a + c
  c:
    label: C
    unit: u
    scale: linear
    baseline: {year: 2025, value: 0, sources: [s]}
    links:
      b: {size: 0.5, lag: 0}
""",
    )
    problem = error.problems[0]
    assert problem.line in (25, 32)  # the formula of b, or the link of c
    assert "same-year cycle" in problem.message
    assert "b -> c -> b" in problem.message or "c -> b -> c" in problem.message
    assert "lag: 1" in problem.message


def test_a_lagged_loop_is_allowed(tmp_path: Path) -> None:
    """Links with a lag of a year look only backwards: a loop of them is fine."""
    folder = load(
        tmp_path,
        """\
    links: {b: 0.2}
  b:
    label: B
    unit: u
    scale: linear
    baseline: {year: 2025, value: 0, sources: [s]}
    links: {a: {size: 0.5, lag: 1}}
""",
    )
    links = folder["baseline"].case.indicators["a"].links
    assert links["b"].lag == 1  # the shorthand: a size, a year's lag


@pytest.mark.parametrize(
    ("tail", "line", "field", "said"),
    [
        (
            "  b: {label: B, unit: u, scale: linear, formula: a / nowhere}\n",
            21,
            "indicators.b.formula",
            "names indicator 'nowhere', which the case does not define; known indicators: a, b",
        ),
        (
            "  b: {label: B, unit: u, scale: linear, formula: a ** 2}\n",
            21,
            "indicators.b.formula",
            "the operator '**'",
        ),
        (
            "    links: {ghost: 0.3}\n",
            21,
            "indicators.a.links.ghost",
            "names indicator 'ghost'",
        ),
        (
            "  b:\n    label: B\n    unit: u\n    scale: linear\n    formula: a * 2\n"
            "    drift: 0.1\n",
            26,
            "indicators.b.drift",
            "a derived indicator (formula) is computed, so it has no drift",
        ),
        (
            "  b: {label: B, unit: u, scale: linear}\n",
            21,
            "indicators.b.baseline",
            "unless it is derived by a formula",
        ),
        (
            "events:\n  e:\n    label: E\n    probability: 0.1\n"
            "    hazard: {drivers: {nobody: -1}}\n",
            25,
            "events.e.hazard.drivers.nobody",
            "names driver 'nobody', which the case does not define; known drivers: d",
        ),
        (
            "    reversion: {to: 5, rate: 1.5}\n",
            21,
            "indicators.a.reversion.rate",
            "1.5 lies outside [0, 1]",
        ),
        (
            "events:\n  e:\n    label: E\n    probability: 0.1\n"
            "    effects:\n      indicators: {a: 1}\n      fade: {half_life: 0}\n",
            27,
            "events.e.effects.fade.half_life",
            "lies outside (0, ∞)",
        ),
    ],
)
def test_bad_dependencies_are_refused_at_their_lines(
    tmp_path: Path, tail: str, line: int, field: str, said: str
) -> None:
    """Unknown names, a bad formula, a derived indicator's own dynamics, bad coefficients."""
    problem = refused(tmp_path, tail).problems[0]
    assert (problem.field, problem.line) == (field, line)
    assert said in problem.message
    assert problem.file is not None
    assert problem.file.name == "case.yaml"


def test_a_driver_cannot_push_a_derived_indicator(tmp_path: Path) -> None:
    """The formula says it all: effects go to its inputs."""
    text = HEAD.replace("effects: {a: 0.1}", "effects: {a: 0.1, b: 0.2}")
    (tmp_path / "case.yaml").write_text(
        text + "  b: {label: B, unit: u, scale: linear, formula: a * 2}\n", encoding="utf-8"
    )
    with pytest.raises(rm.InputError) as info:
        rm.load_case(tmp_path)
    problem = info.value.problems[0]
    assert problem.field == "drivers.d.effects.b"
    assert "derived by its formula" in problem.message
