"""No template fails silently: each slip a user makes in Word is an error at its place, or is mended.

The slips are the ones seen in practice: a brace missing, prepared content
in a plain tag, text beside a paragraph tag, a loop never closed, a link
without its anchor, a template without a link style. The mutation test
then breaks the default template at random places: every build either
fails with a message naming the place, or writes a document Word accepts.
"""

from __future__ import annotations

import io
import random
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document
from markupsafe import Markup

import concept_builder
from concept_builder import BuildOptions, TemplateError
from concept_builder.template_check import prepared_kinds
from tests.conftest import GOSLAR, ROOT, WriteInputs, document_text, make_template, validate_with_word
from tests.test_cli import run


def build(folder: Path, template: Path, out: Path) -> concept_builder.BuildResult:
    return concept_builder.build_folder(folder, BuildOptions(out_dir=out, template=template))


def refused(folder: Path, template: Path, out: Path) -> str:
    with pytest.raises(TemplateError) as caught:
        build(folder, template, out)
    assert not out.exists()
    return str(caught.value)


def test_a_missing_brace_is_named_at_its_paragraph(write_inputs: WriteInputs, tmp_path: Path) -> None:
    template = make_template(tmp_path / "t.docx", "{{ meta.title }}", "Stand: {{ meta.version_line }")
    message = refused(write_inputs(), template, tmp_path / "out")
    assert message == (
        f"{template}: body, paragraph 2 “Stand: {{{{ meta.version_line }}”:"
        " the tag “{{ meta.version_line }” is not closed: “}}” is missing (one brace of it?)"
    )


def test_a_closing_brace_without_its_opening(write_inputs: WriteInputs, tmp_path: Path) -> None:
    template = make_template(tmp_path / "t.docx", "Titel: { meta.title }}")
    assert "“}}” closes a tag that was never opened" in refused(write_inputs(), template, tmp_path / "out")


@pytest.mark.parametrize(
    ("tag", "advice"),
    [
        (
            "{{ theme.description }}",
            "prints paragraphs; write {{p theme.description }} in a paragraph of its own",
        ),
        ("{{ goal.anchor }}", "prints prepared Word content (links or bookmarks); write {{r goal.anchor }}"),
        ("{{r theme.description }}", "prints paragraphs; write {{p theme.description }}"),
    ],
)
def test_prepared_content_in_the_wrong_kind_of_tag(
    write_inputs: WriteInputs, tmp_path: Path, tag: str, advice: str
) -> None:
    template = make_template(
        tmp_path / "t.docx",
        "{%p for theme in themes %}",
        "{%p for goal in theme.goals %}",
        f"Text: {tag}",
        "{%p endfor %}",
        "{%p endfor %}",
    )
    message = refused(write_inputs(), template, tmp_path / "out")
    assert f"body, paragraph 3 “Text: {tag}”: {tag} {advice}" in message


def test_text_beside_a_paragraph_tag_would_be_lost(write_inputs: WriteInputs, tmp_path: Path) -> None:
    template = make_template(
        tmp_path / "t.docx", "Version: {%p if meta.version %}", "{{ meta.version }}", "{%p endif %}"
    )
    message = refused(write_inputs(), template, tmp_path / "out")
    assert (
        "body, paragraph 1 “Version: {%p if meta.version %}”: “Version:” beside {%p if meta.version %}"
        in message
    )
    assert "is lost" in message


def test_a_block_closed_by_the_wrong_tag_is_named_at_both_ends(
    write_inputs: WriteInputs, tmp_path: Path
) -> None:
    template = make_template(
        tmp_path / "t.docx", "Titel", "{%p for theme in themes %}", "{{ theme.title }}", "{%p endif %}"
    )
    message = refused(write_inputs(), template, tmp_path / "out")
    assert (
        "paragraph 4 “{%p endif %}”: {%p endif %} closes {%p for theme in themes %}, which needs endfor"
        in message
    )
    assert "(opened at body, paragraph 2" in message


def test_typographic_quotes_in_tags_work(write_inputs: WriteInputs, tmp_path: Path) -> None:
    """German Word's AutoCorrect makes "…" into „…“ as one types a tag."""
    template = make_template(
        tmp_path / "t.docx", "{{ meta.title if meta.district == „Landkreis Muster“ else ‚–‘ }}"
    )
    result = build(write_inputs(), template, tmp_path / "out")
    assert document_text(result.path) == ["Integrationskonzept"]


