"""Jinja templates and expressions over a run's data, sandboxed and deterministic.

Names in scope: `nodes` (node id -> {"output": ...} for the nodes that finished), `trigger` (the
trigger's payload), `secrets` (`secrets.NAME`, resolved through ctx.secrets) and `run`
({"id": run_id}). Every failure (unknown name, syntax, sandbox violation, a filter's error)
raises ConnectorError with retryable=False, a message that says which field and why, and no
secret value in it.

Rendering choices callers may rely on:
- `render` always returns text; dicts and lists print as JSON (not Python's repr).
- `render_value` keeps NATIVE types for a string that is exactly one `{{ expr }}` (surrounding
  blanks allowed): `{"items": "{{ nodes.fetch.output.body }}"}` sends the list itself, not its
  text. Any other string renders to text; a string without `{{`/`{%` is returned untouched.
- `evaluate` takes a bare expression (no braces) and returns its native value.
- Pure nodes are recomputed on replay, so nothing random or clock-based is in scope: Jinja's
  `random` filter and `lipsum` global are removed.
"""

from __future__ import annotations

import json
import operator
import re
from contextvars import ContextVar
from functools import lru_cache
from typing import Any, Callable

from jinja2 import StrictUndefined, Template, TemplateSyntaxError, Undefined, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from jinja2.utils import missing

from workflow_chat.engine.context import ConnectorError, RunContext
from workflow_chat.engine.secrets import redact_message

__all__ = ["evaluate", "render", "render_value"]

# Whole-string single expression: `{{ expr }}` with nothing else around it but blanks.
_SINGLE = re.compile(r"\s*\{\{(?P<expr>.*?)\}\}\s*", re.DOTALL)
# The largest string or sequence `*` may build and the largest exponent `**` may use, so one
# template cannot stall the process that runs everyone's workflows.
MAX_REPEAT_LENGTH = 1_000_000
MAX_EXPONENT = 1000
_CACHE_SIZE = 4096


class _ClearUndefined(StrictUndefined):
    """Fails on any use, with a message naming what was missing and what exists there."""

    __slots__ = ()

    @property
    def _undefined_message(self) -> str:
        name, obj = self._undefined_name, self._undefined_obj
        if self._undefined_hint:
            return self._undefined_hint
        if obj is missing:
            return f"{name!r} is not defined (use nodes, trigger, secrets or run)"
        if isinstance(obj, _Nodes):
            known = ", ".join(sorted(obj)) or "none yet"
            return f"no node {name!r} has finished before this one (finished: {known})"
        where = _path_of(obj) or "the value"
        if isinstance(obj, dict):
            keys = ", ".join(sorted(map(str, obj))[:20]) or "no keys"
            return f"{where} has no {name!r} (it has: {keys})"
        kind = type(obj).__name__
        article = "an" if kind[0] in "aeiou" else "a"
        return f"{where} is {article} {kind} and has no {name!r}"


# The scope of the render in progress, so an error can say where the missing name was looked up.
_CURRENT_SCOPE: ContextVar[dict[str, Any] | None] = ContextVar("template_scope", default=None)
_SEARCH_LIMIT = 10_000


