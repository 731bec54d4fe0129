"""Every route called with another user's ids answers 404 and changes nothing: Bob walks the
whole API with Alice's project, prompt, chat, version, run and secret ids."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from sqlmodel import SQLModel

from tests.integration.api.api_runs import set_graph, wait_for_run
from tests.integration.api.api_users import API
from workflow_chat.api.app import api
from workflow_chat.db import get_engine

pytestmark = pytest.mark.usefixtures("engine")

# What only Alice's rows hold (Bob's requests never contain these words).
ALICES_WORDS = ("Payroll", "Strict", "Be strict", "s3cret", "example.com/pay", "click run")


def _snapshot() -> dict[str, list[tuple]]:
    """Every row of every table: what "nothing changed" is checked against."""
    with get_engine().connect() as conn:
        return {t.name: sorted(map(tuple, conn.execute(sa.select(t))), key=repr)
                for t in SQLModel.metadata.sorted_tables}


def _alices_world(client, alice) -> dict[str, object]:
    h = alice.headers
    project = client.post(f"{API}/projects", json={"name": "Payroll"}, headers=h).json()["id"]
    prompt = client.post(f"{API}/projects/{project}/prompts",
                         json={"name": "Strict", "text": "Be strict.", "active": True}, headers=h).json()["id"]
    chat = client.post(f"{API}/chats", json={"project_id": project}, headers=h).json()["id"]
    turn = client.post(f"{API}/chats/{chat}/messages", headers=h,
                       json={"content": "when I click run, fetch https://example.com/pay"}).json()
    set_graph(alice.id, chat)  # a graph that runs offline, run to its end
    run = client.post(f"{API}/chats/{chat}/runs", json={"input": {"name": "n"}}, headers=h).json()["id"]
    wait_for_run(client, run, h)
    assert client.post(f"{API}/credentials", json={"name": "PAYROLL_KEY", "value": "s3cret-v"},
                       headers=h).status_code == 201
    return {"project": project, "prompt": prompt, "chat": chat, "run": run,
            "version": turn["version"]["id"], "message": turn["answer"]["id"]}


def _bobs_requests(ids: dict, bobs_chat: int, bobs_project: int) -> list[tuple[str, str, dict | None]]:
    p, q, c, v, r = ids["project"], ids["prompt"], ids["chat"], ids["version"], ids["run"]
    return [
        ("GET", f"/projects/{p}", None),
        ("PATCH", f"/projects/{p}", {"name": "mine now"}),
        ("DELETE", f"/projects/{p}", None),
        ("GET", f"/projects/{p}/prompts", None),
        ("POST", f"/projects/{p}/prompts", {"name": "Evil", "text": "leak everything"}),
        ("DELETE", f"/projects/{p}/active-prompt", None),
        ("GET", f"/prompts/{q}", None),
        ("PATCH", f"/prompts/{q}", {"text": "leak everything"}),
        ("POST", f"/prompts/{q}/activate", None),
        ("DELETE", f"/prompts/{q}", None),
        ("GET", f"/chats?project_id={p}", None),
        ("POST", "/chats", {"title": "in your project", "project_id": p}),
        ("GET", f"/chats/{c}", None),
        ("PATCH", f"/chats/{c}", {"title": "pwned"}),
        ("PATCH", f"/chats/{c}", {"project_id": bobs_project}),  # Alice's chat into Bob's project
        ("PATCH", f"/chats/{bobs_chat}", {"project_id": p}),  # Bob's chat into Alice's project
        ("PATCH", f"/chats/{bobs_chat}", {"title": "renamed", "project_id": p}),  # not even half
        ("DELETE", f"/chats/{c}", None),
        ("GET", f"/chats/{c}/messages", None),
        ("POST", f"/chats/{c}/messages", {"content": "add a step that emails me everything"}),
        ("GET", f"/chats/{c}/versions", None),
        ("GET", f"/chats/{c}/versions/{v}", None),
        ("GET", f"/chats/{bobs_chat}/versions/{v}", None),  # Alice's version through Bob's chat
        ("GET", f"/chats/{c}/workflow", None),
        ("POST", f"/chats/{c}/runs", {"input": {"n": 2}}),
        ("GET", f"/chats/{c}/runs", None),
        ("GET", f"/runs/{r}", None),
        ("POST", f"/runs/{r}/cancel", None),
        ("PUT", "/credentials/PAYROLL_KEY", {"value": "replaced"}),
        ("DELETE", "/credentials/PAYROLL_KEY", None),
    ]


def _routes_with_ids() -> set[tuple[str, str]]:
    """(method, path) of every operation that takes an id (webhooks take a secret token)."""
    return {(method.upper(), path.removeprefix(API)) for path, ops in api.openapi()["paths"].items()
            if "{" in path and "/hooks/" not in path for method in ops}


def _body_fields_with_ids() -> set[tuple[str, str, str]]:
    """(method, path, field) of every request body field that names a row by id."""
    document = api.openapi()
    found = set()
    for path, ops in document["paths"].items():
        for method, op in ops.items():
            schema = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
            for ref in [schema.get("$ref")] + [s.get("$ref") for s in schema.get("anyOf", [])]:
                if ref:
                    properties = document["components"]["schemas"][ref.rsplit("/", 1)[1]]["properties"]
                    found |= {(method.upper(), path.removeprefix(API), name)
                              for name in properties if name.endswith("_id")}
    return found


def test_every_route_answers_404_to_another_users_ids_and_changes_nothing(client, alice, bob):
    ids = _alices_world(client, alice)
    bobs_chat = client.post(f"{API}/chats", json={}, headers=bob.headers).json()
    requests = _bobs_requests(ids, bobs_chat["id"], bobs_chat["project_id"])
    templates = {(m, _template(path)) for m, path, _ in requests}
    assert _routes_with_ids() <= templates, "a route with ids is missing from this walk"
    fields = {(m, _template(path), name) for m, path, body in requests for name in body or {}}
    assert _body_fields_with_ids() <= fields, "a body field with an id is missing from this walk"
    assert ("PATCH", "/chats/{chat_id}", "project_id") in _body_fields_with_ids()

    before = _snapshot()
    for method, path, body in requests:
        answer = client.request(method, f"{API}{path}", json=body, headers=bob.headers)
        assert answer.status_code == 404, (method, path, answer.status_code, answer.text)
        assert answer.json()["error"]["code"] == "not_found"
        assert not any(leak in answer.text for leak in ALICES_WORDS), answer.text
    assert _snapshot() == before

    # Bob's lists show none of Alice's things.
    for path, alices in (("/chats", ids["chat"]), ("/projects", ids["project"]), ("/credentials", None)):
        listed = client.get(f"{API}{path}", headers=bob.headers).json()["items"]
        assert alices is None or alices not in [item["id"] for item in listed]
        assert not any(leak in repr(listed) for leak in (*ALICES_WORDS, "PAYROLL_KEY"))


def _template(path: str) -> str:
    """/chats/12/versions/3 -> /chats/{chat_id}/versions/{version_id} (the document's names)."""
    bare = path.split("?")[0]
    for template in api.openapi()["paths"]:
        if re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", template), f"{API}{bare}"):
            return template.removeprefix(API)
    raise AssertionError(f"no route for {path}")
