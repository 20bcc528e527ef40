"""The schema of the inputs: a JSON Schema of every input file for editors, and what a field path means.

``annotation_at`` and friends read the pydantic models, so that messages can
name the known fields and values, and validation knows which fields are
Markdown free text.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from .model import MARKDOWN, Concept

Path_ = tuple[str | int, ...]

SCHEMA_ID = "https://concept-builder.invalid/schema/concept.json"
INCLUDE_DEFINITION = {
    "type": "object",
    "description": "Inhalt aus einer anderen YAML-Datei im Eingabeordner übernehmen.",
    "properties": {"include": {"type": "string", "description": "Pfad relativ zur einbindenden Datei"}},
    "required": ["include"],
    "additionalProperties": False,
}
ALSO = "x-also"  # a field's own schema names what else it accepts; resolved here
ONE_OR_MANY = "x-one-or-many"


def json_schema() -> dict[str, Any]:
    """The schema of every file of an input folder: ``concept.yaml`` or any part it includes.

    It accepts what the tool accepts, read the way an editor or a standard
    validator reads YAML: text fields take numbers and flags (``version: 0.9``),
    numbers take German notation ("8,1"), flags ``ja``/``nein``, dates
    ``30.11.2018``. Any object or list may be an ``include``. A part file holds
    one of the definitions (a theme, a list of quotes …); ids and references
    are not checked here.
    """
    schema = Concept.model_json_schema(schema_generator=_AsTheToolReads)
    definitions: dict[str, Any] = schema.pop("$defs", {})
    definitions["Concept"] = schema
    for definition in definitions.values():
        _resolve_markers(definition)
        _allow_includes(definition)
        _standard_bounds(definition)
    definitions["Include"] = INCLUDE_DEFINITION
    definitions["Entry"] = _by_kind(definitions)
    definitions["Part"] = {
        "description": "Ein eingebundener Teil: ein Eintrag (etwa ein Handlungsfeld), eine Liste oder Text.",
        "type": ["object", "array", "string"],
        "if": {"type": "array"},
        "then": {"items": {"$ref": "#/$defs/Entry"}},
        "else": {"if": {"type": "object"}, "then": {"$ref": "#/$defs/Entry"}},
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "concept_builder: concept.yaml und eingebundene Dateien",
        "$ref": "#/$defs/Part",
        "$defs": definitions,
    }


def _by_kind(definitions: dict[str, Any]) -> dict[str, Any]:
    """An entry of any kind, told apart by a field only that kind has (``meta`` a concept, ``lead`` a
    measure, ``measures`` a theme …), so that a validator checks it as that kind and points at the
    field that is wrong – not at "not valid under any of the given schemas". An entry with no such
    field may be any kind."""
    kinds = {name: d for name, d in definitions.items() if d.get("type") == "object"}
    owners: dict[str, list[str]] = {}
    for name, definition in kinds.items():
        for key in definition.get("properties", {}):
            owners.setdefault(key, []).append(name)
    chain: dict[str, Any] = {"anyOf": [{"$ref": f"#/$defs/{name}"} for name in sorted(kinds)]}
    for name in sorted(kinds, key=lambda n: (n != "Concept", n), reverse=True):
        own = sorted(key for key in kinds[name].get("properties", {}) if owners[key] == [name])
        if own:
            chain = {
                "if": {"type": "object", "anyOf": [{"required": [key]} for key in own]},
                "then": {"$ref": f"#/$defs/{name}"},
                "else": chain,
            }
    return chain


_FLAG_WORDS = ("true", "false", "yes", "no", "ja", "nein", "wahr", "falsch", "on", "off", "1", "0")


def _any_case(word: str) -> str:
    return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else re.escape(c) for c in word)


FLAG_PATTERN = r"^\s*(" + "|".join(_any_case(word) for word in _FLAG_WORDS) + r")\s*$"
INTEGER_PATTERN = r"^\s*[-+]?\d+\s*$"
NUMBER_PATTERN = (
    r"^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$"  # 8.1, 137000
    r"|^\s*[-+]?(\d+|\d{1,3}(\.\d{3})+),\d+\s*$|^\s*[-+]?\d{1,3}(\.\d{3})+,\d*\s*$"  # 8,1 · 1.234,5
    r"|^\s*[-+]?\d{1,3}(\.\d{3}){2,}\s*$"  # 1.200.000
    r"|^\s*[-+]?\d{1,3}([ \u00a0\u202f]\d{3})+(,\d+)?\s*$"  # 15 000, 1 250,50
)
# pydantic writes the bounds of a number it reads through a validator of its own under their Python
# names, which JSON Schema does not know: a validator would ignore them
_BOUNDS = {"ge": "minimum", "le": "maximum", "gt": "exclusiveMinimum", "lt": "exclusiveMaximum"}
DATE_PATTERN = r"^\s*(\d{4}-\d{1,2}-\d{1,2}([T ]00:00(:00)?)?|\d{1,2}\.\d{1,2}\.\d{4})\s*$"


class _AsTheToolReads(GenerateJsonSchema):
    """Types as concept_builder reads them from text, for editors that read YAML's own way."""

    def str_schema(self, schema: core_schema.StringSchema) -> JsonSchemaValue:
        # the tool keeps what was typed: "version: 0.9" or "district: no" are text to it
        return {"anyOf": [super().str_schema(schema), {"type": ["number", "boolean"]}]}

    def int_schema(self, schema: core_schema.IntSchema) -> JsonSchemaValue:
        return {"anyOf": [super().int_schema(schema), {"type": "string", "pattern": INTEGER_PATTERN}]}

    def float_schema(self, schema: core_schema.FloatSchema) -> JsonSchemaValue:
        own = super().float_schema(schema)
        own.pop("allow_inf_nan", None)
        return {"anyOf": [own, {"type": "string", "pattern": NUMBER_PATTERN}]}

    def bool_schema(self, schema: core_schema.BoolSchema) -> JsonSchemaValue:
        return {"anyOf": [{"type": "boolean"}, {"enum": [0, 1]}, {"type": "string", "pattern": FLAG_PATTERN}]}

    def date_schema(self, schema: core_schema.DateSchema) -> JsonSchemaValue:
        return {"type": "string", "pattern": DATE_PATTERN}


