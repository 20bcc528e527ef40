"""The domain model of an Integrations- und Teilhabekonzept.

These pydantic models describe what an input folder contains after its YAML
files have been read and merged. Field names are English; the document prints
German labels by default. Free-text fields marked *Markdown* accept a small
Markdown subset (paragraphs, bold, italic, lists, links).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    field_validator,
    model_validator,
)

from .parsing import (
    invalid,
    one_or_many,
)
from .values import (
    LANGUAGE_HINT,
    MAX_TEXT,
    ONE_OR_MANY,
    ONE_OR_MANY_SCHEMA,
    BudgetPeriod,
    ConceptStatus,
    Count,
    Date,
    Flag,
    Id,
    Language,
    LanguageTag,
    Markdown,
    MarkdownText,
    MeasureStatus,
    Names,
    Number,
    Priority,
    Term,
    Text,
    Year,
    currency_code,
)
from .when import (
    TimePoint,
)


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


class Person(Illustrative):
    name: Text
    role: str | None = None
    organisation: str | None = None


class Organisation(Illustrative):
    name: Text
    role: str | None = Field(default=None, description="z. B. Förderer, Beratung, Programmträger")
    url: str | None = None


class Adoption(Model):
    body: Text = Field(description="Gremium, z. B. Kreistag")
    date: Date


class Logo(Model):
    file: Text = Field(description="Bilddatei im Eingabeordner (PNG oder JPEG)")
    alt: Text = Field(description="Alternativtext für Screenreader")


class Contact(Illustrative):
    organisation: Text
    department: str | None = None
    person: str | None = None
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    url: str | None = None


class Meta(Illustrative):
    title: Text
    subtitle: str | None = None
    district: Text = Field(description="Gebietskörperschaft, z. B. Landkreis Goslar")
    issuer: Text = Field(description="Herausgeber, z. B. Landkreis Goslar – Der Landrat")
    authors: list[Person] = Field(default_factory=list)
    consultancy: Organisation | None = None
    partners: list[Organisation] = Field(default_factory=list, description="Partner und Förderer")
    programme: str | None = None
    version: Text
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
    text: MarkdownText
    author: Annotated[list[Person], ONE_OR_MANY, BeforeValidator(one_or_many), ONE_OR_MANY_SCHEMA] = Field(
        min_length=1, description="wer unterzeichnet: eine Person oder eine Liste"
    )


class KeyFigure(Illustrative):
    indicator: Text
    value: Number
    unit: str | None = None
    year: Year
    source: Text


class StartingPoint(Illustrative):
    text: MarkdownText
    key_figures: list[KeyFigure] = Field(default_factory=list)


class Principle(Illustrative):
    title: Text
    text: Markdown | None = None


class ThemeResult(Illustrative):
    theme: Id = Field(description="Id des Handlungsfelds")
    text: MarkdownText


class Event(Illustrative):
    id: Id
    title: Text
    date: Annotated[list[Date], ONE_OR_MANY, BeforeValidator(one_or_many), ONE_OR_MANY_SCHEMA] = Field(
        min_length=1, description="Datum; eine Liste für eine Reihe von Terminen"
    )
    end: Date | None = Field(default=None, description="letzter Tag eines Zeitraums, z. B. einer Befragung")
    place: Text
    format: Text
    participants: Count | None = None
    participants_approximate: Flag = Field(default=False, description="true bei „rund 70“")
    groups: list[Text] = Field(default_factory=list, description="vertretene Gruppen")
    text: Markdown | None = None
    results: list[ThemeResult] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_period(self) -> Event:
        if self.end is not None:
            if len(self.date) > 1:
                raise invalid(
                    "has a list of dates and an end",
                    "a series lists its dates; end is the last day of one period (date: … end: …)",
                )
            if self.end < self.date[0]:
                raise invalid("end lies before date", "end is the last day of the period")
        return self


class SteeringGroup(Illustrative):
    name: Text = "Steuerungsgruppe"
    text: Markdown | None = None
    members: list[Person] = Field(default_factory=list)


class Process(Illustrative):
    text: Markdown | None = None
    events: list[Event] = Field(default_factory=list)
    steering_group: SteeringGroup | None = None


class Indicator(Illustrative):
    name: Text
    baseline: str | None = Field(default=None, description="Ausgangswert")
    baseline_year: Year | None = Field(default=None, description="Jahr des Ausgangswerts")
    target: str | None = Field(default=None, description="Zielwert")
    target_year: Year | None = Field(
        default=None, description="Jahr, bis zu dem der Zielwert erreicht sein soll"
    )
    unit: str | None = None
    source: str | None = None


class Goal(Illustrative):
    id: Id
    title: Text
    level: Text = Field(default="Handlungsziel", description="z. B. Leitziel, Handlungsziel, Wirkungsziel")
    parent: Id | None = Field(default=None, description="Id des übergeordneten Ziels")
    description: Markdown | None = None
    indicators: list[Indicator] = Field(default_factory=list)


class Timeframe(Model):
    term: Term | None = None
    start: TimePoint | None = None
    end: TimePoint | None = None

    @model_validator(mode="after")
    def _end_after_start(self) -> Timeframe:
        if self.start is not None and self.end is not None and self.end.last < self.start.first:
            raise invalid(f"end {self.end} lies before start {self.start}", "swap them, or correct one")
        return self


def _budget_text(value: object) -> object:
    """A budget written as text (``ca. 30.000 € jährlich``) is kept as that text."""
    return {"text": value} if isinstance(value, str) else value


class Budget(Model):
    """Money for a measure: an amount that can be summed up, or words, or both."""

    amount: Number | None = Field(default=None, ge=0, description="Betrag, z. B. 30000 oder 30.000,00")
    currency: Annotated[str, BeforeValidator(currency_code)] = Field(
        default="EUR", pattern=r"^[A-Z]{3}$", description="Währung nach ISO 4217, z. B. EUR"
    )
    period: BudgetPeriod | None = Field(
        default=None, description="einmalig, jährlich oder gesamt (für die ganze Laufzeit)"
    )
    approximate: Flag = Field(default=False, description="true bei „ca. 30.000 €“")
    text: str | None = Field(default=None, description="Erläuterung, oder der Betrag in Worten")

    @model_validator(mode="after")
    def _amount_with_period(self) -> Budget:
        if self.amount is not None and self.period is None:
            raise invalid(
                "an amount needs its period",
                "add period: einmalig, jährlich or gesamt (for the whole timeframe)",
            )
        if self.amount is None and self.text is None:
            raise invalid("needs an amount or a text", "e.g. amount: 30000 and period: jährlich")
        return self


class Funding(Model):
    resources: str | None = Field(default=None, description="personelle und sachliche Ressourcen")
    budget: Annotated[Budget | None, BeforeValidator(_budget_text)] = Field(
        default=None,
        description="Text, oder amount, currency und period",
        json_schema_extra={"x-also": [{"type": "string"}]},
    )
    source: str | None = Field(default=None, description="Finanzierung / Förderung")


class Measure(Illustrative):
    id: Id
    title: Text
    description: MarkdownText
    goals: list[Id] = Field(
        min_length=1, description="Ziele, denen die Maßnahme dient; das erste bestimmt die Nummer"
    )
    lead: Names = Field(min_length=1, description="Federführung; eine Liste bei gemeinsamer Federführung")
    partners: list[Text] = Field(default_factory=list)
    target_groups: list[Text] = Field(default_factory=list)
    timeframe: Timeframe = Field(default_factory=Timeframe)
    priority: Priority = "regulär"
    funding: Funding = Field(default_factory=Funding)
    indicators: list[Indicator] = Field(default_factory=list)
    status: MeasureStatus = "geplant"
    status_reason: str | None = Field(
        default=None, description="Begründung des Status, etwa warum die Maßnahme zurückgestellt ist"
    )
    area: Names = Field(
        default_factory=list, description="Gebiet oder Kommunen; leer für den ganzen Landkreis"
    )
    cross_cutting: list[Id] = Field(default_factory=list, description="Ids der Querschnittsthemen")
    contact: str | None = None


class Theme(Illustrative):
    id: Id
    title: Text
    description: MarkdownText
    challenges: list[MarkdownText] = Field(default_factory=list)
    cross_cutting: list[Id] = Field(default_factory=list, description="Ids der Querschnittsthemen")
    goals: list[Goal] = Field(default_factory=list)
    measures: list[Measure] = Field(default_factory=list)


class CrossCuttingTheme(Illustrative):
    id: Id
    title: Text
    description: Markdown | None = None


class Quote(Illustrative):
    id: Id
    text: Text = Field(description="das Zitat; eine Leerzeile beginnt einen neuen Absatz")
    person: Text
    role: str | None = None
    organisation: str | None = None
    language: LanguageTag | None = Field(
        default=None, description="Sprache des Zitats, wenn es nicht die des Dokuments ist (z. B. en)"
    )
    themes: list[Id] = Field(default_factory=list)
    event: Id | None = None
    consent: Flag = Field(description="Einverständnis zur Veröffentlichung liegt vor")
    source: str | None = None

    @field_validator("language")
    @classmethod
    def _known_language(cls, code: str | None) -> str | None:
        if code is not None and not _is_language(code):
            language, _, region = code.replace("_", "-").partition("-")
            meant = language.lower() + (
                f"-{region.upper()}" if region else ""
            )  # "TR" → "tr", "en_gb" → "en-GB"
            hint = f"write {meant}" if meant != code and _is_language(meant) else LANGUAGE_HINT
            raise invalid(f"{code!r} is not a language code", hint)
        return code


def _is_language(code: str) -> bool:
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return False
    return True


class Monitoring(Illustrative):
    text: MarkdownText
    steps: list[MarkdownText] = Field(default_factory=list, description="Schritte oder Zuständigkeiten")
    review_cycle: str | None = Field(default=None, description="z. B. jährlicher Umsetzungsbericht")


class Source(Illustrative):
    id: Id | None = None
    text: Text
    url: str | None = None


class GlossaryEntry(Illustrative):
    term: Text
    definition: Text


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
    _input_files: tuple[Path, ...] = PrivateAttr(default=())

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

    @property
    def input_files(self) -> tuple[Path, ...]:
        """Every file the concept was read from: YAML, workbook, logos, reference document."""
        return self._input_files

    def image(self, name: str) -> bytes | None:
        """The content of an image the inputs name (a logo), as read and checked at validation."""
        return self._images.get(name)
