"""Observation files: what was seen of an indicator in a year, read from YAML or CSV.

An observation is ``(indicator, year, value)`` with optionally a source and a note. Files are
a YAML list (or that list under the key ``observations``), read with the same safe loader and
limits as case files, or a CSV table with a header. Every problem names the file, the line
and the field, as an :class:`~recogmodel.errors.ObservationFileError`; observations given in
Python are validated by the same model (:func:`as_observations`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import Field, ValidationError, field_validator

from .._base import Model
from .._problems import input_error, problems_from
from ..errors import ObservationFileError, Problem, ScenarioFileError
from .yaml import read_bounded, read_yaml

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .._problems import Path_

__all__ = ["Observation", "ObservationLike", "as_observations", "read_observations"]


@dataclass(frozen=True)
class Observation:
    """An observed value of an indicator in a year, with where it came from."""

    indicator: str
    """The indicator observed, by its id."""
    year: int
    """The year of the observation (a projected year, for :func:`~recogmodel.analysis.update`)."""
    value: float
    """In the indicator's own unit (a share as a fraction: 0.25, not 25)."""
    source: str | None = None
    """Where the value comes from."""
    note: str | None = None
    """Anything a reader should know about it."""
    file: Path | None = field(default=None, compare=False)
    """The file it was read from, if any (for error messages)."""
    line: int | None = field(default=None, compare=False)
    """The line it was read from, if any."""

    def __str__(self) -> str:
        return f"{self.indicator} {self.year} = {self.value:g}"


#: What may stand for an observation in Python: the object, an ``(indicator, year, value
#: [, source[, note]])`` tuple, or a mapping with those keys.
ObservationLike = Observation | tuple[Any, ...] | Mapping[str, Any]

_OBSERVATION_KEYS = ("indicator", "year", "value", "source", "note")


class _ObservationEntry(Model):
    """An observation as a caller or a file writes it: what gets validated."""

    indicator: str = Field(min_length=1, description="The indicator observed.")
    year: int = Field(description="The year of the observation.")
    value: float = Field(description="The observed value, in the indicator's unit.")
    source: str | None = Field(None, description="Where the value comes from.")
    note: str | None = Field(None, description="Anything a reader should know about it.")

    @field_validator("source", "note", mode="before")
    @classmethod
    def _as_text(cls, value: Any) -> Any:
        """A source written as a bare year or number is text, as the analyst means it."""
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        return None if value == "" else value


class _ObservationFile(Model):
    observations: list[_ObservationEntry]


def _entry(item: Any) -> Any:
    """An observation given in Python as the mapping a file would hold."""
    if isinstance(item, Observation):
        return {k: getattr(item, k) for k in _OBSERVATION_KEYS}
    if isinstance(item, tuple | list) and 3 <= len(item) <= 5:
        return dict(zip(_OBSERVATION_KEYS, item, strict=False))
    return item


def as_observations(items: Sequence[ObservationLike]) -> tuple[Observation, ...]:
    """Observations given in Python, validated together.

    Parameters
    ----------
    items
        :class:`Observation` objects (kept as they are), ``(indicator, year, value)``
        tuples with optionally a source and a note, or mappings with those keys.

    Returns
    -------
    tuple of Observation
        In the order given.

    Raises
    ------
    InputError
        For every item that is not an observation, each at its position
        (``observations.<i>.<field>``).
    """
    data = {"observations": [_entry(o) for o in items]}
    try:
        parsed = _ObservationFile.model_validate(data)
    except ValidationError as exc:
        raise input_error(exc, data, _ObservationFile) from None
    return tuple(
        o if isinstance(o, Observation) else Observation(**entry.model_dump())
        for o, entry in zip(items, parsed.observations, strict=True)
    )


def _observations_from(
    file: Path, data: dict[str, Any], where: Mapping[Path_, tuple[Path, int]], shown: str
) -> list[Observation]:
    """Validate ``{"observations": [...]}`` read from ``file``; problems at their lines.

    ``shown`` is how a problem's field starts: ``observations.`` when the file said so, ``""``
    for a bare YAML list, or ``row`` for CSV (whose fields are columns, found by line).
    """
    try:
        parsed = _ObservationFile.model_validate(data)
    except ValidationError as exc:
        problems = problems_from(exc, data, _ObservationFile, where=where)
        if shown != "observations.":
            problems = [
                Problem(_relabel(p.field, shown), p.message, p.file, p.line) for p in problems
            ]
        raise ObservationFileError(problems) from None
    return [
        Observation(**entry.model_dump(), file=file, line=where[("observations", i)][1])
        for i, entry in enumerate(parsed.observations)
    ]


