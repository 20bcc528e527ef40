"""How typed text becomes values: dates, numbers and yes/no as German writers type them, and the error
that quotes what was typed and says what to write instead."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Any

from pydantic import (
    ValidationInfo,
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


def german_date(value: object) -> object:
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


def one_or_many(value: object) -> object:
    """A single value where a list is expected is a list of one: ``lead: A`` as well as ``lead: [A, B]``."""
    return [value] if isinstance(value, (str, dict)) else value


def german_bool(value: object) -> object:
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


def german_number(value: object, info: ValidationInfo) -> object:
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


def whole_number(value: object, info: ValidationInfo) -> object:
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
