"""The structural model of a case: sources, drivers, indicators, events.

A :class:`Case` holds an actor's stated interests as weighted :class:`Driver` objects, the
measurable :class:`Indicator` objects they move (through each driver's :class:`Effect`
sizes), the discrete :class:`Event` shocks that may happen, and the :class:`Source` every
number cites. Scenarios (:mod:`recogmodel.model.scenario`) lay an analyst's assumptions
over it.

Everything is checked when it is built: bounds live in the types (weights >= 0,
probabilities in [0, 1]), cross-references (an effect's indicator, a baseline's source, a
signpost's year) in validators whose messages name both ends.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeAlias

from pydantic import (
    BeforeValidator,
    Field,
    field_validator,
    model_validator,
)

from .._base import Model
from .._problems import RuleViolation
from .._text import OneLine, Prose
from .dependencies import dependency_problems
from .estimates import Estimate, EstimateInput, FixedEstimate, WordEstimate
from .event import Event, EventEffects
from .ids import Identifier, Year
from .indicator import ZERO, Baseline, HistoryPoint, Indicator, need_grounding
from .parameters import (
    IntensityEstimate,
    KeyAssumption,
    TrendEstimate,
    WeightEstimate,
    case_parameters,
)
from .words import ALL_WORDS, Yardstick, normalise_word

if TYPE_CHECKING:
    from .parameters import Parameter

__all__ = [
    "Baseline",
    "Case",
    "Correlation",
    "CorrelationEntry",
    "Driver",
    "Effect",
    "Event",
    "EventEffects",
    "HistoryPoint",
    "Identifier",
    "Indicator",
    "Intensity",
    "Judgement",
    "Salience",
    "Signpost",
    "Source",
    "Year",
]

#: How driver weights are read: ``relative`` (normalised per draw, zero-sum) or
#: ``absolute`` (used as given).
Salience: TypeAlias = Literal["relative", "absolute"]


class Source(Model):
    """A citation that numbers point to by its id."""

    title: OneLine = Field(min_length=1, description="Title of the publication or dataset.")
    publisher: OneLine | None = Field(None, description="Who published it.")
    author: OneLine | None = Field(None, description="Who wrote it, if known.")
    date: str | None = Field(
        None,
        pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$",
        description="Publication date: YYYY, YYYY-MM or YYYY-MM-DD.",
    )
    url: str | None = Field(None, pattern=r"^https?://\S+$", description="Where to read it.")
    page: OneLine | None = Field(None, description="Page or section the numbers come from.")
    note: Prose | None = Field(None, description="Anything a reader should know about it.")

    @field_validator("date", "page", mode="before")
    @classmethod
    def _bare_year(cls, value: Any) -> Any:
        """``date: 2022`` and ``page: 12`` are read as text, as an analyst means them."""
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _reads_as_word(text: str) -> bool:
    """Text with no digit in it, written where a probability goes, is an estimative word."""
    return normalise_word(text) in ALL_WORDS or not any(c.isdigit() for c in text)


def _expand_intensity(value: Any) -> Any:
    """``intensity: 0.6`` means ``{start: 0.6, trend: 0}``: constant."""
    if isinstance(value, Intensity) or (isinstance(value, dict) and "dist" not in value):
        return value
    return {"start": value, "trend": 0.0}


def _expand_effect(value: Any) -> Any:
    """``bilateral_trade: 0.2`` under ``effects`` means ``{size: 0.2}``."""
    if isinstance(value, Effect) or (isinstance(value, dict) and "size" in value):
        return value
    return {"size": value}


class Intensity(Model):
    """How strongly a driver is pursued, in [0, 1], over time: a start and an annual trend."""

    start: IntensityEstimate = Field(description="Intensity in the start year, in [0, 1].")
    trend: TrendEstimate = Field(
        ZERO, description="Change of intensity per year (clipped so intensity stays in [0, 1])."
    )


class Effect(Model):
    """How far a driver's weighted intensity moves one indicator per year, in its own scale."""

    size: Estimate = Field(
        description="Change per year per unit of weighted intensity, in the indicator's scale "
        "(log: 0.1 is about +10.5 %); may be negative."
    )
    sources: list[Identifier] = Field(
        [], description="Sources that state this size (a fact); none for an assumption."
    )
    informed_by: list[Identifier] = Field(
        [], description="Sources that inform the size without stating it (an assumption)."
    )
    note: Prose | None = Field(None, description="Why the effect has this size.")


