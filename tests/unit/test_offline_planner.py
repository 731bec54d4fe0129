"""The offline planner: plain requests become valid workflows, without a model."""

import pytest

from workflow_chat.graph import parse_workflow
from workflow_chat.llm import offline
from workflow_chat.llm.offline import plan
from workflow_chat.llm.offline.planner import build_plan
from workflow_chat.llm.offline.reply import SIGNATURE

SLACK_TAIL = " fetch https://example.com/data and post to Slack"
FETCH = "fetch https://x.io/items"
VARIED = [
    "every morning at 8 fetch https://example.com/api/items and email me a summary",
    "when a webhook is called, classify it as spam or ham and post to #mod on slack",
    "every 5 minutes poll the RSS feed and email new items to ops@example.com",
    "on form submission translate to German, wait 2 hours and send an email",
    "fetch https://x.io/a, if the status code is not 200 post to Slack",
    "every friday at 4pm summarise github pull requests to #dev", "hello", "?!", "", "\x00",
    "{{ secrets.X }} {% for %}", "😀 ∑ ﷽ \u202e reversed", "\ud800 lone surrogate", "a" * 10_000,
    "fetch " * 2_000, "@" * 10_000, "if " * 3_000, "every " * 2_000, "https://" + "a" * 9_990,
    "#" * 10_000, "at 9 " * 2_000, "Europe " * 1_000, "wait 0 minutes", "every 0 minutes",
    "every 99999 hours", "at 99:99", "on the 45th", "extract fields", "only if",
    "translate to Klingon", "classify as , , or", "ｆｅｔｃｈ ｈｔｔｐｓ://ｘ.ｉｏ",
    "extract " * 1_250, "classify as " * 900, "draft a, " * 1_100,
]


def kinds(message: str) -> list[str]:
    return [n.kind for n in build_plan(message).workflow.nodes]


def config(message: str, kind: str) -> dict:
    return next(n.config for n in build_plan(message).workflow.nodes if n.kind == kind)


def test_acceptance_morning_fetch_summary_email():
    reply = plan("every morning at 8 fetch https://example.com/api/items and email me a summary")
    wf, cfg = reply.workflow, {n.id: n.config for n in reply.workflow.nodes}
    assert [(n.id, n.kind, n.label) for n in wf.nodes] == [
        ("trigger", "schedule", "Every day at 08:00"), ("fetch", "http_request", "Fetch items"),
        ("summarise", "llm", "Summarise"), ("email", "email", "Email summary")]
    assert cfg["trigger"] == {"cron": "0 8 * * *", "timezone": "UTC"}
    assert (cfg["fetch"]["method"], cfg["fetch"]["url"]) == ("GET", "https://example.com/api/items")
    assert cfg["summarise"]["operation"] == "summarise"
    assert cfg["summarise"]["input"] == "{{ nodes.fetch.output.body }}"
    assert cfg["email"]["body"] == "{{ nodes.summarise.output.text }}"
    assert cfg["email"]["to"] == "you@example.com" and "recipient" in reply.text
    assert [(e.id, e.source, e.target, e.branch) for e in wf.edges] == [
        ("e1", "trigger", "fetch", None), ("e2", "fetch", "summarise", None),
        ("e3", "summarise", "email", None)]
    assert all((n.position.x, n.position.y) == (0, 0) for n in wf.nodes)


def test_acceptance_weekday_github_issues_to_slack():
    reply = plan("every weekday at 9, fetch our open GitHub issues, summarise them with an LLM "
                 "and post the summary to Slack")
    wf = reply.workflow
    assert [n.kind for n in wf.nodes] == ["schedule", "http_request", "llm", "slack"]
    assert wf.nodes[0].config["cron"] == "0 9 * * 1-5"
    assert wf.nodes[1].config["url"] == "https://api.github.com/repos/OWNER/REPO/issues?state=open"
    assert "Replace OWNER/REPO" in reply.text  # the reply says the URL is a placeholder
    assert wf.nodes[3].config["text"] == "{{ nodes.summarise.output.text }}"
    lines = reply.text.splitlines()
    numbered = [line for line in lines if line[:1].isdigit()]
    assert [line[:3] for line in numbered] == ["1. ", "2. ", "3. ", "4. "]
    assert all(f"**{n.label}**" in line for n, line in zip(wf.nodes, numbered))
    assert lines[-1] == SIGNATURE and "offline planner" in SIGNATURE


