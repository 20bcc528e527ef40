"""The structure stage: numbers, bookmarks, the goal–measure map and the selection, decided once."""

from __future__ import annotations

from typing import Any

import pytest

from concept_builder import Concept, UsageError
from concept_builder.structure import MAX_BOOKMARK, arrange


def concept(*themes: dict[str, Any]) -> Concept:
    return Concept.model_validate(
        {
            "meta": {
                "title": "Konzept",
                "district": "Landkreis Muster",
                "issuer": "Landkreis Muster",
                "version": "1",
                "date": "2024-01-31",
            },
            "themes": list(themes),
        }
    )


def theme(identifier: str, goals: list[str], measures: list[tuple[str, list[str], str]]) -> dict[str, Any]:
    return {
        "id": identifier,
        "title": identifier.title(),
        "description": "…",
        "goals": [{"id": g, "title": g} for g in goals],
        "measures": [
            {"id": m, "title": m, "description": "…", "goals": served, "lead": lead}
            for m, served, lead in measures
        ],
    }


TWO_THEMES = concept(
    theme(
        "bildung",
        ["b-z1", "b-z2"],
        [
            ("b-m1", ["b-z2"], "Kreisvolkshochschule"),
            ("b-m2", ["b-z1"], "Schulamt"),
            ("b-m3", ["b-z2"], "KVHS"),
        ],
    ),
    theme("arbeit", ["a-z1"], [("a-m1", ["a-z1", "b-z1"], "Jobcenter Goslar")]),
)


def test_goals_by_theme_and_place_measures_by_their_first_goal() -> None:
    structure = arrange(TWO_THEMES)
    numbers = {identifier: node.number for identifier, node in structure.nodes.items()}
    assert numbers == {
        "bildung": "1",
        "b-z1": "1.1",
        "b-z2": "1.2",
        "b-m1": "1.2.1",
        "b-m2": "1.1.1",
        "b-m3": "1.2.2",
        "arbeit": "2",
        "a-z1": "2.1",
        "a-m1": "2.1.1",
    }
    assert [m.id for m in structure.measures()] == ["b-m2", "b-m1", "b-m3", "a-m1"]  # document order


def test_a_goal_knows_every_measure_serving_it_even_from_another_theme() -> None:
    structure = arrange(TWO_THEMES)
    goal = structure.nodes["b-z1"]
    assert [m.number for m in goal.measures] == ["1.1.1", "2.1.1"]  # type: ignore[union-attr]
    assert [g.id for g in structure.nodes["a-m1"].goals] == ["a-z1", "b-z1"]  # type: ignore[union-attr]
    assert structure.kind("a-m1") == "measure" and structure.kind("a-z1") == "goal"


def test_bookmarks_are_valid_word_names_and_unique() -> None:
    long_ids = concept(
        theme("x" * 60, ["x" * 60 + "-z"], [("x" * 60 + "-m", ["x" * 60 + "-z"], "Amt")]),
        theme("a.b-c", ["a.b_c", "a_b.c"], []),  # all three clean to the same name
    )
    anchors = [node.anchor for node in arrange(long_ids).nodes.values()]
    assert len(set(anchors)) == len(anchors)
    assert all(len(a) <= MAX_BOOKMARK and a.replace("_", "").isalnum() and a.isascii() for a in anchors)


def test_a_selection_finds_a_lead_or_an_area_whatever_the_case() -> None:
    structure = arrange(TWO_THEMES, "jobcenter goslar")
    assert structure.selection is not None and structure.selection.name == "Jobcenter Goslar"
    assert [m.id for t in structure.themes for m in structure.selected_measures(t)] == ["a-m1"]


def test_an_unknown_name_suggests_the_three_closest() -> None:
    with pytest.raises(UsageError) as caught:
        arrange(TWO_THEMES, "Jobcenter Goslr")
    assert str(caught.value) == (
        "no measure is led by, carried out with or located in 'Jobcenter Goslr'"
        " (did you mean 'Jobcenter Goslar', 'Schulamt' or 'Kreisvolkshochschule'?)"
    )


MUNICIPALITIES = concept(
    {
        "id": "wohnen",
        "title": "Wohnen",
        "description": "…",
        "goals": [{"id": "w-z1", "title": "Ziel"}],
        "measures": [
            {"id": "w-m1", "title": "A", "description": "…", "goals": ["w-z1"], "lead": "Gemeinde Kirchzell"},
            {
                "id": "w-m2",
                "title": "B",
                "description": "…",
                "goals": ["w-z1"],
                "lead": ["Landratsamt Oberwald – Amt für Migration", "Caritas"],
                "area": ["Stadt Tannbach", "Gemeinde Kirchzell"],
            },
            {
                "id": "w-m3",
                "title": "C",
                "description": "…",
                "goals": ["w-z1"],
                "lead": "Landratsamt Oberwald - Jugendamt",
                "partners": ["Gemeinde  Kirchzell"],
            },
            {"id": "w-m4", "title": "D", "description": "…", "goals": ["w-z1"], "lead": "Stadt Tannbach"},
            {
                "id": "w-m5",
                "title": "E",
                "description": "…",
                "goals": ["w-z1"],
                "lead": "Landratsamt Oberwald – Ausländerbehörde",
                "partners": ["Brücke e. V."],
                "area": ["Markt Lindau", "Gemeinde Tannbach"],
            },
        ],
    }
)


def selected(name: str) -> tuple[str, list[str]]:
    structure = arrange(MUNICIPALITIES, name)
    assert structure.selection is not None
    return structure.selection.name, sorted(structure.selection.measures)


def test_a_municipality_is_found_as_lead_area_or_partner() -> None:
    assert selected("Gemeinde Kirchzell") == ("Gemeinde Kirchzell", ["w-m1", "w-m2", "w-m3"])


def test_a_joint_lead_counts_for_each_organisation() -> None:
    assert selected("caritas") == ("Caritas", ["w-m2"])


def test_an_organisation_finds_its_departments_and_is_named_as_the_concept_writes_it() -> None:
    assert selected("LANDRATSAMT OBERWALD") == ("Landratsamt Oberwald", ["w-m2", "w-m3", "w-m5"])
    assert selected("stadt tannbach") == ("Stadt Tannbach", ["w-m2", "w-m4"])


def test_a_name_that_only_begins_like_an_organisation_is_not_one_of_its_departments() -> None:
    with pytest.raises(UsageError, match="did you mean 'Landratsamt Oberwald'"):
        arrange(MUNICIPALITIES, "Landratsamt Ober")


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("Landratsamt Oberwald - Ausländerbehörde", ("Landratsamt Oberwald – Ausländerbehörde", ["w-m5"])),
        ("Brücke e.V.", ("Brücke e. V.", ["w-m5"])),
        ("brücke e. v.", ("Brücke e. V.", ["w-m5"])),
        ("Kirchzell", ("Gemeinde Kirchzell", ["w-m1", "w-m2", "w-m3"])),  # the municipality by its name alone
        ("Lindau", ("Markt Lindau", ["w-m5"])),
    ],
)
def test_a_name_is_found_whatever_its_dashes_abbreviations_or_the_kind_of_municipality(
    typed: str, found: tuple[str, list[str]]
) -> None:
    assert selected(typed) == found


def test_a_municipality_by_its_name_alone_must_be_one() -> None:
    with pytest.raises(
        UsageError, match="'Tannbach' names several municipalities: 'Gemeinde Tannbach' and 'Stadt Tannbach'"
    ):
        arrange(MUNICIPALITIES, "Tannbach")
