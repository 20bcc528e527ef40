"""Rendering: user text appears exactly, Markdown becomes Word formatting, templates are sandboxed."""

from __future__ import annotations

import multiprocessing
import re
from pathlib import Path

import pytest
from docx import Document

import concept_builder
from concept_builder import VARIANTS, BuildOptions, TemplateError, drawing
from concept_builder.render.keeping import SHORT_LIST, laid_out, short_lists_kept
from concept_builder.word import TABLE_SEPARATOR, StyleMap, Styles
from tests.conftest import (
    MINIMAL,
    WriteInputs,
    document_text,
    document_xml,
    make_template,
    png,
    validate_with_word,
)
from tests.cxml import element
from tests.test_tables import body, paragraph, parsed, table
from tests.test_word import style

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

TRICKY = [
    "Bildung & Sprache <für> alle",
    "Zitat: \"Wir\" sagen 'ja' ]]>",
    "{{ 7*7 }} und {% if x %} und {_{ y }_} und {#",
    "Emoji 👩🏽‍🏫 und 🇩🇪",
    "مرحبا بكم في غوسلار",
    "עברית",
    "Combining: e\u0301 Zero\u200bwidth",
    "Zwei  Leerzeichen,   drei",
]


def tricky_concept(text: str) -> str:
    quoted = text.replace("\\", "\\\\").replace('"', '\\"')
    return (
        MINIMAL.replace("title: Bildung und Sprache", f'title: "{quoted}"')
        .replace("lead: Kreisvolkshochschule", f'lead: "{quoted}"')
        .replace("district: Landkreis Muster", f'district: "Landkreis {quoted}"')
    )


@pytest.mark.parametrize("text", TRICKY)
def test_any_text_appears_exactly(write_inputs: WriteInputs, tmp_path: Path, text: str) -> None:
    options = BuildOptions(out_dir=tmp_path / "out")
    result = concept_builder.build_folder(write_inputs(tricky_concept(text)), options)
    paragraphs = document_text(result.path)
    assert f"Handlungsfeld 1: {text}" in paragraphs
    assert text in [t for t in paragraphs if t == text]  # the lead in the profile table
    header = "".join(
        node.text or "" for node in Document(str(result.path)).sections[0].header._element.iter(f"{W}t")
    )
    assert header == f"ENTWURF – Landkreis {text}"
    validate_with_word(result.path)


def test_a_value_keeps_its_spaces_where_it_has_some_to_keep(
    write_inputs: WriteInputs, tmp_path: Path
) -> None:
    result = concept_builder.build_folder(
        write_inputs(tricky_concept("Zwei  Leerzeichen")), BuildOptions(out_dir=tmp_path / "out")
    )
    xml = document_xml(result.path)
    assert '<w:t xml:space="preserve">Zwei  Leerzeichen</w:t>' in xml
    assert "<w:t>Status</w:t>" in xml  # a label has no spaces to keep
    assert '<w:r><w:t xml:space="preserve"></w:t></w:r>' not in xml  # nor runs without text the template left


def test_markdown_becomes_word_formatting(write_inputs: WriteInputs, tmp_path: Path) -> None:
    description = (
        "Ein **fetter** und ein *kursiver* Satz mit [Link](https://example.org/a?b=1&c=2).\n\n"
        "- erster Punkt\n- zweiter Punkt\n\n1. Schritt eins\n2. Schritt zwei"
    )
    concept = MINIMAL.replace(
        "    description: Sprache ist der Schlüssel.",
        "    description: |\n"
        + "\n".join("      " + line if line else "" for line in description.splitlines()),
    )
    result = concept_builder.build_folder(write_inputs(concept), BuildOptions(out_dir=tmp_path / "out"))
    document = Document(str(result.path))
    paragraphs = {p.text: p for p in document.paragraphs}
    first = paragraphs["Ein fetter und ein kursiver Satz mit Link."]
    assert [r.text for r in first.runs if r.bold] == ["fetter"]
    assert [r.text for r in first.runs if r.italic] == ["kursiver"]
    styles = {text: p.style.name if p.style else None for text, p in paragraphs.items()}
    assert styles["erster Punkt"] == styles["zweiter Punkt"] == "List Bullet"
    assert styles["Schritt eins"] == styles["Schritt zwei"] == "List Number"
    xml = document_xml(result.path)
    links = re.findall(r'<w:hyperlink r:id="([^"]+)"', xml)
    assert len(links) == 1
    relationship = document.part.rels[links[0]]
    assert relationship.is_external and relationship.target_ref == "https://example.org/a?b=1&c=2"
    validate_with_word(result.path)


