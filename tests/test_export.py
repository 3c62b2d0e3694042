"""Export: several projections in one CSV or JSON file, written atomically."""

from __future__ import annotations

import csv
import json
from typing import TYPE_CHECKING

import recogmodel as rm
from recogmodel.io.export import CSV_COLUMNS, write_csv, write_json

if TYPE_CHECKING:
    from pathlib import Path

    from recogmodel.model import Scenario


def test_several_projections_share_one_file(small_scenario: Scenario, tmp_path: Path) -> None:
    """write_csv and write_json take several projections at once."""
    other = small_scenario.with_changes({}, name="other", title="Other")
    projs = [rm.project(s, draws=300, seed=2) for s in (small_scenario, other)]
    rows = list(csv.DictReader(write_csv(projs, tmp_path / "s.csv").read_text().splitlines()))
    assert {r["scenario"] for r in rows} == {"baseline", "other"}
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == sum(len(p.to_rows()) for p in projs)
    record = json.loads(write_json(projs, tmp_path / "p.json").read_text())
    assert [p["scenario"]["name"] for p in record["projections"]] == ["baseline", "other"]


def test_one_projection_is_written_as_its_record(small_scenario: Scenario, tmp_path: Path) -> None:
    """A projection's JSON is its record itself; a list of one keeps the list's shape."""
    proj = rm.project(small_scenario, draws=300, seed=2)
    listed = json.loads(write_json([proj], tmp_path / "list.json", qs=[0.5]).read_text())
    assert [p["scenario"]["name"] for p in listed["projections"]] == ["baseline"]
    record = json.loads(write_json(proj, tmp_path / "one.json", qs=[0.5]).read_text())
    assert record["scenario"]["name"] == "baseline"
    assert list(record["indicators"]["trade"]["quantiles"]) == ["0.5"]
    assert not list(tmp_path.glob(".*"))  # no temporary file left behind
