"""The container's command (deploy/start.sh, after the image's install and build steps) serves
the page and /api/v1/health on ONE port, keeps its data in the volume, and stops cleanly on the
SIGTERM that `docker stop` sends.

Run without Docker in a copy of what the image holds (image_steps.py), with the image's ENV:
production mode, so the operator's JWT_SECRET and WFC_MASTER_KEYS are passed as `docker run -e`
would.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from cryptography.fernet import Fernet

from tests.browser.app_server import _answers, _end_group, _free_port, _group_members
from tests.packaging.image_steps import BuiltApp, run_scripts, start_command

STARTUP_TIMEOUT = 240


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read().decode(errors="replace")


def _healthcheck(built_app: BuiltApp, env: dict[str, str]) -> int:
    """Exit status of the image's HEALTHCHECK command."""
    venv_python = Path(env["VENV_DIR"]) / "bin" / "python"
    return subprocess.run([str(venv_python), "deploy/healthcheck.py"], cwd=built_app.root,
                          env=env, capture_output=True, timeout=30).returncode


def _wait_until_up(proc: subprocess.Popen, base: str, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while not (_answers(f"{base}/api/v1/health") and _answers(f"{base}/")):
        assert proc.poll() is None, f"start.sh exited with {proc.returncode}:\n{log.read_text()[-4000:]}"
        assert time.monotonic() < deadline, f"not up after {STARTUP_TIMEOUT} s:\n{log.read_text()[-4000:]}"
        time.sleep(0.5)


def test_start_step_serves_page_and_health_on_one_port_and_stops_cleanly(
    built_app: BuiltApp, tmp_path: Path,
) -> None:
    assert run_scripts() == ["deploy/install.sh", "deploy/build.sh"], "the image's build steps"
    assert start_command() == ["deploy/start.sh"], "the image's command"
    port = _free_port()
    env = {**built_app.env, "PORT": str(port), "JWT_SECRET": "container-test-secret-" + "x" * 32,
           "WFC_MASTER_KEYS": Fernet.generate_key().decode()}
    log = tmp_path / "start.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([str(built_app.root / start_command()[0])], cwd=built_app.root,
                                env=env, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        started = time.monotonic()
        _wait_until_up(proc, base, log)
        print(f"container command up after {time.monotonic() - started:.0f} s", file=sys.__stderr__)

        status, page = _get(f"{base}/")
        assert status == 200 and "<title>Workflow Chat</title>" in page
        status, body = _get(f"{base}/login")  # a page route, served by the same port
        assert status == 200 and "Log in" in body
        status, body = _get(f"{base}/api/v1/health")
        assert status == 200 and json.loads(body) == {"status": "ok"}
        assert _healthcheck(built_app, env) == 0

        # The embedded SQLite files are in the volume; production generated no secret there.
        volume = Path(env["WORKFLOW_CHAT_DATA_DIR"])
        assert (volume / "workflow_chat.sqlite").stat().st_size > 0
        assert (volume / "dbos.sqlite").exists()
        assert not (volume / "jwt_secret").exists() and not (volume / "master_key").exists()

        # `docker stop`: SIGTERM to PID 1 only (start.sh exec'd reflex, so that is reflex),
        # then SIGKILL after 10 s: a clean stop ends within that, with status 0.
        os.kill(proc.pid, signal.SIGTERM)
        assert proc.wait(timeout=10) == 0, log.read_text()[-4000:]
        deadline = time.monotonic() + 10
        while _group_members(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _group_members(proc.pid), "a child process outlived the server"
        assert _healthcheck(built_app, env) == 1
        assert "Traceback" not in log.read_text(), log.read_text()[-6000:]
    finally:
        _end_group(proc)
