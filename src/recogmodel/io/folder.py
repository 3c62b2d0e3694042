"""Case folders: a case and its scenarios, read from YAML and resolved through ``extends``.

A case folder holds ``case.yaml`` and one YAML file per scenario. Each scenario file is a
partial case deep-merged over its parent (the case, or the scenario it ``extends``), plus
the keys only a scenario has (:class:`ScenarioFile`). Files are read by
:func:`~recogmodel.io.yaml.read_yaml`, which keeps the line of every value; after the
merge, every pydantic error is mapped back to the file and line that set the offending
value, so anything the models refuse (unknown keys, wrong types, NaN or infinity, bad
ranges) is reported as ``FILE:LINE: dotted.field.path: what is wrong, what was expected``.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, NonNegativeInt, PositiveInt, ValidationError

from .._base import Model
from .._problems import DOCUMENT, Path_, problems_from, unique
from .._text import OneLine, Prose
from ..errors import Problem, ScenarioFileError, UnknownScenarioError
from ..model import (
    SCENARIO_KEYS,
    Case,
    CorrelationEntry,
    Identifier,
    Scenario,
    Signpost,
    apply_overlay,
    expand,
)
from .yaml import MAX_FILE_BYTES, MAX_NODES, Located, file_error, read_yaml

# MAX_FILE_BYTES, MAX_NODES and read_yaml are re-exported for callers that still import
# them from here; they live in recogmodel.io.yaml.
__all__ = [
    "CASE_FILE",
    "MAX_FILE_BYTES",
    "MAX_NODES",
    "CaseFolder",
    "ScenarioFile",
    "load_case",
    "read_yaml",
]

#: The file of a case folder that holds the case itself.
CASE_FILE = "case.yaml"


class ScenarioFile(Model):
    """The keys only a scenario file has; the rest of the file is a partial case."""

    scenario: Identifier = Field(description="The scenario's name; must equal the file's stem.")
    title: OneLine | None = Field(None, min_length=1, description="A few words for legends.")
    extends: Identifier | None = Field(
        None, description="The scenario this one builds on; omitted: the case itself."
    )
    narrative: Prose | None = Field(None, description="Why this future, in the analyst's words.")
    signposts: list[Signpost] = Field([], description="What would show it is unfolding.")
    correlations: list[CorrelationEntry] | None = Field(
        None, description="Rank correlations between named assumptions (inherited if omitted)."
    )
    draws: PositiveInt | None = Field(None, description="Default number of draws.")
    seed: NonNegativeInt | None = Field(None, description="Default seed.")


# ---------------------------------------------------------------------------------------
# Turning pydantic errors into located problems.


def _validate(
    model: type[BaseModel],
    located: Located,
    *,
    prefix: Path_ = (),
    also_allowed: tuple[str, ...] = (),
) -> BaseModel:
    try:
        return model.model_validate(located.data)
    except ValidationError as exc:
        raise ScenarioFileError(
            problems_from(
                exc,
                located.data,
                model,
                where=located.where,
                prefix=prefix,
                also_allowed=also_allowed,
            )
        ) from None


# ---------------------------------------------------------------------------------------
# Folders, overlays and scenarios.


def _leaves(data: Any, path: Path_ = ()) -> Iterator[Path_]:
    if isinstance(data, dict) and "dist" not in data:
        for k, v in data.items():
            yield from _leaves(v, (*path, k))
    else:
        yield path


def _overlay(parent: Located, overlay: Located) -> Located:
    """The parent's case data with an overlay merged in, each path keeping its origin."""
    partial = {k: v for k, v in overlay.data.items() if k not in SCENARIO_KEYS}
    replaced = list(_leaves(expand(partial)))
    where = {p: v for p, v in parent.where.items() if not any(p[: len(r)] == r for r in replaced)}
    where.update({p: v for p, v in overlay.where.items() if not p or p[0] not in SCENARIO_KEYS})
    return Located(apply_overlay(parent.data, overlay.data), where)


@dataclass
class _ScenarioDoc:
    file: Path
    located: Located
    keys: ScenarioFile


