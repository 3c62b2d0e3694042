"""The second edition of the model language in the engine: derived indicators, links,
reversion, hazards and fades, checked against hand computations and closed forms.
"""

from __future__ import annotations

import copy
import math
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import special

import recogmodel as rm
from recogmodel.model import Case, Scenario, levels
from recogmodel.model.parameters import reaching


def indicator(value: float, scale: str = "linear", **extra: Any) -> dict[str, Any]:
    """An indicator of baseline ``value`` in 2025, sourced, without noise."""
    return {
        "label": "I",
        "unit": "u",
        "scale": scale,
        "baseline": {"year": 2025, "value": value, "sources": ["s"]},
        **extra,
    }


def base_case(**parts: Any) -> dict[str, Any]:
    """One driver ``d`` (weight 1, intensity 0.5 rising 0.1 a year) and the given parts."""
    data: dict[str, Any] = {
        "case": "dynamics",
        "title": "Dynamics",
        "actor": "Someone",
        "start": 2025,
        "horizon": 2030,
        "sources": {"s": {"title": "S"}},
        "drivers": {
            "d": {
                "label": "D",
                "weight": 1,
                "intensity": {"start": 0.5, "trend": 0.1},
                "effects": {},
                "sources": ["s"],
            }
        },
        "indicators": {},
        "events": {},
    }
    for key, value in parts.items():
        data[key] = value
    return data


def run(data: dict[str, Any], **kw: Any) -> rm.Projection:
    return rm.project(Scenario.from_case(Case.model_validate(data)), **kw)


def hand_case() -> dict[str, Any]:
    """Every feature at once, every number fixed, no noise."""
    data = base_case(
        indicators={
            "a": indicator(10.0),
            "b": indicator(
                5.0, links={"a": {"size": 0.5, "lag": 1}}, reversion={"to": 8, "rate": 0.25}
            ),
            "c": indicator(0.0, links={"a": {"size": 2.0, "lag": 0}}),
            "r": {"label": "R", "unit": "u", "scale": "log", "formula": "a / b"},
        },
        events={
            "e": {
                "label": "E",
                # A base chance that never fires, until the hazard lifts the log-odds by
                # 10,000 x 0.1 = 1,000 a year after the driver's intensity has risen.
                "probability": 1e-300,
                "hazard": {"drivers": {"d": 10_000}, "indicators": {"c": 0.0}},
                "effects": {"indicators": {"a": 1.0}, "fade": {"half_life": 1}},
            }
        },
    )
    data["drivers"]["d"]["effects"] = {"a": 0.2}
    return data


def test_every_feature_at_once_equals_a_hand_computation() -> None:
    """A link (lag 1 and 0), a reversion, a hazard, a fade and a formula, by hand."""
    proj = run(hand_case(), draws=3, seed=5)
    years = list(range(2025, 2031))
    a, b, c, left = {2025: 10.0}, {2025: 5.0}, {2025: 0.0}, 0.0
    for y in years[1:]:
        t = y - 2025
        intensity = 0.5 + 0.1 * t
        fires = y == 2027  # the first year whose last-year intensity is above its start
        before = left
        left = left * 0.5 + (1.0 if fires else 0.0)
        a[y] = a[y - 1] + 0.2 * intensity + (left - before)
        change = a[y - 1] - a[y - 2] if y - 2 in a else 0.0
        b[y] = b[y - 1] + 0.5 * change + 0.25 * (8 - b[y - 1])
        c[y] = c[y - 1] + 2.0 * (a[y] - a[y - 1])
    for k, path in (("a", a), ("b", b), ("c", c)):
        np.testing.assert_allclose(proj.values(k), [[path[y] for y in years]] * 3, rtol=1e-12)
    np.testing.assert_allclose(proj.values("r"), [[a[y] / b[y] for y in years]] * 3)
    assert proj.fired[:, :, 0].sum(axis=1).tolist() == [1, 1, 1]
    assert proj.fired[:, years.index(2027), 0].all()


