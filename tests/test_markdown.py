"""Free text: the fast path for plain text gives exactly what the Markdown parser gives."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from concept_builder.markdown import Converter, _bulleted, _is_plain
from concept_builder.template import default_template, open_template

STYLES = open_template(default_template()).styles


def converter() -> Converter:
    return Converter(STYLES, link_target=lambda url: "rId1", reference=lambda ref: (ref, ref))


PLAIN_ALPHABET = st.sampled_from(
    list("aäßZ09 .,;:!?-–+#>&<\"'()/%§€\t\n") + ["  ", "\n\n", "\n \n", "1. ", "- "]
)


@given(st.lists(PLAIN_ALPHABET, max_size=40).map("".join))
@example("Erster Absatz\nmit zweiter Zeile\n\n  Zweiter Absatz  ")
@example("Text\n\n\n\nNach vielen Leerzeilen")
@example("# keine Überschrift\n> kein Zitat")
@example("    eingerückt wie Code")
@example("Zeile mit zwei Leerzeichen  \nam Ende")
@example("1. Liste")
@example("3) Liste")
@example("-Text ohne Leerzeichen")
@example("a\t\na")
def test_plain_fast_path_matches_the_parser(text: str) -> None:
    if not _is_plain(text):
        return  # the parser handles it
    fast, parsed = converter(), converter()
    assert fast.plain_blocks(text, "BodyText") == parsed.parsed_blocks(text, "BodyText")


@given(
    st.lists(PLAIN_ALPHABET | st.sampled_from(["\n- ", "- ", "\n-  ", "\n- *", "\n  - "]), max_size=40).map(
        "".join
    )
)
@example("Einleitung\n\n- Erster Punkt\n- Zweiter Punkt & mehr\n\nSchluss")
@example("Einleitung\n- Punkt direkt danach")
@example("- Punkt\nfortgesetzt")
@example("- Punkt\n\n- nach Leerzeile")
@example("- Punkt \n- - verschachtelt")
@example("- Punkt\n  - eingerückt")
def test_bullet_fast_path_matches_the_parser(text: str) -> None:
    blocks = _bulleted(text)
    if blocks is None or _is_plain(text):
        return  # the parser, or the plain path, handles it
    fast, parsed = converter(), converter()
    assert fast.bulleted_blocks(blocks, "BodyText", True) == parsed.parsed_blocks(text, "BodyText", True)


@given(
    st.lists(PLAIN_ALPHABET | st.sampled_from(["\n- ", "- ", "\n-  ", "\n- *", "\n  - "]), max_size=40).map(
        "".join
    )
)
@example("Erster Absatz\nmit zweiter Zeile\n\n  Zweiter Absatz  ")
@example("Einleitung\n\n- Erster Punkt\n- Zweiter Punkt & mehr\n\nSchluss")
def test_plain_text_fast_paths_match_the_parser(text: str) -> None:
    from concept_builder.markdown import _parsed_plain_text, plain_text

    if not (_is_plain(text) or _bulleted(text) is not None):
        return  # the parser handles it
    assert plain_text(text, str) == _parsed_plain_text(text, str, "Beispielinhalt")


def test_markdown_goes_to_the_parser() -> None:
    for text in (
        "**fett**",
        "a_b",
        "[Link](https://x.de)",
        "[[ziel]]",
        "- Punkt",
        "1. Eins",
        "Zeile  \nUmbruch",
        "`c`",
    ):
        assert not _is_plain(text), text


def test_plain_text_is_the_words_the_document_prints() -> None:
    from concept_builder.markdown import plain_text

    text = (
        "Das Konzept\nist **fertig**, siehe [[m1]] und [den Bericht](https://example.org).\n\n"
        "- erstens\n  - darunter\n- zweitens\n\n1. eins\n2. zwei\n\n[[Beispielinhalt]] Erfunden."
    )
    assert plain_text(text, {"m1": "Maßnahme 2.1.3"}.__getitem__) == (
        "Das Konzept ist fertig, siehe Maßnahme 2.1.3 und den Bericht.\n"
        "• erstens\n  • darunter\n• zweitens\n1. eins\n2. zwei\nBeispielinhalt Erfunden."
    )
    assert plain_text("Zeile\numgebrochen\n\nAbsatz", str) == "Zeile umgebrochen\nAbsatz"
    assert plain_text("- eins\n- zwei", str) == "• eins\n• zwei"
