"""Free text in a small Markdown subset, turned into Word paragraphs.

Parsing is markdown-it-py's; this module only maps its tokens to
WordprocessingML: paragraphs, bold, italic, bullet and numbered lists, line
breaks and links. Everything else in the text stays literal.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup

from . import word
from .word import StyleMap

SAFE_SCHEMES = ("http://", "https://", "mailto:")
REFERENCE = re.compile(r"\[\[([A-Za-z0-9][A-Za-z0-9_.\-]*)\]\]")
"""``[[bildung-m1]]`` in free text: a reference to a theme, goal or measure by its id."""
EXAMPLE_MARK = "Beispielinhalt"
"""``[[Beispielinhalt]]`` in free text marks the sentences after it as illustrative (not an id)."""

LinkTarget = Callable[[str], str]
"""Gives the relationship id for an external URL."""
Reference = Callable[[str], tuple[str, str]]
"""Gives the printed label and the bookmark name for a referenced id."""

# Text with none of these needs no parser: no emphasis, links, references,
# escapes, code, lists or hard line breaks can start without them.
_MARKDOWN_CHARACTERS = re.compile(r"[*_\[\]`\\]|^[ \t]*(?:[-+]|\d{1,9}[.)])(?:[ \t]|$)| {2,}$", re.MULTILINE)
_BLANK_LINES = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)*")


def _is_plain(text: str) -> bool:
    # tabs: the parser keeps a tab before a line break, which the fast path would not
    return (
        "\t" not in text and "\r" not in text and "\x00" not in text and not _MARKDOWN_CHARACTERS.search(text)
    )


def _bulleted(text: str) -> list[tuple[bool, list[str]]] | None:
    """The blocks of a text whose only Markdown is top-level bullet items of one line ("- Punkt").

    Each block is (whether it is an item, its lines). None for any other
    text: nested or continued items, items after spaces, anything else the
    parser would read (see ``_is_plain``). Measures' descriptions are mostly
    of this kind; the parser costs a millisecond each.
    """
    if "\t" in text or "\r" in text or "\x00" in text:
        return None
    blocks: list[tuple[bool, list[str]]] = []
    lines: list[str] = []
    after_item = False
    for line in text.split("\n"):
        if not line.strip():
            if lines:
                blocks.append((False, lines))
                lines = []
            after_item = False
        elif line.startswith("- ") and len(line) > 2 and not line[2].isspace():
            item = line[2:]
            if _MARKDOWN_CHARACTERS.search(item):
                return None
            if lines:  # an item ends the paragraph before it
                blocks.append((False, lines))
                lines = []
            blocks.append((True, [item.strip()]))
            after_item = True
        elif after_item or line[0].isspace() or _MARKDOWN_CHARACTERS.search(line):
            return None  # continues an item, is indented, or has other Markdown
        else:
            lines.append(line.strip())
    if lines:
        blocks.append((False, lines))
    return blocks


_RULES = ["emphasis", "list", "link", "newline", "escape", "backticks"]


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("zero").enable(_RULES)


@lru_cache(maxsize=1)
def _permissive_parser() -> MarkdownIt:
    """Accepts every link target, so that validation can name the ones we refuse."""
    parser = MarkdownIt("zero").enable(_RULES)
    parser.validateLink = lambda url: True  # type: ignore[method-assign]
    return parser


def parse(text: str) -> list[Token]:
    return _parser().parse(text)


def link_targets(text: str) -> list[str]:
    """Every link target written in ``text``, in order, including unsafe ones."""
    return [target for _, target in links(text)]


def links(text: str) -> list[tuple[str, str]]:
    """Every link written in ``text`` as (its text, its target), in order, including unsafe ones."""
    found: list[tuple[str, str]] = []
    for token in _permissive_parser().parse(text):
        target: str | None = None
        words: list[str] = []
        for child in token.children or ():
            if child.type == "link_open":
                target, words = str(child.attrs.get("href", "")), []
            elif child.type == "link_close" and target is not None:
                found.append(("".join(words), target))
                target = None
            elif target is not None and child.type in ("text", "code_inline"):
                words.append(child.content)
    return found


@dataclass(frozen=True)
class _ListPlan:
    """The list instance a list's items are numbered in (None: their styles number them), and the kind
    it gives each depth; an item of another kind at a depth keeps its style's own list."""

    number: int | None
    kinds: tuple[str, ...]
    style: str | None = None  # the style of every item numbered in the list, where not its level's

    def numbering(self, depth: int, kind: str) -> tuple[int, int] | None:
        if self.number is None or depth > len(self.kinds) or self.kinds[depth - 1] != kind:
            return None
        return self.number, depth - 1


def _list_kinds(tokens: list[Token], start: int) -> tuple[str, ...]:
    """The kind ("bullet" or "number") of the list opened at ``tokens[start]`` at each depth (up to 3),
    as its first list at that depth has it."""
    kinds: list[str] = []
    depth = 0
    for token in tokens[start:]:
        if token.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
            if depth > len(kinds) and depth <= 3:
                kinds.append("bullet" if token.type == "bullet_list_open" else "number")
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
            if depth == 0:
                break
    return tuple(kinds)


