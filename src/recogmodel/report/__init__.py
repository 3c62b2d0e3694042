"""The HTML report: one self-contained file that carries a whole analysis, for readers who
will not run Python.

:func:`build_report` reports a :class:`~recogmodel.Study` (or a case folder, studied with
its defaults) and renders, in reading order: the case's title, actor, years and settings
(case folder, scenarios, draws, seeds, library version); a summary table (every
indicator's sourced baseline, and its median and 90 % range under every scenario in the
chosen years); per scenario its narrative, what it changes from the baseline (each
estimate described back in plain numbers) and its signposts with their probabilities; the
figures (a comparison per indicator, every scenario's fan charts, driver weights, tornado
charts of the key indicators, the signpost matrix); the research priorities; and every
source with the numbers that cite it. :func:`write_report` writes it atomically.

The file is self-contained: figures are inline SVG whose text stays text (selectable,
searchable, printed sharp), styles sit in one ``<style>`` element, and there is no script,
no web font and no remote resource of any kind; a Content Security Policy in the page
forbids them too. It is rendered by Jinja2 with autoescaping, so a narrative that contains
markup shows as text; the only markup passed through unescaped is SVG: what matplotlib
writes, whose own text matplotlib escapes, and the report's own charts, which escape theirs.

Modules: :mod:`~recogmodel.report.view` (what the template receives),
:mod:`~recogmodel.report.values` (estimates in words), :mod:`~recogmodel.report.changes`
(what a scenario changes from the baseline), :mod:`~recogmodel.report.sources`
(citations), :mod:`~recogmodel.report.svg` (figures), :mod:`~recogmodel.report.charts`
(fans and comparisons as plain SVG), :mod:`~recogmodel.report.build`
(the study prepared as the view, and rendered).
"""

from .build import build_report, write_report

__all__ = ["build_report", "write_report"]
