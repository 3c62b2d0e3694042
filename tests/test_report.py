"""The HTML report: parses, complete, self-contained, escaped, written atomically, and
renders in headless Chromium.
"""

from __future__ import annotations

import html
import os
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib as mpl
import pytest
import yaml

import recogmodel as rm
import recogmodel.model.parameters
from recogmodel.report import build_report, write_report

from .conftest import small_case_data

if TYPE_CHECKING:
    from collections.abc import Iterator

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
VOID |= {"track", "wbr"}
DRAWS = 400
SEED = 11
NARRATIVE = 'Talks fail. <script>alert(1)</script> & "quotes" <b>stay</b> text.'
REPRODUCE = f"recogmodel report scenarios/russia_taliban --draws {DRAWS} --seed {SEED} -o r.html"


@dataclass
class Element:
    """One element of the page: its tag, its attributes and the text inside it."""

    tag: str
    attrs: dict[str, str]
    text: list[str] = field(default_factory=list)


class Page(HTMLParser):
    """Every element with its attributes, every id with the text inside it, and any tag that
    is not closed in order.
    """

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.open: list[Element] = []
        self.errors: list[str] = []
        self.styles: list[str] = []
        self.feed(html)
        self.close()
        self.errors += [f"<{e.tag}> never closed" for e in self.open]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Record the element; keep it open unless it is void."""
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.elements.append(element)
        if tag not in VOID:
            self.open.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Record a self-closed element."""
        self.elements.append(Element(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        """Close the innermost element, or note an end tag that closes the wrong one."""
        if tag in VOID:
            return
        if not self.open or self.open[-1].tag != tag:
            expected = self.open[-1].tag if self.open else "nothing"
            self.errors.append(f"</{tag}> closes <{expected}>")
            return
        self.open.pop()

    def handle_data(self, data: str) -> None:
        """Give the text to every open element (and to the stylesheet, inside <style>)."""
        for element in self.open:
            element.text.append(data)
        if self.open and self.open[-1].tag == "style":
            self.styles.append(data)

    def tags(self, name: str) -> list[Element]:
        """Every element with this tag, in document order."""
        return [e for e in self.elements if e.tag == name]

    def by_id(self, id_: str) -> Element:
        """The one element with this id."""
        (found,) = [e for e in self.elements if e.attrs.get("id") == id_]
        return found

    def text(self, id_: str) -> str:
        """The text inside the element with this id, whitespace collapsed."""
        return " ".join(" ".join(self.by_id(id_).text).split())


@pytest.fixture(scope="module")
def shipped_html(shipped: rm.CaseFolder) -> str:
    """The report of the shipped case, at few draws (built once for the module)."""
    return build_report(rm.Study(shipped, draws=DRAWS, seed=SEED), reproduce=REPRODUCE)


@pytest.fixture(scope="module")
def page(shipped_html: str) -> Page:
    """The shipped report, parsed."""
    return Page(shipped_html)


def write_small_folder(folder: Path) -> Path:
    """A small case folder: the case, a baseline with a hostile narrative, and a variant."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "case.yaml").write_text(yaml.safe_dump(small_case_data()), encoding="utf-8")
    baseline = {
        "scenario": "baseline",
        "title": "Base <i>line</i>",
        "narrative": NARRATIVE,
        "signposts": [{"indicator": "trade", "by": 2028, "above": 400, "note": "a <note>"}],
    }
    variant = {
        "scenario": "push",
        "title": "Trade push",
        "extends": "baseline",
        "narrative": "More trade.",
        "drivers": {"trade_push": {"weight": "0.5 to 0.7"}},
        "events": {
            "contract": {"year": 2028},
            "embargo": {
                "label": "An embargo",
                "probability": "unlikely",
                "effects": {"indicators": {"trade": -0.3}},
            },
        },
        "correlations": [["drivers.trade_push.weight", "indicators.trade.drift", 0.4]],
        "signposts": [{"indicator": "count", "by": 2030, "above": 1.5}],
    }
    for name, data in [("baseline", baseline), ("push", variant)]:
        (folder / f"{name}.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def small_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small case folder in a temporary directory."""
    return write_small_folder(tmp_path_factory.mktemp("case") / "small")


@pytest.fixture(scope="module")
def small_html(small_folder: Path) -> str:
    """The small case's report, built from a study of its path."""
    return build_report(rm.Study(small_folder, draws=300, seed=5))


# ---------------------------------------------------------------------------------------
# Structure


def test_html_parses_with_every_tag_closed_in_order(page: Page, shipped_html: str) -> None:
    """The page parses as HTML5 with a doctype, and every element is closed in order."""
    assert shipped_html.startswith("<!doctype html>")
    assert page.errors == []
    assert [e.tag for e in page.elements[:3]] == ["html", "head", "meta"]
    assert page.tags("meta")[0].attrs == {"charset": "utf-8"}
    assert any(m.attrs.get("name") == "viewport" for m in page.tags("meta"))


def test_every_section_is_present_in_reading_order(
    page: Page, shipped: rm.CaseFolder, shipped_html: str
) -> None:
    """Header, summary, each scenario, each figure group, priorities and sources, in order."""
    ids = [
        "about",
        "summary",
        "scenarios",
        *(f"scenario-{name}" for name in list(shipped)),
        "figures",
        "figures-compare",
        "figures-fans",
        "figures-weights",
        "figures-tornado",
        "figures-signposts",
        "priorities",
        "sources",
    ]
    positions = [shipped_html.index(f'id="{i}"') for i in ids]
    assert positions == sorted(positions)
    for i in ids:
        assert page.text(i), f"section {i} is empty"


def test_header_states_title_actor_years_seed_and_version(
    page: Page, shipped: rm.CaseFolder
) -> None:
    """The header names the case, its actor, its years, its folder, the draws, the seed,
    the version and the command it was given to rebuild it.
    """
    case = shipped.case
    header = page.text("about")
    assert page.tags("h1")[0].text == [case.title]
    assert "".join(page.tags("title")[0].text).startswith(case.title)
    for fact in [case.actor, f"{case.start}–{case.horizon}", f"{DRAWS:,} per scenario"]:
        assert fact in header
    assert f"Seed {SEED} " in header
    assert f"version {rm.__version__}" in header
    assert f"Case folder {shipped.path.name} " in header
    assert f"Rebuild {REPRODUCE}" in header


def test_settings_show_no_absolute_path_and_no_command_unless_given(
    small_html: str, small_folder: Path
) -> None:
    """A folder given by absolute path is shown by its name; no command is made up."""
    header = Page(small_html).text("about")
    assert small_folder.is_absolute()
    assert "Case folder small " in header
    assert str(small_folder.parent) not in small_html
    assert "Rebuild" not in header
    assert "recogmodel report" not in small_html
    assert "Seed 5 " in header
    assert "300 per scenario (Monte Carlo)" in header


def test_report_prints_the_study_numbers(small_folder: Path) -> None:
    """The report's summary holds the study's medians and ranges, and its draws and seed
    come from the study (10,000 draws by default, no default of the report's own).
    """
    study = rm.Study(small_folder, scenarios=["push"], seed=3)
    page = Page(build_report(study, years=[2030]))
    header = page.text("about")
    assert "10,000 per scenario" in header
    assert "Seed 3 " in header
    summary = page.text("summary")
    for row in study.projections["push"].summary(2030).values():
        low, high = row.formatted(row.low, row.low_error), row.formatted(row.high, row.high_error)
        assert f"{row.formatted(row.median, row.median_error)} {low} – {high}" in summary


def test_summary_table_has_every_indicator_scenario_and_year(
    page: Page, shipped: rm.CaseFolder
) -> None:
    """One row per indicator and year, one column per scenario, every baseline sourced."""
    summary = page.text("summary")
    table = next(e for e in page.tags("table") if "summary" in e.attrs.get("class", ""))
    head = " ".join(" ".join(table.text).split())
    for scenario in shipped.values():
        assert scenario.title in head
    for ind in shipped.case.indicators.values():
        assert ind.label in summary
        if ind.baseline is None:
            assert f"derived: {ind.formula}" in summary
        else:
            assert f"{ind.baseline.year}: " in summary
    rowgroups = [e for e in page.tags("th") if e.attrs.get("scope") == "rowgroup"]
    assert len(rowgroups) == len(shipped.case.indicators)
    assert all(e.attrs["rowspan"] == "2" for e in rowgroups)  # the default years: 2030, 2035
    assert "2030" in summary
    assert "2035" in summary
    refs = [a for a in page.tags("a") if "ref" in a.attrs.get("class", "")]
    assert refs
    assert all(a.attrs["href"].startswith("#source-") for a in refs)


def test_scenarios_state_what_they_change_from_the_baseline(page: Page) -> None:
    """Changed estimates are described back; added events and changed event years are shown."""
    deepening = page.text("scenario-deepening")
    assert "What it changes from the baseline" in deepening
    assert "drivers.market_access.weight" in deepening
    assert "0.2 to 0.35" in deepening  # the baseline's, as written
    assert "0.35 to 0.5" in deepening  # the scenario's
    assert "median 0.418" in deepening  # described back: the lognormal's median
    assert "events.large_labour_influx.year 2030 2029" in deepening
    assert "ρ = +0.50" in deepening  # its added correlation
    security = page.text("scenario-security_first")
    assert "New event: A mass-casualty ISIS-K attack in Russia in 2026" in security
    assert "events.opening_attack.effects.indicators.security_cooperation" in security
    assert "Security first" in security


def test_baseline_lists_key_assumptions_and_all_assumptions(
    page: Page, shipped: rm.CaseFolder
) -> None:
    """The baseline shows the rated key assumptions, and every number in a <details>, each
    marked fact or assumption.
    """
    base = page.text("scenario-baseline")
    for name, rating in shipped.case.key_assumptions.items():
        assert name in base
        assert " ".join(rating.rationale.split()) in base
    n = len(shipped["baseline"].case.parameters())
    assert f"All {n} numbers of this scenario, each a fact" in base
    assert len(page.tags("details")) >= 1
    facts = sum(1 for p in rm.model.parameters.case_parameters(shipped.case) if p.basis == "fact")
    assert 0 < facts < n
    assert base.count(" fact ") >= facts


def test_signposts_are_listed_with_their_probability(page: Page, shipped: rm.CaseFolder) -> None:
    """Each scenario lists each of its signposts, with a probability in percent and what it
    would tell (a scenario without signposts says so).
    """
    for scenario in shipped.values():
        text = page.text(f"scenario-{scenario.name}")
        assert "Signposts" in text
        if not scenario.signposts:
            assert "declares no signposts" in text
            continue
        for sp in scenario.signposts:
            assert f"by {sp.by}" in text
            if sp.note:
                assert " ".join(sp.note.split()) in text
        assert re.search(r"Chance here.*?\d+ %", text)
        assert re.search(r"Bayes factor [\d.∞]+; \d\.\d\d bits", text)


def test_priorities_and_sources_are_complete(page: Page, shipped: rm.CaseFolder) -> None:
    """Priorities are ranked; every source is listed with every number that cites it."""
    priorities = page.text("priorities")
    assert "Rank" in priorities
    assert "unsupported" in priorities
    cited: dict[str, set[str]] = {}
    for scenario in shipped.values():
        for source_id, names in scenario.case.sources_cited().items():
            cited.setdefault(source_id, set()).update(names)
    for source_id, source in shipped.case.sources.items():
        text = page.text(f"source-{source_id}")
        assert " ".join(source.title.split()) in text
        for name in cited[source_id]:
            assert name in text, f"{name} cites {source_id} but is not listed under it"
    assert "fact" in page.text("sources")
    assert "(in Security first only)" in page.text("source-crocus_attack_reports")


# ---------------------------------------------------------------------------------------
# Self-contained


def test_every_figure_is_an_inline_svg_with_real_text(page: Page, shipped_html: str) -> None:
    """Each <figure> holds one inline <svg> whose text is <text>, not glyph outlines."""
    figures = page.tags("figure")
    n_ind = 10
    assert len(figures) >= 2 * n_ind + 3  # compare + fan per indicator, weights, matrix...
    svgs = page.tags("svg")
    assert len(svgs) == len(figures)
    assert page.tags("img") == []
    assert "DejaVuSans-" not in shipped_html  # glyphs as paths would carry these ids
    inline = re.findall(r"<svg\b.*?</svg>", shipped_html, re.S)
    assert len(inline) == len(svgs)
    for svg in inline:
        root = ET.fromstring(svg)  # each figure is well-formed XML
        texts = [t for t in root.iter("{http://www.w3.org/2000/svg}text") if t.text]
        assert len(texts) >= 5


def test_nothing_is_loaded_from_the_network(page: Page, shipped_html: str) -> None:
    """No script, stylesheet, image, font or frame, nothing with src; links may leave."""
    for tag in ["script", "link", "img", "iframe", "object", "embed", "source", "video"]:
        assert page.tags(tag) == [], f"<{tag}> in the report"
    for element in page.elements:
        assert "src" not in element.attrs
        assert not any(a.startswith("on") for a in element.attrs), element
        href = element.attrs.get("href") or element.attrs.get("xlink:href")
        if href is not None and element.tag == "image":  # a heat map's pixels, inline
            assert href.startswith("data:image/png;base64,"), element
        elif href is not None and element.tag != "a":
            assert href.startswith("#"), element
    styles = " ".join(page.styles) + " ".join(e.attrs.get("style", "") for e in page.elements)
    assert "@import" not in styles
    assert "@font-face" not in styles
    assert re.findall(r"url\((?!#)", shipped_html) == []
    csp = [m for m in page.tags("meta") if m.attrs.get("http-equiv") == "Content-Security-Policy"]
    assert csp
    assert csp[0].attrs["content"].startswith("default-src 'none'")
    links = [a.attrs["href"] for a in page.tags("a")]
    assert all(h.startswith(("#", "https://", "http://")) for h in links)


def test_ids_are_unique_and_every_reference_resolves(page: Page, shipped_html: str) -> None:
    """No id appears twice (figures would borrow each other's clip paths), and every
    url(#...) and href="#..." points at an id on the page.
    """
    ids = [e.attrs["id"] for e in page.elements if "id" in e.attrs]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[A-Za-z][A-Za-z0-9_.:-]*", i) for i in ids)
    known = set(ids)
    refs = re.findall(r'(?:url\(#|href="#)([^")]*)', shipped_html)
    assert refs
    missing = sorted({r for r in refs if r not in known})
    assert missing == []


# ---------------------------------------------------------------------------------------
# Escaping, inputs, writing


def test_markup_in_the_case_is_shown_as_text(small_html: str) -> None:
    """A narrative with <script>, a title with <i> and a note with <note> stay text."""
    page = Page(small_html)
    assert page.errors == []
    assert page.tags("script") == []
    assert page.tags("i") == []
    assert page.tags("note") == []
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;quotes&#34;" in small_html
    assert "Base &lt;i&gt;line&lt;/i&gt;" in small_html
    assert NARRATIVE in page.text("scenario-baseline")


def test_small_case_report_is_complete(small_html: str) -> None:
    """A case folder in a temporary directory, given by path: changes, new event, sources."""
    page = Page(small_html)
    push = page.text("scenario-push")
    assert "drivers.trade_push.weight" in push
    assert "New event: An embargo" in push
    assert "events.contract.year 2027 2028" in push
    assert "ρ = +0.40" in push
    assert "Trade push" in page.text("summary")
    assert page.text("source-src")
    assert len(page.tags("svg")) == len(page.tags("figure"))


def test_same_seed_gives_the_same_report(small_folder: Path, small_html: str) -> None:
    """Built again with the same seed the page is the same text, and matplotlib's settings
    are as they were (svg.fonttype is set only around each save).
    """
    before = dict(mpl.rcParams)
    again = rm.Study(rm.load_case(small_folder), draws=300, seed=5)
    assert build_report(again) == small_html
    assert dict(mpl.rcParams) == before


def test_progress_counts_up_to_its_total(small_folder: Path) -> None:
    """Progress is reported after every step and ends at its total."""
    calls: list[tuple[int, int]] = []
    build_report(
        rm.Study(small_folder, scenarios=["push"], draws=200, seed=1),
        years=[2030],
        progress=lambda done, total: calls.append((done, total)),
    )
    assert calls
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    assert calls[-1][0] == calls[-1][1]
    assert len({t for _, t in calls}) == 1


@pytest.mark.parametrize(
    ("study", "years", "message"),
    [
        ({"scenarios": ["nowhere"]}, None, "no scenario named 'nowhere'"),
        ({"scenarios": ["push", "push"]}, None, "more than once"),
        ({}, [2040], "2040 is not a projected year; expected one of 2025..2030"),
        ({}, [2030, 2030], "gives [2030] more than once"),
        ({"draws": 0}, None, "draws"),
    ],
)
def test_bad_arguments_are_input_errors(
    small_folder: Path, study: dict[str, Any], years: list[int] | None, message: str
) -> None:
    """Unknown or repeated scenarios, years off the axis or repeated, and no draws are
    refused.
    """
    study.setdefault("draws", 200)
    with pytest.raises(rm.InputError, match=re.escape(message)):
        build_report(rm.Study(small_folder, **study), years=years)


def test_write_report_is_atomic(small_folder: Path, tmp_path: Path) -> None:
    """The report is written whole to its path; no temporary file stays behind, and a
    failed build leaves an existing report as it was.
    """
    target = tmp_path / "out" / "report.html"
    written = write_report(rm.Study(small_folder, draws=300, seed=5), target)
    assert written == target
    assert os.listdir(target.parent) == ["report.html"]
    text = target.read_text(encoding="utf-8")
    assert text.rstrip().endswith("</html>")
    assert oct(target.stat().st_mode & 0o777) != oct(0o600)
    with pytest.raises(rm.InputError):
        write_report(rm.Study(small_folder, draws=300, seed=5), target, years=[2040])
    assert target.read_text(encoding="utf-8") == text
    assert os.listdir(target.parent) == ["report.html"]


# ---------------------------------------------------------------------------------------
# End to end, in a browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium, driven by Playwright (no browser download)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium package to run this")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def test_report_renders_in_chromium(
    browser: Any, shipped_html: str, tmp_path: Path, page: Page
) -> None:
    """Opened from disk: no console error, no request beyond the file itself, every figure
    drawn with a size and selectable text, no overflow at phone width, folded lists open in
    print; screenshots saved.
    """
    report = tmp_path / "report.html"
    report.write_text(shipped_html, encoding="utf-8")
    url = report.as_uri()
    shots = {}
    for name, width, height in [("desktop", 1280, 900), ("phone", 375, 812)]:
        tab = browser.new_page(viewport={"width": width, "height": height})
        errors: list[str] = []
        requests: list[str] = []
        tab.on("console", lambda m, e=errors: e.append(m.text) if m.type == "error" else None)
        tab.on("pageerror", lambda exc, e=errors: e.append(str(exc)))
        tab.on("request", lambda r, seen=requests: seen.append(r.url))
        tab.goto(url, wait_until="load")
        assert errors == []
        assert requests == [url]
        broken = tab.evaluate(
            "[...document.images].filter(i => !i.complete || i.naturalWidth === 0).length"
        )
        assert broken == 0
        sizes = tab.evaluate(
            "[...document.querySelectorAll('figure svg')].map(s => {"
            " const r = s.getBoundingClientRect(); return [r.width, r.height]; })"
        )
        assert len(sizes) == len(page.tags("svg"))
        assert all(w > 0 and h > 0 for w, h in sizes)
        boxes = tab.evaluate(
            "[...document.querySelectorAll('figure')].map(f => f.getBoundingClientRect().width)"
        )
        assert max(boxes) <= width  # a wider drawing scrolls inside its figure
        smallest = tab.evaluate(
            "Math.min(...[...document.querySelectorAll('figure svg text')].map(t => {"
            " const svg = t.ownerSVGElement;"
            " const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;"
            " return parseFloat(getComputedStyle(t).fontSize) * scale; }))"
        )
        if width < 400:  # on a phone the drawings keep their size: text of 9 px or more
            assert smallest >= 9, f"chart text is {smallest:.1f} px at {width} px wide"
        selectable = tab.evaluate(
            "getComputedStyle(document.querySelector('figure svg text')).userSelect"
        )
        assert selectable != "none"
        overflow = tab.evaluate("document.scrollingElement.scrollWidth")
        assert overflow <= width + 1, f"the page is {overflow} px wide at {width} px"
        shots[name] = tmp_path / f"report-{name}.png"
        tab.screenshot(path=str(shots[name]), full_page=True)
        folded = "document.querySelector('details table').checkVisibility()"
        assert tab.evaluate(folded) is False
        tab.emulate_media(media="print")
        assert tab.evaluate(folded) is True  # printed, folded lists are open
        tab.close()
    for shot in shots.values():
        assert shot.stat().st_size > 10_000


def test_report_states_each_events_chance_by_the_horizon(page: Page) -> None:
    """Beside each event's stated chance the report gives its chance by the horizon."""
    text = page.text("scenario-baseline")
    assert "What the events' chances mean by the horizon" in text
    assert re.search(r"very unlikely a year \(base\): \d+–\d+ % by 2035 if unmoved", text)


def test_report_marks_unsourced_baselines_as_assumptions(shipped_html: str) -> None:
    """A baseline that only names the sources informing it is listed as an assumption."""
    kinds = {
        html.unescape(label).split(",")[0]: kind
        for kind, label in re.findall(
            r'<span class="kind kind-(fact|assumption)">\w+</span> ([^<]*), baseline', shipped_html
        )
    }
    assert kinds["Russia–Afghanistan trade"] == "fact"
    for label, kind in kinds.items():
        if label.startswith(
            ("Russian investment", "Russia–Taliban security", "Share of bilateral")
        ):
            assert kind == "assumption", label


def test_report_lists_assumptions_without_a_rationale(small_html: str) -> None:
    """Effects with neither a source nor a rationale are listed as unexplained assumptions."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", small_html))
    assert "Assumptions without a rationale" in text
    assert "effect on" in text[text.index("Assumptions without a rationale") :]


def test_captions_follow_each_scenarios_own_horizon(small_folder: Path, tmp_path: Path) -> None:
    """A scenario that ends before the case: captions name each scenario's last year."""
    folder = tmp_path / "case"
    folder.mkdir()
    (folder / "case.yaml").write_text((small_folder / "case.yaml").read_text())
    (folder / "short.yaml").write_text("scenario: short\ntitle: Short\nhorizon: 2029\n")
    page = build_report(rm.Study(folder, draws=200, seed=1))
    assert "each scenario's last projected year (2029, 2030)" in page
