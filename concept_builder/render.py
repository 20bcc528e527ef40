"""Stage 4: fill a Word template with the context.

The only module that touches docxtpl and python-docx. Templates run in
Jinja's sandbox with autoescaping, so user text is always escaped and a
template cannot reach Python internals. After rendering, the table of
contents is filled from the document's headings and the document properties
are set from the concept.
"""

from __future__ import annotations

import datetime as dt
import io
import multiprocessing
import re
import resource
import zipfile
from importlib import resources
from pathlib import Path
from typing import Any

from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.oxml.shape import CT_Inline
from docx.shared import Cm
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError
from jinja2 import TemplateError as JinjaTemplateError
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree
from markupsafe import Markup

from .context import DocumentContext, Image
from .errors import ConceptBuilderError, OutputError, TemplateError
from .markdown import NUMBERED_LIST_STYLE
from .ooxml import escape_text
from .write import write_atomic

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"

DEFAULT_TEMPLATE = "default.docx"
TEMPLATE_COPY_NAME = "konzept-vorlage.docx"
LANGUAGE_TAGS = {"de": "de-DE", "en": "en-GB"}
LOGO_HEIGHT = Cm(2.0)
LOGO_MAX_WIDTH = Cm(6.0)
MAX_PROPERTY = 255  # characters Word keeps in a document property
TOC_LEVELS = {"Heading1": 1, "Heading2": 2}
TOC_SKIPPED_STYLES = {"ExampleTag"}  # character styles that mark a heading but are not its title
COLUMN_TAGS = ("{%tc", "colspan", "{% hm", "{% vm", "{%hm", "{%vm")  # templates whose table grids change

# Limits for templates other than the default one
OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")  # encrypted .docx and old .doc files
MAX_TEMPLATE_BYTES = 200_000_000
MAX_TEMPLATE_ENTRIES = 5_000
RENDER_SECONDS = 120
RENDER_MEMORY = 4_000_000_000  # address space of the rendering child
MAX_EXPONENT = 100
MAX_REPEATED = 1_000_000


def default_template() -> Path:
    """The template that ships with the package."""
    packaged = resources.files("concept_builder") / "templates" / DEFAULT_TEMPLATE
    if packaged.is_file():
        return Path(str(packaged))
    # a source checkout keeps the templates beside the package
    return Path(__file__).resolve().parent.parent / "templates" / DEFAULT_TEMPLATE


class _Sandbox(SandboxedEnvironment):
    """Jinja's sandbox, and no huge strings or lists made by ``*`` or numbers by ``**``."""

    intercepted_binops = frozenset(["*", "**"])

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int) and abs(right) > MAX_EXPONENT:
            raise SecurityError(f"the power {right} is too large for a template")
        if operator == "*":
            for sequence, count in ((left, right), (right, left)):
                repeatable = isinstance(sequence, (str, list, tuple)) and isinstance(count, int)
                if repeatable and len(sequence) * count > MAX_REPEATED:
                    raise SecurityError(f"repeating a value {count} times is too much for a template")
        return super().call_binop(context, operator, left, right)


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
    if template is None or template.resolve() == default_template().resolve():
        return _render(context, default_template(), toc_pages)
    return _render_limited(context, template, toc_pages)


