"""Every error recogmodel raises on purpose.

One base class, so a caller can catch everything the library refuses with one ``except``;
each subclass also inherits the built-in it resembles, so code that already catches
``ValueError`` or ``ImportError`` keeps working::

    RecogmodelError(Exception)
    ├── ProjectionTooLargeError(RecogmodelError, MemoryError)
    │                                                  a run that would not fit in memory
    ├── InputError(RecogmodelError, ValueError)        bad input: a model, an argument
    │   ├── ScenarioFileError(InputError)              bad input in a case or scenario file
    │   ├── ObservationFileError(InputError)           bad input in an observation file
    │   ├── JournalError(InputError)                   a forecast journal line that cannot be read
    │   └── UnknownScenarioError(InputError, KeyError) a scenario name a case does not have
    └── MissingExtraError(RecogmodelError, ImportError)
                                                       an optional dependency is not installed

    RecogmodelWarning(UserWarning)                     a result to read with care
    ├── ObservationOutsideEnsembleWarning              an observation no draw comes near
    ├── IndistinguishableScenariosWarning              scenarios the evidence cannot separate
    └── ExploreWarning                                 points of a sweep that failed

An input error may hold several problems (one per field that is wrong); its message lists
them one per line as ``FILE:LINE: dotted.field.path: what is wrong, what was expected``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

__all__ = [
    "ExploreWarning",
    "IndistinguishableScenariosWarning",
    "InputError",
    "JournalError",
    "MissingExtraError",
    "ObservationFileError",
    "ObservationOutsideEnsembleWarning",
    "Problem",
    "ProjectionTooLargeError",
    "RecogmodelError",
    "RecogmodelWarning",
    "ScenarioFileError",
    "TooFewDrawsWarning",
    "UnknownScenarioError",
]


class RecogmodelError(Exception):
    """Base class of every error recogmodel raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where it is and what was expected there.

    ``str()`` of it reads ``FILE:LINE: dotted.field.path: message``, leaving out what is
    not known.

    Parameters
    ----------
    field
        The dotted path of the offending field (``drivers.leverage.weight``), or an
        argument's Python name; empty when the input as a whole is wrong.
    message
        What is wrong, and what was expected.
    file, line
        Where the input came from, if from a file.
    """

    field: str
    message: str
    file: Path | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = f"{self.file}:{self.line}: " if self.line is not None else f"{self.file}: "
        field = f"{self.field}: " if self.field else ""
        return f"{where}{field}{self.message}"


class InputError(RecogmodelError, ValueError):
    """Input that cannot be used: the message says where and what was expected.

    Parameters
    ----------
    problems
        Every problem found, at least one (a text is one problem with no field). The
        message lists them one per line.
    """

    def __init__(self, problems: list[Problem] | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(field="", message=problems)]
        if not problems:
            raise ValueError("an InputError needs at least one problem")
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @property
    def field(self) -> str:
        """The dotted path of the first problem's field."""
        return self.problems[0].field

    @property
    def file(self) -> Path | None:
        """The file of the first problem, if it came from a file."""
        return self.problems[0].file

    @property
    def line(self) -> int | None:
        """The line of the first problem, if it came from a file."""
        return self.problems[0].line


class ScenarioFileError(InputError):
    """A case or scenario file that cannot be read or does not describe a valid model."""


class ProjectionTooLargeError(RecogmodelError, MemoryError):
    """A projection whose arrays would not fit in the memory available."""


class MissingExtraError(RecogmodelError, ImportError):
    """An optional feature whose package is not installed; the message names the extra."""


class ObservationFileError(InputError):
    """An observation file (YAML or CSV) that cannot be read or holds invalid observations."""


class JournalError(InputError):
    """A forecast journal with a line that cannot be read (corrupt or cut short), at its line.

    The journal is never repaired or overwritten: the line stays for the analyst to mend.
    """


class UnknownScenarioError(InputError, KeyError):
    """A scenario name that the case folder does not hold (a ``KeyError`` for mappings)."""

    def __str__(self) -> str:  # KeyError would quote the message
        return InputError.__str__(self)


class RecogmodelWarning(UserWarning):
    """Base class of every warning recogmodel gives: a result to read with care."""


class ObservationOutsideEnsembleWarning(RecogmodelWarning):
    """An observation lies outside every scenario's projected range.

    None of the scenarios foresaw it; the posterior then rests on the smoothing floor
    and says little. Check the value and its units, or revisit the scenarios.
    """


class TooFewDrawsWarning(RecogmodelWarning):
    """A result asked for a precision its draws cannot give; the message says how many would.

    The Monte Carlo error of a figure falls as 1/sqrt(draws), so the draws that would do
    are the draws used times (error / target error) squared.
    """


class ExploreWarning(RecogmodelWarning):
    """Some points of an exploration failed; the failures are kept with their values."""


class IndistinguishableScenariosWarning(RecogmodelWarning):
    """Two scenarios whose ensembles agree on the observed cells within sampling noise:
    the evidence cannot separate them, and each takes half of what either would get.
    """
