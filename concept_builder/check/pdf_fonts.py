"""The fonts of a PDF, as PDF/UA-1 asks for them (7.21): embedded, mapped to Unicode, whole.

A screen reader reads a PDF's text through its fonts: each character code a
page shows goes to a glyph of the embedded font program and to a Unicode
character. The rules here read the font dictionaries, their Unicode maps
(``/ToUnicode``) and – with fontTools – the font programs themselves, and
check the codes the pages actually show (``Painting.fonts``): each has a
glyph in the program, none is the empty glyph .notdef, and the widths the
PDF gives are the program's.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from typing import Any

import pikepdf

from ..errors import counted
from .findings import Finding
from .pdf_file import PdfFile
from .pdf_font_programs import (
    SYMBOLIC,
    Glyphs,
    Programs,
    descendant_font,
    encoding_differences,
    font_descriptor,
    font_flags,
)
from .pdf_painting import ShownFont

NON_SYMBOLIC = 32
UNICODE_ENCODINGS = {"/WinAnsiEncoding", "/MacRomanEncoding", "/MacExpertEncoding", "/StandardEncoding"}
NON_SYMBOLIC_TRUETYPE_ENCODINGS = {"/WinAnsiEncoding", "/MacRomanEncoding"}
# The code points a Unicode map must not give: no character, and the byte-order marks
NO_CHARACTER = {"\x00", "\ufeff", "\ufffe"}
# Characters a font maps to the Private Use Areas: Symbol-font bullets come out as U+F0B7
PRIVATE_USE = re.compile("[\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd]")
ADOBE_ORDERINGS = {"GB1", "CNS1", "Japan1", "Korea1"}  # CID collections Unicode is known for
# The CMaps every PDF reader has (ISO 32000-1, table 118); any other must be embedded
PREDEFINED_CMAPS = frozenset({
    "GB-EUC-H", "GB-EUC-V", "GBpc-EUC-H", "GBpc-EUC-V", "GBK-EUC-H", "GBK-EUC-V", "GBKp-EUC-H", "GBKp-EUC-V",
    "GBK2K-H", "GBK2K-V", "UniGB-UCS2-H", "UniGB-UCS2-V", "UniGB-UTF16-H", "UniGB-UTF16-V", "B5pc-H",
    "B5pc-V", "HKscs-B5-H", "HKscs-B5-V", "ETen-B5-H", "ETen-B5-V", "ETenms-B5-H", "ETenms-B5-V",
    "CNS-EUC-H", "CNS-EUC-V", "UniCNS-UCS2-H", "UniCNS-UCS2-V", "UniCNS-UTF16-H", "UniCNS-UTF16-V",
    "83pv-RKSJ-H", "90ms-RKSJ-H", "90ms-RKSJ-V", "90msp-RKSJ-H", "90msp-RKSJ-V", "90pv-RKSJ-H", "Add-RKSJ-H",
    "Add-RKSJ-V", "EUC-H", "EUC-V", "Ext-RKSJ-H", "Ext-RKSJ-V", "H", "V", "UniJIS-UCS2-H", "UniJIS-UCS2-V",
    "UniJIS-UCS2-HW-H", "UniJIS-UCS2-HW-V", "UniJIS-UTF16-H", "UniJIS-UTF16-V", "KSC-EUC-H", "KSC-EUC-V",
    "KSCms-UHC-H", "KSCms-UHC-V", "KSCms-UHC-HW-H", "KSCms-UHC-HW-V", "KSCpc-EUC-H", "UniKS-UCS2-H",
    "UniKS-UCS2-V", "UniKS-UTF16-H", "UniKS-UTF16-V", "Identity-H", "Identity-V",
})  # fmt: skip
MAX_MAPPED = 65_536  # codes a Unicode map may give; a range beyond that is damaged
MAX_FORM_DEPTH = 12
DAMAGED = "its font program cannot be read"
PROGRAM_FIX = "embed the font again: export the PDF anew, or print it to PDF with the font installed"

_HEX = re.compile(rb"<([0-9A-Fa-f\s]*)>")
_CODESPACE = re.compile(rb"begincodespacerange(.*?)endcodespacerange", re.DOTALL)
_PAIR = re.compile(rb"<([0-9A-Fa-f\s]+)>\s*<([0-9A-Fa-f\s]+)>")
_BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.DOTALL)
_BFRANGE = re.compile(rb"beginbfrange(.*?)endbfrange", re.DOTALL)
_RANGE = re.compile(rb"<([0-9A-Fa-f\s]+)>\s*<([0-9A-Fa-f\s]+)>\s*(<[0-9A-Fa-f\s]*>|\[[^\]]*\])")
_WMODE = re.compile(rb"/WMode\s+(\d+)\s+def")
_USECMAP = re.compile(rb"/([^\s/\[\]{}()<>]+)\s+usecmap")


def check_fonts(document: PdfFile, *, text: bool = True) -> list[Finding]:
    """Every font finding; ``text`` False judges private-use characters by the fonts' Unicode maps.

    fontTools logs what it finds odd in a font (an old time stamp in a subset
    LibreOffice wrote); the check says what matters itself, so that log is
    quiet while it reads.
    """
    programs = Programs()
    reported: set[Any] = set()
    findings: list[Finding] = []
    log = logging.getLogger("fontTools")
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        for number, page in enumerate(document.pdf.pages, 1):
            for font in _page_fonts(page.obj.get("/Resources")):
                key = font.objgen if font.is_indirect else str(font.get("/BaseFont", "?"))
                if key not in reported:
                    reported.add(key)
                    findings += _font(font, number, programs)
        for shown in document.painting.fonts.values():
            findings += _shown(shown, programs, private_use=not text)
    finally:
        log.setLevel(level)
    return findings


def font_name(font: pikepdf.Dictionary) -> str:
    """The font's name without the subset prefix: ``ABCDEF+LiberationSans`` → ``LiberationSans``."""
    return str(font.get("/BaseFont", "/a font"))[1:].split("+")[-1]


