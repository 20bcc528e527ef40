"""A real client opens the document: LibreOffice converts it to PDF and the pages read right."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest

import concept_builder
from concept_builder import BuildOptions
from tests.conftest import Publication, WriteInputs, document_xml, require_soffice, require_uno

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


def test_without_libreoffice_the_build_says_so_and_how_to_install_it(tmp_path: Path) -> None:
    from tests.conftest import GOSLAR
    from tests.test_cli import run

    result = run("build", str(GOSLAR), "-o", str(tmp_path / "out"), env={"PATH": str(tmp_path)})  # no soffice
    assert result.returncode == 0, result.stderr
    notes = [line for line in result.stderr.splitlines() if "timeline" not in line]  # the sample's own
    assert notes == [
        "note: table of contents without page numbers: LibreOffice (soffice) was not found:"
        " install LibreOffice, e.g. apt-get install libreoffice-writer-nogui",
    ]
    assert result.stdout.splitlines()[1:] == [
        "table of contents: entries without page numbers (Word adds them when fields are updated)"
    ]


def test_contents_have_page_numbers_unless_a_draft_is_asked_for(
    tmp_path: Path, write_inputs: WriteInputs
) -> None:
    from tests.conftest import document_xml
    from tests.test_cli import run

    require_uno()
    folder = write_inputs()
    published = run("build", str(folder), "-o", str(tmp_path / "published"))
    draft = run("build", str(folder), "-o", str(tmp_path / "draft"), "--no-page-numbers")
    assert published.returncode == 0 and draft.returncode == 0, published.stderr + draft.stderr
    assert published.stderr == draft.stderr == ""  # LibreOffice driven through UNO: no note
    assert (
        published.stdout.splitlines()[1]
        == "table of contents: entries with page numbers (laid out by LibreOffice)"
    )
    assert draft.stdout.splitlines()[1] == (
        "table of contents: entries without page numbers, a draft (--no-page-numbers; Word adds them when"
        " fields are updated)"
    )
    [document] = (tmp_path / "published").iterdir()
    assert re.search(r"PAGEREF _Toc00000001 .*?<w:t>3</w:t>", document_xml(document))
    [document] = (tmp_path / "draft").iterdir()
    assert "PAGEREF" not in document_xml(document)


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


def test_one_layout_gives_what_two_conversions_gave(
    publication: Publication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The publication laid out once through UNO, and as before: converted for the pages, then for the PDF."""
    require_uno()
    notes = [line for line in publication.stderr.splitlines() if "timeline" not in line]  # the sample's own
    assert notes == []  # neither slow nor failed, nothing left out
    monkeypatch.setenv("CONCEPT_BUILDER_UNO_PYTHON", "")  # no Python with uno: the old way
    from tests.conftest import GOSLAR

    twice = concept_builder.build_folder(GOSLAR, BuildOptions(out_dir=tmp_path, page_numbers=True, pdf=True))
    assert [note for note in twice.notes if "timeline" not in note] == [
        "LibreOffice ran the slow way, without its UNO bridge: no Python with LibreOffice's uno module was"
        " found – install python3-uno (or set CONCEPT_BUILDER_UNO_PYTHON to a Python that can import uno)"
    ]
    assert twice.path.read_bytes() == publication.docx.read_bytes()  # the same pages in the contents
    assert twice.pdf is not None
    once_text, twice_text = pdf_text(publication.pdf), pdf_text(twice.pdf)
    assert once_text == twice_text  # every page, contents included
    once, again = _pdf_layout(publication.pdf), _pdf_layout(twice.pdf)
    assert once == again  # tags, bookmarks and links (the order of a page's annotations may differ)
    assert _page_image(publication.pdf, 2, tmp_path / "once") == _page_image(twice.pdf, 2, tmp_path / "twice")