def _path_of(target: Any) -> str | None:
    """The dotted path (`nodes.fetch.output.body[0]`) of `target` in the current scope, found by
    identity. Only called on the error path; bounded so a huge output cannot stall it."""
    start = _CURRENT_SCOPE.get()
    if start is None:
        return None
    stack: list[tuple[str, Any]] = [(k, v) for k, v in start.items() if k != "secrets"]
    seen = 0
    while stack and seen < _SEARCH_LIMIT:
        path, value = stack.pop()
        seen += 1
        if value is target:
            return path
        if isinstance(value, dict):
            stack.extend((_step(path, k), v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((f"{path}[{i}]", v) for i, v in enumerate(value))
    return None


def _step(path: str, key: Any) -> str:
    return f"{path}.{key}" if isinstance(key, str) and key.isidentifier() else f"{path}[{key!r}]"


class _Nodes(dict):  # type: ignore[type-arg]
    """The `nodes` mapping, marked so a missing node id gets its own message."""


class _SecretScope:
    """`secrets` inside templates: any attribute or item is a secret name. Nothing else is
    reachable (no methods to list or dump values)."""

    __slots__ = ("_secrets",)

    def __init__(self, secrets: Any) -> None:
        self._secrets = secrets

    def __getattr__(self, name: str) -> str:
        if name.startswith("_"):  # Python's own probes (`__html__`), never secret names
            raise AttributeError(name)
        if self._secrets is None:
            raise ConnectorError("secrets are not available here", retryable=False)
        value: str = self._secrets.get(name)
        return value

    __getitem__ = __getattr__

    def __repr__(self) -> str:
        return "<secrets>"


class _Environment(ImmutableSandboxedEnvironment):
    # Immutable: templates see earlier outputs by reference; `list.append` and friends would
    # change them under the next node's feet and make a replay compute something else.
    intercepted_binops = frozenset({"*", "**"})

    def getattr(self, obj: Any, attribute: str) -> Any:
        # Outputs are JSON: `output.items` or `output.values` means the key, not the dict
        # method Jinja would pick first. Methods stay reachable when no such key exists.
        if isinstance(obj, dict) and attribute in obj:
            return obj[attribute]
        if attribute.startswith("_"):  # even where no such attribute exists: say "not allowed"
            return self.unsafe_undefined(obj, attribute)
        return super().getattr(obj, attribute)

    def call_binop(self, context: Any, operator_: str, left: Any, right: Any) -> Any:
        if operator_ == "**":
            if isinstance(right, (int, float)) and abs(right) > MAX_EXPONENT:
                raise ValueError(f"exponent {right} is too large (limit {MAX_EXPONENT})")
            return operator.pow(left, right)
        _check_repeat(left, right)
        _check_repeat(right, left)
        return operator.mul(left, right)


def _check_repeat(sequence: Any, times: Any) -> None:
    if isinstance(sequence, (str, list, tuple)) and isinstance(times, int):
        if len(sequence) * times > MAX_REPEAT_LENGTH:
            raise ValueError(f"repeating would build more than {MAX_REPEAT_LENGTH} items")


def _finalize(value: Any) -> Any:
    # `{{ nodes.fetch.output.body }}` in a message should read as JSON, not as Python's repr.
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return value


def _environment() -> _Environment:
    env = _Environment(
        undefined=_ClearUndefined, autoescape=False, keep_trailing_newline=True,
        finalize=_finalize,
    )
    env.filters.pop("random", None)
    env.globals.pop("lipsum", None)
    env.policies["json.dumps_kwargs"] = {"sort_keys": False, "ensure_ascii": False}
    return env


_ENV = _environment()


@lru_cache(maxsize=_CACHE_SIZE)
def _template(source: str) -> Template:
    return _ENV.from_string(source)


@lru_cache(maxsize=_CACHE_SIZE)
def _expression(source: str) -> Callable[..., Any]:
    return _ENV.compile_expression(source, undefined_to_none=False)


@lru_cache(maxsize=_CACHE_SIZE)
def _single_expression(source: str) -> str | None:
    """The inner expression when `source` is exactly one `{{ expr }}`, else None."""
    match = _SINGLE.fullmatch(source)
    if not match or "{{" in match["expr"] or "}}" in match["expr"]:
        return None
    expr = match["expr"]
    # `{{- x -}}`: a dash touching the braces is whitespace control, not part of the
    # expression (while `{{ -1 }}` is minus one).
    expr = expr[1:] if expr.startswith("-") else expr
    expr = expr[:-1] if expr.endswith("-") else expr
    return expr.strip() or None


def _scope(ctx: RunContext) -> dict[str, Any]:
    """The names a template sees for this context."""
    nodes = _Nodes((node_id, {"output": output}) for node_id, output in ctx.outputs.items())
    trigger = {} if ctx.trigger is None else ctx.trigger
    return {"nodes": nodes, "trigger": trigger, "secrets": _SecretScope(ctx.secrets),
            "run": {"id": ctx.run_id}}


def render(template: str, ctx: RunContext, *, field: str | None = None) -> str:
    """`template` rendered for `ctx`. `field` names the config field in error messages.
    Rendered once per context: nothing in scope changes while one node runs."""
    text = ctx.rendered.get(template)
    if text is None:
        text = ctx.rendered[template] = _guard(lambda names: _template(template).render(names), ctx, field)
    return text


def evaluate(expression: str, ctx: RunContext, *, field: str | None = None) -> Any:
    """The native value of a bare Jinja expression, e.g. `nodes.fetch.output.status == 200`."""

    def run(names: dict[str, Any]) -> Any:
        value = _expression(expression)(**names)
        if isinstance(value, Undefined):
            str(value)  # raises the UndefinedError that names what was missing
        return value

    return _guard(run, ctx, field)


def render_value(value: Any, ctx: RunContext, *, field: str | None = None) -> Any:
    """`value` with every string inside it (dict values and keys, list items) rendered.

    A string that is exactly one `{{ expr }}` gives the expression's native value; see the
    module docstring. Non-string leaves are returned as they are.
    """
    if isinstance(value, str):
        if "{{" not in value and "{%" not in value and "{#" not in value:
            return value  # the common case: plain text, no Jinja round trip
        expr = _single_expression(value)
        if expr is not None:
            return evaluate(expr, ctx, field=field)
        return render(value, ctx, field=field)
    if isinstance(value, dict):
        return {render_value(k, ctx, field=field): render_value(v, ctx, field=_join(field, k))
                for k, v in value.items()}
    if isinstance(value, list):
        return [render_value(item, ctx, field=_join(field, i)) for i, item in enumerate(value)]
    return value


def _join(field: str | None, key: Any) -> str:
    return f"{field}.{key}" if field else str(key)


def _guard(call: Callable[[dict[str, Any]], Any], ctx: RunContext, field: str | None) -> Any:
    """Call `call(scope)`; turn every failure into a non-retryable ConnectorError."""
    where = f"{field}: " if field else ""
    names = _scope(ctx)
    token = _CURRENT_SCOPE.set(names)
    try:
        return call(names)
    except ConnectorError as error:  # a missing secret: keep its words, add the field
        raise ConnectorError(where + error.message, retryable=False) from None
    except Exception as error:  # user-written code: any failure is the template's
        reason = getattr(error, "message", None) or str(error) or type(error).__name__
        kind = next((words for cls, words in _KINDS if isinstance(error, cls)), "template error")
        message = redact_message(ctx.secrets, f"{where}{kind}: {reason}")
        raise ConnectorError(message, retryable=False) from None
    finally:
        _CURRENT_SCOPE.reset(token)


_KINDS: tuple[tuple[type[Exception], str], ...] = (
    (SecurityError, "not allowed in templates"),
    (UndefinedError, "unknown name"),
    (TemplateSyntaxError, "template syntax error"),
)
