"""Attacks replayed: each way in that once broke a version of the tool, and what holds now.

Attacks covered by a test elsewhere, and where:

- a template reads files through path objects in the context:
  test_templates_hostile::test_a_template_gets_data_not_powers
- formulas in the exported workbook, lost on re-import; long texts, separators and
  Excel's escapes in a round trip: test_spreadsheet
- a template links an image by URL or file://, or assembles an INCLUDE field:
  test_templates_hostile::test_a_template_that_links_outside_is_refused and the next test
- a field, picture or relationship written with another prefix, quoting, entity or CDATA,
  a picture using a hyperlink's relationship: test_package (and below, whole templates)
- a reference document whose footer holds template tags – in its text, split over runs,
  in a field code ({{ 'INCLUDE' ~ 'PICTURE' }}), in an attribute, an endless loop:
  test_reference::test_a_reference_with_template_tags_anywhere_is_refused
- concept.yaml as a link out of the folder: test_load
- no sheet "Maßnahmen", another sheet read: test_spreadsheet::test_the_sheet_is_found_by_name…
- two concepts writing the same file name, one failing folder stopping or hiding the
  others, Ctrl-C/SIGTERM leaving a new .docx beside the old PDF, a non-PDF written as
  .pdf: test_write
- the PDF differs in another time zone: test_libreoffice::test_rebuilding_gives_the_same_pdf…
- a 0-byte chart in the cache: test_render::test_a_damaged_chart_in_the_cache_is_drawn_again
- check of a zip bomb, damaged attribute values: test_check

Below: inputs that `validate` called valid and `build` answered with a traceback; workbooks
that lost measures or multiplied; the chart cache damaged; faults while writing; `check` of
small files that took gigabytes; the small things; packages linking outside.
"""

from __future__ import annotations

import os
import re
import struct
import subprocess
import sys
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

import concept_builder
from concept_builder import BuildOptions, InputError
from tests.conftest import MINIMAL, WriteInputs, png


def problems_of(folder: Path) -> list[str]:
    """The problems ``build`` reports for ``folder`` – never another exception."""
    with pytest.raises(InputError) as caught:
        concept_builder.build_folder(folder, BuildOptions(out_dir=folder.parent / "out"))
    return [str(p) for p in caught.value.problems if p.severity == "error"]


def with_logo(write_inputs: WriteInputs, image: bytes, alt: str = "Wappen") -> Path:
    folder = write_inputs(
        MINIMAL.replace(
            "  date: 2019-01-31", f"  date: 2019-01-31\n  logos:\n    - {{file: l.png, alt: {alt!r}}}"
        )
    )
    (folder / "l.png").write_bytes(image)
    return folder


def test_a_title_longer_than_word_keeps_in_its_properties_builds(
    write_inputs: WriteInputs, tmp_path: Path
) -> None:
    from docx import Document

    folder = write_inputs(MINIMAL.replace("title: Integrationskonzept", "title: " + "T" * 300))
    result = concept_builder.build_folder(folder, BuildOptions(out_dir=tmp_path / "out"))
    title = Document(str(result.path)).core_properties.title
    assert len(title) == 255 and title.endswith("…")


def test_a_key_figure_beyond_any_county_is_explained(write_inputs: WriteInputs) -> None:
    figure = (
        "starting_point:\n  text: x\n  key_figures:\n"
        "    - {indicator: A, value: 1e26, year: 2020, source: Q}\n"
    )
    [problem] = problems_of(write_inputs(MINIMAL.replace("themes:", figure + "themes:")))
    assert problem.endswith(
        "starting_point.key_figures[0].value: '1e26' is out of range (the limit is 1,000,000,000,000,000)"
    )


def test_an_image_of_height_zero_is_explained(write_inputs: WriteInputs) -> None:
    image = png(10, 10)
    flat = image[:16] + struct.pack(">II", 10, 0) + image[24:]
    [problem] = problems_of(with_logo(write_inputs, flat))
    assert "meta.logos[0].file: 'l.png' is 10 × 0 pixels" in problem


def test_a_jpeg_with_a_density_of_zero_is_explained(write_inputs: WriteInputs) -> None:
    jfif = b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x01\x00\x00\x00\x00\x00\x00"  # density 0 × 0 dots per inch
    frame = b"\xff\xc0\x00\x11\x08\x00\x10\x00\x10\x03\x01\x11\x00\x02\x11\x01\x03\x11\x01"
    [problem] = problems_of(with_logo(write_inputs, b"\xff\xd8" + jfif + frame + b"\xff\xd9"))
    assert "meta.logos[0].file: 'l.png' gives a resolution of 0 dpi" in problem


def test_symbolic_link_loops_are_explained(write_inputs: WriteInputs) -> None:
    folder = write_inputs(MINIMAL.replace("themes:", "glossary:\n  include: a.yaml\nthemes:"))
    os.symlink("b.yaml", folder / "a.yaml")
    os.symlink("a.yaml", folder / "b.yaml")
    [problem] = problems_of(folder)
    assert problem.endswith(
        "glossary: include 'a.yaml' is a loop of symbolic links"
        " (replace the symbolic link by the file it should point to)"
    )
    loop = write_inputs(MINIMAL + "measures_from: m.xlsx\n")
    os.symlink("m.xlsx", loop / "m.xlsx")
    assert any("'m.xlsx' is a loop of symbolic links" in p for p in problems_of(loop))


