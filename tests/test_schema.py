"""The JSON Schema: a standard validator accepts every file of every sample, refuses what the tool refuses."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from concept_builder import json_schema
from concept_builder.load.yaml_files import NodeLoader
from tests.conftest import ROOT

SAMPLE_FILES = sorted((ROOT / "inputs").glob("*/**/*.yaml"))


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = json_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def as_an_editor_reads(text: str) -> Any:
    """YAML read as editors and most tools read it: typed by YAML itself, dates as text in JSON."""

    def plain(value: Any) -> Any:
        if isinstance(value, dict):
            return {str(k): plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        if isinstance(value, (dt.date, dt.datetime)):
            return value.isoformat()
        return value

    return plain(yaml.safe_load(text))


def as_the_tool_reads(text: str) -> Any:
    """Every value as the text that was typed."""

    def plain(node: yaml.Node) -> Any:
        if isinstance(node, yaml.MappingNode):
            return {k.value: plain(v) for k, v in node.value}
        if isinstance(node, yaml.SequenceNode):
            return [plain(v) for v in node.value]
        assert isinstance(node, yaml.ScalarNode)
        return None if node.value in ("", "~", "null") and not node.style else node.value

    node = yaml.compose(text, Loader=NodeLoader)
    return None if node is None else plain(node)


def errors(validator: Draft202012Validator, data: Any) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in validator.iter_errors(data)]


def test_the_samples_include_part_files_of_every_kind() -> None:
    assert len(SAMPLE_FILES) >= 29
    assert {path.parent.name for path in SAMPLE_FILES} >= {
        "goslar",
        "goslar-2021",
        "oberauen",
        "handlungsfelder",
    }


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: str(p.relative_to(ROOT / "inputs")))
def test_every_sample_file_is_valid_however_yaml_is_typed(
    validator: Draft202012Validator, path: Path
) -> None:
    text = path.read_text(encoding="utf-8")
    assert errors(validator, as_an_editor_reads(text)) == []
    assert errors(validator, as_the_tool_reads(text)) == []


def test_german_dates_numbers_and_flags_are_accepted(validator: Draft202012Validator) -> None:
    concept = as_the_tool_reads(
        "meta: {title: T, district: D, issuer: I, version: 0.9, date: 30.11.2018, status: Entwurf}\n"
        "starting_point:\n  text: Lage.\n  illustrative: ja\n"
        "  key_figures: [{indicator: Anteil, value: '8,1', unit: Prozent, year: 2018, source: LSN}]\n"
        "themes: [{include: handlungsfelder/bildung.yaml}]\n"
    )
    assert errors(validator, concept) == []
    theme = as_an_editor_reads(
        "id: bildung\ntitle: Bildung\ndescription: Text.\n"
        "measures:\n  - id: m1\n    title: Kurse\n    description: Kurse.\n    goals: [z1]\n"
        "    lead: [Kreisvolkshochschule, Jobcenter]\n    area: Stadt Seesen\n"
        "    timeframe: {start: Q3/2025, end: 2026}\n"
        "    funding: {budget: {amount: '30.000,50', period: jährlich}}\n"
    )
    assert errors(validator, theme) == []


@pytest.mark.parametrize(
    ("part", "refused"),
    [
        ("id: bildung\ntitle: Bildung\ndescription: Text.\nchalenges: [x]\n", "a misspelt field"),
        ("id: bildung\ndescription: Text.\ngoals: []\n", "a theme without its title"),
        ("- id: q1\n  text: Gut.\n  person: A.\n", "a quote without consent"),
        ("- {id: m1, title: M, description: D, goals: [z], lead: L, status: fertig}\n", "a status"),
        ("- {indicator: A, value: '12,4 %', year: 2018, source: S}\n", "a number with its unit"),
    ],
)
def test_a_part_file_with_a_mistake_is_refused(
    validator: Draft202012Validator, part: str, refused: str
) -> None:
    assert errors(validator, as_the_tool_reads(part)), refused


@pytest.mark.parametrize(
    "part",
    [
        "- {indicator: A, value: 10000000000000000, year: 2018, source: S}\n",
        "{amount: -5, period: einmalig}\n",
        "- {id: e1, title: T, date: 2024-05-01, place: P, format: F, participants: -1}\n",
        "- {indicator: A, value: 1, year: 1800, source: S}\n",
    ],
)
def test_a_number_out_of_range_is_refused(validator: Draft202012Validator, part: str) -> None:
    assert errors(validator, as_an_editor_reads(part))


def test_bounds_are_json_schemas_own_words() -> None:
    """``minimum``/``maximum``: a standard validator ignores pydantic's ``ge``/``le``."""

    def keys(node: Any) -> set[str]:
        if isinstance(node, dict):
            return set(node) | {k for value in node.values() for k in keys(value)}
        if isinstance(node, list):
            return {k for value in node for k in keys(value)}
        return set()

    found = keys(json_schema())
    assert not found & {"ge", "le", "gt", "lt"}
    assert {"minimum", "maximum"} <= found


@pytest.mark.parametrize("amount", ["15 000", "1.200.000", "1 250,50"])
def test_thousands_the_tool_reads_are_accepted(validator: Draft202012Validator, amount: str) -> None:
    assert errors(validator, as_the_tool_reads(f"{{amount: '{amount}', period: einmalig}}\n")) == []


@pytest.mark.parametrize(
    ("text", "path", "message"),
    [
        (  # a theme file
            "id: bildung\ntitle: Bildung\ndescription: Text.\ngoals:\n  - {id: z1, title: Z}\n"
            "measures:\n  - {id: m1, title: K, description: K., goals: [z1], lead: VHS, status: laufend}\n",
            ["measures", 0, "status"],
            "'laufend' is not one of",
        ),
        (  # a file of measures
            "- {id: m1, title: K, description: K., goals: [z1], lead: VHS, status: laufend}\n",
            [0, "status"],
            "'laufend' is not one of",
        ),
        (  # concept.yaml, its parts included
            "meta: {title: T, district: D, issuer: I, version: 1, date: 2024-01-31}\n"
            "themes: [{include: handlungsfelder/bildung.yaml}]\nsources: [{text: Bericht, urll: x}]\n",
            ["sources", 0],
            "('urll' was unexpected)",
        ),
    ],
)
def test_a_validator_points_at_the_field_that_is_wrong(
    validator: Draft202012Validator, text: str, path: list[str | int], message: str
) -> None:
    """What an editor or ``jsonschema``'s best match shows: the field, not "not valid under any of the
    given schemas" somewhere else."""
    from jsonschema.exceptions import best_match

    for data in (as_an_editor_reads(text), as_the_tool_reads(text)):
        error = best_match(validator.iter_errors(data))
        assert error is not None
        assert (list(error.absolute_path), message in error.message) == (path, True), error.message
