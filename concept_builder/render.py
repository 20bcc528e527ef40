"""Stage 5: fill a Word template with the context.

The only module that renders with docxtpl. Templates run in our sandbox
(``sandbox.py``) with autoescaping, so user text is always escaped and a
template cannot reach Python internals. After rendering, drawings and
bookmarks get unique ids, the table of contents is filled from the
document's headings, and the document properties are set from the concept.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import itertools
import multiprocessing
import re
import resource
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.parsers import expat

from docx.document import Document as WordDocument
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.coreprops import CoreProperties
from docx.opc.packuri import PackURI
from docx.opc.part import Part, XmlPart
from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml
from docx.oxml.shape import CT_Inline
from docx.shared import Cm
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined
from jinja2 import TemplateError as JinjaTemplateError
from lxml import etree
from markupsafe import Markup

from .context import DocumentContext, Image
from .drawing import finish_drawing, png_bytes
from .errors import ConceptBuilderError, TemplateError
from .markers import custom_properties, marked_text, place_markers
from .sandbox import Sandbox
from .tables import fit_tables
from .template import Template, refuse_outside_references
from .template_check import (
    Diagnosis,
    diagnose,
    label_of,
    located_error,
    mark_paragraphs,
    mend,
    paragraph_of,
    part_label,
    prepared_kinds,
    refuse,
    refuse_invalid,
    straighten_quotes,
    without_markers,
)
from .toc import Pages, fill_contents
from .word import (
    BOOKMARK_ID,
    DOCUMENT_PART,
    LANGUAGE_TAGS,
    W_NS,
    ListInstance,
    StyleMap,
    Styles,
    edited,
    keeps_spaces,
    list_instance,
    text_content,
    unicode_bullets,
)
from .write import normalize_zip, source_date

LOGO_HEIGHT = Cm(2.0)
LOGO_MAX_WIDTH = Cm(6.0)
MAX_PROPERTY = 255  # characters Word keeps in a document property
COLUMN_TAGS = ("{%tc", "colspan", "{% hm", "{% vm", "{%hm", "{%vm")  # templates whose table grids change
RENDER_SECONDS = 120  # limits for templates other than ours
RENDER_MEMORY = 4_000_000_000  # address space of the rendering child
MAX_RENDERED = 500_000_000  # bytes of a rendered body; 2,000 measures take about 21 MB

# Patterns over the rendered body, which stays bytes until the package is written
_DOCPR = re.compile(rb"<wp:docPr\b[^>]*>")
_PREPARED_BOOKMARK = re.compile(
    rb'<w:bookmarkStart w:id="%s" (w:name="[^"]*"/>)<w:bookmarkEnd w:id="%s"/>'
    % (BOOKMARK_ID.encode(), BOOKMARK_ID.encode())
)
_BOOKMARK_ID = re.compile(rb'<w:bookmark(?:Start|End)\b[^>]*\bw:id="(\d+)"')
# A tag with the runs it may be split into, as docxtpl finds them (braces first joined, as it does)
_TAG_SPAN = re.compile(r"\{[{%](?:(?![}%]\}).)*[}%]\}", re.DOTALL)
# Where a line begins: at a template paragraph's marker, else at a paragraph not marked
_PARAGRAPH_LINE = re.compile(r"(<!--cb:\d+-->|(?<!-->)<w:p[ >])")
_LINE_BREAK = re.compile(r"\n(<!--cb:|<w:p[ >])")
_SPLIT_BRACES = re.compile(r"(?<={)(<[^>]*>)+(?=[\{%\#])|(?<=[%\}\#])(<[^>]*>)+(?=\})", re.DOTALL)
# A template's text element holding nothing but tags, which docxtpl marks to keep spaces
_TAGS_ONLY_TEXT = re.compile(r'<w:t xml:space="preserve">((?:\{\{[^{}<]*\}\})+)</w:t>')


@dataclass(frozen=True)
class Rendered:
    """A rendered .docx, and what rendering it noticed (a template's slips it mended)."""

    data: bytes
    notes: tuple[str, ...] = ()


def render(context: DocumentContext, template: Template, *, toc_pages: Pages | None = None) -> Rendered:
    """Render ``context`` into ``template``: the .docx as bytes, with notes.

    ``toc_pages`` (heading text, page) fills in the page numbers of the table of
    contents. A template other than ours is rendered in a child process with a
    time and memory limit: the sandbox stops a template from reaching Python,
    the limits stop it from running forever.
    """
    if template.trusted:
        return _render(context, template, toc_pages)
    finish_drawing()  # the rendering child gets the charts drawn, not a wait for another process
    return _render_limited(context, template, toc_pages)


def _render_limited(context: DocumentContext, template: Template, toc_pages: Pages | None) -> Rendered:
    """Render in a forked child with CPU, memory and wall-time limits; fall back to in-process elsewhere."""
    try:
        fork = multiprocessing.get_context("fork")
    except ValueError:  # no fork on this platform
        return _render(context, template, toc_pages)
    receiver, sender = fork.Pipe(duplex=False)
    child = fork.Process(target=_render_child, args=(sender, context, template, toc_pages), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(RENDER_SECONDS):
            raise TemplateError(
                template.path,
                f"rendering took longer than {RENDER_SECONDS} s and was stopped",
                "a loop in the template may never end",
            )
        try:
            kind, payload = receiver.recv()
        except EOFError:
            raise TemplateError(
                template.path,
                "rendering was stopped: it used more memory or time than a template may",
                "look for loops or repetitions in the template",
            ) from None
    finally:
        child.kill()
        child.join()
        receiver.close()
    if kind == "ok":
        return Rendered(bytes(payload[0]), tuple(payload[1]))
    if isinstance(payload, BaseException):
        raise payload
    raise TemplateError(template.path, f"rendering failed: {payload}")


def _render_child(sender: Any, context: DocumentContext, template: Template, toc_pages: Any) -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (RENDER_SECONDS, RENDER_SECONDS + 5))
    resource.setrlimit(resource.RLIMIT_AS, (RENDER_MEMORY, RENDER_MEMORY))
    try:
        rendered = _render(context, template, toc_pages)
        result: tuple[str, Any] = ("ok", (rendered.data, rendered.notes))
    except ConceptBuilderError as exc:
        result = ("error", exc)
    except MemoryError:
        result = (
            "error",
            TemplateError(template.path, "rendering needed more memory than a template may use"),
        )
    except Exception as exc:  # reported to the parent, which raises it there
        result = ("error", f"{type(exc).__name__}: {exc}")
    sender.send(result)
    sender.close()


def _render(context: DocumentContext, template: Template, toc_pages: Pages | None) -> Rendered:
    """The rendering itself; the output of a template not ours is checked again for outside references."""
    document = _Template(io.BytesIO(template.data))
    document.source = template.path
    document.own = template.trusted
    try:
        document.init_docx()
    except Exception as exc:  # python-docx raises several types for a broken package
        raise TemplateError(template.path, f"cannot be opened as a Word document: {exc}") from exc
    environment = Sandbox(
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        finalize=_Finalizer(document.docx, own=template.trusted),
    )
    diagnosis = Diagnosis()
    if not template.trusted:  # ours are tested; a user's template is read tag by tag first
        diagnosis = diagnose(document.docx, environment, prepared_kinds(context.values))
        refuse(template.path, diagnosis)
        document.diagnosis = diagnosis  # rendered parts are checked where they are made
    try:
        document.render(context.values, jinja_env=environment, autoescape=True)
    except JinjaTemplateError as exc:
        raise located_error(template.path, diagnosis, part_label(document), exc) from exc
    docx = document.docx
    for url, relationship_id in context.hyperlinks.items():
        docx.part.rels.add_relationship(RELATIONSHIP_TYPE.HYPERLINK, url, relationship_id, is_external=True)
    _add_list_instances(docx, template.styles, context.numbered_lists)
    _real_bullets(docx)  # a Word's own lists draw bullets from the Symbol font
    meta = context.values["meta"]
    language = LANGUAGE_TAGS[context.values["language"]]
    _set_language(docx.styles.element, language)
    _set_properties(docx.core_properties, meta, language, context.date, context.values["variant"]["title"])
    _record_build(docx, context.record)
    # each pass replaces the body, so that no more than two copies of it are held at a time
    body = document.rendered_body
    del document.rendered_body
    body = bytes(body)  # the buffer it was rendered into, once
    if not template.trusted:  # the template's paragraph markers name the place of a dead link
        body = mend(body, diagnosis.warnings, diagnosis)
    body = unique_ids(place_markers(body))
    body = fit_tables(body, template.styles)
    body = fill_contents(body, template.styles, toc_pages)
    buffer = io.BytesIO()
    docx.save(buffer)  # with the template's body; the rendered one replaces it below
    package = buffer.getvalue()
    saved = zipfile.ZipFile(io.BytesIO(package)).read(DOCUMENT_PART)
    start, end = saved.index(b"<w:body"), saved.rindex(b"</w:body>") + len(b"</w:body>")
    document_xml = b"".join([saved[:start], body, saved[end:]])
    del body
    if not template.trusted:
        # a foreign template may misplace a tag; ours are tested with Word's validator
        _check_well_formed(template.path, document_xml)
        refuse_invalid(template.path, document_xml)
        # text printed by a template may have assembled a field that loads a file
        refuse_outside_references(
            template.path, zipfile.ZipFile(io.BytesIO(package)), {DOCUMENT_PART: document_xml}
        )
    notes = tuple(f"{template.path.name}: {warning}" for warning in diagnosis.warnings)
    return Rendered(normalize_zip(package, {DOCUMENT_PART: document_xml}), notes)


def _check_well_formed(template: Path, document_xml: bytes) -> None:
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


class _Template(DocxTemplate):  # type: ignore[misc]
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
            _check_well_formed(self.source, bytes(xml))
            return bytes(etree.tostring(super().fix_tables(bytes(xml))))
        return xml

    def render_properties(self, context: dict[str, Any], jinja_env: Any = None) -> None:
        """Not rendered: the build sets the document properties from the concept (``_set_properties``)."""

    def fix_docpr_ids(self, tree: Any) -> None:
        """Done in map_tree, on the new document."""

    def map_tree(self, body_xml: bytes | bytearray) -> None:
        """Keep the rendered body as bytes; it joins the document when the package is written.

        docxtpl parses the body and moves it into the document tree; for a
        large concept that tree is most of the memory and a third of the time.
        The bytes are checked for well-formedness instead (``_check_well_formed``).
        """
        self.rendered_body = body_xml  # markers and ids are placed by the passes of ``_render``


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


def unique_ids(body: bytes | bytearray) -> bytes:
    """Give every drawing and every prepared bookmark a document-wide unique id, as Word requires.

    The prepared fragments and drawings carry placeholder ids: an item's
    bookmark may be printed wherever a template places it, however often.
    """
    drawings = itertools.count(1)
    edits = [
        (
            match.start(),
            match.end(),
            re.sub(rb'\bid="\d*"', b'id="%d"' % next(drawings), match.group(0), count=1),
        )
        for match in _DOCPR.finditer(body)
    ]
    if _PREPARED_BOOKMARK.search(body) is not None:
        first = max((int(i) for i in _BOOKMARK_ID.findall(body)), default=0) + 1
        for number, match in enumerate(_PREPARED_BOOKMARK.finditer(body), first):
            numbered = b'<w:bookmarkStart w:id="%d" %s<w:bookmarkEnd w:id="%d"/>' % (
                number,
                match.group(1),
                number,
            )
            edits.append((match.start(), match.end(), numbered))
    edits.sort(key=lambda edit: edit[0])
    return edited(body, edits)


class _Finalizer:
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


# --- numbering ------------------------------------------------------------------------------


def _add_list_instances(docx: WordDocument, styles: StyleMap, instances: list[ListInstance]) -> None:
    """Give each list that needs one its own instance of its kind's numbering: a numbered list restarts
    at 1; a list nesting the other kind takes those levels from the other kind's list."""
    if not instances:
        return
    numbering = docx.part.numbering_part.element
    abstracts = {kind: _abstract(docx, styles, numbering, kind) for kind in ("bullet", "number")}
    for instance in instances:
        abstract = abstracts[instance.kind]
        if abstract is None:
            continue  # a custom template whose list style has no numbering
        other = abstracts["number" if instance.kind == "bullet" else "bullet"]
        others = {
            level: etree.tostring(found[0], encoding="unicode")
            for level in instance.others
            if other is not None and (found := other.findall(f"{{{W_NS}}}lvl[@{{{W_NS}}}ilvl='{level}']"))
        }
        numbering.append(
            _element(list_instance(instance.number, abstract.get(qn("w:abstractNumId")), others))
        )


def _abstract(docx: WordDocument, styles: StyleMap, numbering: Any, kind: str) -> Any:
    """The list definition (``w:abstractNum``) the list style of ``kind`` numbers its paragraphs with."""
    role = f"list_{kind}"
    if role in styles.missing:
        return None
    style_numbering = Styles(docx.styles.element).numbering_id(styles[role])
    if style_numbering is None:
        return None
    reference = numbering.find(f'{{{W_NS}}}num[@{{{W_NS}}}numId="{style_numbering}"]/{{{W_NS}}}abstractNumId')
    if reference is None:
        return None
    return numbering.find(f'{{{W_NS}}}abstractNum[@{{{W_NS}}}abstractNumId="{reference.get(qn("w:val"))}"]')


def _real_bullets(docx: WordDocument) -> None:
    try:
        numbering = docx.part.numbering_part.element
    except NotImplementedError:  # python-docx cannot make an empty one: the template has no lists
        return
    unicode_bullets(numbering)


def _element(xml: str) -> Any:
    return etree.fromstring(f'<root xmlns:w="{W_NS}">{xml}</root>')[0]


# --- properties -----------------------------------------------------------------------------


def _set_language(styles: Any, language: str) -> None:
    """The document's language in the defaults of every style (a reference document may lack them)."""
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = _element("<w:docDefaults/>")
        styles.insert(0, defaults)
    run_defaults = defaults.find(qn("w:rPrDefault"))
    if run_defaults is None:
        run_defaults = _element("<w:rPrDefault/>")
        defaults.insert(0, run_defaults)
    properties = run_defaults.find(qn("w:rPr"))
    if properties is None:
        properties = _element("<w:rPr/>")
        run_defaults.append(properties)
    lang = properties.find(qn("w:lang"))
    if lang is None:
        lang = _element("<w:lang/>")
        properties.append(lang)  # last among the run properties, where the schema wants it
    lang.set(qn("w:val"), language)


def _record_build(docx: WordDocument, record: dict[str, str]) -> None:
    """Custom properties that say how the document was built (the digest of its inputs, its variant)."""
    if not record:
        return
    package = docx.part.package
    custom = RELATIONSHIP_TYPE.CUSTOM_PROPERTIES
    relationship = next((r for r in package.rels.values() if r.reltype == custom and not r.is_external), None)
    if relationship is not None:
        part = relationship.target_part
        if isinstance(part, XmlPart):  # a template whose properties python-docx reads as XML
            part._element = parse_xml(custom_properties(part.blob, record))
        else:
            part._blob = custom_properties(part.blob, record)
        return
    part = Part(
        PackURI("/docProps/custom.xml"),
        CONTENT_TYPE.OFC_CUSTOM_PROPERTIES,
        custom_properties(None, record),
        package,
    )
    package.relate_to(part, RELATIONSHIP_TYPE.CUSTOM_PROPERTIES)


def _property(text: str) -> str:
    """Word keeps at most 255 characters in a document property."""
    return text if len(text) <= MAX_PROPERTY else text[: MAX_PROPERTY - 1] + "…"


def _set_properties(
    core: CoreProperties, meta: dict[str, Any], language: str, date: dt.date, variant: str
) -> None:
    title = meta["title"] + (f" – {meta['district']}" if meta["district"] not in meta["title"] else "")
    title += f" – {variant}" if variant else ""
    core.title = _property(title)
    core.subject = _property(meta["subtitle"] or meta["district"])
    core.author = _property(meta["authors_text"] or meta["issuer"])
    core.last_modified_by = _property(meta["issuer"])
    core.keywords = _property("Integration; Teilhabe; " + meta["district"])
    core.language = language
    core.version = _property(meta["version"])
    core.content_status = _property(meta["status"])
    core.revision = 1
    # the concept's own date (or SOURCE_DATE_EPOCH), not the clock: the same inputs give the same file
    stamp = source_date() or dt.datetime(date.year, date.month, date.day, 12, 0, 0)
    core.created = stamp
    core.modified = stamp
    core.comments = ""
