"""A password change, or "Log out other sessions", refuses every token issued before it, on the
REST API and in the app's event handlers alike, while the tab that did it stays signed in with
a fresh token; logging in again afterwards works at once."""

from __future__ import annotations

import asyncio
import time

from sqlmodel import select

import workflow_chat.workflow_chat  # noqa: F401  (registers every state class)
from tests.integration.api.api_users import API, sign_in
from tests.support.reflex_states import drain, state_for
from workflow_chat import routes
from workflow_chat.auth.tokens import issue_token
from workflow_chat.db import session_scope
from workflow_chat.models import AuditEvent
from workflow_chat.state.settings import SettingsState
from workflow_chat.state.workspace import WorkspaceState

PASSWORD = "password123"  # make_user's
NEW_PASSWORD = "a brand new passphrase"


def _next_second() -> None:
    # A token's iat is whole seconds: tokens issued in the second of a revocation survive it,
    # so the "old" sessions here are made a second earlier, as they would be in real life.
    time.sleep(1.02 - time.time() % 1)


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _signed_out_of_the_workspace(token: str) -> bool:
    page = state_for(WorkspaceState, token)
    answer = WorkspaceState.load.fn(page)
    return page.token == "" and routes.LOGIN in repr(answer)


def _change_password(tab: SettingsState, current: str, new: str) -> list:
    form = {"current_password": current, "new_password": new, "confirm_password": new}
    return asyncio.run(drain(SettingsState.change_password.fn(tab, form)))


def test_a_password_change_logs_out_every_other_token(client):
    user = sign_in("ada")
    phone = client.post(f"{API}/auth/login", json={"login": "ada", "password": PASSWORD})
    phone_token = phone.json()["access_token"]
    other_tab_token = issue_token(user.id)
    tab: SettingsState = state_for(SettingsState, issue_token(user.id))  # type: ignore[assignment]
    _next_second()

    events = _change_password(tab, PASSWORD, NEW_PASSWORD)
    assert tab.password_error == "" and "Password changed" in repr(events)

    for old in (phone_token, other_tab_token, user.headers["Authorization"].split()[1]):
        refused = client.get(f"{API}/auth/me", headers=_bearer(old))
        assert refused.status_code == 401 and refused.json()["error"]["code"] == "unauthorized"
        assert client.get(f"{API}/chats", headers=_bearer(old)).status_code == 401
        assert _signed_out_of_the_workspace(old)
    # The tab that changed it holds a new token, good on both sides.
    assert client.get(f"{API}/auth/me", headers=_bearer(tab.token)).json()["id"] == user.id
    SettingsState.load.fn(tab)
    assert tab.token != "" and tab.username == "ada"
    assert not _signed_out_of_the_workspace(tab.token)
    # A login right away (same second as the change) gives a working token.
    again = client.post(f"{API}/auth/login", json={"login": "ada", "password": NEW_PASSWORD})
    assert client.get(f"{API}/auth/me",
                      headers=_bearer(again.json()["access_token"])).status_code == 200


def test_a_refused_password_change_revokes_nothing(client):
    user = sign_in("bob")
    tab: SettingsState = state_for(SettingsState, issue_token(user.id))  # type: ignore[assignment]
    _next_second()
    _change_password(tab, "not the password", NEW_PASSWORD)
    assert tab.password_error != ""
    assert client.get(f"{API}/auth/me", headers=user.headers).status_code == 200


def test_log_out_other_sessions_keeps_this_tab_and_is_audited(client):
    user, bystander = sign_in("carol"), sign_in("dave")
    laptop_token = issue_token(user.id)
    tab: SettingsState = state_for(SettingsState, issue_token(user.id))  # type: ignore[assignment]
    _next_second()

    answer = SettingsState.log_out_other_sessions.fn(tab)
    assert "Other sessions are logged out" in repr(answer)
    for old in (laptop_token, user.headers["Authorization"].split()[1]):
        assert client.get(f"{API}/auth/me", headers=_bearer(old)).status_code == 401
        assert _signed_out_of_the_workspace(old)
    assert client.get(f"{API}/auth/me", headers=_bearer(tab.token)).status_code == 200
    assert not _signed_out_of_the_workspace(tab.token)
    assert client.get(f"{API}/auth/me", headers=bystander.headers).status_code == 200
    # The password did not change.
    assert client.post(f"{API}/auth/login",
                       json={"login": "carol", "password": PASSWORD}).status_code == 200
    with session_scope() as session:
        events = session.exec(select(AuditEvent).where(AuditEvent.action == "sessions.revoke")).all()
    assert [(e.user_id, e.target) for e in events] == [(user.id, f"user:{user.id}")]


def test_a_revoked_tab_is_sent_to_the_login_page_by_its_next_handler(client):
    user = sign_in("erin")
    stale: SettingsState = state_for(SettingsState, issue_token(user.id))  # type: ignore[assignment]
    tab: SettingsState = state_for(SettingsState, issue_token(user.id))  # type: ignore[assignment]
    _next_second()
    SettingsState.log_out_other_sessions.fn(tab)
    answer = SettingsState.save_email.fn(stale, {"email": "thief@example.com"})
    assert stale.token == "" and routes.LOGIN in repr(answer)
    assert client.get(f"{API}/auth/me", headers=_bearer(tab.token)).json()["email"] == "erin@example.com"
