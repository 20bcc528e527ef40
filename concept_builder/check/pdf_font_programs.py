"""The font programs behind a PDF's fonts, read with fontTools – which glyphs they have, under which
codes and names, and how wide – and the parts of a font dictionary that say how to find them."""

from __future__ import annotations

import functools
import io
import re
from typing import Any

import pikepdf

SYMBOLIC = 4


WIDTH_TOLERANCE = 1  # in thousandths of the text size, as PDF/A allows


def descendant_font(font: pikepdf.Dictionary) -> pikepdf.Dictionary | None:
    descendants = font.get("/DescendantFonts")
    if isinstance(descendants, pikepdf.Array) and len(descendants):
        first = descendants[0]
        return first if isinstance(first, pikepdf.Dictionary) else None
    return None


def font_descriptor(font: pikepdf.Dictionary) -> pikepdf.Dictionary | None:
    if font.get("/Subtype") == pikepdf.Name.Type0:
        descendant = descendant_font(font)
        font = descendant if descendant is not None else font
    descriptor = font.get("/FontDescriptor")
    return descriptor if isinstance(descriptor, pikepdf.Dictionary) else None


def font_flags(font: pikepdf.Dictionary) -> int:
    descriptor = font_descriptor(font)
    flags = descriptor.get("/Flags", 0) if descriptor is not None else 0
    return flags if isinstance(flags, int) else 0


def encoding_differences(encoding: Any) -> dict[int, str]:
    """The glyph names an encoding dictionary's /Differences give, by code."""
    names: dict[int, str] = {}
    differences = encoding.get("/Differences") if isinstance(encoding, pikepdf.Dictionary) else None
    code = 0
    for item in differences if isinstance(differences, pikepdf.Array) else []:
        if isinstance(item, int):
            code = item
        elif isinstance(item, pikepdf.Name):
            names[code] = str(item)[1:]
            code += 1
    return names


_TYPE1_GLYPH = re.compile(rb"/([^\s/\[\]{}()<>]+)\s+\d+\s+(?:RD|-\|)\s")


class Glyphs:
    """Which glyph of the font program each code shows, and with which width."""

    def __init__(self, font: pikepdf.Dictionary, programs: Programs) -> None:
        self.font = font
        self.program = programs.of(font)
        self.subtype = font.get("/Subtype")

    def problems(self, codes: set[int]) -> list[str]:
        if self.subtype == pikepdf.Name.Type3:
            return self._type3(codes)
        if self.program is None:
            return []
        missing, empty, widths = [], [], []
        for code in sorted(codes):
            glyph = self._glyph(code)
            if glyph is None:
                continue  # a kind of font or CMap this check does not follow
            if glyph == "":
                missing.append(code)
            elif glyph == ".notdef":
                empty.append(code)
            else:
                declared, actual = self._width(code), self.program.width(glyph)
                if declared is not None and actual is not None and abs(declared - actual) > WIDTH_TOLERANCE:
                    widths.append((code, declared, actual))
        found = []
        if missing:
            found.append(
                f"shows {len(missing)} characters its font program has no glyph for (code {missing[0]})"
            )
        if empty:
            found.append(f"shows {len(empty)} characters as the empty glyph .notdef (code {empty[0]})")
        if widths:
            code, declared, actual = widths[0]
            found.append(
                f"gives {len(widths)} glyphs other widths than its font program"
                f" (code {code}: {declared:g} instead of {actual:g})"
            )
        return found

    def _type3(self, codes: set[int]) -> list[str]:
        names = encoding_differences(self.font.get("/Encoding"))
        procedures = self.font.get("/CharProcs")
        if not isinstance(procedures, pikepdf.Dictionary):
            return []
        missing = [code for code in sorted(codes) if f"/{names.get(code, '.notdef')}" not in procedures]
        return (
            [f"shows {len(missing)} characters it draws no glyph for (code {missing[0]})"] if missing else []
        )

    def _glyph(self, code: int) -> str | None:
        """The glyph's name; "" where the program has none, None where the check cannot tell."""
        assert self.program is not None
        if self.subtype == pikepdf.Name.Type0:
            encoding = self.font.get("/Encoding")
            descendant = descendant_font(self.font)
            if descendant is None or encoding not in (
                pikepdf.Name("/Identity-H"),
                pikepdf.Name("/Identity-V"),
            ):
                return None
            return self.program.cid_glyph(code, descendant.get("/CIDToGIDMap"))
        if self.subtype == pikepdf.Name.TrueType:
            return self.program.truetype_glyph(code, font_flags(self.font), self._encoded(code))
        name = self._encoded(code)
        if name is None:
            return self.program.builtin_glyph(code)
        return name if name in self.program.glyph_names() else ""

    def _encoded(self, code: int) -> str | None:
        """The glyph name the font's /Encoding gives ``code``, if it gives one."""
        encoding = self.font.get("/Encoding")
        differences = encoding_differences(encoding)
        if code in differences:
            return differences[code]
        base = encoding.get("/BaseEncoding") if isinstance(encoding, pikepdf.Dictionary) else encoding
        return _standard_encodings().get(str(base), {}).get(code) if base is not None else None

    def _width(self, code: int) -> float | None:
        if self.subtype == pikepdf.Name.Type0:
            descendant = descendant_font(self.font)
            return _cid_width(descendant, code) if descendant is not None else None
        widths, first = self.font.get("/Widths"), self.font.get("/FirstChar", 0)
        if not isinstance(widths, pikepdf.Array) or not isinstance(first, int):
            return None
        index = code - first
        return float(widths[index]) if 0 <= index < len(widths) else None


