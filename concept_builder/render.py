"""Stage 4: fill a Word template with the context.

The only module that touches docxtpl and python-docx. Templates run in
Jinja's sandbox with autoescaping, so user text is always escaped and a
template cannot reach Python internals. After rendering, the table of
contents is filled from the document's headings and the document properties
are set from the concept.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import multiprocessing
import re
import resource
import zipfile
from importlib import resources
from pathlib import Path
from typing import Any
from xml.parsers import expat

from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml.ns import qn
from docx.oxml.shape import CT_Inline
from docx.shared import Cm
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError
from jinja2 import TemplateError as JinjaTemplateError
from jinja2.exceptions import SecurityError
from lxml import etree
from markupsafe import Markup

from .context import DocumentContext, Image
from .errors import ConceptBuilderError, OutputError, TemplateError
from .markdown import NUMBERED_LIST_STYLE
from .ooxml import escape_text
from .package import outside_references
from .sandbox import Sandbox
from .write import normalize_zip, source_date, write_atomic

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"

DEFAULT_TEMPLATE = "default.docx"
TEMPLATE_COPY_NAME = "konzept-vorlage.docx"
LANGUAGE_TAGS = {"de": "de-DE", "en": "en-GB"}
LOGO_HEIGHT = Cm(2.0)
LOGO_MAX_WIDTH = Cm(6.0)
MAX_PROPERTY = 255  # characters Word keeps in a document property
TOC_LEVELS = {"Heading1": 1, "Heading2": 2}
TOC_SKIPPED_STYLES = {b"ExampleTag"}  # character styles that mark a heading but are not its title
DOCUMENT_PART = "word/document.xml"

# Patterns over the rendered body, which stays text until the package is written
_HEADING_STYLE = re.compile(rb'<w:pStyle w:val="(Heading[12])"/>')
_TOC_INSTRUCTION = re.compile(rb"<w:instrText\b[^>]*>\s*TOC\b")
_RUN = re.compile(rb"<w:r\b[^>]*>.*?</w:r>", re.DOTALL)
_TEXT = re.compile(rb"<w:t\b[^>]*>([^<]*)</w:t>")
_BOOKMARK_ID = re.compile(rb'<w:bookmarkStart\b[^>]*\bw:id="(\d+)"')
_DOCPR = re.compile(rb"<wp:docPr\b[^>]*>")
COLUMN_TAGS = ("{%tc", "colspan", "{% hm", "{% vm", "{%hm", "{%vm")  # templates whose table grids change

# Limits for templates other than the default one
OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")  # encrypted .docx and old .doc files
MAX_TEMPLATE_BYTES = 200_000_000
MAX_TEMPLATE_ENTRIES = 5_000
RENDER_SECONDS = 120
RENDER_MEMORY = 4_000_000_000  # address space of the rendering child


def default_template(name: str = DEFAULT_TEMPLATE) -> Path:
    """A template that ships with the package: the full concept unless another is named."""
    packaged = resources.files("concept_builder") / "templates" / name
    if packaged.is_file():
        return Path(str(packaged))
    # a source checkout keeps the templates beside the package
    return Path(__file__).resolve().parent.parent / "templates" / name


def _render_limited(
    context: DocumentContext, template: Path, toc_pages: list[tuple[str, int]] | None
) -> bytes:
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
                template,
                f"rendering took longer than {RENDER_SECONDS} s and was stopped",
                "a loop in the template may never end",
            )
        try:
            kind, payload = receiver.recv()
        except EOFError:
            raise TemplateError(
                template,
                "rendering was stopped: it used more memory or time than a template may",
                "look for loops or repetitions in the template",
            ) from None
    finally:
        child.kill()
        child.join()
        receiver.close()
    if kind == "ok":
        return bytes(payload)
    if isinstance(payload, BaseException):
        raise payload
    raise TemplateError(template, f"rendering failed: {payload}")


def _render_child(sender: Any, context: DocumentContext, template: Path, toc_pages: Any) -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (RENDER_SECONDS, RENDER_SECONDS + 5))
    resource.setrlimit(resource.RLIMIT_AS, (RENDER_MEMORY, RENDER_MEMORY))
    try:
        result: tuple[str, Any] = ("ok", _render(context, template, toc_pages))
    except ConceptBuilderError as exc:
        result = ("error", exc)
    except MemoryError:
        result = ("error", TemplateError(template, "rendering needed more memory than a template may use"))
    except Exception as exc:  # reported to the parent, which raises it there
        result = ("error", f"{type(exc).__name__}: {exc}")
    sender.send(result)
    sender.close()


def init_template(folder: Path, *, force: bool = False) -> Path:
    """Copy the default template into ``folder`` to be customised in Word; return its path."""
    target = folder / TEMPLATE_COPY_NAME
    if target.exists() and not force:
        raise OutputError(f"{target}: already exists (use --force to overwrite it)")
    return write_atomic(target, default_template().read_bytes())


def render(
    context: DocumentContext, template: Path | None = None, *, toc_pages: list[tuple[str, int]] | None = None
) -> bytes:
    """Render ``context`` into ``template`` and return the .docx as bytes.

    ``toc_pages`` (heading text, page) fills in the page numbers of the table of
    contents. A template other than the default one is rendered in a child
    process with a time and memory limit: the sandbox stops a template from
    reaching Python, the limits stop it from running forever.
    """
    if template is None:
        return _render(context, default_template(), toc_pages, trusted=True)
    if template.resolve().parent == default_template().resolve().parent:  # ours: trusted
        return _render(context, template, toc_pages, trusted=True)
    return _render_limited(context, template, toc_pages)


def _render(
    context: DocumentContext,
    template: Path,
    toc_pages: list[tuple[str, int]] | None,
    *,
    trusted: bool = False,
) -> bytes:
    """The rendering itself; output of a template not ours is checked again for outside references."""
    document = _open_template(template)
    environment = Sandbox(
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        finalize=_Finalizer(document.docx),
    )
    try:
        document.render(context.as_dict(), jinja_env=environment, autoescape=True)
    except JinjaTemplateError as exc:
        raise _template_error(template, document, exc) from exc
    docx = document.docx
    for url, relationship_id in context.links.items():
        docx.part.rels.add_relationship(RELATIONSHIP_TYPE.HYPERLINK, url, relationship_id, is_external=True)
    _add_list_instances(docx, context.numbered_lists)
    meta = context.values["meta"]
    language = LANGUAGE_TAGS[context.values["language"]]
    _set_language(docx.styles.element, language)
    _set_properties(docx.core_properties, meta, language, context.date, context.values["variant"]["title"])
    body = _fill_table_of_contents(document.rendered_body, toc_pages)
    document.rendered_body = None
    buffer = io.BytesIO()
    docx.save(buffer)  # with the template's body; the rendered one replaces it below
    package = buffer.getvalue()
    saved = zipfile.ZipFile(io.BytesIO(package)).read(DOCUMENT_PART)
    start, end = saved.index(b"<w:body"), saved.rindex(b"</w:body>") + len(b"</w:body>")
    document_xml = b"".join([saved[:start], body, saved[end:]])
    del body
    _check_well_formed(template, document_xml)
    if not trusted:  # text printed by a template may have assembled a field that loads a file
        _refuse_outside_references(template, package, {DOCUMENT_PART: document_xml})
    return normalize_zip(package, {DOCUMENT_PART: document_xml})


def _refuse_outside_references(template: Path, package: bytes, parts: dict[str, bytes] | None = None) -> None:
    """A template must not make a document load anything from outside it."""
    found = outside_references(zipfile.ZipFile(io.BytesIO(package)), parts)
    if found:
        listed = "; ".join(str(reference) for reference in found[:3])
        more = f" and {len(found) - 3} more" if len(found) > 3 else ""
        raise TemplateError(
            template,
            f"links to content outside the document, which is not allowed: {listed}{more}",
            "embed pictures instead of linking them, and remove linked files, objects and INCLUDE fields",
        )


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


def _text_xml(text: str) -> str:
    """Text for inside a template's ``<w:t>``: escaped, with tabs and line breaks as Word elements.

    docxtpl would make the same elements in a regex pass over the whole
    document; doing it per value is what lets the render skip that pass.
    """
    escaped = escape_text(text)
    if "\n" in escaped:
        escaped = escaped.replace("\n", '</w:t><w:br/><w:t xml:space="preserve">')
    if "\t" in escaped:
        escaped = escaped.replace("\t", '</w:t><w:tab/><w:t xml:space="preserve">')
    return escaped


class _Template(DocxTemplate):  # type: ignore[misc]
    """docxtpl with the passes our rendering does not need left out, and a strict XML check.

    - Tabs and line breaks in values are Word elements already (``_text_xml``), so
      the regex pass over the rendered XML (``resolve_listing``) is skipped.
    - The rendered body stays bytes and is checked, not parsed into a tree:
      XML that is not well-formed is an error, never silently repaired.
    - Table grids are only recomputed for templates that make columns in loops.
    """

    def build_xml(self, context: dict[str, Any], jinja_env: Any = None) -> bytes:
        """The body rendered straight to UTF-8 bytes, as docxtpl's ``render_xml_part`` does for text.

        Streaming into one buffer avoids holding millions of string pieces and
        a text copy of a large body; docxtpl's regex pass for tabs and line
        breaks (``resolve_listing``) is not needed, see ``_text_xml``.
        """
        source = self.patch_xml(self.get_xml())
        source = re.sub(
            r"<w:p([ >])", r"\n<w:p\1", source
        )  # a line per paragraph: errors can show nearby text
        self.current_rendering_part = self.docx._part
        rendered = bytearray()
        try:
            for chunk in jinja_env.from_string(source).generate(context):
                rendered += chunk.encode("utf-8")
        except JinjaTemplateError as exc:
            line = getattr(exc, "lineno", None)
            if line is not None:  # the template text around the error, for the message
                lines = source.splitlines()[max(line - 4, 0) : line + 3]
                exc.docx_context = [re.sub(r"<[^>]+>", "", text) for text in lines]  # type: ignore[attr-defined]
            raise
        body = re.sub(rb"\n<w:p([ >])", rb"<w:p\1", rendered)
        del rendered
        for escaped, literal in ((b"{_{", b"{{"), (b"}_}", b"}}"), (b"{_%", b"{%"), (b"%_}", b"%}")):
            body = body.replace(escaped, literal)  # docxtpl's way to print literal tags from a template
        return body

    def patch_xml(self, src_xml: str) -> str:
        patched: str = super().patch_xml(src_xml)
        self.column_loops = any(tag in patched for tag in COLUMN_TAGS)
        return patched

    def fix_tables(self, xml: bytes) -> bytes:
        if getattr(self, "column_loops", False):
            # docxtpl's grid fix parses with recovery; make sure there is nothing to recover from
            _check_well_formed(Path(self.template_file), xml)
            return bytes(etree.tostring(super().fix_tables(xml)))
        return xml

    def fix_docpr_ids(self, tree: Any) -> None:
        """Done in map_tree, on the new document."""

    def map_tree(self, body_xml: bytes) -> None:
        """Keep the rendered body as bytes; it joins the document when the package is written.

        docxtpl parses the body and moves it into the document tree; for a
        large concept that tree is most of the memory and a third of the time.
        The bytes are checked for well-formedness instead (``_check_well_formed``).
        """
        self.rendered_body = _DOCPR.sub(_DocPrNumbers(), body_xml)


class _DocPrNumbers:
    """Gives every drawing a document-wide unique id, as Word requires."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, match: re.Match[bytes]) -> bytes:
        self.count += 1
        return re.sub(rb'\bid="\d*"', b'id="%d"' % self.count, match.group(0), count=1)


