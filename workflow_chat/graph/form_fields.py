"""The inspector's form, derived from each kind's Config JSON Schema (never written per kind).

A field's widget comes from its schema type (enum → select, boolean → switch, number → number,
array → list, object or free-form → json) unless the field declares one in
`json_schema_extra={"widget": ...}` (template, cron, secret, textarea); `{"show_if": {field:
[values]}}` shows a field only while another field has one of those values. Pure functions,
shared by the Reflex inspector and tests.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import ValidationError

from workflow_chat.graph.schema import Workflow
from workflow_chat.graph.traversal import incoming, topological_order
from workflow_chat.nodes import get_kind
from workflow_chat.nodes.cron_text import describe_cron, parse_cron

Widget = Literal[
    "text", "textarea", "number", "select", "switch", "json", "template", "cron", "secret", "list"
]
_WIDGETS = set(Widget.__args__)  # type: ignore[attr-defined]
_TYPED = {"boolean": "switch", "number": "number", "integer": "number", "array": "list",
          "object": "json"}


@dataclass(frozen=True)
class FieldSpec:
    """One form field. `show_if` maps another field's name to the values that show this one;
    `expression` marks a bare Jinja expression (earlier outputs named without {{ }})."""

    name: str
    label: str
    widget: Widget
    required: bool
    options: tuple[str, ...] = ()
    default: Any = None
    help: str = ""
    show_if: dict[str, list[Any]] | None = None
    expression: bool = False
    integer: bool = False


def _label(name: str, title: str | None) -> str:
    if not title or title == name.replace("_", " ").title():  # pydantic's own: sentence-case it
        return name.replace("_", " ").capitalize()
    return title


def _widget(schema: dict[str, Any]) -> Widget:
    declared = schema.get("widget")
    if declared in _WIDGETS:
        return declared
    if "enum" in schema:
        return "select"
    return _TYPED.get(schema.get("type", ""), "text" if "type" in schema else "json")  # type: ignore[return-value]


def _unwrap(schema: dict[str, Any]) -> dict[str, Any]:
    """`X | None` as X, keeping the outer keys (description, default, hints)."""
    options = [o for o in schema.get("anyOf", []) if o.get("type") != "null"]
    if len(options) != 1:
        return schema
    return {**options[0], **{k: v for k, v in schema.items() if k != "anyOf"}}


def form_fields(kind_name: str) -> list[FieldSpec]:
    """The kind's config fields in declaration order; [] for an unknown kind or no fields."""
    kind = get_kind(kind_name)
    if kind is None:
        return []
    schema = kind.config_schema()
    required = set(schema.get("required", []))
    specs = []
    for name, raw in schema.get("properties", {}).items():
        prop = _unwrap(raw)
        specs.append(FieldSpec(
            name=name,
            label=_label(name, raw.get("title")),
            widget=_widget(prop),
            required=name in required,
            options=tuple(str(o) for o in prop.get("enum", ())),
            default=prop.get("default"),
            help=prop.get("description", ""),
            show_if=prop.get("show_if"),
            expression=prop.get("syntax") == "expression",
            integer=prop.get("type") == "integer",
        ))
    return specs


def field_spec(kind_name: str, name: str) -> FieldSpec | None:
    return next((s for s in form_fields(kind_name) if s.name == name), None)


def is_visible(spec: FieldSpec, config: dict[str, Any]) -> bool:
    """Whether the field shows for this config (hidden fields keep their values)."""
    return all(config.get(other) in values for other, values in (spec.show_if or {}).items())


def parse_value(spec: FieldSpec, raw: Any) -> Any:
    """What the browser sent, as the config value. None means "back to the default".

    Raises ValueError with a message for the person when the text cannot be read.
    """
    if spec.widget == "switch":
        return raw if isinstance(raw, bool) else str(raw).strip().lower() in ("true", "1", "on")
    text = "" if raw is None else str(raw)
    if spec.widget == "list":
        return [item.strip() for item in re.split(r"[,\n]", text) if item.strip()]
    if not text.strip():
        return "" if spec.required else None
    if spec.widget == "number":
        try:
            number = int(text) if spec.integer else float(text)
        except ValueError:
            raise ValueError("Enter a whole number." if spec.integer else "Enter a number.") from None
        if not math.isfinite(number):
            raise ValueError("Enter a finite number.")
        return number
    if spec.widget == "json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(
                f"Not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})."
            ) from None
    return text


