"""The context stage: words and numbers in the document's language, fragments, views made once."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from markupsafe import Markup

from concept_builder import Concept, load_concept
from concept_builder.context import Image, make_context
from concept_builder.context.fragments import Fragments
from concept_builder.model import Funding, Indicator, Timeframe
from concept_builder.options import VARIANTS
from concept_builder.sources import Sourced
from concept_builder.structure import arrange
from concept_builder.template import default_template, open_template
from concept_builder.wording import Wording
from tests.conftest import MINIMAL, WriteInputs
from tests.test_structure import TWO_THEMES

STYLES = open_template(default_template()).styles


def test_dates_numbers_and_timeframes_read_as_in_the_language() -> None:
    german, english = Wording("de"), Wording("en")
    assert german.date(dt.date(2019, 1, 31)) == "31. Januar 2019"
    assert english.date(dt.date(2019, 1, 31)) == "31 January 2019"
    assert (german.number(1234.5), english.number(1234.5)) == ("1.234,5", "1,234.5")
    both = Timeframe.model_validate({"start": "2019-03-01", "end": "31.12.2020", "term": "mittelfristig"})
    assert german.timeframe(both) == "03/2019 bis 12/2020 (mittelfristig)"
    assert english.timeframe(Timeframe.model_validate({"start": "2019-03-01"})) == "from 03/2019"
    assert german.timeframe(Timeframe(term="fortlaufend")) == "fortlaufend"


@pytest.mark.parametrize(
    ("start", "end", "german", "english"),
    [
        ("Q3/2025", "2026", "Q3/2025 bis 2026", "Q3 2025 to 2026"),
        ("07/2025", "Q4/2025", "07/2025 bis Q4/2025", "07/2025 to Q4 2025"),
        ("2025", "2025", "2025", "2025"),
    ],
)
def test_a_timeframe_by_quarter_month_or_year_is_printed_as_precise_as_written(
    start: str, end: str, german: str, english: str
) -> None:
    timeframe = Timeframe.model_validate({"start": start, "end": end})
    assert (Wording("de").timeframe(timeframe), Wording("en").timeframe(timeframe)) == (german, english)


def test_a_quarter_ends_on_its_last_day() -> None:
    timeframe = Timeframe.model_validate({"start": "1. Quartal 2025", "end": "q3 2025"})
    assert timeframe.start is not None and timeframe.end is not None
    assert (timeframe.start.first, timeframe.end.last) == (dt.date(2025, 1, 1), dt.date(2025, 9, 30))
    assert Wording("de").when_long(timeframe.end) == "Q3/2025"
    assert Wording("de").when_long(Timeframe.model_validate({"end": "7/2025"}).end) == "Juli 2025"


def test_an_indicator_in_one_line_keeps_its_unit_once() -> None:
    wording = Wording("de")
    assert (
        wording.indicator_text(Indicator(name="Kurse", target="12", unit="Kurse"))
        == "Kurse: Zielwert 12 Kurse"
    )
    assert wording.indicator_text(Indicator(name="Quote", target="50 %", unit="%")) == "Quote: Zielwert 50 %"
    assert wording.indicator_text(Indicator(name="Netzwerk")) == "Netzwerk"
    # no values: unit and source in brackets, never "Kosten: Einheit: Euro"
    assert wording.indicator_text(Indicator(name="Kosten", unit="Euro")) == "Kosten (Einheit: Euro)"
    assert wording.indicator_text(Indicator(name="Lage", source="LSN")) == "Lage (Quelle: LSN)"
    both = Indicator(name="Kosten", unit="Euro", source="Haushalt")
    assert wording.indicator_text(both) == "Kosten (Einheit: Euro; Quelle: Haushalt)"


def test_an_indicator_prints_baseline_target_unit_years_and_source() -> None:
    wording = Wording("de")
    indicator = Indicator(
        name="Teilnehmende",
        baseline="0",
        baseline_year=2019,
        target="60",
        target_year=2021,
        unit="Personen",
        source="Projektdokumentation",
    )
    assert wording.indicator_text(indicator) == (
        "Teilnehmende: Ausgangswert 0 Personen (2019), Zielwert 60 Personen (2021);"
        " Quelle: Projektdokumentation"
    )
    in_words = Indicator(name="Quote", baseline="wird 2019 erhoben", target="bedarfsgerecht", unit="Prozent")
    assert wording.indicator_text(in_words) == (  # no "erhoben Prozent": the unit is named on its own
        "Quote: Ausgangswert wird 2019 erhoben, Zielwert bedarfsgerecht, Einheit: Prozent"
    )


def test_a_list_inside_a_bullet_keeps_its_level() -> None:
    fragments = Fragments(arrange(TWO_THEMES), VARIANTS["konzept"], STYLES, Wording("de"))
    xml = fragments.bullets(["Kurse fehlen:\n- auf dem Land\n  - vor allem abends", "Wartezeiten"])
    styles = re.findall(r'<w:pStyle w:val="([^"]+)"/>', xml)
    assert styles == [
        STYLES["list_bullet"],
        STYLES["list_bullet_2"],
        STYLES["list_bullet_3"],
        STYLES["list_bullet"],
    ]


def test_a_quote_in_another_language_is_marked_and_keeps_its_paragraphs() -> None:
    fragments = Fragments(arrange(TWO_THEMES), VARIANTS["konzept"], STYLES, Wording("de"))
    xml = fragments.quote("We were heard.\n\nNow we plan together.", "en-US")
    paragraphs = xml.split("</w:p>")[:-1]
    assert len(paragraphs) == 2
    assert "„" in paragraphs[0] and "“" in paragraphs[1]
    assert xml.count('<w:lang w:val="en-US"/>') == 2  # the words, not the German quotation marks


def test_a_quote_in_a_language_written_right_to_left_is_marked_as_word_marks_it() -> None:
    """Word marks such a run right to left and gives its language as the complex script's (w:bidi)."""
    fragments = Fragments(arrange(TWO_THEMES), VARIANTS["konzept"], STYLES, Wording("de"))
    xml = fragments.quote("لقد تم الاستماع إلينا", "ar-EG")
    assert '<w:rPr><w:rtl/><w:lang w:val="ar-EG" w:bidi="ar-EG"/></w:rPr><w:t>لقد' in xml
    assert xml.count("<w:rtl/>") == 1  # the German quotation marks run left to right
    assert "<w:rtl/>" not in fragments.quote("We were heard.", "en-US")


