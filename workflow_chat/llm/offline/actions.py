"""The steps a request asks for, in order: clause by clause, data-flow order inside a clause."""

from __future__ import annotations

from dataclasses import replace

from workflow_chat.llm.offline.delivery import find_delivery
from workflow_chat.llm.offline.fetch import find_http
from workflow_chat.llm.offline.intents import RANK_WORK, Intent
from workflow_chat.llm.offline.llm_steps import find_llm
from workflow_chat.llm.offline.logic import find_condition, find_delay
from workflow_chat.llm.offline.reshape import find_transform
from workflow_chat.llm.offline.sentence import Clause, Masked, blank

MAX_STEPS = 20  # a chat answer people can read; longer requests are cut with a note
_DETECTORS = (find_http, find_llm, find_transform, find_delay, find_delivery)


def find_actions(clauses: list[Clause], masked: Masked) -> list[Intent]:
    """Every intent in reading order; a noun ("the summary") repeats no earlier step."""
    made: set[str] = set()
    steps: list[Intent] = []
    for clause in clauses:
        for intent in _clause_intents(clause, masked):
            operation = intent.params.get("operation")
            if intent.noun and operation in made:
                continue
            if operation:
                made.add(str(operation))
            steps.append(replace(intent, otherwise=clause.otherwise))
    return steps


def _clause_intents(clause: Clause, masked: Masked) -> list[Intent]:
    condition, (start, end) = find_condition(clause, masked)
    # The condition's own words ("if the summary mentions a fetch error") are not steps.
    rest = Clause(clause.start, blank(clause.text, [(start, end)]))
    intents = [intent for detect in _DETECTORS for intent in detect(rest, masked)]
    if condition is not None:
        intents.append(condition)
    llm_verbs = {i.params.get("operation") for i in intents if i.kind == "llm" and not i.noun}
    if llm_verbs:
        # A transform only when no LLM word fits ("convert to French" is a translation).
        intents = [i for i in intents if i.kind != "transform"]
    # "summarise into a short summary" is one step, not two.
    intents = [i for i in intents if not (i.noun and i.params.get("operation") in llm_verbs)]
    return sorted(intents, key=lambda i: (i.rank, i.pos))


def cap(steps: list[Intent]) -> tuple[list[Intent], list[str]]:
    if len(steps) <= MAX_STEPS:
        return steps, []
    note = f"I kept the first {MAX_STEPS} of {len(steps)} steps; add the rest in a follow-up."
    return steps[:MAX_STEPS], [note]


def fallback_intent(message: str) -> Intent:
    """The step for a request with no recognised words: an LLM works on it as written."""
    return Intent("llm", 0, RANK_WORK, {"operation": "generate", "what": "", "request": message})
