"""Views of the numbered items – themes, goals, measures – and of quotes, as templates see them.

Every view is a plain mapping (a ``TypedDict``): templates get data, never
objects. Each measure's view is made once, however often a document shows it.
"""

from __future__ import annotations

from typing import TypedDict

from markupsafe import Markup

from .. import word
from ..model import Indicator, Quote
from ..sources import assembled, joined
from ..structure import GoalNode, MeasureNode, Structure, ThemeNode
from ..wording import Wording, word_language
from .fragments import Fragments


class IndicatorView(TypedDict):
    name: str
    name_with_unit: str  # the name, and below it the unit where no value carries it
    baseline: str  # "52 Prozent (2019)"
    baseline_year: str
    target: str
    target_year: str
    unit: str
    unit_note: str  # "Einheit: Prozent" where no value carries the unit
    source: str
    text: str  # the whole indicator in one line
    illustrative: bool


class QuoteView(TypedDict):
    id: str
    text: str
    body: Markup  # the quotation as paragraphs in quotation marks, its language marked
    language: str  # "en-US" where the quote is in another language than the document, else ""
    person: str
    role: str
    organisation: str
    attribution: str
    source: str
    illustrative: bool


class GoalView(TypedDict):
    id: str
    number: str
    label: str
    title: str
    level: str
    parent: str
    anchor: Markup
    description: Markup
    indicators: list[IndicatorView]
    measure_links: Markup
    illustrative: bool


class MeasureView(TypedDict):
    id: str
    number: str
    label: str
    title: str
    anchor: Markup
    link: Markup
    description: Markup
    goal_links: Markup
    theme: str
    lead: str
    leads: list[str]
    partners: str
    target_groups: str
    timeframe: str
    priority: str
    resources: str
    budget: str
    funding: str
    indicators: str
    indicator_lines: Markup  # the same as runs, one line each, an illustrative one marked
    status: str
    status_reason: str
    area: str
    areas: list[str]
    cross_cutting: str
    contact: str
    end: str
    illustrative: bool


class ThemeView(TypedDict):
    id: str
    number: str
    label: str
    title: str
    anchor: Markup
    description: Markup
    challenges: Markup
    cross_cutting: str
    goals: list[GoalView]
    measures: list[MeasureView]
    priority_measures: list[MeasureView]
    quotes: list[QuoteView]
    illustrative: bool


