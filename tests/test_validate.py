"""Every kind of input mistake is reported with file, line, field and a hint – all in one run."""

from __future__ import annotations

from pathlib import Path

import pytest

from concept_builder import BuildOptions, InputError, Problem, load_concept, validate_folder
from tests.conftest import MINIMAL, WriteInputs


def problems(folder: Path) -> list[str]:
    return [str(p) for p in validate_folder(folder).problems]


def only_error(folder: Path) -> Problem:
    errors = validate_folder(folder).errors
    assert len(errors) == 1, [str(e) for e in errors]
    return errors[0]


def test_minimal_concept_is_valid(write_inputs: WriteInputs) -> None:
    report = validate_folder(write_inputs())
    assert report.problems == []
    assert report.concept is not None
    assert report.concept.themes[0].measures[0].lead == ["Kreisvolkshochschule"]


def test_yaml_syntax_error_names_the_line(write_inputs: WriteInputs) -> None:
    folder = write_inputs(MINIMAL.replace('  version: "1.0"', "  version: [1.0"))
    problem = only_error(folder)
    assert problem.location is not None and problem.location.file.name == "concept.yaml"
    assert problem.location.line in (5, 6)
    assert "YAML syntax error" in problem.message


def test_tab_indentation_is_explained(write_inputs: WriteInputs) -> None:
    folder = write_inputs(MINIMAL.replace("  district:", "\tdistrict:"))
    problem = only_error(folder)
    assert problem.message == "YAML syntax error: a tab indents line 3 ('district: Landkreis Muster')"
    assert problem.hint is not None and problem.hint.startswith("indent with spaces only: replace the tab")


@pytest.mark.parametrize(
    ("replaced", "by", "line", "typed"),
    [  # YAML says only "found character that cannot start any token" for a tab before a key
        ('  version: "1.0"', '\tversion: "1.0"', 5, 'version: "1.0"'),
        ("  district:", "\tdistrict:", 3, "district: Landkreis Muster"),
        (
            "        lead: Kreisvolkshochschule",
            "\t\tlead: Kreisvolkshochschule",
            19,
            "lead: Kreisvolkshochschule",
        ),
    ],
)
def test_a_tab_before_a_key_is_quoted_with_its_line(
    write_inputs: WriteInputs, replaced: str, by: str, line: int, typed: str
) -> None:
    problem = only_error(write_inputs(MINIMAL.replace(replaced, by)))
    assert problem.location is not None and problem.location.line == line
    assert problem.message == f"YAML syntax error: a tab indents line {line} ({typed!r})"
    assert problem.hint is not None and problem.hint.startswith("indent with spaces only: replace the tab")


def test_a_tab_far_from_the_error_is_not_blamed(write_inputs: WriteInputs) -> None:
    concept = MINIMAL.replace(
        "description: Kurse für alle.", "description: |\n          Kurse\n\t  für alle."
    )
    concept = concept.replace('  version: "1.0"', '  version: ["1.0"')
    problem = only_error(write_inputs(concept))
    assert "a tab indents" not in problem.message


def test_a_missing_include_folds_the_references_to_the_file_named_almost_so(
    write_inputs: WriteInputs,
) -> None:
    theme = "id: wohnen\ntitle: Wohnen\ndescription: Text.\ngoals:\n  - id: wohnen-z1\n    title: Ziel\n"
    concept = (
        MINIMAL.replace("goals: [bildung-z1]", "goals: [bildung-z1, wohnen-z1]")
        + "  - include: wohnen.yml\n"
        + "quotes:\n  - {id: q1, text: Gut., person: A., consent: ja, themes: [wohnen]}\n"
    )
    report = validate_folder(write_inputs(concept, **{"wohnen.yaml": theme}))
    [problem] = report.errors
    assert problem.message == "included file 'wohnen.yml' not found"
    assert problem.hint == (
        "did you mean 'wohnen.yaml'?; 2 references to its ids ('wohnen-z1', 'wohnen')"
        " fail until it can be read"
    )


