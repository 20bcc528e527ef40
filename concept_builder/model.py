"""The domain model of an Integrations- und Teilhabekonzept.

These pydantic models describe what an input folder contains after its YAML
files have been read and merged. Field names are English; the document prints
German labels by default. Free-text fields marked *Markdown* accept a small
Markdown subset (paragraphs, bold, italic, lists, links).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    PrivateAttr,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

_GERMAN_DATE = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$")
_ISO_DATE = re.compile(
    r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]00:00(?::00)?)?\s*$"
)  # a spreadsheet's midnight
_TRUE_WORDS = {"ja", "wahr"}
_FALSE_WORDS = {"nein", "falsch"}
MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
DATE_HINT = "write dates as YYYY-MM-DD, e.g. 2018-11-30, or as 30.11.2018"


def _checked_day(year: int, month: int, day: int, typed: str) -> dt.date:
    """The date, or an error that says which part is impossible (the format was right)."""
    if not 1 <= month <= 12:
        raise invalid(f"{typed.strip()!r} is not a date: there is no month {month}", DATE_HINT)
    if not year >= 1:
        raise invalid(f"{typed.strip()!r} is not a date: there is no year {year}", DATE_HINT)
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise invalid(
            f"{typed.strip()!r} is not a date: {MONTH_NAMES[month - 1]} {year} has {days} days",
            "check the day",
        )
    return dt.date(year, month, day)


def _german_date(value: object) -> object:
    """Accept ``30.11.2018`` as well as ISO ``2018-11-30``; an impossible day is named as such."""
    if isinstance(value, str):
        match = _GERMAN_DATE.match(value)
        if match:
            day, month, year = (int(part) for part in match.groups())
            return _checked_day(year, month, day, value)
        match = _ISO_DATE.match(value)
        if match:
            year, month, day = (int(part) for part in match.groups())
            return _checked_day(year, month, day, value)
    return value


def _one_or_many(value: object) -> object:
    """A single value where a list is expected is a list of one: ``lead: A`` as well as ``lead: [A, B]``."""
    return [value] if isinstance(value, (str, dict)) else value


def _german_bool(value: object) -> object:
    """Accept ``ja``/``nein`` besides ``true``/``false``."""
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE_WORDS:
            return True
        if word in _FALSE_WORDS:
            return False
    return value


_SPACES = " \u00a0\u202f"  # a space, a no-break space, a narrow one: what groups thousands in print
_THOUSANDS_ONLY = re.compile(r"^\s*[-+]?\d{1,3}\.\d{3}\s*$")  # 137.000: 137000, or 137 with three decimals?
_PLAIN_NUMBER = re.compile(r"^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$")
_GERMAN_NUMBER = re.compile(r"^\s*[-+]?(\d+|\d{1,3}(\.\d{3})+),\d+\s*$|^\s*[-+]?\d{1,3}(\.\d{3})+,\d*\s*$")
_DOT_GROUPS = re.compile(r"^\s*[-+]?\d{1,3}(\.\d{3}){2,}\s*$")  # 1.200.000: two dots, only thousands
_SPACE_GROUPS = re.compile(rf"^\s*[-+]?\d{{1,3}}([{_SPACES}]\d{{3}})+(,\d+)?\s*$")  # 15 000, 1 250,50
_NUMBER_WITH_WORDS = re.compile(
    rf"^\s*(?P<before>[^\d\s+-]*(?:\s+[^\d\s+-]+)*?)\s*"
    rf"(?P<number>[-+]?\d{{1,3}}(?:[{_SPACES}]\d{{3}})+(?:,\d+)?|[-+]?\d[\d.,]*\d|[-+]?\d)"
    r"\s*(?P<after>.*?)\s*$"
)
# words before a number that make it approximate: "ca. 40", "rund 70"
_APPROXIMATE_WORDS = {"ca.", "ca", "circa", "rund", "etwa", "ungefähr", "knapp", "~", "≈"}
# what people write after an amount for its currency (the longer word first: "euro" before "eur")
_CURRENCY_WORDS = {
    "euro": "EUR",
    "€": "EUR",
    "eur": "EUR",
    "$": "USD",
    "usd": "USD",
    "chf": "CHF",
    "£": "GBP",
}
# what people write after an amount for its period
_PERIOD_WORDS = {
    "jährlich": "jährlich",
    "pro jahr": "jährlich",
    "im jahr": "jährlich",
    "p. a.": "jährlich",
    "p.a.": "jährlich",
    "/jahr": "jährlich",
    "einmalig": "einmalig",
    "gesamt": "gesamt",
    "insgesamt": "gesamt",
}
_YEARS = re.compile(r"^\s*(\d{4})\s*[/–-]\s*(\d{2}|\d{4})\s*$")  # 2023/24, 2023-2024: a school year


def invalid(
    message: str, hint: str | None = None, *, write: dict[str, str] | None = None
) -> PydanticCustomError:
    """An error whose message quotes what was typed, with the hint that says what to write.

    ``write`` names the values to write instead, by field (``amount``,
    ``currency``: fields beside the one refused); the message says them as the
    inputs are written – YAML fields, or a workbook's columns.
    """
    context: dict[str, Any] = {"message": message, "hint": hint or ""}
    if write:
        context["write"] = write
    return PydanticCustomError("invalid_value", "{message}", context)


def plain_number(text: str) -> str | None:
    """``text`` as a number Python reads (``1234.5``), where it is one beyond doubt; else None.

    ``8.1``, ``8,1``, ``1.234,5``, ``1.200.000`` and ``15 000`` are numbers;
    ``137.000`` is not: it may be 137000 or, as YAML reads it, 137.
    """
    if _THOUSANDS_ONLY.match(text):
        return None
    if _PLAIN_NUMBER.match(text):
        return text.strip()
    if _GERMAN_NUMBER.match(text) or _DOT_GROUPS.match(text):
        return text.strip().replace(".", "").replace(",", ".")
    if _SPACE_GROUPS.match(text):
        return "".join(text.split()).replace("\u00a0", "").replace("\u202f", "").replace(",", ".")
    return None


def _as_written(number: str) -> str:
    """A number as the hint suggests writing it: one the tool reads, thousands without separators."""
    if _THOUSANDS_ONLY.match(number) or _DOT_GROUPS.match(number) or _SPACE_GROUPS.match(number):
        return "".join(ch for ch in number if ch.isdigit() or ch in "+-,")
    return number.strip()


def _german_number(value: object, info: ValidationInfo) -> object:
    """Accept ``1.234,5``, ``8,1`` and ``15 000``; refuse ``137.000``, which YAML would read as 137.

    What is refused is quoted as it was typed, and the hint says what to
    write instead, in the fields there are: ``12,4 %`` is a value and its
    unit, ``68.000 €`` an amount and its currency, ``ca. 40`` an approximate
    amount.
    """
    if not isinstance(value, str):
        return value
    typed = value.strip()
    if _THOUSANDS_ONLY.match(value):
        raise invalid(
            f"{typed!r} is ambiguous",
            f"write {_as_written(typed)} for thousands, or use a decimal comma",
        )
    number = plain_number(value)
    if number is not None:
        return number
    parts = _NUMBER_WITH_WORDS.match(value)
    if parts and (parts["before"] or parts["after"]):
        raise _number_with_words(typed, info.field_name or "", parts)
    raise invalid(
        f"{typed!r} is not a number", "write digits with a decimal point or comma, e.g. 8,1 or 137000"
    )


def _number_with_words(typed: str, name: str, parts: re.Match[str]) -> PydanticCustomError:
    """What to write for a number typed with words: each part in the field that holds it."""
    number = _as_written(parts["number"])
    before, after = parts["before"], parts["after"]
    message = f"{typed!r} is not a number"
    if name != "amount":  # a key figure's value: a unit has its field, "ca." has none
        write = {name or "value": number}
        if after:
            write["unit"] = after
        if before:
            return invalid(
                message, f"say {before!r} in the text: a key figure's value stands alone", write=write
            )
        return invalid(message, write=write)
    write = {"amount": number}  # a budget: "ca.", the currency and the period have fields of their own
    words = []
    if before.casefold() in _APPROXIMATE_WORDS:
        write["approximate"] = "ja"
    elif before:
        words.append(before)
    rest = after
    currency = next((c for c in _CURRENCY_WORDS if rest.casefold().startswith(c)), None)
    if currency is not None:
        write["currency"] = _CURRENCY_WORDS[currency]
        rest = rest[len(currency) :].strip()
    elif re.match(r"[A-Z]{3}\b", rest):
        write["currency"], rest = rest[:3], rest[3:].strip()
    if rest.casefold() in _PERIOD_WORDS:
        write["period"] = _PERIOD_WORDS[rest.casefold()]
    elif rest:
        words.append(rest)
    shown = " and ".join(repr(word) for word in words)
    return invalid(message, f"{shown} belongs in the budget's text" if words else None, write=write)


def _whole_number(value: object, info: ValidationInfo) -> object:
    """A count or a year as digits; what people write instead is refused with what to write.

    ``1.146`` is 1146 people, ``ca. 84`` is 84 and ``participants_approximate``,
    ``2023/24`` a school year, of which one year is meant.
    """
    if not isinstance(value, str) or re.fullmatch(r"\s*[-+]?\d+\s*", value):
        return value
    raise _not_whole(value.strip(), info.field_name or "")


def _not_whole(typed: str, name: str) -> PydanticCustomError:
    message = f"{typed!r} is not a whole number"
    if years := _YEARS.match(typed):
        first = int(years[1])
        second = first + 1 if len(years[2]) == 2 else int(years[2])
        return invalid(f"{typed!r} is not one year", f"write one year: {first} or {second}")
    digits = "".join(ch for ch in typed if ch.isdigit())
    if plain_number(typed) is not None or _THOUSANDS_ONLY.match(typed):
        if re.fullmatch(rf"[-+]?\d{{1,3}}([.{_SPACES}]\d{{3}})+", typed):
            return invalid(message, write={name: digits})
        return invalid(message, "write digits only, e.g. 70")
    parts = _NUMBER_WITH_WORDS.match(typed)
    if parts and parts["before"].casefold() in _APPROXIMATE_WORDS and not parts["after"]:
        number = "".join(ch for ch in parts["number"] if ch.isdigit())
        if name == "participants":
            return invalid(message, write={name: number, "participants_approximate": "ja"})
        return invalid(message, f"write {number}")
    return invalid(message, "write digits only, e.g. 70")


# --- points in time of a timeframe: a day, a month, a quarter or a year ---------------------

Precision = Literal["day", "month", "quarter", "year"]
_MONTH = re.compile(r"^\s*(\d{1,2})\s*/\s*(\d{4})\s*$|^\s*(\d{4})-(\d{1,2})\s*$")
_QUARTER = re.compile(r"^\s*Q\s*([1-4])\s*[/ ]\s*(\d{4})\s*$|^\s*([1-4])\.\s*Quartal\s+(\d{4})\s*$", re.I)
_YEAR = re.compile(r"^\s*(\d{4})\s*$")
WHEN_HINT = "write a day (2025-07-01 or 1.7.2025), a month (07/2025), a quarter (Q3/2025) or a year (2025)"


@dataclass(frozen=True)
class When:
    """A point of a timeframe as precise as it is known: a day, a month, a quarter or a year.

    ``first`` and ``last`` are the first and last day it covers: a measure that
    ends in "Q3/2025" is overdue from 1 October 2025 on.
    """

    first: dt.date
    last: dt.date
    precision: Precision

    def __str__(self) -> str:
        """As written in the inputs: ``2025-07-01``, ``07/2025``, ``Q3/2025``, ``2025``."""
        if self.precision == "day":
            return self.first.isoformat()
        if self.precision == "month":
            return f"{self.first.month:02d}/{self.first.year}"
        if self.precision == "quarter":
            return f"Q{(self.first.month - 1) // 3 + 1}/{self.first.year}"
        return str(self.first.year)

    @classmethod
    def day(cls, value: dt.date) -> When:
        return cls(value, value, "day")

    @classmethod
    def month(cls, year: int, month: int) -> When:
        return cls(
            dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1]), "month"
        )

    @classmethod
    def quarter(cls, year: int, quarter: int) -> When:
        last_month = quarter * 3
        last = dt.date(year, last_month, calendar.monthrange(year, last_month)[1])
        return cls(dt.date(year, last_month - 2, 1), last, "quarter")

    @classmethod
    def year(cls, year: int) -> When:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31), "year")


def parse_when(value: object) -> When:
    """A day, a month, a quarter or a year, as typed in the inputs or a workbook."""
    if isinstance(value, When):
        return value
    if isinstance(value, dt.datetime):
        return When.day(value.date())
    if isinstance(value, dt.date):
        return When.day(value)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise invalid(f"should be a date, not {type(value).__name__}", WHEN_HINT)
    day = _german_date(value)
    if isinstance(day, dt.date):
        return When.day(day)
    if match := _MONTH.match(value):
        month, year = (int(match[1]), int(match[2])) if match[1] else (int(match[4]), int(match[3]))
        if not 1 <= month <= 12:
            raise invalid(f"{value.strip()!r} is not a month: there is no month {month}", WHEN_HINT)
        if 1900 <= year <= 2200:
            return When.month(year, month)
    elif match := _QUARTER.match(value):
        quarter, year = (int(match[1]), int(match[2])) if match[1] else (int(match[3]), int(match[4]))
        if 1900 <= year <= 2200:
            return When.quarter(year, quarter)
    elif (match := _YEAR.match(value)) and 1900 <= int(match[1]) <= 2200:
        return When.year(int(match[1]))
    raise invalid(f"{value.strip()!r} is not a date, month, quarter or year", WHEN_HINT)


WHEN_PATTERN = (
    r"^\s*(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}\.\d{1,2}\.\d{4}|\d{1,2}\s*/\s*\d{4}|\d{4}-\d{1,2}"
    r"|[Qq]\s*[1-4]\s*[/ ]\s*\d{4}|[1-4]\.\s*Quartal\s+\d{4}|\d{4})\s*$"
)
TimePoint = Annotated[
    When,
    PlainValidator(parse_when),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(
        {
            "anyOf": [{"type": "string", "pattern": WHEN_PATTERN}, {"type": "integer"}],
            "description": "Tag (2025-07-01, 1.7.2025), Monat (07/2025), Quartal (Q3/2025) oder Jahr (2025)",
        }
    ),
]


MAX_TEXT = (
    50_000  # characters in one value: a long chapter, still a paragraph Word and LibreOffice lay out fast
)
MAX_NUMBER = 1e15  # far beyond any figure of a county, and within what the document can print exactly

Date = Annotated[dt.date, BeforeValidator(_german_date)]
MIN_NUMBER = 1e-9  # the smallest magnitude printed; below it a figure reads as a row of zeros


def _printable(value: float) -> float:
    if 0 < abs(value) < MIN_NUMBER:
        raise invalid(
            f"{value!r} is too small to print (the smallest is 0.000000001)",
            "write 0 where it is nothing, else give the figure in a unit where it is larger",
        )
    return value


Number = Annotated[
    float,
    BeforeValidator(_german_number),
    Field(allow_inf_nan=False, ge=-MAX_NUMBER, le=MAX_NUMBER),
    AfterValidator(_printable),
]
Flag = Annotated[bool, BeforeValidator(_german_bool)]
Year = Annotated[int, BeforeValidator(_whole_number), Field(ge=1900, le=2200)]
Count = Annotated[int, BeforeValidator(_whole_number), Field(ge=0, le=10_000_000)]
Text = Annotated[str, Field(min_length=1)]
"""Text that must say something: titles, names, the text of a quote."""
MARKDOWN = "markdown"
Markdown = Annotated[str, MARKDOWN, Field(json_schema_extra={"format": MARKDOWN})]
"""Free text in the Markdown subset; ``[[id]]`` refers to a theme, goal or measure."""
MarkdownText = Annotated[str, MARKDOWN, Field(min_length=1, json_schema_extra={"format": MARKDOWN})]
"""Markdown that must say something: a measure's description, a result's text, a bullet point."""
ONE_OR_MANY = "one-or-many"
# what JSON Schema says of such a field (schema.py resolves it)
_ONE_OR_MANY_SCHEMA = Field(json_schema_extra={"x-one-or-many": True})
Names = Annotated[list[Text], ONE_OR_MANY, BeforeValidator(_one_or_many), _ONE_OR_MANY_SCHEMA]
"""One name, or a list of them: ``lead: Jobcenter`` or ``lead: [Jobcenter, Agentur für Arbeit]``."""
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$"
Id = Annotated[
    str,
    Field(
        pattern=ID_PATTERN,
        max_length=64,
        description="Kennung, über die andere Einträge verweisen (Buchstaben, Ziffern, - _ .).",
    ),
]
LANGUAGE_PATTERN = r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$"
LANGUAGE_HINT = "write a code such as en, tr, ar, uk or en-GB"


def _language_code(value: object) -> object:
    """A language named in words (``englisch``, ``Türkisch``) is refused with its code."""
    if isinstance(value, str) and not re.fullmatch(LANGUAGE_PATTERN, value.strip()):
        code = _language_named(value.strip())
        hint = f"write {code}" if code else LANGUAGE_HINT
        raise invalid(f"{value.strip()!r} is not a language code", hint)
    return value


def _language_named(name: str) -> str | None:
    """The code of a language named in German or English (``Englisch`` → ``en``), or None."""
    from babel import Locale

    folded = name.casefold()
    for language in ("de", "en"):
        for code, word in Locale(language).languages.items():
            if word.casefold() == folded and "_" not in code:
                return str(code)
    return None


LanguageTag = Annotated[
    str,
    BeforeValidator(_language_code),
    Field(
        pattern=LANGUAGE_PATTERN, description="Sprache als Kürzel nach BCP 47, z. B. en, tr, ar, uk, en-GB"
    ),
]
# currencies as people name them, for the message that asks for the code
_CURRENCY_NAMES = {
    "euro": "EUR",
    "€": "EUR",
    "dollar": "USD",
    "us-dollar": "USD",
    "$": "USD",
    "franken": "CHF",
    "schweizer franken": "CHF",
    "pfund": "GBP",
    "£": "GBP",
}


def _currency_code(value: object) -> object:
    """A currency named otherwise than by its code (``Euro``, ``eur``, ``€``) is refused with its code."""
    if isinstance(value, str) and not re.fullmatch(r"[A-Z]{3}", value.strip()):
        typed = value.strip()
        code = _CURRENCY_NAMES.get(typed.casefold()) or (
            typed.upper() if re.fullmatch("[A-Za-z]{3}", typed) else None
        )
        hint = f"write {code}" if code else "write the code of ISO 4217 in capitals, e.g. EUR"
        raise invalid(f"{typed!r} is not a currency code", hint)
    return value


ConceptStatus = Literal["Entwurf", "Beschlussvorlage", "beschlossen"]
MeasureStatus = Literal["bestehend", "geplant", "in Umsetzung", "umgesetzt", "zurückgestellt"]
Priority = Literal["Schwerpunkt", "Quick Win", "regulär"]
Term = Literal["kurzfristig", "mittelfristig", "langfristig", "fortlaufend"]
Language = Literal["de", "en"]
BudgetPeriod = Literal["einmalig", "jährlich", "gesamt"]

# What a municipality's name starts with: "Gemeinde Zellersdorf", "Stadt Lorbach"
MUNICIPALITY_KINDS = (
    "Gemeinde",
    "Stadt",
    "Markt",
    "Marktgemeinde",
    "Samtgemeinde",
    "Verbandsgemeinde",
    "Ortsgemeinde",
    "Hansestadt",
    "Kreisstadt",
    "Große Kreisstadt",
)
_MUNICIPALITY = re.compile(
    r"^(?:" + "|".join(map(re.escape, MUNICIPALITY_KINDS)) + r")\s+(?P<name>\S.*)$", re.I
)


def is_municipality(name: str) -> bool:
    """Whether ``name`` names a municipality by its kind: "Gemeinde Zellersdorf", "Stadt Lorbach"."""
    return municipality_name(name) is not None


def municipality_name(name: str) -> str | None:
    """The name of a municipality without its kind ("Gemeinde Zellersdorf" → "Zellersdorf"), else None."""
    match = _MUNICIPALITY.match(name.strip())
    return match["name"] if match else None


CONCEPT_STATUSES: tuple[str, ...] = typing.get_args(ConceptStatus)
MEASURE_STATUSES: tuple[str, ...] = typing.get_args(MeasureStatus)
PRIORITIES: tuple[str, ...] = typing.get_args(Priority)
BUDGET_PERIODS: tuple[str, ...] = typing.get_args(BudgetPeriod)


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
    author: Annotated[list[Person], ONE_OR_MANY, BeforeValidator(_one_or_many), _ONE_OR_MANY_SCHEMA] = Field(
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
    date: Annotated[list[Date], ONE_OR_MANY, BeforeValidator(_one_or_many), _ONE_OR_MANY_SCHEMA] = Field(
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
    currency: Annotated[str, BeforeValidator(_currency_code)] = Field(
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