def test_a_budget_amount_reads_with_currency_and_period() -> None:
    wording = Wording("de")
    budget = Funding.model_validate({"budget": {"amount": "90000", "period": "gesamt", "approximate": "ja"}})
    assert budget.budget is not None
    assert wording.budget(budget.budget) == "ca. 90.000\xa0€ insgesamt"
    text = Funding.model_validate({"budget": "im Rahmen der bestehenden Haushalte"}).budget
    assert wording.budget(text) == "im Rahmen der bestehenden Haushalte"


def test_an_events_period_and_series() -> None:
    wording = Wording("de")
    assert wording.dates([dt.date(2025, 3, 1)], dt.date(2025, 4, 30)) == "1. März 2025 bis 30. April 2025"
    series = [dt.date(2025, 3, 12), dt.date(2025, 4, 9), dt.date(2025, 5, 14)]
    assert wording.dates(series) == "12. März 2025, 9. April 2025 und 14. Mai 2025"


def test_links_go_only_to_what_the_variant_shows() -> None:
    structure = arrange(TWO_THEMES)
    full = Fragments(structure, VARIANTS["konzept"], STYLES, Wording("de"))
    short = Fragments(structure, VARIANTS["kurzfassung"], STYLES, Wording("de"))
    assert full.reference("a-m1") == ("Maßnahme 2.1.1", structure.nodes["a-m1"].anchor)
    assert short.reference("a-m1") == ("Maßnahme 2.1.1", "")
    assert 'w:anchor="cb_a_m1"' in full.link("a-m1", "2.1.1")
    assert "w:hyperlink" not in short.link("a-m1", "2.1.1")


def test_web_links_get_one_relationship_each() -> None:
    fragments = Fragments(arrange(TWO_THEMES), VARIANTS["konzept"], STYLES, Wording("de"))
    first = fragments.external("https://www.goslar.de")
    again = fragments.blocks(
        "Siehe [Goslar](https://www.goslar.de) und [Bosch](https://www.bosch-stiftung.de)."
    )
    assert fragments.hyperlinks == {
        "https://www.goslar.de": "rIdCbLink1",
        "https://www.bosch-stiftung.de": "rIdCbLink2",
    }
    assert 'r:id="rIdCbLink1"' in first and again.count('r:id="rIdCbLink1"') == 1


def test_each_measure_view_is_made_once(goslar_concept: Concept) -> None:
    values = make_context(arrange(goslar_concept)).values
    by_id = {m["id"]: m for t in values["themes"] for m in t["measures"]}
    priority = [m for t in values["themes"] for m in t["priority_measures"]]
    assert priority and all(m is by_id[m["id"]] for m in priority)


def test_the_context_holds_plain_data_only(goslar_concept: Concept) -> None:
    def walk(value: object, where: str) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                assert isinstance(key, str), where
                assert not hasattr({}, key), f"{where}.{key} hides a method of mappings"
                walk(item, f"{where}.{key}")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, f"{where}[{index}]")
        else:
            # text from the inputs is text that also knows its source (for review); a template cannot read it
            assert type(value) in (str, Sourced, Markup, int, float, bool, type(None), Image), (
                where,
                type(value),
            )

    for variant in VARIANTS.values():
        for_name = "Stadt Seesen" if variant.needs_organisation else None
        walk(make_context(arrange(goslar_concept, for_name), variant=variant).values, variant.name)


