"""Case folders: files resolved through ``extends`` into scenarios, every refusal at its line."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

import pytest
import yaml

import recogmodel as rm
from recogmodel.errors import Problem
from recogmodel.model.estimates import NormalEstimate, PertEstimate, UniformEstimate

from .case_files import (
    CASE,
    CASE_YAML,
    Bad,
    assert_refused_at_its_line,
    bad,
    case_text,
    with_scenario,
    write,
)
from .conftest import small_case_data

if TYPE_CHECKING:
    from pathlib import Path

CYCLE_A = "scenario: a\nextends: b\n"
CYCLE_B = "scenario: b\nextends: a\n"
SIGNPOST = "scenario: alt\nsignposts:\n  - indicator: {}\n    by: {}\n    {}: {}\n"

FOLDER_INPUTS = [
    # ---- keys -----------------------------------------------------------------------------
    bad(
        "unknown-key-did-you-mean",
        {CASE: case_text((21, "weight: 0.5", "weight: 0.5\n    wieght: 0.3"))},
        (CASE, 22, "drivers.security.wieght"),
        "unknown field (did you mean 'weight'?)",
        "expected one of: label, description, weight, intensity, effects, sources",
    ),
    bad(
        "unknown-top-level-key",
        {CASE: case_text((5, "horizon: 2030", "horizon: 2030\nhorizn: 2031"))},
        (CASE, 6, "horizn"),
        "unknown field (did you mean 'horizon'?)",
    ),
    bad(
        "unknown-key-in-scenario-did-you-mean",
        with_scenario("alt.yaml", "scenario: alt\nnarative: Why.\n"),
        ("alt.yaml", 2, "narative"),
        "did you mean 'narrative'?",
    ),
    bad(
        "key-not-an-identifier",
        {CASE: case_text((19, "security", "Bad-Key"))},
        (CASE, 19, "drivers.Bad-Key"),
        "'Bad-Key' is not a valid name",
        "expected lower-case letters, digits and underscores",
    ),
    bad(
        "driver-without-sources",
        {CASE: case_text((25, "sources: [src]", "description: No sources."))},
        (CASE, 19, "drivers.security.sources"),
        "required field is missing",
    ),
    bad(
        "missing-top-level-field",
        {CASE: case_text((5, "horizon: 2030", "description: No horizon."))},
        (CASE, 1, "horizon"),
        "required field is missing",
    ),
    bad(
        "list-where-mapping-expected",
        {CASE: case_text((7, "{title: A source, date: 2025-07}", "[A source, 2025-07]"))},
        (CASE, 7, "sources.src"),
        "expected a mapping of keys to values, got ['A source', '2025-07']",
    ),
    # ---- cross references -----------------------------------------------------------------
    bad(
        "effect-on-unknown-indicator",
        {CASE: case_text((17, "share", "shares"))},
        (CASE, 17, "drivers.trade_push.effects.shares"),
        "names indicator 'shares', which the case does not define",
        "known indicators: count, share, trade",
    ),
    bad(
        "unknown-source",
        {CASE: case_text((18, "[src]", "[src, nowhere]"))},
        (CASE, 18, "drivers.trade_push.sources.1"),
        "names source 'nowhere', which the case does not define",
        "known sources: src",
    ),
    # ---- estimates ------------------------------------------------------------------------
    bad(
        "low-above-high",
        {CASE: case_text((11, "0.2 to 0.4", "0.5 to 0.2"))},
        (CASE, 11, "drivers.trade_push.weight"),
        '"0.5 to 0.2": low end must be below high end',
    ),
    bad(
        "percent-on-low-end-only",
        {CASE: case_text((11, "0.2 to 0.4", "5% to 25"))},
        (CASE, 11, "drivers.trade_push.weight"),
        '"5% to 25": only the low end is a percentage',
        'write "5% to 25%" or "5 to 25%"',
    ),
    bad(
        "probability-word-for-growth-rate",
        {CASE: case_text((35, "-0.02 to 0.04", "likely"))},
        (CASE, 35, "indicators.trade.drift"),
        "'likely' is a probability word, but this field is not a probability",
        'expected a number, "A to B"',
    ),
    bad(
        "word-not-in-yardstick",
        {CASE: case_text((58, "unlikely", "maybe"))},
        (CASE, 58, "events.recognition.probability"),
        "'maybe' is not a probability word of the icd203 yardstick",
        "'roughly even chance'",
    ),
    bad(
        "phia-word-in-icd203-case",
        {CASE: case_text((58, "unlikely", "realistic possibility"))},
        (CASE, 58, "events.recognition.probability"),
        "'realistic possibility' is not a probability word of the icd203 yardstick",
        "'roughly even chance'",
    ),
    bad(
        "icd203-word-in-phia-case",
        {
            CASE: case_text(
                (5, "horizon: 2030", "horizon: 2030\nyardstick: phia"),
                (58, "unlikely", "roughly even chance"),
            )
        },
        (CASE, 59, "events.recognition.probability"),
        "'roughly even chance' is not a probability word of the phia yardstick",
        "'realistic possibility'",
    ),
    bad(
        "word-read-on-another-yardstick",
        {CASE: case_text((58, "unlikely", "{dist: word, word: likely, yardstick: phia}"))},
        (CASE, 58, "events.recognition.probability"),
        "'likely' is read on the phia yardstick but the case uses icd203",
    ),
    bad(
        "nan",
        {CASE: case_text((35, "-0.02 to 0.04", ".nan"))},
        (CASE, 35, "indicators.trade.drift"),
        "expected a finite number, got nan",
    ),
    bad(
        "inf-in-bounds",
        {CASE: case_text((54, "50", ".inf"))},
        (CASE, 54, "indicators.count.bounds.1"),
        "expected a finite number, got inf",
    ),
    bad(
        "minus-inf-baseline",
        {CASE: case_text((33, "250 to 350", "-.inf"))},
        (CASE, 33, "indicators.trade.baseline.value"),
        "expected a finite number, got -inf",
    ),
    bad(
        "unknown-distribution",
        {CASE: case_text((35, "-0.02 to 0.04", "{dist: gamma, low: 1, high: 2}"))},
        (CASE, 35, "indicators.trade.drift"),
        "'gamma'",
        "'normal', 'lognormal', 'uniform'",
    ),
    bad(
        "pert-out-of-order",
        {CASE: case_text((35, "-0.02 to 0.04", "{dist: pert, low: 1, mode: 3, high: 2}"))},
        (CASE, 35, "indicators.trade.drift"),
        "needs low <= mode <= high",
    ),
    # ---- domains --------------------------------------------------------------------------
    bad(
        "weight-interval-below-0",
        {CASE: case_text((11, "0.2 to 0.4", "-0.5 to 0.2"))},
        (CASE, 11, "drivers.trade_push.weight"),
        "-0.5 to 0.2 lies outside [0, ∞), the domain of a driver weight",
    ),
    bad(
        "intensity-above-1",
        {CASE: case_text((13, "0.6", "1.5"))},
        (CASE, 13, "drivers.trade_push.intensity.start"),
        "1.5 lies outside [0, 1], the domain of an intensity",
    ),
    bad(
        "probability-interval-above-1",
        {CASE: case_text((66, "0.5", "0.5 to 1.5"))},
        (CASE, 66, "events.contract.probability"),
        "0.5 to 1.5 lies outside [0, 1], the domain of a probability",
    ),
    bad(
        "probability-above-1",
        {CASE: case_text((66, "0.5", "1.2"))},
        (CASE, 66, "events.contract.probability"),
        "1.2 lies outside [0, 1], the domain of a probability",
    ),
    bad(
        "every-weight-fixed-at-0",
        {CASE: case_text((11, "0.2 to 0.4", "0"), (21, "0.5", "0"))},
        (CASE, 8, "drivers"),
        "every driver's weight is fixed at 0",
        "expected at least one weight that can be positive",
    ),
    # ---- indicators -----------------------------------------------------------------------
    bad(
        "logit-bounds-0-1",
        {CASE: case_text((45, "volatility: 0.2", "volatility: 0.2\n    bounds: [0, 1]"))},
        (CASE, 46, "indicators.share.bounds"),
        "a logit indicator's bounds must lie inside (0, 1)",
        count=2,
    ),
    bad(
        "baseline-outside-bounds",
        {CASE: case_text((52, "1", "0"))},
        (CASE, 52, "indicators.count.baseline.value"),
        "0 lies outside [1, 50], the indicator's bounds",
    ),
    bad(
        "baseline-year-after-start",
        {CASE: case_text((32, "2024", "2026"))},
        (CASE, 32, "indicators.trade.baseline.year"),
        "baseline year 2026 is after the case's start 2025",
        "expected a year at or before it",
    ),
    bad(
        "horizon-before-start",
        {CASE: case_text((5, "2030", "2020"))},
        (CASE, 5, "horizon"),
        "horizon 2020 must be after start 2025",
        count=2,  # the contract's year 2027 is now outside the projection too
    ),
    # ---- events ---------------------------------------------------------------------------
    bad(
        "event-with-year-and-recurring",
        {CASE: case_text((65, "year: 2027", "year: 2027\n    recurring: true"))},
        (CASE, 66, "events.contract.recurring"),
        "an event at a fixed year (2027) cannot recur",
    ),
    bad(
        "event-without-probability-or-year",
        {CASE: case_text((58, "probability: unlikely", "description: No chance given."))},
        (CASE, 56, "events.recognition"),
        "needs a probability (chance per year) or a year (when it happens)",
    ),
    bad(
        "event-year-after-horizon",
        {CASE: case_text((65, "2027", "2031"))},
        (CASE, 65, "events.contract.year"),
        "year 2031 is outside the projected steps 2026..2030",
    ),
    bad(
        "event-year-at-start",
        {CASE: case_text((65, "2027", "2025"))},
        (CASE, 65, "events.contract.year"),
        "year 2025 is outside the projected steps 2026..2030",
    ),
    # ---- scenario files -------------------------------------------------------------------
    bad(
        "extends-cycle",
        {CASE: CASE_YAML, "a.yaml": CYCLE_A, "b.yaml": CYCLE_B},
        ("b.yaml", 2, "extends"),
        "extends cycle: a → b → a",
        "expected a chain that ends at the case",
        count=2,  # found once from each end
    ),
    bad(
        "extends-itself",
        with_scenario("a.yaml", "scenario: a\nextends: a\n"),
        ("a.yaml", 2, "extends"),
        "extends cycle: a → a",
    ),
    bad(
        "extends-unknown-scenario",
        with_scenario("a.yaml", "scenario: a\ntitle: A\nextends: nowhere\n"),
        ("a.yaml", 3, "extends"),
        "extends 'nowhere', which is not a scenario of this case",
        "expected one of: baseline, a",
    ),
    bad(
        "scenario-name-not-file-stem",
        with_scenario("a.yaml", "title: A\nscenario: b\n"),
        ("a.yaml", 2, "scenario"),
        "names the scenario 'b' but the file is a.yaml; expected 'scenario: a'",
    ),
    bad(
        "missing-scenario-key",
        with_scenario("a.yaml", "title: A\n"),
        ("a.yaml", 1, "scenario"),
        "a scenario file needs 'scenario: a'",
    ),
    bad(
        "scenario-name-not-an-identifier",
        with_scenario("Alt.yaml", "scenario: Alt\n"),
        ("Alt.yaml", 1, "scenario"),
        "'Alt' is not a valid name",
    ),
    bad(
        "scenario-draws-0-in-yml-file",
        with_scenario("alt.yml", "scenario: alt\ndraws: 0\n"),
        ("alt.yml", 2, "draws"),
        "greater than 0",
    ),
    bad(
        "overlay-effect-on-unknown-indicator",
        with_scenario(
            "alt.yaml", "scenario: alt\ndrivers:\n  security:\n    effects:\n      nowhere: 0.3\n"
        ),
        ("alt.yaml", 5, "drivers.security.effects.nowhere"),
        "names indicator 'nowhere', which the case does not define",
    ),
    bad(
        "overlay-low-above-high",
        with_scenario(
            "alt.yaml", "scenario: alt\ndrivers:\n  trade_push:\n    weight: 0.5 to 0.2\n"
        ),
        ("alt.yaml", 4, "drivers.trade_push.weight"),
        '"0.5 to 0.2": low end must be below high end',
    ),
    bad(
        "overlay-plain-intensity-above-1",
        with_scenario("alt.yaml", "scenario: alt\ndrivers:\n  trade_push:\n    intensity: 1.5\n"),
        ("alt.yaml", 4, "drivers.trade_push.intensity"),
        "1.5 lies outside [0, 1], the domain of an intensity",
    ),
    bad(
        "overlay-shorthand-effect-field-path",
        with_scenario(
            "alt.yaml",
            "scenario: alt\ndrivers:\n  trade_push:\n    effects:\n      trade: likely\n",
        ),
        ("alt.yaml", 5, "drivers.trade_push.effects.trade"),
        "'likely' is a probability word",
    ),
    # ---- signposts ------------------------------------------------------------------------
    bad(
        "signpost-unknown-indicator",
        with_scenario("alt.yaml", SIGNPOST.format("trad", 2027, "above", 400)),
        ("alt.yaml", 3, "signposts.0.indicator"),
        "names indicator 'trad', which the case does not define",
        "known indicators: count, share, trade",
    ),
    bad(
        "signpost-after-horizon",
        with_scenario("alt.yaml", SIGNPOST.format("trade", 2031, "above", 400)),
        ("alt.yaml", 4, "signposts.0.by"),
        "year 2031 is outside the projected years 2026..2030",
    ),
    bad(
        "signpost-at-start",
        with_scenario("alt.yaml", SIGNPOST.format("trade", 2025, "above", 400)),
        ("alt.yaml", 4, "signposts.0.by"),
        "year 2025 is outside the projected years 2026..2030",
    ),
    bad(
        "signpost-above-and-below",
        with_scenario(
            "alt.yaml", SIGNPOST.format("trade", 2028, "above", 400) + "    below: 100\n"
        ),
        ("alt.yaml", 3, "signposts.0"),
        "needs exactly one of 'above' or 'below'",
    ),
    bad(
        "signpost-threshold-out-of-reach",
        with_scenario("alt.yaml", SIGNPOST.format("share", 2028, "above", 1.5)),
        ("alt.yaml", 5, "signposts.0.above"),
        "threshold 1.5 lies outside (0, 1), where indicator 'share' can never go",
    ),
    # ---- correlations ---------------------------------------------------------------------
    bad(
        "correlation-unknown-assumption",
        with_scenario(
            "alt.yaml",
            "scenario: alt\ncorrelations:\n"
            "  - [drivers.trade_push.weight, drivers.trade_push.wait, 0.5]\n",
        ),
        ("alt.yaml", 3, "correlations.0.between.1"),
        "'drivers.trade_push.wait' is not an assumption of the scenario",
        "expected a dotted name such as drivers.trade_push.weight",
    ),
    bad(
        "correlation-on-fixed-assumption",
        with_scenario(
            "alt.yaml",
            "scenario: alt\ncorrelations:\n"
            "  - [drivers.trade_push.weight, drivers.security.weight, 0.5]\n",
        ),
        ("alt.yaml", 3, "correlations.0.between.1"),
        "'drivers.security.weight' is fixed, so it cannot be correlated; give it a range",
    ),
    bad(
        "correlation-rho-1.5",
        with_scenario(
            "alt.yaml",
            "scenario: alt\ncorrelations:\n"
            "  - [drivers.trade_push.weight, indicators.trade.drift, 1.5]\n",
        ),
        ("alt.yaml", 3, "correlations.0"),
        "rho 1.5 must lie strictly between -1 and 1",
    ),
    bad(
        "correlations-not-positive-definite",
        with_scenario(
            "alt.yaml",
            "scenario: alt\ncorrelations:\n"
            "  - [drivers.trade_push.weight, indicators.trade.drift, 0.9]\n"
            "  - [indicators.trade.drift, drivers.trade_push.intensity.trend, 0.9]\n"
            "  - [drivers.trade_push.weight, drivers.trade_push.intensity.trend, -0.9]\n",
        ),
        ("alt.yaml", 2, "correlations"),
        "the correlations together are impossible (the matrix is not positive definite)",
    ),
    # ---- issue 16: names, history, text ---------------------------------------------------
    bad(
        "file-name-not-a-name-suggests-a-valid-one",
        with_scenario("Boom-2.yaml", "narrative: A boom.\n"),
        ("Boom-2.yaml", 1, "scenario"),
        "a scenario file needs 'scenario: boom_2'",
        "and the file renamed boom_2.yaml",
    ),
    bad(
        "scenario-name-and-invalid-file-name-differ",
        with_scenario("Boom-2.yaml", "scenario: boom\n"),
        ("Boom-2.yaml", 1, "scenario"),
        "names the scenario 'boom' but the file is Boom-2.yaml; expected the file renamed "
        "boom.yaml",
    ),
    bad(
        "extends-a-file-that-failed-is-told-once",
        {
            CASE: CASE_YAML,
            "a.yaml": "scenario: a\ndraws: 0\n",
            "b.yaml": "scenario: b\nextends: a\n",
            "c.yaml": "scenario: c\nextends: b\n",
        },
        ("a.yaml", 2, "draws"),
        "input should be greater than 0",
    ),
    bad(
        "history-year-after-the-start",
        {
            CASE: case_text(
                (
                    34,
                    "sources: [src]",
                    "sources: [src]\n    history:\n      2026: {value: 300, sources: [src]}",
                )
            )
        },
        (CASE, 36, "indicators.trade.history.2026"),
        "history year 2026 is after the case's start 2025",
    ),
    bad(
        "history-value-negative-on-a-log-scale",
        {
            CASE: case_text(
                (
                    34,
                    "sources: [src]",
                    "sources: [src]\n    history:\n      2020: {value: -5, sources: [src]}",
                )
            )
        },
        (CASE, 36, "indicators.trade.history.2020.value"),
        "-5 lies outside (0, ∞), the indicator's scale",
    ),
    bad(
        "beta-alpha-0-reported-at-alpha",
        {CASE: case_text((11, "weight: 0.2 to 0.4", "weight: {dist: beta, alpha: 0, beta: 2}"))},
        (CASE, 11, "drivers.trade_push.weight.alpha"),
        "input should be greater than 0",
    ),
    bad(
        "label-with-a-line-break",
        {CASE: case_text((28, "label: Trade", 'label: "Tr\\nade"'))},
        (CASE, 28, "indicators.trade.label"),
        "holds a line break (\\n) at character 3; expected one line of plain text",
    ),
    bad(
        "unit-with-an-escape-code",
        {CASE: case_text((29, "unit: USD m", 'unit: "USD\\e[31m m"'))},
        (CASE, 29, "indicators.trade.unit"),
        "holds a control character (\\x1b) at character 4",
    ),
    bad(
        "title-too-long",
        {CASE: case_text((2, "title: A small case", "title: " + "t" * 201))},
        (CASE, 2, "title"),
        "string should have at most 200 characters",
    ),
    bad(
        "narrative-with-a-bell",
        with_scenario("alt.yaml", 'scenario: alt\nnarrative: "ding\\a"\n'),
        ("alt.yaml", 2, "narrative"),
        "holds a control character (\\x07)",
    ),
]


def test_case_text_is_the_small_case(tmp_path: Path) -> None:
    """The hand-written case text is the conftest small case, and it loads."""
    assert yaml.safe_load(CASE_YAML) == small_case_data()
    write(tmp_path, {CASE: CASE_YAML})
    assert rm.load_case(tmp_path).case == rm.Case.model_validate(small_case_data())


def test_table_is_large_enough() -> None:
    """The table of malformed case and scenario files covers at least 50 cases."""
    assert len(FOLDER_INPUTS) >= 50


@pytest.mark.parametrize("bad", FOLDER_INPUTS)
def test_malformed_input_is_refused_at_its_line(tmp_path: Path, bad: Bad) -> None:
    """A malformed file is refused naming its file, line and field, and what was expected."""
    assert_refused_at_its_line(tmp_path, bad)


def test_error_lines_read_file_line_field_message(tmp_path: Path) -> None:
    """Each line of an error's text is FILE:LINE: dotted.field: message, one per problem."""
    write(tmp_path, {CASE: case_text((5, "2030", "2020"))})
    with pytest.raises(rm.ScenarioFileError) as info:
        rm.load_case(tmp_path)
    lines = str(info.value).splitlines()
    assert len(lines) == len(info.value.problems) == 2
    for text, problem in zip(lines, info.value.problems, strict=True):
        match = re.fullmatch(r"(.+):(\d+): ([\w.()-]+): (.+)", text)
        assert match is not None, text
        assert match.groups() == (
            str(problem.file),
            str(problem.line),
            problem.field,
            problem.message,
        )
    assert info.value.field == "horizon"
    assert info.value.line == 5
    assert info.value.file == tmp_path / CASE