def test_a_missing_include_of_no_known_name_takes_the_references_that_fail(write_inputs: WriteInputs) -> None:
    concept = (
        MINIMAL.replace("goals: [bildung-z1]", "goals: [bildung-z1, wohnen-z1]")
        + "  - include: teile/wohnen.yaml\n"
        + "quotes:\n  - {id: q1, text: Gut., person: A., consent: ja, themes: [wohnen]}\n"
    )
    report = validate_folder(write_inputs(concept))
    [problem] = report.errors
    assert problem.message == "included file 'teile/wohnen.yaml' not found"
    assert problem.hint == (
        "paths are relative to the file that includes them; 2 references to ids that do not exist"
        " ('wohnen-z1', 'wohnen') may be to ids of that file"
    )


def test_a_file_that_cannot_be_read_comes_first_with_its_follow_on_errors_folded_in(
    write_inputs: WriteInputs,
) -> None:
    theme = "id: wohnen\ntitle: Wohnen\ndescription: Text.\ngoals:\n  - id: wohnen-z1\n\ttitle: Ziel\n"
    concept = (
        MINIMAL.replace("goals: [bildung-z1]", "goals: [bildung-z1, wohnen-z1]")
        + "  - include: wohnen.yaml\n"
        + "quotes:\n  - {id: q1, text: Gut., person: A., consent: ja, themes: [wohnen, wohnen], staus: x}\n"
    )
    report = validate_folder(write_inputs(concept, **{"wohnen.yaml": theme}))
    first, *rest = report.problems
    assert str(first).endswith(
        "wohnen.yaml:6: themes[1]: YAML syntax error: a tab indents line 6 ('title: Ziel') (indent with"
        " spaces only: replace the tab with spaces, as many as the lines around it use; 3 references to"
        " its ids ('wohnen-z1', 'wohnen') fail until it can be read)"
    )
    assert [p.field for p in rest] == ["quotes[q1].staus"]


def test_unknown_field_suggests_the_right_name(write_inputs: WriteInputs) -> None:
    folder = write_inputs(
        MINIMAL.replace("        lead: Kreisvolkshochschule", "        lead: K\n        staus: geplant")
    )
    [text] = problems(folder)
    assert text.endswith(
        "concept.yaml:20: themes[bildung].measures[bildung-m1].staus:"
        " is not a known field (did you mean 'status'?)"
    )


def test_missing_required_field_points_at_its_parent(write_inputs: WriteInputs) -> None:
    folder = write_inputs(MINIMAL.replace("        lead: Kreisvolkshochschule\n", ""))
    problem = only_error(folder)
    assert (problem.field, problem.message) == (
        "themes[bildung].measures[bildung-m1].lead",
        "is required but missing",
    )
    assert problem.location is not None and problem.location.line == 15


def test_wrong_type_is_named(write_inputs: WriteInputs) -> None:
    folder = write_inputs(
        MINIMAL.replace("    description: Sprache ist der Schlüssel.", "    description: [a, b]")
    )
    problem = only_error(folder)
    assert problem.field == "themes[bildung].description"
    assert problem.message == "should be text, not a list"
    assert problem.location is not None and problem.location.line == 10


def test_invalid_date_shows_what_was_written(write_inputs: WriteInputs) -> None:
    folder = write_inputs(MINIMAL.replace("date: 2019-01-31", "date: 31.02.2019"))
    problem = only_error(folder)
    assert problem.field == "meta.date"
    assert problem.message == "'31.02.2019' is not a date: February 2019 has 28 days"
    assert problem.hint == "check the day"


@pytest.mark.parametrize(
    ("written", "message", "hint"),
    [
        ("12,4 %", "'12,4 %' is not a number", "write value: 12,4 and unit: %"),
        (
            "ca. 187.400",  # the hint suggests only what the tool accepts: not 187.400, which is ambiguous
            "'ca. 187.400' is not a number",
            "write value: 187400; say 'ca.' in the text: a key figure's value stands alone",
        ),
        (
            "viele",
            "'viele' is not a number",
            "write digits with a decimal point or comma, e.g. 8,1 or 137000",
        ),
    ],
)
def test_a_number_in_german_notation_with_words_is_quoted_as_typed(
    write_inputs: WriteInputs, written: str, message: str, hint: str
) -> None:
    concept = MINIMAL + (
        "starting_point:\n  text: Lage.\n  key_figures:\n"
        f"    - {{indicator: Quote, value: '{written}', year: 2018, source: LSN}}\n"
    )
    problem = only_error(write_inputs(concept))
    assert (problem.message, problem.hint) == (message, hint)


