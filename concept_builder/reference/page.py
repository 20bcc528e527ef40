"""What a reference document brings besides its styles: its theme's colours and fonts, its page size
and margins, and its headers and footers with their pictures – named in a note where a reader would
stumble over them."""

from __future__ import annotations

import copy
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from docx.blkcntnr import BlockItemContainer
from docx.document import Document as WordDocument
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.opc.part import Part
from docx.oxml.ns import qn
from docx.package import Package
from lxml import etree

from ..word import R_NS, THEME_PART, WP_NS, pictures, short_title, text_of


@dataclass
class Merged:
    """The template with the reference's look, and what was noticed on the way."""

    data: bytes
    notes: list[str] = field(default_factory=list)
    name: str = "the reference document"  # for the notes
    pictures: dict[tuple[str, str], Part] = field(default_factory=dict)  # copied: (type, digest) → part


def take_theme(target: WordDocument, source: WordDocument) -> None:
    their_theme = next((p for p in source.part.package.iter_parts() if p.partname == "/" + THEME_PART), None)
    our_theme = next((p for p in target.part.package.iter_parts() if p.partname == "/" + THEME_PART), None)
    if their_theme is not None and our_theme is not None:
        our_theme._blob = their_theme.blob


def page_and_headers(target: WordDocument, source: WordDocument, merged: Merged) -> None:
    theirs = source.sections[-1]
    ours = target.sections[-1]
    properties = ours._sectPr
    for tag in ("w:pgSz", "w:pgMar", "w:cols"):
        their_element = theirs._sectPr.find(qn(tag))
        our_element = properties.find(qn(tag))
        if their_element is not None and our_element is not None:
            our_element.addprevious(copy.deepcopy(their_element))
            properties.remove(our_element)
    pairs = [
        (theirs.header, ours.header),
        (theirs.footer, ours.footer),
    ]
    if theirs.different_first_page_header_footer:
        pairs += [
            (theirs.first_page_header, ours.first_page_header),
            (theirs.first_page_footer, ours.first_page_footer),
        ]
    # what ours says, read before any of ours is replaced: the even pages' come from it as well
    our_header, our_footer = copy.deepcopy(ours.header._element), copy.deepcopy(ours.footer._element)
    for index, (their_part, our_part) in enumerate(pairs):
        if their_part.is_linked_to_previous:
            continue  # the reference has none: ours stays
        original = (our_header, our_footer)[index] if index < 2 else None  # a cover's stays the design's
        kept = _ours_to_keep(original, their_part._element) if original is not None else []
        _copy_story(their_part, our_part, merged)
        our_part._element.extend(kept)
    if source.settings.odd_and_even_pages_header_footer:
        # left and right pages of their own, as the reference has them; where it gives only one side
        # a version for even pages, the other keeps its odd pages' (page numbers on every page)
        target.settings.odd_and_even_pages_header_footer = True
        for their_even, our_odd, our_even, original in (
            (theirs.even_page_header, ours.header, ours.even_page_header, our_header),
            (theirs.even_page_footer, ours.footer, ours.even_page_footer, our_footer),
        ):
            if their_even.is_linked_to_previous:
                _copy_story(our_odd, our_even, merged)
                continue
            kept = _ours_to_keep(original, their_even._element)
            _copy_story(their_even, our_even, merged)
            our_even._element.extend(kept)


def _ours_to_keep(our_story: etree._Element, their_story: etree._Element) -> list[etree._Element]:
    """What our header or footer says that the design's does not, to follow beneath the design's.

    A design's header or footer brings its look – a logo, the district's line
    – but a reader still needs what ours says: the draft mark in the header;
    in the footer the document's name, its variant, its version and the page
    number (without ours where the design numbers the pages itself).
    """
    if our_story.tag == qn("w:hdr"):
        return _draft_mark(our_story)
    if _numbers_pages(their_story):
        kept = [_without_page_number(copy.deepcopy(p)) for p in our_story.iterchildren(qn("w:p"))]
        return [paragraph for paragraph in kept if paragraph is not None and _says_something(paragraph)]
    return [copy.deepcopy(p) for p in our_story.iterchildren(qn("w:p")) if _says_something(p)]


_DRAFT_TAG = re.compile(r"\{%-?\s*if\s+draft\s*-?%\}")


def _draft_mark(header: etree._Element) -> list[etree._Element]:
    """Our header's draft mark as paragraphs of their own, printed only in a draft."""
    if not _DRAFT_TAG.search(text_of(header)):
        return []
    first = header.find(qn("w:p"))
    properties = first.find(qn("w:pPr")) if first is not None else None
    marked = []
    for text in ("{%p if draft %}", "{{ labels.draft }}", "{%p endif %}"):
        paragraph = etree.Element(qn("w:p"))
        if properties is not None:
            paragraph.append(copy.deepcopy(properties))
        run = etree.SubElement(paragraph, qn("w:r"))
        etree.SubElement(run, qn("w:t")).text = text
        marked.append(paragraph)
    return marked


def _is_page_field(node: etree._Element) -> bool:
    """A PAGE field's code: in a complex field's instruction or a simple field's attribute."""
    if node.tag == qn("w:instrText"):
        code = node.text or ""
    elif node.tag == qn("w:fldSimple"):
        code = str(node.get(qn("w:instr"), ""))
    else:
        return False
    return code.split()[:1] == ["PAGE"]


