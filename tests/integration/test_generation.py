"""Streaming, validate-and-repair, patches and resilience, against real local HTTP servers."""

from __future__ import annotations

import asyncio
import json
import time

import pytest

from tests.support.fake_openai import FakeOpenAI, Scripted
from tests.support.fixtures import FAKE_API_KEY
from workflow_chat.graph import Position, Workflow, parse_workflow
from workflow_chat.llm.generate import GenerationError, generate_reply
from workflow_chat.llm.prompt import EXAMPLE_ANSWER, EXAMPLE_PATCH_ANSWER
from workflow_chat.llm.provider import LLMError
from workflow_chat.llm.settings import LLMSettings, load_llm_settings

ASK = [{"role": "user", "content": "Every weekday at 9, summarise open issues to Slack"}]
FOLLOW_UP = [*ASK, {"role": "assistant", "content": "Done."},
             {"role": "user", "content": "Also email it to me, and run at 8"}]


def answer(workflow: object = None, message: str = "Here it is.", patch: object = None) -> str:
    return json.dumps({"message": message, "workflow": workflow, "patch": patch})


def run(history: list[dict[str, str]], settings: LLMSettings, **kwargs: object):
    return asyncio.run(generate_reply(history, settings=settings, **kwargs))  # type: ignore


def moved_graph() -> Workflow:
    """EXAMPLE_ANSWER's graph as the person left it: every node dragged somewhere by hand."""
    graph = parse_workflow(EXAMPLE_ANSWER["workflow"])
    for number, node in enumerate(graph.nodes):
        node.position = Position(x=101.5 + 37 * number, y=-20.25 + 211 * number)
    return graph


def test_reply_streams_in_several_calls_ending_with_the_final_text(
    fake_openai: FakeOpenAI, llm_settings: LLMSettings
) -> None:
    message = 'Caf\u00e9 "daily" digest:\n- fetch\n- post \U0001f680 done'
    raw = json.dumps({"message": message, "workflow": EXAMPLE_ANSWER["workflow"], "patch": None})
    fake_openai.script(Scripted(content=raw, chunk_size=3))  # escapes split across chunks
    seen: list[str] = []

    async def on_text(text: str) -> None:  # an async callback is awaited
        seen.append(text)

    reply = run(ASK, llm_settings, on_text=on_text)
    assert reply.text == message and reply.workflow is not None and reply.repairs == 0
    assert len(seen) >= 5 and seen[-1] == reply.text
    assert all(later.startswith(earlier) for earlier, later in zip(seen, seen[1:]))
    assert fake_openai.completion_requests()[0].body["stream"] is True


def test_invalid_json_is_repaired_with_the_parse_error(
    fake_openai: FakeOpenAI, llm_settings: LLMSettings
) -> None:
    broken = '{"message": "Here", "workflow": {"nodes": ['
    fake_openai.script(broken, json.dumps(EXAMPLE_ANSWER))
    reply = run(ASK, llm_settings)
    assert reply.workflow is not None and reply.repairs == 1
    first, repair = (r.body["messages"] for r in fake_openai.completion_requests())
    assert repair[: len(first)] == first
    assert repair[-2] == {"role": "assistant", "content": broken}
    assert repair[-1]["role"] == "user" and "not valid JSON" in repair[-1]["content"]


def test_unknown_kind_is_repaired_and_the_request_names_it(
    fake_openai: FakeOpenAI, llm_settings: LLMSettings
) -> None:
    workflow = json.loads(json.dumps(EXAMPLE_ANSWER["workflow"]))
    workflow["nodes"][1]["kind"] = "teleport"
    fake_openai.script(answer(workflow), json.dumps(EXAMPLE_ANSWER))
    reply = run(ASK, llm_settings)
    assert reply.repairs == 1 and [n.kind for n in reply.workflow.nodes][1] == "http_request"
    request = fake_openai.completion_requests()[1].body["messages"][-1]["content"]
    assert "unknown kind 'teleport'" in request


