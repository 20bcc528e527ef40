"""Figures and tables that sum the concept up: measures by status, overdue measures, the charts,
and the change log since an earlier version.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypedDict

from .. import word
from ..diff import ChangeLog, FieldChange
from ..drawing import Look
from ..labels import field_label
from ..model import MEASURE_STATUSES
from ..structure import Structure
from ..wording import Wording
from .charts import status_by_theme, timeline
from .front_matter import Image
from .items import ItemViews, MeasureView

CHART_WIDTH_CM = 16.0

_WEB_ADDRESS = re.compile(r"https?://[^\s<>\[\]()\"']+[^\s<>\[\]()\"'.,;:!?]")


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


@dataclass(frozen=True)
class _Sum:
    """A sum of amounts, and whether one of them is approximate.

    Summed as decimals: in floating point, a sum beyond 2^53 (about 9 · 10^15, ten amounts of the
    largest a measure may give) would print with its last digits wrong.
    """

    amount: Decimal = Decimal(0)
    approximate: bool = False

    def add(self, amount: float, approximate: bool) -> _Sum:
        return _Sum(self.amount + Decimal(float.__repr__(amount)), self.approximate or approximate)


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
        """Per theme the budgets given as amounts, summed by period; None where no measure gives one.

        A sum holding an approximate amount is itself approximate ("ca."). Measures set
        aside (zurückgestellt) are not in the sums: the money is not planned to be spent;
        the note says how many were left out.
        """
        rows: list[FinanceRow] = []
        totals: dict[tuple[str, str], _Sum] = {}
        counted = measures = deferred = 0
        for theme in self.structure.themes:
            sums: dict[tuple[str, str], _Sum] = {}
            theme_counted = 0
            selected = self.structure.selected_measures(theme)
            for node in selected:
                budget = node.measure.funding.budget
                if budget is None or budget.amount is None or budget.period is None:
                    continue
                if node.measure.status == "zurückgestellt":
                    deferred += 1
                    continue
                key = (budget.period, budget.currency)
                for table in (sums, totals):
                    table[key] = table.get(key, _Sum()).add(budget.amount, budget.approximate)
                theme_counted += 1
            counted += theme_counted
            measures += len(selected)
            if selected:
                name = f"{self.wording.numbered('theme', theme.number)}: {theme.theme.title}"
                rows.append(self.finance_row(name, theme_counted, len(selected), sums))
        if not counted:
            return None
        rows.append(self.finance_row(self.wording["total"], counted, measures, totals))
        return {"rows": rows, "note": self.finance_note(counted, measures, deferred, totals)}

    def finance_note(self, counted: int, measures: int, deferred: int, totals: dict[Any, _Sum]) -> str:
        """What the sums hold: of how many measures, which are left out, what "ca." means."""
        wording = self.wording
        all_measures = wording.count(measures, "measure", "measures")
        rest = measures - counted - deferred
        if rest == 0 and deferred == 0:
            note = wording["finance_note_all"].format(counted=all_measures)
        else:
            note = wording["finance_note_some"].format(
                counted=f"{wording.number(counted)} {wording['of']} {all_measures}"
            )
            if rest:
                note += " " + wording["finance_no_amount"].format(
                    rest=wording.count(rest, "measure", "measures")
                )
        if deferred:
            key = "finance_deferred_one" if deferred == 1 else "finance_deferred_many"
            note += " " + wording[key].format(count=wording.number(deferred))
        if any(total.approximate for total in totals.values()):
            note += " " + wording["finance_approximate"]
        return note

    def finance_row(
        self, name: str, counted: int, measures: int, sums: dict[tuple[str, str], _Sum]
    ) -> FinanceRow:
        def cell(period: str) -> str:
            amounts = [
                (f"{self.wording['approximately_short']} " if total.approximate else "")
                + self.wording.money(total.amount, currency)
                for (p, currency), total in sorted(sums.items())
                if p == period
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
        figures, empty where no measure has both dates; ``timeline_left_out`` the
        sentence naming the measures the timeline leaves out ("" where it shows all).
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
            "timeline_left_out": plan.left_out,
        }, plan.notes

    def change_log(self, changes: ChangeLog | None) -> dict[str, Any] | None:
        """The changes since an earlier version: each item once, in document order, with its fields.

        ``groups`` hold an item each, its changed fields as prepared paragraphs (a long
        text word by word); ``rows`` the same as a table, a row per field.
        """
        if changes is None:
            return None
        wording = self.wording
        groups, rows = [], []
        for change in changes.changes:
            item = f"{change.label} {change.title}".strip()
            if change.old_label:
                item += f" ({wording['was']} {change.old_label})"
            kind = wording[change.kind]
            lines = []
            for field_change in change.fields:
                name = field_label(field_change.field, wording.language)
                old, new = field_change.old, field_change.new
                rows.append({"kind": kind, "item": item, "field": name, "old": old, "new": new})
                lines.append(self.change_line(name, field_change))
            if not change.fields:
                rows.append({"kind": kind, "item": item, "field": "", "old": "", "new": ""})
            groups.append({"kind": kind, "item": item, "details": word.join(lines)})
        counts = Counter(change.kind for change in changes.changes)
        intro = wording["changes_intro"].format(
            version=changes.old_version,
            changed=wording.count(counts["changed"], "entry", "entries"),
            added=wording.number(counts["added"]),
            removed=wording.number(counts["removed"]),
        )
        return {"old_version": changes.old_version, "intro": intro, "groups": groups, "rows": rows}

    def change_line(self, name: str, change: FieldChange) -> str:
        """A paragraph for one changed field: "Status: geplant → umgesetzt", an entry of a list that
        came or went ("Unterzeichnet von „…“: neu – …"), or a long text word by word.
        """
        styles = self.items.fragments.styles
        runs = [word.text_runs(f"{name}: ", bold=True)]
        if change.kind != "changed":
            runs.append(self.linked_runs(f"{self.wording[change.kind]} – {change.new or change.old}"))
        elif change.words:
            for kind, text, space in change.marked():
                if kind == "same":
                    runs.append(self.linked_runs(text + space))
                else:  # marked in the text too: strike-through and underline alone would not be read out
                    removed = kind == "removed"
                    runs.append(word.text_runs("[−" if removed else "[+"))
                    runs.append(self.linked_runs(text, strike=removed, underline=not removed))
                    runs.append(word.text_runs("]" + space))
        else:
            runs.append(self.linked_runs(f"{change.old or '–'} → {change.new or '–'}"))
        return word.paragraph("".join(runs), style=styles["body"])

    def linked_runs(self, text: str, *, strike: bool = False, underline: bool = False) -> str:
        """Runs for ``text`` in which each web address is a link: a printed address readers can follow."""
        fragments = self.items.fragments
        runs = []
        position = 0
        for match in _WEB_ADDRESS.finditer(text):
            if match.start() > position:
                runs.append(
                    word.text_runs(text[position : match.start()], strike=strike, underline=underline)
                )
            address = match.group()
            runs_of_link = word.text_runs(
                address, style=fragments.styles["hyperlink"] or None, strike=strike, underline=underline
            )
            runs.append(word.external_link(fragments.relationship(address), runs_of_link))
            position = match.end()
        if position < len(text):
            runs.append(word.text_runs(text[position:], strike=strike, underline=underline))
        return "".join(runs)
