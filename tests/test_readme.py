"""The README's Python API section runs as written: every name it shows exists and does what it says."""

from __future__ import annotations

import re
import runpy
import shutil
from pathlib import Path

import pytest

import concept_builder
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text("utf-8")
API = README[README.index("## For developers: the Python API") : README.index("### Your own template")]


def test_the_api_examples_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocks = re.findall(r"```python\n(.*?)```", API, re.S)
    assert len(blocks) >= 5  # load, build, build many, compare, workbook, check
    shutil.copytree(ROOT / "inputs", tmp_path / "inputs")
    script = tmp_path / "examples.py"
    script.write_text("\n".join(blocks), "utf-8")
    monkeypatch.chdir(tmp_path)
    runpy.run_path(str(script))
    assert (tmp_path / "massnahmen.xlsx").exists() and (tmp_path / "vorlagen").is_dir()
    assert list((tmp_path / "build").glob("*.docx"))


def test_every_public_name_is_documented_and_every_documented_name_exists() -> None:
    for name in concept_builder.__all__:
        assert re.search(rf"\b{name}\b", API), f"{name} is public but not in the README's API section"
    table = API[API.index("| name | what it is |") :]
    for name in re.findall(r"^\| `(\w+)", table, re.M):
        assert name in concept_builder.__all__, f"the README names {name}, which is not public"