def test_scenario_file_error_is_an_input_error_and_value_error(tmp_path: Path) -> None:
    """A file error can be caught as InputError, RecogmodelError or ValueError."""
    write(tmp_path, {CASE: ""})
    with pytest.raises(ValueError, match="the file is empty") as info:
        rm.load_case(tmp_path)
    assert isinstance(info.value, rm.InputError)
    assert isinstance(info.value, rm.RecogmodelError)
    assert all(isinstance(p, Problem) for p in info.value.problems)


def test_problems_in_several_files_are_reported_together(tmp_path: Path) -> None:
    """Problems in different scenario files come back in one error, each at its own file."""
    write(
        tmp_path,
        {
            CASE: CASE_YAML,
            "alt.yaml": "scenario: alt\ndraws: 0\n",
            "other.yaml": "scenario: other\nseed: -1\n",
        },
    )
    with pytest.raises(rm.ScenarioFileError) as info:
        rm.load_case(tmp_path)
    where = {(p.file.name if p.file else None, p.line, p.field) for p in info.value.problems}
    assert where == {("alt.yaml", 2, "draws"), ("other.yaml", 2, "seed")}


# ---------------------------------------------------------------------------------------
# Overlays: scenarios deep-merged over the case.


def folder(tmp_path: Path, **scenarios: str) -> rm.CaseFolder:
    """Write the small case (dumped from conftest's data) and scenario files, and load them."""
    text = yaml.safe_dump(small_case_data(), sort_keys=False, allow_unicode=True)
    (tmp_path / CASE).write_text(text, encoding="utf-8")
    for name, body in scenarios.items():
        (tmp_path / f"{name}.yaml").write_text(body, encoding="utf-8")
    return rm.load_case(tmp_path)


