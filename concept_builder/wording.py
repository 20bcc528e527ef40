"""Words, dates and numbers as the document prints them, in the document's language."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import lru_cache

from babel import Locale
from babel.core import get_global
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

from .labels import LABELS, value_label, with_unit
from .model import Budget, Indicator, Person, Timeframe, When
from .sources import assembled, joined, source_of, sourced

BABEL_LOCALES = {"de": "de_DE", "en": "en_GB"}


class Wording:
    """The fixed words (``labels``) and the formats of one document language."""

    def __init__(self, language: str, district: str = "") -> None:
        self.language = language
        self.locale = BABEL_LOCALES[language]
        self.labels = LABELS[language]
        if district:  # "gesamter Landkreis", "gesamtes Stadtgebiet": what the district is
            self.labels = {**self.labels, "whole_district": whole_area(district, language)}

    def __getitem__(self, key: str) -> str:
        return self.labels[key]

    def date(self, value: dt.date | None) -> str:
        """``31. Januar 2019``."""
        return sourced(_long_date(value, self.locale), source_of(value)) if value else ""

    def month(self, value: dt.date) -> str:
        """``01/2019``."""
        return _month(value, self.locale)

    def when(self, value: When) -> str:
        """A point of a timeframe, by month at the most: ``04/2019``, ``Q3/2025``, ``2025``."""
        if value.precision in ("day", "month"):
            return sourced(self.month(value.first), source_of(value))
        shown = str(value) if self.language == "de" else str(value).replace("/", " ")
        return sourced(shown, source_of(value))

    def when_long(self, value: When | None) -> str:
        """A point of a timeframe as precise as it is known: ``31. Juli 2025``, ``Juli 2025``, ``Q3/2025``."""
        if value is None:
            return ""
        if value.precision == "day":
            return sourced(self.date(value.first), source_of(value))
        if value.precision == "month":
            return sourced(format_date(value.first, "LLLL y", locale=self.locale), source_of(value))
        return self.when(value)

    def dates(self, dates: list[dt.date], end: dt.date | None = None) -> str:
        """An event's dates: ``30. November 2018``, a period ``1. März bis 30. April 2025``, or a series."""
        if end is not None and end != dates[0]:
            return assembled(self.date(dates[0]), f" {self.labels['to']} ", self.date(end))
        return self.join([self.date(day) for day in dates])

    def join(self, items: list[str]) -> str:
        """``A``, ``A und B``, ``A, B und C``."""
        if len(items) <= 1:
            return items[0] if items else ""  # one value as it is, with its source
        return assembled(joined(", ", items[:-1]), f" {self.labels['and']} ", items[-1])

    def number(self, value: float) -> str:
        """``1.234,5`` in German, ``1,234.5`` in English; every decimal as typed (``0,000001``)."""
        exact = Decimal(float.__repr__(value)) if isinstance(value, float) else value  # 0.1, not 0.1000…0055
        shown = format_decimal(exact, locale=self.locale, format="#,##0.##", decimal_quantization=False)
        return sourced(shown, source_of(value))

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
        return joined(", ", (part for part in (person.name, person.role, person.organisation) if part))

    def timeframe(self, timeframe: Timeframe) -> str:
        """``01/2019 bis 12/2020 (mittelfristig)``, ``ab 03/2019``, ``kurzfristig``."""
        parts = []
        if timeframe.start and timeframe.end:
            start, end = self.when(timeframe.start), self.when(timeframe.end)
            parts.append(start if start == end else assembled(start, f" {self.labels['to']} ", end))
        elif timeframe.start:
            parts.append(assembled(f"{self.labels['from']} ", self.when(timeframe.start)))
        elif timeframe.end:
            parts.append(assembled(f"{self.labels['until']} ", self.when(timeframe.end)))
        if timeframe.term:
            term = self.value(timeframe.term)
            parts.append(assembled("(", term, ")") if parts else term)
        return joined(" ", parts)

    def indicator_value(self, value: str | None, unit: str, year: int | None) -> str:
        """``52 Prozent (2019)``; a value in words stays as it is; a year alone is ``– (2019)``."""
        shown = _with_unit(value, unit)
        if year is not None:
            shown = assembled(shown or "–", " (", year, ")")
        return shown

    def unit_note(self, indicator: Indicator) -> str:
        """``Einheit: Prozent`` where no value carries the unit (values in words, or none), else ""."""
        unit = indicator.unit or ""
        if not unit or any(
            with_unit(value, unit) != value for value in (indicator.baseline, indicator.target) if value
        ):
            return ""
        if any(unit in value for value in (indicator.baseline, indicator.target) if value):
            return ""
        return assembled(f"{self.labels['unit']}: ", unit)

    def indicator_text(self, indicator: Indicator) -> str:
        """An indicator in one line, nothing left out:
        ``Teilnehmende: Ausgangswert 0 Personen (2019), Zielwert 60 Personen (2021); Quelle: …``.
        """
        unit = indicator.unit or ""
        parts = []
        if indicator.baseline or indicator.baseline_year:
            baseline = self.indicator_value(indicator.baseline, unit, indicator.baseline_year)
            parts.append(assembled(f"{self.labels['baseline']} ", baseline))
        if indicator.target or indicator.target_year:
            target = self.indicator_value(indicator.target, unit, indicator.target_year)
            parts.append(assembled(f"{self.labels['target']} ", target))
        unit_note = self.unit_note(indicator)
        source = assembled(f"{self.labels['source']}: ", indicator.source) if indicator.source else ""
        if not parts:  # no values: unit and source in brackets, not each after a colon ("E: Einheit: Euro")
            notes = [note for note in (unit_note, source) if note]
            return assembled(indicator.name, " (", joined("; ", notes), ")") if notes else indicator.name
        if unit_note:
            parts.append(unit_note)
        text = assembled(indicator.name, ": ", joined(", ", parts))
        return assembled(text, "; ", source) if source else text

    def money(self, amount: float | Decimal, currency: str) -> str:
        """``90.000 €``, ``1.250,50 €``."""
        return sourced(_money(amount, currency, self.locale), source_of(amount))

    def budget(self, budget: Budget | None) -> str:
        """``ca. 90.000 € insgesamt; davon 10 % Eigenanteil``, or the budget's text."""
        if budget is None:
            return ""
        parts = []
        if budget.amount is not None:
            amount = self.money(budget.amount, budget.currency)
            approximate = f"{self.labels['approximately_short']} " if budget.approximate else ""
            period = sourced(self.labels["per_" + str(budget.period)], source_of(budget.period))
            parts.append(assembled(approximate, amount, " " if period else "", period))
        if budget.text:
            parts.append(budget.text)
        return joined("; ", parts)