# --- the font dictionaries ---------------------------------------------------------------------------


def _page_fonts(resources: Any, depth: int = 0) -> Iterator[pikepdf.Dictionary]:
    """The fonts of a page, and of the forms it draws."""
    if not isinstance(resources, pikepdf.Dictionary) or depth > MAX_FORM_DEPTH:
        return
    fonts = resources.get("/Font")
    if isinstance(fonts, pikepdf.Dictionary):
        yield from (font for _, font in fonts.items() if isinstance(font, pikepdf.Dictionary))
    xobjects = resources.get("/XObject")
    if isinstance(xobjects, pikepdf.Dictionary):
        for _, xobject in xobjects.items():
            if isinstance(xobject, pikepdf.Stream) and xobject.get("/Subtype") == pikepdf.Name.Form:
                yield from _page_fonts(xobject.get("/Resources"), depth + 1)


def _font(font: pikepdf.Dictionary, page: int, programs: Programs) -> Iterator[Finding]:
    where, name = f"page {page}", font_name(font)
    if not _embedded(font):
        yield Finding(
            "pdf-font-embedded",
            where,
            f"the font {name} is not embedded",
            "embed all fonts when exporting; LibreOffice and Word embed them for PDF/UA",
        )
    if not _maps_to_unicode(font):
        yield Finding(
            "pdf-font-unicode",
            where,
            f"the text in {name} cannot be mapped to Unicode (no /ToUnicode map)",
            "use a font whose characters map to Unicode; symbol fonts and Type 3 fonts often do not",
        )
    try:
        problems = list(_dictionary_problems(font, programs))
    except Exception:  # fontTools reads a program lazily: a damaged table shows only when it is read
        problems = [DAMAGED]
    if programs.damaged(font) and DAMAGED not in problems:
        problems.append(DAMAGED)
    for problem in problems:
        yield Finding("pdf-font-program", where, f"the font {name}: {problem}", PROGRAM_FIX)


def _embedded(font: pikepdf.Dictionary) -> bool:
    if font.get("/Subtype") == pikepdf.Name.Type3:
        return True  # its glyphs are drawn by the PDF itself
    descriptor = font_descriptor(font)
    return descriptor is not None and any(
        key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
    )


def _maps_to_unicode(font: pikepdf.Dictionary) -> bool:
    """PDF/UA-1, 7.21.7: a Unicode map, or an encoding whose characters are known by their names."""
    from fontTools import agl

    if "/ToUnicode" in font:
        return True
    subtype = font.get("/Subtype")
    if subtype == pikepdf.Name.Type0:
        descendant = descendant_font(font)
        info = descendant.get("/CIDSystemInfo") if descendant is not None else None
        encoding = font.get("/Encoding")
        return (
            isinstance(info, pikepdf.Dictionary)
            and str(info.get("/Registry", "")) == "Adobe"
            and str(info.get("/Ordering", "")) in ADOBE_ORDERINGS
            and isinstance(encoding, pikepdf.Name)
            and not str(encoding).startswith("/Identity")
        )
    if subtype == pikepdf.Name.Type3 or font_flags(font) & SYMBOLIC:
        return False  # a Type 3 font's glyph names are its own, as checkers read them
    encoding = font.get("/Encoding")
    base = encoding.get("/BaseEncoding") if isinstance(encoding, pikepdf.Dictionary) else encoding
    if base is not None and str(base) not in UNICODE_ENCODINGS:
        return False
    return all(agl.toUnicode(name) for name in encoding_differences(encoding).values())


