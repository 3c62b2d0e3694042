"""The one pydantic base class every recogmodel model inherits.

Shared configuration lives here so that a mistyped key fails loudly everywhere
(``extra="forbid"``), NaN and infinity are refused where a finite number is required, and
models are immutable values: a scenario never changes the case it was built from.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    """Base of every recogmodel model: strict about keys, finite numbers, immutable."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        allow_inf_nan=False,
        validate_default=True,
        populate_by_name=True,
        defer_build=True,
    )
