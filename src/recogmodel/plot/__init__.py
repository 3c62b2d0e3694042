"""plot."""

from ._all import (
    AUTO_LOG_RATIO,
    FORMATS,
    LINESTYLES,
    PALETTE,
    YScale,
    compare,
    dashboard,
    driver_weights,
    fan_chart,
    normalised_weights,
    save,
    signpost_matrix,
    tornado,
)

__all__ = [
    "AUTO_LOG_RATIO",
    "FORMATS",
    "LINESTYLES",
    "PALETTE",
    "YScale",
    "compare",
    "dashboard",
    "driver_weights",
    "fan_chart",
    "normalised_weights",
    "save",
    "signpost_matrix",
    "tornado",
]