class CaseFolder(Mapping[str, Scenario]):
    """A case read from a folder: a read-only mapping of scenario names to scenarios.

    Iterating gives the names (``baseline`` first); ``folder[name]`` the scenario, resolved
    through its ``extends`` chain; ``folder.case`` the case itself and ``folder.path`` the
    folder it came from. An unknown name raises
    :class:`~recogmodel.errors.UnknownScenarioError` (a ``KeyError``) listing the known ones.

    Parameters
    ----------
    path
        The folder the case was read from.
    case
        The case of ``case.yaml``.
    scenarios
        Scenario name -> scenario, in the order iteration gives them.
    """

    def __init__(self, path: Path, case: Case, scenarios: dict[str, Scenario]) -> None:
        self.path = path
        self.case = case
        self._scenarios = scenarios
        #: Scenario name -> data path -> (file, line), when read from files.
        self._where: dict[str, Mapping[Path_, tuple[Path, int]]] = {}

    def __repr__(self) -> str:
        return f"CaseFolder({str(self.path)!r}, scenarios={list(self._scenarios)})"

    def __getitem__(self, name: str) -> Scenario:
        try:
            return self._scenarios[name]
        except KeyError:
            known = ", ".join(self._scenarios)
            raise UnknownScenarioError(
                [
                    Problem(
                        "scenario",
                        f"no scenario named '{name}' in {self.path}; expected one of: {known}",
                    )
                ]
            ) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._scenarios)

    def __len__(self) -> int:
        return len(self._scenarios)


def load_case(path: str | Path) -> CaseFolder:
    """Read ``case.yaml`` and every scenario file of a case folder, and resolve them all.

    Parameters
    ----------
    path
        The folder, or any file in it.

    Returns
    -------
    CaseFolder
        A mapping of scenario names to scenarios, ``baseline`` first (the case itself when
        the folder has no ``baseline.yaml``), then the others by name.

    Raises
    ------
    ScenarioFileError
        With every problem of every file, each at its file, line and field.
    """
    folder = Path(path)
    if folder.is_file():
        folder = folder.parent
    case_file = folder / CASE_FILE
    if not (case_file.exists() or case_file.is_symlink()):  # anything else: read_yaml says
        what = "folder" if folder.is_dir() else "path"
        raise ScenarioFileError(
            [
                Problem(
                    DOCUMENT,
                    f"no {CASE_FILE} here; expected a case folder holding {CASE_FILE} "
                    f"and one YAML file per scenario ({what} not a case folder)",
                    folder,
                )
            ]
        )
    problems: list[Problem] = []
    case_located = read_yaml(case_file, inside=folder)
    case = _validate(Case, case_located)
    assert isinstance(case, Case)
    docs: dict[str, _ScenarioDoc] = {}
    failed: set[str] = set()
    for file in sorted(folder.glob("*.y*ml")):
        if file.name == CASE_FILE or file.suffix not in (".yaml", ".yml"):
            continue
        try:
            doc = _read_scenario(file, folder)
        except ScenarioFileError as exc:
            problems += exc.problems
            failed.add(file.stem)
            continue
        docs[doc.keys.scenario] = doc
    scenarios: dict[str, Scenario] = {}
    where: dict[str, Mapping[Path_, tuple[Path, int]]] = {}
    names = ["baseline", *sorted(n for n in docs if n != "baseline")]
    for name in names:
        if _builds_on(name, docs, failed):
            continue  # that file's problem is reported already; once is enough
        try:
            scenarios[name], where[name] = _resolve(name, case_located, docs)
        except ScenarioFileError as exc:
            problems += [p for p in exc.problems if p not in problems]
    if problems:
        raise ScenarioFileError(unique(problems))
    out = CaseFolder(folder, case, scenarios)
    out._where = where
    return out


def _builds_on(name: str, docs: dict[str, _ScenarioDoc], failed: set[str]) -> bool:
    """Whether ``name`` extends, directly or not, a scenario file that could not be read."""
    seen: set[str] = set()
    current = docs[name].keys.extends if name in docs else None
    while current is not None and current not in seen:
        if current in failed:
            return True
        seen.add(current)
        current = docs[current].keys.extends if current in docs else None
    return False