class _Finalizer:
    """Turns every value a template prints into document XML.

    Text is escaped; prepared XML passes as it is; an ``Image`` becomes an
    inline drawing with its alt text, its picture added to the package.
    """

    def __init__(self, docx: Any) -> None:
        self.docx = docx

    def __call__(self, value: Any) -> Any:
        if isinstance(value, Markup):
            return value
        if isinstance(value, str):
            return Markup(_text_xml(value))
        if isinstance(value, Image):
            return self.drawing(value)
        return value

    def drawing(self, image: Image) -> Markup:
        relationship_id, picture = self.docx.part.get_or_add_image(io.BytesIO(image.data))
        if image.width_cm is not None:
            width, height = picture.scaled_dimensions(Cm(image.width_cm), None)
        else:
            width, height = picture.scaled_dimensions(None, LOGO_HEIGHT)
            if width > LOGO_MAX_WIDTH:
                width, height = picture.scaled_dimensions(LOGO_MAX_WIDTH, None)
        # ids are renumbered once the whole body is rendered
        inline = CT_Inline.new_pic_inline(1, relationship_id, image.name, width, height)
        inline.docPr.set("descr", image.alt)
        return Markup(f"<w:r><w:drawing>{etree.tostring(inline, encoding='unicode')}</w:drawing></w:r>")


