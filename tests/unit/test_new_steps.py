"""Steps added by hand: placeholder configs that validate, free ids, and where a step hangs on."""

from __future__ import annotations

import pytest

from workflow_chat.graph import Position, parse_workflow
from workflow_chat.graph.new_steps import (
    copy_label,
    end_of_flow,
    free_branch,
    fresh_id,
    spot_beside,
    starter_config,
    starter_graph,
    step_above,
)
from workflow_chat.graph.placement import overlaps
from workflow_chat.nodes import KINDS

CHAIN = parse_workflow({
    "nodes": [
        {"id": "start", "kind": "manual", "label": "Start", "position": {"x": 0, "y": 0}},
        {"id": "check", "kind": "condition", "label": "Check", "config": {"expression": "true"},
         "position": {"x": 0, "y": 130}},
        {"id": "wait", "kind": "delay", "label": "Wait", "config": {"amount": 1},
         "position": {"x": 0, "y": 260}},
    ],
    "edges": [{"id": "e1", "source": "start", "target": "check"},
              {"id": "e2", "source": "check", "target": "wait", "branch": "true"}],
})


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_gets_a_starter_config_that_validates(kind):
    spec = KINDS[kind]
    config = starter_config(spec)
    assert spec.config.model_validate(config)
    parse_workflow(starter_graph(spec, fresh_id(kind, [])))


def test_fresh_ids_and_copy_labels():
    assert fresh_id("llm", ["fetch"]) == "llm"
    assert fresh_id("llm", ["llm", "llm_2"]) == "llm_3"
    assert fresh_id("a b/c", []) == "a_b_c"
    assert copy_label("Fetch") == "Fetch (copy)"
    assert len(copy_label("x" * 120)) == 120


def test_where_a_new_step_hangs_on():
    assert end_of_flow(CHAIN).id == "wait"
    check = CHAIN.node("check")
    assert free_branch(CHAIN, check) == "false"
    assert free_branch(CHAIN, CHAIN.node("wait")) is None
    assert step_above(CHAIN, 10, 200).id == "check"
    assert step_above(CHAIN, 10, -50) is None


def test_a_copy_goes_beside_without_overlapping():
    taken = [n.position for n in CHAIN.nodes] + [Position(x=320, y=130)]
    spot = spot_beside(CHAIN.node("check").position, taken)
    assert spot.y == 130 and not any(overlaps(spot, p) for p in taken)
