"""Parsed input files from the cache: the same values and messages, only for the same bytes and code."""

from __future__ import annotations

import json
import zlib
from pathlib import Path
from typing import Any

import pytest

from concept_builder import validate_folder
from concept_builder.load import cache, load_raw, yaml_files
from concept_builder.load.raw import Parsed
from tests.conftest import MINIMAL, WriteInputs

WITH_PROBLEMS = MINIMAL.replace("themes:\n", "themes:\n  - include: feld.yaml\n").replace(
    "  district: Landkreis Muster\n", "  district: Landkreis Muster\n  district: doppelt\n"
)
THEME = """\
id: arbeit
title: Arbeit
title: doppelt
description: "Zeile\\reins"
goals: !!python/object:os.system x
"""


@pytest.fixture
def cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("CONCEPT_BUILDER_CACHE", str(folder))
    return folder


def counted_parses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    parses: list[int] = []
    parse = yaml_files.parse

    def counting(*args: object) -> Parsed:
        parses.append(1)
        return parse(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(yaml_files, "parse", counting)
    return parses


def messages(folder: Path) -> list[str]:
    return [str(problem) for problem in validate_folder(folder).problems]


def test_a_rebuild_parses_only_the_file_that_changed_and_its_messages_keep_their_lines(
    write_inputs: WriteInputs, cache_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_inputs(WITH_PROBLEMS, **{"feld.yaml": THEME})
    first = messages(folder)
    assert any("feld.yaml:3: themes[arbeit].title: duplicate key (first given at line 2)" in m for m in first)
    assert any("concept.yaml:4: meta.district: duplicate key (first given at line 3)" in m for m in first)
    assert any("feld.yaml:4: warning: themes[arbeit].description: a carriage return" in m for m in first)
    parses = counted_parses(monkeypatch)
    assert messages(folder) == first
    cached = load_raw(folder).locations
    assert parses == []  # every file came from the cache
    assert cached == _fresh(folder, monkeypatch)
    parses.clear()
    (folder / "feld.yaml").write_text(THEME.replace("Arbeit", "Arbeit und Ausbildung"), encoding="utf-8")
    messages(folder)
    assert len(parses) == 1  # only the edited file


def test_a_damaged_entry_is_ignored(
    write_inputs: WriteInputs, cache_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_inputs(WITH_PROBLEMS, **{"feld.yaml": THEME})
    first = messages(folder)
    entries = sorted((cache_folder / "inputs").iterdir())
    assert len(entries) == 2
    entries[0].write_bytes(entries[0].read_bytes()[:-7])  # cut short
    entries[1].write_bytes(b"\x00not zlib")
    assert messages(folder) == first
    damaged = [
        b'{"format": 1}',
        b"[1, 2]",
        b'{"format": 1, "key": "%s", "data": null, "places": [[{}]], "lines": [1], "events": [],'
        b' "nodes": 1, "deepest": 0}',
        b'{"format": 1, "key": "%s", "data": {}, "places": [], "lines": [], "events": [["include",'
        b' ["x", 3], 1, "feld.yaml"]], "nodes": 1, "deepest": 0}',
        b'{"format": 1, "key": "%s", "data": {}, "places": [], "lines": [], "events": [["problem",'
        b' "1", null, "m", null, "error", true]], "nodes": 1, "deepest": 0}',
    ]
    for text in damaged:
        for entry in entries:
            entry.write_bytes(zlib.compress(text.replace(b"%s", entry.name.split(".")[0].encode())))
        assert messages(folder) == first


def test_an_entry_of_another_version_is_never_used(
    write_inputs: WriteInputs, cache_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_inputs(**{"feld.yaml": THEME})
    validate_folder(folder)
    parses = counted_parses(monkeypatch)
    monkeypatch.setattr(cache, "__version__", "99.0")
    cache._reader_identity.cache_clear()
    try:
        validate_folder(folder)
    finally:
        cache._reader_identity.cache_clear()
    assert parses == [1]


def test_an_entry_holds_data_only(write_inputs: WriteInputs, cache_folder: Path) -> None:
    validate_folder(write_inputs())
    [entry] = (cache_folder / "inputs").iterdir()
    assert set(json.loads(zlib.decompress(entry.read_bytes()))) == {
        "format",
        "key",
        "data",
        "places",
        "lines",
        "events",
        "nodes",
        "deepest",
        "lost_ids",
    }


def test_a_file_cached_at_a_shallow_place_is_parsed_again_where_it_would_be_too_deep(
    write_inputs: WriteInputs, cache_folder: Path
) -> None:
    nested = "{a: " * 30 + "1" + "}" * 30
    shallow = write_inputs("meta:\n  include: tief.yaml\n", **{"tief.yaml": f"x: {nested}\n"})
    assert not any("nested too deeply" in m for m in messages(shallow))
    deep = shallow.parent / "deep"
    deep.mkdir()
    (deep / "tief.yaml").write_text(f"x: {nested}\n", encoding="utf-8")
    wrapped = "meta:\n  note:\n" + "".join(f"{'  ' * (i + 2)}l{i}:\n" for i in range(12))
    (deep / "concept.yaml").write_text(wrapped + "  " * 14 + "include: tief.yaml\n", encoding="utf-8")
    assert any("is nested too deeply (at most 40 levels)" in m for m in messages(deep))


def _fresh(folder: Path, monkeypatch: pytest.MonkeyPatch) -> dict[Any, Any]:
    with monkeypatch.context() as patch:
        patch.setattr(cache, "cached", lambda *args: None)
        return load_raw(folder).locations


def test_a_file_that_cannot_be_parsed_folds_its_follow_on_errors_also_when_read_from_the_cache(
    write_inputs: WriteInputs, cache_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    theme = "id: wohnen\ntitle: Wohnen\ndescription: Text.\ngoals:\n  - id: wohnen-z1\n\ttitle: Ziel\n"
    concept = (
        MINIMAL.replace("goals: [bildung-z1]", "goals: [bildung-z1, wohnen-z1]") + "  - include: w.yaml\n"
    )
    folder = write_inputs(concept, **{"w.yaml": theme})
    first = messages(folder)
    parses = counted_parses(monkeypatch)
    assert messages(folder) == first
    assert parses == []  # both files from the cache
    [message] = first
    assert message.endswith("1 reference to its ids ('wohnen-z1') fails until it can be read)")