def _relabel(field: str, shown: str) -> str:
    rest = field.removeprefix("observations.")
    if shown == "row":
        return rest.split(".", 1)[1] if "." in rest else "(row)"
    return rest


def _read_yaml_observations(file: Path) -> list[Observation]:
    try:
        located = read_yaml(file, mapping=False)
    except ScenarioFileError as exc:  # the reader is shared with case files
        raise ObservationFileError(exc.problems) from None
    data, where = located.data, dict(located.where)
    expected = "expected a list of observations, or a mapping with the key 'observations'"
    if isinstance(data, dict):
        other = sorted(str(k) for k in data if k != "observations")
        if other or "observations" not in data:
            line = where.get((other[0],), where[()])[1] if other else where[()][1]
            raise ObservationFileError(
                [Problem(other[0] if other else "(document)", expected, file, line)]
            )
        return _observations_from(file, data, where, "observations.")
    if not isinstance(data, list):
        raise ObservationFileError([Problem("(document)", expected, file, where[()][1])])
    nested = {("observations", *path): at for path, at in where.items()}
    return _observations_from(file, {"observations": data}, nested, "")


def _read_csv_observations(file: Path, text: str) -> list[Observation]:
    rows = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(rows, [])]
    unknown = [h for h in header if h not in _OBSERVATION_KEYS]
    missing = [h for h in ("indicator", "year", "value") if h not in header]
    if unknown or missing or len(set(header)) != len(header):
        what = [f"unknown column {', '.join(unknown)}"] if unknown else []
        what += [f"missing column {', '.join(missing)}"] if missing else []
        what += ["a repeated column"] if len(set(header)) != len(header) else []
        raise ObservationFileError(
            [
                Problem(
                    "(header)",
                    f"{'; '.join(what)}; expected the columns indicator, year, value and "
                    "optionally source, note",
                    file,
                    1,
                )
            ]
        )
    entries: list[dict[str, str]] = []
    where: dict[Path_, tuple[Path, int]] = {}
    problems = []
    for row in rows:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(
                Problem(
                    "(row)",
                    f"{len(row)} cells; expected {len(header)} ({', '.join(header)})",
                    file,
                    rows.line_num,
                )
            )
            continue
        cells = {h: c.strip() for h, c in zip(header, row, strict=True)}
        cells["value"] = cells["value"].replace(",", "")
        where[("observations", len(entries))] = (file, rows.line_num)
        entries.append(cells)
    if problems:
        raise ObservationFileError(problems)
    return _observations_from(file, {"observations": entries}, where, "row")


def read_observations(path: str | Path) -> list[Observation]:
    """Read observations from a YAML or CSV file.

    YAML: a list of mappings with ``indicator``, ``year``, ``value`` and optionally
    ``source`` and ``note`` (or that list under the key ``observations``), read with the
    same safe loader and limits as case files. CSV: a header
    ``indicator,year,value[,source,note]`` and one observation per row.

    Parameters
    ----------
    path
        A ``.yaml``, ``.yml`` or ``.csv`` file.

    Returns
    -------
    list of Observation
        In the file's order, each with the file and line it was read from.

    Raises
    ------
    ObservationFileError
        Every problem in the file, each with the file, the line and the field.
    """
    file = Path(path)
    suffix = file.suffix.lower()
    if suffix not in (".yaml", ".yml", ".csv"):
        raise ObservationFileError(
            [Problem("(file)", "expected a .yaml, .yml or .csv file of observations", file)]
        )
    if suffix != ".csv":
        return _read_yaml_observations(file)
    try:  # bounded and non-blocking, like a case file
        raw = read_bounded(file)
    except ScenarioFileError as exc:
        raise ObservationFileError(
            [Problem("(file)", p.message, p.file, p.line) for p in exc.problems]
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ObservationFileError(
            [Problem("(file)", f"not UTF-8 text ({exc.reason})", file, 1)]
        ) from None
    return _read_csv_observations(file, text)