def test_every_template_variable_is_documented(goslar_concept: Concept) -> None:
    """docs/templates.md names every field a template can print (the fixed words aside)."""
    from tests.conftest import ROOT

    text = (ROOT / "docs" / "templates.md").read_text(encoding="utf-8")
    text = re.sub(r"```.*?```", "", text, flags=re.DOTALL)  # the examples, not the reference
    documented = {name for code in re.findall(r"`([^`]+)`", text) for name in re.findall(r"[a-z_]+", code)}
    names: set[str] = set()

    def walk(value: object, path: str) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if path != "labels":  # the fixed words: docs/templates.md points to labels.py
                    names.add(key)
                    walk(item, key)
        elif isinstance(value, list):
            for item in value[:50]:
                walk(item, path)

    for variant in VARIANTS.values():
        for_name = "Stadt Seesen" if variant.needs_organisation else None
        walk(make_context(arrange(goslar_concept, for_name), variant=variant).values, "")
    assert names and not sorted(names - documented)


def test_the_financial_overview_marks_approximate_sums_and_leaves_out_deferred_measures(
    write_inputs: WriteInputs,
) -> None:
    from concept_builder import load_concept

    measures = "".join(
        f"      - id: m{n}\n        title: M{n}\n        description: Text.\n        goals: [bildung-z1]\n"
        f"        lead: VHS\n{extra}"
        for n, extra in enumerate(
            [
                "        funding: {budget: {amount: 10000, period: jährlich}}\n",
                "        funding: {budget: {amount: 5000, period: jährlich, approximate: ja}}\n",
                "        status: zurückgestellt\n"
                "        funding: {budget: {amount: 70000, period: jährlich}}\n",
                "",
            ],
            2,
        )
    )
    concept = load_concept(write_inputs(MINIMAL + measures))
    finance = make_context(arrange(concept)).values["finance"]
    assert [(row["theme"], row["counted"], row["yearly"]) for row in finance["rows"]] == [
        ("Handlungsfeld 1: Bildung und Sprache", "2 von 5", "ca. 15.000\xa0€"),
        ("Gesamt", "2 von 5", "ca. 15.000\xa0€"),
    ]
    assert finance["note"] == (
        "Summen der bezifferten Budgets von 2 von 5 Maßnahmen. 2 Maßnahmen nennen keinen Betrag."
        " 1 zurückgestellte Maßnahme mit Betrag ist nicht mitgerechnet."
        " „ca.“ steht vor Summen, die ungefähre Beträge enthalten."
    )


def test_a_pictures_title_is_its_alt_text_or_the_first_part_of_it() -> None:
    from concept_builder.word import short_title

    assert short_title("Wappen des Landkreises Goslar") == "Wappen des Landkreises Goslar"
    assert (
        short_title(
            "Wappen des Landkreises Muster: ein goldener Löwe auf rotem Grund über drei blauen Wellen"
        )
        == "Wappen des Landkreises Muster"
    )
    long_clause = (
        "Logo der Koordinierungsstelle für Integration und Teilhabe im Landkreis Muster und seinen Gemeinden"
    )
    assert short_title(long_clause) == "Logo der Koordinierungsstelle für Integration und Teilhabe…"
    assert len(short_title(long_clause)) <= 60


@pytest.mark.parametrize(
    ("district", "german", "english"),
    [
        ("Landkreis Goslar", "gesamter Landkreis", "whole district"),
        ("Stadt Hellerbrück", "gesamtes Stadtgebiet", "whole city"),
        ("Kreisfreie Stadt Suhl", "gesamtes Stadtgebiet", "whole city"),
        ("Hochtaunuskreis", "gesamter Kreis", "whole district"),
        ("Region Hannover", "gesamte Region", "whole region"),
        ("Verbandsgemeinde Wörrstadt", "gesamtes Gemeindegebiet", "whole municipality"),
        ("Oberwald", "gesamtes Gebiet", "whole area"),
    ],
)
def test_a_measure_for_the_whole_area_names_it_as_the_district_is(
    write_inputs: WriteInputs, district: str, german: str, english: str
) -> None:
    assert Wording("de", district)["whole_district"] == german
    assert Wording("en", district)["whole_district"] == english
    concept = load_concept(write_inputs(MINIMAL.replace("Landkreis Muster\n", f"{district}\n", 1)))
    [theme] = make_context(arrange(concept)).values["themes"]
    assert [m["area"] for m in theme["measures"]] == [german]  # the measure names no area