def test_overlay_mapping_keeps_unmentioned_keys(tmp_path: Path) -> None:
    """An overlay setting only an intensity's trend keeps the case's start."""
    loaded = folder(
        tmp_path,
        alt="scenario: alt\ndrivers:\n"
        "  trade_push:\n    intensity: {trend: 0.05}\n"
        "  security:\n    intensity: {trend: -0.02}\n",
    )
    drivers = loaded["alt"].case.drivers
    assert drivers["trade_push"].intensity.start.mean() == 0.6
    assert drivers["trade_push"].intensity.trend.mean() == 0.05
    # security's case intensity is the shorthand `intensity: 0.5`: expanded before the merge
    assert drivers["security"].intensity.start.mean() == 0.5
    assert drivers["security"].intensity.trend.mean() == -0.02
    assert drivers["trade_push"].weight == loaded.case.drivers["trade_push"].weight


def test_overlay_plain_intensity_is_constant(tmp_path: Path) -> None:
    """`intensity: 0.7` is `{start: 0.7, trend: 0}` (DESIGN, Overlays): it replaces the trend."""
    loaded = folder(tmp_path, alt="scenario: alt\ndrivers:\n  trade_push:\n    intensity: 0.7\n")
    intensity = loaded["alt"].case.drivers["trade_push"].intensity
    assert intensity.start.mean() == 0.7
    assert intensity.trend.is_fixed
    assert intensity.trend.mean() == 0.0
    assert isinstance(loaded.case.drivers["trade_push"].intensity.trend, NormalEstimate)


