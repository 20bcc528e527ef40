"""Reading YAML: encodings of old editors, hostile files and limits are handled with a clear message."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from concept_builder import BuildOptions, load_concept, validate_folder
from concept_builder.load import yaml_files
from tests.conftest import MINIMAL, WriteInputs


def write_bytes(folder: Path, data: bytes) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "concept.yaml").write_bytes(data)
    return folder


def test_utf8_with_bom(tmp_path: Path) -> None:
    concept = load_concept(write_bytes(tmp_path / "in", b"\xef\xbb\xbf" + MINIMAL.encode("utf-8")))
    assert concept.meta.issuer == "Landkreis Muster – Der Landrat"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_utf16_with_bom(tmp_path: Path, encoding: str) -> None:
    data = MINIMAL.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    concept = load_concept(write_bytes(tmp_path / "in", data))
    assert concept.themes[0].description == "Sprache ist der Schlüssel."


def test_latin1_is_read_with_a_warning(tmp_path: Path) -> None:
    report = validate_folder(write_bytes(tmp_path / "in", MINIMAL.encode("cp1252")))  # – exists in cp1252
    assert report.errors == []
    assert report.concept is not None
    assert report.concept.themes[0].description == "Sprache ist der Schlüssel."
    [warning] = report.warnings
    assert str(warning).endswith(
        "concept.yaml:4: warning: is not UTF-8; it was read as Windows-1252 (Latin-1)"
        " (check the umlauts, then save the file as UTF-8)"
    )


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
    )
    started = time.perf_counter()
    report = validate_folder(write_bytes(tmp_path / "in", bomb.encode()))
    assert time.perf_counter() - started < 5  # generous: a bomb that expanded would not finish at all
    assert any("aliases" in str(p) for p in report.errors)


def test_deep_nesting_is_refused(write_inputs: WriteInputs) -> None:
    nested = "x: " + "{a: " * 45 + "1" + "}" * 45
    report = validate_folder(
        write_inputs(MINIMAL.replace("  version:", f"  note2:\n    {nested}\n  version:"))
    )
    assert any("is nested too deeply (at most 40 levels)" in str(p) for p in report.errors)


def test_large_files_are_refused(write_inputs: WriteInputs, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yaml_files, "MAX_FILE_BYTES", 100)
    [problem] = validate_folder(write_inputs()).errors
    assert "is too large" in problem.message
    assert problem.hint == "split it into several included files"


def test_too_many_values_are_refused(write_inputs: WriteInputs, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yaml_files, "MAX_NODES", 10)
    errors = validate_folder(write_inputs()).errors
    assert errors[0].message == "the inputs hold too many values (at most 10)"


def test_inputs_are_never_written(write_inputs: WriteInputs, tmp_path: Path) -> None:
    import concept_builder

    folder = write_inputs()
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.rglob("*")}
    concept_builder.build_folder(folder, BuildOptions(out_dir=tmp_path / "out"))
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.rglob("*")} == before


def test_concept_yaml_linking_outside_the_folder_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "geheim.yaml"
    secret.write_text("passwort: hunter2\n", encoding="utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "concept.yaml").symlink_to(secret)
    report = validate_folder(folder)
    assert [str(p) for p in report.problems] == [
        f"{folder / 'concept.yaml'}: is a link to a file outside the input folder"
        " (copy the file into the folder instead of linking to it)"
    ]
    assert "hunter2" not in str(report.problems)
