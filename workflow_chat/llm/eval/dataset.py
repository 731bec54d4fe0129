"""Reading an evaluation set: one JSON object per line, {"prompt": str, "expect_kinds": [str]}.

Every problem is reported with the file and line, so a hand-edited set is quick to fix. Blank
lines are skipped; keys other than the two above are ignored (room for notes or ids).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workflow_chat.nodes import KINDS


class DatasetError(ValueError):
    """The set cannot be used; the message names the file and, when it applies, the line."""


@dataclass(frozen=True)
class EvalCase:
    """One request and the node kinds a correct workflow must contain.

    `expect_kinds` may repeat a kind ("two fetches, then merge"): recall counts repeats.
    """

    line: int  # 1-based line in the file, shown in the report so a miss is easy to find
    prompt: str
    expect_kinds: tuple[str, ...]


def parse_case(text: str, *, line: int) -> EvalCase:
    """Read one JSON line; raises ValueError with a message that names what is wrong."""
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(data, dict):
        raise ValueError('expected an object {"prompt": ..., "expect_kinds": [...]}')
    prompt = data.get("prompt")
    if not isinstance(prompt, str) or not prompt.strip():
        raise ValueError('"prompt" must be a non-empty string')
    kinds = data.get("expect_kinds")
    if not isinstance(kinds, list) or not all(isinstance(k, str) for k in kinds):
        raise ValueError('"expect_kinds" must be a list of node kind names')
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise ValueError(
            f'"expect_kinds" has unknown kind(s) {", ".join(map(repr, unknown))} '
            f"(known: {', '.join(KINDS)})"
        )
    return EvalCase(line=line, prompt=prompt, expect_kinds=tuple(kinds))


def load_cases(path: str | Path) -> list[EvalCase]:
    """Every case in the file, in order. Raises DatasetError when the file cannot be read,
    a line is invalid, or there is no case at all."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DatasetError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise DatasetError(f"{path}: the file is not UTF-8 text") from None
    cases = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            cases.append(parse_case(raw, line=number))
        except ValueError as exc:
            raise DatasetError(f"{path} line {number}: {exc}") from None
    if not cases:
        raise DatasetError(f"{path}: no prompts in the file")
    return cases
