"""Offline follow-ups: plain requests become patches on a planned graph that keep its layout."""

import pytest

from workflow_chat.graph import Workflow
from workflow_chat.graph.flow_view import apply_positions, needs_layout
from workflow_chat.graph.patch import apply_patch, describe_changes
from workflow_chat.graph.placement import GAP, NODE_HEIGHT, NODE_WIDTH
from workflow_chat.llm.offline import RefineReply, plan, refine
from workflow_chat.llm.offline.reply import SIGNATURE

DIGEST = "every morning at 8 fetch https://example.com/api/items and email me a summary"
WEEKDAY_SLACK = "every weekday at 9 fetch https://x.io/items and post them to Slack"
FORKED = ("when a webhook is called fetch https://x.io/a, if it contains error email ops@x.io "
          "otherwise post to slack")
BRIEF_PHRASES = [
    "also post it to Slack", "also email me the result", "make it 8am",
    "run it every Monday at 9", "run hourly", "remove the email step", "delete the slack node",
    "drop the summary", "only if the list is not empty", "wait 10 minutes before emailing",
    "summarise it first", "translate it to French", "use https://x.example/api instead",
    "call it Daily digest", "rename the workflow to X", "send it to bob@example.com",
    "trigger it by webhook instead", "run it manually",
]


def laid_out(request: str) -> Workflow:
    """The planned graph as the canvas leaves it: every node placed, 150 px apart."""
    wf = plan(request).workflow
    spots = [{"id": n.id, "x": 40.0, "y": 40.0 + 150 * i} for i, n in enumerate(wf.nodes)]
    return Workflow.model_validate(apply_positions(wf.to_json(), spots))


def edit(message: str, workflow: Workflow) -> tuple[RefineReply, Workflow]:
    reply = refine(message, workflow)
    assert reply.patch is not None, reply.text
    assert reply.text.endswith(SIGNATURE)
    return reply, apply_patch(workflow, reply.patch).workflow


def kinds(workflow: Workflow) -> list[str]:
    return [n.kind for n in workflow.nodes]


def edges(workflow: Workflow) -> set[tuple[str, str, str | None]]:
    return {(e.source, e.target, e.branch) for e in workflow.edges}


def assert_layout_kept(before: Workflow, after: Workflow) -> None:
    """Old nodes did not move; new ones overlap nothing; the canvas needs no re-layout."""
    for node in after.nodes:
        old = before.node(node.id)
        if old is not None:
            assert node.position == old.position, node.id
    for i, a in enumerate(after.nodes):
        for b in after.nodes[i + 1:]:
            assert (abs(a.position.x - b.position.x) >= NODE_WIDTH + GAP
                    or abs(a.position.y - b.position.y) >= NODE_HEIGHT + GAP), (a.id, b.id)
    assert not needs_layout(after.to_json())


def test_also_post_it_to_slack_adds_slack_after_the_last_step_with_the_summary():
    before = laid_out(DIGEST)
    reply, wf = edit("also post it to Slack", before)
    slack = wf.node("slack")
    assert slack.config["text"] == "{{ nodes.summarise.output.text }}"
    assert ("email", "slack", None) in edges(wf)
    assert "SLACK_WEBHOOK_URL" in reply.text and "Post summary to Slack" in reply.text
    assert_layout_kept(before, wf)


def test_also_email_me_the_result_adds_a_second_email():
    reply, wf = edit("also email me the result", laid_out(WEEKDAY_SLACK))
    email = wf.node("email")
    assert email.config["body"] == "{{ nodes.fetch.output.body }}"
    assert email.config["to"] == "you@example.com" and "recipient" in reply.text
    assert ("slack", "email", None) in edges(wf)


def test_an_existing_delivery_without_also_is_not_repeated():
    reply = refine("email me the result", laid_out(DIGEST))
    assert reply.patch is None and "already has an email step" in reply.text


def test_make_it_8am_moves_the_time_and_keeps_the_days():
    _, wf = edit("make it 8am", laid_out(WEEKDAY_SLACK))
    trigger = wf.node("trigger")
    assert trigger.config == {"cron": "0 8 * * 1-5", "timezone": "UTC"}
    assert trigger.label == "Every weekday at 08:00"


def test_make_it_8am_on_a_manual_workflow_sets_a_schedule():
    before = laid_out("fetch https://x.io/items and email me")
    _, wf = edit("make it 8am", before)
    assert (wf.node("trigger").kind, wf.node("trigger").config["cron"]) == ("schedule",
                                                                           "0 8 * * *")
    assert edges(wf) == edges(before)


