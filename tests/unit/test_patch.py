"""Patches: typed ops applied to a workflow, keeping every position the person chose."""

import pytest

from tests.support.sample_graphs import SLACK, apply, digest
from workflow_chat.graph import parse_workflow
from workflow_chat.graph.flow_view import needs_layout
from workflow_chat.graph.patch import ChangeSet, PatchError, apply_patch
from workflow_chat.graph.patch_ops import (
    AddNode,
    Connect,
    Disconnect,
    Patch,
    RemoveNode,
    Rename,
    SetTrigger,
    UpdateNode,
)
from workflow_chat.graph.placement import GAP, NODE_HEIGHT, NODE_WIDTH
from workflow_chat.graph.schema import Workflow

def edges(workflow: Workflow) -> set[tuple[str, str, str | None]]:
    return {(e.source, e.target, e.branch) for e in workflow.edges}


def positions(workflow: Workflow) -> dict[str, tuple[float, float]]:
    return {n.id: (n.position.x, n.position.y) for n in workflow.nodes}


def errors_of(workflow: Workflow, *ops) -> list[str]:
    with pytest.raises(PatchError) as caught:
        apply_patch(workflow, Patch(ops=list(ops)))
    return caught.value.errors


def assert_no_overlap(workflow: Workflow) -> None:
    nodes = workflow.nodes
    for i, a in enumerate(nodes):
        for b in nodes[i + 1:]:
            apart_x = abs(a.position.x - b.position.x) >= NODE_WIDTH + GAP
            apart_y = abs(a.position.y - b.position.y) >= NODE_HEIGHT + GAP
            assert apart_x or apart_y, (a.id, b.id)


def test_add_node_after_the_last_step_connects_it_and_places_it_below():
    before = digest()
    result = apply_patch(before, Patch(ops=[
        AddNode(id="slack", kind="slack", label="Post to Slack", config=SLACK, after="email")]))
    wf = result.workflow
    assert ("email", "slack", None) in edges(wf)
    assert next(e for e in wf.edges if e.target == "slack").id == "e4"
    assert positions(wf)["slack"] == (100.5, 520.25)
    assert {k: v for k, v in positions(wf).items() if k != "slack"} == positions(before)
    assert wf.node("slack").config["webhook_secret"] == "SLACK_WEBHOOK_URL"  # normalised
    assert result.changes == ChangeSet(added=("slack",))
    assert not needs_layout(wf.to_json())


def test_a_new_node_never_overlaps_and_never_sits_at_the_origin():
    wf = apply(digest(),
               AddNode(id="side", kind="slack", label="Side", config=SLACK, after="fetch"),
               AddNode(id="side2", kind="slack", label="Side 2", config=SLACK, after="fetch"))
    assert_no_overlap(wf)
    assert positions(wf)["side"] == (420, 260)  # below fetch is taken by summarise
    assert (0, 0) not in positions(wf).values()


def test_add_node_between_two_nodes_replaces_their_edge():
    wf = apply(digest(), AddNode(id="wait", kind="delay", label="Wait", config={"amount": 5},
                                 after="summarise", before="email"))
    assert ("summarise", "email", None) not in edges(wf)
    assert {("summarise", "wait", None), ("wait", "email", None)} <= edges(wf)
    assert_no_overlap(wf)


def test_a_condition_inserted_before_a_node_leads_to_it_on_its_true_branch():
    wf = apply(digest(), AddNode(id="check", kind="condition", label="Any?",
                                 config={"expression": "x"}, after="fetch", before="summarise"))
    assert {("fetch", "check", None), ("check", "summarise", "true")} <= edges(wf)


def test_add_node_with_before_only_takes_over_every_parent():
    wf = apply(digest(), AddNode(id="side", kind="llm", label="Side", config={"prompt": "p"},
                                 after="fetch", branch=None),
               Connect(source="side", target="email"),
               AddNode(id="wait", kind="delay", label="Wait", config={"amount": 1},
                       before="email"))
    assert {("summarise", "wait", None), ("side", "wait", None), ("wait", "email", None)} <= \
        edges(wf)
    assert not any(e.target == "email" and e.source != "wait" for e in wf.edges)


