"""Points in time of a timeframe: a day, a month, a quarter or a year, as planners write them."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import (
    PlainSerializer,
    PlainValidator,
    WithJsonSchema,
)

from .parsing import (
    german_date,
    invalid,
)

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
    day = german_date(value)
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
