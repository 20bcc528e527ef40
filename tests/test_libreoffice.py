"""A real client opens the document: LibreOffice converts it to PDF and the pages read right."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

import concept_builder
from concept_builder import BuildOptions
from tests.conftest import Publication, require_soffice

pytestmark = pytest.mark.libreoffice


def convert_to_pdf(document: Path, out_dir: Path) -> Path:
    program = require_soffice()
    profile = out_dir / "profile"  # its own profile: parallel runs must not share one
    command = [
        program,
        f"-env:UserInstallation=file://{profile}",
        "--headless",
        "--convert-to",
        "pdf",
        "--outdir",
        str(out_dir),
        str(document),
    ]
    subprocess.run(["timeout", "-k", "10", "300", *command], capture_output=True, timeout=330, check=False)
    pdf = out_dir / (document.stem + ".pdf")
    # soffice exits 0 even when it could not load the file: the PDF itself is the proof
    assert pdf.is_file() and pdf.stat().st_size > 0, "LibreOffice could not convert the document"
    return pdf


def pdf_text(pdf: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_libreoffice_renders_the_goslar_concept(publication: Publication) -> None:
    text = pdf_text(publication.pdf)
    pages = text.split("\f")
    assert len([p for p in pages if p.strip()]) >= 25
    assert "Integrations- und" in pages[0] and "ENTWURF" in pages[0]
    assert "Inhalt" in pages[1] and "5 Handlungsfelder" in pages[1]
    for heading in (
        "Vorwort",
        "Handlungsfeld 6: Wohnen und Leben vor Ort",
        "Maßnahmenübersicht",
        "Impressum",
    ):
        assert heading in text, heading
    assert "Seite 3 von" in pages[2]  # the footer's page fields work


def test_table_of_contents_gets_page_numbers_from_libreoffice(publication: Publication) -> None:
    from tests.conftest import document_xml

    assert "table of contents: entries with page numbers (laid out by LibreOffice)" in publication.stdout
    xml = document_xml(publication.docx)
    entries = re.findall(r'<w:hyperlink w:anchor="(_Toc\d+)".*?PAGEREF (_Toc\d+) .*?<w:t>(\d+)</w:t>', xml)
    assert len(entries) == len(re.findall(r'<w:pStyle w:val="toc\d"/>', xml))
    assert all(anchor == target for anchor, target, _ in entries)
    pages = [int(page) for _, _, page in entries]
    assert pages[0] == 3  # cover, contents, then the foreword
    assert pages == sorted(pages)
    pdf_pages = pdf_text(publication.pdf).split("\f")
    foreword_page = pdf_pages[pages[0] - 1]
    assert re.search(r"^\s*Vorwort\s*$", foreword_page, re.M) and not re.search(
        r"^\s*Inhalt\s*$", foreword_page, re.M
    )
    assert "Impressum" in pdf_pages[pages[-1] - 1]


def test_without_libreoffice_the_build_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import concept_builder
    from tests.conftest import GOSLAR

    monkeypatch.setenv("PATH", str(tmp_path))  # no soffice on it
    result = concept_builder.build_folder(GOSLAR, BuildOptions(out_dir=tmp_path / "out", page_numbers=True))
    assert result.path.is_file()
    assert result.page_numbers is False
    assert result.notes == [
        "table of contents without page numbers: LibreOffice (soffice) was not found:"
        " install LibreOffice, e.g. apt-get install libreoffice-writer-nogui"
    ]


def test_libreoffice_that_hangs_is_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from concept_builder import libreoffice

    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nsleep 60\n")
    fake.chmod(0o755)
    monkeypatch.setattr(libreoffice, "soffice", lambda: str(fake))
    document = tmp_path / "a.docx"
    document.write_bytes(b"x")
    with pytest.raises(concept_builder.LibreOfficeError, match="did not finish within 1 s"):
        libreoffice.convert_to_pdf(document, tmp_path, timeout=1)


def test_libreoffice_that_writes_no_pdf_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from concept_builder import libreoffice

    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nexit 0\n")  # as soffice does when it cannot load a file
    fake.chmod(0o755)
    monkeypatch.setattr(libreoffice, "soffice", lambda: str(fake))
    document = tmp_path / "a.docx"
    document.write_bytes(b"x")
    with pytest.raises(concept_builder.LibreOfficeError, match="could not convert the document to PDF"):
        libreoffice.convert_to_pdf(document, tmp_path / "out")


def test_libreoffice_opens_a_document_full_of_difficult_text(tmp_path: Path) -> None:
    import concept_builder
    from tests.test_any_text import NASTY, concept_with

    printable = [
        t for t in NASTY if "\x00" not in t and "\v" not in t and "\ud800" not in t and "\ufffe" not in t
    ]
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "concept.yaml").write_text(concept_with(" ".join(printable)), encoding="utf-8")
    result = concept_builder.build_folder(folder, BuildOptions(out_dir=tmp_path / "out"))
    text = pdf_text(convert_to_pdf(result.path, tmp_path / "pdf"))
    assert "{{ 7*7 }}" in text and "& < >" in text


def test_pdf_export_is_tagged_titled_and_bookmarked(publication: Publication) -> None:
    from pypdf import PdfReader

    assert f"wrote {publication.pdf}" in publication.stdout.splitlines()
    reader = PdfReader(str(publication.pdf))
    catalog: Any = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog and catalog["/MarkInfo"]["/Marked"]  # tagged
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"]
    assert catalog["/Lang"] == "de-DE"
    assert reader.metadata is not None
    assert reader.metadata.title == "Integrations- und Teilhabekonzept – Landkreis Goslar"
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert "5 Handlungsfelder" in titles and "Impressum" in titles
    files = sorted(p.name for p in publication.pdf.parent.iterdir())
    assert files == [publication.docx.name, publication.pdf.name]


def test_pdf_without_libreoffice_names_the_package_and_keeps_the_docx(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from tests.conftest import GOSLAR

    environment = dict(os.environ, PATH=str(tmp_path / "leer"))  # no soffice to be found
    result = subprocess.run(
        [sys.executable, "-m", "concept_builder", "build", str(GOSLAR), "-o", str(tmp_path / "out"), "--pdf"],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
    )
    assert result.returncode == 1
    assert (
        "note: no PDF: LibreOffice (soffice) was not found: install LibreOffice, e.g. apt-get install "
        "libreoffice-writer-nogui" in result.stderr
    )
    assert result.stderr.strip().endswith("error: the PDF could not be made; the .docx is written")
    assert [p.suffix for p in (tmp_path / "out").iterdir()] == [".docx"]


def test_rebuilding_gives_the_same_pdf_in_any_time_zone(publication: Publication, tmp_path: Path) -> None:
    from tests.conftest import GOSLAR
    from tests.test_cli import run

    elsewhere = {"TZ": "America/New_York", "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
    result = run("build", str(GOSLAR), "-o", str(tmp_path), "--pdf", "--page-numbers", env=elsewhere)
    assert result.returncode == 0, result.stderr
    again = tmp_path / publication.pdf.name
    # LibreOffice stamps the second of conversion and a random id; neither may show
    assert again.read_bytes() == publication.pdf.read_bytes()
    assert (tmp_path / publication.docx.name).read_bytes() == publication.docx.read_bytes()
    assert b"/CreationDate(D:20190131120000Z" in again.read_bytes()


def test_a_row_of_data_cells_led_by_a_header_cell_gets_it_as_row_header() -> None:
    from concept_builder.libreoffice import accessible_pdf

    def element(number: int, kind: str, kids: str, attributes: str = "") -> bytes:
        extra = f"/A [ {attributes} ]\n" if attributes else ""
        body = f"<</Type/StructElem\n/S/{kind}\n/P 1 0 R\n{extra}/K[{kids}]\n>>"
        return f"\n{number} 0 obj\n{body}\nendobj\n".encode()

    scope = b"\n%d 0 obj\n<</O/Table\n/Scope/Column\n>>\nendobj\n"
    pdf = b"".join(
        [
            b"%PDF-1.7",
            element(10, "TR", "11 0 R 12 0 R 13 0 R"),  # a header row: stays column headers
            element(11, "TH", "", "90 0 R"),
            element(12, "TH", "", "91 0 R"),
            element(13, "TH", "", "92 0 R"),
            element(20, "TR", "21 0 R 22 0 R"),  # a profile row: label | value
            element(21, "TH", "", "93 0 R"),
            element(22, "TD", ""),
            *(scope % n for n in (90, 91, 92, 93)),
            b"/Tabs(S)/Type/Annot/Subtype/Link/",
        ]
    )
    mended = accessible_pdf(pdf)
    assert len(mended) == len(pdf)  # every offset stays: the cross-reference table still holds
    assert mended.count(b"/Scope/Column") == 3
    assert b"\n93 0 obj\n<</O/Table\n/Scope/Row   \n>>" in mended
    assert b"/Tabs /S" in mended and b"/Subtype/Link/F 4       /" in mended


def test_empty_paragraphs_leave_the_structure_tree() -> None:
    from concept_builder.libreoffice import accessible_pdf

    pdf = (
        b"%PDF-1.7"
        b"\n4 0 obj\n<</Type/StructElem\n/S/Document\n/P 3 0 R\n/K[5 0 R 230 0 R 6 0 R ]\n>>\nendobj\n"
        b"\n5 0 obj\n<</Type/StructElem\n/S/Table\n/P 4 0 R\n/K[7 ]\n>>\nendobj\n"
        b"\n230 0 obj\n<</Type/StructElem\n/S/Standard\n/P 4 0 R\n/Pg 131 0 R\n/A 1513 0 R\n>>\nendobj\n"
        b"\n6 0 obj\n<</Type/StructElem\n/S/Span\n/P 4 0 R\n/ActualText<FEFF00AD>\n>>\nendobj\n"
    )
    mended = accessible_pdf(pdf)
    assert len(mended) == len(pdf)
    assert b"/K[5 0 R " + b" " * len(b"230 0 R") + b" 6 0 R ]" in mended  # out; the spoken span stays


def test_profile_labels_are_row_headers_in_the_pdf(publication: Publication) -> None:
    """LibreOffice's own output: if its way of writing tables changes, this fails."""
    import pikepdf

    scopes: dict[str, int] = {}
    with pikepdf.open(publication.pdf) as pdf:
        for element in _structure(pdf.Root.StructTreeRoot):
            if element.get("/S") == "/TH":
                attributes = element.get("/A")
                for attribute in attributes if isinstance(attributes, pikepdf.Array) else [attributes]:
                    if isinstance(attribute, pikepdf.Dictionary) and "/Scope" in attribute:
                        scope = str(attribute.Scope)
                        scopes[scope] = scopes.get(scope, 0) + 1
    assert scopes.get("/Row", 0) >= 14 * 28  # every label of every measure profile
    assert scopes.get("/Column", 0) > 0  # the header rows of the other tables


