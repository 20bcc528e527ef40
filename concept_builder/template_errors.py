"""Messages for a template that fails to render: where in the document, what is wrong, the text nearby."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from jinja2 import TemplateError as JinjaTemplateError
from jinja2 import TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError

from .errors import TemplateError


def template_error(template: Path, document: Any, exc: JinjaTemplateError) -> TemplateError:
    """A message naming the part of the document, what is wrong and the nearby template text."""
    part = _part_label(document)
    if isinstance(exc, TemplateSyntaxError):
        return TemplateError(template, f"{part}: template syntax error: {exc.message}", _nearby(exc))
    if isinstance(exc, UndefinedError):
        name = _undefined_name(str(exc.message))
        hint = _nearby(exc) or _paragraph_with(document, name)
        return TemplateError(template, f"{part}: unknown template variable {name!r}", hint)
    if isinstance(exc, SecurityError):
        return TemplateError(template, f"{part}: unsafe template code refused: {exc}", _nearby(exc))
    return TemplateError(template, f"{part}: template error: {exc}", _nearby(exc))


def _part_label(document: Any) -> str:
    """``/word/header1.xml`` → ``header``: where in the document the failing tag is."""
    part = getattr(document, "current_rendering_part", None)
    name = str(getattr(part, "partname", "")) if part is not None else ""
    for kind in ("header", "footer", "footnotes"):
        if kind in name:
            return kind
    return "body"


def _undefined_name(message: str) -> str:
    """``'X object' has no attribute 'leed'`` → ``leed``; ``'titel' is undefined`` → ``titel``."""
    match = re.search(r"has no attribute '([^']+)'", message) or re.search(r"'([^']+)' is undefined", message)
    return match.group(1) if match else message


def _paragraph_with(document: Any, name: str) -> str | None:
    """The template paragraph that mentions ``name``, to show the user where it is."""
    for paragraph in document.docx.paragraphs:
        if re.search(rf"\b{re.escape(name)}\b", paragraph.text):
            return f"near: {paragraph.text.strip()[:160]}"
    return None


def _nearby(exc: Exception) -> str | None:
    """The template text around an error, which docxtpl attaches to the exception."""
    lines = [line.strip() for line in getattr(exc, "docx_context", []) or [] if line.strip()]
    if not lines:
        return None
    text = " … ".join(lines)
    return "near: " + (text if len(text) < 160 else text[:157] + "…")
