"""The domain model of an Integrations- und Teilhabekonzept.

These pydantic models describe what an input folder contains after its YAML
files have been read and merged. Field names are English; the document prints
German labels by default. Free-text fields marked *Markdown* accept a small
Markdown subset (paragraphs, bold, italic, lists, links).
"""

from __future__ import annotations

import datetime as dt
import re
import typing
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr, field_validator

_GERMAN_DATE = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$")
_TRUE_WORDS = {"ja", "wahr"}
_FALSE_WORDS = {"nein", "falsch"}


def _german_date(value: object) -> object:
    """Accept ``30.11.2018`` as well as ISO ``2018-11-30``."""
    if isinstance(value, str):
        match = _GERMAN_DATE.match(value)
        if match:
            day, month, year = (int(part) for part in match.groups())
            return f"{year:04d}-{month:02d}-{day:02d}"
    return value


def _german_bool(value: object) -> object:
    """Accept ``ja``/``nein`` besides ``true``/``false``."""
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE_WORDS:
            return True
        if word in _FALSE_WORDS:
            return False
    return value


_THOUSANDS_ONLY = re.compile(r"^\s*-?\d{1,3}(\.\d{3})+\s*$")


def _german_number(value: object) -> object:
    """Accept ``1.234,5`` and ``8,1``; refuse ``137.000``, which YAML would read as 137."""
    if isinstance(value, str):
        if "," in value:
            return value.replace(".", "").replace(",", ".")
        if _THOUSANDS_ONLY.match(value):
            raise ValueError(
                f"{value.strip()!r} is ambiguous: write {value.strip().replace('.', '')} for thousands"
                " or use a decimal comma"
            )
    return value


MAX_TEXT = (
    50_000  # characters in one value: a long chapter, still a paragraph Word and LibreOffice lay out fast
)
MAX_NUMBER = 1e15  # far beyond any figure of a county, and within what the document can print exactly

Date = Annotated[dt.date, BeforeValidator(_german_date)]
Number = Annotated[
    float, BeforeValidator(_german_number), Field(allow_inf_nan=False, ge=-MAX_NUMBER, le=MAX_NUMBER)
]
Flag = Annotated[bool, BeforeValidator(_german_bool)]
MARKDOWN = "markdown"
Markdown = Annotated[str, MARKDOWN, Field(json_schema_extra={"format": MARKDOWN})]
"""Free text in the Markdown subset; ``[[id]]`` refers to a theme, goal or measure."""
Id = Annotated[
    str,
    Field(
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$",
        max_length=64,
        description="Kennung, über die andere Einträge verweisen (Buchstaben, Ziffern, - _ .).",
    ),
]

ConceptStatus = Literal["Entwurf", "Beschlussvorlage", "beschlossen"]
MeasureStatus = Literal["bestehend", "geplant", "in Umsetzung", "umgesetzt", "zurückgestellt"]
Priority = Literal["Schwerpunkt", "Quick Win", "regulär"]
Term = Literal["kurzfristig", "mittelfristig", "langfristig", "fortlaufend"]
Language = Literal["de", "en"]

MEASURE_STATUSES: tuple[str, ...] = typing.get_args(MeasureStatus)
PRIORITIES: tuple[str, ...] = typing.get_args(Priority)


