"""Evaluation harness: how often a provider turns plain requests into valid, complete graphs.

Run `python -m workflow_chat.llm.eval --prompts FILE [--provider auto|offline|llm]`. The file
holds JSON lines {"prompt": "...", "expect_kinds": ["schedule", "http_request", ...]}; the last
line printed is always `valid=<percent> kind_recall=<percent> n=<count>`.
"""

from workflow_chat.llm.eval.dataset import DatasetError, EvalCase, load_cases
from workflow_chat.llm.eval.report import summary_line
from workflow_chat.llm.eval.scoring import PromptResult, Summary, summarise

__all__ = [
    "DatasetError",
    "EvalCase",
    "PromptResult",
    "Summary",
    "load_cases",
    "summarise",
    "summary_line",
]
