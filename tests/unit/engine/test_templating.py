"""Templates over a run's data: scope, native values, clear errors and the sandbox."""

from __future__ import annotations

import time

import pytest

from workflow_chat.engine.context import ConnectorError, RunContext
from workflow_chat.engine.secrets import MASK, Secrets
from workflow_chat.engine.templating import evaluate, render, render_value

OUTPUTS = {"fetch": {"status": 200, "body": {"items": [{"title": "A"}, {"title": "B"}]}},
           "summarise": {"text": "All good"}}


@pytest.fixture
def ctx() -> RunContext:
    secrets = Secrets({"WFC_SECRET_TOKEN": "s3cret-value"})
    return RunContext("run-1", "node-1", outputs=OUTPUTS, trigger={"user": "ada"}, secrets=secrets)


def _error(call, *args, **kwargs) -> ConnectorError:
    with pytest.raises(ConnectorError) as caught:
        call(*args, **kwargs)
    assert not caught.value.retryable
    return caught.value


def test_render_sees_nodes_trigger_run_and_secrets(ctx: RunContext) -> None:
    text = render("{{ nodes.summarise.output.text }} for {{ trigger.user }} in {{ run.id }} "
                  "with {{ secrets.TOKEN }}", ctx)
    assert text == "All good for ada in run-1 with s3cret-value"


def test_dicts_and_lists_render_as_json(ctx: RunContext) -> None:
    body = render("{{ nodes.fetch.output.body }}", ctx)
    assert body == '{"items": [{"title": "A"}, {"title": "B"}]}'
    assert render("{{ nodes.fetch.output | tojson }}", ctx).startswith('{"status": 200')


def test_json_keys_win_over_dict_methods(ctx: RunContext) -> None:
    assert render("{{ nodes.fetch.output.body.items | length }}", ctx) == "2"


def test_a_missing_trigger_is_an_empty_mapping() -> None:
    assert render("{{ trigger | length }}", RunContext("r", "n")) == "0"


def test_render_value_keeps_native_types_for_a_single_expression(ctx: RunContext) -> None:
    value = {"items": "{{ nodes.fetch.output.body.items }}", "count": " {{ 1 + 1 }} ",
             "label": "n={{ nodes.fetch.output.status }}", "plain": "no templates", "n": 3,
             "list": ["{{ trigger.user }}", None]}
    assert render_value(value, ctx) == {
        "items": [{"title": "A"}, {"title": "B"}], "count": 2, "label": "n=200",
        "plain": "no templates", "n": 3, "list": ["ada", None],
    }


def test_whitespace_control_is_not_part_of_a_single_expression(ctx: RunContext) -> None:
    assert render_value("{{- nodes.fetch.output.status -}}", ctx) == 200
    assert render_value("{{ -1 }}", ctx) == -1


def test_two_expressions_render_as_text(ctx: RunContext) -> None:
    assert render_value("{{ nodes.fetch.output.status }}{{ trigger.user }}", ctx) == "200ada"


def test_evaluate_returns_the_native_value(ctx: RunContext) -> None:
    assert evaluate("nodes.fetch.output.status == 200", ctx) is True
    titles = "nodes.fetch.output.body['items'] | map(attribute='title') | list"
    assert evaluate(titles, ctx) == ["A", "B"]
    assert evaluate("nodes.missing is defined", ctx) is False


def test_a_missing_node_is_named_with_the_finished_ones(ctx: RunContext) -> None:
    error = _error(render, "{{ nodes.fecth.output.body }}", ctx, field="url")
    assert error.message == ("url: unknown name: no node 'fecth' has finished before this one "
                             "(finished: fetch, summarise)")


def test_a_missing_key_is_named_with_its_path_and_the_keys_there(ctx: RunContext) -> None:
    error = _error(evaluate, "nodes.fetch.output.bdy | length > 0", ctx, field="expression")
    assert "nodes.fetch.output has no 'bdy' (it has: body, status)" in error.message
    assert error.message.startswith("expression: ")
    error = _error(render, "{{ nodes.fetch.output.body['items'][0].name }}", ctx)
    assert "nodes.fetch.output.body.items[0] has no 'name' (it has: title)" in error.message


def test_an_unknown_top_level_name_says_what_exists(ctx: RunContext) -> None:
    error = _error(render_value, {"a": ["{{ node.fetch }}"]}, ctx, field="body")
    assert error.message.startswith("body.a.0: unknown name: 'node' is not defined")
    assert "nodes, trigger, secrets or run" in error.message


def test_a_missing_secret_is_named(ctx: RunContext) -> None:
    error = _error(render, "{{ secrets.SLACK_URL }}", ctx, field="headers.Authorization")
    assert error.message.startswith("headers.Authorization: secret SLACK_URL is not set")


def test_secret_values_never_appear_in_errors(ctx: RunContext) -> None:
    error = _error(render, "{{ nodes[secrets.TOKEN] }}", ctx)
    assert "s3cret-value" not in error.message and MASK in error.message


@pytest.mark.parametrize("template", [
    "{{ ''.__class__.__mro__ }}",
    "{{ nodes.__class__ }}",
    "{{ secrets.__dict__ }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ nodes.fetch.output.body['items'].append(1) }}",
])
def test_the_sandbox_blocks_internals_and_mutation(ctx: RunContext, template: str) -> None:
    error = _error(render, template, ctx)
    assert "not allowed" in error.message or "unknown name" in error.message
    assert OUTPUTS["fetch"]["body"]["items"] == [{"title": "A"}, {"title": "B"}]


def test_introspection_reports_a_sandbox_violation(ctx: RunContext) -> None:
    error = _error(render, "{{ ''.__class__.__mro__ }}", ctx, field="template")
    assert error.message.startswith("template: not allowed in templates: access to attribute")


@pytest.mark.parametrize("template", ["{{ 'a' * 100000000 }}", "{{ 9 ** 9999999 }}"])
def test_huge_values_are_refused(ctx: RunContext, template: str) -> None:
    message = _error(render, template, ctx).message
    assert "too large" in message or "more than" in message


@pytest.mark.parametrize("template", ["{{ [1, 2] | random }}", "{{ lipsum() }}"])
def test_nothing_random_is_in_scope(ctx: RunContext, template: str) -> None:
    _error(render, template, ctx)


def test_syntax_errors_are_reported(ctx: RunContext) -> None:
    error = _error(render, "{{ nodes.fetch.output ", ctx, field="template")
    assert error.message.startswith("template: template syntax error")


def test_other_failures_become_template_errors(ctx: RunContext) -> None:
    assert "division by zero" in _error(evaluate, "1 / 0", ctx).message


def test_rendering_is_fast_enough_for_the_runner(ctx: RunContext) -> None:
    # The runner's benchmark renders thousands of transforms a second: compiled templates are
    # cached, so this stays far below a second.
    started = time.perf_counter()
    for _ in range(2000):
        render("{{ nodes.summarise.output.text | upper }} #{{ nodes.fetch.output.status }}", ctx)
        evaluate("nodes.fetch.output.status == 200", ctx)
    assert time.perf_counter() - started < 1.0