@pytest.mark.parametrize("phrase, cron", [
    ("every day at 9", "0 9 * * *"), ("every morning at 8", "0 8 * * *"), ("daily", "0 9 * * *"),
    ("every Monday", "0 9 * * 1"), ("every weekday at 9:30", "30 9 * * 1-5"),
    ("hourly", "0 * * * *"), ("every 15 minutes", "*/15 * * * *"), ("at 5pm", "0 17 * * *"),
    ("weekly", "0 9 * * 1"), ("monthly", "0 9 1 * *"), ("every day at 9am", "0 9 * * *"),
    ("every day at 17:00", "0 17 * * *"), ("every day at noon", "0 12 * * *"),
    ("every night at midnight", "0 0 * * *"), ("every evening at 6", "0 18 * * *"),
    ("every 2 hours", "0 */2 * * *"), ("every minute", "* * * * *"), ("every 30 s", "* * * * *"),
    ("on Mondays and Fridays at 7:15am", "15 7 * * 1,5"), ("every weekend at 10am", "0 10 * * 0,6"),
    ("on the 15th of every month at noon", "0 12 15 * *"),
])
def test_schedule_phrases_become_cron(phrase, cron):
    wf = build_plan(phrase + SLACK_TAIL).workflow
    assert (wf.nodes[0].kind, wf.nodes[0].config) == ("schedule", {"cron": cron, "timezone": "UTC"})
    assert [n.kind for n in wf.nodes[1:]] == ["http_request", "slack"]  # no phrase leaks into steps


@pytest.mark.parametrize("message, expected", [
    ("when a webhook is called, summarise the body and email me", "webhook llm email"),
    ("on a POST request, summarise it", "webhook llm"), ("on form submission", "webhook llm"),
    ("when a form is submitted, translate it", "webhook llm"), ("on a GET request", "webhook llm"),
    ("whenever someone submits the contact form, email me", "webhook email"),
    ("when a new order arrives, post to Slack", "webhook slack"),
    ("summarise this text and post it to Slack", "manual llm slack"),
    ("run it manually, fetch https://example.com/x", "manual http_request"),
    (FETCH + " then wait 10 minutes then fetch https://b.com/y",
     "manual http_request delay http_request"),
    ("download the sales report", "manual http_request"), ("notify #ops", "manual slack"),
    ("call the weather API and email me", "manual http_request email"),
    ("post to Slack and email me", "manual slack email"), ("write a haiku", "manual llm"),
    ("email me, then wait 1 hour and post to Slack", "manual email delay slack"),
    ("summarise the issues and post the summary to Slack", "manual llm slack"),
    ("translate the summary to French", "manual llm llm"), ("draft a reply", "manual llm"),
    ("after 2 hours send me an email", "manual delay email"),
])
def test_steps_in_order(message, expected):
    assert kinds(message) == expected.split()


@pytest.mark.parametrize("message, kind, expected", [
    ("summarise it", "llm", {"operation": "summarise", "input": "{{ nodes.trigger.output }}"}),
    ("on a GET request, summarise it", "webhook", {"method": "GET"}),
    ("on a POST request, summarise it", "llm", {"input": "{{ nodes.trigger.output.body }}"}),
    ("summarize", "llm", {"operation": "summarise"}), ("draft", "llm", {"operation": "generate"}),
    ("give me a summary", "llm", {"operation": "summarise"}),
    ("check the sentiment", "llm", {"labels": ["positive", "neutral", "negative"]}),
    ("categorise tickets as bug, feature or question", "llm",
     {"operation": "classify", "labels": ["bug", "feature", "question"]}),
    ("translate it to French", "llm", {"operation": "translate", "target_language": "French"}),
    ("translate it", "llm", {"target_language": "English"}),
    ("convert it into Spanish", "llm", {"target_language": "Spanish"}),
    ("extract the names and emails", "llm", {"operation": "extract"}),
    ("fetch https://example.com/a?b=1.", "http_request",
     {"method": "GET", "url": "https://example.com/a?b=1"}),
    ("get www.example.com/feed", "http_request", {"url": "https://www.example.com/feed"}),
    ("summarise it and post to https://e.com/in", "http_request",
     {"method": "POST", "url": "https://e.com/in", "body": "{{ nodes.summarise.output.text }}"}),
    ("send it to https://hooks.example.com/x", "http_request", {"method": "POST"}),
    ("send an email to bob@example.com", "email", {"to": "bob@example.com"}),
    ("email a@b.co and c@d.org", "email", {"to": "a@b.co, c@d.org"}),
    ("post the summary to #alerts on Slack", "slack", {"channel": "#alerts"}),
    ("wait 10 minutes", "delay", {"amount": 10, "unit": "minutes"}),
    ("after 2 hours email me", "delay", {"amount": 2, "unit": "hours"}),
    ("delay 30 seconds", "delay", {"amount": 30, "unit": "seconds"}),
    ("wait half an hour", "delay", {"amount": 30, "unit": "minutes"}),
    ("wait a day", "delay", {"amount": 1, "unit": "days"}),
    ("every day at 9 Europe/Berlin", "schedule", {"timezone": "Europe/Berlin"}),
    ("every day at 9am PST", "schedule", {"timezone": "America/Los_Angeles"}),
    ("every day at 9 Mars/Base", "schedule", {"timezone": "UTC"}),
])
def test_step_configs(message, kind, expected):
    cfg = config(message, kind)
    assert {key: cfg[key] for key in expected} == expected


