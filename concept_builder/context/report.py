"""Figures and tables that sum the concept up: measures by status, overdue measures, the charts,
and the change log since an earlier version.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from typing import Any, TypedDict

from ..charts import Look, status_by_theme, timeline
from ..diff import ChangeLog
from ..labels import field_label
from ..model import MEASURE_STATUSES
from ..structure import Structure
from .chapters import Image
from .items import ItemViews, MeasureView
from .wording import Wording

CHART_WIDTH_CM = 16.0
CHANGE_TEXT_LIMIT = 300  # characters of a long text a change log shows

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


class StatusRow(TypedDict):
    theme: str
    total: str
    counts: str


class FinanceRow(TypedDict):
    theme: str
    counted: str  # how many measures give an amount
    once: str  # sums per period, in each currency: "12.000 €"
    yearly: str
    total: str


class Report:
    """The summary figures of one document."""

    def __init__(self, structure: Structure, wording: Wording, items: ItemViews) -> None:
        self.structure = structure
        self.wording = wording
        self.items = items

    def status_overview(self) -> list[StatusRow]:
        """Per theme: how many measures, and how many in each status; a total row last."""
        rows = []
        totals: Counter[str] = Counter()
        for theme in self.structure.themes:
            counts = Counter(str(m.measure.status) for m in self.structure.selected_measures(theme))
            totals.update(counts)
            name = f"{self.wording.numbered('theme', theme.number)}: {theme.theme.title}"
            rows.append(self.status_row(name, counts))
        rows.append(self.status_row(self.wording["total"], totals))
        return rows

    def status_row(self, name: str, counts: Counter[str]) -> StatusRow:
        parts = [f"{counts[s]} {self.wording.value(s)}" for s in MEASURE_STATUSES if counts[s]]
        return StatusRow(theme=name, total=str(sum(counts.values())), counts=", ".join(parts) or "–")

    def finance(self) -> dict[str, Any] | None:
        """Per theme the budgets given as amounts, summed by period; None where no measure gives one."""
        rows: list[FinanceRow] = []
        totals: dict[tuple[str, str], float] = {}
        counted = measures = 0
        for theme in self.structure.themes:
            sums: dict[tuple[str, str], float] = {}
            theme_counted = 0
            selected = self.structure.selected_measures(theme)
            for node in selected:
                budget = node.measure.funding.budget
                if budget is not None and budget.amount is not None and budget.period is not None:
                    key = (budget.period, budget.currency)
                    sums[key] = sums.get(key, 0.0) + budget.amount
                    totals[key] = totals.get(key, 0.0) + budget.amount
                    theme_counted += 1
            counted += theme_counted
            measures += len(selected)
            if selected:
                name = f"{self.wording.numbered('theme', theme.number)}: {theme.theme.title}"
                rows.append(self.finance_row(name, theme_counted, len(selected), sums))
        if not counted:
            return None
        rows.append(self.finance_row(self.wording["total"], counted, measures, totals))
        wording = self.wording
        all_measures = wording.count(measures, "measure", "measures")
        if counted == measures:
            note = wording["finance_note_all"].format(counted=all_measures)
        else:
            note = wording["finance_note"].format(
                counted=f"{wording.number(counted)} {wording['of']} {all_measures}",
                rest=wording.count(measures - counted, "measure", "measures"),
            )
        return {"rows": rows, "note": note}

    def finance_row(
        self, name: str, counted: int, measures: int, sums: dict[tuple[str, str], float]
    ) -> FinanceRow:
        def cell(period: str) -> str:
            amounts = [
                self.wording.money(v, currency) for (p, currency), v in sorted(sums.items()) if p == period
            ]
            return "; ".join(amounts) or "–"

        return FinanceRow(
            theme=name,
            counted=f"{self.wording.number(counted)} {self.wording['of']} {self.wording.number(measures)}",
            once=cell("einmalig"),
            yearly=cell("jährlich"),
            total=cell("gesamt"),
        )

    def overdue(self) -> list[MeasureView]:
        """Measures whose end lies before the concept's date and that are neither done nor set aside."""
        today = self.structure.concept.meta.date
        return [
            self.items.measure(node)
            for node in self.structure.measures()
            if self.structure.selected(node)
            and node.measure.timeframe.end is not None
            and node.measure.timeframe.end.last < today
            and node.measure.status not in ("umgesetzt", "zurückgestellt")
        ]

    def charts(self, look: Look) -> tuple[dict[str, Any], list[str]]:
        """The charts, numbered as figures in document order, and what could not be shown as planned.

        ``status`` is a figure or None (no measures); ``timeline`` a list of
        figures, empty where no measure has both dates.
        """
        status = status_by_theme(self.structure, self.wording, look)
        plan = timeline(self.structure, self.wording, look)
        figures = [chart for chart in [status, *plan.charts] if chart is not None]
        views = [
            {
                "image": Image(
                    chart.alt, chart.png, f"chart{number}.png", chart.caption, width_cm=CHART_WIDTH_CM
                ),
                "number": number,
                "caption": chart.caption,
            }
            for number, chart in enumerate(figures, 1)
        ]
        return {
            "status": views[0] if status else None,
            "timeline": views[1:] if status else views,
        }, plan.notes

    def change_log(self, changes: ChangeLog | None) -> dict[str, Any] | None:
        """The changes since an earlier version, a row per field, for the appendix."""
        if changes is None:
            return None
        rows = []
        for change in changes.changes:
            item = f"{change.label} {change.title}".strip()
            kind = self.wording[change.kind]
            if change.kind != "changed":
                rows.append({"kind": kind, "item": item, "field": "", "old": "", "new": ""})
            for field_change in change.fields:
                rows.append(
                    {
                        "kind": kind,
                        "item": item,
                        "field": field_label(field_change.field, self.wording.language),
                        "old": self.changed_value(field_change.field, field_change.old),
                        "new": self.changed_value(field_change.field, field_change.new),
                    }
                )
        return {"old_version": changes.old_version, "rows": rows}

    def changed_value(self, field: str, value: str) -> str:
        """A value in the change log as the document prints it: dates and key-figure values localised."""
        if _ISO_DATE.match(value):
            return self.wording.date(dt.date.fromisoformat(value))
        if field == "value" and _NUMBER.match(value):
            return self.wording.number(float(value))
        text = self.wording.value(value)
        return text if len(text) <= CHANGE_TEXT_LIMIT else text[: CHANGE_TEXT_LIMIT - 1].rstrip() + "…"