def test_an_unknown_variable_in_a_table_cell_or_a_header_is_found_there(
    write_inputs: WriteInputs, tmp_path: Path
) -> None:
    document = Document()
    table = document.add_table(rows=2, cols=2)
    table.cell(1, 1).text = "Federführung: {{ meta.leed }}"
    document.save(str(tmp_path / "tabelle.docx"))
    message = refused(write_inputs(), tmp_path / "tabelle.docx", tmp_path / "out")
    assert message.endswith(
        "body, table 1, row 2, cell 2, paragraph 4 “Federführung: {{ meta.leed }}”: unknown template"
        " variable 'leed' (docs/templates.md lists every variable)"
    )
    document = Document()
    document.add_paragraph("{{ meta.title }}")
    document.sections[0].header.paragraphs[0].text = "{{ meta.kreis }} – Integrationskonzept"
    document.save(str(tmp_path / "kopf.docx"))
    message = refused(write_inputs(), tmp_path / "kopf.docx", tmp_path / "out")
    assert (
        "header 1, paragraph 1 “{{ meta.kreis }} – Integrationskonzept”: unknown template variable 'kreis'"
        in message
    )


def test_a_link_without_its_anchor_becomes_text_with_a_warning(
    write_inputs: WriteInputs, tmp_path: Path
) -> None:
    """A template printing links to measures but not the measures' anchors would leave dead links."""
    template = make_template(
        tmp_path / "t.docx",
        "{%p for theme in themes %}",
        "{%p for m in theme.measures %}",
        "Siehe {{r m.link }}",
        "{%p endfor %}",
        "{%p endfor %}",
    )
    result = build(write_inputs(), template, tmp_path / "out")
    xml = zipfile.ZipFile(result.path).read("word/document.xml").decode()
    assert "w:anchor=" not in xml and document_text(result.path) == ["Siehe 1.1.1"]
    assert any(
        n.startswith(
            "t.docx: body, paragraph 3 “Siehe {{r m.link }}”: 1 link to items whose anchors the template"
        )
        and "print {{r m.anchor }} where each item is shown" in n
        for n in result.notes
    ), result.notes
    validate_with_word(result.path)


def test_a_template_without_a_link_style_gets_one(write_inputs: WriteInputs, tmp_path: Path) -> None:
    template = make_template(
        tmp_path / "t.docx",
        "{%p for theme in themes %}",
        "{%p for m in theme.measures %}",
        "{{r m.anchor }}{{ m.title }} – {{r m.link }}",
        "{%p endfor %}",
        "{%p endfor %}",
    )
    result = build(write_inputs(), template, tmp_path / "out")
    styles = zipfile.ZipFile(result.path).read("word/styles.xml").decode()
    assert re.search(
        r'w:styleId="Hyperlink".*?<w:color w:val="0563C1"/>.*?<w:u w:val="single"/>', styles, re.S
    )
    assert any("has no character style “Hyperlink”: one was added" in note for note in result.notes)
    validate_with_word(result.path)


def test_styles_named_like_pdf_tags_are_renamed_and_a_picture_without_alt_is_told(
    write_inputs: WriteInputs, tmp_path: Path
) -> None:
    """LibreOffice would tag text styled “Quote” as the PDF type Quote and remap it, which PDF/UA
    forbids; the document calls the style “Quote Text”. A picture of the template without alt text
    is named by its place, and the document's own check is told."""
    from tests.test_pdf_ua import own_template

    template = own_template(tmp_path / "vorlage.docx")
    result = build(write_inputs(), template, tmp_path / "out")
    names = {style.name for style in Document(str(result.path)).styles}
    assert {"Quote Text", "Figure Text"} <= names and not {"Quote", "Figure"} & names
    renamed = [note for note in result.notes if "is called" in note]
    assert [note.split(":")[1] for note in renamed] == [
        " the style “Quote” is called “Quote Text” in the document",
        " the style “Figure” is called “Figure Text” in the document",
    ]
    [picture] = [note for note in result.notes if "picture" in note]
    assert re.fullmatch(
        r"vorlage\.docx: body, paragraph \d+: a picture has no alternative text: readers of the document"
        r" and its PDF learn nothing from it \(right-click it in Word › Edit Alt Text, and describe it or"
        r" mark it as decorative\)",
        picture,
    )
    assert any(
        note.startswith("vorlage.docx does not pass the accessibility check: bold-label:")
        for note in result.notes
    )
    validate_with_word(result.path)


