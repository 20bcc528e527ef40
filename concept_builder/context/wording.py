"""Words, dates and numbers as the document prints them, in the document's language."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from babel.dates import format_date
from babel.numbers import format_decimal

from ..labels import LABELS, value_label
from ..model import Indicator, Person, Timeframe

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
        return _long_date(value, self.locale) if value else ""

    def month(self, value: dt.date) -> str:
        """``01/2019``."""
        return _month(value, self.locale)

    def number(self, value: float) -> str:
        """``1.234,5`` in German, ``1,234.5`` in English."""
        return format_decimal(value, locale=self.locale, format="#,##0.##")

    def value(self, value: str) -> str:
        """A vocabulary value (``geplant``) in the document's language."""
        return value_label(value, self.language)

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
    if not value:
        return ""
    return f"{value} {unit}".strip() if unit and unit not in value else value


# Babel's formatting is slow and the same few months recur in every measure of a large concept.
@lru_cache(maxsize=4096)
def _long_date(value: dt.date, locale: str) -> str:
    return format_date(value, "long", locale=locale)


@lru_cache(maxsize=4096)
def _month(value: dt.date, locale: str) -> str:
    return format_date(value, "MM/y", locale=locale)
