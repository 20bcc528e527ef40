"""What changed between two versions: matched by id, field by field, as text, JSON and in the document."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from concept_builder import load_concept
from concept_builder.diff import diff_concepts
from tests.conftest import MINIMAL
from tests.test_cli import run

SECOND_MEASURE = """\
      - id: bildung-m2
        title: Elterncafé
        description: Treffpunkt.
        goals: [bildung-z1]
        lead: Stadt Seesen
"""


def folder(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.mkdir()
    (path / "concept.yaml").write_text(text, encoding="utf-8")
    return path


def versions(tmp_path: Path) -> tuple[Path, Path]:
    old = folder(tmp_path, "alt", MINIMAL + SECOND_MEASURE)
    new_text = MINIMAL.replace('version: "1.0"', 'version: "1.1"').replace(
        "title: Sprachkurse", "title: Sprachkurse für alle"
    ).replace(
        "lead: Kreisvolkshochschule", "lead: Kreisvolkshochschule\n        status: umgesetzt"
    ) + SECOND_MEASURE.replace("bildung-m2", "bildung-m3").replace("Elterncafé", "Lernpaten")
    return old, folder(tmp_path, "neu", new_text)


def test_changes_are_matched_by_id_field_by_field(tmp_path: Path) -> None:
    old, new = versions(tmp_path)
    log = diff_concepts(load_concept(old), load_concept(new))
    assert (log.old_version, log.new_version) == ("1.0", "1.1")
    assert log.to_text().splitlines() == [  # each item once, in document order, its fields below it
        "changes from version 1.0 to version 1.1:",
        "  Titelseite und Impressum:",
        "    version: 1.0 → 1.1",
        "  Maßnahme 1.1.1 Sprachkurse für alle:",
        "    title: Sprachkurse → Sprachkurse für alle",
        "    status: geplant → umgesetzt",
        "  Maßnahme 1.1.2 Elterncafé: removed",
        "  Maßnahme 1.1.2 Lernpaten: added",
    ]


def test_no_changes(tmp_path: Path) -> None:
    old = folder(tmp_path, "a", MINIMAL)
    same = folder(tmp_path, "b", MINIMAL)
    assert diff_concepts(load_concept(old), load_concept(same)).changes == []


def test_diff_command_prints_text_or_json(tmp_path: Path) -> None:
    old, new = versions(tmp_path)
    text = run("diff", str(old), str(new))
    assert text.returncode == 0
    assert (
        "  Maßnahme 1.1.1 Sprachkurse für alle:\n    title: Sprachkurse → Sprachkurse für alle" in text.stdout
    )
    as_json = run("diff", str(old), str(new), "--json")
    data = json.loads(as_json.stdout)
    changed = next(c for c in data["changes"] if c["entity"] == "measure" and c["kind"] == "changed")
    assert changed["id"] == "bildung-m1"
    status = {"field": "status", "old": "geplant", "new": "umgesetzt", "words": [], "kind": "changed"}
    assert status in changed["fields"]
    assert sorted(c["kind"] for c in data["changes"]) == ["added", "changed", "changed", "removed"]


def test_diff_of_invalid_inputs_lists_the_problems(tmp_path: Path) -> None:
    old, _ = versions(tmp_path)
    broken = folder(tmp_path, "kaputt", MINIMAL.replace("lead:", "leed:"))
    result = run("diff", str(old), str(broken))
    assert result.returncode == 1
    assert "themes[bildung].measures[bildung-m1].leed: is not a known field" in result.stderr


def test_build_with_changes_since_adds_the_appendix(tmp_path: Path) -> None:
    from docx import Document

    from tests.conftest import validate_with_word

    old, new = versions(tmp_path)
    result = run(
        "build", str(new), "-o", str(tmp_path / "out"), "--changes-since", str(old), "--no-page-numbers"
    )
    assert result.returncode == 0, result.stderr
    [document_path] = (tmp_path / "out").iterdir()
    document = Document(str(document_path))
    headings = [p.text for p in document.paragraphs if p.style is not None and p.style.name == "Heading 1"]
    assert headings[-2:] == ["Änderungen gegenüber Version 1.0", "Impressum"]
    texts = [p.text for p in document.paragraphs]
    start = len(texts) - texts[::-1].index("Änderungen gegenüber Version 1.0")  # the heading, not its entry
    appendix = texts[start : texts.index("Impressum", start)]
    assert appendix == [
        "Gegenüber Version 1.0: 2 Einträge geändert, 1 neu, 1 entfallen. In längeren Texten stehen"
        " gestrichene Wörter durchgestrichen in [− …], neue unterstrichen in [+ …].",
        "Titelseite und Impressum – geändert",
        "Version: 1.0 → 1.1",
        "Maßnahme 1.1.1 Sprachkurse für alle – geändert",
        "Titel: Sprachkurse → Sprachkurse für alle",
        "Status: geplant → umgesetzt",
        "Maßnahme 1.1.2 Elterncafé – entfallen",
        "Maßnahme 1.1.2 Lernpaten – neu",
    ]
    validate_with_word(document_path)


def test_the_whole_concept_is_compared_long_texts_word_by_word_values_with_units(tmp_path: Path) -> None:
    from docx import Document

    from concept_builder.context import make_context
    from concept_builder.structure import arrange

    extra = (
        "introduction: |\n  Der Kreistag hat die Verwaltung beauftragt, ein Konzept zu erarbeiten,"
        " das die Ausgangslage beschreibt und Ziele benennt.\n"
        "starting_point:\n  text: Lage.\n  key_figures:\n"
        "    - {indicator: Ausländeranteil, value: 8.1, unit: Prozent, year: 2017, source: LSN}\n"
        "cross_cutting_themes:\n  - {id: frauen, title: Frauen}\n"
        "sources:\n  - {id: pm, text: Presseinfo}\n"
        "glossary:\n  - {term: VHS, definition: Volkshochschule}\n"
    )
    old = folder(tmp_path, "alt", MINIMAL + extra)
    new_text = MINIMAL.replace("Landkreis Muster – Der Landrat", "Landkreis Muster – Die Landrätin").replace(
        "Sprache ist der Schlüssel.", "Sprache ist der Schlüssel zu allem."
    ).replace(
        "        lead: Kreisvolkshochschule",
        "        lead: Kreisvolkshochschule\n        funding: {budget: {amount: 30000, period: jährlich}}",
    ) + extra.replace("ein Konzept zu erarbeiten", "ein Integrationskonzept bis 2020 zu erarbeiten").replace(
        "value: 8.1", "value: '9,4'"
    ).replace("title: Frauen}", "title: Frauen und Familien}").replace(
        "text: Presseinfo", "text: Presseinfo vom 7.12.2018"
    ).replace("definition: Volkshochschule", "definition: Kreisvolkshochschule")
    log = diff_concepts(load_concept(old), load_concept(folder(tmp_path, "neu", new_text)))
    changed = [(c.entity, [f.field for f in c.fields]) for c in log.changes]
    assert changed == [  # in document order, from the cover to the glossary
        ("meta", ["issuer"]),
        ("introduction", ["text"]),
        ("key_figure", ["value"]),
        ("cross_cutting_theme", ["title"]),
        ("theme", ["description"]),
        ("measure", ["funding.budget"]),  # amount, currency and period as the document prints them
        ("source", ["text"]),
        ("glossary_entry", ["definition"]),
    ]
    introduction = log.changes[1].fields[0]
    assert [(w.kind, w.text) for w in introduction.words] == [
        ("same", "Der Kreistag hat die Verwaltung beauftragt, ein "),
        ("removed", "Konzept "),
        ("added", "Integrationskonzept bis 2020 "),
        ("same", "zu erarbeiten, das die Ausgangslage beschreibt und Ziele benennt."),
    ]
    assert "    value: 8,1 Prozent → 9,4 Prozent" in log.to_text()  # as the document prints it

    new = load_concept(folder(tmp_path, "neu2", new_text))
    context = make_context(arrange(new), changes=log).values["changes"]
    rows = {(row["item"], row["field"]): (row["old"], row["new"]) for row in context["rows"]}
    assert rows[("Kennzahl Ausländeranteil", "Wert")] == ("8,1 Prozent", "9,4 Prozent")
    assert rows[("Maßnahme 1.1.1 Sprachkurse", "Budget")] == (
        "",
        "30.000\xa0€ jährlich",
    )  # a no-break space keeps the amount with its currency, and the period goes with it
    assert rows[("Glossareintrag VHS", "Erläuterung")] == ("Volkshochschule", "Kreisvolkshochschule")
    result_path = tmp_path / "out"
    built = run(
        "build",
        str(tmp_path / "neu2"),
        "-o",
        str(result_path),
        "--changes-since",
        str(old),
        "--no-page-numbers",
    )
    assert built.returncode == 0, built.stderr
    text = [p.text for p in Document(str(next(result_path.iterdir()))).paragraphs]
    assert (
        "Text: Der Kreistag hat die Verwaltung beauftragt, ein [−Konzept] [+Integrationskonzept bis 2020]"
        " zu erarbeiten, das die Ausgangslage beschreibt und Ziele benennt." in text
    )


def test_a_long_text_is_never_cut(tmp_path: Path) -> None:
    long_text = " ".join(f"Satz {n} bleibt." for n in range(200))
    old = folder(tmp_path, "alt", MINIMAL.replace("Kurse für alle.", long_text))
    new = folder(tmp_path, "neu", MINIMAL.replace("Kurse für alle.", long_text + " Ein Satz mehr."))
    [change] = diff_concepts(load_concept(old), load_concept(new)).changes
    [description] = change.fields
    assert description.new == long_text + " Ein Satz mehr."
    assert description.words[-1].kind == "added" and description.words[-1].text == "Ein Satz mehr."


def test_changes_since_takes_one_input_folder(tmp_path: Path) -> None:
    old, new = versions(tmp_path)
    result = run("build", str(new), str(old), "--changes-since", str(old))
    assert result.returncode == 2
    assert "--changes-since compares one concept with an earlier version" in result.stderr


def test_the_two_goslar_samples_field_by_field() -> None:
    from tests.conftest import ROOT

    log = diff_concepts(
        load_concept(ROOT / "inputs" / "goslar"), load_concept(ROOT / "inputs" / "goslar-2021")
    )
    assert (log.old_version, log.new_version) == ("0.9", "1.1")
    by_id = {(c.kind, c.id): c for c in log.changes}
    statuses = {
        c.id: (f.old, f.new)
        for c in log.changes
        if c.kind == "changed" and c.entity == "measure"
        for f in c.fields
        if f.field == "status"
    }
    assert statuses == {
        "bildung-m1": ("geplant", "in Umsetzung"),
        "bildung-m2": ("geplant", "umgesetzt"),
        "arbeit-m1": ("in Umsetzung", "umgesetzt"),
        "arbeit-m3": ("geplant", "in Umsetzung"),
        "ehrenamt-m1": ("in Umsetzung", "umgesetzt"),
        "ehrenamt-m3": ("geplant", "zurückgestellt"),
        "empowerment-m2": ("geplant", "in Umsetzung"),
        "gesundheit-m1": ("geplant", "in Umsetzung"),
        "wohnen-m3": ("geplant", "umgesetzt"),
    }
    assert {c.id for c in log.changes if c.kind == "added" and c.entity == "measure"} == {
        "bildung-m6",
        "gesundheit-m5",
        "wohnen-m5",
    }
    assert {c.id for c in log.changes if c.kind == "removed"} == {"arbeit-m4", "empowerment-m5"}
    assert by_id[("removed", "arbeit-m4")].label == "Maßnahme 2.2.2"  # its number in the old version
    renamed = by_id[("changed", "bildung-m5")]
    assert [f.field for f in renamed.fields] == ["title"]  # a new title is a change, not removed and added
    moved = {f.field: (f.old, f.new) for f in by_id[("changed", "arbeit-m5")].fields}
    assert moved["lead"] == ("Jobcenter Landkreis Goslar", "Kreisvolkshochschule Goslar")
    assert moved["timeframe.start"] == ("1. Oktober 2019", "1. September 2020")
    assert moved["timeframe.end"] == ("31. März 2021", "31. August 2022")
    assert ("added", "q-brandhorst") in by_id and ("added", "bilanz-2021-05-20") in by_id
    figures = {
        c.id: {f.field: (f.old, f.new) for f in c.fields} for c in log.changes if c.entity == "key_figure"
    }
    assert figures["Einwohnerinnen und Einwohner"] == {
        "value": ("137.000 Personen", "135.800 Personen"),
        "year": ("2017", "2020"),
    }
    assert figures["Auszubildende mit ausländischer Staatsangehörigkeit"] == {}  # added
    assert {c.entity for c in log.changes if c.kind == "changed"} >= {
        "meta",
        "foreword",
        "monitoring",
        "source",
    }


def test_a_fortschreibung_names_the_version_it_replaces() -> None:
    from tests.conftest import ROOT

    concept = load_concept(ROOT / "inputs" / "goslar-2021")
    assert concept.meta.replaces == "0.9"
    from concept_builder.context import make_context
    from concept_builder.structure import arrange

    meta = make_context(arrange(concept)).values["meta"]
    # one date for one event: the adoption is named once, the version line does not repeat it
    assert meta["version_line"] == "Version 1.1 · ersetzt Version 0.9 · Stand: 30. Juni 2021"
    assert meta["adoption"] == "Beschlossen: Kreistag des Landkreises Goslar, 28. Juni 2021"


def test_a_web_address_in_the_change_log_is_a_link(tmp_path: Path) -> None:
    """A printed address that readers cannot follow is what PDF checkers report (LNK-010)."""
    from concept_builder.context import make_context
    from concept_builder.structure import arrange

    old = folder(tmp_path, "alt", MINIMAL + "sources:\n  - {id: s, text: LSN, url: 'https://a.example'}\n")
    new = folder(tmp_path, "neu", MINIMAL + "sources:\n  - {id: s, text: LSN, url: 'https://b.example'}\n")
    before, after = load_concept(old), load_concept(new)
    context = make_context(arrange(after), changes=diff_concepts(before, after))
    [group] = [g for g in context.values["changes"]["groups"] if g["item"].startswith("Quelle")]
    assert group["details"].count("<w:hyperlink r:id=") == 2
    assert set(context.hyperlinks) == {"https://a.example", "https://b.example"}


FOREWORD = """\
foreword:
  text: |
    Liebe Bürgerinnen und Bürger, **ohne Auto** kommt man im Süden des Kreises kaum
    zu den Kursen. Rund 900
    Geflüchtete warten auf einen Platz; mehr dazu in [[bildung]] und [im Bericht](https://example.org).

    - erstens
    - zweitens
  author:
    - {name: Anna Berg, role: Landrätin}
process:
  events:
    - id: e1
      title: Gespräche
      date: [10.09.2024, 24.09.2024]
      place: Rathaus
      format: Gespräch
"""


def test_the_change_log_shows_what_the_document_prints(tmp_path: Path) -> None:
    old_text = (
        MINIMAL.replace(
            "        lead: Kreisvolkshochschule",
            "        lead: Kreisvolkshochschule\n"
            "        funding: {budget: {amount: 68000, period: jährlich}}",
        )
        + FOREWORD
    )
    new_text = (
        old_text.replace("Rund 900", "Rund 850")
        .replace("amount: 68000", "amount: 72000")
        .replace("24.09.2024", "25.09.2024")
        .replace(
            "    - {name: Anna Berg, role: Landrätin}\n",
            "    - {name: Anna Berg, role: Landrätin}\n"
            "    - {name: Klaus Henninger, role: Sprecher der Bürgermeister}\n",
        )
    )
    log = diff_concepts(
        load_concept(folder(tmp_path, "alt", old_text)), load_concept(folder(tmp_path, "neu", new_text))
    )
    fields = {(c.entity, f.field): f for c in log.changes for f in c.fields}
    text = fields[("foreword", "text")]
    assert text.new == (  # bold as its words, [[id]] and a link as printed, a line wrap as a space
        "Liebe Bürgerinnen und Bürger, ohne Auto kommt man im Süden des Kreises kaum zu den Kursen."
        " Rund 850 Geflüchtete warten auf einen Platz; mehr dazu in Handlungsfeld 1 und im Bericht.\n"
        "• erstens\n• zweitens"
    )
    assert "Rund [-900-] {+850+} Geflüchtete" in log.to_text()  # marks on one line, not split by a wrap
    signatory = fields[("foreword", "author[Klaus Henninger]")]
    assert (signatory.kind, signatory.old, signatory.new) == (
        "added",
        "",
        "Klaus Henninger, Sprecher der Bürgermeister",
    )
    assert "    author[Klaus Henninger]: added (Klaus Henninger, Sprecher der Bürgermeister)" in log.to_text()
    budget = fields[("measure", "funding.budget")]
    assert (budget.old, budget.new) == ("68.000\xa0€ jährlich", "72.000\xa0€ jährlich")
    dates = fields[("event", "date")]
    assert (dates.old, dates.new) == (
        "10. September 2024 und 24. September 2024",
        "10. September 2024 und 25. September 2024",
    )


def test_the_appendix_prints_the_changes_as_the_document_prints_the_text(tmp_path: Path) -> None:
    from docx import Document

    old_text = MINIMAL + FOREWORD
    new_text = old_text.replace("Rund 900", "Rund 850").replace(
        "    - {name: Anna Berg, role: Landrätin}\n",
        "    - {name: Anna Berg, role: Landrätin}\n    - {name: Klaus Henninger, role: Bürgermeister}\n",
    )
    old, new = folder(tmp_path, "alt", old_text), folder(tmp_path, "neu", new_text)
    result = run(
        "build", str(new), "-o", str(tmp_path / "out"), "--changes-since", str(old), "--no-page-numbers"
    )
    assert result.returncode == 0, result.stderr
    texts = [p.text for p in Document(str(next((tmp_path / "out").iterdir()))).paragraphs]
    appendix = texts[texts.index("Vorwort – geändert") :]
    assert appendix[1].startswith("Text: Liebe Bürgerinnen und Bürger, ohne Auto kommt man")
    assert "Rund [−900] [+850] Geflüchtete" in appendix[1]
    assert "in Handlungsfeld 1 und im Bericht.\n• erstens\n• zweitens" in appendix[1]
    assert not any(mark in appendix[1] for mark in ("**", "[[", "](", "\n- "))
    assert appendix[2] == "Unterzeichnet von „Klaus Henninger“: neu – Klaus Henninger, Bürgermeister"


def test_a_document_for_one_organisation_lists_only_the_changes_it_shows(tmp_path: Path) -> None:
    from concept_builder.diff import diff_structures
    from concept_builder.structure import arrange

    old, new = (load_concept(path) for path in versions(tmp_path))
    everything = diff_structures(arrange(old), arrange(new))
    assert {c.id for c in everything.changes if c.entity == "measure"} == {
        "bildung-m1",
        "bildung-m2",
        "bildung-m3",
    }
    for_seesen = diff_structures(arrange(old, "Stadt Seesen"), arrange(new, "Stadt Seesen"))
    # Seesen leads the removed Elterncafé and the new Lernpaten, not the changed Sprachkurse
    assert {c.id for c in for_seesen.changes if c.entity == "measure"} == {"bildung-m2", "bildung-m3"}
    assert any(c.entity == "meta" for c in for_seesen.changes)  # the version: not an item of a theme


def test_every_variant_of_a_build_shares_one_structure_and_change_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import concept_builder
    from concept_builder import pipeline
    from concept_builder.structure import arrange

    old, new = versions(tmp_path)
    calls: list[str] = []

    def counted(concept: concept_builder.Concept, for_name: str | None = None) -> object:
        calls.append(concept.meta.version)
        return arrange(concept, for_name)

    monkeypatch.setattr(pipeline, "arrange", counted)
    options = concept_builder.BuildOptions(out_dir=tmp_path / "out", changes_since=old)
    [outcome] = concept_builder.build_many([new], options, variants=["konzept", "kurzfassung"])
    assert isinstance(outcome, list) and len(outcome) == 2
    assert sorted(calls) == ["1.0", "1.1"]  # each version arranged once, not once per variant


def test_punctuation_is_a_word_of_its_own_in_a_long_text() -> None:
    from concept_builder.diff import FieldChange, _words, marked_words

    old = (
        "Die Stadt wächst seit 2015 ausschließlich durch Zuwanderung. Die Stadtteile sind jung und"
        " vielfältig."
    )
    new = (
        "Die Stadt wächst seit 2015 fast ausschließlich durch Zuwanderung aus dem Ausland. Die Stadtteile"
        " sind jung und vielfältig."
    )
    change = FieldChange("text", old, new, _words(old, new))
    assert marked_words(change) == (
        "Die Stadt wächst seit 2015 {+fast+} ausschließlich durch Zuwanderung {+aus dem Ausland+}."
        " Die Stadtteile sind jung und vielfältig."
    )
    assert "".join(w.text for w in change.words if w.kind != "removed") == new  # rejoined as written
    shorter = FieldChange("text", new, old, _words(new, old))
    assert "Zuwanderung [-aus dem Ausland-]. Die" in marked_words(shorter)
    # numbers, periods and addresses stay whole
    old = "Gefördert mit 30.000 € von Q3/2025 an, siehe https://www.example.org/foerderung für alle Details."
    new = old.replace("30.000", "35.000").replace("foerderung", "foerderung-2025")
    assert marked_words(FieldChange("text", old, new, _words(old, new))) == (
        "Gefördert mit [-30.000-] {+35.000+} € von Q3/2025 an, siehe [-https://www.example.org/foerderung-]"
        " {+https://www.example.org/foerderung-2025+} für alle Details."
    )


def test_an_edited_source_without_id_is_changed_not_removed_and_added(tmp_path: Path) -> None:
    sources = (
        "sources:\n"
        '  - text: "Sachverständigenrat für Integration und Migration: Jahresgutachten 2024"\n'
        "  - text: Statistisches Landesamt, Bevölkerungsstand\n"
    )
    old = folder(tmp_path, "alt", MINIMAL + sources)
    new_sources = sources.replace(
        'Jahresgutachten 2024"\n', 'Jahresgutachten 2025"\n    url: "https://www.example.org/svr/2025"\n'
    ).replace("  - text: Statistisches Landesamt, Bevölkerungsstand\n", "  - text: Presseinformation\n")
    new = folder(tmp_path, "neu", MINIMAL + new_sources)
    log = diff_concepts(load_concept(old), load_concept(new))
    assert [(c.kind, c.entity, c.title) for c in log.changes] == [
        ("changed", "source", "Sachverständigenrat für Integration und Migration: Jahresgutachten 2025"),
        ("removed", "source", "Statistisches Landesamt, Bevölkerungsstand"),  # nothing alike: gone
        ("added", "source", "Presseinformation"),
    ]
    assert [(f.field, f.old, f.new) for f in log.changes[0].fields] == [
        (
            "text",
            "Sachverständigenrat für Integration und Migration: Jahresgutachten 2024",
            "Sachverständigenrat für Integration und Migration: Jahresgutachten 2025",
        ),
        ("url", "", "https://www.example.org/svr/2025"),
    ]
