"""Read the model's raw answer into its parts: text, a workflow (as data) and/or a typed patch.

Checks the JSON and the envelope, and undoes the strict-output encodings (strict_schema.py) in
node and op configs, so an answer from strict JSON-schema output, from plain JSON mode or from
an Anthropic tool call reads the same. Graph rules are checked later, by parse_workflow or
apply_patch (see interpret.py): this module only gets the shapes right.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from workflow_chat.graph import Workflow
from workflow_chat.graph.patch_ops import Patch
from workflow_chat.llm.answer_schema import op_models
from workflow_chat.llm.strict_schema import from_strict
from workflow_chat.nodes import KINDS

_OP_MODELS: dict[str, type[BaseModel]] = {m.model_fields["op"].default: m for m in op_models()}
ANSWER_SHAPE = '{"message": text, "workflow": graph or null, "patch": {"ops": [...]} or null}'


class AnswerInvalid(ValueError):
    """The answer cannot be used; `errors` are worded for the model to repair."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class Answer:
    text: str
    workflow: dict[str, Any] | None  # graph data, decoded but not yet validated
    patch: Patch | None


class _Envelope(BaseModel):
    # Stray top-level keys are ignored: they carry nothing we would use.
    model_config = ConfigDict(extra="ignore")

    message: str
    workflow: dict[str, Any] | None = None
    patch: dict[str, Any] | None = None


def strip_fence(raw: str) -> str:
    """The JSON inside a ```json fence (some local models add one even in JSON mode)."""
    text = raw.strip()
    if text.startswith("```") and text.endswith("```"):
        text = text[3:-3].strip()
        if text.lower().startswith("json"):
            text = text[4:]
    return text


def _pydantic_errors(error: ValidationError, prefix: str) -> list[str]:
    out = []
    for item in error.errors():
        where = ".".join(str(p) for p in item["loc"])
        out.append(f"{prefix}{where}: {item['msg'].removeprefix('Value error, ')}")
    return out


def _config(kind_name: str | None, config: Any, *, partial: bool = False) -> Any:
    kind = KINDS.get(kind_name or "")
    if kind is None or not isinstance(config, dict):
        return config  # the validator names the unknown kind or the bad config
    return from_strict(config, kind.config_schema(), partial=partial)


def _without_nulls(data: dict[str, Any], model: type[BaseModel]) -> dict[str, Any]:
    """Drop nulls of fields that have a default: in strict output null means "not given"."""
    fields = model.model_fields
    return {
        k: v for k, v in data.items()
        if v is not None or k not in fields or fields[k].is_required()
    }


def decode_workflow(data: dict[str, Any]) -> dict[str, Any]:
    """Graph data with strict-output encodings undone (node configs, null description)."""
    out = {k: v for k, v in data.items() if not (v is None and k in ("name", "description"))}
    nodes = out.get("nodes")
    if isinstance(nodes, list):
        out["nodes"] = [
            {**n, "config": _config(n.get("kind"), n["config"])}
            if isinstance(n, dict) and "config" in n else n
            for n in nodes
        ]
    return out


def decode_patch(data: dict[str, Any], current: Workflow | None) -> Patch:
    """The typed patch; update_node configs are decoded with the kind of the node they name."""
    ops = data.get("ops")
    if isinstance(ops, list):
        data = {**data, "ops": [_decode_op(op, current) for op in ops]}
    try:
        return Patch.model_validate(data)
    except ValidationError as exc:
        raise AnswerInvalid(_pydantic_errors(exc, "patch.")) from None


def _decode_op(op: Any, current: Workflow | None) -> Any:
    if not isinstance(op, dict):
        return op
    model = _OP_MODELS.get(str(op.get("op")))
    out = _without_nulls(op, model) if model else dict(op)
    if "config" in out:
        if out.get("op") == "update_node":
            node = current.node(str(out.get("id"))) if current else None
            out["config"] = _config(node.kind if node else None, out["config"], partial=True)
        else:
            out["config"] = _config(out.get("kind"), out["config"])
    return out


def read_answer(raw: str, *, current: Workflow | None = None) -> Answer:
    """Parse the raw answer. Raises AnswerInvalid naming the JSON error, the envelope problem
    or the patch op fields that do not fit."""
    try:
        data: Any = json.loads(strip_fence(raw))
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise AnswerInvalid([f"the answer was not valid JSON ({exc.msg} at {where})"]) from None
    if not isinstance(data, dict):
        raise AnswerInvalid([f"the answer was not a JSON object {ANSWER_SHAPE}"])
    try:
        envelope = _Envelope.model_validate(data)
    except ValidationError as exc:
        raise AnswerInvalid(
            [f"the answer must be a JSON object {ANSWER_SHAPE}"] + _pydantic_errors(exc, "")
        ) from None
    workflow = decode_workflow(envelope.workflow) if envelope.workflow is not None else None
    patch = decode_patch(envelope.patch, current) if envelope.patch is not None else None
    if workflow is None and patch is None and not envelope.message.strip():
        raise AnswerInvalid(["the answer had neither a message nor a workflow or patch"])
    return Answer(envelope.message, workflow, patch)

