"""A reference document's styles put over the template's by name – ours keep what the design does not
say, the design's font and colours win – and its numbering over ours, so that lists and numbered
headings follow the design."""

from __future__ import annotations

import copy
import re
from typing import Any

from docx.document import Document as WordDocument
from docx.oxml.ns import nsdecls, qn
from docx.oxml.parser import parse_xml
from lxml import etree

from ..colours import DARK_ON_WHITE, DEFAULT_PALETTE, Palette, contrast_ratio
from ..word import CHARACTER_ROLES, LOCAL_STYLE_NAMES, PARAGRAPH_ROLES, THEME_PART, Styles, W

STYLES_WITH_EFFECTS = "stylesWithEffects"  # Word 2010's copy of the styles; stale once styles change


_HEX = re.compile(r"^[0-9A-Fa-f]{6}$")
_HEADING_LEVELS = {str(level) for level in range(9)}  # outline levels 0–8; 9 is body text


# Styles of ours that must not take a numbering the reference gives the headings they are based on
UNNUMBERED = ("TOC Heading", "Sheet Heading", "Title", "Subtitle")


def styles_by_name(styles: etree._Element) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for style in styles.iter(qn("w:style")):
        name = style.find(qn("w:name"))
        if name is not None and name.get(qn("w:val")):
            found.setdefault(str(name.get(qn("w:val"))).casefold(), style)
    return found


def styles_by_role(styles: etree._Element) -> dict[str, Any]:
    """A reference's styles by name (case-folded), each also under Word's English name of its role:
    "Überschrift 1", or a style that sets outline level 1, is also "heading 1"; "Titel" is "title".

    A name the reference has itself always wins over an alias.
    """
    found = styles_by_name(styles)
    aliases = {
        local.casefold(): english for english, locals_ in LOCAL_STYLE_NAMES.items() for local in locals_
    }
    for roles in (PARAGRAPH_ROLES, CHARACTER_ROLES):
        for names in roles.values():
            aliases.update({name.casefold(): names[0].casefold() for name in names[1:]})
    for name, style in list(found.items()):
        if name in aliases:
            found.setdefault(aliases[name], style)
    for style in styles.iter(qn("w:style")):  # a heading named as the designer likes, by its level
        level = style.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}")
        value = level.get(qn("w:val")) if level is not None else None
        if style.get(qn("w:type")) == "paragraph" and value in _HEADING_LEVELS:
            found.setdefault(f"heading {int(str(value)) + 1}", style)
    return found


def merge_styles(target: WordDocument, source: WordDocument, numbering: dict[str, str]) -> dict[str, str]:
    """The reference's styles, plus ours that it lacks; returns our style ids → the ids now in use."""
    ours = target.styles.element
    theirs = copy.deepcopy(source.styles.element)
    their_names = styles_by_role(theirs)
    their_ids = {str(s.get(qn("w:styleId"))) for s in theirs.iter(qn("w:style"))}
    renamed: dict[str, str] = {}
    added = []
    for name, style in styles_by_name(ours).items():
        style_id = str(style.get(qn("w:styleId")))
        if name in their_names:
            renamed[style_id] = str(their_names[name].get(qn("w:styleId")))
            _keep_together_as_ours(their_names[name], style)
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


def _keep_together_as_ours(theirs: etree._Element, ours: etree._Element) -> None:
    """What keeps our text together – a caption with its table, a heading with its text – where the
    design's style of the same name does not say: Word's own "caption", say, keeps with nothing."""
    kept = [tag for tag in ("w:keepNext", "w:keepLines") if ours.find(f"{qn('w:pPr')}/{qn(tag)}") is not None]
    if not kept or theirs.get(qn("w:type")) != "paragraph":
        return
    properties = theirs.find(qn("w:pPr"))
    if properties is None:
        properties = etree.SubElement(theirs, qn("w:pPr"))
        rpr = theirs.find(qn("w:rPr"))
        if rpr is not None:  # the schema's order: paragraph properties before run properties
            rpr.addprevious(properties)
    position = 1 if properties.find(qn("w:pStyle")) is not None else 0
    for tag in ("w:keepNext", "w:keepLines"):
        found = properties.find(qn(tag))
        if found is None and tag in kept:
            found = etree.Element(qn(tag))
            properties.insert(position, found)
        if found is not None:
            position = properties.index(found) + 1


