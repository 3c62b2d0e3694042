"""The JSON Schema of case files and scenario files, generated from the models.

An editor given this schema checks a file as it is typed; ``recogmodel schema`` prints it.
"""

from __future__ import annotations

from typing import Any, Literal

from ..errors import InputError, Problem
from ..model import SCENARIO_KEYS, Case
from .folder import ScenarioFile

__all__ = ["schema"]


def _optional_everywhere(node: Any) -> None:
    """Drop ``required`` from every object of a schema except estimate families."""
    if isinstance(node, dict):
        defs = node.get("$defs", {})
        for name, definition in defs.items():
            if not name.endswith("Estimate"):
                definition.pop("required", None)
                _optional_everywhere(definition)


def schema(kind: Literal["case", "scenario"] = "case") -> dict[str, Any]:
    """The JSON Schema of a case file or a scenario file, generated from the models.

    Parameters
    ----------
    kind
        ``"case"`` for ``case.yaml``; ``"scenario"`` for a scenario file, in which every
        key of the case is optional (it is a partial case) and the scenario's own keys
        are added.

    Returns
    -------
    dict
        The schema, ready for ``json.dumps``.

    Raises
    ------
    InputError
        If ``kind`` is neither ``"case"`` nor ``"scenario"``.
    """
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
