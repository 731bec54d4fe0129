"""An intent becomes a node: its id stem, label, config, and a line explaining it.

Each config reads the data of the step before it through a template such as
`{{ nodes.fetch.output.body }}`; `Source` says which expression that is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from workflow_chat.llm.offline.conditions import Tested, condition_expression
from workflow_chat.llm.offline.delivery import PLACEHOLDER_RECIPIENT
from workflow_chat.llm.offline.intents import Intent
from workflow_chat.llm.offline.sentence import plain
from workflow_chat.llm.offline.transform_templates import transform_plan

_LLM_NOUNS = {"summarise": "summary", "classify": "label", "translate": "translation",
              "extract": "extracted data", "generate": "draft"}
_PROMPTS = {
    "summarise": "Summarise the following in a few short bullet points.",
    "translate": "Translate the following into {language}.",
    "classify": "Classify the following as one of: {labels}. Answer with the label only.",
    "extract": "Extract {what} from the following. Answer with JSON.",
}


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
    http_id: str | None = None
    notes: list[str] = field(default_factory=list)


def base_id(intent: Intent) -> str:
    """A short readable id stem: fetch, summarise, email, check, wait …"""
    p = intent.params
    if intent.kind == "http_request":
        return {"GET": "fetch", "POST": "post"}.get(str(p.get("method")), "request")
    if intent.kind == "llm":
        return str(p.get("operation", "generate"))
    if intent.kind == "transform":
        return "extract_fields" if p.get("verb") == "extract" else str(p.get("verb", "transform"))
    return {"condition": "check", "delay": "wait"}.get(intent.kind, intent.kind)


def build(intent: Intent, node_id: str, ctx: Context) -> Built:
    return _BUILDERS[intent.kind](intent.params, node_id, ctx)


def _template(source: Source) -> str:
    return "{{ " + source.expr + " }}"


def _http(p: dict[str, Any], node_id: str, ctx: Context) -> Built:
    method, url, what = str(p["method"]), str(p["url"]), str(p.get("what") or "data")
    config: dict[str, Any] = {"method": method, "url": url}
    notes = ()
    if "api.github.com" in url:
        config["headers"] = {"Accept": "application/vnd.github+json"}
    if p.get("placeholder") and "OWNER/REPO" in url:
        notes = (f"Replace OWNER/REPO in `{url}` with your repository (a private one also "
                 "needs an `Authorization` header with a token).",)
    elif p.get("placeholder"):
        notes = (f"`{url}` is a placeholder: replace it with the real URL.",)
    if method == "GET":
        label, explain = f"Fetch {what}", f"`GET {url}`."
        noun = "response" if "." in what or what == "URL" else what  # not "Email example.com"
        output = Source(f"nodes.{node_id}.output.body", noun, False)
    else:
        config["body"] = _template(ctx.source)
        label = f"{method} to {what}"
        explain = f"Sends the {ctx.source.noun} to `{url}` ({method})."
        output = Source(f"nodes.{node_id}.output.body", "response", False)
    return Built(label, config, explain, notes, output)


def _llm(p: dict[str, Any], node_id: str, ctx: Context) -> Built:
    op, noun = str(p.get("operation", "generate")), ctx.source.noun
    config: dict[str, Any] = {"operation": op, "input": _template(ctx.source)}
    labels: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    if op == "summarise":
        label, explain = "Summarise", f"An LLM summarises the {noun}."
    elif op == "classify":
        labels = tuple(p.get("labels") or ())
        config["labels"] = list(labels)
        label, explain = "Classify", f"An LLM labels the {noun} as {' / '.join(labels)}."
    elif op == "translate":
        config["target_language"] = p["language"]
        label, explain = f"Translate to {p['language']}", f"An LLM translates the {noun}."
        if not p.get("language_given"):
            notes = ("No language was named, so it translates into English.",)
    elif op == "extract":
        label, explain = f"Extract {p['what']}", f"An LLM extracts {p['what']} from the {noun}."
    elif p.get("request"):
        label, explain = "Answer the request", "An LLM works on your request as written."
        config["prompt"] = "Carry out this request: " + plain(str(p["request"]), 500)
    else:
        label = f"{str(p.get('verb', 'write')).capitalize()} {p.get('what')}"
        explain = f"An LLM writes {p.get('what')} from the {noun}."
        config["prompt"] = f"Write {p.get('what')} based on the following."
    if "prompt" not in config:
        config["prompt"] = _PROMPTS[op].format(
            language=p.get("language"), labels=", ".join(labels), what=p.get("what")
        )
    output = Source(f"nodes.{node_id}.output.text", _LLM_NOUNS.get(op, "text"), True, labels)
    return Built(label[:120], config, explain, notes, output)


def _transform(p: dict[str, Any], node_id: str, ctx: Context) -> Built:
    plan = transform_plan(p, ctx.source.expr, ctx.source.is_text)
    notes = ("Check the transform template; it is a starting point.",) if plan.guessed else ()
    output = Source(f"nodes.{node_id}.output.value", "result", not plan.parse_json)
    config = {"template": plan.template, "parse_json": plan.parse_json}
    return Built(plan.label, config, f"A template {plan.explain}.", notes, output)


def _condition(p: dict[str, Any], node_id: str, ctx: Context) -> Built:
    tested = Tested(ctx.source.expr, ctx.source.is_text, ctx.source.labels, ctx.http_id)
    expression, guessed = condition_expression(str(p["phrase"]), bool(p["negate"]), tested)
    words = plain(str(p["phrase"]), 60)
    label = f"{'Unless' if p['negate'] else 'If'} {words}" if words else "Check"
    explain = f"Goes on only when `{expression}` is true (the **true** branch)."
    notes = ("The condition was guessed from your words: check its expression.",) if guessed else ()
    return Built(label, {"expression": expression}, explain, notes)


def _delay(p: dict[str, Any], node_id: str, ctx: Context) -> Built:
    amount, unit = p["amount"], str(p["unit"])
    unit_text = unit[:-1] if amount == 1 else unit
    return Built(f"Wait {amount} {unit_text}", {"amount": amount, "unit": unit},
                 f"Waits {amount} {unit_text}.")


def _email(p: dict[str, Any], node_id: str, ctx: Context) -> Built:
    to, noun = ", ".join(p.get("to") or []), ctx.source.noun
    notes = ()
    if not to:
        to = PLACEHOLDER_RECIPIENT
        notes = (f"Set the email recipient: it is `{to}` for now.",)
    config = {"to": to, "subject": f"{noun.capitalize()} from your workflow",
              "body": _template(ctx.source)}
    return Built(f"Email {noun}"[:120], config, f"Emails the {noun} to {to}.", notes)


def _slack(p: dict[str, Any], node_id: str, ctx: Context) -> Built:
    channel, noun = p.get("channel"), ctx.source.noun
    config = {"text": _template(ctx.source), "channel": channel}
    where = f" in {channel}" if channel else ""
    note = "Save your Slack incoming-webhook URL as the secret `SLACK_WEBHOOK_URL`."
    label = f"Post to {channel}" if channel else f"Post {noun} to Slack"
    return Built(label[:120], config, f"Posts the {noun} to Slack{where}.", (note,))


_BUILDERS = {"http_request": _http, "llm": _llm, "transform": _transform,
             "condition": _condition, "delay": _delay, "email": _email, "slack": _slack}