def test_english_document(write_inputs: WriteInputs, tmp_path: Path) -> None:
    concept = MINIMAL.replace("  date: 2019-01-31", "  date: 2019-01-31\n  language: en")
    result = concept_builder.build_folder(write_inputs(concept), BuildOptions(out_dir=tmp_path / "out"))
    text = document_text(result.path)
    assert "Field of action 1: Bildung und Sprache" in text
    assert "Version 1.0 · Draft · 31 January 2019" in text
    assert Document(str(result.path)).core_properties.language == "en-GB"


def test_own_template_is_used(write_inputs: WriteInputs, tmp_path: Path) -> None:
    template = make_template(
        tmp_path / "eigen.docx",
        "{{ meta.district }}: {{ meta.title }}",
        "{%p for theme in themes %}",
        "{{ theme.label }} – {{ theme.title }} ({{ theme.measures | length }} Maßnahmen)",
        "{%p endfor %}",
    )
    result = concept_builder.build_folder(
        write_inputs(), BuildOptions(out_dir=tmp_path / "out", template=template)
    )
    assert document_text(result.path) == [
        "Landkreis Muster: Integrationskonzept",
        "Handlungsfeld 1 – Bildung und Sprache (1 Maßnahmen)",
    ]
    validate_with_word(result.path)


@pytest.mark.parametrize(
    ("paragraph", "message"),
    [
        ("{{ meta.title }", "the tag “{{ meta.title }” is not closed: “}}” is missing (one brace of it?)"),
        (
            "{% for x in themes %}{{ x.title }}",
            "{% for x in themes %} is never closed: {% endfor %} is missing",
        ),
        ("{{ meta.titel }}", "unknown template variable 'titel'"),
        ("{{ cycler.__init__.__globals__.os.popen('id').read() }}", "unsafe template code refused"),
        ("{{ meta.__class__.__mro__ }}", "unsafe template code refused"),
    ],
)
def test_template_errors_are_reported_not_raised(
    write_inputs: WriteInputs, tmp_path: Path, paragraph: str, message: str
) -> None:
    template = make_template(tmp_path / "kaputt.docx", "Titelseite", paragraph)
    with pytest.raises(TemplateError) as caught:
        concept_builder.build_folder(
            write_inputs(), BuildOptions(out_dir=tmp_path / "out", template=template)
        )
    where = f"{template}: body, paragraph 2 “{paragraph}”: "
    assert str(caught.value).startswith(where + message)  # the place, then what is wrong
    assert not (tmp_path / "out").exists()


def test_missing_template(write_inputs: WriteInputs, tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="template not found"):
        concept_builder.build_folder(
            write_inputs(), BuildOptions(out_dir=tmp_path, template=tmp_path / "fehlt.docx")
        )


def test_failed_build_keeps_the_previous_output(write_inputs: WriteInputs, tmp_path: Path) -> None:
    folder = write_inputs()
    first = concept_builder.build_folder(folder, BuildOptions(out_dir=tmp_path / "out"))
    before = first.path.read_bytes()
    broken = make_template(tmp_path / "kaputt.docx", "{{ meta.titel }}")
    with pytest.raises(TemplateError):
        concept_builder.build_folder(folder, BuildOptions(out_dir=tmp_path / "out", template=broken))
    assert first.path.read_bytes() == before
    assert [p.name for p in (tmp_path / "out").iterdir()] == [first.path.name]


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_committed_template_matches_its_generator(tmp_path: Path, variant: str) -> None:
    import runpy

    from tests.conftest import ROOT

    generator = runpy.run_path(str(ROOT / "templates" / "make_default.py"))
    fresh = tmp_path / "fresh.docx"
    generator["make"](fresh, generator["CONTENTS"][variant], compact=VARIANTS[variant].compact)
    committed_template = ROOT / "templates" / VARIANTS[variant].template
    for part in ("word/document.xml", "word/styles.xml", "word/header1.xml", "word/footer1.xml"):
        committed = document_xml_part(committed_template, part)
        assert document_xml_part(fresh, part) == committed, (
            f"{committed_template.name} {part}: run `make template` and commit the result"
        )


