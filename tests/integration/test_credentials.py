"""The credentials vault on SQLite and PostgreSQL: rows hold ciphertext only, every call is the
owner's own, rotation retires an old key, the dialog's handlers never keep a value, and a run
that uses a vault secret sends the real value while everything stored or logged has a mask."""

from __future__ import annotations

import asyncio
import base64
import binascii
import logging
from pathlib import Path

import pytest
import reflex as rx
import sqlalchemy as sa

import workflow_chat.workflow_chat  # noqa: F401  (registers every state class)
from tests.support.accounts import make_user
from tests.support.http_peer import Reply
from tests.support.runs import chat_with_graph, edge, finished, node
from workflow_chat.auth.tokens import issue_token
from workflow_chat.db import get_engine, session_scope
from workflow_chat.engine import secrets as engine_secrets
from workflow_chat.services import credentials, runs
from workflow_chat.services.credentials import HINT
from workflow_chat.services.errors import Conflict, Invalid, NotFound
from workflow_chat.settings import data_dir
from workflow_chat.state.secrets import SecretsState
from workflow_chat.vault import __main__ as vault_cli
from workflow_chat.vault import cipher
from workflow_chat.vault.keys import new_key

VALUE = "xoxb-4711-very-secret-Value"


@pytest.fixture
def master_key(monkeypatch, database_url) -> str:
    key = new_key()
    monkeypatch.setenv("WFC_MASTER_KEYS", key)
    return key


@pytest.fixture
def two_users(master_key) -> tuple[int, int]:
    with session_scope() as session:
        alice, bob = make_user(session, "alice"), make_user(session, "bob")
        credentials.create_credential(session, user_id=bob.id, name="API_TOKEN", value=VALUE)
        return alice.id, bob.id  # type: ignore[return-value]


def _stored_ciphertexts() -> list[str]:
    with get_engine().connect() as conn:
        return list(conn.execute(sa.text("SELECT ciphertext FROM credentials ORDER BY id")).scalars())


def test_a_secret_is_stored_encrypted_and_listed_by_name_only(two_users):
    _, bob = two_users
    [token] = _stored_ciphertexts()
    assert VALUE not in token and cipher.decrypt(token) == VALUE
    with session_scope() as session:
        [listed] = credentials.list_credentials(session, user_id=bob)
    assert (listed.name, listed.hint, listed.last_used_at) == ("API_TOKEN", HINT, None)
    assert listed.updated_at == listed.created_at
    assert VALUE not in repr(listed)


@pytest.mark.parametrize(("name", "words"), [
    ("", "Give the secret a name"),
    ("slack_url", "try SLACK_URL"),
    ("1TOKEN", "starts with a capital letter"),
    ("MY-KEY", "try MY_KEY"),
    ("A" * 65, "at most 64 characters"),
])
def test_names_are_upper_snake_with_clear_messages(two_users, name, words):
    alice, _ = two_users
    with session_scope() as session, pytest.raises(Invalid, match=words):
        credentials.create_credential(session, user_id=alice, name=name, value="v")


def test_names_are_unique_per_user_not_globally(two_users):
    alice, bob = two_users
    with session_scope() as session:
        credentials.create_credential(session, user_id=alice, name="API_TOKEN", value="alices")
    with session_scope() as session, pytest.raises(Conflict, match="replace its value"):
        credentials.create_credential(session, user_id=bob, name="API_TOKEN", value="again")
    with session_scope() as session, pytest.raises(Invalid, match="Enter the secret's value"):
        credentials.create_credential(session, user_id=alice, name="EMPTY", value="   ")


def test_another_users_secret_cannot_be_read_changed_deleted_or_resolved(two_users):
    alice, bob = two_users
    with session_scope() as session:
        assert credentials.list_credentials(session, user_id=alice) == []
        for call in (lambda: credentials.resolve(session, user_id=alice, name="API_TOKEN"),
                     lambda: credentials.replace_value(session, user_id=alice, name="API_TOKEN", value="x"),
                     lambda: credentials.delete_credential(session, user_id=alice, name="API_TOKEN")):
            with pytest.raises(NotFound):
                call()
    with session_scope() as session:
        assert credentials.resolve(session, user_id=bob, name="API_TOKEN") == VALUE
        assert [c.name for c in credentials.list_credentials(session, user_id=bob)] == ["API_TOKEN"]


def test_replace_delete_and_resolve_mark_their_dates(two_users):
    _, bob = two_users
    with session_scope() as session:
        credentials.resolve(session, user_id=bob, name="API_TOKEN")
    with session_scope() as session:
        first_use = credentials.list_credentials(session, user_id=bob)[0].last_used_at
        credentials.resolve(session, user_id=bob, name="API_TOKEN")  # within a minute: no write
        assert credentials.list_credentials(session, user_id=bob)[0].last_used_at == first_use
        summary = credentials.replace_value(session, user_id=bob, name="API_TOKEN", value="new value")
    assert first_use is not None and summary.updated_at > summary.created_at
    with session_scope() as session:
        assert credentials.resolve(session, user_id=bob, name="API_TOKEN") == "new value"
        credentials.delete_credential(session, user_id=bob, name="API_TOKEN")
    assert _stored_ciphertexts() == []


