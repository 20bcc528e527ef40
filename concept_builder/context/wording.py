"""Words, dates and numbers as the document prints them, in the document's language."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from babel.dates import format_date
from babel.numbers import format_decimal

from ..labels import LABELS, value_label
from ..model import Indicator, Person, Timeframe
from ..sources import source_of, sourced

BABEL_LOCALES = {"de": "de_DE", "en": "en_GB"}


class Wording:
    """The fixed words (``labels``) and the formats of one document language."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.locale = BABEL_LOCALES[language]
        self.labels = LABELS[language]

    def __getitem__(self, key: str) -> str:
        return self.labels[key]

    def date(self, value: dt.date | None) -> str:
        """``31. Januar 2019``."""
        return sourced(_long_date(value, self.locale), source_of(value)) if value else ""

    def month(self, value: dt.date) -> str:
        """``01/2019``."""
        return _month(value, self.locale)

    def number(self, value: float) -> str:
        """``1.234,5`` in German, ``1,234.5`` in English."""
        return sourced(format_decimal(value, locale=self.locale, format="#,##0.##"), source_of(value))

    def value(self, value: str) -> str:
        """A vocabulary value (``geplant``) in the document's language."""
        return sourced(value_label(value, self.language), source_of(value))

    def count(self, number: int, singular: str, plural: str) -> str:
        """``1 Maßnahme``, ``28 Maßnahmen``: a count with the word for one or many (label keys)."""
        return f"{self.number(number)} {self.labels[singular if number == 1 else plural]}"

    def numbered(self, kind: str, number: str) -> str:
        """``Maßnahme 2.1.3``."""
        return f"{self.labels[kind]} {number}"

    def person(self, person: Person) -> str:
        return ", ".join(part for part in (person.name, person.role, person.organisation) if part)

    def timeframe(self, timeframe: Timeframe) -> str:
        """``01/2019 bis 12/2020 (mittelfristig)``, ``ab 03/2019``, ``kurzfristig``."""
        parts = []
        if timeframe.start and timeframe.end:
            parts.append(f"{self.month(timeframe.start)} {self.labels['to']} {self.month(timeframe.end)}")
        elif timeframe.start:
            parts.append(f"{self.labels['from']} {self.month(timeframe.start)}")
        elif timeframe.end:
            parts.append(f"{self.labels['until']} {self.month(timeframe.end)}")
        if timeframe.term:
            term = self.value(timeframe.term)
            parts.append(f"({term})" if parts else term)
        return " ".join(parts)

    def indicator_text(self, indicator: Indicator) -> str:
        """An indicator in one line: ``Teilnehmende: 200 Personen``."""
        target = with_unit(indicator.target, indicator.unit or "")
        return f"{indicator.name}: {target}" if target else indicator.name


def with_unit(value: str | None, unit: str) -> str:
    """``90`` and ``Personen`` → ``90 Personen``; a value in words (``wird 2019 erhoben``) stays as it is."""
    if not value:
        return ""
    if not unit or unit in value or not _NUMERIC.match(value):
        return value
    return f"{value} {unit}"


# A number as people write one, with a qualifier or as a range: "90", "ca. 40", "10 bis 20", "< 5"
_NUMERIC = re.compile(
    r"^(?:ca\.|rund|etwa|mind\.|mindestens|max\.|höchstens|über|unter|[<>≤≥~≈+\-–])?\s*"
    r"\d[\d.,]*(?:\s*(?:bis|–|-)\s*\d[\d.,]*)?\s*$"
)


# Babel's formatting is slow and the same few months recur in every measure of a large concept.
@lru_cache(maxsize=4096)
def _long_date(value: dt.date, locale: str) -> str:
    return format_date(value, "long", locale=locale)


@lru_cache(maxsize=4096)
def _month(value: dt.date, locale: str) -> str:
    return format_date(value, "MM/y", locale=locale)
