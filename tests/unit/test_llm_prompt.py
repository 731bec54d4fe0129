"""The system prompt is built from the node registry and teaches the rules and answer format."""

from __future__ import annotations

import json
import re

import pytest

from workflow_chat.graph import parse_workflow
from workflow_chat.llm.generate import GenerationError, build_messages, parse_answer
from workflow_chat.llm.prompt import EXAMPLE_ANSWER, build_system_prompt, describe_kind
from workflow_chat.nodes import KINDS


def test_every_kind_is_described_with_its_schema_and_outputs() -> None:
    prompt = build_system_prompt()
    for name, kind in KINDS.items():
        line = next(line for line in prompt.splitlines() if line.startswith(f"- {name} ("))
        assert kind.description in line and kind.outputs in line
        schema = json.loads(line.split("Config schema: ", 1)[1])
        assert set(schema["properties"]) == set(kind.config_schema()["properties"])
        assert schema.get("required", []) == kind.config_schema().get("required", [])


def test_schemas_drop_title_noise_but_keep_fields_named_title() -> None:
    line = describe_kind(KINDS["http_request"])
    assert '"title"' not in line
    # A property called "title" must survive the compaction.
    from workflow_chat.llm.prompt import compact_schema

    schema = {"title": "Config", "properties": {"title": {"title": "Title", "type": "string"}}}
    assert compact_schema(schema) == {"properties": {"title": {"type": "string"}}}


def test_rules_and_answer_format_are_stated() -> None:
    prompt = build_system_prompt()
    for phrase in (
        '{"message":',
        '"workflow"',
        "unique",
        "Exactly one trigger",
        "No cycles",
        "reachable from the trigger",
        '"true" or "false"',
        "{{ nodes.<id>.output",
        "{{ secrets.NAME }}",
    ):
        assert phrase in prompt, phrase
    assert "Branches: true, false" in describe_kind(KINDS["condition"])


def test_example_answer_is_a_valid_workflow_and_uses_secrets_by_name() -> None:
    workflow = parse_workflow(EXAMPLE_ANSWER["workflow"])
    assert workflow.nodes[0].kind == "schedule"
    assert re.search(r"\{\{ secrets\.[A-Z_]+ \}\}", json.dumps(EXAMPLE_ANSWER))
    assert json.dumps(EXAMPLE_ANSWER, separators=(",", ":")) in build_system_prompt()


def test_prompt_is_compact() -> None:
    assert len(build_system_prompt()) < 12_000  # about 3k tokens: fits small local models


def test_build_messages_needs_a_final_user_message() -> None:
    with pytest.raises(ValueError):
        build_messages([{"role": "assistant", "content": "hi"}])
    messages = build_messages([{"role": "user", "content": "hi"}])
    assert messages[0] == {"role": "system", "content": build_system_prompt()}


def test_parse_answer_accepts_fenced_json_and_rejects_bad_shapes() -> None:
    text, workflow = parse_answer("```json\n" + json.dumps(EXAMPLE_ANSWER) + "\n```")
    assert text == EXAMPLE_ANSWER["message"] and workflow is not None
    for raw in ("[]", '{"workflow": null}', '{"message": "", "workflow": null}'):
        with pytest.raises(GenerationError):
            parse_answer(raw)


def test_every_patch_op_is_explained() -> None:
    from workflow_chat.llm.answer_schema import op_models

    prompt = build_system_prompt()
    for model in op_models():
        assert f'{{"op": "{model.model_fields["op"].default}"' in prompt


def test_example_patch_applies_to_the_example_graph() -> None:
    from workflow_chat.graph.patch import apply_patch
    from workflow_chat.llm.answer import read_answer
    from workflow_chat.llm.prompt import EXAMPLE_PATCH_ANSWER

    current = parse_workflow(EXAMPLE_ANSWER["workflow"])
    patch = read_answer(json.dumps(EXAMPLE_PATCH_ANSWER), current=current).patch
    result = apply_patch(current, patch)
    assert result.changes.added == ("mail",) and "every_weekday" in result.changes.changed


def test_current_graph_follows_the_fixed_prompt_without_positions() -> None:
    from workflow_chat.llm.prompt import system_prompt

    current = parse_workflow(EXAMPLE_ANSWER["workflow"])
    current.nodes[0].position.x = 321.5
    prompt = system_prompt(current)
    assert prompt.startswith(build_system_prompt()) and system_prompt(None) == build_system_prompt()
    graph = json.loads(prompt.split("positions are left out):\n", 1)[1].split("\n", 1)[0])
    assert [n["id"] for n in graph["nodes"]] == [n.id for n in current.nodes]
    assert all("position" not in n for n in graph["nodes"]) and "321.5" not in prompt
    assert 'with "patch" ops' in prompt
    messages = build_messages([{"role": "user", "content": "add a step"}], current=current)
    assert messages[0]["content"] == prompt
