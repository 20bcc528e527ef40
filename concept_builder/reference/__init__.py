"""A district's house style from one ordinary Word file, as pandoc's ``--reference-doc`` does it.

The reference document brings the look – styles, list numbering, theme
colours and fonts, page size and margins, headers and footers with their
logos – and the template brings the structure and the tags. Styles are
matched by name, and by role where the names differ: a reference whose
heading styles are called "Überschrift 1" (id ``berschrift1``), or that only
sets their outline level, restyles our "heading 1"; "Titel" restyles "Title".
The styles our documents use that the reference does not define are kept from the template. Nothing of the
reference's body is used, and a reference must not hold template tags: it is
an ordinary Word document, possibly from a third party.
"""

from __future__ import annotations

import io
import re

from docx import Document
from docx.document import Document as WordDocument
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml.ns import qn

from .page import Merged, page_and_headers, take_theme
from .styles import (
    drop_styles_with_effects,
    merge_styles,
    number_direct_lists,
    numbering_map,
    rename_styles,
    styles_by_role,
    styles_used,
    weak_contrast,
)

_TAG = re.compile(r"\{[{%#]|[}%#]\}")
_MARKUP = re.compile(r"<[^>]*>")


class ReferenceError(ValueError):
    """The reference document cannot be used; the message says why."""


def with_reference(template: bytes, reference: bytes, name: str = "the reference document") -> Merged:
    """``template`` (a .docx with tags) in the look of ``reference`` (an ordinary .docx).

    ``name`` is how the notes call the reference (its file name): what it could
    not bring, and what in it readers would stumble over.
    """
    target = Document(io.BytesIO(template))
    source = checked_reference(reference)
    merged = Merged(b"", name=name)
    used = styles_used(target)
    restyled = [
        str(s.get(qn("w:styleId"))) for n, s in styles_by_role(source.styles.element).items() if n in used
    ]
    numbering = numbering_map(target, source)
    styles = merge_styles(target, source, numbering)
    merged.notes += weak_contrast(target.styles.element, restyled, name)
    number_direct_lists(target, numbering)
    rename_styles(target, styles)
    take_theme(target, source)
    page_and_headers(target, source, merged)
    drop_styles_with_effects(target)
    merged.notes = list(dict.fromkeys(merged.notes))  # a logo in several headers: one note
    buffer = io.BytesIO()
    target.save(buffer)
    merged.data = buffer.getvalue()
    return merged


def checked_reference(reference: bytes) -> WordDocument:
    """The reference document opened, if Word can use it and it holds no template tags."""
    try:
        document = Document(io.BytesIO(reference))
    except Exception as error:  # python-docx raises many kinds for a damaged package
        raise ReferenceError(
            f"cannot be read as a Word document ({type(error).__name__}: {error})"
        ) from error
    refuse_tags(document)
    return document


def refuse_tags(document: WordDocument) -> None:
    """A reference brings looks, not logic: anything a template engine would run is refused.

    docxtpl renders every header and footer as a whole: its text joined
    across runs, field codes and attribute values alike. So each is read as
    it would be rendered, with and without the XML between the characters.
    """
    stories = {RELATIONSHIP_TYPE.HEADER: "header", RELATIONSHIP_TYPE.FOOTER: "footer"}
    parts = {
        relationship.target_part: stories[relationship.reltype]
        for relationship in document.part.rels.values()
        if relationship.reltype in stories and not relationship.is_external
    }
    for part, kind in parts.items():
        xml = part.blob.decode("utf-8", "replace")
        text = _MARKUP.sub("", xml)
        found = _TAG.search(text) or _TAG.search(xml)
        if found is not None:
            seen = found.string[found.start() : found.start() + 60]
            raise ReferenceError(
                f"its {kind} ({str(part.partname).lstrip('/')}) holds template tags ({seen!r}); a"
                " reference document is an ordinary Word file: its styles, page and headers are used, not its"
                " text as a template"
            )