def test_an_include_chain_300_files_deep_is_explained(write_inputs: WriteInputs) -> None:
    files = {f"f{i}.yaml": f"include: f{i + 1}.yaml\n" for i in range(300)}
    files["f300.yaml"] = "- {term: a, definition: b}\n"
    [problem] = problems_of(
        write_inputs(MINIMAL.replace("themes:", "glossary:\n  include: f0.yaml\nthemes:"), **files)
    )
    assert "f48.yaml:1: glossary: include 'f49.yaml' is nested too deeply (at most 50 files" in problem


def test_a_title_of_ten_megabytes_is_explained(write_inputs: WriteInputs) -> None:
    [problem] = problems_of(
        write_inputs(MINIMAL.replace("title: Integrationskonzept", "title: " + "T" * 10_000_000))
    )
    assert problem.endswith(
        "meta.title: is too long (10,000,000 characters; at most 50,000) (split the text, or shorten it)"
    )


def test_braces_in_alt_text_stay_as_typed(write_inputs: WriteInputs, tmp_path: Path) -> None:
    import re

    folder = with_logo(write_inputs, png(30, 10), alt="Logo {_{ und }_} {{ x }}")
    result = concept_builder.build_folder(folder, BuildOptions(out_dir=tmp_path / "out"))
    from docx import Document

    descriptions = [
        e.get("descr") for e in Document(str(result.path)).element.body.iter() if e.tag.endswith("docPr")
    ]
    assert "Logo {_{ und }_} {{ x }}" in descriptions
    assert re.search(r"\{\{ und", str(descriptions)) is None


def test_a_control_character_in_a_csv_cell_is_named_by_its_cell(write_inputs: WriteInputs) -> None:
    folder = write_inputs(MINIMAL[: MINIMAL.index("    measures:")] + "measures_from: m.csv\n")
    (folder / "m.csv").write_text(
        "Handlungsfeld;Id;Titel;Beschreibung;Ziele;Federführung\nbildung;m1;Kurs;Text\x0b;bildung-z1;VHS\n",
        encoding="utf-8",
    )
    [problem] = problems_of(folder)
    assert problem.startswith(
        f"{folder / 'm.csv'}:Maßnahmen!D2 (Beschreibung): contains the invisible character U+000B"
    )


def test_an_oversized_workbook_is_refused_quickly(write_inputs: WriteInputs) -> None:
    folder = write_inputs(MINIMAL[: MINIMAL.index("    measures:")] + "measures_from: m.xlsx\n")
    with zipfile.ZipFile(folder / "m.xlsx", "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("xl/worksheets/sheet1.xml", b" " * 300_000_000)
    [problem] = problems_of(folder)
    assert "would unpack to 300 MB; a workbook of measures needs far less" in problem


def test_a_workbook_of_a_hundred_thousand_rows_is_refused(write_inputs: WriteInputs) -> None:
    folder = write_inputs(MINIMAL[: MINIMAL.index("    measures:")] + "measures_from: m.csv\n")
    rows = "".join(f"bildung;m{i};Titel;Text;bildung-z1;VHS\n" for i in range(100_000))
    (folder / "m.csv").write_text(
        "Handlungsfeld;Id;Titel;Beschreibung;Ziele;Federführung\n" + rows, encoding="utf-8"
    )
    problems = problems_of(folder)
    assert any(p.endswith("Maßnahmen!A20002: more than 20,000 rows") for p in problems)


@pytest.mark.parametrize(
    "written", ["echo kaputt", r"printf '%%PDF-1.7\ngarbage garbage\n%%%%EOF\n'"], ids=["text", "pdf-ends"]
)
def test_a_non_pdf_from_libreoffice_while_laying_out_is_a_note(
    write_inputs: WriteInputs, tmp_path: Path, written: str
) -> None:
    """What LibreOffice leaves behind is read as a PDF before use: markers at its ends are not enough."""
    import subprocess
    import sys

    from tests.test_write import fake_soffice

    liar = fake_soffice(
        tmp_path / "bin",
        'while [ $# -gt 1 ]; do [ "$1" = --outdir ] && dir="$2"; shift; done\n'
        f'{written} > "$dir/$(basename "$1" .docx).pdf"\n',
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "concept_builder",
            "build",
            str(write_inputs()),
            "-o",
            str(tmp_path / "out"),
            "--page-numbers",
        ],
        capture_output=True,
        text=True,
        # soffice --convert-to, whose files are taken as they come (UNO reports what it wrote)
        env=dict(os.environ, PATH=f"{liar}:{os.environ['PATH']}", CONCEPT_BUILDER_UNO_PYTHON=""),
    )
    assert result.returncode == 0, result.stderr
    assert (
        "note: table of contents without page numbers: LibreOffice wrote a file that is not a complete PDF"
        in result.stderr
    )


# --- workbooks -------------------------------------------------------------------------------

