"""Case and scenario files: YAML in, validated models out, errors that point at a line.

A case folder holds ``case.yaml`` and one YAML file per scenario. Each scenario file is a
partial case deep-merged over its parent (the case, or the scenario it ``extends``), plus
the keys only a scenario has. Files are read with PyYAML's safe composer and built here
node by node, so that every value keeps the line it came from; after the merge, every
pydantic error is mapped back to the file and line that set the offending value.

Refused, each with ``FILE:LINE: dotted.field.path: what is wrong, what was expected``:
files over :data:`MAX_FILE_BYTES`, tab characters in indentation, duplicate keys, aliases
that expand beyond :data:`MAX_NODES` values, tags other than YAML's plain types, merge keys,
and anything the models refuse (unknown keys, wrong types, NaN or infinity, bad ranges).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, Field, NonNegativeInt, PositiveInt, ValidationError

from .._base import Model
from .._problems import DOCUMENT, Path_, dotted, locate, problems_from, unique
from ..errors import InputError, Problem, ScenarioFileError, UnknownScenarioError
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

__all__ = ["MAX_FILE_BYTES", "MAX_NODES", "CaseFolder", "ScenarioFile", "load_case", "schema"]

#: Largest file read, in bytes. Scenario files are hand-written; anything bigger is a mistake.
MAX_FILE_BYTES = 1_000_000
#: Most values a file may expand to, counting every alias expansion (stops alias bombs).
MAX_NODES = 100_000
CASE_FILE = "case.yaml"


class ScenarioFile(Model):
    """The keys only a scenario file has; the rest of the file is a partial case."""

    scenario: Identifier = Field(description="The scenario's name; must equal the file's stem.")
    title: str | None = Field(None, min_length=1, description="A few words for legends.")
    extends: Identifier | None = Field(
        None, description="The scenario this one builds on; omitted: the case itself."
    )
    narrative: str | None = Field(None, description="Why this future, in the analyst's words.")
    signposts: list[Signpost] = Field([], description="What would show it is unfolding.")
    correlations: list[CorrelationEntry] | None = Field(
        None, description="Rank correlations between named assumptions (inherited if omitted)."
    )
    draws: PositiveInt | None = Field(None, description="Default number of draws.")
    seed: NonNegativeInt | None = Field(None, description="Default seed.")


# ---------------------------------------------------------------------------------------
# Reading YAML with line numbers.


@dataclass
class _Located:
    """Data read from files, with the file and line that set each path."""

    data: Any
    where: dict[Path_, tuple[Path, int]] = field(default_factory=dict)

    def locate(self, path: Path_) -> tuple[Path | None, int | None]:
        return locate(self.where, path)


_constructor = yaml.constructor.SafeConstructor()
_SCALARS = {
    "tag:yaml.org,2002:null": _constructor.construct_yaml_null,
    "tag:yaml.org,2002:bool": _constructor.construct_yaml_bool,
    "tag:yaml.org,2002:int": _constructor.construct_yaml_int,
    "tag:yaml.org,2002:float": _constructor.construct_yaml_float,
}
_TEXT_TAGS = ("tag:yaml.org,2002:str", "tag:yaml.org,2002:timestamp")
_COLLECTION_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")


def _fail(file: Path, line: int, path: Path_, message: str) -> ScenarioFileError:
    return ScenarioFileError([Problem(dotted(path) or DOCUMENT, message, file, line)])


def read_yaml(file: Path, *, mapping: bool = True) -> _Located:
    """One YAML file as plain data with the line of every key and item.

    The top level must be a mapping unless ``mapping`` is false (a list is then allowed).
    """
    try:
        size = file.stat().st_size
    except OSError as exc:
        raise ScenarioFileError([Problem(DOCUMENT, f"cannot read: {exc.strerror}", file)]) from None
    if size > MAX_FILE_BYTES:
        raise _fail(
            file,
            1,
            (),
            f"file is {size / 1e6:.1f} MB; case and scenario files are limited "
            f"to {MAX_FILE_BYTES / 1e6:.0f} MB",
        )
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise _fail(file, 1, (), f"not UTF-8 text ({exc.reason})") from None
    for n, row in enumerate(text.splitlines(), start=1):
        indent = row[: len(row) - len(row.lstrip(" \t"))]
        if "\t" in indent:
            raise _fail(file, n, (), "tab character in indentation; expected spaces")
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise _fail(file, line, (), f"not valid YAML: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise _fail(file, 1, (), f"not valid YAML: {exc}") from None
    if root is None:
        raise _fail(file, 1, (), "the file is empty; expected a mapping of keys to values")
    if mapping and not isinstance(root, yaml.MappingNode):
        raise _fail(file, root.start_mark.line + 1, (), "expected a mapping of keys to values")
    builder = _Builder(file)
    data = builder.build(root, ())
    where = {p: (file, n) for p, n in builder.lines.items()}
    where[()] = (file, root.start_mark.line + 1)
    return _Located(data, where)


class _Builder:
    """Turns a composed YAML node tree into plain data, recording lines, counting nodes."""

    def __init__(self, file: Path) -> None:
        self.file = file
        self.lines: dict[Path_, int] = {}
        self.count = 0

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.count += 1
        line = node.start_mark.line + 1
        if self.count > MAX_NODES:
            raise _fail(
                self.file,
                line,
                path,
                f"expands to more than {MAX_NODES:,} values (aliases "
                "repeated many times?); expected a plain, hand-written file",
            )
        if not isinstance(node, yaml.ScalarNode) and node.tag not in _COLLECTION_TAGS:
            raise _fail(
                self.file,
                line,
                path,
                f"tag {node.tag} is not allowed; expected plain lists and mappings",
            )
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            items = []
            for i, item in enumerate(node.value):
                here = (*path, i)
                self.lines[here] = item.start_mark.line + 1
                items.append(self.build(item, here))
            return items
        assert isinstance(node, yaml.ScalarNode)
        if node.tag in _TEXT_TAGS:
            return str(node.value)
        if node.tag in _SCALARS:
            return _SCALARS[node.tag](node)
        raise _fail(
            self.file,
            line,
            path,
            f"tag {node.tag} is not allowed; expected plain numbers, "
            "text, true/false, null, lists and mappings",
        )

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _fail(
                    self.file, line, path, "merge keys (<<) are not supported; write the keys out"
                )
            if not isinstance(key_node, yaml.ScalarNode):
                raise _fail(self.file, line, path, "a key must be plain text or a number")
            key = self.build(key_node, path)
            if isinstance(key, float | bool) or key is None:
                key = str(key_node.value)
            if key in out:
                first = self.lines.get((*path, key))
                raise _fail(
                    self.file,
                    line,
                    (*path, key),
                    f"duplicate key '{key}' (first at line {first}); expected each key once",
                )
            here = (*path, key)
            self.lines[here] = line
            out[key] = self.build(value_node, here)
        return out


# ---------------------------------------------------------------------------------------
# Turning pydantic errors into located problems.


def _validate(
    model: type[BaseModel],
    located: _Located,
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


def _overlay(parent: _Located, overlay: _Located) -> _Located:
    """The parent's case data with an overlay merged in, each path keeping its origin."""
    partial = {k: v for k, v in overlay.data.items() if k not in SCENARIO_KEYS}
    replaced = list(_leaves(expand(partial)))
    where = {p: v for p, v in parent.where.items() if not any(p[: len(r)] == r for r in replaced)}
    where.update({p: v for p, v in overlay.where.items() if not p or p[0] not in SCENARIO_KEYS})
    return _Located(apply_overlay(parent.data, overlay.data), where)