def _numbers_pages(story: etree._Element) -> bool:
    """Whether a header or footer holds a PAGE field (its page number)."""
    return any(_is_page_field(node) for node in story.iter(qn("w:instrText"), qn("w:fldSimple")))


def _without_page_number(paragraph: etree._Element) -> etree._Element | None:
    """A footer line without its page number: what stands before the tab that leads to it; None
    where the line is nothing but the page number."""
    nodes = list(paragraph.iter())
    field = next((node for node in nodes if _is_page_field(node)), None)
    if field is None:
        return paragraph
    tabs = [  # a tab in the text, not a tab stop of the paragraph's properties
        node
        for node in nodes[: nodes.index(field)]
        if node.tag == qn("w:tab") and getattr(node.getparent(), "tag", None) == qn("w:r")
    ]
    if not tabs:
        return None
    tab = node = tabs[-1]
    while node is not paragraph:  # all after the tab, up to the paragraph
        parent = node.getparent()
        assert parent is not None
        for following in list(node.itersiblings()):
            parent.remove(following)
        node = parent
    tab_run = tab.getparent()
    assert tab_run is not None
    tab_run.remove(tab)
    return paragraph


def _says_something(paragraph: etree._Element) -> bool:
    return bool(text_of(paragraph).strip()) or _numbers_pages(paragraph)


def _copy_story(source: BlockItemContainer, target: BlockItemContainer, merged: Merged) -> None:
    """Replace the content of a header or footer by ``source``'s, its pictures and links with it."""
    element = target._element
    for child in list(element):
        element.remove(child)
    for child in source._element:
        element.append(copy.deepcopy(child))
    source_part, target_part = source.part, target.part
    if source_part.package is not target_part.package:
        merged.notes += _pictures_without_text(element, merged.name)
    for node in element.iter():
        for attribute in (f"{{{R_NS}}}embed", f"{{{R_NS}}}id", f"{{{R_NS}}}link"):
            relationship_id = node.get(attribute)
            if relationship_id is None:
                continue
            relationship = source_part.rels.get(relationship_id)
            if relationship is None:
                del node.attrib[attribute]
                continue
            if relationship.reltype == RELATIONSHIP_TYPE.IMAGE and not relationship.is_external:
                picture = _image_in(target_part.package, relationship.target_part, merged)
                node.set(attribute, target_part.relate_to(picture, RELATIONSHIP_TYPE.IMAGE))
            elif relationship.reltype == RELATIONSHIP_TYPE.HYPERLINK and relationship.is_external:
                node.set(
                    attribute, target_part.relate_to(relationship.target_ref, relationship.reltype, True)
                )
            else:  # nothing else may come in with a header (outside references are refused before)
                kind = relationship.reltype.rsplit("/", 1)[-1]
                merged.notes.append(f"the reference's {kind} in a header or footer was left out")
                del node.attrib[attribute]


def _pictures_without_text(story: etree._Element, name: str) -> list[str]:
    """A note for each picture of a header or footer that readers would miss, as ``check`` finds it.

    A picture needs its alternative text twice: as a description, which Word
    and the PDF read, and as a title, which LibreOffice's checker and HTML
    export read; Word's "Edit
    Alt Text" writes only the description. Where the design gives one, the
    picture gets the other from it (the title a short one, as our own pictures
    have), with a note; where it gives neither and the picture is not
    decorative, a note says how to give it.
    """
    notes = []
    for picture in pictures(story):
        missing, fix = picture.unread
        if not missing:
            continue
        properties = picture.element.find(f".//{{{WP_NS}}}docPr")
        label = (properties.get("name") if properties is not None else None) or "a picture"
        where = f"{name}: the picture “{label}” in its {'header' if story.tag == qn('w:hdr') else 'footer'}"
        if properties is not None and (picture.description or picture.title):
            if picture.description:
                properties.set("title", short_title(picture.description))
                had = "its alternative text only as a description, without a title"
                given = "its description as its title too, which LibreOffice's checker and HTML export read"
            else:
                properties.set("descr", picture.title)
                had = "its alternative text only as a title, without a description"
                given = "its title as its description too, which Word and the PDF read"
            notes.append(f"{where} has {had}: the documents give it {given}")
            continue
        notes.append(f"{where} has {missing}, so `check` reports it: {fix}")
    return notes


def _image_in(package: Package, picture: Part, merged: Merged) -> Part:
    """``picture`` (an image part) as a part of ``package``, copied as it is.

    Copied byte for byte rather than read as an image: a logo may be an SVG
    (with the PNG Word 365 writes beside it for older readers), an EMF or a
    WMF, none of which needs understanding to be carried over.
    """
    if picture.package is package:
        return picture  # the document's own (a header given to the even pages too)
    key = (picture.content_type, hashlib.sha256(picture.blob).hexdigest())
    if key not in merged.pictures:
        extension = picture.partname.ext.lower() or "bin"
        name = package.next_partname(f"/word/media/reference%d.{extension}")
        merged.pictures[key] = Part(name, picture.content_type, picture.blob, package)
    return merged.pictures[key]


def _headers_and_footers(document: WordDocument) -> Iterator[tuple[str, Any]]:
    for section in document.sections:
        for name, story in (
            ("header", section.header),
            ("footer", section.footer),
            ("first page header", section.first_page_header),
            ("first page footer", section.first_page_footer),
            ("even page header", section.even_page_header),
            ("even page footer", section.even_page_footer),
        ):
            if not story.is_linked_to_previous:
                yield name, story._element
