"""The anchors a build is compared with, made from the same synthetic input folder.

- **plain docxtpl**: an equivalent template (the same chapters, headings,
  paragraphs, bullets, goal tables, measure profiles and overview tables, in
  python-docx's default styles) rendered with docxtpl as its documentation
  shows – ``DocxTemplate(...).render(context, autoescape=True)`` – from the
  YAML read with libyaml. No bookmarks, links or charts: the same text, not
  the same features.
- **pandoc**: the same content as Markdown (pipe tables), converted by pandoc.
- **floor**: python-docx opening plain docxtpl's output and saving it again.
  A fixed reference: it does not grow when our own output does.

``python bench/anchors.py template PATH`` writes the template;
``python bench/anchors.py render TEMPLATE INPUT_DIR OUT.docx`` is the plain
docxtpl process; ``python bench/anchors.py markdown INPUT_DIR OUT.md`` writes
the Markdown; ``python bench/anchors.py floor IN.docx OUT.docx`` the floor.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

PROFILE = [
    ("Status", "status"),
    ("Trägt bei zu", "goals_text"),
    ("Federführung", "lead"),
    ("Partner", "partners_text"),
    ("Zielgruppen", "target_groups_text"),
    ("Zeitraum", "timeframe_text"),
    ("Priorität", "priority"),
    ("Ressourcen", "resources"),
    ("Budget", "budget"),
    ("Finanzierung", "funding_source"),
    ("Indikatoren", "indicators_text"),
    ("Gebiet", "area"),
    ("Querschnittsthemen", "cross_cutting_text"),
    ("Ansprechperson", "contact"),
]
OVERVIEW = ["Nr.", "Maßnahme", "Federführung", "Zeitraum", "Priorität", "Status"]


# --- reading the input folder, as a docxtpl user would -----------------------------------------


def read_folder(folder: Path) -> dict[str, Any]:
    """concept.yaml with its included files, as plain data (libyaml, no line numbers)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    def load(path: Path) -> Any:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
        return resolve(data, path.parent)

    def resolve(value: Any, base: Path) -> Any:
        if isinstance(value, dict):
            if list(value) == ["include"]:
                return load(base / value["include"])
            return {key: resolve(item, base) for key, item in value.items()}
        if isinstance(value, list):
            return [resolve(item, base) for item in value]
        return value

    return dict(load(folder / "concept.yaml"))


def _blocks(text: str | None) -> tuple[list[str], list[str]]:
    """Paragraphs and bullet items of a free text (blank lines part paragraphs, "- " starts an item)."""
    paragraphs, bullets = [], []
    for block in (text or "").split("\n\n"):
        for line in block.split("\n"):
            if line.startswith("- "):
                bullets.append(line[2:])
            elif line.strip():
                paragraphs.append(line)
    return paragraphs, bullets


def content(data: dict[str, Any]) -> dict[str, Any]:
    """The values the plain template and the Markdown show, numbered as our documents number them."""
    themes = []
    for t, theme in enumerate(data["themes"], 1):
        goal_titles = {}
        goals: list[dict[str, Any]] = []
        for g, goal in enumerate(theme.get("goals", []), 1):
            label = f"Ziel {t}.{g} {goal['title']}"
            goal_titles[goal["id"]] = label
            goals.append(
                {
                    "label": label,
                    "paragraphs": _blocks(goal.get("description"))[0],
                    "indicators": [
                        {key: str(i.get(key) or "–") for key in ("name", "baseline", "target", "source")}
                        for i in goal.get("indicators", [])
                    ],
                    "measure_titles": [],
                }
            )
        measures = []
        for m, measure in enumerate(theme.get("measures", []), 1):
            paragraphs, bullets = _blocks(measure.get("description"))
            timeframe = measure.get("timeframe") or {}
            funding = measure.get("funding") or {}
            view: dict[str, Any] = {
                "number": f"{t}.{m}",
                "label": f"Maßnahme {t}.{m} {measure['title']}",
                "title": measure["title"],
                "paragraphs": paragraphs,
                "bullets": bullets,
                "status": measure.get("status", ""),
                "goals_text": "\n".join(goal_titles.get(g, g) for g in measure.get("goals", [])),
                "lead": measure.get("lead", ""),
                "partners_text": ", ".join(measure.get("partners", [])) or "–",
                "target_groups_text": ", ".join(measure.get("target_groups", [])) or "–",
                "timeframe_text": f"{timeframe.get('start', '')} bis {timeframe.get('end', '')}",
                "priority": measure.get("priority", ""),
                "resources": funding.get("resources") or "–",
                "budget": funding.get("budget") or "–",
                "funding_source": funding.get("source") or "–",
                "indicators_text": "; ".join(
                    f"{i['name']}: {i.get('target', '')} {i.get('unit', '')}"
                    for i in measure.get("indicators", [])
                )
                or "–",
                "area": measure.get("area", ""),
                "cross_cutting_text": ", ".join(measure.get("cross_cutting", [])) or "–",
                "contact": measure.get("contact") or "–",
            }
            for g in measure.get("goals", []):
                for goal_view, goal in zip(goals, theme.get("goals", []), strict=True):
                    if goal["id"] == g:
                        goal_view["measure_titles"].append(view["label"])
            measures.append(view)
        for goal_view in goals:
            goal_view["measures_text"] = "\n".join(goal_view.pop("measure_titles"))
        themes.append(
            {
                "label": f"Handlungsfeld {t}: {theme['title']}",
                "paragraphs": _blocks(theme.get("description"))[0],
                "challenges": theme.get("challenges", []),
                "goals": goals,
                "measures": measures,
                "quotes": [q for q in data.get("quotes", []) if q.get("themes", [None])[0] == theme["id"]],
            }
        )
    start = data.get("starting_point") or {}
    return {
        "meta": data["meta"],
        "foreword": _blocks((data.get("foreword") or {}).get("text"))[0],
        "starting_point": _blocks(start.get("text"))[0],
        "key_figures": [
            {key: str(f.get(key, "")) for key in ("indicator", "value", "unit", "year", "source")}
            for f in start.get("key_figures", [])
        ],
        "principles": [
            {"title": p["title"], "paragraphs": _blocks(p.get("text"))[0]} for p in data.get("principles", [])
        ],
        "themes": themes,
        "monitoring": _blocks((data.get("monitoring") or {}).get("text"))[0],
        "steps": (data.get("monitoring") or {}).get("steps", []),
    }


