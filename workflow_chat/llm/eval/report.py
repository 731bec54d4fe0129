"""The printed report: an aligned table per prompt, the misses, and the one-line summary."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from workflow_chat.llm.eval.scoring import PromptResult, Summary

PROMPT_WIDTH = 48
ERROR_WIDTH = 160
_HEADERS = ("line", "ok", "recall", "secs", "prompt", "missing", "produced")


def summary_line(summary: Summary) -> str:
    """The contract line, printed last: `valid=<percent> kind_recall=<percent> n=<count>`."""
    return (
        f"valid={summary.valid_percent:.1f}% "
        f"kind_recall={summary.kind_recall_percent:.1f}% n={summary.n}"
    )


def _cut(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _row(result: PromptResult) -> tuple[str, ...]:
    recall = "-" if result.recall is None else f"{100 * result.recall:.0f}%"
    return (
        str(result.case.line),
        "✓" if result.valid else "✗",
        recall,
        f"{result.seconds:.2f}",
        _cut(result.case.prompt, PROMPT_WIDTH),
        " ".join(result.missing) or "-",
        " ".join(result.produced) or "-",
    )


def table_lines(results: Sequence[PromptResult]) -> list[str]:
    """Header, rule and one row per result; numbers right-aligned, the last column free."""
    rows = [_HEADERS, *(_row(r) for r in results)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(_HEADERS) - 1)]
    right = {0, 2, 3}

    def fmt(row: tuple[str, ...]) -> str:
        cells = [
            cell.rjust(width) if i in right else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(row, widths))
        ]
        return "  ".join([*cells, row[-1]]).rstrip()

    lines = [fmt(rows[0]), "  ".join("-" * w for w in widths) + "  --------"]
    return lines + [fmt(row) for row in rows[1:]]


def problem_lines(results: Sequence[PromptResult]) -> list[str]:
    """Why each invalid prompt failed, so a regression can be read without rerunning."""
    return [
        f"line {r.case.line}: invalid: {_cut(r.error or 'no workflow', ERROR_WIDTH)}"
        for r in results
        if not r.valid
    ]


def as_json(provider: str, results: Sequence[PromptResult], summary: Summary) -> dict[str, Any]:
    """Machine-readable results (for --json): one entry per prompt, then the totals."""
    return {
        "provider": provider,
        "summary": {
            "n": summary.n,
            "valid_percent": summary.valid_percent,
            "kind_recall_percent": summary.kind_recall_percent,
            "expected_kinds": summary.expected,
            "matched_kinds": summary.matched,
        },
        "results": [
            {
                "line": r.case.line,
                "prompt": r.case.prompt,
                "valid": r.valid,
                "expected": list(r.case.expect_kinds),
                "produced": list(r.produced),
                "missing": list(r.missing),
                "recall": r.recall,
                "seconds": round(r.seconds, 4),
                "error": r.error,
            }
            for r in results
        ],
    }


def dump_json(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)