def _read_scenario(file: Path, folder: Path) -> _ScenarioDoc:
    located = read_yaml(file, inside=folder)
    own = {k: v for k, v in located.data.items() if k in SCENARIO_KEYS}
    valid_stem = bool(_NAME.match(file.stem))
    if "scenario" not in own:
        name = file.stem if valid_stem else _valid_name(file)
        rename = "" if valid_stem else f", and the file renamed {name}.yaml"
        raise file_error(
            file,
            1,
            ("scenario",),
            f"a scenario file needs 'scenario: {name}' (its name, equal to the file's "
            f"stem){rename}",
        )
    keys = _validate(ScenarioFile, Located(own, located.where))
    assert isinstance(keys, ScenarioFile)
    if keys.scenario != file.stem:
        line = located.where[("scenario",)][1]
        expected = (
            f"expected 'scenario: {file.stem}'"
            if valid_stem
            else f"expected the file renamed {keys.scenario}{file.suffix} ({file.stem!r} is "
            "not a valid name: lower-case letters, digits and underscores)"
        )
        raise file_error(
            file,
            line,
            ("scenario",),
            f"names the scenario '{keys.scenario}' but the file is {file.name}; {expected}",
        )
    return _ScenarioDoc(file, located, keys)


_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def _valid_name(file: Path) -> str:
    """A valid scenario name close to a file's stem: ``Boom-2`` -> ``boom_2``."""
    name = re.sub(r"[^a-z0-9_]+", "_", file.stem.lower()).strip("_")
    return name if name[:1].isalpha() else f"scenario_{name}".rstrip("_")


def _resolve(
    name: str, case: Located, docs: dict[str, _ScenarioDoc]
) -> tuple[Scenario, Mapping[Path_, tuple[Path, int]]]:
    chain: list[str] = []
    current: str | None = name
    while current is not None:
        if current in chain:
            doc = docs[chain[-1]]
            line = doc.located.where[("extends",)][1]
            cycle = " → ".join([*chain, current])
            raise file_error(
                doc.file,
                line,
                ("extends",),
                f"extends cycle: {cycle}; expected a chain that ends at the case",
            )
        if current not in docs:
            if current == "baseline":
                break
            doc = docs[chain[-1]]
            line = doc.located.where[("extends",)][1]
            known = ", ".join(["baseline", *sorted(n for n in docs if n != "baseline")])
            raise file_error(
                doc.file,
                line,
                ("extends",),
                f"extends '{current}', which is not a "
                f"scenario of this case; expected one of: {known}",
            )
        chain.append(current)
        current = docs[current].keys.extends
    located = case
    own: dict[str, Any] = {"name": name, "title": "Baseline" if name == "baseline" else name}
    own_where: dict[Path_, tuple[Path, int]] = {}
    for link in reversed(chain):
        doc = docs[link]
        located = _overlay(located, doc.located)
        keys = doc.keys
        inherit = {"correlations": keys.correlations, "draws": keys.draws, "seed": keys.seed}
        own.update({k: v for k, v in inherit.items() if v is not None})
        own.update(
            name=keys.scenario,
            title=keys.title or keys.scenario,
            narrative=keys.narrative,
            signposts=keys.signposts,
        )
        own_where.update(
            {p: v for p, v in doc.located.where.items() if p and p[0] in SCENARIO_KEYS}
        )
    own["lineage"] = tuple(reversed(chain[1:]))
    data = {**copy.deepcopy(own), "case": located.data}
    data["signposts"] = [s.model_dump() for s in own.get("signposts", [])]
    data["correlations"] = [
        {"between": list(c.between), "rho": c.rho} for c in own.get("correlations", [])
    ]
    where = {("case", *p): v for p, v in located.where.items()}
    where.update(own_where)
    if ("scenario",) in own_where:
        where[("name",)] = own_where[("scenario",)]
    try:
        scenario = _validate(
            Scenario, Located(data, where), prefix=("case",), also_allowed=SCENARIO_KEYS
        )
    except ScenarioFileError as exc:
        own_file = docs[name].file if name in docs else None
        raise ScenarioFileError(
            [
                p
                if p.file != case.where[()][0] or own_file is None
                else Problem(
                    p.field,
                    f"{p.message} (when scenario '{name}' of {own_file.name} is applied)",
                    p.file,
                    p.line,
                )
                for p in exc.problems
            ]
        ) from None
    assert isinstance(scenario, Scenario)
    return scenario, where


def __getattr__(name: str) -> Any:
    """``schema`` moved to :mod:`recogmodel.io.schema`; old imports from here still work."""
    if name == "schema":
        from .schema import schema

        return schema
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