@pytest.mark.parametrize(
    ("written", "hint"),
    [
        ("68.000 €", "write amount: 68000 and currency: EUR"),
        ("ca. 68.000 Euro", "write amount: 68000, approximate: ja and currency: EUR"),
        ("30.000 € jährlich", "write amount: 30000, currency: EUR and period: jährlich"),
        ("5000 für Honorare", "write amount: 5000; 'für Honorare' belongs in the budget's text"),
    ],
)
def test_an_amount_with_words_is_refused_with_the_fields_of_a_budget(
    write_inputs: WriteInputs, written: str, hint: str
) -> None:
    concept = MINIMAL.replace(
        "        lead: Kreisvolkshochschule",
        "        lead: Kreisvolkshochschule\n"
        f"        funding: {{budget: {{amount: '{written}', period: einmalig}}}}",
    )
    problem = only_error(write_inputs(concept))
    assert problem.field == "themes[bildung].measures[bildung-m1].funding.budget.amount"
    assert (problem.message, problem.hint) == (f"{written!r} is not a number", hint)


@pytest.mark.parametrize(
    ("written", "value"), [("15 000", 15000.0), ("1.200.000", 1200000.0), ("1 250,50", 1250.5)]
)
def test_thousands_that_cannot_be_misread_are_numbers(
    write_inputs: WriteInputs, written: str, value: float
) -> None:
    concept = MINIMAL.replace(
        "        lead: Kreisvolkshochschule",
        "        lead: Kreisvolkshochschule\n"
        f"        funding: {{budget: {{amount: '{written}', period: einmalig}}}}",
    )
    budget = load_concept(write_inputs(concept)).themes[0].measures[0].funding.budget
    assert budget is not None and budget.amount == value


@pytest.mark.parametrize(
    ("field", "written", "message", "hint"),
    [
        ("participants", "1.146", "'1.146' is not a whole number", "write participants: 1146"),
        (
            "participants",
            "ca. 84",
            "'ca. 84' is not a whole number",
            "write participants: 84 and participants_approximate: ja",
        ),
        ("participants", "viele", "'viele' is not a whole number", "write digits only, e.g. 70"),
    ],
)
def test_a_count_written_as_people_write_it_is_refused_with_what_to_write(
    write_inputs: WriteInputs, field: str, written: str, message: str, hint: str
) -> None:
    concept = MINIMAL + (
        "process:\n  events:\n    - {id: e1, title: Auftakt, date: 2024-05-01, place: Kreishaus,"
        f" format: Workshop, {field}: '{written}'}}\n"
    )
    problem = only_error(write_inputs(concept))
    assert problem.field == f"process.events[e1].{field}"
    assert (problem.message, problem.hint) == (message, hint)


def test_a_school_year_is_refused_with_the_two_years_it_spans(write_inputs: WriteInputs) -> None:
    concept = MINIMAL.replace(
        "        title: Alle Kinder sprechen Deutsch",
        "        title: Alle Kinder sprechen Deutsch\n"
        "        indicators: [{name: Kinder, baseline: '40', baseline_year: 2023/24}]",
    )
    problem = only_error(write_inputs(concept))
    assert problem.field == "themes[bildung].goals[bildung-z1].indicators[0].baseline_year"
    assert (problem.message, problem.hint) == ("'2023/24' is not one year", "write one year: 2023 or 2024")


@pytest.mark.parametrize(
    ("line", "field", "message", "hint"),
    [
        (
            "funding: {budget: {amount: 100, period: einmalig, currency: Euro}}",
            "funding.budget.currency",
            "'Euro' is not a currency code",
            "write EUR",
        ),
        (
            "funding: {budget: {amount: 100, period: einmalig, currency: eur}}",
            "funding.budget.currency",
            "'eur' is not a currency code",
            "write EUR",
        ),
    ],
)
def test_a_currency_named_in_words_is_refused_with_its_code(
    write_inputs: WriteInputs, line: str, field: str, message: str, hint: str
) -> None:
    concept = MINIMAL.replace(
        "        lead: Kreisvolkshochschule", f"        lead: Kreisvolkshochschule\n        {line}"
    )
    problem = only_error(write_inputs(concept))
    assert problem.field == f"themes[bildung].measures[bildung-m1].{field}"
    assert (problem.message, problem.hint) == (message, hint)