def _open_template(template: Path) -> DocxTemplate:
    if not template.is_file():
        raise TemplateError(template, "template not found", "give the path of a .docx file")
    with template.open("rb") as stream:
        if stream.read(8) == OLE_SIGNATURE:
            raise TemplateError(
                template,
                "is password-protected or an old Word file (.doc)",
                "save it in Word as .docx without a password",
            )
    if not zipfile.is_zipfile(template):
        raise TemplateError(template, "is not a Word document (.docx)", "save the template as .docx in Word")
    _check_package(template)
    try:
        document = _Template(template)
        document.init_docx()
    except Exception as exc:  # python-docx raises several types for a broken package
        raise TemplateError(template, f"cannot be opened as a Word document: {exc}") from exc
    return document


def _check_package(template: Path) -> None:
    """Refuse packages that are not Word documents or would unpack to far more than a template holds."""
    with zipfile.ZipFile(template) as package:
        entries = package.infolist()
    names = {entry.filename for entry in entries}
    if "word/document.xml" not in names:
        raise TemplateError(template, "is not a Word document (.docx): it has no word/document.xml")
    unpacked = sum(entry.file_size for entry in entries)
    if len(entries) > MAX_TEMPLATE_ENTRIES or unpacked > MAX_TEMPLATE_BYTES:
        raise TemplateError(
            template,
            f"would unpack to {unpacked // 1_000_000} MB in {len(entries)} parts; a template needs far less",
            "use a plain Word document as the template",
        )
    _refuse_outside_references(template, template.read_bytes())


