"""A different case, built entirely in Python: no YAML, nothing from the shipped case.

The library is not tied to Russia and the Taliban. Here an analyst models Norland, a
fictional coastal state that has just opened an Arctic shipping route and states three
interests in it: fee revenue from transits, protection of its fisheries, and a security
presence on the route. Every number is an illustrative assumption, cited to a source that
says so. She builds the case from the typed models, adds a scenario where a major spill
makes protection the priority, and compares the two.

    python examples/another_case_in_python.py
"""

from __future__ import annotations

from pathlib import Path

import recogmodel as rm

ILLUSTRATIVE = rm.Source(
    title="Illustrative figures for the Norland example",
    note="Invented for the example; not an assessment of any real state.",
)


def norland() -> rm.Case:
    """The structural model: drivers, indicators, an event, every number cited."""
    return rm.Case(
        case="norland_arctic",
        title="Norland's Arctic shipping route",
        actor="Norland (fictional)",
        start=2026,
        horizon=2036,
        sources={"illustrative": ILLUSTRATIVE},
        drivers={
            "fees": rm.Driver(
                label="Transit fee revenue",
                weight="0.4 to 0.6",
                intensity=rm.Intensity(start=0.7, trend="0 to 0.02"),
                effects={"transits": rm.Effect(size="0.10 to 0.25")},
                sources=["illustrative"],
            ),
            "fisheries": rm.Driver(
                label="Protecting the fisheries",
                weight="0.2 to 0.4",
                intensity=0.5,
                effects={"transits": -0.05, "flag_share": 0.3},
                sources=["illustrative"],
            ),
            "security": rm.Driver(
                label="Security presence on the route",
                weight="0.1 to 0.3",
                intensity=rm.Intensity(start=0.4, trend=0.02),
                effects={"patrol_vessels": 1.5},
                sources=["illustrative"],
            ),
        },
        indicators={
            "transits": rm.Indicator(
                label="Transits of the route",
                unit="voyages per year",
                scale="log",
                baseline=rm.Baseline(year=2025, value="40 to 60", sources=["illustrative"]),
                drift="0.00 to 0.05",
                volatility=0.15,
            ),
            "flag_share": rm.Indicator(
                label="Share of transits under Norland's flag",
                unit="share",
                scale="logit",
                baseline=rm.Baseline(year=2026, value="5% to 10%", sources=["illustrative"]),
                volatility=0.1,
            ),
            "patrol_vessels": rm.Indicator(
                label="Patrol vessels on the route",
                unit="vessels",
                scale="linear",
                baseline=rm.Baseline(year=2026, value=3, sources=["illustrative"]),
                bounds=(0, 25),
            ),
        },
        events={
            "major_spill": rm.Event(
                label="A major oil spill on the route",
                probability="very unlikely",
                effects=rm.EventEffects(indicators={"transits": -0.3}, drivers={"fisheries": 0.3}),
                sources=["illustrative"],
            )
        },
    )


def main() -> None:
    case = norland()
    calm = rm.Scenario.from_case(case, title="Route opens calmly")
    spill = calm.with_changes(
        {"events": {"major_spill": {"year": 2028, "probability": 1.0}}},
        name="spill_2028",
        title="A spill in 2028",
    )
    projections = [rm.project(s, draws=5_000, seed=3) for s in (calm, spill)]
    for proj in projections:
        print(proj.summary(2036), end="\n\n")
    ax = rm.plot.compare(projections, "transits")
    print("saved", rm.plot.save(ax, Path("norland_transits.png")))


if __name__ == "__main__":
    main()