def document_xml_part(path: Path, part: str) -> bytes:
    import zipfile

    with zipfile.ZipFile(path) as package:
        names = package.namelist()
        if part not in names:  # python-docx names header and footer parts by their order
            part = next(n for n in names if n.startswith(part.rsplit("1", 1)[0]))
        return package.read(part)


def test_logos_appear_on_the_cover_with_alt_text(write_inputs: WriteInputs, tmp_path: Path) -> None:
    concept = MINIMAL.replace(
        '  version: "1.0"',
        '  version: "1.0"\n  logos:\n    - file: bilder/wappen.png\n      alt: Wappen des Landkreises Muster',
    )
    folder = write_inputs(concept)
    (folder / "bilder").mkdir()
    (folder / "bilder" / "wappen.png").write_bytes(png(300, 100))
    result = concept_builder.build_folder(folder, BuildOptions(out_dir=tmp_path / "out"))
    xml = document_xml(result.path)
    assert re.findall(r'<wp:docPr [^>]*descr="([^"]*)"', xml)[0] == "Wappen des Landkreises Muster"
    assert xml.index("<w:drawing>") < xml.index("Landkreis Muster")  # on the cover, above the district
    validate_with_word(result.path)


def test_unknown_variable_names_it_and_where(write_inputs: WriteInputs, tmp_path: Path) -> None:
    template = make_template(
        tmp_path / "eigen.docx", "{%p for theme in themes %}", "Feld: {{ theme.titel }}", "{%p endfor %}"
    )
    with pytest.raises(TemplateError) as caught:
        concept_builder.build_folder(
            write_inputs(), BuildOptions(out_dir=tmp_path / "out", template=template)
        )
    assert str(caught.value) == (
        f"{template}: body, paragraph 2 “Feld: {{{{ theme.titel }}}}”: unknown template variable 'titel'"
        " (docs/templates.md lists every variable)"
    )


def test_references_in_free_text_become_numbered_links(write_inputs: WriteInputs, tmp_path: Path) -> None:
    concept = MINIMAL.replace(
        "description: Sprache ist der Schlüssel.",
        "description: Dazu dient **[[bildung-m1]]** für [[bildung-z1]] im [[bildung]].",
    )
    result = concept_builder.build_folder(write_inputs(concept), BuildOptions(out_dir=tmp_path / "out"))
    assert "Dazu dient Maßnahme 1.1.1 für Ziel 1.1 im Handlungsfeld 1." in document_text(result.path)
    xml = document_xml(result.path)
    paragraph = next(p for p in re.findall(r"<w:p>.*?</w:p>", xml) if "Dazu dient" in p)
    anchors = re.findall(r'<w:hyperlink w:anchor="([^"]+)"', paragraph)
    assert len(anchors) == 3
    for anchor in anchors:
        assert f'w:name="{anchor}"' in xml
    validate_with_word(result.path)


