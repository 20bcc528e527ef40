"""What the pages of a PDF paint, read from their content streams: every painting operator with the
marked content it is in (tagged, artifact or neither), the fonts and codes text is shown with."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pikepdf

MAX_FORM_DEPTH = 12  # forms drawn inside forms; real documents use two or three


TEXT_OPERATORS = frozenset(["Tj", "TJ", "'", '"'])


PATH_OPERATORS = frozenset(["S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh"])


# The operators a scan looks at: the others (positions, colours, most of a page) are not handed to
# Python at all. "BI ID EI" keeps inline images.
SCANNED = " ".join(
    sorted(TEXT_OPERATORS | PATH_OPERATORS | {"BMC", "BDC", "EMC", "Do", "Tf", "q", "Q", "BI", "ID", "EI"})
)


Content = tuple[int, int]  # (page number, marked-content id)


def is_integer(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)  # pikepdf gives PDF integers as int


@dataclass
class ShownFont:
    """A font the pages show text in, and the character codes they show."""

    font: pikepdf.Dictionary
    page: int  # the first page showing text in it
    codes: set[int] = field(default_factory=set)
    width: int = field(init=False)  # bytes per character code: 2 in a composite (Type0) font

    def __post_init__(self) -> None:
        self.width = 2 if self.font.get("/Subtype") == pikepdf.Name.Type0 else 1


@dataclass
class Painting:
    """What the pages paint, read from their content streams (and the forms they draw)."""

    painted: dict[Content, set[str]] = field(default_factory=dict)  # per marked-content sequence
    untagged: dict[int, set[str]] = field(default_factory=dict)  # per page, outside tags and artifacts
    misnested: dict[int, set[str]] = field(default_factory=dict)  # per page: tags inside artifacts …
    fonts: dict[Any, ShownFont] = field(default_factory=dict)  # by font object
    languages: set[str] = field(default_factory=set)  # /Lang of marked content
    forms: dict[Any, tuple[int, bool]] = field(default_factory=dict)  # form → times drawn, holds MCIDs
    references: set[int] = field(default_factory=set)  # pages drawing content of another file


ARTIFACT_IN_TAGGED = "an artifact inside tagged content"


TAGGED_IN_ARTIFACT = "tagged content inside an artifact"


@dataclass
class ContentScan:
    """Follows a page's marked content: what each tagged sequence paints, and what is painted outside."""

    page: int
    painting: Painting
    font: ShownFont | None = None
    saved_fonts: list[ShownFont | None] = field(default_factory=list)
    tagged: int = 0  # marked-content sequences with an id met so far

    def scan(self, stream: pikepdf.Object, resources: Any, marks: list[int | str], depth: int) -> None:
        selected: dict[tuple[type, str], ShownFont | None] = {}  # the fonts of ``resources`` by name
        for instruction in pikepdf.parse_content_stream(stream, SCANNED):
            operands, name = instruction.operands, str(instruction.operator)
            if name in ("BMC", "BDC"):
                mark = self.mark(list(operands), resources)
                self.nest(mark, marks)
                marks.append(mark)
            elif name == "EMC":
                if marks:
                    marks.pop()
            elif name in TEXT_OPERATORS:
                self.paint("text", marks)
                self.show(list(operands))
            elif name in PATH_OPERATORS:
                self.paint("path", marks)
            elif name == "INLINE IMAGE":
                self.paint("image", marks)
            elif name == "Do":
                self.draw(operands[0], resources, marks, depth)
            elif name == "Tf" and operands:
                key = (type(operands[0]), str(operands[0]))  # a page selects its few fonts again and again
                if key not in selected:
                    self.select(operands[0], resources)
                    selected[key] = self.font
                self.font = selected[key]
            elif name == "q":
                self.saved_fonts.append(self.font)
            elif name == "Q" and self.saved_fonts:
                self.font = self.saved_fonts.pop()

    def mark(self, operands: Sequence[Any], resources: Any) -> int | str:
        """The marked-content id of a BDC, else its tag: content is tagged by an id, or an /Artifact."""
        properties = operands[1] if len(operands) > 1 else None
        if isinstance(properties, pikepdf.Name) and isinstance(resources, pikepdf.Dictionary):
            named = resources.get("/Properties")  # properties given by name, as a resource
            properties = named.get(properties) if isinstance(named, pikepdf.Dictionary) else None
        if isinstance(properties, pikepdf.Dictionary):
            language = properties.get("/Lang")
            if isinstance(language, pikepdf.String):
                self.painting.languages.add(str(language))
            if is_integer(properties.get("/MCID")):
                self.tagged += 1
                return int(properties.MCID)
        return str(operands[0]) if operands else ""

    def nest(self, mark: int | str, marks: list[int | str]) -> None:
        """Artifacts and tagged content must not hold each other: a reader would lose or repeat text."""
        if mark == "/Artifact" and any(isinstance(outer, int) for outer in marks):
            self.painting.misnested.setdefault(self.page, set()).add(ARTIFACT_IN_TAGGED)
        elif isinstance(mark, int) and "/Artifact" in marks:
            self.painting.misnested.setdefault(self.page, set()).add(TAGGED_IN_ARTIFACT)

    def paint(self, kind: str, marks: list[int | str]) -> None:
        mcid = next((mark for mark in reversed(marks) if isinstance(mark, int)), None)
        if mcid is not None:
            self.painting.painted.setdefault((self.page, mcid), set()).add(kind)
        elif "/Artifact" not in marks:
            self.painting.untagged.setdefault(self.page, set()).add(kind)

    def select(self, name: Any, resources: Any) -> None:
        fonts = resources.get("/Font") if isinstance(resources, pikepdf.Dictionary) else None
        font = (
            fonts.get(name)
            if isinstance(fonts, pikepdf.Dictionary) and isinstance(name, pikepdf.Name)
            else None
        )
        if not isinstance(font, pikepdf.Dictionary):
            self.font = None
            return
        key = font.objgen if font.is_indirect else (self.page, str(name))
        self.font = self.painting.fonts.setdefault(key, ShownFont(font, self.page))

    def show(self, operands: Sequence[Any]) -> None:
        """Record the character codes of a text operator in its font."""
        if self.font is None or not operands:
            return
        shown = operands[-1]
        strings = list(shown) if isinstance(shown, pikepdf.Array) else [shown]
        width = self.font.width
        pieces = [bytes(string) for string in strings if isinstance(string, pikepdf.String)]
        if width == 1:
            self.font.codes.update(b"".join(pieces))  # a byte each: iterating bytes gives the codes
            return
        for data in pieces:  # each string on its own: a damaged one of odd length shifts no other
            self.font.codes.update(int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data) - 1, 2))

    def draw(self, name: Any, resources: Any, marks: list[int | str], depth: int) -> None:
        xobjects = resources.get("/XObject") if isinstance(resources, pikepdf.Dictionary) else None
        xobject = xobjects.get(name) if isinstance(xobjects, pikepdf.Dictionary) else None
        if not isinstance(xobject, pikepdf.Stream):
            return
        if xobject.get("/Subtype") == pikepdf.Name.Image:
            self.paint("image", marks)
        elif xobject.get("/Subtype") == pikepdf.Name.Form and depth < MAX_FORM_DEPTH:
            if "/Ref" in xobject:  # a reference XObject: a page of another file
                self.painting.references.add(self.page)
            self.saved_fonts.append(self.font)
            before = self.tagged
            self.scan(xobject, xobject.get("/Resources", resources), list(marks), depth + 1)
            self.font = self.saved_fonts.pop()
            key = xobject.objgen if xobject.is_indirect else id(xobject)
            drawn, tagged = self.painting.forms.get(key, (0, False))
            self.painting.forms[key] = (drawn + 1, tagged or self.tagged > before)