def test_a_derived_indicator_equals_its_formula_draw_by_draw() -> None:
    """With noisy inputs, the derived values are the formula of the inputs' values."""
    data = base_case(
        indicators={
            "reach": indicator(17_000.0, "log", volatility=0.2, drift="-0.05 to 0.05"),
            "need": indicator(2.29e7, "log", volatility=0.05),
            "coverage": {
                "label": "C",
                "unit": "share",
                "scale": "logit",
                "formula": "min(reach / need, 1)",
            },
        }
    )
    proj = run(data, draws=2000, seed=3)
    expected = np.minimum(proj.values("reach") / proj.values("need"), 1)
    np.testing.assert_allclose(proj.values("coverage"), expected, rtol=1e-12)


def test_a_recurring_hazard_fires_at_the_logistic_rate() -> None:
    """Per-year firing shares match logit p(y) = logit p0 + b x(y - 1) within MC error."""
    data = base_case(
        indicators={"g": indicator(0.0, drift=0.3)},
        events={
            "e": {
                "label": "E",
                "probability": 0.2,
                "recurring": True,
                "hazard": {"drivers": {"d": -4.0}, "indicators": {"g": 1.5}},
            }
        },
    )
    n = 40_000
    proj = run(data, draws=n, seed=8)
    for t in range(1, 6):
        x_driver, x_indicator = 0.1 * (t - 1), 0.3 * (t - 1)
        p = special.expit(special.logit(0.2) - 4.0 * x_driver + 1.5 * x_indicator)
        share = proj.fired[:, t, 0].mean()
        assert abs(share - p) < 4 * math.sqrt(p * (1 - p) / n), (t, share, p)
    rate = proj.diagnostics.events["e"]
    assert rate.state_dependent
    assert rate.asked == pytest.approx(0.2)
    assert rate.observed == pytest.approx(proj.fired[:, 1:, 0].mean(), rel=1e-12)
    assert any("base chance 20.0%" in note for note in proj.diagnostics.notes())


@pytest.mark.parametrize("by", [None, 2030])
def test_a_once_only_hazard_stops_after_firing_and_follows_the_formula(by: int | None) -> None:
    """A once-only event's chance moves too (per year, or from a chance by a year)."""
    event: dict[str, Any] = {"label": "E", "probability": 0.1, "hazard": {"indicators": {"g": 1.0}}}
    base = 0.1
    if by is not None:
        event = {**event, "probability": 0.4, "by": by}
        base = 1 - 0.6 ** (1 / 5)  # the per-year hazard of 40 % by 2030
    data = base_case(indicators={"g": indicator(0.0, drift=0.5)}, events={"e": event})
    n = 40_000
    proj = run(data, draws=n, seed=9)
    survive, expected = 1.0, []
    for t in range(1, 6):
        p = special.expit(special.logit(base) + 0.5 * (t - 1))
        expected.append(survive * p)
        survive *= 1 - p
    shares = proj.fired[:, 1:, 0].mean(axis=0)
    np.testing.assert_allclose(shares, expected, atol=4 * math.sqrt(0.25 / n))
    assert proj.fired[:, :, 0].sum(axis=1).max() == 1


def test_a_fading_jump_is_half_gone_after_its_half_life() -> None:
    """A jump of 1 at a fixed year: after half_life years, 0.5 of it is left."""
    data = base_case(
        indicators={"x": indicator(3.0)},
        events={
            "e": {
                "label": "E",
                "year": 2026,
                "effects": {"indicators": {"x": 1.0}, "fade": {"half_life": 3}},
            }
        },
    )
    proj = run(data, draws=2, seed=1)
    x = proj.values("x")[0]
    assert x[1] == pytest.approx(4.0)
    assert x[4] == pytest.approx(3.5, abs=1e-12)
    np.testing.assert_allclose(x[1:] - 3.0, 0.5 ** (np.arange(5) / 3))


