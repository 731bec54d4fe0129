"""Projects and their system prompts through the API; the active prompt reaches the model."""

from __future__ import annotations

import json

from tests.integration.api.api_users import API
from tests.support.fixtures import FAKE_API_KEY
from workflow_chat.llm.prompt import EXAMPLE_ANSWER


def _project(client, caller, name: str) -> dict:
    made = client.post(f"{API}/projects", json={"name": name}, headers=caller.headers)
    assert made.status_code == 201, made.text
    return made.json()


def test_projects_hold_chats_and_deleting_one_takes_its_chats(client, alice):
    work = _project(client, alice, "Work")
    assert client.post(f"{API}/projects", json={"name": "work"},
                       headers=alice.headers).status_code == 409  # names are case-insensitive
    home = _project(client, alice, "Home")
    loose = client.post(f"{API}/chats", json={}, headers=alice.headers).json()
    in_work = client.post(f"{API}/chats", json={"title": "Invoices", "project_id": work["id"]},
                          headers=alice.headers).json()

    listed = client.get(f"{API}/projects", params={"limit": 2}, headers=alice.headers).json()
    rest = client.get(f"{API}/projects", params={"cursor": listed["next_cursor"]},
                      headers=alice.headers).json()
    names = [(p["name"], p["is_default"], p["chat_count"]) for p in listed["items"] + rest["items"]]
    default_name = names[0][0]
    assert names == [(default_name, True, 1), ("Home", False, 0), ("Work", False, 1)]
    filtered = client.get(f"{API}/chats", params={"project_id": work["id"]}, headers=alice.headers)
    assert [c["id"] for c in filtered.json()["items"]] == [in_work["id"]]

    renamed = client.patch(f"{API}/projects/{home['id']}", json={"name": "House"}, headers=alice.headers)
    assert renamed.status_code == 200 and renamed.json()["name"] == "House"
    default_id = listed["items"][0]["id"]
    refused = client.delete(f"{API}/projects/{default_id}", headers=alice.headers)
    assert refused.status_code == 422 and "default project" in refused.json()["error"]["message"]
    deleted = client.delete(f"{API}/projects/{work['id']}", headers=alice.headers)
    assert deleted.status_code == 200 and deleted.json() == {"deleted_chats": 1}
    assert client.get(f"{API}/chats/{in_work['id']}", headers=alice.headers).status_code == 404
    assert client.get(f"{API}/chats/{loose['id']}", headers=alice.headers).status_code == 200
    assert client.get(f"{API}/projects/{work['id']}", headers=alice.headers).status_code == 404


def test_prompts_crud_and_one_active_prompt(client, alice):
    project = _project(client, alice, "Support")
    base = f"{API}/projects/{project['id']}/prompts"
    terse = client.post(base, json={"name": "Terse", "text": "Answer in one line."},
                        headers=alice.headers).json()
    formal = client.post(base, json={"name": "Formal", "text": "Be formal.", "active": True},
                         headers=alice.headers).json()
    assert formal["is_active"] and not terse["is_active"]
    assert client.post(base, json={"name": "terse", "text": "x"}, headers=alice.headers).status_code == 409

    activated = client.post(f"{API}/prompts/{terse['id']}/activate", headers=alice.headers)
    assert activated.status_code == 200 and activated.json()["is_active"]
    listed = client.get(base, headers=alice.headers).json()["items"]
    assert [(p["name"], p["is_active"]) for p in listed] == [("Formal", False), ("Terse", True)]

    edited = client.patch(f"{API}/prompts/{terse['id']}", json={"text": "Two lines at most."},
                          headers=alice.headers)
    assert edited.json()["name"] == "Terse" and edited.json()["text"] == "Two lines at most."
    assert client.delete(f"{API}/projects/{project['id']}/active-prompt",
                         headers=alice.headers).status_code == 204
    assert not client.get(f"{API}/prompts/{terse['id']}", headers=alice.headers).json()["is_active"]
    assert client.delete(f"{API}/prompts/{formal['id']}", headers=alice.headers).status_code == 204
    assert [p["name"] for p in client.get(base, headers=alice.headers).json()["items"]] == ["Terse"]


def test_the_active_prompt_goes_to_the_model_with_a_message(client, alice, fake_openai, monkeypatch):
    monkeypatch.setenv("LLM_BASE_URL", fake_openai.base_url)
    monkeypatch.setenv("LLM_API_KEY", FAKE_API_KEY)
    monkeypatch.setenv("LLM_MODEL", "fake-model")
    fake_openai.script(json.dumps(EXAMPLE_ANSWER))
    project = _project(client, alice, "Ops")
    client.post(f"{API}/projects/{project['id']}/prompts",
                json={"name": "House style", "text": "Always name nodes in French.", "active": True},
                headers=alice.headers)
    chat = client.post(f"{API}/chats", json={"project_id": project["id"]}, headers=alice.headers).json()
    turn = client.post(f"{API}/chats/{chat['id']}/messages", json={"content": "Summarise issues"},
                       headers=alice.headers)
    assert turn.status_code == 201 and turn.json()["ok"], turn.text
    assert turn.json()["answer"]["status"] == "ok" and turn.json()["version"] is not None
    system = fake_openai.completion_requests()[-1].body["messages"][0]
    assert system["role"] == "system" and "Always name nodes in French." in system["content"]