# --- plain docxtpl ---------------------------------------------------------------------------


def make_template(path: Path) -> None:
    """The equivalent template, written with python-docx in its default styles."""
    from docx import Document
    from docx.shared import Cm

    doc = Document()

    def tag(text: str) -> None:
        doc.add_paragraph(text)

    def paragraphs(expression: str, style: str | None = None) -> None:
        tag("{%p for text in " + expression + " %}")
        doc.add_paragraph("{{ text }}", style=style)
        tag("{%p endfor %}")

    def table(headers: list[str] | None, loop: str, cells: list[str], widths: list[float]) -> None:
        rows = (1 if headers else 0) + 3
        grid = doc.add_table(rows=rows, cols=len(cells))
        grid.style = doc.styles["Table Grid"]
        grid.autofit = False
        for row in grid.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = Cm(width)
        first = 0
        if headers:
            for cell, text in zip(grid.rows[0].cells, headers, strict=True):
                cell.paragraphs[0].add_run(text).bold = True
            first = 1
        grid.rows[first].cells[0].paragraphs[0].add_run("{%tr for " + loop + " %}")
        for cell, text in zip(grid.rows[first + 1].cells, cells, strict=True):
            cell.paragraphs[0].add_run(text)
        grid.rows[first + 2].cells[0].paragraphs[0].add_run("{%tr endfor %}")

    doc.add_paragraph("{{ meta.district }}", style="Subtitle")
    doc.add_paragraph("{{ meta.title }}", style="Title")
    doc.add_heading("Vorwort", 1)
    paragraphs("foreword")
    doc.add_heading("Ausgangslage", 1)
    paragraphs("starting_point")
    table(
        ["Kennzahl", "Wert", "Jahr", "Quelle"],
        "f in key_figures",
        ["{{ f.indicator }}", "{{ f.value }} {{ f.unit }}", "{{ f.year }}", "{{ f.source }}"],
        [6.0, 2.8, 1.4, 5.8],
    )
    doc.add_heading("Leitlinien", 1)
    tag("{%p for p in principles %}")
    doc.add_heading("{{ p.title }}", 2)
    paragraphs("p.paragraphs")
    tag("{%p endfor %}")
    doc.add_heading("Handlungsfelder", 1)
    tag("{%p for theme in themes %}")
    doc.add_heading("{{ theme.label }}", 2)
    paragraphs("theme.paragraphs")
    doc.add_heading("Herausforderungen", 3)
    paragraphs("theme.challenges", "List Bullet")
    doc.add_heading("Ziele", 3)
    tag("{%p for goal in theme.goals %}")
    doc.add_heading("{{ goal.label }}", 4)
    paragraphs("goal.paragraphs")
    table(
        ["Indikator", "Ausgangswert", "Zielwert", "Quelle"],
        "i in goal.indicators",
        ["{{ i.name }}", "{{ i.baseline }}", "{{ i.target }}", "{{ i.source }}"],
        [6.0, 2.9, 2.9, 4.2],
    )
    doc.add_paragraph("Maßnahmen zu diesem Ziel: {{ goal.measures_text }}")
    tag("{%p endfor %}")
    doc.add_heading("Maßnahmen", 3)
    tag("{%p for m in theme.measures %}")
    doc.add_heading("{{ m.label }}", 4)
    paragraphs("m.paragraphs")
    paragraphs("m.bullets", "List Bullet")
    profile = doc.add_table(rows=len(PROFILE), cols=2)
    profile.style = doc.styles["Table Grid"]
    profile.autofit = False
    for row, (label, key) in zip(profile.rows, PROFILE, strict=True):
        row.cells[0].width, row.cells[1].width = Cm(4.2), Cm(11.8)
        row.cells[0].paragraphs[0].add_run(label).bold = True
        row.cells[1].paragraphs[0].add_run("{{ m." + key + " }}")
    tag("{%p endfor %}")
    doc.add_heading("Stimmen", 3)
    tag("{%p for q in theme.quotes %}")
    doc.add_paragraph("„{{ q.text }}“", style="Quote")
    doc.add_paragraph("– {{ q.person }} ({{ q.role }})")
    tag("{%p endfor %}")
    tag("{%p endfor %}")
    doc.add_heading("Übersicht der Maßnahmen", 1)
    tag("{%p for theme in themes %}")
    doc.add_heading("{{ theme.label }}", 2)
    table(
        OVERVIEW,
        "m in theme.measures",
        [
            "{{ m.number }}",
            "{{ m.title }}",
            "{{ m.lead }}",
            "{{ m.timeframe_text }}",
            "{{ m.priority }}",
            "{{ m.status }}",
        ],
        [1.3, 4.5, 3.2, 2.2, 2.2, 2.6],
    )
    tag("{%p endfor %}")
    doc.add_heading("Monitoring", 1)
    paragraphs("monitoring")
    paragraphs("steps", "List Bullet")
    doc.save(str(path))


