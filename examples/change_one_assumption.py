"""Change one assumption and see how the ranges move.

A colleague doubts the baseline: "Moscow cares more about the Afghan market than you
assume." Rather than argue, the analyst raises one number, the weight of the market-access
driver, from "0.20 to 0.35" to "0.40 to 0.60", projects both versions with the same seed
(common random numbers, so the difference is the assumption's alone), and prints how the
median and the 90 % range of every indicator move by 2035.

    python examples/change_one_assumption.py
"""

from __future__ import annotations

from pathlib import Path

import recogmodel as rm

CASE = Path(__file__).resolve().parent.parent / "scenarios" / "russia_taliban"


def main() -> None:
    baseline = rm.load_case(CASE)["baseline"]
    keener = baseline.with_changes(
        {"drivers": {"market_access": {"weight": "0.40 to 0.60"}}},
        name="keener_on_markets",
        title="Baseline, market access weighted higher",
    )
    before = rm.project(baseline, draws=10_000, seed=11).summary(2035)
    after = rm.project(keener, draws=10_000, seed=11).summary(2035)
    print(f"{'indicator':<24}{'baseline median [90%]':>34}{'keener median [90%]':>34}")
    for name, row in before.items():
        new = after[name]
        old_text = (
            f"{row.formatted(row.median)} [{row.formatted(row.low)} – {row.formatted(row.high)}]"
        )
        new_text = (
            f"{new.formatted(new.median)} [{new.formatted(new.low)} – {new.formatted(new.high)}]"
        )
        print(f"{name:<24}{old_text:>34}{new_text:>34}")


if __name__ == "__main__":
    main()