def test_rotation_lets_the_old_key_go_and_every_secret_still_decrypts(two_users, master_key,
                                                                      monkeypatch, capsys):
    alice, bob = two_users
    with session_scope() as session:
        for i in range(250):  # more than one batch
            credentials.create_credential(session, user_id=alice, name=f"KEY_{i}", value=f"value-{i}")
    newer = new_key()
    monkeypatch.setenv("WFC_MASTER_KEYS", f"{newer},{master_key}")
    assert vault_cli.main(["check"]) == 1  # the new key alone cannot open the old rows yet
    assert vault_cli.main(["rotate"]) == 0
    assert "rotated 251 secret(s)" in capsys.readouterr().out
    assert vault_cli.main(["check"]) == 0

    monkeypatch.setenv("WFC_MASTER_KEYS", newer)  # the old key is retired
    with session_scope() as session:
        assert credentials.resolve(session, user_id=bob, name="API_TOKEN") == VALUE
        assert credentials.resolve(session, user_id=alice, name="KEY_249") == "value-249"
    output = capsys.readouterr()
    assert VALUE not in output.out + output.err and newer not in output.out + output.err


def test_rotation_does_not_undo_a_value_replaced_while_it_runs(two_users, master_key, monkeypatch):
    _, bob = two_users
    monkeypatch.setenv("WFC_MASTER_KEYS", f"{new_key()},{master_key}")
    real = cipher.reencrypt

    def replaced_meanwhile(token, *, keys=None):
        fresh = real(token, keys=keys)
        if cipher.decrypt(token) == VALUE:  # the app saves a new value between read and write
            with session_scope() as session:
                credentials.replace_value(session, user_id=bob, name="API_TOKEN", value="newer value")
        return fresh

    monkeypatch.setattr(cipher, "reencrypt", replaced_meanwhile)
    assert vault_cli.main(["rotate"]) == 0
    with session_scope() as session:
        assert credentials.resolve(session, user_id=bob, name="API_TOKEN") == "newer value"


def test_the_dialog_keeps_no_value_and_acts_for_its_own_user_only(two_users):
    alice, bob = two_users
    root = rx.State(_reflex_internal_init=True)
    state = root.get_substate(SecretsState.get_full_name().split(".")[1:])
    state.token = issue_token(alice)
    SecretsState.set_secrets_open.fn(state, True)
    assert state.secret_items == []  # Bob's secret is not listed
    SecretsState.start_add.fn(state)
    SecretsState.save_secret.fn(state, {"name": "bad name", "value": "typed value 1"})
    assert "capital letter" in state.secret_error and state.secret_form == "add"
    SecretsState.save_secret.fn(state, {"name": "SMTP_PASSWORD", "value": "typed value 2"})
    assert [i.name for i in state.secret_items] == ["SMTP_PASSWORD"] and state.secret_form == ""
    assert state.secret_items[0].hint == HINT
    assert "typed value" not in repr(state.dict())
    state.secret_target, state.secret_form = "API_TOKEN", "replace"  # Bob's name, forged
    SecretsState.save_secret.fn(state, {"value": "overwrite"})
    assert state.secret_error == "You have no secret named API_TOKEN."
    SecretsState.ask_delete_secret.fn(state, "API_TOKEN")
    SecretsState.delete_secret.fn(state)
    with session_scope() as session:
        assert credentials.resolve(session, user_id=bob, name="API_TOKEN") == VALUE
    state.token = ""
    assert "/login" in repr(SecretsState.save_secret.fn(state, {"name": "X", "value": "y"}))


# A run that uses a vault secret: the peer gets the value, nothing kept has it.

def _run(user_id: int, chat_id: int) -> runs.RunDetail:
    async def scenario() -> runs.RunDetail:
        summary = await runs.start_run(user_id=user_id, chat_id=chat_id)
        return await finished(summary.id)

    return asyncio.run(scenario())


def _cells(url: str, schemas: list[str | None]) -> list[bytes]:
    """Every cell of every table as bytes, plus its base64 decoding when it has one (DBOS keeps
    pickled inputs and outputs in base64)."""
    engine = sa.create_engine(url)
    found: list[bytes] = []
    try:
        with engine.connect() as conn:
            for schema in schemas:
                for table in sa.inspect(conn).get_table_names(schema=schema):
                    rows = conn.execute(sa.select(sa.Table(table, sa.MetaData(), schema=schema,
                                                           autoload_with=conn))).all()
                    for cell in (c for row in rows for c in row if c is not None):
                        text = str(cell).encode()
                        found.append(text)
                        try:
                            found.append(base64.b64decode(text, validate=True))
                        except (binascii.Error, ValueError):
                            pass
    finally:
        engine.dispose()
    return found