@pytest.mark.parametrize(
    ("written", "hint"),
    [("englisch", "write en"), ("Türkisch", "write tr"), ("Kauderwelsch", "write a code")],
)
def test_a_language_named_in_words_is_refused_with_its_code(
    write_inputs: WriteInputs, written: str, hint: str
) -> None:
    concept = MINIMAL + f"quotes:\n  - {{id: q1, text: Hello, person: A, consent: ja, language: {written}}}\n"
    problem = only_error(write_inputs(concept))
    assert problem.field == "quotes[q1].language"
    assert problem.message == f"{written!r} is not a language code"
    assert problem.hint is not None and problem.hint.startswith(hint)


def test_required_text_left_empty_is_refused_with_its_line(write_inputs: WriteInputs) -> None:
    concept = MINIMAL.replace("description: Kurse für alle.", 'description: ""').replace(
        "    description: Sprache ist der Schlüssel.",
        '    description: Sprache ist der Schlüssel.\n    challenges: ["Wartelisten", ""]',
    ) + (
        "process:\n  events:\n    - id: e1\n      title: Auftakt\n      date: 2024-05-01\n"
        "      place: Kreishaus\n      format: Workshop\n      groups: [Kommunen, '']\n"
        "      results:\n        - {theme: bildung, text: ''}\n"
    )
    from concept_builder import validate_folder

    problems = {
        (p.field, p.message, p.location.line if p.location else None)
        for p in validate_folder(write_inputs(concept)).errors
    }
    assert problems == {
        ("themes[bildung].challenges[1]", "must not be empty", 11),
        ("themes[bildung].measures[bildung-m1].description", "must not be empty", 18),
        ("process.events[e1].groups[1]", "must not be empty", 28),
        ("process.events[e1].results[0].text", "must not be empty", 30),
    }


def test_a_goals_parent_in_another_theme_is_named_as_such(write_inputs: WriteInputs) -> None:
    concept = MINIMAL + (
        "  - id: arbeit\n    title: Arbeit\n    description: Text.\n"
        "    goals:\n      - {id: arbeit-z1, title: Ziel, parent: bildung-z1}\n"
    )
    problem = only_error(write_inputs(concept))
    assert problem.field == "themes[arbeit].goals[arbeit-z1].parent"
    assert problem.message == (
        "refers to goal 'bildung-z1' of theme 'bildung'; a parent must be a goal of the same theme"
    )
    assert problem.hint == "name one of 'arbeit-z1', or move the goal to theme 'bildung'"


def test_german_dates_and_yes_no_are_understood(write_inputs: WriteInputs) -> None:
    concept = MINIMAL.replace("date: 2019-01-31", "date: 31.01.2019") + (
        "quotes:\n  - id: q1\n    text: Gut so.\n    person: A. B.\n    consent: ja\n"
    )
    loaded = load_concept(write_inputs(concept))
    assert str(loaded.meta.date) == "2019-01-31"
    assert loaded.quotes[0].consent is True


def test_misspelt_status_suggests_the_value(write_inputs: WriteInputs) -> None:
    folder = write_inputs(MINIMAL.replace("lead: Kreisvolkshochschule", "lead: K\n        status: umgestzt"))
    problem = only_error(folder)
    assert problem.field == "themes[bildung].measures[bildung-m1].status"
    assert "'umgestzt' is not one of" in problem.message
    assert problem.hint == "did you mean 'umgesetzt'?"


@pytest.mark.parametrize(
    ("written", "kept"),
    [("no", "no"), ("012", "012"), ("3.10", "3.10"), ("2019-01-31", "2019-01-31"), ("on", "on")],
)
def test_yaml_11_traps_keep_the_text_as_written(write_inputs: WriteInputs, written: str, kept: str) -> None:
    concept = MINIMAL.replace('version: "1.0"', f"version: {written}").replace(
        "title: Bildung und Sprache", f"title: {written}"
    )
    loaded = load_concept(write_inputs(concept))
    assert loaded.meta.version == kept
    assert loaded.themes[0].title == kept


def test_numeric_looking_ids_stay_text(write_inputs: WriteInputs) -> None:
    concept = MINIMAL.replace("bildung-z1", "012")
    loaded = load_concept(write_inputs(concept))
    assert loaded.themes[0].goals[0].id == "012"
    assert loaded.themes[0].measures[0].goals == ["012"]


