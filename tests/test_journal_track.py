"""The track record: entries scored on what came to light after them; the report's section."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

import recogmodel as rm
from recogmodel.journal.track import track_record, track_record_html

from .journal_helpers import case_copy as case_copy

if TYPE_CHECKING:
    from pathlib import Path

SEEN = [
    rm.Observation(indicator="bilateral_trade", year=2026, value=330.0),
    rm.Observation(indicator="bilateral_trade", year=2027, value=350.0),
]


def test_no_journal_no_track_record(case_copy: Path) -> None:
    """A case without a journal has no track record and no section."""
    assert track_record(case_copy) is None
    assert track_record_html(case_copy) is None


def test_entries_are_scored_only_on_what_came_after_them(case_copy: Path) -> None:
    """The first entry is scored on what the second used; the second, on nothing yet."""
    study = rm.Study(case_copy, scenarios=["baseline", "stalled"], draws=300, seed=1)
    study.record("before")
    study.record("after", observations=SEEN)
    record = track_record(case_copy)
    assert record is not None
    assert [r["note"] for r in record.entries] == ["before", "after"]
    assert record.observations == 2
    assert [(r["line"], r["cells"]) for r in record.scores] == [(1, 2)]
    html = track_record_html(case_copy)
    assert html is not None
    assert html.startswith('<section id="track-record"')
    assert "<h2>Track record</h2>" in html
    assert "<td>before</td>" in html


def test_the_section_escapes_the_note(case_copy: Path) -> None:
    """A note is shown as text, never as markup."""
    rm.Study(case_copy, scenarios=["baseline"], draws=200, seed=1).record("<b>bold</b>")
    html = track_record_html(case_copy)
    assert html is not None
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "<b>" not in html


@pytest.mark.slow
def test_the_report_shows_the_track_record_when_a_journal_exists(case_copy: Path) -> None:
    """The report has a Track record section with a journal, and none without."""
    study = rm.Study(case_copy, scenarios=["baseline"], draws=200, seed=1)
    assert "Track record" not in rm.build_report(study)
    study.record("first")
    assert '<section id="track-record"' in rm.build_report(study)