def test_a_run_sends_the_vault_value_and_keeps_only_ciphertext_and_masks(
    engine, database_url, http_peer, monkeypatch, caplog, capfd
):
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("WFC_MASTER_KEYS", new_key())
    monkeypatch.setenv("WFC_SECRET_API_TOKEN", "env-value-loses-to-the-vault")
    monkeypatch.setenv("WFC_SECRET_REGION", "eu-west-env")
    lookups: list[str] = []
    real_owner = engine_secrets._run_owner
    monkeypatch.setattr(engine_secrets, "_run_owner",
                        lambda run_id: lookups.append(run_id) or real_owner(run_id))
    user_id, chat_id = chat_with_graph({"nodes": [
        node("start", "manual"),
        node("call", "http_request", {"url": f"{http_peer.url}/items",
                                      "headers": {"Authorization": "Bearer {{ secrets.API_TOKEN }}",
                                                  "X-Region": "{{ secrets.REGION }}"}}),
        node("note", "transform",
             {"template": "sent {{ secrets.API_TOKEN }} for {{ nodes.call.output.body.echo }}"}),
    ], "edges": [edge("start", "call"), edge("call", "note")]})
    with session_scope() as session:
        credentials.create_credential(session, user_id=user_id, name="API_TOKEN", value=VALUE)
        other = make_user(session)  # someone else's REGION must not be used
        credentials.create_credential(session, user_id=other.id, name="REGION", value="other-users-region")
    http_peer.script(Reply(body={"echo": f"token {VALUE} accepted"}))  # a peer that echoes it

    run = _run(user_id, chat_id)

    assert run.run.status == "succeeded", run.run.error
    [request] = http_peer.requests
    assert request.headers["authorization"] == f"Bearer {VALUE}"
    assert request.headers["x-region"] == "eu-west-env"  # not in the vault: the environment
    steps = {n.node_id: n for n in run.nodes}
    assert steps["call"].input["headers"]["Authorization"] == "Bearer ••••"
    assert steps["call"].output["body"] == {"echo": "token •••• accepted"}
    assert steps["note"].output == {"value": "sent •••• for token •••• accepted"}
    with session_scope() as session:
        assert credentials.list_credentials(session, user_id=user_id)[0].last_used_at is not None

    secret, [ciphertext] = VALUE.encode(), [c for c in _stored_ciphertexts()
                                           if cipher.decrypt(c) == VALUE]
    if database_url.startswith("sqlite"):
        app_db, dbos_db = Path(database_url.removeprefix("sqlite:///")), data_dir() / "dbos.sqlite"
        raw = b"".join(p.read_bytes() for f in (app_db, dbos_db) for p in (f, Path(f"{f}-wal")) if p.exists())
        assert secret not in raw
        app_cells, dbos_cells = _cells(database_url, [None]), _cells(f"sqlite:///{dbos_db}", [None])
    else:
        app_cells, dbos_cells = _cells(database_url, ["public"]), _cells(database_url, ["dbos"])
    masked_echo = "token •••• accepted".encode()
    assert any(ciphertext.encode() in cell for cell in app_cells)
    assert any(masked_echo in cell for cell in dbos_cells)  # the search reads DBOS's pickles
    assert not [cell[:200] for cell in app_cells + dbos_cells if secret in cell]
    printed = capfd.readouterr()
    assert caplog.records and VALUE not in caplog.text and VALUE not in printed.out + printed.err

    # The owner is looked up only by nodes that ask for a secret; a run that asks for none pays nothing.
    assert lookups and set(lookups) == {run.run.id}
    lookups.clear()
    plain_user, plain_chat = chat_with_graph({
        "nodes": [node("start", "manual"), node("t", "transform", {"template": "hi"})],
        "edges": [edge("start", "t")]})
    assert _run(plain_user, plain_chat).run.status == "succeeded" and lookups == []


def test_a_run_cannot_use_another_users_vault_secret(engine, master_key):
    user_id, chat_id = chat_with_graph({"nodes": [
        node("start", "manual"), node("t", "transform", {"template": "{{ secrets.ONLY_BOBS }}"})],
        "edges": [edge("start", "t")]})
    with session_scope() as session:
        bob = make_user(session)
        credentials.create_credential(session, user_id=bob.id, name="ONLY_BOBS", value=VALUE)
    run = _run(user_id, chat_id)
    assert run.run.status == "failed"
    assert "secret ONLY_BOBS is not set (add it under Secrets" in run.run.error
    assert VALUE not in repr(run)
