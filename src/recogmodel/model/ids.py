"""The names and years every model of a case is keyed by."""

from __future__ import annotations

from typing import Annotated, TypeAlias

from pydantic import Field, StringConstraints

__all__ = ["Identifier", "Year"]

#: A short name of a driver, indicator, event, source or scenario.
Identifier: TypeAlias = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64),
    Field(description="A short name: lower-case letters, digits and underscores."),
]
#: A calendar year.
Year: TypeAlias = Annotated[int, Field(ge=1900, le=2300, description="A calendar year.")]