HEADER = ["Handlungsfeld", "Id", "Titel", "Beschreibung", "Ziele", "Federführung"]


def workbook_folder(write_inputs: WriteInputs, rows: list[list[object]], header: list[str] = HEADER) -> Path:
    """An input folder whose measures come from m.xlsx with ``rows`` under ``header``."""
    from openpyxl import Workbook

    folder = write_inputs(MINIMAL[: MINIMAL.index("    measures:")] + "measures_from: m.xlsx\n")
    book = Workbook()
    sheet = book.create_sheet("Maßnahmen", 0)
    book.remove(book.worksheets[1])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(folder / "m.xlsx")
    return folder


def measure_row(number: int, description: str = "Text") -> list[object]:
    return ["bildung", f"m{number}", "Kurs", description, "bildung-z1", "VHS"]


def rewritten(path: Path, part: str, old: bytes, new: bytes) -> None:
    """``path`` with ``old`` replaced by ``new`` in one of its parts, as a hand-edited file would be."""
    with zipfile.ZipFile(path) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    assert old in parts[part]
    parts[part] = parts[part].replace(old, new)
    with zipfile.ZipFile(path, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)


def test_a_stale_sheet_size_loses_no_measure(write_inputs: WriteInputs) -> None:
    """A sheet that says it is one cell large (as some tools write it) is read to its last row."""
    folder = workbook_folder(write_inputs, [measure_row(i) for i in range(10)])
    rewritten(
        folder / "m.xlsx", "xl/worksheets/sheet1.xml", b'<dimension ref="A1:F11"/>', b'<dimension ref="A1"/>'
    )
    concept = concept_builder.validate_folder(folder).concept_or_raise()
    assert len(concept.themes[0].measures) == 10


def test_columns_beyond_the_limit_are_refused_whatever_the_sheet_says_its_size_is(
    write_inputs: WriteInputs,
) -> None:
    folder = workbook_folder(write_inputs, [[*measure_row(1), *[None] * 300, "weit rechts"]])
    rewritten(
        folder / "m.xlsx", "xl/worksheets/sheet1.xml", b'<dimension ref="A1:KU2"/>', b'<dimension ref="A1"/>'
    )
    assert any(
        p.endswith("Maßnahmen!GS2: the sheet 'Maßnahmen' has more than 200 columns")
        for p in problems_of(folder)
    )


def test_one_long_text_in_every_row_is_refused_early(write_inputs: WriteInputs) -> None:
    """Shared strings let 30,000 characters stand in every row of a small file: 21 million to read."""
    folder = workbook_folder(write_inputs, [measure_row(i, "x" * 30_000) for i in range(700)])
    assert (folder / "m.xlsx").stat().st_size < 100_000
    assert any(
        p.endswith(
            "Maßnahmen!A668: the sheet holds more than 20,000,000 characters of text by this row"
            " (a concept's measures need far less: look for a long text repeated in every row)"
        )
        for p in problems_of(folder)
    )


def test_an_empty_or_hidden_sheet_of_measures_is_an_error(write_inputs: WriteInputs) -> None:
    from openpyxl import load_workbook

    folder = workbook_folder(write_inputs, [])
    book = load_workbook(folder / "m.xlsx")
    book["Maßnahmen"].delete_rows(1)
    book.create_sheet("Tabelle1").append(HEADER)
    book.save(folder / "m.xlsx")
    assert any("Maßnahmen!A1: the sheet 'Maßnahmen' is empty" in p for p in problems_of(folder))
    book = load_workbook(folder / "m.xlsx")
    book["Maßnahmen"].append(HEADER)
    book["Maßnahmen"].append(measure_row(1))
    book["Maßnahmen"].sheet_state = "hidden"
    book.save(folder / "m.xlsx")
    assert any("m.xlsx: the sheet 'Maßnahmen' is hidden" in p for p in problems_of(folder))


def test_unknown_headers_are_named_with_the_ones_expected(write_inputs: WriteInputs) -> None:
    header = ["Thema", "Kennung", "Titel", "Beschreibung", "Ziele", "Leitung"]
    folder = workbook_folder(write_inputs, [measure_row(1)], header)
    report = concept_builder.validate_folder(folder)
    [error] = [str(p) for p in report.errors]
    assert error.endswith(
        "m.xlsx:Maßnahmen!A1: has no column 'Handlungsfeld', which says the theme of each measure (the first"
        " row names the columns: Handlungsfeld, Id, Titel, Beschreibung, Ziele, Federführung, Partner,"
        " Zielgruppen, Beginn, Ende, Frist, Priorität, Ressourcen, Betrag, Währung, Betrag je, Budget,"
        " Finanzierung, Indikatoren, Status, Begründung, Gebiet, Querschnittsthemen, Ansprechpartner,"
        " Beispielinhalt)"
    )
    warnings = [str(p) for p in report.warnings if "m.xlsx" in str(p)]
    assert any("Maßnahmen!A1: warning: the column 'Thema' is not one the workbook has" in w for w in warnings)
    assert any(
        "Maßnahmen!F1: warning: the column 'Leitung' is not one the workbook has" in w for w in warnings
    )


