"""Node kinds: one module per kind, collected in the registry."""

from workflow_chat.nodes.base import NodeKind
from workflow_chat.nodes.registry import KINDS, TRIGGER_KINDS, get_kind

__all__ = ["KINDS", "TRIGGER_KINDS", "NodeKind", "get_kind"]
