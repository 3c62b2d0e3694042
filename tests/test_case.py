"""The case models built in Python: bounds in the types, rules across fields."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

import recogmodel as rm

from .conftest import small_case_data


def build(**changes: Any) -> rm.Case:
    return rm.Case.model_validate(small_case_data(**changes))


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
