"""Small builders for WordprocessingML fragments.

The context stage prepares rich content (Markdown, tables of links,
bookmarks) as ready XML, wrapped in ``Markup`` so that the autoescaping
template engine inserts it as it is while every plain string is escaped.
Building strings is far faster than building python-docx objects in loops.
"""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup
from markupsafe import escape as markup_escape

EMPTY = Markup("")


def escape_text(text: str) -> str:
    """``text`` escaped for an XML text node or attribute.

    Braces become character references: docxtpl rewrites "{_{" in rendered XML
    to "{{", which would change a user's text; references pass unchanged.
    """
    escaped = str(markup_escape(text))
    if "{" in escaped or "}" in escaped:
        escaped = escaped.replace("{", "&#123;").replace("}", "&#125;")
    return escaped


def text_runs(text: str, *, bold: bool = False, italic: bool = False, style: str | None = None) -> str:
    """One run for ``text``; tabs and line breaks become Word's own elements."""
    properties = ""
    if style:
        properties += f'<w:rStyle w:val="{style}"/>'
    if bold:
        properties += "<w:b/>"
    if italic:
        properties += "<w:i/>"
    content = []
    for index, line in enumerate(text.split("\n")):
        if index:
            content.append("<w:br/>")
        for part_index, part in enumerate(line.split("\t")):
            if part_index:
                content.append("<w:tab/>")
            if part:
                content.append(f'<w:t xml:space="preserve">{escape_text(part)}</w:t>')
    properties_xml = f"<w:rPr>{properties}</w:rPr>" if properties else ""
    return f"<w:r>{properties_xml}{''.join(content)}</w:r>"


def paragraph(runs: str, *, style: str | None = None, numbering: tuple[int, int] | None = None) -> str:
    """A paragraph of ready runs; ``numbering`` is (numId, level) for list items."""
    properties = f'<w:pStyle w:val="{style}"/>' if style else ""
    if numbering:
        num_id, level = numbering
        properties += f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'
    properties_xml = f"<w:pPr>{properties}</w:pPr>" if properties else ""
    return f"<w:p>{properties_xml}{runs}</w:p>"


def external_link(relationship_id: str, runs: str) -> str:
    return f'<w:hyperlink r:id="{relationship_id}" w:history="1">{runs}</w:hyperlink>'


def internal_link(anchor: str, runs: str) -> str:
    return f'<w:hyperlink w:anchor="{anchor}" w:history="1">{runs}</w:hyperlink>'


def bookmark(bookmark_id: int, name: str) -> str:
    """An empty bookmark: a target for internal links and references."""
    return f'<w:bookmarkStart w:id="{bookmark_id}" w:name="{name}"/><w:bookmarkEnd w:id="{bookmark_id}"/>'


def join(parts: Iterable[str]) -> Markup:
    return Markup("".join(parts))