class Model(BaseModel):
    """Base of every input model: unknown fields are errors, strings are stripped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True, str_max_length=MAX_TEXT)


class Illustrative(Model):
    """Content that is made up for illustration rather than taken from a source."""

    illustrative: Flag = Field(
        default=False,
        description="true für illustrativen Inhalt; das Dokument kennzeichnet ihn als Beispielinhalt.",
    )


# --- metadata ---------------------------------------------------------------


class Person(Model):
    name: str
    role: str | None = None
    organisation: str | None = None


class Organisation(Model):
    name: str
    role: str | None = Field(default=None, description="z. B. Förderer, Beratung, Programmträger")
    url: str | None = None


class Adoption(Model):
    body: str = Field(description="Gremium, z. B. Kreistag")
    date: Date


class Logo(Model):
    file: str = Field(description="Bilddatei im Eingabeordner (PNG oder JPEG)")
    alt: str = Field(min_length=1, description="Alternativtext für Screenreader")


class Contact(Model):
    organisation: str
    department: str | None = None
    person: str | None = None
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    url: str | None = None


class Meta(Model):
    title: str
    subtitle: str | None = None
    district: str = Field(description="Gebietskörperschaft, z. B. Landkreis Goslar")
    issuer: str = Field(description="Herausgeber, z. B. Landkreis Goslar – Der Landrat")
    authors: list[Person] = Field(default_factory=list)
    consultancy: Organisation | None = None
    partners: list[Organisation] = Field(default_factory=list, description="Partner und Förderer")
    programme: str | None = None
    version: str
    replaces: str | None = Field(default=None, description="Version, die diese Fortschreibung ersetzt")
    status: ConceptStatus = "Entwurf"
    date: Date
    adoption: Adoption | None = None
    language: Language = "de"
    logos: list[Logo] = Field(default_factory=list)
    contact: Contact | None = None
    note: Markdown | None = Field(default=None, description="Hinweis auf der Titelrückseite")

    @property
    def is_draft(self) -> bool:
        """A draft shows ENTWURF and may contain quotes whose consent is still pending."""
        return self.status == "Entwurf"


# --- chapters ----------------------------------------------------------------


class Foreword(Illustrative):
    text: Markdown
    author: Person


class KeyFigure(Illustrative):
    indicator: str
    value: Number
    unit: str | None = None
    year: int = Field(ge=1900, le=2200)
    source: str


class StartingPoint(Illustrative):
    text: Markdown
    key_figures: list[KeyFigure] = Field(default_factory=list)


class Principle(Illustrative):
    title: str
    text: Markdown | None = None


class ThemeResult(Model):
    theme: Id = Field(description="Id des Handlungsfelds")
    text: Markdown


class Event(Illustrative):
    id: Id
    title: str
    date: Date
    place: str
    format: str
    participants: int | None = Field(default=None, ge=0, le=10_000_000)
    participants_approximate: Flag = Field(default=False, description="true bei „rund 70“")
    groups: list[str] = Field(default_factory=list, description="vertretene Gruppen")
    text: Markdown | None = None
    results: list[ThemeResult] = Field(default_factory=list)


class SteeringGroup(Illustrative):
    name: str = "Steuerungsgruppe"
    text: Markdown | None = None
    members: list[Person] = Field(default_factory=list)


class Process(Model):
    text: Markdown | None = None
    events: list[Event] = Field(default_factory=list)
    steering_group: SteeringGroup | None = None


class Indicator(Illustrative):
    name: str
    baseline: str | None = Field(default=None, description="Ausgangswert")
    target: str | None = Field(default=None, description="Zielwert")
    unit: str | None = None
    source: str | None = None


class Goal(Illustrative):
    id: Id
    title: str
    level: str = Field(default="Handlungsziel", description="z. B. Leitziel, Handlungsziel, Wirkungsziel")
    parent: Id | None = Field(default=None, description="Id des übergeordneten Ziels")
    description: Markdown | None = None
    indicators: list[Indicator] = Field(default_factory=list)


class Timeframe(Model):
    term: Term | None = None
    start: Date | None = None
    end: Date | None = None

    @field_validator("end")
    @classmethod
    def _end_after_start(cls, end: dt.date | None, info: object) -> dt.date | None:
        start = getattr(info, "data", {}).get("start")
        if end is not None and start is not None and end < start:
            raise ValueError("end lies before start")
        return end


class Funding(Model):
    resources: str | None = Field(default=None, description="personelle und sachliche Ressourcen")
    budget: str | None = None
    source: str | None = Field(default=None, description="Finanzierung / Förderung")


class Measure(Illustrative):
    id: Id
    title: str
    description: Markdown
    goals: list[Id] = Field(
        min_length=1, description="Ziele, denen die Maßnahme dient; das erste bestimmt die Nummer"
    )
    lead: str = Field(description="Federführung")
    partners: list[str] = Field(default_factory=list)
    target_groups: list[str] = Field(default_factory=list)
    timeframe: Timeframe = Field(default_factory=Timeframe)
    priority: Priority = "regulär"
    funding: Funding = Field(default_factory=Funding)
    indicators: list[Indicator] = Field(default_factory=list)
    status: MeasureStatus = "geplant"
    area: str | None = Field(default=None, description="Gebiet oder Kommune; leer für den ganzen Landkreis")
    cross_cutting: list[Id] = Field(default_factory=list, description="Ids der Querschnittsthemen")
    contact: str | None = None


class Theme(Model):
    id: Id
    title: str
    description: Markdown
    challenges: list[Markdown] = Field(default_factory=list)
    cross_cutting: list[Id] = Field(default_factory=list, description="Ids der Querschnittsthemen")
    goals: list[Goal] = Field(default_factory=list)
    measures: list[Measure] = Field(default_factory=list)


class CrossCuttingTheme(Illustrative):
    id: Id
    title: str
    description: Markdown | None = None


class Quote(Model):
    id: Id
    text: str
    person: str
    role: str | None = None
    organisation: str | None = None
    themes: list[Id] = Field(default_factory=list)
    event: Id | None = None
    consent: Flag = Field(description="Einverständnis zur Veröffentlichung liegt vor")
    source: str | None = None


class Monitoring(Illustrative):
    text: Markdown
    steps: list[Markdown] = Field(default_factory=list, description="Schritte oder Zuständigkeiten")
    review_cycle: str | None = Field(default=None, description="z. B. jährlicher Umsetzungsbericht")


class Source(Model):
    id: Id | None = None
    text: str
    url: str | None = None


class GlossaryEntry(Model):
    term: str
    definition: str


class Concept(Model):
    """A whole concept: the merged content of an input folder."""

    meta: Meta
    foreword: Foreword | None = None
    introduction: Markdown | None = Field(default=None, description="Anlass und Auftrag")
    starting_point: StartingPoint | None = None
    principles_intro: Markdown | None = None
    principles: list[Principle] = Field(default_factory=list)
    process: Process | None = None
    cross_cutting_themes: list[CrossCuttingTheme] = Field(default_factory=list)
    themes: list[Theme] = Field(min_length=1)
    reference_doc: str | None = Field(
        default=None,
        description="Word-Datei im Eingabeordner mit dem Hausdesign (Formatvorlagen, Seite, Kopfzeilen)",
    )
    measures_from: str | None = Field(
        default=None,
        description="Arbeitsmappe (.xlsx) oder CSV-Datei mit den Maßnahmen aller Handlungsfelder",
    )
    quotes: list[Quote] = Field(default_factory=list)
    monitoring: Monitoring | None = None
    sources: list[Source] = Field(default_factory=list)
    glossary: list[GlossaryEntry] = Field(default_factory=list)

    _folder: Path | None = PrivateAttr(default=None)
    _images: dict[str, bytes] = PrivateAttr(default_factory=dict)
    _reference: bytes | None = PrivateAttr(default=None)
    _inputs_digest: str | None = PrivateAttr(default=None)

    @property
    def source_folder(self) -> Path | None:
        """The input folder the concept was loaded from; files such as logos are relative to it."""
        return self._folder

    @property
    def reference(self) -> bytes | None:
        """The content of the reference document the inputs name, as read and checked at validation."""
        return self._reference

    @property
    def inputs_digest(self) -> str | None:
        """A digest of the input files the concept was loaded from (None for a concept made in code)."""
        return self._inputs_digest

    def image(self, name: str) -> bytes | None:
        """The content of an image the inputs name (a logo), as read and checked at validation."""
        return self._images.get(name)
