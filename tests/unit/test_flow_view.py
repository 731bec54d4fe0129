"""The canvas view of a workflow: React Flow nodes and edges, layout need, positions back."""

import math

import pytest

from workflow_chat.graph.flow_view import apply_positions, flow_edges, flow_nodes, needs_layout
from workflow_chat.graph.schema import Workflow
from workflow_chat.nodes import KINDS


def sample() -> dict:
    return Workflow.model_validate(
        {
            "schema": 1,
            "name": "Triage",
            "nodes": [
                {"id": "start", "kind": "manual", "label": "Start"},
                {
                    "id": "fetch",
                    "kind": "http_request",
                    "label": "Fetch issues",
                    "config": {"url": "https://api.github.com/issues"},
                },
                {"id": "check", "kind": "condition", "label": "Any?", "config": {"expression": "x > 0"}},
                {"id": "post", "kind": "slack", "label": "Post", "config": {"text": "hi", "webhook_secret": "S"}},
                {"id": "wait", "kind": "delay", "label": "Wait", "config": {"amount": 5}},
            ],
            "edges": [
                {"id": "e1", "source": "start", "target": "fetch"},
                {"id": "e2", "source": "fetch", "target": "check"},
                {"id": "e3", "source": "check", "target": "post", "branch": "true"},
                {"id": "e4", "source": "check", "target": "wait", "branch": "false"},
            ],
        }
    ).to_json()


def test_nodes_carry_what_the_card_shows():
    nodes = {n["id"]: n for n in flow_nodes(sample())}
    fetch = nodes["fetch"]
    assert fetch["type"] == "workflow"
    assert fetch["position"] == {"x": 0.0, "y": 0.0}
    kind = KINDS["http_request"]
    assert fetch["data"] == {
        "label": "Fetch issues",
        "kind": "http_request",
        "title": kind.title,
        "icon": kind.icon,
        "colour": kind.colour,
        "summary": "GET https://api.github.com/issues",
        "category": "action",
        "branches": [],
        "highlighted": False,
        "problems": [],
    }
    assert nodes["start"]["data"]["category"] == "trigger"
    assert nodes["check"]["data"]["branches"] == ["true", "false"]


def test_nodes_touched_by_the_last_change_are_highlighted():
    nodes = {n["id"]: n for n in flow_nodes(sample(), highlight=["fetch"])}
    assert nodes["fetch"]["data"]["highlighted"] is True
    assert nodes["start"]["data"]["highlighted"] is False


def test_nodes_carry_their_validation_problems():
    graph = sample()
    graph["nodes"][1]["config"]["url"] = "ftp://nowhere"
    graph["edges"][2]["branch"] = None  # a condition's edge without its branch
    nodes = {n["id"]: n for n in flow_nodes(graph)}
    assert nodes["fetch"]["data"]["problems"] == ["URL: url must start with http:// or https://"]
    assert nodes["check"]["data"]["problems"] == [
        "Connection check → post: leaves condition 'check' and must name its branch (true or false)"
    ]
    assert nodes["start"]["data"]["problems"] == [] and nodes["wait"]["data"]["problems"] == []


def test_unknown_kind_is_drawn_plainly():
    graph = {"nodes": [{"id": "a", "kind": "teleport", "label": "Beam"}], "edges": []}
    (node,) = flow_nodes(graph)
    assert node["data"]["title"] == "Unknown kind: teleport"
    assert node["data"]["branches"] == []
    assert node["position"] == {"x": 0.0, "y": 0.0}


def test_edges_use_branch_as_handle_and_label():
    edges = {e["id"]: e for e in flow_edges(sample())}
    assert edges["e1"] == {"id": "e1", "source": "start", "target": "fetch", "sourceHandle": None, "label": ""}
    assert edges["e3"]["sourceHandle"] == "true" and edges["e3"]["label"] == "true"
    assert edges["e4"]["sourceHandle"] == "false" and edges["e4"]["label"] == "false"


def test_edges_never_point_at_missing_nodes_or_handles():
    graph = sample()
    graph["edges"].append({"id": "bad", "source": "fetch", "target": "ghost", "branch": None})
    graph["edges"][0]["branch"] = "true"  # a manual trigger has no "true" handle
    edges = {e["id"]: e for e in flow_edges(graph)}
    assert "bad" not in edges
    assert edges["e1"]["sourceHandle"] is None


def test_needs_layout():
    graph = sample()
    assert needs_layout(graph)  # everything at 0,0
    for i, node in enumerate(graph["nodes"]):
        node["position"] = {"x": 12, "y": 12 + i * 120}
    assert not needs_layout(graph)
    graph["nodes"][3]["position"] = {"x": 0, "y": 0}  # added by a patch at the default point
    assert needs_layout(graph)
    graph["nodes"][3]["position"] = {"x": 12, "y": 12}  # on top of another node
    assert needs_layout(graph)
    del graph["nodes"][3]["position"]
    assert needs_layout(graph)
    graph["nodes"][3]["position"] = {"x": math.nan, "y": 5}
    assert needs_layout(graph)
    assert not needs_layout({"nodes": [{"id": "a", "position": {"x": 0, "y": 0}}]})
    assert not needs_layout({"nodes": []})


def test_apply_positions_returns_a_copy():
    graph = sample()
    moved = apply_positions(graph, [{"id": "fetch", "x": 10.26, "y": -40}, {"id": "ghost", "x": 1, "y": 2}])
    assert {n["id"]: n["position"] for n in moved["nodes"]}["fetch"] == {"x": 10.3, "y": -40.0}
    assert graph["nodes"][1]["position"] == {"x": 0.0, "y": 0.0}
    assert [n["id"] for n in moved["nodes"]] == [n["id"] for n in graph["nodes"]]
    Workflow.model_validate(moved)


@pytest.mark.parametrize("bad", [math.inf, -math.inf, math.nan, None, "12", True])
def test_apply_positions_rejects_non_finite(bad):
    graph = sample()
    with pytest.raises(ValueError):
        apply_positions(graph, [{"id": "start", "x": 1, "y": 2}, {"id": "fetch", "x": bad, "y": 0}])
    assert graph["nodes"][0]["position"] == {"x": 0.0, "y": 0.0}
