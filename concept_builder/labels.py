"""The fixed words the default templates print, per document language."""

from __future__ import annotations

import re

LABELS: dict[str, dict[str, str]] = {
    "de": {
        "contents": "Inhalt",
        "foreword": "Vorwort",
        "introduction": "Anlass und Auftrag",
        "starting_point": "Ausgangslage",
        "key_figures": "Kennzahlen",
        "indicator": "Kennzahl",
        "value": "Wert",
        "year": "Jahr",
        "source": "Quelle",
        "principles": "Leitlinien",
        "process": "Beteiligungsprozess",
        "date": "Datum",
        "place": "Ort",
        "format": "Format",
        "participants": "Teilnehmende",
        "groups": "Vertreten waren",
        "results": "Ergebnisse nach Handlungsfeldern",
        "themes": "Handlungsfelder",
        "theme": "Handlungsfeld",
        "cross_cutting_themes": "Querschnittsthemen",
        "challenges": "Herausforderungen",
        "goals": "Ziele",
        "goal": "Ziel",
        "goal_indicator": "Indikator",
        "baseline": "Ausgangswert",
        "target": "Zielwert",
        "measures": "Maßnahmen",
        "measure": "Maßnahme",
        "number": "Nr.",
        "title": "Titel",
        "lead": "Federführung",
        "partners": "Partner",
        "target_groups": "Zielgruppen",
        "timeframe": "Zeitraum",
        "priority": "Priorität",
        "resources": "Ressourcen",
        "budget": "Budget",
        "funding": "Finanzierung",
        "indicators": "Indikatoren",
        "status": "Status",
        "area": "Gebiet",
        "contact": "Ansprechpartner",
        "serves_goals": "Trägt bei zu",
        "served_by": "Maßnahmen zu diesem Ziel",
        "quotes": "Stimmen aus dem Beteiligungsprozess",
        "overview": "Maßnahmenübersicht",
        "monitoring": "Umsetzung und Monitoring",
        "review_cycle": "Berichtswesen",
        "sources": "Quellen",
        "glossary": "Glossar und Abkürzungen",
        "term": "Begriff",
        "definition": "Erläuterung",
        "imprint": "Impressum",
        "publisher": "Herausgeber",
        "authors": "Bearbeitung",
        "consultancy": "Prozessbegleitung",
        "partners_funders": "Partner und Förderer",
        "programme": "Programm",
        "version": "Version",
        "replaces": "ersetzt Version",
        "adopted": "Beschlossen",
        "steering_group": "Steuerungsgruppe",
        "draft": "ENTWURF",
        "example": "Beispielinhalt",
        "example_note": (
            "Mit „Beispielinhalt“ gekennzeichnete Abschnitte sind illustrativ. "
            "Sie zeigen Aufbau und Umfang eines vollständigen Konzepts und sind keine beschlossenen Inhalte."
        ),
        "page": "Seite",
        "of": "von",
        "to": "bis",
        "from": "ab",
        "until": "bis",
        "approximately": "rund",
        "whole_district": "gesamter Landkreis",
        "yes": "ja",
        "no": "nein",
        "toc_hint": "Das Inhaltsverzeichnis wird beim Öffnen in Word aktualisiert.",
        "figure": "Abbildung",
        "priority_measures": "Schwerpunktmaßnahmen",
        "report_status": "Stand der Umsetzung",
        "report_as_of": "Stand:",
        "status_counts": "davon",
        "total": "Gesamt",
        "overdue": "Maßnahmen mit überschrittenem Enddatum",
        "nothing_overdue": "Keine Maßnahme hat ihr Enddatum überschritten.",
        "end": "Ende",
        "variant_kurzfassung": "Kurzfassung",
        "variant_massnahmenkatalog": "Maßnahmenkatalog",
        "variant_auszug": "Auszug für",
        "variant_umsetzungsbericht": "Umsetzungsbericht",
        "changes_since": "Änderungen gegenüber Version",
        "change": "Änderung",
        "item": "Eintrag",
        "field": "Feld",
        "before": "bisher",
        "after": "jetzt",
        "added": "neu",
        "removed": "entfallen",
        "changed": "geändert",
        "no_changes": "Gegenüber der vorigen Version hat sich nichts geändert.",
        "quote": "Stimme",
        "event": "Veranstaltung",
        "principle": "Leitlinie",
        "key_figure": "Kennzahl",
        "chart_status": "Maßnahmen nach Handlungsfeld und Umsetzungsstand",
        "chart_status_alt": (
            "Balkendiagramm: {measures} in {themes}, nach Umsetzungsstand ({totals}). "
            "Die Zahlen je Handlungsfeld stehen in der Tabelle zur Abbildung."
        ),
        "chart_timeline_alt": (
            "Zeitplan: {measures} zwischen {first} und {last}, je ein Balken vom Beginn bis zum Ende. "
            "Die Zeiträume stehen in den Maßnahmenübersichten."
        ),
        "chart_timeline_themes_alt": (
            "Zeitplan: je Handlungsfeld ein Balken vom frühesten Beginn bis zum spätesten Ende seiner "
            "Maßnahmen, {themes} zwischen {first} und {last}. Die Zeiträume der einzelnen Maßnahmen "
            "stehen in den Maßnahmenübersichten."
        ),
        "part": "Teil",
        "stand": "Stand",
        "themes_dative": "Handlungsfeldern",
        "chart_timeline": "Zeitplan der Maßnahmen mit festem Start- und Enddatum",
        "timeline": "Zeitplan",
        "timeline_left_out": "Nicht im Zeitplan: {measures} ohne festes Start- und Enddatum ({numbers}).",
        "and": "und",
        "unit": "Einheit",
        "approximately_short": "ca.",
        "per_einmalig": "einmalig",
        "per_jährlich": "jährlich",
        "per_gesamt": "insgesamt",
        "adoption_planned": "Beschluss vorgesehen",
        "meta": "Titelseite und Impressum",
        "cross_cutting_theme": "Querschnittsthema",
        "glossary_entry": "Glossareintrag",
        "concept": "Konzept",
        "changes_intro": (
            "Gegenüber Version {version}: {changed} geändert, {added} neu, {removed} entfallen."
            " In längeren Texten stehen gestrichene Wörter durchgestrichen in [− …], neue unterstrichen"
            " in [+ …]."
        ),
        "entries": "Einträge",
        "entry": "Eintrag",
        "was": "bisher",
        "finance": "Finanzübersicht",
        "finance_once": "einmalig",
        "finance_yearly": "jährlich",
        "finance_total": "für die Laufzeit",
        "finance_counted": "mit Betrag",
        "finance_note_some": "Summen der bezifferten Budgets von {counted}.",
        "finance_no_amount": "{rest} nennen keinen Betrag.",
        "finance_note_all": "Summen der bezifferten Budgets aller {counted}.",
        "finance_deferred_one": "{count} zurückgestellte Maßnahme mit Betrag ist nicht mitgerechnet.",
        "finance_deferred_many": "{count} zurückgestellte Maßnahmen mit Betrag sind nicht mitgerechnet.",
        "finance_approximate": "„ca.“ steht vor Summen, die ungefähre Beträge enthalten.",
        "status_reason": "Begründung",
        "signed": "Unterzeichnet von",
        "quote_source": "Quelle",
        "covered_themes": "Handlungsfelder",
        "covered_theme": "Handlungsfeld",
        "covered_measures": "Maßnahmen",
        "covered_measure": "Maßnahme",
        "covers_nothing": "Noch keinem Handlungsfeld und keiner Maßnahme zugeordnet.",
        "quote_open": "„",
        "quote_close": "“",
    },
    "en": {
        "contents": "Contents",
        "foreword": "Foreword",
        "introduction": "Background and mandate",
        "starting_point": "Starting point",
        "key_figures": "Key figures",
        "indicator": "Indicator",
        "value": "Value",
        "year": "Year",
        "source": "Source",
        "principles": "Guiding principles",
        "process": "Participation process",
        "date": "Date",
        "place": "Place",
        "format": "Format",
        "participants": "Participants",
        "groups": "Represented",
        "results": "Results by field of action",
        "themes": "Fields of action",
        "theme": "Field of action",
        "cross_cutting_themes": "Cross-cutting themes",
        "challenges": "Challenges",
        "goals": "Goals",
        "goal": "Goal",
        "goal_indicator": "Indicator",
        "baseline": "Baseline",
        "target": "Target",
        "measures": "Measures",
        "measure": "Measure",
        "number": "No.",
        "title": "Title",
        "lead": "Lead",
        "partners": "Partners",
        "target_groups": "Target groups",
        "timeframe": "Timeframe",
        "priority": "Priority",
        "resources": "Resources",
        "budget": "Budget",
        "funding": "Funding",
        "indicators": "Indicators",
        "status": "Status",
        "area": "Area",
        "contact": "Contact",
        "serves_goals": "Contributes to",
        "served_by": "Measures for this goal",
        "quotes": "Voices from the participation process",
        "overview": "Overview of measures",
        "monitoring": "Implementation and monitoring",
        "review_cycle": "Reporting",
        "sources": "Sources",
        "glossary": "Glossary and abbreviations",
        "term": "Term",
        "definition": "Meaning",
        "imprint": "Imprint",
        "publisher": "Publisher",
        "authors": "Authors",
        "consultancy": "Process support",
        "partners_funders": "Partners and funders",
        "programme": "Programme",
        "version": "Version",
        "replaces": "replaces version",
        "adopted": "Adopted",
        "steering_group": "Steering group",
        "draft": "DRAFT",
        "example": "Example content",
        "example_note": (
            "Sections marked “Example content” are illustrative. They show the structure and scope "
            "of a complete concept and are not adopted content."
        ),
        "page": "Page",
        "of": "of",
        "to": "to",
        "from": "from",
        "until": "until",
        "approximately": "about",
        "whole_district": "whole district",
        "yes": "yes",
        "no": "no",
        "toc_hint": "The table of contents is updated when the document is opened in Word.",
        "figure": "Figure",
        "priority_measures": "Priority measures",
        "report_status": "State of implementation",
        "report_as_of": "As of",
        "status_counts": "of which",
        "total": "Total",
        "overdue": "Measures past their end date",
        "nothing_overdue": "No measure is past its end date.",
        "end": "End",
        "variant_kurzfassung": "Summary",
        "variant_massnahmenkatalog": "Catalogue of measures",
        "variant_auszug": "Extract for",
        "variant_umsetzungsbericht": "Implementation report",
        "changes_since": "Changes since version",
        "change": "Change",
        "item": "Item",
        "field": "Field",
        "before": "before",
        "after": "now",
        "added": "added",
        "removed": "removed",
        "changed": "changed",
        "no_changes": "Nothing has changed since the previous version.",
        "quote": "Voice",
        "event": "Event",
        "principle": "Principle",
        "key_figure": "Key figure",
        "chart_status": "Measures by field of action and status",
        "chart_status_alt": (
            "Bar chart: {measures} in {themes}, by status ({totals}). "
            "The figures per field of action are in the table with the chart."
        ),
        "chart_timeline_alt": (
            "Timeline: {measures} between {first} and {last}, a bar each from start to end. "
            "The periods are in the overview tables."
        ),
        "chart_timeline_themes_alt": (
            "Timeline: a bar per field of action from the earliest start to the latest end of its "
            "measures, {themes} between {first} and {last}. The periods of the single measures are in "
            "the overview tables."
        ),
        "part": "part",
        "stand": "As of",
        "themes_dative": "fields of action",
        "chart_timeline": "Timeline of the measures with a fixed start and end date",
        "timeline": "Timeline",
        "timeline_left_out": (
            "Not in the timeline: {measures} without a fixed start and end date ({numbers})."
        ),
        "and": "and",
        "unit": "Unit",
        "approximately_short": "approx.",
        "per_einmalig": "one-off",
        "per_jährlich": "per year",
        "per_gesamt": "in total",
        "adoption_planned": "Adoption planned",
        "meta": "Cover and imprint",
        "cross_cutting_theme": "Cross-cutting theme",
        "glossary_entry": "Glossary entry",
        "concept": "Concept",
        "changes_intro": (
            "Since version {version}: {changed} changed, {added} added, {removed} removed."
            " In longer texts, removed words are struck through in [− …], new ones underlined in [+ …]."
        ),
        "entries": "items",
        "entry": "item",
        "was": "was",
        "finance": "Financial overview",
        "finance_once": "one-off",
        "finance_yearly": "per year",
        "finance_total": "for the whole timeframe",
        "finance_counted": "with an amount",
        "finance_note_some": "Sums of the budgets given as amounts of {counted}.",
        "finance_no_amount": "{rest} give no amount.",
        "finance_note_all": "Sums of the budgets given as amounts of all {counted}.",
        "finance_deferred_one": "{count} deferred measure with an amount is not included.",
        "finance_deferred_many": "{count} deferred measures with an amount are not included.",
        "finance_approximate": "“approx.” marks sums that include approximate amounts.",
        "status_reason": "Reason",
        "signed": "Signed by",
        "quote_source": "Source",
        "covered_themes": "Fields of action",
        "covered_theme": "Field of action",
        "covered_measures": "Measures",
        "covered_measure": "Measure",
        "covers_nothing": "Not yet assigned to any field of action or measure.",
        "quote_open": "“",
        "quote_close": "”",
    },
}