def test_a_text_box_of_a_template_is_told_as_one(write_inputs: WriteInputs, tmp_path: Path) -> None:
    from docx.oxml import parse_xml

    from tests.test_check import TEXT_BOX

    template = make_template(tmp_path / "vorlage.docx", "{{ meta.title }}")
    document = Document(str(template))
    document.element.body.insert(0, parse_xml(TEXT_BOX))
    document.save(str(template))
    result = build(write_inputs(), template, tmp_path / "out")
    assert (
        "vorlage.docx: body, paragraph 1 “Stand: Entwurf”: a text box has no alternative text: its PDF tags"
        " it as a figure without any, and is no PDF/UA (put its text into an ordinary paragraph of the"
        " template)"
    ) in result.notes


def test_plain_text_where_a_paragraph_belongs_is_refused_before_writing(
    write_inputs: WriteInputs, tmp_path: Path
) -> None:
    """``{{p}}`` with plain text would put text straight into the body: Word would refuse the file."""
    template = make_template(tmp_path / "t.docx", "Titelseite", "{{p meta.title }}", "{{r labels.contents }}")
    message = refused(write_inputs(), template, tmp_path / "out")
    assert message.splitlines() == [
        f"{template}: body, paragraph 2 “{{{{p meta.title }}}}”: {{{{p meta.title }}}} prints plain text,"
        " where {{p …}} takes prepared content only; write {{ meta.title }} inside a paragraph",
        f"{template}: body, paragraph 3 “{{{{r labels.contents }}}}”: {{{{r labels.contents }}}} prints"
        " plain text, where {{r …}} takes prepared content only; write {{ labels.contents }} inside the"
        " paragraph's text",
    ]


def test_plain_text_in_a_paragraph_tag_found_after_rendering_is_named_at_its_paragraph(
    write_inputs: WriteInputs, tmp_path: Path
) -> None:
    """What the check before rendering cannot follow, the check of the rendered document names there."""
    template = make_template(
        tmp_path / "t.docx", "Titelseite", "{%p for t in [meta.title] %}", "{{p t }}", "{%p endfor %}"
    )
    message = refused(write_inputs(), template, tmp_path / "out")
    assert message == (
        f"{template}: body, paragraph 3 “{{{{p t }}}}”: the rendered document would be rejected by Word:"
        " text directly inside w:body (where a paragraph belongs), after “Titelseite”"
        " ({{p …}} printed plain text: {{p …}} takes prepared paragraphs; write {{ … }} inside a paragraph)"
    )


def test_a_cell_whose_loop_prints_nothing_keeps_a_paragraph(
    write_inputs: WriteInputs, tmp_path: Path
) -> None:
    document = Document()
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Partner"
    cell = table.cell(0, 1)
    cell.paragraphs[0].text = "{%p for p in [] %}"
    cell.add_paragraph("{{ p }}")
    cell.add_paragraph("{%p endfor %}")
    document.save(str(tmp_path / "t.docx"))
    result = build(write_inputs(), tmp_path / "t.docx", tmp_path / "out")
    validate_with_word(result.path)


# --- mutations of the default template ---------------------------------------------------------------

MUTATIONS = 16


def _mutate(template: bytes, seed: int) -> tuple[bytes, str]:
    """The default template with one slip at a random tag: what a hurried edit in Word might do."""
    chooser = random.Random(seed)
    package = zipfile.ZipFile(io.BytesIO(template))
    xml = package.read("word/document.xml").decode("utf-8")
    texts = [m for m in re.finditer(r"<w:t(?: [^>]*)?>([^<]*\{[{%][^<]*)</w:t>", xml)]
    match = chooser.choice(texts)
    text = match.group(1)
    kinds: list[tuple[str, Callable[[str], str]]] = [
        ("drop a closing brace", lambda t: t.replace("}}", "}", 1).replace("%}", "}", 1)),
        ("drop an opening brace", lambda t: t.replace("{{", "{", 1).replace("{%", "{", 1)),
        ("plain tag instead of p or r", lambda t: re.sub(r"\{\{[pr] ", "{{ ", t, count=1)),
        ("plain block tag instead of p or r", lambda t: re.sub(r"\{%[pr] ", "{% ", t, count=1)),
        ("paragraph tag instead of plain", lambda t: t.replace("{{ ", "{{p ", 1)),
        ("run tag instead of plain", lambda t: t.replace("{{ ", "{{r ", 1)),
        ("text beside a paragraph tag", lambda t: "Hinweis: " + t),
        ("delete the tag", lambda t: re.sub(r"\{[{%].*?[}%]\}", "", t, count=1)),
        ("misspell a field", lambda t: re.sub(r"\.([a-z_]+)", r".\1x", t, count=1)),
        ("typographic quotes", lambda t: t.replace('"', "„", 1).replace("'", "‚", 1)),
        ("p loop instead of plain loop", lambda t: t.replace("{% ", "{%p ", 1)),
    ]
    name, change = chooser.choice([(name, change) for name, change in kinds if change(text) != text])
    changed = xml[: match.start(1)] + change(text) + xml[match.end(1) :]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in package.infolist():
            data = changed.encode("utf-8") if item.filename == "word/document.xml" else package.read(item)
            target.writestr(item, data)
    return out.getvalue(), f"{name} in “{text}”"