def test_duplicate_key_is_an_error(write_inputs: WriteInputs) -> None:
    folder = write_inputs(MINIMAL.replace("  issuer:", "  district: Landkreis Doppelt\n  issuer:"))
    problem = only_error(folder)
    assert problem.field == "meta.district"
    assert problem.message == "duplicate key (first given at line 3)"
    assert problem.location is not None and problem.location.line == 4


def test_duplicate_ids_are_errors(write_inputs: WriteInputs) -> None:
    folder = write_inputs(MINIMAL.replace("id: bildung-m1", "id: bildung-z1"))
    problem = only_error(folder)
    assert problem.field == "themes[bildung].measures[bildung-z1].id"
    assert problem.message.startswith("id 'bildung-z1' is used twice (first at ")
    assert "concept.yaml:12" in problem.message


def test_unknown_reference_suggests_a_close_id(write_inputs: WriteInputs) -> None:
    folder = write_inputs(MINIMAL.replace("goals: [bildung-z1]", "goals: [bildung-z2]"))
    problem = only_error(folder)
    assert problem.field == "themes[bildung].measures[bildung-m1].goals[0]"
    assert problem.message == "refers to goal 'bildung-z2', which does not exist"
    assert problem.hint == "did you mean 'bildung-z1'?"
    assert problem.location is not None and problem.location.line == 18


def test_quote_referring_to_missing_theme_and_event(write_inputs: WriteInputs) -> None:
    concept = MINIMAL + (
        "quotes:\n  - id: q1\n    text: Gut so.\n    person: A. B.\n    consent: true\n"
        "    themes: [bildng]\n    event: dialog\n"
    )
    found = problems(write_inputs(concept))
    assert any(
        "quotes[q1].themes[0]: refers to theme 'bildng'" in p and "did you mean 'bildung'?" in p
        for p in found
    )
    assert any("quotes[q1].event: refers to event 'dialog', which does not exist" in p for p in found)


def test_gaps_of_a_draft_are_warnings(write_inputs: WriteInputs) -> None:
    concept = MINIMAL + (
        "  - id: gesundheit\n    title: Gesundheit\n    description: Text.\n"
        "    goals:\n      - id: g-z1\n        title: Ohne Maßnahmen\n"
        "  - id: wohnen\n    title: Wohnen\n    description: Text.\n"
    )
    report = validate_folder(write_inputs(concept))
    assert report.errors == []
    assert [str(w).split(": ", 1)[1] for w in report.warnings] == [
        "warning: themes[gesundheit].goals[g-z1]: goal 'g-z1' has no measures yet"
        " (add a measure whose goals list this id)",
        "warning: themes[wohnen]: theme 'wohnen' has no goals yet",
    ]
    assert report.concept is not None


def test_missing_include_names_the_including_line(write_inputs: WriteInputs) -> None:
    concept = MINIMAL + "quotes:\n  include: stimmen.yaml\n"
    problem = only_error(write_inputs(concept))
    assert problem.message == "included file 'stimmen.yaml' not found"
    assert problem.location is not None and problem.location.line == 21


def test_include_cannot_leave_the_folder(write_inputs: WriteInputs) -> None:
    concept = MINIMAL + "quotes:\n  include: ../geheim.yaml\n"
    problem = only_error(write_inputs(concept))
    assert "leads outside the input folder" in problem.message


def test_errors_in_included_files_name_that_file(write_inputs: WriteInputs) -> None:
    concept = MINIMAL + "quotes:\n  include: stimmen.yaml\n"
    folder = write_inputs(
        concept, **{"stimmen.yaml": "- id: q1\n  text: Hallo\n  persn: X\n  consent: true\n"}
    )
    found = problems(folder)
    assert any(
        p.endswith("stimmen.yaml:3: quotes[q1].persn: is not a known field (did you mean 'person'?)")
        for p in found
    )
    assert any("stimmen.yaml:1: quotes[q1].person: is required but missing" in p for p in found)


def test_unsafe_yaml_tags_are_refused(write_inputs: WriteInputs) -> None:
    folder = write_inputs(
        MINIMAL.replace(
            "issuer: Landkreis Muster – Der Landrat", "issuer: !!python/object/apply:os.system [id]"
        )
    )
    problem = only_error(folder)
    assert problem.message == "the tag tag:yaml.org,2002:python/object/apply:os.system is not allowed"
    assert problem.field == "meta.issuer"