# What "the whole area" of a Gebietskörperschaft is called, by the first word of its name that says
# what it is (Landkreis Goslar, Kreisfreie Stadt Suhl, Hochtaunuskreis); the first kind matching wins.
_WHOLE_AREA: dict[str, tuple[tuple[str, str], ...]] = {
    "de": (
        ("städteregion", "gesamte Städteregion"),
        ("regionalverband", "gesamtes Verbandsgebiet"),
        ("region", "gesamte Region"),
        ("landkreis", "gesamter Landkreis"),
        ("kreis", "gesamter Kreis"),
        ("bezirk", "gesamter Bezirk"),
        ("stadt", "gesamtes Stadtgebiet"),
        ("gemeinde", "gesamtes Gemeindegebiet"),
        ("markt", "gesamtes Gemeindegebiet"),
        ("amt", "gesamtes Amtsgebiet"),
    ),
    "en": (
        ("region", "whole region"),
        ("kreis", "whole district"),
        ("bezirk", "whole borough"),
        ("stadt", "whole city"),
        ("gemeinde", "whole municipality"),
        ("markt", "whole municipality"),
    ),
}
_WHOLE_AREA_ELSE = {"de": "gesamtes Gebiet", "en": "whole area"}


def whole_area(district: str, language: str) -> str:
    """How a measure for the whole of ``district`` names its area: "gesamter Landkreis" for the
    Landkreis Goslar, "gesamtes Stadtgebiet" for the Stadt Hellerbrück or the Hansestadt Lüneburg."""
    words = district.casefold().replace("-", " ").split()
    if not words:
        return LABELS[language]["whole_district"]
    for word in words:
        for kind, name in _WHOLE_AREA[language]:
            if word.endswith(kind):
                return name
    return _WHOLE_AREA_ELSE[language]


def _with_unit(value: str | None, unit: str) -> str:
    """``labels.with_unit``, the value and the unit each keeping its source."""
    shown = with_unit(value, unit)
    if value and shown == f"{value} {unit}":
        return assembled(value, " ", unit)
    return shown


# Babel's formatting is slow and the same few months recur in every measure of a large concept.
@lru_cache(maxsize=4096)
def _long_date(value: dt.date, locale: str) -> str:
    return format_date(value, "long", locale=locale)


@lru_cache(maxsize=4096)
def _month(value: dt.date, locale: str) -> str:
    return format_date(value, "MM/y", locale=locale)


@lru_cache(maxsize=64)
def _money(amount: float | Decimal, currency: str, locale: str) -> str:
    pattern = Locale.parse(locale).currency_formats["standard"].pattern  # "#,##0.00 ¤", "¤#,##0.00"
    if amount % 1 == 0:
        pattern = pattern.replace(".00", "")
    return format_currency(amount, currency, format=pattern, locale=locale, currency_digits=False)


@lru_cache(maxsize=64)
def word_language(code: str) -> str:
    """A language as Word marks text with it: ``en`` → ``en-US``, ``en-GB`` stays, ``tr`` → ``tr-TR``.

    Word ignores a language tag that is not in its list of languages with their
    regions (“ar-EG”, “tr-TR”; a tag of the language alone, “ar”, is none of
    them), so the likeliest region is taken where the inputs name only the
    language; a region the inputs give stays.
    """
    locale = Locale.parse(code.replace("-", "_"))
    territory = locale.territory or get_global("likely_subtags").get(locale.language, "").split("_")[-1]
    return f"{locale.language}-{territory}" if territory else locale.language