def test_branches_after_a_condition():
    wf = apply(digest(), AddNode(id="check", kind="condition", label="Any?",
                                 config={"expression": "x"}, after="email"))
    assert errors_of(wf, AddNode(id="a", kind="delay", label="A", config={"amount": 1},
                                 after="check")) == [
        "op 1 (add_node): 'check' is a condition: give branch 'true' or 'false'"]
    wf = apply(wf, AddNode(id="a", kind="delay", label="A", config={"amount": 1},
                           after="check", branch="false"))
    assert ("check", "a", "false") in edges(wf)
    assert errors_of(wf, AddNode(id="b", kind="delay", label="B", config={"amount": 1},
                                 after="a", branch="true")) == [
        "op 1 (add_node): branch 'true' is only for edges leaving a condition ('a' is a delay)"]


def test_op_problems_are_all_listed_with_their_op_number():
    errors = errors_of(
        digest(),
        UpdateNode(id="emial", label="Mail"),
        AddNode(id="fetch", kind="llm", label="Again", config={"prompt": "p"}),
        AddNode(id="hook", kind="webhook", label="Hook"),
        AddNode(id="x", kind="teleport", label="X", after="nowhere"),
        Connect(source="x", target="email"),  # x was reserved by op 4: no second error
        AddNode(id="y", kind="delay", label="Y", config={"amount": 1}, after="trigger",
                before="email"),
    )
    ids = "trigger, fetch, summarise, email"
    assert errors == [
        f"op 1 (update_node): no node 'emial'; existing ids: {ids}",
        f"op 2 (add_node): node id 'fetch' is already used; choose a new id (taken: {ids})",
        "op 3 (add_node): the workflow already has a trigger ('trigger'); use set_trigger to "
        "change it",
        f"op 4 (add_node): no node 'nowhere'; existing ids: {ids}, hook",
        "op 4 (add_node): unknown kind 'teleport' (known: manual, schedule, webhook, "
        "http_request, llm, transform, condition, delay, email, slack, merge)",
        "op 6 (add_node): there is no edge from 'trigger' to 'email' to insert into ('trigger' "
        "leads to fetch); to add a parallel path use add_node with after only, then connect",
    ]


def test_update_node_merges_config_and_null_falls_back_to_the_default():
    before = digest()
    wf = apply(before, UpdateNode(id="email", label="Mail me", config={"to": "bob@example.com"}))
    email = wf.node("email")
    assert email.label == "Mail me"
    assert email.config == {**before.node("email").config, "to": "bob@example.com"}
    wf = apply(wf, UpdateNode(id="fetch", config={"method": "POST", "timeout_seconds": 5}))
    wf = apply(wf, UpdateNode(id="fetch", config={"method": None}))
    assert (wf.node("fetch").config["method"], wf.node("fetch").config["timeout_seconds"]) == \
        ("GET", 5)
    assert positions(wf) == positions(before)


def test_invalid_result_raises_patch_error_with_the_validators_messages():
    errors = errors_of(digest(), UpdateNode(id="email", config={"to": None, "cc": "x"}))
    assert "node 'email' config.to: Field required" in errors
    assert "node 'email' config.cc: Extra inputs are not permitted" in errors
    with pytest.raises(ValueError):  # callers may catch ValueError too
        apply(digest(), UpdateNode(id="fetch", config={"url": "ftp://x"}))


def test_remove_node_joins_parents_to_children():
    before = digest()
    result = apply_patch(before, Patch(ops=[RemoveNode(id="summarise")]))
    assert edges(result.workflow) == {("trigger", "fetch", None), ("fetch", "email", None)}
    assert positions(result.workflow) == {k: v for k, v in positions(before).items()
                                          if k != "summarise"}
    assert result.changes == ChangeSet(removed=("summarise",))


def test_remove_keeps_the_parent_edge_branch():
    wf = apply(digest(), AddNode(id="check", kind="condition", label="Any?",
                                 config={"expression": "x"}, after="fetch", before="summarise"))
    wf = apply(wf, RemoveNode(id="summarise"))
    assert ("check", "email", "true") in edges(wf)


def test_remove_without_reconnect_and_removing_the_trigger():
    errors = errors_of(digest(), RemoveNode(id="summarise", reconnect=False))
    assert errors == ["node 'email' cannot be reached from the trigger"]
    assert errors_of(digest(), RemoveNode(id="trigger")) == [
        "op 1 (remove_node): 'trigger' is the trigger and cannot be removed; use set_trigger "
        "to change it"]