def _template_error(template: Path, document: DocxTemplate, exc: JinjaTemplateError) -> TemplateError:
    """A message naming the part of the document, what is wrong and the nearby template text."""
    part = _part_label(document)
    if isinstance(exc, TemplateSyntaxError):
        return TemplateError(template, f"{part}: template syntax error: {exc.message}", _nearby(exc))
    if isinstance(exc, UndefinedError):
        name = _undefined_name(str(exc.message))
        hint = _nearby(exc) or _paragraph_with(document, name)
        return TemplateError(template, f"{part}: unknown template variable {name!r}", hint)
    if isinstance(exc, SecurityError):
        return TemplateError(template, f"{part}: unsafe template code refused: {exc}", _nearby(exc))
    return TemplateError(template, f"{part}: template error: {exc}", _nearby(exc))


def _part_label(document: DocxTemplate) -> str:
    """``/word/header1.xml`` → ``header``: where in the document the failing tag is."""
    part = getattr(document, "current_rendering_part", None)
    name = str(getattr(part, "partname", "")) if part is not None else ""
    for kind in ("header", "footer", "footnotes"):
        if kind in name:
            return kind
    return "body"


def _undefined_name(message: str) -> str:
    """``'X object' has no attribute 'leed'`` → ``leed``; ``'titel' is undefined`` → ``titel``."""
    match = re.search(r"has no attribute '([^']+)'", message) or re.search(r"'([^']+)' is undefined", message)
    return match.group(1) if match else message