def _structure(element: Any) -> Any:
    import pikepdf

    if isinstance(element, pikepdf.Dictionary):
        yield element
        kids = element.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            yield from _structure(kid)


def test_libreoffices_html_export_has_alt_text_on_every_image(
    publication: Publication, tmp_path: Path
) -> None:
    """LibreOffice reads an image's title where Word reads its description: both are written."""
    program = require_soffice()
    subprocess.run(
        [program, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "html",
         "--outdir", str(tmp_path), str(publication.docx)],
        check=True, capture_output=True, timeout=300, env={**os.environ, "SAL_USE_VCLPLUGIN": "svp"},
    )  # fmt: skip
    html = next(tmp_path.glob("*.html")).read_text(encoding="utf-8", errors="replace")
    images = re.findall(r"<img\b[^>]*>", html, re.IGNORECASE)
    assert len(images) >= 2  # the charts
    assert all(re.search(r'\balt="[^"]+"', image) for image in images), images


def test_a_border_painted_outside_the_tags_becomes_an_artifact(tmp_path: Path) -> None:
    """LibreOffice paints a paragraph's border outside marked content; tagged content stays as it is."""
    import pikepdf

    from concept_builder.pdf_artifacts import decorations_as_artifacts

    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        page = pdf.pages[0]
        page.Contents = pdf.make_stream(
            b"/P <</MCID 0>> BDC 0 0 1 rg 10 10 50 50 re f EMC "  # tagged: stays
            b"q 0.5 w 0 0 0 RG 72 700 m 500 700 l S Q "  # a title's rule, untagged
            b"BT /F1 12 Tf (x) Tj ET"
        )
        buffer = tmp_path / "rand.pdf"
        pdf.save(buffer)
    mended = decorations_as_artifacts(buffer.read_bytes())
    with pikepdf.open(io.BytesIO(mended)) as pdf:
        operators = [str(i.operator) for i in pikepdf.parse_content_stream(pdf.pages[0])]
    assert operators == [
        "BDC", "rg", "re", "f", "EMC",
        "q", "w", "RG", "BMC", "m", "l", "S", "EMC", "Q",
        "BT", "Tf", "Tj", "ET",
    ]  # fmt: skip
    assert decorations_as_artifacts(mended) == mended  # nothing left to mend: the same bytes