def test_overlay_estimate_mapping_replaces_whole(tmp_path: Path) -> None:
    """An estimate written as a mapping replaces the parent's whole: no keys are left over."""
    loaded = folder(
        tmp_path,
        a="scenario: a\ndrivers:\n  trade_push:\n"
        "    weight: {dist: pert, low: 0.1, mode: 0.2, high: 0.4}\n",
        b="scenario: b\nextends: a\ndrivers:\n  trade_push:\n"
        "    weight: {dist: uniform, low: 0.2, high: 0.3}\n",
    )
    assert isinstance(loaded["a"].case.drivers["trade_push"].weight, PertEstimate)
    weight = loaded["b"].case.drivers["trade_push"].weight
    assert weight == UniformEstimate(low=0.2, high=0.3)
    assert weight.model_dump() == {"dist": "uniform", "low": 0.2, "high": 0.3}


def test_overlay_lists_replace(tmp_path: Path) -> None:
    """Lists in an overlay replace the parent's list rather than extending it."""
    loaded = folder(
        tmp_path,
        alt="scenario: alt\nsources:\n  other: {title: Another source}\n"
        "drivers:\n  trade_push:\n    sources: [other]\n"
        "indicators:\n  count:\n    bounds: [0, 100]\n",
    )
    case = loaded["alt"].case
    assert case.drivers["trade_push"].sources == ["other"]
    assert case.drivers["security"].sources == ["src"]
    assert case.indicators["count"].bounds == (0, 100)
    assert sorted(case.sources) == ["other", "src"]


