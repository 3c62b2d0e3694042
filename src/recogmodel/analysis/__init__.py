"""analysis."""

from ._all import (
    SUPPORT_WEIGHTS,
    Observation,
    ObservationOutsideEnsembleWarning,
    Posterior,
    Priorities,
    PriorityRow,
    Sensitivity,
    SensitivityMethod,
    SensitivityRow,
    SignpostRow,
    SignpostTable,
    priorities,
    read_observations,
    sensitivity,
    signposts,
    update,
)

__all__ = [
    "SUPPORT_WEIGHTS",
    "Observation",
    "ObservationOutsideEnsembleWarning",
    "Posterior",
    "Priorities",
    "PriorityRow",
    "Sensitivity",
    "SensitivityMethod",
    "SensitivityRow",
    "SignpostRow",
    "SignpostTable",
    "priorities",
    "read_observations",
    "sensitivity",
    "signposts",
    "update",
]
