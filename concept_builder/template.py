"""Word templates: the ones that ship, a user's own, and what is checked before one is used.

A template other than ours may come from a third party. Before it is
rendered it must be a real Word package of reasonable size that references
nothing outside itself; its styles are read so that prepared content uses
the template's own style ids.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.shared import RGBColor
from lxml import etree

from .check.structure_types import remapped_style
from .errors import OutputError, TemplateError, UsageError
from .markers import custom_properties, read_custom_properties
from .options import DEFAULT_VARIANT, VARIANTS, BuildOptions
from .options import variant as known_variant
from .package import DamagedPackage, outside_references
from .reference import ReferenceError, with_reference
from .word import (
    DOCUMENT_PART,
    LINK_COLOUR,
    LINK_STYLE,
    NUMBERING_PART,
    STYLES_PART,
    THEME_PART,
    StyleMap,
    W,
)
from .write import normalize_zip

TEMPLATE_COPY_NAME = "{variant}-vorlage.docx"
# A template written by ``template init`` records the variant it was made for (a custom property)
PROPERTY_MADE_FOR = "concept-builder template for"
CUSTOM_PROPERTIES_PART = "docProps/custom.xml"
REFERENCE_COPY_NAME = "hausdesign.docx"
OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")  # encrypted .docx and old .doc files
MAX_TEMPLATE_BYTES = 200_000_000  # unpacked
MAX_TEMPLATE_ENTRIES = 5_000
_TEXT_PART = re.compile(r"^word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$")
_STYLE_USE = re.compile(rb'<w:[pr]Style w:val="([^"]*)"')
_CONTENTS_FIELD = re.compile(rb"<w:instrText\b[^>]*>\s*TOC\b|w:instr=\"\s*TOC\b")


@dataclass(frozen=True)
class Template:
    """A template ready to render: checked, in the look of a reference if one was given."""

    path: Path  # where it came from, for messages
    data: bytes  # the package to render
    styles: StyleMap
    trusted: bool  # one that ships with the package: rendered without the limits for foreign ones
    notes: tuple[str, ...] = ()  # what the reference document could not bring
    made_for: str | None = None  # the variant ``template init`` copied it for, where it says so
    contents: bool = True  # it holds a table of contents


def default_template(variant: str = DEFAULT_VARIANT) -> Path:
    """The template that ships with the package for ``variant``."""
    name = VARIANTS[variant].template
    packaged = resources.files("concept_builder") / "templates" / name
    if packaged.is_file():
        return Path(str(packaged))
    # a source checkout keeps the templates beside the package
    return Path(__file__).resolve().parent.parent / "templates" / name


def template_for(options: BuildOptions, reference: Reference | None = None) -> Template:
    """The template a build uses – the one given in ``options``, else the variant's own – checked,
    in the look of ``reference`` (a house style: ``options.reference_doc`` or the concept's own).
    """
    template = open_template(options.template or default_template(options.variant))
    if options.template is not None and template.made_for not in (None, options.variant):
        template = replace(template, notes=(*template.notes, _other_variant(template, options.variant)))
    if options.reference_doc is not None:
        reference = Reference(
            options.reference_doc, read_package(options.reference_doc, "reference document")
        )
    if reference is None:
        return template
    try:
        merged = with_reference(template.data, reference.data, reference.path.name)
    except ReferenceError as error:
        raise TemplateError(reference.path, str(error)) from error
    # the reference is a third party's file: what it brought is checked again where it landed
    with zipfile.ZipFile(io.BytesIO(merged.data)) as package:
        refuse_outside_references(reference.path, package)
    return replace(
        template,
        data=merged.data,
        styles=_styles(reference.path, merged.data),
        notes=(*template.notes, *merged.notes),
    )


def _other_variant(template: Template, variant: str) -> str:
    """What happens when a template made for one variant is used for another."""
    made_for = VARIANTS[str(template.made_for)]
    used_for = VARIANTS[variant]
    return (
        f"{template.path.name} was made for the variant “{made_for.name}” ({made_for.description}) and is"
        f" used for “{used_for.name}”: the document shows what that template holds, under the"
        f" {used_for.name} title; for the {used_for.name}'s own layout write its template with"
        f" `concept-builder template init FOLDER --variant {used_for.name}`"
    )


@dataclass(frozen=True)
class Reference:
    """A reference document: where it is, and its package, checked like a template."""

    path: Path
    data: bytes


def open_template(path: Path) -> Template:
    """Check the template at ``path`` and read its styles; ``TemplateError`` says what is wrong.

    A template without a character style for links gets one, with a note:
    without it, every link would look like plain text.
    """
    trusted = path.resolve().parent == default_template().resolve().parent
    data = read_package(path, "template")
    styles = _styles(path, data)
    notes: tuple[str, ...] = ()
    if not trusted:  # ours use no such names; a user's template may
        data, notes = without_structure_type_names(path, data)
        styles = _styles(path, data) if notes else styles
    made_for, contents = _what_it_is(data)
    if "hyperlink" not in styles.missing:
        return Template(path, data, styles, trusted, notes=notes, made_for=made_for, contents=contents)
    data = _with_link_style(data)
    note = (
        f"{path.name} has no character style “Hyperlink”: one was added (blue, underlined) so that links"
        " look like links; define it in the template to choose their look"
    )
    return Template(
        path, data, _styles(path, data), trusted, notes=(*notes, note), made_for=made_for, contents=contents
    )


def without_structure_type_names(path: Path, data: bytes) -> tuple[bytes, tuple[str, ...]]:
    """``data`` with its styles named like PDF structure types renamed (“Quote” → “Quote Text”), and
    a note for each renamed style the template uses.

    LibreOffice's tagged PDF turns a style's name into the tag of its text and
    maps that tag to a paragraph (P) or a span: a style called “Quote” or
    “Figure” remaps the standard type, which PDF/UA forbids, and a paragraph
    styled “Figure” becomes a figure without alternative text. Only the name
    changes; the style's id, and so every paragraph using it, stays.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = package.namelist()
        if STYLES_PART not in names:
            return data, ()
        root = etree.fromstring(package.read(STYLES_PART), etree.XMLParser(resolve_entities=False))
        used = {
            style_id.decode("utf-8", "replace")
            for name in names
            if _TEXT_PART.match(name)
            for style_id in _STYLE_USE.findall(package.read(name))
        }
    taken = {element.get(f"{W}val") for element in root.iter(f"{W}name")}
    renamed = 0
    notes = []
    for style in root.iter(f"{W}style"):
        name_element = style.find(f"{W}name")
        name = name_element.get(f"{W}val", "") if name_element is not None else ""
        if name_element is None or not remapped_style(style.get(f"{W}type", "paragraph"), name):
            continue
        new_name = f"{name} Text"
        suffix = 2
        while new_name in taken:
            new_name, suffix = f"{name} Text {suffix}", suffix + 1
        taken.add(new_name)
        name_element.set(f"{W}val", new_name)
        renamed += 1
        if style.get(f"{W}styleId") in used:
            notes.append(
                f"{path.name}: the style “{name}” is called “{new_name}” in the document: LibreOffice would"
                f" tag its text as the PDF structure type {name} and remap it, which PDF/UA forbids"
                " (rename the style in the template to choose the name)"
            )
    if not renamed:
        return data, ()
    styles_xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return normalize_zip(data, {STYLES_PART: styles_xml}), tuple(notes)


def _what_it_is(data: bytes) -> tuple[str | None, bool]:
    """The variant a template was made for (where ``template init`` recorded it), and whether it has
    a table of contents.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = package.namelist()
        properties = package.read(CUSTOM_PROPERTIES_PART) if CUSTOM_PROPERTIES_PART in names else b""
        contents = _CONTENTS_FIELD.search(package.read(DOCUMENT_PART)) is not None
    made_for = read_custom_properties(properties).get(PROPERTY_MADE_FOR) if properties else None
    return (made_for if made_for in VARIANTS else None), contents


def _with_link_style(data: bytes) -> bytes:
    document = Document(io.BytesIO(data))
    style = document.styles.add_style(LINK_STYLE, WD_STYLE_TYPE.CHARACTER)
    style.font.color.rgb = RGBColor.from_string(LINK_COLOUR)
    style.font.underline = True
    style.unhide_when_used = True
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def read_package(path: Path, kind: str) -> bytes:
    """The bytes of a Word package at ``path``: a .docx of sane size that references nothing outside it."""
    if not path.is_file():
        raise TemplateError(path, f"{kind} not found", "give the path of a .docx file")
    data = path.read_bytes()
    return check_package(path, data, kind)


def check_package(path: Path, data: bytes, kind: str = "template") -> bytes:
    """``data`` if it is a Word package of sane size that references nothing outside it."""
    if data.startswith(OLE_SIGNATURE):
        raise TemplateError(
            path,
            "is password-protected or an old Word file (.doc)",
            "save it in Word as .docx without a password",
        )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise TemplateError(path, "is not a Word document (.docx)", f"save the {kind} as .docx in Word")
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        entries = package.infolist()
        names = {entry.filename for entry in entries}
        if DOCUMENT_PART not in names:
            raise TemplateError(path, "is not a Word document (.docx): it has no word/document.xml")
        folded = {entry.filename.casefold() for entry in entries}
        if len(folded) < len(entries):  # Word and LibreOffice might read another of the two than we do
            raise TemplateError(
                path, "is damaged: it holds two parts of the same name", "save it again in Word"
            )
        unpacked = sum(entry.file_size for entry in entries)
        if len(entries) > MAX_TEMPLATE_ENTRIES or unpacked > MAX_TEMPLATE_BYTES:
            raise TemplateError(
                path,
                f"would unpack to {unpacked // 1_000_000} MB in {len(entries)} parts;"
                f" a {kind} needs far less",
                "use a plain Word document",
            )
        refuse_outside_references(path, package)
    return data


def _styles(path: Path, data: bytes) -> StyleMap:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        if STYLES_PART not in package.namelist():
            return StyleMap({})
        try:
            names = package.namelist()
            numbering = package.read(NUMBERING_PART) if NUMBERING_PART in names else None
            theme = package.read(THEME_PART) if THEME_PART in names else None
            return StyleMap.parse(package.read(STYLES_PART), numbering, theme)
        except (etree.LxmlError, zipfile.BadZipFile, ValueError) as exc:
            raise TemplateError(path, f"its styles cannot be read: {exc}", "save it again in Word") from exc


def refuse_outside_references(
    template: Path, package: zipfile.ZipFile, parts: dict[str, bytes] | None = None
) -> None:
    """A template must not make a document load anything from outside it."""
    try:
        found = outside_references(package, parts)
    except DamagedPackage as error:
        raise TemplateError(template, f"is damaged: {error}", "save it again in Word as .docx") from None
    if found:
        listed = "; ".join(str(reference) for reference in found[:3])
        more = f" and {len(found) - 3} more" if len(found) > 3 else ""
        raise TemplateError(
            template,
            f"links to content outside the document, which is not allowed: {listed}{more}",
            "embed pictures instead of linking them, and remove linked files, objects and INCLUDE fields",
        )


def init_template(
    folder: str | Path, variant: str | None = None, *, reference: bool = False, force: bool = False
) -> Path:
    """Write a file to customise in Word into ``folder``; return its path.

    A copy of the default template of ``variant`` (the full concept's by
    default), or – with ``reference`` – a reference document: no tags, every
    style the documents use shown on a sample paragraph, so that a designer
    restyles in Word's style dialog and nothing else, and every variant takes
    the design (``--reference-doc``). ``UsageError`` for an unknown variant,
    or a variant with ``reference`` (one reference document serves them all).
    """
    from .write import write_atomic

    if reference and variant is not None:
        raise UsageError(
            "a reference document serves every variant: write it without a variant, or copy a"
            " variant's template without --reference"
        )
    chosen = known_variant(variant or DEFAULT_VARIANT).name
    name = REFERENCE_COPY_NAME if reference else TEMPLATE_COPY_NAME.format(variant=chosen)
    target = Path(folder) / name
    if target.exists() and not force:
        raise OutputError(f"{target}: already exists (use --force to overwrite it)")
    data = reference_document() if reference else _made_for(default_template(chosen).read_bytes(), chosen)
    return write_atomic(target, data)


def _made_for(template: bytes, variant: str) -> bytes:
    """A copy of a default template that records the variant it is for, so that using it for another
    is noticed (``template_for``).
    """
    document = Document(io.BytesIO(template))
    package = document.part.package
    relationship = next(
        (r for r in package.rels.values() if r.reltype == RT.CUSTOM_PROPERTIES and not r.is_external), None
    )
    record = {PROPERTY_MADE_FOR: variant}
    if relationship is not None:
        relationship.target_part._blob = custom_properties(relationship.target_part.blob, record)
    else:
        part = Part(
            PackURI("/" + CUSTOM_PROPERTIES_PART),
            CT.OFC_CUSTOM_PROPERTIES,
            custom_properties(None, record),
            package,
        )
        package.relate_to(part, RT.CUSTOM_PROPERTIES)
    buffer = io.BytesIO()
    document.save(buffer)
    return normalize_zip(buffer.getvalue())


def reference_document() -> bytes:
    """A reference document made from the default template: its styles, page and footer, sample text."""
    from .samples import sample_reference

    return sample_reference(default_template().read_bytes())
