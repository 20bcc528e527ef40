"""A real client opens the document: LibreOffice converts it to PDF and the pages read right."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import soffice

pytestmark = pytest.mark.libreoffice


def convert_to_pdf(document: Path, out_dir: Path) -> Path:
    program = soffice()
    if program is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is missing: .ci/run installs libreoffice-writer-nogui")
        pytest.skip("LibreOffice (soffice) is not installed")
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


def test_libreoffice_renders_the_goslar_concept(goslar_docx: Path, tmp_path: Path) -> None:
    pdf = convert_to_pdf(goslar_docx, tmp_path)
    text = pdf_text(pdf)
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