def test_an_array_formula_is_read_as_its_text(write_inputs: WriteInputs) -> None:
    from openpyxl import load_workbook
    from openpyxl.worksheet.formula import ArrayFormula

    folder = workbook_folder(write_inputs, [measure_row(1)])
    book = load_workbook(folder / "m.xlsx")
    book["Maßnahmen"]["C2"] = ArrayFormula("C2", "=SUM(A1:A2)")
    book.save(folder / "m.xlsx")
    report = concept_builder.validate_folder(folder)
    assert report.concept_or_raise().themes[0].measures[0].title == "=SUM(A1:A2)"
    assert any("Maßnahmen!C2 (Titel): warning: holds a formula" in str(w) for w in report.warnings)


def test_a_value_with_a_year_in_brackets_is_refused_by_the_export(
    write_inputs: WriteInputs, tmp_path: Path
) -> None:
    """Read back, "52 (2019)" would be the value 52 of the year 2019: the export says so instead."""
    indicators = '        indicators:\n          - {name: Kurse, baseline: "52 (2019)", target: "(2020)"}\n'
    concept = concept_builder.load_concept(write_inputs(MINIMAL + indicators))
    with pytest.raises(InputError) as caught:
        concept_builder.export_measures(concept, tmp_path / "m.xlsx")
    assert str(caught.value).endswith(
        "m.xlsx:Maßnahmen!S2: Indikatoren: the indicator 'Kurse' has the baseline '52 (2019)', which"
        " the workbook would read back as the year 2019 (write baseline: '52' and baseline_year: 2019"
        " in the YAML)"
    )
    assert not (tmp_path / "m.xlsx").exists()


# --- the chart cache -------------------------------------------------------------------------


def _with_header(png: bytes, width: int, height: int) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    checksum = struct.pack(">I", zlib.crc32(b"IHDR" + header))
    return png[:8] + struct.pack(">I", 13) + b"IHDR" + header + checksum + png[33:]


def _flipped(png: bytes) -> bytes:
    start = png.index(b"IDAT") + 200
    return png[:start] + bytes(b ^ 0xFF for b in png[start : start + 50]) + png[start + 50 :]


CACHE_DAMAGE: dict[str, Callable[[bytes], bytes]] = {
    # a full disk or a killed build can leave these behind
    "an empty file": lambda png: b"",
    "the signature alone": lambda png: png[:8],
    "no image at all": lambda png: b"kein Bild",
    "signature and end around other bytes": lambda png: png[:8] + bytes(range(256)) * 12 + png[-12:],
    "a size of 0 × 0": lambda png: png[:16] + struct.pack(">II", 0, 0) + png[24:],
    "flipped image data": _flipped,
    "a size of 100,000 × 100,000 with its checksum": lambda png: _with_header(png, 100_000, 100_000),
}


@pytest.mark.parametrize("damage", CACHE_DAMAGE)
def test_a_damaged_chart_in_the_cache_is_drawn_again(
    write_inputs: WriteInputs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    monkeypatch.setenv("CONCEPT_BUILDER_CACHE", str(tmp_path / "cache"))
    folder = write_inputs()
    fresh = concept_builder.build_folder(folder, BuildOptions(out_dir=tmp_path / "a")).path.read_bytes()
    [entry] = (tmp_path / "cache" / "charts").iterdir()
    damaged = CACHE_DAMAGE[damage](entry.read_bytes())
    entry.write_bytes(damaged)
    again = concept_builder.build_folder(folder, BuildOptions(out_dir=tmp_path / "b")).path.read_bytes()
    assert again == fresh
    assert entry.read_bytes() != damaged  # and the cache is mended


def test_a_logo_squashed_to_a_line_by_its_resolution_is_explained(write_inputs: WriteInputs) -> None:
    """pHYs of 20 × 4,294,967,295 pixels per metre: Word would draw it 0 cm high."""
    image = png(10, 10)
    physical = struct.pack(">IIB", 20, 4_294_967_295, 1)
    chunk = struct.pack(">I", 9) + b"pHYs" + physical + struct.pack(">I", zlib.crc32(b"pHYs" + physical))
    [problem] = problems_of(with_logo(write_inputs, image[:33] + chunk + image[33:]))
    assert "meta.logos[0].file: 'l.png' gives a resolution of 1 × 109,092,169 dpi" in problem


def _package_with(part: str, relationship: str) -> bytes:
    """A Word document whose ``part`` relationships end with ``relationship``."""
    import io

    from docx import Document

    buffer = io.BytesIO()
    document = Document()
    document.add_paragraph("{{ meta.title }}")
    document.save(buffer)
    with zipfile.ZipFile(buffer) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    parts[part] = parts[part].replace(b"</Relationships>", relationship.encode() + b"</Relationships>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return out.getvalue()


IMAGE_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (
            "media/missing.png",
            "is damaged: word/_rels/document.xml.rels refers to 'media/missing.png', a part the file does"
            " not contain",
        ),
        (
            "file:///etc/hostname",
            "links to content outside the document, which is not allowed: word/_rels/document.xml.rels:"
            " a picture linked from 'file:///etc/hostname'",
        ),
    ],
)
def test_a_template_or_reference_with_a_relationship_to_nowhere_is_explained(
    write_inputs: WriteInputs, tmp_path: Path, target: str, message: str
) -> None:
    """python-docx would stop at such a relationship with a KeyError: it is named before."""
    data = _package_with(
        "word/_rels/document.xml.rels", f'<Relationship Id="rId99" Type="{IMAGE_TYPE}" Target="{target}"/>'
    )
    folder = write_inputs(MINIMAL + "reference_doc: hausdesign.docx\n")
    (folder / "hausdesign.docx").write_bytes(data)
    [problem] = [str(p) for p in concept_builder.validate_folder(folder).errors]
    assert problem.startswith(f"{folder / 'concept.yaml'}:") and f"reference_doc: {message}" in problem
    (tmp_path / "vorlage.docx").write_bytes(data)
    with pytest.raises(concept_builder.TemplateError) as caught:
        concept_builder.build_folder(
            write_inputs(), BuildOptions(out_dir=tmp_path / "out", template=tmp_path / "vorlage.docx")
        )
    assert str(caught.value).startswith(f"{tmp_path / 'vorlage.docx'}: {message}")