class Converter:
    """Turns Markdown into paragraphs in the document's styles (``styles`` gives their ids)."""

    def __init__(
        self, styles: StyleMap, link_target: LinkTarget, reference: Reference, example: str = EXAMPLE_MARK
    ) -> None:
        self.styles = styles
        self.link_target = link_target
        self.reference = reference
        self.example = example  # what [[Beispielinhalt]] prints, in the document's language
        self.marked_example = False  # whether some text marked itself illustrative
        # Each numbered list – and each list nesting the other kind – gets its own list instance, so
        # that it starts at 1 and stays one list; the render stage adds them to the document's numbering.
        self.numbered_lists: list[word.ListInstance] = []

    def blocks(self, text: str | None, role: str = "body", *, keep_next: bool = False) -> Markup:
        """Paragraphs and lists; plain paragraphs take the style of ``role`` (body text unless said).

        ``keep_next`` keeps every paragraph on the page of what follows (a measure's
        description with its profile).
        """
        if not text:
            return word.EMPTY
        style = self.styles[role]
        if _is_plain(text):
            return self.plain_blocks(text, style, keep_next)
        bulleted = _bulleted(text)
        if bulleted is not None:
            return self.bulleted_blocks(bulleted, style, keep_next)
        return self.parsed_blocks(text, style, keep_next)

    def plain_blocks(self, text: str, style: str, keep_next: bool = False) -> Markup:
        """Text without Markdown: paragraphs at blank lines, as the parser would make them, but faster."""
        out = []
        for block in _BLANK_LINES.split(text.strip()):
            lines = [line.strip() for line in block.split("\n")]
            runs = word.text_runs(" ").join(word.text_runs(line) for line in lines if line)
            if runs:
                out.append(word.paragraph(runs, style=style, keep_next=keep_next))
        return word.join(out)

    def bulleted_blocks(self, blocks: list[tuple[bool, list[str]]], style: str, keep_next: bool) -> Markup:
        """Paragraphs and bullet items (``_bulleted``), as the parser would make them, but faster."""
        out = []
        for is_item, lines in blocks:
            runs = word.text_runs(" ").join(word.text_runs(line) for line in lines)
            item_style = self.styles["list_bullet"] if is_item else style
            out.append(word.paragraph(runs, style=item_style, keep_next=keep_next))
        return word.join(out)

    def parsed_blocks(self, text: str, style: str, keep_next: bool = False) -> Markup:
        out: list[str] = []
        lists: list[str] = []  # "bullet" or "number", innermost last
        plan = _ListPlan(None, ())
        tokens = parse(text)
        for index, token in enumerate(tokens):
            if token.type in ("bullet_list_open", "ordered_list_open"):
                lists.append("bullet" if token.type == "bullet_list_open" else "number")
                if len(lists) == 1:
                    plan = self.list_plan(_list_kinds(tokens, index))
            elif token.type in ("bullet_list_close", "ordered_list_close"):
                lists.pop()
            elif token.type == "inline":
                runs = self.inline(token.children or [])
                if lists:
                    depth = min(len(lists), 3)
                    role = f"list_{lists[-1]}" + (f"_{depth}" if depth > 1 else "")
                    numbering = plan.numbering(depth, lists[-1])
                    out.append(
                        word.paragraph(
                            runs,
                            style=(plan.style if numbering and plan.style else self.styles[role]),
                            numbering=numbering,
                            keep_next=keep_next,
                        )
                    )
                else:
                    out.append(word.paragraph(runs, style=style, keep_next=keep_next))
        return word.join(out)

    def list_plan(self, kinds: tuple[str, ...]) -> _ListPlan:
        """How the items of one list (``kinds``: its kind at each depth) are numbered.

        A list whose styles are levels of one list in the template (``StyleMap.nests``) gives its
        items that list and their level, in an instance of its own where it is numbered or nests the
        other kind; its styles alone number a list of bullets. Where the template keeps each level in
        a list of its own, a nested list becomes one list: every item in the top style, its first
        level marked as the template's, the deeper levels as in our own look; a flat numbered list
        restarts at 1.
        """
        top = kinds[0]
        nests = all(self.styles.nests(kind) for kind in set(kinds))
        if not nests and len(kinds) > 1:
            # each level a list of its own (as in Word's own list styles, which a design may bring):
            # one list of the top style's first level and our deeper ones, every item in the top
            # style, so that levels look apart and keep no space between them, and nest in a PDF
            number = self.styles.first_list_instance + len(self.numbered_lists)
            self.numbered_lists.append(word.ListInstance(number, top, levels=kinds))
            return _ListPlan(number, kinds, self.styles[f"list_{top}"])
        if not nests:
            if top != "number":
                return _ListPlan(None, kinds[:1])
            number = self.styles.first_list_instance + len(self.numbered_lists)
            self.numbered_lists.append(word.ListInstance(number, "number"))
            return _ListPlan(number, kinds[:1])
        if all(kind == "bullet" for kind in kinds):
            return _ListPlan(None, ())  # the styles number them, level by level
        number = self.styles.first_list_instance + len(self.numbered_lists)
        others = tuple(level for level, kind in enumerate(kinds) if kind != top)
        self.numbered_lists.append(word.ListInstance(number, top, others))
        return _ListPlan(number, kinds)

    def inline(self, children: list[Token]) -> str:
        out: list[str] = []
        bold = italic = 0
        link: str | None = None
        link_runs: list[str] = []
        for child in children:
            target = link_runs if link is not None else out
            if child.type == "strong_open":
                bold += 1
            elif child.type == "strong_close":
                bold -= 1
            elif child.type == "em_open":
                italic += 1
            elif child.type == "em_close":
                italic -= 1
            elif child.type == "link_open":
                link, link_runs = str(child.attrs.get("href", "")), []
            elif child.type == "link_close" and link is not None:
                if link.startswith(SAFE_SCHEMES):
                    out.append(word.external_link(self.link_target(link), "".join(link_runs)))
                else:
                    out.extend(link_runs)
                link = None
            elif child.type == "text" and link is None:
                target.extend(self.text_with_references(child.content, bold=bold > 0, italic=italic > 0))
            elif child.type in ("text", "code_inline"):
                style = self.styles["hyperlink"] if link is not None else None
                target.append(word.text_runs(child.content, bold=bold > 0, italic=italic > 0, style=style))
            elif child.type == "softbreak":
                target.append(word.text_runs(" "))
            elif child.type == "hardbreak":
                target.append(word.text_runs("\n"))
        return "".join(out)

    def text_with_references(self, text: str, *, bold: bool, italic: bool) -> list[str]:
        """Runs for ``text`` in which each ``[[id]]`` becomes a link showing the item's number."""
        runs = []
        position = 0
        for match in REFERENCE.finditer(text):
            if match.start() > position:
                runs.append(word.text_runs(text[position : match.start()], bold=bold, italic=italic))
            position = match.end()
            if match.group(1) == EXAMPLE_MARK:
                self.marked_example = True
                runs.append(word.text_runs(self.example, style=self.styles["example_tag"] or None))
                continue
            label, anchor = self.reference(match.group(1))
            if anchor:
                link_runs = word.text_runs(label, bold=bold, italic=italic, style=self.styles["hyperlink"])
                runs.append(word.internal_link(anchor, link_runs))
            else:  # the item has no heading in this document: its number as text
                runs.append(word.text_runs(label, bold=bold, italic=italic))
        if position < len(text):
            runs.append(word.text_runs(text[position:], bold=bold, italic=italic))
        return runs


