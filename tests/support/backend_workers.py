"""Backend processes for scale-out tests and the websocket benchmark: `reflex run --env prod
--backend-only`, each in its own session (setsid) so the whole group can be ended.

Backend-only needs no compiled front end, so a worker is up in a few seconds. With
REFLEX_REDIS_URL set, Reflex keeps state in Redis and starts `GRANIAN_WORKERS` processes on the
port (default: 2 × cores + 1): pass `processes` to choose.
"""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from tests.browser.app_server import _answers, _end_group, _free_port, _server_env

REPO = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent


@dataclass
class BackendWorker:
    url: str
    log_path: Path
    proc: subprocess.Popen

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace")


def start_workers(count: int, *, root: Path, env: dict[str, str], processes: int = 1,
                  timeout: float = 90.0) -> list[BackendWorker]:
    """Start `count` backend servers on free ports, all at once (as a deployment does, so
    start-up races show), sharing `root/data`; returns once every one answers /ping and has
    started its run engine. `env` adds to a clean environment (DATABASE_URL, REFLEX_REDIS_URL)."""
    data_dir = root / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    workers = []
    for n in range(count):
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        worker_env = {
            **_server_env(data_dir, url),
            # Reflex writes these into the working directory unless told otherwise; elsewhere,
            # they cannot disturb a front end built or served from the same checkout.
            "REFLEX_WEB_WORKDIR": str(root / "web"),
            "REFLEX_STATES_WORKDIR": str(root / "states"),
            "REFLEX_UPLOADED_FILES_DIR": str(root / "uploaded_files"),
            "GRANIAN_WORKERS": str(processes),
            **env,
        }
        log_path = root / f"worker{n}.log"
        with log_path.open("wb") as log:
            proc = subprocess.Popen(
                [str(VENV_BIN / "reflex"), "run", "--env", "prod", "--backend-only",
                 "--backend-port", str(port)],
                cwd=REPO, env=worker_env, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True,
            )
        workers.append(BackendWorker(url=url, log_path=log_path, proc=proc))
    try:
        _wait_until_ready(workers, env.get("DATABASE_URL"), count * processes, timeout)
    except BaseException:
        stop_workers(workers)
        raise
    return workers


def stop_workers(workers: list[BackendWorker]) -> None:
    for worker in workers:
        _end_group(worker.proc)


def engine_executors(database_url: str) -> list[str]:
    """Executor ids of the run engines that have started on this database (heartbeat rows)."""
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(sa.text("SELECT executor_id FROM engine_executors")).scalars())
    except sa.exc.ProgrammingError:  # not migrated yet
        return []
    finally:
        engine.dispose()


def _wait_until_ready(workers: list[BackendWorker], database_url: str | None, engines: int,
                      timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        for worker in workers:
            if worker.proc.poll() is not None:
                raise RuntimeError(f"backend exited with {worker.proc.returncode}:\n"
                                   f"{worker.log_text()[-4000:]}")
        up = all(_answers(f"{w.url}/ping") for w in workers)
        # /ping answers before the lifespan tasks (migrations, engine) have all run.
        if up and (database_url is None or len(engine_executors(database_url)) >= engines):
            return
        if time.monotonic() > deadline:
            logs = "\n".join(w.log_text()[-2000:] for w in workers)
            raise RuntimeError(f"backends not ready after {timeout:.0f} s:\n{logs}")
        time.sleep(0.3)
