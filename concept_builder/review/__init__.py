"""A reviewed document back at its inputs: comments and tracked changes at FILE:LINE, applied on request.

``review_document`` reads a .docx that was built from an input folder and
then commented and edited with tracked changes in Word or LibreOffice, and
finds the input value each remark is about through the document's source
markers (``markers``). ``apply_review`` (in ``apply``) writes tracked changes
back into the inputs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ConceptBuilderError, counted
from ..load import load_raw
from ..markers import PROPERTY_FOR, PROPERTY_INPUTS, PROPERTY_VARIANT
from ..options import DEFAULT_VARIANT
from ..sources import inputs_digest, raw_sources
from .apply import Plan, plan_changes
from .reading import Reading, read_document
from .remarks import Locator, Place, Remark, find_remarks

__all__ = ["Place", "Plan", "Remark", "Review", "apply_review", "review_document"]


@dataclass
class Review:
    """The remarks of a reviewed document, located in the inputs as they are now."""

    input_dir: Path
    document: Path
    remarks: list[Remark] = field(default_factory=list)
    recorded_digest: str | None = None  # the digest of the inputs the document was built from
    current_digest: str = ""
    variant: str = DEFAULT_VARIANT
    for_name: str | None = None
    reading: Reading | None = None
    locator: Locator | None = None

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

    def to_json(self, plan: Plan | None = None) -> str:
        """The remarks as JSON; with ``plan`` (from ``apply_review``), also what applying them changes."""
        data: dict[str, object] = {
            "document": str(self.document),
            "input_dir": str(self.input_dir),
            "variant": self.variant,
            "inputs_changed": self.inputs_changed,
            "remarks": [remark.to_dict() for remark in self.remarks],
        }
        if plan is not None:
            data["changes"] = [
                {
                    "file": str(edit.file),
                    "field": edit.place.field,
                    "item": edit.place.item,
                    "old": edit.old,
                    "new": edit.new,
                }
                for edit in plan.edits
            ]
            data["not_applied"] = [
                {
                    "field": r.place.field,
                    "item": r.place.item,
                    "reason": r.reason,
                    "file": str(r.place.location.file) if r.place.location else None,
                }
                for r in plan.refusals
            ]
        return json.dumps(data, ensure_ascii=False, indent=2)


def review_document(input_dir: str | Path, document: str | Path) -> Review:
    """Every comment and tracked change of ``document``, located in the inputs in ``input_dir``.

    Works on inputs that do not validate too: the places come from the files
    as loaded. Raises ``UsageError`` for a file that is not a Word document.
    """
    folder, path = Path(input_dir), Path(document)
    reading = read_document(path)
    raw = load_raw(folder)
    locator = Locator(raw, raw_sources(raw.data), reading)
    properties = reading.properties
    return Review(
        input_dir=folder,
        document=path,
        remarks=find_remarks(reading, locator),
        recorded_digest=properties.get(PROPERTY_INPUTS),
        current_digest=inputs_digest(raw.folder, raw.files),
        variant=properties.get(PROPERTY_VARIANT, DEFAULT_VARIANT),
        for_name=properties.get(PROPERTY_FOR) or None,
        reading=reading,
        locator=locator,
    )


def apply_review(review: Review, *, untracked: bool = False, write: bool = False) -> Plan:
    """The changes the review's tracked changes make to the inputs; with ``write``, made.

    ``untracked`` also takes differences made without tracking, found by
    comparing each value's text with a fresh build. Comments are never
    applied. Raises ``ConceptBuilderError`` when the inputs changed since the
    document was built (or it does not say from which inputs it was built),
    and when they do not validate.
    """
    if review.recorded_digest is None:
        raise ConceptBuilderError(
            f"{review.document} does not record the inputs it was built from, so nothing is applied",
        )
    if review.inputs_changed:
        raise ConceptBuilderError(
            f"the inputs in {review.input_dir} changed since {review.document} was built,"
            " so nothing is applied (apply the remarks by hand, or build and review the document again)"
        )
    plan = plan_changes(review, untracked=untracked)
    if write:
        plan.write()
    return plan
