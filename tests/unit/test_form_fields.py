"""The inspector form comes from each kind's Config schema: widgets, conditions, checks, hints."""

import pytest

from tests.support.sample_graphs import digest
from workflow_chat.graph.form_fields import (
    config_with, cron_preview, display_value, field_spec, form_fields, insert_hint, is_visible,
    output_keys, parse_value, template_hints, validate_field,
)
from workflow_chat.graph.problems import node_problems
from workflow_chat.llm.offline import plan
from workflow_chat.nodes import KINDS


def widgets(kind: str) -> dict[str, str]:
    return {spec.name: spec.widget for spec in form_fields(kind)}


def test_widgets_come_from_types_and_declared_hints():
    assert widgets("http_request") == {"method": "select", "url": "text", "headers": "json",
                                       "body": "json", "timeout_seconds": "number"}
    assert widgets("llm") == {"operation": "select", "prompt": "template", "input": "template",
                              "labels": "list", "target_language": "text", "model": "text"}
    assert widgets("schedule") == {"cron": "cron", "timezone": "text"}
    assert widgets("slack") == {"text": "template", "webhook_secret": "secret", "channel": "text"}
    assert widgets("transform") == {"template": "template", "parse_json": "switch"}
    assert widgets("condition") == {"expression": "template"}
    assert widgets("delay") == {"amount": "number", "unit": "select"}
    assert widgets("email") == {"to": "text", "subject": "text", "body": "template"}
    assert form_fields("manual") == [] and form_fields("teleport") == []


def test_every_config_field_has_a_form_field():
    for name, kind in KINDS.items():
        assert [s.name for s in form_fields(name)] == list(kind.config.model_fields), name


def test_spec_details():
    method = field_spec("http_request", "method")
    assert method.options == ("GET", "POST", "PUT", "PATCH", "DELETE") and method.default == "GET"
    assert not method.required and field_spec("http_request", "url").required
    assert field_spec("http_request", "url").label == "URL"
    assert field_spec("http_request", "timeout_seconds").label == "Timeout (seconds)"
    assert field_spec("slack", "webhook_secret").help.startswith("Name of the secret")
    assert field_spec("condition", "expression").expression
    assert field_spec("llm", "target_language").label == "Target language"


def test_show_if_conditions():
    labels, language = field_spec("llm", "labels"), field_spec("llm", "target_language")
    assert labels.show_if == {"operation": ["classify"]}
    assert language.show_if == {"operation": ["translate"]}
    assert is_visible(labels, {"operation": "classify"})
    assert not is_visible(labels, {"operation": "summarise"})
    assert is_visible(language, {"operation": "translate"}) and not is_visible(language, {})
    assert is_visible(field_spec("llm", "prompt"), {"operation": "generate"})


@pytest.mark.parametrize(("kind", "name", "raw", "value"), [
    ("http_request", "timeout_seconds", "12.5", 12.5),
    ("delay", "amount", "3", 3.0),
    ("http_request", "headers", '{"Accept": "json"}', {"Accept": "json"}),
    ("http_request", "body", "", None),
    ("transform", "parse_json", True, True),
    ("transform", "parse_json", "false", False),
    ("llm", "labels", "bug, question\nidea,, ", ["bug", "question", "idea"]),
    ("llm", "target_language", "  ", None),
    ("email", "subject", "", ""),
])
def test_parse_value_per_widget(kind, name, raw, value):
    assert parse_value(field_spec(kind, name), raw) == value


