"""Graph validation: every rule from DESIGN.md, each with a message a person or a model can act on."""

from __future__ import annotations

import copy

import pytest

from workflow_chat.graph import GraphInvalid, parse_workflow

VALID = {
    "schema": 1,
    "name": "Digest",
    "nodes": [
        {"id": "start", "kind": "schedule", "label": "Every day", "config": {"cron": "0 8 * * *"}},
        {"id": "fetch", "kind": "http_request", "label": "Fetch",
         "config": {"url": "https://example.com/items"}},
        {"id": "check", "kind": "condition", "label": "Any?",
         "config": {"expression": "nodes.fetch.output.body | length > 0"}},
        {"id": "mail", "kind": "email", "label": "Mail",
         "config": {"to": "me@example.com", "subject": "Items", "body": "{{ nodes.fetch.output.body }}"}},
    ],
    "edges": [
        {"id": "e1", "source": "start", "target": "fetch"},
        {"id": "e2", "source": "fetch", "target": "check"},
        {"id": "e3", "source": "check", "target": "mail", "branch": "true"},
    ],
}


def broken(change) -> list[str]:
    graph = copy.deepcopy(VALID)
    change(graph)
    with pytest.raises(GraphInvalid) as caught:
        parse_workflow(graph)
    return caught.value.errors


def test_a_valid_graph_parses_with_defaults_filled_in():
    workflow = parse_workflow(VALID)
    fetch = workflow.node("fetch")
    assert fetch.config["method"] == "GET" and fetch.config["timeout_seconds"] == 30
    assert workflow.node("start").config["timezone"] == "UTC"
    assert workflow.to_json()["schema"] == 1


@pytest.mark.parametrize(("change", "message"), [
    (lambda g: g["nodes"].append(dict(g["nodes"][1])), "node id 'fetch' is used more than once"),
    (lambda g: g["edges"].append({"id": "e1", "source": "fetch", "target": "mail"}),
     "edge id 'e1' is used more than once"),
    (lambda g: g["nodes"][1].update(kind="teleport"), "unknown kind 'teleport'"),
    (lambda g: g["nodes"][1]["config"].update(retries=3), "retries: Extra inputs are not permitted"),
    (lambda g: g["nodes"][1]["config"].pop("url"), "url: Field required"),
    (lambda g: g["nodes"][1]["config"].update(url="ftp://x"), "url must start with http"),
    (lambda g: g["nodes"][0]["config"].update(cron="61 * * * *"), "invalid cron"),
    (lambda g: g["nodes"][0]["config"].update(timezone="Mars/Base"), "unknown time zone"),
    (lambda g: g["edges"].append({"id": "e9", "source": "fetch", "target": "ghost"}),
     "refers to missing node 'ghost'"),
    (lambda g: g["nodes"][0].update(kind="manual", config={}) or g["nodes"].append(
        {"id": "hook", "kind": "webhook", "label": "Hook"}), "exactly one trigger"),
    (lambda g: (g["nodes"].pop(0), g["edges"].pop(0)), "exactly one trigger node (found: none)"),
    (lambda g: g["edges"].append({"id": "e9", "source": "fetch", "target": "start"}),
     "points into trigger 'start'"),
    (lambda g: g["edges"].append({"id": "e9", "source": "mail", "target": "fetch"}), "cycle"),
    (lambda g: g["edges"].append({"id": "e9", "source": "fetch", "target": "fetch"}),
     "connects node 'fetch' to itself"),
    (lambda g: g["edges"].pop(), "node 'mail' cannot be reached from the trigger"),
    (lambda g: g["edges"][2].update(branch=None), "must name its branch (true or false)"),
    (lambda g: g["edges"][0].update(branch="true"), "only condition nodes have branches"),
    (lambda g: g["edges"].append({"id": "e9", "source": "start", "target": "fetch"}),
     "duplicates another edge"),
])
def test_each_rule_is_reported_clearly(change, message):
    errors = broken(change)
    assert any(message in e for e in errors), errors


def test_all_problems_are_reported_together():
    def many(graph):
        graph["nodes"][1]["kind"] = "teleport"
        graph["nodes"][3]["config"]["bcc"] = "x"
        graph["edges"].append({"id": "e9", "source": "fetch", "target": "ghost"})

    errors = broken(many)
    assert len(errors) >= 3


@pytest.mark.parametrize("junk", [None, [], "graph", {"nodes": "x"}, {"nodes": [{"id": "a b"}]},
                                  {"schema": 2}, {"nodes": [], "edges": [], "extra": True}])
def test_malformed_input_is_a_graph_error_not_a_crash(junk):
    with pytest.raises(GraphInvalid):
        parse_workflow(junk)