# --- faults while writing --------------------------------------------------------------------


def test_an_interrupt_while_libreoffice_ends_names_the_files_written(
    write_inputs: WriteInputs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C after the files are in place, as LibreOffice shuts down: never "no output was changed"."""
    from concept_builder.errors import Interrupted
    from concept_builder.libreoffice import LibreOffice

    def interrupted(office: LibreOffice) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(LibreOffice, "close", interrupted)
    with pytest.raises(Interrupted) as caught:
        concept_builder.build_folder(write_inputs(), BuildOptions(out_dir=tmp_path / "out"))
    [written] = caught.value.written
    assert written.parent == tmp_path / "out" and written.suffix == ".docx" and written.is_file()


def test_ctrl_c_reaching_a_worker_of_a_parallel_build_prints_no_traceback(tmp_path: Path) -> None:
    """The parent decides: a worker goes on after Ctrl-C and ends quietly when the parent stops it."""
    import subprocess
    import sys
    import textwrap

    script = textwrap.dedent(
        """
        import multiprocessing, os, signal, time
        from concept_builder import workers

        def work(ready):
            workers.start_worker(False)  # as the pool starts each worker
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C reaches every process of the terminal
            time.sleep(0.2)
            print("went on", flush=True)
            ready.set()
            time.sleep(60)

        context = multiprocessing.get_context("fork")
        ready = context.Event()
        worker = context.Process(target=work, args=(ready,))
        worker.start()
        ready.wait(30)
        worker.terminate()  # as the parent stops its workers
        worker.join(30)
        print(worker.exitcode)
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.stdout.split() == ["went", "on", "130"]
    assert "Traceback" not in result.stderr


def test_a_build_never_replaces_a_file_it_reads(write_inputs: WriteInputs, tmp_path: Path) -> None:
    """A reference document named like the output, built into its own folder."""
    from concept_builder import init_template

    folder = write_inputs(MINIMAL + "reference_doc: integrationskonzept-landkreis-muster-v1-0.docx\n")
    init_template(folder, reference=True).rename(folder / "integrationskonzept-landkreis-muster-v1-0.docx")
    before = sorted((p.name, p.read_bytes()) for p in folder.iterdir())
    with pytest.raises(concept_builder.OutputError) as caught:
        concept_builder.build_folder(folder, BuildOptions(out_dir=folder))
    target = folder / "integrationskonzept-landkreis-muster-v1-0.docx"
    assert str(caught.value) == (
        f"{target}: would replace {target}, a file the build reads; nothing was written (write the documents"
        " into another folder with -o, or rename the file)"
    )
    assert sorted((p.name, p.read_bytes()) for p in folder.iterdir()) == before


def test_a_pdf_target_in_the_way_leaves_the_docx_as_it_was(tmp_path: Path) -> None:
    """A folder where the PDF goes: found before the .docx is replaced, not after."""
    from concept_builder.write import Staging

    out = tmp_path / "out"
    (out / "a.pdf").mkdir(parents=True)
    (out / "a.docx").write_bytes(b"alt")
    with Staging(out) as staging:
        moves = [(staging.write("a", b"neu"), out / "a.docx"), (staging.write("b", b"%PDF"), out / "a.pdf")]
        with pytest.raises(concept_builder.OutputError, match=r"a\.pdf: is a folder"):
            staging.commit(moves)
    assert (out / "a.docx").read_bytes() == b"alt"


def test_a_move_that_fails_half_way_puts_the_earlier_files_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from concept_builder.write import Staging

    out = tmp_path / "out"
    out.mkdir()
    (out / "a.docx").write_bytes(b"alt")
    original = os.replace

    def failing_second(source: Path, target: Path) -> None:
        if Path(target).suffix == ".pdf":
            raise OSError(28, "No space left on device")
        original(source, target)

    with Staging(out) as staging:
        moves = [(staging.write("a", b"neu"), out / "a.docx"), (staging.write("b", b"%PDF"), out / "a.pdf")]
        monkeypatch.setattr(os, "replace", failing_second)
        with pytest.raises(concept_builder.OutputError, match="nothing was changed"):
            staging.commit(moves)
        monkeypatch.undo()
    assert (out / "a.docx").read_bytes() == b"alt" and not (out / "a.pdf").exists()


def test_a_failed_pdf_never_leaves_an_older_pdf_beside_the_new_docx(
    write_inputs: WriteInputs, tmp_path: Path
) -> None:
    import subprocess
    import sys

    from tests.test_write import fake_soffice

    liar = fake_soffice(
        tmp_path / "bin",
        'while [ $# -gt 1 ]; do [ "$1" = --outdir ] && dir="$2"; shift; done\n'
        'echo kaputt > "$dir/$(basename "$1" .docx).pdf"\n',
    )
    out = tmp_path / "out"
    out.mkdir()
    (out / "integrationskonzept-landkreis-muster-v1-0.pdf").write_bytes(b"%PDF- the version before")
    result = subprocess.run(
        [sys.executable, "-m", "concept_builder", "build", str(write_inputs()), "-o", str(out), "--pdf"],
        capture_output=True,
        text=True,
        env=dict(os.environ, PATH=f"{liar}:{os.environ['PATH']}", CONCEPT_BUILDER_UNO_PYTHON=""),
    )
    assert result.returncode == 1
    assert (
        f"note: {out / 'integrationskonzept-landkreis-muster-v1-0.pdf'}, the PDF of an earlier build, was"
        " removed" in result.stderr
    )
    assert [p.name for p in out.iterdir()] == ["integrationskonzept-landkreis-muster-v1-0.docx"]


# --- check: what it reads is bounded -----------------------------------------------------------


def check_within_memory(path: Path, limit: int = 1_500_000_000) -> subprocess.CompletedProcess[str]:
    """``concept-builder check path`` in a process that may use at most ``limit`` bytes of memory."""
    script = (
        "import resource, sys\n"
        f"resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))\n"
        f"sys.argv = ['concept-builder', 'check', {str(path)!r}]\n"
        "from concept_builder.cli import main\n"
        "main()\n"
    )
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)