def test_a_fading_shift_returns_the_intensity_when_the_event_says_so() -> None:
    """With fade.drivers: true the driver's pressure returns by half every half-life."""
    data = base_case(
        indicators={"x": indicator(0.0)},
        events={
            "e": {
                "label": "E",
                "year": 2026,
                "effects": {"drivers": {"d": 0.2}, "fade": {"half_life": 1, "drivers": True}},
            }
        },
    )
    data["drivers"]["d"]["intensity"] = {"start": 0.5, "trend": 0}
    data["drivers"]["d"]["effects"] = {"x": 1.0}
    proj = run(data, draws=2, seed=1)
    steps = np.diff(proj.values("x")[0])
    np.testing.assert_allclose(steps, 0.5 + 0.2 * 0.5 ** np.arange(5))


def test_reversion_closes_the_gap_at_the_geometric_rate() -> None:
    """z(t) - z(to) = (z0 - z(to)) (1 - rate)^t, here on the log scale."""
    data = base_case(indicators={"x": indicator(100.0, "log", reversion={"to": 400, "rate": 0.3})})
    proj = run(data, draws=2, seed=1)
    gap = np.log(proj.values("x")[0]) - math.log(400)
    np.testing.assert_allclose(gap, math.log(100 / 400) * 0.7 ** np.arange(6), rtol=1e-12)


def test_a_link_adds_the_sources_change_lag_years_later() -> None:
    """A lag-2 link: the follower moves by size x the source's change two years before."""
    data = base_case(
        indicators={
            "a": indicator(0.0, drift=1.0),
            "b": indicator(0.0, links={"a": {"size": 0.5, "lag": 2}}),
        }
    )
    proj = run(data, draws=2, seed=1)
    assert proj.values("b")[0].tolist() == [0.0, 0.0, 0.0, 0.5, 1.0, 1.5]


def test_sampled_coefficients_are_named_assumptions_that_reach_their_indicators() -> None:
    """Each coefficient is a parameter; paths go on through links, formulas and hazards."""
    data = hand_case()
    data["indicators"]["b"]["links"]["a"]["size"] = "0.3 to 0.8"
    data["indicators"]["b"]["reversion"]["rate"] = "0.1 to 0.3"
    data["events"]["e"]["hazard"]["drivers"]["d"] = "-2 to -0.5"
    data["events"]["e"]["effects"]["fade"]["half_life"] = "1 to 3"
    case = Case.model_validate(data)
    proj = rm.project(Scenario.from_case(case), draws=1000, seed=1)
    for name in (
        "indicators.b.links.a.size",
        "indicators.b.reversion.rate",
        "events.e.hazard.drivers.d",
        "events.e.effects.fade.half_life",
    ):
        assert name in proj.parameter_names
    reached = reaching(case, "r")
    assert "drivers.d.effects.a" in reached  # through the formula r = a / b
    assert "indicators.b.links.a.size" in reached
    assert "events.e.hazard.drivers.d" in reached  # the event jumps a
    assert "drivers.d.intensity.trend" in reaching(case, "c")  # through the lag-0 link
    assert levels(case) == {"a": 0, "b": 0, "c": 1, "r": 1}


def with_every_feature(data: dict[str, Any]) -> dict[str, Any]:
    """The small hand case made noisy and uncertain."""
    data = copy.deepcopy(data)
    data["indicators"]["a"]["volatility"] = 0.1
    data["indicators"]["b"]["volatility"] = "0.05 to 0.2"
    data["indicators"]["b"]["links"]["a"]["size"] = "0.3 to 0.8"
    data["events"]["e"]["probability"] = 0.2
    data["events"]["e"]["recurring"] = True
    data["events"]["e"]["hazard"]["drivers"]["d"] = "-2 to -0.5"
    return data


