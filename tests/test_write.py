"""Outputs under faults: put in place together or not at all, names that would collide, the truth told."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import concept_builder
from concept_builder import BuildOptions
from concept_builder.errors import Interrupted
from concept_builder.write import Staging
from tests.conftest import MINIMAL, WriteInputs


def test_staged_files_are_put_in_place_together(tmp_path: Path) -> None:
    with Staging(tmp_path / "out") as staging:
        moves = [
            (staging.write("a", b"A"), tmp_path / "out" / "a.docx"),
            (staging.write("b", b"B"), tmp_path / "out" / "a.pdf"),
        ]
        assert staging.commit(moves) == [tmp_path / "out" / "a.docx", tmp_path / "out" / "a.pdf"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.docx", "a.pdf"]


def test_an_interrupt_while_putting_in_place_waits_and_names_what_was_written(tmp_path: Path) -> None:
    target = tmp_path / "a.docx"
    with Staging(tmp_path) as staging:
        staged = staging.write("a", b"A")
        original = os.replace

        def replace_and_interrupt(source: Path, destination: Path) -> None:
            original(source, destination)
            os.kill(os.getpid(), signal.SIGINT)  # arrives in the middle of putting the files in place

        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(os, "replace", replace_and_interrupt)
            with pytest.raises(Interrupted) as caught:
                staging.commit([(staged, target)])
    assert caught.value.written == [target] and target.read_bytes() == b"A"
    assert str(caught.value) == f"interrupted after the outputs were put in place; written: {target}"
    assert [p.name for p in tmp_path.iterdir()] == ["a.docx"]


def test_a_failed_build_leaves_no_output_folder_behind(write_inputs: WriteInputs, tmp_path: Path) -> None:
    folder = write_inputs(MINIMAL.replace("lead:", "leed:"))
    with pytest.raises(concept_builder.InputError):
        concept_builder.build_folder(folder, BuildOptions(out_dir=tmp_path / "neu"))
    assert not (tmp_path / "neu").exists()


def test_names_that_would_collide_are_an_error_before_anything_is_written(tmp_path: Path) -> None:
    folders = []
    for name, district in (("a", "Landkreis Ämter"), ("b", "Landkreis Aemter")):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "concept.yaml").write_text(
            MINIMAL.replace("district: Landkreis Muster", f"district: {district}"), encoding="utf-8"
        )
        folders.append(folder)
    out = tmp_path / "out"
    with pytest.raises(concept_builder.OutputError, match=r"several documents would be written to .*aemter"):
        concept_builder.build_many(folders, BuildOptions(out_dir=out))
    assert not out.exists()


def test_a_bug_in_one_folder_neither_stops_nor_hides_the_others(
    write_inputs: WriteInputs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from concept_builder import pipeline

    good = write_inputs()
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "concept.yaml").write_text(
        MINIMAL.replace("Landkreis Muster", "Landkreis Fehler"), encoding="utf-8"
    )
    render = pipeline._render

    def buggy(concept: concept_builder.Concept, *args: object, **kwargs: object) -> object:
        if concept.meta.district == "Landkreis Fehler":
            raise ZeroDivisionError("nur hier")
        return render(concept, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "_render", buggy)
    for jobs in (1, 2):  # the workers are forked with the patch in place
        out = tmp_path / f"out{jobs}"
        first, second = concept_builder.build_many([bad, good], BuildOptions(out_dir=out), jobs=jobs)
        assert isinstance(first, concept_builder.ConceptBuilderError)
        assert str(first) == "internal error: ZeroDivisionError: nur hier"
        assert isinstance(second, list) and second[0].path.is_file()
        assert [p.name for p in out.iterdir()] == [second[0].path.name]


def fake_soffice(folder: Path, script: str) -> Path:
    """A folder with an ``soffice`` that runs ``script``, to put first on PATH."""
    folder.mkdir()
    program = folder / "soffice"
    program.write_text("#!/bin/sh\n" + script)
    program.chmod(0o755)
    return folder


@pytest.mark.parametrize(("signal_name", "option"), [("SIGTERM", "--pdf"), ("SIGINT", "--page-numbers")])
def test_an_interrupted_build_changes_nothing(
    write_inputs: WriteInputs, tmp_path: Path, signal_name: str, option: str
) -> None:
    folder = write_inputs()
    out = tmp_path / "out"
    out.mkdir()
    stem = "integrationskonzept-landkreis-muster-v1-0"
    old = {f"{stem}.docx": b"alt docx", f"{stem}.pdf": b"alt pdf"}
    for name, data in old.items():
        (out / name).write_bytes(data)
    started = tmp_path / "soffice-started"
    slow = fake_soffice(tmp_path / "bin", f"touch {started}\nsleep 60\n")  # LibreOffice at work
    process = subprocess.Popen(
        [sys.executable, "-m", "concept_builder", "build", str(folder), "-o", str(out), "--pdf", option],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ, PATH=f"{slow}:{os.environ['PATH']}"),
    )
    deadline = time.monotonic() + 60
    while not started.exists():
        assert time.monotonic() < deadline and process.poll() is None, "LibreOffice was never started"
        time.sleep(0.05)
    process.send_signal(getattr(signal, signal_name))
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert stderr.strip().endswith("interrupted: no output was changed")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == old  # no new .docx beside the old PDF
    assert subprocess.run(["pgrep", "-f", str(slow)], capture_output=True).returncode == 1  # none left


def test_a_file_that_is_not_a_pdf_is_never_written_as_one(write_inputs: WriteInputs, tmp_path: Path) -> None:
    folder = write_inputs()
    liar = fake_soffice(
        tmp_path / "bin",
        'while [ $# -gt 1 ]; do [ "$1" = --outdir ] && dir="$2"; shift; done\n'
        'echo kaputt > "$dir/$(basename "$1" .docx).pdf"\n',
    )
    out = tmp_path / "out"
    script = (
        "import concept_builder as cb\n"
        f"r = cb.build_folder({str(folder)!r}, cb.BuildOptions(out_dir={str(out)!r}, pdf=True))\n"
        "print(r.pdf, r.notes)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        # soffice --convert-to, whose files are taken as they come (UNO reports what it wrote)
        env=dict(os.environ, PATH=f"{liar}:{os.environ['PATH']}", CONCEPT_BUILDER_UNO_PYTHON=""),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "None ['no PDF: LibreOffice wrote a file that is not a complete PDF']"
    assert [p.suffix for p in (tmp_path / "out").iterdir()] == [".docx"]


def test_no_process_is_forked_while_the_check_of_a_pdf_runs(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The check runs beside the next document; a child forked meanwhile (the charts are drawn in one)
    could find a module's import lock held by the check forever. A fork waits for the check."""
    import multiprocessing
    import threading

    from concept_builder import build_notes

    started = threading.Event()

    def slow_check(path: Path) -> list[Any]:
        started.set()
        time.sleep(0.5)
        return []

    monkeypatch.setattr(build_notes, "check_pdf", slow_check)
    check = build_notes.PdfCheck(tmp_path / "document.pdf", [])
    assert started.wait(5)
    child = multiprocessing.get_context("fork").Process(target=time.sleep, args=(0,))
    child.start()
    assert not check._thread.is_alive()  # the check ended before the fork
    child.join()
    assert child.exitcode == 0
    assert check.findings() == []
