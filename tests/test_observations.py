"""Observations: read from YAML and CSV, validated, errors at their file and line."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

import recogmodel as rm
from recogmodel import analysis
from recogmodel.analysis import Observation, read_observations, update
from recogmodel.io.observations import as_observations

from .analysis_helpers import boom_bust_projections

if TYPE_CHECKING:
    from pathlib import Path


def test_read_observations_from_yaml_and_csv(tmp_path: Path) -> None:
    """A YAML list, a YAML mapping and a CSV file give the same observations."""
    listed = tmp_path / "obs.yaml"
    listed.write_text(
        "- {indicator: trade, year: 2027, value: 420, source: customs}\n"
        "- indicator: count\n"
        "  year: 2028\n"
        "  value: 2\n"
        "  note: one more state\n",
        encoding="utf-8",
    )
    mapped = tmp_path / "obs.yml"
    mapped.write_text(
        "observations:\n  - {indicator: trade, year: 2027, value: 420, source: customs}\n"
        "  - {indicator: count, year: 2028, value: 2, note: one more state}\n",
        encoding="utf-8",
    )
    table = tmp_path / "obs.csv"
    table.write_text(
        "indicator,year,value,source,note\ntrade,2027,420,customs,\ncount,2028,2,,one more state\n",
        encoding="utf-8",
    )
    expected = [
        Observation("trade", 2027, 420.0, source="customs"),
        Observation("count", 2028, 2.0, note="one more state"),
    ]
    for path in (listed, mapped, table):
        got = read_observations(path)
        assert got == expected, path
        assert got[1].file == path
    assert [o.line for o in read_observations(listed)] == [1, 2]
    assert [o.line for o in read_observations(table)] == [2, 3]


@pytest.mark.parametrize(
    ("name", "text", "line", "field"),
    [
        (
            "bad.yaml",
            "- {indicator: trade, year: 2027, value: 1}\n- {indicator: trade}\n",
            2,
            "1.year",
        ),
        ("bad.yaml", "- indicator: trade\n  year: 2027\n  value: lots\n", 3, "0.value"),
        ("bad.yaml", "- indicator: trade\n  year: 2027\n  value: 1\n  unit: m\n", 4, "0.unit"),
        ("bad.yaml", "observations:\n  - [trade, 2027, 1]\n", 2, "observations.0"),
        ("bad.yaml", "trade: 1\n", 1, "trade"),
        ("bad.yaml", "- {indicator: trade, year: 2027, value: 1\n", 2, "(document)"),
        ("bad.csv", "indicator,year,value\ntrade,2027,1\ntrade,next,2\n", 3, "year"),
        ("bad.csv", "indicator,year,amount\n", 1, "(header)"),
        ("bad.csv", "indicator,year,value\ntrade,2027\n", 2, "(row)"),
    ],
)
def test_bad_observation_files_name_the_file_and_line(
    tmp_path: Path, name: str, text: str, line: int, field: str
) -> None:
    """Every problem in an observations file is reported at its file and line."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(rm.ObservationFileError) as err:
        read_observations(path)
    assert err.value.file == path
    assert err.value.line == line
    assert err.value.field == field


def test_observations_file_of_another_kind_is_refused(tmp_path: Path) -> None:
    """Only .yaml, .yml and .csv files are read."""
    path = tmp_path / "obs.txt"
    path.write_text("trade 2027 420\n", encoding="utf-8")
    with pytest.raises(rm.ObservationFileError, match=r"\.yaml, \.yml or \.csv"):
        read_observations(path)


def test_update_errors_point_at_the_observations_file_line(tmp_path: Path) -> None:
    """An observation of an unknown indicator read from a file is reported at its line."""
    boom_bust = boom_bust_projections()
    path = tmp_path / "obs.csv"
    path.write_text("indicator,year,value\ntrade,2027,420\ntraed,2027,420\n", encoding="utf-8")
    with pytest.raises(rm.InputError) as err:
        update(boom_bust, read_observations(path))
    assert err.value.file == path
    assert err.value.line == 3


def test_observations_given_in_python_are_validated_together() -> None:
    """Objects, tuples and mappings become observations; every bad one is named by position."""
    kept = Observation("trade", 2027, 420.0)
    got = as_observations(
        [kept, ("count", 2028, 2, "ministry"), {"indicator": "x", "year": 2029, "value": 1}]
    )
    assert got[0] is kept
    assert got[1] == Observation("count", 2028, 2.0, source="ministry")
    assert got[2] == Observation("x", 2029, 1.0)
    with pytest.raises(rm.InputError) as err:
        as_observations([("trade", 2027, 1.0), ("trade", "soon", 1.0), {"indicator": "x"}])
    assert [p.field for p in err.value.problems][:1] == ["observations.1.year"]
    assert not isinstance(err.value, rm.ObservationFileError)


def test_a_yaml_syntax_error_in_an_observation_file_is_an_observation_file_error(
    tmp_path: Path,
) -> None:
    """The YAML reader shared with case files reports as an observation file error here."""
    path = tmp_path / "obs.yaml"
    path.write_text("- {indicator: trade\n", encoding="utf-8")
    with pytest.raises(rm.ObservationFileError) as err:
        read_observations(path)
    assert not isinstance(err.value, rm.ScenarioFileError)
    assert err.value.file == path


def test_analysis_lists_its_public_names_and_re_exports_observations() -> None:
    """Everything in analysis.__all__ exists; observations are the io module's own."""
    from recogmodel.io import observations

    for name in analysis.__all__:
        assert hasattr(analysis, name)
    assert "SWING_SHARE" in analysis.__all__
    assert analysis.Observation is observations.Observation
    assert analysis.read_observations is observations.read_observations
