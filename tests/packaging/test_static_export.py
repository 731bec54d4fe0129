"""`reflex export --frontend-only` builds a static site that points at the configured backend."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BACKEND = "http://api.workflow-chat.test:8123"


def test_frontend_only_export_builds_a_static_site_for_the_configured_backend(tmp_path):
    venv_bin = Path(sys.executable).parent
    env = {
        **os.environ,
        "PATH": f"{venv_bin}{os.pathsep}{os.environ['PATH']}",
        "REFLEX_USE_NPM": "1",
        "REFLEX_API_URL": BACKEND,
        "WORKFLOW_CHAT_DATA_DIR": str(tmp_path / "data"),
    }
    done = subprocess.run(
        [str(venv_bin / "reflex"), "export", "--frontend-only", "--no-zip"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    site = ROOT / ".web" / "build" / "client"
    for page in ("index.html", "login.html", "register.html"):
        assert (site / page).stat().st_size > 500, page
    bundled = "".join(p.read_text(errors="ignore") for p in site.rglob("*.js"))
    assert "api.workflow-chat.test:8123" in bundled, "the build must talk to API_URL"
    styles = "".join(p.read_text(errors="ignore") for p in site.rglob("*.css"))
    assert "react-flow" in styles, "the canvas (React Flow) must be part of the build"
