"""The durable run: one DBOS workflow walks the graph. It only decides order, branches and
joins; I/O happens in steps (attempts.run_node for side-effect kinds, the wake time of a
delay). Pure kinds are recomputed on replay from checkpointed inputs, so they cost no write.

Concurrency: every durable step id is reserved up front in topological order, then branches
run as concurrent tasks. A replay reserves the same ids in the same order, so each step finds
its checkpoint whichever branch reaches it first."""

from __future__ import annotations

import asyncio
import time
from datetime import datetime, timezone
from typing import Any

from dbos import DBOS

from workflow_chat.engine import attempts, records
from workflow_chat.engine.outcome import NodeOutcome, now_iso
from workflow_chat.engine.plan import RunPlan, plan_run
from workflow_chat.graph.schema import Edge, Node, Workflow
from workflow_chat.nodes import delay as delay_kind
from workflow_chat.nodes.registry import get_kind


# A long delay looks at the run's status this often, so Cancel takes effect within a second.
CANCEL_CHECK_SECONDS = 1.0
# A durable step shows as "running" on the live canvas once it has run this long.
SHOW_RUNNING_AFTER = 0.1


def _is_durable(node: Node) -> bool:
    kind = get_kind(node.kind)
    return node.kind == "delay" or bool(kind and kind.side_effect)


def wake_time(seconds: float) -> float:
    """Checkpointed once: after a crash the delay sleeps only what is left of it."""
    return time.time() + seconds


@DBOS.workflow(name="wfc.run_graph")
async def run_graph(
    run_id: str, graph: dict[str, Any], trigger: Any, started: bool = False
) -> dict[str, Any]:
    """Run every node of `graph`; returns {"status", "error", "output"} where output is the last
    finished node's output (what a webhook caller gets back). `started`: the run's row already
    says running (it was started at once, not queued), which saves a write."""
    began = datetime.now(timezone.utc)
    walking = asyncio.ensure_future(walk_graph(run_id, graph, trigger))
    try:
        if not started:
            # A queued run that ends quickly goes straight to its end (finish() fills in
            # started_at): "running" would hardly be seen, and it costs a write.
            done, _ = await asyncio.wait({walking}, timeout=SHOW_RUNNING_AFTER)
            if not done:
                await asyncio.to_thread(records.mark_running, run_id)
        walk = await walking
    except asyncio.CancelledError:
        walking.cancel()
        raise
    result = walk.result()
    # Live rows exist only for durable nodes that ran slowly, perhaps before a crash and not
    # in this replay; a run with no durable node never has any, so it has none to clear.
    await asyncio.to_thread(records.finish, run_id, result["status"], result["error"],
                            walk.all_outcomes(), any_shown=bool(walk.reserved), started_at=began)
    return result


async def walk_graph(run_id: str, graph: dict[str, Any] | Workflow, trigger: Any) -> _Walk:
    """Run every node; outside a DBOS workflow only for graphs with no durable node (inline.py)."""
    workflow = graph if isinstance(graph, Workflow) else Workflow.model_validate(graph)
    walk = _Walk(run_id, plan_run(workflow), trigger)
    await walk.run()
    return walk


