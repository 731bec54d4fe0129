"""Text with a NUL character (pasted binary data, a crafted event) is refused with a sentence
that says so, on the page's path as on the API's, and nothing is stored. On PostgreSQL, whose
text type cannot hold NUL, the write used to fail as a server error instead."""

from __future__ import annotations

import asyncio

import pytest
import sqlalchemy as sa
from sqlmodel import SQLModel

import workflow_chat.workflow_chat  # noqa: F401  (registers every state class)
from tests.support.accounts import make_user
from tests.support.reflex_states import state_for
from workflow_chat.auth.tokens import issue_token
from workflow_chat.components.chat_list import ChatListState
from workflow_chat.db import get_engine, session_scope
from workflow_chat.services import chats, credentials, messages, projects, prompts
from workflow_chat.services.errors import Invalid, NotFound
from workflow_chat.state.conversation import ConversationState
from workflow_chat.state.projects import ProjectsState
from workflow_chat.state.prompts import PromptsState
from workflow_chat.state.secrets import SecretsState

SAID = "cannot contain a NUL character"


def _snapshot() -> dict[str, list[tuple]]:
    with get_engine().connect() as conn:
        return {t.name: sorted(map(tuple, conn.execute(sa.select(t))), key=repr)
                for t in SQLModel.metadata.sorted_tables}


@pytest.fixture
def owner(database_url) -> tuple[int, int, int, int]:
    """A user with a chat (holding one message), a project and a prompt in it."""
    with session_scope() as session:
        user = make_user(session)
        chat = chats.create_chat(session, user_id=user.id, title="Report")
        messages.add_user_message(session, user_id=user.id, chat_id=chat.id, content="hello")
        project = projects.create_project(session, user_id=user.id, name="Work")
        prompt = prompts.create_prompt(session, user_id=user.id, project_id=project.id,
                                       name="Terse", text="Be brief.")
        return user.id, chat.id, project.id, prompt.id  # type: ignore[return-value]


def test_every_service_refuses_nul_in_what_a_person_types(owner):
    user, chat, project, prompt = owner
    calls = {
        "A message": lambda s: messages.add_user_message(s, user_id=user, chat_id=chat,
                                                         content="fetch\x00 it"),
        "A chat title": lambda s: chats.create_chat(s, user_id=user, title="a\x00b"),
        "A chat title ": lambda s: chats.rename_chat(s, user_id=user, chat_id=chat, title="\x00"),
        "A project's name": lambda s: projects.create_project(s, user_id=user, name="W\x00rk 2"),
        "A project's name ": lambda s: projects.rename_project(s, user_id=user,
                                                               project_id=project, name="x\x00"),
        "A prompt's name": lambda s: prompts.create_prompt(s, user_id=user, project_id=project,
                                                           name="N\x00", text="ok"),
        "A prompt's text": lambda s: prompts.update_prompt(s, user_id=user, prompt_id=prompt,
                                                           text="Be\x00 brief."),
        "A secret name": lambda s: credentials.create_credential(s, user_id=user,
                                                                 name="API\x00KEY", value="v"),
    }
    before = _snapshot()
    for what, call in calls.items():
        with pytest.raises(Invalid) as refused, session_scope() as session:
            call(session)
        assert str(refused.value).startswith(f"{what.strip()} {SAID}"), str(refused.value)
    assert _snapshot() == before

    # Looking a secret up by a name with NUL is simply "not found", not a database error.
    with pytest.raises(NotFound), session_scope() as session:
        credentials.delete_credential(session, user_id=user, name="API\x00KEY")


def test_the_page_shows_the_refusal_and_stores_nothing(owner):
    user, chat, project, prompt = owner
    token = issue_token(user)
    before = _snapshot()

    composer = state_for(ConversationState, token)
    composer.current_chat_id = chat
    refused = asyncio.run(ConversationState.start_turn.fn(composer, {"message": "summarise\x00 this"}))
    assert f"A message {SAID}" in repr(refused) and composer.sending is False
    composer.current_chat_id = 0  # the first message of a new chat: no empty chat is left
    assert SAID in repr(asyncio.run(ConversationState.start_turn.fn(composer, {"message": "\x00hi"})))

    chat_list = state_for(ChatListState, token)
    ChatListState.start_rename.fn(chat_list, chat, "Rep\x00ort")
    assert f"A chat title {SAID}" in repr(ChatListState.finish_rename.fn(chat_list))

    picker = state_for(ProjectsState, token)
    ProjectsState.create_project.fn(picker, {"name": "Ho\x00me"})
    assert picker.new_project_error.startswith(f"A project's name {SAID}")

    dialog = state_for(PromptsState, token)
    dialog.managed_id, dialog.prompt_form = project, "add"
    PromptsState.save_prompt.fn(dialog, {"name": "Loud", "text": "SHOUT\x00"})
    assert dialog.prompt_error.startswith(f"A prompt's text {SAID}")

    vault = state_for(SecretsState, token)
    SecretsState.start_add.fn(vault)
    SecretsState.save_secret.fn(vault, {"name": "TOKEN\x00", "value": "v"})
    assert vault.secret_error.startswith(f"A secret name {SAID}")

    assert _snapshot() == before


def test_a_reply_with_nul_is_stored_without_it_rather_than_lost(owner):
    user, chat, _, _ = owner
    with session_scope() as session:
        messages.add_assistant_message(session, user_id=user, chat_id=chat, content="Done\x00.")
    with session_scope() as session:
        shown = messages.list_messages(session, user_id=user, chat_id=chat)
    assert [m.content for m in shown] == ["hello", "Done."]


def test_settings_refuse_nul_in_email_model_and_base_url(owner):
    from workflow_chat.services import profile, user_settings

    user = owner[0]
    before = _snapshot()
    calls = [
        lambda s: profile.change_email(s, user_id=user, email="me\x00@example.com"),
        lambda s: user_settings.save_llm_choice(s, user_id=user, provider="openai",
                                                model="gpt\x00-4o"),
        lambda s: user_settings.save_llm_choice(s, user_id=user, provider="openai",
                                                base_url="http://llm.local\x00/v1"),
    ]
    for call in calls:
        with pytest.raises(Invalid), session_scope() as session:
            call(session)
    assert _snapshot() == before