def _docx_with_body(path: Path, body: str) -> Path:
    import io

    from docx import Document

    buffer = io.BytesIO()
    Document().save(buffer)
    with zipfile.ZipFile(buffer) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    document = parts["word/document.xml"].decode()
    start, end = document.index("<w:body>") + len("<w:body>"), document.index("<w:sectPr")
    parts["word/document.xml"] = (document[:start] + body + document[end:]).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return path


@pytest.mark.parametrize(
    ("body", "passed"),
    [
        ("<w:p/>" * 600_000, "more than 500,000 paragraphs"),
        ("<w:p>" + "<w:r/>" * 5_000_000 + "</w:p>", "more than 5,000,000 XML elements"),
        (
            "<w:tbl><w:tr><w:tc>" * 100 + "<w:p/>" + "</w:tc></w:tr></w:tbl>" * 100,
            "elements nested more than 200",
        ),
    ],
    ids=["paragraphs", "runs", "nested tables"],
)
def test_check_refuses_a_small_docx_that_would_take_gigabytes(tmp_path: Path, body: str, passed: str) -> None:
    """140 MB of empty paragraphs once pushed check past 9 GB; they are counted in a stream first."""
    path = _docx_with_body(tmp_path / "bombe.docx", body)
    assert path.stat().st_size < 1_000_000
    result = check_within_memory(path)
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith(f"error: {path}: holds {passed}")


def _pdf_drawing(path: Path, content: bytes, filter_name: str) -> Path:
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    if filter_name == "/FlateDecode":
        stream = pikepdf.Stream(pdf, zlib.compress(content, 9))
    else:
        stream = pikepdf.Stream(pdf, content.hex().encode() + b">")
    stream.Filter = pikepdf.Name(filter_name)
    pdf.pages[0].obj.Contents = pdf.make_indirect(stream)
    pdf.save(path, compress_streams=False)
    return path


@pytest.mark.parametrize(
    ("content", "filter_name", "message"),
    [
        (b"q Q\n" * 1_250_000, "/FlateDecode", "page 1 draws more than 4 MB of content"),
        (
            b"q Q\n" * 20_000,
            "/ASCIIHexDecode",
            "page 1 draws 156 KB of content compressed with /ASCIIHexDecode",
        ),
    ],
    ids=["flate", "another filter"],
)
def test_check_refuses_a_small_pdf_whose_page_would_take_gigabytes(
    tmp_path: Path, content: bytes, filter_name: str, message: str
) -> None:
    """60 MB of "q Q" in a 59 KB file once took 8.5 GB: what a page draws is measured before it is read."""
    path = _pdf_drawing(tmp_path / "bombe.pdf", content, filter_name)
    result = check_within_memory(path)
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith(f"error: {path}: {message}")