Label = Callable[[str], str]
"""Gives what ``[[id]]`` prints for an id ("Maßnahme 2.1.3")."""


def plain_text(text: str, label: Label, example: str = EXAMPLE_MARK) -> str:
    """Markdown as the words the document prints: a line per paragraph or list item.

    Bold and italic are their words, a link its text, ``[[id]]`` what ``label``
    gives ("Maßnahme 2.1.3"); a list item starts with "• " or its number,
    indented by two spaces a level; a line wrapped in the inputs is a space,
    as in the document. What a change log compares.
    """
    if _is_plain(text):
        return "\n".join(
            " ".join(line.strip() for line in block.split("\n") if line.strip())
            for block in _BLANK_LINES.split(text.strip())
            if block.strip()
        )
    bulleted = _bulleted(text)
    if bulleted is not None:
        return "\n".join(("• " if is_item else "") + " ".join(lines) for is_item, lines in bulleted)
    return _parsed_plain_text(text, label, example)


def _parsed_plain_text(text: str, label: Label, example: str) -> str:
    lines: list[str] = []
    lists: list[list[int]] = []  # per open list: its next number, or -1 for bullets
    new_item = False
    for token in parse(text):
        if token.type == "bullet_list_open":
            lists.append([-1])
        elif token.type == "ordered_list_open":
            lists.append([int(str(token.attrs.get("start", 1)))])
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif token.type == "list_item_open":
            new_item = True
        elif token.type == "inline":
            words = _plain_inline(token.children or [], label, example)
            if not lists:
                lines.append(words)
                continue
            indent = "  " * (len(lists) - 1)
            if new_item:
                number = lists[-1][0]
                marker = "• " if number < 0 else f"{number}. "
                if number >= 0:
                    lists[-1][0] += 1
                lines.append(indent + marker + words)
            else:  # a further paragraph of the same item
                lines.append(indent + "  " + words)
            new_item = False
    return "\n".join(lines)


def _plain_inline(children: list[Token], label: Label, example: str) -> str:
    parts: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type == "softbreak":
            parts.append(" ")
        elif child.type == "hardbreak":
            parts.append("\n")
    return REFERENCE.sub(lambda m: example if m[1] == EXAMPLE_MARK else label(m[1]), "".join(parts))