class ItemViews:
    """Makes the views of one document's themes, goals, measures and quotes."""

    def __init__(self, structure: Structure, fragments: Fragments, wording: Wording) -> None:
        self.structure = structure
        self.fragments = fragments
        self.wording = wording
        self.cross_cutting_titles = {c.id: c.title for c in structure.concept.cross_cutting_themes}
        self.measures: dict[str, MeasureView] = {}

    def themes(self) -> list[ThemeView]:
        """The themes this document shows: all, or those with a selected measure."""
        return [
            self.theme(theme)
            for theme in self.structure.themes
            if self.structure.selection is None or self.structure.selected_measures(theme)
        ]

    def theme(self, node: ThemeNode) -> ThemeView:
        theme = node.theme
        measures = [self.measure(m) for m in self.structure.selected_measures(node)]
        return ThemeView(
            id=theme.id,
            number=node.number,
            label=self.wording.numbered("theme", node.number),
            title=theme.title,
            anchor=self.fragments.anchor(theme.id),
            description=self.fragments.blocks(theme.description),
            challenges=self.fragments.bullets(theme.challenges),
            cross_cutting=self.cross_cutting(theme.cross_cutting),
            goals=[self.goal(goal) for goal in node.goals],
            measures=measures,
            priority_measures=[m for m in measures if self.is_priority(m["id"])],
            quotes=[self.quote(q) for q in self.published_quotes() if q.themes[:1] == [theme.id]],
            illustrative=theme.illustrative,
        )

    def is_priority(self, identifier: str) -> bool:
        node = self.structure.nodes[identifier]
        return isinstance(node, MeasureNode) and node.measure.priority == "Schwerpunkt"

    def goal(self, node: GoalNode) -> GoalView:
        goal = node.goal
        parent = self.wording.numbered("goal", node.parent.number) if node.parent else ""
        return GoalView(
            id=goal.id,
            number=node.number,
            label=self.wording.numbered("goal", node.number),
            title=goal.title,
            level=assembled(goal.level, " (", parent, ")") if parent else goal.level,
            parent=parent,
            anchor=self.fragments.anchor(goal.id),
            description=self.fragments.blocks(goal.description),
            indicators=[self.indicator(i) for i in goal.indicators],
            measure_links=self.fragments.link_list(
                (m.id, f"{self.wording.numbered('measure', m.number)} {m.measure.title}")
                for m in node.measures
            ),
            illustrative=goal.illustrative,
        )

    def measure(self, node: MeasureNode) -> MeasureView:
        """The view of a measure, made the first time it is asked for."""
        view = self.measures.get(node.id)
        if view is None:
            view = self.measures[node.id] = self.new_measure(node)
        return view

    def new_measure(self, node: MeasureNode) -> MeasureView:
        measure = node.measure
        wording = self.wording
        funding = measure.funding
        return MeasureView(
            id=measure.id,
            number=node.number,
            label=wording.numbered("measure", node.number),
            title=measure.title,
            anchor=self.fragments.anchor(measure.id),
            link=Markup(self.fragments.link(measure.id, node.number)),
            description=self.fragments.blocks(measure.description, keep_next=True),  # with its profile
            goal_links=self.fragments.link_list(
                (g.id, f"{wording.numbered('goal', g.number)} {g.goal.title}") for g in node.goals
            ),
            theme=node.theme.theme.title,
            lead=wording.join(measure.lead),
            leads=list(measure.lead),
            partners=joined(", ", measure.partners),
            target_groups=joined(", ", measure.target_groups),
            timeframe=wording.timeframe(measure.timeframe),
            priority=wording.value(measure.priority),
            resources=funding.resources or "",
            budget=wording.budget(funding.budget),
            funding=funding.source or "",
            indicators=joined("\n", (wording.indicator_text(i) for i in measure.indicators)),
            indicator_lines=self.indicator_lines(measure.indicators),
            status=wording.value(measure.status),
            status_reason=measure.status_reason or "",
            area=wording.join(measure.area) or wording["whole_district"],
            areas=list(measure.area),
            cross_cutting=self.cross_cutting(measure.cross_cutting),
            contact=measure.contact or "",
            end=wording.when_long(measure.timeframe.end),
            illustrative=measure.illustrative,
        )

    def indicator_lines(self, indicators: list[Indicator]) -> Markup:
        """A measure's indicators as runs, a line each; an illustrative one marked as elsewhere."""
        marker = word.text_runs(" ") + word.text_runs(
            self.wording["example"], style=self.fragments.styles["example_tag"] or None
        )
        lines = [
            str(self.fragments.runs(self.wording.indicator_text(i))) + (marker if i.illustrative else "")
            for i in indicators
        ]
        return Markup(word.text_runs("\n").join(lines))

    def cross_cutting(self, identifiers: list[str]) -> str:
        return joined(", ", (self.cross_cutting_titles.get(c, c) for c in identifiers))

    def indicator(self, indicator: Indicator) -> IndicatorView:
        unit = indicator.unit or ""
        wording = self.wording
        note = wording.unit_note(indicator)
        return IndicatorView(
            name=indicator.name,
            name_with_unit=assembled(indicator.name, "\n", note) if note else indicator.name,
            baseline=wording.indicator_value(indicator.baseline, unit, indicator.baseline_year),
            baseline_year=assembled(indicator.baseline_year),
            target=wording.indicator_value(indicator.target, unit, indicator.target_year),
            target_year=assembled(indicator.target_year),
            unit=unit,
            unit_note=note,
            source=indicator.source or "",
            text=wording.indicator_text(indicator),
            illustrative=indicator.illustrative,
        )

    def published_quotes(self) -> list[Quote]:
        """Quotes whose speakers agreed to publication; a draft shows the others too."""
        draft = self.structure.concept.meta.is_draft
        return [q for q in self.structure.concept.quotes if q.consent or draft]

    def quote(self, quote: Quote) -> QuoteView:
        details = joined(", ", (part for part in (quote.role, quote.organisation) if part))
        language = word_language(quote.language) if quote.language else ""
        if language.split("-")[0] == self.wording.language:
            language = ""  # the document's own language needs no mark
        return QuoteView(
            id=quote.id,
            text=quote.text,
            body=self.fragments.quote(quote.text, language or None),
            language=language,
            person=quote.person,
            role=quote.role or "",
            organisation=quote.organisation or "",
            attribution=assembled(quote.person, " (", details, ")") if details else quote.person,
            source=quote.source or "",
            illustrative=quote.illustrative,
        )