@pytest.mark.parametrize(("message", "cron", "zone"), [
    ("run it every Monday at 9", "0 9 * * 1", "UTC"),
    ("run hourly", "0 * * * *", "UTC"),
    ("make it 9:30am Europe/Berlin", "30 9 * * *", "Europe/Berlin"),
])
def test_schedule_changes_update_the_schedule_node(message, cron, zone):
    _, wf = edit(message, laid_out(DIGEST))
    assert wf.node("trigger").config == {"cron": cron, "timezone": zone}


def test_the_same_schedule_again_changes_nothing():
    reply = refine("make it 8am", laid_out(DIGEST))
    assert reply.patch is None and "already runs" in reply.text


@pytest.mark.parametrize(("message", "gone"), [
    ("remove the email step", "email"), ("drop the summary", "summarise"),
])
def test_remove_by_kind_or_label(message, gone):
    before = laid_out(DIGEST)
    _, wf = edit(message, before)
    assert wf.node(gone) is None
    assert len(wf.nodes) == 3
    assert_layout_kept(before, wf)


def test_dropping_the_summary_joins_fetch_to_email_and_emails_the_data():
    _, wf = edit("drop the summary", laid_out(DIGEST))
    assert ("fetch", "email", None) in edges(wf)
    assert wf.node("email").config["body"] == "{{ nodes.fetch.output.body }}"


def test_delete_the_slack_node_removes_it_and_adds_nothing():
    _, wf = edit("delete the slack node", laid_out(WEEKDAY_SLACK))
    assert kinds(wf) == ["schedule", "http_request"]


def test_removing_something_that_is_not_there_or_the_trigger_is_refused():
    reply = refine("remove the slack node", laid_out(DIGEST))
    assert reply.patch is None
    assert "no step matching “the slack node”" in reply.text and "**Email summary**" in reply.text
    reply = refine("remove the trigger", laid_out(DIGEST))
    assert reply.patch is None and "cannot be removed" in reply.text


def test_only_if_the_list_is_not_empty_guards_what_followed_the_fetch():
    before = laid_out(DIGEST)
    _, wf = edit("only if the list is not empty", before)
    check = wf.node("check")
    assert check.kind == "condition"
    assert check.config["expression"] == "nodes.fetch.output.body | length > 0"
    assert {("fetch", "check", None), ("check", "summarise", "true")} <= edges(wf)
    assert ("fetch", "summarise", None) not in edges(wf)
    assert_layout_kept(before, wf)


def test_wait_before_emailing_inserts_a_delay_before_the_email():
    _, wf = edit("wait 10 minutes before emailing", laid_out(DIGEST))
    wait = wf.node("wait")
    assert (wait.kind, wait.config["amount"], wait.config["unit"]) == ("delay", 10, "minutes")
    assert {("summarise", "wait", None), ("wait", "email", None)} <= edges(wf)


def test_summarise_it_first_inserts_an_llm_step_and_later_steps_use_its_text():
    before = laid_out(WEEKDAY_SLACK)
    _, wf = edit("summarise it first", before)
    summarise = wf.node("summarise")
    assert (summarise.kind, summarise.config["operation"]) == ("llm", "summarise")
    assert summarise.config["input"] == "{{ nodes.fetch.output.body }}"
    assert {("fetch", "summarise", None), ("summarise", "slack", None)} <= edges(wf)
    assert wf.node("slack").config["text"] == "{{ nodes.summarise.output.text }}"
    assert_layout_kept(before, wf)


def test_summarise_when_there_is_a_summary_already_is_refused():
    reply = refine("summarise it first", laid_out(DIGEST))
    assert reply.patch is None and "already has that step" in reply.text


def test_translate_it_to_french_translates_the_summary_before_it_is_sent():
    _, wf = edit("translate it to French", laid_out(DIGEST))
    translate = wf.node("translate")
    assert translate.config["target_language"] == "French"
    assert translate.config["input"] == "{{ nodes.summarise.output.text }}"
    assert {("summarise", "translate", None), ("translate", "email", None)} <= edges(wf)
    assert wf.node("email").config["body"] == "{{ nodes.translate.output.text }}"
    _, wf = edit("translate it to German", wf)
    assert (wf.node("translate").label, wf.node("translate").config["target_language"]) == (
        "Translate to German", "German")
    assert "German" in wf.node("translate").config["prompt"]


