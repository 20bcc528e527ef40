"""Template diagnostics: no template fails silently.

A template is an ordinary Word document with tags, and Word is not a code
editor: it splits a tag's text into runs, AutoCorrect makes quotes
typographic, and a missing brace or text beside a paragraph tag is easy to
overlook. docxtpl and Jinja would turn many such slips into a document with
text missing, or into one Word refuses to open. So a template is read before
it is rendered, tag by tag and with the place of each (part, table cell,
paragraph, nearby text), and what would go wrong is an error that names
the place:

- a tag that is never closed, or a closing brace without its opening;
- text beside a paragraph, row or cell tag (``{%p``, ``{%tr``, ``{%tc``),
  which docxtpl replaces with the tag, text and all;
- a block (``{% for %}``, ``{% if %}``) that is never closed, closed by the
  wrong end tag, or an end tag without its block – named at the opening tag;
- an expression Jinja cannot read;
- prepared Word content – paragraphs, links, bookmarks – printed by a tag of
  the wrong kind (``{{ theme.description }}`` instead of ``{{p … }}``).

After rendering, what still is not right is refused or mended before
anything is written: elements where Word allows none are an error (every
rendered part – body, headers, footers, footnotes – is checked against the
containment rules of WordprocessingML), a table cell left without a
paragraph gets an empty one, and a link to an item whose anchor the
template never prints becomes plain text, with a warning. Each names the
template's paragraph it came from: before rendering, every paragraph of the
template gets a marker (an XML comment with its number), which rendering
carries along and which is taken out before anything is written.
"""

from __future__ import annotations

from .kinds import Kinds, prepared_kinds
from .located import label_of, located_error, part_label, refuse
from .places import (
    Diagnosis,
    Place,
    Tag,
    mark_paragraphs,
    paragraph_of,
    quoted,
    straighten_quotes,
    without_markers,
)
from .rendered import mend, refuse_invalid
from .tags import diagnose

__all__ = [
    "Diagnosis",
    "Kinds",
    "Place",
    "Tag",
    "diagnose",
    "label_of",
    "located_error",
    "mark_paragraphs",
    "mend",
    "paragraph_of",
    "part_label",
    "prepared_kinds",
    "quoted",
    "refuse",
    "refuse_invalid",
    "straighten_quotes",
    "without_markers",
]