def render_plain(template: Path, folder: Path, out: Path) -> None:
    """The plain docxtpl process: read the YAML, render the template, save."""
    from docxtpl import DocxTemplate

    document = DocxTemplate(str(template))
    document.render(content(read_folder(folder)), autoescape=True)
    document.save(str(out))


# --- pandoc ----------------------------------------------------------------------------------


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _table(headers: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(_cell(cell) for cell in row) + " |" for row in rows]
    return [*lines, ""]


def markdown(folder: Path) -> str:
    """The same content as Markdown for pandoc."""
    values = content(read_folder(folder))
    lines = [f"# {values['meta']['title']}", "", values["meta"]["district"], "", "# Vorwort", ""]
    lines += [text + "\n" for text in values["foreword"]]
    lines += ["# Ausgangslage", ""] + [text + "\n" for text in values["starting_point"]]
    lines += _table(
        ["Kennzahl", "Wert", "Jahr", "Quelle"],
        [
            [f["indicator"], f"{f['value']} {f['unit']}", f["year"], f["source"]]
            for f in values["key_figures"]
        ],
    )
    lines += ["# Leitlinien", ""]
    for principle in values["principles"]:
        lines += [f"## {principle['title']}", ""] + [text + "\n" for text in principle["paragraphs"]]
    lines += ["# Handlungsfelder", ""]
    for theme in values["themes"]:
        lines += [f"## {theme['label']}", ""] + [text + "\n" for text in theme["paragraphs"]]
        lines += ["### Herausforderungen", ""] + [f"- {item}" for item in theme["challenges"]] + [""]
        lines += ["### Ziele", ""]
        for goal in theme["goals"]:
            lines += [f"#### {goal['label']}", ""] + [text + "\n" for text in goal["paragraphs"]]
            lines += _table(
                ["Indikator", "Ausgangswert", "Zielwert", "Quelle"],
                [[i["name"], i["baseline"], i["target"], i["source"]] for i in goal["indicators"]],
            )
            lines += ["**Maßnahmen zu diesem Ziel:** " + goal["measures_text"].replace("\n", "\\\n"), ""]
        lines += ["### Maßnahmen", ""]
        for measure in theme["measures"]:
            lines += [f"#### {measure['label']}", ""] + [text + "\n" for text in measure["paragraphs"]]
            lines += [f"- {item}" for item in measure["bullets"]] + [""]
            lines += _table(["", ""], [[label, measure[key]] for label, key in PROFILE])
        lines += ["### Stimmen", ""]
        for quote in theme["quotes"]:
            lines += [f"> „{quote['text']}“", "", f"– {quote['person']} ({quote['role']})", ""]
    lines += ["# Übersicht der Maßnahmen", ""]
    for theme in values["themes"]:
        lines += [f"## {theme['label']}", ""]
        lines += _table(
            OVERVIEW,
            [
                [m["number"], m["title"], m["lead"], m["timeframe_text"], m["priority"], m["status"]]
                for m in theme["measures"]
            ],
        )
    lines += ["# Monitoring", ""] + [text + "\n" for text in values["monitoring"]]
    lines += [f"- {step}" for step in values["steps"]]
    return "\n".join(lines) + "\n"


# --- the floor ---------------------------------------------------------------------------------


def floor(document: Path, out: Path) -> None:
    from docx import Document

    Document(str(document)).save(str(out))


if __name__ == "__main__":
    command, *arguments = sys.argv[1:]
    if command == "template":
        make_template(Path(arguments[0]))
    elif command == "render":
        render_plain(Path(arguments[0]), Path(arguments[1]), Path(arguments[2]))
    elif command == "markdown":
        Path(arguments[1]).write_text(markdown(Path(arguments[0])), encoding="utf-8")
    elif command == "floor":
        floor(Path(arguments[0]), Path(arguments[1]))
    else:
        raise SystemExit(__doc__)
