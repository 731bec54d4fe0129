"""How a chat's workflow starts besides the Run button: its cron schedule (on or off, next
times) and its webhook URL with a secret token. Every call checks the owner."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from croniter import croniter
import sqlalchemy as sa
from sqlmodel import Session, select

from workflow_chat.db import get_engine, session_scope
from workflow_chat.graph.validate import parse_stored
from workflow_chat.graph.schema import Node, Workflow
from workflow_chat.models import Chat, WorkflowTrigger, WorkflowVersion, utcnow
from workflow_chat.nodes.registry import TRIGGER_KINDS
from workflow_chat.services.chats import owned_chat
from workflow_chat.services.errors import Invalid, NotFound
from workflow_chat.services.runs import Runnable, RunSummary, checked, create_run, launch

WEBHOOK_PREFIX = "/api/v1/hooks"
TRIGGERS = WorkflowTrigger.__table__  # type: ignore[attr-defined]
CHATS = Chat.__table__  # type: ignore[attr-defined]
VERSIONS = WorkflowVersion.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class TriggerView:
    kind: str | None
    schedule_enabled: bool
    cron: str | None
    timezone: str | None
    next_runs: list[datetime]
    webhook_path: str | None


def _current_graph(session: Session, chat: Chat) -> Workflow | None:
    version = session.get(WorkflowVersion, chat.current_version_id) if chat.current_version_id else None
    return parse_stored(version.graph) if version else None


def _trigger(workflow: Workflow | None) -> Node | None:
    if workflow is None:
        return None
    return next((n for n in workflow.nodes if n.kind in TRIGGER_KINDS), None)


def _row(session: Session, chat_id: int) -> WorkflowTrigger:
    row = session.get(WorkflowTrigger, chat_id)
    if row is None:
        row = WorkflowTrigger(chat_id=chat_id, webhook_token=secrets.token_urlsafe(24))
        session.add(row)
        session.flush()
    return row


def next_runs(cron: str, timezone: str, count: int = 3, *, after: datetime | None = None) -> list[datetime]:
    """The next `count` times the cron fires, as aware datetimes in its time zone."""
    zone = ZoneInfo(timezone)
    start = (after or utcnow()).astimezone(zone)
    it = croniter(cron, start, second_at_beginning=len(cron.split()) == 6)
    return [it.get_next(datetime) for _ in range(count)]


def _view(chat_id: int, row: WorkflowTrigger, trigger: Node | None) -> TriggerView:
    kind = trigger.kind if trigger else None
    cron = trigger.config.get("cron") if kind == "schedule" else None
    timezone = trigger.config.get("timezone", "UTC") if kind == "schedule" else None
    return TriggerView(
        kind=kind,
        schedule_enabled=row.schedule_enabled and kind == "schedule",
        cron=cron,
        timezone=timezone,
        next_runs=next_runs(cron, timezone) if cron and timezone else [],
        webhook_path=f"{WEBHOOK_PREFIX}/{chat_id}/{row.webhook_token}" if kind == "webhook" else None,
    )


def get_triggers(session: Session, *, user_id: int, chat_id: int) -> TriggerView:
    chat = owned_chat(session, user_id=user_id, chat_id=chat_id)
    return _view(chat_id, _row(session, chat_id), _trigger(_current_graph(session, chat)))


async def set_schedule_enabled(*, user_id: int, chat_id: int, enabled: bool) -> TriggerView:
    """Switch the chat's schedule on or off; on means DBOS fires the current cron from now on."""
    from workflow_chat.engine import schedules

    with session_scope() as session:
        chat = owned_chat(session, user_id=user_id, chat_id=chat_id)
        trigger = _trigger(_current_graph(session, chat))
        if enabled and (trigger is None or trigger.kind != "schedule"):
            raise Invalid("This workflow does not start from a schedule.")
        row = _row(session, chat_id)
        row.schedule_enabled, row.updated_at = enabled, utcnow()
        session.add(row)
        view = _view(chat_id, row, trigger)
    await schedules.apply(chat_id=chat_id, user_id=user_id, cron=view.cron or "", 
                          timezone=view.timezone or "UTC", enabled=view.schedule_enabled)
    return view


