"""The Activity dialog's state: the signed-in user's own audit events, newest first.

Every handler re-reads the user from the token; the browser sends no ids but the cursor of the
next page, and the service answers a foreign cursor with an empty page.
"""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from workflow_chat.db import session_scope
from workflow_chat.services import audit
from workflow_chat.state.run_items import iso
from workflow_chat.state.workspace import WorkspaceState

PAGE = 50


@dataclass
class ActivityItem:
    id: int = 0
    when: str = ""  # ISO time in UTC; the browser shows it in its own time zone
    action: str = ""  # in words ("Signed in")
    target: str = ""
    ip: str = ""
    failed: bool = False


def _item(event: audit.EventView) -> ActivityItem:
    return ActivityItem(id=event.id, when=iso(event.created_at), action=audit.describe(event.action),
                        target=event.target or "", ip=event.ip or "",
                        failed=event.action.endswith(".failure"))


class ActivityState(WorkspaceState):
    activity_open: bool = False
    activity_items: list[ActivityItem] = []
    activity_more: bool = False  # a full page came back: there may be older events

    @rx.event
    def set_activity_open(self, open_: bool):
        """Open with the newest page, or close (Esc, the close button) and forget the list."""
        user_id = self._user_id()
        if user_id is None:
            return self._signed_out()
        self.activity_open, self.activity_items, self.activity_more = bool(open_), [], False
        if self.activity_open:
            self._load_activity(user_id, before_id=None)

    @rx.event
    def older_activity(self):
        user_id = self._user_id()
        if user_id is None:
            return self._signed_out()
        if self.activity_items:
            self._load_activity(user_id, before_id=self.activity_items[-1].id)

    def _load_activity(self, user_id: int, *, before_id: int | None) -> None:
        with session_scope() as session:
            events = audit.list_events(session, user_id=user_id, limit=PAGE, before_id=before_id)
        self.activity_items = [*self.activity_items, *(_item(e) for e in events)]
        self.activity_more = len(events) == PAGE