def _paragraph_with(document: DocxTemplate, name: str) -> str | None:
    """The template paragraph that mentions ``name``, to show the user where it is."""
    for paragraph in document.docx.paragraphs:
        if re.search(rf"\b{re.escape(name)}\b", paragraph.text):
            return f"near: {paragraph.text.strip()[:160]}"
    return None


def _nearby(exc: Exception) -> str | None:
    """The template text around an error, which docxtpl attaches to the exception."""
    lines = [line.strip() for line in getattr(exc, "docx_context", []) or [] if line.strip()]
    if not lines:
        return None
    text = " … ".join(lines)
    return "near: " + (text if len(text) < 160 else text[:157] + "…")


# --- numbering ------------------------------------------------------------------------------


def _add_list_instances(docx: Any, numbering_ids: list[int]) -> None:
    """Give each numbered list its own instance of the list style's numbering, restarting at 1."""
    if not numbering_ids:
        return
    style_num = docx.styles.element.find(
        f'{{{W_NS}}}style[@{{{W_NS}}}styleId="{NUMBERED_LIST_STYLE}"]/{{{W_NS}}}pPr/{{{W_NS}}}numPr/{{{W_NS}}}numId'
    )
    if style_num is None:
        return  # a custom template whose list style has no numbering
    numbering = docx.part.numbering_part.element
    abstract = numbering.find(
        f'{{{W_NS}}}num[@{{{W_NS}}}numId="{style_num.get(qn("w:val"))}"]/{{{W_NS}}}abstractNumId'
    )
    if abstract is None:
        return
    for numbering_id in numbering_ids:
        numbering.append(
            _element(
                f'<w:num w:numId="{numbering_id}"><w:abstractNumId w:val="{abstract.get(qn("w:val"))}"/>'
                '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
            )
        )


# --- table of contents --------------------------------------------------------------------


def _heading_text(paragraph: bytes) -> str:
    """A heading's text for the contents: without marks such as the Beispielinhalt tag."""
    parts: list[str] = []
    for run in _RUN.finditer(paragraph):
        if any(b'<w:rStyle w:val="%s"/>' % style in run.group(0) for style in TOC_SKIPPED_STYLES):
            continue
        parts.extend(html.unescape(text.decode("utf-8")) for text in _TEXT.findall(run.group(0)))
    return " ".join("".join(parts).split())


def _paragraph_start(body: bytes, position: int) -> int:
    return max(body.rfind(b"<w:p>", 0, position), body.rfind(b"<w:p ", 0, position))


