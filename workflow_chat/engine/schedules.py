"""Cron schedules: one DBOS schedule per chat whose workflow starts from a schedule trigger.
DBOS fires each slot exactly once across all processes; the fired workflow stores a run of the
chat's current graph and runs it as a child workflow."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from dbos import DBOS, SetWorkflowID

from workflow_chat.engine.runner import run_graph
from workflow_chat.engine.settings import RUNS_QUEUE


def schedule_name(chat_id: int) -> str:
    return f"chat-{chat_id}"


async def apply(*, chat_id: int, user_id: int, cron: str, timezone: str, enabled: bool) -> None:
    """Make DBOS's schedule for the chat match the switch and the trigger's cron."""
    name = schedule_name(chat_id)
    if await DBOS.get_schedule_async(name) is not None:
        await DBOS.delete_schedule_async(name)
    if enabled:
        await DBOS.create_schedule_async(
            schedule_name=name, workflow_fn=fire_schedule, schedule=cron, cron_timezone=timezone,
            context={"chat_id": chat_id, "user_id": user_id, "cron": cron, "timezone": timezone},
            queue_name=RUNS_QUEUE,
        )


def reconcile() -> int:
    """Bring DBOS's schedules in line with the switches and the current graphs (a cron edited
    after the switch was turned on, a trigger replaced, a chat deleted). Runs in every engine
    process from the heartbeat; returns how many schedules it changed."""
    from workflow_chat.services import triggers

    wanted = {schedule_name(chat_id): spec for chat_id, spec in triggers.enabled_schedules().items()}
    have = {s["schedule_name"]: s for s in DBOS.list_schedules(schedule_name_prefix="chat-")}
    changed = 0
    for name, current in have.items():
        spec = wanted.get(name)
        if spec is None or (current["schedule"], current["cron_timezone"]) != (spec["cron"], spec["timezone"]):
            DBOS.delete_schedule(name)
            changed += 1
    for name, spec in wanted.items():
        current = have.get(name)
        if current is None or (current["schedule"], current["cron_timezone"]) != (spec["cron"], spec["timezone"]):
            try:
                DBOS.create_schedule(schedule_name=name, workflow_fn=fire_schedule, schedule=spec["cron"],
                                     cron_timezone=spec["timezone"], context=spec, queue_name=RUNS_QUEUE)
                changed += 1
            except Exception:  # another process created it first; the next pass checks again
                pass
    return changed


@DBOS.step(name="wfc.prepare_scheduled_run")
async def prepare_scheduled_run(
    context: dict[str, Any], run_id: str, scheduled_at: str
) -> dict[str, Any] | None:
    """Store the run row; None when the chat no longer starts from this schedule."""
    from workflow_chat.services import triggers

    return await asyncio.to_thread(
        triggers.prepare_scheduled_run,
        user_id=context["user_id"], chat_id=context["chat_id"], cron=context["cron"], run_id=run_id,
        scheduled_at=scheduled_at,
    )


@DBOS.workflow(name="wfc.fire_schedule")
async def fire_schedule(scheduled_at: datetime, context: dict[str, Any]) -> None:
    run_id = f"sched-{context['chat_id']}-{int(scheduled_at.timestamp())}"
    prepared = await prepare_scheduled_run(context, run_id, scheduled_at.isoformat())
    if prepared is None:
        return
    with SetWorkflowID(run_id):
        # A child workflow: durable on its own, so this one ends without waiting for it.
        await DBOS.start_workflow_async(run_graph, run_id, prepared["graph"], prepared["payload"])
