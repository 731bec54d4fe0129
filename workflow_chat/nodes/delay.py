"""Delay: a durable wait."""

from typing import Literal

from pydantic import Field

from workflow_chat.engine.context import RunContext
from workflow_chat.nodes.base import NodeConfig, NodeKind

Unit = Literal["seconds", "minutes", "hours", "days"]
UNIT_SECONDS: dict[str, int] = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}


class Config(NodeConfig):
    amount: float = Field(gt=0, description="How long to wait, in the unit")
    unit: Unit = "seconds"

    @property
    def seconds(self) -> float:
        return self.amount * UNIT_SECONDS[self.unit]


def _summary(c: Config) -> str:
    amount = int(c.amount) if c.amount == int(c.amount) else c.amount
    unit = c.unit[:-1] if amount == 1 else c.unit
    return f"Wait {amount} {unit}"


async def run(config: Config, ctx: RunContext) -> dict[str, float]:
    """Output {"waited_seconds": config.seconds}. It does NOT wait: the runner does the durable
    sleep itself (wake time recorded as a step, so a restart sleeps only what is left) and
    calls this for the output."""
    return {"waited_seconds": config.seconds}


KIND = NodeKind(
    name="delay",
    title="Delay",
    category="logic",
    description="Waits, then continues.",
    config=Config,
    icon="hourglass",
    colour="#64748b",
    outputs="{'waited_seconds': number}",
    summary=_summary,
    run=run,
)