class Driver(Model):
    """One stated interest of the actor, with its salience and how it is pursued."""

    label: OneLine = Field(min_length=1, description="What the interest is, in a few words.")
    description: Prose | None = Field(None, description="The interest in the analyst's words.")
    weight: WeightEstimate = Field(
        description="Salience (>= 0); under the case's salience: relative (the default) "
        "weights are normalised to sum to 1 in every draw, under absolute used as given."
    )
    intensity: Annotated[Intensity, Field(description="Intensity path in [0, 1].")]
    effects: dict[Identifier, Effect] = Field(
        {}, description="Indicator id -> effect size per unit of weighted intensity."
    )
    sources: list[Identifier] = Field(
        [],
        description="Sources that state this interest and its weight (the weight is a fact).",
    )
    informed_by: list[Identifier] = Field(
        [],
        description="Sources that inform the weight without stating it (the weight is an "
        "assumption, explained under rationale).",
    )
    rationale: Prose | None = Field(None, description="Why the weight is what it is.")

    @model_validator(mode="after")
    def _grounded(self) -> Driver:
        need_grounding(self.sources, self.informed_by, self.rationale, "weight")
        return self

    @field_validator("intensity", mode="before", json_schema_input_type=Intensity | EstimateInput)
    @classmethod
    def _intensity_shorthand(cls, value: Any) -> Any:
        return _expand_intensity(value)

    @field_validator(
        "effects", mode="before", json_schema_input_type=dict[Identifier, Effect | EstimateInput]
    )
    @classmethod
    def _effect_shorthand(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: _expand_effect(v) for k, v in value.items()}
        return value


class Signpost(Model):
    """An observable threshold that, once crossed by a year, says a scenario is unfolding.

    A signpost is *reached* when the indicator is above (or below) the threshold in any
    projected year up to and including ``by``.
    """

    indicator: Identifier = Field(description="The indicator watched.")
    by: Year = Field(description="The year by which the threshold is crossed.")
    above: float | None = Field(None, description="Reached when the indicator exceeds this.")
    below: float | None = Field(None, description="Reached when the indicator falls below this.")
    note: Prose | None = Field(None, description="What crossing it would mean, in words.")

    @model_validator(mode="after")
    def _one_threshold(self) -> Signpost:
        if (self.above is None) == (self.below is None):
            raise ValueError("needs exactly one of 'above' or 'below'")
        return self

    @property
    def threshold(self) -> float:
        """The threshold value, whichever side it is on."""
        return self.above if self.above is not None else self.below  # type: ignore[return-value]


class Correlation(Model):
    """A rank correlation the engine induces between two named assumptions.

    In a file it may be written ``[first, second, rho]``.
    """

    between: tuple[str, str] = Field(
        description="Two assumptions by dotted name, e.g. drivers.market_access.weight."
    )
    rho: float = Field(gt=-1, lt=1, description="Spearman rank correlation, in (-1, 1).")


def _correlation_triple(data: Any) -> Any:
    """``[first, second, rho]`` means ``{between: [first, second], rho: rho}``."""
    if isinstance(data, list | tuple):
        if len(data) != 3:
            raise ValueError(
                f"a correlation is written [first, second, rho]; got {len(data)} items"
            )
        data = {"between": (data[0], data[1]), "rho": data[2]}
    if isinstance(data, dict) and isinstance(data.get("rho"), int | float):
        rho = data["rho"]
        if not -1 < rho < 1:
            raise ValueError(f"rho {rho:g} must lie strictly between -1 and 1")
    return data


#: A correlation as a file may write it: a mapping, or ``[first, second, rho]``.
CorrelationEntry: TypeAlias = Annotated[
    Correlation,
    BeforeValidator(
        _correlation_triple, json_schema_input_type=Correlation | tuple[str, str, float]
    ),
]


class Judgement(Model):
    """A key judgement of the analyst: one sentence, how confident, and what it rests on."""

    text: Prose = Field(min_length=1, description="The judgement, in one sentence.")
    confidence: Literal["low", "moderate", "high"] = Field(
        description="The analyst's confidence in it (ICD 203): low, moderate or high."
    )
    indicators: list[Identifier] = Field(
        [], description="Indicators the judgement rests on (ids of the case's indicators)."
    )
    scenarios: list[Identifier] = Field(
        [], description="Scenarios the judgement rests on (names of the folder's scenarios)."
    )


