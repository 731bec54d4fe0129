"""Per-prompt results and the two headline metrics.

- valid: the share of prompts whose answer is a workflow that passes `parse_workflow`. An error
  while generating, or an answer without a workflow, counts as invalid.
- kind_recall: micro-average over every expected kind in the set, i.e. matched / expected summed
  over all prompts, so a prompt that expects five kinds weighs more than one that expects two.
  Matching is multiset-aware: expecting http_request twice needs two http_request nodes. Only
  kinds of a valid workflow count: an invalid graph never reaches the canvas, so it delivers none.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from workflow_chat.llm.eval.dataset import EvalCase


def matched_count(expected: Sequence[str], produced: Sequence[str]) -> int:
    """How many expected kinds the produced ones cover, counting repeats (multiset ∩)."""
    return sum((Counter(expected) & Counter(produced)).values())


def missing_kinds(expected: Sequence[str], produced: Sequence[str]) -> tuple[str, ...]:
    """Expected kinds not covered, with repeats, in the order the set lists them."""
    left = Counter(expected) - Counter(produced)
    out: list[str] = []
    for kind in expected:
        if left[kind] > 0:
            out.append(kind)
            left[kind] -= 1
    return tuple(out)


@dataclass(frozen=True)
class PromptResult:
    """What one prompt gave. `produced` lists the workflow's node kinds (empty when none)."""

    case: EvalCase
    valid: bool
    produced: tuple[str, ...]
    seconds: float
    error: str | None = None

    @property
    def counted(self) -> tuple[str, ...]:
        """The kinds that count for recall: none unless the workflow is valid."""
        return self.produced if self.valid else ()

    @property
    def matched(self) -> int:
        return matched_count(self.case.expect_kinds, self.counted)

    @property
    def missing(self) -> tuple[str, ...]:
        return missing_kinds(self.case.expect_kinds, self.counted)

    @property
    def recall(self) -> float | None:
        """matched / expected for this prompt; None when it expects no kind at all."""
        expected = len(self.case.expect_kinds)
        return self.matched / expected if expected else None


@dataclass(frozen=True)
class Summary:
    n: int
    valid: int
    expected: int  # expected kinds over the whole set, repeats included
    matched: int

    @property
    def valid_percent(self) -> float:
        return 100.0 * self.valid / self.n if self.n else 0.0

    @property
    def kind_recall_percent(self) -> float:
        # A set that expects nothing has nothing to miss.
        return 100.0 * self.matched / self.expected if self.expected else 100.0


def summarise(results: Iterable[PromptResult]) -> Summary:
    """The set's totals; see the module docstring for what each metric means."""
    items = list(results)
    return Summary(
        n=len(items),
        valid=sum(r.valid for r in items),
        expected=sum(len(r.case.expect_kinds) for r in items),
        matched=sum(r.matched for r in items),
    )
