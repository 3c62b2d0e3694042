"""The JSON Schema of case and scenario files, generated from the models."""

from __future__ import annotations

import json
from typing import Any, Literal

import pytest

import recogmodel as rm
from recogmodel.io import folder
from recogmodel.io.schema import schema
from recogmodel.io.yaml import read_yaml

from .conftest import SHIPPED, small_case_data

CASE_DEFS = (
    "Baseline",
    "Driver",
    "Effect",
    "Event",
    "EventEffects",
    "HistoryPoint",
    "Indicator",
    "Intensity",
    "Source",
)


def test_schemas_are_json_serialisable() -> None:
    """Both schemas are plain JSON-serialisable dicts that survive a round trip."""
    for kind in ("case", "scenario"):
        schema = rm.schema(kind)
        assert isinstance(schema, dict)
        assert json.loads(json.dumps(schema)) == schema
        assert schema["type"] == "object"


def test_case_schema_requires_drivers() -> None:
    """The case schema requires drivers (and the other keys a case cannot do without)."""
    schema = rm.schema("case")
    assert {"case", "start", "horizon", "sources", "drivers", "indicators"} <= set(
        schema["required"]
    )
    assert "events" not in schema["required"]
    assert schema["additionalProperties"] is False


def test_scenario_schema_requires_only_scenario() -> None:
    """The scenario schema requires only `scenario`; no part of a case is required in it."""
    schema = rm.schema("scenario")
    assert schema["required"] == ["scenario"]
    assert {"scenario", "extends", "narrative", "signposts", "correlations"} <= set(
        schema["properties"]
    )
    assert {"drivers", "indicators", "events", "horizon"} <= set(schema["properties"])
    for name in CASE_DEFS:
        assert "required" not in schema["$defs"][name], name
    # the case schema is left untouched by building the scenario schema
    assert "required" in rm.schema("case")["$defs"]["Driver"]


def test_estimate_families_keep_their_required_keys() -> None:
    """In the scenario schema, an estimate family still needs its own keys."""
    defs = rm.schema("scenario")["$defs"]
    assert defs["PertEstimate"]["required"] == ["low", "mode", "high"]
    assert defs["UniformEstimate"]["required"] == ["low", "high"]
    assert defs["FixedEstimate"]["required"] == ["value"]
    assert defs["WordEstimate"]["required"] == ["word"]


def test_schema_of_an_unknown_kind_is_refused() -> None:
    """schema('other') raises InputError saying which kinds exist."""
    with pytest.raises(rm.InputError, match="expected 'case' or 'scenario'"):
        rm.schema("other")  # type: ignore[arg-type]


def expanded_small_case() -> dict[str, Any]:
    """The small case's data with every shorthand written out in full."""
    data = small_case_data()
    data["drivers"]["security"]["intensity"] = {"start": 0.5}
    for driver in data["drivers"].values():
        driver["effects"] = {k: {"size": v} for k, v in driver["effects"].items()}
    return data


def test_case_schema_validates_a_full_case_file() -> None:
    """A case file with no shorthands validates against the case schema; a typo does not."""
    jsonschema = pytest.importorskip("jsonschema")
    schema = rm.schema("case")
    jsonschema.validate(expanded_small_case(), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**expanded_small_case(), "horizn": 2030}, schema)


def test_case_schema_accepts_shorthands() -> None:
    """The small case as written (intensity and effect shorthands) validates against the schema."""
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.validate(small_case_data(), rm.schema("case"))


def test_scenario_schema_validates_a_scenario_file() -> None:
    """A partial scenario file fits the scenario schema; one without a name does not."""
    jsonschema = pytest.importorskip("jsonschema")
    schema = rm.schema("scenario")
    scenario = {
        "scenario": "deepening",
        "extends": "baseline",
        "drivers": {"trade_push": {"weight": "0.35 to 0.50"}},
        "indicators": {"trade": {"drift": "0.05 to 0.15"}},
        "events": {"contract": {"probability": "likely"}},
        "correlations": [
            {"between": ["drivers.trade_push.weight", "indicators.trade.drift"], "rho": 0.5}
        ],
        "signposts": [{"indicator": "trade", "by": 2028, "above": 600}],
    }
    jsonschema.validate(scenario, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"title": "No name"}, schema)


def test_scenario_schema_accepts_correlation_triples() -> None:
    """A correlation written as [first, second, rho] validates against the scenario schema."""
    jsonschema = pytest.importorskip("jsonschema")
    scenario = {
        "scenario": "deepening",
        "correlations": [["drivers.trade_push.weight", "indicators.trade.drift", 0.5]],
    }
    jsonschema.validate(scenario, rm.schema("scenario"))


def test_shipped_files_validate_against_their_schemas() -> None:
    """Every shipped case and scenario file is valid under the JSON Schema of its kind."""
    jsonschema = pytest.importorskip("jsonschema")
    for file in sorted(SHIPPED.glob("*.yaml")):
        kind: Literal["case", "scenario"] = "case" if file.name == "case.yaml" else "scenario"
        jsonschema.validate(read_yaml(file).data, rm.schema(kind))


def test_schema_is_still_found_where_it_was() -> None:
    """recogmodel.schema and recogmodel.io.folder.schema are io.schema.schema."""
    assert rm.schema is schema
    assert folder.schema is schema
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        folder.nothing  # noqa: B018


def test_text_fields_have_length_limits_and_one_line_patterns() -> None:
    """Labels, titles and units are one line of bounded length; notes have a limit too."""
    case = schema("case")
    indicator = case["$defs"]["Indicator"]["properties"]
    for name in ("label", "unit"):
        assert indicator[name]["maxLength"] == 200
        assert "\\n" not in indicator[name]["pattern"]
        assert "\x00-\x1f" in indicator[name]["pattern"]
    assert case["properties"]["title"]["maxLength"] == 200
    description = json.dumps(indicator["description"])
    assert '"maxLength": 5000' in description
    scenario = schema("scenario")
    assert '"maxLength": 200' in json.dumps(scenario["properties"]["title"])
    assert '"maxLength": 5000' in json.dumps(scenario["properties"]["narrative"])