@dataclass
class _ScenarioDoc:
    file: Path
    located: _Located
    keys: ScenarioFile


class CaseFolder(Mapping[str, Scenario]):
    """A case read from a folder: a read-only mapping of scenario names to scenarios.

    Iterating gives the names (``baseline`` first); ``folder[name]`` the scenario, resolved
    through its ``extends`` chain; ``folder.case`` the case itself and ``folder.path`` the
    folder it came from.
    """

    def __init__(self, path: Path, case: Case, scenarios: dict[str, Scenario]) -> None:
        self.path = path
        self.case = case
        self._scenarios = scenarios

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

    ``path`` is the folder, or any file in it. Problems in any file are collected and
    raised together as one :class:`~recogmodel.errors.ScenarioFileError`.
    """
    folder = Path(path)
    if folder.is_file():
        folder = folder.parent
    case_file = folder / CASE_FILE
    if not case_file.is_file():
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
    case_located = read_yaml(case_file)
    case = _validate(Case, case_located)
    assert isinstance(case, Case)
    docs: dict[str, _ScenarioDoc] = {}
    for file in sorted(folder.glob("*.y*ml")):
        if file.name == CASE_FILE or file.suffix not in (".yaml", ".yml"):
            continue
        try:
            doc = _read_scenario(file)
        except ScenarioFileError as exc:
            problems += exc.problems
            continue
        docs[doc.keys.scenario] = doc
    scenarios: dict[str, Scenario] = {}
    names = ["baseline", *sorted(n for n in docs if n != "baseline")]
    for name in names:
        try:
            scenarios[name] = _resolve(name, case_located, docs)
        except ScenarioFileError as exc:
            problems += [p for p in exc.problems if p not in problems]
    if problems:
        raise ScenarioFileError(unique(problems))
    return CaseFolder(folder, case, scenarios)


def _read_scenario(file: Path) -> _ScenarioDoc:
    located = read_yaml(file)
    own = {k: v for k, v in located.data.items() if k in SCENARIO_KEYS}
    if "scenario" not in own:
        raise _fail(
            file,
            1,
            ("scenario",),
            f"a scenario file needs 'scenario: {file.stem}' (its name, equal to the file's stem)",
        )
    keys = _validate(ScenarioFile, _Located(own, located.where))
    assert isinstance(keys, ScenarioFile)
    if keys.scenario != file.stem:
        line = located.where[("scenario",)][1]
        raise _fail(
            file,
            line,
            ("scenario",),
            f"names the scenario '{keys.scenario}' but the file is "
            f"{file.name}; expected 'scenario: {file.stem}'",
        )
    return _ScenarioDoc(file, located, keys)


def _resolve(name: str, case: _Located, docs: dict[str, _ScenarioDoc]) -> Scenario:
    chain: list[str] = []
    current: str | None = name
    while current is not None:
        if current in chain:
            doc = docs[chain[-1]]
            line = doc.located.where[("extends",)][1]
            cycle = " → ".join([*chain, current])
            raise _fail(
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
            raise _fail(
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
            Scenario, _Located(data, where), prefix=("case",), also_allowed=SCENARIO_KEYS
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
    return scenario


# ---------------------------------------------------------------------------------------
# JSON Schema of both kinds of file.


def _optional_everywhere(node: Any) -> None:
    """Drop ``required`` from every object of a schema except estimate families."""
    if isinstance(node, dict):
        defs = node.get("$defs", {})
        for name, definition in defs.items():
            if not name.endswith("Estimate"):
                definition.pop("required", None)
                _optional_everywhere(definition)


def schema(kind: Literal["case", "scenario"] = "case") -> dict[str, Any]:
    """The JSON Schema of a case file or a scenario file, generated from the models."""
    if kind == "case":
        out = Case.model_json_schema()
        out["title"] = "recogmodel case file"
        return out
    if kind != "scenario":
        raise InputError(
            [Problem("kind", f"'{kind}' is not a kind of file; expected 'case' or 'scenario'")]
        )
    case = Case.model_json_schema()
    own = ScenarioFile.model_json_schema()
    _optional_everywhere(case)
    properties = {k: v for k, v in case["properties"].items() if k not in SCENARIO_KEYS}
    properties.update(own["properties"])
    defs = {**case.get("$defs", {}), **own.get("$defs", {})}
    return {
        "title": "recogmodel scenario file",
        "description": "A partial case deep-merged over its parent, plus the scenario's own keys.",
        "type": "object",
        "additionalProperties": False,
        "properties": properties,
        "required": ["scenario"],
        "$defs": defs,
    }