def test_extends_chain_accumulates_changes(tmp_path: Path) -> None:
    """C extends b extends a: c sees both a's and b's changes, and records its lineage."""
    loaded = folder(
        tmp_path,
        a="scenario: a\ndrivers:\n  security:\n    weight: 0.9\n",
        b="scenario: b\nextends: a\nindicators:\n  trade:\n    volatility: 0.3\n",
        c="scenario: c\nextends: b\nevents:\n  contract:\n    probability: 0.9\n",
    )
    assert list(loaded) == ["baseline", "a", "b", "c"]
    c = loaded["c"]
    assert c.case.drivers["security"].weight.mean() == 0.9
    assert c.case.indicators["trade"].volatility.mean() == 0.3
    assert c.case.events["contract"].probability.mean() == 0.9
    assert c.lineage == ("a", "b")
    assert loaded["b"].lineage == ("a",)
    assert loaded["a"].lineage == ()
    # b does not see c's change, a sees neither
    assert loaded["b"].case.events["contract"].probability.mean() == 0.5
    assert loaded["a"].case.indicators["trade"].volatility.mean() == 0.1


def test_scenario_keys_inherit_but_signposts_do_not(tmp_path: Path) -> None:
    """correlations, draws and seed come from the parent unless set; signposts never do."""
    loaded = folder(
        tmp_path,
        a="scenario: a\ntitle: Scenario A\nnarrative: Why A.\ndraws: 500\nseed: 3\n"
        "correlations:\n  - [drivers.trade_push.weight, indicators.trade.drift, 0.5]\n"
        "signposts:\n  - {indicator: trade, by: 2028, above: 600}\n",
        b="scenario: b\nextends: a\nseed: 9\n",
    )
    a, b = loaded["a"], loaded["b"]
    assert (a.draws, a.seed) == (500, 3)
    assert (b.draws, b.seed) == (500, 9)
    assert b.correlations == a.correlations
    assert [c.rho for c in b.correlations] == [0.5]
    assert len(a.signposts) == 1
    assert b.signposts == []
    assert (b.title, b.narrative) == ("b", None)


