"""The documentation: its Python examples run, its file reference matches the schema."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

import recogmodel as rm
import recogmodel.io.folder
import recogmodel.model.estimates

from .conftest import ROOT

if TYPE_CHECKING:
    from pathlib import Path

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)


def python_blocks(page: Path) -> list[str]:
    return FENCE.findall(page.read_text(encoding="utf-8"))


PAGES_WITH_CODE = [p for p in PAGES if python_blocks(p)]


@pytest.mark.parametrize("page", PAGES_WITH_CODE, ids=lambda p: p.name)
def test_python_blocks_run(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every Python block of a page runs, in order, in one namespace, from a fresh folder."""
    (tmp_path / "scenarios").symlink_to(ROOT / "scenarios")
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": f"docs_{page.stem}"}
    for i, block in enumerate(python_blocks(page)):
        code = compile(block, f"{page.name}[block {i}]", "exec")
        exec(code, namespace)


def test_readme_and_docs_have_code_to_run() -> None:
    """The README and the concepts page do carry runnable examples."""
    names = {p.name for p in PAGES_WITH_CODE}
    assert {"README.md", "concepts.md", "methodology.md"} <= names


def section(text: str, heading: str) -> str:
    match = re.search(rf"^#+ {re.escape(heading)}\n(.*?)(?=^#+ |\Z)", text, re.M | re.S)
    assert match, f"scenario-files.md has no section '{heading}'"
    return match.group(1)


@pytest.mark.parametrize("kind", ["case", "scenario"])
def test_file_reference_documents_every_schema_field(kind: str) -> None:
    """scenario-files.md names every field of every model in the JSON Schema."""
    text = (ROOT / "docs" / "scenario-files.md").read_text(encoding="utf-8")
    schema = rm.schema(kind)
    top = section(text, "case.yaml" if kind == "case" else "Scenario files")
    own = rm.io.folder.ScenarioFile.model_fields if kind == "scenario" else {}
    for name in schema["properties"]:
        where = top if name in own or kind == "case" else section(text, "case.yaml")
        assert f"`{name}`" in where, f"{kind} field '{name}' is not documented"
    for model, definition in schema["$defs"].items():
        body = section(text, model)
        for name in definition.get("properties", {}):
            assert f"`{name}`" in body, f"{model}.{name} is not documented"


def test_word_tables_match_the_yardsticks() -> None:
    """Every estimative word of both yardsticks appears in the file reference."""
    text = (ROOT / "docs" / "scenario-files.md").read_text(encoding="utf-8")
    for words in rm.model.estimates.YARDSTICKS.values():
        for word in words:
            assert word in text


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_relative_links_resolve(page: Path) -> None:
    """Every relative link in the README and docs points at a file that exists."""
    for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
        if "://" in target:
            continue
        assert (page.parent / target).exists(), f"{page.name} links to missing {target}"


def _case_cell(value: float, row: str) -> str:
    """A median as the case study's table writes it."""
    if row.startswith("currency_settlement"):
        return f"{value * 100:.0f} %"
    if row.startswith(("russian_projects", "security_cooperation")):
        return f"{value:.1f}"
    if row.startswith("aid_reach"):
        return f"{round(value, -2):,.0f}"
    return f"{value:,.0f}"


def test_case_study_medians_are_what_the_engine_gives(shipped: rm.CaseFolder) -> None:
    """The case study's table of scenario medians matches a run with the files' seeds."""
    text = (ROOT / "docs" / "case-russia-taliban.md").read_text(encoding="utf-8")
    head = re.search(r"^\| indicator, median 2030 / 2035 \|(.*)\|$", text, re.M)
    assert head, "the case study has no table of medians"
    scenarios = [c.strip() for c in head.group(1).split("|")]
    projections = {name: rm.project(shipped[name]) for name in scenarios}
    block = text[head.end() :].strip().split("\n\n")[0]  # the table ends at a blank line
    rows = re.findall(r"^\| ([a-z_]+)(?: \([^)]*\))? \| (.+) \|$", block, re.M)
    assert len(rows) >= 6
    for indicator, cells in rows:
        for name, cell in zip(scenarios, cells.split(" | "), strict=True):
            proj = projections[name]
            expected = " / ".join(
                _case_cell(proj.summary(year)[indicator].median, indicator) for year in (2030, 2035)
            )
            assert cell == expected, f"{indicator} under {name}: doc {cell}, engine {expected}"
