"""Export a generated workflow, import the file into a new chat, and refuse a broken file."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from playwright.sync_api import Page, expect

from tests.browser.flows import ask_for_workflow, canvas_nodes, register, toasts

if TYPE_CHECKING:
    from tests.browser.conftest import AppServer


def _export(page: Page, folder: Path) -> tuple[str, dict[str, Any]]:
    with page.expect_download() as info:
        page.get_by_test_id("export-workflow").click()
    download = info.value
    path = folder / download.suggested_filename
    download.save_as(path)
    return download.suggested_filename, json.loads(path.read_text())


def _import(page: Page, path: Path) -> None:
    page.get_by_test_id("import-workflow").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    dialog.locator("input[type=file]").set_input_files(path)
    expect(page.get_by_test_id("import-chosen")).to_have_text(path.name)
    page.get_by_test_id("import-confirm").click()


def _shape(graph: dict[str, Any]) -> tuple:
    """What an import must keep: the nodes (ids, kinds, labels, configs) and the edges."""
    nodes = sorted((n["id"], n["kind"], n["label"], json.dumps(n["config"], sort_keys=True))
                   for n in graph["nodes"])
    edges = sorted((e["source"], e["target"], e.get("branch")) for e in graph["edges"])
    return graph["name"], nodes, edges


def _stored_versions(server: AppServer, username: str) -> list[tuple[str, int, str]]:
    with sqlite3.connect(f"file:{server.database}?mode=ro", uri=True) as db:
        return db.execute(
            "SELECT c.title, v.number, v.source FROM workflow_versions v "
            "JOIN chats c ON c.id = v.chat_id JOIN users u ON u.id = c.user_id "
            "WHERE u.username = ? ORDER BY c.id, v.number", (username,)
        ).fetchall()


def test_exported_file_imports_into_a_new_chat_as_the_same_graph(
    new_page: Callable[[], Page], tmp_path: Path
) -> None:
    page = new_page()
    register(page)
    ask_for_workflow(page)
    name, exported = _export(page, tmp_path)
    assert name.endswith(".workflow.json") and name != ".workflow.json"
    assert len(exported["nodes"]) >= 3 and exported["edges"]

    page.get_by_test_id("new-chat").click()
    expect(page.get_by_test_id("canvas-empty")).to_be_visible()
    expect(page.get_by_test_id("export-workflow")).to_be_disabled()
    _import(page, tmp_path / name)
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(toasts(page).filter(has_text="Imported as version 1")).to_have_count(1)
    expect(canvas_nodes(page)).to_have_count(len(exported["nodes"]))
    expect(page.get_by_test_id("versions")).to_contain_text("v1")
    # The new chat, still untitled, is named after the imported workflow.
    expect(page.get_by_test_id("chat-row").filter(has_text=exported["name"][:16])).to_have_count(1)
    shown = {node.get_attribute("data-id") for node in canvas_nodes(page).all()}
    assert shown == {n["id"] for n in exported["nodes"]}

    again_dir = tmp_path / "again"
    again_dir.mkdir()
    _, reexported = _export(page, again_dir)
    assert _shape(reexported) == _shape(exported)


def test_broken_files_show_their_problems_and_store_nothing(
    new_page: Callable[[], Page], app_server: AppServer, tmp_path: Path
) -> None:
    page = new_page()
    username = register(page)
    ask_for_workflow(page)
    count = canvas_nodes(page).count()
    before = _stored_versions(app_server, username)
    assert [(n, s) for _, n, s in before] == [(1, "ai")]

    broken = {"name": "Broken", "nodes": [
        {"id": "start", "kind": "manual", "label": "Start"},
        {"id": "zap", "kind": "teleport", "label": "Zap"},
        {"id": "fetch", "kind": "http_request", "label": "Fetch", "config": {"url": "ftp://x"}},
    ], "edges": [{"id": "e1", "source": "start", "target": "fetch"},
                 {"id": "e2", "source": "fetch", "target": "ghost"}]}
    path = tmp_path / "broken.workflow.json"
    path.write_text(json.dumps(broken))
    _import(page, path)
    problems = page.get_by_test_id("import-problem")
    expect(page.get_by_test_id("import-problems")).to_contain_text("broken.workflow.json was not imported")
    expect(problems.filter(has_text="unknown kind 'teleport'")).to_have_count(1)
    expect(problems.filter(has_text="http:// or https://")).to_have_count(1)
    expect(problems.filter(has_text="ghost")).to_have_count(1)

    not_json = tmp_path / "notes.json"
    not_json.write_text("this is not { json")
    page.get_by_role("dialog").locator("input[type=file]").set_input_files(not_json)
    expect(page.get_by_test_id("import-chosen")).to_have_text("notes.json")
    page.get_by_test_id("import-confirm").click()
    expect(problems).to_have_count(1)
    expect(problems).to_contain_text("not valid JSON")

    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page.get_by_test_id("versions")).to_contain_text("v1")
    expect(canvas_nodes(page)).to_have_count(count)
    assert _stored_versions(app_server, username) == before
    # Opening the dialog again starts clean: no file chosen, no old problems.
    page.get_by_test_id("import-workflow").click()
    expect(page.get_by_role("dialog")).to_be_visible()
    expect(page.get_by_test_id("import-problems")).to_have_count(0)
    expect(page.get_by_test_id("import-confirm")).to_be_disabled()
