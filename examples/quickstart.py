"""Quick start: one scenario, one table, one figure.

An analyst has just read that Russia recognised the Taliban government and wants to know
what the relationship's numbers could look like by 2030 if nothing dramatic happens. She
loads the shipped case, projects its baseline ("formalised continuity") with 10,000 draws,
prints the median and 90 % range of every indicator in 2030, and saves a fan chart of
bilateral trade to put in her note.

Run it from anywhere; the figure lands in the current folder:

    python examples/quickstart.py
"""

from __future__ import annotations

from pathlib import Path

import recogmodel as rm

CASE = Path(__file__).resolve().parent.parent / "scenarios" / "russia_taliban"


def main() -> None:
    folder = rm.load_case(CASE)
    baseline = folder["baseline"]
    proj = rm.project(baseline, draws=10_000, seed=2025)
    print(proj.summary(year=2030))
    for note in proj.diagnostics.notes():
        print("note:", note)
    ax = rm.plot.fan_chart(proj, "bilateral_trade")
    path = rm.plot.save(ax, Path("fan_bilateral_trade.png"))
    print(f"saved {path}")


if __name__ == "__main__":
    main()
