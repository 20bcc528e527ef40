"""Failures while rendering, told where they happened: the template's part, paragraph and nearby text,
and what to write instead."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from jinja2 import TemplateError as JinjaTemplateError
from jinja2 import TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError

from ..errors import TemplateError
from .places import (
    PART_NAME,
    Diagnosis,
    Tag,
)
from .tags import label


def located_error(template: Path, diagnosis: Diagnosis, part: str, exc: JinjaTemplateError) -> TemplateError:
    """A Jinja error as a message at the paragraph (and tag) that caused it.

    The paragraph is the one the renderer found the error in (``paragraph_of``,
    attached to the exception as ``template_paragraph``); where it cannot tell,
    the first tag naming the culprit.
    """
    paragraph = getattr(exc, "template_paragraph", None)
    culprit = None
    if isinstance(exc, UndefinedError):
        culprit = _undefined_name(str(exc.message))
    elif isinstance(exc, SecurityError):
        attribute = re.search(r"attribute '([^']+)'", str(exc))
        culprit = attribute.group(1) if attribute else None
    elif isinstance(exc, TemplateSyntaxError):
        unknown = re.search(r"No (?:filter|test) named '([^']+)'", str(exc.message))
        culprit = unknown.group(1) if unknown else None
    tag = None
    if culprit is not None:
        tags = diagnosis.tags_at(part, paragraph) or diagnosis.tags
        tag = _tag_naming(tags, culprit)
    where = str(tag.place) if tag is not None else diagnosis.where(part, paragraph)
    located = tag is not None or (paragraph is not None and (part, paragraph) in diagnosis.places)
    near = None if located else _near(exc)
    if isinstance(exc, UndefinedError) and culprit is None:  # "list object has no element 0"
        return TemplateError(
            template,
            f"{where}: {exc.message}",
            near or "a list may be empty in a concept: test it first ({% if … %})",
        )
    if isinstance(exc, UndefinedError):
        return TemplateError(
            template,
            f"{where}: unknown template variable {culprit!r}",
            near or "docs/templates.md lists every variable",
        )
    if isinstance(exc, SecurityError):
        return TemplateError(template, f"{where}: unsafe template code refused: {exc}", near)
    if isinstance(exc, TemplateSyntaxError):
        return TemplateError(template, f"{where}: template syntax error: {exc.message}", near)
    return TemplateError(template, f"{where}: template error: {exc}", near)


def part_label(document: Any) -> str:
    """``/word/header1.xml`` → ``header 1``: the part being rendered when a tag failed."""
    part = getattr(document, "current_rendering_part", None)
    return label_of(part) if part is not None else "body"


def label_of(part: Any) -> str:
    """The name a message gives a part of the package: ``body``, ``header 1``, ``footnotes 1``."""
    match = PART_NAME.match(str(getattr(part, "partname", "")))
    return label(match) if match else "body"


def refuse(template: Path, diagnosis: Diagnosis) -> None:
    """The errors a diagnosis found, one per line, as one ``TemplateError``."""
    if diagnosis.errors:
        raise TemplateError(template, f"\n{template}: ".join(diagnosis.errors))


def _undefined_name(message: str) -> str | None:
    """``'X object' has no attribute 'leed'`` → ``leed``; ``'titel' is undefined`` → ``titel``."""
    match = re.search(r"has no attribute '([^']+)'", message) or re.search(r"'([^']+)' is undefined", message)
    return match.group(1) if match else None


def _tag_naming(tags: Iterable[Tag], name: str) -> Tag | None:
    pattern = re.compile(rf"\b{re.escape(name)}\b")
    return next((tag for tag in tags if tag.opening != "{#" and pattern.search(tag.content)), None)


def _near(exc: Exception) -> str | None:
    """The template text around an error, which the renderer attaches to the exception."""
    lines = [line.strip() for line in getattr(exc, "docx_context", []) or [] if line.strip()]
    if not lines:
        return None
    text = " … ".join(lines)
    return "near: " + (text if len(text) < 160 else text[:157] + "…")