def display_value(spec: FieldSpec, value: Any) -> str:
    """The config value as the text its widget shows."""
    if value is None:
        return ""
    if spec.widget == "json":
        return json.dumps(value, indent=2, ensure_ascii=False)
    if spec.widget == "list":
        return ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
    if spec.widget == "number" and isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).lower() if isinstance(value, bool) else str(value)


def _secret_name_error(value: Any) -> str | None:
    # Only names belong in the graph: a pasted URL or token would end up in prompts and logs.
    if isinstance(value, str) and value and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.\-]{0,99}", value):
        return "Enter the name of a secret (like SLACK_WEBHOOK_URL), not its value."
    return None


def validate_field(kind: str, config: dict[str, Any], name: str, value: Any) -> str | None:
    """The error for `name` if it were set to `value` in `config` (None when it is fine).

    Uses the kind's Config model, so the rules are the ones the graph validator applies; errors
    that only concern other fields are not this field's problem and are ignored.
    """
    spec = field_spec(kind, name)
    if spec is None:
        return f"{kind} has no field {name!r}."
    if spec.required and (value is None or (isinstance(value, str) and not value.strip())):
        return "This field is required."
    if spec.widget == "secret" and (error := _secret_name_error(value)):
        return error
    try:
        config_with(kind, config, name, value)
    except ValidationError as exc:
        for item in exc.errors():
            if item["loc"] and item["loc"][0] == name:
                message = item["msg"].removeprefix("Value error, ")
                return message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")
    return None


def config_with(kind: str, config: dict[str, Any], name: str, value: Any) -> dict[str, Any]:
    """The config as it would be stored after setting `name` (None: back to its default, as
    update_node does), defaults filled in. Raises pydantic's ValidationError when invalid."""
    merged = {k: v for k, v in config.items() if k != name}
    if value is not None:
        merged[name] = value
    return get_kind(kind).config.model_validate(merged).model_dump(mode="json")  # type: ignore[union-attr]


_OUTPUT_KEY = re.compile(r"\s*'([A-Za-z_][A-Za-z0-9_]*)'\s*:")


def output_keys(outputs: str) -> list[str]:
    """Top-level keys of a kind's outputs description ("{'status': int, 'body': ...}")."""
    depth, keys = 0, []
    for index, char in enumerate(outputs):
        if char in "{,":
            depth += char == "{"
            match = _OUTPUT_KEY.match(outputs, index + 1) if depth == 1 else None
            keys += [match.group(1)] if match else []
        elif char == "}":
            depth -= 1
    return keys


def template_hints(workflow: Workflow | dict[str, Any], node_id: str) -> list[str]:
    """`{{ nodes.<id>.output.<key> }}` for every node upstream of `node_id`, nearest last
    (topological order); a kind without named outputs gives `{{ nodes.<id>.output }}`."""
    graph = workflow if isinstance(workflow, Workflow) else Workflow.model_validate(workflow)
    upstream: set[str] = set()
    stack = [node_id]
    while stack:
        for edge in incoming(graph, stack.pop()):
            if edge.source not in upstream and edge.source != node_id:
                upstream.add(edge.source)
                stack.append(edge.source)
    hints = []
    for other in topological_order(graph):
        node = graph.node(other)
        if other not in upstream or node is None:
            continue
        kind = get_kind(node.kind)
        keys = output_keys(kind.outputs) if kind else []
        paths = [f"nodes.{other}.output.{key}" for key in keys] or [f"nodes.{other}.output"]
        hints += [f"{{{{ {path} }}}}" for path in paths]
    return hints


def insert_hint(text: str, hint: str, *, expression: bool = False) -> str:
    """`text` with `hint` appended (bare, without {{ }}, in an expression field)."""
    if expression:
        hint = hint.removeprefix("{{").removesuffix("}}").strip()
    if not text:
        return hint
    return text + ("" if text.endswith((" ", "\n")) else " ") + hint


def cron_preview(expr: str) -> str:
    """'0 9 * * 1-5' → 'At 09:00, Monday through Friday'; the reason when it is not valid."""
    try:
        parse_cron(expr)
    except ValueError as exc:
        return str(exc)[:1].upper() + str(exc)[1:]
    return describe_cron(" ".join(expr.split()))
