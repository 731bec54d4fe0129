"""LLM step: summarise, classify, translate or generate text from earlier outputs."""

from typing import Literal

from pydantic import Field

from workflow_chat.nodes.base import NodeConfig, NodeKind

Operation = Literal["summarise", "classify", "translate", "extract", "generate"]


class Config(NodeConfig):
    operation: Operation = "generate"
    prompt: str = Field(
        description="Instruction for the model; may contain {{ templates }}",
        json_schema_extra={"widget": "template"},
    )
    input: str = Field(
        default="",
        description="Text to work on, usually {{ nodes.<id>.output... }}",
        json_schema_extra={"widget": "template"},
    )
    labels: list[str] = Field(
        default_factory=list,
        description="Categories for classify",
        json_schema_extra={"show_if": {"operation": ["classify"]}},
    )
    target_language: str | None = Field(
        default=None,
        description="Language for translate",
        json_schema_extra={"show_if": {"operation": ["translate"]}},
    )
    model: str | None = Field(default=None, description="Model name; default from settings")


def _summary(c: Config) -> str:
    if c.operation == "classify" and c.labels:
        return "Classify as " + " / ".join(c.labels)
    if c.operation == "translate" and c.target_language:
        return f"Translate to {c.target_language}"
    return c.prompt[:80]


KIND = NodeKind(
    name="llm",
    title="LLM",
    category="action",
    description="Asks a language model; returns its text.",
    config=Config,
    icon="sparkles",
    colour="#9333ea",
    outputs="{'text': the model's answer}",
    summary=_summary,
)