# Values of the input vocabulary (statuses, priorities, terms) as printed in English.
VALUES_EN: dict[str, str] = {
    "Entwurf": "Draft",
    "Beschlussvorlage": "Proposal for adoption",
    "beschlossen": "adopted",
    "bestehend": "existing",
    "geplant": "planned",
    "in Umsetzung": "in progress",
    "umgesetzt": "implemented",
    "zurückgestellt": "postponed",
    "Schwerpunkt": "Priority",
    "Quick Win": "Quick win",
    "regulär": "Regular",
    "kurzfristig": "short term",
    "mittelfristig": "medium term",
    "langfristig": "long term",
    "fortlaufend": "ongoing",
}


def value_label(value: str, language: str) -> str:
    """A vocabulary value (``geplant``) in the document's language."""
    return VALUES_EN.get(value, value) if language == "en" else value


# Field names of the inputs as a change log prints them; nested fields with a dot.
FIELD_LABELS: dict[str, dict[str, str]] = {
    "de": {
        "title": "Titel",
        "subtitle": "Untertitel",
        "district": "Gebietskörperschaft",
        "issuer": "Herausgeber",
        "authors": "Bearbeitung",
        "consultancy": "Prozessbegleitung",
        "programme": "Programm",
        "version": "Version",
        "replaces": "ersetzt Version",
        "adoption.body": "Beschluss: Gremium",
        "adoption.date": "Beschluss: Datum",
        "language": "Sprache",
        "contact": "Ansprechpartner",
        "note": "Hinweis",
        "name": "Name",
        "url": "Internetadresse",
        "email": "E-Mail",
        "phone": "Telefon",
        "address": "Anschrift",
        "department": "Abteilung",
        "file": "Datei",
        "alt": "Alternativtext",
        "author": "Unterzeichnet von",
        "description": "Beschreibung",
        "goals": "Ziele",
        "lead": "Federführung",
        "partners": "Partner",
        "target_groups": "Zielgruppen",
        "timeframe.start": "Beginn",
        "timeframe.end": "Ende",
        "timeframe.term": "Frist",
        "priority": "Priorität",
        "funding.resources": "Ressourcen",
        "funding.budget": "Budget",
        "funding.budget.amount": "Budget",
        "funding.budget.currency": "Währung",
        "funding.budget.period": "Budget je",
        "funding.budget.approximate": "Budget circa",
        "funding.budget.text": "Budget",
        "funding.source": "Finanzierung",
        "indicators": "Indikatoren",
        "baseline": "Ausgangswert",
        "baseline_year": "Jahr des Ausgangswerts",
        "target": "Zielwert",
        "target_year": "Zieljahr",
        "status": "Status",
        "status_reason": "Begründung",
        "area": "Gebiet",
        "cross_cutting": "Querschnittsthemen",
        "illustrative": "Beispielinhalt",
        "level": "Ebene",
        "parent": "übergeordnetes Ziel",
        "text": "Text",
        "person": "Person",
        "role": "Funktion",
        "organisation": "Organisation",
        "themes": "Handlungsfelder",
        "theme": "Handlungsfeld",
        "event": "Veranstaltung",
        "consent": "Einverständnis",
        "value": "Wert",
        "unit": "Einheit",
        "year": "Jahr",
        "source": "Quelle",
        "date": "Datum",
        "end": "Ende",
        "place": "Ort",
        "format": "Format",
        "participants": "Teilnehmende",
        "participants_approximate": "Teilnehmende circa",
        "groups": "Vertreten",
        "results": "Ergebnisse",
        "members": "Mitglieder",
        "challenges": "Herausforderungen",
        "steps": "Schritte",
        "review_cycle": "Berichtswesen",
        "term": "Begriff",
        "definition": "Erläuterung",
        "reference_doc": "Hausdesign",
        "measures_from": "Maßnahmen aus",
    },
    "en": {},
}
# An entry of a list inside an item, named by what names it: Indikator „Teilnehmende“
ENTRY_LABELS: dict[str, dict[str, str]] = {
    "de": {
        "indicators": "Indikator",
        "authors": "Person",
        "members": "Mitglied",
        "partners": "Partner",
        "logos": "Logo",
        "results": "Ergebnis zu",
        "author": "Unterzeichnet von",
    },
    "en": {},
}
_SEGMENT = re.compile(r"([^.\[\]]+)(?:\[([^\]]*)\])?")


def field_label(name: str, language: str) -> str:
    """``timeframe.end`` → ``Ende``; ``indicators[Kurse].target`` → ``Indikator „Kurse“: Zielwert``.

    Names without a label are shown as they are.
    """
    labels = FIELD_LABELS.get(language, {})
    entries = ENTRY_LABELS.get(language, {})
    quote_open, quote_close = LABELS[language]["quote_open"], LABELS[language]["quote_close"]
    parts: list[str] = []
    tail: list[str] = []
    for field, key in _SEGMENT.findall(name):
        if key:
            parts.append(f"{entries.get(field, labels.get(field, field))} {quote_open}{key}{quote_close}")
            tail = []
        else:
            tail.append(field)
    if tail:
        dotted = ".".join(tail)
        parts.append(labels.get(dotted) or labels.get(tail[-1]) or dotted)
    return ": ".join(parts)


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
