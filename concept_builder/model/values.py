"""The values inputs are written in: dates, numbers and yes/no as German writers type them, points in
time and timeframes, ids, language and currency codes, and the vocabularies (statuses, priorities).

Each is a pydantic type whose message quotes what was typed and says what to write instead.
"""

from __future__ import annotations

import datetime as dt
import re
import typing
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
)

from .parsing import (
    german_bool,
    german_date,
    german_number,
    invalid,
    one_or_many,
    whole_number,
)

MAX_TEXT = (
    50_000  # characters in one value: a long chapter, still a paragraph Word and LibreOffice lay out fast
)
MAX_NUMBER = 1e15  # far beyond any figure of a county, and within what the document can print exactly

Date = Annotated[dt.date, BeforeValidator(german_date)]
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
    BeforeValidator(german_number),
    Field(allow_inf_nan=False, ge=-MAX_NUMBER, le=MAX_NUMBER),
    AfterValidator(_printable),
]
Flag = Annotated[bool, BeforeValidator(german_bool)]
Year = Annotated[int, BeforeValidator(whole_number), Field(ge=1900, le=2200)]
Count = Annotated[int, BeforeValidator(whole_number), Field(ge=0, le=10_000_000)]
Text = Annotated[str, Field(min_length=1)]
"""Text that must say something: titles, names, the text of a quote."""
MARKDOWN = "markdown"
Markdown = Annotated[str, MARKDOWN, Field(json_schema_extra={"format": MARKDOWN})]
"""Free text in the Markdown subset; ``[[id]]`` refers to a theme, goal or measure."""
MarkdownText = Annotated[str, MARKDOWN, Field(min_length=1, json_schema_extra={"format": MARKDOWN})]
"""Markdown that must say something: a measure's description, a result's text, a bullet point."""
ONE_OR_MANY = "one-or-many"
# what JSON Schema says of such a field (schema.py resolves it)
ONE_OR_MANY_SCHEMA = Field(json_schema_extra={"x-one-or-many": True})
Names = Annotated[list[Text], ONE_OR_MANY, BeforeValidator(one_or_many), ONE_OR_MANY_SCHEMA]
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


def currency_code(value: object) -> object:
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
