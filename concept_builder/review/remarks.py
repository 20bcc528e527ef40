"""Comments and tracked changes of a reviewed document, each located in the inputs.

A remark belongs to the source marker around its text. A tracked change
right at the edge of a marker – text typed just after a value, or just
before it, with nothing in between – belongs to that value too, since Word
and LibreOffice leave a bookmark's end where it was when text is added at
it. A comment belongs to the first value its range covers, else to the value
at its mark. What lies in no marker (fixed labels, numbers such as
"Maßnahme 2.1.3", the contents, the cover's furniture, text assembled from
several values) is listed as not from the inputs, with the paragraph it is in
and, in a header, footer, footnote or endnote, that part named. A tracked
change of formatting is listed with its passage; it is never applied, since
formatting comes from the template.

A remark on free text of several lines is placed at the line of the
paragraph it concerns, not at the line where the field starts.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import yaml

from ..errors import Location, counted
from ..load import Path_, RawConcept, dotted
from ..options import DEFAULT_VARIANT
from .reading import LINE_BREAK, Change, Piece, Reading, source_name
from .yaml_text import YamlText, compose, node_at, path_in_file

RemarkKind = Literal["comment", "insertion", "deletion", "replacement", "formatting"]
PARTS = {
    "header": "the header (Kopfzeile)",
    "footer": "the footer (Fußzeile)",
    "footnote": "a footnote",
    "endnote": "an endnote",
}
SHORT = 80  # characters of a passage shown in the text listing


@dataclass(frozen=True)
class Place:
    """Where in the inputs a remark's text comes from; ``location`` None for text not from the inputs."""

    location: Location | None
    field: str = ""
    item: str | None = None
    path: Path_ | None = None
    marker: str | None = None  # the source name (``_cbxxxxxxxxxx``)
    context: str = ""  # for text not placed in the inputs: the paragraph it is in
    unplaced: str = ""  # for text from inputs that cannot be placed: why ("no longer in the inputs")
    part: str = ""  # "" in the body, else "header", "footer", "footnote" or "endnote"

    def __str__(self) -> str:
        if self.location is None:
            where = f"{PARTS[self.part]}, " if self.part in PARTS else ""
            return f"{self.unplaced or 'not from the inputs'}, in {where}“{short(self.context, 60)}”"
        item = f" ({self.item})" if self.item else ""
        return f"{self.location}: {self.field}{item}"


@dataclass(frozen=True)
class Remark:
    kind: RemarkKind
    place: Place
    author: str
    date: str
    order: int  # position in the document
    text: str = ""  # a comment's text
    passage: str = ""  # the commented passage
    old: str = ""  # deleted text
    new: str = ""  # inserted text

    @property
    def from_inputs(self) -> bool:
        return self.place.location is not None

    def describe(self) -> str:
        """What the remark says, without where."""
        who = ", ".join(part for part in (self.author or "unknown", self.date[:10]) if part)
        if self.kind == "comment":
            on = f" on “{short(self.passage)}”" if self.passage else ""
            return f"comment by {who}: “{self.text}”{on}"
        if self.kind == "replacement":
            return f"replacement by {who}: “{short(self.old)}” → “{short(self.new)}”"
        if self.kind == "insertion":
            return f"insertion by {who}: “{short(self.new)}”"
        if self.kind == "formatting":
            return f"formatting change by {who} on “{short(self.passage)}” (formatting is never applied)"
        return f"deletion by {who}: “{short(self.old)}”"

    def __str__(self) -> str:
        return f"{self.place}: {self.describe()}"

    def to_dict(self) -> dict[str, Any]:
        location = self.place.location
        return {
            "kind": self.kind,
            "from_inputs": self.from_inputs,
            "file": str(location.file) if location else None,
            "line": location.line if location else None,
            "cell": location.cell if location else None,
            "field": self.place.field or None,
            "item": self.place.item,
            "context": None if location else self.place.context,
            "part": self.place.part or "body",
            "not_placed": self.place.unplaced or None,
            "author": self.author,
            "date": self.date,
            "text": self.text if self.kind == "comment" else None,
            "passage": self.passage if self.kind in ("comment", "formatting") else None,
            "old": self.old if self.kind not in ("comment", "formatting") else None,
            "new": self.new if self.kind not in ("comment", "formatting") else None,
        }