def test_add_then_remove_in_one_patch_is_no_change():
    result = apply_patch(digest(), Patch(ops=[
        AddNode(id="x", kind="delay", label="X", config={"amount": 1}, after="email"),
        RemoveNode(id="x")]))
    assert result.changes.is_empty


def test_connect_and_disconnect():
    before = digest()
    result = apply_patch(before, Patch(ops=[Connect(source="fetch", target="email")]))
    assert ("fetch", "email", None) in edges(result.workflow)
    assert result.changes.changed == ("fetch", "email")
    wf = apply(result.workflow, Disconnect(source="fetch", target="email"))
    assert edges(wf) == edges(before)


def test_connect_and_disconnect_problems():
    assert errors_of(
        digest(),
        Connect(source="fetch", target="summarise"),
        Connect(source="fetch", target="fetch"),
        Connect(source="email", target="trigger"),
        Connect(source="fetch", target="email", branch="true"),
        Disconnect(source="trigger", target="email"),
        Disconnect(source="ghost", target="email"),
    ) == [
        "op 1 (connect): 'fetch' is already connected to 'summarise'",
        "op 2 (connect): cannot connect 'fetch' to itself",
        "op 3 (connect): 'trigger' is the trigger: no edge can lead into it",
        "op 4 (connect): branch 'true' is only for edges leaving a condition ('fetch' is a "
        "http_request)",
        "op 5 (disconnect): there is no edge from 'trigger' to 'email' ('trigger' leads to "
        "fetch)",
        "op 6 (disconnect): no node 'ghost'; existing ids: trigger, fetch, summarise, email",
    ]


def test_a_cycle_is_reported_by_validation():
    errors = errors_of(digest(), Connect(source="email", target="fetch"))
    assert errors == ["the graph has a cycle through email, fetch, summarise"]


def test_rename_changes_name_and_description():
    result = apply_patch(digest(), Patch(ops=[Rename(name="Daily digest", description="Mine")]))
    assert (result.workflow.name, result.workflow.description) == ("Daily digest", "Mine")
    assert result.changes == ChangeSet(renamed=True)
    assert apply(digest(), Rename(name="Other")).description == digest().description


def test_set_trigger_keeps_id_edges_and_position():
    before = digest()
    result = apply_patch(before, Patch(ops=[SetTrigger(kind="webhook")]))
    trigger = result.workflow.node("trigger")
    assert (trigger.kind, trigger.label, trigger.config) == ("webhook", "Webhook",
                                                             {"method": "POST"})
    assert edges(result.workflow) == edges(before)
    assert positions(result.workflow) == positions(before)
    assert result.changes.changed == ("trigger",)
    wf = apply(before, SetTrigger(kind="schedule", config={"cron": "0 8 * * *"}))
    assert wf.node("trigger").label == "Every day at 08:00"  # nothing changed: label kept
    wf = apply(before, SetTrigger(kind="manual", label="By hand"))
    assert wf.node("trigger").label == "By hand"


def test_edge_ids_go_past_the_highest_number():
    wf = parse_workflow({
        "nodes": [{"id": "t", "kind": "manual", "label": "T"},
                  {"id": "a", "kind": "delay", "label": "A", "config": {"amount": 1}}],
        "edges": [{"id": "e7", "source": "t", "target": "a"}],
    })
    wf = apply(wf, AddNode(id="b", kind="delay", label="B", config={"amount": 1}, after="a"),
               AddNode(id="c", kind="delay", label="C", config={"amount": 1}, after="b"))
    assert [e.id for e in wf.edges] == ["e7", "e8", "e9"]


def test_the_input_workflow_is_not_modified():
    before = digest()
    snapshot = before.to_json()
    apply(before, UpdateNode(id="email", config={"to": "x@example.com"}), RemoveNode(id="fetch"),
          SetTrigger(kind="manual"), Rename(name="N"))
    assert before.to_json() == snapshot


def test_a_patch_from_json_applies():
    patch = Patch.model_validate({"ops": [
        {"op": "add_node", "id": "slack", "kind": "slack", "label": "Post", "config": SLACK,
         "after": "email"},
        {"op": "update_node", "id": "trigger", "config": {"cron": "0 9 * * *"}},
    ]})
    assert apply(digest(), *patch.ops).node("trigger").config["cron"] == "0 9 * * *"
