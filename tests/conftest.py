"""Shared fixtures: small input folders in tmp_path, the Goslar build, Word's validator."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import textwrap
import zipfile
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from docx import Document
from hypothesis import HealthCheck, settings

import concept_builder
from concept_builder import BuildOptions

# Hypothesis: a quick profile for `make test`, a thorough one for `make fuzz`.
settings.register_profile(
    "quick", max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "thorough", max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "quick"))

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True, scope="session")
def chart_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Drawn charts and parsed input files go to a cache of the test run, not the user's."""
    os.environ["CONCEPT_BUILDER_CACHE"] = str(tmp_path_factory.mktemp("chart-cache"))


GOSLAR = ROOT / "inputs" / "goslar"
VALIDATOR = ROOT / "node_modules" / ".bin" / "ooxml-validator"

MINIMAL = """\
meta:
  title: Integrationskonzept
  district: Landkreis Muster
  issuer: Landkreis Muster – Der Landrat
  version: "1.0"
  date: 2019-01-31
themes:
  - id: bildung
    title: Bildung und Sprache
    description: Sprache ist der Schlüssel.
    goals:
      - id: bildung-z1
        title: Alle Kinder sprechen Deutsch
    measures:
      - id: bildung-m1
        title: Sprachkurse
        description: Kurse für alle.
        goals: [bildung-z1]
        lead: Kreisvolkshochschule
"""

WriteInputs = Callable[..., Path]


@pytest.fixture
def write_inputs(tmp_path: Path) -> WriteInputs:
    """Write an input folder: ``write_inputs(concept_yaml, **other_files)``."""

    def write(concept: str = MINIMAL, **files: str) -> Path:
        folder = tmp_path / "inputs"
        folder.mkdir(exist_ok=True)
        (folder / "concept.yaml").write_text(textwrap.dedent(concept), encoding="utf-8")
        for name, text in files.items():
            path = folder / name.replace("__", "/")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return folder

    return write


class _WordValidator:
    """Microsoft's Open XML SDK validator over every document the suite builds, as one batch.

    Starting the validator takes most of a second, so documents are validated
    in the background while the tests go on, and the results are checked once
    at the end of the session (``word_validator``), naming each test whose
    document Word would reject.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.pool = ThreadPoolExecutor(max_workers=2)
        self.jobs: list[tuple[str, Path, Future[str | None]]] = []

    def submit(self, path: Path, who: str) -> None:
        copy = self.folder / f"{len(self.jobs):04d}-{path.name}"  # the test may change or remove its file
        shutil.copyfile(path, copy)
        self.jobs.append((who, path, self.pool.submit(self.problems, copy)))

    @staticmethod
    def problems(path: Path) -> str | None:
        result = subprocess.run([str(VALIDATOR), str(path)], capture_output=True, text=True, timeout=300)
        report = json.loads(result.stdout)
        if report["ok"]:
            return None
        errors = [f"{e['path']} {e.get('xPath', '')}: {e['description']}" for e in report.get("errors", [])]
        return "\n  ".join(errors[:20])

    def rejected(self) -> list[str]:
        found = []
        for who, path, job in self.jobs:
            problems = job.result()
            if problems:
                found.append(f"{who}: Word's validator rejects {path.name}:\n  {problems}")
        self.pool.shutdown()
        return found


_validator: _WordValidator | None = None


@pytest.fixture(autouse=True, scope="session")
def word_validator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Checks, once every test has run, that Word's validator accepted every document handed to it."""
    global _validator
    _validator = _WordValidator(tmp_path_factory.mktemp("validated"))
    yield
    rejected = _validator.rejected()
    _validator = None
    if rejected:
        pytest.fail("\n".join(rejected), pytrace=False)


def validate_with_word(path: Path) -> None:
    """Hand ``path`` to Word's validator (Open XML SDK); the session fails if it rejects the document."""
    if not VALIDATOR.exists():
        if os.environ.get("CI"):
            pytest.fail("the Open XML validator is missing: run `make test`, which installs it with npm")
        pytest.skip("the Open XML validator is not installed (npm install --ignore-scripts)")
    assert _validator is not None
    _validator.submit(path, os.environ.get("PYTEST_CURRENT_TEST", "?").split(" ")[0])


@pytest.fixture(scope="session")
def goslar_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Goslar sample, built once for the session and checked by Word's validator."""
    out = tmp_path_factory.mktemp("goslar")
    result = concept_builder.build_folder(GOSLAR, BuildOptions(out_dir=out))
    validate_with_word(result.path)
    return result.path


@pytest.fixture(scope="session")
def goslar_concept() -> concept_builder.Concept:
    return concept_builder.load_concept(GOSLAR)


def make_template(path: Path, *paragraphs: str) -> Path:
    """A Word template of plain paragraphs, one per argument."""
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(str(path))
    return path


def document_text(path: Path) -> list[str]:
    """Every paragraph of the document, tables included, in reading order."""
    document = Document(str(path))
    body = document.element.body
    texts = []
    for paragraph in body.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p"):
        text = "".join(
            node.text or ""
            for node in paragraph.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t")
        )
        if text:
            texts.append(text)
    return texts


def document_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as package:
        return package.read("word/document.xml").decode("utf-8")


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def require_soffice() -> str:
    """The LibreOffice program; the test is skipped where it is missing, and fails in CI."""
    program = soffice()
    if program is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is missing: .ci/run installs libreoffice-writer-nogui")
        pytest.skip("LibreOffice (soffice) is not installed")
    return program


def require_uno() -> str:
    """The Python that drives LibreOffice through UNO; skipped where there is none, failing in CI."""
    from concept_builder.uno_client import uno_python

    require_soffice()
    python = uno_python()
    if python is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice's uno module is missing: .ci/run installs python3-uno")
        pytest.skip("no Python with LibreOffice's uno module (python3-uno) is installed")
    return python


@dataclass
class Publication:
    """The Goslar concept as published: .docx with contents page numbers, and its PDF."""

    docx: Path
    pdf: Path
    stdout: str
    stderr: str


@pytest.fixture(scope="session")
def publication(tmp_path_factory: pytest.TempPathFactory) -> Publication:
    """The Goslar concept built with --pdf --page-numbers, once for the session."""
    from tests.test_cli import run

    require_soffice()
    out = tmp_path_factory.mktemp("published")
    result = run("build", str(GOSLAR), "-o", str(out), "--pdf", "--page-numbers")
    assert result.returncode == 0, result.stderr
    docx = out / "integrations-und-teilhabekonzept-landkreis-goslar-v0-9.docx"
    validate_with_word(docx)
    return Publication(docx, docx.with_suffix(".pdf"), result.stdout, result.stderr)


@pytest.fixture(scope="session")
def trigger_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Small PDFs that each break one rule of the PDF check, and a clean one (``tests/pdf_triggers.py``)."""
    from tests.pdf_triggers import make_triggers

    return make_triggers(require_soffice(), tmp_path_factory.mktemp("triggers"))


def png(width: int, height: int) -> bytes:
    """A plain PNG image, written by hand so the tests need no imaging library."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x1f\x4e\x79" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
