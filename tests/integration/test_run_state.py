"""The run handlers on a real state object over a real database and a launched engine: a run
starts, shows its steps and their records, paints the canvas, takes JSON input, cancels, asks
the assistant for a fix; another user's run is never shown, and a signed-out state sees nothing."""

from __future__ import annotations

import asyncio

import pytest
import reflex as rx

import workflow_chat.workflow_chat  # noqa: F401  (registers every state class)
from tests.support.accounts import make_user
from tests.support.runs import chat_with_graph, edge, finished, node
from workflow_chat.auth.tokens import issue_token
from workflow_chat.components.run_input import RunInputState
from workflow_chat.db import session_scope
from workflow_chat.services import runs
from workflow_chat.state.run_actions import RunActionsState
from workflow_chat.state.runs import RunsState

pytestmark = pytest.mark.usefixtures("engine")

GREETING = {
    "nodes": [node("start", "manual"), node("greet", "transform",
                                            {"template": "Hello {{ trigger.name | default('world') }}"})],
    "edges": [edge("start", "greet")],
}
BROKEN = {
    "nodes": [node("start", "manual"), node("shape", "transform",
                                            {"template": "{{ nodes.nowhere.output.x }}"})],
    "edges": [edge("start", "shape")],
}
SLOW = {
    "nodes": [node("start", "manual"), node("wait", "delay", {"amount": 30, "unit": "seconds"})],
    "edges": [edge("start", "wait")],
}


def _state(token: str, chat_id: int = 0, cls: type = RunInputState):
    root = rx.State(_reflex_internal_init=True)
    state = root.get_substate(cls.get_full_name().split(".")[1:])
    state.token = token
    if chat_id:
        state.current_chat_id = chat_id
        state._reload_graph(state._user_id())
    return state


def _run(state, handler=RunActionsState.start, *args):
    """Call an async run handler and wait for the run it shows to end, in one event loop (the
    engine runs the workflow as a task of the loop that started it), then read the run as the
    poll loop would. Returns what the handler returned."""
    async def scenario():
        result = await handler.fn(state, *args)
        if state.run.id:
            await finished(state.run.id)
        return result

    result = asyncio.run(scenario())
    if state.run.id:
        RunsState.open_run.fn(state, state.run.id)
    return result


def _statuses(state) -> dict[str, str]:
    return {n["id"]: n["data"].get("status") for n in state.nodes}


def test_a_run_starts_shows_its_steps_and_paints_the_canvas():
    user_id, chat_id = chat_with_graph(GREETING)
    state = _state(issue_token(user_id), chat_id)
    assert _statuses(state) == {"start": None, "greet": None}  # no run shown: no dots

    result = _run(state)
    # Pure nodes run at once: the run is over when the handler returns, nothing to poll.
    assert "watch" not in repr(result) and state.run.status == "succeeded"
    assert state.panel_open and state.tab == "run" and state.run.trigger == "Manual"
    assert [s.node_id for s in state.steps] == ["start", "greet"]
    assert [r.id for r in state.runs] == [state.run.id]
    assert state.run.status == "succeeded" and state.run.duration
    assert [s.status for s in state.steps] == ["succeeded", "succeeded"]
    assert _statuses(state) == {"start": "succeeded", "greet": "succeeded"}
    assert state.record.node_id == "greet"  # the last step to finish is shown unasked
    assert "Hello world" in state.record.output_text

    # A canvas click while the run is shown picks the step's record, not the inspector.
    assert "select_step" in repr(RunsState.node_click.fn(state, "start"))
    RunsState.select_step.fn(state, "start")
    assert state.record.node_id == "start" and state.record.status == "succeeded"

    RunsState.toggle_panel.fn(state)  # a closed panel leaves the run on the canvas
    assert not state.panel_open and _statuses(state)["greet"] == "succeeded"
    assert "InspectorState.open" in repr(RunsState.node_click.fn(state, "start"))
    RunsState.toggle_panel.fn(state)
    RunsState.show_history.fn(state)  # back to the list: the dots leave the canvas
    assert state.run.id == "" and _statuses(state) == {"start": None, "greet": None}
    assert "InspectorState.open" in repr(RunsState.node_click.fn(state, "start"))