def test_each_numbered_list_starts_at_one(write_inputs: WriteInputs, tmp_path: Path) -> None:
    concept = MINIMAL.replace(
        "description: Sprache ist der Schlüssel.",
        "description: |\n      1. a\n      2. b\n\n      Text\n\n      1. c",
    ).replace("description: Kurse für alle.", "description: |\n          1. d\n          2. e")
    result = concept_builder.build_folder(write_inputs(concept), BuildOptions(out_dir=tmp_path / "out"))
    document = Document(str(result.path))
    numbering_ids = {
        p.text: p._p.find(f"{W}pPr/{W}numPr/{W}numId").get(f"{W}val")  # type: ignore[union-attr]
        for p in document.paragraphs
        if p.text in {"a", "b", "c", "d", "e"}
    }
    assert numbering_ids["a"] == numbering_ids["b"]
    assert len({numbering_ids["a"], numbering_ids["c"], numbering_ids["d"]}) == 3
    numbering = document.part.numbering_part.element
    for numbering_id in set(numbering_ids.values()):
        [num] = numbering.findall(f'{W}num[@{W}numId="{numbering_id}"]')
        assert num.find(f"{W}lvlOverride/{W}startOverride").get(f"{W}val") == "1"
    validate_with_word(result.path)


def test_charts_come_with_alt_text_from_their_data(
    goslar_docx: Path, goslar_concept: concept_builder.Concept
) -> None:
    xml = document_xml(goslar_docx)
    descriptions = re.findall(r'<wp:docPr [^>]*descr="([^"]*)"', xml)
    assert len(descriptions) == 2
    status, plan = descriptions
    measures = [m for t in goslar_concept.themes for m in t.measures]
    planned = sum(m.status == "geplant" for m in measures)
    # short: one or two sentences, and where the numbers are to be read
    assert status.startswith(
        f"Balkendiagramm: {len(measures)} Maßnahmen in 6 Handlungsfeldern, nach Umsetzungsstand ("
    )
    assert f"{planned} geplant" in status and status.endswith("stehen in der Tabelle zur Abbildung.")
    dated = [m for m in measures if m.timeframe.start and m.timeframe.end]
    assert plan.startswith(f"Zeitplan: {len(dated)} Maßnahmen zwischen ")
    assert len(status) < 300 and len(plan) < 300
    titles = re.findall(r'<wp:docPr [^>]*title="([^"]*)"', xml)
    assert titles == [
        "Maßnahmen nach Handlungsfeld und Umsetzungsstand",
        "Zeitplan der Maßnahmen mit festem Start- und Enddatum",
    ]
    text = document_text(goslar_docx)
    assert (
        text[text.index("Abbildung 1: Maßnahmen nach Handlungsfeld und Umsetzungsstand") + 1]
        == "Handlungsfeld"
    )
    assert "Abbildung 1: Maßnahmen nach Handlungsfeld und Umsetzungsstand" in document_text(goslar_docx)


def test_charts_without_data_are_left_out(write_inputs: WriteInputs, tmp_path: Path) -> None:
    result = concept_builder.build_folder(
        write_inputs(), BuildOptions(out_dir=tmp_path / "out")
    )  # no measure has dates
    text = document_text(result.path)
    assert "Abbildung 1: Maßnahmen nach Handlungsfeld und Umsetzungsstand" in text
    assert not any(t.startswith("Abbildung 2") or t == "Zeitplan" for t in text)
    assert document_xml(result.path).count("<w:drawing>") == 1


def test_the_timeline_names_the_measures_it_leaves_out(write_inputs: WriteInputs, tmp_path: Path) -> None:
    dated = "        timeframe: {start: 2025-01-01, end: 2026-06-30}\n"
    concept = (
        MINIMAL.replace(
            "        lead: Kreisvolkshochschule\n", "        lead: Kreisvolkshochschule\n" + dated
        )
        + """\
      - id: bildung-m2
        title: Elterncafé
        description: Treffpunkt.
        goals: [bildung-z1]
        lead: Stadt Seesen
  - id: arbeit
    title: Arbeit
    description: Arbeit ist wichtig.
    goals:
      - {id: arbeit-z1, title: Alle finden Arbeit}
    measures:
      - id: arbeit-m1
        title: Jobbörse
        description: Einmal im Jahr.
        goals: [arbeit-z1]
        lead: Jobcenter
        timeframe: {start: 07/2025}
"""
    )
    result = concept_builder.build_folder(write_inputs(concept), BuildOptions(out_dir=tmp_path / "out"))
    text = document_text(result.path)
    # the Handlungsfeld whose only measure has a start but no end has no bar: the reader is told so
    caption = text.index("Abbildung 2: Zeitplan der Maßnahmen mit festem Start- und Enddatum")
    assert (
        text[caption + 1] == "Nicht im Zeitplan: 2 Maßnahmen ohne festes Start- und Enddatum (1.1.2, 2.1.1)."
    )
    assert "the timeline leaves out 2 measures without both a start and an end: 1.1.2, 2.1.1" in (
        result.notes
    )
    descriptions = re.findall(r'<wp:docPr [^>]*descr="([^"]*)"', document_xml(result.path))
    assert descriptions[1].startswith("Zeitplan: 1 Maßnahme zwischen 01/2025 und 06/2026")  # what it shows