def test_aliases_are_refused(write_inputs: WriteInputs) -> None:
    concept = MINIMAL.replace("district: Landkreis Muster", "district: &d Landkreis Muster").replace(
        "issuer: Landkreis Muster – Der Landrat", "issuer: *d"
    )
    problem = only_error(write_inputs(concept))
    assert "aliases" in problem.message


def test_control_characters_are_reported(write_inputs: WriteInputs) -> None:
    folder = write_inputs(MINIMAL.replace("Kurse für alle.", '"Kurse\\vfür alle."'))
    problem = only_error(folder)
    assert problem.field == "themes[bildung].measures[bildung-m1].description"
    assert "U+000B" in problem.message


def test_all_problems_are_reported_in_one_run(write_inputs: WriteInputs, tmp_path: Path) -> None:
    concept = (
        MINIMAL.replace("date: 2019-01-31", "date: gestern")
        .replace("  issuer:", "  issuer: A\n  issuer:")
        .replace("lead: Kreisvolkshochschule", "lead: K\n        status: fertig")
    )
    folder = write_inputs(concept)
    with pytest.raises(InputError) as caught:
        load_concept(folder)
    fields = [p.field for p in caught.value.problems]
    assert fields == ["meta.issuer", "meta.date", "themes[bildung].measures[bildung-m1].status"]
    assert str(caught.value).count("\n") == 2


def test_missing_folder_and_entry_file(tmp_path: Path) -> None:
    assert problems(tmp_path / "nope")[0].endswith(
        "nope: is not a folder (give the folder that holds concept.yaml)"
    )
    assert problems(tmp_path)[0].endswith(
        "concept.yaml: not found (an input folder needs concept.yaml as its entry point)"
    )


def test_logo_files_are_checked(write_inputs: WriteInputs) -> None:
    concept = MINIMAL.replace(
        '  version: "1.0"',
        '  version: "1.0"\n  logos:\n    - {file: fehlt.png, alt: A}\n    - {file: text.png, alt: B}\n'
        "    - {file: ../aussen.png, alt: C}",
    )
    folder = write_inputs(concept, **{"text.png": "kein Bild"})
    found = [p.split(": ", 1)[1] for p in problems(folder)]
    assert found == [
        "meta.logos[0].file: image 'fehlt.png' not found (paths are relative to the folder of concept.yaml)",
        "meta.logos[1].file: 'text.png' is not a PNG or JPEG image (save the logo as PNG)",
        "meta.logos[2].file: '../aussen.png' lies outside the input folder"
        " (copy the image into the folder of concept.yaml)",
    ]


def test_an_image_needs_alt_text(write_inputs: WriteInputs) -> None:
    concept = MINIMAL.replace(
        '  version: "1.0"', "  version: \"1.0\"\n  logos:\n    - {file: logo.png, alt: ''}"
    )
    problem = only_error(write_inputs(concept))
    assert (problem.field, problem.message) == ("meta.logos[0].alt", "must not be empty")


@pytest.mark.parametrize("alt", ["logo.png", "logo", "Wappen_final.JPG", "LOGO.PNG"])
def test_a_file_name_is_no_alt_text(write_inputs: WriteInputs, alt: str) -> None:
    concept = MINIMAL.replace(
        '  version: "1.0"', f'  version: "1.0"\n  logos:\n    - file: logo.png\n      alt: "{alt}"'
    )
    folder = write_inputs(concept, **{"logo.png": ""})
    errors = [p for p in validate_folder(folder).errors if p.field == "meta.logos[0].alt"]
    assert [str(p).split("concept.yaml:", 1)[1] for p in errors] == [
        f"8: meta.logos[0].alt: {alt!r} is a file name, not an alternative text: a screen reader would"
        " read it out (say what the logo shows, e.g. alt: Wappen des Landkreises Goslar)"
    ]


