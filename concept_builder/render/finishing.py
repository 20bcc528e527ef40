"""What a rendered document gets before it is written: a numbering instance for each list that
restarts at 1, real bullets, its language, its properties and the record of its build."""

from __future__ import annotations

import datetime as dt
from typing import Any

from docx.document import Document as WordDocument
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.coreprops import CoreProperties
from docx.opc.packuri import PackURI
from docx.opc.part import Part, XmlPart
from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml
from lxml import etree

from ..markers import custom_properties
from ..word import (
    W_NS,
    ListInstance,
    StyleMap,
    Styles,
    list_instance,
    nested_list,
    unicode_bullets,
)
from ..write import source_date

MAX_PROPERTY = 255  # characters Word keeps in a document property


def add_list_instances(docx: WordDocument, styles: StyleMap, instances: list[ListInstance]) -> None:
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
        first_level = abstract.find(f"{{{W_NS}}}lvl[@{{{W_NS}}}ilvl='0']")
        if instance.levels and first_level is not None:
            abstract = _element(nested_list(str(_free_abstract_id(numbering)), first_level, instance.levels))
            definitions = numbering.findall(f"{{{W_NS}}}abstractNum")
            if definitions:  # the schema's order: every list definition before the first instance
                definitions[-1].addnext(abstract)
            else:
                numbering.insert(0, abstract)
            numbering.append(_element(list_instance(instance.number, abstract.get(qn("w:abstractNumId")))))
            continue
        other = abstracts["number" if instance.kind == "bullet" else "bullet"]
        others = {
            level: etree.tostring(found[0], encoding="unicode")
            for level in instance.others
            if other is not None and (found := other.findall(f"{{{W_NS}}}lvl[@{{{W_NS}}}ilvl='{level}']"))
        }
        numbering.append(
            _element(list_instance(instance.number, abstract.get(qn("w:abstractNumId")), others))
        )


def _free_abstract_id(numbering: etree._Element) -> int:
    used = [str(a.get(qn("w:abstractNumId"), "")) for a in numbering.iterfind(f"{{{W_NS}}}abstractNum")]
    return max([0, *(int(n) + 1 for n in used if n.isdigit())])


def _abstract(docx: WordDocument, styles: StyleMap, numbering: etree._Element, kind: str) -> Any:
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


def real_bullets(docx: WordDocument) -> None:
    try:
        numbering = docx.part.numbering_part.element
    except NotImplementedError:  # python-docx cannot make an empty one: the template has no lists
        return
    unicode_bullets(numbering)


def _element(xml: str) -> Any:
    return etree.fromstring(f'<root xmlns:w="{W_NS}">{xml}</root>')[0]


def set_language(styles: etree._Element, language: str) -> None:
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


def record_build(docx: WordDocument, record: dict[str, str]) -> None:
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


def set_properties(
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