@pytest.mark.parametrize("seed", range(MUTATIONS))
def test_a_mutated_default_template_fails_with_a_place_or_gives_a_valid_document(
    tmp_path: Path, seed: int
) -> None:
    data, slip = _mutate((ROOT / "templates" / "default.docx").read_bytes(), seed)
    template = tmp_path / "vorlage.docx"
    template.write_bytes(data)
    try:
        result = build(GOSLAR, template, tmp_path / "out")
    except TemplateError as error:  # at the paragraph, with its text
        assert re.search(
            r"(body|header \d|footer \d)(, table \d+, row \d+, cell \d+)?, paragraph \d+ “", str(error)
        ), (slip, str(error))
        return
    validate_with_word(result.path)  # exit 0: then Word must accept the document


# --- every rendered part, every place ---------------------------------------------------------------


def header_template(path: Path, header: str) -> Path:
    document = Document()
    document.add_paragraph("{{ meta.title }}")
    document.sections[0].header.paragraphs[0].text = header
    document.save(str(path))
    return path


def test_prepared_paragraphs_in_a_header_are_refused_before_rendering(tmp_path: Path) -> None:
    template = header_template(tmp_path / "kopf.docx", "{{ meta.district }} – {{ meta.note }}")
    message = refused(GOSLAR, template, tmp_path / "out")
    assert message == (
        f"{template}: header 1, paragraph 1 “{{{{ meta.district }}}} – {{{{ meta.note }}}}”:"
        " {{ meta.note }} prints paragraphs; write {{p meta.note }} in a paragraph of its own"
    )


def test_a_header_word_would_reject_is_refused_after_rendering(tmp_path: Path) -> None:
    """What the check before rendering cannot follow is found in the rendered header, at its paragraph."""
    template = header_template(tmp_path / "kopf.docx", "Kopf {% for n in [meta.note] %}{{ n }}{% endfor %}")
    message = refused(GOSLAR, template, tmp_path / "out")
    assert message.startswith(
        f"{template}: header 1, paragraph 1 “Kopf {{% for n in [meta.note] %}}{{{{ n }}}}{{% endfor %}}”:"
        " the rendered document would be rejected by Word: w:p inside w:t (Word content inside a line of"
        " text)"
    )


def test_the_kinds_of_fields_are_told_apart_by_their_path() -> None:
    """``meta.note`` holds paragraphs, ``labels.note`` a word: the last name alone cannot tell."""
    paragraph = Markup("<w:p><w:r><w:t>Hinweis</w:t></w:r></w:p>")
    kinds = prepared_kinds(
        {"meta": {"note": paragraph}, "labels": {"note": "Hinweis", "introduction": "Anlass"},
         "introduction": paragraph, "themes": [{"description": paragraph, "title": "Bildung"}]}
    )  # fmt: skip
    assert [kinds.of(p) for p in ("meta.note", "labels.note", "introduction", "labels.introduction")] == [
        "paragraphs",
        "text",
        "paragraphs",
        "text",
    ]
    assert kinds.of("themes[].description") == "paragraphs" and kinds.of(".description") == "paragraphs"
    assert kinds.of(".note") is None  # a field under a loop not followed: its name is no longer enough


