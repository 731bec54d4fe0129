"""Schedule trigger: a five-field cron expression in a time zone."""

from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator

from workflow_chat.engine.context import RunContext
from workflow_chat.nodes.base import NodeConfig, NodeKind
from workflow_chat.nodes.cron_text import describe_cron, parse_cron


class Config(NodeConfig):
    cron: str = Field(
        description="Five-field cron: minute hour day-of-month month day-of-week",
        json_schema_extra={"widget": "cron"},
    )
    timezone: str = Field(
        default="UTC", title="Time zone", description="IANA time zone, e.g. Europe/Berlin"
    )

    @field_validator("cron")
    @classmethod
    def _cron_is_valid(cls, value: str) -> str:
        parse_cron(value)
        return " ".join(value.split())

    @field_validator("timezone")
    @classmethod
    def _timezone_exists(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: "Europe" is a folder
            raise ValueError(f"unknown time zone {value!r}") from None
        return value


async def run(config: Config, ctx: RunContext) -> Any:
    """The payload the scheduler started the run with ({'scheduled_at': ISO time}); {}
    when there was none."""
    return {} if ctx.trigger is None else ctx.trigger


KIND = NodeKind(
    name="schedule",
    title="Schedule",
    category="trigger",
    description="Starts on a cron schedule.",
    config=Config,
    icon="clock",
    colour="#16a34a",
    outputs="{'scheduled_at': ISO timestamp}",
    summary=lambda c: f"{describe_cron(c.cron)} ({c.timezone})",
    run=run,
)
