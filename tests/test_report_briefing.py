"""The report as a briefing: bottom line and judgements first, a headline chart, the glance."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

import recogmodel as rm
from recogmodel.report import build_report
from recogmodel.report.svg import divergent_indicator

from .conftest import small_case_data
from .test_report import write_small_folder

BOTTOM_LINE = "Trade grows, but slowly, whichever scenario unfolds."
JUDGEMENT: dict[str, Any] = {
    "text": "A trade push lifts trade above the baseline by 2030.",
    "confidence": "moderate",
    "indicators": ["trade"],
    "scenarios": ["push"],
}


@pytest.fixture(scope="module")
def briefed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small folder of the report tests, its case given a bottom line and a judgement."""
    folder = write_small_folder(tmp_path_factory.mktemp("briefed") / "small")
    data = small_case_data(bottom_line=BOTTOM_LINE, judgements=[JUDGEMENT])
    (folder / "case.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def html(briefed: Path) -> str:
    """The briefed folder's report, built from its absolute path."""
    return build_report(rm.Study(briefed.resolve(), draws=300, seed=5))


def test_the_page_opens_with_the_bottom_line_judgements_headline_and_glance(html: str) -> None:
    """Bottom line, judgements, headline chart and the glance come before the summary."""
    order = [
        html.index(BOTTOM_LINE),
        html.index(str(JUDGEMENT["text"])),
        html.index('id="fig-headline"'),
        html.index('id="at-a-glance"'),
        html.index('id="summary"'),
    ]
    assert order == sorted(order)
    assert "moderate confidence" in html
    assert "Rests on: Trade; Trade push." in html


def test_the_glance_has_a_line_and_the_signposts_of_every_scenario(html: str) -> None:
    """Each scenario is one line at a glance, with its signposts and their chance."""
    glance = html[html.index('id="at-a-glance"') : html.index("</ul>", html.index("glances"))]
    assert "Trade push</strong></a>: More trade." in glance
    assert glance.count("<li>") == 2
    assert "Signposts: Trade above 400 USD m by 2028: " in glance


def test_no_path_of_the_machine_that_built_it(html: str, briefed: Path) -> None:
    """The page names the folder by its name only, never where it lies on the machine."""
    assert str(briefed.resolve().parent) not in html
    assert "/tmp/" not in html


def test_fan_charts_are_folded(html: str) -> None:
    """The fan charts sit in a details element, closed until asked for."""
    fans = html[html.index('id="figures-fans"') :]
    assert fans.index("<details>") < fans.index('id="fig-fan-trade"')


def test_the_headline_is_the_indicator_the_scenarios_part_on_most() -> None:
    """With one scenario pushed on trade only, trade is where they diverge most."""
    case = rm.Case.model_validate(small_case_data())
    base = rm.Scenario.from_case(case)
    push = base.with_changes({"indicators": {"trade": {"drift": 0.4}}}, name="push")
    projections = [rm.project(s, draws=300, seed=1) for s in (base, push)]
    assert divergent_indicator(projections) == "trade"
    assert divergent_indicator(projections[:1]) == projections[0].indicators[0]


def test_a_judgement_on_an_unknown_indicator_is_an_input_error() -> None:
    """A judgement must rest on indicators the case defines, and a confidence word it knows."""
    with pytest.raises(ValueError, match=r"judgements\.0\.indicators\.0"):
        rm.Case.model_validate(small_case_data(judgements=[{**JUDGEMENT, "indicators": ["x"]}]))
    with pytest.raises(ValueError, match="confidence"):
        rm.Case.model_validate(small_case_data(judgements=[{**JUDGEMENT, "confidence": "sure"}]))


def test_the_brief_leaves_out_the_detail(briefed: Path) -> None:
    """The brief keeps the briefing, summary, priorities and sources; no scenario details."""
    brief = build_report(rm.Study(briefed, draws=300, seed=5), brief=True)
    for kept in ("bottom-line", "fig-headline", "at-a-glance", "summary", "priorities"):
        assert f'id="{kept}"' in brief
    assert 'id="sources"' in brief
    assert 'id="scenarios"' not in brief
    assert 'id="figures"' not in brief
    assert brief.count("<svg") == 1  # the headline only


@pytest.mark.slow
def test_the_brief_prints_on_at_most_four_a4_pages(tmp_path: Path) -> None:
    """Printed to PDF by headless Chromium, the brief of the shipped case is <= 4 pages."""
    from recogmodel.report.pdf import chromium, write_pdf

    if chromium() is None:
        pytest.skip("chromium is missing: install Debian's chromium package to run this")
    shipped = rm.Study(Path(__file__).resolve().parents[1] / "scenarios" / "russia_taliban")
    pdf = write_pdf(build_report(shipped, brief=True), tmp_path / "brief.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    assert 1 <= pages <= 4


def test_without_chromium_a_pdf_is_an_input_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Asking for a PDF where no Chromium is installed says what to install."""
    from recogmodel.errors import InputError
    from recogmodel.report.pdf import write_pdf

    monkeypatch.delenv("RECOGMODEL_CHROMIUM", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(InputError, match="chromium"):
        write_pdf("<!doctype html><p>x</p>", tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()
