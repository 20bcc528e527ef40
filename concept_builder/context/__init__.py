"""Stage 4: what a template renders, made from the document's structure.

Dates and numbers are formatted for the document's language
(``wording``), free text becomes Word paragraphs in the document's styles
(``fragments``), themes, goals, measures and quotes become views
(``items``), the chapters around them mappings (``chapters``), and the
summary figures, charts and change log are added (``report``). Everything a
template sees is plain data; every name it may use is documented in
docs/templates.md.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ..diff import ChangeLog
from ..drawing import Look
from ..markers import build_record
from ..options import DEFAULT_VARIANT, VARIANTS, Variant
from ..structure import Structure
from ..template import default_template, open_template
from ..word import ListInstance, StyleMap
from ..wording import Wording
from .chapters import Chapters
from .fragments import Fragments
from .front_matter import FrontMatter, Image
from .items import ItemViews
from .report import Report

__all__ = ["DocumentContext", "Image", "make_context"]


@dataclass
class DocumentContext:
    """What the template sees (``values``, plain data only) and what the render stage adds to the package."""

    values: dict[str, Any]
    date: dt.date  # the concept's date, for the document properties
    hyperlinks: dict[str, str] = field(default_factory=dict)  # URL → relationship id
    numbered_lists: list[ListInstance] = field(default_factory=list)  # lists with numbering of their own
    notes: list[str] = field(default_factory=list)  # what the document shows otherwise than planned, and why
    record: dict[str, str] = field(default_factory=dict)  # how it was built, kept in its custom properties


def make_context(
    structure: Structure,
    *,
    variant: Variant = VARIANTS[DEFAULT_VARIANT],
    styles: StyleMap | None = None,
    changes: ChangeLog | None = None,
) -> DocumentContext:
    """The template context of one document.

    ``variant`` names the document made from the concept; ``styles`` are the
    style ids of the document's template (by default those of the variant's
    own template); ``changes`` adds a change log as an appendix.
    """
    if styles is None:
        styles = open_template(default_template(variant.name)).styles
    concept = structure.concept
    wording = Wording(concept.meta.language, concept.meta.district)
    fragments = Fragments(structure, variant, styles, wording)
    items = ItemViews(structure, fragments, wording)
    chapters = Chapters(concept, fragments, wording, items)
    front = FrontMatter(concept, fragments, wording)
    report = Report(structure, wording, items)
    # first: a chart not drawn before is drawn in the background while the rest is made
    charts, notes = report.charts(Look(styles.accent, styles.text_colour, styles.format_of(None).family))
    themes = items.themes()
    for_name = structure.selection.name if structure.selection else ""
    title = wording[f"variant_{variant.name}"] if variant.name != DEFAULT_VARIANT else ""
    values: dict[str, Any] = {
        "labels": wording.labels,
        "language": wording.language,
        "date": concept.meta.date.isoformat(),
        "draft": concept.meta.is_draft,
        "has_illustrative": front.has_illustrative(),
        "meta": front.meta(),
        "logos": front.logos(),
        "charts": charts,
        "foreword": front.foreword(),
        "introduction": fragments.blocks(concept.introduction),
        "starting_point": chapters.starting_point(),
        "principles_intro": fragments.blocks(concept.principles_intro),
        "principles": chapters.principles(),
        "principles_listed": bool(concept.principles) and not any(p.text for p in concept.principles),
        "process": chapters.process(),
        "cross_cutting_themes": chapters.cross_cutting_themes(),
        "themes": themes,
        "measure_count": sum(len(t["measures"]) for t in themes),
        "monitoring": chapters.monitoring(),
        "sources": chapters.sources(),
        "glossary": chapters.glossary(),
        "changes": report.change_log(changes),
        "variant": {"name": variant.name, "title": f"{title} {for_name}".strip(), "for": for_name},
        "status_overview": report.status_overview(),
        "finance": report.finance(),
        "overdue": report.overdue(),
    }
    values["chapters"] = Chapters.numbers(
        variant,
        {
            "introduction": bool(values["introduction"]),
            "starting_point": values["starting_point"] is not None,
            "principles": bool(values["principles"]),
            "process": values["process"] is not None,
            "themes": True,
            "overview": True,
            "monitoring": values["monitoring"] is not None,
        },
        styles.numbered_headings,
    )
    # free text can mark sentences illustrative ([[Beispielinhalt]]); known once it is converted
    values["has_illustrative"] = values["has_illustrative"] or fragments.markdown.marked_example
    return DocumentContext(
        values=values,
        date=concept.meta.date,
        hyperlinks=fragments.hyperlinks,
        numbered_lists=fragments.numbered_lists,
        notes=notes,
        record=build_record(concept, variant.name, for_name),
    )
