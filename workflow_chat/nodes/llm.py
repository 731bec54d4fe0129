"""LLM step: summarise, classify, translate or generate text from earlier outputs."""

import asyncio
from typing import Any, Literal

from pydantic import Field

from workflow_chat.engine.context import ConnectorError, RunContext
from workflow_chat.engine.secrets import redact_message
from workflow_chat.engine.templating import render
from workflow_chat.llm.errors import LLMError
from workflow_chat.llm.settings import LLMSettings, LLMSettingsInvalid, load_llm_settings
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


# The model answers a machine: the text goes straight into the next node.
_SYSTEM = ("You are one step of an automated workflow. Reply with the result only: no preamble, "
           "no notes, no quotes around it.")
_TASKS: dict[str, str] = {
    "generate": "Follow the instruction.",
    "summarise": "Summarise the input concisely, keeping names, numbers and decisions.",
    "extract": "Extract what the instruction asks for from the input; nothing else.",
    "translate": "Translate the input into {language}. Keep the meaning, tone and formatting.",
    "classify": "Classify the input. Reply with exactly one of these labels and nothing else: "
                "{labels}.",
}


async def run(config: Config, ctx: RunContext) -> dict[str, str]:
    """Ask the run owner's model (Settings) or else the server's (LLM_* settings, see
    llm/settings.py) once.

    Output {"text": answer}; for classify also {"label": one of config.labels} (and "text" is
    that label). Raises ConnectorError: not retryable when no model is configured or the config
    lacks labels/target_language; retryable for 429, 5xx, timeouts and dropped connections.
    """
    # Imported here: the provider layer imports the graph package, which imports this registry.
    from workflow_chat.llm.complete import complete_text

    settings = _settings(config, await asyncio.to_thread(_owners_model, ctx.secrets))
    messages = [{"role": "system", "content": f"{_SYSTEM}\n\n{_task(config)}"},
                {"role": "user", "content": _request(config, ctx)}]
    try:
        text = await complete_text(messages, settings=settings)
    except LLMError as error:
        raise ConnectorError(redact_message(ctx.secrets, error.message),
                             retryable=error.retryable, retry_after=error.retry_after) from None
    if config.operation != "classify":
        return {"text": text}
    label = match_label(text, config.labels)
    if label is None:
        # Sampling may well pick a label next time.
        raise ConnectorError(
            f"the model answered {text[:80]!r}, which is none of the labels "
            f"{', '.join(config.labels)}", retryable=True,
        )
    return {"text": label, "label": label}


def _owners_model(secrets: Any) -> LLMSettings | None:
    """The model the run's owner chose in Settings (with their key from the vault), or None
    for the server's."""
    from workflow_chat.db import session_scope
    from workflow_chat.services import user_settings
    from workflow_chat.services.errors import Invalid

    owner = secrets.owner_id() if secrets is not None else None
    if owner is None:
        return None
    try:
        with session_scope() as session:
            return user_settings.llm_settings_for(session, user_id=owner)
    except Invalid as error:  # their saved key cannot be decrypted here
        raise ConnectorError(str(error), retryable=False) from None


def _settings(config: Config, own: LLMSettings | None = None) -> LLMSettings:
    if own is not None:
        settings = own
    else:
        try:
            settings = load_llm_settings()
        except LLMSettingsInvalid as error:
            raise ConnectorError(f"the LLM settings are invalid: {error}", retryable=False) from None
    if not settings.configured:
        raise ConnectorError(
            "no LLM is configured: choose a model in Settings, or set LLM_API_KEY "
            "(or OPENAI_API_KEY) or LLM_BASE_URL on the server",
            retryable=False,
        )
    return settings.model_copy(update={"model": config.model}) if config.model else settings


def _task(config: Config) -> str:
    if config.operation == "classify" and not config.labels:
        raise ConnectorError("labels: classify needs at least one label", retryable=False)
    if config.operation == "translate" and not config.target_language:
        raise ConnectorError("target_language: translate needs a language", retryable=False)
    return _TASKS[config.operation].format(
        language=config.target_language, labels=", ".join(config.labels)
    )


def _request(config: Config, ctx: RunContext) -> str:
    prompt = render(config.prompt, ctx, field="prompt").strip()
    text = render(config.input, ctx, field="input").strip()
    if not (prompt or text):
        raise ConnectorError("prompt: the prompt and the input are both empty", retryable=False)
    if not text:
        return prompt
    return f"{prompt}\n\nInput:\n{text}" if prompt else text


def match_label(answer: str, labels: list[str]) -> str | None:
    """The label `answer` names: an exact match ignoring case, quotes and a final full stop,
    else the longest label the answer contains; None when it names none."""
    cleaned = answer.strip().strip("\"'`*").rstrip(".").strip().lower()
    for label in labels:
        if cleaned == label.lower():
            return label
    found = [label for label in sorted(labels, key=len, reverse=True)
             if label.lower() in answer.lower()]
    return found[0] if found else None


KIND = NodeKind(
    name="llm",
    title="LLM",
    category="action",
    description="Asks a language model; returns its text.",
    config=Config,
    icon="sparkles",
    colour="#9333ea",
    outputs="{'text': the model's answer, 'label': the chosen label (classify only)}",
    summary=_summary,
    run=run,
    side_effect=True,
)