def test_an_image_in_a_plain_tag_is_refused_before_rendering(tmp_path: Path) -> None:
    template = make_template(tmp_path / "t.docx", "Abbildung: {{ charts.status.image }}")
    message = refused(GOSLAR, template, tmp_path / "out")
    assert message.endswith(
        "body, paragraph 1 “Abbildung: {{ charts.status.image }}”: {{ charts.status.image }} prints an image;"
        " write {{r charts.status.image }}"
    )


def test_a_block_opened_by_a_paragraph_tag_and_closed_inside_the_text_is_named_at_both(
    write_inputs: WriteInputs, tmp_path: Path
) -> None:
    template = make_template(
        tmp_path / "t.docx", "{%p for theme in themes %}", "{{ theme.title }}", "Ende {% endfor %}"
    )
    message = refused(write_inputs(), template, tmp_path / "out")
    assert message == (
        f"{template}: body, paragraph 3 “Ende {{% endfor %}}”: {{% endfor %}} belongs to"
        " {%p for theme in themes %} (opened at body, paragraph 1 “{%p for theme in themes %}”), which is a"
        " paragraph tag ({%p): write {%p endfor %} – both ends of a block are tags of the same kind"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{{ theme.titel }}", "unknown template variable 'titel'"),
        ("{{ theme.title | shout }}", "template syntax error: No filter named 'shout'."),
        ("{{ theme.goals[5].title }}", "list object has no element 5"),
    ],
)
def test_errors_while_rendering_are_named_at_their_paragraph(
    write_inputs: WriteInputs, tmp_path: Path, text: str, message: str
) -> None:
    template = make_template(
        tmp_path / "t.docx", "{%p for theme in themes %}", "{{ theme.title }}", text, "{%p endfor %}"
    )
    assert f"{template}: body, paragraph 3 “{text}”: {message}" in refused(
        write_inputs(), template, tmp_path / "out"
    )


def test_quotes_typed_inside_a_literal_stay_as_typed(write_inputs: WriteInputs, tmp_path: Path) -> None:
    """Only the quotes around a literal are read as straight ones; an apostrophe inside it is text."""
    template = make_template(
        tmp_path / "t.docx",
        "{{ „Stand’s: “ ~ meta.version }}",
        "{{ „Titel ‚{}‘“.format(meta.title) }}",
        "{{ “Title ‘{}’”.format(meta.title) }}",
        "{{ »Stand: « ~ meta.version }}",
    )
    result = build(write_inputs(), template, tmp_path / "out")
    assert document_text(result.path) == [
        "Stand’s: 1.0",
        "Titel ‚Integrationskonzept‘",
        "Title ‘Integrationskonzept’",
        "Stand: 1.0",
    ]


# --- a template for one variant, used for another ----------------------------------------------------


def test_a_template_made_for_one_variant_and_used_for_another_is_named(tmp_path: Path) -> None:
    template = concept_builder.init_template(tmp_path, "konzept")
    options = BuildOptions(out_dir=tmp_path / "out", template=template, variant="kurzfassung")
    result = concept_builder.build_folder(GOSLAR, options)
    assert any(
        n.startswith(
            "konzept-vorlage.docx was made for the variant “konzept” (the full concept) and is used for"
        )
        and "concept-builder template init FOLDER --variant kurzfassung" in n
        for n in result.notes
    ), result.notes
    result = concept_builder.build_folder(GOSLAR, BuildOptions(out_dir=tmp_path / "own", template=template))
    assert not any("was made for the variant" in n for n in result.notes)


def test_the_command_line_says_what_one_template_for_every_variant_does(tmp_path: Path) -> None:
    template = make_template(tmp_path / "vorlage.docx", "{{ meta.title }}", "{{ variant.title }}")
    result = run(
        "build", str(GOSLAR), "--variant", "all", "--template", str(template), "-o", str(tmp_path / "o")
    )
    assert result.returncode == 0, result.stderr
    assert (
        "note: one template, vorlage.docx, is used for every variant: each document shows what it holds"
        in (result.stderr)
    )
    assert "table of contents" not in result.stdout  # the template has none: nothing to say about one


def test_template_init_for_the_extract_suggests_a_build_that_works(tmp_path: Path) -> None:
    result = run("template", "init", str(tmp_path), "--variant", "auszug")
    suggested = result.stdout.strip().splitlines()[-1]
    assert suggested.endswith(
        f'--variant auszug --for "ORGANISATION" --template {tmp_path / "auszug-vorlage.docx"}'
    )