def _dictionary_problems(font: pikepdf.Dictionary, programs: Programs) -> Iterator[str]:
    """What the font dictionary and its program say against each other, without the shown text."""
    subtype = font.get("/Subtype")
    if subtype == pikepdf.Name.Type0:
        yield from _composite_problems(font, programs)
    elif subtype == pikepdf.Name.TrueType:
        yield from _truetype_problems(font, programs)
    elif subtype in (pikepdf.Name.Type1, pikepdf.Name.MMType1):
        yield from _type1_problems(font, programs)


def _composite_problems(font: pikepdf.Dictionary, programs: Programs) -> Iterator[str]:
    descendant = descendant_font(font)
    encoding = font.get("/Encoding")
    if isinstance(encoding, pikepdf.Name) and str(encoding)[1:] not in PREDEFINED_CMAPS:
        yield f"its CMap {encoding} is neither embedded nor one every reader has"
    if isinstance(encoding, pikepdf.Stream):
        data = encoding.read_bytes()
        declared = encoding.get("/WMode", 0)
        written = _WMODE.search(data)
        if written is not None and int(written.group(1)) != declared:
            yield f"its CMap says writing mode {int(written.group(1))}, its dictionary {declared}"
        used = encoding.get("/UseCMap")
        referenced = [str(used)[1:]] if isinstance(used, pikepdf.Name) else []
        referenced += [name.decode("latin-1") for name in _USECMAP.findall(data)]
        if isinstance(used, pikepdf.Stream) or any(name not in PREDEFINED_CMAPS for name in referenced):
            yield "its CMap uses another CMap that is not one every reader has"
        if descendant is not None and not _same_collection(encoding.get("/CIDSystemInfo"), descendant):
            yield "its CMap and its CIDFont name different character collections (/CIDSystemInfo)"
    if descendant is None:
        yield "it has no descendant CIDFont"
        return
    if descendant.get("/Subtype") == pikepdf.Name.CIDFontType2 and "/CIDToGIDMap" not in descendant:
        yield "its CIDFont has no /CIDToGIDMap"
    descriptor = font_descriptor(font)
    cid_set = descriptor.get("/CIDSet") if descriptor is not None else None
    program = programs.of(font)
    if isinstance(cid_set, pikepdf.Stream) and program is not None:
        flagged = cid_set.read_bytes()
        missing = [
            cid
            for cid in program.cids(descendant)
            if cid // 8 >= len(flagged) or not flagged[cid // 8] & (0x80 >> cid % 8)
        ]
        if missing:
            yield f"its /CIDSet leaves out {len(missing)} glyphs of the font program (CID {missing[0]})"


def _same_collection(info: Any, descendant: pikepdf.Dictionary) -> bool:
    own = descendant.get("/CIDSystemInfo")
    if not isinstance(info, pikepdf.Dictionary) or not isinstance(own, pikepdf.Dictionary):
        return True
    return all(str(info.get(key, "")) == str(own.get(key, "")) for key in ("/Registry", "/Ordering"))


def _truetype_problems(font: pikepdf.Dictionary, programs: Programs) -> Iterator[str]:
    flags = font_flags(font)
    encoding = font.get("/Encoding")
    program = programs.of(font)
    tables = program.cmap_tables() if program is not None else None
    if flags & SYMBOLIC:
        if encoding is not None:
            yield "it is marked symbolic and still has an /Encoding"
        if tables is not None and len(tables) != 1 and (3, 0) not in tables:
            yield "it is marked symbolic, and its program has no symbol cmap (3,0)"
    else:
        base = encoding.get("/BaseEncoding") if isinstance(encoding, pikepdf.Dictionary) else encoding
        if str(base) not in NON_SYMBOLIC_TRUETYPE_ENCODINGS:
            yield "it is not symbolic and its /Encoding is neither WinAnsiEncoding nor MacRomanEncoding"
        if tables is not None and (3, 1) not in tables and (1, 0) not in tables:
            yield "it is not symbolic and its program has no Unicode (3,1) or Mac Roman (1,0) cmap"


def _type1_problems(font: pikepdf.Dictionary, programs: Programs) -> Iterator[str]:
    descriptor = font_descriptor(font)
    charset = descriptor.get("/CharSet") if descriptor is not None else None
    program = programs.of(font)
    if not isinstance(charset, pikepdf.String) or program is None:
        return
    listed = {name.decode("latin-1") for name in re.findall(rb"/([^\s/]+)", bytes(charset))}
    missing = sorted(program.glyph_names() - listed - {".notdef"})
    if missing:
        yield f"its /CharSet leaves out glyphs of the font program ({', '.join(missing[:3])})"


