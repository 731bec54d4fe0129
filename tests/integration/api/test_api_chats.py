"""Chats, messages and workflow versions through the API, as another client would use them."""

from __future__ import annotations

from sqlmodel import select

from tests.integration.api.api_users import API
from workflow_chat.db import session_scope
from workflow_chat.models import AuditEvent

REQUEST = ("every weekday at 9 fetch https://api.example.com/issues, summarise them "
           "and post the summary to slack")


def _all_pages(client, path: str, headers, limit: int) -> list[dict]:
    items, cursor = [], None
    while True:
        params = {"limit": limit, **({"cursor": cursor} if cursor else {})}
        answer = client.get(path, params=params, headers=headers)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert len(body["items"]) <= limit
        items += body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            return items


def test_create_list_rename_and_delete_chats(client, alice):
    made = [client.post(f"{API}/chats", json={"title": f"Chat {n}"}, headers=alice.headers)
            for n in range(5)]
    assert all(m.status_code == 201 for m in made)
    ids = [m.json()["id"] for m in made]
    listed = _all_pages(client, f"{API}/chats", alice.headers, limit=2)
    assert [c["id"] for c in listed] == ids[::-1]  # newest activity first, each chat once

    renamed = client.patch(f"{API}/chats/{ids[0]}", json={"title": "  Payroll   report "},
                           headers=alice.headers)
    assert renamed.status_code == 200 and renamed.json()["title"] == "Payroll report"
    assert client.get(f"{API}/chats/{ids[0]}", headers=alice.headers).json()["title"] == "Payroll report"
    empty = client.patch(f"{API}/chats/{ids[0]}", json={"title": " "}, headers=alice.headers)
    assert empty.status_code == 422
    assert empty.json() == {"error": {"code": "invalid", "message": "A chat title cannot be empty."}}

    assert client.delete(f"{API}/chats/{ids[1]}", headers=alice.headers).status_code == 204
    assert client.get(f"{API}/chats/{ids[1]}", headers=alice.headers).status_code == 404
    assert client.delete(f"{API}/chats/{ids[1]}", headers=alice.headers).status_code == 404
    with session_scope() as session:
        events = session.exec(select(AuditEvent.action, AuditEvent.ip)
                              .where(AuditEvent.action.in_(["chat.create", "chat.delete"]))).all()  # type: ignore[attr-defined]
    assert sorted(events) == [("chat.create", "testclient")] * 5 + [("chat.delete", "testclient")]


def test_a_chat_moves_to_another_project_with_or_without_a_new_title(client, alice):
    h = alice.headers
    chat = client.post(f"{API}/chats", json={"title": "Payslips"}, headers=h).json()
    work = client.post(f"{API}/projects", json={"name": "Work"}, headers=h).json()["id"]
    moved = client.patch(f"{API}/chats/{chat['id']}", json={"project_id": work}, headers=h)
    assert moved.status_code == 200, moved.text
    assert moved.json()["project_id"] == work and moved.json()["title"] == "Payslips"
    in_work = client.get(f"{API}/chats", params={"project_id": work}, headers=h).json()["items"]
    assert [c["id"] for c in in_work] == [chat["id"]]
    in_default = client.get(f"{API}/chats", params={"project_id": chat["project_id"]}, headers=h)
    assert in_default.json()["items"] == []

    # Both changes or neither: a bad title leaves the chat where it was.
    refused = client.patch(f"{API}/chats/{chat['id']}",
                           json={"project_id": chat["project_id"], "title": "  "}, headers=h)
    assert refused.status_code == 422
    assert client.get(f"{API}/chats/{chat['id']}", headers=h).json()["project_id"] == work
    both = client.patch(f"{API}/chats/{chat['id']}",
                        json={"project_id": chat["project_id"], "title": "Back home"}, headers=h)
    assert both.json()["project_id"] == chat["project_id"] and both.json()["title"] == "Back home"
    unchanged = client.patch(f"{API}/chats/{chat['id']}", json={}, headers=h)
    assert unchanged.status_code == 200 and unchanged.json() == both.json()
    with session_scope() as session:
        moves = session.exec(select(AuditEvent.target, AuditEvent.detail)
                             .where(AuditEvent.action == "chat.move").order_by(AuditEvent.id)).all()
    assert moves == [(f"chat:{chat['id']}", {"from": chat["project_id"], "to": work}),
                     (f"chat:{chat['id']}", {"from": work, "to": chat["project_id"]})]


