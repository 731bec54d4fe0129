"""`python -m workflow_chat.worker`: a process that takes runs from the database queue.

With PostgreSQL, start the app with ENGINE_MODE=queue and any number of these workers: the app
stores and enqueues runs, the workers run them. Each worker comes back under its old executor
id after a restart, so the runs it held resume where they stopped."""

from __future__ import annotations

import logging
import signal
import threading

from workflow_chat.db import migrate
from workflow_chat.engine import launch
from workflow_chat.engine.settings import engine_settings
from workflow_chat.vault.keys import master_keys

log = logging.getLogger("workflow_chat.worker")


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    migrate()
    master_keys()  # production without WFC_MASTER_KEYS stops here, with the reason
    settings = launch.launch(engine_settings(role="worker"))
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    log.warning("worker %s is taking runs", settings.executor_id)
    stop.wait()
    launch.shutdown()


if __name__ == "__main__":
    main()