def test_a_link_text_that_says_nothing_is_a_warning_at_its_field(write_inputs: WriteInputs) -> None:
    concept = MINIMAL.replace(
        "description: Sprache ist der Schlüssel.",
        "description: |\n      Sprache ist der Schlüssel.\n      Mehr dazu [hier](https://example.org/sprache)"
        " und im [Link](https://example.org/a), aber auch im [Portal](https://example.org/p).",
    )
    report = validate_folder(write_inputs(concept))
    assert report.errors == []
    assert [str(p).split("concept.yaml:", 1)[1] for p in report.warnings] == [
        f"10: warning: themes[bildung].description: the link text {text!r} says nothing on its own: a screen"
        " reader's list of links reads it without the sentence around it (name the target in the link,"
        f" e.g. [Integrationsportal des Landkreises]({target}))"
        for text, target in (("hier", "https://example.org/sprache"), ("Link", "https://example.org/a"))
    ]


def test_reference_errors_are_found_beside_schema_errors(write_inputs: WriteInputs) -> None:
    concept = MINIMAL.replace("date: 2019-01-31", "date: bald").replace("goals: [bildung-z1]", "goals: [z9]")
    fields = [p.field for p in validate_folder(write_inputs(concept)).errors]
    assert fields == ["meta.date", "themes[bildung].measures[bildung-m1].goals[0]"]


def test_quotes_without_consent_are_left_out_of_final_builds(
    write_inputs: WriteInputs, tmp_path: Path
) -> None:
    import concept_builder
    from tests.conftest import document_text

    quotes = (
        "quotes:\n  - id: q-ja\n    text: Veröffentlichen.\n    person: A. B.\n    themes: [bildung]\n"
        "    consent: true\n  - id: q-nein\n    text: Bitte nicht.\n    person: C. D.\n"
        "    themes: [bildung]\n    consent: false\n"
    )
    draft = concept_builder.build_folder(
        write_inputs(MINIMAL + quotes), BuildOptions(out_dir=tmp_path / "draft")
    )
    assert draft.warnings == []
    assert "„Bitte nicht.“" in document_text(draft.path)

    final = MINIMAL.replace('  version: "1.0"', '  version: "1.0"\n  status: beschlossen') + quotes
    result = concept_builder.build_folder(write_inputs(final), BuildOptions(out_dir=tmp_path / "final"))
    assert [str(w).split(": ", 1)[1] for w in result.warnings] == [
        "warning: quotes[q-nein].consent: quote 'q-nein' by C. D. is left out: no consent to publication"
        " (set consent: true once the person has agreed)"
    ]
    text = document_text(result.path)
    assert "„Veröffentlichen.“" in text and "„Bitte nicht.“" not in text
    assert "ENTWURF" not in text


def test_a_quote_left_out_is_said_also_where_another_part_fails(write_inputs: WriteInputs) -> None:
    final = MINIMAL.replace('  version: "1.0"', '  version: "1.0"\n  status: beschlossen').replace(
        "title: Sprachkurse", "titel: Sprachkurse"
    )
    quotes = "quotes:\n  - {id: q-nein, text: Bitte nicht., person: C. D., consent: nein}\n"
    report = validate_folder(write_inputs(final + quotes))
    assert {p.field for p in report.errors} == {
        "themes[bildung].measures[bildung-m1].titel",
        "themes[bildung].measures[bildung-m1].title",
    }
    assert [w.message for w in report.warnings] == [
        "quote 'q-nein' by C. D. is left out: no consent to publication"
    ]


def test_references_in_free_text_must_exist(write_inputs: WriteInputs) -> None:
    concept = MINIMAL.replace(
        "description: Sprache ist der Schlüssel.", "description: Siehe [[bildung-m2]] und [[bildung-z1]]."
    )
    problem = only_error(write_inputs(concept))
    assert str(problem).endswith(
        "concept.yaml:10: themes[bildung].description: [[bildung-m2]] refers to an id that does not exist"
        " (did you mean 'bildung-m1'?)"
    )


@pytest.mark.parametrize("target", ["javascript:alert(1)", "file:///etc/passwd", "seite.html"])
def test_links_must_be_web_or_mail_links(write_inputs: WriteInputs, target: str) -> None:
    concept = MINIMAL.replace("description: Kurse für alle.", f"description: '[Klick]({target})'")
    problem = only_error(write_inputs(concept))
    assert problem.field == "themes[bildung].measures[bildung-m1].description"
    assert problem.message == f"the link target {target!r} is not allowed"
    assert problem.location is not None and problem.location.line == 17