def test_no_timeline_where_measures_have_a_start_but_no_end_is_a_note(
    write_inputs: WriteInputs, tmp_path: Path
) -> None:
    concept = MINIMAL.replace(
        "        lead: Kreisvolkshochschule\n",
        "        lead: Kreisvolkshochschule\n        timeframe: {start: 2025}\n",
    )
    result = concept_builder.build_folder(write_inputs(concept), BuildOptions(out_dir=tmp_path / "out"))
    assert "no timeline: no measure has both a start and an end (1 measure with one of them: 1.1.1)" in (
        result.notes
    )
    assert "Zeitplan" not in document_text(result.path)


def test_concurrent_builds_into_one_folder_both_leave_a_valid_file(tmp_path: Path) -> None:
    import subprocess
    import sys

    from tests.conftest import GOSLAR

    command = [sys.executable, "-m", "concept_builder", "build", str(GOSLAR), "-o", str(tmp_path)]
    processes = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    for process in processes:
        process.communicate(timeout=120)
        assert process.returncode == 0
    [document] = list(tmp_path.iterdir())  # one document, no temporary files
    assert Document(str(document)).core_properties.title.startswith("Integrations- und Teilhabekonzept")
    validate_with_word(document)


def test_interrupted_write_leaves_the_old_file_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from concept_builder.write import write_atomic

    target = tmp_path / "konzept.docx"
    target.write_bytes(b"alt")

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, b"neu")
    assert target.read_bytes() == b"alt"
    assert [p.name for p in tmp_path.iterdir()] == ["konzept.docx"]


