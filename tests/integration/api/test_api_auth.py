"""Register, log in, who am I; the bearer token guards every other route."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from tests.integration.api.api_users import API, sign_in
from workflow_chat.auth.tokens import issue_token
from workflow_chat.db import session_scope
from workflow_chat.models import AuditEvent, User


def test_register_then_login_gives_a_token_that_opens_me(client):
    created = client.post(f"{API}/auth/register", json={
        "username": "carol", "email": "Carol@Example.com", "password": "correct horse"})
    assert created.status_code == 201
    assert created.json()["username"] == "carol" and created.json()["email"] == "carol@example.com"
    assert "password" not in created.text and "correct horse" not in created.text

    login = client.post(f"{API}/auth/login", json={"login": "carol@example.com",
                                                   "password": "correct horse"})
    assert login.status_code == 200
    token = login.json()
    assert token["token_type"] == "bearer" and token["expires_in"] > 0
    me = client.get(f"{API}/auth/me", headers={"Authorization": f"Bearer {token['access_token']}"})
    assert me.status_code == 200 and me.json()["id"] == created.json()["id"]
    with session_scope() as session:
        events = session.exec(select(AuditEvent).where(AuditEvent.action == "login.success")).all()
    assert [e.ip for e in events] == ["testclient"]  # the client's address reaches the audit log


def test_register_refuses_taken_names_and_bad_input_with_json_errors(client):
    body = {"username": "dave", "email": "dave@example.com", "password": "password123"}
    assert client.post(f"{API}/auth/register", json=body).status_code == 201
    taken = client.post(f"{API}/auth/register", json={**body, "email": "other@example.com"})
    assert taken.status_code == 409
    assert taken.json() == {"error": {"code": "conflict", "message": "That username is already taken."}}
    short = client.post(f"{API}/auth/register", json={**body, "username": "erin", "password": "short"})
    assert short.status_code == 422 and short.json()["error"]["code"] == "invalid"
    assert "8" in short.json()["error"]["message"]
    missing = client.post(f"{API}/auth/register", json={"username": "frank"})
    assert missing.status_code == 422
    assert missing.json()["error"]["details"] == ["email: Field required", "password: Field required"]
    broken = client.post(f"{API}/auth/register", content=b'{"username": ',
                         headers={"Content-Type": "application/json"})
    assert broken.status_code == 400 and broken.json()["error"]["code"] == "bad_request"


def test_wrong_password_is_401_and_repeated_failures_are_429_with_retry_after(client, monkeypatch):
    monkeypatch.setenv("RATE_LIMIT_LOGIN_FAILURES", "2/minute")
    user = sign_in("grace")
    wrong = {"login": user.name, "password": "not-the-password"}
    for _ in range(2):
        refused = client.post(f"{API}/auth/login", json=wrong)
        assert refused.status_code == 401
        assert refused.json()["error"]["message"] == "Wrong username/email or password."
    limited = client.post(f"{API}/auth/login", json={"login": user.name, "password": "password123"})
    assert limited.status_code == 429
    assert limited.json()["error"]["code"] == "rate_limited"
    assert 1 <= int(limited.headers["Retry-After"]) <= 60


def test_missing_forged_expired_and_orphaned_tokens_are_401(client):
    user = sign_in("heidi")
    header = lambda token: {"Authorization": f"Bearer {token}"}  # noqa: E731
    forged = issue_token(user.id)[:-4] + "AAAA"
    expired = issue_token(user.id, lifetime=timedelta(seconds=-1))
    for headers in ({}, {"Authorization": "Basic aGk6dGhlcmU="}, header("not-a-jwt"),
                    header(forged), header(expired)):
        for path in ("/auth/me", "/chats", "/credentials"):
            answer = client.get(f"{API}{path}", headers=headers)
            assert answer.status_code == 401, (path, headers)
            assert answer.json()["error"]["code"] == "unauthorized"
            assert answer.headers["WWW-Authenticate"] == "Bearer"
    assert client.get(f"{API}/auth/me", headers=user.headers).status_code == 200
    with session_scope() as session:
        session.delete(session.get(User, user.id))
    assert client.get(f"{API}/auth/me", headers=user.headers).status_code == 401


def test_health_and_openapi_need_no_token(client):
    assert client.get(f"{API}/health").json() == {"status": "ok"}
    document = client.get(f"{API}/openapi.json").json()
    assert "/api/v1/chats/{chat_id}/messages" in document["paths"]
    assert document["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
