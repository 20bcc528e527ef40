"""A JSON Schema of concept.yaml, for editors that check and complete YAML."""

from __future__ import annotations

from typing import Any

from .model import Concept

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