@functools.cache
def _standard_encodings() -> dict[str, dict[int, str]]:
    """The glyph name of each code in the standard encodings (ISO 32000-1, annex D), as pdfminer has them."""
    from pdfminer.latin_enc import ENCODING

    encodings: dict[str, dict[int, str]] = {}
    for column, name in enumerate(("/StandardEncoding", "/MacRomanEncoding", "/WinAnsiEncoding"), 1):
        encodings[name] = {code: str(row[0]) for row in ENCODING if isinstance(code := row[column], int)}
    return encodings


def _cid_width(descendant: pikepdf.Dictionary, cid: int) -> float:
    widths = descendant.get("/W")
    default = float(descendant.get("/DW", 1000))
    items = list(widths) if isinstance(widths, pikepdf.Array) else []
    index = 0
    while index + 1 < len(items):
        first, following = int(items[index]), items[index + 1]
        if isinstance(following, pikepdf.Array):
            if first <= cid < first + len(following):
                return float(following[cid - first])
            index += 2
        elif index + 2 < len(items):
            if first <= cid <= following:
                return float(items[index + 2])
            index += 3
        else:
            break
    return default


class Programs:
    """Each embedded font program, read once; those that cannot be read are noted as damaged."""

    def __init__(self) -> None:
        self.read: dict[Any, _Program | None] = {}
        self.unreadable: set[Any] = set()

    def of(self, font: pikepdf.Dictionary) -> _Program | None:
        found = self._stream(font)
        if found is None:
            return None
        stream, kind = found
        identity = _identity(stream)
        if identity not in self.read:
            try:
                self.read[identity] = _Program.load(stream, kind)
            except Exception:  # fontTools raises many types for a damaged program
                self.read[identity] = None
                self.unreadable.add(identity)
        return self.read[identity]

    def damaged(self, font: pikepdf.Dictionary) -> bool:
        """Whether the font's embedded program cannot be read."""
        self.of(font)
        found = self._stream(font)
        return found is not None and _identity(found[0]) in self.unreadable

    def _stream(self, font: pikepdf.Dictionary) -> tuple[pikepdf.Stream, str] | None:
        descriptor = font_descriptor(font)
        if descriptor is None:
            return None
        for key, kind in (("/FontFile2", "truetype"), ("/FontFile3", "compact"), ("/FontFile", "type1")):
            stream = descriptor.get(key)
            if isinstance(stream, pikepdf.Stream):
                return stream, kind
        return None


def _identity(stream: pikepdf.Stream) -> Any:
    return stream.objgen if stream.is_indirect else id(stream)


