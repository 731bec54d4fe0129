"""Hand a stored run to the engine: started here (embedded) or queued for a worker process."""

from __future__ import annotations

import asyncio
from typing import Any

from dbos import DBOS, SetWorkflowID, WorkflowHandleAsync
from dbos._error import DBOSAwaitedWorkflowCancelledError, DBOSWorkflowCancelledError

from workflow_chat.engine.runner import run_graph
from workflow_chat.engine import launch
from workflow_chat.engine.bounded import BoundedDict
from workflow_chat.engine.settings import RUNS_QUEUE


# Handles of runs this process started and someone may wait for (a webhook with ?wait=true).
# Bounded, so runs nobody waits for do not pile up.
_started: BoundedDict = BoundedDict(limit=10_000)


async def submit(run_id: str, graph: dict[str, Any], trigger: Any) -> WorkflowHandleAsync[Any]:
    """Start the run whose row exists; the run id is the workflow id, so submitting the same
    run twice starts it once."""
    with SetWorkflowID(run_id):
        if runs_here():
            handle = await DBOS.start_workflow_async(run_graph, run_id, graph, trigger, True)
        else:
            handle = await DBOS.enqueue_workflow_async(RUNS_QUEUE, run_graph, run_id, graph, trigger)
    _started[run_id] = handle
    return handle


def runs_here() -> bool:
    """Whether submit() starts runs at once in this process (embedded) or queues them."""
    return launch.current().mode != "queue"


async def cancel(run_id: str) -> None:
    await DBOS.cancel_workflow_async(run_id)


async def result(run_id: str, timeout: float) -> dict[str, Any] | None:
    """The run's {"status", "error", "output"} once it ends, or None after `timeout` seconds."""
    # A handle of a run started here awaits its task; a retrieved one polls the database.
    handle = _started.pop(run_id, None) or await DBOS.retrieve_workflow_async(run_id)
    try:
        return await asyncio.wait_for(handle.get_result(polling_interval_sec=0.05), timeout)
    except asyncio.TimeoutError:
        return None
    except (DBOSAwaitedWorkflowCancelledError, DBOSWorkflowCancelledError):
        return {"status": "cancelled", "error": "Cancelled by the user.", "output": None}
