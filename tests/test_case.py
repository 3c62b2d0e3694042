"""The case models built in Python: bounds in the types, rules across fields, overlays."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

import recogmodel as rm
from recogmodel.model.scenario import apply_overlay, merge

from .conftest import small_case_data


def build(**changes: Any) -> rm.Case:
    return rm.Case.model_validate(small_case_data(**changes))


def test_parameters_list_every_assumption_slot_once(small_case: rm.Case) -> None:
    """parameters() names every estimate of the case with the dotted path a file uses."""
    names = [p.name for p in small_case.parameters()]
    assert len(names) == len(set(names))
    assert names[:4] == [
        "drivers.trade_push.weight",
        "drivers.trade_push.intensity.start",
        "drivers.trade_push.intensity.trend",
        "drivers.trade_push.effects.trade",
    ]
    assert "indicators.trade.baseline.value" in names
    assert "events.recognition.effects.drivers.security" in names
    roles = {p.name: (p.role, p.keys) for p in small_case.parameters()}
    assert roles["drivers.trade_push.effects.share"] == ("effect", ("trade_push", "share"))
    assert roles["events.contract.effects.indicators.trade"] == ("jump", ("contract", "trade"))


def test_domains_follow_the_indicator(small_case: rm.Case) -> None:
    """A baseline's domain is its indicator's: positive on log, inside (0, 1) on logit."""
    domains = {p.name: p.domain for p in small_case.parameters()}
    assert str(domains["indicators.trade.baseline.value"]) == "(0, ∞)"
    assert str(domains["indicators.share.baseline.value"]) == "(0, 1)"
    assert str(domains["indicators.count.baseline.value"]) == "[1, 50]"
    assert str(domains["events.recognition.probability"]) == "[0, 1]"


def test_sources_cited_lists_every_number_per_source(small_case: rm.Case) -> None:
    """sources_cited() maps each source to every driver and baseline that cites it."""
    cited = small_case.sources_cited()
    assert set(cited) == {"src"}
    assert "drivers.trade_push" in cited["src"]
    assert "indicators.count.baseline" in cited["src"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"horizon": 2024}, "horizon 2024 must be after start 2025"),
        ({"yardstick": "nato"}, "'icd203' or 'phia'"),
        ({"sources": {}}, "at least 1 item"),
        ({"case": "Small Case"}, "should match pattern"),
    ],
)
def test_python_built_cases_are_checked_too(changes: dict[str, Any], message: str) -> None:
    """A case built in Python is validated exactly as a file is."""
    with pytest.raises(ValidationError, match=message):
        build(**changes)


def test_cross_references_name_both_ends() -> None:
    """An effect on an unknown indicator names the effect and the indicators there are."""
    data = small_case_data()
    data["drivers"]["security"]["effects"] = {"recognitions": 1}
    with pytest.raises(ValidationError) as info:
        rm.Case.model_validate(data)
    text = str(info.value)
    assert "drivers.security.effects.recognitions" in text
    assert "known indicators: count, share, trade" in text


def test_word_on_another_yardstick_is_refused() -> None:
    """An event word object read on PHIA cannot sit in an ICD 203 case."""
    data = small_case_data()
    data["events"]["recognition"]["probability"] = {
        "dist": "word",
        "word": "realistic possibility",
        "yardstick": "phia",
    }
    with pytest.raises(ValidationError, match="read on the phia yardstick but the case uses"):
        rm.Case.model_validate(data)
    data["yardstick"] = "phia"
    assert rm.Case.model_validate(data).yardstick == "phia"


def test_case_words_follow_the_case_yardstick() -> None:
    """The same word in a PHIA case samples from PHIA's band."""
    data = small_case_data(yardstick="phia")
    case = rm.Case.model_validate(data)
    word = case.events["recognition"].probability
    assert word.stated_range() == (0.25, 0.35)


