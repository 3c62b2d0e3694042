"""Compare every shipped scenario on trade and on recognitions.

An editor asks: "what would have to be true for trade to double?" The analyst runs all six
scenarios of the case with the same seed, prints where each puts bilateral trade and the
number of states recognising the Taliban government in 2030 and 2035, and saves one chart per
indicator with every scenario on it, so the editor can see which stories overlap and which
stand apart.

    python examples/compare_scenarios.py
"""

from __future__ import annotations

from pathlib import Path

import recogmodel as rm

CASE = Path(__file__).resolve().parent.parent / "scenarios" / "russia_taliban"
INDICATORS = ("bilateral_trade", "recognising_states")


def main() -> None:
    folder = rm.load_case(CASE)
    projections = [rm.project(s, draws=5_000, seed=7) for s in folder.values()]
    for indicator in INDICATORS:
        unit = folder.case.indicators[indicator].unit
        print(f"\n{folder.case.indicators[indicator].label} ({unit}): median [90% range]")
        for proj in projections:
            cells = []
            for year in (2030, 2035):
                row = proj.summary(year)[indicator]
                low, mid, high = (row.formatted(v) for v in (row.low, row.median, row.high))
                cells.append(f"{year}: {mid} [{low} – {high}]")
            print(f"  {proj.scenario.title:<40} " + "   ".join(cells))
        ax = rm.plot.compare(projections, indicator)
        print("saved", rm.plot.save(ax, Path(f"compare_{indicator}.png")))


if __name__ == "__main__":
    main()