def test_scenario_title_is_not_merged_into_the_case(tmp_path: Path) -> None:
    """A scenario's own keys (title, narrative...) stay out of the case it overlays."""
    loaded = folder(tmp_path, alt="scenario: alt\ntitle: An alternative\nnarrative: Why.\n")
    alt = loaded["alt"]
    assert alt.title == "An alternative"
    assert alt.case.title == "A small case"
    assert alt.case == loaded.case


def test_folder_without_baseline_file_has_the_case_as_baseline(tmp_path: Path) -> None:
    """Without baseline.yaml the case itself is the scenario 'baseline', listed first."""
    loaded = folder(tmp_path, alt="scenario: alt\n")
    assert list(loaded) == ["baseline", "alt"]
    baseline = loaded["baseline"]
    assert baseline.name == "baseline"
    assert baseline.title == "Baseline"
    assert baseline.case == loaded.case
    assert baseline.lineage == ()
    assert [s.name for s in loaded.values()] == ["baseline", "alt"]


def test_baseline_file_is_used_and_extends_defaults_to_the_case(tmp_path: Path) -> None:
    """A baseline.yaml is the baseline; a scenario without extends still builds on the case."""
    loaded = folder(
        tmp_path,
        alt="scenario: alt\n",
        on_base="scenario: on_base\nextends: baseline\n",
        baseline="scenario: baseline\ntitle: Base\ndraws: 100\n"
        "drivers:\n  security: {weight: 0.9}\n",
    )
    assert list(loaded) == ["baseline", "alt", "on_base"]
    assert loaded["baseline"].title == "Base"
    assert loaded["baseline"].case.drivers["security"].weight.mean() == 0.9
    assert loaded["alt"].case.drivers["security"].weight.mean() == 0.5
    assert loaded["on_base"].case.drivers["security"].weight.mean() == 0.9
    assert loaded["on_base"].lineage == ("baseline",)
    assert loaded["on_base"].draws == 100