class _Walk:
    def __init__(self, run_id: str, plan: RunPlan, trigger: Any) -> None:
        self.run_id, self.plan, self.trigger = run_id, plan, trigger
        self.reserved = {n.id: DBOS.reserve_step() for n in plan.order if _is_durable(n)}
        self.outcomes: dict[str, NodeOutcome] = {}
        self.failure: NodeOutcome | None = None
        # Set when the user cancels: checked after every slow node, since pure ones take no time.
        self.cancelled = False
        self.shown: set[str] = set()  # nodes whose final row the live view already has
        self.ancestors = _ancestors(plan)

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        self.settled = {n.id: loop.create_future() for n in self.plan.order}
        await asyncio.gather(*(self._visit(node) for node in self.plan.order))

    def last_output(self) -> Any:
        finished = [o for o in self.outcomes.values() if o.status == "succeeded"]
        return finished[-1].output if finished else None

    def all_outcomes(self) -> list[NodeOutcome]:
        return list(self.outcomes.values())

    def result(self) -> dict[str, Any]:
        """{"status", "error", "output"}: what a run returns (a webhook caller gets the output)."""
        status = "cancelled" if self.cancelled else "failed" if self.failure else "succeeded"
        error = f"{self.failure.node_id}: {self.failure.error}" if self.failure else None
        return {"status": status, "error": error, "output": self.last_output()}

    async def _visit(self, node: Node) -> None:
        edges = self.plan.incoming[node.id]
        await self._wait_for_inputs(node, edges)
        if self.cancelled:
            outcome = NodeOutcome(node_id=node.id, status="cancelled")
        elif self.failure is not None or (edges and not any(self._live(e) for e in edges)):
            outcome = NodeOutcome(node_id=node.id, status="skipped")
        else:
            outcome = await self._execute(node)
        self.outcomes[node.id] = outcome
        if outcome.status == "failed" and self.failure is None:
            self.failure = outcome
        self.settled[node.id].set_result(outcome)

    async def _wait_for_inputs(self, node: Node, edges: list[Edge]) -> None:
        if node.kind == "merge" and node.config.get("mode") == "any":
            pending = {self.settled[e.source] for e in edges}
            while pending and not any(self._live(e) for e in edges if self.settled[e.source].done()):
                _, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
            return
        for edge in edges:
            await self.settled[edge.source]

    def _live(self, edge: Edge) -> bool:
        source = self.settled[edge.source]
        if not source.done():
            return False
        outcome: NodeOutcome = source.result()
        return outcome.status == "succeeded" and (edge.branch is None or outcome.branch == edge.branch)

    async def _execute(self, node: Node) -> NodeOutcome:
        # A merge reports what reached it (its direct inputs); other nodes may read any ancestor.
        visible = ({e.source for e in self.plan.incoming[node.id]} if node.kind == "merge"
                   else self.ancestors[node.id])
        outputs = {a: self.outcomes[a].output for a in visible
                   if a in self.outcomes and self.outcomes[a].status == "succeeded"}
        if node.kind == "delay":
            return await self._delay(node)
        if node.id in self.reserved:
            options = {"name": f"node:{node.id}", "retries_allowed": False}
            # No cancel check here: DBOS refuses the next step of a cancelled workflow itself.
            step = asyncio.ensure_future(self.reserved[node.id].run_async(
                options, attempts.run_node, node, self.run_id, outputs, self.trigger))
            result = await self._shown_while_slow(node, step)
        else:
            result = await attempts.run_node(node, self.run_id, outputs, self.trigger)
        outcome = NodeOutcome.model_validate(result)
        if node.kind == "condition" and outcome.status == "succeeded":
            outcome.branch = "true" if (outcome.output or {}).get("result") else "false"
        return outcome

    async def _delay(self, node: Node) -> NodeOutcome:
        seconds = delay_kind.Config.model_validate(node.config).seconds
        started = now_iso()
        await self._show(NodeOutcome(node_id=node.id, status="running", started_at=started, attempts=1))
        wake = await self.reserved[node.id].run_async({"name": f"wake:{node.id}"}, wake_time, seconds)
        while (left := wake - time.time()) > 0 and not self.cancelled:
            await asyncio.sleep(min(left, CANCEL_CHECK_SECONDS))
            await self._check_cancelled()
        if self.cancelled:
            return NodeOutcome(node_id=node.id, status="cancelled", started_at=started, finished_at=now_iso())
        return NodeOutcome(node_id=node.id, status="succeeded", attempts=1, input=node.config,
                           output={"waited_seconds": seconds}, started_at=started, finished_at=now_iso())

    async def _shown_while_slow(self, node: Node, step: asyncio.Future[Any]) -> Any:
        """The step's result; its "running" row is written only if it is still running after
        SHOW_RUNNING_AFTER. A faster step would hardly be seen running, and that row cost as
        much as the step's own checkpoint."""
        started = now_iso()
        try:
            done, _ = await asyncio.wait({step}, timeout=SHOW_RUNNING_AFTER)
            if not done:
                await self._show(NodeOutcome(node_id=node.id, status="running", started_at=started))
            return await step
        except asyncio.CancelledError:
            step.cancel()
            raise

    async def _check_cancelled(self) -> None:
        if not self.cancelled and not await asyncio.to_thread(records.is_open, self.run_id):
            self.cancelled = True

    async def _show(self, outcome: NodeOutcome) -> None:
        """A slow node's "running" row for the live canvas, written together with the nodes that
        finished since the last write (pure ones are instant and get no write of their own)."""
        unsaved = [o for o in self.outcomes.values() if o.node_id not in self.shown]
        self.shown.update(o.node_id for o in unsaved)
        await asyncio.to_thread(records.save_nodes, self.run_id, [*unsaved, outcome])


def _ancestors(plan: RunPlan) -> dict[str, set[str]]:
    """Each node's ancestors: the only outputs its templates may read, so a replay computes the
    same input whichever unrelated branch happened to finish first."""
    result: dict[str, set[str]] = {}
    for node in plan.order:
        found: set[str] = set()
        for edge in plan.incoming[node.id]:
            found.add(edge.source)
            found |= result[edge.source]
        result[node.id] = found
    return result
