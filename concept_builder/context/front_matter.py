"""The front and back of a document: the cover's and the imprint's data, the logos, the foreword and
the note on illustrative content – each a plain mapping or an opaque image for the template.
"""

from __future__ import annotations

from functools import cache
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from markupsafe import Markup
from pydantic import BaseModel

from ..errors import ConceptBuilderError
from ..model import Concept
from ..sandbox import Opaque
from ..schema import unwrap
from ..sources import assembled, joined
from ..word import short_title
from ..wording import Wording
from .fragments import Fragments

if TYPE_CHECKING:
    from ..drawing import Png


class Image(Opaque):
    """An image to embed: its bytes, a file name and alt text; the render stage makes it a Word drawing.

    ``width_cm`` fixes the width (charts); otherwise the image is logo-sized.
    A template can place it but not look into it.
    """

    __slots__ = ("alt", "data", "name", "title", "width_cm")

    def __init__(self, alt: str, data: Png, name: str, title: str, width_cm: float | None = None) -> None:
        self.alt = alt  # what the image shows, for screen readers (Word reads it)
        self.title = title  # a short name (LibreOffice reads it, and puts it before the alt text)
        self.data = data
        self.name = name
        self.width_cm = width_cm


def _any_illustrative(item: Any) -> bool:
    """Whether ``item`` or anything inside it carries ``illustrative: true``."""
    if isinstance(item, BaseModel):
        if getattr(item, "illustrative", False):
            return True
        return any(_any_illustrative(getattr(item, name)) for name in _nested_fields(type(item)))
    if isinstance(item, list):
        return any(_any_illustrative(entry) for entry in item)
    return False


@cache
def _nested_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields of ``model`` that can hold further models (text and numbers need no look)."""
    return tuple(
        name
        for name, info in model.model_fields.items()
        if any(isinstance(a, type) and issubclass(a, BaseModel) for a in unwrap(info.annotation))
    )


class FrontMatter:
    """Makes the mappings of the cover, the imprint and the foreword of one document."""

    def __init__(self, concept: Concept, fragments: Fragments, wording: Wording) -> None:
        self.concept = concept
        self.fragments = fragments
        self.wording = wording

    def meta(self) -> dict[str, Any]:
        meta = self.concept.meta
        wording = self.wording
        partners = [assembled(p.name, " (", p.role, ")") if p.role else p.name for p in meta.partners]
        authors = [wording.person(a) for a in meta.authors]
        adopted = wording["adopted"] if meta.status == "beschlossen" else wording["adoption_planned"]
        version_line = [
            assembled(f"{wording['version']} ", meta.version),
            assembled(f"{wording['replaces']} ", meta.replaces) if meta.replaces else "",
        ]
        # one date for one event: an adopted concept names its adoption, a draft its status and date
        if meta.adoption is None:
            version_line += [wording.value(meta.status), wording.date(meta.date)]
        elif meta.date != meta.adoption.date:
            version_line.append(assembled(f"{wording['stand']}: ", wording.date(meta.date)))
        return {
            "title": meta.title,
            "subtitle": meta.subtitle or "",
            "district": meta.district,
            "issuer": meta.issuer,
            "authors": authors,
            "authors_text": joined("; ", authors),
            "consultancy": meta.consultancy.name if meta.consultancy else "",
            "consultancy_role": (meta.consultancy.role or "") if meta.consultancy else "",
            "partners": partners,
            "partners_text": joined("; ", partners),
            "programme": meta.programme or "",
            "version": meta.version,
            "status": wording.value(meta.status),
            "date": wording.date(meta.date),
            "adoption": (
                assembled(f"{adopted}: ", meta.adoption.body, ", ", wording.date(meta.adoption.date))
                if meta.adoption
                else ""
            ),
            "author_entries": [
                {"text": text, "illustrative": a.illustrative}
                for text, a in zip(authors, meta.authors, strict=True)
            ],
            "partner_entries": [
                {"text": text, "illustrative": p.illustrative}
                for text, p in zip(partners, meta.partners, strict=True)
            ],
            "consultancy_illustrative": bool(meta.consultancy and meta.consultancy.illustrative),
            "contact_illustrative": bool(meta.contact and meta.contact.illustrative),
            "illustrative": meta.illustrative,
            "contact": self.contact_lines(),
            "note": self.fragments.blocks(meta.note, "small"),
            "replaces": meta.replaces or "",
            "version_line": joined(" · ", (part for part in version_line if part)),
        }

    def contact_lines(self) -> list[Markup]:
        """The contact as runs, a line each; the e-mail address and the web address as links."""
        contact = self.concept.meta.contact
        if contact is None:
            return []
        parts = (contact.organisation, contact.department, contact.person, contact.address, contact.phone)
        lines = [self.fragments.runs(part) for part in parts if part]
        if contact.email:
            lines.append(self.fragments.external(f"mailto:{contact.email}", contact.email))
        if contact.url:
            web = contact.url.startswith(("https://", "http://"))
            lines.append(self.fragments.external(contact.url) if web else self.fragments.runs(contact.url))
        return lines

    def logos(self) -> list[Image]:
        images = []
        for logo in self.concept.meta.logos:
            data = self.concept.image(logo.file)
            if data is None:
                raise ConceptBuilderError(
                    f"logo {logo.file!r}: the image was not loaded (load the concept with load_concept)"
                )
            images.append(Image(logo.alt, data, PurePath(logo.file).name, short_title(logo.alt)))
        return images

    def foreword(self) -> dict[str, Any] | None:
        foreword = self.concept.foreword
        if foreword is None:
            return None
        signatures = [
            {
                "name": author.name,
                "role": joined(", ", (p for p in (author.role, author.organisation) if p)),
                "illustrative": author.illustrative,
            }
            for author in foreword.author
        ]
        return {
            "text": self.fragments.blocks(foreword.text),
            "illustrative": foreword.illustrative,
            "signatures": signatures,
            "name": signatures[0]["name"],  # the first signatory, for templates that show one
            "role": signatures[0]["role"],
        }

    def has_illustrative(self) -> bool:
        """Whether anything in the concept is marked as illustrative (Beispielinhalt)."""
        return _any_illustrative(self.concept)
