"""What the workspace shows of chats, messages and versions: small rows built from the services'
views, so the browser is sent only what it draws."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from workflow_chat.services.chats import ChatSummary
from workflow_chat.services.messages import MessageView
from workflow_chat.services.workflows import VersionView

SOURCE_LABELS = {"ai": "Assistant", "edit": "Your edit", "import": "Import", "restore": "Restored"}


@dataclass
class ChatItem:
    id: int
    title: str
    when: str
    project_id: int = 0


@dataclass
class VersionItem:
    id: int
    number: int
    label: str
    when: str
    current: bool


@dataclass
class MessageItem:
    id: int
    role: str
    content: str
    status: str
    version_id: int


def when(moment: datetime) -> str:
    """ISO time in UTC; the browser shows it in the user's own time zone (rx.moment)."""
    moment = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat()


def chat_item(chat: ChatSummary) -> ChatItem:
    return ChatItem(id=chat.id, title=chat.title, when=when(chat.updated_at), project_id=chat.project_id)


def version_item(version: VersionView, *, current: bool) -> VersionItem:
    return VersionItem(id=version.id, number=version.number, when=when(version.created_at),
                       label=SOURCE_LABELS.get(version.source, version.source), current=current)


def message_item(message: MessageView) -> MessageItem:
    return MessageItem(id=message.id, role=message.role, content=message.content,
                       status=message.status, version_id=message.workflow_version_id or 0)