# --- the small things -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "said"),
    [
        (lambda entry: os.mkfifo(entry), "is a named pipe, not a file"),
        (lambda entry: entry.mkdir(), "is a folder, not a file"),
        (lambda entry: os.symlink("concept.yaml", entry), "is a loop of symbolic links"),
        (lambda entry: os.symlink("/dev/zero", entry), "is a device, not a file"),
    ],
    ids=["fifo", "folder", "loop", "device"],
)
def test_a_concept_yaml_that_is_no_file_is_called_what_it_is(
    tmp_path: Path, make: Callable[[Path], None], said: str
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    make(folder / "concept.yaml")
    [problem] = [str(p) for p in concept_builder.validate_folder(folder).errors]
    assert problem.startswith(f"{folder / 'concept.yaml'}: {said}")


def test_an_include_through_more_links_than_the_system_follows_is_called_so(
    write_inputs: WriteInputs,
) -> None:
    through = "loop/" * 41 + "glossar.yaml"
    folder = write_inputs(MINIMAL.replace("themes:", f"glossary:\n  include: {through}\nthemes:"))
    (folder / "glossar.yaml").write_text("- {term: a, definition: b}\n", encoding="utf-8")
    os.symlink(".", folder / "loop")
    [problem] = problems_of(folder)
    assert f"include '{through}' is a loop of symbolic links, or leads through more of them" in problem


def test_names_that_collide_are_not_a_usage_error(write_inputs: WriteInputs, tmp_path: Path) -> None:
    folder = write_inputs()
    twin = tmp_path / "twin"
    twin.mkdir()
    (twin / "concept.yaml").write_text(MINIMAL, encoding="utf-8")
    with pytest.raises(concept_builder.OutputError) as caught:
        concept_builder.build_many([folder, twin], BuildOptions(out_dir=tmp_path / "out"))
    assert caught.value.exit_code == 1


def _template(tmp_path: Path, *paragraphs: str) -> Path:
    from tests.conftest import make_template

    return make_template(tmp_path / "vorlage.docx", *paragraphs)


def test_a_method_a_template_may_not_call_is_named(write_inputs: WriteInputs, tmp_path: Path) -> None:
    with pytest.raises(concept_builder.TemplateError) as caught:
        concept_builder.build_folder(
            write_inputs(),
            BuildOptions(out_dir=tmp_path / "out", template=_template(tmp_path, "{{ themes.pop() }}")),
        )
    assert "a template may not call list.pop(): it reads values, never changes them" in str(caught.value)


@pytest.mark.parametrize(
    "payload",
    [
        "{% set s = meta.title * 1000 %}{{ s.replace('n', s) }}",
        "{% set s = meta.title * 1000 %}{{ s | replace('n', s) }}",
        "{{ meta.title.center(999999999) }}",
        "{{ '{:>999999999}'.format(meta.title) }}",
        "{{ (meta.title * 10000) | wordwrap(1) }}",
        "{{ range(90000) | join(meta.title * 1000) }}",
    ],
)
def test_texts_a_template_makes_are_bounded(write_inputs: WriteInputs, tmp_path: Path, payload: str) -> None:
    """The repetition cap once held for * alone: str.replace made a paragraph of 111 MB."""
    with pytest.raises(concept_builder.TemplateError) as caught:
        concept_builder.build_folder(
            write_inputs(), BuildOptions(out_dir=tmp_path / "out", template=_template(tmp_path, payload))
        )
    assert "unsafe template code refused" in str(caught.value)
    assert "characters" in str(caught.value)


def test_a_rendered_body_beyond_its_limit_is_stopped(
    write_inputs: WriteInputs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from concept_builder.render import engine

    monkeypatch.setattr(engine, "MAX_RENDERED", 100_000)  # 500 MB in earnest: a test keeps it small
    loop = "{% for a in range(20000) %}{{ meta.title }}{% endfor %}"
    with pytest.raises(concept_builder.TemplateError) as caught:
        concept_builder.build_folder(
            write_inputs(), BuildOptions(out_dir=tmp_path / "out", template=_template(tmp_path, loop))
        )
    assert "body: the rendered document passed 0 MB, far more than any concept needs" in str(caught.value)


def test_an_image_printed_as_text_shows_no_address(write_inputs: WriteInputs, tmp_path: Path) -> None:
    from tests.conftest import document_text

    folder = with_logo(write_inputs, png(30, 10))
    template = _template(tmp_path, "{{ logos[0]|string }}")
    with pytest.raises(concept_builder.TemplateError) as caught:  # found before anything is rendered
        concept_builder.build_folder(folder, BuildOptions(out_dir=tmp_path / "out", template=template))
    assert "paragraph 1 “{{ logos[0]|string }}”: {{ logos[0]|string }} prints an image" in str(caught.value)
    assert str(caught.value).endswith("write {{r logos[0] }}")
    # where the check cannot see the image coming, its text says nothing of the program
    hidden = _template(tmp_path, "{% set pictures = logos %}{{ pictures[0]|string }}")
    result = concept_builder.build_folder(folder, BuildOptions(out_dir=tmp_path / "out", template=hidden))
    assert document_text(result.path) == ["[Image]"]


def test_sums_beyond_what_floating_point_keeps_print_every_digit(
    write_inputs: WriteInputs, tmp_path: Path
) -> None:
    """Thirty amounts of 999,999,999,999,999: 29,999,999,999,999,970, not …,968."""
    from docx import Document

    measure = MINIMAL[MINIMAL.index("      - id: bildung-m1") :]
    budget = "        funding: {budget: {amount: 999999999999999, period: gesamt}}\n"
    measures = "".join((measure + budget).replace("bildung-m1", f"bildung-m{i}") for i in range(1, 31))
    folder = write_inputs(MINIMAL[: MINIMAL.index("      - id: bildung-m1")] + measures)
    result = concept_builder.build_folder(folder, BuildOptions(out_dir=tmp_path / "out"))
    cells = [c.text for t in Document(str(result.path)).tables for r in t.rows for c in r.cells]
    assert "29.999.999.999.999.970\xa0€" in cells


def test_a_key_figure_too_small_to_print_is_explained_and_small_ones_print_whole(
    write_inputs: WriteInputs, tmp_path: Path
) -> None:
    from tests.conftest import document_text

    def figure(value: str) -> str:
        return MINIMAL.replace(
            "themes:",
            f"starting_point:\n  text: x\n  key_figures:\n    - {{indicator: A, value: {value}, year: 2020,"
            " source: Q}\nthemes:",
        )

    [problem] = problems_of(write_inputs(figure("1e-15")))
    assert problem.endswith(
        "starting_point.key_figures[0].value: 1e-15 is too small to print (the smallest is 0.000000001)"
        " (write 0 where it is nothing, else give the figure in a unit where it is larger)"
    )
    result = concept_builder.build_folder(
        write_inputs(figure("0.000123")), BuildOptions(out_dir=tmp_path / "o")
    )
    assert any("0,000123" in text for text in document_text(result.path))


# --- templates and reference documents that link outside, written as Word would not write them --

LINKED = "file:///etc/hostname"
IMAGE_RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
LINK_RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _field(instruction: str, prefix: str = "w") -> str:
    declared = f' xmlns:{prefix}="{W_NS}"' if prefix != "w" else ""
    return (
        f'<w:p{declared}><{prefix}:r><{prefix}:fldChar {prefix}:fldCharType="begin"/></{prefix}:r>'
        f"<{prefix}:r><{prefix}:instrText>{instruction}</{prefix}:instrText></{prefix}:r>"
        f'<{prefix}:r><{prefix}:fldChar {prefix}:fldCharType="end"/></{prefix}:r></w:p>'
    )


# (document body added, relationship added, the picture's r:embed turned into r:link)
OUTSIDE = {
    "single quotes": (
        "",
        f"<Relationship Id='rId90' Type='{IMAGE_RELATIONSHIP}' Target='{LINKED}' TargetMode='External'/>",
        True,
    ),
    "spaces around =": (
        "",
        f'<Relationship Id="rId90" Type = "{IMAGE_RELATIONSHIP}" Target = "{LINKED}"'
        ' TargetMode = "External"/>',
        True,
    ),
    "a hyperlink's relationship": (
        "",
        f'<Relationship Id="rId90" Type="{LINK_RELATIONSHIP}" Target="{LINKED}" TargetMode="External"/>',
        True,
    ),
    "a prefix of its own": (_field(f'INCLUDEPICTURE "{LINKED}" \\d', "x"), "", False),
    "CDATA": (_field(f'<![CDATA[INCLUDETEXT "{LINKED}"]]>'), "", False),
    "fldSimple with a prefix": (
        f'<w:p xmlns:x="{W_NS}"><w:fldSimple x:instr="INCLUDEPICTURE &quot;{LINKED}&quot;"/></w:p>',
        "",
        False,
    ),
    "VML by address": (
        '<w:p><w:r><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml">'
        f'<v:imagedata src="{LINKED}"/></v:shape></w:pict></w:r></w:p>',
        "",
        False,
    ),
    "entity in TargetMode": (
        "",
        f'<Relationship Id="rId90" Type="{IMAGE_RELATIONSHIP}" Target="{LINKED}"'
        ' TargetMode="Ext&#101;rnal"/>',
        True,
    ),
}


@pytest.mark.parametrize("written", OUTSIDE)
def test_a_package_linking_outside_is_refused_however_it_is_written(tmp_path: Path, written: str) -> None:
    """Each way the scan was once passed by: the template is refused before any renderer sees it."""
    import io

    from docx import Document

    from concept_builder.template import check_package

    body, relationship, linked = OUTSIDE[written]
    buffer = io.BytesIO()
    document = Document()
    document.add_paragraph("{{ meta.title }}")
    document.add_picture(io.BytesIO(png(20, 20)))
    document.save(buffer)
    with zipfile.ZipFile(buffer) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    xml = parts["word/document.xml"].decode()
    xml = xml.replace("<w:body>", "<w:body>" + body)
    if linked:
        xml = re.sub(r'r:embed="rId\d+"', 'r:link="rId90"', xml)
    parts["word/document.xml"] = xml.encode()
    rels = "word/_rels/document.xml.rels"
    parts[rels] = parts[rels].replace(b"</Relationships>", relationship.encode() + b"</Relationships>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)
    with pytest.raises(concept_builder.TemplateError) as caught:
        check_package(tmp_path / "vorlage.docx", out.getvalue())
    assert "links to content outside the document, which is not allowed" in str(caught.value)
    assert LINKED in str(caught.value)
