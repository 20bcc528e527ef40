"""docxtpl in our sandbox: the template class that renders a body in one pass into bytes, headers and
footers as docxtpl does, each checked where it is made, and how each value is printed into Word XML."""

from __future__ import annotations

import functools
import io
import re
from pathlib import Path
from typing import Any
from xml.parsers import expat

from docx.document import Document as WordDocument
from docx.oxml.shape import CT_Inline
from docx.shared import Cm
from docxtpl import DocxTemplate
from jinja2 import TemplateError as JinjaTemplateError
from lxml import etree
from markupsafe import Markup

from ..context import Image
from ..drawing import png_bytes
from ..errors import TemplateError
from ..markers import marked_text
from ..template_check import (
    label_of,
    mark_paragraphs,
    paragraph_of,
    refuse_invalid,
    straighten_quotes,
    without_markers,
)
from ..word import (
    BOOKMARK_ID,
    keeps_spaces,
    text_content,
)

LOGO_HEIGHT = Cm(2.0)


LOGO_MAX_WIDTH = Cm(6.0)


MAX_RENDERED = 500_000_000  # bytes of a rendered body; 2,000 measures take about 21 MB


COLUMN_TAGS = ("{%tc", "colspan", "{% hm", "{% vm", "{%hm", "{%vm")  # templates whose table grids change


PREPARED_BOOKMARK = re.compile(
    rb'<w:bookmarkStart w:id="%s" (w:name="[^"]*"/>)<w:bookmarkEnd w:id="%s"/>'
    % (BOOKMARK_ID.encode(), BOOKMARK_ID.encode())
)


# A tag with the runs it may be split into, as docxtpl finds them (braces first joined, as it does)
_TAG_SPAN = re.compile(r"\{[{%](?:(?![}%]\}).)*[}%]\}", re.DOTALL)


# Where a line begins: at a template paragraph's marker, else at a paragraph not marked
_PARAGRAPH_LINE = re.compile(r"(<!--cb:\d+-->|(?<!-->)<w:p[ >])")


_LINE_BREAK = re.compile(r"\n(<!--cb:|<w:p[ >])")


_SPLIT_BRACES = re.compile(r"(?<={)(<[^>]*>)+(?=[\{%\#])|(?<=[%\}\#])(<[^>]*>)+(?=\})", re.DOTALL)


# A template's text element holding nothing but tags, which docxtpl marks to keep spaces
_TAGS_ONLY_TEXT = re.compile(r'<w:t xml:space="preserve">((?:\{\{[^{}<]*\}\})+)</w:t>')


def check_well_formed(template: Path, document_xml: bytes) -> None:
    """Parse without building a tree: broken XML is an error, never a document Word rejects."""
    parser = expat.ParserCreate()
    try:
        parser.Parse(document_xml, True)
    except expat.ExpatError as exc:
        raise TemplateError(
            template,
            f"body: the rendered document is not well-formed XML ({expat.errors.messages[exc.code]})",
            "a tag may sit in the wrong place, e.g. {{r …}} outside a run",
        ) from exc


@functools.lru_cache(maxsize=8192)
def _printed_text(text: str) -> Markup:
    """``text_content`` as the finalizer prints it; labels and common values repeat thousands of times."""
    return Markup(text_content(text))


@functools.lru_cache(maxsize=8192)
def _printed_in_own_text(text: str) -> Markup:
    """``_printed_text`` for our templates, whose text elements holding only tags do not keep spaces.

    A value with spaces to keep, a line break or a tab gets text elements of
    its own that keep them; most values have none, and the document is
    lighter by an attribute per value.
    """
    if keeps_spaces(text) or "\n" in text or "\t" in text:
        return Markup(f'</w:t><w:t xml:space="preserve">{text_content(text)}</w:t><w:t xml:space="preserve">')
    return Markup(text_content(text))


