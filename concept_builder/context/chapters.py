"""The chapters around the themes: starting point, principles, participation process, cross-cutting
themes, monitoring, sources and glossary – each a plain mapping for the template – and their numbers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..model import Concept, Event
from ..options import Variant
from ..sources import assembled, joined
from ..word import EMPTY
from ..wording import Wording
from .fragments import Fragments
from .items import ItemViews

if TYPE_CHECKING:
    pass

# The numbered chapters of the full concept, in document order; the foreword stays unnumbered
CHAPTERS = ("introduction", "starting_point", "principles", "process", "themes", "overview", "monitoring")


class Chapters:
    """Makes the mappings of the chapters of one document."""

    def __init__(self, concept: Concept, fragments: Fragments, wording: Wording, items: ItemViews) -> None:
        self.concept = concept
        self.fragments = fragments
        self.wording = wording
        self.items = items

    def starting_point(self) -> dict[str, Any] | None:
        start = self.concept.starting_point
        if start is None:
            return None
        figures = [
            {
                "indicator": f.indicator,
                "value": self.wording.number(f.value),
                "unit": f.unit or "",
                "year": assembled(f.year),
                "source": f.source,
                "illustrative": f.illustrative,
            }
            for f in start.key_figures
        ]
        return {
            "text": self.fragments.blocks(start.text),
            "key_figures": figures,
            "illustrative": start.illustrative or any(f.illustrative for f in start.key_figures),
        }

    def principles(self) -> list[dict[str, Any]]:
        return [
            {"title": p.title, "text": self.fragments.blocks(p.text), "illustrative": p.illustrative}
            for p in self.concept.principles
        ]

    def cross_cutting_themes(self) -> list[dict[str, Any]]:
        """Each cross-cutting theme with what it covers: the themes and measures that carry it."""
        structure = self.items.structure
        views = []
        for cross in self.concept.cross_cutting_themes:
            themes = [
                t for t in structure.themes if cross.id in t.theme.cross_cutting and structure.shown(t.id)
            ]
            measures = [
                m
                for m in structure.measures()
                if cross.id in m.measure.cross_cutting and structure.selected(m)
            ]
            views.append(
                {
                    "id": cross.id,
                    "title": cross.title,
                    "description": self.fragments.blocks(cross.description),
                    "illustrative": cross.illustrative,
                    "theme_links": self.fragments.number_links(
                        [(t.id, t.number) for t in themes], self.wording
                    ),
                    "theme_count": len(themes),
                    "measure_links": self.fragments.number_links(
                        [(m.id, m.number) for m in measures], self.wording
                    ),
                    "measure_count": len(measures),
                }
            )
        return views

    def process(self) -> dict[str, Any] | None:
        process = self.concept.process
        if process is None:
            return None
        group = process.steering_group
        steering_group = None
        if group is not None:
            members = [self.wording.person(m) for m in group.members]
            steering_group = {
                "name": group.name,
                "text": self.fragments.blocks(group.text),
                "members": members,
                "member_entries": [
                    {"text": text, "illustrative": m.illustrative}
                    for text, m in zip(members, group.members, strict=True)
                ],
                "illustrative": group.illustrative,
            }
        return {
            "text": self.fragments.blocks(process.text),
            "events": [self.event(event) for event in process.events],
            "steering_group": steering_group,
            "illustrative": process.illustrative,
        }

    def event(self, event: Event) -> dict[str, Any]:
        titles = {t.id: t.title for t in self.concept.themes}
        participants = ""
        if event.participants is not None:
            participants = self.wording.number(event.participants)
            if event.participants_approximate:
                participants = assembled(f"{self.wording['approximately']} ", participants)
        return {
            "id": event.id,
            "title": event.title,
            "date": self.wording.dates(event.date, event.end),
            "place": event.place,
            "format": event.format,
            "participants": participants,
            "groups": joined("; ", event.groups),
            "text": self.fragments.blocks(event.text),
            "results": [
                {
                    "theme": titles[r.theme],
                    "text": self.fragments.blocks(r.text),
                    "illustrative": r.illustrative,
                }
                for r in event.results
            ],
            "quotes": [
                self.items.quote(q)
                for q in self.items.published_quotes()
                if q.event == event.id and not q.themes
            ],
            "illustrative": event.illustrative,
        }

    def monitoring(self) -> dict[str, Any] | None:
        monitoring = self.concept.monitoring
        if monitoring is None:
            return None
        return {
            "text": self.fragments.blocks(monitoring.text),
            "steps": self.fragments.bullets(monitoring.steps, loose=True),
            "review_cycle": monitoring.review_cycle or "",
            "illustrative": monitoring.illustrative,
        }

    def sources(self) -> list[dict[str, Any]]:
        return [
            {
                "text": s.text,
                "url": s.url or "",
                "link": self.fragments.external(s.url) if s.url else EMPTY,
                "illustrative": s.illustrative,
            }
            for s in self.concept.sources
        ]

    def glossary(self) -> list[dict[str, Any]]:
        return [
            {"term": g.term, "definition": g.definition, "illustrative": g.illustrative}
            for g in self.concept.glossary
        ]

    @staticmethod
    def numbers(variant: Variant, present: dict[str, bool], by_design: bool = False) -> dict[str, str]:
        """The number and a space ("3 ") of each chapter present, or "" where chapters go unnumbered.

        Where the design numbers its headings itself, ours step aside.
        """
        numbers = dict.fromkeys(CHAPTERS, "")
        if variant.chapter_numbers and not by_design:
            count = 0
            for name in CHAPTERS:
                if present[name]:
                    count += 1
                    numbers[name] = f"{count} "
        return numbers