EVERY_FEATURE = Scenario.from_case(Case.model_validate(with_every_feature(hand_case())))


@settings(max_examples=10, deadline=None)
@given(
    chunk=st.integers(1, 4000),
    seed=st.integers(0, 2**16),
    sampling=st.sampled_from(["random", "lhs"]),
)
def test_chunk_sizes_never_change_the_numbers_with_every_feature(
    chunk: int, seed: int, sampling: str
) -> None:
    """Any chunk size gives the one-chunk result, bit for bit, with every feature on."""
    kw: dict[str, Any] = {"draws": 2500, "seed": seed, "sampling": sampling}
    whole = rm.project(EVERY_FEATURE, chunk_size=10**6, **kw)
    cut = rm.project(EVERY_FEATURE, chunk_size=chunk, **kw)
    np.testing.assert_array_equal(whole.data, cut.data)
    np.testing.assert_array_equal(whole.fired, cut.fired)
    np.testing.assert_array_equal(whole.parameter_values, cut.parameter_values)


def test_executors_give_the_serial_result_with_every_feature() -> None:
    """A thread pool and a process pool give the serial numbers, bit for bit."""
    serial = rm.project(EVERY_FEATURE, draws=3000, seed=4, chunk_size=1024)
    for pool in (ThreadPoolExecutor(2), ProcessPoolExecutor(2)):
        with pool:
            other = rm.project(EVERY_FEATURE, draws=3000, seed=4, chunk_size=1024, executor=pool)
        np.testing.assert_array_equal(serial.data, other.data)
        np.testing.assert_array_equal(serial.fired, other.fired)


def noisy_pair() -> dict[str, Any]:
    """Two noisy indicators and a recurring event: what a zero coefficient must not touch."""
    return base_case(
        indicators={
            "a": indicator(10.0, volatility=0.3, drift="0 to 0.2"),
            "b": indicator(1.0, "log", volatility=0.1),
        },
        events={
            "e": {
                "label": "E",
                "probability": "0.1 to 0.3",
                "recurring": True,
                "effects": {"indicators": {"a": 1.0}},
            },
            "f": {"label": "F", "probability": 0.3, "effects": {"indicators": {"b": 0.2}}},
        },
    )


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lag=st.integers(0, 3), where=st.sampled_from(["link", "hazard_e", "hazard_f"]))
def test_a_coefficient_of_zero_changes_nothing_bit_for_bit(lag: int, where: str) -> None:
    """A link, or a hazard on a recurring or once-only event, with coefficient 0."""
    data = noisy_pair()
    plain = run(data, draws=1500, seed=2)
    changed = copy.deepcopy(data)
    if where == "link":
        changed["indicators"]["b"]["links"] = {"a": {"size": 0, "lag": lag}}
    else:
        event = "e" if where == "hazard_e" else "f"
        changed["events"][event]["hazard"] = {"drivers": {"d": 0}, "indicators": {"a": 0.0}}
    other = run(changed, draws=1500, seed=2)
    np.testing.assert_array_equal(plain.data, other.data)
    np.testing.assert_array_equal(plain.fired, other.fired)


@settings(max_examples=20, deadline=None)
@given(
    drift_a=st.floats(-0.5, 0.5),
    drift_b=st.floats(-0.5, 0.5),
    vol=st.floats(0, 1),
    seed=st.integers(0, 2**16),
)
def test_a_derived_share_stays_within_its_bounds_when_its_inputs_do(
    drift_a: float, drift_b: float, vol: float, seed: int
) -> None:
    """Shares derived as a / (a + 1) and as min/max of shares stay in their bounds."""
    data = base_case(
        indicators={
            "a": indicator(5.0, "log", drift=drift_a, volatility=vol),
            "b": indicator(0.3, "logit", drift=drift_b, volatility=vol),
            "s": {"label": "S", "unit": "share", "scale": "logit", "formula": "a / (a + 1)"},
            "m": {
                "label": "M",
                "unit": "share",
                "scale": "linear",
                "formula": "max(0, min(b, 1 - b))",
                "bounds": [0, 0.5],
            },
        }
    )
    proj = run(data, draws=300, seed=seed)
    for k, high in (("s", 1.0), ("m", 0.5)):
        v = proj.values(k)
        assert np.isfinite(v).all()
        assert (v >= 0).all()
        assert (v <= high).all()
    assert proj.diagnostics.bounds_touched["m"] == 0.0


