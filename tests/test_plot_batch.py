"""Sets of figures: which files each kind gives; the same bytes drawn here or in workers."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

import recogmodel as rm
from recogmodel.errors import InputError
from recogmodel.plot.batch import (
    DEFAULT_FIGURES,
    FIGURE_KINDS,
    figure_jobs,
    figure_kinds,
    render_figures,
)

from .plot_helpers import nothing_left_on_pyplot, proj, signposted_scenario

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["nothing_left_on_pyplot", "proj"]


@pytest.fixture(scope="module")
def pair(proj: rm.Projection) -> list[rm.Projection]:
    """Two scenarios of the small case: the signposted one and a faster one."""
    other = signposted_scenario().with_changes(
        {"indicators": {"trade": {"drift": 0.05}}}, name="alt", title="Alt"
    )
    return [proj, rm.project(other, draws=300, seed=2)]


def test_kinds_are_read_in_drawing_order() -> None:
    """None gives the default set, 'all' every kind, and an unknown kind is an input error."""
    assert figure_kinds(None) == DEFAULT_FIGURES
    assert figure_kinds(["all"]) == FIGURE_KINDS
    assert figure_kinds(["fan", "compare"]) == ("compare", "fan")
    assert figure_kinds([]) == ()
    with pytest.raises(InputError, match="'fans'"):
        figure_kinds(["fans"])


def test_jobs_name_one_file_per_figure(pair: list[rm.Projection]) -> None:
    """Each kind gives its files; a single scenario gives no comparison."""
    paths = {job.path for job in figure_jobs(pair, FIGURE_KINDS, "svg")}
    assert {"compare_trade.svg", "driver_weights.svg", "signposts.svg"} <= paths
    assert {"baseline/dashboard.svg", "alt/dashboard.svg", "alt/fan_count.svg"} <= paths
    assert "baseline/tornado_trade.svg" in paths
    assert not any(p.startswith("alt/tornado") for p in paths)  # the lead's only
    alone = {job.path for job in figure_jobs(pair[:1], ["compare", "dashboard"])}
    assert alone == {"baseline/dashboard.png"}


@pytest.mark.slow
def test_workers_write_the_same_files_as_this_process(
    pair: list[rm.Projection], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Figures drawn in worker processes are byte for byte those drawn here."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    jobs = figure_jobs(pair, ["compare", "fan"], "svg")
    projections = {p.name: p for p in pair}
    seen: list[tuple[int, int]] = []
    here = render_figures(jobs, projections, tmp_path / "here", workers=1)
    there = render_figures(
        jobs,
        projections,
        tmp_path / "there",
        workers=2,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert [p.relative_to(tmp_path / "there") for p in there] == [
        p.relative_to(tmp_path / "here") for p in here
    ]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(here, there, strict=True))
    assert seen[-1] == (len(jobs), len(jobs))


def test_the_default_set_is_the_comparisons_and_the_first_dashboard(
    pair: list[rm.Projection],
) -> None:
    """No kinds asked for: every comparison, and the first scenario's dashboard only."""
    paths = {job.path for job in figure_jobs(pair, None)}
    assert "baseline/dashboard.png" in paths
    assert "alt/dashboard.png" not in paths
    assert "compare_trade.png" in paths
    assert not any("fan_" in p or "tornado_" in p for p in paths)
