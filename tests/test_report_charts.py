"""The report's plain-SVG charts: fans and comparisons, well-formed, escaped, worded as the
figures are; and the report's detail: fans for every scenario, tornadoes for key indicators.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING, Any

import pytest
import yaml

import recogmodel as rm
from recogmodel.report import build_report, svg
from recogmodel.report.charts import compare_svg, fan_svg

from .conftest import small_case_data
from .test_report import write_small_folder

if TYPE_CHECKING:
    from pathlib import Path

SVG = "{http://www.w3.org/2000/svg}"


def texts(markup: str) -> list[str]:
    """Every text of an SVG element, in order; the markup must be well-formed XML."""
    root = ET.fromstring(markup)
    return [t.text or "" for t in root.iter(f"{SVG}text")]


@pytest.fixture(scope="module")
def projections() -> list[rm.Projection]:
    """The small case and a variant pushed on trade, with a signpost on the count."""
    data = small_case_data()
    data["indicators"]["trade"]["label"] = "Trade <b>&</b> more"
    data["indicators"]["count"]["integer"] = True  # a whole number, moved by events alone
    del data["drivers"]["security"]["effects"]["count"]
    case = rm.Case.model_validate(data)
    base = rm.Scenario.from_case(case)
    push = base.with_changes(
        {"indicators": {"trade": {"drift": 0.3}}},
        name="push",
        title="Push",
        signposts=[{"indicator": "count", "by": 2029, "above": 1.5}],
    )
    return [rm.project(s, draws=300, seed=3) for s in (base, push)]


def test_a_fan_chart_is_well_formed_escaped_svg_with_its_signposts(
    projections: list[rm.Projection],
) -> None:
    """The fan is XML with its title escaped, ticks as text, and signposts as worded."""
    push = projections[1]
    fan = fan_svg(push, "trade")
    words = texts(fan)
    assert words[0] == "Trade <b>&</b> more"  # escaped in the markup, intact as text
    assert "<b>" not in fan
    assert f"Scenario: {push.scenario.title}" in words
    assert {"2026", "2028", "2030"} <= set(words)
    assert {"90% range", "80% range", "50% range", "median"} <= set(words)
    count = texts(fan_svg(push, "count"))
    assert "2 or more states by 2029" in count
    assert "signpost" in count
    assert "event fixed to a year" in texts(fan_svg(push, "trade"))  # the 2027 contract
    assert ' id="' not in fan  # no ids: any number of them share a page


def test_a_wide_positive_amount_gets_a_log_axis(tmp_path: Path) -> None:
    """An amount spanning more than a factor 30 is drawn on a log axis, so labelled."""
    data = small_case_data()
    data["indicators"]["trade"]["volatility"] = 1.2
    scenario = rm.Scenario.from_case(rm.Case.model_validate(data))
    wide = rm.project(scenario, draws=400, seed=1)
    assert "USD m (log scale)" in texts(fan_svg(wide, "trade"))
    assert not any("log scale" in t for t in texts(fan_svg(wide, "share")))


def test_a_comparison_draws_every_scenario(projections: list[rm.Projection]) -> None:
    """One median line per scenario, one range bar each, every scenario in the legend."""
    chart = compare_svg(projections, "trade")
    root = ET.fromstring(chart)
    assert len(list(root.iter(f"{SVG}polyline"))) == len(projections)
    words = texts(chart)
    for proj in projections:
        assert proj.scenario.title in words
    assert "90 % range" in words
    assert any(w.startswith("By scenario: median (lines) and 90 % range in 2030") for w in words)


def test_chart_text_is_at_least_eleven_pixels(projections: list[rm.Projection]) -> None:
    """At their own size the charts' text is 11 px or more (9 px is the phone floor)."""
    for chart in (fan_svg(projections[0], "trade"), compare_svg(projections, "share")):
        sizes = [float(s) for s in re.findall(r'font-size="([\d.]+)"', chart)]
        assert sizes
        assert min(sizes) >= 11


# ---------------------------------------------------------------------------------------
# The report's detail


def folder_with(tmp_path: Path, **indicator_changes: dict[str, Any]) -> Path:
    """The report tests' small folder, its case's indicators changed as given."""
    folder = write_small_folder(tmp_path / "small")
    data = small_case_data()
    for name, changes in indicator_changes.items():
        data["indicators"][name].update(changes)
    (folder / "case.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    return folder


def test_every_scenario_has_its_fan_charts_folded(tmp_path: Path) -> None:
    """One folded group of fans per scenario, one fan per indicator in each."""
    page = build_report(rm.Study(folder_with(tmp_path), draws=200, seed=2))
    for group, prefix in [("figures-fans", "fig-fan"), ("figures-fans-push", "fig-fan-push")]:
        part = page[page.index(f'id="{group}"') :]
        part = part[: part.index("</section>")]
        assert part.index("<details>") < part.index(f'id="{prefix}-trade"')
        for k in ("trade", "share", "count"):
            assert f'id="{prefix}-{k}"' in part


def test_key_indicators_get_a_tornado_each(tmp_path: Path) -> None:
    """Every indicator the case marks key gets a tornado chart, and the intro says why."""
    folder = folder_with(tmp_path, trade={"key": True}, share={"key": True})
    page = build_report(rm.Study(folder, draws=300, seed=2))
    tornadoes = re.findall(r'id="fig-tornado-(\w+)"', page)
    assert sorted(tornadoes) == ["share", "trade"]  # in the case's order
    assert "For each of the case&#39;s key indicators" in page


def test_without_key_indicators_the_priorities_choose_the_tornadoes(tmp_path: Path) -> None:
    """With no indicator marked key, the tornadoes are of the top priorities' indicators."""
    page = build_report(rm.Study(folder_with(tmp_path), draws=300, seed=2))
    assert 1 <= len(re.findall(r'id="fig-tornado-(\w+)"', page)) <= 3
    assert "the case marks no indicator key" in page


def test_figures_drawn_in_workers_are_the_figures_drawn_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page is the same text whether its figures were drawn in workers or here."""
    folder = folder_with(tmp_path, trade={"key": True}, share={"key": True}, count={"key": True})
    monkeypatch.setattr(svg, "_PARALLEL_FROM", 1)  # workers for every set of figures
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    forked = build_report(rm.Study(folder, draws=200, seed=4))
    monkeypatch.setattr(svg, "_PARALLEL_FROM", 10_000)  # never
    assert build_report(rm.Study(folder, draws=200, seed=4)) == forked