def short(text: str, limit: int = SHORT) -> str:
    """``text`` on one line, shortened to ``limit`` characters; a paragraph break shows as ¶."""
    text = " ".join(text.replace("\n", " ¶ ").replace(LINE_BREAK, " ↵ ").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def owners(pieces: list[Piece]) -> list[str | None]:
    """The marker each piece belongs to: its own, or for a change at a marker's edge, that marker's."""
    owner = [piece.marker for piece in pieces]
    index = 0
    while index < len(pieces):
        if pieces[index].kind == "normal" or owner[index] is not None:
            index += 1
            continue
        end = index
        while end + 1 < len(pieces) and pieces[end + 1].kind != "normal" and owner[end + 1] is None:
            end += 1
        found = _edge_marker(pieces, owner, index, end)
        for position in range(index, end + 1):
            owner[position] = found
        index = end + 1
    return owner


def _edge_marker(pieces: list[Piece], owner: list[str | None], first: int, last: int) -> str | None:
    """The marker a change outside every marker belongs to: the value just before it, else the one
    just after it, in the same paragraph. A value that is changed too comes first: deleting
    ``, B`` from ``A, B`` deletes the entry B, not a comma of A."""
    paragraph = pieces[first].paragraph
    before, after = first - 1, last + 1
    found_before = (
        owner[before]
        if before >= 0 and pieces[before].paragraph == paragraph and pieces[before].text != "\n"
        else None
    )
    found_after = owner[after] if after < len(pieces) and pieces[after].paragraph == paragraph else None
    if found_before and found_after and pieces[before].kind == "normal" and pieces[after].kind != "normal":
        return found_after
    return found_before or found_after


class Locator:
    """Finds the place in the inputs of each marker, from the inputs as they are now.

    ``unplaced`` says why a marker that is not found in ``names`` cannot be
    placed ("no longer in the inputs"); without it, such text is taken as not
    from the inputs at all.
    """

    def __init__(
        self, raw: RawConcept, names: dict[str, Path_], reading: Reading, unplaced: str = ""
    ) -> None:
        self.raw = raw
        self.names = names
        self.reading = reading
        self.unplaced = unplaced
        self._trees: dict[Path, tuple[list[str], Any]] = {}  # file → its lines and node tree

    def place(self, marker: str | None, piece_index: int) -> Place:
        source = source_name(marker) if marker else None
        path = self.names.get(source) if source else None
        pieces = self.reading.pieces
        part = pieces[min(piece_index, len(pieces) - 1)].part if pieces else ""
        if path is None:
            context = self.paragraph_text(piece_index)
            return Place(
                None, context=context, marker=source, unplaced=self.unplaced if source else "", part=part
            )
        location = self.raw.location(path)
        value = self.raw.value(path)
        if location is not None and location.line and isinstance(value, str) and "\n" in value.strip():
            line = self.line_inside(location, path, source or "", piece_index)
            if line is not None:
                location = replace(location, line=line)
        return Place(location, dotted(path), self.item(path), path, source, part=part)

    def item(self, path: Path_) -> str | None:
        """The id of the nearest entry along ``path`` that has one."""
        found = None
        for length in range(1, len(path)):
            value = self.raw.value(path[:length])
            if isinstance(value, dict) and isinstance(value.get("id"), str):
                found = value["id"]
        return found

    def paragraph_text(self, piece_index: int) -> str:
        pieces = self.reading.pieces
        if not pieces:
            return ""
        paragraph = pieces[min(piece_index, len(pieces) - 1)].paragraph
        return "".join(p.text for p in pieces if p.paragraph == paragraph and p.kind != "deleted").strip()

    def line_inside(self, location: Location, path: Path_, source: str, piece_index: int) -> int | None:
        """The line, inside a value of several lines, of the words at ``piece_index``.

        The words around the piece (as the document printed them) are looked
        for in the value's lines, its Markdown set aside; the paragraph's first
        words where those are not found on one line.
        """
        tree = self._tree(location.file)
        if tree is None or not self.reading.pieces:
            return None
        lines, root = tree
        node, _ = node_at(root, path_in_file(self.raw.locations, path, location.file))
        if node is None:
            return None
        first, last = node.start_mark.line + 1, node.end_mark.line  # 0-based, the lines after the key
        pieces = self.reading.pieces
        at = min(piece_index, len(pieces) - 1)
        paragraph = pieces[at].paragraph
        text, offset = "", 0
        for index, piece in enumerate(pieces):
            if piece.paragraph != paragraph:
                continue
            if index == at:
                offset = len(text)
            if piece.kind == "inserted" or piece.text == "\n" or piece.marker is None:
                continue
            if source_name(piece.marker) == source:
                text += piece.text
        windows = [text[offset : offset + 30], text[max(offset - 30, 0) : offset], text[:30]]
        for window in windows:
            wanted = _plain(window)
            if len(wanted) < 6:
                continue
            for number in range(first, min(last + 1, len(lines))):
                if wanted in _plain(lines[number]):
                    return number + 1
        return None

    def _tree(self, file: Path) -> tuple[list[str], Any] | None:
        if file not in self._trees:
            try:
                text = YamlText.decode(file.read_bytes()).text
                self._trees[file] = (text.split("\n"), compose(text))
            except (OSError, UnicodeDecodeError, yaml.YAMLError):
                return None
        return self._trees[file]


def _plain(text: str) -> str:
    """Words as compared between the document and a line of Markdown: emphasis, list marks and
    spacing set aside."""
    text = re.sub(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+", "", text)
    return " ".join(re.sub(r"[*_`\\]|\[\[|\]\]", "", text).split())


def find_remarks(reading: Reading, locator: Locator) -> list[Remark]:
    """Every comment and tracked change of the document, located, in document order."""
    pieces = reading.pieces
    owner = owners(pieces)
    remarks = [
        *_changes(pieces, owner, locator),
        *_formatting(pieces, owner, locator),
        *_comments(reading, owner, locator),
    ]
    remarks.sort(key=lambda remark: (remark.order, remark.kind != "comment"))
    return remarks


def _changes(pieces: list[Piece], owner: list[str | None], locator: Locator) -> list[Remark]:
    remarks = []
    index = 0
    while index < len(pieces):
        piece = pieces[index]
        if piece.kind == "normal":
            index += 1
            continue
        change = piece.change
        end = index
        while (
            end + 1 < len(pieces)
            and pieces[end + 1].kind != "normal"
            and owner[end + 1] == owner[index]
            and _same_author(pieces[end + 1].change, change)
        ):
            end += 1
        group = pieces[index : end + 1]
        old = "".join(p.text for p in group if p.kind == "deleted")
        new = "".join(p.text for p in group if p.kind == "inserted")
        # a paragraph split or joined counts too, and a line break inserted
        if old.strip() or new.strip() or "\n" in old + new or LINE_BREAK in new:
            kind: RemarkKind = "replacement" if old and new else ("insertion" if new else "deletion")
            remarks.append(
                Remark(
                    kind,
                    locator.place(owner[index], index),
                    change.author if change else "",
                    change.date if change else "",
                    index,
                    old=old,
                    new=new,
                )
            )
        index = end + 1
    return remarks


def _formatting(pieces: list[Piece], owner: list[str | None], locator: Locator) -> list[Remark]:
    """Each tracked change of formatting, once per value (or stretch of text not from the inputs) it
    covers."""
    remarks = []
    index = 0
    while index < len(pieces):
        change = pieces[index].formatting
        if change is None or pieces[index].text == "\n":
            index += 1
            continue
        end = index
        while (
            end + 1 < len(pieces) and pieces[end + 1].formatting == change and owner[end + 1] == owner[index]
        ):
            end += 1
        passage = "".join(p.text for p in pieces[index : end + 1] if p.kind != "deleted").strip()
        if passage:
            remarks.append(
                Remark(
                    "formatting",
                    locator.place(owner[index], index),
                    change.author,
                    change.date,
                    index,
                    passage=passage,
                )
            )
        index = end + 1
    return remarks


def _same_author(one: Change | None, other: Change | None) -> bool:
    return (one.author if one else "") == (other.author if other else "")


def _comments(reading: Reading, owner: list[str | None], locator: Locator) -> list[Remark]:
    remarks = []
    pieces = reading.pieces
    covered: dict[str, list[int]] = {}
    for index, piece in enumerate(pieces):
        for identifier in piece.comments:
            covered.setdefault(identifier, []).append(index)
    for identifier, comment in reading.comments.items():
        indices = covered.get(identifier, [])
        passage = "".join(pieces[i].text for i in indices if pieces[i].kind != "deleted").strip()
        marked = [i for i in indices if owner[i] and pieces[i].text.strip()]
        at = marked[0] if marked else (indices[0] if indices else comment.anchor)
        marker = owner[at] if at < len(owner) else None
        remarks.append(
            Remark(
                "comment",
                locator.place(marker, at),
                comment.author,
                comment.date,
                indices[0] if indices else comment.anchor,
                text=comment.text,
                passage=passage,
            )
        )
    return remarks


@dataclass
class Review:
    """The remarks of a reviewed document, located in the inputs as they are now."""

    input_dir: Path
    document: Path
    reading: Reading
    locator: Locator
    remarks: list[Remark] = field(default_factory=list)
    recorded_digest: str | None = None  # the digest of the inputs the document was built from
    current_digest: str = ""
    variant: str = DEFAULT_VARIANT
    for_name: str | None = None
    recorded_concept: str | None = None  # the title and district of the concept it was built from
    current_concept: str | None = None  # those of the concept in ``input_dir``
    untracked: bool = False  # whether edits made without tracking are looked for too (apply's ``untracked``)

    @property
    def inputs_changed(self) -> bool:
        """Whether the inputs differ from those the document was built from (or it does not say)."""
        return self.recorded_digest != self.current_digest

    @property
    def other_concept(self) -> bool:
        """Whether the document says it was built from another concept than the one in ``input_dir``."""
        return bool(self.recorded_concept and self.current_concept) and (
            self.recorded_concept != self.current_concept
        )

    def by_file(self) -> list[tuple[str, list[Remark]]]:
        """The remarks grouped by input file, files in the order the document first shows them; then
        remarks on text from the inputs that cannot be placed, by why; those on text not from the inputs
        last ("")."""
        groups: dict[tuple[int, str], list[Remark]] = {}
        for remark in self.remarks:
            place = remark.place
            key = (
                (0, str(place.location.file))
                if place.location
                else (1, place.unplaced)
                if place.unplaced
                else (2, "")
            )
            groups.setdefault(key, []).append(remark)
        return [(name, groups[(rank, name)]) for rank, name in sorted(groups, key=lambda key: key[0])]

    def summary(self) -> str:
        comments = sum(1 for r in self.remarks if r.kind == "comment")
        changes = len(self.remarks) - comments
        outside = sum(1 for r in self.remarks if not r.from_inputs and not r.place.unplaced)
        unplaced = sum(1 for r in self.remarks if r.place.unplaced)
        text = f"{counted(comments, 'comment')} and {counted(changes, 'tracked change')}"
        notes = [f"{outside:,} on text not from the inputs"] * bool(outside)
        notes += [f"{unplaced:,} not placed in the inputs"] * bool(unplaced)
        return text + (f" ({'; '.join(notes)})" if notes else "")

    def to_text(self) -> str:
        lines = []
        if self.other_concept:
            lines.append(
                f"note: {self.document} was built from another concept (“{self.recorded_concept}”), not from"
                f" the one in {self.input_dir} (“{self.current_concept}”): its remarks are listed without"
                " places (review it against the folder it was built from)"
            )
        elif self.recorded_digest is None:
            lines.append(
                f"note: {self.document} does not record the inputs it was built from; places are found"
                " by the markers alone"
            )
        elif self.inputs_changed:
            lines.append(
                f"note: the inputs changed since {self.document} was built: each remark is placed at its"
                " value as the inputs are now, and places may have moved (an entry without an id is found"
                " by its content: a key figure by its indicator, a person by the name); check each place"
            )
        for name, remarks in self.by_file():
            lines.append(
                f"{name}:"
                if name
                else "not from the inputs (labels, numbering, contents, cover, headers, footers):"
            )
            # a remark is one line; the further lines of a comment are indented under it
            lines.extend("  " + str(remark).replace("\n", "\n      ") for remark in remarks)
        lines.append(self.summary())
        if not self.untracked:
            # Word shows no trace of them, so a reviewer may not know they were made
            lines.append(
                "note: edits made without tracking changes are not listed;"
                " --apply --untracked finds them by comparing with a fresh build"
            )
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "document": str(self.document),
            "input_dir": str(self.input_dir),
            "variant": self.variant,
            "inputs_changed": self.inputs_changed,
            "other_concept": self.other_concept,
            "remarks": [remark.to_dict() for remark in self.remarks],
        }

    def to_json(self) -> str:
        """The remarks as JSON."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)
