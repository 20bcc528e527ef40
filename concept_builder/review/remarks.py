"""Comments and tracked changes of a reviewed document, each located in the inputs.

A remark belongs to the source marker around its text. A tracked change
right at the edge of a marker – text typed just after a value, or just
before it, with nothing in between – belongs to that value too, since Word
and LibreOffice leave a bookmark's end where it was when text is added at
it. A comment belongs to the first value its range covers, else to the value
at its mark. What lies in no marker (fixed labels, numbers such as
"Maßnahme 2.1.3", the contents, the cover's furniture, text assembled from
several values) is listed as not from the inputs, with the paragraph it is in.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ..errors import Location, counted
from ..load import Path_, RawConcept, dotted
from ..options import DEFAULT_VARIANT
from .reading import Change, Piece, Reading, source_name

RemarkKind = Literal["comment", "insertion", "deletion", "replacement"]
SHORT = 80  # characters of a passage shown in the text listing


@dataclass(frozen=True)
class Place:
    """Where in the inputs a remark's text comes from; ``location`` None for text not from the inputs."""

    location: Location | None
    field: str = ""
    item: str | None = None
    path: Path_ | None = None
    marker: str | None = None  # the source name (``_cbxxxxxxxxxx``)
    context: str = ""  # for text not from the inputs: the paragraph it is in

    def __str__(self) -> str:
        if self.location is None:
            return f"not from the inputs, in “{_short(self.context, 60)}”"
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
            on = f" on “{_short(self.passage)}”" if self.passage else ""
            return f"comment by {who}: “{self.text}”{on}"
        if self.kind == "replacement":
            return f"replacement by {who}: “{_short(self.old)}” → “{_short(self.new)}”"
        if self.kind == "insertion":
            return f"insertion by {who}: “{_short(self.new)}”"
        return f"deletion by {who}: “{_short(self.old)}”"

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
            "author": self.author,
            "date": self.date,
            "text": self.text if self.kind == "comment" else None,
            "passage": self.passage if self.kind == "comment" else None,
            "old": self.old if self.kind != "comment" else None,
            "new": self.new if self.kind != "comment" else None,
        }


def _short(text: str, limit: int = SHORT) -> str:
    text = " ".join(text.split())
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
    paragraph = pieces[first].paragraph
    before = first - 1
    if (
        before >= 0
        and pieces[before].paragraph == paragraph
        and owner[before]
        and pieces[before].text != "\n"
    ):
        return owner[before]
    after = last + 1
    if after < len(pieces) and pieces[after].paragraph == paragraph and owner[after]:
        return owner[after]
    return None


class Locator:
    """Finds the place in the inputs of each marker, from the inputs as they are now."""

    def __init__(self, raw: RawConcept, names: dict[str, Path_], reading: Reading) -> None:
        self.raw = raw
        self.names = names
        self.reading = reading

    def place(self, marker: str | None, piece_index: int) -> Place:
        source = source_name(marker) if marker else None
        path = self.names.get(source) if source else None
        if path is None:
            return Place(None, context=self.paragraph_text(piece_index))
        return Place(self.raw.location(path), dotted(path), self.item(path), path, source)

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


def find_remarks(reading: Reading, locator: Locator) -> list[Remark]:
    """Every comment and tracked change of the document, located, in document order."""
    pieces = reading.pieces
    owner = owners(pieces)
    remarks = [*_changes(pieces, owner, locator), *_comments(reading, owner, locator)]
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
        if old.strip() or new.strip():
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

    @property
    def inputs_changed(self) -> bool:
        """Whether the inputs differ from those the document was built from (or it does not say)."""
        return self.recorded_digest != self.current_digest

    def by_file(self) -> list[tuple[str, list[Remark]]]:
        """The remarks grouped by input file, files in the order the document first shows them;
        remarks on text not from the inputs last."""
        groups: dict[str, list[Remark]] = {}
        for remark in self.remarks:
            key = str(remark.place.location.file) if remark.place.location else ""
            groups.setdefault(key, []).append(remark)
        located = [(name, remarks) for name, remarks in groups.items() if name]
        return located + ([("", groups[""])] if "" in groups else [])

    def summary(self) -> str:
        comments = sum(1 for r in self.remarks if r.kind == "comment")
        changes = len(self.remarks) - comments
        outside = sum(1 for r in self.remarks if not r.from_inputs)
        text = f"{counted(comments, 'comment')} and {counted(changes, 'tracked change')}"
        return text + (f" ({outside:,} on text not from the inputs)" if outside else "")

    def to_text(self) -> str:
        lines = []
        if self.recorded_digest is None:
            lines.append(
                f"note: {self.document} does not record the inputs it was built from; places are found"
                " by the markers alone"
            )
        elif self.inputs_changed:
            lines.append(
                f"note: the inputs changed since {self.document} was built; places are those of the"
                " values as they are now"
            )
        for name, remarks in self.by_file():
            lines.append(f"{name}:" if name else "not from the inputs (labels, numbering, contents, cover):")
            lines.extend(f"  {remark}" for remark in remarks)
        lines.append(self.summary())
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "document": str(self.document),
            "input_dir": str(self.input_dir),
            "variant": self.variant,
            "inputs_changed": self.inputs_changed,
            "remarks": [remark.to_dict() for remark in self.remarks],
        }

    def to_json(self) -> str:
        """The remarks as JSON."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)
