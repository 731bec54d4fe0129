"""The offline planner's joins: fetches asked for side by side become parallel branches that a
merge node joins, with mode "any" when the first answer is enough."""

import pytest

from workflow_chat.graph import parse_workflow
from workflow_chat.graph.patch import apply_patch
from workflow_chat.llm.offline import plan, refine
from workflow_chat.llm.offline.planner import build_plan

TWO = "https://a.example.com/x and https://b.example.com/y"


def wiring(message: str) -> list[tuple[str, str]]:
    return [(e.source, e.target) for e in build_plan(message).workflow.edges]


@pytest.mark.parametrize("message", [
    f"fetch {TWO} at the same time, combine both results and email me",
    f"fetch {TWO} in parallel and email me",
    f"get {TWO} simultaneously, then email me",
    f"fetch {TWO}, wait for both, then email me",
    f"grab {TWO}, merge them and email me",
    f"fetch {TWO} concurrently -> join them -> email me",
    f"query both {TWO} and email me",
    "fetch https://a.example.com/x + https://b.example.com/y, once both are back email me",
])
def test_parallel_fetches_join_at_a_merge_before_the_next_step(message):
    assert wiring(message) == [("trigger", "fetch"), ("trigger", "fetch_2"), ("fetch", "merge"),
                               ("fetch_2", "merge"), ("merge", "email")]
    wf = build_plan(message).workflow
    assert wf.node("merge").config == {"mode": "all"}
    assert wf.node("email").config["body"] == "{{ nodes.merge.output.inputs }}"


@pytest.mark.parametrize("words", ["continue with whichever answers first",
                                   "use whichever comes back first",
                                   "take the first one to respond"])
def test_whichever_first_is_a_merge_in_any_mode(words):
    reply = plan(f"On demand, query {TWO}, {words}, and post the result to Slack")
    merge = reply.workflow.node("merge")
    assert merge.config == {"mode": "any"} and merge.label == "First to answer"
    assert "whichever branch finishes first" in reply.text


def test_the_reply_lists_the_branches_and_the_join_in_order():
    reply = plan(f"every day at 8 fetch {TWO} at the same time, combine them and summarise")
    numbered = [line for line in reply.text.splitlines() if line[:1].isdigit()]
    assert [line.split("**")[1] for line in numbered] == [
        "Every day at 08:00", "Fetch x", "Fetch y", "Wait for both", "Summarise"]
    assert numbered[1].endswith("`GET https://a.example.com/x`.") and "In parallel" in numbered[1]
    assert "Waits for all 2 branches" in numbered[3]


def test_three_branches_and_a_condition_after_the_join_tests_every_branch():
    wf = build_plan("every hour hit https://a.io/p, https://b.io/p and https://c.io/p side by "
                    "side; once all are back, if any is down email ops@example.com").workflow
    assert [n.kind for n in wf.nodes] == ["schedule", "http_request", "http_request",
                                          "http_request", "merge", "condition", "email"]
    assert wf.node("merge").label == "Wait for all 3"
    assert wf.node("check").config["expression"] == (
        "nodes.fetch.output.status >= 400 or nodes.fetch_2.output.status >= 400 "
        "or nodes.fetch_3.output.status >= 400")


@pytest.mark.parametrize("message", [
    "fetch https://a.example.com/x, then fetch https://b.example.com/y and email me",
    "fetch https://a.example.com/x, combine it with a note and email me",  # one fetch only
    "fetch https://a.example.com/x, wait 5 minutes, fetch https://b.example.com/y, both to me",
    "Each day at 5pm, pull merge requests from https://git.example.com/mrs and post to Slack",
])
def test_no_join_words_or_no_run_of_fetches_stays_a_chain(message):
    wf = build_plan(message).workflow
    assert "merge" not in [n.kind for n in wf.nodes]
    assert all(len([e for e in wf.edges if e.target == n.id]) <= 1 for n in wf.nodes)


def test_parallel_branches_after_a_condition_leave_on_its_true_branch():
    wf = build_plan("when a webhook is called, if the type is order, fetch "
                    f"{TWO} in parallel and post to Slack").workflow
    assert [(e.source, e.target, e.branch) for e in wf.edges if e.source == "check"] == [
        ("check", "fetch", "true"), ("check", "fetch_2", "true")]
    assert parse_workflow(wf.to_json()) == wf


def test_follow_ups_on_a_joined_graph_read_the_merged_data():
    wf = plan(f"fetch {TWO} at the same time, combine both results and email me").workflow
    summarise = refine("summarise it", wf)
    after = apply_patch(wf, summarise.patch).workflow
    assert after.node("summarise").config["input"] == "{{ nodes.merge.output.inputs }}"
    assert after.node("email").config["body"] == "{{ nodes.summarise.output.text }}"
    slack = apply_patch(wf, refine("also post it to Slack", wf).patch).workflow
    assert slack.node("slack").config["text"] == "{{ nodes.merge.output.inputs }}"
