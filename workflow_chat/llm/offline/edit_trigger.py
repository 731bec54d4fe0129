"""Follow-ups that change when the workflow runs: "make it 8am", "run hourly", "trigger it by
webhook instead", "run it manually". Read with the planner's own trigger and schedule parsers.
"""

from __future__ import annotations

from dataclasses import replace

from workflow_chat.graph.patch_ops import SetTrigger, UpdateNode
from workflow_chat.graph.schema import Node, Workflow
from workflow_chat.llm.offline.clock import ClockTime, find_time, find_timezone
from workflow_chat.llm.offline.cron_phrases import find_schedule
from workflow_chat.llm.offline.edit_ops import Edit, refusal
from workflow_chat.llm.offline.edit_targets import trigger_of
from workflow_chat.llm.offline.sentence import Clause, Masked
from workflow_chat.llm.offline.triggers import Trigger, detect_trigger
from workflow_chat.nodes.cron_text import describe_cron

def trigger_edit(clause: Clause, masked: Masked, workflow: Workflow) -> Edit | None:
    """A new trigger, or new times for the schedule; None when the clause names no trigger."""
    found = detect_trigger(clause.text)
    if not found.spans:  # the planner's default (manual, no words) is not a request
        return None
    current = trigger_of(workflow)
    if found.kind == "schedule":
        edit = _schedule_edit(clause.text, found, current)
    elif current.kind == found.kind and current.config == {**current.config, **found.config}:
        edit = refusal(f"The trigger is already **{current.label}**.")
    else:
        op = SetTrigger(kind=found.kind, config=found.config, label=found.label)
        edit = Edit((op,), f"**Change** the trigger to **{found.label}**: {found.explain}")
    return replace(edit, notes=edit.notes + found.notes, spans=found.spans)


def _schedule_edit(text: str, found: Trigger, current: Node) -> Edit:
    cron, label = str(found.config["cron"]), found.label
    zone = find_timezone(text)
    if current.kind != "schedule":
        op = SetTrigger(kind="schedule", config=found.config, label=label)
        return Edit((op,), f"**Change** the trigger to **{label}**: {found.explain}")
    old_cron = str(current.config.get("cron", ""))
    old_zone = str(current.config.get("timezone", "UTC"))
    time = _time_only(text)
    fields = old_cron.split()
    if time is not None and len(fields) == 5 and fields[0].isdigit() and fields[1].isdigit():
        # "make it 8am" moves the time and keeps the days ("every weekday" stays weekdays).
        cron = " ".join([str(time.minute), str(time.hour), *fields[2:]])
        old_clock = f"{int(fields[1]):02d}:{int(fields[0]):02d}"
        label = (current.label.replace(old_clock, time.text) if old_clock in current.label
                 else _described(cron))
    timezone = zone[0] if zone else old_zone
    if (cron, timezone) == (old_cron, old_zone):
        return refusal(f"It already runs on that schedule (**{current.label}**).")
    op = UpdateNode(id=current.id, label=label, config={"cron": cron, "timezone": timezone})
    return Edit((op,), f"**Change** when it runs to **{label}** ({timezone}), cron `{cron}`.")


def _time_only(text: str) -> ClockTime | None:
    """The time when the words give a time of day and nothing else about the schedule."""
    schedule, time = find_schedule(text), find_time(text)
    if schedule is None or time is None or set(schedule.spans) != {(time.start, time.end)}:
        return None
    return time


def _described(cron: str) -> str:
    text = describe_cron(cron)
    return text[:1].upper() + text[1:]
