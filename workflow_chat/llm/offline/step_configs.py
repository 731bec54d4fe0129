"""An intent becomes a node: its id stem, label, config, and a line explaining it.

Each config reads the data of the step before it through a template such as
`{{ nodes.fetch.output.body }}`; `Source` says which expression that is.
"""

from __future__ import annotations

from typing import Any

from workflow_chat.llm.offline.conditions import Tested, condition_expression
from workflow_chat.llm.offline.delivery import PLACEHOLDER_RECIPIENT
from workflow_chat.llm.offline.intents import Intent
from workflow_chat.llm.offline.llm_config import build_llm
from workflow_chat.llm.offline.sentence import plain
from workflow_chat.llm.offline.step_types import Built, Context, Source, template
from workflow_chat.llm.offline.transform_lists import LIST_VERBS, list_plan
from workflow_chat.llm.offline.transform_templates import transform_plan


def base_id(intent: Intent) -> str:
    """A short readable id stem: fetch, summarise, email, check, wait …"""
    p = intent.params
    if intent.kind == "http_request":
        return {"GET": "fetch", "POST": "post"}.get(str(p.get("method")), "request")
    if intent.kind == "llm":
        return str(p.get("operation", "generate"))
    if intent.kind == "transform":
        verb = str(p.get("verb", "transform"))
        return {"extract": "extract_fields", "top": "keep_top"}.get(verb, verb)
    return {"condition": "check", "delay": "wait"}.get(intent.kind, intent.kind)


def build(intent: Intent, node_id: str, ctx: Context) -> Built:
    return _BUILDERS[intent.kind](intent.params, node_id, ctx)


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
        config["body"] = template(ctx.source)
        label = f"{method} to {what}"
        explain = f"Sends the {ctx.source.noun} to `{url}` ({method})."
        output = Source(f"nodes.{node_id}.output.body", "response", False)
    return Built(label, config, explain, notes, output)


def _transform(p: dict[str, Any], node_id: str, ctx: Context) -> Built:
    if p.get("verb") in LIST_VERBS:
        plan = list_plan(p, ctx.source.expr, ctx.source.is_text)
    else:
        plan = transform_plan(p, ctx.source.expr, ctx.source.is_text)
    notes = ("Check the transform template; it is a starting point.",) if plan.guessed else ()
    output = Source(f"nodes.{node_id}.output.value", "result", not plan.parse_json)
    config = {"template": plan.template, "parse_json": plan.parse_json}
    return Built(plan.label, config, f"A template {plan.explain}.", notes, output)


def _condition(p: dict[str, Any], node_id: str, ctx: Context) -> Built:
    tested = Tested(ctx.source.expr, ctx.source.is_text, ctx.source.labels, ctx.http_id,
                    ctx.joined_ids)
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
              "body": template(ctx.source)}
    return Built(f"Email {noun}"[:120], config, f"Emails the {noun} to {to}.", notes)


def _slack(p: dict[str, Any], node_id: str, ctx: Context) -> Built:
    channel, noun = p.get("channel"), ctx.source.noun
    config = {"text": template(ctx.source), "channel": channel}
    where = f" in {channel}" if channel else ""
    note = "Save your Slack incoming-webhook URL as the secret `SLACK_WEBHOOK_URL`."
    label = f"Post to {channel}" if channel else f"Post {noun} to Slack"
    return Built(label[:120], config, f"Posts the {noun} to Slack{where}.", (note,))


def _merge(p: dict[str, Any], node_id: str, ctx: Context) -> Built:
    mode, count = str(p.get("mode", "all")), int(p.get("branches") or 2)
    if mode == "any":
        label, explain = "First to answer", "Goes on with whichever branch finishes first."
    else:
        label = "Wait for both" if count == 2 else f"Wait for all {count}"
        explain = f"Waits for all {count} branches and passes their results on together."
    output = Source(f"nodes.{node_id}.output.inputs", "combined results", False)
    return Built(label, {"mode": mode}, explain, (), output)


_BUILDERS = {"http_request": _http, "llm": build_llm, "transform": _transform,
             "condition": _condition, "delay": _delay, "email": _email, "slack": _slack,
             "merge": _merge}
