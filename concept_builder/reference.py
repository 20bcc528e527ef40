"""A district's house style from one ordinary Word file, as pandoc's ``--reference-doc`` does it.

The reference document brings the look – styles, list numbering, theme
colours and fonts, page size and margins, headers and footers with their
logos – and the template brings the structure and the tags. Styles are
matched by name, so a reference saved by a German Word ("Überschrift 1", id
``berschrift1``) restyles our "heading 1"; the styles our documents use that
the reference does not define are kept from the template. Nothing of the
reference's body is used, and a reference must not hold template tags: it is
an ordinary Word document, possibly from a third party.
"""

from __future__ import annotations

import copy
import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from docx import Document
from docx.document import Document as WordDocument
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.opc.part import Part
from docx.oxml.ns import nsdecls, qn
from docx.oxml.parser import parse_xml

from .colours import DARK_ON_WHITE, DEFAULT_PALETTE, Palette, contrast_ratio
from .word import CHARACTER_ROLES, PARAGRAPH_ROLES, R_NS, THEME_PART, WP_NS, Styles, W

STYLES_WITH_EFFECTS = "stylesWithEffects"  # Word 2010's copy of the styles; stale once styles change
_TAG = re.compile(r"\{[{%#]|[}%#]\}")
_MARKUP = re.compile(r"<[^>]*>")
_HEX = re.compile(r"^[0-9A-Fa-f]{6}$")
DECORATIVE_NS = "http://schemas.microsoft.com/office/drawing/2017/decorative"  # Word's "decorative" mark
# Styles of ours that must not take a numbering the reference gives the headings they are based on
UNNUMBERED = ("TOC Heading", "Sheet Heading", "Title", "Subtitle")


class ReferenceError(ValueError):
    """The reference document cannot be used; the message says why."""


@dataclass
class Merged:
    """The template with the reference's look, and what was noticed on the way."""

    data: bytes
    notes: list[str] = field(default_factory=list)
    name: str = "the reference document"  # for the notes
    pictures: dict[tuple[str, str], Any] = field(default_factory=dict)  # copied: (type, digest) → part


def with_reference(template: bytes, reference: bytes, name: str = "the reference document") -> Merged:
    """``template`` (a .docx with tags) in the look of ``reference`` (an ordinary .docx).

    ``name`` is how the notes call the reference (its file name): what it could
    not bring, and what in it readers would stumble over.
    """
    target = Document(io.BytesIO(template))
    source = checked_reference(reference)
    merged = Merged(b"", name=name)
    used = _used(target)
    restyled = [str(s.get(qn("w:styleId"))) for n, s in _names(source.styles.element).items() if n in used]
    numbering = _numbering_map(target, source)
    styles = _merge_styles(target, source, numbering)
    merged.notes += _weak_contrast(target.styles.element, restyled, name)
    _number_direct_lists(target, numbering)
    _rename_styles_in_body(target, styles)
    _theme(target, source)
    _page_and_headers(target, source, merged)
    _drop_styles_with_effects(target)
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


# --- styles ----------------------------------------------------------------------------------------


def _names(styles: Any) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for style in styles.iter(qn("w:style")):
        name = style.find(qn("w:name"))
        if name is not None and name.get(qn("w:val")):
            found.setdefault(str(name.get(qn("w:val"))).casefold(), style)
    return found


def _merge_styles(target: WordDocument, source: WordDocument, numbering: dict[str, str]) -> dict[str, str]:
    """The reference's styles, plus ours that it lacks; returns our style ids → the ids now in use."""
    ours = target.styles.element
    theirs = copy.deepcopy(source.styles.element)
    their_names = _names(theirs)
    their_ids = {str(s.get(qn("w:styleId"))) for s in theirs.iter(qn("w:style"))}
    renamed: dict[str, str] = {}
    added = []
    for name, style in _names(ours).items():
        style_id = str(style.get(qn("w:styleId")))
        if name in their_names:
            renamed[style_id] = str(their_names[name].get(qn("w:styleId")))
            continue
        new_id = style_id
        while new_id in their_ids:
            new_id += "Cb"  # an id the reference uses for another style
        their_ids.add(new_id)
        renamed[style_id] = new_id
        added.append(copy.deepcopy(style))
    their_accent = _accent(theirs, source)
    colours = DEFAULT_PALETTE.translation(Palette.from_accent(their_accent)) if their_accent else {}
    for style in added:
        _recolour(style, colours)
        for fonts in list(style.iter(qn("w:rFonts"))):  # the design's fonts, through its Normal and defaults
            fonts.getparent().remove(fonts)
        style.set(qn("w:styleId"), renamed[str(style.get(qn("w:styleId")))])
        for link in ("w:basedOn", "w:next", "w:link"):
            element = style.find(qn(link))
            if element is not None:
                value = renamed.get(str(element.get(qn("w:val"))))
                if value is None:
                    style.remove(element)
                else:
                    element.set(qn("w:val"), value)
        for number in style.iter(qn("w:numId")):
            number.set(qn("w:val"), numbering.get(str(number.get(qn("w:val"))), "0"))
        theirs.append(style)
    _unnumbered(theirs)
    target.part._styles_part._element = theirs
    return renamed


