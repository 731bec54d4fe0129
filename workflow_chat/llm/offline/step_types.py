"""What the step builders share: the data a step reads (`Source`), what a builder returns
(`Built`), and what it knows of the steps before it (`Context`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Source:
    """The data later steps work on: which node made it and how to refer to it."""

    expr: str
    noun: str
    is_text: bool
    labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class Built:
    label: str
    config: dict[str, Any]
    explain: str
    notes: tuple[str, ...] = ()
    output: Source | None = None  # None: the step passes the earlier data on unchanged


@dataclass
class Context:
    source: Source
    http_id: str | None = None  # the last HTTP step, for "if the request fails"
    joined_ids: tuple[str, ...] = ()  # the parallel fetches a merge just joined
    notes: list[str] = field(default_factory=list)


def template(source: Source) -> str:
    """The Jinja expression that reads `source` inside a config value."""
    return "{{ " + source.expr + " }}"
