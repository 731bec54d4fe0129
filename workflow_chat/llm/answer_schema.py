"""The JSON Schema of the model's answer, built from the node registry and the patch ops.

{"message": markdown, "workflow": graph | null, "patch": {"ops": [...]} | null}

"message" comes first so that, with constrained decoding, it is also generated (and streamed to
the chat) first. Node configs are per kind: every node and every add_node/set_trigger op is one
`anyOf` variant whose "kind" is a one-value enum and whose "config" refers to that kind's
schema, so a model under strict decoding cannot invent a kind or a config field.

`answer_schema(strict=True)` is the form for OpenAI's `response_format` json_schema with
`strict: true` (see strict_schema.py); `strict=False` keeps optional fields optional and maps as
maps, for providers that only read the schema as guidance (Anthropic tool input).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, get_args

from pydantic import BaseModel

from workflow_chat.graph.patch_ops import PatchOp
from workflow_chat.llm.prompt import compact_schema
from workflow_chat.llm.strict_schema import closed_object, nullable, to_strict
from workflow_chat.nodes import KINDS, TRIGGER_KINDS

SCHEMA_NAME = "workflow_answer"
_STR: dict[str, Any] = {"type": "string"}
_NULL: dict[str, Any] = {"type": "null"}


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/$defs/{name}"}


def _config(schema: dict[str, Any], *, strict: bool, partial: bool = False) -> dict[str, Any]:
    if partial:  # update_node merges keys: every field may be left out (strict: null)
        schema = {**schema, "required": []}
    return to_strict(schema) if strict else compact_schema(schema)


def _fields(model: type[BaseModel], *, strict: bool) -> tuple[dict[str, Any], list[str]]:
    """An op model's properties (compacted or strict) and its required names, "op" included."""
    schema = model.model_json_schema()
    convert = to_strict if strict else compact_schema
    properties = {k: convert(v) for k, v in schema["properties"].items()}
    properties["op"] = {"type": "string", "enum": [schema["properties"]["op"]["const"]]}
    return properties, ["op", *schema.get("required", [])]


def _op_variants(model: type[BaseModel], *, strict: bool) -> list[dict[str, Any]]:
    """One schema per op; ops that carry a kind and its config get one variant per kind."""
    properties, required = _fields(model, strict=strict)
    about = " ".join((model.__doc__ or "").split())  # the op's semantics, for the model
    if "config" not in properties:
        return [closed_object(properties, required, strict=strict, description=about)]
    if "kind" not in properties:  # update_node: the kind is the node's, read from the graph
        configs = [_ref(f"partial_config_{name}") for name in KINDS]
        properties["config"] = {"anyOf": configs}
        return [closed_object(properties, required, strict=strict, description=about)]
    # add_node offers actions only: a second trigger is always invalid (set_trigger swaps it).
    allowed = properties["kind"].get("enum") or [n for n in KINDS if n not in TRIGGER_KINDS]
    required = [*dict.fromkeys([*required, "config"])]
    variants: list[dict[str, Any]] = []
    for name in allowed:
        kind_props = {"kind": {"type": "string", "enum": [name]}, "config": _ref(f"config_{name}")}
        # The semantics once per op, not per kind variant: the schema stays compact.
        variants.append(closed_object(properties | kind_props, required, strict=strict,
                                      description="" if variants else about))
    return variants


def _graph_defs(*, strict: bool) -> dict[str, Any]:
    defs: dict[str, Any] = {}
    for name, kind in KINDS.items():
        defs[f"config_{name}"] = _config(kind.config_schema(), strict=strict)
        defs[f"partial_config_{name}"] = _config(kind.config_schema(), strict=strict, partial=True)
        node = {"id": {**_STR, "description": "unique; letters, digits, _ and -"},
                "kind": {"type": "string", "enum": [name]}, "label": _STR,
                "config": _ref(f"config_{name}")}
        defs[f"node_{name}"] = closed_object(node, list(node), strict=strict)
    branch = {"type": "string", "enum": ["true", "false"],
              "description": "only on edges leaving a condition node"}
    edge = {"id": _STR, "source": _STR, "target": _STR, "branch": branch}
    defs["edge"] = closed_object(edge, ["id", "source", "target"], strict=strict)
    workflow = {
        "name": _STR, "description": _STR,
        "nodes": {"type": "array", "items": {"anyOf": [_ref(f"node_{n}") for n in KINDS]}},
        "edges": {"type": "array", "items": _ref("edge")},
    }
    defs["workflow"] = closed_object(workflow, ["name", "nodes", "edges"], strict=strict)
    return defs


def op_models() -> tuple[type[BaseModel], ...]:
    """The op classes of patch_ops.PatchOp, in its order."""
    # PatchOp is Annotated[Union[...], discriminator]: its first argument is the union.
    return get_args(get_args(PatchOp)[0])


@lru_cache(maxsize=2)
def answer_schema(*, strict: bool = True) -> dict[str, Any]:
    """The answer's JSON Schema (a fresh build per process; callers must not mutate it)."""
    defs = _graph_defs(strict=strict)
    variants = [v for model in op_models() for v in _op_variants(model, strict=strict)]
    ops = {"type": "array", "items": {"anyOf": variants}}
    defs["patch"] = closed_object({"ops": ops}, ["ops"], strict=strict)
    message = {**_STR, "description": "markdown for the person, shown in the chat"}
    workflow = nullable(_ref("workflow")) | {"description": "a first graph or a deliberate rebuild"}
    patch = nullable(_ref("patch")) | {"description": "edits to the current graph"}
    properties = {"message": message, "workflow": workflow, "patch": patch}
    root = closed_object(properties, ["message"], strict=strict)
    return {**root, "$defs": defs}


def response_format() -> dict[str, Any]:
    """The OpenAI `response_format` asking for strict output in the answer schema."""
    schema = {"name": SCHEMA_NAME, "strict": True, "schema": answer_schema(strict=True)}
    return {"type": "json_schema", "json_schema": schema}