# --- the text the pages show -------------------------------------------------------------------------


def _shown(shown: ShownFont, programs: Programs, *, private_use: bool) -> Iterator[Finding]:
    font, where, name = shown.font, f"page {shown.page}", font_name(shown.font)
    unicode = to_unicode(font)
    width = 2 if font.get("/Subtype") == pikepdf.Name.Type0 else 1
    if unicode is not None and _malformed(font, width):
        yield Finding(
            "pdf-font-unicode",
            where,
            f"the Unicode map of {name} is malformed: its codes are not as long as its code space says",
            "export the PDF again; the program that wrote it made a broken /ToUnicode map",
        )
    elif unicode is not None:
        unmapped = sorted(code for code in shown.codes if code not in unicode)
        if unmapped:
            yield Finding(
                "pdf-font-unicode",
                where,
                f"the Unicode map of {name} leaves out {counted(len(unmapped), 'character')} the pages show"
                f" (code {unmapped[0]})",
                "use a font whose characters map to Unicode",
            )
        values = [unicode[code] for code in sorted(shown.codes) if code in unicode]
        if any(value in NO_CHARACTER or not value for value in values):
            yield Finding(
                "pdf-font-unicode",
                where,
                f"the Unicode map of {name} gives some characters no character (U+0000, U+FEFF or U+FFFE)",
                "use a font whose characters map to Unicode",
            )
        found = sorted({character for value in values for character in PRIVATE_USE.findall(value)})
        if private_use and found:
            codes = ", ".join(f"U+{ord(character):04X}" for character in found)
            yield Finding(
                "pdf-private-use",
                where,
                f"the font {name} gives characters as private-use code points ({codes}),"
                " which screen readers cannot speak",
                "use a Unicode character in a font that maps it, e.g. the bullet • U+2022, not Symbol",
            )
    try:
        problems = Glyphs(font, programs).problems(shown.codes)
    except Exception:  # a damaged table of the program, found as it is read: _font says so
        problems = []
    for problem in problems:
        yield Finding("pdf-font-program", where, f"the text in {name} {problem}", PROGRAM_FIX)


def to_unicode(font: pikepdf.Dictionary) -> dict[int, str] | None:
    """The font's Unicode map (code → text), or None where it has none."""
    stream = font.get("/ToUnicode")
    if not isinstance(stream, pikepdf.Stream):
        return None
    try:
        data = stream.read_bytes()
    except pikepdf.PdfError:
        return None
    mapping: dict[int, str] = {}
    for block in _BFCHAR.finditer(data):
        items = _HEX.findall(block.group(1))
        for source, target in zip(items[::2], items[1::2], strict=False):
            mapping[_number(source)] = _text(target)
    for block in _BFRANGE.finditer(data):
        for low, high, target in _RANGE.findall(block.group(1)):
            first, last = _number(low), _number(high)
            if last < first or last - first > MAX_MAPPED:
                continue
            if target.startswith(b"["):
                for code, item in zip(range(first, last + 1), _HEX.findall(target), strict=False):
                    mapping[code] = _text(item)
            else:
                start = _text(target[1:-1])
                for offset in range(last - first + 1):
                    mapping[first + offset] = start[:-1] + chr(ord(start[-1]) + offset) if start else ""
    return mapping


def _malformed(font: pikepdf.Dictionary, width: int) -> bool:
    """Whether the Unicode map's codes are not of the lengths its code space (and the font) has."""
    stream = font.get("/ToUnicode")
    data = stream.read_bytes() if isinstance(stream, pikepdf.Stream) else b""
    spaces = {
        len(b"".join(low.split())) // 2
        for block in _CODESPACE.finditer(data)
        for low, _ in _PAIR.findall(block.group(1))
    }
    sources = {
        len(b"".join(item.split())) // 2
        for block in _BFCHAR.finditer(data)
        for item in _HEX.findall(block.group(1))[::2]
    }
    sources |= {
        len(b"".join(low.split())) // 2
        for block in _BFRANGE.finditer(data)
        for low, _, _ in _RANGE.findall(block.group(1))
    }
    return bool(spaces) and not (sources | {width}) <= spaces


def _number(hexadecimal: bytes) -> int:
    digits = b"".join(hexadecimal.split())
    return int(digits, 16) if digits else 0


def _text(hexadecimal: bytes) -> str:
    digits = b"".join(hexadecimal.split())
    if len(digits) % 4:
        digits = digits.rjust(len(digits) + 4 - len(digits) % 4, b"0")
    try:
        return bytes.fromhex(digits.decode("ascii")).decode("utf-16-be", "surrogatepass")
    except ValueError:
        return ""


# --- the font programs -------------------------------------------------------------------------------