def rotate_webhook_token(session: Session, *, user_id: int, chat_id: int) -> TriggerView:
    """A new secret token: the old webhook URL stops working at once."""
    chat = owned_chat(session, user_id=user_id, chat_id=chat_id)
    row = _row(session, chat_id)
    row.webhook_token, row.updated_at = secrets.token_urlsafe(24), utcnow()
    session.add(row)
    return _view(chat_id, row, _trigger(_current_graph(session, chat)))


async def start_webhook_run(
    *, chat_id: int, token: str, method: str, payload: Any, ip: str | None = None
) -> RunSummary:
    """Check the token and start a run with the body as the trigger's output; NotFound for a
    wrong token."""
    return await launch(
        lambda: webhook_target(chat_id=chat_id, token=token, method=method, payload=payload),
        trigger="webhook", payload=payload, ip=ip,
    )


# Token, owner and current version of a chat in one statement (a webhook's only read).
_WEBHOOK_TARGET = (
    sa.select(TRIGGERS.c.webhook_token, CHATS.c.user_id, VERSIONS.c.id, VERSIONS.c.number, VERSIONS.c.graph)
    .join(CHATS, CHATS.c.id == TRIGGERS.c.chat_id)
    .join(VERSIONS, VERSIONS.c.id == CHATS.c.current_version_id)
    .where(TRIGGERS.c.chat_id == sa.bindparam("chat_id"))
)


def webhook_target(*, chat_id: int, token: str, method: str, payload: Any) -> Runnable:
    """The chat's current graph when the token opens this chat's webhook; NotFound for
    anything else (wrong token, no such chat, not a webhook workflow, wrong method) so probing
    learns nothing."""
    with get_engine().connect() as conn:
        found = conn.execute(_WEBHOOK_TARGET, {"chat_id": chat_id}).first()
    if found is None or not hmac.compare_digest(found[0].encode(), token.encode()):
        raise NotFound("Not found.")
    _, user_id, version_id, number, graph = found
    trigger = _trigger(parse_stored(graph))
    if trigger is None or trigger.kind != "webhook":
        raise NotFound("Not found.")
    if trigger.config.get("method", "POST") != method:
        raise NotFound("Not found.")
    return checked(Runnable(user_id=user_id, chat_id=chat_id, version_id=version_id,
                            version_number=number, graph=graph), payload)


def enabled_schedules() -> dict[int, dict[str, Any]]:
    """chat id -> {chat_id, user_id, cron, timezone} for every switched-on schedule whose chat
    still starts from a schedule trigger (what DBOS should be firing)."""
    wanted: dict[int, dict[str, Any]] = {}
    with session_scope() as session:
        rows = session.exec(
            select(WorkflowTrigger, Chat).join(Chat, Chat.id == WorkflowTrigger.chat_id)  # type: ignore[arg-type]
            .where(WorkflowTrigger.schedule_enabled == True)  # noqa: E712
        ).all()
        for row, chat in rows:
            trigger = _trigger(_current_graph(session, chat))
            if trigger is not None and trigger.kind == "schedule":
                wanted[chat.id] = {"chat_id": chat.id, "user_id": chat.user_id,  # type: ignore[dict-item]
                                   "cron": trigger.config["cron"],
                                   "timezone": trigger.config.get("timezone", "UTC")}
    return wanted


def prepare_scheduled_run(
    *, user_id: int, chat_id: int, cron: str, run_id: str, scheduled_at: str
) -> dict[str, Any] | None:
    """Store a scheduled run of the chat's current graph; None (and no run) when the schedule
    was switched off or the workflow no longer starts from this cron. Called again after a
    crash, it returns the run it stored the first time."""
    from workflow_chat.models import Run

    with session_scope() as session:
        existing = session.get(Run, run_id)
        if existing is not None:
            version = session.get(WorkflowVersion, existing.workflow_version_id)
            return {"graph": version.graph, "payload": existing.input} if version else None
        chat = session.get(Chat, chat_id)
        row = session.get(WorkflowTrigger, chat_id)
        if chat is None or chat.user_id != user_id or row is None or not row.schedule_enabled:
            return None
        trigger = _trigger(_current_graph(session, chat))
        if trigger is None or trigger.kind != "schedule" or trigger.config.get("cron") != cron:
            return None
        payload = {"scheduled_at": scheduled_at}
        _, graph = create_run(session, user_id=user_id, chat_id=chat_id, trigger="schedule",
                              payload=payload, run_id=run_id)
        return {"graph": graph, "payload": payload}