def _fill_table_of_contents(body: bytes, pages: list[tuple[str, int]] | None) -> bytes:
    """Write an entry per heading into the TOC field, so it shows before any update.

    Works on the body's bytes: headings get bookmarks, the field paragraph is
    replaced by one linked entry per heading. ``pages`` – each heading's text
    and page as laid out elsewhere (LibreOffice) – adds page numbers; without
    it the entries have none until Word updates the field. A contents field
    that spans several paragraphs (as Word writes one) is left to Word.
    """
    instruction = _TOC_INSTRUCTION.search(body)
    if instruction is None:
        return body
    field_start = _paragraph_start(body, instruction.start())
    field_end = body.find(b"</w:p>", instruction.end()) + len(b"</w:p>")
    field = body[field_start:field_end]
    runs = [run.group(0).decode("utf-8") for run in _RUN.finditer(field)]
    opening = [run for run in runs if 'w:fldCharType="begin"' in run or "<w:instrText" in run]
    separate = [run for run in runs if 'w:fldCharType="separate"' in run]
    if len(opening) != 2 or not separate or b'w:fldCharType="end"' not in field:
        return body
    edits: list[tuple[int, int, bytes]] = []
    entries: list[tuple[int, str, str]] = []
    bookmark = max((int(i) for i in _BOOKMARK_ID.findall(body)), default=0)
    for match in _HEADING_STYLE.finditer(body):
        start = _paragraph_start(body, match.start())
        end = body.find(b"</w:p>", match.end())
        properties_end = body.find(b"</w:pPr>", match.end(), end) + len(b"</w:pPr>")
        bookmark += 1
        name = f"_Toc{len(entries) + 1:08d}"
        edits.append(
            (properties_end, properties_end, f'<w:bookmarkStart w:id="{bookmark}" w:name="{name}"/>'.encode())
        )
        edits.append((end, end, f'<w:bookmarkEnd w:id="{bookmark}"/>'.encode()))
        entries.append((TOC_LEVELS[match.group(1).decode()], name, _heading_text(body[start:end])))
    if not entries:
        return body
    numbers = _match_pages([text for _, _, text in entries], pages or [])
    paragraphs = []
    for index, ((level, name, text), page) in enumerate(zip(entries, numbers, strict=True)):
        field_code = "".join(opening) + separate[0] if index == 0 else ""
        reference = _page_reference(name, page) if page is not None else ""
        closing = '<w:r><w:fldChar w:fldCharType="end"/></w:r>' if index == len(entries) - 1 else ""
        paragraphs.append(
            f'<w:p><w:pPr><w:pStyle w:val="TOC{level}"/></w:pPr>{field_code}'
            f'<w:hyperlink w:anchor="{name}" w:history="1">'
            f'<w:r><w:t xml:space="preserve">{escape_text(text)}</w:t></w:r>{reference}</w:hyperlink>'
            f"{closing}</w:p>"
        )
    edits.append((field_start, field_end, "".join(paragraphs).encode("utf-8")))
    edits.sort(key=lambda edit: edit[0])
    pieces: list[bytes] = []
    position = 0
    for start, end, replacement in edits:
        pieces += [body[position:start], replacement]
        position = end
    pieces.append(body[position:])
    return b"".join(pieces)


def _match_pages(texts: list[str], pages: list[tuple[str, int]]) -> list[int | None]:
    """The page of each TOC entry: the next heading of the same text in the layout's outline."""
    numbers: list[int | None] = []
    position = 0
    for text in texts:
        wanted = " ".join(text.split())
        found = next(
            # the layout's outline names a heading with all its text, tags included
            (i for i in range(position, len(pages)) if " ".join(pages[i][0].split()).startswith(wanted)),
            None,
        )
        if found is None:
            numbers.append(None)
        else:
            numbers.append(pages[found][1])
            position = found + 1
    return numbers


def _page_reference(bookmark: str, page: int) -> str:
    """A tab and a PAGEREF field showing ``page``, as Word writes TOC entries."""
    return (
        '<w:r><w:tab/></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> PAGEREF {bookmark} \\h </w:instrText></w:r>'
        f'<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>{page}</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def _element(xml: str) -> Any:
    return etree.fromstring(f'<root xmlns:w="{W_NS}">{xml}</root>')[0]


# --- properties -----------------------------------------------------------------------------


def _set_language(styles: Any, language: str) -> None:
    for lang in styles.iter(qn("w:lang")):
        if lang.getparent().getparent().tag == qn("w:rPrDefault"):
            lang.set(qn("w:val"), language)


def _property(text: str) -> str:
    """Word keeps at most 255 characters in a document property."""
    return text if len(text) <= MAX_PROPERTY else text[: MAX_PROPERTY - 1] + "…"


def _set_properties(core: Any, meta: dict[str, Any], language: str, date: dt.date, variant: str) -> None:
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
