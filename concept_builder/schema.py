"""The schema of the inputs: a JSON Schema of concept.yaml for editors, and what a field path means.

``annotation_at`` and friends read the pydantic models, so that messages can
name the known fields and values, and validation knows which fields are
Markdown free text.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

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


def json_schema() -> dict[str, Any]:
    """The schema of the merged concept, where any object or list may be an ``include``."""
    schema = Concept.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    schema["title"] = "concept_builder: concept.yaml"
    definitions = schema.setdefault("$defs", {})
    for definition in definitions.values():
        _allow_includes(definition)
    _allow_includes(schema)
    definitions["Include"] = INCLUDE_DEFINITION
    return schema


def _allow_includes(node: dict[str, Any]) -> None:
    for prop in node.get("properties", {}).values():
        _wrap(prop)
        if prop.get("type") == "array" and isinstance(prop.get("items"), dict):
            _wrap(prop["items"])
        for option in prop.get("anyOf", []):
            if option.get("type") == "array" and isinstance(option.get("items"), dict):
                _wrap(option["items"])


def _wrap(node: dict[str, Any]) -> None:
    """Turn ``{"$ref": X}`` or an array into ``anyOf: [it, Include]`` in place."""
    if "$ref" in node or node.get("type") == "array":
        original = dict(node)
        node.clear()
        node["anyOf"] = [original, {"$ref": "#/$defs/Include"}]
    elif "anyOf" in node and any("$ref" in o or o.get("type") == "array" for o in node["anyOf"]):
        node["anyOf"].append({"$ref": "#/$defs/Include"})


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