class SandboxedTemplate(DocxTemplate):  # type: ignore[misc]
    """docxtpl with the passes our rendering does not need left out, and a strict XML check.

    - Tabs and line breaks in values are Word elements already (``text_content``), so
      the regex pass over the rendered XML (``resolve_listing``) is skipped.
    - The rendered body stays bytes and is checked, not parsed into a tree:
      XML that is not well-formed is an error, never silently repaired.
    - Table grids are only recomputed for templates that make columns in loops.
    """

    def build_xml(self, context: dict[str, Any], jinja_env: Any = None) -> bytearray:
        """The body rendered straight to UTF-8 bytes, as docxtpl's ``render_xml_part`` does for text.

        Streaming into one buffer avoids holding millions of string pieces and
        a text copy of a large body; docxtpl's regex pass for tabs and line
        breaks (``resolve_listing``) is not needed, see ``text_content``.
        """
        source = _lines_per_paragraph(self.patch_xml(self.get_xml()))
        self.current_rendering_part = self.docx._part
        rendered = bytearray()
        jinja_env.finalize.marking = True  # the values of the body are marked with their sources
        try:
            for chunk in jinja_env.from_string(source).generate(context):
                if "\n<" in chunk:  # the line breaks added above are in the template's own text
                    chunk = _LINE_BREAK.sub(r"\1", chunk)
                rendered += chunk.encode("utf-8")
                if len(rendered) > MAX_RENDERED:
                    raise TemplateError(
                        self.source,
                        f"body: the rendered document passed {MAX_RENDERED // 1_000_000} MB, far more than"
                        " any concept needs, and was stopped",
                        "look for loops or repetitions in the template",
                    )
        except JinjaTemplateError as exc:
            _locate(exc, source)
            raise
        finally:
            jinja_env.finalize.marking = False
        for escaped, literal in ((b"{_{", b"{{"), (b"}_}", b"}}"), (b"{_%", b"{%"), (b"%_}", b"%}")):
            if escaped in rendered:  # docxtpl's way to print literal tags from a template
                rendered = rendered.replace(escaped, literal)
        diagnosis = getattr(self, "diagnosis", None)
        if diagnosis is not None:  # a user's template: refused at its paragraph where Word would be
            refuse_invalid(self.source, rendered, "body", diagnosis)
        return rendered  # a bytearray, with the paragraph markers of a user's template (``mend`` drops them)

    def render_xml_part(self, src_xml: str, part: Any, context: dict[str, Any], jinja_env: Any = None) -> str:
        """A header, footer or the footnotes, rendered as docxtpl does; checked as the body is.

        Its lines are laid out as the body's (``_lines_per_paragraph``), so that an
        error names its paragraph.
        """
        source = _lines_per_paragraph(src_xml)
        self.current_rendering_part = part
        try:
            rendered: str = jinja_env.from_string(source).render(context)
        except JinjaTemplateError as exc:
            _locate(exc, source)
            raise
        rendered = _LINE_BREAK.sub(r"\1", rendered)
        for escaped, literal in (("{_{", "{{"), ("}_}", "}}"), ("{_%", "{%"), ("%_}", "%}")):
            rendered = rendered.replace(escaped, literal)
        rendered = self.resolve_listing(rendered)
        diagnosis = getattr(self, "diagnosis", None)
        if diagnosis is None:
            return rendered
        data = rendered.encode("utf-8")
        refuse_invalid(self.source, data, label_of(part), diagnosis)
        return without_markers(data).decode("utf-8")

    def patch_xml(self, src_xml: str) -> str:
        if getattr(self, "diagnosis", None) is not None:  # a user's template: its paragraphs marked
            src_xml = mark_paragraphs(src_xml)
        # the quotes of a tag's literals made straight, as AutoCorrect types them („…“ ‚…‘ »…«), before
        # docxtpl would straighten every “ ” ‘ ’, those inside a literal too
        src_xml = _SPLIT_BRACES.sub("", src_xml)
        src_xml = _TAG_SPAN.sub(lambda match: straighten_quotes(match.group(0)), src_xml)
        patched: str = super().patch_xml(src_xml)
        self.column_loops = any(tag in patched for tag in COLUMN_TAGS)
        if getattr(self, "own", False):  # see _printed_in_own_text
            patched = _TAGS_ONLY_TEXT.sub(r"<w:t>\1</w:t>", patched)
        # runs with neither properties nor text: docxtpl leaves one beside every tag of a run of its own
        return patched.replace('<w:r><w:t xml:space="preserve"></w:t></w:r>', "").replace(
            "<w:r><w:t></w:t></w:r>", ""
        )

    def fix_tables(self, xml: bytearray) -> bytes | bytearray:
        if getattr(self, "column_loops", False):
            # docxtpl's grid fix parses with recovery; make sure there is nothing to recover from
            check_well_formed(self.source, bytes(xml))
            return bytes(etree.tostring(super().fix_tables(bytes(xml))))
        return xml

    def render_properties(self, context: dict[str, Any], jinja_env: Any = None) -> None:
        """Not rendered: the build sets the document properties from the concept (``set_properties``)."""

    def fix_docpr_ids(self, tree: etree._Element) -> None:
        """Done in map_tree, on the new document."""

    def map_tree(self, body_xml: bytes | bytearray) -> None:
        """Keep the rendered body as bytes; it joins the document when the package is written.

        docxtpl parses the body and moves it into the document tree; for a
        large concept that tree is most of the memory and a third of the time.
        The bytes are checked for well-formedness instead (``check_well_formed``).
        """
        self.rendered_body = body_xml  # markers and ids are placed by the passes after rendering


