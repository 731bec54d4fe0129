"""The Dockerfile's steps without Docker, run once per test session and shared.

`build_once` copies what the Dockerfile COPYs (minus .dockerignore) into a temporary directory
and runs the deploy/*.sh scripts that its RUN lines run, in their order, with the ENV it sets.
Only the paths differ: the virtualenv is the one running the tests (VENV_DIR, so install.sh only
checks the pins) and /data is a temporary folder. The static export that build.sh makes is
snapshotted, because start.sh rebuilds .web/ in place: test_static_export checks the snapshot,
test_static_hosting serves it, test_container_steps starts the app from the same directory.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.browser.app_server import _DROPPED_ENV, _DROPPED_NAMES, _free_port

ROOT = Path(__file__).resolve().parents[2]
VENV = Path(sys.executable).parent.parent
SCRIPT = re.compile(r"\bdeploy/[\w.-]+\.sh\b")


@dataclass(frozen=True)
class BuiltApp:
    root: Path  # the copy: what /app holds in the image
    env: dict[str, str]  # the image's environment, with this machine's paths
    site: Path  # snapshot of the static export (.web/build/client)
    api_port: int  # the export finds its backend at http://127.0.0.1:<api_port>

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"


def instructions(dockerfile: Path = ROOT / "Dockerfile") -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    joined, result = "", []
    for line in dockerfile.read_text().splitlines():
        if not joined and (not line.strip() or line.lstrip().startswith("#")):
            continue
        joined += line.rstrip().removesuffix("\\") + " "
        if not line.rstrip().endswith("\\"):
            word, _, rest = joined.strip().partition(" ")
            result.append((word.upper(), rest.strip()))
            joined = ""
    return result


def run_scripts() -> list[str]:
    """The deploy scripts the RUN lines run, in order (e.g. deploy/install.sh)."""
    return [s for word, args in instructions() if word == "RUN" for s in SCRIPT.findall(args)]


def image_env() -> dict[str, str]:
    """The variables the Dockerfile's ENV lines set."""
    env = {}
    for word, args in instructions():
        if word == "ENV":
            env.update(pair.split("=", 1) for pair in shlex.split(args))
    return env


def start_command() -> list[str]:
    """The CMD, in exec form (e.g. ["deploy/start.sh"])."""
    return json.loads(next(args for word, args in instructions() if word == "CMD"))


def _ignored(relative: str, patterns: list[str]) -> bool:
    """Whether a .dockerignore pattern (the simple forms used there) excludes `relative`."""
    parts = relative.split("/")
    prefixes = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
    for pattern in patterns:
        if pattern.startswith("**/"):
            if any(fnmatch.fnmatch(part, pattern[3:]) for part in parts):
                return True
        elif any(fnmatch.fnmatch(prefix, pattern) for prefix in prefixes):
            return True
    return False


def copy_build_context(dest: Path) -> None:
    """Copy each COPY source to its destination under `dest` (the WORKDIR), as Docker would."""
    patterns = [ln.strip() for ln in (ROOT / ".dockerignore").read_text().splitlines()
                if ln.strip() and not ln.startswith("#")]
    for word, args in instructions():
        if word != "COPY":
            continue
        *sources, target = [a for a in shlex.split(args) if not a.startswith("--")]
        for source in sources:
            origin = ROOT / source
            if origin.is_dir():
                into = dest / target
                for path in origin.rglob("*"):
                    relative = path.relative_to(ROOT).as_posix()
                    if path.is_file() and not _ignored(relative, patterns):
                        copied = into / path.relative_to(origin)
                        copied.parent.mkdir(parents=True, exist_ok=True)
                        shutil.copy2(path, copied)
            else:
                into = dest / target / origin.name if target.endswith("/") else dest / target
                into.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(origin, into)


def step_env(root: Path) -> dict[str, str]:
    """The image's ENV on this machine: nothing of the caller's app settings, no venv on PATH
    (deploy/env.sh must put it there), the test venv as VENV_DIR, `root/data` as the volume."""
    env = {k: v for k, v in os.environ.items()
           if not _DROPPED_ENV.match(k) and k not in _DROPPED_NAMES and k != "VIRTUAL_ENV"}
    path = [p for p in env.get("PATH", "").split(os.pathsep) if Path(p) != VENV / "bin"]
    env.update(image_env())
    env.update(VENV_DIR=str(VENV), PATH=os.pathsep.join(path),
               WORKFLOW_CHAT_DATA_DIR=str(root / "data"))
    env.pop("PYTEST_CURRENT_TEST", None)
    return env


def run_step(script: str, root: Path, env: dict[str, str], timeout: float = 600) -> None:
    done = subprocess.run([str(root / script)], cwd=root, env=env, capture_output=True,
                          text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, f"{script} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"


_built: BuiltApp | None = None


def build_once(tmp_path_factory: pytest.TempPathFactory) -> BuiltApp:
    """Copy, install and build in a new temporary directory the first time; the same BuiltApp
    afterwards."""
    global _built
    if _built is None:
        base = tmp_path_factory.mktemp("image")
        root = base / "app"
        copy_build_context(root)
        env = step_env(root)
        api_port = _free_port()
        for script in run_scripts():
            run_step(script, root, {**env, "REFLEX_API_URL": f"http://127.0.0.1:{api_port}"})
        site = base / "site"
        shutil.copytree(root / ".web" / "build" / "client", site)
        _built = BuiltApp(root=root, env=env, site=site, api_port=api_port)
    return _built
