"""The answer schema follows the registry and strict mode's rules, and what strict output yields
is accepted by our validators."""

from __future__ import annotations

import json
from typing import Any

import pytest

from workflow_chat.graph import parse_workflow
from workflow_chat.graph.patch import apply_patch
from workflow_chat.llm.answer import AnswerInvalid, read_answer
from workflow_chat.llm.answer_schema import answer_schema, op_models, response_format
from workflow_chat.llm.prompt import EXAMPLE_ANSWER, EXAMPLE_PATCH_ANSWER
from workflow_chat.llm.strict_schema import from_strict, is_map
from workflow_chat.nodes import KINDS, TRIGGER_KINDS

STRICT = answer_schema(strict=True)
DEFS = STRICT["$defs"]


def walk(schema: Any):
    if isinstance(schema, dict):
        yield schema
        for value in schema.values():
            yield from walk(value)
    elif isinstance(schema, list):
        for item in schema:
            yield from walk(item)


def resolve(schema: dict[str, Any]) -> dict[str, Any]:
    return DEFS[schema["$ref"].split("/")[-1]] if "$ref" in schema else schema


def conforms(value: Any, schema: dict[str, Any]) -> bool:
    """A small JSON Schema check covering the keywords the strict form uses."""
    schema = resolve(schema)
    if "anyOf" in schema:
        return any(conforms(value, option) for option in schema["anyOf"])
    if "enum" in schema and value not in schema["enum"]:
        return False
    types = schema.get("type")
    types = [types] if isinstance(types, str) else types or []
    names = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null",
             int: "number", float: "number"}
    if types and names[type(value)] not in types and not (
        isinstance(value, int) and "integer" in types):
        return False
    if isinstance(value, dict):
        props = schema["properties"]
        return set(value) == set(props) and all(conforms(v, props[k]) for k, v in value.items())
    if isinstance(value, list):
        return all(conforms(item, schema["items"]) for item in value)
    return True


def strict_config(config: dict[str, Any], kind: str, partial: bool = False) -> dict[str, Any]:
    """A config as a strict-mode model writes it: every field, nulls, maps as pairs."""
    source = KINDS[kind].config_schema()["properties"]
    out: dict[str, Any] = {}
    for name, field in source.items():
        value = config.get(name)
        if is_map(field) and isinstance(value, dict):
            value = [{"key": k, "value": v} for k, v in value.items()]
        out[name] = value
    return out


def test_strict_form_follows_the_rules_of_strict_mode() -> None:
    objects = [s for s in walk(STRICT) if s.get("type") == "object" or "properties" in s]
    assert objects
    for schema in objects:
        assert schema["additionalProperties"] is False
        assert schema["required"] == list(schema["properties"])
    refs = {s["$ref"].split("/")[-1] for s in walk(STRICT) if "$ref" in s}
    assert refs <= set(DEFS)
    forbidden = {"default", "title", "minLength", "maxLength", "pattern", "exclusiveMinimum"}
    assert not any(forbidden & set(s) for s in walk(DEFS) if "properties" not in s)
    assert list(STRICT["properties"]) == ["message", "workflow", "patch"]
    assert response_format()["json_schema"]["strict"] is True


def test_kinds_and_ops_come_from_the_registry_and_patch_ops() -> None:
    nodes = DEFS["workflow"]["properties"]["nodes"]["items"]["anyOf"]
    assert [resolve(n)["properties"]["kind"]["enum"] for n in nodes] == [[k] for k in KINDS]
    ops = DEFS["patch"]["properties"]["ops"]["items"]["anyOf"]
    names = {o["properties"]["op"]["enum"][0] for o in ops}
    assert names == {m.model_fields["op"].default for m in op_models()}
    added = [o["properties"]["kind"]["enum"][0] for o in ops
             if o["properties"]["op"]["enum"] == ["add_node"]]
    assert set(added) == set(KINDS) - TRIGGER_KINDS
    loose = answer_schema(strict=False)
    assert loose["required"] == ["message"] and "$defs" in loose


def test_strict_answers_are_accepted_by_the_validators() -> None:
    data = json.loads(json.dumps(EXAMPLE_ANSWER))
    workflow = data["workflow"]
    workflow["description"] = None
    del workflow["schema"]  # not in the strict form: the only version has the default 1
    for node in workflow["nodes"]:
        node["config"] = strict_config(node["config"], node["kind"])
    assert conforms(data, STRICT)
    parsed = parse_workflow(read_answer(json.dumps(data)).workflow)
    expected = parse_workflow(EXAMPLE_ANSWER["workflow"])
    assert parsed.description == "" and parsed.nodes == expected.nodes
    assert parsed.edges == expected.edges

    patch = json.loads(json.dumps(EXAMPLE_PATCH_ANSWER))
    add, update = patch["patch"]["ops"]
    add |= {"config": strict_config(add["config"], "email"), "before": None, "branch": None}
    update["config"] = strict_config(update["config"], "schedule")
    assert conforms(patch, STRICT)
    current = parse_workflow(EXAMPLE_ANSWER["workflow"])
    strict = read_answer(json.dumps(patch), current=current).patch
    plain = read_answer(json.dumps(EXAMPLE_PATCH_ANSWER), current=current).patch
    assert strict is not None and plain is not None
    assert apply_patch(current, strict).workflow == apply_patch(current, plain).workflow


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_round_trips_through_the_strict_form(kind: str) -> None:
    schema = KINDS[kind].config_schema()
    strict_all_null = {name: None for name in schema["properties"]}
    decoded = from_strict(strict_all_null, schema, partial=True)
    assert decoded == {}  # an update that changes nothing
    assert conforms(strict_all_null, DEFS[f"partial_config_{kind}"])


def test_free_form_values_and_bad_shapes() -> None:
    schema = KINDS["http_request"].config_schema()
    assert from_strict({"url": "https://x", "body": '{"a": [1]}'}, schema)["body"] == {"a": [1]}
    assert from_strict({"url": "https://x", "body": "{{ nodes.a.output }}"}, schema)["body"] == (
        "{{ nodes.a.output }}")
    assert from_strict({"url": "https://x", "headers": {"A": "b"}}, schema)["headers"] == {"A": "b"}
    for raw in ("[]", '{"workflow": null}', '{"message": "", "workflow": null}', "nope"):
        with pytest.raises(AnswerInvalid):
            read_answer(raw)
    with pytest.raises(AnswerInvalid, match="patch.ops.0"):
        read_answer('{"message": "x", "patch": {"ops": [{"op": "explode"}]}}')