class Case(Model):
    """The structural model: drivers, indicators, events and sources; its defaults are the
    baseline scenario.
    """

    case: Identifier = Field(description="Short name of the case.")
    title: OneLine = Field(min_length=1, description="Title of the case.")
    actor: OneLine = Field(min_length=1, description="Whose stated interests the drivers are.")
    description: Prose | None = Field(None, description="What the case is about.")
    start: Year = Field(description="First projected year: the present.")
    horizon: Year = Field(description="Last projected year.")
    yardstick: Yardstick = Field(
        "icd203", description="How probability words are read: icd203 or phia."
    )
    salience: Salience = Field(
        "relative",
        description="How driver weights are read: relative (normalised to sum to 1 in every "
        "draw, so raising one driver's weight lowers every other driver's pressure) or "
        "absolute (used as given).",
    )
    sources: dict[Identifier, Source] = Field(min_length=1, description="Source id -> citation.")
    drivers: dict[Identifier, Driver] = Field(
        min_length=1, description="Driver id -> the actor's stated interest."
    )
    indicators: dict[Identifier, Indicator] = Field(
        min_length=1, description="Indicator id -> measurable quantity."
    )
    events: dict[Identifier, Event] = Field({}, description="Event id -> discrete shock.")
    bottom_line: Prose | None = Field(
        None, description="The analyst's bottom line: what a reader must take away."
    )
    judgements: list[Judgement] = Field(
        [], description="Key judgements, each with its confidence and what it rests on."
    )
    key_assumptions: dict[str, KeyAssumption] = Field(
        {},
        description="Key Assumptions Check: a dotted assumption name (e.g. "
        "indicators.bilateral_trade.drift) or a short name for a structural assumption -> "
        "its rated support and rationale.",
    )

    @model_validator(mode="before")
    @classmethod
    def _read_words_on_yardstick(cls, data: Any) -> Any:
        """Probability words in a file are read on the case's yardstick."""
        if not isinstance(data, dict) or not isinstance(data.get("events"), dict):
            return data
        yardstick = data.get("yardstick", "icd203")
        events = {}
        for name, event in data["events"].items():
            if isinstance(event, dict):
                p = event.get("probability")
                if isinstance(p, str) and _reads_as_word(p):
                    event = {**event, "probability": {"dist": "word", "word": p}}
                    p = event["probability"]
                if isinstance(p, dict) and p.get("dist") == "word" and "yardstick" not in p:
                    event = {**event, "probability": {**p, "yardstick": yardstick}}
            events[name] = event
        return {**data, "events": events}

    @model_validator(mode="after")
    def _cross_references(self) -> Case:
        problems: list[tuple[str | tuple[str, ...], str]] = []

        def need(kind: str, known: dict[str, Any], name: str, path: str) -> None:
            if name not in known:
                names = ", ".join(sorted(known)) or "none"
                problems.append(
                    (
                        path,
                        f"names {kind} '{name}', which the case does not define; "
                        f"known {kind}s: {names}",
                    )
                )

        def cite(sources: list[str], path: str) -> None:
            for i, s in enumerate(sources):
                need("source", self.sources, s, f"{path}.{i}")

        if not self.horizon > self.start:
            problems.append(("horizon", f"horizon {self.horizon} must be after start {self.start}"))
        for j, judgement in enumerate(self.judgements):
            for i, k in enumerate(judgement.indicators):
                need("indicator", self.indicators, k, f"judgements.{j}.indicators.{i}")
        for d, driver in self.drivers.items():
            cite(driver.sources, f"drivers.{d}.sources")
            cite(driver.informed_by, f"drivers.{d}.informed_by")
            for k, effect in driver.effects.items():
                need("indicator", self.indicators, k, f"drivers.{d}.effects.{k}")
                cite(effect.sources, f"drivers.{d}.effects.{k}.sources")
                cite(effect.informed_by, f"drivers.{d}.effects.{k}.informed_by")
        for k, ind in self.indicators.items():
            if ind.baseline is not None:
                cite(ind.baseline.sources, f"indicators.{k}.baseline.sources")
                cite(ind.baseline.informed_by, f"indicators.{k}.baseline.informed_by")
            for source, link in ind.links.items():
                cite(link.informed_by, f"indicators.{k}.links.{source}.informed_by")
            if ind.baseline is not None and ind.baseline.year > self.start:
                problems.append(
                    (
                        f"indicators.{k}.baseline.year",
                        f"baseline year {ind.baseline.year} is after the case's start "
                        f"{self.start}; expected a year at or before it",
                    )
                )
            for y, point in ind.history.items():
                cite(point.sources, f"indicators.{k}.history.{y}.sources")
                if y > self.start:
                    problems.append(
                        (
                            ("indicators", k, "history", str(y)),
                            f"history year {y} is after the case's start {self.start}; "
                            "expected observed values of years up to the start (later "
                            "observations go in an observation file)",
                        )
                    )
        for d, driver in self.drivers.items():
            for k in driver.effects:
                if k in self.indicators and self.indicators[k].integer:
                    problems.append(
                        (
                            f"drivers.{d}.effects.{k}",
                            f"'{k}' takes whole numbers only (integer: true), and a driver's "
                            "pressure moves it by fractions; expected no effect on it",
                        )
                    )
        for e, event in self.events.items():
            cite(event.sources, f"events.{e}.sources")
            for k, jump in event.effects.indicators.items():
                need("indicator", self.indicators, k, f"events.{e}.effects.indicators.{k}")
                whole = isinstance(jump, FixedEstimate) and float(jump.value).is_integer()
                if k in self.indicators and self.indicators[k].integer and not whole:
                    problems.append(
                        (
                            f"events.{e}.effects.indicators.{k}",
                            f"'{k}' takes whole numbers only (integer: true); expected a "
                            "fixed whole-number jump",
                        )
                    )
            for d in event.effects.drivers:
                need("driver", self.drivers, d, f"events.{e}.effects.drivers.{d}")
            if event.by is not None and not event.by > self.start:
                problems.append(
                    (
                        f"events.{e}.by",
                        f"year {event.by} is not after the case's start {self.start}; "
                        "expected a later year",
                    )
                )
            if event.year is not None and not self.start < event.year <= self.horizon:
                problems.append(
                    (
                        f"events.{e}.year",
                        f"year {event.year} is outside the projected steps "
                        f"{self.start + 1}..{self.horizon} (start {self.start}, horizon "
                        f"{self.horizon})",
                    )
                )
            p = event.probability
            if isinstance(p, WordEstimate) and p.yardstick != self.yardstick:
                problems.append(
                    (
                        f"events.{e}.probability",
                        f"'{p.word}' is read on the {p.yardstick} yardstick but the case uses "
                        f"{self.yardstick}",
                    )
                )
        problems += dependency_problems(self)
        names = {p.name for p in self.parameters()}
        for name in self.key_assumptions:
            if name.split(".")[0] in ("drivers", "indicators", "events") and name not in names:
                problems.append(
                    (
                        ("key_assumptions", name),
                        f"'{name}' is not an assumption of the case; expected a dotted name "
                        "such as drivers.<id>.weight, or a name without a dot for a "
                        "structural assumption",
                    )
                )
        weights = [d.weight for d in self.drivers.values()]
        if all(isinstance(w, FixedEstimate) and w.value == 0 for w in weights):
            problems.append(
                (
                    "drivers",
                    "every driver's weight is fixed at 0; expected at least one "
                    "weight that can be positive",
                )
            )
        if problems:
            raise RuleViolation(problems)
        return self

    @property
    def years(self) -> list[int]:
        """The projection's axis: ``start..horizon`` inclusive."""
        return list(range(self.start, self.horizon + 1))

    def parameters(self) -> list[Parameter]:
        """Every assumption slot, in a fixed order, with the dotted name a file would use.

        Returns
        -------
        list of Parameter
            Drivers' slots first, then indicators', then events'.
        """
        return list(case_parameters(self))

    def sources_cited(self) -> dict[str, list[str]]:
        """Source id -> the dotted names of every number that cites it."""
        cited: dict[str, list[str]] = {s: [] for s in self.sources}
        for d, drv in self.drivers.items():
            for s in (*drv.sources, *drv.informed_by):
                cited[s].append(f"drivers.{d}")
            for k, eff in drv.effects.items():
                for s in (*eff.sources, *eff.informed_by):
                    cited[s].append(f"drivers.{d}.effects.{k}")
        for k, ind in self.indicators.items():
            if ind.baseline is not None:
                for s in (*ind.baseline.sources, *ind.baseline.informed_by):
                    cited[s].append(f"indicators.{k}.baseline")
            for j, link in ind.links.items():
                for s in link.informed_by:
                    cited[s].append(f"indicators.{k}.links.{j}")
            for y, point in ind.history.items():
                for s in point.sources:
                    cited[s].append(f"indicators.{k}.history.{y}")
        for e, ev in self.events.items():
            for s in ev.sources:
                cited[s].append(f"events.{e}")
        return cited
