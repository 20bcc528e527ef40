"""What changed between two versions: matched by id, field by field, as text, JSON and in the document."""

from __future__ import annotations

import json
from pathlib import Path

from concept_builder import load_concept
from concept_builder.diff import diff_concepts
from tests.conftest import MINIMAL
from tests.test_cli import run

SECOND_MEASURE = """\
      - id: bildung-m2
        title: Elterncafé
        description: Treffpunkt.
        goals: [bildung-z1]
        lead: Stadt Seesen
"""


def folder(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.mkdir()
    (path / "concept.yaml").write_text(text, encoding="utf-8")
    return path


def versions(tmp_path: Path) -> tuple[Path, Path]:
    old = folder(tmp_path, "alt", MINIMAL + SECOND_MEASURE)
    new_text = MINIMAL.replace('version: "1.0"', 'version: "1.1"').replace(
        "title: Sprachkurse", "title: Sprachkurse für alle"
    ).replace(
        "lead: Kreisvolkshochschule", "lead: Kreisvolkshochschule\n        status: umgesetzt"
    ) + SECOND_MEASURE.replace("bildung-m2", "bildung-m3").replace("Elterncafé", "Lernpaten")
    return old, folder(tmp_path, "neu", new_text)


def test_changes_are_matched_by_id_field_by_field(tmp_path: Path) -> None:
    old, new = versions(tmp_path)
    log = diff_concepts(load_concept(old), load_concept(new))
    assert (log.old_version, log.new_version) == ("1.0", "1.1")
    assert log.to_text().splitlines() == [
        "changes from version 1.0 to version 1.1:",
        "  Maßnahme 1.1.1 Sprachkurse für alle: title: Sprachkurse → Sprachkurse für alle",
        "  Maßnahme 1.1.1 Sprachkurse für alle: status: geplant → umgesetzt",
        "  Maßnahme 1.1.2 Lernpaten: added",
        "  Maßnahme 1.1.2 Elterncafé: removed",
    ]


def test_no_changes(tmp_path: Path) -> None:
    old = folder(tmp_path, "a", MINIMAL)
    same = folder(tmp_path, "b", MINIMAL)
    assert diff_concepts(load_concept(old), load_concept(same)).changes == []


def test_diff_command_prints_text_or_json(tmp_path: Path) -> None:
    old, new = versions(tmp_path)
    text = run("diff", str(old), str(new))
    assert text.returncode == 0
    assert "Maßnahme 1.1.1 Sprachkurse für alle: status: geplant → umgesetzt" in text.stdout
    as_json = run("diff", str(old), str(new), "--json")
    data = json.loads(as_json.stdout)
    changed = next(c for c in data["changes"] if c["kind"] == "changed")
    assert changed["id"] == "bildung-m1" and changed["entity"] == "measure"
    assert {"field": "status", "old": "geplant", "new": "umgesetzt"} in changed["fields"]
    assert sorted(c["kind"] for c in data["changes"]) == ["added", "changed", "removed"]


def test_diff_of_invalid_inputs_lists_the_problems(tmp_path: Path) -> None:
    old, _ = versions(tmp_path)
    broken = folder(tmp_path, "kaputt", MINIMAL.replace("lead:", "leed:"))
    result = run("diff", str(old), str(broken))
    assert result.returncode == 1
    assert "themes[0].measures[0].leed: is not a known field" in result.stderr
