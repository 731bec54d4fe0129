"""Projects on SQLite and PostgreSQL: the default project, create/rename/delete with their chats,
the chat list filtered by project, ownership, and the migration that moved old chats in."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy import func
from sqlmodel import select

from tests.support.accounts import make_user
from workflow_chat.db import alembic_config, get_engine
from workflow_chat.llm.offline import plan
from workflow_chat.models import AuditEvent, Chat, Message, Project, Run, SystemPrompt, WorkflowVersion
from workflow_chat.services import chats, messages, projects, prompts, runs, workflows
from workflow_chat.services.errors import Conflict, Invalid, NotFound


def _count(session, table) -> int:
    return session.exec(select(func.count()).select_from(table)).one()


def test_a_new_user_gets_one_default_project_that_holds_chats_made_without_one(session):
    user = make_user(session)
    chat = chats.create_chat(session, user_id=user.id)
    listed = projects.list_projects(session, user_id=user.id)
    assert [(p.name, p.is_default, p.chat_count) for p in listed] == [("Default", True, 1)]
    assert chat.project_id == listed[0].id
    # Asking again never makes a second default.
    assert projects.default_project(session, user_id=user.id).id == listed[0].id
    assert len(projects.list_projects(session, user_id=user.id)) == 1


def test_create_rename_and_list_projects_with_clear_errors(session):
    user = make_user(session)
    work = projects.create_project(session, user_id=user.id, name="  Client   work ")
    assert (work.name, work.is_default, work.chat_count) == ("Client work", False, 0)
    projects.create_project(session, user_id=user.id, name="alpha")
    assert [p.name for p in projects.list_projects(session, user_id=user.id)] == [
        "Default", "alpha", "Client work"]

    with pytest.raises(Conflict, match="already have a project named"):
        projects.create_project(session, user_id=user.id, name="CLIENT WORK")
    with pytest.raises(Invalid, match="cannot be empty"):
        projects.create_project(session, user_id=user.id, name="   ")
    with pytest.raises(Invalid, match="at most 80 characters"):
        projects.create_project(session, user_id=user.id, name="x" * 81)
    assert projects.create_project(session, user_id=user.id, name="y" * 80).name == "y" * 80

    renamed = projects.rename_project(session, user_id=user.id, project_id=work.id, name="Clients")
    assert renamed.name == "Clients"
    with pytest.raises(Conflict):
        projects.rename_project(session, user_id=user.id, project_id=work.id, name="Alpha")
    # Renaming to its own name in another case is not a clash with itself.
    assert projects.rename_project(session, user_id=user.id, project_id=work.id, name="clients").name == "clients"


def test_chats_go_into_the_chosen_project_and_the_list_filters_by_it(session):
    user = make_user(session)
    work = projects.create_project(session, user_id=user.id, name="Work")
    in_default = chats.create_chat(session, user_id=user.id, title="Loose")
    in_work = chats.create_chat(session, user_id=user.id, title="Report", project_id=work.id)

    assert {c.title for c in chats.list_chats(session, user_id=user.id)} == {"Loose", "Report"}
    only_work = chats.list_chats(session, user_id=user.id, project_id=work.id)
    assert [(c.id, c.project_id) for c in only_work] == [(in_work.id, work.id)]
    default_id = projects.default_project(session, user_id=user.id).id
    assert [c.id for c in chats.list_chats(session, user_id=user.id, project_id=default_id)] == [
        in_default.id]
    counts = {p.name: p.chat_count for p in projects.list_projects(session, user_id=user.id)}
    assert counts == {"Default": 1, "Work": 1}


def test_deleting_a_project_deletes_its_chats_with_everything_in_them(session):
    user = make_user(session)
    doomed = projects.create_project(session, user_id=user.id, name="Doomed")
    kept = chats.create_chat(session, user_id=user.id, title="Kept")
    gone = [chats.create_chat(session, user_id=user.id, title=f"Gone {i}", project_id=doomed.id)
            for i in range(2)]
    graph = plan("fetch https://a.example and email me").workflow
    for chat in (kept, *gone):
        messages.add_user_message(session, user_id=user.id, chat_id=chat.id, content="hello")
        workflows.save_version(session, chat=chat, graph=graph, source="import")
        runs.create_run(session, user_id=user.id, chat_id=chat.id, trigger="manual")
    prompts.create_prompt(session, user_id=user.id, project_id=doomed.id, name="Tone",
                          text="Be brief.", active=True)

    assert projects.delete_project(session, user_id=user.id, project_id=doomed.id) == 2
    session.expire_all()
    assert [c.title for c in chats.list_chats(session, user_id=user.id)] == ["Kept"]
    assert _count(session, Message) == 1 and _count(session, WorkflowVersion) == 1
    assert _count(session, Run) == 1 and _count(session, SystemPrompt) == 0
    assert [p.name for p in projects.list_projects(session, user_id=user.id)] == ["Default"]
    with pytest.raises(NotFound):
        projects.get_project(session, user_id=user.id, project_id=doomed.id)
    # The log says which project went, and each chat with it.
    events = session.exec(select(AuditEvent.action, AuditEvent.target)
                          .where(AuditEvent.user_id == user.id)).all()
    assert ("project.create", f"project:{doomed.id}") in events
    assert ("project.delete", f"project:{doomed.id}") in events
    assert {("chat.delete", f"chat:{c.id}") for c in gone} <= set(events)


def test_the_default_project_cannot_be_deleted(session):
    user = make_user(session)
    chat = chats.create_chat(session, user_id=user.id)
    with pytest.raises(Invalid, match="default project cannot be deleted"):
        projects.delete_project(session, user_id=user.id, project_id=chat.project_id)
    assert [c.id for c in chats.list_chats(session, user_id=user.id)] == [chat.id]


def test_another_users_projects_are_not_found_and_nothing_changes(session):
    owner, intruder = make_user(session), make_user(session)
    theirs = projects.create_project(session, user_id=owner.id, name="Private")
    chat = chats.create_chat(session, user_id=owner.id, project_id=theirs.id)
    for call in (
        lambda: projects.get_project(session, user_id=intruder.id, project_id=theirs.id),
        lambda: projects.rename_project(session, user_id=intruder.id, project_id=theirs.id, name="Mine"),
        lambda: projects.delete_project(session, user_id=intruder.id, project_id=theirs.id),
        lambda: chats.create_chat(session, user_id=intruder.id, project_id=theirs.id),
        lambda: prompts.list_prompts(session, user_id=intruder.id, project_id=theirs.id),
        lambda: prompts.create_prompt(session, user_id=intruder.id, project_id=theirs.id,
                                      name="x", text="y"),
    ):
        with pytest.raises(NotFound):
            call()
    session.expire_all()
    assert projects.get_project(session, user_id=owner.id, project_id=theirs.id).name == "Private"
    assert chats.list_chats(session, user_id=intruder.id, project_id=theirs.id) == []
    assert [p.name for p in projects.list_projects(session, user_id=intruder.id)] == ["Default"]
    assert _count(session, SystemPrompt) == 0
    assert session.get(Chat, chat.id).project_id == theirs.id


def test_migration_gives_every_existing_user_a_default_project_and_keeps_their_chats(database_url):
    url = database_url
    command.downgrade(alembic_config(url), "0007")
    with get_engine(url).begin() as db:
        for uid in (1, 2):
            db.execute(sa.text(
                "INSERT INTO users (id, username, email, password_hash, created_at) "
                f"VALUES ({uid}, 'old{uid}', 'old{uid}@example.com', 'x', CURRENT_TIMESTAMP)"))
        for cid in (7, 8):
            db.execute(sa.text(
                "INSERT INTO chats (id, user_id, title, title_is_default, created_at, updated_at) "
                f"VALUES ({cid}, 1, 't', false, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
            db.execute(sa.text(
                "INSERT INTO messages (chat_id, role, content, status, created_at) "
                f"VALUES ({cid}, 'user', 'kept', 'ok', CURRENT_TIMESTAMP)"))
    command.upgrade(alembic_config(url), "head")

    with get_engine(url).connect() as db:
        defaults = dict(db.execute(sa.text(
            "SELECT user_id, id FROM projects WHERE is_default = :t"), {"t": True}).all())
        placed = dict(db.execute(sa.text("SELECT id, project_id FROM chats")).all())
        kept = db.execute(sa.text("SELECT count(*) FROM messages")).scalar()
    assert set(defaults) == {1, 2}
    assert placed == {7: defaults[1], 8: defaults[1]}
    # SQLite rebuilt the chats table: its messages must have survived the copy.
    assert kept == 2
    with get_engine(url).begin() as db, pytest.raises(sa.exc.IntegrityError):
        db.execute(sa.text(
            "INSERT INTO chats (user_id, title, title_is_default, created_at, updated_at) "
            "VALUES (1, 'no project', false, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
    with get_engine(url).begin() as db, pytest.raises(sa.exc.IntegrityError):
        db.execute(sa.text(
            "INSERT INTO chats (user_id, project_id, title, title_is_default, created_at, "
            "updated_at) VALUES (1, 999, 'x', false, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
    command.downgrade(alembic_config(url), "0007")  # and back, keeping the chats
    command.upgrade(alembic_config(url), "head")
    with get_engine(url).connect() as db:
        assert db.execute(sa.text("SELECT count(*) FROM chats")).scalar() == 2
        assert db.execute(sa.text("SELECT count(*) FROM messages")).scalar() == 2


def test_default_project_is_unique_per_user_in_the_database(session):
    user = make_user(session)
    projects.default_project(session, user_id=user.id)
    session.add(Project(user_id=user.id, name="Second default", is_default=True))
    with pytest.raises(sa.exc.IntegrityError):
        session.flush()
    session.rollback()


def test_a_chat_moves_to_another_of_the_users_projects_and_keeps_its_place(session):
    user, other = make_user(session), make_user(session)
    older = chats.create_chat(session, user_id=user.id, title="Older")
    chat = chats.create_chat(session, user_id=user.id, title="Payslips")
    messages.add_user_message(session, user_id=user.id, chat_id=chat.id, content="fetch payslips")
    home = chat.project_id
    work = projects.create_project(session, user_id=user.id, name="Work").id
    others_chat = chats.create_chat(session, user_id=other.id, title="Not yours")
    last_activity = chat.updated_at

    moved = chats.move_chat(session, user_id=user.id, chat_id=chat.id, project_id=work, ip="10.0.0.9")
    assert moved.project_id == work and moved.updated_at == last_activity
    assert [c.id for c in chats.list_chats(session, user_id=user.id, project_id=work)] == [chat.id]
    assert [c.id for c in chats.list_chats(session, user_id=user.id, project_id=home)] == [older.id]
    assert [c.id for c in chats.list_chats(session, user_id=user.id)] == [chat.id, older.id]
    assert [(p.name, p.chat_count) for p in projects.list_projects(session, user_id=user.id)] == [
        ("Default", 1), ("Work", 1)]
    assert len(messages.list_messages(session, user_id=user.id, chat_id=chat.id)) == 1
    chats.move_chat(session, user_id=user.id, chat_id=chat.id, project_id=work)  # already there
    session.flush()
    moves = session.exec(select(AuditEvent.target, AuditEvent.detail, AuditEvent.ip)
                         .where(AuditEvent.action == "chat.move")).all()
    assert moves == [(f"chat:{chat.id}", {"from": home, "to": work}, "10.0.0.9")]

    # Another user's chat or project: NotFound either way, and nothing moves.
    others_project = others_chat.project_id
    for chat_id, project_id in ((others_chat.id, work), (chat.id, others_project),
                                (others_chat.id, others_project), (chat.id, 10**6)):
        with pytest.raises(NotFound):
            chats.move_chat(session, user_id=user.id, chat_id=chat_id, project_id=project_id)
    session.expire_all()
    assert session.get(Chat, chat.id).project_id == work
    assert session.get(Chat, others_chat.id).project_id == others_project


# The Reflex handlers of the picker and the settings dialog, on a real state over a real database.

def _picker_state(token: str):
    import reflex as rx

    import workflow_chat.workflow_chat  # noqa: F401  (registers every state class)
    from workflow_chat.state.prompts import PromptsState

    root = rx.State(_reflex_internal_init=True)
    state = root.get_substate(PromptsState.get_full_name().split(".")[1:])
    state.token = token
    return state


def test_the_picker_filters_the_list_and_new_chats_go_into_the_picked_project(database_url):
    from workflow_chat.auth.tokens import issue_token
    from workflow_chat.db import session_scope
    from workflow_chat.state.prompts import PromptsState

    with session_scope() as session:
        user = make_user(session)
        loose = chats.create_chat(session, user_id=user.id, title="Loose").id
        work = projects.create_project(session, user_id=user.id, name="Work").id
        user_id = user.id
    state = _picker_state(issue_token(user_id))
    PromptsState.load.fn(state)
    PromptsState.load_projects.fn(state)
    assert [p.name for p in state.projects] == ["Default", "Work"] and state.picker_value == "all"

    PromptsState.select_project.fn(state, str(work))
    assert state.chats == [] and state.current_chat_id == 0  # the loose chat is not in Work
    PromptsState.new_chat.fn(state)
    with session_scope() as session:
        made = session.get(Chat, state.current_chat_id)
        assert made.project_id == work and made.id != loose
    assert [c.id for c in state.chats] == [made.id]

    PromptsState.select_project.fn(state, "all")
    assert {c.id for c in state.chats} == {loose, made.id}

    # Deleting the picked project from the dialog shows all projects again, without its chat.
    PromptsState.select_project.fn(state, str(work))
    PromptsState.set_settings_open.fn(state, True)
    assert state.managed_id == work and state.managed_chats == 1
    PromptsState.delete_project.fn(state)
    assert state.picker_value == "all" and [c.id for c in state.chats] == [loose]
    assert [p.name for p in state.projects] == ["Default"]


def test_the_picker_and_dialog_refuse_another_users_project(database_url):
    from workflow_chat.auth.tokens import issue_token
    from workflow_chat.db import session_scope
    from workflow_chat.state.prompts import PromptsState

    with session_scope() as session:
        owner, intruder = make_user(session), make_user(session)
        theirs = projects.create_project(session, user_id=owner.id, name="Private").id
        chats.create_chat(session, user_id=owner.id, title="Owner's chat", project_id=theirs)
        intruder_id, owner_id = intruder.id, owner.id
    state = _picker_state(issue_token(intruder_id))
    PromptsState.load.fn(state)
    PromptsState.load_projects.fn(state)
    PromptsState.select_project.fn(state, str(theirs))
    assert state.project_filter == 0 and state.chats == []
    PromptsState.manage_project.fn(state, str(theirs))
    assert state.managed_id != theirs and state.managed_name == "Default"
    state.managed_id = theirs  # even a state that somehow points at it cannot change it
    PromptsState.rename_project.fn(state, {"name": "Mine"})
    PromptsState.delete_project.fn(state)
    PromptsState.save_prompt.fn(state, {"name": "x", "text": "y"})
    assert "does not exist" in state.prompt_error
    with session_scope() as session:
        kept = projects.get_project(session, user_id=owner_id, project_id=theirs)
        assert (kept.name, kept.chat_count) == ("Private", 1)
        assert prompts.list_prompts(session, user_id=owner_id, project_id=theirs) == []


def test_moving_a_chat_out_of_the_picked_project_takes_it_off_the_list(database_url):
    from workflow_chat.auth.tokens import issue_token
    from workflow_chat.db import session_scope
    from workflow_chat.state.prompts import PromptsState

    with session_scope() as session:
        user, other = make_user(session), make_user(session)
        kept = chats.create_chat(session, user_id=user.id, title="Kept").id
        leaving = chats.create_chat(session, user_id=user.id, title="Leaving")
        home, leaving = leaving.project_id, leaving.id
        work = projects.create_project(session, user_id=user.id, name="Work").id
        others_project = chats.create_chat(session, user_id=other.id).project_id
        user_id = user.id
    state = _picker_state(issue_token(user_id))
    PromptsState.load.fn(state)
    PromptsState.load_projects.fn(state)
    PromptsState.select_project.fn(state, str(home))
    PromptsState.select_chat.fn(state, leaving)
    assert [c.id for c in state.chats] == [leaving, kept] and state.chats[0].project_id == home

    done = PromptsState.move_chat.fn(state, leaving, work)
    assert "Moved to Work" in repr(done)
    assert [c.id for c in state.chats] == [kept] and state.current_chat_id == kept
    PromptsState.select_project.fn(state, "all")
    assert {(c.id, c.project_id) for c in state.chats} == {(leaving, work), (kept, home)}

    refused = PromptsState.move_chat.fn(state, kept, others_project)
    assert "does not exist" in repr(refused)
    with session_scope() as session:
        assert session.get(Chat, kept).project_id == home
    state.token = ""
    assert "/login" in repr(PromptsState.move_chat.fn(state, kept, work))