def test_overlay_error_points_at_the_overlay_once(tmp_path: Path) -> None:
    """A bad overlay value is reported once, at the overlay's line, though others extend it."""
    write(
        tmp_path,
        {
            CASE: CASE_YAML,
            "a.yaml": "scenario: a\ndrivers:\n  security:\n    effects: {nowhere: 0.3}\n",
            "b.yaml": "scenario: b\nextends: a\n",
        },
    )
    with pytest.raises(rm.ScenarioFileError) as info:
        rm.load_case(tmp_path)
    assert [(p.file, p.line, p.field) for p in info.value.problems] == [
        (tmp_path / "a.yaml", 4, "drivers.security.effects.nowhere")
    ]


def test_error_caused_by_a_scenario_names_the_scenario(tmp_path: Path) -> None:
    """A scenario's horizon that puts a case event out of range is blamed on the scenario."""
    write(tmp_path, with_scenario("alt.yaml", "scenario: alt\nhorizon: 2026\n"))
    with pytest.raises(rm.ScenarioFileError) as info:
        rm.load_case(tmp_path)
    assert "alt" in str(info.value)


def test_unknown_scenario_name_lists_the_known_ones(tmp_path: Path) -> None:
    """CaseFolder['nope'] raises InputError naming every scenario of the folder."""
    loaded = folder(tmp_path, alt="scenario: alt\n")
    with pytest.raises(rm.InputError, match="no scenario named 'nope'") as info:
        loaded["nope"]
    assert "expected one of: baseline, alt" in str(info.value)
    assert info.value.field == "scenario"