def _page_image(pdf: Path, page: int, stem: Path) -> bytes:
    """One page drawn by poppler, as PNG bytes."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    command = [
        "pdftoppm",
        "-f",
        str(page),
        "-l",
        str(page),
        "-r",
        "60",
        "-png",
        "-singlefile",
        str(pdf),
        str(stem),
    ]
    subprocess.run(command, check=True, capture_output=True)
    return stem.with_suffix(".png").read_bytes()


def _pdf_layout(pdf: Path) -> dict[str, Any]:
    """What a reader meets besides the text: the structure tree, the bookmarks, the links."""
    import pikepdf

    with pikepdf.open(pdf) as document:
        numbers: dict[Any, int] = {page.objgen: index for index, page in enumerate(document.pages)}

        def target(destination: Any) -> str:
            return str(numbers[destination[0].objgen]) if isinstance(destination, pikepdf.Array) else ""

        tags = [
            (str(element.get("/S")), str(element.get("/Alt", "")), str(element.get("/ActualText", "")))
            for element in _structure(document.Root.StructTreeRoot)
            if "/S" in element
        ]
        with document.open_outline() as outline:
            bookmarks = [(item.title, target(item.destination)) for item in _outline(outline.root)]
        links: list[tuple[int, list[int], str]] = []
        for index, page in enumerate(document.pages):
            for annotation in page.get("/Annots", []):
                action: Any = annotation.get("/A")
                uri = str(action.get("/URI", "")) if isinstance(action, pikepdf.Dictionary) else ""
                links.append(
                    (
                        index,
                        [round(float(x)) for x in annotation.Rect],
                        uri or target(annotation.get("/Dest")),
                    )
                )
        return {"pages": len(document.pages), "tags": tags, "bookmarks": bookmarks, "links": sorted(links)}


def _outline(items: Any) -> Any:
    for item in items:
        yield item
        yield from _outline(item.children)


def test_the_variants_of_a_build_share_one_libreoffice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from concept_builder import uno_client
    from tests.conftest import GOSLAR

    require_uno()
    folders: list[Path | None] = []
    start = uno_client.UnoSession.start

    def counted(session: uno_client.UnoSession) -> uno_client.UnoSession:
        started = start(session)
        folders.append(session.folder)
        return started

    monkeypatch.setattr(uno_client.UnoSession, "start", counted)
    options = BuildOptions(out_dir=tmp_path, page_numbers=True)
    [outcome] = concept_builder.build_many([GOSLAR], options, variants=["kurzfassung", "umsetzungsbericht"])
    assert isinstance(outcome, list) and [result.page_numbers for result in outcome] == [True, True]
    [folder] = folders  # one LibreOffice for both
    assert folder is not None and not folder.exists()  # ended, and its profile and files removed


@pytest.mark.parametrize("fault", ["hangs", "is killed"])
def test_libreoffice_that_hangs_or_dies_while_laying_out_leaves_nothing_behind(
    goslar_docx: Path, tmp_path: Path, fault: str
) -> None:
    import os
    import signal

    from concept_builder.libreoffice import profile_registry, soffice
    from concept_builder.uno_client import UnoSession, soffice_binary
    from concept_builder.uno_worker import socket_paths

    python = require_uno()
    session = UnoSession(python, soffice_binary(str(soffice())), registry=profile_registry())
    session.wait_ready()
    assert session.process is not None and session.folder is not None and session.soffice_pid is not None
    worker, folder, soffice_pid = session.process.pid, session.folder, session.soffice_pid
    sockets = socket_paths(session.pipe, (folder / "profile").as_uri())
    assert any(Path(socket).exists() for socket in sockets)
    os.kill(soffice_pid, signal.SIGSTOP if fault == "hangs" else signal.SIGKILL)
    with pytest.raises(concept_builder.LibreOfficeError) as caught:
        session.layout(goslar_docx, timeout=3, pdf=tmp_path / "x.pdf")
    assert str(caught.value) == (
        "LibreOffice did not lay the document out within 3 s; it was stopped"
        if fault == "hangs"
        else "LibreOffice ended while laying the document out: it was killed by SIGKILL"
    )
    assert not _running(worker) and not _running(soffice_pid)
    assert not folder.exists() and not any(Path(socket).exists() for socket in sockets)
    assert not (tmp_path / "x.pdf").exists()
    session.close()  # again: nothing to do


def _running(pid: int) -> bool:
    """Whether ``pid`` is a live process (not a zombie waiting for its parent)."""
    try:
        status = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return status[status.rindex(")") + 2] != "Z"


@pytest.mark.parametrize("way", ["uno", "soffice --convert-to"])
def test_libreoffice_reaches_nothing_outside_the_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, way: str
) -> None:
    """An image linked by URL from a local web server, and one by path from outside: neither is read."""
    import http.server
    import threading

    import pikepdf

    from concept_builder.libreoffice import LibreOffice
    from tests.conftest import png

    if way == "uno":
        require_uno()
    else:
        require_soffice()
        monkeypatch.setenv("CONCEPT_BUILDER_UNO_PYTHON", "")
    requests: list[str] = []

    class Server(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            self.wfile.write(png(5, 5))

        do_HEAD = do_OPTIONS = do_PROPFIND = do_GET

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Server)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    outside = tmp_path / "outside" / "geheim.png"
    outside.parent.mkdir()
    outside.write_bytes(png(7, 7))
    document = _document_linking(
        tmp_path / "links.docx", f"http://127.0.0.1:{server.server_address[1]}/bild.png", outside.as_uri()
    )
    try:
        with LibreOffice(timeout=120) as office:
            published = office.publish(document, lambda pages: document, pdf=True)
    finally:
        server.shutdown()
        server.server_close()
    assert requests == []
    assert published.pdf is not None
    with pikepdf.open(io.BytesIO(published.pdf)) as pdf:
        images = [
            (int(image.Width), int(image.Height))
            for page in pdf.pages
            for image in page.Resources.get("/XObject", {}).values()
            if image.get("/Subtype") == "/Image"
        ]
    assert images == [(4, 3)]  # the image inside the document only


def _document_linking(path: Path, url: str, file_url: str) -> bytes:
    """A .docx with an image of its own, and two that Word would fetch: one by URL, one by file path."""
    import re
    import zipfile

    from docx import Document
    from docx.opc.constants import RELATIONSHIP_TYPE

    from tests.conftest import png

    document = Document()
    document.add_paragraph("Ein Bild im Dokument, eines aus dem Netz, eines von der Festplatte.")
    document.add_picture(io.BytesIO(png(4, 3)))
    linked = [
        document.part.relate_to(target, RELATIONSHIP_TYPE.IMAGE, is_external=True)
        for target in (url, file_url)
    ]
    document.save(str(path))
    with zipfile.ZipFile(path) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    body = parts["word/document.xml"].decode("utf-8")
    drawing = re.search(r"<w:drawing>.*?</w:drawing>", body, re.DOTALL)
    assert drawing is not None
    pictures = "".join(
        "<w:p><w:r>" + re.sub(r'r:embed="rId\d+"', f'r:link="{rid}"', drawing.group(0)) + "</w:r></w:p>"
        for rid in linked
    )
    parts["word/document.xml"] = body.replace("<w:sectPr", pictures + "<w:sectPr", 1).encode("utf-8")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return out.getvalue()


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


def test_the_page_count_in_a_footer_becomes_a_placeholder_for_libreoffice() -> None:
    """The fields are found in the bytes of headers and footers, by regular expressions."""
    from concept_builder.libreoffice_input import PAGE_COUNT_PLACEHOLDER, for_pdf

    def field(instruction: str) -> str:
        return (
            '<w:r><w:rPr><w:sz w:val="16"/></w:rPr><w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        )

    with_format = field("NUMPAGES \\* Arabic")  # as Word writes it
    simple = '<w:fldSimple w:instr=" NUMPAGES "><w:r><w:rPr><w:b/></w:rPr><w:t>1</w:t></w:r></w:fldSimple>'
    footer = (
        f"<w:ftr><w:p><w:r><w:t>Seite </w:t></w:r>{field('PAGE')}<w:r><w:t> von </w:t></w:r>"
        f"{with_format}</w:p><w:p>{simple}</w:p>"
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>=</w:instrText></w:r>'
        f"{field('NUMPAGES')}<w:r><w:instrText>-2</w:instrText></w:r>"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p></w:ftr>'
    )
    package = io.BytesIO()
    with zipfile.ZipFile(package, "w") as docx:
        docx.writestr("word/document.xml", "<w:document>NUMPAGES</w:document>")
        docx.writestr("word/footer2.xml", footer)
    with zipfile.ZipFile(io.BytesIO(for_pdf(package.getvalue()))) as docx:
        body = docx.read("word/document.xml").decode()
        changed = docx.read("word/footer2.xml").decode()
    placeholder = f"<w:t>{PAGE_COUNT_PLACEHOLDER}</w:t>"
    assert body == "<w:document>NUMPAGES</w:document>"  # only headers and footers
    assert changed.count("PAGE ") == 1  # the page number stays a field
    assert f'<w:r><w:rPr><w:sz w:val="16"/></w:rPr>{placeholder}</w:r></w:p>' in changed
    assert f"<w:p><w:r><w:rPr><w:b/></w:rPr>{placeholder}</w:r></w:p>" in changed
    assert changed.count("NUMPAGES") == 1  # inside another field: left to LibreOffice
    # converted without a layout that fills the placeholder in, the field stays
    assert for_pdf(package.getvalue(), page_count=False) == package.getvalue()
    assert for_pdf(for_pdf(package.getvalue())) == for_pdf(package.getvalue())


def test_libreoffice_gets_the_document_without_its_source_bookmarks(goslar_docx: Path) -> None:
    """The bookmarks of the values are for a review of the .docx; LibreOffice imports each slowly.
    The bookmarks that links lead to stay, and every bookmark left has its end."""
    from concept_builder.libreoffice_input import for_pdf

    built = goslar_docx.read_bytes()
    original = document_xml(goslar_docx)
    with zipfile.ZipFile(io.BytesIO(for_pdf(built))) as docx:
        copy = docx.read("word/document.xml").decode()
    names = dict(re.findall(r'<w:bookmarkStart w:id="(\d+)" w:name="([^"]+)"/>', original))
    kept = dict(re.findall(r'<w:bookmarkStart w:id="(\d+)" w:name="([^"]+)"/>', copy))
    assert sum(name.startswith("_cb") for name in names.values()) > 500
    assert not any(name.startswith("_cb") for name in kept.values())
    link_targets = set(re.findall(r'w:anchor="([^"]+)"', original))
    assert link_targets and link_targets <= set(kept.values())
    assert sorted(re.findall(r'<w:bookmarkEnd w:id="(\d+)"/>', copy)) == sorted(kept)
    without_bookmarks = re.compile(r"<w:bookmark(?:Start|End) [^>]*/>")
    assert without_bookmarks.sub("", copy) == without_bookmarks.sub("", original)


def test_a_picture_whose_alt_text_begins_with_its_title_reaches_libreoffice_untitled() -> None:
    """LibreOffice writes “title - alt text” into the PDF: a logo titled by its alt text or its first
    clause would be read twice; a chart's caption, which the alt text does not repeat, stays."""
    from concept_builder.libreoffice_input import for_pdf

    pictures = [
        '<wp:docPr id="1" name="a.png" descr="Logo des Amts" title="Logo des Amts"/>',
        '<wp:docPr id="2" name="b.png" descr="Wappen: ein Löwe" title="Wappen"/>',
        '<wp:docPr id="3" name="c.png" title="Wappen des Kreises…" descr="Wappen des Kreises Muster"/>',
        '<wp:docPr id="4" name="chart1.png" descr="Balken: 3 Maßnahmen" title="Maßnahmen nach Stand"/>',
    ]
    package = io.BytesIO()
    with zipfile.ZipFile(package, "w") as docx:
        docx.writestr("word/document.xml", "".join(pictures[:2] + pictures[3:]))
        docx.writestr("word/header1.xml", pictures[2])
    with zipfile.ZipFile(io.BytesIO(for_pdf(package.getvalue()))) as docx:
        body = docx.read("word/document.xml").decode()
        header = docx.read("word/header1.xml").decode()
    assert body == (
        '<wp:docPr id="1" name="a.png" descr="Logo des Amts"/>'
        '<wp:docPr id="2" name="b.png" descr="Wappen: ein Löwe"/>' + pictures[3]
    )
    assert header == '<wp:docPr id="3" name="c.png" descr="Wappen des Kreises Muster"/>'


