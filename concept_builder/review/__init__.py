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
from ..markers import PROPERTY_CONCEPT, PROPERTY_FOR, PROPERTY_INPUTS, PROPERTY_VARIANT, concept_identity
from ..options import DEFAULT_VARIANT
from ..sources import inputs_digest, raw_sources
from .apply import Plan, plan_changes
from .reading import read_document
from .remarks import Locator, Place, Remark, Review, find_remarks

__all__ = ["Place", "Plan", "Remark", "Review", "apply_review", "review_document"]


def review_document(input_dir: str | Path, document: str | Path) -> Review:
    """Every comment and tracked change of ``document``, located in the inputs in ``input_dir``.

    Works on inputs that do not validate too: the places come from the files
    as loaded. Raises ``CheckError`` for a file that is not a readable Word document.
    """
    folder, path = Path(input_dir), Path(document)
    reading = read_document(path)
    raw = load_raw(folder)
    properties = reading.properties
    recorded_digest = properties.get(PROPERTY_INPUTS)
    current_digest = inputs_digest(raw.folder, raw.files)
    recorded_concept = properties.get(PROPERTY_CONCEPT)
    current_concept = _identity(raw.data)
    if recorded_concept and current_concept and recorded_concept != current_concept:
        # the markers name values of another concept: whatever they would find here is unrelated
        locator = Locator(raw, {}, reading, unplaced="from another concept's inputs")
    elif recorded_digest != current_digest:
        locator = Locator(raw, raw_sources(raw.data), reading, unplaced="no longer in the inputs")
    else:
        locator = Locator(raw, raw_sources(raw.data), reading)
    return Review(
        input_dir=folder,
        document=path,
        remarks=find_remarks(reading, locator),
        recorded_digest=recorded_digest,
        current_digest=current_digest,
        variant=properties.get(PROPERTY_VARIANT, DEFAULT_VARIANT),
        for_name=properties.get(PROPERTY_FOR) or None,
        recorded_concept=recorded_concept,
        current_concept=current_concept,
        reading=reading,
        locator=locator,
    )


def _identity(data: object) -> str | None:
    meta = data.get("meta") if isinstance(data, dict) else None
    if not isinstance(meta, dict) or meta.get("title") is None or meta.get("district") is None:
        return None
    return concept_identity(meta["title"], meta["district"])


def apply_review(review: Review, *, untracked: bool = False, write: bool = False) -> Plan:
    """The changes the review's tracked changes make to the inputs; with ``write``, made.

    ``untracked`` also takes differences made without tracking, found by
    comparing each value's text with a fresh build. Comments are never
    applied. Raises ``ConceptBuilderError`` when the inputs changed since the
    document was built (or it does not say from which inputs it was built),
    and when they do not validate.
    """
    review.untracked = untracked
    if review.other_concept:
        raise ConceptBuilderError(
            f"{review.document} was built from another concept (“{review.recorded_concept}”) than the"
            f" one in {review.input_dir} (“{review.current_concept}”), so nothing is applied",
        )
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