@pytest.mark.parametrize("message, expression", [
    (" and only if there are more than 5 items email me", "nodes.fetch.output.body | length > 5"),
    (", if the list is not empty post to Slack", "nodes.fetch.output.body | length > 0"),
    (" and if the request fails post to Slack", "nodes.fetch.output.status >= 400"),
    (" and when the price is over 100 email me", "nodes.fetch.output.body.price | float > 100"),
    (", summarise it and if the summary mentions 'outage' email me",
     "'outage' in (nodes.summarise.output.text | string | lower)"),
    (", classify the feedback, then if it is negative post to Slack",
     "'negative' in (nodes.classify.output.text | lower)"),
    (" and email me unless it is empty", "not (nodes.fetch.output.body | length == 0)"),
    (", if there are no new items email me", "nodes.fetch.output.body | length == 0"),
    (", if there are more than 5 items summarise them", "nodes.fetch.output.body | length > 5"),
])
def test_conditions_lead_on_their_true_branch(message, expression):
    wf = build_plan(FETCH + message).workflow
    check = next(n for n in wf.nodes if n.kind == "condition")
    assert check.config["expression"] == expression
    out = [e for e in wf.edges if e.source == check.id]
    assert [e.branch for e in out] == ["true"]
    assert wf.node(out[0].target).kind in ("email", "slack", "llm")


def test_otherwise_hangs_off_the_false_branch():
    wf = build_plan(FETCH + ". If the list is empty, email me. Otherwise summarise it and post "
                    "to Slack").workflow
    assert [(e.source, e.target, e.branch) for e in wf.edges][2:] == [
        ("check", "email", "true"), ("check", "summarise", "false"), ("summarise", "slack", None)]
    assert wf.node("summarise").config["input"] == "{{ nodes.fetch.output.body }}"


@pytest.mark.parametrize("message, snippet, parse_json", [
    (" and extract the id and title fields", "item.title | default(none) | tojson", True),
    (" and format as JSON", "{{ nodes.fetch.output.body | tojson(indent=2) }}", False),
    (" and convert to CSV", "{% for row in nodes.fetch.output.body %}", False),
    (" and filter where state is open", "selectattr('state', 'equalto', 'open')", True),
    (" and reshape the data", "{{ nodes.fetch.output.body }}", False),
])
def test_transforms(message, snippet, parse_json):
    cfg = config(FETCH + message, "transform")
    assert snippet in cfg["template"] and cfg["parse_json"] is parse_json


def test_expressions_and_templates_compile_in_the_sandbox():
    sandbox = pytest.importorskip("jinja2.sandbox").SandboxedEnvironment()
    for message in [FETCH + ", convert to CSV, filter items, format as a list and if there are "
                    "more than 3 items, translate it"] + VARIED:
        for node in build_plan(message).workflow.nodes:
            if node.kind == "condition":
                sandbox.compile_expression(node.config["expression"])
            for value in (v for v in node.config.values() if isinstance(v, str) and "{" in v):
                sandbox.from_string(value)
    check = sandbox.compile_expression("nodes.fetch.output.body | length > 5")
    assert check(nodes={"fetch": {"output": {"body": list(range(6))}}}) is True


def test_ids_unique_and_data_flows_past_waits():
    wf = build_plan("fetch https://a.com/x, wait 5 minutes, fetch https://b.com/y, "
                    "wait 1 minute and post to Slack").workflow
    assert [n.id for n in wf.nodes] == ["trigger", "fetch", "wait", "fetch_2", "wait_2", "slack"]
    assert [e.id for e in wf.edges] == ["e1", "e2", "e3", "e4", "e5"]
    assert wf.node("slack").config["text"] == "{{ nodes.fetch_2.output.body }}"
    capped = plan(", ".join(f"fetch https://x.io/{i}" for i in range(30)))
    assert len(capped.workflow.nodes) == 21 and "first 20 of 30" in capped.text


def test_unrecognised_request_still_gives_a_workflow():
    reply = plan("hello there, make it nice")
    assert [n.kind for n in reply.workflow.nodes] == ["manual", "llm"]
    assert reply.workflow.nodes[1].config["operation"] == "generate"
    assert "hello there" in reply.workflow.nodes[1].config["prompt"]
    assert "could not recognise" in reply.text and "every weekday at 9" in reply.text
    kept = plan("every day at 9")
    assert [n.kind for n in kept.workflow.nodes] == ["schedule", "llm"]
    assert "Every day at 09:00" in kept.text


@pytest.mark.parametrize("message", VARIED)
def test_any_text_gives_a_valid_workflow(message):
    built = build_plan(message)  # raises if a rule breaks, rather than using the safety net
    assert parse_workflow(built.workflow.to_json()) == built.workflow
    reply = plan(message)
    assert isinstance(reply, offline.PlannerReply) and reply.text.endswith(SIGNATURE)
    triggers = [n for n in reply.workflow.nodes if n.kind in ("manual", "schedule", "webhook")]
    assert len(triggers) == 1 and len(reply.workflow.nodes) >= 2


def test_safety_net_answers_when_a_rule_fails(monkeypatch):
    def broken(message):
        raise RuntimeError("rule bug")
    monkeypatch.setattr(offline, "build_plan", broken)
    reply = plan("every day at 9 fetch https://example.com")
    assert [n.kind for n in reply.workflow.nodes] == ["manual", "llm"]
    assert reply.text.endswith(SIGNATURE)
