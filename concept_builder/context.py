"""Stage 3: turn a validated ``Concept`` into what a template renders.

Here the document's numbering is decided ("Ziel 2.1", "Maßnahme 2.1.3"),
dates and numbers are formatted for the document's language, Markdown
becomes Word paragraphs, and goals and measures get the bookmarks their
links point to. Every name a template may use is documented in
docs/templates.md.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from babel.dates import format_date
from babel.numbers import format_decimal
from markupsafe import Markup

from . import ooxml
from .charts import status_by_theme, timeline
from .errors import ConceptBuilderError
from .labels import LABELS, field_label, value_label
from .markdown import Converter
from .model import MEASURE_STATUSES, Concept, Goal, Indicator, Logo, Measure, Quote, Theme, Timeframe
from .sandbox import Opaque

if TYPE_CHECKING:
    from .diff import ChangeLog

BABEL_LOCALES = {"de": "de_DE", "en": "en_GB"}
CHART_WIDTH_CM = 16.0


@dataclass(frozen=True)
class IndicatorView:
    name: str
    baseline: str
    target: str
    unit: str
    source: str
    illustrative: bool


@dataclass(frozen=True)
class GoalView:
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


@dataclass(frozen=True)
class MeasureView:
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
    partners: str
    target_groups: str
    timeframe: str
    priority: str
    resources: str
    budget: str
    funding: str
    indicators: str
    status: str
    area: str
    cross_cutting: str
    contact: str
    end: str
    illustrative: bool


@dataclass(frozen=True)
class QuoteView:
    id: str
    text: str
    person: str
    role: str
    organisation: str
    attribution: str
    source: str


@dataclass(frozen=True)
class ThemeView:
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


@dataclass(frozen=True)
class KeyFigureView:
    indicator: str
    value: str
    unit: str
    year: str
    source: str
    illustrative: bool


@dataclass(frozen=True)
class ResultView:
    theme: str
    text: Markup


@dataclass(frozen=True)
class EventView:
    id: str
    title: str
    date: str
    place: str
    format: str
    participants: str
    groups: str
    text: Markup
    results: list[ResultView]
    quotes: list[QuoteView]
    illustrative: bool


@dataclass(frozen=True)
class Image(Opaque):
    """An image to embed: its bytes, a file name and alt text; the render stage makes it a Word drawing.

    ``width_cm`` fixes the width (charts); otherwise the image is logo-sized.
    A template can place it but not look into it.
    """

    alt: str
    data: bytes
    name: str
    width_cm: float | None = None


@dataclass
class DocumentContext:
    """Everything the template sees (``values``: plain data only), and what the render stage needs besides."""

    values: dict[str, Any]
    date: dt.date  # the concept's date, for the document properties
    links: dict[str, str] = field(default_factory=dict)  # URL → relationship id
    numbered_lists: list[int] = field(default_factory=list)  # numbering ids that restart at 1

    def as_dict(self) -> dict[str, Any]:
        return self.values


VARIANTS = ("konzept", "kurzfassung", "massnahmenkatalog", "auszug", "umsetzungsbericht")
# The items each variant's default template shows with a bookmark; links to others are plain text
LINK_TARGETS: dict[str, set[str]] = {
    "konzept": {"theme", "goal", "measure"},
    "kurzfassung": set(),
    "massnahmenkatalog": {"measure"},
    "auszug": {"measure"},
    "umsetzungsbericht": set(),
}


def make_context(
    concept: Concept,
    changes: ChangeLog | None = None,
    *,
    variant: str = "konzept",
    for_name: str | None = None,
) -> DocumentContext:
    """Build the template context for ``concept``.

    ``changes`` adds a change log as an appendix; ``variant`` names the
    document made from the concept (``VARIANTS``); ``for_name`` keeps only the
    measures led by that organisation or in that municipality.
    """
    return _ContextBuilder(concept, changes, variant, for_name).build()


class _ContextBuilder:
    def __init__(
        self, concept: Concept, changes: ChangeLog | None, variant: str, for_name: str | None
    ) -> None:
        self.concept = concept
        self.changes = changes
        self.variant = variant
        self.for_name = for_name.casefold() if for_name else None
        self.for_label = for_name
        # which items this variant shows with a heading to link to
        self.linkable = LINK_TARGETS[variant]
        self.kinds = {t.id: "theme" for t in concept.themes} | {
            item.id: kind
            for t in concept.themes
            for kind, items in (("goal", t.goals), ("measure", t.measures))
            for item in items
        }
        self.language = concept.meta.language
        self.locale = BABEL_LOCALES[self.language]
        self.labels = LABELS[self.language]
        self.draft = concept.meta.is_draft
        self.links: dict[str, str] = {}
        self.markdown = Converter(self.link_id, self.reference)
        self.bookmarks = 0
        self.goal_numbers: dict[str, str] = {}
        self.measure_numbers: dict[str, str] = {}
        self.goal_titles = {g.id: g.title for t in concept.themes for g in t.goals}
        self.anchor_names: dict[str, str] = {}
        self.serving: dict[str, list[Measure]] = defaultdict(list)  # goal id → measures serving it
        self.reference_labels: dict[str, str] = {}

    # --- helpers -----------------------------------------------------------------

    def link_id(self, url: str) -> str:
        return self.links.setdefault(url, f"rIdCbLink{len(self.links) + 1}")

    def reference(self, identifier: str) -> tuple[str, str]:
        """What ``[[id]]`` prints and where it links ("" where this document has no such target)."""
        return self.reference_labels[identifier], self.target(identifier)

    def target(self, identifier: str) -> str:
        """The bookmark of a theme, goal or measure, if this variant of the document has it."""
        return self.anchor_names[identifier] if self.kinds[identifier] in self.linkable else ""

    def link(self, identifier: str, text: str) -> str:
        """An internal link to the item, or plain text where the item is not in this document."""
        target = self.target(identifier)
        if not target:
            return ooxml.text_runs(text)
        return ooxml.internal_link(target, ooxml.text_runs(text, style="Hyperlink"))

    def anchor(self, identifier: str) -> Markup:
        self.bookmarks += 1
        return Markup(ooxml.bookmark(self.bookmarks, self.anchor_names[identifier]))

    def date(self, value: dt.date | None) -> str:
        return format_date(value, "long", locale=self.locale) if value else ""

    def number(self, value: float) -> str:
        return format_decimal(value, locale=self.locale, format="#,##0.##")

    def value(self, value: str) -> str:
        return value_label(value, self.language)

    # --- the document ------------------------------------------------------------

    def build(self) -> DocumentContext:
        concept = self.concept
        self.number_goals_and_measures()
        themes = [
            self.theme(index, theme)
            for index, theme in enumerate(concept.themes, 1)
            if any(self.selected(m) for m in theme.measures) or self.for_name is None
        ]
        values: dict[str, Any] = {
            "labels": self.labels,
            "language": self.language,
            "date": concept.meta.date.isoformat(),
            "draft": self.draft,
            "has_illustrative": self.has_illustrative(),
            "meta": self.meta(),
            "logos": [self.logo(logo) for logo in concept.meta.logos],
            "charts": self.charts(),
            "foreword": self.foreword(),
            "introduction": self.markdown.blocks(concept.introduction),
            "starting_point": self.starting_point(),
            "principles_intro": self.markdown.blocks(concept.principles_intro),
            "principles": [
                {
                    "title": p.title,
                    "text": self.markdown.blocks(p.text),
                    "illustrative": p.illustrative,
                }
                for p in concept.principles
            ],
            "process": self.process(),
            "cross_cutting_themes": [
                {
                    "id": c.id,
                    "title": c.title,
                    "description": self.markdown.blocks(c.description),
                    "illustrative": c.illustrative,
                }
                for c in concept.cross_cutting_themes
            ],
            "themes": themes,
            "measure_count": sum(len(t.measures) for t in themes),
            "monitoring": self.monitoring(),
            "sources": [
                {"text": s.text, "url": s.url or "", "link": self.external(s.url) if s.url else ooxml.EMPTY}
                for s in concept.sources
            ],
            "glossary": [{"term": g.term, "definition": g.definition} for g in concept.glossary],
            "changes": self.change_log(),
            "variant": self.variant_view(),
            "status_overview": self.status_overview(),
            "overdue": self.overdue(),
        }
        values["chapters"] = self.chapter_numbers(values)
        return DocumentContext(
            values=plain_data(values),
            date=concept.meta.date,
            links=self.links,
            numbered_lists=self.markdown.numbered_lists,
        )

    def selected(self, measure: Measure) -> bool:
        """Whether a measure belongs in this document: all, or those of the organisation asked for."""
        if self.for_name is None:
            return True
        return self.for_name in (measure.lead.casefold(), (measure.area or "").casefold())

    def variant_view(self) -> dict[str, str]:
        title = "" if self.variant == "konzept" else self.labels[f"variant_{self.variant}"]
        if self.for_label:
            title = f"{title} {self.for_label}".strip()
        return {"name": self.variant, "title": title, "for": self.for_label or ""}

    def status_overview(self) -> list[dict[str, str]]:
        """Per theme: how many measures, and how many in each status."""
        rows = []
        totals: Counter[str] = Counter()
        for number, theme in enumerate(self.concept.themes, 1):
            counts = Counter(str(m.status) for m in theme.measures if self.selected(m))
            totals.update(counts)
            rows.append(self.status_row(f"{self.labels['theme']} {number}: {theme.title}", counts))
        rows.append(self.status_row(self.labels["total"], totals))
        return rows

    def status_row(self, name: str, counts: Counter[str]) -> dict[str, str]:
        parts = [f"{counts[s]} {self.value(s)}" for s in MEASURE_STATUSES if counts[s]]
        return {"theme": name, "total": str(sum(counts.values())), "counts": ", ".join(parts) or "–"}

    def overdue(self) -> list[MeasureView]:
        """Measures whose end date lies before the concept's date and that are neither done nor set aside."""
        today = self.concept.meta.date
        late = [
            (theme, m)
            for theme in self.concept.themes
            for m in theme.measures
            if self.selected(m)
            and m.timeframe.end is not None
            and m.timeframe.end < today
            and m.status not in ("umgesetzt", "zurückgestellt")
        ]
        late.sort(key=lambda item: _number_key(self.measure_numbers[item[1].id]))
        return [self.measure(m, theme) for theme, m in late]

    def change_log(self) -> dict[str, Any] | None:
        """The changes since an earlier version, a row per field, for the appendix."""
        if self.changes is None:
            return None
        rows = []
        for change in self.changes.changes:
            item = f"{change.label} {change.title}".strip()
            kind = self.labels[change.kind]
            if change.kind != "changed":
                rows.append({"kind": kind, "item": item, "field": "", "old": "", "new": ""})
            for field_change in change.fields:
                rows.append(
                    {
                        "kind": kind,
                        "item": item,
                        "field": field_label(field_change.field, self.language),
                        "old": self.changed_value(field_change.field, field_change.old),
                        "new": self.changed_value(field_change.field, field_change.new),
                    }
                )
        return {"old_version": self.changes.old_version, "rows": rows}

    def changed_value(self, field: str, value: str) -> str:
        """A value in the change log as the document prints it: dates and key-figure values localised."""
        if _ISO_DATE.match(value):
            return self.date(dt.date.fromisoformat(value))
        if field == "value" and _NUMBER.match(value):
            return self.number(float(value))
        return _shortened(self.value(value))

    def charts(self) -> dict[str, dict[str, Any] | None]:
        """The charts, numbered as figures in document order; a chart without data is None."""
        drawn = {
            "status": (status_by_theme(self.concept, self.labels), self.labels["chart_status"]),
            "timeline": (
                timeline(self.concept, self.labels, self.measure_numbers),
                self.labels["chart_timeline"],
            ),
        }
        charts: dict[str, dict[str, Any] | None] = {}
        number = 0
        for name, (chart, caption) in drawn.items():
            if chart is None:
                charts[name] = None
                continue
            number += 1
            image = Image(alt=chart.alt, data=chart.png, name=f"{name}.png", width_cm=CHART_WIDTH_CM)
            charts[name] = {"image": image, "number": number, "caption": caption}
        return charts

    def logo(self, logo: Logo) -> Image:
        data = self.concept.image(logo.file)
        if data is None:
            raise ConceptBuilderError(
                f"logo {logo.file!r}: the image was not loaded (load the concept with load_concept)"
            )
        return Image(alt=logo.alt, data=data, name=PurePath(logo.file).name)

    def has_illustrative(self) -> bool:
        concept = self.concept
        items: list[Any] = [
            concept.foreword,
            concept.starting_point,
            concept.monitoring,
            *concept.principles,
            *concept.cross_cutting_themes,
        ]
        if concept.starting_point:
            items.extend(concept.starting_point.key_figures)
        if concept.process:
            items.extend([*concept.process.events, concept.process.steering_group])
        for theme in concept.themes:
            items.extend([*theme.goals, *theme.measures])
        return any(getattr(item, "illustrative", False) for item in items)

    def chapter_numbers(self, values: dict[str, Any]) -> dict[str, str]:
        """Numbers of the chapters present, in document order; the foreword stays unnumbered."""
        order = [
            "introduction",
            "starting_point",
            "principles",
            "process",
            "themes",
            "overview",
            "monitoring",
        ]
        present = {
            "introduction": bool(values["introduction"]),
            "starting_point": values["starting_point"] is not None,
            "principles": bool(values["principles"]),
            "process": values["process"] is not None,
            "themes": True,
            "overview": True,
            "monitoring": values["monitoring"] is not None,
        }
        numbers: dict[str, str] = {name: "" for name in order}
        if self.variant != "konzept":  # shorter documents go without chapter numbers
            return numbers
        count = 0
        for name in order:
            if present[name]:
                count += 1
                numbers[name] = f"{count} "
        return numbers

    def meta(self) -> dict[str, Any]:
        meta = self.concept.meta
        partners = [p.name + (f" ({p.role})" if p.role else "") for p in meta.partners]
        return {
            "title": meta.title,
            "subtitle": meta.subtitle or "",
            "district": meta.district,
            "issuer": meta.issuer,
            "authors": [self.person(a) for a in meta.authors],
            "authors_text": "; ".join(self.person(a) for a in meta.authors),
            "consultancy": meta.consultancy.name if meta.consultancy else "",
            "consultancy_role": (meta.consultancy.role or "") if meta.consultancy else "",
            "partners": partners,
            "partners_text": "; ".join(partners),
            "programme": meta.programme or "",
            "version": meta.version,
            "status": self.value(meta.status),
            "date": self.date(meta.date),
            "adoption": (f"{meta.adoption.body}, {self.date(meta.adoption.date)}" if meta.adoption else ""),
            "contact": self.contact_lines(),
            "note": self.markdown.blocks(meta.note, style="SmallText"),
            "replaces": meta.replaces or "",
            "version_line": " · ".join(
                part
                for part in (
                    f"{self.labels['version']} {meta.version}",
                    f"{self.labels['replaces']} {meta.replaces}" if meta.replaces else "",
                    self.value(meta.status),
                    self.date(meta.date),
                )
                if part
            ),
        }

    def contact_lines(self) -> list[str]:
        contact = self.concept.meta.contact
        if contact is None:
            return []
        parts = [
            contact.organisation,
            contact.department,
            contact.person,
            contact.address,
            contact.phone,
            contact.email,
            contact.url,
        ]
        return [part for part in parts if part]

    def person(self, person: Any) -> str:
        return ", ".join(part for part in (person.name, person.role, person.organisation) if part)

    def foreword(self) -> dict[str, Any] | None:
        foreword = self.concept.foreword
        if foreword is None:
            return None
        return {
            "text": self.markdown.blocks(foreword.text),
            "illustrative": foreword.illustrative,
            "name": foreword.author.name,
            "role": ", ".join(p for p in (foreword.author.role, foreword.author.organisation) if p),
        }

    def starting_point(self) -> dict[str, Any] | None:
        start = self.concept.starting_point
        if start is None:
            return None
        figures = [
            KeyFigureView(
                indicator=f.indicator,
                value=self.number(f.value),
                unit=f.unit or "",
                year=str(f.year),
                source=f.source,
                illustrative=f.illustrative,
            )
            for f in start.key_figures
        ]
        return {
            "text": self.markdown.blocks(start.text),
            "key_figures": figures,
            "illustrative": start.illustrative or any(f.illustrative for f in figures),
        }

    def process(self) -> dict[str, Any] | None:
        process = self.concept.process
        if process is None:
            return None
        titles = {t.id: t.title for t in self.concept.themes}
        events = []
        for event in process.events:
            participants = ""
            if event.participants is not None:
                participants = self.number(event.participants)
                if event.participants_approximate:
                    participants = f"{self.labels['approximately']} {participants}"
            events.append(
                EventView(
                    id=event.id,
                    title=event.title,
                    date=self.date(event.date),
                    place=event.place,
                    format=event.format,
                    participants=participants,
                    groups="; ".join(event.groups),
                    text=self.markdown.blocks(event.text),
                    results=[
                        ResultView(titles[r.theme], self.markdown.blocks(r.text)) for r in event.results
                    ],
                    quotes=[
                        self.quote(q) for q in self.published_quotes() if q.event == event.id and not q.themes
                    ],
                    illustrative=event.illustrative,
                )
            )
        group = process.steering_group
        return {
            "text": self.markdown.blocks(process.text),
            "events": events,
            "steering_group": {
                "name": group.name,
                "text": self.markdown.blocks(group.text),
                "members": [self.person(m) for m in group.members],
                "illustrative": group.illustrative,
            }
            if group
            else None,
        }

    def monitoring(self) -> dict[str, Any] | None:
        monitoring = self.concept.monitoring
        if monitoring is None:
            return None
        steps = "\n\n".join(f"- {step}" for step in monitoring.steps)
        return {
            "text": self.markdown.blocks(monitoring.text),
            "steps": self.markdown.blocks(steps),
            "review_cycle": monitoring.review_cycle or "",
            "illustrative": monitoring.illustrative,
        }

    # --- themes, goals, measures ------------------------------------------------

    def number_goals_and_measures(self) -> None:
        taken: set[str] = set()
        for theme in self.concept.themes:
            for measure in theme.measures:
                for goal_id in dict.fromkeys(measure.goals):
                    self.serving[goal_id].append(measure)
        for theme in self.concept.themes:
            for identifier in [theme.id, *(g.id for g in theme.goals), *(m.id for m in theme.measures)]:
                name = anchor_name(identifier, taken)
                self.anchor_names[identifier] = name
                taken.add(name)
        numbers = item_numbers(self.concept)
        labels = self.labels
        for theme in self.concept.themes:
            self.reference_labels[theme.id] = f"{labels['theme']} {numbers[theme.id]}"
            for goal in theme.goals:
                self.goal_numbers[goal.id] = numbers[goal.id]
                self.reference_labels[goal.id] = f"{labels['goal']} {numbers[goal.id]}"
            for measure in theme.measures:
                self.measure_numbers[measure.id] = numbers[measure.id]
                self.reference_labels[measure.id] = f"{labels['measure']} {numbers[measure.id]}"

    def published_quotes(self) -> list[Quote]:
        return [q for q in self.concept.quotes if q.consent or self.draft]

    def theme(self, index: int, theme: Theme) -> ThemeView:
        measures = sorted(theme.measures, key=lambda m: _number_key(self.measure_numbers[m.id]))
        titles = {c.id: c.title for c in self.concept.cross_cutting_themes}
        return ThemeView(
            id=theme.id,
            number=str(index),
            label=f"{self.labels['theme']} {index}",
            title=theme.title,
            anchor=self.anchor(theme.id),
            description=self.markdown.blocks(theme.description),
            challenges=self.markdown.blocks("\n".join(f"- {c}" for c in theme.challenges)),
            cross_cutting=", ".join(titles.get(c, c) for c in theme.cross_cutting),
            goals=[self.goal(goal, theme) for goal in theme.goals],
            measures=[self.measure(measure, theme) for measure in measures if self.selected(measure)],
            priority_measures=[
                self.measure(measure, theme)
                for measure in measures
                if measure.priority == "Schwerpunkt" and self.selected(measure)
            ],
            quotes=[self.quote(q) for q in self.published_quotes() if q.themes[:1] == [theme.id]],
            illustrative=any(g.illustrative for g in theme.goals)
            or any(m.illustrative for m in theme.measures),
        )

    def goal(self, goal: Goal, theme: Theme) -> GoalView:
        number = self.goal_numbers[goal.id]
        serving = sorted(self.serving[goal.id], key=lambda m: _number_key(self.measure_numbers[m.id]))
        parent = ""
        if goal.parent:
            parent = f"{self.labels['goal']} {self.goal_numbers[goal.parent]}"
        return GoalView(
            id=goal.id,
            number=number,
            label=f"{self.labels['goal']} {number}",
            title=goal.title,
            level=goal.level + (f" ({parent})" if parent else ""),
            parent=parent,
            anchor=self.anchor(goal.id),
            description=self.markdown.blocks(goal.description),
            indicators=[self.indicator(i) for i in goal.indicators],
            measure_links=self.link_list(
                (m.id, f"{self.labels['measure']} {self.measure_numbers[m.id]} {m.title}") for m in serving
            ),
            illustrative=goal.illustrative,
        )

    def measure(self, measure: Measure, theme: Theme) -> MeasureView:
        number = self.measure_numbers[measure.id]
        titles = {c.id: c.title for c in self.concept.cross_cutting_themes}
        funding = measure.funding
        return MeasureView(
            id=measure.id,
            number=number,
            label=f"{self.labels['measure']} {number}",
            title=measure.title,
            anchor=self.anchor(measure.id),
            link=Markup(self.link(measure.id, number)),
            description=self.markdown.blocks(measure.description),
            goal_links=self.link_list(
                (g, f"{self.labels['goal']} {self.goal_numbers[g]} {self.goal_titles[g]}")
                for g in measure.goals
            ),
            theme=theme.title,
            lead=measure.lead,
            partners=", ".join(measure.partners),
            target_groups=", ".join(measure.target_groups),
            timeframe=self.timeframe(measure.timeframe),
            priority=self.value(measure.priority),
            resources=funding.resources or "",
            budget=funding.budget or "",
            funding=funding.source or "",
            indicators="; ".join(self.indicator_text(i) for i in measure.indicators),
            status=self.value(measure.status),
            area=measure.area or self.labels["whole_district"],
            cross_cutting=", ".join(titles.get(c, c) for c in measure.cross_cutting),
            contact=measure.contact or "",
            end=self.date(measure.timeframe.end),
            illustrative=measure.illustrative,
        )

    def link_list(self, items: Any) -> Markup:
        """Internal links to bookmarks, one per line, as runs inside a paragraph."""
        parts = []
        for index, (identifier, text) in enumerate(items):
            if index:
                parts.append(ooxml.text_runs("\n"))
            parts.append(self.link(identifier, text))
        return ooxml.join(parts)

    def external(self, url: str) -> Markup:
        return Markup(ooxml.external_link(self.link_id(url), ooxml.text_runs(url, style="Hyperlink")))

    def timeframe(self, timeframe: Timeframe) -> str:
        parts = []
        if timeframe.start and timeframe.end:
            parts.append(f"{self.month(timeframe.start)} {self.labels['to']} {self.month(timeframe.end)}")
        elif timeframe.start:
            parts.append(f"{self.labels['from']} {self.month(timeframe.start)}")
        elif timeframe.end:
            parts.append(f"{self.labels['until']} {self.month(timeframe.end)}")
        if timeframe.term:
            term = self.value(timeframe.term)
            parts.append(f"({term})" if parts else term)
        return " ".join(parts)

    def month(self, value: dt.date) -> str:
        return format_date(value, "MM/y", locale=self.locale)

    def indicator(self, indicator: Indicator) -> IndicatorView:
        unit = indicator.unit or ""
        return IndicatorView(
            name=indicator.name,
            baseline=_with_unit(indicator.baseline, unit),
            target=_with_unit(indicator.target, unit),
            unit=unit,
            source=indicator.source or "",
            illustrative=indicator.illustrative,
        )

    def indicator_text(self, indicator: Indicator) -> str:
        view = self.indicator(indicator)
        if view.target:
            return f"{view.name}: {view.target}"
        return view.name

    def quote(self, quote: Quote) -> QuoteView:
        details = ", ".join(part for part in (quote.role, quote.organisation) if part)
        return QuoteView(
            id=quote.id,
            text=quote.text,
            person=quote.person,
            role=quote.role or "",
            organisation=quote.organisation or "",
            attribution=f"{quote.person} ({details})" if details else quote.person,
            source=quote.source or "",
        )


