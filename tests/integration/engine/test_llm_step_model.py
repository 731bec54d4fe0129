"""An llm step in a run talks to the model its owner chose in Settings (their server, model and
key from the vault); another user's run keeps the server's model."""

from __future__ import annotations

import asyncio

import pytest

from tests.support.fake_openai import FakeOpenAI
from tests.support.fixtures import FAKE_API_KEY
from tests.support.runs import chat_with_graph, edge, finished, node
from workflow_chat.db import session_scope
from workflow_chat.services import runs, user_settings
from workflow_chat.vault.keys import new_key

pytestmark = pytest.mark.usefixtures("engine")
OWN_KEY = "sk-owner-only-7a7a7a7a7a"
ASK = {
    "nodes": [node("start", "manual"),
              node("ask", "llm", {"operation": "summarise", "prompt": "Summarise", "input": "{{ trigger.text }}"})],
    "edges": [edge("start", "ask")],
}


def _run(user_id: int, chat_id: int) -> runs.RunDetail:
    async def scenario() -> runs.RunDetail:
        summary = await runs.start_run(user_id=user_id, chat_id=chat_id, payload={"text": "long text"})
        return await finished(summary.id)

    return asyncio.run(scenario())


def test_an_llm_step_uses_its_owners_model_and_others_the_servers(
    monkeypatch: pytest.MonkeyPatch, fake_openai: FakeOpenAI
) -> None:
    monkeypatch.setenv("WFC_MASTER_KEYS", new_key())
    for name, value in {"LLM_BASE_URL": fake_openai.base_url, "LLM_API_KEY": FAKE_API_KEY,
                        "LLM_MODEL": "server-model", "LLM_MAX_RETRIES": "0"}.items():
        monkeypatch.setenv(name, value)
    ada, adas_chat = chat_with_graph(ASK)
    bob, bobs_chat = chat_with_graph(ASK)
    with FakeOpenAI() as own:
        with session_scope() as session:
            user_settings.save_llm_choice(session, user_id=ada, provider="openai", model="ada-model",
                                          base_url=own.base_url, api_key=OWN_KEY)
        own.script("short (Ada's model)")
        fake_openai.script("short (server)")

        adas, bobs = _run(ada, adas_chat), _run(bob, bobs_chat)

        [to_own] = own.completion_requests()
    assert to_own.headers["authorization"] == f"Bearer {OWN_KEY}" and to_own.body["model"] == "ada-model"
    [to_server] = fake_openai.completion_requests()
    assert to_server.headers["authorization"] == f"Bearer {FAKE_API_KEY}"
    assert to_server.body["model"] == "server-model"
    assert adas.run.status == bobs.run.status == "succeeded"
    assert adas.nodes[-1].output == {"text": "short (Ada's model)"}
    assert bobs.nodes[-1].output == {"text": "short (server)"}
    assert OWN_KEY not in repr(adas)