def _render(context: DocumentContext, template: Path, toc_pages: list[tuple[str, int]] | None) -> bytes:
    document = _open_template(template)
    environment = _Sandbox(
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
    body = docx.element.body
    _fill_table_of_contents(body, toc_pages)
    meta = context.values["meta"]
    language = LANGUAGE_TAGS[context.values["language"]]
    _set_language(docx.styles.element, language)
    _set_properties(docx.core_properties, meta, language, context.values["date"])
    buffer = io.BytesIO()
    docx.save(buffer)
    return buffer.getvalue()


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
    - The rendered body is parsed strictly: XML that is not well-formed is an
      error, never silently repaired with text lost.
    - Table grids are only recomputed for templates that make columns in loops.
    """

    def resolve_listing(self, xml: str) -> str:
        return xml

    def patch_xml(self, src_xml: str) -> str:
        patched: str = super().patch_xml(src_xml)
        self.column_loops = any(tag in patched for tag in COLUMN_TAGS)
        return patched

    def fix_tables(self, xml: str) -> Any:
        if getattr(self, "column_loops", False):
            return etree.tostring(super().fix_tables(xml), encoding="unicode")
        return xml  # parsed once, as part of the whole document, in map_tree

    def fix_docpr_ids(self, tree: Any) -> None:
        """Done in map_tree, on the new document."""

    def map_tree(self, body_xml: str) -> None:
        """Parse the document once with the rendered body in place.

        docxtpl parses the body and moves it into the document, which grows
        faster than the document; one parse of the whole part does not.
        """
        document = self.docx
        source = etree.tostring(document.element, encoding="unicode")
        start = source.index("<w:body")
        end = source.rindex("</w:body>") + len("</w:body>")
        try:
            root = parse_xml(source[:start] + body_xml + source[end:])
        except etree.XMLSyntaxError as exc:
            raise TemplateError(
                self.template_file,
                f"body: the rendered document is not well-formed XML: {exc}",
                "a tag may sit in the wrong place, e.g. {{r …}} outside a run",
            ) from exc
        document.part._element = root
        document._element = root
        document._Document__body = None
        for number, properties in enumerate(root.iter(f"{{{WP_NS}}}docPr"), 1):
            properties.set("id", str(number))


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
        source = str(image.path) if image.path is not None else io.BytesIO(image.data or b"")
        relationship_id, picture = self.docx.part.get_or_add_image(source)
        if image.width_cm is not None:
            width, height = picture.scaled_dimensions(Cm(image.width_cm), None)
        else:
            width, height = picture.scaled_dimensions(None, LOGO_HEIGHT)
            if width > LOGO_MAX_WIDTH:
                width, height = picture.scaled_dimensions(LOGO_MAX_WIDTH, None)
        name = image.path.name if image.path is not None else "chart.png"
        inline = CT_Inline.new_pic_inline(1, relationship_id, name, width, height)  # ids renumbered later
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


def _heading_text(paragraph: Any) -> str:
    """A heading's text for the contents: without marks such as the Beispielinhalt tag."""
    parts: list[str] = []
    for run in paragraph.iter(qn("w:r")):
        style = run.find(f"{{{W_NS}}}rPr/{{{W_NS}}}rStyle")
        if style is not None and style.get(qn("w:val")) in TOC_SKIPPED_STYLES:
            continue
        parts.extend(node.text or "" for node in run.iter(qn("w:t")))
    return " ".join("".join(parts).split())


def _fill_table_of_contents(body: Any, pages: list[tuple[str, int]] | None) -> None:
    """Write an entry per heading into the TOC field, so it shows before any update.

    ``pages`` – each heading's text and page as laid out elsewhere (LibreOffice) –
    adds page numbers; without it the entries have none until Word updates the field.
    """
    instruction = next((node for node in body.iter(qn("w:instrText")) if " TOC " in f" {node.text} "), None)
    if instruction is None:
        return
    field_paragraph = instruction.getparent().getparent()
    headings = [
        (paragraph, TOC_LEVELS[paragraph.find(f"{{{W_NS}}}pPr/{{{W_NS}}}pStyle").get(qn("w:val"))])
        for paragraph in body.xpath("./w:p[w:pPr/w:pStyle[@w:val='Heading1' or @w:val='Heading2']]")
    ]
    bookmark_ids = [int(b.get(qn("w:id"))) for b in body.iter(qn("w:bookmarkStart"))]
    next_id = max(bookmark_ids, default=0) + 1
    entries = []
    for index, (heading, level) in enumerate(headings, 1):
        name = f"_Toc{index:08d}"
        position = 1 if heading.find(qn("w:pPr")) is not None else 0
        heading.insert(position, _element(f'<w:bookmarkStart w:id="{next_id}" w:name="{name}"/>'))
        heading.append(_element(f'<w:bookmarkEnd w:id="{next_id}"/>'))
        next_id += 1
        entries.append((level, name, _heading_text(heading)))
    begin, instr, separate = _runs_before_separate(field_paragraph)
    end = _element('<w:r><w:fldChar w:fldCharType="end"/></w:r>')
    numbers = _match_pages([text for _, _, text in entries], pages or [])
    new_paragraphs = []
    for index, (level, name, text) in enumerate(entries):
        paragraph = _element(f'<w:p><w:pPr><w:pStyle w:val="TOC{level}"/></w:pPr></w:p>')
        if index == 0:
            paragraph.extend([begin, instr, separate])
        link = _element(f'<w:hyperlink w:anchor="{name}" w:history="1"/>')
        run = _element('<w:r><w:t xml:space="preserve"></w:t></w:r>')
        run[0].text = text
        link.append(run)
        page = numbers[index]
        if page is not None:
            link.extend(_page_reference(name, page))
        paragraph.append(link)
        if index == len(entries) - 1:
            paragraph.append(end)
        new_paragraphs.append(paragraph)
    if not new_paragraphs:
        return
    parent = field_paragraph.getparent()
    position = parent.index(field_paragraph)
    parent.remove(field_paragraph)
    for offset, paragraph in enumerate(new_paragraphs):
        parent.insert(position + offset, paragraph)


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


def _page_reference(bookmark: str, page: int) -> list[Any]:
    """A tab and a PAGEREF field showing ``page``, as Word writes TOC entries."""
    return [
        _element("<w:r><w:tab/></w:r>"),
        _element('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'),
        _element(f'<w:r><w:instrText xml:space="preserve"> PAGEREF {bookmark} \\h </w:instrText></w:r>'),
        _element('<w:r><w:fldChar w:fldCharType="separate"/></w:r>'),
        _element(f"<w:r><w:t>{page}</w:t></w:r>"),
        _element('<w:r><w:fldChar w:fldCharType="end"/></w:r>'),
    ]


def _runs_before_separate(paragraph: Any) -> tuple[Any, Any, Any]:
    runs = paragraph.findall(qn("w:r"))
    begin = next(r for r in runs if r.find(qn("w:fldChar")) is not None)
    instr = next(r for r in runs if r.find(qn("w:instrText")) is not None)
    separate = next(
        r
        for r in runs
        if r.find(qn("w:fldChar")) is not None
        and r.find(qn("w:fldChar")).get(qn("w:fldCharType")) == "separate"
    )
    return begin, instr, separate


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


def _set_properties(core: Any, meta: dict[str, Any], language: str, date: dt.date) -> None:
    title = meta["title"] + (f" – {meta['district']}" if meta["district"] not in meta["title"] else "")
    core.title = _property(title)
    core.subject = _property(meta["subtitle"] or meta["district"])
    core.author = _property(meta["authors_text"] or meta["issuer"])
    core.last_modified_by = _property(meta["issuer"])
    core.keywords = _property("Integration; Teilhabe; " + meta["district"])
    core.language = language
    core.version = _property(meta["version"])
    core.content_status = _property(meta["status"])
    core.revision = 1
    # the concept's own date, not the clock: the same inputs give the same file
    stamp = dt.datetime(date.year, date.month, date.day, 12, 0, 0)
    core.created = stamp
    core.modified = stamp
    core.comments = ""