def _stories(document: WordDocument) -> list[etree._Element]:
    """The body, headers and footers of a document: where its text names styles."""
    return [document.element.body] + [
        part.element
        for part in document.part.package.iter_parts()
        if str(part.partname).startswith(("/word/header", "/word/footer")) and hasattr(part, "element")
    ]


def styles_used(document: WordDocument) -> set[str]:
    """The names (case-folded) of the styles a template's documents use: in its text, and for content."""
    ids = {str(s.get(qn("w:styleId"))): s for s in document.styles.element.iter(qn("w:style"))}
    parts = _stories(document)
    names = {name.casefold() for roles in (PARAGRAPH_ROLES, CHARACTER_ROLES) for name, *_ in roles.values()}
    for part in parts:
        for reference in part.iter(qn("w:pStyle"), qn("w:rStyle")):
            style = ids.get(str(reference.get(qn("w:val"))))
            name = style.find(qn("w:name")) if style is not None else None
            if name is not None:
                names.add(str(name.get(qn("w:val"))).casefold())
    return names


def weak_contrast(styles: etree._Element, restyled: list[str], name: str) -> list[str]:
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


def _accent(styles: etree._Element, source: WordDocument) -> str | None:
    """The reference's colour: its first heading's, else its theme's first accent."""
    accent = Styles(styles).accent()
    if accent is not None:
        return accent
    theme = next((p for p in source.part.package.iter_parts() if p.partname == "/" + THEME_PART), None)
    found = re.search(rb'<a:accent1>\s*<a:srgbClr val="([0-9A-Fa-f]{6})"', theme.blob) if theme else None
    return found.group(1).decode().upper() if found else None


def _recolour(style: etree._Element, colours: dict[str, str]) -> None:
    """Our styles that the reference lacks take its colour instead of our blue."""
    for element in style.iter():
        for attribute in (qn("w:color"), qn("w:fill"), qn("w:val")):
            value = element.get(attribute)
            if value is None or value.upper() not in colours:
                continue
            if attribute == qn("w:val") and element.tag != qn("w:color"):
                continue
            element.set(attribute, colours[value.upper()])


def _unnumbered(styles: etree._Element) -> None:
    """Our contents heading and measure sheets take no chapter numbering from the reference's headings."""
    by_id = {str(s.get(qn("w:styleId"))): s for s in styles.iter(qn("w:style"))}
    names = styles_by_name(styles)
    for name in UNNUMBERED:
        style = names.get(name.casefold())
        if style is None or not _numbered(style, by_id):
            continue
        numbering = style.get_or_add_pPr().get_or_add_numPr()  # python-docx keeps the schema's order
        for child in list(numbering):
            numbering.remove(child)
        numbering.append(parse_xml(f'<w:numId {nsdecls("w")} w:val="0"/>'))


def _numbered(style: etree._Element, by_id: dict[str, etree._Element]) -> bool:
    seen = set()
    current: etree._Element | None = style
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        number = current.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
        if number is not None:
            return str(number.get(qn("w:val"))) != "0"
        based = current.find(qn("w:basedOn"))
        current = by_id.get(str(based.get(qn("w:val")))) if based is not None else None
    return False


def rename_styles(target: WordDocument, renamed: dict[str, str]) -> None:
    """The template's body, headers and footers in the styles now in use (before the reference's
    headers and footers come in: their styles are the reference's own)."""
    for story in _stories(target):
        for element in story.iter(qn("w:pStyle"), qn("w:rStyle"), qn("w:tblStyle")):
            value = str(element.get(qn("w:val")))
            element.set(qn("w:val"), renamed.get(value, value))


def numbering_map(target: WordDocument, source: WordDocument) -> dict[str, str]:
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


def number_direct_lists(target: WordDocument, numbers: dict[str, str]) -> None:
    """Lists the template numbers directly (the sources) keep their own numbering."""
    if not numbers:
        return
    for number in target.element.body.iter(qn("w:numId")):
        value = str(number.get(qn("w:val")))
        if value != "0":
            number.set(qn("w:val"), numbers.get(value, value))


def drop_styles_with_effects(target: WordDocument) -> None:
    rels = target.part.rels
    for relationship_id, relationship in list(rels.items()):
        if relationship.reltype.endswith("/" + STYLES_WITH_EFFECTS):
            rels.pop(relationship_id)