def test_patch_keeps_positions_of_untouched_nodes(
    fake_openai: FakeOpenAI, llm_settings: LLMSettings
) -> None:
    current = moved_graph()
    fake_openai.script(json.dumps(EXAMPLE_PATCH_ANSWER))
    reply = run(FOLLOW_UP, llm_settings, current=current)

    assert reply.patch is not None and reply.result is not None and reply.workflow is not None
    assert reply.workflow == reply.result.workflow
    assert reply.result.changes.added == ("mail",)
    before = {n.id: n.position for n in current.nodes}
    after = {n.id: n.position for n in reply.workflow.nodes}
    assert set(after) == set(before) | {"mail"}
    assert all(after[i] == before[i] for i in before)  # to the pixel
    cron = reply.workflow.node("every_weekday").config["cron"]
    assert cron == "0 8 * * 1-5"
    system = fake_openai.completion_requests()[0].body["messages"][0]["content"]
    graph = system.split("Current workflow", 1)[1]
    assert '"id":"every_weekday"' in graph and '"position"' not in graph and "101.5" not in graph


def test_a_patch_without_a_current_graph_is_sent_back(
    fake_openai: FakeOpenAI, llm_settings: LLMSettings
) -> None:
    fake_openai.script(json.dumps(EXAMPLE_PATCH_ANSWER), json.dumps(EXAMPLE_ANSWER))
    reply = run(ASK, llm_settings)
    assert reply.repairs == 1 and reply.patch is None and reply.workflow is not None
    request = fake_openai.completion_requests()[1].body["messages"][-1]["content"]
    assert "no current workflow" in request


def test_two_failed_repairs_raise_and_keep_the_graph(
    fake_openai: FakeOpenAI, llm_settings: LLMSettings
) -> None:
    ghost = {"ops": [{"op": "update_node", "id": "ghost", "config": {"x": 1}}]}
    fake_openai.script(*[answer(patch=ghost)] * 3)
    with pytest.raises(GenerationError) as caught:
        run(FOLLOW_UP, llm_settings, current=moved_graph())
    message = caught.value.message
    assert "could not produce a valid workflow" in message and "'ghost'" in message
    assert "last good workflow was kept" in message
    assert any("ghost" in e for e in caught.value.errors)
    assert len(fake_openai.completion_requests()) == 3


def test_rate_limit_waits_for_retry_after(
    fake_openai: FakeOpenAI, llm_settings: LLMSettings
) -> None:
    settings = llm_settings.model_copy(update={"max_retries": 2})
    fake_openai.script(Scripted(status=429, message="slow down", headers={"Retry-After": "1"}),
                       json.dumps(EXAMPLE_ANSWER))
    reply = run(ASK, settings)
    first, second = fake_openai.completion_requests()
    assert reply.workflow is not None and second.at - first.at >= 0.95


def test_server_errors_are_retried_but_a_rejected_key_is_not(
    fake_openai: FakeOpenAI, llm_settings: LLMSettings
) -> None:
    settings = llm_settings.model_copy(update={"max_retries": 2})
    busy = Scripted(status=503, message="busy", headers={"retry-after-ms": "50"})
    fake_openai.script(busy, json.dumps(EXAMPLE_ANSWER))
    assert run(ASK, settings).workflow is not None
    fake_openai.script(Scripted(status=401, message=f"bad key {FAKE_API_KEY}"))
    with pytest.raises(LLMError) as caught:
        run(ASK, settings)
    assert caught.value.status == 401 and FAKE_API_KEY not in caught.value.message
    assert len(fake_openai.completion_requests()) == 3


