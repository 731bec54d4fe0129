"""What every node kind declares: one definition that validation, prompts and the canvas read."""

from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Awaitable
from typing import Any, Callable, Literal

from pydantic import BaseModel, ConfigDict

Category = Literal["trigger", "action", "logic"]


class NodeConfig(BaseModel):
    """Base of every kind's config: unknown fields are errors, so invented fields never pass."""

    model_config = ConfigDict(extra="forbid")


@dataclass(frozen=True)
class NodeKind:
    """A node kind: its config model, how it looks, and what it produces."""

    name: str
    title: str
    category: Category
    description: str
    config: type[NodeConfig]
    icon: str
    colour: str
    outputs: str
    summary: Callable[[Any], str]
    branches: tuple[str, ...] = ()
    # The connector: `await run(config, ctx)` returns the node's output (JSON-serialisable) or
    # raises engine.context.ConnectorError. Triggers return the trigger's payload.
    run: Callable[[Any, Any], Awaitable[Any]] | None = None
    # Side effects or outside answers (HTTP, LLM, email, Slack): the runner checkpoints these as
    # durable steps, retries them and passes an idempotency key. Pure kinds are recomputed.
    side_effect: bool = False

    @property
    def is_trigger(self) -> bool:
        return self.category == "trigger"

    def config_schema(self) -> dict[str, Any]:
        return self.config.model_json_schema()

    def summarise(self, config: dict[str, Any]) -> str:
        """One line describing a config; falls back to the kind's title when it does not parse."""
        try:
            return self.summary(self.config.model_validate(config))
        except ValueError:
            return self.title