@pytest.mark.parametrize(("kind", "name", "raw", "message"), [
    ("delay", "amount", "soon", "Enter a number."),
    ("delay", "amount", "inf", "Enter a finite number."),
    ("http_request", "headers", '{"Accept": ', "Not valid JSON: Expecting value (line 1, column 12)."),
])
def test_parse_value_refuses_unreadable_text(kind, name, raw, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_value(field_spec(kind, name), raw)


def test_display_value():
    assert display_value(field_spec("delay", "amount"), 5.0) == "5"
    assert display_value(field_spec("llm", "labels"), ["a", "b"]) == "a, b"
    assert display_value(field_spec("http_request", "headers"), {"A": "b"}) == '{\n  "A": "b"\n}'
    assert display_value(field_spec("llm", "model"), None) == ""


def test_validate_field_messages():
    fetch = {"method": "GET", "url": "https://example.com", "timeout_seconds": 30}
    assert validate_field("http_request", fetch, "url", "https://ok.example") is None
    assert validate_field("http_request", fetch, "url", "ftp://x") == \
        "Url must start with http:// or https://."
    assert validate_field("http_request", fetch, "timeout_seconds", 0) == \
        "Input should be greater than 0."
    assert validate_field("http_request", fetch, "method", "FETCH").startswith("Input should be 'GET'")
    assert validate_field("http_request", fetch, "url", "") == "This field is required."
    assert validate_field("schedule", {"cron": "0 9 * * *"}, "cron", "0 9 * *") == \
        "Cron must have 5 fields (minute hour day month weekday), got 4."
    assert validate_field("schedule", {"cron": "0 9 * * *"}, "timezone", "Mars/Base") == \
        "Unknown time zone 'Mars/Base'."
    assert validate_field("slack", {"text": "hi"}, "webhook_secret", "https://hooks.slack.com/x") == \
        "Enter the name of a secret (like SLACK_WEBHOOK_URL), not its value."
    assert validate_field("slack", {"text": "hi"}, "webhook_secret", "TEAM_HOOK") is None
    assert validate_field("slack", {"text": "hi"}, "nope", 1) == "slack has no field 'nope'."
    # A problem elsewhere in the config is not this field's problem.
    assert validate_field("email", {"to": "a@b.c"}, "to", "x@y.z") is None


def test_config_with_follows_update_node():
    stored = config_with("slack", {"text": "hi"}, "channel", "#ops")
    assert stored == {"text": "hi", "webhook_secret": "SLACK_WEBHOOK_URL", "channel": "#ops"}
    assert config_with("slack", stored, "webhook_secret", None)["webhook_secret"] == "SLACK_WEBHOOK_URL"


def test_output_keys():
    assert output_keys(KINDS["http_request"].outputs) == ["status", "headers", "body"]
    assert output_keys(KINDS["webhook"].outputs) == ["body", "headers", "query"]
    assert output_keys(KINDS["merge"].outputs) == ["inputs"]
    assert output_keys(KINDS["manual"].outputs) == []


def test_template_hints_for_a_planned_graph():
    workflow = plan("every weekday at 9 fetch https://api.github.com/issues, summarise them "
                    "and post the summary to slack").workflow
    order = [n.id for n in workflow.nodes]
    kinds = {n.id: n.kind for n in workflow.nodes}
    last = order[-1]
    hints = template_hints(workflow, last)
    fetch = next(i for i, k in kinds.items() if k == "http_request")
    summary = next(i for i, k in kinds.items() if k == "llm")
    trigger = next(i for i, k in kinds.items() if k == "schedule")
    assert f"{{{{ nodes.{fetch}.output.body }}}}" in hints
    assert f"{{{{ nodes.{summary}.output.text }}}}" in hints
    assert hints[0] == f"{{{{ nodes.{trigger}.output.scheduled_at }}}}"
    assert not any(f"nodes.{last}." in h for h in hints)
    assert template_hints(workflow, trigger) == []


def test_template_hints_only_upstream():
    graph = digest()
    assert template_hints(graph, "summarise") == [
        "{{ nodes.trigger.output.scheduled_at }}", "{{ nodes.fetch.output.status }}",
        "{{ nodes.fetch.output.headers }}", "{{ nodes.fetch.output.body }}",
    ]
    assert "{{ nodes.summarise.output.text }}" in template_hints(graph.to_json(), "email")


def test_insert_hint():
    assert insert_hint("", "{{ nodes.a.output }}") == "{{ nodes.a.output }}"
    assert insert_hint("Hi", "{{ nodes.a.output }}") == "Hi {{ nodes.a.output }}"
    assert insert_hint("x > ", "{{ nodes.a.output.n }}", expression=True) == "x > nodes.a.output.n"


def test_cron_preview():
    assert cron_preview("0 9 * * 1-5") == "At 09:00, Monday through Friday"
    assert cron_preview("0  9 * * 1-5") == "At 09:00, Monday through Friday"
    assert cron_preview("0 9 * *") == \
        "Cron must have 5 fields (minute hour day month weekday), got 4"
    assert cron_preview("61 9 * * *") == "Invalid cron expression '61 9 * * *'"


def test_node_problems_on_broken_graphs():
    assert node_problems(digest()) == {}
    graph = digest().to_json()
    graph["nodes"][1]["config"]["url"] = "nowhere"
    graph["nodes"].append({"id": "lost", "kind": "delay", "label": "Lost", "config": {"amount": 1}})
    graph["nodes"].append({"id": "alien", "kind": "teleport", "label": "Beam"})
    graph["edges"].append({"id": "e9", "source": "email", "target": "ghost"})
    problems = node_problems(graph)
    assert problems["fetch"] == ["URL: url must start with http:// or https://"]
    assert problems["alien"][0].startswith("Unknown kind 'teleport'")
    assert problems["email"] == ["Connection email → ghost: refers to missing node 'ghost'"]
    assert set(problems) == {"fetch", "alien", "email"}  # reachability is checked once the rest holds

    loop = digest().to_json()
    loop["edges"].append({"id": "back", "source": "email", "target": "fetch"})
    loop["nodes"].append({"id": "orphan", "kind": "delay", "label": "O", "config": {"amount": 1}})
    problems = node_problems(loop)
    assert problems == {n: ["This step is part of a loop."] for n in ("fetch", "summarise", "email")}
    del loop["edges"][-1]
    assert node_problems(loop) == {"orphan": ["Cannot be reached from the trigger"]}

    two = digest().to_json()
    two["nodes"].append({"id": "hook", "kind": "webhook", "label": "Hook"})
    assert node_problems(two)["hook"] == ["A workflow has exactly one trigger; remove the others."]
    assert node_problems({"nodes": [{"id": "a", "kind": "manual"}]}) == {"a": ["label: Field required"]}
