"""Prepared Word XML for one document: free text, links, bookmarks.

One ``Fragments`` per document hands out the relationship id of every web
link and the numbering instance of every numbered list, and keeps them for
the render stage (``hyperlinks``, ``numbered_lists``), so that nothing about
them has to be agreed on elsewhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from markupsafe import Markup

from .. import word
from ..markdown import Converter
from ..markers import around_markup, marked_text
from ..options import Variant
from ..sources import source_of, spans_of
from ..structure import Structure
from ..word import ListInstance, StyleMap
from ..wording import Wording

HYPERLINK_ID_PREFIX = "rIdCbLink"  # relationship ids of web links; templates use other ones


class Fragments:
    """Word XML in the styles of one document, with links only to what this variant shows."""

    def __init__(self, structure: Structure, variant: Variant, styles: StyleMap, wording: Wording) -> None:
        self.structure = structure
        self.variant = variant
        self.styles = styles
        self.wording = wording
        self.hyperlinks: dict[str, str] = {}  # URL → relationship id
        self.markdown = Converter(styles, self.relationship, self.reference, wording["example"])

    @property
    def numbered_lists(self) -> list[ListInstance]:
        """The numbering instances the numbered lists use, each to restart at 1."""
        return self.markdown.numbered_lists

    def relationship(self, url: str) -> str:
        return self.hyperlinks.setdefault(url, f"{HYPERLINK_ID_PREFIX}{len(self.hyperlinks) + 1}")

    def blocks(self, text: str | None, role: str = "body", *, keep_next: bool = False) -> Markup:
        """Markdown as paragraphs and lists; ``keep_next`` keeps them on the page of what follows."""
        return around_markup(self.markdown.blocks(text, role, keep_next=keep_next), source_of(text))

    def quote(self, text: str, lang: str | None) -> Markup:
        """A quotation as paragraphs in the quote style, in quotation marks of the document's language.

        A blank line starts a new paragraph. ``lang`` ("en-US") marks the words as
        spoken in another language; the marks belong to the document's.
        """
        style = self.styles["quote"]
        source = source_of(text)
        # as typed: a line break stays one, a blank line starts a new paragraph
        paragraphs = [block.strip() for block in re.split(r"\n[ \t]*\n", text.strip()) if block.strip()]
        out = []
        for index, words in enumerate(paragraphs):
            # the marker holds the words alone: the quotation marks are the document's, not the input's
            runs = str(around_markup(Markup(word.text_runs(words, lang=lang)), source))
            if index == 0:
                runs = word.text_runs(self.wording["quote_open"]) + runs
            if index == len(paragraphs) - 1:
                runs += word.text_runs(self.wording["quote_close"])
            out.append(word.paragraph(runs, style=style, keep_next=True))
        return word.join(out)

    def bullets(self, items: Iterable[str], *, loose: bool = False) -> Markup:
        """A bullet list of Markdown items, each marked with its source; ``loose``: blank lines between."""
        entries = list(items)
        joined = self.markdown.blocks(("\n\n" if loose else "\n").join(_list_item(item) for item in entries))
        paragraphs = str(joined).split("</w:p>")[:-1]
        if len(paragraphs) != len(entries):  # an entry of several paragraphs: the list stays unmarked
            return joined
        return word.join(
            around_markup(Markup(paragraph + "</w:p>"), source_of(entry))
            for paragraph, entry in zip(paragraphs, entries, strict=True)
        )

    def runs(self, text: str) -> Markup:
        """A run of plain text, marked with its source; text put together from several values
        (``sources.assembled``) with a marker for each."""
        source = source_of(text)
        if source or not spans_of(text):
            return around_markup(Markup(word.text_runs(text)), source)
        return Markup(f'<w:r><w:t xml:space="preserve">{marked_text(text, word.text_content)}</w:t></w:r>')

    def target(self, identifier: str) -> str:
        """The bookmark of a theme, goal or measure, if this variant of the document has it."""
        if self.structure.kind(identifier) not in self.variant.links_to or not self.structure.shown(
            identifier
        ):
            return ""
        return self.structure.nodes[identifier].anchor

    def reference(self, identifier: str) -> tuple[str, str]:
        """What ``[[id]]`` prints ("Maßnahme 2.1.3") and where it links ("" where there is no target)."""
        node = self.structure.nodes[identifier]
        return self.wording.numbered(self.structure.kind(identifier), node.number), self.target(identifier)

    def link(self, identifier: str, text: str) -> str:
        """An internal link to the item, or plain text where the item is not in this document."""
        target = self.target(identifier)
        if not target:
            return word.text_runs(text)
        return word.internal_link(target, word.text_runs(text, style=self.styles["hyperlink"]))

    def link_list(self, items: Iterable[tuple[str, str]]) -> Markup:
        """Internal links (id, text), one per line, as runs inside a paragraph."""
        parts = []
        for index, (identifier, text) in enumerate(items):
            if index:
                parts.append(word.text_runs("\n"))
            parts.append(self.link(identifier, text))
        return word.join(parts)

    def number_links(self, items: list[tuple[str, str]], wording: Wording) -> Markup:
        """Numbers as links, in a sentence: ``1.2.1, 2.2.1 und 5.3.1``."""
        parts = []
        for index, (identifier, number) in enumerate(items):
            if index:
                last = index == len(items) - 1
                parts.append(word.text_runs(f" {wording['and']} " if last else ", "))
            parts.append(self.link(identifier, number))
        return word.join(parts)

    def anchor(self, identifier: str) -> Markup:
        """The bookmark of a theme, goal or measure, to place at its heading."""
        return Markup(word.bookmark(self.structure.nodes[identifier].anchor))

    def external(self, url: str, text: str | None = None) -> Markup:
        """A web link showing ``text``, or its address."""
        shown = text or url
        runs = word.text_runs(shown, style=self.styles["hyperlink"])
        return around_markup(Markup(word.external_link(self.relationship(url), runs)), source_of(shown))


def _list_item(text: str) -> str:
    """``text`` as one item of a Markdown bullet list: its further lines indented under the bullet."""
    return "- " + text.strip().replace("\n", "\n  ")