def test_fixed_year_event_defaults_to_certain() -> None:
    """An event with a year and no probability happens in that year for sure."""
    event = rm.Event(label="Contract", year=2027)
    assert event.probability.is_fixed
    assert event.probability.mean() == 1.0
    with pytest.raises(ValidationError, match="needs a probability"):
        rm.Event(label="Contract")


def test_signpost_needs_exactly_one_threshold() -> None:
    """A signpost is above or below a threshold, not both, not neither."""
    assert rm.Signpost(indicator="trade", by=2028, below=200).threshold == 200
    with pytest.raises(ValidationError, match="exactly one of 'above' or 'below'"):
        rm.Signpost(indicator="trade", by=2028, above=1, below=2)
    with pytest.raises(ValidationError, match="exactly one of 'above' or 'below'"):
        rm.Signpost(indicator="trade", by=2028)


def test_key_assumptions_must_name_real_assumptions() -> None:
    """A dotted key assumption must exist; a name without a dot is structural."""
    ok = build(
        key_assumptions={
            "indicators.trade.drift": {"support": "unsupported", "rationale": "no series"},
            "no_human_rights_brake": {"support": "caveated", "rationale": "the source says"},
        }
    )
    assert ok.key_assumptions["indicators.trade.drift"].support == "unsupported"
    with pytest.raises(ValidationError, match=r"'indicators\.trade\.drfit' is not an assumption"):
        build(key_assumptions={"indicators.trade.drfit": {"support": "solid", "rationale": "x"}})


def test_scenario_checks_signposts_and_correlations(small_case: rm.Case) -> None:
    """A scenario's signposts and correlations are checked against its merged case."""
    with pytest.raises(ValidationError, match="year 2031 is outside the projected years"):
        rm.Scenario.from_case(
            small_case, signposts=[{"indicator": "trade", "by": 2031, "above": 1}]
        )
    with pytest.raises(ValidationError, match="is fixed, so it cannot be correlated"):
        rm.Scenario.from_case(
            small_case,
            correlations=[["drivers.security.weight", "indicators.trade.drift", 0.3]],
        )


def test_with_changes_merges_and_reports_bad_input(small_scenario: rm.Scenario) -> None:
    """with_changes deep-merges partial case data; bad data is an InputError with its path."""
    faster = small_scenario.with_changes(
        {"indicators": {"trade": {"drift": 0.1}}}, name="faster", title="Faster"
    )
    assert faster.case.indicators["trade"].drift.mean() == 0.1
    assert (
        faster.case.indicators["trade"].volatility
        == small_scenario.case.indicators["trade"].volatility
    )
    assert (faster.name, faster.title) == ("faster", "Faster")
    with pytest.raises(rm.InputError) as info:
        small_scenario.with_changes({"indicators": {"trade": {"drift": "likely"}}})
    assert info.value.field == "case.indicators.trade.drift"
    assert "probability word" in str(info.value)


def test_merge_rules() -> None:
    """Mappings merge; scalars, lists and estimates replace; null removes a key."""
    base = {"a": {"b": 1, "c": [1, 2]}, "w": {"dist": "pert", "low": 0, "mode": 1, "high": 2}}
    over = {"a": {"c": [3], "d": 4}, "w": {"dist": "uniform", "low": 0, "high": 1}}
    assert merge(base, over) == {
        "a": {"b": 1, "c": [3], "d": 4},
        "w": {"dist": "uniform", "low": 0, "high": 1},
    }
    assert merge({"a": 1, "b": 2}, {"b": None}) == {"a": 1}


def test_apply_overlay_expands_shorthands_first() -> None:
    """A plain intensity over a full one is constant; scenario keys never reach the case."""
    data = small_case_data()
    merged = apply_overlay(
        data,
        {"scenario": "alt", "narrative": "x", "drivers": {"trade_push": {"intensity": 0.7}}},
    )
    assert merged["drivers"]["trade_push"]["intensity"] == {"start": 0.7, "trend": 0.0}
    assert "narrative" not in merged
    assert data["drivers"]["trade_push"]["intensity"]["trend"] == "0 to 0.03"  # not mutated