def _used(document: WordDocument) -> set[str]:
    """The names (case-folded) of the styles a template's documents use: in its text, and for content."""
    ids = {str(s.get(qn("w:styleId"))): s for s in document.styles.element.iter(qn("w:style"))}
    parts = [document.element.body] + [
        part.element
        for part in document.part.package.iter_parts()
        if str(part.partname).startswith(("/word/header", "/word/footer")) and hasattr(part, "element")
    ]
    names = {name.casefold() for roles in (PARAGRAPH_ROLES, CHARACTER_ROLES) for name, *_ in roles.values()}
    for part in parts:
        for reference in part.iter(qn("w:pStyle"), qn("w:rStyle")):
            style = ids.get(str(reference.get(qn("w:val"))))
            name = style.find(qn("w:name")) if style is not None else None
            if name is not None:
                names.add(str(name.get(qn("w:val"))).casefold())
    return names


def _weak_contrast(styles: Any, restyled: list[str], name: str) -> list[str]:
    """Notes on the reference's styles the documents use (``restyled``) whose text is hard to read.

    The design is taken as it is; the note says which styles to darken, since
    ``check`` would report every paragraph in them.
    """
    definitions = Styles(styles)
    defaults = definitions.text_colour()
    weak: dict[tuple[str, str], list[str]] = {}
    for style_id in restyled:
        if style_id not in definitions.by_id or definitions.kind(style_id) not in ("paragraph", "character"):
            continue
        colour = definitions.property_value(style_id, f"{W}rPr/{W}color", f"{W}val") or defaults
        fill = (
            definitions.property_value(style_id, f"{W}pPr/{W}shd", f"{W}fill")
            or definitions.property_value(style_id, f"{W}rPr/{W}shd", f"{W}fill")
            or "FFFFFF"
        )
        if not (_HEX.match(colour) and _HEX.match(fill)):
            continue  # automatic colour, or a theme's colour without its value: nothing to compare
        if contrast_ratio(colour, fill) < DARK_ON_WHITE:
            weak.setdefault((colour.upper(), fill.upper()), []).append(f"“{definitions.name(style_id)}”")
    return [
        f"{name}: {'its style' if len(names) == 1 else 'its styles'} {', '.join(names)} set"
        f"{'s' if len(names) == 1 else ''} text #{colour} on #{fill}, a contrast of"
        f" {contrast_ratio(colour, fill):.1f}:1 – text needs {DARK_ON_WHITE}:1 to be read with weak sight;"
        " choose a darker colour (Start › Formatvorlagen › Ändern…)"
        for (colour, fill), names in weak.items()
    ]


def _accent(styles: Any, source: WordDocument) -> str | None:
    """The reference's colour: its first heading's, else its theme's first accent."""
    accent = Styles(styles).accent()
    if accent is not None:
        return accent
    theme = next((p for p in source.part.package.iter_parts() if p.partname == "/" + THEME_PART), None)
    found = re.search(rb'<a:accent1>\s*<a:srgbClr val="([0-9A-Fa-f]{6})"', theme.blob) if theme else None
    return found.group(1).decode().upper() if found else None


def _recolour(style: Any, colours: dict[str, str]) -> None:
    """Our styles that the reference lacks take its colour instead of our blue."""
    for element in style.iter():
        for attribute in (qn("w:color"), qn("w:fill"), qn("w:val")):
            value = element.get(attribute)
            if value is None or value.upper() not in colours:
                continue
            if attribute == qn("w:val") and element.tag != qn("w:color"):
                continue
            element.set(attribute, colours[value.upper()])


def _unnumbered(styles: Any) -> None:
    """Our contents heading and measure sheets take no chapter numbering from the reference's headings."""
    by_id = {str(s.get(qn("w:styleId"))): s for s in styles.iter(qn("w:style"))}
    names = _names(styles)
    for name in UNNUMBERED:
        style = names.get(name.casefold())
        if style is None or not _numbered(style, by_id):
            continue
        numbering = style.get_or_add_pPr().get_or_add_numPr()  # python-docx keeps the schema's order
        for child in list(numbering):
            numbering.remove(child)
        numbering.append(parse_xml(f'<w:numId {nsdecls("w")} w:val="0"/>'))


def _numbered(style: Any, by_id: dict[str, Any]) -> bool:
    seen = set()
    while style is not None and id(style) not in seen:
        seen.add(id(style))
        number = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
        if number is not None:
            return str(number.get(qn("w:val"))) != "0"
        based = style.find(qn("w:basedOn"))
        style = by_id.get(str(based.get(qn("w:val")))) if based is not None else None
    return False


def _rename_styles_in_body(target: WordDocument, renamed: dict[str, str]) -> None:
    for tag in ("w:pStyle", "w:rStyle", "w:tblStyle"):
        for element in target.element.body.iter(qn(tag)):
            value = str(element.get(qn("w:val")))
            element.set(qn("w:val"), renamed.get(value, value))


