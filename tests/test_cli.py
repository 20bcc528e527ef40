"""The command line: exit codes, messages, and never a traceback for a user's mistake."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import GOSLAR, MINIMAL, WriteInputs, validate_with_word


def run(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The command line, run as a user runs it; ``env`` adds to the environment."""
    return subprocess.run(
        [sys.executable, "-m", "concept_builder", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


def test_build_writes_the_document_and_names_it(tmp_path: Path) -> None:
    result = run("build", str(GOSLAR), "-o", str(tmp_path / "out"), "--no-page-numbers")
    assert result.returncode == 0, result.stderr
    path = tmp_path / "out" / "integrations-und-teilhabekonzept-landkreis-goslar-v0-9.docx"
    assert result.stdout.splitlines() == [
        f"wrote {path}",
        "table of contents: entries without page numbers, a draft (--no-page-numbers; Word adds them"
        " when fields are updated)",
    ]
    assert path.is_file()
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary files left behind


def test_a_folders_warnings_are_printed_once_for_all_its_documents(
    write_inputs: WriteInputs, tmp_path: Path
) -> None:
    final = MINIMAL.replace('  version: "1.0"', '  version: "1.0"\n  status: beschlossen')
    quotes = "quotes:\n  - {id: q-nein, text: Bitte nicht., person: C. D., consent: nein}\n"
    folder = write_inputs(final + quotes)
    result = run("build", str(folder), "-o", str(tmp_path / "out"), "--no-page-numbers", "--variant", "all")
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("is left out: no consent to publication") == 1
    assert result.stdout.count("wrote ") == 4


def test_build_from_another_directory_uses_the_packaged_template(tmp_path: Path) -> None:
    result = run("build", str(GOSLAR), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    [document] = (tmp_path / "build").iterdir()
    validate_with_word(document)


def test_invalid_inputs_exit_1_with_every_problem(write_inputs: WriteInputs, tmp_path: Path) -> None:
    concept = MINIMAL.replace("date: 2019-01-31", "date: morgen").replace("goals: [bildung-z1]", "goals: []")
    folder = write_inputs(concept)
    result = run("build", str(folder), "-o", str(tmp_path / "out"))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines[0].endswith(
        "concept.yaml:6: meta.date: 'morgen' is not a valid date "
        "(write dates as YYYY-MM-DD, e.g. 2018-11-30, or as 30.11.2018)"
    )
    assert lines[1].endswith(
        "concept.yaml:12: warning: themes[bildung].goals[bildung-z1]: goal 'bildung-z1' has no measures yet"
        " (add a measure whose goals list this id)"
    )
    assert lines[2].endswith(
        "concept.yaml:18: themes[bildung].measures[bildung-m1].goals: needs at least one entry"
    )
    assert lines[3] == "2 errors: nothing was written."
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_validate_reports_counts_or_problems(write_inputs: WriteInputs) -> None:
    ok = run("validate", str(GOSLAR))
    assert ok.returncode == 0
    assert ok.stdout.strip() == f"{GOSLAR}: valid – 6 themes, 24 goals, 28 measures, 6 quotes, 0 warnings"
    bad = run("validate", str(write_inputs(MINIMAL.replace("lead:", "leed:"))))
    assert bad.returncode == 1
    assert (
        "themes[bildung].measures[bildung-m1].leed: is not a known field (did you mean 'lead'?)" in bad.stderr
    )
    assert "Traceback" not in bad.stderr


def test_missing_folder_is_an_input_error(tmp_path: Path) -> None:
    result = run("validate", str(tmp_path / "fehlt"))
    assert result.returncode == 1
    assert "is not a folder" in result.stderr


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run("build").returncode == 2
    assert run("build", str(GOSLAR), "--colour").returncode == 2
    unknown = run("bulid")
    assert unknown.returncode == 2
    assert "No such command" in unknown.stderr
    assert "Traceback" not in unknown.stderr


def test_broken_template_exits_1_with_the_reason(tmp_path: Path) -> None:
    template = tmp_path / "vorlage.docx"
    template.write_text("kein Word-Dokument")
    result = run("build", str(GOSLAR), "-o", str(tmp_path / "out"), "--template", str(template))
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"error: {template}: is not a Word document (.docx) (save the template as .docx in Word)"
    )


def test_schema_is_json_schema_with_includes() -> None:
    result = run("schema")
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    concept = schema["$defs"]["Concept"]  # concept.yaml, or any part it includes
    assert schema["$ref"] == "#/$defs/Part"
    entry = schema["$defs"]["Entry"]  # a mapping with meta is a concept
    assert {"required": ["meta"]} in entry["if"]["anyOf"]
    assert entry["then"] == {"$ref": "#/$defs/Concept"}
    assert set(concept["required"]) == {"meta", "themes"}
    assert "Include" in schema["$defs"]
    themes = concept["properties"]["themes"]
    assert themes["then"] == {"$ref": "#/$defs/Include"} and themes["if"]["required"] == ["include"]
    measure = schema["$defs"]["Measure"]
    assert measure["properties"]["status"]["enum"] == [
        "bestehend",
        "geplant",
        "in Umsetzung",
        "umgesetzt",
        "zurückgestellt",
    ]
    assert measure["additionalProperties"] is False


def test_help_lists_the_commands() -> None:
    result = run("--help")
    assert result.returncode == 0
    for command in ("build", "validate", "schema"):
        assert command in result.stdout


def test_template_init_copies_the_default_for_editing(tmp_path: Path) -> None:
    result = run("template", "init", str(tmp_path / "vorlagen"))
    assert result.returncode == 0, result.stderr
    copy = tmp_path / "vorlagen" / "konzept-vorlage.docx"
    assert result.stdout.splitlines()[0] == f"wrote {copy}"
    again = run("template", "init", str(tmp_path / "vorlagen"))
    assert again.returncode == 1
    assert again.stderr.strip() == f"error: {copy}: already exists (use --force to overwrite it)"
    built = run(
        "build", str(GOSLAR), "-o", str(tmp_path / "out"), "--template", str(copy), "--no-page-numbers"
    )
    assert built.returncode == 0, built.stderr


def test_mistyped_command_suggests_the_right_one() -> None:
    result = run("bulid", str(GOSLAR))
    assert result.returncode == 2
    assert result.stderr.strip().endswith("Error: No such command 'bulid'. Did you mean 'build'?")


def test_a_bug_is_one_line_and_debug_shows_the_traceback(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from click.testing import CliRunner

    from concept_builder.cli import main

    pipeline = importlib.import_module("concept_builder.pipeline")

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("kaputt")

    monkeypatch.setattr(pipeline, "_render", broken)
    result = CliRunner().invoke(main, ["build", str(GOSLAR), "-o", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "internal error: RuntimeError: kaputt",
        "this is a bug in concept-builder: run again with --debug and report the traceback",
    ]
    debug = CliRunner().invoke(main, ["--debug", "build", str(GOSLAR), "-o", str(tmp_path)])
    assert isinstance(debug.exception, RuntimeError)


def test_public_api_is_complete_and_light_to_import() -> None:
    code = (
        "import sys, concept_builder as c\n"
        "assert sorted(c.__all__) == sorted(c._PUBLIC), 'names out of step'\n"
        "heavy = [m for m in ('docxtpl', 'docx', 'matplotlib', 'pydantic') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
        "import concept_builder.cli, concept_builder.pipeline\n"
        "assert callable(c.build) and c.build.__name__ == 'build'\n"
        "assert [callable(getattr(c, name)) for name in c.__all__]\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_several_folders_in_parallel_give_the_same_bytes_as_one_by_one(
    write_inputs: WriteInputs, tmp_path: Path
) -> None:
    folder = write_inputs()
    broken = tmp_path / "kaputt"
    broken.mkdir()
    (broken / "concept.yaml").write_text(MINIMAL.replace("lead:", "leed:"), encoding="utf-8")
    serial = run("build", str(GOSLAR), str(folder), "-o", str(tmp_path / "serial"), "--no-page-numbers")
    assert serial.returncode == 0, serial.stderr
    parallel = run(
        "build",
        str(GOSLAR),
        str(broken),
        str(folder),
        "-o",
        str(tmp_path / "parallel"),
        "--jobs",
        "2",
        "--no-page-numbers",
    )
    assert parallel.returncode == 1
    assert (
        "kaputt/concept.yaml:19: themes[bildung].measures[bildung-m1].leed: is not a known field"
        in parallel.stderr
    )
    assert parallel.stderr.strip().endswith("1 of 3 concepts could not be built.")
    names = sorted(p.name for p in (tmp_path / "serial").iterdir())
    assert len(names) == 2 and names == sorted(p.name for p in (tmp_path / "parallel").iterdir())
    for name in names:
        assert (tmp_path / "serial" / name).read_bytes() == (tmp_path / "parallel" / name).read_bytes()


def test_parallel_builds_with_an_own_template(tmp_path: Path, write_inputs: WriteInputs) -> None:
    from tests.conftest import make_template

    template = make_template(tmp_path / "eigen.docx", "{{ meta.district }}: {{ meta.title }}")
    result = run(
        "build", str(GOSLAR), str(write_inputs()), "-o", str(tmp_path / "out"), "-j", "2", "-t", str(template)
    )
    assert result.returncode == 0, result.stderr
    assert len(list((tmp_path / "out").iterdir())) == 2


def test_the_readmes_api_examples_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The developer section of the README is code that works, in the order it is shown."""
    import re

    from tests.conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## For developers: the Python API", 1)[1].split("\n## ", 1)[0]
    code = "\n".join(re.findall(r"```python\n(.*?)```", section, re.DOTALL))
    (tmp_path / "inputs").symlink_to(ROOT / "inputs")
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "README.md", "exec"), {})
    assert (tmp_path / "build").is_dir() and (tmp_path / "massnahmen.xlsx").is_file()
    assert (tmp_path / "vorlagen" / "massnahmenkatalog-vorlage.docx").is_file()


def test_a_note_on_the_folder_is_said_once_for_all_its_documents(tmp_path: Path) -> None:
    from docx import Document
    from docx.shared import RGBColor

    reference = tmp_path / "blank.docx"
    design = Document()
    for style in ("Heading 2", "Heading 3", "Heading 4", "Subtitle", "Caption"):
        design.styles[style].font.color.rgb = RGBColor(0, 0, 0)
    design.styles["Heading 1"].font.color.rgb = RGBColor(0xAA, 0xAA, 0xAA)  # too pale, in every document
    design.save(str(reference))
    result = run(
        "build", str(GOSLAR), "-o", str(tmp_path / "out"), "--variant", "all", "--no-page-numbers",
        "--reference-doc", str(reference),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("“heading 1”, “TOC Heading” set text #AAAAAA") == 1  # once, not four times
    assert result.stdout.count("wrote ") == 4
