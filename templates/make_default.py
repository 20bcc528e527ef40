"""Generate the default Word templates, one per variant (templates/*.docx).

The templates are made by this script rather than by hand in Word so that
every style (``design.py``) and every template tag (below) is reviewable in
one place and the files can be rebuilt identically. Run ``make template``
after changing it. Users who want their own layout restyle a reference
document (``concept-builder template init --reference``) or start from a
copy of a template (``concept-builder template init``) and edit it in Word.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # design and builder beside this script

from builder import Body, contents_field, page_setup_with_header_and_footer
from design import setup_styles
from docx import Document

from concept_builder.options import VARIANTS
from concept_builder.write import normalize_zip


def cover(b: Body) -> None:
    b.when("logos", "{%r for logo in logos %}", "{{r logo }}", "  ", "{%r endfor %}", style="Cover Logos")
    b.p("{{ meta.district }}", style="Cover District")
    b.p("{{ meta.title }}", style="Title")
    b.when("meta.subtitle", "{{ meta.subtitle }}", style="Subtitle")
    b.when("variant.title", "{{ variant.title }}", style="Cover Variant")
    b.p("{{ meta.version_line }}", style="Cover Meta")
    b.when("meta.adoption", "{{ meta.adoption }}", style="Cover Meta")
    b.when("draft", "{{ labels.draft }}", style="Cover Draft")
    b.when(
        "meta.consultancy",
        "{{ meta.consultancy_role or labels.consultancy }}: {{ meta.consultancy }}",
        style="Cover Small",
    )
    b.when("meta.partners", "{{ labels.partners_funders }}: {{ meta.partners_text }}", style="Cover Small")
    b.when("meta.programme", "{{ labels.programme }}: {{ meta.programme }}", style="Cover Small")
    b.example_note("has_illustrative")


def foreword(b: Body) -> None:
    b.tag("{%p if foreword %}")
    b.h(1, "{{ labels.foreword }}", numbered=False)
    b.example_note("foreword.illustrative")
    b.tag("{{p foreword.text }}")
    b.tag("{%p for signature in foreword.signatures %}")
    b.p("{{ signature.name }}", *b.example_inline("signature.illustrative"), style="Signature")
    b.when("signature.role", "{{ signature.role }}", style="Signature Role")
    b.tag("{%p endfor %}")
    b.tag("{%p endif %}")
    b.tag("{%p if introduction %}")
    b.h(1, "{{ chapters.introduction }}{{ labels.introduction }}")
    b.tag("{{p introduction }}")
    b.tag("{%p endif %}")


def starting_point(b: Body) -> None:
    b.tag("{%p if starting_point %}")
    b.h(1, "{{ chapters.starting_point }}{{ labels.starting_point }}")
    b.example_note("starting_point.illustrative")
    b.tag("{{p starting_point.text }}")
    b.tag("{%p if starting_point.key_figures %}")
    b.p("{{ labels.key_figures }}", style="Caption")
    b.table(
        ["{{ labels.indicator }}", "{{ labels.value }}", "{{ labels.year }}", "{{ labels.source }}"],
        "f in starting_point.key_figures",
        [
            "{{ f.indicator }}",
            "{{ f.value }}{% if f.unit %} {{ f.unit }}{% endif %}",
            "{{ f.year }}",
            "{{ f.source }}|" + "|".join(b.example_inline("f.illustrative")),
        ],
        [6.0, 2.8, 1.4, 5.8],
    )
    b.tag("{%p endif %}")
    b.tag("{%p endif %}")


def principles(b: Body) -> None:
    b.tag("{%p if principles %}")
    b.h(1, "{{ chapters.principles }}{{ labels.principles }}")
    b.tag("{{p principles_intro }}")
    # principles that are titles alone are a list: headings without text would stand alone on a page
    b.tag("{%p if principles_listed %}")
    b.tag("{%p for principle in principles %}")
    b.p("{{ principle.title }}", *b.example_inline("principle.illustrative"), style="List Bullet")
    b.tag("{%p endfor %}")
    b.tag("{%p else %}")
    b.tag("{%p for principle in principles %}")
    b.h(2, "{{ principle.title }}")
    b.example("principle.illustrative")
    b.tag("{{p principle.text }}")
    b.tag("{%p endfor %}")
    b.tag("{%p endif %}")
    b.tag("{%p endif %}")


def process(b: Body) -> None:
    b.tag("{%p if process %}")
    b.h(1, "{{ chapters.process }}{{ labels.process }}")
    b.example_note("process.illustrative")
    b.tag("{{p process.text }}")
    b.tag("{%p for event in process.events %}")
    b.h(2, "{{ event.title }}")
    b.example("event.illustrative")
    b.table(
        ["{{ labels.date }}", "{{ labels.place }}", "{{ labels.format }}", "{{ labels.participants }}"],
        None,
        ["{{ event.date }}", "{{ event.place }}", "{{ event.format }}", "{{ event.participants or '–' }}"],
        [3.6, 4.0, 5.0, 3.4],
    )
    b.when(
        "event.groups", "@Strong:{{ labels.groups }}: ", "{{ event.groups }}", style="Body Text After Table"
    )
    b.tag("{{p event.text }}")
    b.tag("{%p if event.results %}")
    b.h(3, "{{ labels.results }}")
    b.tag("{%p for result in event.results %}")
    b.p("{{ result.theme }}", *b.example_inline("result.illustrative"), style="Label")
    b.tag("{{p result.text }}")
    b.tag("{%p endfor %}")
    b.tag("{%p endif %}")
    quotes(b, "event.quotes")
    b.tag("{%p endfor %}")
    b.tag("{%p if process.steering_group %}")
    b.h(2, "{{ process.steering_group.name }}")
    b.example_note("process.steering_group.illustrative")
    b.tag("{{p process.steering_group.text }}")
    b.tag("{%p for member in process.steering_group.member_entries %}")
    b.p("{{ member.text }}", *b.example_inline("member.illustrative"), style="List Bullet")
    b.tag("{%p endfor %}")
    b.tag("{%p endif %}")
    b.tag("{%p endif %}")


def quotes(b: Body, items: str) -> None:
    b.tag("{%p for quote in " + items + " %}")
    b.tag("{{p quote.body }}")  # paragraphs in quotation marks, the quote's language marked
    b.p(
        "– {{ quote.attribution }}",
        *b.example_inline("quote.illustrative"),
        "{%r if quote.source %}",
        "\n",
        "{{ labels.quote_source }}: {{ quote.source }}",
        "{%r endif %}",
        style="Quote Attribution",
    )
    b.tag("{%p endfor %}")


def themes(b: Body) -> None:
    b.h(1, "{{ chapters.themes }}{{ labels.themes }}")
    b.tag("{%p if cross_cutting_themes %}")
    b.h(2, "{{ labels.cross_cutting_themes }}", numbered=False)
    b.tag("{%p for cross in cross_cutting_themes %}")
    b.p("{{ cross.title }}", *b.example_inline("cross.illustrative"), style="Label")
    b.tag("{{p cross.description }}")
    b.when(
        "cross.theme_links",
        "@Strong:{{ labels.covered_theme if cross.theme_count == 1 else labels.covered_themes }}: ",
        "{{r cross.theme_links }}",
        style="Meta Line",
    )
    b.when(
        "cross.measure_links",
        "@Strong:{{ labels.covered_measure if cross.measure_count == 1 else labels.covered_measures }}"
        " ({{ cross.measure_count }}): ",
        "{{r cross.measure_links }}",
        style="Meta Line",
    )
    b.when(
        "not cross.theme_links and not cross.measure_links", "{{ labels.covers_nothing }}", style="Meta Line"
    )
    b.tag("{%p endfor %}")
    b.tag("{%p endif %}")
    b.tag("{%p for theme in themes %}")
    b.h(2, "{{r theme.anchor }}", "{{ theme.label }}: {{ theme.title }}", numbered=False)
    b.example("theme.illustrative")
    b.tag("{{p theme.description }}")
    b.when(
        "theme.cross_cutting",
        "@Strong:{{ labels.cross_cutting_themes }}: ",
        "{{ theme.cross_cutting }}",
        style="Meta Line",
    )
    b.tag("{%p if theme.challenges %}")
    b.h(3, "{{ labels.challenges }}", numbered=False)
    b.tag("{{p theme.challenges }}")
    b.tag("{%p endif %}")
    b.tag("{%p if theme.goals %}")
    b.h(3, "{{ labels.goals }}", numbered=False)
    b.tag("{%p for goal in theme.goals %}")
    goal(b)
    b.tag("{%p endfor %}")
    b.tag("{%p endif %}")
    b.tag("{%p if theme.measures %}")
    b.h(3, "{{ labels.measures }}", numbered=False)
    b.tag("{%p for m in theme.measures %}")
    b.h(4, "{{r m.anchor }}", "{{ m.label }} {{ m.title }}", numbered=False)
    b.example("m.illustrative")
    b.tag("{{p m.description }}")
    measure_profile(b)
    b.tag("{%p endfor %}")
    b.tag("{%p endif %}")
    b.tag("{%p if theme.quotes %}")
    b.h(3, "{{ labels.quotes }}", numbered=False)
    quotes(b, "theme.quotes")
    b.tag("{%p endif %}")
    b.tag("{%p endfor %}")


def goal(b: Body) -> None:
    """Goal ``goal``: heading, level, description, indicators and the measures that serve it."""
    b.h(4, "{{r goal.anchor }}", "{{ goal.label }} {{ goal.title }}", numbered=False)
    b.example("goal.illustrative")
    b.p("{{ goal.level }}", style="Meta Line")
    b.tag("{{p goal.description }}")
    b.tag("{%p if goal.indicators %}")
    b.table(
        [
            "{{ labels.goal_indicator }}",
            "{{ labels.baseline }}",
            "{{ labels.target }}",
            "{{ labels.source }}",
        ],
        "i in goal.indicators",
        [
            "{{ i.name_with_unit }}|" + "|".join(b.example_inline("i.illustrative")),
            "{{ i.baseline or '–' }}",
            "{{ i.target or '–' }}",
            "{{ i.source or '–' }}",
        ],
        [6.0, 2.9, 2.9, 4.2],
    )
    b.tag("{%p endif %}")
    b.when(
        "goal.measure_links",
        "@Strong:{{ labels.served_by }}: ",
        "{{r goal.measure_links }}",
        style="Body Text After Table",
    )


def measure_profile(b: Body) -> None:
    """The profile of measure ``m``: every field in a row of its own, the label a row header."""
    b.profile(
        [
            (
                "{{ labels.status }}",
                "{{ m.status }}{% if m.status_reason %} – {{ m.status_reason }}{% endif %}",
            ),
            ("{{ labels.serves_goals }}", "{{r m.goal_links }}"),
            ("{{ labels.lead }}", "{{ m.lead }}"),
            ("{{ labels.partners }}", "{{ m.partners or '–' }}"),
            ("{{ labels.target_groups }}", "{{ m.target_groups or '–' }}"),
            ("{{ labels.timeframe }}", "{{ m.timeframe or '–' }}"),
            ("{{ labels.priority }}", "{{ m.priority }}"),
            ("{{ labels.resources }}", "{{ m.resources or '–' }}"),
            ("{{ labels.budget }}", "{{ m.budget or '–' }}"),
            ("{{ labels.funding }}", "{{ m.funding or '–' }}"),
            (
                "{{ labels.indicators }}",
                "{%r if m.indicators %}|{{r m.indicator_lines }}|{%r else %}|–|{%r endif %}",
            ),
            ("{{ labels.area }}", "{{ m.area }}"),
            ("{{ labels.cross_cutting_themes }}", "{{ m.cross_cutting or '–' }}"),
            ("{{ labels.contact }}", "{{ m.contact or '–' }}"),
        ],
        [4.2, 11.8],
    )


def overview(b: Body) -> None:
    b.h(1, "{{ chapters.overview }}{{ labels.overview }}")
    figure(b, "charts.status")
    status_table(b)
    finance(b, numbered=False)  # beside the themes' sections, which carry their own numbers
    b.tag("{%p for theme in themes %}")
    b.tag("{%p if theme.measures %}")
    b.h(2, "{{ theme.label }}: {{ theme.title }}", numbered=False)
    overview_table(b)
    b.tag("{%p endif %}")
    b.tag("{%p endfor %}")
    b.tag("{%p if charts.timeline %}")
    b.h(2, "{{ labels.timeline }}", numbered=False)
    b.tag("{%p for chart in charts.timeline %}")
    figure(b, "chart")
    b.tag("{%p endfor %}")
    b.when("charts.timeline_left_out", "{{ charts.timeline_left_out }}")  # what the figures leave out
    b.tag("{%p endif %}")


def status_table(b: Body) -> None:
    """Measures per theme and status: the numbers behind the status chart."""
    b.table(
        ["{{ labels.theme }}", "{{ labels.measures }}", "{{ labels.status_counts }}"],
        "row in status_overview",
        ["{{ row.theme }}", "{{ row.total }}", "{{ row.counts }}"],
        [6.5, 2.5, 7.0],
    )


def finance(b: Body, *, numbered: bool = True) -> None:
    """The budgets given as amounts, summed per theme and period; left out where no measure gives one."""
    b.tag("{%p if finance %}")
    b.h(2, "{{ labels.finance }}", numbered=numbered)
    b.table(
        [
            "{{ labels.theme }}",
            "{{ labels.measures }} {{ labels.finance_counted }}",
            "{{ labels.finance_once }}",
            "{{ labels.finance_yearly }}",
            "{{ labels.finance_total }}",
        ],
        "row in finance.rows",
        ["{{ row.theme }}", "{{ row.counted }}", "{{ row.once }}", "{{ row.yearly }}", "{{ row.total }}"],
        [5.2, 2.6, 2.7, 2.7, 2.8],
    )
    b.p("{{ finance.note }}", style="Body Text After Table")
    b.tag("{%p endif %}")


def overview_table(b: Body) -> None:
    """The measures of ``theme`` in one table: number (linked), title, lead, timeframe, priority, status."""
    b.table(
        [
            "{{ labels.number }}",
            "{{ labels.measure }}",
            "{{ labels.lead }}",
            "{{ labels.timeframe }}",
            "{{ labels.priority }}",
            "{{ labels.status }}",
        ],
        "m in theme.measures",
        [
            "{{r m.link }}",
            "{{ m.title }}|" + "|".join(b.example_inline("m.illustrative")),
            "{{ m.lead }}",
            "{{ m.timeframe or '–' }}",
            "{{ m.priority }}",
            "{{ m.status }}",
        ],
        [1.3, 4.5, 3.2, 2.2, 2.2, 2.6],
    )


def figure(b: Body, chart: str) -> None:
    """A chart with its numbered caption below; left out when there is no chart."""
    b.tag("{%p if " + chart + " %}")
    b.p("{{r " + chart + ".image }}", style="Chart")
    b.p("{{ labels.figure }} {{ " + chart + ".number }}: {{ " + chart + ".caption }}", style="Caption")
    b.tag("{%p endif %}")


def closing(b: Body) -> None:
    b.tag("{%p if monitoring %}")
    b.h(1, "{{ chapters.monitoring }}{{ labels.monitoring }}")
    b.example_note("monitoring.illustrative")
    b.tag("{{p monitoring.text }}")
    b.tag("{{p monitoring.steps }}")
    b.when(
        "monitoring.review_cycle",
        "@Strong:{{ labels.review_cycle }}: ",
        "{{ monitoring.review_cycle }}",
        style="Body Text",
    )
    b.tag("{%p endif %}")
    b.tag("{%p if sources %}")
    b.h(1, "{{ labels.sources }}", numbered=False)
    b.tag("{%p for source in sources %}")
    source = b.p(
        "{{ source.text }}",
        "{%r if source.url %}",
        " ",
        "{{r source.link }}",
        "{%r endif %}",
        *b.example_inline("source.illustrative"),
        style="List Number",
    )
    b.restart_numbering(source)  # the sources count from 1, whatever lists came before
    b.tag("{%p endfor %}")
    b.tag("{%p endif %}")
    b.tag("{%p if glossary %}")
    b.h(1, "{{ labels.glossary }}", numbered=False)
    b.table(
        ["{{ labels.term }}", "{{ labels.definition }}"],
        "entry in glossary",
        ["{{ entry.term }}", "{{ entry.definition }}|" + "|".join(b.example_inline("entry.illustrative"))],
        [4.5, 11.5],
    )
    b.tag("{%p endif %}")
    change_log(b)
    imprint(b)


def change_log(b: Body) -> None:
    b.tag("{%p if changes %}")
    b.h(1, "{{ labels.changes_since }} {{ changes.old_version }}", numbered=False)
    b.tag("{%p if changes.groups %}")
    b.p("{{ changes.intro }}", style="Body Text")
    b.tag("{%p for group in changes.groups %}")  # each item once, in document order
    b.tag("{%p if group.details %}")
    b.p("{{ group.item }} – {{ group.kind }}", style="Label")
    b.tag("{{p group.details }}")
    b.tag("{%p else %}")
    b.p("{{ group.item }} – {{ group.kind }}", style="Body Text")
    b.tag("{%p endif %}")
    b.tag("{%p endfor %}")
    b.tag("{%p else %}")
    b.p("{{ labels.no_changes }}", style="Body Text")
    b.tag("{%p endif %}")
    b.tag("{%p endif %}")


def imprint(b: Body) -> None:
    b.h(1, "{{ labels.imprint }}", numbered=False)
    b.example_note("meta.illustrative")
    b.p("{{ labels.publisher }}", style="Label")
    b.p("{{ meta.issuer }}", style="Body Text")
    b.tag("{%p for line in meta.contact %}")
    b.p("{{r line }}", style="Small Text")
    b.tag("{%p endfor %}")
    b.when("meta.contact_illustrative", "{{ labels.example }}", style="Example Note")
    b.tag("{%p if meta.authors %}")
    b.p("{{ labels.authors }}", style="Label")
    b.tag("{%p for author in meta.author_entries %}")
    b.p("{{ author.text }}", *b.example_inline("author.illustrative"), style="Small Text")
    b.tag("{%p endfor %}")
    b.tag("{%p endif %}")
    b.tag("{%p if meta.consultancy %}")
    b.p("{{ labels.consultancy }}", style="Label")
    b.p("{{ meta.consultancy }}", *b.example_inline("meta.consultancy_illustrative"), style="Small Text")
    b.tag("{%p endif %}")
    b.tag("{%p if meta.partners %}")
    b.p("{{ labels.partners_funders }}", style="Label")
    b.tag("{%p for partner in meta.partner_entries %}")
    b.p("{{ partner.text }}", *b.example_inline("partner.illustrative"), style="Small Text")
    b.tag("{%p endfor %}")
    b.tag("{%p endif %}")
    b.p("{{ labels.version }}", style="Label")
    b.p("{{ meta.version_line }}", style="Small Text")
    b.when("meta.adoption", "{{ meta.adoption }}", style="Small Text")
    b.tag("{{p meta.note }}")


def short_themes(b: Body) -> None:
    """Kurzfassung: each theme with its goals and its priority measures."""
    b.h(1, "{{ labels.themes }}")
    b.tag("{%p for theme in themes %}")
    b.h(2, "{{ theme.label }}: {{ theme.title }}", numbered=False)
    b.tag("{%p for goal in theme.goals %}")
    b.p("@Strong:{{ goal.label }}", " {{ goal.title }}", *b.example_inline("goal.illustrative"))
    b.tag("{%p endfor %}")
    b.tag("{%p if theme.priority_measures %}")
    b.p("{{ labels.priority_measures }}", style="Label")
    b.tag("{%p for m in theme.priority_measures %}")
    b.p("{{ m.label }} {{ m.title }} ({{ m.lead }}, {{ m.status }})", style="List Bullet")
    b.tag("{%p endfor %}")
    b.tag("{%p endif %}")
    b.tag("{%p endfor %}")


def catalogue(b: Body) -> None:
    """Maßnahmenkatalog: a sheet per measure, kept together, as many to a page as fit."""
    b.tag("{%p for theme in themes %}")
    b.h(1, "{{ theme.label }}: {{ theme.title }}", numbered=False)
    b.tag("{%p for m in theme.measures %}")
    b.p("{{r m.anchor }}", "{{ m.label }} {{ m.title }}", style="Sheet Heading")
    b.example("m.illustrative")
    b.tag("{{p m.description }}")
    measure_profile(b)
    b.tag("{%p endfor %}")
    b.tag("{%p endfor %}")


def report(b: Body) -> None:
    """Umsetzungsbericht: the state of implementation by theme and status, and what is overdue."""
    b.h(1, "{{ labels.report_status }}")
    b.p("{{ labels.report_as_of }} {{ meta.date }}", style="Meta Line")
    status_table(b)
    figure(b, "charts.status")
    finance(b)
    b.h(1, "{{ labels.overdue }}")
    b.tag("{%p if overdue %}")
    b.table(
        [
            "{{ labels.number }}",
            "{{ labels.measure }}",
            "{{ labels.lead }}",
            "{{ labels.end }}",
            "{{ labels.status }}",
        ],
        "m in overdue",
        [
            "{{r m.link }}",
            "{{ m.title }}|" + "|".join(b.example_inline("m.illustrative")),
            "{{ m.lead }}",
            "{{ m.end }}",
            "{{ m.status }}",
        ],
        [1.4, 6.0, 3.6, 2.6, 2.4],
    )
    b.tag("{%p else %}")
    b.p("{{ labels.nothing_overdue }}", style="Body Text")
    b.tag("{%p endif %}")


def measure_overview(b: Body) -> None:
    b.h(1, "{{ labels.overview }}")
    b.tag("{%p for theme in themes %}")
    b.tag("{%p if theme.measures %}")
    b.h(2, "{{ theme.label }}: {{ theme.title }}", numbered=False)
    overview_table(b)
    b.tag("{%p endif %}")
    b.tag("{%p endfor %}")


def full(b: Body) -> None:
    cover(b)
    contents_field(b.doc)
    foreword(b)
    starting_point(b)
    principles(b)
    process(b)
    themes(b)
    overview(b)
    closing(b)


def short(b: Body) -> None:
    cover(b)
    contents_field(b.doc)
    principles(b)
    short_themes(b)
    imprint(b)


def measures_catalogue(b: Body) -> None:
    cover(b)
    contents_field(b.doc)
    catalogue(b)
    imprint(b)


def extract(b: Body) -> None:
    cover(b)
    contents_field(b.doc)
    measure_overview(b)
    catalogue(b)
    imprint(b)


def implementation_report(b: Body) -> None:
    cover(b)
    contents_field(b.doc)
    report(b)
    measure_overview(b)
    imprint(b)


# What each variant's template holds
CONTENTS: dict[str, Callable[[Body], None]] = {
    "konzept": full,
    "kurzfassung": short,
    "massnahmenkatalog": measures_catalogue,
    "auszug": extract,
    "umsetzungsbericht": implementation_report,
}


def make(path: Path, content: Callable[[Body], None] = full, *, compact: bool = False) -> None:
    doc = Document()
    setup_styles(doc)
    page_setup_with_header_and_footer(doc)
    content(Body(doc, compact=compact))
    package_rels = doc.part.package.rels
    for relationship_id, relationship in list(package_rels.items()):
        if relationship.reltype.endswith("/thumbnail"):  # python-docx's picture of an empty page
            package_rels.pop(relationship_id)
    core = doc.core_properties
    core.title = ""
    core.author = ""
    core.comments = ""
    buffer = io.BytesIO()
    doc.save(buffer)
    path.write_bytes(normalize_zip(buffer.getvalue()))  # fixed zip times: regenerating changes nothing


if __name__ == "__main__":
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent
    for variant in VARIANTS.values():
        make(folder / variant.template, CONTENTS[variant.name], compact=variant.compact)
