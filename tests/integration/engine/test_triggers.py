"""Webhooks and schedules start runs: the right token starts one with the body as the trigger's
output, a wrong one gets 404 and starts nothing; an enabled cron schedule fires."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
from sqlmodel import select

from tests.support.runs import chat_with_graph, edge, finished, node, settled
from workflow_chat.api.app import api
from workflow_chat.db import session_scope
from workflow_chat.models import Run
from workflow_chat.services import triggers
from workflow_chat.services.errors import Invalid

pytestmark = pytest.mark.usefixtures("engine")

ECHO = {
    "nodes": [
        node("hook", "webhook", {"method": "POST"}),
        node("reply", "transform", {"template": "hello {{ trigger.name }}"}),
    ],
    "edges": [edge("hook", "reply")],
}


def _runs_of(chat_id: int) -> list[Run]:
    with session_scope() as session:
        return list(session.exec(select(Run).where(Run.chat_id == chat_id)).all())


def _webhook_path(user_id: int, chat_id: int) -> str:
    with session_scope() as session:
        path = triggers.get_triggers(session, user_id=user_id, chat_id=chat_id).webhook_path
    assert path is not None
    return path


def test_a_webhook_call_with_the_right_token_runs_the_workflow_with_its_body() -> None:
    user_id, chat_id = chat_with_graph(ECHO)
    path = _webhook_path(user_id, chat_id)

    async def scenario() -> tuple[httpx.Response, httpx.Response]:
        transport = httpx.ASGITransport(app=api)
        async with httpx.AsyncClient(transport=transport, base_url="http://app") as client:
            started = await client.post(path, json={"name": "Ada"})
            waited = await client.post(path + "?wait=true", json={"name": "Grace"})
        await finished(started.json()["run_id"])
        return started, waited

    started, waited = asyncio.run(scenario())
    # Pure nodes only: the run happens at once and is stored finished before the answer.
    assert started.status_code == 202 and started.json()["status"] == "succeeded"
    assert waited.status_code == 200
    assert waited.json()["status"] == "succeeded"
    assert waited.json()["output"] == {"value": "hello Grace"}
    stored = {r.id: r for r in _runs_of(chat_id)}
    assert stored[started.json()["run_id"]].trigger == "webhook"
    assert stored[started.json()["run_id"]].input == {"name": "Ada"}
    assert stored[started.json()["run_id"]].status == "succeeded"


def test_a_wrong_token_or_method_gets_404_and_starts_nothing() -> None:
    user_id, chat_id = chat_with_graph(ECHO)
    path = _webhook_path(user_id, chat_id)
    wrong = path.rsplit("/", 1)[0] + "/not-the-token"

    async def scenario() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=api)
        async with httpx.AsyncClient(transport=transport, base_url="http://app") as client:
            return [
                await client.post(wrong, json={"name": "Mallory"}),
                await client.get(path),  # the trigger accepts POST only
                await client.post(f"/api/v1/hooks/{chat_id + 999}/{path.rsplit('/', 1)[1]}", json={}),
            ]

    for response in asyncio.run(scenario()):
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    assert _runs_of(chat_id) == []


def test_rotating_the_token_retires_the_old_url() -> None:
    user_id, chat_id = chat_with_graph(ECHO)
    old = _webhook_path(user_id, chat_id)
    with session_scope() as session:
        new = triggers.rotate_webhook_token(session, user_id=user_id, chat_id=chat_id).webhook_path
    assert new and new != old

    async def scenario() -> tuple[int, int]:
        transport = httpx.ASGITransport(app=api)
        async with httpx.AsyncClient(transport=transport, base_url="http://app") as client:
            return (await client.post(old, json={})).status_code, (await client.post(new, json={})).status_code

    assert asyncio.run(scenario()) == (404, 202)


def test_an_enabled_schedule_fires_and_a_disabled_one_stops() -> None:
    user_id, chat_id = chat_with_graph({
        "nodes": [node("tick", "schedule", {"cron": "* * * * * *", "timezone": "Europe/Berlin"}),
                  node("note", "transform", {"template": "tick at {{ trigger.scheduled_at }}"})],
        "edges": [edge("tick", "note")],
    })

    async def scenario() -> int:
        view = await triggers.set_schedule_enabled(user_id=user_id, chat_id=chat_id, enabled=True)
        assert view.schedule_enabled and len(view.next_runs) == 3
        deadline = time.monotonic() + 8
        while time.monotonic() < deadline and not _runs_of(chat_id):
            await asyncio.sleep(0.1)
        fired = _runs_of(chat_id)
        assert fired, "the schedule did not fire within 8 s"
        await settled(fired[0].id)
        await triggers.set_schedule_enabled(user_id=user_id, chat_id=chat_id, enabled=False)
        await asyncio.sleep(0.5)
        count = len(_runs_of(chat_id))
        await asyncio.sleep(2.5)
        return len(_runs_of(chat_id)) - count

    assert asyncio.run(scenario()) == 0
    run = _runs_of(chat_id)[0]
    assert run.trigger == "schedule" and run.status == "succeeded"


def test_a_workflow_that_does_not_start_from_a_schedule_cannot_be_scheduled() -> None:
    user_id, chat_id = chat_with_graph(ECHO)
    with pytest.raises(Invalid, match="schedule"):
        asyncio.run(triggers.set_schedule_enabled(user_id=user_id, chat_id=chat_id, enabled=True))


def test_editing_the_cron_of_an_enabled_schedule_moves_the_schedule() -> None:
    from dbos import DBOS

    from workflow_chat.engine import schedules
    from workflow_chat.graph import parse_workflow
    from workflow_chat.services import chats, workflows

    graph = {"nodes": [node("tick", "schedule", {"cron": "0 9 * * 1-5", "timezone": "UTC"})], "edges": []}
    user_id, chat_id = chat_with_graph(graph)
    asyncio.run(triggers.set_schedule_enabled(user_id=user_id, chat_id=chat_id, enabled=True))
    assert DBOS.get_schedule(schedules.schedule_name(chat_id))["schedule"] == "0 9 * * 1-5"

    graph["nodes"][0]["config"] = {"cron": "30 7 * * *", "timezone": "Asia/Tokyo"}
    with session_scope() as session:
        chat = chats.owned_chat(session, user_id=user_id, chat_id=chat_id)
        workflows.save_version(session, chat=chat, graph=parse_workflow(graph), source="edit")
    assert schedules.reconcile() == 2  # the old one deleted, the new one created
    moved = DBOS.get_schedule(schedules.schedule_name(chat_id))
    assert (moved["schedule"], moved["cron_timezone"]) == ("30 7 * * *", "Asia/Tokyo")
    assert schedules.reconcile() == 0

    graph["nodes"][0] = node("go", "manual")
    with session_scope() as session:
        chat = chats.owned_chat(session, user_id=user_id, chat_id=chat_id)
        workflows.save_version(session, chat=chat, graph=parse_workflow(graph), source="edit")
    assert schedules.reconcile() == 1
    assert DBOS.get_schedule(schedules.schedule_name(chat_id)) is None


def test_a_webhook_refuses_broken_json_and_oversize_bodies_without_starting_a_run() -> None:
    user_id, chat_id = chat_with_graph(ECHO)
    path = _webhook_path(user_id, chat_id)

    async def scenario() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=api)
        async with httpx.AsyncClient(transport=transport, base_url="http://app") as client:
            return [
                await client.post(path, content=b'{"name": ', headers={"content-type": "application/json"}),
                await client.post(path, content=b"x" * 1_000_001, headers={"content-type": "text/plain"}),
            ]

    broken, oversize = asyncio.run(scenario())
    assert broken.status_code == 400 and "not valid JSON" in broken.json()["error"]["message"]
    assert oversize.status_code == 413 and oversize.json()["error"]["code"] == "too_large"
    assert _runs_of(chat_id) == []