def test_run_with_input_refuses_bad_json_and_runs_good_json():
    user_id, chat_id = chat_with_graph(GREETING)
    state = _state(issue_token(user_id), chat_id)
    RunInputState.set_input_open.fn(state, True)

    _run(state, RunInputState.start_with_input, {"payload": '{"name": '})
    assert state.input_open and state.input_error.startswith("That is not valid JSON")
    assert state.run.id == "" and state.runs == []

    _run(state, RunInputState.start_with_input, {"payload": '{\n "name": "Ada"\n}'})
    assert not state.input_open and state.input_error == ""
    assert "Hello Ada" in state.record.output_text
    assert state.input_text == '{\n "name": "Ada"\n}'  # offered again next time


def test_a_failed_step_is_shown_and_the_fix_request_goes_through_the_chat():
    user_id, chat_id = chat_with_graph(BROKEN)
    state = _state(issue_token(user_id), chat_id)
    _run(state)
    assert state.run.status == "failed" and _statuses(state)["shape"] == "failed"
    assert state.record.node_id == "shape" and state.record.error

    result = RunActionsState.ask_fix.fn(state)
    assert "start_turn" in repr(result)
    message = result.args[0][1]._var_value["message"] if hasattr(result, "args") else ""
    assert message.startswith("The step \u201cshape\u201d (shape) failed: ")
    assert message.endswith("Please fix the workflow.")
    assert state.run.id == "" and _statuses(state)["shape"] is None


def test_cancel_stops_an_open_run():
    user_id, chat_id = chat_with_graph(SLOW)
    state = _state(issue_token(user_id), chat_id)

    async def scenario():
        started = await RunActionsState.start.fn(state)
        assert "watch" in repr(started)  # a run with a slow step: the live poll starts
        assert state.run.status in ("queued", "running")
        assert _statuses(state)["wait"] in ("pending", "running")
        await RunActionsState.cancel.fn(state)

    asyncio.run(scenario())
    assert state.run.status == "cancelled" and not state.run_open


def test_another_users_run_is_never_shown():
    bob, bobs_chat = chat_with_graph(GREETING)
    bobs = _state(issue_token(bob), bobs_chat)
    _run(bobs)
    run_id = bobs.run.id
    with session_scope() as session:
        alice = make_user(session).id

    state = _state(issue_token(alice))
    state.current_chat_id = bobs_chat  # even a state pointing at Bob's chat sees nothing
    result = RunsState.open_run.fn(state, run_id)
    assert "toast" in repr(result) and state.run.id == "" and state.steps == []
    assert state.record.node_id == "" and state.runs == []
    RunsState.toggle_panel.fn(state)
    assert state.runs == []
    assert "toast" in repr(asyncio.run(RunActionsState.start.fn(state)))
    state.run.id = run_id  # a forged id in the state: cancel must not reach Bob's run
    state.run.status = "running"
    assert "toast" in repr(asyncio.run(RunActionsState.cancel.fn(state)))
    with session_scope() as session:
        assert len(runs.list_runs(session, user_id=bob, chat_id=bobs_chat)) == 1


def test_a_run_of_another_chat_is_not_painted_on_this_one():
    user_id, chat_id = chat_with_graph(GREETING)
    state = _state(issue_token(user_id), chat_id)
    _run(state)
    run_id = state.run.id
    state.current_chat_id = 0  # the user opened another chat (here: none)
    RunsState.sync_chat.fn(state)
    assert state.run.id == "" and state.runs == []
    assert "toast" in repr(RunsState.open_run.fn(state, run_id))


@pytest.mark.parametrize("token", ["", "not-a-jwt"])
def test_without_a_valid_token_every_handler_redirects(token):
    user_id, chat_id = chat_with_graph(GREETING)
    state = _state(token)
    state.current_chat_id = chat_id
    for result in (
        asyncio.run(RunActionsState.start.fn(state)),
        asyncio.run(RunInputState.start_with_input.fn(state, {"payload": "{}"})),
        RunsState.open_run.fn(state, "x"),
        RunsState.toggle_panel.fn(state),
        RunsState.show_history.fn(state),
        asyncio.run(RunActionsState.cancel.fn(state)),
        RunActionsState.ask_fix.fn(state),
    ):
        assert "/login" in repr(result)
    assert state.runs == [] and state.run.id == ""
    with session_scope() as session:
        assert runs.list_runs(session, user_id=user_id, chat_id=chat_id) == []
