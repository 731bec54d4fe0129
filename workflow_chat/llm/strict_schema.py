"""Convert pydantic JSON Schemas to the subset that strict structured output accepts, and
convert values produced under that subset back to what the pydantic models accept.

OpenAI's strict mode (and Anthropic's strict tools) want every object closed
(`additionalProperties: false`) with every property required, and reject open maps, free-form
values and most validation keywords. So, in the strict form:
- an optional property becomes required but nullable; null means "use the default";
- a map (`dict[str, X]`) becomes a list of {"key", "value"} pairs;
- a free-form value (`Any`) becomes a string holding JSON (or plain text);
- lengths, patterns, bounds and defaults are dropped: our validators still check them, and a
  breach goes back to the model through the repair loop.
`to_strict` and `from_strict` are each other's inverse; tests round-trip every node kind.
"""

from __future__ import annotations

import json
from typing import Any

# Keywords kept in the strict form; everything else (title, default, minLength, pattern, …)
# is dropped because some strict implementations reject it.
_KEPT = ("type", "enum", "const", "description")
_NULL = {"type": "null"}


def is_map(schema: dict[str, Any]) -> bool:
    """An object with open keys (`dict[str, X]`), as opposed to one with named properties."""
    extra = schema.get("additionalProperties")
    return schema.get("type") == "object" and not schema.get("properties") and extra is not False


def is_free_form(schema: dict[str, Any]) -> bool:
    """A schema that says nothing about the value's type (`Any`)."""
    return not any(k in schema for k in ("type", "anyOf", "oneOf", "$ref", "enum", "const",
                                         "properties", "items"))


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """`schema` that also accepts null (unchanged when it already does)."""
    if schema.get("type") == "null" or _NULL in schema.get("anyOf", []):
        return schema
    kind = schema.get("type")
    if isinstance(kind, str) and "anyOf" not in schema:
        out = {**schema, "type": [kind, "null"]}
        if "enum" in out:
            out["enum"] = [*out["enum"], None]
        return out
    if isinstance(kind, list):
        return schema if "null" in kind else {**schema, "type": [*kind, "null"]}
    description = schema.get("description")
    inner = {k: v for k, v in schema.items() if k != "description"}
    return {"anyOf": [inner, _NULL], **({"description": description} if description else {})}


def closed_object(
    properties: dict[str, Any], required: list[str], *, strict: bool, description: str = ""
) -> dict[str, Any]:
    """An object schema with exactly these properties. Strict: all required, the optional
    ones nullable. Otherwise: only `required` are required."""
    if strict:
        properties = {k: v if k in required else nullable(v) for k, v in properties.items()}
        required = list(properties)
    out: dict[str, Any] = {"type": "object", "properties": properties, "required": required,
                           "additionalProperties": False}
    if description:
        out["description"] = description
    return out


def to_strict(schema: dict[str, Any]) -> dict[str, Any]:
    """The strict form of a pydantic-generated schema (see the module docstring)."""
    if "$ref" in schema:
        return {"$ref": schema["$ref"]}
    if "anyOf" in schema:
        out = {"anyOf": [to_strict(item) for item in schema["anyOf"]]}
        return {**out, "description": schema["description"]} if "description" in schema else out
    base = {k: schema[k] for k in _KEPT if k in schema}
    if is_free_form(schema):
        hint = "JSON text, or plain text"
        text = f"{schema['description']} ({hint})" if "description" in schema else hint
        return {"type": "string", "description": text}
    if is_map(schema):
        extra = schema.get("additionalProperties")
        value = to_strict(extra if isinstance(extra, dict) else {})
        pair = closed_object({"key": {"type": "string"}, "value": value}, ["key", "value"],
                             strict=True)
        return {**base, "type": "array", "items": pair,
                "description": (schema.get("description", "") + " (key/value pairs)").strip()}
    if schema.get("type") == "object":
        properties = {k: to_strict(v) for k, v in schema.get("properties", {}).items()}
        return closed_object(properties, list(schema.get("required", [])), strict=True,
                             description=schema.get("description", ""))
    if schema.get("type") == "array":
        return {**base, "items": to_strict(schema.get("items", {}))}
    return base


def from_strict(value: Any, schema: dict[str, Any], *, partial: bool = False) -> Any:
    """Turn `value`, written against `to_strict(schema)`, back into what `schema` accepts.

    Values already in the ordinary form pass through, so this is safe on answers from plain
    JSON mode too. With `partial` (a config update), every null property is dropped; otherwise
    only nulls of optional properties are. Anything unexpected is left for the validator.
    """
    if value is None:
        return None
    if "anyOf" in schema:
        options = [o for o in schema["anyOf"] if o != _NULL]
        return from_strict(value, options[0]) if len(options) == 1 else value
    if is_free_form(schema) and isinstance(value, str):
        return _json_or_text(value)
    if is_map(schema) and isinstance(value, list):
        return _pairs_to_map(value, schema)
    if schema.get("type") == "object" and isinstance(value, dict):
        properties, required = schema.get("properties", {}), set(schema.get("required", []))
        return {
            key: from_strict(item, properties[key]) if key in properties else item
            for key, item in value.items()
            if item is not None or (key in required and not partial)
        }
    if schema.get("type") == "array" and isinstance(value, list):
        return [from_strict(item, schema.get("items", {})) for item in value]
    return value


def _json_or_text(value: str) -> Any:
    # Only objects and arrays are taken as JSON: "123" or "true" stay text, as written.
    stripped = value.strip()
    if stripped[:1] in ("{", "["):
        try:
            return json.loads(stripped)
        except ValueError:
            pass
    return value


def _pairs_to_map(pairs: list[Any], schema: dict[str, Any]) -> Any:
    if not all(isinstance(p, dict) and set(p) == {"key", "value"} for p in pairs):
        return pairs  # not our shape: let the validator say what is wrong
    extra = schema.get("additionalProperties")
    item_schema = extra if isinstance(extra, dict) else {}
    return {str(p["key"]): from_strict(p["value"], item_schema) for p in pairs}