class _Program:
    """A font program as fontTools reads it: TrueType, CFF (compact) or Type 1."""

    def __init__(self, kind: str, font: Any) -> None:
        self.kind = kind
        self.font = font
        self._names: set[str] | None = None

    @classmethod
    def load(cls, stream: pikepdf.Stream, kind: str) -> _Program | None:
        """The program in ``stream``; None for a kind this check does not read (OpenType)."""
        data = stream.read_bytes()
        if kind == "truetype":
            from fontTools.ttLib import TTFont

            font = TTFont(io.BytesIO(data), lazy=True)
            font.getGlyphOrder()
            return cls(kind, font)
        if kind == "compact" and stream.get("/Subtype") in (pikepdf.Name.Type1C, pikepdf.Name.CIDFontType0C):
            from fontTools.cffLib import CFFFontSet

            fonts = CFFFontSet()
            fonts.decompile(io.BytesIO(data), None)
            return cls(kind, fonts[fonts.fontNames[0]])
        if kind == "type1":
            return cls(kind, _type1_glyph_names(data, stream.get("/Length1")))
        return None

    def glyph_names(self) -> set[str]:
        if self._names is None:
            if self.kind == "type1":
                self._names = set(self.font)
            elif self.kind == "compact":
                self._names = set(self.font.charset)
            else:
                self._names = set(self.font.getGlyphOrder())
        return self._names

    def cmap_tables(self) -> set[tuple[int, int]] | None:
        if self.kind != "truetype" or "cmap" not in self.font:
            return set() if self.kind == "truetype" else None
        return {(table.platformID, table.platEncID) for table in self.font["cmap"].tables}

    def cids(self, descendant: pikepdf.Dictionary) -> list[int]:
        """The CIDs the program has glyphs for."""
        if self.kind == "compact":
            return sorted(int(name[3:]) for name in self.font.charset if name.startswith("cid"))
        if self.kind != "truetype":
            return []
        count = len(self.font.getGlyphOrder())
        mapping = descendant.get("/CIDToGIDMap")
        if not isinstance(mapping, pikepdf.Stream):
            return list(range(count))
        data = mapping.read_bytes()
        return [
            i // 2 for i in range(0, len(data) - 1, 2) if 0 < int.from_bytes(data[i : i + 2], "big") < count
        ]

    def cid_glyph(self, cid: int, mapping: Any) -> str:
        if self.kind == "compact":
            name = f"cid{cid:05d}" if cid else ".notdef"
            return name if name in self.glyph_names() else ""
        order = self.font.getGlyphOrder() if self.kind == "truetype" else []
        gid = cid
        if isinstance(mapping, pikepdf.Stream):
            data = mapping.read_bytes()
            gid = int.from_bytes(data[2 * cid : 2 * cid + 2], "big") if 2 * cid + 1 < len(data) else 0
        if gid == 0:
            return ".notdef"
        return order[gid] if gid < len(order) else ""

    def truetype_glyph(self, code: int, flags: int, name: str | None) -> str | None:
        """The glyph a simple TrueType font shows for ``code`` (PDF 1.7, 9.6.6.4)."""
        if self.kind != "truetype" or "cmap" not in self.font:
            return None
        from fontTools import agl

        tables = {(table.platformID, table.platEncID): table.cmap for table in self.font["cmap"].tables}
        if flags & SYMBOLIC or name is None:
            for key, shifted in (((3, 0), 0xF000 + code), ((3, 0), code), ((1, 0), code)):
                if key in tables and shifted in tables[key]:
                    return str(tables[key][shifted])
            return ".notdef"
        character = agl.toUnicode(name)
        if (3, 1) in tables and len(character) == 1 and ord(character) in tables[(3, 1)]:
            return str(tables[(3, 1)][ord(character)])
        if name in self.glyph_names():
            return name
        return ".notdef"

    def builtin_glyph(self, code: int) -> str | None:
        """The glyph the program's own encoding gives ``code`` (a Type 1 or CFF font without /Encoding)."""
        if self.kind == "compact":
            encoding = getattr(self.font, "Encoding", None)
            if isinstance(encoding, list) and code < len(encoding):
                return str(encoding[code]) if encoding[code] != ".notdef" else ".notdef"
        return None

    def width(self, glyph: str) -> float | None:
        """The advance width of ``glyph`` in thousandths of the text size (TrueType only)."""
        if self.kind != "truetype" or "hmtx" not in self.font or "head" not in self.font:
            return None
        metrics = self.font["hmtx"].metrics.get(glyph)
        units = self.font["head"].unitsPerEm or 1000
        return round(metrics[0] * 1000 / units, 1) if metrics else None


def _type1_glyph_names(data: bytes, cleartext: Any) -> set[str]:
    """The glyph names of a Type 1 program: its charstrings, in the encrypted part."""
    from fontTools.misc.eexec import decrypt

    start = cleartext if isinstance(cleartext, int) and 0 < cleartext < len(data) else data.find(b"eexec") + 6
    private, _ = decrypt(data[start:], 55665)
    charstrings = private.find(b"/CharStrings")
    return {name.decode("latin-1") for name in _TYPE1_GLYPH.findall(private[charstrings:])}