def test_a_row_of_data_cells_led_by_a_header_cell_gets_it_as_row_header() -> None:
    from concept_builder.pdf_finish import accessible_pdf

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
    from concept_builder.pdf_finish import accessible_pdf

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


def html_export(docx: Path, folder: Path) -> str:
    """``docx`` as LibreOffice exports it to HTML (into ``folder``): what its readers get as alt text."""
    program = require_soffice()
    subprocess.run(
        [program, "--headless", f"-env:UserInstallation=file://{folder}/profile", "--convert-to", "html",
         "--outdir", str(folder), str(docx)],
        check=True, capture_output=True, timeout=300, env={**os.environ, "SAL_USE_VCLPLUGIN": "svp"},
    )  # fmt: skip
    return next(folder.glob("*.html")).read_text(encoding="utf-8", errors="replace")


def test_libreoffices_html_export_has_alt_text_on_every_image(
    publication: Publication, tmp_path: Path
) -> None:
    """LibreOffice reads an image's title where Word reads its description: both are written."""
    html = html_export(publication.docx, tmp_path)
    images = re.findall(r"<img\b[^>]*>", html, re.IGNORECASE)
    assert len(images) >= 2  # the charts
    assert all(re.search(r'\balt="[^"]+"', image) for image in images), images


LOGO_ALT = "Wappen des Landkreises Muster: ein goldener Löwe auf rotem Grund über drei blauen Wellen"
SHORT_ALT = "Logo des Integrationsmanagements"


