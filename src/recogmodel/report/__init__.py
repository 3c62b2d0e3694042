"""report."""

from ._all import (
    DEFAULT_DRAWS,
    TORNADOES,
    build_report,
    write_report,
)

__all__ = [
    "DEFAULT_DRAWS",
    "TORNADOES",
    "build_report",
    "write_report",
]