def _lines_per_paragraph(xml: str) -> str:
    """``xml`` with a line per paragraph (and per paragraph marker), for messages with nearby text.

    A marker starts the line of the paragraph it names, so that the line of an
    error gives its paragraph (``paragraph_of``).
    """
    return _PARAGRAPH_LINE.sub(r"\n\1", xml)


def _locate(exc: JinjaTemplateError, source: str) -> None:
    """The template's paragraph of a Jinja error, and the text around it, attached for the message."""
    exc.template_paragraph = paragraph_of(exc, source)  # type: ignore[attr-defined]
    line = getattr(exc, "lineno", None)
    if line is not None:  # the template text around the error
        lines = source.splitlines()[max(line - 4, 0) : line + 3]
        exc.docx_context = [re.sub(r"<[^>]+>", "", text) for text in lines]  # type: ignore[attr-defined]


class Finalizer:
    """Turns every value a template prints into document XML.

    Text is escaped; prepared XML passes as it is; an ``Image`` becomes an
    inline drawing with its alt text, its picture added to the package.
    """

    def __init__(self, docx: WordDocument, own: bool = False) -> None:
        self.docx = docx
        self.marking = False  # while the body renders: text from the inputs gets its source marker
        self.text = _printed_in_own_text if own else _printed_text

    def __call__(self, value: Any) -> Any:
        if isinstance(value, Markup):
            return value
        if isinstance(value, str):
            marked = marked_text(value, text_content) if self.marking else None
            if marked is not None:  # its run is cut at each marker into runs whose text keeps its spaces
                return Markup(marked)
            return self.text(value)
        if isinstance(value, Image):
            return self.drawing(value)
        return value

    def drawing(self, image: Image) -> Markup:
        png = png_bytes(image.data)  # a chart may still be being drawn
        relationship_id, picture = self.docx.part.get_or_add_image(io.BytesIO(png))
        if image.width_cm is not None:
            width, height = picture.scaled_dimensions(Cm(image.width_cm), None)
        else:
            width, height = picture.scaled_dimensions(None, LOGO_HEIGHT)
            if width > LOGO_MAX_WIDTH:
                width, height = picture.scaled_dimensions(LOGO_MAX_WIDTH, None)
        # ids are renumbered once the whole body is rendered
        inline = CT_Inline.new_pic_inline(1, relationship_id, image.name, width, height)
        inline.docPr.set("descr", image.alt)
        inline.docPr.set("title", image.title)
        drawing = etree.tostring(inline, encoding="unicode")
        # braces as references, as in every text: docxtpl turns "{_{" in the rendered XML into "{{"
        drawing = drawing.replace("{", "&#123;").replace("}", "&#125;")
        return Markup(f"<w:r><w:drawing>{drawing}</w:drawing></w:r>")