# --- numbering ---------------------------------------------------------------------------------


def _numbering_map(target: WordDocument, source: WordDocument) -> dict[str, str]:
    """Take the reference's list definitions and keep ours beside them; returns our numIds → new ones."""
    try:
        theirs = source.part.numbering_part.element
    except NotImplementedError:  # python-docx cannot make an empty one: the reference defines no lists
        return {}
    ours = target.part.numbering_part.element
    merged = copy.deepcopy(theirs)
    abstract_ids = [int(a.get(qn("w:abstractNumId"))) for a in merged.iter(qn("w:abstractNum"))]
    num_ids = [int(n.get(qn("w:numId"))) for n in merged.iter(qn("w:num"))]
    next_abstract = max(abstract_ids, default=0) + 1
    next_num = max(num_ids, default=0) + 1
    abstracts: dict[str, str] = {}
    last_abstract = list(merged.iter(qn("w:abstractNum")))
    anchor = last_abstract[-1] if last_abstract else None
    for abstract in ours.iter(qn("w:abstractNum")):
        copied = copy.deepcopy(abstract)
        old = str(copied.get(qn("w:abstractNumId")))
        abstracts[old] = str(next_abstract)
        copied.set(qn("w:abstractNumId"), str(next_abstract))
        for link in ("w:nsid", "w:styleLink", "w:numStyleLink"):
            for element in copied.findall(qn(link)):
                copied.remove(element)  # Word matches lists by nsid and style links: these are ours alone
        next_abstract += 1
        if anchor is not None:
            anchor.addnext(copied)
        else:
            merged.insert(0, copied)
        anchor = copied
    numbers: dict[str, str] = {}
    for number in ours.iter(qn("w:num")):
        copied = copy.deepcopy(number)
        numbers[str(copied.get(qn("w:numId")))] = str(next_num)
        copied.set(qn("w:numId"), str(next_num))
        reference = copied.find(qn("w:abstractNumId"))
        if reference is not None:
            reference.set(qn("w:val"), abstracts.get(str(reference.get(qn("w:val"))), "0"))
        next_num += 1
        merged.append(copied)
    target.part.numbering_part._element = merged
    return numbers


def _number_direct_lists(target: WordDocument, numbers: dict[str, str]) -> None:
    """Lists the template numbers directly (the sources) keep their own numbering."""
    if not numbers:
        return
    for number in target.element.body.iter(qn("w:numId")):
        value = str(number.get(qn("w:val")))
        if value != "0":
            number.set(qn("w:val"), numbers.get(value, value))


# --- theme, page, headers and footers -----------------------------------------------------------


def _theme(target: WordDocument, source: WordDocument) -> None:
    their_theme = next((p for p in source.part.package.iter_parts() if p.partname == "/" + THEME_PART), None)
    our_theme = next((p for p in target.part.package.iter_parts() if p.partname == "/" + THEME_PART), None)
    if their_theme is not None and our_theme is not None:
        our_theme._blob = their_theme.blob


def _page_and_headers(target: WordDocument, source: WordDocument, merged: Merged) -> None:
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
    for their_part, our_part in pairs:
        if their_part.is_linked_to_previous:
            continue  # the reference has none: ours stays
        _copy_story(their_part, our_part, merged)
    if source.settings.odd_and_even_pages_header_footer:
        # left and right pages of their own, as the reference has them; where it gives only one side
        # a version for even pages, the other keeps its odd pages' (page numbers on every page)
        target.settings.odd_and_even_pages_header_footer = True
        for their_even, our_odd, our_even in (
            (theirs.even_page_header, ours.header, ours.even_page_header),
            (theirs.even_page_footer, ours.footer, ours.even_page_footer),
        ):
            _copy_story(our_odd if their_even.is_linked_to_previous else their_even, our_even, merged)


def _copy_story(source: Any, target: Any, merged: Merged) -> None:
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


def _pictures_without_text(story: Any, name: str) -> list[str]:
    """A note for each picture of a header or footer that has no alternative text and is not decorative."""
    notes = []
    for properties in story.iter(f"{{{WP_NS}}}docPr"):
        described = (properties.get("descr") or properties.get("title") or "").strip()
        decorative = any(
            node.get("val") in ("1", "true") for node in properties.iter(f"{{{DECORATIVE_NS}}}decorative")
        )
        if not described and not decorative:
            picture = properties.get("name") or "a picture"
            kind = "header" if story.tag == qn("w:hdr") else "footer"
            notes.append(
                f"{name}: the picture “{picture}” in its {kind} has no alternative text, so screen readers"
                " pass over it and `check` reports it: give it one in Word (right-click › Alternativtext"
                " bearbeiten), or mark it as decorative"
            )
    return notes


def _image_in(package: Any, picture: Any, merged: Merged) -> Any:
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


def _drop_styles_with_effects(target: WordDocument) -> None:
    rels = target.part.rels
    for relationship_id, relationship in list(rels.items()):
        if relationship.reltype.endswith("/" + STYLES_WITH_EFFECTS):
            rels.pop(relationship_id)
