"""What a clause asks for, before it becomes a node: the kind, the facts found, and its place."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Inside one clause, steps run in data-flow order rather than word order: in "email me a
# summary" the summary is made before the email is sent, and in "post to Slack only if the
# list is empty" the condition guards the post. A fetch in the clause still comes first, since
# the condition usually tests what it fetched ("if https://x.io is down, alert me").
# A wait is about time, not data: in "after 2 minutes, call …" and "wait 30 minutes before
# downloading …" it comes before the rest of its clause.
RANK_FIRST = -1
RANK_FETCH = 0
RANK_CONDITION = 1
RANK_PRODUCT = 2  # a thing named by a noun ("a summary") that a later step in the clause uses
RANK_WORK = 3
RANK_DELIVERY = 4


@dataclass(frozen=True)
class Intent:
    kind: str
    pos: int  # offset in the message; orders steps of the same rank
    rank: int
    params: dict[str, Any] = field(default_factory=dict)
    noun: bool = False  # made only when no earlier step already made the same thing
    otherwise: bool = False  # on the false branch of the condition before it
