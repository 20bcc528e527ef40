"""Pictures as readers meet them: their alternative text as Word (``descr``) and LibreOffice
(``title``) read it, decorative marks, and the short title a picture's name needs."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from lxml import etree

from .vocabulary import WP, W

VML = "{urn:schemas-microsoft-com:vml}"
WPS = "{http://schemas.microsoft.com/office/word/2010/wordprocessingShape}"
OFFICE = "{urn:schemas-microsoft-com:office:office}"
DECORATIVE = "{http://schemas.microsoft.com/office/drawing/2017/decorative}decorative"
_TRUE = ("1", "true", "on")


@dataclass(frozen=True)
class Picture:
    """A picture of a part and what readers learn of it.

    Word reads the alt text from ``descr``, LibreOffice (its checker, its HTML
    export, its PDF) from ``title``; Word marks a picture decorative in an
    extension (``adec:decorative val="1"``; ``val="0"`` says it is not).
    """

    element: etree._Element  # the w:drawing, or the VML picture's v:imagedata
    description: str
    title: str
    decorative: bool
    vml: bool  # a picture in Word's older format: one alt text, no title apart

    @property
    def text_box(self) -> bool:
        """Whether it is a text box: a drawing holding paragraphs, which a PDF tags as a figure."""
        return not self.vml and self.element.find(f".//{WPS}txbx") is not None

    @property
    def kind(self) -> str:
        """What a message calls it: “a text box”, “an image (VML picture)” or “an image”."""
        return "a text box" if self.text_box else "an image (VML picture)" if self.vml else "an image"

    @property
    def paragraph(self) -> Any:
        """The paragraph the picture stands in (the element itself outside any)."""
        return next(self.element.iterancestors(f"{W}p"), self.element)

    @property
    def unread(self) -> tuple[str, str]:
        """What readers miss of it and how to give it to them; ("", "") where nothing.

        A picture needs both: the description for Word, the screen readers
        reading with it and the tagged PDF, the title for LibreOffice's checker
        and HTML export.
        """
        if self.decorative or (self.description and self.title):
            return "", ""
        if not self.description and not self.title and self.text_box:
            # LibreOffice tags a text box as a Figure, which PDF/UA asks alt text of
            return (
                "no alternative text",
                "put its text into an ordinary paragraph; a PDF tags a text box as a figure, which needs"
                " alt text",
            )
        if not self.description and not self.title:
            return (
                "no alternative text",
                "describe the image in its alt text (Word: right-click › Alternativtext bearbeiten), or mark"
                " it as decorative",
            )
        if not self.title:
            return (
                "its alternative text only as a description, without a title: LibreOffice – its checker,"
                " its HTML export – reads the title and finds none",
                "give the image a short title as well (LibreOffice: Format › Name and Description;"
                " Word: Format Picture › Alt Text › Title)",
            )
        return (
            "its alternative text only as a title, without a description: Word, and screen readers"
            " reading with it, read the description and find none",
            "describe the image as well (Word: right-click › Alternativtext bearbeiten; LibreOffice:"
            " Format › Name and Description)",
        )


SHORT_TITLE = 60  # characters of a picture's title: a name, not a description


_CLAUSE_END = re.compile(r"(?<=[.:;!?])\s|,\s|\s[–—-]\s")


def short_title(alt: str, limit: int = SHORT_TITLE) -> str:
    """A picture's name from its alt text: all of it when short, else its first clause or words.

    LibreOffice reads a picture's title as its alt text (its HTML export and
    checker) and puts it before the description in a PDF: the title must say
    what the picture is, not only that it is a logo.
    """
    text = " ".join(alt.split())
    if len(text) <= limit:
        return text
    clause = _CLAUSE_END.split(text, maxsplit=1)[0].rstrip(".:;,")
    if len(clause) <= limit:
        return clause
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(".:;,") + "…"


def pictures(root: etree._Element) -> Iterator[Picture]:
    """Every picture below ``root``: DrawingML drawings, then VML pictures (also OLE objects' previews)."""
    for drawing in root.iter(f"{W}drawing"):
        properties = drawing.find(f".//{WP}docPr")
        if properties is None:
            yield Picture(drawing, "", "", False, False)
            continue
        decorative = any(flag.get("val", "") in _TRUE for flag in properties.iter(DECORATIVE))
        description = (properties.get("descr") or "").strip()
        yield Picture(drawing, description, (properties.get("title") or "").strip(), decorative, False)
    for image in root.iter(f"{VML}imagedata"):
        shape = image.getparent()
        alternative = (shape.get("alt") if shape is not None else None) or image.get(f"{OFFICE}title") or ""
        yield Picture(image, alternative.strip(), alternative.strip(), False, True)


def title_repeats(title: str, description: str) -> bool:
    """Whether a picture's description begins with its title – all of it, or the short form ending
    in "…" that ``short_title`` makes: LibreOffice writes "title - description" into a PDF, which
    would say the name twice."""
    name = " ".join(title.split()).removesuffix("…").strip()
    return bool(name) and " ".join(description.split()).startswith(name)


# An alt text that is an image's file name or path, as some programs fill it in ("logo.png",
# "C:\\Users\\…\\Wappen.jpg"): it says nothing of the image
_FILE_NAME = re.compile(
    r"(?:[A-Za-z]:)?(?:[^/\\\n]*[/\\])*[^/\\\n]+\.(?:png|jpe?g|gif|bmp|tiff?|svg|webp|emf|wmf|heic)",
    re.IGNORECASE,
)


def is_file_name(alt: str) -> bool:
    return _FILE_NAME.fullmatch(alt.strip()) is not None
