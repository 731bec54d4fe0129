"""Command line: `python -m workflow_chat.llm.eval --prompts FILE [--provider NAME] ...`.

Exit status 0 whatever the scores (a score is a measurement, not a failure); 2 when the prompts
file cannot be used or the provider cannot run. The last stdout line is always the summary.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from workflow_chat.llm.eval.dataset import DatasetError, load_cases
from workflow_chat.llm.eval.report import (
    as_json,
    dump_json,
    problem_lines,
    summary_line,
    table_lines,
)
from workflow_chat.llm.eval.runner import (
    DEFAULT_CONCURRENCY,
    PROVIDERS,
    ProviderUnavailable,
    choose_generator,
    evaluate,
)
from workflow_chat.llm.eval.scoring import summarise

USAGE_ERROR = 2


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m workflow_chat.llm.eval",
        description="Score a provider on a JSONL set of requests: graph validity and kind recall.",
    )
    parser.add_argument("--prompts", required=True, type=Path, help="JSON lines file")
    parser.add_argument("--provider", choices=PROVIDERS, default="auto",
                        help="auto (default): llm when a model is configured, else offline")
    parser.add_argument("--limit", type=_positive, help="only the first N prompts")
    parser.add_argument("--concurrency", type=_positive, default=DEFAULT_CONCURRENCY,
                        help=f"prompts in flight at once (default {DEFAULT_CONCURRENCY})")
    parser.add_argument("--json", type=Path, metavar="FILE",
                        help="also write per-prompt results as JSON to FILE ('-' for stderr)")
    return parser


def _fail(message: str) -> int:
    print(f"eval: {message}", file=sys.stderr)
    return USAGE_ERROR


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # A pipe or a C locale must not turn the ✓/✗ marks into a crash.
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="replace")
    try:
        cases = load_cases(args.prompts)
        provider, generate = choose_generator(args.provider)
    except (DatasetError, ProviderUnavailable) as exc:
        return _fail(str(exc))
    cases = cases[: args.limit] if args.limit else cases
    results = asyncio.run(evaluate(cases, generate, concurrency=args.concurrency))
    summary = summarise(results)

    print(f"provider: {provider}  prompts: {args.prompts}")
    print("\n".join(table_lines(results)))
    problems = problem_lines(results)
    if problems:
        print("\n".join(["", *problems]))
    if args.json is not None:
        text = dump_json(as_json(provider, results, summary))
        if str(args.json) == "-":
            print(text, file=sys.stderr)
        else:
            args.json.write_text(text + "\n", encoding="utf-8")
    print(summary_line(summary), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