def test_folder_without_case_file_is_refused(tmp_path: Path) -> None:
    """A folder without case.yaml is refused with a message saying what a case folder holds."""
    (tmp_path / "alt.yaml").write_text("scenario: alt\n", encoding="utf-8")
    with pytest.raises(rm.ScenarioFileError, match=r"no case\.yaml here") as info:
        rm.load_case(tmp_path)
    assert info.value.file == tmp_path
    assert "expected a case folder holding case.yaml" in str(info.value)
    with pytest.raises(rm.ScenarioFileError, match=r"no case\.yaml here"):
        rm.load_case(tmp_path / "missing")


def test_path_to_a_file_loads_its_folder(tmp_path: Path) -> None:
    """load_case given case.yaml or a scenario file loads the folder holding it."""
    whole = folder(tmp_path, alt="scenario: alt\n")
    for name in (CASE, "alt.yaml"):
        loaded = rm.load_case(tmp_path / name)
        assert loaded.path == tmp_path
        assert list(loaded) == list(whole)
        assert loaded.case == whole.case
    assert list(rm.load_case(str(tmp_path))) == list(whole)


# ---------------------------------------------------------------------------------------
# Round trips.


def test_case_round_trips_through_json(small_case: rm.Case) -> None:
    """A case dumped to JSON data and validated again equals the original."""
    data = json.loads(json.dumps(small_case.model_dump(mode="json")))
    assert rm.Case.model_validate(data) == small_case


def test_scenario_round_trips_through_json(tmp_path: Path) -> None:
    """A loaded scenario dumped to JSON data and validated again equals the original."""
    loaded = folder(
        tmp_path,
        alt="scenario: alt\nseed: 4\n"
        "correlations:\n  - [drivers.trade_push.weight, indicators.trade.drift, 0.5]\n"
        "signposts:\n  - {indicator: trade, by: 2028, above: 600}\n",
    )
    alt = loaded["alt"]
    assert rm.Scenario.model_validate(alt.model_dump(mode="json")) == alt


def test_with_changes_merges_like_a_scenario_file(
    tmp_path: Path, small_scenario: rm.Scenario
) -> None:
    """Scenario.with_changes deep-merges an overlay exactly as a scenario file would."""
    overlay = {
        "drivers": {
            "trade_push": {
                "intensity": {"trend": 0.05},
                "weight": {"dist": "uniform", "low": 0.1, "high": 0.2},
            }
        },
        "indicators": {"count": {"bounds": [0, 100]}},
    }
    changed = small_scenario.with_changes(overlay, name="alt", title="Alt", seed=4)
    assert (changed.name, changed.title, changed.seed) == ("alt", "Alt", 4)
    drivers = changed.case.drivers
    assert drivers["trade_push"].intensity.start.mean() == 0.6
    assert drivers["trade_push"].intensity.trend.mean() == 0.05
    assert drivers["trade_push"].weight == UniformEstimate(low=0.1, high=0.2)
    assert changed.case.indicators["count"].bounds == (0, 100)
    # the original is untouched
    assert small_scenario.case == rm.Case.model_validate(small_case_data())
    # and a file saying the same yields the same case
    loaded = folder(tmp_path, alt="scenario: alt\n" + yaml.safe_dump(overlay, sort_keys=False))
    assert loaded["alt"].case == changed.case
