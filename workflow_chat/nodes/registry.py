"""The registry of node kinds; adding a kind means adding its module to KINDS."""

from __future__ import annotations

from workflow_chat.nodes import (
    condition,
    delay,
    email,
    http_request,
    llm,
    manual,
    merge,
    schedule,
    slack,
    transform,
    webhook,
)
from workflow_chat.nodes.base import NodeKind

KINDS: dict[str, NodeKind] = {
    module.KIND.name: module.KIND
    for module in (
        manual,
        schedule,
        webhook,
        http_request,
        llm,
        transform,
        condition,
        delay,
        email,
        slack,
        merge,
    )
}

TRIGGER_KINDS: frozenset[str] = frozenset(n for n, k in KINDS.items() if k.is_trigger)


def get_kind(name: str) -> NodeKind | None:
    return KINDS.get(name)
