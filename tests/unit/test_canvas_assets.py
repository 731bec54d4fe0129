"""The canvas's JavaScript ships whole: Reflex copies only the files flow_canvas.py registers,
so every module the canvas imports must be registered, or the built page fails to load."""

from __future__ import annotations

import ast
import re
from pathlib import Path

COMPONENTS = Path(__file__).resolve().parents[2] / "workflow_chat" / "components"
ENTRY_POINTS = ("flow_canvas.jsx", "flow_warm.js")  # registered by name in flow_canvas.py
# import ... from "./x" and import("./x"), the only way the canvas modules reach each other
RELATIVE_IMPORT = re.compile(r"""(?:from\s+|import\s*\(\s*)["']\./([^"']+)["']""")


def registered_modules() -> set[str]:
    """MODULES from flow_canvas.py, read without importing it (rx.asset would touch .web/)."""
    tree = ast.parse((COMPONENTS / "flow_canvas.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "MODULES" for t in node.targets):
            return set(ast.literal_eval(node.value))
    raise AssertionError("flow_canvas.py has no MODULES tuple")


def imported_closure() -> set[str]:
    """Every file reached through relative imports from the entry points."""
    seen: set[str] = set()
    todo = list(ENTRY_POINTS)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        path = COMPONENTS / name
        assert path.is_file(), f"{name} is imported but does not exist"
        todo.extend(RELATIVE_IMPORT.findall(path.read_text()))
    return seen


def test_every_imported_canvas_module_is_shipped() -> None:
    missing = imported_closure() - set(ENTRY_POINTS) - registered_modules()
    assert not missing, f"imported by the canvas but not registered in flow_canvas.py: {sorted(missing)}"


def test_every_registered_module_exists_and_is_used() -> None:
    registered = registered_modules()
    assert all((COMPONENTS / name).is_file() for name in registered)
    assert registered <= imported_closure(), "registered but imported by nothing"


def test_canvas_modules_stay_small() -> None:
    for name in registered_modules() | set(ENTRY_POINTS):
        lines = (COMPONENTS / name).read_text().count("\n")
        assert lines <= 160, f"{name} has {lines} lines: split it"
