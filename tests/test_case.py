"""The case models built in Python: bounds in the types, rules across fields."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
import yaml
from pydantic import ValidationError

import recogmodel as rm

from .conftest import SHIPPED, small_case_data

if TYPE_CHECKING:
    from pathlib import Path


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


@pytest.mark.parametrize(("chance", "expected"), [(0.3, 0.3), ("likely", (0.55 + 0.80) / 2)])
def test_a_chance_by_a_year_is_the_share_fired_by_then(chance: Any, expected: float) -> None:
    """`by: 2028`: the share of draws fired by 2028 is the stated chance, within MC error."""
    data = small_case_data()
    data["events"]["shock"] = {
        "label": "A shock",
        "probability": chance,
        "by": 2028,
        "effects": {"indicators": {"trade": -0.1}},
    }
    draws = 20_000
    proj = rm.project(rm.Scenario.from_case(rm.Case.model_validate(data)), draws=draws, seed=6)
    fired = proj.events["shock"]
    by = fired[:, : proj.years.index(2028) + 1].any(axis=1).mean()
    later = fired.any(axis=1).mean()
    error = (expected * (1 - expected) / draws) ** 0.5
    assert abs(by - expected) < 4 * error
    assert later > by  # the hazard goes on after the stated year, once only
    assert (fired.sum(axis=1) <= 1).all()


@pytest.mark.parametrize(
    ("event", "message"),
    [
        ({"by": 2028, "recurring": True}, "once-only event"),
        ({"by": 2028, "year": 2027}, "once-only event"),
        ({"by": 2025}, "not after the case's start"),
    ],
)
def test_a_chance_by_a_year_needs_a_once_only_event_after_the_start(
    event: dict[str, Any], message: str
) -> None:
    """`by` with recurring, with a fixed year, or at the start is refused."""
    data = small_case_data()
    data["events"]["shock"] = {"label": "A shock", "probability": 0.3, **event}
    with pytest.raises(ValidationError, match=message):
        rm.Case.model_validate(data)


def test_a_baseline_is_a_fact_or_an_explained_assumption() -> None:
    """sources: makes a fact; informed_by: with a rationale, an assumption; neither is refused."""
    data = small_case_data()
    data["indicators"]["share"]["baseline"] = {
        "year": 2025,
        "value": 0.02,
        "informed_by": ["src"],
        "rationale": "No source counts it; judged from the trade imbalance.",
    }
    case = rm.Case.model_validate(data)
    basis = {p.name: p.basis for p in case.parameters()}
    assert basis["indicators.share.baseline.value"] == "assumption"
    assert basis["indicators.trade.baseline.value"] == "fact"
    data["indicators"]["share"]["baseline"].pop("rationale")
    with pytest.raises(ValidationError, match="needs a rationale"):
        rm.Case.model_validate(data)


def test_an_ungrounded_baseline_is_refused_at_its_line(tmp_path: Path) -> None:
    """A baseline with neither sources nor informed_by + rationale: refused at its line."""
    data = small_case_data()
    data["indicators"]["share"]["baseline"] = {"year": 2025, "value": 0.02, "note": "Guessed."}
    text = yaml.safe_dump(data, sort_keys=False)
    (tmp_path / "case.yaml").write_text(text)
    lines = text.splitlines()
    share = lines.index("  share:")
    line = next(i for i in range(share, len(lines)) if lines[i].strip() == "baseline:") + 1
    with pytest.raises(rm.ScenarioFileError) as info:
        rm.load_case(tmp_path)
    (problem,) = info.value.problems
    assert problem.field.startswith("indicators.share.baseline")
    assert problem.line == line
    assert "informed_by" in problem.message
    assert "rationale" in problem.message


def test_the_shipped_case_marks_its_unsourced_baselines_as_assumptions() -> None:
    """The export names the four baselines no source states as assumptions."""
    proj = rm.project(rm.load_case(SHIPPED)["baseline"], draws=200, seed=1)
    record = proj.to_dict()
    basis = {k: v["baseline"]["basis"] for k, v in record["indicators"].items()}
    unsourced = {"russian_projects", "security_cooperation", "currency_settlement"}
    unsourced.add("eu_border_arrivals")
    assert {k for k, b in basis.items() if b == "assumption"} >= unsourced
    assert basis["bilateral_trade"] == "fact"
    assert basis["people_in_need"] == "fact"
    assert basis["aid_coverage"] == "derived"  # reach over need: no baseline of its own
    rows = {r["name"]: r for r in record["basis"]}
    for k in unsourced:
        row = rows[f"indicators.{k}.baseline.value"]
        assert row["basis"] == "assumption"
        assert row["rationale"]
        assert not row["sources"]


def test_event_chances_say_what_a_per_year_word_means_by_the_horizon() -> None:
    """'very unlikely' a year reads 40–89 % by 2035; a chance by a year converts back."""
    from recogmodel.model.chances import event_chances

    chances = {c.event: c for c in event_chances(rm.load_case(SHIPPED)["baseline"].case)}
    # The attack's chance moves with counter-terrorism (a hazard): the word is its base.
    attack = chances["isisk_attack_russia"]
    assert str(attack) == "very unlikely a year (base): 40–89 % by 2035 if unmoved"
    assert attack.moves_with == ("counter_terrorism", "security_cooperation")
    assert str(chances["border_crisis"]) == "almost no chance a year: 10–40 % by 2035"
    assert str(chances["western_sanctions"]) == "unlikely by 2035: 20–45 % by 2035"
    low, high = chances["currency_agreement"].per_year
    assert 1 - (1 - low) ** 5 == pytest.approx(0.20)
    assert 1 - (1 - high) ** 5 == pytest.approx(0.45)


def test_facts_text_lists_facts_assumptions_and_chances() -> None:
    """Validate --facts: facts with their sources, assumptions, and every chance by 2035."""
    from recogmodel.model.basis import facts_text

    text = facts_text(rm.load_case(SHIPPED))
    assert "indicators.bilateral_trade.baseline.value  [recognition_analysis" in text
    assert "  indicators.eu_border_arrivals.baseline.value  informed by" in text
    assert "border_crisis (migration_lever): likely by 2028" in text
    assert "opening_attack (security_first)" in text
