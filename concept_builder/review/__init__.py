"""A reviewed document back at its inputs: comments and tracked changes at FILE:LINE, applied on request.

``review_document`` reads a .docx that was built from an input folder and
then commented and edited with tracked changes in Word or LibreOffice, and
finds the input value each remark is about through the document's source
markers (``markers``). ``apply_review`` (in ``apply``) writes tracked changes
back into the inputs.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import ConceptBuilderError
from ..load import load_raw
from ..markers import PROPERTY_FOR, PROPERTY_INPUTS, PROPERTY_VARIANT
from ..options import DEFAULT_VARIANT
from ..sources import inputs_digest, raw_sources
from .apply import Plan, plan_changes
from .reading import read_document
from .remarks import Locator, Place, Remark, Review, find_remarks

__all__ = ["Place", "Plan", "Remark", "Review", "apply_review", "review_document"]


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