def test_a_cached_chart_is_the_chart_drawn_fresh(
    write_inputs: WriteInputs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONCEPT_BUILDER_CACHE", str(tmp_path / "cache"))
    folder = write_inputs()
    fresh = concept_builder.build_folder(folder, BuildOptions(out_dir=tmp_path / "a")).path.read_bytes()
    assert len(list((tmp_path / "cache" / "charts").iterdir())) == 1  # the status chart was drawn and kept
    cached = concept_builder.build_folder(folder, BuildOptions(out_dir=tmp_path / "b")).path.read_bytes()
    assert cached == fresh
    monkeypatch.setenv("CONCEPT_BUILDER_CACHE", "/proc/not-writable")  # a cache that cannot be used
    assert (
        concept_builder.build_folder(folder, BuildOptions(out_dir=tmp_path / "c")).path.read_bytes() == fresh
    )


def test_a_chart_drawn_in_the_background_is_the_chart_drawn_in_place(
    write_inputs: WriteInputs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_inputs()
    monkeypatch.setenv("CONCEPT_BUILDER_CACHE", str(tmp_path / "background"))
    background = concept_builder.build_folder(folder, BuildOptions(out_dir=tmp_path / "a")).path.read_bytes()
    monkeypatch.setenv("CONCEPT_BUILDER_CACHE", str(tmp_path / "in-place"))
    with monkeypatch.context() as patch:
        patch.setattr(multiprocessing, "parent_process", lambda: object())  # as in a --jobs worker
        in_place = concept_builder.build_folder(folder, BuildOptions(out_dir=tmp_path / "b")).path
        assert in_place.read_bytes() == background
    # a drawing process that fails (killed, out of memory) leaves the chart to be drawn in place
    monkeypatch.setenv("CONCEPT_BUILDER_CACHE", str(tmp_path / "failing"))

    def failing(kind: str, data: dict[str, object]) -> bytes:
        raise MemoryError

    monkeypatch.setattr(drawing, "_draw", failing)
    again = concept_builder.build_folder(folder, BuildOptions(out_dir=tmp_path / "c")).path.read_bytes()
    assert again == background
    assert len(list((tmp_path / "failing" / "charts").iterdir())) == 1  # and kept


LIST_STYLES = StyleMap.of(
    Styles(
        element(
            "w:styles/({})".format(
                ",".join(
                    [
                        style("Standard", "Normal", default=True),
                        style("Ueberschrift2", "heading 2", "w:pPr/(w:keepNext,w:outlineLvl{w:val=1})"),
                        style("Textkoerper", "Body Text", "w:basedOn{w:val=Standard}"),
                        style("Aufzaehlung", "List Bullet", "w:basedOn{w:val=Standard}"),
                    ]
                )
            )
        )
    )
)


def kept_paragraphs(result: bytes) -> list[str]:
    paragraphs = re.findall(rb"<w:p>.*?</w:p>", result)
    texts = [b"".join(re.findall(rb"<w:t>([^<]*)</w:t>", p)).decode() for p in paragraphs]
    return [text for text, p in zip(texts, paragraphs, strict=True) if b"<w:keepNext/>" in p]


def test_a_short_list_stays_together_and_with_the_text_that_leads_into_it() -> None:
    members = [paragraph(name, "Aufzaehlung") for name in ("Ostermann", "Barakzai", "Jobcenter", "Aydoğan")]
    lead_in = paragraph("Die Lenkungsgruppe tagte sechsmal.")
    result = short_lists_kept(body(paragraph("Davor"), lead_in, *members, paragraph("Danach")), LIST_STYLES)
    assert kept_paragraphs(result) == [
        "Die Lenkungsgruppe tagte sechsmal.",
        "Ostermann",
        "Barakzai",
        "Jobcenter",
    ]
    parsed(result)


def test_a_long_list_or_one_in_a_table_cell_may_break_between_its_items() -> None:
    items = [paragraph(f"Punkt {n}", "Aufzaehlung") for n in range(SHORT_LIST + 1)]
    assert kept_paragraphs(short_lists_kept(body(paragraph("Vorweg"), *items), LIST_STYLES)) == []
    cell = table([["a", "b"]], [4500, 4500]).replace("<w:p><w:r><w:t>a</w:t></w:r></w:p>", "".join(items[:3]))
    assert items[0] in cell
    assert kept_paragraphs(short_lists_kept(body(cell), LIST_STYLES)) == []


def test_a_list_led_into_right_below_a_table_keeps_with_its_lead_in_in_libreoffice_too() -> None:
    """LibreOffice keeps a paragraph right below a table with the next only with a hairline paragraph
    between them; the lead-in of a short list is such a paragraph."""
    items = [paragraph(name, "Aufzaehlung") for name in ("Ostermann", "Barakzai")]
    result = laid_out(body(table([["a", "b"]], [4500, 4500]), paragraph("Es berieten:"), *items), LIST_STYLES)
    assert b"</w:tbl>" + TABLE_SEPARATOR + b"<w:p><w:pPr><w:pStyle" in result
    assert {"Es berieten:", "Ostermann"} <= set(kept_paragraphs(result))


@pytest.mark.parametrize("variant", ["kurzfassung", "massnahmenkatalog", "auszug", "umsetzungsbericht"])
def test_the_imprint_has_the_last_page_to_itself(tmp_path: Path, variant: str) -> None:
    """In the short documents too, where chapters run on: below the text, the imprint's last lines
    were left alone on a page of their own."""
    from tests.conftest import GOSLAR

    options = BuildOptions(out_dir=tmp_path, variant=variant, for_name="Stadt Seesen")
    document = Document(str(concept_builder.build_folder(GOSLAR, options).path))
    headings = [(p.style.name if p.style else "", p.text) for p in document.paragraphs]
    imprint = document.paragraphs[headings.index(("Heading 1", "Impressum"))]
    assert imprint.paragraph_format.page_break_before
