"""Edits made without tracking that no value takes: each paragraph of a reviewed document compared with a
fresh build, so that a changed label or a value whose marker is gone is listed instead of lost.

A value keeps its marker when its words are edited, and ``apply`` compares
its text with the fresh build's. What lies outside every marker – a label
such as “Federführung”, the words between values, a value whose whole text
was typed over (Word removes a bookmark whose text is replaced whole) – has
no value to go to: each paragraph where that text differs from the fresh
build is listed as not applied, with its text.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass, field

from .edits import Refusal
from .reading import Reading, source_name
from .remarks import Place, Review, short


@dataclass
class _Paragraph:
    first: int  # the index of its first piece
    part: str
    text: str = ""  # as it reads now
    unmarked: str = ""  # its text outside every source marker
    sources: set[str] = field(default_factory=set)


def _paragraphs(reading: Reading) -> list[_Paragraph]:
    found: dict[int, _Paragraph] = {}
    for index, piece in enumerate(reading.pieces):
        paragraph = found.setdefault(piece.paragraph, _Paragraph(index, piece.part))
        if piece.kind == "deleted" or piece.text == "\n":
            continue
        paragraph.text += piece.text
        source = source_name(piece.marker) if piece.marker else None
        if source is None:
            paragraph.unmarked += piece.text
        else:
            paragraph.sources.add(source)
    return list(found.values())


def untracked_refusals(review: Review, fresh: Reading) -> Iterator[Refusal]:
    """A refusal for each paragraph whose text outside the values differs from the fresh build's."""
    built, reviewed = _paragraphs(fresh), _paragraphs(review.reading)
    present = set().union(*(p.sources for p in reviewed)) if reviewed else set()
    matcher = difflib.SequenceMatcher(
        None, [p.text for p in built], [p.text for p in reviewed], autojunk=False
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        pairs = min(i2 - i1, j2 - j1)
        for old, new in zip(built[i1 : i1 + pairs], reviewed[j1 : j1 + pairs], strict=True):
            if " ".join(old.unmarked.split()) != " ".join(new.unmarked.split()):
                yield _changed(review, old, new)
        for old in built[i1 + pairs : i2]:
            if old.unmarked.strip() or not old.sources <= present:
                place = Place(None, context=old.text, part=old.part)
                yield Refusal(place, "the paragraph was deleted without tracking; delete it by hand")
        for new in reviewed[j1 + pairs : j2]:
            if new.unmarked.strip():
                place = Place(None, context=new.text, part=new.part)
                yield Refusal(
                    place, "the paragraph was added without tracking, outside every value; add it by hand"
                )


def _changed(review: Review, old: _Paragraph, new: _Paragraph) -> Refusal:
    change = f"“{short(old.text)}” → “{short(new.text)}”"
    missing = old.sources - new.sources
    if len(missing) == 1:
        # the value's text was typed over whole, and its marker went with it
        place = review.locator.place(next(iter(missing)), new.first)
        return Refusal(
            place,
            f"changed without tracking ({change}) and its marker is gone with its old text, so which words"
            " are the value cannot be told; change it by hand",
        )
    place = Place(None, context=new.text, part=new.part)
    return Refusal(
        place,
        f"changed without tracking ({change}) in text not from the inputs (a label, numbering, the words"
        " between values); change it by hand",
    )
