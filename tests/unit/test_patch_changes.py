"""What a patch changed, in ids (for the canvas) and in words (for the chat); where new nodes go."""

from tests.support.sample_graphs import SLACK, apply, digest
from workflow_chat.graph.patch import ChangeSet, apply_patch, describe_changes, diff_workflows
from workflow_chat.graph.patch_ops import (
    AddNode,
    Connect,
    Patch,
    RemoveNode,
    Rename,
    UpdateNode,
)
from workflow_chat.graph.placement import free_position
from workflow_chat.graph.schema import Position

def test_free_position_rules():
    assert free_position([], None) == Position(x=0, y=0)
    assert free_position([Position(x=0, y=-130)], None) != Position(x=0, y=0)
    lowest = free_position([Position(x=5, y=10), Position(x=40, y=300)], None)
    assert (lowest.x, lowest.y) == (40, 430)


def test_describe_changes_uses_labels_and_summaries():
    before = digest()
    result = apply_patch(before, Patch(ops=[
        AddNode(id="slack", kind="slack", label="Post to Slack", config=SLACK, after="email"),
        UpdateNode(id="trigger", label="Every day at 09:00", config={"cron": "0 9 * * *"}),
        RemoveNode(id="email"),
    ]))
    assert result.changes.touched == ("slack", "trigger")
    assert describe_changes(before, result.workflow, result.changes) == (
        "**Added** Post to Slack · **Changed** Every day at 08:00 → Every day at 09:00 "
        "(At 09:00 (UTC)) · **Removed** Email summary")


def test_describe_changes_names_ids_only_when_labels_collide():
    before = digest()
    result = apply_patch(before, Patch(ops=[
        AddNode(id="email_2", kind="email", label="Email summary",
                config={"to": "b@example.com", "subject": "S", "body": "B"}, after="email"),
        UpdateNode(id="summarise", config={"prompt": "Be brief"}),
        Rename(name="Digest *v2*")]))
    assert describe_changes(before, result.workflow, result.changes) == (
        "**Renamed** the workflow to “Digest \\*v2\\*” · **Added** Email summary (`email_2`) · "
        "**Changed** Summarise (Be brief)")


def test_describe_changes_for_rewiring_and_for_nothing():
    before = digest()
    result = apply_patch(before, Patch(ops=[Connect(source="fetch", target="email")]))
    assert describe_changes(before, result.workflow, result.changes) == \
        "**Reconnected** Fetch items, Email summary"
    assert describe_changes(before, before, ChangeSet()) == "No changes."
    assert ChangeSet().is_empty and not ChangeSet(renamed=True).is_empty


def test_diff_workflows_compares_by_id():
    before = digest()
    after = apply(before, AddNode(id="wait", kind="delay", label="Wait", config={"amount": 1},
                                  after="summarise", before="email"),
                  RemoveNode(id="fetch"), UpdateNode(id="email", label="Mail"))
    changes = diff_workflows(before, after)
    # summarise lost its edge from fetch and to email; email's label and edge changed
    assert changes == ChangeSet(added=("wait",), changed=("trigger", "summarise", "email"),
                                removed=("fetch",), renamed=False)
    assert diff_workflows(before, before).is_empty


def test_diff_ignores_positions_and_default_filling():
    before = digest()
    moved = before.model_copy(deep=True)
    moved.nodes[1].position = Position(x=999, y=999)
    moved.nodes[1].config = {"url": "https://example.com/items"}  # defaults left out
    assert diff_workflows(before, moved).is_empty
