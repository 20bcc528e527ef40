"""What the fields of the context hold – prepared paragraphs, prepared runs, an image or plain text –
followed through loops, so that a tag of the wrong kind is named before rendering."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from ..context import Image
from .places import (
    Tag,
    straighten_quotes,
)

# quotes Word's AutoCorrect writes as one types a tag (docxtpl straightens only “ ” ‘ ’), by family
# Jinja's words and globals: no fields of the context
_NOT_FIELDS = {
    "and", "or", "not", "if", "else", "in", "is", "true", "false", "none", "True", "False", "None",
    "loop", "range", "namespace", "caller", "varargs", "kwargs", "super",
}  # fmt: skip


_STRING = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")


_CHAIN = re.compile(r"(?<![\w.|'\"])[A-Za-z_]\w*(?:\s*(?:\.\s*[A-Za-z_]\w*|\[[^\]]*\]))*")


FOR = re.compile(r"^for\s+([A-Za-z_]\w*)\s+in\s+(.+?)(?:\s+if\s.*)?(?:\s+recursive)?$", re.DOTALL)


def fragment_in_wrong_tag(tag: Tag, kinds: Kinds, aliases: dict[str, str | None]) -> list[str]:
    """Prepared paragraphs need ``{{p}}``, links, bookmarks and images ``{{r}}``, plain text ``{{ }}``."""
    if tag.opening != "{{":
        return []
    expression = straighten_quotes(tag.content)
    found = {kinds.of(path) for path in _printed_fields(expression, aliases)} - {None}
    prepared = [kind for kind in ("paragraphs", "runs", "image") if kind in found]
    if (tag.level == "p" and "paragraphs" in found) or (tag.level == "r" and {"runs", "image"} & found):
        return []
    if prepared:
        kind = prepared[0]
        wanted = "p" if kind == "paragraphs" else "r"
        if tag.level == wanted:
            return []
        what = {
            "paragraphs": "paragraphs",
            "runs": "prepared Word content (links or bookmarks)",
            "image": "an image",
        }[kind]
        # a filter cannot make prepared content into text a reader could use: the field as it is
        content = tag.content.split("|")[0].strip() if "|" in _STRING.sub('""', expression) else tag.content
        return [
            f"{tag.place}: {tag.written} prints {what}; write {{{{{wanted} {content} }}}}"
            + (" in a paragraph of its own" if wanted == "p" else "")
        ]
    if tag.level in ("p", "r") and found == {"text"} and "|" not in _STRING.sub('""', expression):
        inside = "a paragraph" if tag.level == "p" else "the paragraph's text"
        return [
            f"{tag.place}: {tag.written} prints plain text, where {{{{{tag.level} …}}}} takes prepared"
            f" content only; write {{{{ {tag.content} }}}} inside {inside}"
        ]
    return []


def _printed_fields(expression: str, aliases: dict[str, str | None]) -> list[str]:
    """The fields an expression prints (``m.partners or '–'`` → ``themes[].measures[].partners``).

    Conditions (``x if cond``) are left out: what they test is not printed.
    Fields under a loop variable that cannot be followed are named by their
    last name alone (``.partners``).
    """
    value = value_part(_STRING.sub('""', expression))
    fields = []
    for chain in _CHAIN.finditer(value):
        following = value[chain.end() :].lstrip()[:1]
        if following == "(" or chain.group(0).split(".")[0].strip() in _NOT_FIELDS:
            continue  # a call, or one of Jinja's words
        path = field_path(chain.group(0), aliases)
        fields.append(path if path is not None else "." + re.split(r"[.\[]", chain.group(0))[-1].strip())
    return fields


def value_part(expression: str) -> str:
    """``a if cond else b`` → ``a  b``; the first filter's argument only (``x|join(', ')`` → ``x``)."""
    value = re.sub(r"\sif\s.*?(?=\selse\s|$)", " ", expression, flags=re.DOTALL)
    value = re.sub(r"\selse\s", " ", value)
    return value.split("|", 1)[0]


def field_path(chain: str, aliases: dict[str, str | None]) -> str | None:
    """``theme.goals[0].title`` → ``themes[].goals[].title``: a field's path in the context.

    None where the chain starts at a loop variable whose list cannot be followed.
    """
    parts: list[str] = re.findall(r"[A-Za-z_]\w*|\[[^\]]*\]", chain)
    if not parts:
        return None
    root = parts[0]
    path = aliases.get(root, root)
    if path is None:
        return None
    for part in parts[1:]:
        path += "[]" if part.startswith("[") else "." + part
    return path


@dataclass(frozen=True)
class Kinds:
    """What each field of a context holds: "paragraphs" or "runs" (prepared), "image" or "text".

    Fields are named by their path (``meta.note``, ``labels.introduction``,
    ``themes[].description``): two fields of one name may hold different kinds.
    A field whose values differ in kind is left out, and so is a last name that
    several fields share with different kinds.
    """

    paths: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)

    def of(self, path: str) -> str | None:
        if path.startswith("."):  # a field under a loop variable that could not be followed
            return self.names.get(path[1:])
        return self.paths.get(path)


def prepared_kinds(values: Any, limit: int = 50_000) -> Kinds:
    """What the fields of a context hold, by their paths: prepared paragraphs, runs, images or text."""
    found: dict[str, set[str]] = {}
    pending: list[tuple[str, Any]] = [("", values)]
    seen = 0
    while pending and seen < limit:
        path, value = pending.pop()
        seen += 1
        kind = _kind_of(value)
        if kind:
            found.setdefault(path, set()).add(kind)
        elif isinstance(value, dict):
            pending.extend((f"{path}.{key}" if path else str(key), item) for key, item in value.items())
        elif isinstance(value, list | tuple):
            pending.extend((path + "[]", item) for item in value[:20])
    by_name: dict[str, set[str]] = {}
    for path, kinds in found.items():
        by_name.setdefault(re.split(r"[.\[]", path.removesuffix("[]"))[-1], set()).update(kinds)
    return Kinds(
        {path: next(iter(kinds)) for path, kinds in found.items() if len(kinds) == 1},
        {name: next(iter(kinds)) for name, kinds in by_name.items() if len(kinds) == 1},
    )


def _kind_of(value: Any) -> str:
    if isinstance(value, Markup):
        start = value.lstrip()[:16]
        if start.startswith(("<w:p>", "<w:p ", "<w:tbl")):
            return "paragraphs"
        if start.startswith(("<w:r>", "<w:r ", "<w:hyperlink", "<w:bookmark", "<w:fldSimple")):
            return "runs"
        return ""  # empty: nothing to tell
    if isinstance(value, Image):
        return "image"
    if isinstance(value, str) or (isinstance(value, int | float) and not isinstance(value, bool)):
        return "text"
    return ""