def test_a_message_gets_an_offline_answer_and_a_workflow_version(client, alice):
    chat = client.post(f"{API}/chats", json={}, headers=alice.headers).json()
    turn = client.post(f"{API}/chats/{chat['id']}/messages", json={"content": REQUEST},
                       headers=alice.headers)
    assert turn.status_code == 201, turn.text
    body = turn.json()
    assert body["ok"] is True
    assert body["question"]["role"] == "user" and body["question"]["content"] == REQUEST
    assert body["answer"]["role"] == "assistant" and body["answer"]["status"] == "offline"
    version = body["version"]
    assert version["number"] == 1 and version["source"] == "ai"
    assert body["answer"]["workflow_version_id"] == version["id"]
    kinds = {node["kind"] for node in version["graph"]["nodes"]}
    assert {"schedule", "http_request", "slack"} <= kinds

    # A follow-up edits the graph: a second version, and the current graph is that one.
    follow = client.post(f"{API}/chats/{chat['id']}/messages",
                         json={"content": "also email me the summary"}, headers=alice.headers)
    assert follow.status_code == 201 and follow.json()["version"]["number"] == 2
    current = client.get(f"{API}/chats/{chat['id']}/workflow", headers=alice.headers).json()
    assert current["number"] == 2 and "email" in {n["kind"] for n in current["graph"]["nodes"]}
    first = client.get(f"{API}/chats/{chat['id']}/versions/{version['id']}", headers=alice.headers)
    assert first.json()["graph"] == version["graph"]
    versions = _all_pages(client, f"{API}/chats/{chat['id']}/versions", alice.headers, limit=1)
    assert [v["number"] for v in versions] == [2, 1]

    shown = _all_pages(client, f"{API}/chats/{chat['id']}/messages", alice.headers, limit=3)
    assert [m["role"] for m in shown] == ["assistant", "user", "assistant", "user"]  # newest first
    assert shown[-1]["content"] == REQUEST
    titled = client.get(f"{API}/chats/{chat['id']}", headers=alice.headers).json()
    assert titled["title"] != "New chat"  # named after the first message, as in the UI


def test_no_workflow_yet_bad_messages_and_bad_cursors(client, alice):
    chat = client.post(f"{API}/chats", json={"title": "Empty"}, headers=alice.headers).json()
    none = client.get(f"{API}/chats/{chat['id']}/workflow", headers=alice.headers)
    assert none.status_code == 404 and "no workflow yet" in none.json()["error"]["message"]
    blank = client.post(f"{API}/chats/{chat['id']}/messages", json={"content": "   "},
                        headers=alice.headers)
    assert blank.status_code == 422 and blank.json()["error"]["message"] == "Type a message first."
    for cursor in ("garbage", "WzFd", "WyJ4IiwxXQ"):  # not base64 JSON; wrong arity; wrong types
        answer = client.get(f"{API}/chats", params={"cursor": cursor}, headers=alice.headers)
        assert answer.status_code == 400 and answer.json()["error"]["code"] == "bad_request"
    too_many = client.get(f"{API}/chats", params={"limit": 101}, headers=alice.headers)
    assert too_many.status_code == 422 and too_many.json()["error"]["message"].startswith("query.limit")
    wrong_id = client.get(f"{API}/chats/abc", headers=alice.headers)
    assert wrong_id.status_code == 422 and wrong_id.json()["error"]["code"] == "invalid"


def test_message_sending_is_rate_limited_with_retry_after(client, alice, monkeypatch):
    monkeypatch.setenv("RATE_LIMIT_MESSAGES_PER_USER", "2/minute")
    chat = client.post(f"{API}/chats", json={}, headers=alice.headers).json()
    path = f"{API}/chats/{chat['id']}/messages"
    for text in ("fetch https://example.com/a every hour", "also email me"):
        assert client.post(path, json={"content": text}, headers=alice.headers).status_code == 201
    limited = client.post(path, json={"content": "and post to slack"}, headers=alice.headers)
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
    assert len(client.get(path, headers=alice.headers).json()["items"]) == 4  # nothing stored