def test_timeout_is_a_clear_error(fake_openai: FakeOpenAI) -> None:
    env = {"LLM_API_KEY": FAKE_API_KEY, "LLM_BASE_URL": fake_openai.base_url,
           "LLM_TIMEOUT_SECONDS": "1"}
    fake_openai.script(Scripted(content=json.dumps(EXAMPLE_ANSWER), delay=2.5))
    started = time.monotonic()
    with pytest.raises(LLMError) as caught:
        run(ASK, load_llm_settings(env))
    assert "did not answer within 1 s" in caught.value.message
    assert time.monotonic() - started < 2 and len(fake_openai.completion_requests()) == 1


@pytest.mark.parametrize(("scripted", "words"), [
    (Scripted(raw_stream=b"data: {not json\n\n"), "could not be read"),
    (Scripted(content=json.dumps(EXAMPLE_ANSWER), cut_after=4), "cut the connection"),
    (Scripted(content=""), "empty answer"),
    (Scripted(content=json.dumps(EXAMPLE_ANSWER), finish_reason="length"), "cut off"),
])
def test_broken_streams_are_clear_errors(
    fake_openai: FakeOpenAI, llm_settings: LLMSettings, scripted: Scripted, words: str
) -> None:
    fake_openai.script(scripted)
    with pytest.raises(LLMError) as caught:
        run(ASK, llm_settings)
    assert words in caught.value.message and not isinstance(caught.value, GenerationError)


def test_cancelling_closes_the_stream_promptly(
    fake_openai: FakeOpenAI, llm_settings: LLMSettings
) -> None:
    fake_openai.script(Scripted(content=json.dumps(EXAMPLE_ANSWER), chunk_size=4, chunk_delay=0.05))

    async def scenario() -> float:
        first_text = asyncio.Event()
        task = asyncio.create_task(
            generate_reply(ASK, settings=llm_settings, on_text=lambda _: first_text.set())
        )
        await asyncio.wait_for(first_text.wait(), 5)
        task.cancel()
        started = time.monotonic()
        with pytest.raises(asyncio.CancelledError):
            await task
        return time.monotonic() - started

    assert asyncio.run(scenario()) < 0.5


def test_strict_json_schema_output_is_requested_and_accepted(
    fake_openai: FakeOpenAI, llm_settings: LLMSettings
) -> None:
    settings = llm_settings.model_copy(update={"structured_output": "json_schema"})
    strict = json.loads(json.dumps(EXAMPLE_ANSWER))
    strict["workflow"]["description"] = None
    fetch = strict["workflow"]["nodes"][1]["config"]
    fetch |= {"headers": [{"key": "Authorization", "value": "Bearer {{ secrets.GITHUB_TOKEN }}"}],
              "body": None, "timeout_seconds": None}
    fake_openai.script(json.dumps(strict))
    reply = run(ASK, settings)
    config = reply.workflow.node("fetch").config
    assert config["headers"] == {"Authorization": "Bearer {{ secrets.GITHUB_TOKEN }}"}
    assert config["timeout_seconds"] == 30 and reply.workflow.description == ""
    sent = fake_openai.completion_requests()[0].body["response_format"]
    assert sent["type"] == "json_schema" and sent["json_schema"]["strict"] is True
    assert list(sent["json_schema"]["schema"]["properties"])[0] == "message"


def test_offline_follow_up_is_a_patch(monkeypatch: pytest.MonkeyPatch) -> None:
    offline = pytest.importorskip("workflow_chat.llm.offline")
    if not hasattr(offline, "refine"):
        pytest.skip("workflow_chat.llm.offline.refine is not there yet")
    seen: list[str] = []
    reply = asyncio.run(generate_reply(
        [{"role": "user", "content": "also post the summary to slack"}],
        current=moved_graph(), settings=LLMSettings(), on_text=seen.append,
    ))
    assert reply.source == "offline" and seen == [reply.text]
    assert reply.patch is not None and reply.result is not None and reply.workflow is not None
    positions = {n.id: n.position for n in reply.workflow.nodes}
    assert all(positions[n.id] == n.position for n in moved_graph().nodes)