def test_a_logo_is_named_by_its_alt_text_where_libreoffice_reads_it(
    write_inputs: WriteInputs, tmp_path: Path
) -> None:
    """LibreOffice's HTML export takes the picture's title as ``alt``: the title is the alt text's
    first clause, not the word “Logo”. In the PDF, which LibreOffice gives “title - alt text”, each
    logo is read once."""
    from concept_builder import check_document
    from tests.conftest import MINIMAL, png

    logos = (
        f"  logos:\n    - {{file: wappen.png, alt: {LOGO_ALT!r}}}\n    - {{file: logo.png, alt: {SHORT_ALT}}}"
    )
    folder = write_inputs(MINIMAL.replace("  date: 2019-01-31", f"  date: 2019-01-31\n{logos}"))
    (folder / "wappen.png").write_bytes(png(30, 30))
    (folder / "logo.png").write_bytes(png(60, 20))
    result = concept_builder.build_folder(folder, BuildOptions(out_dir=tmp_path / "out", pdf=True))
    html = html_export(result.path, tmp_path)
    alts = re.findall(r'<img\b[^>]*\balt="([^"]*)"', html)
    assert alts[:2] == ["Wappen des Landkreises Muster", SHORT_ALT]  # the cover's logos, before the chart
    assert result.pdf is not None
    import pikepdf

    with pikepdf.open(result.pdf) as pdf:
        elements = _structure(pdf.Root.StructTreeRoot)
        figures = [str(element.get("/Alt")) for element in elements if element.get("/S") == "/Figure"]
    assert figures[:2] == [LOGO_ALT, SHORT_ALT]
    assert not [finding for finding in check_document(result.pdf) if finding.rule == "pdf-figure-alt"]


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


def test_a_file_that_only_begins_and_ends_like_a_pdf_is_no_pdf(tmp_path: Path) -> None:
    """A LibreOffice that failed may leave anything behind; what is published must be a PDF with pages."""
    import pikepdf

    from concept_builder import LibreOfficeError
    from concept_builder.pdf_finish import finished_pdf

    with pikepdf.new() as pdf:
        pdf.save(tmp_path / "empty.pdf")
    for data in [b"%PDF-1.7\nkaputt\n%%EOF\n", (tmp_path / "empty.pdf").read_bytes()]:
        with pytest.raises(LibreOfficeError, match="not a complete PDF"):
            finished_pdf(data, None)


def test_the_layout_worker_knows_the_bookmarks_our_contents_link_to() -> None:
    # the worker runs in another Python and keeps its own pattern: both must name the same bookmarks
    from concept_builder import toc, uno_worker

    names = [toc.CONTENTS_BOOKMARK.format(number) for number in (1, 42, 99_999_999)]
    assert all(uno_worker.CONTENTS_BOOKMARK.match(name) for name in names)
    assert not uno_worker.CONTENTS_BOOKMARK.match("_cb" + names[0])
    assert not uno_worker.CONTENTS_BOOKMARK.match(names[0] + "_2")