def test_a_derived_indicator_is_observed_updated_on_signposted_and_plotted() -> None:
    """The shipped coverage (reach over need) works like any other indicator downstream."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    from recogmodel import plot

    from .conftest import ROOT

    folder = rm.load_case(ROOT / "scenarios" / "russia_taliban")
    projections = [rm.project(folder[n], draws=1500, seed=3) for n in ("baseline", "bloc")]
    coverage = projections[1].values("aid_coverage")
    observed = float(np.median(coverage[:, projections[1].year_index(2028)]))
    with pytest.warns(rm.IndistinguishableScenariosWarning):  # coverage barely differs
        weights = rm.update(projections, [rm.Observation("aid_coverage", 2028, observed)])
    assert math.isclose(sum(weights.values()), 1.0)
    ax = plot.fan_chart(projections[0], "aid_coverage")
    assert ax.get_title(loc="left").startswith("Share of people in need")
    assert ax.collections  # the bands are drawn
    plt.close("all")
    signpost = rm.Signpost(indicator="aid_coverage", by=2030, above=0.0012)
    scenario = folder["bloc"].model_copy(update={"signposts": [signpost]})
    table = rm.signposts([projections[0], rm.project(scenario, draws=1500, seed=3)])
    assert 0 < table.probability[0, 1] < 1


def test_sensitivity_ranks_a_link_for_its_follower_and_explore_sweeps_it() -> None:
    """A link's size is an assumption like any other: ranked, swept, labelled."""
    data = base_case(
        indicators={
            "a": indicator(10.0, drift=1.0),
            "b": indicator(0.0, links={"a": {"size": "0 to 2", "lag": 1}}),
        }
    )
    scenario = Scenario.from_case(Case.model_validate(data))
    proj = rm.project(scenario, draws=2000, seed=1)
    ranked = rm.sensitivity(proj, "b", 2030)
    assert ranked.assumptions[int(np.argmax(ranked.importance[:, -1]))] == (
        "indicators.b.links.a.size"
    )
    for row in rm.sensitivity(proj, "a", 2030).ranking():  # no path from b back to a
        assert not (row.assumption == "indicators.b.links.a.size" and row.influential)
    sweep = rm.explore(
        scenario, {"indicators.b.links.a.size": (0.0, 2.0)}, samples=4, draws=200, seed=1
    )
    column = sweep.names.index("indicators.b.links.a.size")
    order = np.argsort(sweep.points[:, column])
    medians = sweep.values("b", 2030)[order]
    assert np.all(np.diff(medians) > 0)  # a larger link, a larger follower
    from recogmodel.text.labels import assumption_labels

    label = assumption_labels(["indicators.b.links.a.size"], scenario.case)
    assert label["indicators.b.links.a.size"] == "I: link to I"


def test_the_journal_knows_a_derived_indicators_last_value_from_its_inputs() -> None:
    """The no-change reference of a derived indicator is its formula of the inputs' last."""
    from recogmodel.journal.record import last_known

    from .conftest import ROOT

    known = last_known(rm.load_case(ROOT / "scenarios" / "russia_taliban")["baseline"])
    reach, need = known["aid_reach"][1], known["people_in_need"][1]
    assert known["aid_coverage"][0] == 2025  # the later of its inputs' years
    assert known["aid_coverage"][1] == pytest.approx(reach / (need * 1e6), rel=1e-5)
