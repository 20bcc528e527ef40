"""Stage 5: fill a Word template with the context.

The only package that renders with docxtpl (``engine.py``). Templates run in
our sandbox (``sandbox.py``) with autoescaping, so user text is always escaped
and a template cannot reach Python internals; a template of a third party runs
in a child process with limits. After rendering, drawings and bookmarks get
unique ids, tables are fitted, the table of contents is filled from the
document's headings, and the document gets its numbering, language and
properties (``finishing.py``).
"""

from __future__ import annotations

import io
import itertools
import multiprocessing
import re
import resource
import zipfile
from dataclasses import dataclass
from typing import Any

from docx.opc.constants import RELATIONSHIP_TYPE
from jinja2 import StrictUndefined
from jinja2 import TemplateError as JinjaTemplateError

from ..context import DocumentContext
from ..drawing import finish_drawing
from ..errors import ConceptBuilderError, TemplateError
from ..markers import place_markers
from ..sandbox import Sandbox
from ..template import Template, refuse_outside_references
from ..template_check import (
    Diagnosis,
    diagnose,
    located_error,
    mend,
    part_label,
    prepared_kinds,
    refuse,
    refuse_invalid,
)
from ..toc import Pages, fill_contents
from ..word import (
    DOCUMENT_PART,
    LANGUAGE_TAGS,
    edited,
)
from ..write import normalize_zip
from .engine import PREPARED_BOOKMARK, Finalizer, SandboxedTemplate, check_well_formed
from .finishing import add_list_instances, real_bullets, record_build, set_language, set_properties
from .keeping import laid_out

RENDER_SECONDS = 120  # limits for templates other than ours
RENDER_MEMORY = 4_000_000_000  # address space of the rendering child

# Patterns over the rendered body, which stays bytes until the package is written
_DOCPR = re.compile(rb"<wp:docPr\b[^>]*>")
_BOOKMARK_ID = re.compile(rb'<w:bookmark(?:Start|End)\b[^>]*\bw:id="(\d+)"')


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
    document = SandboxedTemplate(io.BytesIO(template.data))
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
        finalize=Finalizer(document.docx, own=template.trusted),
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
    add_list_instances(docx, template.styles, context.numbered_lists)
    real_bullets(docx)  # a Word's own lists draw bullets from the Symbol font
    meta = context.values["meta"]
    language = LANGUAGE_TAGS[context.values["language"]]
    set_language(docx.styles.element, language)
    set_properties(docx.core_properties, meta, language, context.date, context.values["variant"]["title"])
    record_build(docx, context.record)
    # each pass replaces the body, so that no more than two copies of it are held at a time
    body = document.rendered_body
    del document.rendered_body
    body = bytes(body)  # the buffer it was rendered into, once
    if not template.trusted:  # the template's paragraph markers name the place of a dead link
        body = mend(body, diagnosis.warnings, diagnosis)
    body = unique_ids(place_markers(body))
    body = laid_out(body, template.styles)
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
        check_well_formed(template.path, document_xml)
        refuse_invalid(template.path, document_xml)
        # text printed by a template may have assembled a field that loads a file
        refuse_outside_references(
            template.path, zipfile.ZipFile(io.BytesIO(package)), {DOCUMENT_PART: document_xml}
        )
    notes = tuple(f"{template.path.name}: {warning}" for warning in diagnosis.warnings)
    return Rendered(normalize_zip(package, {DOCUMENT_PART: document_xml}), notes)


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
    if PREPARED_BOOKMARK.search(body) is not None:
        first = max((int(i) for i in _BOOKMARK_ID.findall(body)), default=0) + 1
        for number, match in enumerate(PREPARED_BOOKMARK.finditer(body), first):
            numbered = b'<w:bookmarkStart w:id="%d" %s<w:bookmarkEnd w:id="%d"/>' % (
                number,
                match.group(1),
                number,
            )
            edits.append((match.start(), match.end(), numbered))
    edits.sort(key=lambda edit: edit[0])
    return edited(body, edits)


# --- numbering ------------------------------------------------------------------------------


# --- properties -----------------------------------------------------------------------------
