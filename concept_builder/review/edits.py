"""What applying a review is made of: each place the document prints a value (``occurrences``), a
value of the inputs to change, and a change that is not written with the reason."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .reading import Reading, source_name
from .remarks import Place, owners


@dataclass(frozen=True)
class Occurrence:
    """One place where the document prints a value: its text before and after the tracked changes."""

    source: str
    original: str
    current: str
    changed: bool
    first_piece: int


@dataclass
class Edit:
    """A value of the inputs to change."""

    place: Place
    file: Path
    old: Any  # the value in the inputs
    new: str  # as written into the file
    document_text: str  # what the document should print once the value is changed


@dataclass
class Refusal:
    """A change that is not written, and why."""

    place: Place
    reason: str

    def __str__(self) -> str:
        return f"{self.place}: not applied: {self.reason}"


def occurrences(reading: Reading) -> list[Occurrence]:
    """Each printed value, in document order; a value of several paragraphs is one occurrence."""
    pieces = reading.pieces
    owner = owners(pieces)
    sources = [source_name(o) if o else None for o in owner]
    found: list[Occurrence] = []
    index = 0
    while index < len(pieces):
        source = sources[index]
        if source is None:
            index += 1
            continue
        group = [index]
        index += 1
        while index < len(pieces):
            if sources[index] == source:
                group.append(index)
                index += 1
            elif (
                pieces[index].text == "\n"
                and sources[index] is None
                and index + 1 < len(pieces)
                and sources[index + 1] == source
            ):
                group.append(index)  # the paragraph break inside free text of several paragraphs
                index += 1
            else:
                break
        chosen = [pieces[i] for i in group]
        found.append(
            Occurrence(
                source,
                "".join(p.text for p in chosen if p.kind != "inserted"),
                "".join(p.text for p in chosen if p.kind != "deleted"),
                any(p.kind != "normal" for p in chosen),
                group[0],
            )
        )
    return found