def _resolve_markers(node: Any) -> None:
    """Fields that take one entry for a list, or text for an object, say so in ``anyOf``."""
    if isinstance(node, list):
        for entry in node:
            _resolve_markers(entry)
        return
    if not isinstance(node, dict):
        return
    for value in node.values():
        _resolve_markers(value)
    also = node.pop(ALSO, None)
    one_or_many = node.pop(ONE_OR_MANY, False)
    if also or one_or_many:
        original = dict(node)
        options = [original, *(also or [])]
        if one_or_many:
            options.append(original["items"])
        node.clear()
        node["anyOf"] = options
        for key in ("description", "title", "default"):
            if key in original:
                node[key] = original.pop(key)


def _standard_bounds(node: Any) -> None:
    """``ge``/``le`` as JSON Schema's ``minimum``/``maximum``, wherever pydantic left them."""
    if isinstance(node, list):
        for entry in node:
            _standard_bounds(entry)
    elif isinstance(node, dict):
        for key, value in list(node.items()):
            if key in _BOUNDS and isinstance(value, (int, float)) and not isinstance(value, bool):
                node[_BOUNDS[key]] = node.pop(key)
            else:
                _standard_bounds(value)


def _allow_includes(node: dict[str, Any]) -> None:
    for prop in node.get("properties", {}).values():
        if prop.get("type") == "array" and isinstance(prop.get("items"), dict):
            _wrap(prop["items"])
        for option in prop.get("anyOf", []):
            if option.get("type") == "array" and isinstance(option.get("items"), dict):
                _wrap(option["items"])
        _wrap(prop)


INCLUDED = {"type": "object", "required": ["include"]}


def _wrap(node: dict[str, Any]) -> None:
    """Let ``{"$ref": X}`` or an array be an ``include`` instead, in place: a mapping with ``include``
    is checked as one, anything else as before – an either-or a validator can point into."""
    if "$ref" in node or node.get("type") == "array":
        original = dict(node)
        node.clear()
        for key in ("description", "title", "default"):
            if key in original:
                node[key] = original.pop(key)
        node.update({"if": INCLUDED, "then": {"$ref": "#/$defs/Include"}, "else": original})
    elif "anyOf" in node and any("$ref" in o or o.get("type") == "array" for o in node["anyOf"]):
        options = node.pop("anyOf")
        node.update({"if": INCLUDED, "then": {"$ref": "#/$defs/Include"}, "else": {"anyOf": options}})


# --- what a path in the inputs means ---------------------------------------------


def unwrap(annotation: Any) -> Iterator[Any]:
    """The classes inside ``X | None``, ``list[X]``, ``Annotated[X, ...]``."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        yield from unwrap(typing.get_args(annotation)[0])
    elif origin in (typing.Union, types.UnionType, list):
        for arg in typing.get_args(annotation):
            yield from unwrap(arg)
    else:
        yield annotation


def annotation_at(path: Path_) -> Any:
    annotation: Any = Concept
    for part in path:
        if isinstance(part, int):
            continue
        models = [a for a in unwrap(annotation) if isinstance(a, type) and issubclass(a, BaseModel)]
        if not models or part not in models[0].model_fields:
            return None
        annotation = models[0].model_fields[part].annotation
    return annotation


def fields_at(path: Path_) -> list[str]:
    for candidate in unwrap(annotation_at(path)):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return list(candidate.model_fields)
    return []


def literal_values(path: Path_) -> list[str]:
    values: list[str] = []
    for candidate in unwrap(annotation_at(path)):
        if typing.get_origin(candidate) is typing.Literal:
            values.extend(str(v) for v in typing.get_args(candidate))
    return values


def is_markdown(path: Path_) -> bool:
    """Whether the schema declares the field at ``path`` as Markdown free text."""
    fields = [part for part in path if isinstance(part, str)]
    if not fields:
        return False
    owner = annotation_at(tuple(fields[:-1]))
    for model in unwrap(owner):
        if isinstance(model, type) and issubclass(model, BaseModel) and fields[-1] in model.model_fields:
            info = model.model_fields[fields[-1]]
            return MARKDOWN in info.metadata or mentions_markdown(info.annotation)
    return False


def mentions_markdown(annotation: Any) -> bool:
    if typing.get_origin(annotation) is typing.Annotated and MARKDOWN in typing.get_args(annotation)[1:]:
        return True
    return any(mentions_markdown(arg) for arg in typing.get_args(annotation))