PLAIN_TYPES = (str, int, float, bool, type(None), Image)


def plain_data(value: Any) -> Any:
    """``value`` with every view turned into a mapping: templates get data, never objects with methods."""
    if isinstance(value, PLAIN_TYPES):
        return value
    if isinstance(value, dict):
        return {key: plain_data(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain_data(item) for item in value]
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain_data(getattr(value, f.name)) for f in fields(value)}
    raise TypeError(f"a {type(value).__name__} may not reach a template")


def item_numbers(concept: Concept) -> dict[str, str]:
    """The number of every theme, goal and measure by id: "2", "2.1", "2.1.3".

    A goal is numbered by its theme and its place there; a measure by its
    theme, its first goal, and its place among the measures with that first goal.
    """
    numbers: dict[str, str] = {}
    for t_index, theme in enumerate(concept.themes, 1):
        numbers[theme.id] = str(t_index)
        for g_index, goal in enumerate(theme.goals, 1):
            numbers[goal.id] = f"{t_index}.{g_index}"
        per_goal: dict[str, int] = defaultdict(int)
        for measure in theme.measures:
            primary = measure.goals[0]
            per_goal[primary] += 1
            numbers[measure.id] = f"{numbers[primary]}.{per_goal[primary]}"
    return numbers


def anchor_name(identifier: str, taken: set[str]) -> str:
    """A bookmark name for an id: Word allows letters, digits and _, at most 40 characters."""
    cleaned = "".join(ch if ch.isascii() and ch.isalnum() else "_" for ch in identifier)
    name = f"cb_{cleaned}"[:40]
    counter = 1
    while name in taken:
        counter += 1
        name = f"cb_{cleaned}"[:34] + f"_{counter}"
    return name


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def _shortened(text: str, limit: int = 300) -> str:
    """Long free text in a change log: the beginning is enough to recognise it."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _with_unit(value: str | None, unit: str) -> str:
    if not value:
        return ""
    return f"{value} {unit}".strip() if unit and unit not in value else value


def _number_key(number: str) -> tuple[int, ...]:
    return tuple(int(part) for part in number.split("."))