def test_use_another_url_updates_the_http_step():
    _, wf = edit("use https://x.example/api/orders instead", laid_out(DIGEST))
    fetch = wf.node("fetch")
    assert (fetch.config["url"], fetch.config["method"]) == ("https://x.example/api/orders",
                                                             "GET")
    assert fetch.label == "Fetch orders"


def test_a_label_the_person_wrote_survives_a_url_change():
    before = laid_out(DIGEST)
    before.node("fetch").label = "Our shop"
    _, wf = edit("use https://x.example/api instead", before)
    assert (wf.node("fetch").label, wf.node("fetch").config["url"]) == (
        "Our shop", "https://x.example/api")


@pytest.mark.parametrize(("message", "name"), [
    ("call it Daily digest", "Daily digest"),
    ("rename the workflow to \"Morning report\".", "Morning report"),
    ("call it Fetch and summarise", "Fetch and summarise"),
])
def test_rename_the_workflow(message, name):
    before = laid_out(DIGEST)
    reply, wf = edit(message, before)
    assert wf.name == name and kinds(wf) == kinds(before)


def test_rename_a_step():
    _, wf = edit("rename the email step to Notify me", laid_out(DIGEST))
    assert wf.node("email").label == "Notify me"
    assert refine("rename the slack step to X", laid_out(DIGEST)).patch is None


def test_send_it_to_an_address_updates_the_recipient():
    _, wf = edit("send it to bob@example.com", laid_out(DIGEST))
    assert wf.node("email").config["to"] == "bob@example.com"
    assert kinds(wf) == ["schedule", "http_request", "llm", "email"]


@pytest.mark.parametrize(("message", "kind", "config"), [
    ("trigger it by webhook instead", "webhook", {"method": "POST"}),
    ("run it manually", "manual", {}),
])
def test_switch_the_trigger_keeping_its_id_and_edges(message, kind, config):
    before = laid_out(DIGEST)
    _, wf = edit(message, before)
    assert (wf.node("trigger").kind, wf.node("trigger").config) == (kind, config)
    assert edges(wf) == edges(before)


def test_a_node_the_person_moved_keeps_its_position_through_edits():
    wf = Workflow.model_validate(apply_positions(laid_out(DIGEST).to_json(),
                                                 [{"id": "fetch", "x": 555.5, "y": 42}]))
    for message in ("also post it to Slack", "only if the list is not empty",
                    "remove the email step", "make it 7am", "translate it to French"):
        before = wf
        _, wf = edit(message, wf)
        assert wf.node("fetch").position.x == 555.5 and wf.node("fetch").position.y == 42
        assert_layout_kept(before, wf)


def test_several_changes_in_one_message():
    reply, wf = edit("make it 7am, also post it to Slack and wait 10 minutes before emailing",
                     laid_out(DIGEST))
    assert wf.node("trigger").config["cron"] == "0 7 * * *"
    assert wf.node("slack") is not None and wf.node("wait") is not None
    assert reply.text.count("\n- **") == 3


def test_an_unrecognised_request_gives_no_patch_and_says_what_works():
    reply = refine("hello there", laid_out(DIGEST))
    assert reply.patch is None
    assert "could not read this as a change" in reply.text
    assert "also post it to Slack" in reply.text and reply.text.endswith(SIGNATURE)


def test_the_reply_lists_the_changes_and_matches_the_summary():
    before = laid_out(FORKED)
    reply, wf = edit("also post it to Slack", before)
    assert ("email", "slack_2", None) in edges(wf)  # after the main path, not the otherwise
    assert reply.text.startswith("Here is what I will change:\n\n- **Add** **Post a to Slack**")
    result = apply_patch(before, reply.patch)
    assert describe_changes(before, result.workflow, result.changes) == \
        "**Added** Post a to Slack (`slack_2`)"


@pytest.mark.parametrize("request_text", [DIGEST, WEEKDAY_SLACK, FORKED, "hello",
                                          "every 5 minutes check https://x.io/health and if it "
                                          "is down alert me"])
def test_every_phrase_gives_a_clean_patch_or_none_on_planned_graphs(request_text):
    before = laid_out(request_text)
    for message in BRIEF_PHRASES:
        reply = refine(message, before)
        assert reply.text.endswith(SIGNATURE)
        if reply.patch is not None:
            assert_layout_kept(before, apply_patch(before, reply.patch).workflow)