def test_raw_control_characters_are_reported_with_line_and_column(write_inputs: WriteInputs) -> None:
    folder = write_inputs(
        MINIMAL.replace("Kurse für alle.", "Kurse\vfür alle.").replace(
            "lead: Kreisvolkshochschule", "leed: X"
        )
    )
    found = [p.split(": ", 1)[1] for p in problems(folder)]
    assert found == [  # what the loader found first: a character in the file comes before the schema
        "contains the invisible character U+000B (control character) in column 27"
        " (delete it; it often comes with text pasted from Word or e-mail)",
        "themes[bildung].measures[bildung-m1].lead: is required but missing",
        "themes[bildung].measures[bildung-m1].leed: is not a known field (did you mean 'lead'?)",
    ]


@pytest.mark.parametrize("empty", ["~", "null", ""])
def test_empty_values_are_empty(write_inputs: WriteInputs, empty: str) -> None:
    concept = MINIMAL.replace(
        '  version: "1.0"', f'  version: "1.0"\n  subtitle: {empty}\n  adoption: {empty}'
    )
    loaded = load_concept(write_inputs(concept))
    assert loaded.meta.subtitle is None and loaded.meta.adoption is None


@pytest.mark.parametrize(
    ("written", "value"), [("8.1", 8.1), ("'8,1'", 8.1), ("'1.234,5'", 1234.5), ("137000", 137000.0)]
)
def test_key_figure_values_in_german_or_english_notation(
    write_inputs: WriteInputs, written: str, value: float
) -> None:
    concept = MINIMAL + (
        "starting_point:\n  text: Lage.\n  key_figures:\n"
        f"    - {{indicator: Einwohner, value: {written}, year: 2018, source: LSN}}\n"
    )
    loaded = load_concept(write_inputs(concept))
    assert loaded.starting_point is not None
    assert loaded.starting_point.key_figures[0].value == value


def test_thousands_with_a_dot_are_refused(write_inputs: WriteInputs) -> None:
    concept = MINIMAL + (
        "starting_point:\n  text: Lage.\n  key_figures:\n"
        "    - {indicator: Einwohner, value: 137.000, year: 2018, source: LSN}\n"
    )
    problem = only_error(write_inputs(concept))
    assert problem.field == "starting_point.key_figures[0].value"
    assert problem.message == "'137.000' is ambiguous"
    assert problem.hint == "write 137000 for thousands, or use a decimal comma"


def test_logo_formats_damage_size_and_links_out(write_inputs: WriteInputs, tmp_path: Path) -> None:
    from concept_builder import validate
    from tests.conftest import png

    concept = MINIMAL.replace(
        '  version: "1.0"',
        '  version: "1.0"\n  logos:\n    - {file: logo.gif, alt: A}\n    - {file: kaputt.png, alt: B}\n'
        "    - {file: link.png, alt: C}\n    - {file: gross.png, alt: D}",
    )
    folder = write_inputs(concept, **{"logo.gif": "GIF89a...."})
    (folder / "kaputt.png").write_bytes(png(10, 10)[:20])
    outside = tmp_path / "aussen.png"
    outside.write_bytes(png(10, 10))
    (folder / "link.png").symlink_to(outside)
    (folder / "gross.png").write_bytes(png(10, 10))
    validate.MAX_IMAGE_BYTES, limit = 50, validate.MAX_IMAGE_BYTES
    try:
        found = [p.split(": ", 1)[1] for p in problems(folder)]
    finally:
        validate.MAX_IMAGE_BYTES = limit
    assert found == [
        "meta.logos[0].file: 'logo.gif' is a GIF image (save the logo as PNG)",
        "meta.logos[1].file: 'kaputt.png' is damaged and cannot be read (export the image again as PNG)",
        "meta.logos[2].file: 'link.png' lies outside the input folder"
        " (copy the image into the folder of concept.yaml)",
        "meta.logos[3].file: 'gross.png' is too large (0 MB) (save a smaller PNG or JPEG, at most 20 MB)",
    ]


def test_include_through_a_symlink_leading_out_is_refused(write_inputs: WriteInputs, tmp_path: Path) -> None:
    outside = tmp_path / "geheim.yaml"
    outside.write_text("- id: q1\n  text: x\n  person: y\n  consent: true\n")
    folder = write_inputs(MINIMAL + "quotes:\n  include: stimmen.yaml\n")
    (folder / "stimmen.yaml").symlink_to(outside)
    problem = only_error(folder)
    assert problem.message == "include 'stimmen.yaml' leads outside the input folder"
