"""Errors: one base class, and problems that print as FILE:LINE: field: message."""

from __future__ import annotations

from pathlib import Path

import pytest

from recogmodel.errors import InputError, Problem, ScenarioFileError


def test_problem_prints_where_and_what() -> None:
    """A problem prints file, line, field and message, leaving out what it does not know."""
    full = Problem("drivers.x.weight", "low end must be below high end", Path("a.yaml"), 14)
    assert str(full) == "a.yaml:14: drivers.x.weight: low end must be below high end"
    assert str(Problem("draws", "expected a whole number >= 1")) == (
        "draws: expected a whole number >= 1"
    )
    assert (
        str(Problem("(document)", "not UTF-8", Path("b.yaml"))) == "b.yaml: (document): not UTF-8"
    )


def test_input_error_lists_every_problem_and_exposes_the_first() -> None:
    """An InputError's message has one line per problem; file, line, field are the first's."""
    err = ScenarioFileError(
        [Problem("a", "first", Path("x.yaml"), 3), Problem("b", "second", Path("y.yaml"), 5)]
    )
    assert str(err).splitlines() == ["x.yaml:3: a: first", "y.yaml:5: b: second"]
    assert (err.file, err.line, err.field) == (Path("x.yaml"), 3, "a")
    assert isinstance(err, ValueError)


def test_input_error_from_text_and_never_empty() -> None:
    """A plain message is one problem without a field; no problems at all is a bug."""
    assert str(InputError("something is wrong")) == "something is wrong"
    with pytest.raises(ValueError, match="needs at least one problem"):
        InputError([])
